from tests.factories import make_person


def test_a_caseworker_registers_a_person_and_reads_it_back(api, caseworker):
    client = api.as_user(caseworker)
    created = client.post("/api/v1/persons/", {
        "given_names": "Olena", "family_name": "Kovalenko", "birth_date": "1990-01-02",
        "sex": "female", "citizenships": ["UA"],
    }, format="json")
    assert created.status_code == 201, created.content
    read = client.get(f"/api/v1/persons/{created.json()['id']}/")
    assert read.json()["family_name"] == "Kovalenko"


def test_it_hides_a_person_from_another_organisation(api, caseworker, police):
    from tests.factories import UserFactory

    person = make_person(caseworker)
    outsider = UserFactory(organisation=police)
    assert api.as_user(outsider).get(f"/api/v1/persons/{person.pk}/").status_code == 404
