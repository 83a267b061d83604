"""Figures benchmark: the full yearly monitor over 1,000,000 signals for 400,000 persons.

Persons, signals and organisations are bulk-inserted straight into the tables
(no services, no encryption: figures read plain columns only), all signals in
one year, so the yearly monitor counts every person. Timed, in one run:

- zicht: the counting query, every monitor table (each dimension and every
  pair), primary and secondary suppression with the differencing guard and its
  publication records, and the charts (vl-convert) of every table;
- the same counts by DuckDB over a Parquet export (pyarrow) of the same rows.

Both produce the unsuppressed counts of every table; they are compared cell by
cell, and the ratio of the wall times is reported (counts only, and with the
suppression and the charts). Peak memory is the process's resident high-water
mark after each phase (ru_maxrss) and the Python allocations' peak (tracemalloc)
of the counting step, measured in a separate untimed run. No shelter stays are
generated (the placement table is empty), so the shelter dimension is all "not placed".

On PostgreSQL: `python -m benchmarks.figures_monitor --postgres URL [--quick]`
creates a scratch database on that server, runs the same, and drops it.
"""

from __future__ import annotations

import cProfile
import gc
import io
import json
import pstats
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path
from typing import Any

PERSONS = 400_000
SIGNALS = 1_000_000
QUICK_PERSONS = 4_000
QUICK_SIGNALS = 10_000
YEAR = 2024
BATCH = 20_000

FORMS = ["sexual"] * 55 + ["labour"] * 20 + ["criminal"] * 15 + ["servitude"] * 4 + [
    "slavery", "organs", "forced_marriage", "surrogacy", "illegal_adoption"]
COUNTRIES = ["NL"] * 30 + ["RO"] * 12 + ["BG"] * 8 + ["PL"] * 8 + ["UA"] * 6 + ["NG"] * 7 + [
    "CN"] * 3 + ["HU", "SK", "MA", "ER", "SY", "VN", "BR", "IN", "TH", "UG", "DE", "FR"]
KINDS = ["ngo", "police", "kmar", "labour_inspectorate", "municipality", "shelter",
         "youth_care", "health", "coa", "ind"]
SEXES = ["female"] * 7 + ["male"] * 3 + ["unknown"]
CONSENTS = ["given"] * 6 + ["unknown"] * 2 + ["refused", "withdrawn"]
SCOPES = ["domestic", "cross_border", "unknown"]
SECTORS = [""] * 6 + ["A", "C", "F", "I", "N", "T", "S", "H"]


def _rss_mb() -> float:
    # Linux reports kilobytes.
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _populate(persons: int, signals: int, seed: int = 20241) -> dict[str, Any]:
    from django.db import connection, transaction

    from zicht.demo.places import REGIONS
    from zicht.organisations.models import Organisation, User
    from zicht.registry.codes import age_group_for

    rng = random.Random(seed)
    municipalities = [m.code for r in REGIONS for m in r.municipalities] + ["GM9999"]
    orgs = []
    for i, kind in enumerate(KINDS * 3):
        orgs.append(Organisation.objects.create(name=f"Bench {kind} {i}", kind=kind,
                                                municipality=rng.choice(municipalities)))
    user = User.objects.create(username="bench", organisation=orgs[0], role="caseworker")
    duty = {o.pk: o.kind in ("police", "kmar", "labour_inspectorate") for o in orgs}
    now = "2025-01-01 00:00:00"
    started = time.perf_counter()
    person_sql = (
        "INSERT INTO registry_person (id, data_key, identity_ciphertext, name_birth_index, sex, "
        "birth_year, birth_date_precision, citizenships, languages, registering_organisation_id,"
        " created_by_id, created_at, updated_at, consent_registration, consent_care, "
        "consent_police, duty_registered) VALUES "
        "(%s, '-', '-', '-', %s, %s, 'year', %s, '[]', %s, %s, %s, %s, %s, 'unknown', "
        "'unknown', %s)")
    signal_sql = (
        "INSERT INTO registry_signal (person_id, reporting_organisation_id, reported_by_id, "
        "signalled_on, forms, sector, indicators, municipality, scope, source, "
        "text_ciphertext, age_at_signal, age_group, minor_at_signal, duty_registration, "
        "created_at, updated_at) VALUES "
        "(%s, %s, %s, %s, %s, %s, '[]', %s, %s, 'own_observation', '', %s, %s, %s, %s, %s, %s)")
    births: list[int | None] = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM registry_person")
        first_id = cursor.fetchone()[0] + 1
        rows = []
        for n in range(persons):
            birth = rng.choice([None] + list(range(1955, 2012)))
            births.append(birth)
            cits = rng.choice(COUNTRIES) if rng.random() < 0.95 else None
            cit_list = [cits] if cits else []
            if rng.random() < 0.05:
                cit_list.append(rng.choice(COUNTRIES))
            rows.append((first_id + n, rng.choice(SEXES), birth, json.dumps(cit_list),
                         orgs[0].pk, user.pk, now, now, rng.choice(CONSENTS), False))
            if len(rows) == BATCH:
                cursor.executemany(person_sql, rows)
                rows = []
        if rows:
            cursor.executemany(person_sql, rows)
        rows = []
        start = date(YEAR, 1, 1)
        for n in range(signals):
            # Every person at least once; the rest spread, some persons many times.
            index = n if n < persons else int(rng.random() ** 2 * persons)
            org = rng.choice(orgs)
            day = start + timedelta(days=rng.randrange(366))
            birth = births[index]
            age = None if birth is None else max(0, YEAR - birth - 1)
            forms = [rng.choice(FORMS)] + ([rng.choice(FORMS)] if rng.random() < 0.1 else [])
            rows.append((first_id + index, org.pk, user.pk, day.isoformat(),
                         json.dumps(list(dict.fromkeys(forms))), rng.choice(SECTORS),
                         rng.choice(municipalities), rng.choice(SCOPES), age,
                         age_group_for(age), age is None or age < 18, duty[org.pk], now, now))
            if len(rows) == BATCH:
                cursor.executemany(signal_sql, rows)
                rows = []
        if rows:
            cursor.executemany(signal_sql, rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"persons": persons, "signals": signals,
            "load_seconds": round(time.perf_counter() - started, 1)}


