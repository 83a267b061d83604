"""Every write of the programme monitor. Keyword-only, actor named, atomic, audited.

A refused write changes nothing: the checks come first, and the transaction
takes any partial change back with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zicht.audit.services import Entry, audit_record, audit_record_many
from zicht.core.crypto import DataKey
from zicht.core.exceptions import ApplicationError, ConflictError, NotFound
from zicht.organisations.models import Organisation, Role, User
from zicht.registry.codes import Form
from zicht.registry.validation import clean_phone

from . import validation as v
from .access import (
    ORGANISATION_VOICE_ROLES,
    access_assignment,
    access_expert,
    access_expert_for_write,
    parse_pk,
    require_may_report_on,
    require_may_request_expert,
    require_plan_manager,
    require_pool_keeper,
)
from .codes import (
    GENERAL_FORM,
    ActionStatus,
    AssignmentStatus,
    Availability,
    Channel,
    ConsentState,
    ConsentUse,
    ExpertiseArea,
    FeeBasis,
    FeedbackFrom,
    IndicatorKind,
    RegionalRole,
    RegionKind,
    TargetGroup,
)
from .models import (
    Action,
    ActionLine,
    Assignment,
    Campaign,
    Expert,
    ExpertConsent,
    Feedback,
    Indicator,
    IndicatorValue,
    Milestone,
    ProgressReport,
    Region,
    RegionOrganisation,
    ReminderSent,
    ReportingPeriod,
)
from .selectors import missing_reports_of


def _today() -> date:
    return timezone.localdate()


def _get(model: type[Any], pk: Any, field: str) -> Any:
    """An object named in the input; an unknown id is a bad field, not a missing page."""
    try:
        return model.objects.get(pk=parse_pk(pk))
    except (NotFound, model.DoesNotExist):
        raise ApplicationError(_("No such item: %(id)s.") % {"id": pk}, field=field) from None


def _object(model: type[Any], pk: Any) -> Any:
    """The object a request is about; unknown is a 404."""
    obj = model.objects.filter(pk=parse_pk(pk)).first()
    if obj is None:
        raise NotFound()
    return obj


def _organisations(ids: Iterable[Any] | None, field: str, *, required: bool = False
                   ) -> list[Organisation]:
    if isinstance(ids, str | int) or ids is None and required:
        raise ApplicationError(_("Give a list of organisation ids."), field=field)
    organisations = [_get(Organisation, pk, field) for pk in dict.fromkeys(ids or [])]
    if required and not organisations:
        raise ApplicationError(_("Name at least one organisation."), field=field)
    return organisations


# --- Action lines and actions -------------------------------------------------------------------

@transaction.atomic
def action_line_create(*, actor: User, number: int, title: str, description: str = "") -> ActionLine:
    require_plan_manager(actor)
    if not isinstance(number, int) or not 1 <= number <= 99:
        raise ApplicationError(_("Give a line number from 1 to 99."), field="number")
    if ActionLine.objects.filter(number=number).exists():
        raise ConflictError(_("Action line %(n)s exists already.") % {"n": number}, field="number")
    line = ActionLine.objects.create(
        number=number, title=v.require_text(title, "title", max_length=200),
        description=v.clean_text(description, "description", max_length=5000))
    audit_record(actor=actor, action="actionline.create", obj=line)
    return line


@transaction.atomic
def action_line_update(*, actor: User, line_id: int, changes: dict[str, Any]) -> ActionLine:
    require_plan_manager(actor)
    line = _object(ActionLine, line_id)
    if "title" in changes:
        line.title = v.require_text(changes["title"], "title", max_length=200)
    if "description" in changes:
        line.description = v.clean_text(changes["description"], "description", max_length=5000)
    line.save()
    audit_record(actor=actor, action="actionline.update", obj=line,
                 detail={"fields": sorted(changes)})
    return line


def _check_action_dates(action: Action) -> None:
    if action.ends_on < action.starts_on:
        raise ApplicationError(_("The planned end lies before the start."), field="ends_on")
    late = action.milestones.filter(due_on__gt=action.ends_on).order_by("due_on").first() \
        if action.pk else None
    if late is not None:
        raise ApplicationError(
            _("Milestone “%(title)s” is due on %(due)s, after this planned end.")
            % {"title": late.title, "due": late.due_on.isoformat()}, field="ends_on")
    early = action.milestones.filter(due_on__lt=action.starts_on).order_by("due_on").first() \
        if action.pk else None
    if early is not None:
        raise ApplicationError(
            _("Milestone “%(title)s” is due on %(due)s, before this start.")
            % {"title": early.title, "due": early.due_on.isoformat()}, field="starts_on")


@transaction.atomic
def action_create(
    *, actor: User, line: int, number: str, title: str, starts_on: date, ends_on: date,
    holders: list[int], partners: list[str] | None = None, description: str = "",
    status: str | None = None,
) -> Action:
    require_plan_manager(actor)
    action_line = _get(ActionLine, line, "line")
    number = v.clean_action_number(number, line_number=action_line.number)
    if Action.objects.filter(number=number).exists():
        raise ConflictError(_("Action %(n)s exists already.") % {"n": number}, field="number")
    holder_organisations = _organisations(holders, "holders", required=True)
    action = Action(
        line=action_line, number=number,
        title=v.require_text(title, "title", max_length=300),
        description=v.clean_text(description, "description", max_length=5000),
        partners=v.clean_names(partners, "partners"),
        starts_on=starts_on, ends_on=ends_on,
        status=v.clean_choice(status, ActionStatus.values, "status", ActionStatus.NOT_STARTED),
    )
    _check_action_dates(action)
    action.save()
    action.holders.set(holder_organisations)
    audit_record(actor=actor, action="action.create", obj=action)
    return action


@transaction.atomic
def action_update(*, actor: User, action_id: int, changes: dict[str, Any]) -> Action:
    require_plan_manager(actor)
    action = _object(Action, action_id)
    if "title" in changes:
        action.title = v.require_text(changes["title"], "title", max_length=300)
    if "description" in changes:
        action.description = v.clean_text(changes["description"], "description", max_length=5000)
    if "partners" in changes:
        action.partners = v.clean_names(changes["partners"], "partners")
    if "starts_on" in changes:
        action.starts_on = changes["starts_on"]
    if "ends_on" in changes:
        action.ends_on = changes["ends_on"]
    if "status" in changes:
        action.status = v.clean_choice(changes["status"], ActionStatus.values, "status",
                                       action.status)
    _check_action_dates(action)
    if "holders" in changes:
        action.holders.set(_organisations(changes["holders"], "holders", required=True))
    action.save()
    audit_record(actor=actor, action="action.update", obj=action,
                 detail={"fields": sorted(changes)})
    return action


def _check_milestone(milestone: Milestone, action: Action) -> None:
    if milestone.due_on > action.ends_on:
        raise ApplicationError(
            _("The milestone is due after the action's planned end (%(end)s).")
            % {"end": action.ends_on.isoformat()}, field="due_on")
    if milestone.due_on < action.starts_on:
        raise ApplicationError(
            _("The milestone is due before the action starts (%(start)s).")
            % {"start": action.starts_on.isoformat()}, field="due_on")
    if milestone.reached_on and milestone.reached_on > _today():
        raise ApplicationError(_("A milestone cannot be reached in the future."),
                               field="reached_on")


@transaction.atomic
def milestone_create(*, actor: User, action_id: int, title: str, due_on: date,
                     reached_on: date | None = None) -> Milestone:
    require_plan_manager(actor)
    action = _object(Action, action_id)
    milestone = Milestone(action=action, title=v.require_text(title, "title", max_length=300),
                          due_on=due_on, reached_on=reached_on)
    _check_milestone(milestone, action)
    milestone.save()
    audit_record(actor=actor, action="milestone.create", obj=milestone)
    return milestone


@transaction.atomic
def milestone_update(*, actor: User, milestone_id: int, changes: dict[str, Any]) -> Milestone:
    milestone = _object(Milestone, milestone_id)
    action = milestone.action
    # A holder may mark its own milestone reached; only managers move or rename one.
    if set(changes) - {"reached_on"}:
        require_plan_manager(actor)
    else:
        require_may_report_on(actor, action)
    if "title" in changes:
        milestone.title = v.require_text(changes["title"], "title", max_length=300)
    if "due_on" in changes:
        milestone.due_on = changes["due_on"]
    if "reached_on" in changes:
        milestone.reached_on = changes["reached_on"]
    _check_milestone(milestone, action)
    milestone.save()
    audit_record(actor=actor, action="milestone.update", obj=milestone,
                 detail={"fields": sorted(changes)})
    return milestone


@transaction.atomic
def milestone_delete(*, actor: User, milestone_id: int) -> None:
    require_plan_manager(actor)
    milestone = _object(Milestone, milestone_id)
    pk = milestone.pk
    milestone.delete()
    audit_record_many(actor=actor, entries=[Entry("milestone.delete", "actionplan.milestone", pk)])


@transaction.atomic
def indicator_create(*, actor: User, action_id: int, code: str, name: str, kind: str,
                     unit: str = "") -> Indicator:
    require_plan_manager(actor)
    action = _object(Action, action_id)
    code = (code or "").strip()
    if not v.INDICATOR_CODE.match(code):
        raise ApplicationError(
            _("Use lower-case letters, digits and underscores, starting with a letter."),
            field="code")
    if action.indicators.filter(code=code).exists():
        raise ConflictError(_("This action has an indicator “%(code)s” already.") % {"code": code},
                            field="code")
    kind = v.clean_choice(kind, IndicatorKind.values, "kind", "")
    if not kind:
        raise ApplicationError(_("Say which type the indicator takes."), field="kind")
    indicator = Indicator.objects.create(
        action=action, code=code, name=v.require_text(name, "name", max_length=200), kind=kind,
        unit=v.clean_text(unit, "unit", max_length=40))
    audit_record(actor=actor, action="indicator.create", obj=indicator)
    return indicator


# --- Reporting periods and progress reports -----------------------------------------------------

@transaction.atomic
def period_create(*, actor: User, code: str, reporting_due_on: date | None = None
                  ) -> ReportingPeriod:
    require_plan_manager(actor)
    year, half = v.parse_period_code(code, field="code")
    code = f"{year}-H{half}"
    if ReportingPeriod.objects.filter(code=code).exists():
        raise ConflictError(_("Period %(code)s exists already.") % {"code": code}, field="code")
    starts_on, ends_on = v.period_bounds(year, half)
    # By default holders report two weeks before the half year ends, so the letter to
    # parliament can follow soon after it.
    due = reporting_due_on or date.fromordinal(ends_on.toordinal() - 14)
    if due < starts_on:
        raise ApplicationError(_("The reporting date lies before the period starts."),
                               field="reporting_due_on")
    period = ReportingPeriod.objects.create(code=code, year=year, half=half, starts_on=starts_on,
                                            ends_on=ends_on, reporting_due_on=due)
    audit_record(actor=actor, action="period.create", obj=period)
    return period


def get_period(code_or_id: Any, field: str = "period") -> ReportingPeriod:
    """A period by code ("2025-H1") or id; unknown is a bad field."""
    text = str(code_or_id or "").strip()
    if text.isdigit():
        return _get(ReportingPeriod, text, field)
    year, half = v.parse_period_code(text, field=field)
    period = ReportingPeriod.objects.filter(year=year, half=half).first()
    if period is None:
        raise ApplicationError(_("There is no reporting period %(code)s.")
                               % {"code": f"{year}-H{half}"}, field=field)
    return period


@transaction.atomic
def period_update(*, actor: User, period_id: int, changes: dict[str, Any]) -> ReportingPeriod:
    require_plan_manager(actor)
    period = _object(ReportingPeriod, period_id)
    if "reporting_due_on" in changes:
        due = changes["reporting_due_on"]
        if due < period.starts_on:
            raise ApplicationError(_("The reporting date lies before the period starts."),
                                   field="reporting_due_on")
        period.reporting_due_on = due
    if "closed" in changes:
        closed = bool(changes["closed"])
        if closed and not period.is_closed:
            period.closed_at, period.closed_by = timezone.now(), actor
        elif not closed:
            period.closed_at, period.closed_by = None, None
    period.save()
    audit_record(actor=actor, action="period.update", obj=period,
                 detail={"fields": sorted(changes)})
    return period


def _require_open(period: ReportingPeriod) -> None:
    if period.is_closed:
        raise ConflictError(
            _("Reporting period %(code)s is closed: its progress letter has gone out. "
              "Ask the national coordinator to reopen it for a correction.")
            % {"code": period.code}, field="period")


def _indicator_values(action: Action, values: list[dict[str, Any]] | None
                      ) -> list[tuple[Indicator, Decimal | None, str, str]]:
    """Check every value before anything is written; each error names its place."""
    if values is None:
        return []
    if not isinstance(values, list):
        raise ApplicationError(_("Give a list of indicator values."), field="indicator_values")
    indicators = {i.code: i for i in action.indicators.all()}
    seen: set[str] = set()
    cleaned = []
    for index, item in enumerate(values):
        where = f"indicator_values[{index}]"
        if not isinstance(item, dict):
            raise ApplicationError(_("Give an indicator, a value and a source."), field=where)
        code = str(item.get("indicator") or "")
        indicator = indicators.get(code)
        if indicator is None:
            known = ", ".join(indicators) or _("none")
            raise ApplicationError(
                _("Action %(action)s has no indicator “%(code)s”. Its indicators: %(known)s.")
                % {"action": action.number, "code": code, "known": known},
                field=f"{where}.indicator")
        if code in seen:
            raise ApplicationError(_("Indicator “%(code)s” is given twice.") % {"code": code},
                                   field=f"{where}.indicator")
        seen.add(code)
        number, text = v.clean_indicator_value(indicator.kind, item.get("value"),
                                               field=f"{where}.value", name=indicator.name)
        source = v.require_text(item.get("source"), f"{where}.source", max_length=300)
        cleaned.append((indicator, number, text, source))
    return cleaned


def _write_values(report: ProgressReport,
                  cleaned: list[tuple[Indicator, Decimal | None, str, str]]) -> None:
    for indicator, number, text, source in cleaned:
        IndicatorValue.objects.update_or_create(
            report=report, indicator=indicator,
            defaults={"value_number": number, "value_text": text, "source": source})


def _sync_action_status(action: Action) -> None:
    """The action's status is the one in its most recent report."""
    latest = action.reports.order_by("-period__year", "-period__half").first()
    if latest is not None and action.status != latest.status:
        action.status = latest.status
        action.save(update_fields=["status", "updated_at"])


