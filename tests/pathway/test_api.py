"""The pathway API: shapes, bad input (4xx naming the field, nothing changed), 404 for outsiders."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.factories import make_person
from tests.pathway.conftest import with_consent
from zicht.audit.models import AuditEvent
from zicht.core.models import IdempotencyRecord
from zicht.pathway import services
from zicht.pathway.codes import ReferralStatus, ResidenceStatus, StageKind
from zicht.pathway.models import Deadline, Pathway, RedressClaim, Referral, Stage

pytestmark = pytest.mark.django_db


def test_a_pathway_reads_with_htcds_codes_and_is_audited(api, caseworker, person):
    response = api.as_user(caseworker).get(f"/api/v1/pathways/{person.pk}/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["victim_status"], body["victim_status_htcds"]) == ("possible", "Possible")
    assert (body["case_status"], body["case_status_htcds"]) == ("active", "Active")
    assert body["minor"] is False and body["stages"] == []
    assert AuditEvent.objects.filter(action="pathway.read", person_id=person.pk).exists()


def test_an_outsider_gets_404_for_the_pathway(api, person, police_officer):
    client = api.as_user(police_officer)
    assert client.get(f"/api/v1/pathways/{person.pk}/").status_code == 404
    response = client.post(f"/api/v1/pathways/{person.pk}/stages/", {"kind": "protect"},
                           format="json")
    assert response.status_code == 404
    assert not Pathway.objects.exists()


def test_a_caseworker_works_a_pathway_through_the_api(api, caseworker, person, police):
    client = api.as_user(caseworker)
    started = client.post(f"/api/v1/pathways/{person.pk}/stages/",
                          {"kind": "protect", "started_on": "2025-02-03"}, format="json")
    assert started.status_code == 201, started.content
    stage_id = started.json()["id"]
    ended = client.post(f"/api/v1/pathways/{person.pk}/stages/{stage_id}/end/",
                        {"ended_on": "2025-04-01", "reason": "Moved on"}, format="json")
    assert ended.status_code == 200, ended.content
    assert ended.json()["ended_on"] == "2025-04-01"
    patched = client.patch(f"/api/v1/pathways/{person.pk}/",
                           {"residence_status": "no_legal_residence", "guardian": ""},
                           format="json")
    assert patched.status_code == 200 and patched.json()["residence_status"] == (
        "no_legal_residence")
    closed = client.post(f"/api/v1/pathways/{person.pk}/case-status/",
                         {"status": "follow_up"}, format="json")
    assert closed.json()["case_status_htcds"] == "FollowUp"
    timeline = client.get(f"/api/v1/pathways/{person.pk}/").json()
    assert sorted(s["kind"] for s in timeline["stages"]) == ["identify", "protect"]


def test_ending_a_stage_before_its_start_is_400_naming_ended_on(api, caseworker, person):
    stage = services.stage_start(actor=caseworker, person_id=person.pk, kind=StageKind.PROTECT,
                                 started_on=date(2025, 2, 3))
    response = api.as_user(caseworker).post(
        f"/api/v1/pathways/{person.pk}/stages/{stage.pk}/end/", {"ended_on": "2025-01-01"},
        format="json")
    assert response.status_code == 400
    assert "ended_on" in response.json()
    assert Stage.objects.get(pk=stage.pk).ended_on is None


def test_a_victim_status_decision_by_an_ngo_is_400_naming_status(api, caseworker, person):
    response = api.as_user(caseworker).post(
        f"/api/v1/pathways/{person.pk}/victim-status/",
        {"status": "identified", "reason": "Looks like it"}, format="json")
    assert response.status_code == 400
    assert "status" in response.json()
    assert not Pathway.objects.exists()


def test_the_police_record_a_victim_status_decision(api, police_officer):
    person = make_person(police_officer)
    response = api.as_user(police_officer).post(
        f"/api/v1/pathways/{person.pk}/victim-status/",
        {"status": "identified", "reason": "Interview", "decided_on": "2025-04-01"},
        format="json")
    assert response.status_code == 201, response.content
    assert response.json()["htcds"] == "Actual"


def test_unknown_fields_are_refused(api, caseworker, person):
    response = api.as_user(caseworker).post(
        f"/api/v1/pathways/{person.pk}/stages/", {"kind": "protect", "colour": "red"},
        format="json")
    assert response.status_code == 400 and "colour" in response.json()


def test_a_referral_round_trip_through_the_api(api, caseworker, person, coordinator_user):
    sender = api.as_user(caseworker)
    proposed = sender.post("/api/v1/referrals/", {
        "person": person.pk, "to_organisation": coordinator_user.organisation_id,
        "purpose": "care_coordination", "urgency": "urgent", "note": "Safe address needed"},
        format="json")
    assert proposed.status_code == 201, proposed.content
    referral_id = proposed.json()["id"]
    assert proposed.json()["person_name"] == "Maria Ionescu"

    receiver = api.as_user(coordinator_user)
    inbox = receiver.get("/api/v1/referrals/?box=incoming&status=open").json()
    assert inbox["count"] == 1
    row = inbox["results"][0]
    assert row["person_name"] == ""  # not visible until accepted
    assert row["note"] == "Safe address needed" and row["urgency"] == "urgent"
    assert receiver.get(f"/api/v1/persons/{person.pk}/").status_code == 404

    accepted = receiver.post(f"/api/v1/referrals/{referral_id}/accept/", {}, format="json")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted"
    assert receiver.get(f"/api/v1/persons/{person.pk}/").status_code == 200

    again = receiver.post(f"/api/v1/referrals/{referral_id}/accept/", {}, format="json")
    assert again.status_code == 409 and "status" in again.json()


def test_accepting_by_the_sender_is_400_naming_to_organisation(api, caseworker, person,
                                                               coordinator_user):
    referral = services.referral_propose(actor=caseworker, person_id=person.pk,
                                         to_organisation_id=coordinator_user.organisation_id,
                                         purpose="care_coordination")
    response = api.as_user(caseworker).post(f"/api/v1/referrals/{referral.pk}/accept/", {},
                                            format="json")
    assert response.status_code == 400 and "to_organisation" in response.json()
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.PROPOSED


def test_a_referral_to_oneself_is_400_naming_to_organisation(api, caseworker, person):
    response = api.as_user(caseworker).post("/api/v1/referrals/", {
        "person": person.pk, "to_organisation": caseworker.organisation_id,
        "purpose": "shelter"}, format="json")
    assert response.status_code == 400 and "to_organisation" in response.json()
    assert not Referral.objects.exists()


def test_a_referral_to_police_without_consent_is_400_with_a_clear_message(api, caseworker,
                                                                          person, police):
    response = api.as_user(caseworker).post("/api/v1/referrals/", {
        "person": person.pk, "to_organisation": police.pk, "purpose": "aangifte"},
        format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    message = response.json()["to_organisation"][0]
    assert "consent" in message.lower() and police.name in message
    assert not Referral.objects.exists()


@pytest.mark.parametrize("body", [{"reason": ""}, {}], ids=["empty reason", "no reason field"])
def test_declining_without_a_reason_is_400_naming_reason(api, caseworker, person,
                                                         coordinator_user, body):
    referral = services.referral_propose(actor=caseworker, person_id=person.pk,
                                         to_organisation_id=coordinator_user.organisation_id,
                                         purpose="care_coordination")
    response = api.as_user(coordinator_user).post(f"/api/v1/referrals/{referral.pk}/decline/",
                                                  body, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PROPOSED


def test_the_national_coordinator_reads_no_note_about_a_person_it_may_not_see(
        api, caseworker, person, coordinator_user, national_coordinator):
    referral = services.referral_propose(actor=caseworker, person_id=person.pk,
                                         to_organisation_id=coordinator_user.organisation_id,
                                         purpose="care_coordination", note="Sleeps at the car wash")
    seen_by_coordinator = api.as_user(national_coordinator).get(f"/api/v1/referrals/{referral.pk}/")
    assert seen_by_coordinator.status_code == 200
    assert seen_by_coordinator.json()["note"] == ""
    assert seen_by_coordinator.json()["person_name"] == ""
    listed = api.as_user(national_coordinator).get("/api/v1/referrals/").json()["results"]
    assert [r["note"] for r in listed] == [""]
    # The receiver reads why before it accepts; the sender reads what it wrote.
    for party in (coordinator_user, caseworker):
        body = api.as_user(party).get(f"/api/v1/referrals/{referral.pk}/").json()
        assert body["note"] == "Sleeps at the car wash"


def test_the_referrals_page_shows_the_national_coordinator_no_note_it_may_not_see(
        client, caseworker, person, coordinator_user, national_coordinator):
    referral = services.referral_propose(
        actor=caseworker, person_id=person.pk, now=timezone.now() - timedelta(days=5),
        to_organisation_id=coordinator_user.organisation_id, purpose="care_coordination",
        note="Sleeps at the car wash")
    client.force_login(national_coordinator)
    page = client.get("/pathway/referrals/?box=escalated")
    assert page.status_code == 200
    assert f"#{referral.person_id}" in page.content.decode()
    assert "car wash" not in page.content.decode()
    client.force_login(coordinator_user)
    assert "car wash" in client.get("/pathway/referrals/?box=incoming").content.decode()


def test_a_pathway_without_decisions_reads_null_dates_as_the_schema_says(api, caseworker,
                                                                         person, client):
    body = api.as_user(caseworker).get(f"/api/v1/pathways/{person.pk}/").json()
    assert body["victim_status_decided_on"] is None and body["case_closed_on"] is None
    schema = client.get("/api/schema/?format=json").json()
    fields = schema["components"]["schemas"]["Pathway"]["properties"]
    assert fields["victim_status_decided_on"]["nullable"] is True
    assert fields["case_closed_on"]["nullable"] is True


def test_a_referral_abroad_through_the_api(api, caseworker, person):
    response = api.as_user(caseworker).post("/api/v1/referrals/", {
        "person": person.pk, "purpose": "return", "country": "BG",
        "foreign_organisation": "National Commission, Sofia", "channel": "liaison_officer"},
        format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["to_organisation"], body["country"]) == (
        "sent_abroad", None, "BG")


def test_referrals_of_other_organisations_are_404(api, caseworker, person, coordinator_user,
                                                  shelter_worker):
    referral = services.referral_propose(actor=caseworker, person_id=person.pk,
                                         to_organisation_id=coordinator_user.organisation_id,
                                         purpose="care_coordination")
    client = api.as_user(shelter_worker)
    assert client.get(f"/api/v1/referrals/{referral.pk}/").status_code == 404
    assert client.get("/api/v1/referrals/").json()["count"] == 0


def test_the_national_coordinator_sees_escalated_referrals(api, caseworker, person,
                                                           coordinator_user,
                                                           national_coordinator):
    referral = services.referral_propose(
        actor=caseworker, person_id=person.pk, now=timezone.now() - timedelta(days=5),
        to_organisation_id=coordinator_user.organisation_id, purpose="care_coordination")
    body = api.as_user(national_coordinator).get("/api/v1/referrals/?box=escalated").json()
    assert [r["id"] for r in body["results"]] == [referral.pk]
    assert body["results"][0]["overdue"] is True


def test_bad_list_filters_are_400_naming_the_parameter(api, caseworker):
    client = api.as_user(caseworker)
    assert "box" in client.get("/api/v1/referrals/?box=spam").json()
    assert "person" in client.get("/api/v1/deadlines/?person=x").json()
    assert "overdue" in client.get("/api/v1/deadlines/?overdue=maybe").json()


@pytest.mark.parametrize("query", ["due_within=99999999999999", "due_within=-1",
                                   "person=99999999999999999999999"])
def test_numbers_past_what_the_calendar_or_the_database_holds_are_400(api, caseworker, query):
    response = api.as_user(caseworker).get(f"/api/v1/deadlines/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_deadlines_through_the_api(api, police_officer):
    person = make_person(police_officer, citizenships=["NG"])
    client = api.as_user(police_officer)
    client.patch(f"/api/v1/pathways/{person.pk}/",
                 {"residence_status": ResidenceStatus.NO_LEGAL_RESIDENCE}, format="json")
    offered_on = timezone.localdate() - timedelta(days=10)
    offered = client.post(f"/api/v1/pathways/{person.pk}/reflection-period/",
                          {"offered_on": offered_on.isoformat()}, format="json")
    assert offered.status_code == 201, offered.content
    deadline = offered.json()
    assert deadline["kind"] == "reflection_period" and deadline["days_left"] > 70
    extended = client.post(f"/api/v1/deadlines/{deadline['id']}/extend/",
                           {"due_on": (date.fromisoformat(deadline["due_on"])
                                       + timedelta(days=30)).isoformat(),
                            "reason": "Medical treatment"}, format="json")
    assert extended.status_code == 200, extended.content
    assert len(extended.json()["extensions"]) == 1
    listed = client.get(f"/api/v1/deadlines/?person={person.pk}").json()
    assert [d["id"] for d in listed["results"]] == [deadline["id"]]

    case = client.post(f"/api/v1/pathways/{person.pk}/criminal-cases/",
                       {"aangifte_on": timezone.localdate().isoformat()}, format="json")
    assert case.status_code == 201, case.content
    sepot = client.post(
        f"/api/v1/pathways/{person.pk}/criminal-cases/{case.json()['id']}/decision/",
        {"outcome": "sepot", "reason": "Insufficient evidence"}, format="json")
    assert sepot.status_code == 200, sepot.content
    kinds = {d["kind"] for d in client.get(f"/api/v1/deadlines/?person={person.pk}")
             .json()["results"]}
    assert "other_grounds_review" in kinds and "b8_permit" not in kinds


def test_a_task_due_before_its_start_is_400_naming_due_on(api, caseworker, person):
    response = api.as_user(caseworker).post("/api/v1/deadlines/", {
        "person": person.pk, "title": "Call lawyer", "starts_on": "2025-05-01",
        "due_on": "2025-04-01"}, format="json")
    assert response.status_code == 400 and "due_on" in response.json()
    assert not Deadline.objects.exists()


def test_redress_claims_through_the_api(api, caseworker, person):
    client = api.as_user(caseworker)
    created = client.post("/api/v1/redress/", {
        "person": person.pk, "route": "schadefonds", "amount_claimed": "5000.00",
        "filed_on": "2025-03-01"}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["currency"] == "EUR"
    updated = client.patch(f"/api/v1/redress/{created.json()['id']}/", {
        "outcome": "awarded", "amount_awarded": "5000.00", "decided_on": "2025-09-01"},
        format="json")
    assert updated.status_code == 200, updated.content
    assert updated.json()["amount_awarded"] == "5000.00"
    bad = client.post("/api/v1/redress/", {"person": person.pk, "route": "civil",
                                           "amount_claimed": "-3"}, format="json")
    assert bad.status_code == 400 and "amount_claimed" in bad.json()
    assert RedressClaim.objects.count() == 1


def test_idempotent_referral_create_makes_one_referral(api, caseworker, person,
                                                       coordinator_user):
    client = api.as_user(caseworker)
    body = {"person": person.pk, "to_organisation": coordinator_user.organisation_id,
            "purpose": "care_coordination"}
    first = client.post("/api/v1/referrals/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = client.post("/api/v1/referrals/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == second.status_code == 201
    assert Referral.objects.count() == 1


@pytest.mark.parametrize("url, body", [
    ("/api/v1/referrals/", lambda person, to: {"person": person.pk, "to_organisation": to,
                                               "purpose": "care_coordination",
                                               "note": "Ana Popa asked for a Romanian speaker"}),
    ("/api/v1/deadlines/", lambda person, to: {"person": person.pk, "due_on": "2031-01-01",
                                               "title": "Call Ana Popa's lawyer"}),
    ("/api/v1/redress/", lambda person, to: {"person": person.pk, "route": "civil",
                                             "amount_claimed": "712.00"}),
])
def test_a_retried_pathway_post_is_shown_anew_and_its_stored_answer_is_only_the_id(
        api, caseworker, person, coordinator_user, url, body):
    client = api.as_user(caseworker)
    data = body(person, coordinator_user.organisation_id)
    first = client.post(url, data, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")
    again = client.post(url, data, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")
    assert (first.status_code, again.status_code) == (201, 201), first.content
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert IdempotencyRecord.objects.get().body == {"id": first.json()["id"]}


def test_the_schema_documents_the_pathway_endpoints(client):
    schema = client.get("/api/schema/").content.decode()
    for path in ("/api/v1/pathways/{id}/", "/api/v1/referrals/{id}/accept/",
                 "/api/v1/deadlines/{id}/extend/", "/api/v1/redress/",
                 "/api/v1/pathways/{id}/criminal-cases/{case_id}/decision/"):
        assert path in schema


def test_a_minor_shows_as_minor_with_a_missing_guardian(api, caseworker):
    child = with_consent(caseworker, make_person(caseworker, birth_date=""), care="given")
    body = api.as_user(caseworker).get(f"/api/v1/pathways/{child.pk}/").json()
    assert body["minor"] is True and body["guardian_missing"] is True
