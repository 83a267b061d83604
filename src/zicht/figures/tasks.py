"""huey tasks (settings.HUEY; `zicht run_huey` is the worker)."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from .jobs import run_job


@db_task()
def run_job_task(job_id: int) -> None:
    run_job(job_id)


def enqueue(job_id: int) -> None:
    run_job_task(job_id)
