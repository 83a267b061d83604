"""Mixed load benchmark: caseworkers, reporters and coordinators at once, on PostgreSQL.

A throwaway PostgreSQL database (`zicht_load_<pid>` on 127.0.0.1:5432, dropped
afterwards; ZICHT_LOAD_POSTGRES names another server) gets the worklist benchmark's
organisations, persons, referrals and deadlines, plus API tokens for caseworkers,
reporters and national coordinators, shelters with room, and adults for them to
place. gunicorn serves it on loopback; one `wrk` per request type runs at the same
time, 50 connections together for 60 s, each connection a user with an API token:

    worklist    caseworker  GET  /api/v1/referrals/?box=incoming&status=open
    persons     caseworker  GET  /api/v1/persons/
    person      caseworker  GET  /api/v1/persons/{id}/        (one they may see)
    signal      reporter    POST /api/v1/signals/             (on a person they reported)
    placement   coordinator POST /api/v1/placements/          (a new adult, a shelter with room)

Reported per type and in total: requests per second, p50/p95/p99 latency, and every
answer other than the expected 200/201 or a socket error as an error (target: none).
Afterwards, in the database: every 201 has its row (signals and placements counted
against the 201s wrk saw) and the audit chain verifies.

The database work runs in child processes pointed at PostgreSQL (`prepare` and
`verify` below); the benchmark process itself keeps benchmarks.run's SQLite.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from benchmarks.wegwijzer_load import _free_port, _stop, _wait_until_up

SECONDS = 60
QUICK_SECONDS = 5
# Connections (users) per request type: 50 together, 10 in a quick run.
MIX = {"worklist": 12, "persons": 8, "person": 15, "signal": 10, "placement": 5}
QUICK_MIX = {"worklist": 2, "persons": 2, "person": 2, "signal": 2, "placement": 2}
# Base data, as in the worklist benchmark (persons, referrals, deadlines).
SIZES = (10_000, 40_000, 8_000)
QUICK_SIZES = (500, 2_000, 400)
# Adults waiting for a place: more than the coordinators can place in the run.
PLACEMENT_POOL = 8_000
QUICK_PLACEMENT_POOL = 800
USERS_PER_ROLE = 10
IDS_PER_USER = 200
# Sync workers: each request is one accept. More workers than the two cores, because a
# request spends much of its time waiting for PostgreSQL (and the audit chain's lock).
WORKERS = 4
EXPECTED = {"worklist": 200, "persons": 200, "person": 200, "signal": 201, "placement": 201}
ADMIN_URL = os.environ.get("ZICHT_LOAD_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")


# --- The benchmark process -------------------------------------------------------------------

def run(*, quick: bool, workdir: Path | None = None, profile_to: Path | None = None
        ) -> dict[str, Any]:
    if workdir is None:
        with tempfile.TemporaryDirectory(prefix="zicht-bench-load-") as scratch:
            return run(quick=quick, workdir=Path(scratch))
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: `apt-get install wrk` (make bench does this).")
    mix = QUICK_MIX if quick else MIX
    seconds = QUICK_SECONDS if quick else SECONDS
    database = f"zicht_load_{os.getpid()}"
    database_url = urlunsplit(urlsplit(ADMIN_URL)._replace(path=f"/{database}"))
    env = {**os.environ, "DATABASE_URL": database_url, "ZICHT_DEBUG": "0",
           "ZICHT_ALLOWED_HOSTS": "127.0.0.1,localhost", "ZICHT_VAR_DIR": str(workdir),
           "DJANGO_SETTINGS_MODULE": "zicht.settings"}
    _admin(f'CREATE DATABASE "{database}"')
    try:
        plan_file = workdir / "plan.json"
        _child(["prepare", "--out", str(plan_file)] + (["--quick"] if quick else []), env)
        plan = json.loads(plan_file.read_text())
        outcomes = _load(plan, mix=mix, seconds=seconds, env=env, workdir=workdir)
        checked_file = workdir / "verify.json"
        _child(["verify", "--plan", str(plan_file), "--out", str(checked_file)], env)
        checked = json.loads(checked_file.read_text())
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    result = _result(outcomes, checked, plan=plan, mix=mix, seconds=seconds)
    return {**result, "throwaway_database": database}


def _admin(sql: str) -> None:
    import psycopg

    try:
        with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=10) as connection:
            connection.execute(sql)  # type: ignore[arg-type] -- our own fixed statements
    except psycopg.OperationalError as error:
        raise SystemExit(f"The load benchmark needs a PostgreSQL server where it may create a "
                         f"database: {ADMIN_URL} (ZICHT_LOAD_POSTGRES) answered: {error}") from None


def _child(args: list[str], env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "benchmarks.load_mix", *args], env=env, check=True,
                   cwd=Path(__file__).resolve().parent.parent)


def _load(plan: dict[str, Any], *, mix: dict[str, int], seconds: int, env: dict[str, str],
          workdir: Path) -> dict[str, dict[str, Any]]:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "zicht.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", str(WORKERS), "--worker-class", "sync",
         "--log-level", "warning", "--graceful-timeout", "5"],
        # The request log stays on, as in production; it goes to a file, not the screen.
        env=env, start_new_session=True, stderr=(workdir / "server.log").open("wb"))
    try:
        _wait_until_up(base, server, path="/healthz")
        alone_ms = _warm_up(base, plan)
        meter = ServerCpu(server.pid, env["DATABASE_URL"])
        meter.start()
        runs = {}
        for kind, connections in mix.items():
            script = workdir / f"{kind}.lua"
            script.write_text(lua_script(kind, plan))
            runs[kind] = subprocess.Popen(
                ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
                 "-s", str(script), base],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        outcomes = {}
        for kind, process in runs.items():
            stdout, stderr = process.communicate(timeout=seconds + 120)
            if process.returncode != 0:
                raise RuntimeError(f"wrk for {kind} failed: {stderr[-2000:]}")
            outcomes[kind] = parse_wrk_json(stdout)
            outcomes[kind]["alone_ms"] = alone_ms.get(kind)
        outcomes["cpu_seconds"] = meter.stop()  # type: ignore[assignment]
    finally:
        _stop(server)
    levels = [json.loads(line).get("level") if line.startswith("{") else "other"
              for line in (workdir / "server.log").read_text().splitlines()]
    outcomes["server_log"] = {  # type: ignore[assignment]
        "request_lines": levels.count("INFO"), "errors": levels.count("ERROR"),
        "warnings": levels.count("WARNING"), "other_lines": levels.count("other")}
    return outcomes


class ServerCpu:
    """CPU seconds of the gunicorn workers and of this database's PostgreSQL backends during
    the load (Linux /proc). Unlike latency, it hardly depends on what else the machine runs.

    Sampled twice a second: a backend closes after CONN_MAX_AGE and another opens, so each
    is followed from its first sighting (from zero if it opened during the load) to its last.
    """

    def __init__(self, master: int, database_url: str):
        self.master, self.database_url = master, database_url
        self.first: dict[tuple[str, int], float] = {}
        self.last: dict[tuple[str, int], float] = {}
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample_until_done, daemon=True)

    @staticmethod
    def _cpu(pid: int) -> float | None:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def _sample(self, connection: Any, *, at_start: bool = False) -> None:
        workers = Path(f"/proc/{self.master}/task/{self.master}/children").read_text().split()
        backends = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()").fetchall()
        for key in [("gunicorn", int(pid)) for pid in workers] + [
                ("postgresql", pid) for (pid,) in backends]:
            spent = self._cpu(key[1])
            if spent is not None:
                self.first.setdefault(key, spent if at_start else 0.0)
                self.last[key] = spent

    def _sample_until_done(self) -> None:
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as connection:
            self._sample(connection, at_start=True)
            while not self.done.wait(0.5):
                self._sample(connection)
            self._sample(connection)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> dict[str, float]:
        self.done.set()
        self.thread.join(timeout=30)
        totals = {"gunicorn": 0.0, "postgresql": 0.0}
        for key, last in self.last.items():
            totals[key[0]] += last - self.first[key]
        return {side: round(spent, 1) for side, spent in totals.items()}


def _warm_up(base: str, plan: dict[str, Any]) -> dict[str, float]:
    """Reads one at a time first: every worker loads its code and opens its connection, and
    the median of the last rounds is each read's own time without the load (for comparison)."""
    import statistics
    import time
    import urllib.request

    user = plan["caseworkers"][0]
    paths = {"worklist": "/api/v1/referrals/?box=incoming&status=open&limit=25",
             "persons": "/api/v1/persons/?limit=25", "person": f"/api/v1/persons/{user['ids'][0]}/"}
    times: dict[str, list[float]] = {kind: [] for kind in paths}
    for _ in range(3 * WORKERS):
        for kind, path in paths.items():
            request = urllib.request.Request(  # noqa: S310 -- our own server on loopback
                base + path, headers={"Authorization": f"Token {user['token']}"})
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                response.read()
            times[kind].append((time.perf_counter() - started) * 1000)
    return {kind: round(statistics.median(found[WORKERS:]), 1) for kind, found in times.items()}