@transaction.atomic
def progress_report_create(
    *, actor: User, action_id: int, period: str | int, status: str, text: str = "",
    indicator_values: list[dict[str, Any]] | None = None,
) -> ProgressReport:
    action = _get(Action, action_id, "action")
    require_may_report_on(actor, action)
    reporting_period = get_period(period)
    _require_open(reporting_period)
    if action.starts_on > reporting_period.ends_on:
        raise ApplicationError(
            _("Action %(action)s starts on %(start)s, after this period.")
            % {"action": action.number, "start": action.starts_on.isoformat()}, field="period")
    if ProgressReport.objects.filter(action=action, period=reporting_period).exists():
        raise ConflictError(
            _("Action %(action)s has a report for %(code)s already; change that one.")
            % {"action": action.number, "code": reporting_period.code}, field="period")
    status = v.clean_choice(status, ActionStatus.values, "status", "")
    if not status:
        raise ApplicationError(_("Give the action's status."), field="status")
    cleaned = _indicator_values(action, indicator_values)
    report = ProgressReport.objects.create(
        action=action, period=reporting_period, status=status,
        text=v.clean_text(text, "text", max_length=2000),
        organisation=actor.organisation, submitted_by=actor, submitted_at=timezone.now())
    _write_values(report, cleaned)
    _sync_action_status(action)
    audit_record(actor=actor, action="progress.create", obj=report,
                 detail={"action": action.number, "period": reporting_period.code})
    return report