def _zicht_counts(monitor: Any) -> dict[str, dict[tuple[str, ...], int]]:
    out = {}
    for dims, published in monitor.tables.items():
        table = published.table.table
        cells = {}
        for r, row_key in enumerate(table.row_keys):
            for c, col_key in enumerate(table.col_keys):
                if table.cells[r][c]:
                    cells[(row_key,) if len(dims) == 1 else (row_key, col_key)] = \
                        table.cells[r][c]
        out["x".join(dims)] = cells
    return out


DUCK_REFERENCE = """
CREATE TEMP TABLE ref AS
SELECT *, CASE WHEN EXISTS (
    SELECT 1 FROM read_parquet('{dir}/placement.parquet') pl WHERE pl.person_id = ranked.unit
    AND pl.started_on <= DATE '{end}' AND (pl.ended_on IS NULL OR pl.ended_on >= DATE '{start}'))
  THEN 'placed' ELSE 'not_placed' END AS shelter
FROM (
  SELECT s.person_id AS unit, s.forms, CASE WHEN s.sector = '' THEN 'unknown' ELSE s.sector END
         AS sector, p.sex, CASE WHEN s.minor_at_signal THEN 'minor' ELSE 'adult' END AS minor,
         s.age_group, p.citizenships, o.kind AS organisation_kind, s.municipality, s.scope,
         ROW_NUMBER() OVER (PARTITION BY s.person_id ORDER BY s.signalled_on, s.id) AS rn
  FROM read_parquet('{dir}/signal.parquet') s
  JOIN read_parquet('{dir}/person.parquet') p ON p.id = s.person_id
  JOIN read_parquet('{dir}/organisation.parquet') o ON o.id = s.reporting_organisation_id
  WHERE s.signalled_on BETWEEN DATE '{start}' AND DATE '{end}'
    AND (p.consent_registration = 'given' OR s.duty_registration)
) ranked WHERE rn = 1
"""


