"""Reading and verifying the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from zicht.core.exceptions import NotFound

from .models import GENESIS_HASH, AuditEvent


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_broken_seq: int | None = None
    reason: str = ""


def verify_chain(*, batch_size: int = 5000) -> ChainReport:
    """Walk the chain in order; name the first row whose link or content is off."""
    prev_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    last_seq = 0
    while True:
        batch = list(AuditEvent.objects.filter(seq__gt=last_seq).order_by("seq")[:batch_size])
        if not batch:
            return ChainReport(ok=True, checked=checked)
        for event in batch:
            if event.seq != expected_seq:
                return ChainReport(False, checked, expected_seq, "row missing")
            if event.prev_hash != prev_hash:
                return ChainReport(False, checked, event.seq, "link to previous row broken")
            if event.compute_hash() != event.hash:
                return ChainReport(False, checked, event.seq, "row content changed")
            prev_hash = event.hash
            expected_seq += 1
            checked += 1
        last_seq = batch[-1].seq


def access_audit_log(actor) -> None:  # type: ignore[no-untyped-def]
    """Only auditors read the audit log; anyone else learns nothing of it."""
    if not (actor.is_authenticated and actor.is_active and actor.role == "auditor"):
        raise NotFound()


def audit_events_for(actor, *, person_id: int | None = None) -> QuerySet[AuditEvent]:  # type: ignore[no-untyped-def]
    access_audit_log(actor)
    events = AuditEvent.objects.order_by("-seq")
    if person_id is not None:
        events = events.filter(person_id=person_id)
    return events
