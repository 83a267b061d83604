"""The privacy officer's pages: find a person, export, erase, restrict, lift."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise as StrPromise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from zicht.core.exceptions import ApplicationError, NotFound
from zicht.core.typing import AuthenticatedHttpRequest
from zicht.registry.forms import AccessibleForm

from . import reports, services
from .access import access_person_for_request, require_privacy_officer
from .forms import EraseForm, FindPersonForm, LiftForm, RestrictForm
from .models import PrivacyRequest


def _officer_or_404(request: AuthenticatedHttpRequest) -> None:
    try:
        require_privacy_officer(request.user)
    except NotFound:
        raise Http404() from None


@login_required
@never_cache
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    _officer_or_404(request)
    form = FindPersonForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("privacy:person", person_id=form.cleaned_data["person"])
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "privacy/home.html", {"form": form}, status=status)


def _person_page(request: AuthenticatedHttpRequest, person_id: int | str, *, status: int = 200,
                 problem: str = "", sent: AccessibleForm | None = None) -> HttpResponse:
    try:
        person = access_person_for_request(request.user, person_id)
    except NotFound:
        raise Http404() from None
    context = {
        "person": person,
        # A refusal (409) is shown above every form: the form that was sent may be gone.
        "problem": problem,
        # Prefixed: three forms on one page must not share field ids.
        "erase_form": EraseForm(prefix="erase"),
        "restrict_form": RestrictForm(prefix="restrict"),
        "lift_form": LiftForm(prefix="lift"),
        "requests": PrivacyRequest.objects.filter(person_id=person.pk).select_related("actor"),
        "blockers": services.erasure_blockers(person) if person.erased_at is None else [],
    }
    if sent is not None:
        context[f"{sent.prefix}_form"] = sent
    return render(request, "privacy/person.html", context, status=status)


@login_required
@never_cache
def person(request: AuthenticatedHttpRequest, person_id: int) -> HttpResponse:
    return _person_page(request, person_id)


@login_required
@never_cache
def export(request: AuthenticatedHttpRequest, person_id: str, file_format: str) -> HttpResponse:
    try:
        data = services.person_export(actor=request.user, person_id=person_id)
    except NotFound:
        raise Http404() from None
    return reports.http_response(data, file_format)


class _Action(NamedTuple):
    form: type[LiftForm]
    service: Callable[..., Any]
    done: StrPromise


_ACTIONS = {
    "erase": _Action(EraseForm, services.person_erase,
                     _("P-%(id)s is erased: identifying data is destroyed, counts are kept.")),
    "restrict": _Action(RestrictForm, services.person_restrict,
                        _("Processing of P-%(id)s is restricted.")),
    "lift": _Action(LiftForm, services.person_restriction_lift,
                    _("The restriction of P-%(id)s is lifted.")),
}


@login_required
@require_POST
def act(request: AuthenticatedHttpRequest, person_id: str, what: str) -> HttpResponse:
    chosen = _ACTIONS[what]
    try:
        access_person_for_request(request.user, person_id)
    except NotFound:
        raise Http404() from None
    form = chosen.form(request.POST, prefix=what)
    if not form.is_valid():
        return _person_page(request, person_id, status=400, sent=form)
    values = {k: v for k, v in form.cleaned_data.items() if k != "confirm"}
    try:
        chosen.service(actor=request.user, person_id=person_id, **values)
    except ApplicationError as error:
        return _person_page(request, person_id, status=error.status_code, problem=error.message)
    messages.success(request, str(chosen.done) % {"id": person_id})
    return redirect("privacy:person", person_id=person_id)
