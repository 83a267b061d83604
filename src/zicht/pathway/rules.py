"""The deadline engine: every legal term and rule of the pathway, each in one function.

Pure functions of dates and codes — no database — so each rule is tested on its
own (tests/pathway/test_rules.py) and the services only persist what they say.
Sources: seed 000 (Eerste Kamer 35 876 B, answers on the referral mechanism and
footnotes 10–11), seed 001 (who registers, consent for police) and DOMAIN.md.

Note: django-rules imports every app's `rules` module at start-up; this one has
no side effects, so that is harmless.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import holidays
from django.utils import timezone
from django.utils.translation import gettext as _

from zicht.core.exceptions import ApplicationError

from .codes import CriminalCaseOutcome, DeadlineKind, ReferralPurpose, ResidenceStatus

REFLECTION_PERIOD_MONTHS = 3
DUBLIN_AANGIFTE_DECISION_WEEKS = 4
NON_TEMPORARY_AFTER_YEARS = 3
ADULT_AGE = 18


@dataclass(frozen=True)
class DeadlineSpec:
    """What a rule says should be on the calendar."""

    kind: str
    rule: str
    starts_on: date
    due_on: date | None


def add_months(day: date, months: int) -> date:
    """Same day `months` later; the 31st becomes the last day of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: date, years: int) -> date:
    """29 February becomes 28 February in a year that has none."""
    return add_months(day, 12 * years)


# --- Victim status ---------------------------------------------------------------

def may_decide_victim_status(*, organisation_kind: str, authorised_kinds: frozenset[str]) -> bool:
    """Only organisations of an authorised kind decide "identified" or "not a victim"
    (DOMAIN.md: "until an authorised organisation decides"). The kinds are configured
    in PATHWAY_VICTIM_STATUS_DECIDERS."""
    return organisation_kind in authorised_kinds


# --- Reflection period (bedenktijd) ------------------------------------------------

def reflection_period(*, residence_status: str, citizenships: list[str],
                      offered_on: date) -> DeadlineSpec:
    """Three months from the day police/KMar offer it, for a foreign victim without
    legal residence (seed 000: "een bedenktijd van drie maanden"). Dublin claimants
    get none: they have (temporary) lawful residence (seed 000, footnote 10)."""
    if residence_status == ResidenceStatus.DUBLIN_CLAIMANT:
        raise ApplicationError(
            _("Dublin claimants get no reflection period; the decision about an aangifte "
              "is due within 4 weeks instead."), field="residence_status")
    if residence_status != ResidenceStatus.NO_LEGAL_RESIDENCE:
        raise ApplicationError(
            _("A reflection period is only for a foreign national without legal residence; "
              "record the residence status first."), field="residence_status")
    if "NL" in citizenships:
        raise ApplicationError(
            _("A Dutch citizen gets no reflection period."), field="residence_status")
    return DeadlineSpec(DeadlineKind.REFLECTION_PERIOD, "reflection_period", offered_on,
                        add_months(offered_on, REFLECTION_PERIOD_MONTHS))


EXTENDABLE_KINDS = frozenset({DeadlineKind.REFLECTION_PERIOD, DeadlineKind.OTHER_GROUNDS_REVIEW,
                              DeadlineKind.TASK})


def extended_due_on(*, kind: str, current_due_on: date | None, new_due_on: date,
                    reason: str) -> date:
    """The reflection period (and a task) can be extended, always with a reason.
    Legal targets and eligibility dates cannot: a missed target must stay visible."""
    if kind not in EXTENDABLE_KINDS or current_due_on is None:
        raise ApplicationError(_("This deadline cannot be extended."), field="kind")
    if not (reason or "").strip():
        raise ApplicationError(_("Give the reason for the extension."), field="reason")
    if new_due_on <= current_due_on:
        raise ApplicationError(
            _("The new date must lie after the current one (%(current)s).")
            % {"current": current_due_on.isoformat()}, field="due_on")
    return new_due_on


# --- Dublin claimants ----------------------------------------------------------------

def dublin_aangifte_decision(*, residence_status: str, aangifte_on: date) -> DeadlineSpec | None:
    """Police and OM decide about a Dublin claimant's aangifte within a target of four
    (working) weeks (seed 000, footnote 10: "binnen een streeftermijn van vier werkweken")."""
    if residence_status != ResidenceStatus.DUBLIN_CLAIMANT:
        return None
    return DeadlineSpec(DeadlineKind.DUBLIN_AANGIFTE_DECISION, "dublin_aangifte_decision",
                        aangifte_on, aangifte_on + timedelta(weeks=DUBLIN_AANGIFTE_DECISION_WEEKS))


# --- B8 residence permit ---------------------------------------------------------------

def b8_permit(*, residence_status: str, aangifte_on: date) -> DeadlineSpec | None:
    """After an aangifte a victim without legal residence gets a temporary permit on
    ground B8/3 Vc, which runs while the criminal case runs: no due date (seed 000:
    "krijgt hij of zij … een tijdelijke verblijfsvergunning")."""
    if residence_status != ResidenceStatus.NO_LEGAL_RESIDENCE:
        return None
    return DeadlineSpec(DeadlineKind.B8_PERMIT, "b8_permit", aangifte_on, None)


