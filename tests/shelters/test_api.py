from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.shelters.conftest import make_shelter, person_in_need
from zicht.audit.models import AuditEvent
from zicht.core.models import IdempotencyRecord
from zicht.shelters import services
from zicht.shelters.codes import ShelterKind
from zicht.shelters.models import Placement, Shelter


def place(client, person, shelter, headers=None, **extra):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/placements/", {"person": person.pk, "shelter": shelter.pk,
                                               **extra}, format="json", headers=headers)


def cell(board: dict, kind: str, region: str) -> dict:
    return next(c for c in board["cells"] if c["kind"] == kind and c["region"] == region)


def test_the_board_shows_free_places_per_kind_and_region_and_changes_at_once(
        api, caseworker, maria, cosm, shelter_org):
    make_shelter(shelter_org, name="OMM Amsterdam", kind=ShelterKind.OMM, sex_served="male",
                 municipality="GM0363", capacity=12)
    client = api.as_user(caseworker)
    before = client.get("/api/v1/shelters/board/").json()
    assert cell(before, "cosm", "PV28") == {"kind": "cosm", "region": "PV28", "capacity": 3,
                                            "occupied": 0, "free": 3, "shelters": 1}
    assert before["total"]["free"] == 15
    assert {r["region"]: r["free"] for r in before["by_region"]} == {"PV27": 12, "PV28": 3}

    placed = place(client, maria, cosm)
    assert placed.status_code == 201, placed.content
    during = client.get("/api/v1/shelters/board/").json()
    assert cell(during, "cosm", "PV28")["free"] == 2
    assert next(k for k in during["by_kind"] if k["kind"] == "cosm")["occupied"] == 1

    ended = client.post(f"/api/v1/placements/{placed.json()['id']}/end/",
                        {"end_reason": "moved_on"}, format="json")
    assert ended.status_code == 200, ended.content
    assert cell(client.get("/api/v1/shelters/board/").json(), "cosm", "PV28")["free"] == 3


def test_a_shelter_in_an_unknown_municipality_counts_under_other(api, caseworker, shelter_org):
    make_shelter(shelter_org, municipality="GM9998", capacity=4)
    board = api.as_user(caseworker).get("/api/v1/shelters/board/").json()
    assert [r["region"] for r in board["by_region"]] == ["other"]


def test_the_shelter_list_shows_occupancy_and_filters(api, caseworker, maria, cosm,
                                                      shelter_org):
    full = make_shelter(shelter_org, name="Vol", kind=ShelterKind.GENERAL, capacity=0,
                        municipality="GM0014")
    services.placement_create(actor=caseworker, person_id=maria.pk, shelter_id=cosm.pk)
    client = api.as_user(caseworker)
    shown = {s["name"]: s for s in client.get("/api/v1/shelters/").json()["results"]}
    assert (shown["COSM Test"]["occupied"], shown["COSM Test"]["free"]) == (1, 2)
    assert shown["COSM Test"]["region"] == "PV28"
    assert shown["COSM Test"]["municipality_name"] == "Rotterdam"
    with_room = client.get("/api/v1/shelters/?has_free=true").json()["results"]
    assert [s["name"] for s in with_room] == ["COSM Test"]
    groningen = client.get("/api/v1/shelters/?region=PV20").json()["results"]
    assert [s["id"] for s in groningen] == [full.pk]
    assert client.get(f"/api/v1/shelters/{cosm.pk}/").json()["free"] == 2


def test_a_shelter_caseworker_publishes_a_shelter(api, shelter_worker):
    created = api.as_user(shelter_worker).post("/api/v1/shelters/", {
        "name": "COSM West", "kind": "cosm", "sex_served": "female",
        "forms": ["sexual", "labour"], "languages": ["nl", "en", "bg"],
        "safety_level": "secret_address", "municipality": "GM0518", "capacity": 14,
    }, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["organisation"], body["free"], body["region"]) == (
        shelter_worker.organisation_id, 14, "PV28")