def _lua_list(values: list[Any]) -> str:
    return "{" + ", ".join(json.dumps(v) for v in values) + "}"


# Per request type: how a request is built from the counter `n` (1, 2, …), the thread's
# users (`users[i]` = {token, ids}) and, for placements, the pool and the shelters.
_REQUESTS = {
    "worklist": """
  local user = users[(n % #users) + 1]
  return wrk.format("GET", "/api/v1/referrals/?box=incoming&status=open&limit=25",
                    auth(user))""",
    "persons": """
  local user = users[(n % #users) + 1]
  return wrk.format("GET", "/api/v1/persons/?limit=25", auth(user))""",
    "person": """
  local user = users[(n % #users) + 1]
  local id = user.ids[(math.floor(n / #users) % #user.ids) + 1]
  return wrk.format("GET", "/api/v1/persons/" .. id .. "/", auth(user))""",
    "signal": """
  local user = users[(n % #users) + 1]
  local id = user.ids[(math.floor(n / #users) % #user.ids) + 1]
  local body = '{"person": ' .. id .. ', "signalled_on": "' .. today .. '", ' ..
    '"forms": ["labour"], "indicators": ["withholding_of_wages"], "sector": "A", ' ..
    '"municipality": "GM0363", "source": "own_observation", ' ..
    '"narrative": "Benchmark: synthetic signal, no real person."}'
  local headers = auth(user)
  headers["Content-Type"] = "application/json"
  return wrk.format("POST", "/api/v1/signals/", headers, body)""",
    "placement": """
  local user = users[(n % #users) + 1]
  -- Every placement a new person: placed people stay placed.
  local person = pool[((n - 1) % #pool) + 1]
  local shelter = shelters[(n % #shelters) + 1]
  local body = '{"person": ' .. person .. ', "shelter": ' .. shelter .. '}'
  local headers = auth(user)
  headers["Content-Type"] = "application/json"
  return wrk.format("POST", "/api/v1/placements/", headers, body)""",
}


