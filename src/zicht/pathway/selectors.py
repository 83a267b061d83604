"""Every read of the pathway that applies permissions, with its audit row.

List pages cost the same number of queries whatever the number of rows: the
related rows come in with `select_related`, which persons the actor may name is
one query, and the audit rows for the page are one bulk insert.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet, Window
from django.utils import timezone

from zicht.audit.services import Entry, audit_record_many
from zicht.organisations.models import Organisation, User
from zicht.registry.access import access_person, persons_visible_to
from zicht.registry.models import Person

from . import rules
from .access import (
    access_claim,
    access_deadline,
    access_referral,
    claims_visible_to,
    deadlines_visible_to,
    is_national_coordinator,
    may_read_referral_note,
    referrals_visible_to,
)
from .codes import ReferralStatus
from .models import (
    CriminalCase,
    Deadline,
    Pathway,
    RedressClaim,
    Referral,
    Stage,
    VictimStatusDecision,
)

BOXES = ("incoming", "outgoing", "escalated")
ALL_SECTIONS = frozenset({"incoming", "outgoing", "escalated", "deadlines"})
REFERRAL_SECTIONS = frozenset({"incoming", "outgoing", "escalated"})


def person_is_minor(person: Person, today: date | None = None) -> bool:
    """Minor today, or of uncertain age (DOMAIN.md: an uncertain age counts as a minor).

    For the shelter matching and everywhere the UI marks a minor."""
    return rules.is_minor(person.age_on(today or timezone.localdate()))


@transaction.atomic
def audit_rows(*, actor: User, action: str, objects: Iterable[Any]) -> None:
    """One audit row per row shown: a list is a read of each person on it."""
    entries = [Entry(action, obj._meta.label_lower, obj.pk, obj.person_id) for obj in objects]
    audit_record_many(actor=actor, entries=entries)


# --- One person's pathway -------------------------------------------------------------------

@dataclass
class PathwayDetail:
    person: Person
    pathway: Pathway  # unsaved (all defaults) while nothing is recorded yet
    minor: bool
    today: date
    stages: list[Stage] = field(default_factory=list)
    decisions: list[VictimStatusDecision] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    criminal_cases: list[CriminalCase] = field(default_factory=list)
    claims: list[RedressClaim] = field(default_factory=list)

    @property
    def open_stages(self) -> list[Stage]:
        return [s for s in self.stages if s.ended_on is None]

    @property
    def guardian_missing(self) -> bool:
        return self.minor and not self.pathway.guardian_ciphertext


@transaction.atomic
def pathway_get(*, actor: User, person_id: int | str, today: date | None = None,
                now: datetime | None = None) -> PathwayDetail:
    """A person's whole pathway; reading it is on the audit record."""
    person = access_person(actor, person_id)
    today = today or timezone.localdate()
    pathway = (Pathway.objects.select_related("victim_status_organisation",
                                              "youth_care_organisation")
               .filter(person=person).first())
    detail = PathwayDetail(person=person, pathway=pathway or Pathway(person=person),
                           minor=person_is_minor(person, today), today=today)
    if pathway is not None:
        detail.stages = list(pathway.stages.select_related("responsible_organisation"))
        detail.decisions = list(pathway.decisions.select_related("organisation", "decided_by"))
        detail.deadlines = describe_deadlines(list(
            pathway.deadlines.select_related("responsible_organisation")
            .prefetch_related("extensions")
            .order_by(F("closed_on").desc(nulls_first=True), F("due_on").asc(nulls_last=True))
        ), today=today)
        detail.criminal_cases = list(pathway.criminal_cases.select_related("police_organisation"))
        detail.claims = list(pathway.claims.select_related("responsible_organisation",
                                                           "criminal_case"))
    referrals = list(referrals_visible_to(actor).filter(person=person).select_related(
        "person", "from_organisation", "to_organisation", "answered_by"))
    detail.referrals = describe_referrals(actor, referrals, now=now, visible={person.pk})
    audit_record_many(actor=actor, entries=[
        Entry("pathway.read", "registry.person", person.pk, person.pk)])
    return detail


# --- Referrals ----------------------------------------------------------------------------------

