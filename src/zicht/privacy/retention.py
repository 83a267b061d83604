"""Retention: which records have outlived their purpose (GDPR art. 5(1)(e)), and ending them.

Three kinds, each with its own period from settings (environment, docs/privacy.md):

* closed cases — a person whose pathway was closed more than N years ago;
* signals never followed up — a person with no pathway, referral or placement whose
  newest signal is more than M years old;
* anonymous signals of the public guide received more than K days ago.

Persons are anonymised exactly as an erasure does (services._erase, ground
"retention"); anonymous signals lose their data key, texts and receipt code. A
restricted person is held (art. 18: kept for legal claims), and so is one still
in care (active placement, open referral). Already anonymised records are not
candidates, so a second run finds nothing: the run is idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zicht.audit.services import Entry, audit_record, audit_record_many
from zicht.core.exceptions import ApplicationError
from zicht.pathway.codes import CaseStatus
from zicht.pathway.models import Pathway, Referral
from zicht.registry.models import Person
from zicht.shelters.models import Placement
from zicht.wegwijzer.models import AnonymousSignal, AnonymousSignalAddition

from . import erasure
from .codes import LegalGround
from .services import anonymise_person, erasure_blockers

CLOSED_CASE = "closed_case"
UNFOLLOWED_SIGNAL = "unfollowed_signal"
ANONYMOUS_SIGNAL = "anonymous_signal"
KINDS = (CLOSED_CASE, UNFOLLOWED_SIGNAL, ANONYMOUS_SIGNAL)


@dataclass(frozen=True)
class Periods:
    closed_case_years: int
    unfollowed_signal_years: int
    anonymous_signal_days: int

    @classmethod
    def from_settings(cls) -> Periods:
        periods = cls(
            closed_case_years=int(getattr(settings, "RETENTION_CLOSED_CASE_YEARS", 7)),
            unfollowed_signal_years=int(getattr(settings, "RETENTION_UNFOLLOWED_SIGNAL_YEARS", 5)),
            anonymous_signal_days=int(getattr(settings, "RETENTION_ANONYMOUS_SIGNAL_DAYS", 365)),
        )
        for name, value in vars(periods).items():
            if value < 0:
                raise ApplicationError(_("A retention period cannot be negative."),
                                       field=f"RETENTION_{name.upper()}")
        return periods


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


@dataclass
class KindReport:
    period: str
    expired: list[int] = field(default_factory=list)
    held: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class RetentionReport:
    run_at: datetime
    today: date
    applied: bool
    kinds: dict[str, KindReport]

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_at": self.run_at.isoformat(), "today": self.today.isoformat(),
            "applied": self.applied,
            "kinds": {kind: {"period": r.period, "expired": r.expired, "held": r.held}
                      for kind, r in self.kinds.items()},
        }

    @property
    def total(self) -> int:
        return sum(len(r.expired) for r in self.kinds.values())


def _not_erased() -> QuerySet[Person]:
    return Person.objects.filter(erased_at__isnull=True)


def closed_cases(today: date, years: int) -> QuerySet[Person]:
    closed = Pathway.objects.filter(
        case_status__in=[CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED],
        case_closed_on__lte=years_before(today, years))
    return _not_erased().filter(pk__in=closed.values("person_id"))


def unfollowed_signals(today: date, years: int) -> QuerySet[Person]:
    followed = (Q(pk__in=Pathway.objects.values("person_id"))
                | Q(pk__in=Referral.objects.values("person_id"))
                | Q(pk__in=Placement.objects.values("person_id")))
    return (_not_erased().exclude(followed)
            .annotate(last_signal=Max("signals__signalled_on"))
            .filter(last_signal__lte=years_before(today, years)))


def anonymous_signals(now: datetime, days: int) -> QuerySet[AnonymousSignal]:
    return AnonymousSignal.objects.exclude(data_key="").filter(
        received_at__lte=now - timedelta(days=days))


def _persons(queryset: QuerySet[Person], report: KindReport) -> list[Person]:
    due = []
    for person in queryset.order_by("pk"):
        if person.restricted_at is not None:
            report.held.append({"id": person.pk, "reason": "restricted"})
        elif erasure_blockers(person):
            report.held.append({"id": person.pk, "reason": "in care"})
        else:
            due.append(person)
    report.expired = [p.pk for p in due]
    return due


def retention_apply(*, actor: Any = None, apply: bool = False, today: date | None = None,
                    now: datetime | None = None) -> RetentionReport:
    """What has expired; with `apply`, anonymise it. A dry run changes nothing."""
    periods = Periods.from_settings()
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    report = RetentionReport(run_at=now, today=today, applied=apply, kinds={})
    persons: dict[int, Person] = {}
    if periods.closed_case_years:
        kind = report.kinds[CLOSED_CASE] = KindReport(f"{periods.closed_case_years} years")
        persons.update({p.pk: p for p in _persons(
            closed_cases(today, periods.closed_case_years), kind)})
    if periods.unfollowed_signal_years:
        kind = report.kinds[UNFOLLOWED_SIGNAL] = KindReport(
            f"{periods.unfollowed_signal_years} years")
        persons.update({p.pk: p for p in _persons(
            unfollowed_signals(today, periods.unfollowed_signal_years), kind)})
    signals: list[int] = []
    if periods.anonymous_signal_days:
        kind = report.kinds[ANONYMOUS_SIGNAL] = KindReport(
            f"{periods.anonymous_signal_days} days")
        signals = kind.expired = list(anonymous_signals(
            now, periods.anonymous_signal_days).order_by("pk").values_list("pk", flat=True))
    if not apply:
        return report
    for person in persons.values():
        # One transaction per person: an interrupted run keeps what it did, and a
        # second run picks up the rest (erased persons are no candidates any more).
        with transaction.atomic():
            locked = Person.objects.select_for_update().get(pk=person.pk)
            # Looked at again under the lock: restricted, erased or taken into care since.
            if locked.restricted_at or locked.erased_at or erasure_blockers(locked):
                continue
            anonymise_person(locked, actor=actor, legal_ground=LegalGround.RETENTION,
                             reference="", today=today)
    with transaction.atomic():
        anonymous = AnonymousSignal.objects.select_for_update().filter(pk__in=signals)
        AnonymousSignalAddition.objects.filter(signal__in=anonymous).update(
            **erasure.ANONYMOUS_ADDITION_FIELDS)
        for signal in anonymous:
            # The receipt code is only kept as a hash; a marker that no code hashes to
            # makes the code unknown from now on.
            AnonymousSignal.objects.filter(pk=signal.pk).update(
                **erasure.ANONYMOUS_SIGNAL_FIELDS, receipt_hash=f"anonymised-{signal.pk}")
        audit_record_many(actor=actor, entries=[
            Entry("anonymous_signal.anonymise", "wegwijzer.anonymoussignal", pk)
            for pk in signals])
        audit_record(actor=actor, action="retention.apply", detail={
            kind: len(r.expired) for kind, r in report.kinds.items()})
    return report
