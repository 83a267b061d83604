"""The pathway pages: referrals, deadlines, a person's timeline; their forms and query counts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import make_person
from tests.pathway.conftest import with_consent
from zicht.audit.models import AuditEvent
from zicht.pathway import services, views
from zicht.pathway.codes import ReferralStatus, ResidenceStatus, StageKind
from zicht.pathway.models import Referral, Stage

pytestmark = pytest.mark.django_db


def test_pages_need_a_login(client):
    for url in ("/pathway/referrals/", "/pathway/deadlines/", "/pathway/persons/1/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_receiver_sees_an_open_referral_by_number_with_its_age(client, caseworker, person,
                                                                    coordinator_user):
    services.referral_propose(actor=caseworker, person_id=person.pk,
                              to_organisation_id=coordinator_user.organisation_id,
                              purpose="care_coordination", urgency="urgent",
                              now=timezone.now() - timedelta(days=3))
    client.force_login(coordinator_user)
    page = client.get("/pathway/referrals/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Person #{person.pk}" in page
    assert "Ionescu" not in page  # the name only after accepting
    assert "3\xa0days" in page  # age of the referral
    assert "zicht-row--overdue" in page and "Overdue" in page
    assert 'value="accept"' in page and 'value="decline"' in page
    assert AuditEvent.objects.filter(action="referral.list", person_id=person.pk).exists()


def test_the_sender_sees_the_name_and_can_withdraw(client, caseworker, person, coordinator_user):
    services.referral_propose(actor=caseworker, person_id=person.pk,
                              to_organisation_id=coordinator_user.organisation_id,
                              purpose="care_coordination")
    client.force_login(caseworker)
    page = client.get("/pathway/referrals/").content.decode()
    assert "Maria Ionescu" in page and 'value="withdraw"' in page


def test_accepting_from_the_page_opens_the_persons_pathway(client, caseworker, person,
                                                           coordinator_user):
    referral = services.referral_propose(actor=caseworker, person_id=person.pk,
                                         to_organisation_id=coordinator_user.organisation_id,
                                         purpose="care_coordination")
    client.force_login(coordinator_user)
    response = client.post(f"/pathway/referrals/{referral.pk}/answer/",
                           {"decision": "accept", "reason": ""})
    assert response.status_code == 302
    assert response["Location"] == f"/pathway/persons/{person.pk}/"
    assert client.get(response["Location"]).status_code == 200


def test_declining_from_the_page_without_a_reason_says_so_and_changes_nothing(
        client, caseworker, person, coordinator_user):
    referral = services.referral_propose(actor=caseworker, person_id=person.pk,
                                         to_organisation_id=coordinator_user.organisation_id,
                                         purpose="care_coordination")
    client.force_login(coordinator_user)
    response = client.post(f"/pathway/referrals/{referral.pk}/answer/",
                           {"decision": "decline", "reason": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Give a reason" in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.PROPOSED


def test_answering_another_organisations_referral_is_404(client, caseworker, person,
                                                         coordinator_user, shelter_worker):
    referral = services.referral_propose(actor=caseworker, person_id=person.pk,
                                         to_organisation_id=coordinator_user.organisation_id,
                                         purpose="care_coordination")
    client.force_login(shelter_worker)
    response = client.post(f"/pathway/referrals/{referral.pk}/answer/",
                           {"decision": "accept"})
    assert response.status_code == 404


def test_the_deadlines_page_shows_days_left_and_highlights_overdue(client, police_officer):
    person = make_person(police_officer, citizenships=["NG"])
    services.pathway_update(actor=police_officer, person_id=person.pk,
                            changes={"residence_status": ResidenceStatus.NO_LEGAL_RESIDENCE})
    today = timezone.localdate()
    services.reflection_period_offer(actor=police_officer, person_id=person.pk,
                                     offered_on=today - timedelta(days=100))
    services.deadline_create(actor=police_officer, person_id=person.pk, title="Call the lawyer",
                             due_on=today + timedelta(days=5))
    client.force_login(police_officer)
    page = client.get("/pathway/deadlines/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Call the lawyer" in page and "5 days left" in page
    assert "zicht-row--overdue" in page and "days overdue" in page
    assert page.index("days overdue") < page.index("Call the lawyer")  # overdue first
    overdue_only = client.get("/pathway/deadlines/?overdue=1").content.decode()
    assert "Call the lawyer" not in overdue_only


def test_the_timeline_shows_stages_deadlines_and_marks_a_minor(client, caseworker):
    child = with_consent(caseworker, make_person(caseworker, birth_date=""), care="given")
    services.stage_start(actor=caseworker, person_id=child.pk, kind=StageKind.PROTECT,
                         started_on=date(2025, 2, 3))
    client.force_login(caseworker)
    page = client.get(f"/pathway/persons/{child.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    assert "zicht-badge--minor" in html and "No guardian recorded" in html
    assert "2025-02-03" in html and "Protect (beschermen)" in html
    assert AuditEvent.objects.filter(action="pathway.read", person_id=child.pk).exists()


def test_an_outsider_gets_404_for_the_timeline(client, person, police_officer):
    client.force_login(police_officer)
    assert client.get(f"/pathway/persons/{person.pk}/").status_code == 404


def test_a_referral_to_oneself_from_the_page_shows_the_error_on_the_field(client, caseworker,
                                                                         person):
    client.force_login(caseworker)
    response = client.post(f"/pathway/persons/{person.pk}/referrals/", {
        "referral-purpose": "shelter", "referral-urgency": "normal"},
        HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Choose the organisation to refer to." in response.content.decode()
    assert not Referral.objects.exists()


def test_a_referral_is_sent_from_the_timeline(client, caseworker, person, coordinator_user):
    client.force_login(caseworker)
    response = client.post(f"/pathway/persons/{person.pk}/referrals/", {
        "referral-to_organisation": coordinator_user.organisation_id,
        "referral-purpose": "care_coordination", "referral-urgency": "urgent",
        "referral-note": "Speaks Romanian only"})
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.urgency, referral.note) == ("urgent", "Speaks Romanian only")


def test_a_stage_is_started_and_ended_from_the_timeline(client, caseworker, person):
    client.force_login(caseworker)
    started = client.post(f"/pathway/persons/{person.pk}/stages/", {
        "action": "start", "start-kind": "protect", "start-started_on": "2025-02-03"})
    assert started.status_code == 302
    stage = Stage.objects.get(kind=StageKind.PROTECT)
    too_early = client.post(f"/pathway/persons/{person.pk}/stages/", {
        "action": "end", "end-stage": stage.pk, "end-ended_on": "2025-01-01"})
    assert too_early.status_code == 400
    ended = client.post(f"/pathway/persons/{person.pk}/stages/", {
        "action": "end", "end-stage": stage.pk, "end-ended_on": "2025-03-01"})
    assert ended.status_code == 302
    assert Stage.objects.get(pk=stage.pk).ended_on == date(2025, 3, 1)


def test_the_victim_status_form_shows_only_for_deciding_organisations(client, caseworker,
                                                                      person, police_officer):
    client.force_login(caseworker)
    page = client.get(f"/pathway/persons/{person.pk}/").content.decode()
    assert 'name="which" value="victim"' not in page
    refused = client.post(f"/pathway/persons/{person.pk}/status/", {
        "which": "victim", "victim-status": "identified", "victim-reason": "x"})
    assert refused.status_code == 400
    own = make_person(police_officer)
    client.force_login(police_officer)
    assert 'name="which" value="victim"' in client.get(
        f"/pathway/persons/{own.pk}/").content.decode()
    decided = client.post(f"/pathway/persons/{own.pk}/status/", {
        "which": "victim", "victim-status": "identified", "victim-reason": "Interview",
        "victim-decided_on": "2025-04-01"})
    assert decided.status_code == 302


# --- Query counts do not grow with the rows shown ------------------------------------------------

def _referrals(sender, receiver_org, count):  # type: ignore[no-untyped-def]
    for n in range(count):
        person = with_consent(sender, make_person(sender, given_names=f"P{n}",
                                                  birth_date="1990-01-01" if n % 2 else ""),
                              care="given")
        services.referral_propose(actor=sender, person_id=person.pk,
                                  to_organisation_id=receiver_org.pk,
                                  purpose="care_coordination",
                                  now=timezone.now() - timedelta(days=n % 5))


def _deadlines(actor, count):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    for n in range(count):
        person = make_person(actor, given_names=f"D{n}")
        services.deadline_create(actor=actor, person_id=person.pk, title=f"Task {n}",
                                 due_on=today + timedelta(days=n - 3),
                                 starts_on=today - timedelta(days=10))


def _queries(client, url):  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def fifty_per_page(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(views, "PAGE_SIZE", 50)


@pytest.mark.parametrize("url", ["/pathway/referrals/", "/pathway/referrals/?box=incoming"])
def test_the_referral_pages_query_count_does_not_grow_with_the_rows(
        client, caseworker, coordinator_user, fifty_per_page, url):
    client.force_login(coordinator_user)
    _referrals(caseworker, coordinator_user.organisation, 5)
    _queries(client, url)  # warm caches (session, content types)
    few = _queries(client, url)
    _referrals(caseworker, coordinator_user.organisation, 45)
    response = client.get(url)
    assert response.content.decode().count('value="accept"') == 50  # all 50 rows shown
    many = _queries(client, url)
    assert many == few, (few, many)


def test_the_deadline_pages_query_count_does_not_grow_with_the_rows(client, coordinator_user,
                                                                    fifty_per_page):
    client.force_login(coordinator_user)
    _deadlines(coordinator_user, 5)
    _queries(client, "/pathway/deadlines/")
    few = _queries(client, "/pathway/deadlines/")
    _deadlines(coordinator_user, 45)
    assert client.get("/pathway/deadlines/").content.decode().count("Task ") == 50
    many = _queries(client, "/pathway/deadlines/")
    assert many == few, (few, many)


def test_the_worklist_selector_uses_a_fixed_number_of_queries(django_assert_max_num_queries,
                                                              caseworker, coordinator_user):
    from zicht.pathway.selectors import worklist

    _referrals(caseworker, coordinator_user.organisation, 50)
    _deadlines(coordinator_user, 50)
    with CaptureQueriesContext(connection) as five:
        small = worklist(actor=coordinator_user, limit=5)
    with django_assert_max_num_queries(len(five)):
        result = worklist(actor=coordinator_user, limit=50)
    assert (len(small.incoming), small.incoming_count) == (5, 50)
    assert len(result.incoming) == 50 and len(result.deadlines) == 50
    assert len(five) <= 15
