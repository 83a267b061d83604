"""Import benchmark: `zicht import signals` against plain sqlite3 executemany.

Both write into a fresh migrated SQLite file in the same directory with the same
PRAGMAs. The baseline inserts exactly the person and signal rows the import
stored (read back as tuples, same columns), batch by batch, without any of the
work the import does besides: no validation, no encryption, no blind index, no
access grants, consents or audit rows. The ratio import ÷ raw says what all that
costs; the target is at least 0.20.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import resource
import shutil
import sqlite3
import statistics
from pathlib import Path
from time import perf_counter
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from benchmarks.synthetic import write_signals_csv

ROWS = 100_000
QUICK_ROWS = 300
BATCH_SIZE = 2000
RAW_REPEATS = 3
TARGET_RATIO = 0.20
# The PRAGMAs settings.py gives every Django connection to SQLite.
PRAGMAS = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"


def run(*, quick: bool, workdir: Path, profile_to: Path | None = None) -> dict[str, Any]:
    from zicht.audit.models import AuditEvent
    from zicht.audit.selectors import verify_chain
    from zicht.organisations.services import organisation_create, user_create
    from zicht.registry.importer import PARALLEL_FROM_ROWS, default_workers
    from zicht.registry.models import Consent, Person, PersonAccess, Signal

    # ZICHT_BENCH_IMPORT_ROWS: a smaller file while working on the import (docs/benchmarks.md).
    rows = QUICK_ROWS if quick else int(os.environ.get("ZICHT_BENCH_IMPORT_ROWS", ROWS))
    csv_path = workdir / "signals.csv"
    started = perf_counter()
    persons_in_file = write_signals_csv(csv_path, rows=rows)
    generate_s = perf_counter() - started

    call_command("migrate", verbosity=0)
    organisation = organisation_create(actor=None, name="Politie Benchmark", kind="police",
                                       municipality="GM0599")
    user_create(actor=None, organisation=organisation, role="caseworker", username="bench")
    db_path = Path(settings.DATABASES["default"]["NAME"])
    connection.close()
    template = workdir / "template.sqlite3"
    _copy_database(db_path, template)

    profiler = cProfile.Profile() if profile_to else None
    out = io.StringIO()
    cpu_before = _cpu_seconds()
    started = perf_counter()
    if profiler:
        profiler.enable()
    try:
        call_command("import", "signals", str(csv_path), "--user", "bench", "--no-progress",
                     "--batch-size", str(BATCH_SIZE), stdout=out)
    except CommandError as exc:
        if exc.returncode != 1:  # 1: some rows rejected, the rest imported
            raise
    finally:
        if profiler:
            profiler.disable()
    import_s = perf_counter() - started
    import_cpu_s = _cpu_seconds() - cpu_before  # this process and its checking processes
    if profiler and profile_to:
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(60)
        pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(40)
        profile_to.write_text(stream.getvalue())

    imported = Signal.objects.count()
    chain = verify_chain()
    stored = {
        "persons": Person.objects.count(), "signals": imported,
        "grants": PersonAccess.objects.count(), "consents": Consent.objects.count(),
        "audit_rows": AuditEvent.objects.count(),
    }
    person_columns = [f.column for f in Person._meta.concrete_fields if not f.primary_key]
    signal_columns = [f.column for f in Signal._meta.concrete_fields if not f.primary_key]
    connection.close()
    # The baseline three times, each into a fresh copy; the median counts, so a
    # moment of noise on a busy machine does not decide the ratio.
    rows_to_insert = _stored_rows(db_path, person_columns, signal_columns)
    raw_runs: list[float] = []
    raw_cpu_runs: list[float] = []
    for n in range(RAW_REPEATS):
        target = workdir / f"raw-{n}.sqlite3"
        shutil.copyfile(template, target)
        cpu_before = _cpu_seconds()
        raw_runs.append(_raw_insert(target, *rows_to_insert, person_columns, signal_columns))
        raw_cpu_runs.append(_cpu_seconds() - cpu_before)
    raw_s = statistics.median(raw_runs)
    raw_cpu_s = statistics.median(raw_cpu_runs)
    raw_rows = len(rows_to_insert[1])

    import_rate = imported / import_s
    raw_rate = raw_rows / raw_s
    ratio = import_rate / raw_rate
    return {
        "rows_in_file": rows,
        "persons_in_file": persons_in_file,
        "batch_size": BATCH_SIZE,
        "checking_processes": default_workers() if rows >= PARALLEL_FROM_ROWS else 1,
        "generate_seconds": round(generate_s, 3),
        "import_seconds": round(import_s, 3),
        "import_rows_per_second": round(import_rate, 1),
        "raw_rows": raw_rows,
        "raw_seconds": round(raw_s, 3),
        "raw_seconds_each_run": [round(t, 3) for t in raw_runs],
        "raw_rows_per_second": round(raw_rate, 1),
        "ratio": round(ratio, 4),
        # CPU seconds say what the work costs whatever else the machine is doing;
        # wall-clock seconds (above) are what the target is about.
        "import_cpu_seconds": round(import_cpu_s, 3),
        "raw_cpu_seconds": round(raw_cpu_s, 3),
        "cpu_ratio": round(raw_cpu_s / import_cpu_s, 4),
        "target_ratio": TARGET_RATIO,
        "meets_target": ratio >= TARGET_RATIO,
        "stored": stored,
        "audit_chain_ok": chain.ok,
        "command_output": out.getvalue().strip(),
    }


def summary(result: dict[str, Any]) -> str:
    return (
        f"import: {result['rows_in_file']} rows, batch {result['batch_size']}\n"
        f"  zicht import signals  {result['import_rows_per_second']:>10,.0f} rows/s "
        f"({result['import_seconds']} s)\n"
        f"  sqlite3 executemany   {result['raw_rows_per_second']:>10,.0f} rows/s "
        f"({result['raw_seconds']} s)\n"
        f"  ratio import/raw      {result['ratio']:>10.3f} (target >= {result['target_ratio']}: "
        f"{'met' if result['meets_target'] else 'NOT met'})\n"
        f"  CPU seconds           {result['import_cpu_seconds']} import, "
        f"{result['raw_cpu_seconds']} raw (ratio {result['cpu_ratio']:.3f})\n"
        f"  stored: {result['stored']}; audit chain ok: {result['audit_chain_ok']}"
    )


def _cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended."""
    own, children = (resource.getrusage(who) for who in
                     (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _copy_database(source: Path, target: Path) -> None:
    """A copy of a migrated database: the WAL folded in first, so one file is all of it."""
    with sqlite3.connect(source) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    shutil.copyfile(source, target)


def _stored_rows(source: Path, person_columns: list[str],
                 signal_columns: list[str]) -> tuple[list[tuple], list[tuple]]:
    """The person and signal rows the import stored, as tuples in insertion order."""
    with sqlite3.connect(source) as conn:
        persons = conn.execute(
            f"SELECT id, {', '.join(person_columns)} FROM registry_person ORDER BY id").fetchall()
        signals = conn.execute(
            f"SELECT {', '.join(signal_columns)} FROM registry_signal ORDER BY id").fetchall()
    conn.close()
    assert [p[0] for p in persons] == list(range(1, len(persons) + 1)), "ids not dense"
    return [p[1:] for p in persons], signals  # person ids come again from AUTOINCREMENT


def _raw_insert(target: Path, person_rows: list[tuple], signals: list[tuple],
                person_columns: list[str], signal_columns: list[str]) -> float:
    """Insert the rows with executemany, batch by batch as the import does; the seconds."""
    person_id_at = signal_columns.index("person_id")
    insert_person = (f"INSERT INTO registry_person ({', '.join(person_columns)}) "
                     f"VALUES ({', '.join('?' * len(person_columns))})")
    insert_signal = (f"INSERT INTO registry_signal ({', '.join(signal_columns)}) "
                     f"VALUES ({', '.join('?' * len(signal_columns))})")
    raw = sqlite3.connect(target, isolation_level=None)
    raw.executescript(PRAGMAS)
    persons_done = 0
    started = perf_counter()
    for start in range(0, len(signals), BATCH_SIZE):
        chunk = signals[start:start + BATCH_SIZE]
        needed = max(row[person_id_at] for row in chunk)
        raw.execute("BEGIN IMMEDIATE")
        if needed > persons_done:
            raw.executemany(insert_person, person_rows[persons_done:needed])
            persons_done = needed
        raw.executemany(insert_signal, chunk)
        raw.execute("COMMIT")
    seconds = perf_counter() - started
    raw.close()
    return seconds
