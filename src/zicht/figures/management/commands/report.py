"""`zicht report --year 2024 --out DIR`: the yearly report as HTML, PDF and Excel.

`--background` queues it as a job (for many years at once); `--job ID` shows a
job's progress; `--publish "NAME"` records that the chain figures used went out
in that publication (so later corrections are flagged).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zicht.figures import services
from zicht.figures.codes import JobKind
from zicht.figures.models import Job
from zicht.figures.reports import write_report


class Command(BaseCommand):
    help = "Write the yearly figures report (HTML, PDF, Excel)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, action="append", help="Repeat for several.")
        parser.add_argument("--out", type=Path)
        parser.add_argument("--trend-years", type=int, default=5)
        parser.add_argument("--no-pdf", action="store_true")
        parser.add_argument("--publish", help="Name of the publication this report is.")
        parser.add_argument("--background", action="store_true")
        parser.add_argument("--job", type=int, help="Show the progress of a job.")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        if options["job"]:
            job = Job.objects.filter(pk=options["job"]).first()
            if job is None:
                raise CommandError(f"No job {options['job']}.")
            self.stdout.write(f"job {job.pk} {job.kind} {job.state} {job.percent}% "
                              f"{job.step} {job.output}{(' ' + job.error) if job.error else ''}")
            return
        years = sorted(set(options["year"] or []))
        if not years:
            raise CommandError("Give --year.")
        if options["background"]:
            from zicht.figures.tasks import enqueue

            job, new = services.job_request(actor=None, kind=JobKind.REPORT, params={
                "years": years, "trend_years": options["trend_years"],
                "pdf": not options["no_pdf"]})
            if new:
                enqueue(job.pk)
            self.stdout.write(f"job {job.pk} {'queued' if new else 'already queued'}")
            return
        if not options["out"]:
            raise CommandError("Give --out DIR (or --background).")

        def progress(step: str, done: int, total: int) -> None:
            self.stderr.write(f"{step}: {done}/{total}")

        for year in years:
            for path in write_report(actor=None, year=year, out_dir=options["out"],
                                     trend_years=options["trend_years"],
                                     pdf=not options["no_pdf"], progress=progress,
                                     publish_as=options["publish"]):
                self.stdout.write(str(path))
