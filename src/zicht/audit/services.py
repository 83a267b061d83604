"""Writing the audit log: always inside the caller's transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC
from functools import partial
from typing import Any

from django.db import connection
from django.db.models import Model
from django.utils import timezone

from zicht.core.middleware import current_request_id

from .models import CANONICAL_JSON, GENESIS_HASH, AuditEvent

# Any fixed 64-bit number: the key of the PostgreSQL advisory lock for the chain.
_CHAIN_LOCK_KEY = 7_268_000_001


@dataclass(frozen=True)
class Entry:
    action: str
    object_type: str = ""
    object_id: int | None = None
    person_id: int | None = None
    detail: dict[str, Any] | None = None


def _lock_chain() -> None:
    # SQLite runs every atomic block with BEGIN IMMEDIATE (settings), which
    # already serialises writers; PostgreSQL needs an explicit lock.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def _actor_fields(actor: Any) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor_id": None, "actor_username": "", "organisation_id": None}
    return {
        "actor_id": actor.pk,
        "actor_username": actor.get_username(),
        "organisation_id": getattr(actor, "organisation_id", None),
    }


def audit_record_many(*, actor: Any, entries: Sequence[Entry]) -> list[AuditEvent]:
    """Append entries to the chain in one go (one lock, one insert); the new rows."""
    model: Any = AuditEvent  # built positionally, which the type stubs do not follow
    events: list[list[Any]] = []
    _append(actor=actor, entries=entries, events=events)
    return [model(*values) for values in events]


def audit_append(*, actor: Any, entries: Sequence[Entry]) -> None:
    """As audit_record_many, for bulk writes that have no use for the model instances
    (building them took a fifth of the audit write in a profile of a bulk import)."""
    _append(actor=actor, entries=entries, events=None)


def _append(*, actor: Any, entries: Sequence[Entry], events: list[list[Any]] | None) -> None:
    """Hash, chain and insert the entries; to `events`, if given, each row's values in the
    model's field order."""
    if not entries:
        return
    if not connection.in_atomic_block:
        raise RuntimeError("audit rows are written in the same transaction as the change")
    _lock_chain()
    last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, prev_hash = last if last else (0, GENESIS_HASH)
    now = timezone.now()
    request_id = current_request_id()
    who = _actor_fields(actor)
    fields = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    ops = connection.ops
    as_json = partial(ops.adapt_json_value, encoder=AuditEvent._meta.get_field("detail").encoder)
    hashes = _ChainHasher(at=now, request_id=request_id, **who)
    stored_at = ops.adapt_datetimefield_value(now)
    # Imports repeat a handful of details ({"via": "import"}) thousands of times:
    # each distinct object is encoded once per call.
    stored_detail: dict[int, Any] = {}
    rows = []
    for entry in entries:
        seq += 1
        detail = entry.detail or {}
        hash_ = hashes.next(seq=seq, prev_hash=prev_hash, entry=entry)
        # In the model's field order (ADR 0003): id, seq, at, actor_id, actor_username,
        # organisation_id, action, object_type, object_id, person_id, request_id,
        # detail, prev_hash, hash.
        common = (who["actor_id"], who["actor_username"], who["organisation_id"],
                  entry.action, entry.object_type, entry.object_id, entry.person_id,
                  request_id)
        if events is not None:
            events.append([None, seq, now, *common, detail, prev_hash, hash_])
        # Keyed by the entry's own object, which lives as long as the entries do.
        if (json_detail := stored_detail.get(id(entry.detail))) is None:
            json_detail = stored_detail[id(entry.detail)] = as_json(detail)
        rows.append([seq, stored_at, *common, json_detail, prev_hash, hash_])
        prev_hash = hash_
    # One executemany: bulk_create prepares each field of each row through the
    # ORM, ~170 µs a row in a 6,000-row batch of a bulk import; this is ~20.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (names from the model)
        ops.quote_name(AuditEvent._meta.db_table),
        ", ".join(ops.quote_name(str(f.column)) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _number(value: int | None) -> str:
    """JSON of a whole number or None, as the encoder writes it."""
    return "null" if value is None else f"{value:d}"


class _ChainHasher:
    """AuditEvent.compute_hash for rows of one call, without building each row's payload
    from scratch: the canonical JSON of a list is its items' JSON between brackets, and
    time, actor and request are the same for every row of a call. A test holds the
    two to the same result."""

    def __init__(self, *, at: Any, actor_id: int | None, actor_username: str,
                 organisation_id: int | None, request_id: str):
        encode = self.encode = CANONICAL_JSON.encode
        self.who = ",".join([encode(at.astimezone(UTC).isoformat()), encode(actor_id),
                             encode(actor_username), encode(organisation_id)])
        self.request_id = encode(request_id)
        # (action, object type, detail object) -> the JSON around the row's numbers
        self.kinds: dict[tuple[str, str, int], tuple[str, str]] = {}

    def next(self, *, seq: int, prev_hash: str, entry: Entry) -> str:
        key = (entry.action, entry.object_type, id(entry.detail))
        if (kind := self.kinds.get(key)) is None:
            encode = self.encode
            kind = self.kinds[key] = (
                f"{self.who},{encode(entry.action)},{encode(entry.object_type)}",
                f"{self.request_id},{encode(entry.detail or {})}]")
        payload = (f"[{self.encode(prev_hash)},{seq:d},{kind[0]},{_number(entry.object_id)},"
                   f"{_number(entry.person_id)},{kind[1]}")
        return hashlib.sha256(payload.encode()).hexdigest()


def audit_record(
    *, actor: Any, action: str, obj: Model | None = None, person_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record one event. `obj` names the object; `person_id` whose data it was."""
    entry = Entry(
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=obj.pk if obj is not None else None,
        person_id=person_id,
        detail=detail,
    )
    return audit_record_many(actor=actor, entries=[entry])[0]