@transaction.atomic
def progress_report_update(*, actor: User, report_id: int, changes: dict[str, Any]
                           ) -> ProgressReport:
    report = _object(ProgressReport, report_id)
    action = report.action
    require_may_report_on(actor, action)
    _require_open(report.period)
    if "status" in changes:
        report.status = v.clean_choice(changes["status"], ActionStatus.values, "status",
                                       report.status)
    if "text" in changes:
        report.text = v.clean_text(changes["text"], "text", max_length=2000)
    cleaned = _indicator_values(action, changes.get("indicator_values"))
    report.organisation, report.submitted_by = actor.organisation, actor
    report.save()
    _write_values(report, cleaned)
    _sync_action_status(action)
    audit_record(actor=actor, action="progress.update", obj=report,
                 detail={"fields": sorted(changes)})
    return report


@dataclass(frozen=True)
class ReminderOutcome:
    period: ReportingPeriod
    organisation: Organisation
    actions: list[str]
    recipients: int
    sent: bool


def _reminder_text(period: ReportingPeriod, organisation: Organisation,
                   actions: list[Action]) -> tuple[str, str]:
    subject = _("zicht: progress report %(code)s due on %(date)s") % {
        "code": period.code, "date": period.reporting_due_on.isoformat()}
    lines = "\n".join(f"  {a.number}  {a.title}" for a in actions)
    body = _("%(organisation)s holds these actions of the programme “Samen tegen "
             "mensenhandel”, and has not yet reported progress on them for %(code)s:\n\n"
             "%(lines)s\n\nPlease report by %(date)s in zicht, under Programme.\n") % {
        "organisation": organisation.name, "code": period.code, "lines": lines,
        "date": period.reporting_due_on.isoformat()}
    return subject, body


