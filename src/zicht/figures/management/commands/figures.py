"""`zicht figures --year 2024 --by form,sex --format csv`: one published (suppressed) table.

Also `zicht figures chain --year 2023` (chain figures with their revisions) and
`zicht figures funnel --year 2023 --form labour`. Suppressed cells are "x".
"""

from __future__ import annotations

import csv
import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zicht.core.exceptions import ApplicationError
from zicht.figures import selectors, services
from zicht.figures.counting import year_bounds
from zicht.figures.suppression import SUPPRESSED_MARK
from zicht.figures.tables import labels


class Command(BaseCommand):
    help = "Print a published monitor table, the chain figures or a chain funnel."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", nargs="?", default="table", choices=["table", "chain", "funnel"])
        parser.add_argument("--year", type=int, help="Calendar year (or use --from/--to).")
        parser.add_argument("--from", dest="start", type=date.fromisoformat)
        parser.add_argument("--to", dest="end", type=date.fromisoformat)
        parser.add_argument("--by", default="form", help="One or two dimensions, e.g. form,sex.")
        parser.add_argument("--regions", help="Only these regions (comma-separated keys).")
        parser.add_argument("--form", default="labour", help="Form for the funnel.")
        parser.add_argument("--format", default="csv", choices=["csv", "json", "text"])
        parser.add_argument("--labels", action="store_true",
                            help="Labels in the current language instead of codes.")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        try:
            if options["what"] == "chain":
                self._chain(options)
            elif options["what"] == "funnel":
                self._funnel(options)
            else:
                self._table(options)
        except ApplicationError as error:
            raise CommandError(f"{error.field or 'error'}: {error.message}") from None

    def _period(self, options) -> tuple[date, date]:  # type: ignore[no-untyped-def]
        if options["year"]:
            return year_bounds(options["year"])
        if options["start"] and options["end"]:
            return options["start"], options["end"]
        raise CommandError("Give --year, or --from and --to.")

    def _table(self, options) -> None:  # type: ignore[no-untyped-def]
        start, end = self._period(options)
        regions = options["regions"].split(",") if options["regions"] else None
        published = services.table_publish(actor=None, start=start, end=end, by=options["by"],
                                           regions=regions)
        table = published.table.table
        names = labels(table)
        row_names = [*(names["rows"] if options["labels"] else table.row_keys), "total"]
        if table.col_dim:
            cols = [*(names["cols"] if options["labels"] else table.col_keys), "total"]
        else:
            cols = ["persons"]
        grid = published.table.as_rows(mark=SUPPRESSED_MARK)
        if options["format"] == "json":
            self.stdout.write(json.dumps({
                "start": start.isoformat(), "end": end.isoformat(), "by": list(table.dims),
                "rows": row_names, "columns": cols, "cells": grid,
                "threshold": published.table.threshold}, indent=2))
            return
        header = ["/".join(table.dims), *cols]
        if options["format"] == "text":
            width = max(len(str(v)) for v in [*row_names, *cols, 5]) + 2
            self.stdout.write("".join(str(h).ljust(width) for h in header))
            for name, row in zip(row_names, grid, strict=True):
                self.stdout.write("".join(str(v).ljust(width) for v in [name, *row]))
            return
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(header)
        for name, row in zip(row_names, grid, strict=True):
            writer.writerow([name, *row])

    def _chain(self, options) -> None:  # type: ignore[no-untyped-def]
        years = [options["year"]] if options["year"] else None
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(["year", "form", "measure", "breakdown", "organisation", "value",
                         "revision", "source", "delivered_on", "corrected_after_publication",
                         "reason"])
        for entry in selectors.chain_figures(actor=None, years=years):
            f = entry.current
            writer.writerow([f.year, f.form, f.measure, f.breakdown, f.organisation.name,
                             f.value, f.revision, f.source, f.delivered_on.isoformat(),
                             "yes" if entry.corrected_after_publication else "no", f.reason])

    def _funnel(self, options) -> None:  # type: ignore[no-untyped-def]
        if not options["year"]:
            raise CommandError("Give --year.")
        funnel = selectors.funnel(actor=None, year=options["year"], form=options["form"])
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(["step", "value", "drop_off_percent", "source", "revision", "corrected"])
        for step, drop in zip(funnel.steps, funnel.drop_offs(), strict=True):
            writer.writerow([step.key, step.shown, "" if drop is None else drop, step.source,
                             step.revision or "", "yes" if step.corrected else ""])
