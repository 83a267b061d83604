"""The yearly report: built once as data, written as HTML, PDF (WeasyPrint) and Excel.

Writing goes to a temporary directory that replaces the output only when all
files are done, so a report can be re-run (or interrupted) safely.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zicht.organisations.models import User

from . import charts, render, selectors, services
from .counting import DIMENSIONS
from .exports import excel
from .selectors import ChainEntry, Funnel, Monitor, Progress
from .suppression import SUPPRESSED_MARK
from .tables import labels

FUNNEL_FORMS = ("sexual", "labour", "criminal")


@dataclass
class TableView:
    title: str
    names: dict[str, Any]
    rows: list[tuple[str, list[Any]]]
    two_way: bool
    suppressed: int
    chart_svg: str


def _table_view(published: services.Published, chart_svg: str) -> TableView:
    table = published.table.table
    names = labels(table)
    title = names["row_title"] + (f" × {names['col_title']}" if table.col_dim else "")
    grid = published.table.as_rows(mark=SUPPRESSED_MARK)
    rows = list(zip([*names["rows"], _("Total")], grid, strict=True))
    return TableView(title=title, names=names, rows=rows, two_way=bool(table.col_dim),
                     suppressed=len(published.table.suppressed()), chart_svg=chart_svg)


def build_context(*, actor: User | None, year: int, trend_years: int = 5,
                  progress: Progress | None = None, charts_on: bool = True) -> dict[str, Any]:
    monitor = selectors.monitor(actor=actor, year=year, trend_years=trend_years,
                                progress=progress)
    return context_for(monitor, actor=actor, progress=progress, charts_on=charts_on)


def context_for(monitor: Monitor, *, actor: User | None, progress: Progress | None = None,
                charts_on: bool = True) -> dict[str, Any]:
    one_way: list[TableView] = []
    two_way: list[TableView] = []
    specs: list[dict[str, Any] | None] = []
    for dims, published in monitor.tables.items():
        if not charts_on:
            specs.append(None)
        elif len(dims) == 1:
            specs.append(charts.trend_spec(dims[0], monitor.trends[dims[0]]))
        else:
            specs.append(charts.crosstab_spec(published))
    svgs = render_all(specs, progress=progress)
    for (dims, published), svg in zip(monitor.tables.items(), svgs, strict=True):
        (one_way if len(dims) == 1 else two_way).append(_table_view(published, svg))
    years = sorted(next(iter(monitor.trends.values()), {monitor.year: None}))
    entries = selectors.chain_figures(actor=actor, years=years)
    funnels: list[tuple[Funnel, list[int | None], str]] = []
    for funnel in selectors.funnels(actor=actor, year=monitor.year, forms=FUNNEL_FORMS,
                                    monitor=monitor):
        if any(step.value is not None for step in funnel.steps[2:]):
            svg = charts.to_svg(charts.funnel_spec(funnel)) if charts_on else ""
            funnels.append((funnel, funnel.drop_offs(), svg))
    return {
        "year": monitor.year, "generated_at": timezone.now(), "persons": len(monitor.rows),
        "threshold": next(iter(monitor.tables.values())).table.threshold,
        "one_way": one_way, "two_way": two_way, "chain": _chain_rows(entries),
        "funnels": funnels, "sources": sorted({e.current.source for e in entries}),
        "mark": SUPPRESSED_MARK, "LANGUAGE_CODE": get_language() or "en",
    }


def render_all(specs: list[dict[str, Any] | None], *, progress: Progress | None = None
               ) -> list[str]:
    """SVGs of the specs, drawn in worker processes when there are many (render.py)."""
    if progress:
        progress("charts", 0, len(specs))
    svgs = render.svgs(specs, done=(lambda n: progress("charts", n, len(specs)))
                       if progress else None)
    if progress:
        progress("charts", len(specs), len(specs))
    return svgs


def _chain_rows(entries: list[ChainEntry]) -> list[dict[str, Any]]:
    rows = []
    for entry in entries:
        figure = entry.current
        first = entry.first_published
        rows.append({
            "year": figure.year, "form": DIMENSIONS["form"].label_of(figure.form),
            "measure": figure.get_measure_display(), "breakdown": figure.breakdown,
            "organisation": figure.organisation.name, "value": figure.value,
            "revision": figure.revision, "source": figure.source,
            "delivered_on": figure.delivered_on, "reason": figure.reason,
            "corrected": entry.corrected_after_publication,
            "first_value": first.value if first else None,
            "first_published_in": first.published_in if first else "",
            "first_published_on": first.published_on if first else None,
        })
    return rows


def render_html(context: dict[str, Any]) -> str:
    return render_to_string("figures/report.html", context)


def write_report(*, actor: User | None, year: int, out_dir: Path, trend_years: int = 5,
                 pdf: bool = True, progress: Progress | None = None,
                 publish_as: str | None = None) -> list[Path]:
    """report-YEAR.html, report-YEAR.pdf and tables-YEAR.xlsx in `out_dir`."""
    monitor = selectors.monitor(actor=actor, year=year, trend_years=trend_years,
                                progress=progress)
    context = context_for(monitor, actor=actor, progress=progress)
    html = render_html(context)
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".report-", dir=out_dir))
    try:
        names = [f"report-{year}.html", f"tables-{year}.xlsx"]
        (staging / names[0]).write_text(html, encoding="utf-8")
        with (staging / names[1]).open("wb") as handle:
            excel.write(handle, monitor)
        if pdf:
            from weasyprint import HTML

            if progress:
                progress("pdf", 0, 1)
            names.append(f"report-{year}.pdf")
            HTML(string=html, base_url=str(staging)).write_pdf(staging / names[-1])
        written = []
        for name in names:
            target = out_dir / name
            (staging / name).replace(target)
            written.append(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if publish_as:
        used = [e.current for e in selectors.chain_figures(actor=None, years=[year])]
        services.chain_figures_mark_published(actor=actor, figures=used, publication=publish_as,
                                              on=date.today())
    return written