def non_temporary_permit_from(*, aangifte_on: date, prosecuted_on: date | None,
                              convicted_on: date | None) -> date:
    """The day a non-temporary permit can be requested: when the OM prosecutes (seed 000:
    "Als het OM overgaat tot vervolging"), after a conviction (DOMAIN.md), or when the
    case has run more than three years — so the day after its third anniversary."""
    candidates = [add_years(aangifte_on, NON_TEMPORARY_AFTER_YEARS) + timedelta(days=1)]
    candidates += [d for d in (prosecuted_on, convicted_on) if d is not None]
    return max(min(candidates), aangifte_on)


def non_temporary_permit(*, residence_status: str, aangifte_on: date,
                         prosecuted_on: date | None = None,
                         convicted_on: date | None = None) -> DeadlineSpec | None:
    if residence_status != ResidenceStatus.NO_LEGAL_RESIDENCE:
        return None
    return DeadlineSpec(
        DeadlineKind.NON_TEMPORARY_PERMIT, "non_temporary_permit", aangifte_on,
        non_temporary_permit_from(aangifte_on=aangifte_on, prosecuted_on=prosecuted_on,
                                  convicted_on=convicted_on),
    )


@dataclass(frozen=True)
class CaseDecisionEffect:
    ends_b8_on: date | None
    ends_three_year_route: bool
    review: DeadlineSpec | None


def criminal_case_decision(*, outcome: str, decided_on: date,
                           review_days: int) -> CaseDecisionEffect:
    """What a decision in the criminal case does to the residence deadlines.

    A sepot ends the ground of the B8 permit and raises a task to look at other grounds
    (seed 000 and footnote 11: Vc B9/12); the case no longer runs, so the three-year
    route ends too. A final judgment also ends the case, hence the B8 ground; by then the
    non-temporary permit can be requested (prosecution came first)."""
    if outcome == CriminalCaseOutcome.SEPOT:
        review = DeadlineSpec(DeadlineKind.OTHER_GROUNDS_REVIEW, "sepot_other_grounds",
                              decided_on, decided_on + timedelta(days=review_days))
        return CaseDecisionEffect(decided_on, True, review)
    if outcome in (CriminalCaseOutcome.CONVICTED, CriminalCaseOutcome.ACQUITTED):
        return CaseDecisionEffect(decided_on, False, None)
    return CaseDecisionEffect(None, False, None)


# --- Minors -------------------------------------------------------------------------------

def is_minor(age: int | None) -> bool:
    """A person whose age is uncertain is treated as a minor (DOMAIN.md)."""
    return age is None or age < ADULT_AGE


def check_minor_referral(*, minor: bool, purpose: str, receiver_kind: str | None) -> None:
    """Minors go to child-specific shelter only: youth care / Beschermde Opvang (DOMAIN.md)."""
    if minor and purpose == ReferralPurpose.SHELTER and receiver_kind != "youth_care":
        raise ApplicationError(
            _("This person is (or may be) a minor: refer them for shelter to youth care "
              "(Beschermde Opvang) only."), field="to_organisation")


# --- Referrals ------------------------------------------------------------------------------

# Dutch public holidays (Nieuwjaarsdag, Pasen, Koningsdag, Bevrijdingsdag in lustrum years,
# Hemelvaart, Pinksteren, Kerst) from the `holidays` package, which follows the official calendar.
_DUTCH_HOLIDAYS = holidays.country_holidays("NL")


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _DUTCH_HOLIDAYS


def add_working_days(moment: datetime, days: int) -> datetime:
    """`days` working days later, same local time; weekends and Dutch public holidays do
    not count, and a referral made on such a day starts counting the next working
    morning."""
    local = timezone.localtime(moment)
    if not is_working_day(local.date()):
        while not is_working_day(local.date()):
            local += timedelta(days=1)
        local = local.replace(hour=0, minute=0, second=0, microsecond=0)
    added = 0
    while added < days:
        local += timedelta(days=1)
        if is_working_day(local.date()):
            added += 1
    return local


def referral_answer_due(*, proposed_at: datetime, urgent: bool, working_days: int,
                        urgent_hours: int) -> datetime:
    """An open referral must be answered within `working_days` working days, or
    `urgent_hours` hours when urgent; after that it is escalated to the national
    coordinator (issue: default 2 working days; 24 hours when urgent)."""
    if urgent:
        return proposed_at + timedelta(hours=urgent_hours)
    return add_working_days(proposed_at, working_days)


def referral_expires_at(*, proposed_at: datetime, expire_days: int) -> datetime:
    """An unanswered referral lapses after `expire_days` days and grants nothing."""
    return proposed_at + timedelta(days=expire_days)


# --- Display ---------------------------------------------------------------------------------

def days_left(*, due_on: date | None, today: date) -> int | None:
    """Days until the due date; negative when overdue, None for an open-ended period."""
    if due_on is None:
        return None
    return (due_on - today).days
