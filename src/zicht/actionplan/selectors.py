"""Every read of the programme monitor that applies permissions; reads of experts are audited."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from zicht.audit.services import Entry, audit_record_many
from zicht.core.exceptions import NotFound
from zicht.organisations.models import Organisation, Role, User
from zicht.pathway import selectors as pathway_selectors
from zicht.registry.codes import Form
from zicht.registry.models import Signal
from zicht.shelters import access as shelter_access
from zicht.shelters import selectors as shelter_selectors

from . import suppression
from .access import (
    access_assignment,
    access_expert,
    assignments_visible_to,
    expert_shown_on,
    experts_visible_to,
    may_manage_plan,
    parse_pk,
    require_may_read_plan,
)
from .codes import ActionStatus, RegionalRole
from .models import (
    Action,
    ActionLine,
    Assignment,
    Campaign,
    Expert,
    ExpertConsent,
    IndicatorValue,
    Milestone,
    ProgressReport,
    Region,
    RegionOrganisation,
    ReportingPeriod,
)

# --- The plan -----------------------------------------------------------------------------------


def _actions() -> QuerySet[Action]:
    return Action.objects.select_related("line").prefetch_related(
        "holders", Prefetch("milestones", queryset=Milestone.objects.order_by("due_on", "id")),
        "indicators")


def sort_actions(actions: Iterable[Action]) -> list[Action]:
    return sorted(actions, key=lambda a: a.sort_key)


def line_list(*, actor: User) -> list[ActionLine]:
    """Action lines with their actions in number order (`line.sorted_actions`)."""
    require_may_read_plan(actor)
    lines = list(ActionLine.objects.prefetch_related(Prefetch("actions", queryset=_actions())))
    for line in lines:
        line.sorted_actions = sort_actions(line.actions.all())  # type: ignore[attr-defined]
    return lines


def line_get(*, actor: User, line_id: int | str) -> ActionLine:
    require_may_read_plan(actor)
    line = ActionLine.objects.filter(pk=parse_pk(line_id)).first()
    if line is None:
        raise NotFound()
    return line


def action_list(*, actor: User, filters: dict[str, Any] | None = None) -> QuerySet[Action]:
    require_may_read_plan(actor)
    actions = _actions().order_by("line__number", "id")
    filters = filters or {}
    if filters.get("line"):
        actions = actions.filter(line__number=filters["line"])
    if filters.get("status"):
        actions = actions.filter(status=filters["status"])
    if filters.get("holder"):
        actions = actions.filter(holders=filters["holder"])
    return actions


def action_get(*, actor: User, action_id: int | str) -> Action:
    require_may_read_plan(actor)
    action = _actions().filter(pk=parse_pk(action_id)).first()
    if action is None:
        raise NotFound()
    return action


def milestone_get(*, actor: User, milestone_id: int | str) -> Milestone:
    require_may_read_plan(actor)
    milestone = Milestone.objects.filter(pk=parse_pk(milestone_id)).first()
    if milestone is None:
        raise NotFound()
    return milestone


def period_list(*, actor: User) -> QuerySet[ReportingPeriod]:
    require_may_read_plan(actor)
    return ReportingPeriod.objects.order_by("-year", "-half")


def period_get(*, actor: User, period: int | str) -> ReportingPeriod:
    """A period by id or by code ("2025-H1")."""
    require_may_read_plan(actor)
    text = str(period).strip().upper()
    found = (ReportingPeriod.objects.filter(code=text).first() if "-H" in text
             else ReportingPeriod.objects.filter(pk=parse_pk(text)).first())
    if found is None:
        raise NotFound()
    return found


def previous_period(period: ReportingPeriod) -> ReportingPeriod | None:
    return (ReportingPeriod.objects
            .filter(Q(year__lt=period.year) | Q(year=period.year, half__lt=period.half))
            .order_by("-year", "-half").first())


def current_period(today: date | None = None) -> ReportingPeriod | None:
    """The open period whose reporting date comes first from today, else the latest one."""
    today = today or timezone.localdate()
    open_periods = ReportingPeriod.objects.filter(closed_at__isnull=True)
    upcoming = open_periods.filter(reporting_due_on__gte=today).order_by("reporting_due_on").first()
    return upcoming or open_periods.order_by("-year", "-half").first() or (
        ReportingPeriod.objects.order_by("-year", "-half").first())


def report_list(*, actor: User, period: ReportingPeriod | None = None,
                action_id: int | None = None) -> QuerySet[ProgressReport]:
    require_may_read_plan(actor)
    reports = ProgressReport.objects.select_related(
        "action", "action__line", "period", "organisation", "submitted_by",
    ).prefetch_related(Prefetch("values", queryset=IndicatorValue.objects.select_related(
        "indicator")))
    if period is not None:
        reports = reports.filter(period=period)
    if action_id is not None:
        reports = reports.filter(action_id=action_id)
    return reports.order_by("-period__year", "-period__half", "action__line__number", "action_id")


def report_get(*, actor: User, report_id: int | str) -> ProgressReport:
    report = report_list(actor=actor).filter(pk=parse_pk(report_id)).first()
    if report is None:
        raise NotFound()
    return report


def actions_due_in(period: ReportingPeriod) -> QuerySet[Action]:
    """Actions that should report on a period: started by its end, not ended before it."""
    return _actions().filter(starts_on__lte=period.ends_on, ends_on__gte=period.starts_on)


@dataclass(frozen=True)
class MissingReport:
    action: Action
    holders: list[Organisation]


def missing_reports(*, actor: User, period: ReportingPeriod) -> list[MissingReport]:
    """Actions without a report for the period. The national coordinator and administrators
    see every one; a holder sees those of its own organisation."""
    require_may_read_plan(actor)
    rows = missing_reports_of(period)
    if may_manage_plan(actor):
        return rows
    return [row for row in rows if any(h.pk == actor.organisation_id for h in row.holders)]


def missing_reports_of(period: ReportingPeriod) -> list[MissingReport]:
    """Every action without a report for the period (for reminders sent by the system)."""
    reported = ProgressReport.objects.filter(period=period).values("action_id")
    actions = actions_due_in(period).exclude(pk__in=reported)
    return [MissingReport(action, list(action.holders.all())) for action in sort_actions(actions)]


# --- Campaigns ----------------------------------------------------------------------------------

CAMPAIGN_FILTERS = ("year", "target_group", "form", "language", "channel", "organisation",
                    "measured")


def _json_contains(queryset: QuerySet[Campaign], column: str, code: str) -> QuerySet[Campaign]:
    # JSON lists of short codes: a quoted match works alike on SQLite and PostgreSQL.
    return queryset.filter(**{f"{column}__icontains": f'"{code}"'})


def campaign_list(*, actor: User, filters: dict[str, Any] | None = None) -> QuerySet[Campaign]:
    require_may_read_plan(actor)
    campaigns = Campaign.objects.all()
    filters = filters or {}
    if filters.get("year"):
        campaigns = campaigns.filter(starts_on__year=filters["year"])
    if filters.get("year_from"):
        campaigns = campaigns.filter(starts_on__year__gte=filters["year_from"])
    if filters.get("year_to"):
        campaigns = campaigns.filter(starts_on__year__lte=filters["year_to"])
    for name, column in (("target_group", "target_groups"), ("form", "forms"),
                         ("language", "languages"), ("channel", "channels")):
        if filters.get(name):
            campaigns = _json_contains(campaigns, column, str(filters[name]))
    if filters.get("organisation"):
        campaigns = campaigns.filter(organisation_name__icontains=filters["organisation"])
    if filters.get("measured") is True:
        campaigns = campaigns.exclude(measured_effect="")
    elif filters.get("measured") is False:
        campaigns = campaigns.filter(measured_effect="")
    return campaigns.order_by("-starts_on", "id")


def campaign_get(*, actor: User, campaign_id: int | str) -> Campaign:
    campaign = campaign_list(actor=actor).filter(pk=parse_pk(campaign_id)).first()
    if campaign is None:
        raise NotFound()
    return campaign


@dataclass(frozen=True)
class CampaignCount:
    year: int
    target_group: str
    campaigns: int


def campaign_counts(campaigns: Iterable[Campaign]) -> list[CampaignCount]:
    """Campaigns per start year and target group. A campaign for two groups counts in both,
    so the counts of a year can add up to more than its campaigns."""
    counts: Counter[tuple[int, str]] = Counter()
    for campaign in campaigns:
        for group in campaign.target_groups:
            counts[(campaign.starts_on.year, group)] += 1
    return [CampaignCount(year, group, n) for (year, group), n in sorted(counts.items())]


# --- Regions ------------------------------------------------------------------------------------

def region_list(*, actor: User, kind: str | None = None) -> QuerySet[Region]:
    require_may_read_plan(actor)
    regions = Region.objects.all()
    if kind:
        regions = regions.filter(kind=kind)
    return regions.order_by("kind", "name")


def region_get(*, actor: User, region_id: int | str) -> Region:
    region = region_list(actor=actor).filter(pk=parse_pk(region_id)).first()
    if region is None:
        raise NotFound()
    return region


@dataclass
class FigureRow:
    label: str
    cells: list[str]
    total: str


@dataclass
class RegionPage:
    region: Region
    members: dict[str, list[RegionOrganisation]]
    seated: list[Organisation]
    # Shelter places: None when the shelters module is absent or the actor may not see them.
    capacity: dict[str, int] | None = None
    open_referrals: str | None = None
    referral_scope: str = ""
    figure_years: list[int] = field(default_factory=list)
    figure_rows: list[FigureRow] = field(default_factory=list)
    signals_total: str = ""

    @property
    def care_coordinators(self) -> list[RegionOrganisation]:
        return self.members.get(RegionalRole.CARE_COORDINATOR, [])

    @property
    def desks(self) -> list[RegionOrganisation]:
        return (self.members.get(RegionalRole.REPORTING_DESK, [])
                + self.members.get(RegionalRole.KNOWLEDGE_CENTRE, []))


def _shelter_capacity(actor: User, municipalities: Sequence[str]) -> dict[str, int] | None:
    """Places in the region's shelters, through the shelters module's own selector."""
    if not shelter_access.may_view_capacity(actor):
        return None
    shelters = shelter_selectors.shelter_list(actor=actor).filter(municipality__in=municipalities)
    capacity = sum(s.capacity for s in shelters)
    occupied = sum(s.occupied for s in shelters)
    return {"shelters": len(shelters), "capacity": capacity, "free": max(0, capacity - occupied)}


def _open_referrals(actor: User, organisation_ids: Sequence[int]) -> tuple[str | None, str]:
    """Open referrals to the region's organisations, through the pathway's own selector: so
    only referrals the actor may see are counted, and the page says so."""
    if not actor.sees_person_content:
        return None, ""
    referrals = pathway_selectors.referral_list(actor=actor, status="open").filter(
        to_organisation_id__in=organisation_ids)
    scope = "all" if actor.role == Role.NATIONAL_COORDINATOR else "own"
    return suppression.suppress(referrals.count()), scope


def _signal_figures(page: RegionPage, municipalities: Sequence[str], today: date) -> None:
    """Signals from the region's municipalities per form of exploitation and year: aggregates
    over the whole registry, never a person, every cell suppressed below five."""
    years = list(range(today.year - 4, today.year + 1))
    rows = (Signal.objects.filter(municipality__in=municipalities,
                                  signalled_on__year__gte=years[0])
            .values_list("signalled_on__year", "forms"))
    by_form: dict[str, Counter[int]] = {form: Counter() for form in Form.values}
    per_year: Counter[int] = Counter()
    for year, forms in rows:
        per_year[year] += 1
        for form in forms or []:
            if form in by_form:
                by_form[form][year] += 1
    page.figure_years = years
    for form, label in Form.choices:
        counts = {year: by_form[form][year] for year in years}
        if not any(counts.values()):
            continue
        cells = suppression.suppress_row(counts)
        page.figure_rows.append(FigureRow(str(label), [cells[y] for y in years],
                                          suppression.suppress(sum(counts.values()))))
    page.signals_total = suppression.suppress(sum(per_year.values()))


def region_page(*, actor: User, region_id: int | str, today: date | None = None) -> RegionPage:
    region = region_get(actor=actor, region_id=region_id)
    today = today or timezone.localdate()
    members: dict[str, list[RegionOrganisation]] = {}
    for member in region.members.select_related("organisation"):
        members.setdefault(member.role, []).append(member)
    linked = {m.organisation_id for group in members.values() for m in group}
    seated = list(Organisation.objects.filter(municipality__in=region.municipalities)
                  .exclude(pk__in=linked).order_by("name"))
    page = RegionPage(region=region, members=members, seated=seated)
    organisation_ids = list(linked | {o.pk for o in seated})
    page.capacity = _shelter_capacity(actor, region.municipalities)
    page.open_referrals, page.referral_scope = _open_referrals(actor, organisation_ids)
    _signal_figures(page, region.municipalities, today)
    return page


# --- Experts by experience ----------------------------------------------------------------------

def expert_list(*, actor: User, filters: dict[str, Any] | None = None) -> QuerySet[Expert]:
    """Experts the actor may see, filtered; audit the page shown with `audit_experts_shown`."""
    experts = experts_visible_to(actor).prefetch_related("regions")
    filters = filters or {}
    if filters.get("expertise"):
        experts = experts.filter(expertise__icontains=f'"{filters["expertise"]}"')
    if filters.get("language"):
        experts = experts.filter(languages__icontains=f'"{filters["language"]}"')
    if filters.get("region"):
        experts = experts.filter(regions=filters["region"])
    if filters.get("availability"):
        experts = experts.filter(availability=filters["availability"])
    return experts.order_by("id")


@transaction.atomic
def audit_experts_shown(*, actor: User, experts: Iterable[Expert], action: str = "expert.list"
                        ) -> None:
    """Showing an expert in a list is a read of their data: one audit row each."""
    audit_record_many(actor=actor, entries=[
        Entry(action, "actionplan.expert", expert.pk) for expert in experts])


@transaction.atomic
def expert_get(*, actor: User, expert_id: int | str) -> Expert:
    expert = access_expert(actor, expert_id)
    audit_record_many(actor=actor, entries=[Entry("expert.read", "actionplan.expert", expert.pk)])
    return expert


def expert_consents(*, actor: User, expert: Expert) -> QuerySet[ExpertConsent]:
    """The expert's consent statements; `expert` comes from `expert_get`, already audited."""
    access_expert(actor, expert.pk)
    return expert.consents.select_related("assignment").order_by("-created_at", "-id")


def expert_assignments(*, actor: User, expert: Expert) -> QuerySet[Assignment]:
    access_expert(actor, expert.pk)
    return assignments_visible_to(actor).filter(expert=expert).select_related("organisation")


def assignment_list(*, actor: User, status: str | None = None) -> QuerySet[Assignment]:
    assignments = assignments_visible_to(actor).select_related("organisation", "expert", "action")
    if status:
        assignments = assignments.filter(status=status)
    return assignments.annotate(feedback_count=Count("feedback"))


@transaction.atomic
def assignment_get(*, actor: User, assignment_id: int | str) -> Assignment:
    """One assignment; showing its expert is a read of the expert's data, so audited."""
    assignment = access_assignment(actor, assignment_id)
    entries = [Entry("assignment.read", "actionplan.assignment", assignment.pk)]
    if expert_shown_on(actor, assignment):
        entries.append(Entry("expert.read", "actionplan.expert", assignment.expert_id,
                             detail={"assignment": assignment.pk}))
    audit_record_many(actor=actor, entries=entries)
    return assignment


def status_counts(statuses: Iterable[str]) -> dict[str, int]:
    counts = Counter(statuses)
    return {status: counts.get(status, 0) for status in ActionStatus.values}