def referral_list(*, actor: User, box: str | None = None, status: str | None = None,
                  person_id: int | None = None, now: datetime | None = None
                  ) -> QuerySet[Referral]:
    """Referrals the actor may see. `box`: incoming, outgoing, or escalated (open and past
    their answer time, whether or not `zicht referrals escalate` has run yet)."""
    referrals = referrals_visible_to(actor).select_related(
        "person", "from_organisation", "to_organisation", "answered_by")
    org = actor.organisation_id
    if box == "incoming":
        referrals = referrals.filter(to_organisation_id=org)
    elif box == "outgoing":
        referrals = referrals.filter(from_organisation_id=org)
    elif box == "escalated":
        now = now or timezone.now()
        referrals = referrals.filter(status=ReferralStatus.PROPOSED).filter(
            Q(escalated_at__isnull=False) | Q(answer_due_at__lt=now))
    if status == "open":
        referrals = referrals.filter(status=ReferralStatus.PROPOSED)
    elif status:
        referrals = referrals.filter(status=status)
    if person_id is not None:
        referrals = referrals.filter(person_id=person_id)
    if status == "open" or box == "escalated":
        # Open referrals: the one to answer first, first.
        return referrals.order_by("answer_due_at", "pk")
    return referrals.order_by("-proposed_at", "-pk")


def _visible_person_ids(actor: User, person_ids: set[int]) -> set[int]:
    if not person_ids:
        return set()
    return set(persons_visible_to(actor).filter(pk__in=person_ids).order_by()
               .values_list("pk", flat=True))


def describe_referrals(actor: User, referrals: Sequence[Referral], *,
                       now: datetime | None = None, visible: set[int] | None = None,
                       today: date | None = None) -> list[Referral]:
    """Add what a list shows: the person's name where the actor may see it (otherwise
    their number only — a receiver learns the name when accepting), the age of the
    referral and whether its answer is overdue. One query at most, for any length."""
    now = now or timezone.now()
    today = today or timezone.localdate()
    if visible is None:
        visible = _visible_person_ids(actor, {r.person_id for r in referrals})
    for referral in referrals:
        person = referral.person
        shown = referral.person_id in visible
        overdue = bool(referral.status == ReferralStatus.PROPOSED and referral.answer_due_at
                       and referral.answer_due_at < now)
        extra = referral.__dict__  # shown-only attributes, not model fields
        extra["person_visible"] = shown
        extra["shown_note"] = referral.note if may_read_referral_note(
            actor, referral, person_visible=shown) else ""
        extra["person_label"] = (person.display_name or f"#{person.pk}") if shown else (
            f"#{person.pk}")
        extra["minor"] = person_is_minor(person, today)
        extra["age"] = (referral.closed_at or now) - referral.proposed_at
        extra["overdue"] = overdue
        extra["escalated"] = bool(referral.escalated_at or overdue)
        extra["incoming"] = referral.to_organisation_id == actor.organisation_id
    return list(referrals)


@transaction.atomic
def referral_get(*, actor: User, referral_id: int | str,
                 now: datetime | None = None) -> Referral:
    referral = access_referral(actor, referral_id)
    describe_referrals(actor, [referral], now=now)
    audit_record_many(actor=actor, entries=[
        Entry("referral.read", "pathway.referral", referral.pk, referral.person_id)])
    return referral


# --- Deadlines ------------------------------------------------------------------------------------

def deadline_list(*, actor: User, person_id: int | None = None, mine: bool = False,
                  include_closed: bool = False, due_within_days: int | None = None,
                  overdue: bool | None = None, kind: str | None = None,
                  today: date | None = None) -> QuerySet[Deadline]:
    """Deadlines of persons the actor may see; `mine`: those their organisation answers for."""
    today = today or timezone.localdate()
    deadlines = deadlines_visible_to(actor).select_related("person", "responsible_organisation")
    if person_id is not None:
        deadlines = deadlines.filter(person_id=person_id)
    if mine:
        deadlines = deadlines.filter(responsible_organisation_id=actor.organisation_id)
    if not include_closed:
        deadlines = deadlines.filter(closed_on__isnull=True)
    if due_within_days is not None:
        deadlines = deadlines.filter(due_on__lte=today + timedelta(days=due_within_days))
    if overdue is True:
        deadlines = deadlines.filter(due_on__lt=today)
    elif overdue is False:
        deadlines = deadlines.filter(Q(due_on__gte=today) | Q(due_on__isnull=True))
    if kind:
        deadlines = deadlines.filter(kind=kind)
    return deadlines.order_by(F("due_on").asc(nulls_last=True), "pk")


@transaction.atomic
def deadline_get(*, actor: User, deadline_id: int | str, today: date | None = None) -> Deadline:
    deadline = access_deadline(actor, deadline_id)
    describe_deadlines([deadline], today=today)
    audit_record_many(actor=actor, entries=[
        Entry("deadline.read", "pathway.deadline", deadline.pk, deadline.person_id)])
    return deadline


