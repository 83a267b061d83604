"""HTML pages of the pathway: referrals, deadlines and a person's timeline.

Thin, like the API: reads go through selectors (which audit what is shown), writes
through services; outsiders get the same 404 as for a person who does not exist.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from zicht.core.exceptions import ApplicationError, NotFound
from zicht.organisations.models import User

from . import conf, rules, selectors, services
from .access import WRITER_ROLES, is_national_coordinator
from .codes import ReferralStatus, StageKind
from .forms import (
    AnswerForm,
    CaseStatusForm,
    ReferralForm,
    StageEndForm,
    StageStartForm,
    VictimStatusForm,
)
from .models import Stage

PAGE_SIZE = 25
STATUS_FILTERS = ["open", "all", *ReferralStatus.values]


def _actor(request: HttpRequest) -> User:
    """The logged-in user (the login check or the API's authentication ran first)."""
    return cast(User, request.user)


def not_found_as_404(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404() from None

    return wrapper


def person_content_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Roles that never see persons get the page that says where to go instead."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _actor(request).sees_person_content:
            return render(request, "registry/no_person_content.html")
        return view(request, *args, **kwargs)

    return wrapper


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return default


# --- Referrals ----------------------------------------------------------------------------------

@login_required
@never_cache
@require_http_methods(["GET", "HEAD"])
@person_content_only
def referrals(request: HttpRequest) -> HttpResponse:
    return _referrals_page(request)


def _referrals_page(request: HttpRequest, *, status_code: int = 200) -> HttpResponse:
    user = _actor(request)
    box = request.GET.get("box")
    if box not in selectors.BOXES:
        box = None
    if box == "escalated" and not is_national_coordinator(user):
        box = None
    status = request.GET.get("status") or "open"
    if status not in STATUS_FILTERS:
        status = "open"
    context: dict[str, Any] = {
        "box": box, "status": status, "status_filters": STATUS_FILTERS,
        "may_answer": user.role in WRITER_ROLES,
        "is_coordinator": is_national_coordinator(user),
        "answer_days": conf.referral_answer_working_days(),
        "urgent_hours": conf.referral_urgent_answer_hours(),
        "statuses": ReferralStatus,
    }
    if box is None:
        context["worklist"] = selectors.worklist(actor=user, limit=PAGE_SIZE,
                                                 sections=selectors.REFERRAL_SECTIONS)
    else:
        rows = selectors.referral_list(actor=user, box=box,
                                       status=None if status == "all" else status)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        shown = selectors.describe_referrals(user, list(page.object_list))
        selectors.audit_rows(actor=user, action="referral.list", objects=shown)
        context.update(page=page, rows=shown)
    return render(request, "pathway/referrals.html", context, status=status_code)


@login_required
@never_cache
@require_POST
@not_found_as_404
def referral_answer(request: HttpRequest, referral_id: int) -> HttpResponse:
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose accept, decline or withdraw."))
        return _referrals_page(request, status_code=400)
    decision = form.cleaned_data["decision"]
    services_by_decision: dict[str, Callable[..., Any]] = {
        "accept": services.referral_accept, "decline": services.referral_decline,
        "withdraw": services.referral_withdraw}
    service = services_by_decision[decision]
    try:
        referral = service(actor=_actor(request), referral_id=referral_id,
                           reason=form.cleaned_data["reason"])
    except NotFound:
        raise
    except ApplicationError as error:
        field = f"{error.field}: " if error.field and error.field != "reason" else ""
        messages.error(request, f"{field}{error.message}" if field else error.message)
        return _referrals_page(request, status_code=error.status_code)
    if decision == "accept":
        messages.success(request, _("Referral accepted: %(name)s is now on your worklist.")
                         % {"name": referral.person.display_name or f"#{referral.person_id}"})
        return redirect("pathway:person", person_id=referral.person_id)
    messages.success(request, _("Referral declined.") if decision == "decline"
                     else _("Referral withdrawn."))
    return redirect(_back(request, reverse("pathway:referrals")))


# --- Deadlines ------------------------------------------------------------------------------------

@login_required
@never_cache
@require_http_methods(["GET", "HEAD"])
@person_content_only
def deadlines(request: HttpRequest) -> HttpResponse:
    user = _actor(request)
    scope = request.GET.get("scope") if request.GET.get("scope") in ("mine", "all") else "mine"
    overdue_only = request.GET.get("overdue") == "1"
    today = timezone.localdate()
    rows = selectors.deadline_list(actor=user, mine=scope == "mine",
                                   overdue=True if overdue_only else None, today=today)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = selectors.describe_deadlines(list(page.object_list), today=today,
                                         with_person=True)
    selectors.audit_rows(actor=user, action="deadline.list", objects=shown)
    return render(request, "pathway/deadlines.html", {
        "page": page, "rows": shown, "scope": scope, "overdue_only": overdue_only,
        "today": today,
    })


# --- A person's pathway --------------------------------------------------------------------------

@dataclass(frozen=True)
class TimelineEvent:
    day: date
    title: str
    detail: str = ""
    kind: str = ""


def _timeline(detail: selectors.PathwayDetail) -> list[TimelineEvent]:
    """Everything that happened on the pathway, newest first."""
    events: list[TimelineEvent] = []
    for stage in detail.stages:
        org = stage.responsible_organisation.name
        events.append(TimelineEvent(stage.started_on, _("%(stage)s started")
                                    % {"stage": stage.get_kind_display()}, org, "stage"))
        if stage.ended_on:
            events.append(TimelineEvent(stage.ended_on, _("%(stage)s ended")
                                        % {"stage": stage.get_kind_display()},
                                        stage.end_reason, "stage"))
    for decision in detail.decisions:
        events.append(TimelineEvent(decision.decided_on, _("Victim status: %(status)s")
                                    % {"status": decision.get_status_display()},
                                    f"{decision.organisation.name} — {decision.reason}", "status"))
    for referral in detail.referrals:
        target = (referral.to_organisation.name if referral.to_organisation
                  else f"{referral.foreign_organisation} ({referral.country})")
        events.append(TimelineEvent(
            timezone.localtime(referral.proposed_at).date(),
            _("Referred to %(target)s") % {"target": target},
            f"{referral.get_purpose_display()} · {referral.get_status_display()}", "referral"))
        if referral.closed_at and referral.status in (ReferralStatus.ACCEPTED,
                                                      ReferralStatus.DECLINED):
            events.append(TimelineEvent(
                timezone.localtime(referral.closed_at).date(),
                _("Referral %(status)s by %(target)s")
                % {"status": referral.get_status_display().lower(), "target": target},
                referral.answer_reason, "referral"))
    for case in detail.criminal_cases:
        events.append(TimelineEvent(case.aangifte_on, _("Aangifte"),
                                    case.police_organisation.name, "criminal"))
        if case.prosecuted_on:
            events.append(TimelineEvent(case.prosecuted_on, _("Prosecution decided"), "",
                                        "criminal"))
        if case.decided_on:
            events.append(TimelineEvent(case.decided_on, case.get_outcome_display(),
                                        case.decision_reason, "criminal"))
    for claim in detail.claims:
        events.append(TimelineEvent(claim.filed_on, _("Claim filed: %(route)s")
                                    % {"route": claim.get_route_display()},
                                    f"€ {claim.amount_claimed}", "redress"))
        if claim.decided_on:
            events.append(TimelineEvent(
                claim.decided_on, _("Claim decided: %(outcome)s")
                % {"outcome": claim.get_outcome_display()},
                f"€ {claim.amount_awarded}" if claim.amount_awarded is not None else "",
                "redress"))
    if detail.pathway.case_closed_on:
        events.append(TimelineEvent(detail.pathway.case_closed_on,
                                    detail.pathway.get_case_status_display(),
                                    detail.pathway.closing_reason, "status"))
    return sorted(events, key=lambda e: e.day, reverse=True)


@dataclass(frozen=True)
class StageBox:
    kind: str
    label: str
    stages: list[Stage]

    @property
    def open(self) -> bool:
        return any(s.ended_on is None for s in self.stages)


def _person_page(request: HttpRequest, person_id: int, *, status: int = 200,
                 **forms: Any) -> HttpResponse:
    user = _actor(request)
    detail = selectors.pathway_get(actor=user, person_id=person_id)
    may_write = user.role in WRITER_ROLES
    organisation = user.organisation
    may_decide = may_write and organisation is not None and rules.may_decide_victim_status(
        organisation_kind=organisation.kind, authorised_kinds=conf.victim_status_deciders())
    open_stages = Stage.objects.filter(pk__in=[s.pk for s in detail.open_stages])
    context = {
        "detail": detail,
        "person": detail.person,
        "pathway": detail.pathway,
        "stage_boxes": [StageBox(kind, str(label), [s for s in detail.stages if s.kind == kind])
                        for kind, label in StageKind.choices],
        "timeline": _timeline(detail),
        "may_write": may_write,
        "may_decide": may_decide,
        "referral_form": forms.get("referral_form") or ReferralForm(
            own_organisation_id=user.organisation_id),
        "start_form": forms.get("start_form") or StageStartForm(),
        "end_form": forms.get("end_form") or StageEndForm(open_stages=open_stages),
        "victim_form": forms.get("victim_form") or VictimStatusForm(),
        "case_form": forms.get("case_form") or CaseStatusForm(
            initial={"status": detail.pathway.case_status}),
    }
    return render(request, "pathway/person.html", context, status=status)


@login_required
@never_cache
@require_http_methods(["GET", "HEAD"])
@person_content_only
@not_found_as_404
def person_pathway(request: HttpRequest, person_id: int) -> HttpResponse:
    return _person_page(request, person_id)


def _run(form: Any, call: Callable[[], Any]) -> bool:
    """Call the service; put its refusal on the form. True when it succeeded."""
    try:
        call()
    except NotFound:
        raise
    except ApplicationError as error:
        form.add_application_error(error)
        return False
    return True


@login_required
@never_cache
@require_POST
@not_found_as_404
def referral_new(request: HttpRequest, person_id: int) -> HttpResponse:
    form = ReferralForm(request.POST, own_organisation_id=_actor(request).organisation_id)
    if form.is_valid():
        data = form.cleaned_data
        receiver = data["to_organisation"]

        def call() -> None:
            services.referral_propose(
                actor=_actor(request), person_id=person_id, purpose=data["purpose"],
                to_organisation_id=receiver.pk if receiver else None,
                urgency=data["urgency"], note=data["note"], country=data["country"],
                foreign_organisation=data["foreign_organisation"], channel=data["channel"])

        if _run(form, call):
            messages.success(request, _("The referral has been sent."))
            return redirect("pathway:person", person_id=person_id)
    return _person_page(request, person_id, status=400, referral_form=form)


@login_required
@never_cache
@require_POST
@not_found_as_404
def stage_change(request: HttpRequest, person_id: int) -> HttpResponse:
    if request.POST.get("action") == "end":
        detail_stages = Stage.objects.filter(pathway__person_id=person_id, ended_on__isnull=True)
        end_form = StageEndForm(request.POST, open_stages=detail_stages)
        if end_form.is_valid():
            data = end_form.cleaned_data
            if _run(end_form, lambda: services.stage_end(
                    actor=_actor(request), person_id=person_id, stage_id=data["stage"].pk,
                    ended_on=data["ended_on"], reason=data["reason"])):
                messages.success(request, _("The stage has ended."))
                return redirect("pathway:person", person_id=person_id)
        return _person_page(request, person_id, status=400, end_form=end_form)
    start_form = StageStartForm(request.POST)
    if start_form.is_valid():
        data = start_form.cleaned_data
        organisation = data["responsible_organisation"]
        if _run(start_form, lambda: services.stage_start(
                actor=_actor(request), person_id=person_id, kind=data["kind"],
                started_on=data["started_on"],
                responsible_organisation_id=organisation.pk if organisation else None)):
            messages.success(request, _("The stage has started."))
            return redirect("pathway:person", person_id=person_id)
    return _person_page(request, person_id, status=400, start_form=start_form)


@login_required
@never_cache
@require_POST
@not_found_as_404
def status_change(request: HttpRequest, person_id: int) -> HttpResponse:
    if request.POST.get("which") == "victim":
        victim_form = VictimStatusForm(request.POST)
        if victim_form.is_valid():
            data = victim_form.cleaned_data
            if _run(victim_form, lambda: services.victim_status_decide(
                    actor=_actor(request), person_id=person_id, status=data["status"],
                    decided_on=data["decided_on"], reason=data["reason"])):
                messages.success(request, _("The victim status has been recorded."))
                return redirect("pathway:person", person_id=person_id)
        return _person_page(request, person_id, status=400, victim_form=victim_form)
    case_form = CaseStatusForm(request.POST)
    if case_form.is_valid():
        data = case_form.cleaned_data
        if _run(case_form, lambda: services.case_status_set(
                actor=_actor(request), person_id=person_id, status=data["status"],
                closing_reason=data["closing_reason"])):
            messages.success(request, _("The case status has been recorded."))
            return redirect("pathway:person", person_id=person_id)
    return _person_page(request, person_id, status=400, case_form=case_form)
