"""Pathway worklist benchmark: a care coordinator's open referrals (in and out) and
deadlines, with 50,000 persons and 200,000 referrals in the database.

The data are bulk-created straight into the tables (not through the services, which
would take an hour and audit every row): persons with their own encrypted identity,
access grants, pathways, referrals across 60 organisations in every status over three
years, and deadlines. The municipality whose care coordinator is measured takes part
in about one referral in eight. Timed: the worklist selector (the query, including the
audit rows it writes) and the pages /pathway/referrals/ and /pathway/deadlines/ through
Django's test client, p50 and p95 each; and the SQL statements per page, for a page of
5 rows and one of 25 (they must be equal: the count does not grow with the rows shown).
"""

from __future__ import annotations

import cProfile
import io
import itertools
import pstats
import random
import statistics
from datetime import timedelta
from pathlib import Path
from time import perf_counter
from typing import Any

from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from faker import Faker

PERSONS = 50_000
REFERRALS = 200_000
DEADLINES = 40_000
QUICK_PERSONS = 1_000
QUICK_REFERRALS = 4_000
QUICK_DEADLINES = 800
ITERATIONS = 60
QUICK_ITERATIONS = 5
ROWS_SHOWN = 25
BATCH = 2_000

KINDS = ["ngo"] * 14 + ["shelter"] * 12 + ["municipality"] * 14 + ["police"] * 6 + [
    "kmar", "labour_inspectorate", "ind", "coa", "youth_care", "youth_care", "health",
    "victim_support", "riec", "prosecution"]
PURPOSES = ["shelter", "care_coordination", "aangifte", "legal_aid", "victim_support",
            "health_care", "residence", "labour_inspection"]
# Most referrals are long answered; about one in twelve is still open.
STATUSES = [("accepted", 62), ("declined", 14), ("withdrawn", 5), ("expired", 11),
            ("proposed", 8)]
DEADLINE_KINDS = ["reflection_period", "b8_permit", "non_temporary_permit",
                  "dublin_aangifte_decision", "other_grounds_review", "task"]


def run(*, quick: bool, workdir: Path | None = None,
        profile_to: Path | None = None) -> dict[str, Any]:
    call_command("migrate", verbosity=0)
    sizes = ((QUICK_PERSONS, QUICK_REFERRALS, QUICK_DEADLINES) if quick
             else (PERSONS, REFERRALS, DEADLINES))
    started = perf_counter()
    coordinator = _populate(*sizes, seed=20250611)
    populate_s = perf_counter() - started

    from zicht.pathway import selectors, views
    from zicht.pathway.models import Referral

    iterations = QUICK_ITERATIONS if quick else ITERATIONS
    client = Client()
    client.force_login(coordinator)
    pages = {"referrals": "/pathway/referrals/", "deadlines": "/pathway/deadlines/"}
    for url in pages.values():  # warm-up: first connection, template loading, key cache
        _get(client, url)
    selectors.worklist(actor=coordinator, limit=ROWS_SHOWN)

    profiler = cProfile.Profile() if profile_to else None
    if profiler:
        profiler.enable()
    query_ms = _timed(lambda: selectors.worklist(actor=coordinator, limit=ROWS_SHOWN),
                      iterations)
    page_ms = {name: _timed(lambda url=url: _get(client, url), iterations)
               for name, url in pages.items()}
    if profiler and profile_to:
        profiler.disable()
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(50)
        profile_to.write_text(stream.getvalue())

    queries: dict[str, dict[int, int]] = {}
    original_page_size = views.PAGE_SIZE
    try:
        for rows in (5, ROWS_SHOWN):
            views.PAGE_SIZE = rows
            for name, url in pages.items():
                with CaptureQueriesContext(connection) as captured:
                    _get(client, url)
                queries.setdefault(name, {})[rows] = len(captured)
    finally:
        views.PAGE_SIZE = original_page_size

    shown = selectors.worklist(actor=coordinator, limit=ROWS_SHOWN)
    org = coordinator.organisation_id
    return {
        "persons": sizes[0],
        "referrals": Referral.objects.count(),
        "deadlines": sizes[2],
        "iterations": iterations,
        "rows_shown": ROWS_SHOWN,
        "populate_seconds": round(populate_s, 1),
        "coordinator_referrals": Referral.objects.filter(
            to_organisation_id=org).count() + Referral.objects.filter(
            from_organisation_id=org).count(),
        "open_incoming": shown.incoming_count,
        "open_outgoing": shown.outgoing_count,
        "open_deadlines": shown.deadline_count,
        "query_ms": _percentiles(query_ms),
        "page_ms": {name: _percentiles(times) for name, times in page_ms.items()},
        "queries_per_page": {name: {str(k): v for k, v in counts.items()}
                             for name, counts in queries.items()},
        "queries_constant": all(len(set(c.values())) == 1 for c in queries.values()),
    }


