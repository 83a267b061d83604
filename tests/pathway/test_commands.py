"""`zicht deadlines remind` and `zicht referrals escalate|expire`."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.factories import make_person
from zicht.audit.models import AuditEvent
from zicht.pathway import services
from zicht.pathway.codes import ReferralStatus
from zicht.pathway.models import Referral

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def due_soon(coordinator_user, police_officer):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    person = make_person(coordinator_user)
    soon = services.deadline_create(actor=coordinator_user, person_id=person.pk,
                                    title="Ask IND about other grounds",
                                    due_on=today + timedelta(days=3))
    late = services.deadline_create(actor=coordinator_user, person_id=person.pk,
                                    title="Send medical report", starts_on=today - timedelta(30),
                                    due_on=today - timedelta(days=2))
    far = services.deadline_create(actor=coordinator_user, person_id=person.pk,
                                   title="Evaluate shelter", due_on=today + timedelta(days=20))
    other = make_person(police_officer)
    police_task = services.deadline_create(actor=police_officer, person_id=other.pk,
                                           title="Hear witness", due_on=today + timedelta(days=1))
    return soon, late, far, police_task


def test_remind_lists_per_organisation_what_falls_due_within_seven_days(due_soon,
                                                                        coordinator_user):
    soon, late, far, police_task = due_soon
    output = run("deadlines", "remind")
    assert coordinator_user.organisation.name in output
    assert "Ask IND about other grounds" in output and "3 day(s) left" in output
    assert "Send medical report" in output and "2 day(s) overdue" in output
    assert "Evaluate shelter" not in output
    assert "Hear witness" in output
    assert "Maria" not in output  # numbers, not names
    assert AuditEvent.objects.filter(action="deadline.remind").count() == 3


def test_remind_takes_another_number_of_days(due_soon):
    assert "Evaluate shelter" in run("deadlines", "remind", "--days", "30")


def test_remind_mails_each_organisations_caseworkers(due_soon, coordinator_user,
                                                     police_officer):
    output = run("deadlines", "remind", "--mail")
    assert "Mailed 2 organisation(s)" in output
    by_recipient = {tuple(m.to): m for m in mail.outbox}
    assert set(by_recipient) == {(coordinator_user.email,), (police_officer.email,)}
    body = by_recipient[(coordinator_user.email,)].body
    assert "Ask IND about other grounds" in body and "Hear witness" not in body
    assert "Maria" not in body and "Ionescu" not in body


def test_remind_says_when_nothing_falls_due(db):
    assert "Nothing falls due" in run("deadlines", "remind")


def test_remind_refuses_a_bad_date():
    with pytest.raises(CommandError):
        call_command("deadlines", "remind", "--today", "tomorrow")


def test_escalate_marks_late_referrals_and_mails_the_national_coordinator(
        caseworker, person, coordinator_user, national_coordinator):
    referral = services.referral_propose(
        actor=caseworker, person_id=person.pk, purpose="care_coordination",
        to_organisation_id=coordinator_user.organisation_id,
        now=timezone.now() - timedelta(days=6))
    output = run("referrals", "escalate", "--mail")
    assert f"referral {referral.pk}" in output and "1 referral(s) escalated" in output
    assert Referral.objects.get(pk=referral.pk).escalated_at is not None
    assert [m.to for m in mail.outbox] == [[national_coordinator.email]]
    assert "Ionescu" not in mail.outbox[0].body
    assert "0 referral(s) escalated" in run("referrals", "escalate")


def test_expire_lets_old_unanswered_referrals_lapse(caseworker, person, coordinator_user):
    referral = services.referral_propose(
        actor=caseworker, person_id=person.pk, purpose="care_coordination",
        to_organisation_id=coordinator_user.organisation_id,
        now=timezone.now() - timedelta(days=40))
    assert "1 referral(s) expired" in run("referrals", "expire")
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.EXPIRED
