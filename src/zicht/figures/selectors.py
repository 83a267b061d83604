"""Reads: the yearly monitor, chain figures with their history, and the chain funnel."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction

from zicht.organisations.models import User

from . import access, services
from .codes import FUNNEL_MEASURES, Measure
from .counting import CountedRows, counted_rows, signals_by_form, year_bounds
from .models import ChainFigure
from .suppression import threshold_setting
from .tables import monitor_specs

Progress = Callable[[str, int, int], None]


@dataclass
class Monitor:
    year: int
    rows: CountedRows
    tables: dict[tuple[str, ...], services.Published]
    # Per earlier year, the one-way tables: what the trend charts draw.
    trends: dict[str, dict[int, services.Published]] = field(default_factory=dict)


def monitor(*, actor: User | None, year: int, trend_years: int = 5,
            progress: Progress | None = None) -> Monitor:
    """Every monitor table for `year` (suppressed), and the one-way tables of earlier years."""
    if actor is not None:
        access.require_figures(actor)
    # One transaction for all the tables' publication records: one commit, not a hundred.
    with transaction.atomic():
        return _monitor(actor=actor, year=year, trend_years=trend_years, progress=progress)


def _monitor(*, actor: User | None, year: int, trend_years: int,
             progress: Progress | None) -> Monitor:
    start, end = year_bounds(year)
    rows = counted_rows(start=start, end=end)
    specs = monitor_specs()
    total = len(specs) + trend_years
    tables = {}
    for done, dims in enumerate(specs, start=1):
        tables[dims] = services.table_publish(actor=actor, start=start, end=end, by=dims,
                                              rows=rows)
        if progress and done % 10 == 0:
            progress("tables", done, total)
    result = Monitor(year=year, rows=rows, tables=tables)
    singles = [dims for dims in specs if len(dims) == 1]
    for offset, earlier in enumerate(range(year - trend_years + 1, year + 1), start=1):
        first, last = year_bounds(earlier)
        earlier_rows = rows if earlier == year else counted_rows(start=first, end=last)
        for dims in singles:
            published = tables[dims] if earlier == year else services.table_publish(
                actor=actor, start=first, end=last, by=dims, rows=earlier_rows)
            result.trends.setdefault(dims[0], {})[earlier] = published
        if progress:
            progress("trends", len(specs) + offset, total)
    return result


@dataclass
class ChainEntry:
    """The revision of one figure that a report uses, with what came before it."""

    current: ChainFigure
    history: list[ChainFigure]

    @property
    def corrected_after_publication(self) -> bool:
        return any(f.published_on and f.revision < self.current.revision for f in self.history)

    @property
    def first_published(self) -> ChainFigure | None:
        published = [f for f in self.history if f.published_on]
        return published[0] if published else None


def chain_figures(*, actor: User | None, years: Sequence[int] | None = None,
                  as_of: date | None = None) -> list[ChainEntry]:
    """Current revision per figure (as delivered up to `as_of`), oldest revision first."""
    if actor is not None:
        access.require_figures(actor)
    figures = ChainFigure.objects.select_related("organisation")
    if years:
        figures = figures.filter(year__in=list(years))
    if as_of:
        figures = figures.filter(delivered_on__lte=as_of)
    grouped: dict[tuple[Any, ...], list[ChainFigure]] = defaultdict(list)
    for figure in figures.order_by("year", "form", "measure", "breakdown", "organisation_id",
                                   "revision"):
        grouped[(figure.organisation_id, figure.year, figure.form, figure.measure,
                 figure.breakdown)].append(figure)
    return [ChainEntry(current=history[-1], history=history) for history in grouped.values()]


@dataclass
class FunnelStep:
    key: str
    label: str
    value: int | None  # None: suppressed or not delivered
    source: str
    suppressed: bool = False
    corrected: bool = False
    revision: int | None = None

    @property
    def shown(self) -> str:
        if self.suppressed:
            return "x"
        return "" if self.value is None else str(self.value)


@dataclass
class Funnel:
    year: int
    form: str
    steps: list[FunnelStep]

    def drop_offs(self) -> list[int | None]:
        """Per step, the share (%) lost since the step before; None where unknown."""
        out: list[int | None] = [None]
        for before, after in zip(self.steps, self.steps[1:], strict=False):
            if before.value and after.value is not None and not (before.suppressed or
                                                                 after.suppressed):
                out.append(round(100 * (before.value - after.value) / before.value))
            else:
                out.append(None)
        return out


def funnel(*, actor: User | None, year: int, form: str,
           rows: CountedRows | None = None) -> Funnel:
    """Signals → registered victims → investigations → OM cases → rulings → convictions.

    The first two come from the registry by the counting rules and are suppressed
    below the threshold; the rest are the chain organisations' own current
    revisions, summed over organisations.
    """
    from django.utils.translation import gettext as _

    if actor is not None:
        access.require_figures(actor)
    start, end = year_bounds(year)
    rows = rows if rows is not None else counted_rows(start=start, end=end)
    threshold = threshold_setting()
    signals = signals_by_form(start=start, end=end).get(form, 0)
    victims = sum(1 for forms in rows.forms if form in forms)
    steps = [
        FunnelStep("signals", _("Signals"), signals, "zicht", 0 < signals < threshold),
        FunnelStep("victims", _("Registered victims"), victims, "zicht",
                   0 < victims < threshold),
    ]
    entries = [e for e in chain_figures(actor=None, years=[year])
               if e.current.form == form and not e.current.breakdown]
    for measure in FUNNEL_MEASURES:
        mine = [e for e in entries if e.current.measure == measure]
        steps.append(FunnelStep(
            measure, str(Measure(measure).label),
            sum(e.current.value for e in mine) if mine else None,
            "; ".join(sorted({e.current.source for e in mine})),
            corrected=any(e.corrected_after_publication for e in mine),
            revision=max((e.current.revision for e in mine), default=None)))
    for step in steps:
        if step.suppressed:
            step.value = None
    return Funnel(year=year, form=form, steps=steps)

