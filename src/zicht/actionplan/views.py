"""HTML views of the programme monitor: thin, like the API. Reads go through selectors,
writes through services; an expert an actor may not see is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from zicht.core.exceptions import ApplicationError
from zicht.core.typing import AuthenticatedHttpRequest
from zicht.organisations.models import Role
from zicht.registry.views import not_found_as_404

from . import reports, selectors, services
from .access import (
    actions_held_by,
    expert_shown_on,
    may_manage_plan,
    may_report_on,
    may_request_expert,
)
from .charts import campaign_chart_svg
from .codes import ActionStatus, RegionKind, TargetGroup
from .forms import (
    AssignmentRequestForm,
    CampaignFilterForm,
    ExpertFilterForm,
    MilestoneForm,
    ProgressReportForm,
)
from .models import Campaign, ProgressReport

PAGE_SIZE = 25


def _status_summary(actions: list[Any]) -> list[tuple[str, str, int]]:
    counts = selectors.status_counts(a.status for a in actions)
    return [(code, str(label), counts[code]) for code, label in ActionStatus.choices]


@login_required
@never_cache
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    lines = selectors.line_list(actor=user)
    period = selectors.current_period()
    missing = selectors.missing_reports(actor=user, period=period) if period else []
    held = set(actions_held_by(user).values_list("pk", flat=True))
    all_actions = [a for line in lines for a in line.sorted_actions]  # type: ignore[attr-defined]
    return render(request, "actionplan/home.html", {
        "lines": lines, "period": period, "missing": missing, "held": held,
        "counts": _status_summary(all_actions), "manager": may_manage_plan(user),
        "section": "plan",
    })


@login_required
@never_cache
@not_found_as_404
def action_detail(request: AuthenticatedHttpRequest, action_id: int) -> HttpResponse:
    user = request.user
    action = selectors.action_get(actor=user, action_id=action_id)
    milestone_form = MilestoneForm()
    if request.method == "POST" and request.POST.get("form") == "milestone":
        milestone_form = MilestoneForm(request.POST)
        if milestone_form.is_valid():
            try:
                services.milestone_create(actor=user, action_id=action.pk,
                                          **milestone_form.cleaned_data)
            except ApplicationError as error:
                milestone_form.add_application_error(error)
            else:
                messages.success(request, _("Milestone added."))
                return redirect("actionplan:action", action_id=action.pk)
    elif request.method == "POST" and request.POST.get("form") == "reached":
        milestone = action.milestones.filter(pk=str(request.POST.get("milestone", ""))
                                             if str(request.POST.get("milestone", "")).isdigit()
                                             else 0).first()
        if milestone is None:
            raise Http404()
        services.milestone_update(actor=user, milestone_id=milestone.pk,
                                  changes={"reached_on": timezone.localdate()})
        messages.success(request, _("Milestone marked as reached."))
        return redirect("actionplan:action", action_id=action.pk)
    open_periods = [p for p in selectors.period_list(actor=user)
                    if not p.is_closed and p.ends_on >= action.starts_on]
    return render(request, "actionplan/action_detail.html", {
        "action": action, "reports": selectors.report_list(actor=user, action_id=action.pk),
        "may_report": may_report_on(user, action), "manager": may_manage_plan(user),
        "open_periods": open_periods, "milestone_form": milestone_form,
        "today": timezone.localdate(), "section": "plan",
    }, status=400 if milestone_form.errors else 200)


@login_required
@never_cache
@not_found_as_404
@require_http_methods(["GET", "POST"])
def progress_form(request: AuthenticatedHttpRequest, action_id: int, period: str) -> HttpResponse:
    user = request.user
    action = selectors.action_get(actor=user, action_id=action_id)
    reporting_period = selectors.period_get(actor=user, period=period)
    if not may_report_on(user, action):
        raise PermissionDenied(_("Only the action's holders report its progress."))
    existing = ProgressReport.objects.filter(action=action, period=reporting_period).first()
    form = ProgressReportForm(request.POST or None, action=action, report=existing)
    if request.method == "POST" and form.is_valid():
        fields = {"status": form.cleaned_data["status"], "text": form.cleaned_data["text"],
                  "indicator_values": form.values()}
        try:
            if existing is None:
                services.progress_report_create(actor=user, action_id=action.pk,
                                                period=reporting_period.code, **fields)
            else:
                services.progress_report_update(actor=user, report_id=existing.pk,
                                                changes=fields)
        except ApplicationError as error:
            form.add_application_error(ApplicationError(error.message,
                                                        field=form.field_for(error.field)))
        else:
            messages.success(request, _("Progress on %(action)s for %(period)s is saved.")
                             % {"action": action.number, "period": reporting_period.code})
            return redirect("actionplan:action", action_id=action.pk)
    return render(request, "actionplan/progress_form.html", {
        "action": action, "period": reporting_period, "form": form, "existing": existing,
        "section": "plan",
    }, status=400 if form.errors else 200)


@login_required
@never_cache
def periods(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "actionplan/periods.html", {
        "periods": selectors.period_list(actor=request.user), "section": "periods",
        "manager": may_manage_plan(request.user),
    })


@login_required
@never_cache
@not_found_as_404
def period_detail(request: AuthenticatedHttpRequest, period: str) -> HttpResponse:
    user = request.user
    reporting_period = selectors.period_get(actor=user, period=period)
    if request.method == "POST":
        services.period_update(actor=user, period_id=reporting_period.pk,
                               changes={"closed": request.POST.get("closed") == "1"})
        messages.success(request, _("Period %(code)s is closed.") % {"code": reporting_period.code}
                         if request.POST.get("closed") == "1" else
                         _("Period %(code)s is open again.") % {"code": reporting_period.code})
        return redirect("actionplan:period", period=reporting_period.code)
    report = reports.build_report(actor=user, period=reporting_period)
    return render(request, "actionplan/period_detail.html", {
        "period": reporting_period, "report": report,
        "missing": selectors.missing_reports(actor=user, period=reporting_period),
        "manager": may_manage_plan(user), "formats": reports.FORMATS, "section": "periods",
    })


@login_required
@never_cache
@not_found_as_404
def period_report(request: AuthenticatedHttpRequest, period: str, file_format: str) -> HttpResponse:
    if file_format not in reports.FORMATS:
        raise Http404()
    reporting_period = selectors.period_get(actor=request.user, period=period)
    built = reports.build_report(actor=request.user, period=reporting_period)
    response = HttpResponse(reports.render(built, file_format),
                            content_type=reports.CONTENT_TYPES[file_format])
    disposition = "inline" if file_format == "html" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{reports.filename(built, file_format)}"'
    return response


@login_required
@never_cache
def campaigns(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    years = sorted({d.year for d in Campaign.objects.dates("starts_on", "year")})
    form = CampaignFilterForm(request.GET or None, years=years)
    found = list(selectors.campaign_list(actor=user, filters=form.filters()))
    counts = selectors.campaign_counts(found)
    chart_years = list(range(years[0], years[-1] + 1)) if years else []
    groups = [(code, str(label)) for code, label in TargetGroup.choices
              if any(c.target_group == code for c in counts)]
    table = [{"year": year, "cells": [sum(c.campaigns for c in counts
                                          if c.year == year and c.target_group == code)
                                      for code, _label in groups],
              "campaigns": sum(1 for c in found if c.starts_on.year == year)}
             for year in chart_years]
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "actionplan/campaigns.html", {
        "form": form, "page": page, "total": len(found), "query": query.urlencode(),
        # The SVG comes from our own chart code; its labels are our own code lists.
        "chart": mark_safe(campaign_chart_svg(counts, years=chart_years)),  # noqa: S308
        "groups": groups, "table": table, "section": "campaigns",
        "measured": sum(1 for c in found if c.measured_effect),
    })


@login_required
@never_cache
def regions(request: AuthenticatedHttpRequest) -> HttpResponse:
    kind = request.GET.get("kind") if request.GET.get("kind") in RegionKind.values else None
    return render(request, "actionplan/regions.html", {
        "regions": selectors.region_list(actor=request.user, kind=kind),
        "kind": kind, "kinds": RegionKind.choices, "section": "regions",
    })


@login_required
@never_cache
@not_found_as_404
def region_detail(request: AuthenticatedHttpRequest, region_id: int) -> HttpResponse:
    page = selectors.region_page(actor=request.user, region_id=region_id)
    return render(request, "actionplan/region_detail.html", {"page": page, "region": page.region,
                                                             "section": "regions"})


@login_required
@never_cache
def experts(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = ExpertFilterForm(request.GET or None)
    page = Paginator(selectors.expert_list(actor=user, filters=form.filters()),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    # Showing an expert in a list is a read of their data.
    selectors.audit_experts_shown(actor=user, experts=shown)
    assignments = list(selectors.assignment_list(actor=user)[:50])
    selectors.audit_experts_shown(actor=user, experts=[
        a.expert for a in assignments if expert_shown_on(user, a) and a.expert is not None])
    for assignment in assignments:
        assignment.expert_shown = expert_shown_on(user, assignment)  # type: ignore[attr-defined]
    return render(request, "actionplan/experts.html", {
        "form": form, "page": page, "experts": shown, "assignments": assignments,
        "may_request": may_request_expert(user), "section": "experts",
        "keeper": user.role == Role.NATIONAL_COORDINATOR,
    })


@login_required
@never_cache
@not_found_as_404
def expert_detail(request: AuthenticatedHttpRequest, expert_id: int) -> HttpResponse:
    user = request.user
    expert = selectors.expert_get(actor=user, expert_id=expert_id)
    return render(request, "actionplan/expert_detail.html", {
        "expert": expert, "identity": expert.identity,
        "consents": selectors.expert_consents(actor=user, expert=expert),
        "assignments": selectors.expert_assignments(actor=user, expert=expert),
        "section": "experts",
    })


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def assignment_request(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not may_request_expert(user):
        raise PermissionDenied(_("Your role may not ask for an expert by experience."))
    form = AssignmentRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_request(actor=user, **form.request_fields())
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            messages.success(request, _("Your request is sent to the national coordinator, "
                                        "who keeps the pool."))
            return redirect("actionplan:experts")
    return render(request, "actionplan/assignment_form.html", {"form": form,
                                                                "section": "experts"},
                  status=400 if form.errors else 200)

