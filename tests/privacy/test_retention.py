"""Retention: a dry run lists, --apply anonymises, a second run finds nothing."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from tests.factories import make_person, make_signal
from zicht.audit.models import AuditEvent
from zicht.audit.selectors import verify_chain
from zicht.privacy import services
from zicht.privacy.models import PrivacyRequest
from zicht.privacy.retention import (
    ANONYMOUS_SIGNAL,
    CLOSED_CASE,
    UNFOLLOWED_SIGNAL,
    retention_apply,
    years_before,
)
from zicht.registry.models import Person
from zicht.wegwijzer.models import AnonymousSignal
from zicht.wegwijzer.services import anonymous_signal_add, anonymous_signal_submit

# The story's case was closed on 2025-06-01; these dates put it either side of 7 years.
EXPIRED = dt.date(2032, 6, 2)
NOT_YET = dt.date(2032, 5, 31)


@pytest.fixture
def old_signal_only(caseworker):  # type: ignore[no-untyped-def]
    """A person signalled in 2019 whom nobody followed up: no pathway, referral or placement."""
    person = make_person(caseworker, given_names="Ilse", family_name="Nooit-Gezien")
    make_signal(caseworker, person, signalled_on=dt.date(2019, 1, 10), narrative="Ilse at a bar")
    return person


@pytest.fixture
def anonymous(db):  # type: ignore[no-untyped-def]
    submitted = anonymous_signal_submit(reporter="worried", forms=["labour"], indicators=[],
                                        municipality="GM0363", happened="week",
                                        narrative="My neighbour Petra works nights",
                                        contact="petra@example.org")
    return submitted


def run(apply: bool, today: dt.date = EXPIRED):  # type: ignore[no-untyped-def]
    now = timezone.make_aware(dt.datetime.combine(today, dt.time(12)))
    return retention_apply(apply=apply, today=today, now=now)


def test_a_dry_run_lists_what_expired_and_changes_nothing(story, old_signal_only):  # type: ignore[no-untyped-def]
    events = AuditEvent.objects.count()

    report = run(apply=False)

    assert report.kinds[CLOSED_CASE].expired == [story.person.pk]
    # The police's own record of Oana: one signal in 2025, never followed up.
    assert report.kinds[UNFOLLOWED_SIGNAL].expired == [story.other.pk, old_signal_only.pk]
    assert not Person.objects.filter(erased_at__isnull=False).exists()
    assert AuditEvent.objects.count() == events


def test_a_case_closed_less_than_the_period_ago_is_kept(story):  # type: ignore[no-untyped-def]
    assert run(apply=False, today=NOT_YET).kinds[CLOSED_CASE].expired == []


def test_apply_anonymises_like_an_erasure_on_the_ground_of_retention(story, old_signal_only):  # type: ignore[no-untyped-def]
    run(apply=True)

    for person in (story.person, old_signal_only):
        person.refresh_from_db()
        assert person.erased_at is not None and person.identity == {}
    grounds = set(PrivacyRequest.objects.values_list("legal_ground", "actor"))
    assert grounds == {("retention", None)}
    assert AuditEvent.objects.filter(action="retention.apply").count() == 1
    assert verify_chain().ok


def test_a_second_run_finds_nothing(story, old_signal_only, anonymous):  # type: ignore[no-untyped-def]
    run(apply=True)
    events = AuditEvent.objects.count()

    again = run(apply=True)

    assert again.total == 0
    assert AuditEvent.objects.count() == events + 1  # only the run itself


def test_a_restricted_person_is_held(officer, story):  # type: ignore[no-untyped-def]
    services.person_restrict(actor=officer, person_id=story.person.pk, legal_ground="art18_1_c")

    report = run(apply=True)

    assert report.kinds[CLOSED_CASE].held == [{"id": story.person.pk, "reason": "restricted"}]
    assert Person.objects.get(pk=story.person.pk).erased_at is None


def test_anonymous_signals_lose_text_contact_and_receipt_but_keep_counts(anonymous):  # type: ignore[no-untyped-def]
    later = timezone.localdate() + dt.timedelta(days=366)

    report = run(apply=True, today=later)

    signal = AnonymousSignal.objects.get()
    assert report.kinds[ANONYMOUS_SIGNAL].expired == [signal.pk]
    assert (signal.data_key, signal.narrative, signal.contact) == ("", "", "")
    assert (signal.forms, signal.municipality) == (["labour"], "GM0363")
    with pytest.raises(Exception, match="do not know this code"):
        anonymous_signal_add(receipt_code=anonymous.receipt_code, text="more")


def test_a_kind_set_to_zero_is_switched_off(story):  # type: ignore[no-untyped-def]
    with override_settings(RETENTION_CLOSED_CASE_YEARS=0):
        assert CLOSED_CASE not in run(apply=False).kinds


def test_the_command_is_a_dry_run_unless_told(story, tmp_path):  # type: ignore[no-untyped-def]
    out = StringIO()
    report = tmp_path / "report.json"
    with override_settings(RETENTION_CLOSED_CASE_YEARS=1):
        call_command("retention", "apply", "--report", str(report), stdout=out)
        assert "Nothing changed" in out.getvalue()
        assert Person.objects.get(pk=story.person.pk).erased_at is None

        call_command("retention", "apply", "--apply", "--report", str(report), stdout=out)

    written = json.loads(report.read_text())
    assert written["applied"] is True
    assert written["kinds"][CLOSED_CASE]["expired"] == [story.person.pk]
    assert Person.objects.get(pk=story.person.pk).erased_at is not None


def test_years_before_a_leap_day_falls_on_the_28th():  # type: ignore[no-untyped-def]
    assert years_before(dt.date(2028, 2, 29), 1) == dt.date(2027, 2, 28)