def lua_script(kind: str, plan: dict[str, Any]) -> str:
    """A wrk script for one request type; `done` prints one JSON line with the figures."""
    role = {"worklist": "caseworkers", "persons": "caseworkers", "person": "caseworkers",
            "signal": "reporters", "placement": "coordinators"}[kind]
    users = ", ".join(f'{{token = {json.dumps(u["token"])}, ids = {_lua_list(u["ids"])}}}'
                      for u in plan[role])
    return f"""
local users = {{{users}}}
local pool = {_lua_list(plan["placement_pool"])}
local shelters = {_lua_list(plan["shelters"])}
local today = {json.dumps(plan["today"])}
local n = 0
local threads = {{}}

local function auth(user)
  return {{["Authorization"] = "Token " .. user.token}}
end

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {{}}
end

request = function()
  n = n + 1{_REQUESTS[kind]}
end

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {{}}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      counts[#counts + 1] = string.format('"%d": %d', status, count)
    end
  end
  local e = summary.errors
  io.write(string.format(
    'LOAD {{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "socket_errors": %d, "statuses": {{%s}}}}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect + e.read + e.write + e.timeout,
    table.concat(counts, ", ")))
end
"""


def parse_wrk_json(output: str) -> dict[str, Any]:
    found = re.search(r"^LOAD (\{.*\})$", output, re.M)
    if not found:
        raise RuntimeError(f"no figures in wrk's output: {output[-2000:]}")
    return json.loads(found.group(1))


