"""Restriction (GDPR art. 18): kept and counted, but out of every worklist and edit."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from tests.factories import make_signal
from zicht.core.exceptions import ConflictError, NotFound
from zicht.figures.counting import counted_rows
from zicht.pathway import services as pathway
from zicht.pathway.access import referrals_visible_to
from zicht.pathway.models import Referral
from zicht.pathway.selectors import deadlines_falling_due
from zicht.privacy import services
from zicht.registry.access import persons_visible_to
from zicht.registry.models import Person


def restrict(officer, person):  # type: ignore[no-untyped-def]
    return services.person_restrict(actor=officer, person_id=person.pk,
                                    legal_ground="art18_1_a", reference="AVG-2026-015")


def test_a_restricted_person_leaves_every_worklist(officer, caseworker, police_officer, story):  # type: ignore[no-untyped-def]
    assert deadlines_falling_due(today=dt.date(2030, 1, 1), days=60) != {}

    restrict(officer, story.person)

    assert not persons_visible_to(caseworker).filter(pk=story.person.pk).exists()
    assert not referrals_visible_to(police_officer).filter(person=story.person).exists()
    assert deadlines_falling_due(today=dt.date(2030, 1, 1), days=60) == {}


def test_a_restricted_persons_open_referral_is_not_escalated(officer, caseworker, police_officer,
                                                             story):  # type: ignore[no-untyped-def]
    referral = pathway.referral_propose(actor=caseworker, person_id=story.person.pk,
                                        purpose="care_coordination",
                                        to_organisation_id=police_officer.organisation_id)
    restrict(officer, story.person)

    later = referral.answer_due_at + dt.timedelta(days=1)
    assert pathway.referrals_escalate(now=later) == []
    Referral.objects.filter(pk=referral.pk).update(
        proposed_at=referral.proposed_at - dt.timedelta(days=365))
    assert pathway.referrals_expire(now=later) == 1


def test_a_restricted_person_cannot_be_changed(officer, caseworker, story):  # type: ignore[no-untyped-def]
    restrict(officer, story.person)

    with pytest.raises(NotFound):
        make_signal(caseworker, story.person, external_ref="later")


def test_a_restricted_person_keeps_their_data_and_is_still_counted(officer, story):  # type: ignore[no-untyped-def]
    before = counted_rows(start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31)).unit

    restrict(officer, story.person)

    person = Person.objects.get(pk=story.person.pk)
    assert person.identity["given_names"] == "Oana"
    assert counted_rows(start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31)).unit == before


def test_lifting_the_restriction_brings_the_person_back(officer, caseworker, story):  # type: ignore[no-untyped-def]
    restrict(officer, story.person)

    services.person_restriction_lift(actor=officer, person_id=story.person.pk)

    assert persons_visible_to(caseworker).filter(pk=story.person.pk).exists()


def test_restricting_twice_or_lifting_what_is_not_restricted_is_a_conflict(officer, story):  # type: ignore[no-untyped-def]
    with pytest.raises(ConflictError, match="not restricted"):
        services.person_restriction_lift(actor=officer, person_id=story.person.pk)
    restrict(officer, story.person)
    with pytest.raises(ConflictError, match="already restricted"):
        restrict(officer, story.person)


def test_an_erased_person_cannot_be_restricted(officer, story):  # type: ignore[no-untyped-def]
    services.person_erase(actor=officer, person_id=story.person.pk, legal_ground="art17_1_a")

    with pytest.raises(ConflictError, match="erased"):
        restrict(officer, story.person)


def test_the_command_line_restricts_and_lifts(officer, story):  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("privacy", "restrict", str(story.person.pk), "--actor", "fg-ngo",
                 "--ground", "art18_1_c", stdout=out)
    assert Person.objects.get(pk=story.person.pk).restricted_at is not None

    call_command("privacy", "lift", str(story.person.pk), "--actor", "fg-ngo", stdout=out)

    assert Person.objects.get(pk=story.person.pk).restricted_at is None
    assert "Lifted" in out.getvalue()
