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
of the counting step, measured in a separate untimed run. About 45% of the persons
have a pathway with outcomes (victim status decisions, reflection periods, aangiftes
with B8 permits, redress claims) and 8% a shelter stay, dated from the year before to
the year after, so the period's bounds decide; DuckDB counts those outcomes by the same
rules from their own Parquet files.

On PostgreSQL: `python -m benchmarks.figures_monitor --postgres URL [--quick]`
creates a scratch database on that server (the given database's name with
"_bench_figures"), runs the same, and drops it.
"""

from __future__ import annotations

import cProfile
import gc
import io
import json
import os
import pstats
import random
import resource
import shutil
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
        outcomes = _populate_pathways(cursor, rng, first_id=first_id, persons=persons,
                                      orgs=orgs, user_id=user.pk, now=now)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"persons": persons, "signals": signals, **outcomes,
            "load_seconds": round(time.perf_counter() - started, 1)}


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def _populate_pathways(cursor: Any, rng: random.Random, *, first_id: int, persons: int,
                       orgs: list[Any], user_id: int, now: str) -> dict[str, int]:
    """Pathway outcomes for a share of the persons, dated from the year before to the year
    after, so that the period's bounds decide: victim status decisions, reflection periods,
    aangiftes (criminal cases) with B8 permits, redress claims and shelter stays."""
    police = [o.pk for o in orgs if o.kind in ("police", "kmar")]
    care = [o.pk for o in orgs if o.kind not in ("police", "kmar")]
    before, after = date(YEAR - 1, 1, 1), date(YEAR + 1, 12, 31)
    cursor.execute(
        "INSERT INTO shelters_shelter (name, kind, sex_served, min_age, max_age, forms, "
        "languages, safety_level, municipality, capacity, created_at, updated_at, "
        "organisation_id) VALUES ('Bench shelter', 'cosm', 'any', 0, NULL, '[]', '[]', "
        "'normal', 'GM0363', 100000, %s, %s, %s)", [now, now, care[0]])
    cursor.execute("SELECT id FROM shelters_shelter WHERE name = 'Bench shelter'")
    shelter_id = cursor.fetchone()[0]
    rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in (
        "pathway", "decision", "deadline", "case", "claim", "placement")}
    case_id = 0
    for n in range(persons):
        person_id = first_id + n
        if rng.random() < 0.08:
            started = _day(rng, before, after)
            ended = started + timedelta(days=rng.randrange(10, 500)) if rng.random() < 0.7 \
                else None
            rows["placement"].append((started, ended, "moved_on" if ended else "", "normal", now,
                                      person_id, rng.choice(care), shelter_id))
        if rng.random() >= 0.45:
            continue
        pathway_id = person_id  # one pathway per person: the person's id will do
        rows["pathway"].append((pathway_id, person_id, now, now))
        if rng.random() < 0.5:
            decided = _day(rng, before, after)
            status = "identified" if rng.random() < 0.8 else "not_victim"
            rows["decision"].append((status, decided, now, user_id, rng.choice(care),
                                     pathway_id))
            if rng.random() < 0.1:  # a later change of mind
                rows["decision"].append(
                    ("not_victim" if status == "identified" else "identified",
                     decided + timedelta(days=rng.randrange(1, 300)), now, user_id,
                     rng.choice(care), pathway_id))
        if rng.random() < 0.25:
            offered = _day(rng, before, after)
            due = offered + timedelta(days=91)
            closed = offered + timedelta(days=rng.randrange(0, 92)) if rng.random() < 0.5 \
                else None
            rows["deadline"].append(("reflection_period", "reflection_period", offered, due,
                                     closed, now, None, person_id, rng.choice(care),
                                     pathway_id))
        if rng.random() < 0.3:
            case_id += 1
            aangifte = _day(rng, before, after)
            rows["case"].append((case_id, aangifte, now, now, user_id, rng.choice(police),
                                 pathway_id))
            if rng.random() < 0.5:
                closed = aangifte + timedelta(days=rng.randrange(30, 900)) \
                    if rng.random() < 0.4 else None
                rows["deadline"].append(("b8_permit", "b8_permit", aangifte, None, closed, now,
                                         case_id, person_id, rng.choice(care), pathway_id))
        if rng.random() < 0.12:
            filed = _day(rng, before, after)
            outcome = rng.choice(["pending", "awarded", "partly_awarded", "rejected",
                                  "settled", "withdrawn"])
            decided = None if outcome == "pending" else filed + timedelta(
                days=rng.randrange(0, 400))
            rows["claim"].append(("injured_party", "1000.00", filed, decided, outcome, now, now,
                                  user_id, pathway_id, person_id, rng.choice(care)))
    statements = {
        "pathway": "INSERT INTO pathway_pathway (id, person_id, victim_status, "
                   "victim_status_reason, case_status, closing_reason, residence_status, "
                   "guardian_ciphertext, youth_care_involved, created_at, updated_at) VALUES "
                   "(%s, %s, 'possible', '', 'active', '', 'unknown', '', FALSE, %s, %s)",
        "decision": "INSERT INTO pathway_victimstatusdecision (status, decided_on, reason, "
                    "created_at, decided_by_id, organisation_id, pathway_id) VALUES "
                    "(%s, %s, 'bench', %s, %s, %s, %s)",
        "case": "INSERT INTO pathway_criminalcase (id, aangifte_on, reference, outcome, "
                "decision_reason, created_at, updated_at, created_by_id, "
                "police_organisation_id, pathway_id) VALUES "
                "(%s, %s, '', 'investigation', '', %s, %s, %s, %s, %s)",
        "deadline": "INSERT INTO pathway_deadline (kind, title, rule, starts_on, due_on, "
                    "closed_on, close_reason, created_at, criminal_case_id, person_id, "
                    "responsible_organisation_id, pathway_id) VALUES "
                    "(%s, '', %s, %s, %s, %s, '', %s, %s, %s, %s, %s)",
        "claim": "INSERT INTO pathway_redressclaim (route, amount_claimed, filed_on, "
                 "decided_on, outcome, created_at, updated_at, created_by_id, pathway_id, "
                 "person_id, responsible_organisation_id) VALUES "
                 "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        "placement": "INSERT INTO shelters_placement (started_on, ended_on, end_reason, "
                     "safety_need, created_at, person_id, placing_organisation_id, "
                     "shelter_id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
    }
    for name in ("pathway", "decision", "case", "deadline", "claim", "placement"):
        values = rows[name]
        for offset in range(0, len(values), BATCH):
            cursor.executemany(statements[name], [
                tuple(v.isoformat() if isinstance(v, date) else v for v in row)
                for row in values[offset:offset + BATCH]])
    return {f"{name}_rows": len(values) for name, values in rows.items()}


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
SELECT s.person_id AS unit, s.forms,
       CASE WHEN s.sector = '' THEN 'unknown' ELSE s.sector END AS sector, p.sex,
       CASE WHEN s.minor_at_signal THEN 'minor' ELSE 'adult' END AS minor, s.age_group,
       p.citizenships, o.kind AS organisation_kind, s.municipality, s.scope
FROM read_parquet('{dir}/signal.parquet') s
JOIN read_parquet('{dir}/person.parquet') p ON p.id = s.person_id
JOIN read_parquet('{dir}/organisation.parquet') o ON o.id = s.reporting_organisation_id
WHERE s.signalled_on BETWEEN DATE '{start}' AND DATE '{end}'
  AND (p.consent_registration = 'given' OR s.duty_registration)
QUALIFY ROW_NUMBER() OVER (PARTITION BY s.person_id ORDER BY s.signalled_on, s.id) = 1
"""

