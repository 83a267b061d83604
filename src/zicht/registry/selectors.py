"""Every read of the registry that applies permissions, with its audit row."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from zicht.audit.services import Entry, audit_record_many
from zicht.core.crypto import blind_index
from zicht.organisations.models import User

from .access import (
    access_consent,
    access_person,
    access_signal,
    consents_visible_to,
    persons_visible_to,
    signals_visible_to,
)
from .models import Consent, Person, Signal


def person_list(*, actor: User, filters: dict[str, Any] | None = None) -> QuerySet[Person]:
    """Persons the actor may see, filtered; audit the page shown with `audit_shown`."""
    persons = persons_visible_to(actor).select_related("registering_organisation")
    filters = filters or {}
    if filters.get("family_name") or filters.get("given_names"):
        persons = persons.filter(name_birth_index=blind_index(
            given_names=filters.get("given_names", ""),
            family_name=filters.get("family_name", ""),
            birth_date=filters.get("birth_date", ""),
        ))
    if filters.get("minor") is not None:
        minor_ids = Signal.objects.filter(minor_at_signal=True).values("person_id")
        persons = persons.filter(pk__in=minor_ids) if filters["minor"] else persons.exclude(
            pk__in=minor_ids)
    if filters.get("sex"):
        persons = persons.filter(sex=filters["sex"])
    return persons


@transaction.atomic
def person_get(*, actor: User, person_id: int | str) -> Person:
    person = access_person(actor, person_id)
    audit_record_many(actor=actor, entries=[
        Entry("person.read", "registry.person", person.pk, person.pk)])
    return person


def signal_list(*, actor: User, person_id: int | None = None) -> QuerySet[Signal]:
    signals = signals_visible_to(actor).select_related("person", "reporting_organisation")
    if person_id is not None:
        signals = signals.filter(person_id=person_id)
    return signals


@transaction.atomic
def signal_get(*, actor: User, signal_id: int | str) -> Signal:
    signal = access_signal(actor, signal_id)
    audit_record_many(actor=actor, entries=[
        Entry("signal.read", "registry.signal", signal.pk, signal.person_id)])
    return signal


def consent_list(*, actor: User, person_id: int | None = None) -> QuerySet[Consent]:
    consents = consents_visible_to(actor).select_related("organisation", "recorded_by")
    if person_id is not None:
        consents = consents.filter(person_id=person_id)
    return consents


@transaction.atomic
def consent_get(*, actor: User, consent_id: int | str) -> Consent:
    consent = access_consent(actor, consent_id)
    audit_record_many(actor=actor, entries=[
        Entry("consent.read", "registry.consent", consent.pk, consent.person_id)])
    return consent


@transaction.atomic
def audit_shown(*, actor: User, action: str, objects: Iterable[Person | Signal | Consent]) -> None:
    """Log one row per object on the page: a list view is a read of each person on it."""
    entries = []
    for obj in objects:
        person_id = obj.pk if isinstance(obj, Person) else obj.person_id
        entries.append(Entry(action, obj._meta.label_lower, obj.pk, person_id))
    audit_record_many(actor=actor, entries=entries)