def _result(outcomes: dict[str, dict[str, Any]], checked: dict[str, Any], *,
            plan: dict[str, Any], mix: dict[str, int], seconds: int) -> dict[str, Any]:
    cpu_seconds = outcomes.pop("cpu_seconds")
    server_log = outcomes.pop("server_log")
    per_type = {}
    for kind, raw in outcomes.items():
        statuses = {int(code): count for code, count in raw["statuses"].items()}
        expected = statuses.get(EXPECTED[kind], 0)
        errors = sum(statuses.values()) - expected + raw["socket_errors"]
        per_type[kind] = {
            "connections": mix[kind],
            "requests": raw["requests"],
            "requests_per_second": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
            "p50_ms": round(raw["p50_us"] / 1000, 1),
            "p95_ms": round(raw["p95_us"] / 1000, 1),
            "p99_ms": round(raw["p99_us"] / 1000, 1),
            "max_ms": round(raw["max_us"] / 1000, 1),
            # The same read one at a time before the load (none for writes: they would use
            # up the placement pool).
            "alone_p50_ms": raw.get("alone_ms"),
            "statuses": {str(code): count for code, count in sorted(statuses.items())},
            "expected_status": EXPECTED[kind],
            "errors": errors,
        }
    accepted = {"signals": per_type["signal"]["statuses"].get("201", 0),
                "placements": per_type["placement"]["statuses"].get("201", 0)}
    # A write wrk sent as the time ran out is stored but its 201 never counted: stored may
    # exceed accepted. Fewer stored than accepted would be a lost write.
    missing = {name: max(0, accepted[name] - checked["stored"][name]) for name in accepted}
    result = {
        "seconds": seconds,
        "users": sum(mix.values()),
        "gunicorn_workers": WORKERS,
        "database": "postgresql",
        "postgresql": checked["server_version"],
        "persons": plan["persons"],
        "referrals": plan["referrals"],
        "per_type": per_type,
        "requests": sum(t["requests"] for t in per_type.values()),
        "requests_per_second": round(sum(t["requests_per_second"] for t in per_type.values()), 1),
        "errors": sum(t["errors"] for t in per_type.values()),
        "writes_accepted": accepted,
        "writes_stored": checked["stored"],
        "writes_missing": missing,
        "writes_in_flight_at_the_end": {name: max(0, checked["stored"][name] - accepted[name])
                                        for name in accepted},
        "audited_writes": checked["audited"],
        "placement_pool_left": len(plan["placement_pool"]) - accepted["placements"],
        "audit_chain_ok": checked["audit_chain_ok"],
        "audit_rows_checked": checked["audit_rows_checked"],
        # Server CPU per request (gunicorn workers + PostgreSQL backends) during the load:
        # what one core can serve when nothing else runs is about 1000 / this many requests/s.
        "cpu_seconds": cpu_seconds,
        # zicht's JSON log of the server: one INFO line per request, no errors expected.
        "server_log": server_log,
    }
    requests = result["requests"] or 1
    result["cpu_ms_per_request"] = {side: round(1000 * spent / requests, 1)
                                    for side, spent in cpu_seconds.items()}
    result["targets_met"] = bool(
        result["errors"] == 0 and not any(missing.values()) and result["audit_chain_ok"]
        and checked["audited"] == checked["stored"] and result["placement_pool_left"] > 0
        and server_log["errors"] == 0)
    return result


