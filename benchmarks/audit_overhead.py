"""Audit overhead benchmark: person detail pages read through the API, with and without
the audit write.

Same process, same data, same client (token auth). The reads alternate in blocks
between the two modes (ABBA order) and the whole sequence is repeated, so drift
in the machine's speed falls on both modes alike. "Without" patches the audit
write of `person_get` to a no-op for the duration of its blocks only; everything
else (token check, transaction, access rule, decryption, serialisation) stays.
Target: audited ÷ unaudited at most 1.3.
"""

from __future__ import annotations

import contextlib
import cProfile
import io
import pstats
import random
from pathlib import Path
from time import perf_counter
from typing import Any
from unittest import mock

from django.core.management import call_command
from django.test import Client
from faker import Faker

READS = 1000
QUICK_READS = 40
BLOCK = 100
QUICK_BLOCK = 10
REPEATS = 3
TARGET_RATIO = 1.3


def run(*, quick: bool, workdir: Path, profile_to: Path | None = None) -> dict[str, Any]:
    from zicht.audit.models import AuditEvent
    from zicht.audit.selectors import verify_chain
    from zicht.organisations.services import organisation_create, token_create, user_create
    from zicht.registry.services import person_create

    reads = QUICK_READS if quick else READS
    block = QUICK_BLOCK if quick else BLOCK
    repeats = 1 if quick else REPEATS

    call_command("migrate", verbosity=0)
    organisation = organisation_create(actor=None, name="Stichting Benchmark", kind="ngo",
                                       municipality="GM0363")
    user = user_create(actor=None, organisation=organisation, role="caseworker",
                       username="bench")
    fake = Faker("ro_RO")
    fake.seed_instance(7)
    rng = random.Random(7)
    person_ids = [
        person_create(
            actor=user, given_names=fake.first_name(), family_name=fake.last_name(),
            birth_date=fake.date_of_birth(minimum_age=14, maximum_age=60).isoformat(),
            sex=rng.choice(["female", "male"]), citizenships=["RO"], languages=["ro"],
        ).pk
        for _ in range(reads)
    ]
    client = Client(HTTP_AUTHORIZATION=f"Token {token_create(actor=None, user=user)}")
    urls = [f"/api/v1/persons/{pk}/" for pk in person_ids]
    for url in urls:  # warm-up: caches, unwrapped keys, first connection
        _read(client, url)

    def unaudited() -> contextlib.AbstractContextManager[Any]:
        return mock.patch("zicht.registry.selectors.audit_record_many", lambda **kw: [])

    blocks = [urls[i:i + block] for i in range(0, len(urls), block)]
    seconds = {"audited": 0.0, "unaudited": 0.0}
    rows_before = AuditEvent.objects.count()
    profiler = cProfile.Profile() if profile_to else None
    if profiler:
        profiler.enable()
    for repeat in range(repeats):
        for n, urls_in_block in enumerate(blocks):
            order = ("audited", "unaudited") if (n + repeat) % 2 == 0 else (
                "unaudited", "audited")
            for mode in order:
                context = unaudited() if mode == "unaudited" else contextlib.nullcontext()
                with context:
                    started = perf_counter()
                    for url in urls_in_block:
                        _read(client, url)
                    seconds[mode] += perf_counter() - started
    if profiler and profile_to:
        profiler.disable()
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(50)
        profile_to.write_text(stream.getvalue())
    audit_rows_written = AuditEvent.objects.count() - rows_before
    total_reads = reads * repeats
    ratio = seconds["audited"] / seconds["unaudited"]
    return {
        "reads_per_mode": total_reads,
        "persons": reads,
        "block": block,
        "repeats": repeats,
        "audited_seconds": round(seconds["audited"], 4),
        "unaudited_seconds": round(seconds["unaudited"], 4),
        "audited_ms_per_read": round(seconds["audited"] / total_reads * 1000, 3),
        "unaudited_ms_per_read": round(seconds["unaudited"] / total_reads * 1000, 3),
        "ratio": round(ratio, 4),
        "target_ratio": TARGET_RATIO,
        "meets_target": ratio <= TARGET_RATIO,
        # Proof that the patch hit only the unaudited blocks.
        "audit_rows_written": audit_rows_written,
        "audit_chain_ok": verify_chain().ok,
    }


def _read(client: Client, url: str) -> None:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}: {response.content[:200]!r}")


def summary(result: dict[str, Any]) -> str:
    return (
        f"audit: {result['reads_per_mode']} person detail reads per mode "
        f"({result['persons']} persons x {result['repeats']}, blocks of {result['block']})\n"
        f"  with audit write     {result['audited_seconds']:>8.3f} s "
        f"({result['audited_ms_per_read']} ms/read)\n"
        f"  without audit write  {result['unaudited_seconds']:>8.3f} s "
        f"({result['unaudited_ms_per_read']} ms/read)\n"
        f"  ratio                {result['ratio']:>8.3f} (target <= {result['target_ratio']}: "
        f"{'met' if result['meets_target'] else 'NOT met'})\n"
        f"  audit rows written: {result['audit_rows_written']}; chain ok: "
        f"{result['audit_chain_ok']}"
    )
