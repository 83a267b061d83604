"""Who may see capacity, change a shelter, place a person and see placements."""

from __future__ import annotations

import pytest

from tests.factories import OrganisationFactory, UserFactory
from tests.shelters.conftest import person_in_need
from zicht.organisations.models import OrganisationKind, Role
from zicht.registry import services as registry
from zicht.shelters import services
from zicht.shelters.models import Placement


@pytest.fixture
def other_org(db):  # type: ignore[no-untyped-def]
    return OrganisationFactory(name="Elders", kind=OrganisationKind.NGO)


def user(organisation, role):  # type: ignore[no-untyped-def]
    return UserFactory(organisation=organisation, role=role)


@pytest.mark.parametrize(("whose", "role", "expected"), [
    ("ngo", Role.REPORTER, 200),
    ("ngo", Role.CASEWORKER, 200),
    ("comensha", Role.NATIONAL_COORDINATOR, 200),
    ("shelter", Role.ADMIN, 200),
    ("ngo", Role.ANALYST, 403),
    ("ngo", Role.AUDITOR, 403),
    ("ngo", Role.ADMIN, 403),
])
def test_the_capacity_board_is_for_roles_that_work_with_persons(
        api, ngo, comensha, shelter_org, whose, role, expected):
    organisation = {"ngo": ngo, "comensha": comensha, "shelter": shelter_org}[whose]
    client = api.as_user(user(organisation, role))
    assert client.get("/api/v1/shelters/board/").status_code == expected
    assert client.get("/api/v1/shelters/").status_code == expected


def test_the_board_needs_a_login(api, db):
    assert api.get("/api/v1/shelters/board/").status_code in (401, 403)


@pytest.mark.parametrize(("whose", "role", "expected"), [
    ("shelter", Role.CASEWORKER, 200),
    ("shelter", Role.ADMIN, 200),
    ("shelter", Role.REPORTER, 403),
    ("ngo", Role.CASEWORKER, 403),
    ("comensha", Role.NATIONAL_COORDINATOR, 403),
])
def test_only_the_shelters_own_caseworkers_and_admins_change_its_capacity(
        api, ngo, comensha, shelter_org, cosm, whose, role, expected):
    organisation = {"ngo": ngo, "comensha": comensha, "shelter": shelter_org}[whose]
    response = api.as_user(user(organisation, role)).patch(
        f"/api/v1/shelters/{cosm.pk}/", {"capacity": 7}, format="json")
    assert response.status_code == expected
    cosm.refresh_from_db()
    assert cosm.capacity == (7 if expected == 200 else 3)


def test_an_organisation_publishes_shelters_for_itself_only(api, shelter_worker, youth_org,
                                                            caseworker):
    payload = {"name": "X", "kind": "general", "languages": ["nl"], "municipality": "GM0363",
               "capacity": 3}
    client = api.as_user(shelter_worker)
    assert client.post("/api/v1/shelters/", {**payload, "organisation": youth_org.pk},
                       format="json").status_code == 403
    # An NGO is no shelter organisation: it names the organisation as the problem.
    response = api.as_user(caseworker).post("/api/v1/shelters/", payload, format="json")
    assert response.status_code == 400 and "organisation" in response.json()


@pytest.fixture
def shared_maria(caseworker, shelter_org):  # type: ignore[no-untyped-def]
    """Maria, with care consent, shared by the NGO with the shelter organisation."""
    maria = person_in_need(caseworker)
    registry.consent_record(actor=caseworker, person_id=maria.pk, purpose="care", state="given")
    registry.person_share(actor=caseworker, person_id=maria.pk, organisation_id=shelter_org.pk)
    return maria


@pytest.mark.parametrize(("who", "expected"), [
    ("ngo caseworker", 201),          # works with the person
    ("coordinator", 201),             # CoMensha, with registration consent
    ("shelter caseworker", 201),      # the person was shared with the shelter
    ("ngo reporter", 403),            # sees the person, may not decide placements
    ("outsider caseworker", 404),     # does not know the person exists
    ("analyst", 404),                 # sees no persons at all
])
def test_who_may_place_a_person(api, caseworker, coordinator, shelter_worker, ngo, other_org,
                                shared_maria, cosm, who, expected):
    actor = {
        "ngo caseworker": caseworker, "coordinator": coordinator,
        "shelter caseworker": shelter_worker, "ngo reporter": user(ngo, Role.REPORTER),
        "outsider caseworker": user(other_org, Role.CASEWORKER),
        "analyst": user(ngo, Role.ANALYST),
    }[who]
    response = api.as_user(actor).post("/api/v1/placements/",
                                       {"person": shared_maria.pk, "shelter": cosm.pk},
                                       format="json")
    assert response.status_code == expected
    assert Placement.objects.exists() == (expected == 201)


def test_the_coordinator_does_not_see_a_person_without_registration_consent(
        api, caseworker, coordinator, cosm):
    private = person_in_need(caseworker, registration_consent=False)
    client = api.as_user(coordinator)
    assert client.get(f"/api/v1/shelters/match/?person={private.pk}").status_code == 404
    assert client.post("/api/v1/placements/", {"person": private.pk, "shelter": cosm.pk},
                       format="json").status_code == 404


def test_placements_are_visible_only_with_the_person(api, caseworker, other_org, maria, cosm):
    placement = services.placement_create(actor=caseworker, person_id=maria.pk,
                                          shelter_id=cosm.pk)
    outsider = api.as_user(user(other_org, Role.CASEWORKER))
    assert outsider.get("/api/v1/placements/").json()["results"] == []
    assert outsider.get(f"/api/v1/placements/{placement.pk}/").status_code == 404
    assert outsider.post(f"/api/v1/placements/{placement.pk}/end/", {"end_reason": "left"},
                         format="json").status_code == 404
    assert outsider.get(f"/api/v1/shelters/match/?person={maria.pk}").status_code == 404
    placement.refresh_from_db()
    assert placement.is_active


def test_the_shelter_does_not_see_placements_of_persons_not_shared_with_it(
        api, caseworker, shelter_worker, maria, cosm):
    services.placement_create(actor=caseworker, person_id=maria.pk, shelter_id=cosm.pk)
    client = api.as_user(shelter_worker)
    assert client.get(f"/api/v1/placements/?shelter={cosm.pk}").json()["results"] == []
    # Counted all the same: capacity is no person data.
    assert client.get(f"/api/v1/shelters/{cosm.pk}/").json()["occupied"] == 1


def test_withdrawn_care_consent_hides_the_placement_from_the_shelter(
        api, caseworker, shelter_worker, shared_maria, cosm):
    placement = services.placement_create(actor=caseworker, person_id=shared_maria.pk,
                                          shelter_id=cosm.pk)
    client = api.as_user(shelter_worker)
    assert client.get(f"/api/v1/placements/{placement.pk}/").status_code == 200
    registry.consent_record(actor=caseworker, person_id=shared_maria.pk, purpose="care",
                            state="withdrawn")
    assert client.get(f"/api/v1/placements/{placement.pk}/").status_code == 404


def test_a_reporter_may_see_matches_but_not_end_a_placement(api, caseworker, ngo, maria, cosm):
    placement = services.placement_create(actor=caseworker, person_id=maria.pk,
                                          shelter_id=cosm.pk)
    reporter = api.as_user(user(ngo, Role.REPORTER))
    assert reporter.get(f"/api/v1/shelters/match/?person={maria.pk}").status_code == 200
    assert reporter.post(f"/api/v1/placements/{placement.pk}/end/", {"end_reason": "left"},
                         format="json").status_code == 403