@pytest.mark.parametrize(("changes", "field"), [
    ({"capacity": -3}, "capacity"),
    ({"min_age": 40, "max_age": 30}, "min_age"),
    ({"forms": ["pickpocketing"]}, "forms"),
    ({"languages": ["klingon"]}, "languages"),
    ({"languages": ["zz"]}, "languages"),
    ({"municipality": "GM12"}, "municipality"),
    ({"kind": "hotel"}, "kind"),
    ({"beds": 3}, "beds"),
])
def test_bad_shelter_input_gets_a_400_naming_the_field(api, shelter_worker, changes, field):
    payload = {"name": "Opvang", "kind": "general", "languages": ["nl"],
               "municipality": "GM0363", "capacity": 5, **changes}
    response = api.as_user(shelter_worker).post("/api/v1/shelters/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Shelter.objects.exists()


def test_capacity_below_occupancy_gets_a_400_and_keeps_the_capacity(
        api, caseworker, shelter_worker, maria, cosm):
    services.placement_create(actor=caseworker, person_id=maria.pk, shelter_id=cosm.pk)
    response = api.as_user(shelter_worker).patch(f"/api/v1/shelters/{cosm.pk}/",
                                                 {"capacity": 0}, format="json")
    assert response.status_code == 400
    assert "capacity" in response.json()
    cosm.refresh_from_db()
    assert cosm.capacity == 3


def test_a_shelter_updates_its_capacity(api, shelter_worker, cosm):
    response = api.as_user(shelter_worker).patch(f"/api/v1/shelters/{cosm.pk}/",
                                                 {"capacity": 9}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["free"] == 9


def test_matches_come_best_first_with_reasons(api, caseworker, maria, cosm, youth_shelter,
                                              shelter_org):
    near = make_shelter(shelter_org, name="Dichtbij", municipality="GM0363", capacity=2)
    response = api.as_user(caseworker).get(f"/api/v1/shelters/match/?person={maria.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["need"]["municipality"] == "GM0363" and body["need"]["minor"] is False
    assert [m["shelter"] for m in body["matches"]] == [near.pk, cosm.pk, youth_shelter.pk]
    assert [m["fits"] for m in body["matches"]] == [True, True, False]
    youth_reasons = {r["criterion"]: r["verdict"] for r in body["matches"][2]["reasons"]}
    assert youth_reasons["age"] == "fail"
    assert set(youth_reasons) == {"capacity", "age", "sex", "forms", "safety", "language",
                                  "distance"}


def test_a_secret_address_need_leaves_only_secret_shelters(api, caseworker, maria, cosm,
                                                           shelter_org):
    secret = make_shelter(shelter_org, name="Geheim", safety_level="secret_address")
    body = api.as_user(caseworker).get(
        f"/api/v1/shelters/match/?person={maria.pk}&safety=secret_address").json()
    assert [m["shelter"] for m in body["matches"] if m["fits"]] == [secret.pk]


def test_matching_without_a_person_or_with_an_unknown_safety_level_is_a_400(api, caseworker,
                                                                         maria):
    client = api.as_user(caseworker)
    assert "person" in client.get("/api/v1/shelters/match/").json()
    response = client.get(f"/api/v1/shelters/match/?person={maria.pk}&safety=moat")
    assert response.status_code == 400 and "safety" in response.json()


def test_matching_is_audited_as_a_read_of_the_person(api, caseworker, maria, cosm):
    api.as_user(caseworker).get(f"/api/v1/shelters/match/?person={maria.pk}")
    assert AuditEvent.objects.filter(action="shelter.match", person_id=maria.pk).exists()


def test_a_placement_in_a_full_shelter_is_a_409_naming_the_shelter(api, caseworker, shelter_org):
    tiny = make_shelter(shelter_org, name="Klein", capacity=1)
    client = api.as_user(caseworker)
    assert place(client, person_in_need(caseworker), tiny).status_code == 201
    late = person_in_need(caseworker)
    response = client.post("/api/v1/placements/", {"person": late.pk, "shelter": tiny.pk},
                           format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert response.json() == {"shelter": ["No free place in Klein: Full: all 1 places are "
                                           "taken."]}
    assert Placement.objects.filter(shelter=tiny).count() == 1


def test_a_minor_in_an_adult_shelter_is_a_400(api, caseworker, cosm):
    boy = person_in_need(caseworker, birth_date=str(timezone.localdate().year - 14))
    response = place(api.as_user(caseworker), boy, cosm)
    assert response.status_code == 400 and "shelter" in response.json()
    assert not Placement.objects.exists()


@pytest.mark.parametrize(("extra", "field"), [
    ({"started_on": "2999-01-01"}, "started_on"),
    ({"started_on": "yesterday"}, "started_on"),
    ({"safety_need": "moat"}, "safety_need"),
    ({"room": 4}, "room"),
])
def test_bad_placement_input_gets_a_400_naming_the_field(api, caseworker, maria, cosm, extra,
                                                         field):
    response = place(api.as_user(caseworker), maria, cosm, **extra)
    assert response.status_code == 400 and field in response.json()
    assert not Placement.objects.exists()


def test_placing_in_an_unknown_shelter_names_the_shelter(api, caseworker, maria):
    response = api.as_user(caseworker).post("/api/v1/placements/",
                                            {"person": maria.pk, "shelter": 999_999},
                                            format="json")
    assert response.status_code == 400 and "shelter" in response.json()


def test_ending_before_the_start_is_a_400_naming_the_end_date(api, caseworker, maria, cosm):
    client = api.as_user(caseworker)
    placed = place(client, maria, cosm).json()
    before = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(f"/api/v1/placements/{placed['id']}/end/",
                           {"end_reason": "left", "ended_on": before}, format="json")
    assert response.status_code == 400 and "ended_on" in response.json()
    assert Placement.objects.get(pk=placed["id"]).is_active


def test_a_retried_placement_with_the_same_key_places_once(api, caseworker, maria, cosm):
    client = api.as_user(caseworker)
    first = place(client, maria, cosm, headers={"Idempotency-Key": "place-maria-1"})
    again = place(client, maria, cosm, headers={"Idempotency-Key": "place-maria-1"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"]
    assert Placement.objects.count() == 1


def test_a_retried_placement_keeps_only_the_id_and_replays_as_a_read(api, caseworker, maria,
                                                                     cosm):
    client = api.as_user(caseworker)
    first = place(client, maria, cosm, headers={"Idempotency-Key": "place-maria-2"})
    again = place(client, maria, cosm, headers={"Idempotency-Key": "place-maria-2"})
    assert again.json() == first.json()
    assert IdempotencyRecord.objects.get().body == {"id": first.json()["id"]}
    assert AuditEvent.objects.filter(action="placement.read", object_id=first.json()["id"]).exists()


def test_placement_reads_are_audited_per_placement(api, caseworker, maria, cosm):
    client = api.as_user(caseworker)
    placed = place(client, maria, cosm).json()
    listed = client.get(f"/api/v1/placements/?person={maria.pk}&active=true").json()
    assert [p["id"] for p in listed["results"]] == [placed["id"]]
    assert client.get(f"/api/v1/placements/{placed['id']}/").json()["shelter_name"] == "COSM Test"
    actions = list(AuditEvent.objects.filter(object_type="shelters.placement",
                                             person_id=maria.pk).values_list("action", flat=True))
    assert actions == ["placement.create", "placement.list", "placement.read"]


def test_the_schema_documents_the_shelter_endpoints(api, caseworker):
    schema = api.as_user(caseworker).get("/api/schema/?format=json").json()
    for path in ("/api/v1/shelters/", "/api/v1/shelters/board/", "/api/v1/shelters/match/",
                 "/api/v1/shelters/{id}/", "/api/v1/placements/",
                 "/api/v1/placements/{id}/end/"):
        assert path in schema["paths"], path
