"""`zicht export eurostat|htcds|microdata --year 2024 --out FILE`.

Add `--background` to queue it as a job (huey) and print the job id; follow it
with `zicht report --job ID`.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zicht.figures import jobs, services
from zicht.figures.codes import JobKind


class Command(BaseCommand):
    help = "Write a standard export of the figures."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("format", choices=jobs.EXPORT_FORMATS)
        parser.add_argument("--year", type=int, action="append", required=True,
                            help="Year to export; repeat for several.")
        parser.add_argument("--out", type=Path, help="File to write (foreground runs).")
        parser.add_argument("--background", action="store_true")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        years = sorted(set(options["year"]))
        if options["background"]:
            from zicht.figures.tasks import enqueue

            job, new = services.job_request(actor=None, kind=JobKind.EXPORT,
                                            params={"format": options["format"], "years": years})
            if new:
                enqueue(job.pk)
            self.stdout.write(f"job {job.pk} {'queued' if new else 'already queued'}")
            return
        if not options["out"]:
            raise CommandError("Give --out FILE (or --background).")

        def progress(step: str, done: int, total: int) -> None:
            self.stderr.write(f"{step}: {done}/{total}")

        result = jobs.run_export(options["format"], years=years, out=options["out"],
                                 progress=progress)
        self.stdout.write(json.dumps({"written": str(options["out"]), **result}, default=str))
