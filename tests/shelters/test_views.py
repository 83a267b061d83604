from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import OrganisationFactory, UserFactory
from tests.shelters.conftest import make_shelter, person_in_need
from zicht.audit.models import AuditEvent
from zicht.organisations.models import OrganisationKind, Role
from zicht.shelters import services
from zicht.shelters.codes import ShelterKind
from zicht.shelters.models import Placement


def browser(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_the_board_needs_a_login(client, db):
    response = client.get("/shelters/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_board_shows_free_places_per_kind_region_and_location(caseworker, maria, cosm,
                                                                  youth_shelter):
    services.placement_create(actor=caseworker, person_id=maria.pk, shelter_id=cosm.pk)
    page = browser(caseworker).get("/shelters/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "4 of 5 places free nationally." in html
    assert "Zuid-Holland" in html and "Groningen" in html
    assert "2 of 3" in html and "COSM Test" in html
    assert '<meter aria-hidden="true" min="0" max="3" value="2"' in html


def test_an_analyst_may_not_see_the_board(db, ngo):
    assert browser(UserFactory(organisation=ngo, role=Role.ANALYST)).get(
        "/shelters/").status_code == 403


def test_the_shelter_page_offers_the_capacity_form_to_its_own_staff_only(caseworker,
                                                                          shelter_worker, cosm):
    own = browser(shelter_worker).get(f"/shelters/{cosm.pk}/").content.decode()
    assert 'name="capacity"' in own
    other = browser(caseworker).get(f"/shelters/{cosm.pk}/").content.decode()
    assert 'name="capacity"' not in other
    assert browser(caseworker).post(f"/shelters/{cosm.pk}/", {"capacity": 9}).status_code == 403


def test_a_shelter_worker_changes_the_capacity(shelter_worker, cosm):
    response = browser(shelter_worker).post(f"/shelters/{cosm.pk}/", {"capacity": 11})
    assert response.status_code == 302
    cosm.refresh_from_db()
    assert cosm.capacity == 11


def test_a_capacity_below_occupancy_is_refused_on_the_form(caseworker, shelter_worker, maria,
                                                           cosm):
    services.placement_create(actor=caseworker, person_id=maria.pk, shelter_id=cosm.pk)
    response = browser(shelter_worker).post(f"/shelters/{cosm.pk}/", {"capacity": 0})
    assert response.status_code == 400
    assert "cannot go below the 1 places taken now" in response.content.decode()
    cosm.refresh_from_db()
    assert cosm.capacity == 3


def test_an_unknown_shelter_is_a_404(caseworker):
    assert browser(caseworker).get("/shelters/999999/").status_code == 404


def test_find_a_place_lists_fitting_shelters_first_with_reasons(caseworker, maria, cosm,
                                                                youth_shelter):
    page = browser(caseworker).get(f"/shelters/match/{maria.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Find a place for Maria Ionescu" in html
    assert "1 shelter fits, best first" in html
    assert html.index("COSM Test") < html.index("Beschermde Opvang Test")
    assert "Youth care is for minors only" in html
    assert f'name="shelter" value="{cosm.pk}"' in html
    assert f'name="shelter" value="{youth_shelter.pk}"' not in html  # no Place button
    assert AuditEvent.objects.filter(action="shelter.match", person_id=maria.pk).exists()


def test_a_minor_is_marked_on_the_find_a_place_page(caseworker, youth_shelter):
    girl = person_in_need(caseworker, birth_date="")
    html = browser(caseworker).get(f"/shelters/match/{girl.pk}/").content.decode()
    assert "Minor" in html and "Age uncertain: treated as a minor" in html


def test_the_place_button_places_the_person(caseworker, maria, cosm):
    response = browser(caseworker).post(f"/shelters/match/{maria.pk}/",
                                        {"shelter": cosm.pk, "safety_need": "normal",
                                         "started_on": ""})
    assert response.status_code == 302
    placement = Placement.objects.get(person=maria)
    assert placement.shelter == cosm and placement.started_on == timezone.localdate()
    followed = browser(caseworker).get(response["Location"]).content.decode()
    assert "Placed in COSM Test since" in followed


def test_placing_in_a_full_shelter_from_the_page_is_a_409_with_the_reason(caseworker,
                                                                         shelter_org):
    tiny = make_shelter(shelter_org, name="Klein", capacity=1)
    services.placement_create(actor=caseworker, person_id=person_in_need(caseworker).pk,
                              shelter_id=tiny.pk)
    late = person_in_need(caseworker)
    response = browser(caseworker).post(f"/shelters/match/{late.pk}/",
                                        {"shelter": tiny.pk, "safety_need": "normal"})
    assert response.status_code == 409
    assert "No free place in Klein" in response.content.decode()
    assert not late.placements.exists()


def test_an_outsider_gets_404_for_find_a_place(db, maria, cosm):
    outsider = UserFactory(organisation=OrganisationFactory(kind=OrganisationKind.NGO),
                           role=Role.CASEWORKER)
    client = browser(outsider)
    assert client.get(f"/shelters/match/{maria.pk}/").status_code == 404
    assert client.post(f"/shelters/match/{maria.pk}/",
                       {"shelter": cosm.pk, "safety_need": "normal"}).status_code == 404
    assert not Placement.objects.exists()


def test_a_placement_is_ended_from_the_shelter_page(caseworker, maria, cosm):
    placement = services.placement_create(actor=caseworker, person_id=maria.pk,
                                          shelter_id=cosm.pk)
    client = browser(caseworker)
    page = client.get(f"/shelters/{cosm.pk}/").content.decode()
    assert f"/shelters/placements/{placement.pk}/end/" in page
    assert "Maria Ionescu" in page
    response = client.post(f"/shelters/placements/{placement.pk}/end/",
                           {f"end-{placement.pk}-end_reason": "moved_on"})
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.ended_on == timezone.localdate()


@pytest.mark.parametrize(("data", "message"), [
    ({}, "This field is required."),
    ({"end_reason": "left", "ended_on": "1999-01-01"}, "The date lies before 2000."),
])
def test_ending_with_bad_input_shows_the_problem_and_changes_nothing(caseworker, maria, cosm,
                                                                     data, message):
    placement = services.placement_create(actor=caseworker, person_id=maria.pk,
                                          shelter_id=cosm.pk)
    response = browser(caseworker).post(
        f"/shelters/placements/{placement.pk}/end/",
        {f"end-{placement.pk}-{name}": value for name, value in data.items()})
    assert response.status_code == 400
    assert message in response.content.decode()
    placement.refresh_from_db()
    assert placement.is_active


def test_a_kind_label_is_shown_for_every_shelter_kind(caseworker, shelter_org):
    for kind in ShelterKind.values:
        youth = kind == ShelterKind.YOUTH_CARE
        make_shelter(shelter_org, name=f"Opvang {kind}", kind=kind,
                     min_age=12 if youth else 18, max_age=17 if youth else None)
    html = browser(caseworker).get("/shelters/").content.decode()
    for label in ("COSM", "OMM", "Women&#x27;s shelter", "Men&#x27;s shelter",
                  "General shelter", "Youth care"):
        assert label in html
