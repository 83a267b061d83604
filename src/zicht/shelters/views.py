"""HTML views: the capacity board, a shelter's page and "find a place" for a person.

Thin, like the API: reads through selectors, writes through services. A person
the user may not see gives the same 404 as one that does not exist.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from zicht.core.exceptions import ApplicationError, ConflictError, NotFound
from zicht.core.typing import AuthenticatedHttpRequest
from zicht.registry.codes import Form

from . import matching, selectors, services
from .access import may_edit_shelter, may_place
from .codes import KIND_SHORT
from .forms import CapacityForm, EndPlacementForm, PlaceForm, SafetyNeedForm
from .geography import municipality_name, region_label, region_of


def not_found_as_404(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404() from None

    return wrapper


def _form_labels(codes: Iterable[str]) -> list[str]:
    labels = dict(Form.choices)
    return [str(labels.get(code, code)) for code in codes]


@dataclass(frozen=True)
class ReasonShown:
    verdict: str
    verdict_label: str
    criterion_label: str
    message: str


@dataclass(frozen=True)
class MatchShown:
    offer: matching.Offer
    fits: bool
    distance_km: float | None
    kind_short: str
    reasons: list[ReasonShown]

    @classmethod
    def of(cls, match: matching.Match) -> MatchShown:
        verdicts = {matching.OK: _("Fits"), matching.WARN: _("Check"),
                    matching.FAIL: _("Does not fit")}
        criteria = {
            matching.CAPACITY: _("Free place"), matching.AGE: _("Age"), matching.SEX: _("Sex"),
            matching.FORMS: _("Form of exploitation"), matching.SAFETY: _("Safety"),
            matching.LANGUAGE: _("Language"), matching.DISTANCE: _("Distance"),
        }
        return cls(
            offer=match.offer, fits=match.fits, distance_km=match.distance_km,
            kind_short=str(KIND_SHORT.get(match.offer.kind, match.offer.kind)),
            reasons=[ReasonShown(r.verdict, verdicts[r.verdict], criteria[r.criterion],
                                 r.message) for r in match.reasons],
        )


def _status(error: ApplicationError) -> int:
    return 409 if isinstance(error, ConflictError) else error.status_code


def _end_form(placement_id: int, data: Any = None) -> EndPlacementForm:
    # One form per placement on a page: the prefix keeps their ids apart.
    return EndPlacementForm(data, prefix=f"end-{placement_id}")


@login_required
@never_cache
@require_http_methods(["GET", "HEAD"])
def board(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    capacity = selectors.capacity_board(actor=user)
    shelters = list(selectors.shelter_list(actor=user).order_by("kind", "name"))
    for shelter in shelters:
        shelter.free = max(0, shelter.capacity - shelter.occupied)  # type: ignore[attr-defined]
        shelter.region_name = region_label(region_of(shelter.municipality))  # type: ignore[attr-defined]
        shelter.municipality_name = municipality_name(shelter.municipality)  # type: ignore[attr-defined]
        shelter.kind_short = KIND_SHORT.get(shelter.kind, shelter.kind)  # type: ignore[attr-defined]
    return render(request, "shelters/board.html", {
        "board": capacity,
        "kind_rows": [(kind, label, capacity.by_kind[kind]) for kind, label in capacity.kinds],
        "region_rows": capacity.rows(),
        "shelters": shelters,
    })


def _shelter_page(request: AuthenticatedHttpRequest, shelter_id: int, *,
                  capacity_form: CapacityForm | None = None,
                  end_forms: dict[int, EndPlacementForm] | None = None,
                  status: int = 200) -> HttpResponse:
    user = request.user
    shelter = selectors.shelter_get(actor=user, shelter_id=shelter_id)
    placements = list(selectors.placement_list(actor=user, filters={
        "shelter": shelter.pk, "active": True}))
    # Listing a placement shows whose it is: a read of that person.
    selectors.audit_shown(actor=user, placements=placements)
    end_forms = end_forms or {}
    editable = may_edit_shelter(user, shelter)
    return render(request, "shelters/shelter_detail.html", {
        "shelter": shelter,
        "free": max(0, shelter.capacity - shelter.occupied),  # type: ignore[attr-defined]
        "municipality_name": municipality_name(shelter.municipality),
        "region_name": region_label(region_of(shelter.municipality)),
        "form_labels": _form_labels(shelter.forms or []),
        "may_edit": editable,
        "capacity_form": capacity_form or (
            CapacityForm(initial={"capacity": shelter.capacity}) if editable else None),
        "may_place": may_place(user),
        "placements": [(p, end_forms.get(p.pk) or _end_form(p.pk)) for p in placements],
    }, status=status)


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@not_found_as_404
def shelter_detail(request: AuthenticatedHttpRequest, shelter_id: int) -> HttpResponse:
    if request.method != "POST":
        return _shelter_page(request, shelter_id)
    form = CapacityForm(request.POST)
    if form.is_valid():
        try:
            services.shelter_update(actor=request.user, shelter_id=shelter_id,
                                    changes={"capacity": form.cleaned_data["capacity"]})
        except NotFound:
            raise
        except ApplicationError as error:
            form.add_application_error(error)
            return _shelter_page(request, shelter_id, capacity_form=form,
                                 status=_status(error))
        messages.success(request, _("The capacity has been saved."))
        return redirect("shelters:shelter", shelter_id=shelter_id)
    return _shelter_page(request, shelter_id, capacity_form=form, status=400)


@login_required
@never_cache
@require_POST
@not_found_as_404
def placement_end(request: AuthenticatedHttpRequest, placement_id: int) -> HttpResponse:
    placement = selectors.placement_get(actor=request.user, placement_id=placement_id)
    form = _end_form(placement.pk, request.POST)
    status = 400
    if form.is_valid():
        try:
            services.placement_end(actor=request.user, placement_id=placement.pk,
                                   end_reason=form.cleaned_data["end_reason"],
                                   ended_on=form.cleaned_data["ended_on"])
        except NotFound:
            raise
        except ApplicationError as error:
            form.add_application_error(error)
            status = _status(error)
        else:
            messages.success(request, _("The placement has ended; the place is free again."))
            return redirect("shelters:shelter", shelter_id=placement.shelter_id)
    return _shelter_page(request, placement.shelter_id, end_forms={placement.pk: form},
                         status=status)


def _match_page(request: AuthenticatedHttpRequest, person_id: int, *, safety_form: SafetyNeedForm,
                error: str = "", status: int = 200) -> HttpResponse:
    safety = safety_form.chosen_safety()
    result = selectors.shelter_matches(actor=request.user, person_id=person_id, safety=safety)
    shown = [MatchShown.of(m) for m in result.matches]
    return render(request, "shelters/match.html", {
        "person": result.person,
        "need": result.need,
        "need_municipality": municipality_name(result.need.municipality),
        "current": result.current,
        "safety_form": safety_form,
        "safety": safety,
        "form_labels": _form_labels(result.need.forms),
        "fitting": [m for m in shown if m.fits],
        "not_fitting": [m for m in shown if not m.fits],
        "may_place": may_place(request.user) and result.current is None,
        "error": error,
    }, status=status)


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@not_found_as_404
def match(request: AuthenticatedHttpRequest, person_id: int) -> HttpResponse:
    if request.method != "POST":
        return _match_page(request, person_id, safety_form=SafetyNeedForm(request.GET or None))
    form = PlaceForm(request.POST)
    safety_form = SafetyNeedForm({"safety": request.POST.get("safety_need", "")})
    if not form.is_valid():
        return _match_page(request, person_id, safety_form=safety_form,
                           error=" ".join(str(m) for e in form.errors.values() for m in e),
                           status=400)
    try:
        placement = services.placement_create(
            actor=request.user, person_id=person_id, shelter_id=form.cleaned_data["shelter"],
            started_on=form.cleaned_data["started_on"],
            safety_need=form.cleaned_data["safety_need"],
        )
    except NotFound:
        raise
    except ApplicationError as error:
        return _match_page(request, person_id, safety_form=safety_form,
                           error=str(error.message), status=_status(error))
    messages.success(request, _("Placed in %(shelter)s from %(date)s.") % {
        "shelter": placement.shelter.name, "date": placement.started_on.isoformat()})
    return redirect("shelters:match", person_id=person_id)
