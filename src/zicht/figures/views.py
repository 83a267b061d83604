"""Figures pages: a table builder, the chain figures and funnel, jobs with their progress."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from zicht.core.exceptions import ApplicationError, NotFound
from zicht.core.typing import AuthenticatedHttpRequest

from . import access, charts, jobs, selectors, services
from .codes import JobKind, Measure
from .counting import DIMENSIONS, year_bounds
from .models import Job
from .reports import FUNNEL_FORMS, _table_view
from .suppression import threshold_setting
from .tables import TOTAL


# Base response type: the download view answers with a FileResponse.
def not_found_as_404(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404() from None

    return wrapper


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year") or timezone.localdate().year - 1)
    except ValueError:
        return timezone.localdate().year - 1


@login_required
@never_cache
@not_found_as_404
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_figures(request.user)
    year = _year(request)
    row = request.GET.get("row") or "form"
    col = request.GET.get("col") or ""
    view, error = None, None
    if "row" in request.GET:
        try:
            start, end = year_bounds(year)
            published = services.table_publish(actor=request.user, start=start, end=end,
                                               by=[d for d in (row, col) if d])
            spec = (charts.crosstab_spec(published) if published.table.table.col_dim else
                    charts.trend_spec(row, {year: published}))
            view = _table_view(published, charts.to_svg(spec))
        except ApplicationError as exc:
            error = exc.message
    return render(request, "figures/home.html", {
        "year": year, "row": row, "col": col, "view": view, "error": error,
        "dimensions": [(key, str(d.label)) for key, d in DIMENSIONS.items()],
        "years": list(range(timezone.localdate().year, timezone.localdate().year - 10, -1)),
        "total": TOTAL, "threshold": threshold_setting(),
    })


@login_required
@never_cache
@not_found_as_404
def chain(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_figures(request.user)
    year = _year(request)
    funnels = []
    for funnel in selectors.funnels(actor=request.user, year=year, forms=FUNNEL_FORMS):
        svg = charts.to_svg(charts.funnel_spec(funnel)) if any(
            s.value is not None for s in funnel.steps) else ""
        funnels.append((funnel, funnel.drop_offs(), svg))
    from .reports import _chain_rows

    entries = selectors.chain_figures(actor=request.user, years=[year])
    return render(request, "figures/chain.html", {
        "year": year, "funnels": funnels, "chain": _chain_rows(entries),
        "measures": Measure.choices,
        "years": list(range(timezone.localdate().year, timezone.localdate().year - 10, -1)),
    })


@login_required
@never_cache
@not_found_as_404
def job_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_figures(request.user)
    error = None
    if request.method == "POST":
        try:
            years = sorted({int(y) for y in request.POST.getlist("years") if y})
            kind = request.POST.get("kind", "")
            params: dict[str, Any] = {"years": years}
            if kind == JobKind.EXPORT:
                params["format"] = request.POST.get("format", "")
                if params["format"] not in jobs.EXPORT_FORMATS:
                    raise ApplicationError(_("Choose an export format."), field="format")
            elif kind != JobKind.REPORT:
                raise ApplicationError(_("Choose a report or an export."), field="kind")
            if not years:
                raise ApplicationError(_("Choose at least one year."), field="years")
            job, new = services.job_request(actor=request.user, kind=kind, params=params)
            if new:
                from .tasks import enqueue

                enqueue(job.pk)
            return redirect("figures:jobs")
        except ValueError:
            error = _("Years are whole numbers.")
        except ApplicationError as exc:
            error = exc.message
    template = "figures/_jobs.html" if getattr(request, "htmx", False) else "figures/jobs.html"
    return render(request, template, {
        "jobs": Job.objects.all()[:30], "error": error, "formats": jobs.EXPORT_FORMATS,
        "years": list(range(timezone.localdate().year, timezone.localdate().year - 10, -1)),
        "case_level": access.may_see_figures(request.user) and request.user.role in
        access.CASE_LEVEL_ROLES,
    })


@login_required
@not_found_as_404
def job_download(request: AuthenticatedHttpRequest, job_id: int) -> FileResponse:
    access.require_figures(request.user)
    job = Job.objects.filter(pk=job_id, state="done").first()
    if job is None or not job.output:
        raise NotFound()
    if job.params.get("format") == "htcds":
        access.require_case_level_export(request.user)
    path = Path(job.output)
    if path.is_dir():
        year = job.params["years"][-1]
        path = path / f"report-{year}.pdf"
        if not path.exists():
            path = path.with_suffix(".html")
    if not path.exists():
        raise NotFound()
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)


@login_required
@require_POST
@not_found_as_404
def chain_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    from zicht.organisations.models import Organisation

    organisation = Organisation.objects.filter(pk=request.POST.get("organisation") or 0).first()
    if organisation is None or not access.may_deliver_chain(request.user, organisation):
        raise NotFound()
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ApplicationError(_("Attach a CSV or Excel file."), field="file")
        assert upload.name is not None  # Django keeps only file parts that carry a name
        counts = services.chain_figures_upload(actor=request.user, organisation=organisation,
                                               content=upload.read(), filename=upload.name)
        message = _("%(added)s figures added, %(unchanged)s unchanged.") % counts
    except ApplicationError as exc:
        message = exc.message
    return render(request, "figures/upload_result.html", {"message": message})