def reminders_send(*, today: date, days: int) -> list[ReminderOutcome]:
    """Mail each holder organisation that has not reported on an open period whose reporting
    date falls within `days` from today. One mail per organisation, period and day: a second
    run on the same day sends nothing again. Each mail and its record share a transaction."""
    outcomes: list[ReminderOutcome] = []
    horizon = date.fromordinal(today.toordinal() + days)
    periods = ReportingPeriod.objects.filter(closed_at__isnull=True, reporting_due_on__gte=today,
                                             reporting_due_on__lte=horizon)
    for period in periods.order_by("reporting_due_on"):
        by_organisation: dict[int, tuple[Organisation, list[Action]]] = {}
        for row in missing_reports_of(period):
            for holder in row.holders:
                by_organisation.setdefault(holder.pk, (holder, []))[1].append(row.action)
        for organisation, actions in by_organisation.values():
            numbers = [a.number for a in actions]
            recipients = sorted(set(User.objects.filter(
                organisation=organisation, is_active=True, role__in=ORGANISATION_VOICE_ROLES,
            ).exclude(email="").values_list("email", flat=True)))
            if not recipients or ReminderSent.objects.filter(
                    period=period, organisation=organisation, sent_on=today).exists():
                outcomes.append(ReminderOutcome(period, organisation, numbers, len(recipients),
                                                False))
                continue
            with transaction.atomic():
                reminder = ReminderSent.objects.create(period=period, organisation=organisation,
                                                       sent_on=today, recipients=len(recipients),
                                                       actions=numbers)
                audit_record(actor=None, action="programme.remind", obj=reminder,
                             detail={"period": period.code, "organisation": organisation.pk,
                                     "actions": numbers})
                subject, body = _reminder_text(period, organisation, actions)
                send_mail(subject=subject, message=body, from_email=settings.DEFAULT_FROM_EMAIL,
                          recipient_list=recipients)
            outcomes.append(ReminderOutcome(period, organisation, numbers, len(recipients), True))
    return outcomes


# --- Campaigns ----------------------------------------------------------------------------------

CAMPAIGN_FORMS = [GENERAL_FORM, *Form.values]