def describe_deadlines(deadlines: Sequence[Deadline], *, today: date | None = None,
                       with_person: bool = False) -> list[Deadline]:
    """Add days left and overdue; `with_person`: the person's name and minor flag too.
    Deadlines come from `deadline_list`, which shows only persons the actor may see,
    so the name needs no second check."""
    today = today or timezone.localdate()
    for deadline in deadlines:
        left = rules.days_left(due_on=deadline.due_on, today=today)
        overdue = deadline.closed_on is None and left is not None and left < 0
        extra = deadline.__dict__  # shown-only attributes, not model fields
        extra["days_left"] = left
        extra["overdue"] = overdue
        extra["days_overdue"] = -left if overdue and left is not None else 0
        if with_person:
            person = deadline.person
            extra["person_label"] = person.display_name or f"#{person.pk}"
            extra["minor"] = person_is_minor(person, today)
    return list(deadlines)


def deadlines_falling_due(*, today: date, days: int) -> dict[Organisation, list[Deadline]]:
    """Open deadlines due within `days` days (and those overdue), per responsible
    organisation — for `zicht deadlines remind`, which runs as the system."""
    # A restricted person's deadlines are not processed (GDPR art. 18): no reminders.
    rows = (Deadline.objects.filter(closed_on__isnull=True, due_on__isnull=False,
                                    due_on__lte=today + timedelta(days=days),
                                    person__restricted_at__isnull=True,
                                    person__erased_at__isnull=True)
            .select_related("responsible_organisation")
            .order_by("responsible_organisation__name", "due_on", "pk"))
    grouped: dict[Organisation, list[Deadline]] = defaultdict(list)
    for deadline in describe_deadlines(list(rows), today=today):
        grouped[deadline.responsible_organisation].append(deadline)
    return dict(grouped)


# --- Redress ------------------------------------------------------------------------------------

def claim_list(*, actor: User, person_id: int | None = None) -> QuerySet[RedressClaim]:
    claims = claims_visible_to(actor).select_related("responsible_organisation")
    if person_id is not None:
        claims = claims.filter(person_id=person_id)
    return claims.order_by("-filed_on", "-pk")


@transaction.atomic
def claim_get(*, actor: User, claim_id: int | str) -> RedressClaim:
    claim = access_claim(actor, claim_id)
    audit_record_many(actor=actor, entries=[
        Entry("redress.read", "pathway.redressclaim", claim.pk, claim.person_id)])
    return claim


# --- The worklist: referrals in and out, deadlines ---------------------------------------------

@dataclass
class Worklist:
    incoming: list[Referral]
    outgoing: list[Referral]
    escalated: list[Referral]
    deadlines: list[Deadline]
    incoming_count: int
    outgoing_count: int
    escalated_count: int
    deadline_count: int


@transaction.atomic
def worklist(*, actor: User, limit: int = 20, today: date | None = None,
             now: datetime | None = None, deadlines_mine: bool = True,
             sections: frozenset[str] = ALL_SECTIONS) -> Worklist:
    """What a caseworker has to act on: open referrals to and from their organisation
    (and, for the national coordinator, the escalated ones), and open deadlines.
    At most `limit` rows per section; the counts say how many there are in all."""
    now = now or timezone.now()
    today = today or timezone.localdate()
    incoming_qs = referral_list(actor=actor, box="incoming", status="open")
    outgoing_qs = referral_list(actor=actor, box="outgoing", status="open")
    escalated_qs = referral_list(actor=actor, box="escalated", now=now)
    deadlines_qs = deadline_list(actor=actor, mine=deadlines_mine, today=today).filter(
        due_on__isnull=False)
    incoming = list(incoming_qs[:limit]) if "incoming" in sections else []
    outgoing = list(outgoing_qs[:limit]) if "outgoing" in sections else []
    escalated: list[Referral] = []
    escalated_count = 0
    if "escalated" in sections and is_national_coordinator(actor):
        escalated = list(escalated_qs[:limit])
        escalated_count = escalated_qs.count()
    deadlines: list[Deadline] = []
    deadline_count = 0
    if "deadlines" in sections:
        # The total rides along with the page (a window count): the visibility rule is
        # the costly part of this query, so it runs once, not twice.
        deadlines = list(deadlines_qs.annotate(total=Window(Count("pk")))[:limit])
        deadline_count = deadlines[0].total if deadlines else 0  # type: ignore[attr-defined]
    referrals = incoming + outgoing + escalated
    describe_referrals(actor, referrals, now=now, today=today)
    describe_deadlines(deadlines, today=today, with_person=True)
    audit_record_many(actor=actor, entries=[
        *(Entry("referral.list", "pathway.referral", r.pk, r.person_id) for r in referrals),
        *(Entry("deadline.list", "pathway.deadline", d.pk, d.person_id) for d in deadlines),
    ])
    return Worklist(
        incoming=incoming, outgoing=outgoing, escalated=escalated, deadlines=deadlines,
        incoming_count=incoming_qs.count() if "incoming" in sections else 0,
        outgoing_count=outgoing_qs.count() if "outgoing" in sections else 0,
        escalated_count=escalated_count,
        deadline_count=deadline_count,
    )
