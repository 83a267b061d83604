"""Reads: the yearly monitor, chain figures with their history, and the chain funnel."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction

from zicht.core.exceptions import ApplicationError
from zicht.organisations.models import User

from . import access, services
from .codes import FUNNEL_MEASURES, Measure
from .counting import IDENTIFIED, CountedRows, counted_rows, signals_by_form, year_bounds
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
    # Signals per form in the year (the funnels' first step), counted once.
    signals_by_form: dict[str, int] = field(default_factory=dict)


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
    result = Monitor(year=year, rows=rows, tables=tables,
                     signals_by_form=signals_by_form(start=start, end=end))
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


def funnels(*, actor: User | None, year: int, forms: Sequence[str],
            monitor: Monitor | None = None) -> list[Funnel]:
    """The chain funnel of each form:
    signals → identified victims → investigations → OM cases → rulings → convictions.

    The first two come from the registry by the counting rules. Identified victims
    are the units counted in the year whose victim status was "identified" at its
    end: the cell (form, identified) of the published form × victim status table,
    so that the funnel hides what that table hides (secondary suppression
    included). The rest are the chain organisations' own current revisions,
    summed over organisations.
    """
    if actor is not None:
        access.require_figures(actor)
    start, end = year_bounds(year)
    by_status: services.Published | None
    if monitor is not None and monitor.year == year:
        by_status = monitor.tables[("form", "victim_status")]
        signals = monitor.signals_by_form
    else:
        try:
            by_status = services.table_publish(actor=actor, start=start, end=end,
                                               by=("form", "victim_status"))
        except ApplicationError:
            # The differencing guard refused the table (it differs from one published
            # before by a few persons): then the funnel shows no identified victims.
            by_status = None
        signals = signals_by_form(start=start, end=end)
    entries = chain_figures(actor=None, years=[year])
    return [_funnel(year, form, signals.get(form, 0), by_status, entries) for form in forms]


def funnel(*, actor: User | None, year: int, form: str,
           monitor: Monitor | None = None) -> Funnel:
    return funnels(actor=actor, year=year, forms=[form], monitor=monitor)[0]


def _identified(by_status: services.Published | None, form: str) -> int | None:
    """The published count of identified victims of this form; None where it is hidden."""
    if by_status is None:
        return None
    table = by_status.table.table
    if form not in table.row_keys:
        return 0
    r, c = table.row_keys.index(form), table.col_keys.index(IDENTIFIED)
    return by_status.table.shown(r, c)


def _funnel(year: int, form: str, signals: int, by_status: services.Published | None,
            entries: list[ChainEntry]) -> Funnel:
    from django.utils.translation import gettext as _

    threshold = threshold_setting()
    identified = _identified(by_status, form)
    steps = [
        FunnelStep("signals", _("Signals"), None if 0 < signals < threshold else signals,
                   "zicht", suppressed=0 < signals < threshold),
        FunnelStep("identified", _("Identified victims"), identified, "zicht",
                   suppressed=identified is None),
    ]
    mine = [e for e in entries if e.current.form == form and not e.current.breakdown]
    for measure in FUNNEL_MEASURES:
        delivered = [e for e in mine if e.current.measure == measure]
        steps.append(FunnelStep(
            measure, str(Measure(measure).label),
            sum(e.current.value for e in delivered) if delivered else None,
            "; ".join(sorted({e.current.source for e in delivered})),
            corrected=any(e.corrected_after_publication for e in delivered),
            revision=max((e.current.revision for e in delivered), default=None)))
    return Funnel(year=year, form=form, steps=steps)