# The pathway outcomes by the rules of docs/figures.md, written again for DuckDB.
DUCK_OUTCOMES = """
CREATE TEMP TABLE outcome AS
WITH status AS (
  SELECT person_id, arg_max(status, (decided_on, id)) AS status
  FROM read_parquet('{dir}/decision.parquet') WHERE decided_on <= DATE '{end}'
  GROUP BY person_id),
placed AS (SELECT DISTINCT person_id FROM read_parquet('{dir}/placement.parquet')
  WHERE started_on <= DATE '{end}' AND (ended_on IS NULL OR ended_on >= DATE '{start}')),
reflection AS (SELECT DISTINCT person_id FROM read_parquet('{dir}/deadline.parquet')
  WHERE kind = 'reflection_period' AND starts_on <= DATE '{end}'
    AND (COALESCE(closed_on, due_on) IS NULL OR COALESCE(closed_on, due_on) >= DATE '{start}')),
b8 AS (SELECT DISTINCT person_id FROM read_parquet('{dir}/deadline.parquet')
  WHERE kind = 'b8_permit' AND starts_on <= DATE '{end}'
    AND (closed_on IS NULL OR closed_on >= DATE '{start}')),
aangifte AS (SELECT DISTINCT person_id FROM read_parquet('{dir}/criminalcase.parquet')
  WHERE aangifte_on BETWEEN DATE '{start}' AND DATE '{end}'),
awarded AS (SELECT DISTINCT person_id FROM read_parquet('{dir}/claim.parquet')
  WHERE outcome IN ('awarded', 'partly_awarded', 'settled')
    AND decided_on BETWEEN DATE '{start}' AND DATE '{end}'),
claimed AS (SELECT DISTINCT person_id FROM read_parquet('{dir}/claim.parquet')
  WHERE filed_on <= DATE '{end}' AND (decided_on IS NULL OR decided_on >= DATE '{start}'))
SELECT r.unit,
  COALESCE(st.status, 'possible') AS victim_status,
  CASE WHEN pl.person_id IS NULL THEN 'not_placed' ELSE 'placed' END AS shelter,
  CASE WHEN rf.person_id IS NULL THEN 'not_granted' ELSE 'granted' END AS reflection_period,
  CASE WHEN ag.person_id IS NULL THEN 'not_made' ELSE 'made' END AS aangifte,
  CASE WHEN b8.person_id IS NULL THEN 'not_granted' ELSE 'granted' END AS b8_permit,
  CASE WHEN aw.person_id IS NOT NULL THEN 'awarded' WHEN cl.person_id IS NOT NULL
       THEN 'claimed' ELSE 'none' END AS compensation
FROM ref r
LEFT JOIN status st ON st.person_id = r.unit LEFT JOIN placed pl ON pl.person_id = r.unit
LEFT JOIN reflection rf ON rf.person_id = r.unit LEFT JOIN b8 ON b8.person_id = r.unit
LEFT JOIN aangifte ag ON ag.person_id = r.unit LEFT JOIN awarded aw ON aw.person_id = r.unit
LEFT JOIN claimed cl ON cl.person_id = r.unit
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
        "decision": "SELECT d.id, pw.person_id, d.status, d.decided_on FROM "
                    "pathway_victimstatusdecision d JOIN pathway_pathway pw "
                    "ON pw.id = d.pathway_id",
        "deadline": "SELECT person_id, kind, starts_on, due_on, closed_on FROM pathway_deadline",
        "criminalcase": "SELECT pw.person_id, c.aangifte_on FROM pathway_criminalcase c "
                        "JOIN pathway_pathway pw ON pw.id = c.pathway_id",
        "claim": "SELECT person_id, outcome, filed_on, decided_on FROM pathway_redressclaim",
    }
    dates = {"signalled_on", "started_on", "ended_on", "decided_on", "starts_on", "due_on",
             "closed_on", "aangifte_on", "filed_on"}
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
                    elif col in dates:
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
            else:  # no rows at all: an empty file with the schema
                pq.write_table(pa.table({
                    col: pa.array([], pa.date32() if col in dates else
                                  pa.int64() if col.endswith("id") else pa.string())
                    for col in columns}), directory / f"{name}.parquet")
    return time.perf_counter() - started


def _duckdb_counts(directory: Path, specs: list[tuple[str, ...]]) -> dict[str, Any]:
    import duckdb

    from zicht.demo.places import REGIONS
    from zicht.figures.counting import NL, OTHER_EU

    region_case = " ".join(f"WHEN municipality = '{m.code}' THEN '{r.key}'"
                           for r in REGIONS for m in r.municipalities)
    eu = ", ".join(f"'{c}'" for c in sorted(OTHER_EU))
    db = duckdb.connect()
    period = {"dir": directory, "start": f"{YEAR}-01-01", "end": f"{YEAR}-12-31"}
    db.execute(DUCK_REFERENCE.format(**period))
    db.execute(DUCK_OUTCOMES.format(**period))
    db.execute(f"""
      CREATE TEMP TABLE units AS SELECT r.unit, forms, sector, sex, minor, age_group,
        CASE WHEN len(citizenships) = 0 THEN 'unknown'
             WHEN list_contains(list_transform(citizenships, lambda c: upper(c)), '{NL}') THEN 'nl'
             WHEN len(list_filter(citizenships, lambda c: upper(c) IN ({eu}))) > 0 THEN 'eu'
             ELSE 'non_eu' END AS citizenship_group,
        CASE WHEN len(citizenships) = 0 THEN 'unknown' ELSE upper(citizenships[1]) END
          AS citizenship,
        organisation_kind, CASE {region_case} ELSE 'other' END AS region, scope,
        victim_status, shelter, reflection_period, aangifte, b8_permit, compensation
      FROM ref r JOIN outcome o ON o.unit = r.unit""")
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
        # Other work on the machine (run.py records it at the start as well).
        load_average_end=[round(x, 2) for x in os.getloadavg()],
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
        f"{result['counting_python_peak_mb']} MB, RSS {result['rss_after_zicht_mb']} MB\n"
        f"  load average at the end {result['load_average_end'][0]}"
    )


def _main(argv: list[str]) -> int:
    """Run against a scratch database on a PostgreSQL server (created, then dropped)."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m benchmarks.figures_monitor")
    parser.add_argument("--postgres", required=True, help="postgres://user@host:port/db")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    import psycopg

    # Named after the database given, so that runs for different databases never meet.
    base, database = args.postgres.rsplit("/", 1)
    scratch = f"{database.split('?')[0] or 'zicht'}_bench_figures"
    with psycopg.connect(args.postgres, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {scratch}")
        admin.execute(f"CREATE DATABASE {scratch}")
    workdir = Path(tempfile.mkdtemp(prefix="zicht-bench-figures-"))
    (workdir / "static").mkdir()
    os.environ.update(DJANGO_SETTINGS_MODULE="zicht.settings", ZICHT_VAR_DIR=str(workdir),
                      DATABASE_URL=f"{base}/{scratch}", ZICHT_DEBUG="0")
    import django

    django.setup()
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    try:
        result = run(quick=args.quick)
        result["load_average_start"] = load_at_start
        text = f"{summary(result)}\n  load average {load_at_start[0]} at the start"
        print(text)
        print(json.dumps(result, indent=2, default=str))
        from datetime import UTC, datetime

        results = Path(__file__).resolve().parent / "results"
        # In UTC: Django has set the process's time zone to the project's by now.
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        name = f"figures-postgres{'-quick' if args.quick else ''}-{stamp}"
        (results / f"{name}.json").write_text(json.dumps(result, indent=2, default=str) + "\n")
        (results / f"{name}.txt").write_text(text + "\n")
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(args.postgres, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {scratch}")
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
