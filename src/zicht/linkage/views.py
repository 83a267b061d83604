"""HTML review queue for the national coordinator: thin, like the API."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from zicht.core.exceptions import ApplicationError, NotFound
from zicht.core.typing import AuthenticatedHttpRequest

from . import selectors, services
from .models import ReviewDecision

PAGE_SIZE = 25


def not_found_as_404(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404() from None

    return wrapper


@login_required
@never_cache
@not_found_as_404
def review_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(selectors.review_queue(request.user), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "linkage/review_queue.html", {
        "page": page, "counts": selectors.review_counts(),
    })


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
@not_found_as_404
def review_pair(request: AuthenticatedHttpRequest, link_id: int) -> HttpResponse:
    error = ""
    status = 200
    if request.method == "POST":
        try:
            services.review_decide(actor=request.user, link_id=link_id,
                                   verdict=request.POST.get("verdict", ""),
                                   note=request.POST.get("note", ""),
                                   model_version=request.POST.get("model_version") or None)
        except NotFound:
            raise
        except ApplicationError as problem:
            if problem.field == "link":
                raise Http404() from None
            error, status = problem.message, problem.status_code
        else:
            messages.success(request, _("The decision has been recorded."))
            return redirect("linkage:review")
    link, rows = selectors.review_pair(request.user, link_id)
    return render(request, "linkage/review_pair.html", {
        "link": link, "rows": rows, "error": error,
        "verdicts": ReviewDecision.Verdict.choices,
    }, status=status)


@login_required
@never_cache
@not_found_as_404
def decisions(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(selectors.decisions_list(request.user), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "linkage/decisions.html", {"page": page})


@login_required
@never_cache
@require_POST
@not_found_as_404
def decision_revert(request: AuthenticatedHttpRequest, decision_id: int) -> HttpResponse:
    try:
        services.review_revert(actor=request.user, decision_id=decision_id)
    except NotFound:
        raise
    except ApplicationError as problem:
        messages.error(request, problem.message)
    else:
        messages.success(request, _("The decision has been taken back."))
    return redirect("linkage:decisions")
