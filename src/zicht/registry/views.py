"""HTML views of the registry: thin, like the API. Reads go through selectors, writes
through services; outsiders get the same 404 as for a person who does not exist."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from zicht.core.exceptions import ApplicationError, NotFound
from zicht.core.typing import AuthenticatedHttpRequest
from zicht.linkage.selectors import known_elsewhere
from zicht.organisations.models import Role
from zicht.pathway import selectors as pathway_selectors

from . import selectors, services
from .access import access_person, require_may_report
from .codes import ConsentState, Form, Indicator, Purpose
from .forms import ConsentForm, ShareForm, SignalForm, WorklistFilterForm
from .models import Person, Signal

PAGE_SIZE = 25
# Who sees the share form; services.person_share enforces the same rule.
SHARING_ROLES = frozenset({Role.CASEWORKER, Role.NATIONAL_COORDINATOR})


def not_found_as_404(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The access layer's NotFound becomes Django's 404 page."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404() from None

    return wrapper


@dataclass(frozen=True)
class ConsentShown:
    purpose: str
    label: str
    state: str
    state_label: str


def consents_of(person: Person) -> list[ConsentShown]:
    short: dict[str, str] = {Purpose.REGISTRATION: _("Registration"), Purpose.CARE: _("Care"),
                             Purpose.POLICE: _("Police")}
    states = dict(ConsentState.choices)
    return [ConsentShown(purpose, str(short[purpose]), person.consent(purpose),
                         str(states[person.consent(purpose)])) for purpose in Purpose.values]


@dataclass(frozen=True)
class PersonRow:
    """What one line of the worklist shows; signals come prefetched, newest first."""

    person: Person
    minor_now: bool
    minor_at_signal: bool
    age_uncertain: bool
    latest_signal: Signal | None
    consents: list[ConsentShown]

    @classmethod
    def of(cls, person: Person, today: date) -> PersonRow:
        signals = list(person.signals.all())
        age = person.age_on(today)
        return cls(
            person=person,
            # A person whose age is uncertain is treated as a minor (DOMAIN.md).
            minor_now=age is None or age < 18,
            minor_at_signal=any(s.minor_at_signal for s in signals),
            age_uncertain=age is None,
            latest_signal=signals[0] if signals else None,
            consents=consents_of(person),
        )


def _newest_signals_first() -> Prefetch:
    return Prefetch("signals", queryset=Signal.objects.order_by("-signalled_on", "-id"))


# Referrals and deadlines shown per list on the worklist; the pathway pages have them all.
TODO_ROWS = 5


@login_required
@never_cache
@vary_on_headers("HX-Request")
def worklist(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not user.sees_person_content:
        # Purpose limitation: these roles never see persons, so say where to go instead.
        return render(request, "registry/no_person_content.html")
    form = WorklistFilterForm(request.GET or None)
    persons = selectors.person_list(actor=user, filters=form.filters()).prefetch_related(
        _newest_signals_first())
    page = Paginator(persons, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    # Showing a person in a list is a read of that person.
    selectors.audit_shown(actor=user, action="person.list", objects=shown)
    today = timezone.localdate()
    context = {
        "form": form,
        "page": page,
        "rows": [PersonRow.of(person, today) for person in shown],
        "filtered": form.is_bound and form.is_filtered(),
    }
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        return render(request, "registry/_worklist_results.html", context)
    # Open referrals in and out and the nearest deadlines, above the persons (full page only).
    todo = pathway_selectors.worklist(actor=user, limit=TODO_ROWS)
    context["todo"] = todo
    context["todo_boxes"] = [
        {"title": _("Referred to us"), "rows": todo.incoming, "count": todo.incoming_count,
         "incoming": True},
        {"title": _("Referred by us"), "rows": todo.outgoing, "count": todo.outgoing_count,
         "incoming": False},
    ] + ([{"title": _("Escalated: no answer in time"), "rows": todo.escalated,
           "count": todo.escalated_count, "incoming": False}]
         if user.role == Role.NATIONAL_COORDINATOR else [])
    return render(request, "registry/worklist.html", context)


def _person_page(request: AuthenticatedHttpRequest, person_id: int, *, consent_form: ConsentForm | None = None,
                 share_form: ShareForm | None = None, status: int = 200) -> HttpResponse:
    user = request.user
    person = selectors.person_get(actor=user, person_id=person_id)
    signals = list(selectors.signal_list(actor=user, person_id=person.pk))
    selectors.audit_shown(actor=user, action="signal.list", objects=signals)
    consents = list(selectors.consent_list(actor=user, person_id=person.pk))
    today = timezone.localdate()
    age = person.age_on(today)
    may_share = user.role in SHARING_ROLES
    context = {
        "person": person,
        "identity": person.identity,
        "age": age,
        "row": PersonRow(person, age is None or age < 18,
                         any(s.minor_at_signal for s in signals), age is None,
                         signals[0] if signals else None, consents_of(person)),
        "signals": signals,
        "consent_history": consents,
        "consent_form": consent_form or ConsentForm(),
        "may_share": may_share,
        "share_form": share_form or (
            ShareForm(own_organisation_id=user.organisation_id) if may_share else None),
        "known_elsewhere": known_elsewhere(user, person),
    }
    return render(request, "registry/person_detail.html", context, status=status)


@login_required
@never_cache
@require_http_methods(["GET", "HEAD"])
@not_found_as_404
def person_detail(request: AuthenticatedHttpRequest, person_id: int) -> HttpResponse:
    return _person_page(request, person_id)


@login_required
@never_cache
@require_POST
@not_found_as_404
def consent_create(request: AuthenticatedHttpRequest, person_id: int) -> HttpResponse:
    access_person(request.user, person_id)  # not visible: 404 before any role check
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.consent_record(
                actor=request.user, person_id=person_id, purpose=form.cleaned_data["purpose"],
                state=form.cleaned_data["state"], recorded_on=form.cleaned_data["recorded_on"],
            )
        except NotFound:
            raise
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            messages.success(request, _("The consent statement has been recorded."))
            return redirect("registry:person", person_id=person_id)
    return _person_page(request, person_id, consent_form=form, status=400)


@login_required
@never_cache
@require_POST
@not_found_as_404
def person_share(request: AuthenticatedHttpRequest, person_id: int) -> HttpResponse:
    access_person(request.user, person_id)  # not visible: 404 before any role check
    form = ShareForm(request.POST, own_organisation_id=request.user.organisation_id)
    if form.is_valid():
        organisation = form.cleaned_data["organisation"]
        try:
            services.person_share(actor=request.user, person_id=person_id,
                                  organisation_id=organisation.pk)
        except NotFound:
            raise
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            messages.success(request, _("The person is now shared with %(organisation)s.")
                             % {"organisation": organisation.name})
            return redirect("registry:person", person_id=person_id)
    return _person_page(request, person_id, share_form=form, status=400)


@login_required
@never_cache
@not_found_as_404
def signal_new(request: AuthenticatedHttpRequest, person_id: int | None = None) -> HttpResponse:
    """A new signal, for a new person or (with person_id) for one already known."""
    user = request.user
    # For an existing person, not seeing them gives 404 before any role check.
    person = selectors.person_get(actor=user, person_id=person_id) if person_id else None
    require_may_report(user)
    initial = {"signalled_on": timezone.localdate(),
               "municipality": user.organisation.municipality if user.organisation else ""}
    # A screening outcome (wegwijzer) arrives as ?forms=…&indicators=…: only known codes are kept.
    for field, codes in (("forms", Form.values), ("indicators", Indicator.values)):
        chosen = [c for c in request.GET.getlist(field) if c in codes]
        if chosen:
            initial[field] = chosen
    data = request.POST if request.method == "POST" else None
    form = SignalForm(data, with_person=person is None, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            # All or nothing: a refused signal must not leave a new person behind.
            with transaction.atomic():
                target = person or services.person_create(actor=user, **form.person_data())
                services.signal_create(actor=user, person_id=target.pk, **form.signal_data())
                for purpose in form.consents_given():
                    services.consent_record(actor=user, person_id=target.pk, purpose=purpose,
                                            state=ConsentState.GIVEN)
        except NotFound:
            raise
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            messages.success(request, _("The signal has been saved."))
            return redirect("registry:person", person_id=target.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "registry/signal_form.html", {"form": form, "person": person},
                  status=status)