def summary(result: dict[str, Any]) -> str:
    verdict = "targets met" if result["targets_met"] else "TARGETS NOT MET"
    lines = [
        f"load: {result['requests_per_second']:.0f} req/s in total, {result['requests']} "
        f"requests from {result['users']} users for {result['seconds']} s against gunicorn "
        f"({result['gunicorn_workers']} workers) + PostgreSQL {result['postgresql']} "
        f"({result['persons']} persons); errors {result['errors']}; writes accepted/stored: "
        f"signals {result['writes_accepted']['signals']}/{result['writes_stored']['signals']}, "
        f"placements {result['writes_accepted']['placements']}/"
        f"{result['writes_stored']['placements']}; audit chain "
        f"{'verifies' if result['audit_chain_ok'] else 'BROKEN'} "
        f"({result['audit_rows_checked']} rows), every stored write audited: "
        f"{result['audited_writes'] == result['writes_stored']} — {verdict} "
        f"(0 errors, nothing lost); server CPU per request: gunicorn "
        f"{result['cpu_ms_per_request']['gunicorn']} ms + PostgreSQL "
        f"{result['cpu_ms_per_request']['postgresql']} ms"]
    for kind, figures in result["per_type"].items():
        lines.append(
            f"  {kind:<9} {figures['connections']:>2} users {figures['requests_per_second']:>7.1f}"
            f" req/s  p50 {figures['p50_ms']:>6.1f} ms  p95 {figures['p95_ms']:>6.1f} ms  "
            f"p99 {figures['p99_ms']:>6.1f} ms  errors {figures['errors']}")
    return "\n".join(lines)


# --- Child processes on PostgreSQL ----------------------------------------------------------

def prepare(*, quick: bool) -> dict[str, Any]:
    """Migrate, load the base data and make the users, tokens, shelters and placement pool."""
    from django.core.management import call_command
    from django.utils import timezone

    from benchmarks.worklist_pathway import _populate
    from zicht.organisations import services as organisations
    from zicht.organisations.models import Organisation, Role, User
    from zicht.pathway.models import Referral
    from zicht.registry.models import AccessReason, PersonAccess

    call_command("migrate", verbosity=0)
    persons, referrals, deadlines = QUICK_SIZES if quick else SIZES
    home_coordinator = _populate(persons, referrals, deadlines, seed=20251207)
    rng = random.Random(20251207)

    def reported_by(organisation_id: int) -> list[int]:
        ids = list(PersonAccess.objects.filter(
            organisation_id=organisation_id, reason=AccessReason.REPORTED,
        ).values_list("person_id", flat=True).order_by("person_id"))
        return rng.sample(ids, min(IDS_PER_USER, len(ids)))

    def with_token(user: User) -> dict[str, Any]:
        return {"token": organisations.token_create(actor=None, user=user),
                "ids": reported_by(user.organisation_id)}  # type: ignore[arg-type]

    # Caseworkers: the municipality's care coordinator and others at organisations that
    # registered someone; reporters at other such organisations.
    registering = set(PersonAccess.objects.filter(reason=AccessReason.REPORTED)
                      .values_list("organisation_id", flat=True))
    others = list(User.objects.filter(role=Role.CASEWORKER, organisation_id__in=registering)
                  .exclude(pk=home_coordinator.pk).order_by("pk"))
    caseworkers = [home_coordinator, *rng.sample(others, USERS_PER_ROLE - 1)]
    reporter_homes = rng.sample(list(Organisation.objects.filter(pk__in=registering)
                                     .order_by("pk")), USERS_PER_ROLE)
    reporters = [organisations.user_create(actor=None, organisation=org, role=Role.REPORTER,
                                           username=f"load-reporter-{n}")
                 for n, org in enumerate(reporter_homes)]
    plan: dict[str, Any] = {
        "caseworkers": [with_token(user) for user in caseworkers],
        "reporters": [with_token(user) for user in reporters],
    }
    coordinators, pool, shelters = _coordinators_and_places(
        pool_size=QUICK_PLACEMENT_POOL if quick else PLACEMENT_POOL, rng=rng)
    plan.update({
        "coordinators": [{"token": organisations.token_create(actor=None, user=user), "ids": []}
                         for user in coordinators],
        "placement_pool": pool,
        "shelters": shelters,
        "persons": persons + len(pool),
        "referrals": Referral.objects.count(),
        "today": timezone.localdate().isoformat(),
        "reporter_ids": [user.pk for user in reporters],
        "coordinator_ids": [user.pk for user in coordinators],
    })
    return plan


