"""Reads of the Wegwijzer. The directory is public; anonymous signals are for the
national coordinator only, and reading one is audited."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models import Case, IntegerField, QuerySet, Value, When

from zicht.audit.services import audit_record
from zicht.core.crypto import normalise_name
from zicht.core.exceptions import NotFound
from zicht.organisations.models import Role, User

from .models import AnonymousSignal, DirectoryEntry, EntryKind, Municipality, Scope

REGIONAL_DESKS_SHOWN = 3


def find_municipality(text: str) -> Municipality | None:
    """By CBS code (GM0363) or by name, ignoring case, accents and punctuation."""
    value = (text or "").strip()
    if not value:
        return None
    by_code = Municipality.objects.filter(code=value.upper()).first()
    if by_code:
        return by_code
    wanted = normalise_name(value)
    for municipality in Municipality.objects.all():
        if normalise_name(municipality.name) == wanted:
            return municipality
    return None


def municipality_names() -> list[str]:
    return list(Municipality.objects.order_by("name").values_list("name", flat=True))


def _overlaps(wanted: Iterable[str], have: Sequence[str]) -> bool:
    """An entry with no forms (or languages) listed handles all of them."""
    wanted = list(wanted)
    return not wanted or not have or any(item in have for item in wanted)


def _serves(entry: DirectoryEntry, municipality: Municipality | None) -> bool:
    if entry.scope == Scope.NATIONAL:
        return True
    if municipality is None:
        return True
    if entry.region != municipality.province:
        return False
    return not entry.municipalities or municipality.code in entry.municipalities


def directory_search(*, municipality: Municipality | None = None, form: str = "",
                     language: str = "", kind: str = "") -> list[DirectoryEntry]:
    """Active entries that serve the municipality, handle the form and speak the language.

    Regional entries of the municipality come first, then national ones.
    """
    entries = DirectoryEntry.objects.filter(active=True).exclude(kind=EntryKind.EMERGENCY)
    if kind:
        entries = entries.filter(kind=kind)
    if municipality is not None:
        entries = entries.filter(scope=Scope.NATIONAL) | entries.filter(
            scope=Scope.REGIONAL, region=municipality.province)
    found = [
        entry for entry in entries.order_by("name")
        if _serves(entry, municipality)
        and _overlaps([form] if form else [], entry.forms)
        and (not language or language in entry.languages or (not entry.languages
                                                             and language == "nl"))
    ]
    found.sort(key=lambda e: (e.scope != Scope.REGIONAL, e.kind != EntryKind.REPORTING_DESK))
    return found


def regional_desks(*, municipality: Municipality, forms: Sequence[str]) -> list[DirectoryEntry]:
    """The reporting desks of a municipality's region, those for the municipality first."""
    desks = [
        desk for desk in DirectoryEntry.objects.filter(
            active=True, kind=EntryKind.REPORTING_DESK, scope=Scope.REGIONAL,
            region=municipality.province).order_by("name")
        if _serves(desk, municipality) and _overlaps(forms, desk.forms)
    ]
    desks.sort(key=lambda d: not d.municipalities)
    return desks[:REGIONAL_DESKS_SHOWN]


def entries_by_key(keys: Iterable[str]) -> dict[str, DirectoryEntry]:
    return {entry.key: entry for entry in DirectoryEntry.objects.filter(key__in=list(keys),
                                                                        active=True)}


# -- anonymous signals: the national coordinator's queue ----------------------------

def _require_coordinator(actor: User) -> None:
    # Outsiders get 404, not 403: they learn nothing about the queue.
    if not (actor.is_authenticated and actor.is_active
            and actor.role == Role.NATIONAL_COORDINATOR):
        raise NotFound()


def anonymous_signal_list(*, actor: User, status: str = "") -> QuerySet[AnonymousSignal]:
    """The queue: codes and dates only, nothing decrypted, so listing is not a read of content."""
    _require_coordinator(actor)
    signals = AnonymousSignal.objects.all()
    if status:
        signals = signals.filter(status=status)
    # New first, then those being looked at, handled last.
    rank = Case(When(status="new", then=Value(0)), When(status="in_progress", then=Value(1)),
                default=Value(2), output_field=IntegerField())
    return signals.order_by(rank, "-received_at", "-id")


def anonymous_signal_get(*, actor: User, signal_id: int) -> AnonymousSignal:
    """One signal with its free text; the read is audited."""
    _require_coordinator(actor)
    signal = AnonymousSignal.objects.filter(pk=signal_id).prefetch_related("additions").first()
    if signal is None:
        raise NotFound()
    with transaction.atomic():
        audit_record(actor=actor, action="anonymous_signal.read", obj=signal)
    return signal
