"""Writing the audit log: always inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Model
from django.utils import timezone

from zicht.core.middleware import current_request_id

from .models import GENESIS_HASH, AuditEvent

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
    """Append entries to the chain in one go (one lock, one bulk insert)."""
    if not entries:
        return []
    if not connection.in_atomic_block:
        raise RuntimeError("audit rows are written in the same transaction as the change")
    _lock_chain()
    last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, prev_hash = last if last else (0, GENESIS_HASH)
    now = timezone.now()
    who = _actor_fields(actor)
    request_id = current_request_id()
    events = []
    for entry in entries:
        seq += 1
        event = AuditEvent(
            seq=seq, at=now, request_id=request_id, prev_hash=prev_hash,
            action=entry.action, object_type=entry.object_type, object_id=entry.object_id,
            person_id=entry.person_id, detail=entry.detail or {}, **who,
        )
        event.hash = event.compute_hash()
        prev_hash = event.hash
        events.append(event)
    AuditEvent.objects.bulk_create(events)
    return events


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