def _export_parquet(directory: Path) -> float:
    """The three tables the monitor reads, as Parquet files (what an analyst would get)."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from django.db import connection

    started = time.perf_counter()
    queries = {
        "person": "SELECT id, sex, citizenships, consent_registration FROM registry_person",
        "organisation": "SELECT id, kind FROM organisations_organisation",
        "placement": "SELECT person_id, started_on, ended_on FROM shelters_placement",
        "signal": "SELECT id, person_id, reporting_organisation_id, signalled_on, forms, "
                  "sector, age_group, minor_at_signal, municipality, scope, duty_registration "
                  "FROM registry_signal",
    }
    for name, sql in queries.items():
        with connection.cursor() as cursor:
            cursor.execute(sql)
            columns = [d[0] for d in cursor.description]
            writer = None
            while batch := cursor.fetchmany(100_000):
                data = {}
                for i, col in enumerate(columns):
                    values = [row[i] for row in batch]
                    if col in ("citizenships", "forms"):
                        values = [v if isinstance(v, list) else json.loads(v) for v in values]
                    elif col in ("signalled_on", "started_on", "ended_on"):
                        values = [v if isinstance(v, date) or v is None
                                  else date.fromisoformat(v) for v in values]
                    elif col in ("minor_at_signal", "duty_registration"):
                        values = [bool(v) for v in values]
                    data[col] = values
                table = pa.table(data)
                if writer is None:
                    writer = pq.ParquetWriter(directory / f"{name}.parquet", table.schema)
                writer.write_table(table)
            if writer:
                writer.close()
            elif name == "placement":  # no stays at all: an empty file with the schema
                pq.write_table(pa.table({"person_id": pa.array([], pa.int64()),
                                         "started_on": pa.array([], pa.date32()),
                                         "ended_on": pa.array([], pa.date32())}),
                               directory / f"{name}.parquet")
    return time.perf_counter() - started


def _duckdb_counts(directory: Path, specs: list[tuple[str, ...]]) -> dict[str, Any]:
    import duckdb

    from zicht.demo.places import REGIONS
    from zicht.figures.counting import NL, OTHER_EU

    region_case = " ".join(f"WHEN municipality = '{m.code}' THEN '{r.key}'"
                           for r in REGIONS for m in r.municipalities)
    eu = ", ".join(f"'{c}'" for c in sorted(OTHER_EU))
    db = duckdb.connect()
    db.execute(DUCK_REFERENCE.format(dir=directory, start=f"{YEAR}-01-01", end=f"{YEAR}-12-31"))
    db.execute(f"""
      CREATE TEMP TABLE units AS SELECT unit, forms, sector, sex, minor, age_group,
        CASE WHEN len(citizenships) = 0 THEN 'unknown'
             WHEN list_contains(list_transform(citizenships, lambda c: upper(c)), '{NL}') THEN 'nl'
             WHEN len(list_filter(citizenships, lambda c: upper(c) IN ({eu}))) > 0 THEN 'eu'
             ELSE 'non_eu' END AS citizenship_group,
        CASE WHEN len(citizenships) = 0 THEN 'unknown' ELSE upper(citizenships[1]) END
          AS citizenship,
        organisation_kind, CASE {region_case} ELSE 'other' END AS region, scope, shelter
      FROM ref""")
    db.execute("CREATE TEMP TABLE unit_forms AS SELECT DISTINCT u.*, f.form FROM units u, "
               "UNNEST(u.forms) AS f(form)")
    out: dict[str, dict[tuple[str, ...], int]] = {}
    for dims in specs:
        source = "unit_forms" if "form" in dims else "units"
        columns = ", ".join(dims)
        rows = db.execute(f"SELECT {columns}, COUNT(*) FROM {source} GROUP BY {columns}"
                          ).fetchall()
        out["x".join(dims)] = {tuple(str(v) for v in row[:-1]): row[-1] for row in rows}
    total = db.execute("SELECT COUNT(*) FROM units").fetchone()[0]
    db.close()
    return {"counts": out, "units": total}


def run(*, quick: bool, workdir: Path | None = None,
        profile_to: Path | None = None) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection

    from zicht.figures import reports, selectors
    from zicht.figures.counting import counted_rows, year_bounds
    from zicht.figures.tables import monitor_specs, monitor_tables

    call_command("migrate", verbosity=0)
    persons, signals = (QUICK_PERSONS, QUICK_SIGNALS) if quick else (PERSONS, SIGNALS)
    result: dict[str, Any] = {"database": connection.vendor, **_populate(persons, signals)}
    gc.collect()
    result["rss_after_load_mb"] = _rss_mb()

    start, end = year_bounds(YEAR)
    # Counts only: the query and every table, no suppression, no charts.
    began = time.perf_counter()
    raw = monitor_tables(counted_rows(start=start, end=end))
    result["zicht_counts_seconds"] = round(time.perf_counter() - began, 2)
    del raw
    gc.collect()

    profiler = cProfile.Profile() if profile_to else None
    began = time.perf_counter()
    if profiler:
        profiler.enable()
    monitor = selectors.monitor(actor=None, year=YEAR, trend_years=1)
    suppressed_at = time.perf_counter()
    context = reports.context_for(monitor, actor=None, charts_on=True)
    if profiler:
        profiler.disable()
    finished = time.perf_counter()
    result.update(
        units=len(monitor.rows), tables=len(monitor.tables),
        suppressed_cells=sum(len(p.table.suppressed()) for p in monitor.tables.values()),
        charts=sum(1 for v in context["one_way"] + context["two_way"] if v.chart_svg),
        zicht_monitor_seconds=round(suppressed_at - began, 2),
        zicht_charts_seconds=round(finished - suppressed_at, 2),
        zicht_total_seconds=round(finished - began, 2),
        rss_after_zicht_mb=_rss_mb(),
    )
    if profiler and profile_to:
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(40)
        profile_to.write_text(stream.getvalue())

    with tempfile.TemporaryDirectory(prefix="figures-parquet-") as tmp:
        directory = Path(tmp)
        result["parquet_export_seconds"] = round(_export_parquet(directory), 2)
        began = time.perf_counter()
        duck = _duckdb_counts(directory, monitor_specs())
        result["duckdb_seconds"] = round(time.perf_counter() - began, 2)
    result["rss_after_duckdb_mb"] = _rss_mb()
    ours = _zicht_counts(monitor)
    mismatched = [name for name, cells in ours.items() if duck["counts"].get(name) != cells]
    # Python allocations of the counting step alone, measured apart: tracemalloc slows it.
    tracemalloc.start()
    sized = counted_rows(start=start, end=end)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del sized
    result["counting_python_peak_mb"] = round(peak / 2**20, 1)
    result.update(
        counts_match=not mismatched and duck["units"] == len(monitor.rows),
        mismatched_tables=mismatched[:10],
        ratio_counts_to_duckdb=round(result["zicht_counts_seconds"]
                                     / max(result["duckdb_seconds"], 1e-3), 2),
        ratio_full_to_duckdb=round(result["zicht_total_seconds"]
                                   / max(result["duckdb_seconds"], 1e-3), 2),
        target_seconds=60, target_ratio=3,
    )
    return result


def summary(result: dict[str, Any]) -> str:
    return (
        f"figures monitor on {result['database']}: {result['persons']:,} persons, "
        f"{result['signals']:,} signals -> {result['units']:,} counted, {result['tables']} "
        f"tables, {result['suppressed_cells']} cells suppressed, {result['charts']} charts\n"
        f"  zicht counts only      {result['zicht_counts_seconds']:>8.2f} s\n"
        f"  zicht monitor          {result['zicht_monitor_seconds']:>8.2f} s "
        f"(tables, suppression, guard)  + charts {result['zicht_charts_seconds']:.2f} s = "
        f"{result['zicht_total_seconds']:.2f} s (target < {result['target_seconds']} s)\n"
        f"  DuckDB over Parquet    {result['duckdb_seconds']:>8.2f} s "
        f"(export {result['parquet_export_seconds']:.2f} s not included)\n"
        f"  ratio zicht/DuckDB     counts {result['ratio_counts_to_duckdb']}x, full "
        f"{result['ratio_full_to_duckdb']}x (target within {result['target_ratio']}x)\n"
        f"  same counts: {result['counts_match']}   peak Python allocations (counting) "
        f"{result['counting_python_peak_mb']} MB, RSS {result['rss_after_zicht_mb']} MB"
    )


def _main(argv: list[str]) -> int:
    """Run against a scratch database on a PostgreSQL server (created, then dropped)."""
    import argparse
    import os

    parser = argparse.ArgumentParser(prog="python -m benchmarks.figures_monitor")
    parser.add_argument("--postgres", required=True, help="postgres://user@host:port/db")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    import psycopg

    scratch = "zicht_bench_figures"
    with psycopg.connect(args.postgres, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {scratch}")
        admin.execute(f"CREATE DATABASE {scratch}")
    base = args.postgres.rsplit("/", 1)[0]
    workdir = Path(tempfile.mkdtemp(prefix="zicht-bench-figures-"))
    (workdir / "static").mkdir()
    os.environ.update(DJANGO_SETTINGS_MODULE="zicht.settings", ZICHT_VAR_DIR=str(workdir),
                      DATABASE_URL=f"{base}/{scratch}", ZICHT_DEBUG="0")
    import django

    django.setup()
    try:
        result = run(quick=args.quick)
        print(summary(result))
        print(json.dumps(result, indent=2, default=str))
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(args.postgres, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {scratch}")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