def _coordinators_and_places(*, pool_size: int, rng: random.Random
                             ) -> tuple[list[Any], list[int], list[int]]:
    """CoMensha's national coordinators, shelters with room, and adults registered by CoMensha."""
    from django.utils import timezone

    from benchmarks.worklist_pathway import _insert
    from zicht.core.crypto import DataKey, blind_index
    from zicht.organisations import services as organisations
    from zicht.organisations.models import Organisation, OrganisationKind, Role
    from zicht.registry.models import AccessReason, Person, PersonAccess
    from zicht.shelters.models import Shelter

    comensha = organisations.organisation_create(
        actor=None, name="CoMensha (load)", kind=OrganisationKind.COMENSHA, municipality="GM0307")
    coordinators = [organisations.user_create(actor=None, organisation=comensha,
                                              role=Role.NATIONAL_COORDINATOR,
                                              username=f"load-coordinator-{n}")
                    for n in range(USERS_PER_ROLE // 2)]
    runner = Organisation.objects.filter(kind=OrganisationKind.SHELTER).order_by("pk").first()
    # Enough room for every person in the pool: a full shelter would answer 409, an error here.
    shelters = [Shelter.objects.create(
        organisation=runner, name=f"Load shelter {n}", kind="general", sex_served="any",
        min_age=18, forms=[], languages=["en", "nl"], safety_level="normal",
        municipality=municipality, capacity=pool_size)
        for n, municipality in enumerate(["GM0363", "GM0599", "GM0344", "GM0518", "GM0855"])]
    today = timezone.localdate()
    rows = []
    for n in range(pool_size):
        key = DataKey.generate()
        birth = today - timedelta(days=rng.randrange(19 * 365, 60 * 365))
        identity = {"given_names": f"Load{n}", "family_name": "Benchmark", "aliases": [],
                    "birth_date": birth.isoformat(), "phone": "", "identity_documents": []}
        rows.append(Person(
            data_key=key.wrapped, identity_ciphertext=key.encrypt_json(identity),
            name_birth_index=blind_index(given_names=identity["given_names"],
                                         family_name="Benchmark", birth_date=birth.isoformat()),
            sex=rng.choice(["female", "male"]), birth_year=birth.year,
            birth_date_precision="day", citizenships=["RO"], languages=["en"],
            registering_organisation=comensha, created_by=coordinators[0],
            consent_registration="given", consent_care="given", consent_police="unknown"))
    created = Person.objects.bulk_create(rows, batch_size=2_000)
    now = timezone.now()
    _insert(PersonAccess, [{"person_id": person.pk, "organisation_id": comensha.pk,
                            "reason": AccessReason.REPORTED, "granted_at": now,
                            "revoked_at": None} for person in created])
    return coordinators, [person.pk for person in created], [s.pk for s in shelters]


def verify(plan: dict[str, Any]) -> dict[str, Any]:
    """What was stored by the users of the run, their audit rows, and the chain."""
    from django.db import connection

    from zicht.audit.models import AuditEvent
    from zicht.audit.selectors import verify_chain
    from zicht.registry.models import Signal
    from zicht.shelters.models import Placement

    report = verify_chain()
    return {
        "stored": {
            "signals": Signal.objects.filter(reported_by_id__in=plan["reporter_ids"]).count(),
            "placements": Placement.objects.filter(
                placed_by_id__in=plan["coordinator_ids"]).count(),
        },
        "audited": {
            "signals": AuditEvent.objects.filter(
                action="signal.create", actor_id__in=plan["reporter_ids"]).count(),
            "placements": AuditEvent.objects.filter(
                action="placement.create", actor_id__in=plan["coordinator_ids"]).count(),
        },
        "audit_chain_ok": report.ok,
        "audit_rows_checked": report.checked,
        "server_version": "{}.{}".format(*divmod(connection.pg_version, 10_000)),
    }


def _main(argv: list[str]) -> int:
    import argparse

    import django

    parser = argparse.ArgumentParser(prog="python -m benchmarks.load_mix")
    parser.add_argument("step", choices=["prepare", "verify"])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--plan", type=Path)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    django.setup()
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql" or not (
            settings.DATABASES["default"]["NAME"].startswith("zicht_load_")):
        raise SystemExit("refusing to run outside a zicht_load_* PostgreSQL database")
    if args.step == "prepare":
        outcome = prepare(quick=args.quick)
    else:
        outcome = verify(json.loads(args.plan.read_text()))
    args.out.write_text(json.dumps(outcome))
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
