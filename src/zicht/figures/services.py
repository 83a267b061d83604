"""Every write of the figures module: publishing tables, delivering chain figures, jobs.

`actor=None` is the command line on the server: the operator who runs it is
trusted as the national coordinator would be, and audited as "system".
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zicht.audit.services import audit_record
from zicht.core.exceptions import ApplicationError
from zicht.organisations.models import Organisation, User
from zicht.registry.codes import Form

from . import access
from .codes import JobKind, JobState, Measure
from .counting import DIMENSIONS, CountedRows, counted_rows
from .models import ChainFigure, Job, PublishedTable
from .suppression import SuppressedTable, suppress, threshold_setting
from .tables import Table, build_table, parse_dims

TOTAL_KEY = "__total__"


# ---------------------------------------------------------------- published tables

@dataclass
class Population:
    start: date
    end: date
    regions: frozenset[str] | None  # None: every region

    def as_spec(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(),
                "regions": sorted(self.regions) if self.regions is not None else None}

    @classmethod
    def from_spec(cls, spec: dict[str, Any]) -> Population:
        regions = spec.get("regions")
        return cls(date.fromisoformat(spec["start"]), date.fromisoformat(spec["end"]),
                   frozenset(regions) if regions is not None else None)

    def within(self, other: Population) -> bool:
        regions_in = other.regions is None or (
            self.regions is not None and self.regions <= other.regions)
        return other.start <= self.start and self.end <= other.end and regions_in


def filter_regions(rows: CountedRows, regions: Iterable[str] | None) -> CountedRows:
    if regions is None:
        return rows
    wanted = set(regions)
    unknown = wanted - {key for key, _label in DIMENSIONS["region"].categories}
    if unknown:
        raise ApplicationError(f"Unknown region(s): {', '.join(sorted(unknown))}.",
                               field="regions")
    codes, categories = rows.coded("region")
    keep = np.isin(codes, [i for i, region in enumerate(categories) if region in wanted])
    return rows.subset(keep)


def _entry_keys(table: Table) -> tuple[list[str], list[str]]:
    rows = [*table.row_keys, TOTAL_KEY]
    cols = [*table.col_keys, TOTAL_KEY] if table.col_dim else [TOTAL_KEY]
    return rows, cols


def _published_cells(published: SuppressedTable) -> dict[str, int | None]:
    rows, cols = _entry_keys(published.table)
    shown = published.shown_grid()
    return {f"{rows[r]}|{cols[c]}": shown[r][c]
            for r in range(len(rows)) for c in range(len(cols))}


def _dims_key(dims: Sequence[str]) -> str:
    return hashlib.sha256(",".join(dims).encode()).hexdigest()


def differencing_guard(table: Table, population: Population, *, threshold: int
                       ) -> set[tuple[int, int]]:
    """Entries to hide because an earlier table of a nested population differs by < threshold.

    Two published tables whose populations nest (a period inside another, one set
    of regions inside another) differ by exactly the units in between. Where that
    difference is 1..threshold-1 the new entry is hidden; when the whole tables
    differ by so few units the new table is refused.
    """
    rows, cols = _entry_keys(table)
    grid = table.grid()
    hide: set[tuple[int, int]] = set()
    for earlier in PublishedTable.objects.filter(key=_dims_key(table.dims)).only("spec", "cells"):
        other = Population.from_spec(earlier.spec)
        if not (population.within(other) or other.within(population)):
            continue
        earlier_total = earlier.cells.get(f"{TOTAL_KEY}|{TOTAL_KEY}")
        if earlier_total is not None and 0 < abs(earlier_total - table.total) < threshold:
            raise ApplicationError(
                _("This table differs from one published before by fewer than %(n)s persons; "
                  "together they would single them out.") % {"n": threshold},
                field="regions" if population.regions != other.regions else "period")
        for r, row_key in enumerate(rows):
            for c, col_key in enumerate(cols):
                before = earlier.cells.get(f"{row_key}|{col_key}")
                if before is not None and 0 < abs(before - grid[r][c]) < threshold:
                    hide.add((r, c))
    return hide


@dataclass
class Published:
    table: SuppressedTable
    population: Population

    @property
    def dims(self) -> tuple[str, ...]:
        return self.table.table.dims


@transaction.atomic
def table_publish(*, actor: User | None, start: date, end: date, by: str | Sequence[str],
                  regions: Sequence[str] | None = None, rows: CountedRows | None = None,
                  threshold: int | None = None) -> Published:
    """One suppressed table, checked against earlier ones and recorded for later checks."""
    if actor is not None:
        access.require_figures(actor)
    if end < start:
        raise ApplicationError(_("The period ends before it starts."), field="end")
    dims = parse_dims(by)
    threshold = threshold_setting() if threshold is None else threshold
    population = Population(start, end, frozenset(regions) if regions is not None else None)
    base = rows if rows is not None else counted_rows(start=start, end=end)
    table = build_table(filter_regions(base, regions), dims)
    hide = differencing_guard(table, population, threshold=threshold)
    published = suppress(table, threshold=threshold, extra_primary=hide)
    cells = _published_cells(published)
    spec = {**population.as_spec(), "by": list(dims), "threshold": threshold}
    record = PublishedTable.objects.create(key=_dims_key(dims), spec=spec, cells=cells,
                                           published_by=actor)
    audit_record(actor=actor, action="figures.table_publish", obj=record,
                 detail={"by": list(dims), "start": spec["start"], "end": spec["end"],
                         "regions": spec["regions"], "suppressed": len(published.suppressed())})
    return Published(table=published, population=population)


# ---------------------------------------------------------------- chain figures

def _validate_chain(*, year: int, form: str, measure: str, value: Any, source: str) -> int:
    if not 1990 <= int(year) <= timezone.localdate().year:
        raise ApplicationError(_("Give a year from 1990 up to this year."), field="year")
    if form not in Form.values and form != "all":
        raise ApplicationError(
            _("Unknown form of exploitation %(form)r.") % {"form": form}, field="form")
    if measure not in Measure.values:
        raise ApplicationError(_("Unknown measure %(m)r.") % {"m": measure}, field="measure")
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ApplicationError(_("The value must be a whole number."), field="value") from None
    if number < 0 or str(value).strip() not in (str(number), f"{number}.0"):
        raise ApplicationError(_("The value must be a whole number, 0 or more."),
                               field="value")
    if not str(source).strip():
        raise ApplicationError(_("Name the source of the figure."), field="source")
    return number


@transaction.atomic
def chain_figure_deliver(*, actor: User | None, organisation: Organisation, year: int,
                         form: str, measure: str, value: Any, source: str,
                         delivered_on: date | None = None, breakdown: str = "",
                         reason: str = "", published_on: date | None = None,
                         published_in: str = "") -> ChainFigure | None:
    """Add a revision of one figure; None when it equals the current one (re-deliveries).

    The first delivery needs no reason; a correction (a different value for a
    figure already delivered) does.
    """
    if actor is not None:
        access.require_chain_delivery(actor, organisation)
    number = _validate_chain(year=year, form=form, measure=measure, value=value, source=source)
    current = (ChainFigure.objects.select_for_update()
               .filter(organisation=organisation, year=year, form=form, measure=measure,
                       breakdown=breakdown).order_by("-revision").first())
    if current is not None and current.value == number:
        return None
    if current is not None and not reason.strip():
        raise ApplicationError(_("A correction needs a reason."), field="reason")
    figure = ChainFigure.objects.create(
        organisation=organisation, year=year, form=form, measure=measure, breakdown=breakdown,
        revision=(current.revision + 1) if current else 1, value=number, source=source.strip(),
        delivered_on=delivered_on or timezone.localdate(), reason=reason.strip(),
        published_on=published_on, published_in=published_in, delivered_by=actor)
    audit_record(actor=actor, action="figures.chain_deliver", obj=figure,
                 detail={"year": year, "form": form, "measure": measure, "value": number,
                         "revision": figure.revision, "organisation": organisation.pk})
    return figure


UPLOAD_COLUMNS = ("year", "form", "measure", "value", "source")


def _upload_rows(content: bytes, filename: str) -> list[dict[str, str]]:
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        except Exception:  # openpyxl raises many kinds for a broken file
            raise ApplicationError(_("The Excel file cannot be read."), field="file") from None
        values = [["" if v is None else str(v) for v in row]
                  for row in sheet.iter_rows(values_only=True)]
        if not values:
            return []
        header = [h.strip().lower() for h in values[0]]
        return [dict(zip(header, row, strict=False)) for row in values[1:] if any(row)]
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApplicationError(_("The CSV file must be UTF-8."), field="file") from None
    reader = csv.DictReader(io.StringIO(text))
    reader.fieldnames = [f.strip().lower() for f in reader.fieldnames or []]
    return list(reader)


@transaction.atomic
def chain_figures_upload(*, actor: User | None, organisation: Organisation, content: bytes,
                         filename: str) -> dict[str, int]:
    """Deliver a CSV or Excel sheet of figures; all rows or none (a bad row names its line)."""
    if actor is not None:
        access.require_chain_delivery(actor, organisation)
    rows = _upload_rows(content, filename)
    if not rows:
        raise ApplicationError(_("The file holds no figures."), field="file")
    missing = [c for c in UPLOAD_COLUMNS if c not in rows[0]]
    if missing:
        raise ApplicationError(
            _("Missing column(s): %(cols)s.") % {"cols": ", ".join(missing)}, field="file")
    counts = {"added": 0, "unchanged": 0}
    for line, row in enumerate(rows, start=2):
        try:
            delivered = row.get("delivered_on") or ""
            figure = chain_figure_deliver(
                actor=actor, organisation=organisation, year=int(row["year"] or 0),
                form=row["form"].strip(), measure=row["measure"].strip(), value=row["value"],
                source=row["source"], breakdown=(row.get("breakdown") or "").strip(),
                reason=row.get("reason") or "",
                delivered_on=date.fromisoformat(delivered[:10]) if delivered else None)
        except ApplicationError as error:
            raise ApplicationError(f"line {line}: {error.message}", field="file") from None
        except ValueError:
            raise ApplicationError(f"line {line}: year or date unreadable", field="file") from None
        counts["added" if figure else "unchanged"] += 1
    return counts


@transaction.atomic
def chain_figures_mark_published(*, actor: User | None, figures: Iterable[ChainFigure],
                                 publication: str, on: date) -> int:
    """Record that these revisions went out in a publication (first publication kept)."""
    ids = [f.pk for f in figures]
    updated = ChainFigure.objects.filter(pk__in=ids, published_on__isnull=True).update(
        published_on=on, published_in=publication)
    audit_record(actor=actor, action="figures.chain_published",
                 detail={"publication": publication, "figures": len(ids)})
    return updated


# ---------------------------------------------------------------- jobs

def params_key(kind: str, params: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps([kind, params], sort_keys=True).encode()).hexdigest()


@transaction.atomic
def job_request(*, actor: User | None, kind: str, params: dict[str, Any]) -> tuple[Job, bool]:
    """A job for these parameters; an unfinished one with the same parameters is reused."""
    if actor is not None:
        access.require_figures(actor)
        if kind == JobKind.EXPORT and params.get("format") == "htcds":
            access.require_case_level_export(actor)
    key = params_key(kind, params)
    running = Job.objects.filter(params_key=key, state__in=[JobState.QUEUED, JobState.RUNNING])
    existing = running.first()
    if existing:
        return existing, False
    job = Job.objects.create(kind=kind, params=params, params_key=key, requested_by=actor)
    audit_record(actor=actor, action="figures.job_request", obj=job, detail=params)
    return job, True


def job_progress(job: Job, step: str, done: int, total: int) -> None:
    """Progress is written outside any transaction, so that others see it while the job runs."""
    Job.objects.filter(pk=job.pk).update(step=step[:200], done=done, total=total,
                                         state=JobState.RUNNING)
    job.step, job.done, job.total, job.state = step[:200], done, total, JobState.RUNNING


def job_finish(job: Job, *, output: str = "", error: str = "") -> None:
    state = JobState.FAILED if error else JobState.DONE
    Job.objects.filter(pk=job.pk).update(state=state, output=output, error=error,
                                         finished_at=timezone.now(),
                                         done=job.total if not error else job.done)
    job.state, job.output, job.error = state, output, error
