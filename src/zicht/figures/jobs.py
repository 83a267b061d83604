"""Long reports and exports as jobs: run in the background by huey, or in the foreground.

A job writes its progress to its row as it goes (the UI and `zicht report
--job ID` read it), and its files to VAR_DIR/figures/job-ID. Running a job
again rewrites its files; asking for the same parameters while one is queued
or running returns that one (services.job_request).
"""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from . import services
from .codes import JobKind
from .models import Job

EXPORT_FORMATS = ("eurostat", "htcds", "microdata")


def output_dir(job: Job) -> Path:
    return Path(settings.VAR_DIR) / "figures" / f"job-{job.pk}"


def run_export(fmt: str, *, years: list[int], out: Path, progress: Any = None) -> dict[str, Any]:
    """Write one export file atomically; returns what was written (for microdata: k etc.)."""
    from .exports import eurostat, htcds, microdata

    if fmt not in EXPORT_FORMATS:
        raise ValueError(fmt)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    with partial.open("w", encoding="utf-8", newline="") as handle:
        if fmt == "microdata":
            report = microdata.write(handle, years=years, progress=progress)
            result: dict[str, Any] = report.as_dict()
        else:
            writer = eurostat.write if fmt == "eurostat" else htcds.write
            result = {"rows": writer(handle, years=years, progress=progress)}
    partial.replace(out)
    return result


def run_job(job_id: int) -> Job:
    from .reports import write_report

    job = Job.objects.get(pk=job_id)
    services.job_progress(job, "starting", 0, 0)

    def progress(step: str, done: int, total: int) -> None:
        services.job_progress(job, step, done, total)

    try:
        params = job.params
        target = output_dir(job)
        if job.kind == JobKind.REPORT:
            written = []
            years = params["years"]
            for done, year in enumerate(years):
                progress(f"report {year}", done, len(years))
                written += write_report(actor=job.requested_by, year=year, out_dir=target,
                                        trend_years=params.get("trend_years", 5),
                                        pdf=params.get("pdf", True))
            services.job_finish(job, output=str(target))
        else:
            out = target / f"{params['format']}-{'-'.join(map(str, params['years']))}.csv"
            run_export(params["format"], years=params["years"], out=out, progress=progress)
            services.job_finish(job, output=str(out))
    except Exception as error:  # the job records any failure; the worker carries on
        services.job_finish(job, error=f"{error}\n{traceback.format_exc(limit=5)}")
    job.finished_at = job.finished_at or timezone.now()
    return job