def _populate(persons: int, referrals: int, deadlines: int, *, seed: int) -> Any:
    """Bulk-create the data; return the care coordinator whose worklist is measured."""
    from zicht.core.crypto import DataKey, blind_index
    from zicht.organisations.models import Organisation, Role, User
    from zicht.pathway import conf, rules
    from zicht.pathway.models import Deadline, Pathway, Referral
    from zicht.registry.models import AccessReason, Person, PersonAccess

    rng = random.Random(seed)
    fake = Faker(["ro_RO", "nl_NL", "bg_BG", "pl_PL", "en_NG"])
    fake.seed_instance(seed)
    given = [fake.first_name() for _ in range(400)]
    family = [fake.last_name() for _ in range(400)]

    organisations = Organisation.objects.bulk_create([
        Organisation(name=f"Benchmark {kind} {n}", kind=kind,
                     municipality=f"GM{rng.randrange(1, 2000):04d}",
                     must_register=kind in ("police", "kmar", "labour_inspectorate"))
        for n, kind in enumerate(KINDS)])
    home = next(o for o in organisations if o.kind == "municipality")
    coordinator = User(username="zorgcoordinator", organisation=home, role=Role.CASEWORKER)
    coordinator.set_unusable_password()
    coordinator.save()
    creators = {o.pk: User.objects.create(username=f"user-{o.pk}", organisation=o,
                                          role=Role.CASEWORKER) for o in organisations}
    # The care coordinator's municipality registered a tenth of everyone itself.
    weights = [40 if o.pk == home.pk else 10 for o in organisations]
    cum_weights = list(itertools.accumulate(weights))

    today = timezone.localdate()
    person_rows = []
    for _ in range(persons):
        key = DataKey.generate()
        birth = today - timedelta(days=rng.randrange(13 * 365, 60 * 365))
        uncertain = rng.random() < 0.08
        identity = {"given_names": rng.choice(given), "family_name": rng.choice(family),
                    "aliases": [], "birth_date": "" if uncertain else birth.isoformat(),
                    "phone": "", "identity_documents": []}
        owner = rng.choices(organisations, cum_weights=cum_weights)[0]
        person_rows.append(Person(
            data_key=key.wrapped, identity_ciphertext=key.encrypt_json(identity),
            name_birth_index=blind_index(given_names=identity["given_names"],
                                         family_name=identity["family_name"],
                                         birth_date=identity["birth_date"]),
            sex=rng.choice(["female", "female", "female", "male"]),
            birth_year=None if uncertain else birth.year,
            birth_date_precision="unknown" if uncertain else "day",
            citizenships=[rng.choice(["RO", "BG", "PL", "NL", "NG", "UA"])],
            languages=["en"], registering_organisation=owner, created_by_id=creators[owner.pk].pk,
            consent_registration=rng.choice(["given", "given", "unknown"]),
            consent_care=rng.choice(["given", "given", "given", "unknown"]),
            consent_police=rng.choice(["given", "unknown", "refused"]),
        ))
    Person.objects.bulk_create(person_rows, batch_size=BATCH)
    people = list(Person.objects.values_list("pk", "registering_organisation_id"))
    now = timezone.now()
    _insert(PersonAccess, [
        {"person_id": pk, "organisation_id": org, "reason": AccessReason.REPORTED,
         "granted_at": now, "revoked_at": None} for pk, org in people])
    _insert(Pathway, [
        {"person_id": pk, "victim_status": "possible", "victim_status_organisation_id": None,
         "victim_status_decided_on": None, "victim_status_reason": "", "case_status": "active",
         "case_closed_on": None, "closing_reason": "", "residence_status": "unknown",
         "guardian_ciphertext": "", "youth_care_involved": False,
         "youth_care_organisation_id": None, "created_at": now, "updated_at": now}
        for pk, _ in people])
    pathway_of = dict(Pathway.objects.values_list("person_id", "pk"))

    statuses, status_weights = zip(*STATUSES, strict=True)
    status_cum = list(itertools.accumulate(status_weights))
    other_ids = [o.pk for o in organisations if o.pk != home.pk]
    answer_days = conf.referral_answer_working_days()
    urgent_hours = conf.referral_urgent_answer_hours()
    referral_rows = []
    referred_to_home: set[int] = set()
    for _ in range(referrals):
        person_id, owner = people[rng.randrange(len(people))]
        roll = rng.random()
        if roll < 0.08:
            sender, receiver = rng.choice(other_ids), home.pk
        elif roll < 0.12:
            sender, receiver = home.pk, rng.choice(other_ids)
        else:
            sender, receiver = rng.sample(other_ids, 2)
        status = rng.choices(statuses, cum_weights=status_cum)[0]
        # Open referrals are recent; answered ones spread over three years.
        age = timedelta(hours=rng.randrange(1, 24 * 12) if status == "proposed"
                        else rng.randrange(24 * 14, 24 * 365 * 3))
        proposed_at = now - age
        urgent = rng.random() < 0.15
        due = rules.referral_answer_due(proposed_at=proposed_at, urgent=urgent,
                                        working_days=answer_days, urgent_hours=urgent_hours)
        open_ = status == "proposed"
        referral_rows.append({
            "person_id": person_id, "from_organisation_id": sender,
            "to_organisation_id": receiver, "proposed_by_id": creators[sender].pk,
            "purpose": rng.choice(PURPOSES), "urgency": "urgent" if urgent else "normal",
            "note_ciphertext": "", "status": status, "consent_basis": "consent",
            "proposed_at": proposed_at, "answer_due_at": due,
            "escalated_at": due if open_ and due < now and rng.random() < 0.5 else None,
            "closed_at": None if open_ else proposed_at + timedelta(days=1),
            "answered_by_id": None if open_ else creators[receiver].pk,
            "answer_reason": "", "country": "", "foreign_organisation": "", "channel": "",
        })
        if status == "accepted" and receiver == home.pk:
            referred_to_home.add(person_id)
    _insert(Referral, referral_rows)
    _insert(PersonAccess, [
        {"person_id": pk, "organisation_id": home.pk, "reason": AccessReason.REFERRED,
         "granted_at": now, "revoked_at": None} for pk in sorted(referred_to_home)])

    deadline_rows = []
    for _ in range(deadlines):
        person_id, owner = people[rng.randrange(len(people))]
        responsible = home.pk if rng.random() < 0.12 else rng.choice(other_ids)
        starts = today - timedelta(days=rng.randrange(0, 400))
        kind = rng.choice(DEADLINE_KINDS)
        due = None if kind == "b8_permit" else starts + timedelta(days=rng.randrange(7, 500))
        closed = starts + timedelta(days=rng.randrange(1, 100)) if rng.random() < 0.4 else None
        deadline_rows.append({
            "person_id": person_id, "pathway_id": pathway_of[person_id], "kind": kind,
            "title": "Bel advocaat" if kind == "task" else "", "rule": "",
            "starts_on": starts, "due_on": due, "closed_on": closed, "close_reason": "",
            "responsible_organisation_id": responsible, "criminal_case_id": None,
            "created_by_id": None, "created_at": now})
    _insert(Deadline, deadline_rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, as a running database has
    return coordinator


def _insert(model: Any, rows: list[dict[str, Any]]) -> None:
    """Plain executemany: the ORM's bulk_create prepares every field of every row, which
    made 200,000 referrals take minutes. Values go through the backend's own adapters."""
    if not rows:
        return
    columns = list(rows[0])
    ops = connection.ops
    adapters = []
    for name in columns:
        field = model._meta.get_field(name.removesuffix("_id")) if name.endswith("_id") else (
            model._meta.get_field(name))
        kind = field.get_internal_type()
        adapters.append(ops.adapt_datetimefield_value if kind == "DateTimeField"
                        else ops.adapt_datefield_value if kind == "DateField" else None)
    table = model._meta.db_table
    sql = (f"INSERT INTO {table} ({', '.join(columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    # One transaction: in autocommit mode SQLite would commit every single row.
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, [
                [adapt(row[c]) if adapt and row[c] is not None else row[c]
                 for c, adapt in zip(columns, adapters, strict=True)]
                for row in rows[start:start + BATCH]])


def _get(client: Client, url: str) -> None:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")


def _timed(call: Any, iterations: int) -> list[float]:
    times = []
    for _ in range(iterations):
        started = perf_counter()
        call()
        times.append((perf_counter() - started) * 1000)
    return times


def _percentiles(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"p50": round(statistics.median(ordered), 2), "p95": round(p95, 2)}


def summary(result: dict[str, Any]) -> str:
    pages = "\n".join(
        f"  page {name:<10} p50 {ms['p50']:>8.2f} ms   p95 {ms['p95']:>8.2f} ms   "
        f"SQL queries: {result['queries_per_page'][name]['5']} (5 rows), "
        f"{result['queries_per_page'][name][str(result['rows_shown'])]} "
        f"({result['rows_shown']} rows)"
        for name, ms in result["page_ms"].items())
    return (
        f"worklist: care coordinator, {result['persons']:,} persons, "
        f"{result['referrals']:,} referrals, {result['deadlines']:,} deadlines "
        f"({result['coordinator_referrals']:,} referrals involve the coordinator; open: "
        f"{result['open_incoming']} in, {result['open_outgoing']} out; "
        f"{result['open_deadlines']} open deadlines); {result['iterations']} runs each\n"
        f"  query (worklist selector) p50 {result['query_ms']['p50']:>8.2f} ms   "
        f"p95 {result['query_ms']['p95']:>8.2f} ms\n"
        f"{pages}\n"
        f"  SQL queries constant in rows shown: "
        f"{'yes' if result['queries_constant'] else 'NO'}; data built in "
        f"{result['populate_seconds']} s"
    )
