"""Every read of shelters and placements that applies permissions, with its audit row.

Capacity is counted from the placements at the moment of asking — no cache —
so the board changes the instant a placement starts or ends.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from zicht.audit.services import Entry, audit_record_many
from zicht.core.exceptions import NotFound
from zicht.organisations.models import User
from zicht.registry.access import access_person
from zicht.registry.codes import Form
from zicht.registry.models import Person

from . import matching
from .access import (
    access_placement,
    parse_id,
    placements_visible_to,
    require_may_view_capacity,
)
from .codes import KIND_SHORT, SafetyLevel, ShelterKind
from .geography import MUNICIPALITIES, OTHER_REGION, PROVINCES, region_label, region_of
from .models import ACTIVE, Occupancy, Placement, Shelter

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


def need_for(person: Person, *, safety: str, today: date) -> matching.Need:
    """What matching needs to know about a person, from the registry."""
    signals = list(person.signals.order_by("-signalled_on", "-id").values("forms", "municipality"))
    recorded = {form for signal in signals for form in signal["forms"] or []}
    return matching.Need(
        sex=person.sex,
        age=person.age_on(today),
        forms=tuple(form for form in Form.values if form in recorded),
        languages=tuple(person.languages or ()),
        safety=safety,
        municipality=signals[0]["municipality"] if signals else None,
    )


def offer_for(shelter: Shelter, *, occupied: int) -> matching.Offer:
    return matching.Offer(
        shelter_id=shelter.pk, name=shelter.name, kind=shelter.kind,
        sex_served=shelter.sex_served, min_age=shelter.min_age, max_age=shelter.max_age,
        forms=tuple(shelter.forms or ()), languages=tuple(shelter.languages or ()),
        safety_level=shelter.safety_level, municipality=shelter.municipality,
        capacity=shelter.capacity, occupied=occupied,
    )


def _municipalities_in(region: str) -> list[str]:
    return [code for code, known in MUNICIPALITIES.items() if known.province == region]


def shelter_list(*, actor: User, filters: dict[str, Any] | None = None
                 ) -> QuerySet[WithAnnotations[Shelter, Occupancy]]:
    """Shelters with `occupied` annotated; capacity is no person data, so no audit."""
    require_may_view_capacity(actor)
    shelters = Shelter.objects.with_occupancy().select_related("organisation")
    filters = filters or {}
    if filters.get("kind"):
        shelters = shelters.filter(kind=filters["kind"])
    if filters.get("organisation"):
        shelters = shelters.filter(organisation_id=filters["organisation"])
    if filters.get("municipality"):
        shelters = shelters.filter(municipality=filters["municipality"])
    region = filters.get("region")
    if region == OTHER_REGION:
        shelters = shelters.exclude(municipality__in=list(MUNICIPALITIES))
    elif region:
        shelters = shelters.filter(municipality__in=_municipalities_in(region))
    if filters.get("has_free"):
        shelters = shelters.filter(occupied__lt=F("capacity"))
    return shelters


def shelter_get(*, actor: User, shelter_id: int | str) -> Shelter:
    pk = parse_id(shelter_id)
    shelter = shelter_list(actor=actor).filter(pk=pk).first() if pk else None
    if shelter is None:
        raise NotFound()
    return shelter


@dataclass
class Tally:
    capacity: int = 0
    occupied: int = 0
    shelters: int = 0

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.occupied)

    def add(self, capacity: int, occupied: int) -> None:
        self.capacity += capacity
        self.occupied += occupied
        self.shelters += 1


@dataclass
class Board:
    """Free places per kind and region (province), and their totals."""

    generated_at: datetime
    kinds: list[tuple[str, str]]
    regions: list[tuple[str, str]]
    cells: dict[tuple[str, str], Tally] = field(default_factory=dict)
    by_kind: dict[str, Tally] = field(default_factory=dict)
    by_region: dict[str, Tally] = field(default_factory=dict)
    total: Tally = field(default_factory=Tally)

    def cell(self, kind: str, region: str) -> Tally:
        return self.cells.get((kind, region)) or Tally()

    def rows(self) -> list[dict[str, Any]]:
        """Per region, a cell per kind: the shape the board's table shows."""
        return [{"region": region, "label": label, "total": self.by_region[region],
                 "cells": [self.cell(kind, region) for kind, _ in self.kinds]}
                for region, label in self.regions]


def capacity_board(*, actor: User) -> Board:
    require_may_view_capacity(actor)
    board = Board(
        generated_at=timezone.now(),
        kinds=[(kind, str(KIND_SHORT[kind])) for kind in ShelterKind.values],
        regions=[],
    )
    rows = Shelter.objects.with_occupancy().values_list("kind", "municipality", "capacity",
                                                        "occupied")
    for kind, municipality, capacity, occupied in rows:
        region = region_of(municipality)
        board.cells.setdefault((kind, region), Tally()).add(capacity, occupied)
        board.by_kind.setdefault(kind, Tally()).add(capacity, occupied)
        board.by_region.setdefault(region, Tally()).add(capacity, occupied)
        board.total.add(capacity, occupied)
    for kind, _label in board.kinds:
        board.by_kind.setdefault(kind, Tally())
    ordered = [code for code in PROVINCES if code in board.by_region]
    if OTHER_REGION in board.by_region:
        ordered.append(OTHER_REGION)
    board.regions = [(code, region_label(code)) for code in ordered]
    return board


@dataclass(frozen=True)
class PersonMatches:
    person: Person
    need: matching.Need
    matches: list[matching.Match]
    current: Placement | None


@transaction.atomic
def shelter_matches(*, actor: User, person_id: int | str,
                    safety: str = SafetyLevel.NORMAL, today: date | None = None) -> PersonMatches:
    """Shelters for a person, best first, with reasons. A read of the person: audited."""
    person = access_person(actor, person_id)
    require_may_view_capacity(actor)
    today = today or timezone.localdate()
    need = need_for(person, safety=safety, today=today)
    offers = [offer_for(shelter, occupied=shelter.occupied)
              for shelter in Shelter.objects.with_occupancy()]
    current = person.placements.filter(ACTIVE).select_related("shelter").first()
    audit_record_many(actor=actor, entries=[
        Entry("shelter.match", "registry.person", person.pk, person.pk, {"safety": safety})])
    return PersonMatches(person=person, need=need, matches=matching.rank(need, offers),
                         current=current)


def placement_list(*, actor: User, filters: dict[str, Any] | None = None
                   ) -> QuerySet[Placement]:
    """Placements of persons the actor may see; audit the page shown with `audit_shown`."""
    placements = placements_visible_to(actor).select_related(
        "person", "shelter", "placing_organisation", "placed_by")
    filters = filters or {}
    if filters.get("person") is not None:
        placements = placements.filter(person_id=filters["person"])
    if filters.get("shelter") is not None:
        placements = placements.filter(shelter_id=filters["shelter"])
    if filters.get("active") is not None:
        placements = placements.filter(ended_on__isnull=filters["active"])
    return placements


@transaction.atomic
def placement_get(*, actor: User, placement_id: int | str) -> Placement:
    placement = access_placement(actor, placement_id)
    audit_record_many(actor=actor, entries=[
        Entry("placement.read", "shelters.placement", placement.pk, placement.person_id)])
    return placement


@transaction.atomic
def audit_shown(*, actor: User, placements: Iterable[Placement],
                action: str = "placement.list") -> None:
    """A placement on a page is a read of that person's data."""
    audit_record_many(actor=actor, entries=[
        Entry(action, "shelters.placement", p.pk, p.person_id) for p in placements])