def _campaign_fields(fields: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    if "title" in fields:
        cleaned["title"] = v.require_text(fields["title"], "title", max_length=300)
    if "organisation_name" in fields:
        cleaned["organisation_name"] = v.require_text(fields["organisation_name"],
                                                      "organisation_name", max_length=200)
    if "target_groups" in fields:
        cleaned["target_groups"] = v.clean_codes(fields["target_groups"], TargetGroup.values,
                                                 "target_groups", required=True)
    if "forms" in fields:
        cleaned["forms"] = v.clean_codes(fields["forms"], CAMPAIGN_FORMS, "forms", required=True)
    if "languages" in fields:
        cleaned["languages"] = v.clean_languages(fields["languages"])
    if "channels" in fields:
        cleaned["channels"] = v.clean_codes(fields["channels"], Channel.values, "channels")
    for name in ("starts_on", "ends_on"):
        if name in fields:
            cleaned[name] = fields[name]
    if "reach" in fields:
        reach = fields["reach"]
        if reach is not None and (isinstance(reach, bool) or not isinstance(reach, int)
                                  or reach < 0):
            raise ApplicationError(_("Give the reach as a whole number, 0 or more."),
                                   field="reach")
        cleaned["reach"] = reach
    if "measured_effect" in fields:
        cleaned["measured_effect"] = v.clean_text(fields["measured_effect"], "measured_effect",
                                                  max_length=2000)
    return cleaned


def _check_campaign_dates(campaign: Campaign) -> None:
    if campaign.ends_on and campaign.ends_on < campaign.starts_on:
        raise ApplicationError(_("The campaign ends before it starts."), field="ends_on")


@transaction.atomic
def campaign_create(*, actor: User, **fields: Any) -> Campaign:
    require_plan_manager(actor)
    for required in ("title", "organisation_name", "target_groups", "forms", "starts_on"):
        if fields.get(required) in (None, "", []):
            raise ApplicationError(_("This field is required."), field=required)
    campaign = Campaign(created_by=actor, **_campaign_fields(fields))
    _check_campaign_dates(campaign)
    campaign.save()
    audit_record(actor=actor, action="campaign.create", obj=campaign)
    return campaign


@transaction.atomic
def campaign_update(*, actor: User, campaign_id: int, changes: dict[str, Any]) -> Campaign:
    require_plan_manager(actor)
    campaign = _object(Campaign, campaign_id)
    for name, value in _campaign_fields(changes).items():
        setattr(campaign, name, value)
    _check_campaign_dates(campaign)
    campaign.save()
    audit_record(actor=actor, action="campaign.update", obj=campaign,
                 detail={"fields": sorted(changes)})
    return campaign


@transaction.atomic
def campaign_delete(*, actor: User, campaign_id: int) -> None:
    require_plan_manager(actor)
    campaign = _object(Campaign, campaign_id)
    pk = campaign.pk
    campaign.delete()
    audit_record_many(actor=actor, entries=[Entry("campaign.delete", "actionplan.campaign", pk)])


# --- Regions ------------------------------------------------------------------------------------

def _region_fields(fields: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    if "kind" in fields:
        kind = v.clean_choice(fields["kind"], RegionKind.values, "kind", "")
        if not kind:
            raise ApplicationError(_("Say whether this is a safety or a care region."),
                                   field="kind")
        cleaned["kind"] = kind
    if "code" in fields:
        cleaned["code"] = v.require_text(fields["code"], "code", max_length=12).upper()
    if "name" in fields:
        cleaned["name"] = v.require_text(fields["name"], "name", max_length=120)
    if "coordinating_municipality" in fields:
        cleaned["coordinating_municipality"] = v.clean_municipality(
            fields["coordinating_municipality"], "coordinating_municipality")
    if "municipalities" in fields:
        codes = fields["municipalities"]
        if isinstance(codes, str) or not isinstance(codes, list | tuple):
            raise ApplicationError(_("Give a list of municipality codes."), field="municipalities")
        cleaned["municipalities"] = list(dict.fromkeys(
            v.clean_municipality(code, "municipalities") for code in codes))
    for name in ("riec", "safety_and_care_house"):
        if name in fields:
            cleaned[name] = v.clean_text(fields[name], name, max_length=200)
    return cleaned


def _check_region(region: Region) -> None:
    if region.coordinating_municipality not in region.municipalities:
        region.municipalities = [region.coordinating_municipality, *region.municipalities]
    clash = Region.objects.filter(kind=region.kind, code=region.code).exclude(pk=region.pk)
    if clash.exists():
        raise ConflictError(_("There is a region with this code already."), field="code")


@transaction.atomic
def region_create(*, actor: User, **fields: Any) -> Region:
    require_plan_manager(actor)
    for required in ("kind", "code", "name", "coordinating_municipality"):
        if fields.get(required) in (None, ""):
            raise ApplicationError(_("This field is required."), field=required)
    region = Region(**_region_fields({"municipalities": [], **fields}))
    _check_region(region)
    region.save()
    audit_record(actor=actor, action="region.create", obj=region)
    return region


@transaction.atomic
def region_update(*, actor: User, region_id: int, changes: dict[str, Any]) -> Region:
    require_plan_manager(actor)
    region = _object(Region, region_id)
    for name, value in _region_fields(changes).items():
        setattr(region, name, value)
    _check_region(region)
    region.save()
    audit_record(actor=actor, action="region.update", obj=region,
                 detail={"fields": sorted(changes)})
    return region


@transaction.atomic
def region_member_add(*, actor: User, region_id: int, organisation: int, role: str
                      ) -> RegionOrganisation:
    require_plan_manager(actor)
    region = _object(Region, region_id)
    member_organisation = _get(Organisation, organisation, "organisation")
    role = v.clean_choice(role, RegionalRole.values, "role", "")
    if not role:
        raise ApplicationError(_("Say which role the organisation has in the region."),
                               field="role")
    member, created = RegionOrganisation.objects.get_or_create(
        region=region, organisation=member_organisation, role=role)
    if not created:
        raise ConflictError(_("The organisation has this role in the region already."),
                            field="organisation")
    audit_record(actor=actor, action="region.member.add", obj=member,
                 detail={"region": region.pk, "organisation": member_organisation.pk,
                         "role": role})
    return member


@transaction.atomic
def region_member_remove(*, actor: User, region_id: int, member_id: int) -> None:
    require_plan_manager(actor)
    member = RegionOrganisation.objects.filter(pk=parse_pk(member_id),
                                               region_id=parse_pk(region_id)).first()
    if member is None:
        raise NotFound()
    pk = member.pk
    member.delete()
    audit_record_many(actor=actor, entries=[Entry("region.member.remove",
                                                  "actionplan.regionorganisation", pk)])


# --- Experts by experience ----------------------------------------------------------------------

def _identity(*, name: str, email: str = "", phone: str = "") -> dict[str, str]:
    email = v.clean_text(email, "email", max_length=254)
    if email and ("@" not in email or " " in email):
        raise ApplicationError(_("Give an e-mail address like name@example.org."), field="email")
    return {
        "name": v.require_text(name, "name", max_length=200),
        "email": email,
        "phone": clean_phone(phone),
    }


def _expert_fields(fields: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    if "expertise" in fields:
        cleaned["expertise"] = v.clean_codes(fields["expertise"], ExpertiseArea.values,
                                             "expertise", required=True)
    if "languages" in fields:
        cleaned["languages"] = v.clean_languages(fields["languages"])
    if "availability" in fields:
        cleaned["availability"] = v.clean_choice(fields["availability"], Availability.values,
                                                 "availability", Availability.AVAILABLE)
    if "hours_per_month" in fields:
        hours = fields["hours_per_month"]
        if hours is not None and (isinstance(hours, bool) or not isinstance(hours, int)
                                  or not 0 <= hours <= 200):
            raise ApplicationError(_("Give hours per month from 0 to 200."),
                                   field="hours_per_month")
        cleaned["hours_per_month"] = hours
    if "fee_basis" in fields:
        basis = v.clean_choice(fields["fee_basis"], FeeBasis.values, "fee_basis", "")
        if not basis:
            raise ApplicationError(_("Record the fee agreement."), field="fee_basis")
        cleaned["fee_basis"] = basis
    if "fee_rate_eur" in fields:
        cleaned["fee_rate_eur"] = v.clean_money(fields["fee_rate_eur"], "fee_rate_eur")
    if "fee_agreed_on" in fields:
        agreed = fields["fee_agreed_on"]
        if agreed and agreed > _today():
            raise ApplicationError(_("The agreement date lies in the future."),
                                   field="fee_agreed_on")
        cleaned["fee_agreed_on"] = agreed
    return cleaned


def _regions(ids: Any) -> list[Region]:
    if isinstance(ids, str | int):
        raise ApplicationError(_("Give a list of region ids."), field="regions")
    return [_get(Region, pk, "regions") for pk in dict.fromkeys(ids or [])]


def _consent_date(value: date | None, field: str) -> date:
    if value is None:
        raise ApplicationError(
            _("Record the date on which the expert gave explicit consent for this use."),
            field=field)
    if value > _today():
        raise ApplicationError(_("The consent date lies in the future."), field=field)
    return value


@transaction.atomic
def expert_create(*, actor: User, name: str, email: str = "", phone: str = "",
                  expertise: list[str], languages: list[str] | None = None,
                  regions: list[int] | None = None, availability: str | None = None,
                  hours_per_month: int | None = None, fee_basis: str,
                  fee_rate_eur: Any = None, fee_agreed_on: date | None = None,
                  pool_consent_on: date | None = None) -> Expert:
    """Add an expert to the pool; that needs their explicit consent to be in it."""
    require_pool_keeper(actor)
    consented_on = _consent_date(pool_consent_on, "pool_consent_on")
    identity = _identity(name=name, email=email, phone=phone)
    fields = _expert_fields({
        "expertise": expertise, "languages": languages, "availability": availability,
        "hours_per_month": hours_per_month, "fee_basis": fee_basis,
        "fee_rate_eur": fee_rate_eur, "fee_agreed_on": fee_agreed_on,
    })
    region_list = _regions(regions)
    key = DataKey.generate()
    expert = Expert.objects.create(
        data_key=key.wrapped, identity_ciphertext=key.encrypt_json(identity),
        consent_pool=ConsentState.GIVEN, created_by=actor, **fields)
    expert.regions.set(region_list)
    consent = ExpertConsent.objects.create(
        expert=expert, use=ConsentUse.POOL, state=ConsentState.GIVEN, recorded_on=consented_on,
        recorded_by=actor)
    audit_record_many(actor=actor, entries=[
        Entry("expert.create", "actionplan.expert", expert.pk),
        Entry("expert.consent", "actionplan.expertconsent", consent.pk,
              detail={"expert": expert.pk, "use": ConsentUse.POOL, "state": ConsentState.GIVEN}),
    ])
    return expert


@transaction.atomic
def expert_update(*, actor: User, expert_id: int, changes: dict[str, Any]) -> Expert:
    expert = access_expert_for_write(actor, expert_id)
    if set(changes) & {"name", "email", "phone"}:
        current = {**expert.identity}
        current.update({k: changes[k] for k in ("name", "email", "phone") if k in changes})
        identity = _identity(name=current.get("name", ""), email=current.get("email", ""),
                             phone=current.get("phone", ""))
        expert.identity_ciphertext = DataKey(expert.data_key).encrypt_json(identity)
        expert.__dict__.pop("identity", None)
    for name, value in _expert_fields(changes).items():
        setattr(expert, name, value)
    if "regions" in changes:
        expert.regions.set(_regions(changes["regions"]))
    expert.save()
    audit_record(actor=actor, action="expert.update", obj=expert,
                 detail={"fields": sorted(changes)})
    return expert


def current_consent(expert: Expert, use: str, assignment: Assignment | None = None) -> str:
    newest = expert.consents.filter(use=use, assignment=assignment).order_by(
        "-created_at", "-id").first()
    return newest.state if newest else ConsentState.UNKNOWN


@transaction.atomic
def expert_consent_record(*, actor: User, expert_id: int, use: str, state: str,
                          recorded_on: date | None = None, assignment: int | None = None
                          ) -> ExpertConsent:
    """Record one consent statement; a withdrawal takes effect at once."""
    expert = access_expert_for_write(actor, expert_id)
    use = v.clean_choice(use, ConsentUse.values, "use", "")
    if not use:
        raise ApplicationError(_("Say which use of their data this consent is for."), field="use")
    state = v.clean_choice(state, [ConsentState.GIVEN, ConsentState.REFUSED,
                                   ConsentState.WITHDRAWN], "state", "")
    if not state:
        raise ApplicationError(_("Say whether consent was given, refused or withdrawn."),
                               field="state")
    recorded = _consent_date(recorded_on or _today(), "recorded_on")
    linked: Assignment | None = None
    if use == ConsentUse.ASSIGNMENT:
        if assignment is None:
            raise ApplicationError(_("Name the assignment this consent is for."),
                                   field="assignment")
        linked = _get(Assignment, assignment, "assignment")
        if linked.expert_id != expert.pk:
            raise ApplicationError(_("This expert is not on that assignment."),
                                   field="assignment")
    elif assignment is not None:
        raise ApplicationError(_("Only consent for an assignment names an assignment."),
                               field="assignment")
    consent = ExpertConsent.objects.create(expert=expert, use=use, assignment=linked, state=state,
                                           recorded_on=recorded, recorded_by=actor)
    if use == ConsentUse.POOL:
        Expert.objects.filter(pk=expert.pk).update(consent_pool=state)
    if linked is not None:
        Assignment.objects.filter(pk=linked.pk).update(consent_state=state)
    audit_record(actor=actor, action="expert.consent", obj=consent,
                 detail={"expert": expert.pk, "use": use, "state": state})
    return consent


@transaction.atomic
def expert_erase(*, actor: User, expert_id: int) -> None:
    """Erase an expert on their request: the record goes, and with it the data key, so
    feedback texts encrypted with it can no longer be read anywhere."""
    expert = access_expert_for_write(actor, expert_id)
    pk = expert.pk
    Feedback.objects.filter(assignment__expert=expert).update(text_ciphertext="")
    expert.delete()
    audit_record_many(actor=actor, entries=[Entry("expert.erase", "actionplan.expert", pk)])


@transaction.atomic
def assignment_request(*, actor: User, title: str, starts_on: date, description: str = "",
                       expertise_needed: list[str] | None = None,
                       languages_needed: list[str] | None = None, ends_on: date | None = None,
                       action: int | None = None) -> Assignment:
    """An organisation asks the pool for an expert; the coordinator matches one."""
    require_may_request_expert(actor)
    assignment = Assignment(
        organisation=actor.organisation, requested_by=actor,
        title=v.require_text(title, "title", max_length=200),
        description=v.clean_text(description, "description", max_length=4000),
        expertise_needed=v.clean_codes(expertise_needed, ExpertiseArea.values,
                                       "expertise_needed"),
        languages_needed=v.clean_languages(languages_needed),
        starts_on=starts_on, ends_on=ends_on,
        action=_get(Action, action, "action") if action is not None else None,
    )
    if ends_on and ends_on < starts_on:
        raise ApplicationError(_("The assignment ends before it starts."), field="ends_on")
    assignment.save()
    audit_record(actor=actor, action="assignment.request", obj=assignment)
    return assignment


@transaction.atomic
def assignment_assign(*, actor: User, assignment_id: int, expert: int,
                      consent_recorded_on: date | None = None, hours: Any = None,
                      fee_eur: Any = None) -> Assignment:
    """Match an expert to a request. Their explicit consent to share their name and contact
    details with this organisation is recorded with it: without it, no match."""
    require_pool_keeper(actor)
    assignment = access_assignment(actor, assignment_id)
    if assignment.status != AssignmentStatus.REQUESTED:
        raise ConflictError(_("Only a request still open can be matched."), field="status")
    try:
        chosen = access_expert(actor, expert)
    except NotFound:
        raise ApplicationError(_("No expert with this id."), field="expert") from None
    if chosen.consent_pool != ConsentState.GIVEN:
        raise ApplicationError(_("This expert has not consented to be in the pool."),
                               field="expert")
    if chosen.availability == Availability.UNAVAILABLE:
        raise ApplicationError(_("This expert is not available at present."), field="expert")
    consented_on = _consent_date(consent_recorded_on, "consent_recorded_on")
    if hours not in (None, ""):
        hours_value = v.clean_money(hours, "hours")
        assignment.hours = hours_value.quantize(Decimal("0.1")) if hours_value is not None else None
    assignment.fee_eur = v.clean_money(fee_eur, "fee_eur") if fee_eur not in (None, "") else (
        assignment.fee_eur)
    assignment.expert = chosen
    assignment.status = AssignmentStatus.AGREED
    assignment.consent_state = ConsentState.GIVEN
    assignment.save()
    consent = ExpertConsent.objects.create(
        expert=chosen, use=ConsentUse.ASSIGNMENT, assignment=assignment,
        state=ConsentState.GIVEN, recorded_on=consented_on, recorded_by=actor)
    audit_record_many(actor=actor, entries=[
        Entry("assignment.assign", "actionplan.assignment", assignment.pk,
              detail={"expert": chosen.pk}),
        Entry("expert.consent", "actionplan.expertconsent", consent.pk,
              detail={"expert": chosen.pk, "use": ConsentUse.ASSIGNMENT,
                      "state": ConsentState.GIVEN}),
    ])
    return assignment


def _require_engaging_side(actor: User, assignment: Assignment) -> None:
    if actor.role == Role.NATIONAL_COORDINATOR:
        return
    if assignment.organisation_id != actor.organisation_id:
        raise PermissionDenied(_("Only the engaging organisation and the national coordinator "
                                 "may do this."))


@transaction.atomic
def assignment_update(*, actor: User, assignment_id: int, changes: dict[str, Any]) -> Assignment:
    assignment = access_assignment(actor, assignment_id)
    _require_engaging_side(actor, assignment)
    if "status" in changes:
        status = v.clean_choice(changes["status"], AssignmentStatus.values, "status",
                                assignment.status)
        transitions: dict[str, set[str]] = {
            AssignmentStatus.REQUESTED: {AssignmentStatus.CANCELLED},
            AssignmentStatus.AGREED: {AssignmentStatus.DONE, AssignmentStatus.CANCELLED},
        }
        allowed = transitions.get(assignment.status, set())
        if status != assignment.status and status not in allowed:
            raise ConflictError(
                _("An assignment that is %(now)s cannot become %(new)s.")
                % {"now": assignment.get_status_display(),
                   "new": AssignmentStatus(status).label}, field="status")
        assignment.status = status
    for name in ("title", "description"):
        if name in changes:
            setattr(assignment, name, (v.require_text if name == "title" else v.clean_text)(
                changes[name], name, max_length=200 if name == "title" else 4000))
    if "ends_on" in changes:
        assignment.ends_on = changes["ends_on"]
        if assignment.ends_on and assignment.ends_on < assignment.starts_on:
            raise ApplicationError(_("The assignment ends before it starts."), field="ends_on")
    if "hours" in changes:
        hours = v.clean_money(changes["hours"], "hours")
        assignment.hours = hours.quantize(Decimal("0.1")) if hours is not None else None
    if "fee_eur" in changes:
        assignment.fee_eur = v.clean_money(changes["fee_eur"], "fee_eur")
    assignment.save()
    audit_record(actor=actor, action="assignment.update", obj=assignment,
                 detail={"fields": sorted(changes)})
    return assignment


@transaction.atomic
def feedback_record(*, actor: User, assignment_id: int, given_by: str,
                    rating: int | None = None, text: str = "") -> Feedback:
    assignment = access_assignment(actor, assignment_id)
    _require_engaging_side(actor, assignment)
    if assignment.expert is None or assignment.status not in (AssignmentStatus.AGREED,
                                                              AssignmentStatus.DONE):
        raise ConflictError(_("Feedback is given on an agreed or finished assignment."),
                            field="assignment")
    if current_consent(assignment.expert, ConsentUse.FEEDBACK) != ConsentState.GIVEN:
        raise ConflictError(_("The expert has not consented to feedback on their work being "
                              "kept."), field="assignment")
    given_by = v.clean_choice(given_by, FeedbackFrom.values, "given_by", "")
    if not given_by:
        raise ApplicationError(_("Say who gives the feedback."), field="given_by")
    if rating is not None and (isinstance(rating, bool) or not isinstance(rating, int)
                               or not 1 <= rating <= 5):
        raise ApplicationError(_("Give a rating from 1 to 5."), field="rating")
    body = v.clean_text(text, "text", max_length=4000)
    if not body and rating is None:
        raise ApplicationError(_("Give a rating, a text, or both."), field="text")
    feedback = Feedback.objects.create(
        assignment=assignment, given_by=given_by, rating=rating, recorded_by=actor,
        text_ciphertext=DataKey(assignment.expert.data_key).encrypt_json(body) if body else "")
    audit_record(actor=actor, action="feedback.create", obj=feedback,
                 detail={"expert": assignment.expert_id})
    return feedback
