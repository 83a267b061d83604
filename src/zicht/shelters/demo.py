"""Demo shelters and placements, shaped like the Dutch shelter landscape.

COSM (categorical shelter) has some 40–70 places across its locations and OMM
(men's shelter) about 36; women's, men's and general shelters and youth care /
Beschermde Opvang make up the rest. Names of organisations and locations are
invented. Persons are placed only where matching says they fit, so minors end up
in youth care only, and no shelter holds more persons than it has places.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction

from zicht.audit.services import Entry, audit_record_many
from zicht.organisations.models import Organisation, OrganisationKind, Role, User
from zicht.registry.models import Person

from . import matching
from .codes import EndReason, SafetyLevel, SexServed, ShelterKind
from .geography import distance_km
from .models import Placement, Shelter
from .selectors import need_for, offer_for


@dataclass(frozen=True)
class Location:
    kind: str
    name: str
    municipality: str
    places: tuple[int, int]  # capacity is drawn from this range
    group: str  # which demo organisation runs it
    sex_served: str = SexServed.ANY
    min_age: int = 18
    max_age: int | None = None
    forms: tuple[str, ...] = ()
    languages: tuple[str, ...] = ("nl", "en")
    safety_level: str = SafetyLevel.NORMAL


_F, _M = SexServed.FEMALE, SexServed.MALE
_SECRET = SafetyLevel.SECRET_ADDRESS

LOCATIONS: tuple[Location, ...] = (
    # COSM: 40–58 places in all.
    Location(ShelterKind.COSM, "COSM Noord-Holland", "GM0363", (14, 20), "cosm", _F,
             languages=("nl", "en", "ro", "bg", "es", "hu"), safety_level=_SECRET),
    Location(ShelterKind.COSM, "COSM Zuid-Holland", "GM0599", (12, 16), "cosm", _F,
             languages=("nl", "en", "ro", "pl", "yo")),
    Location(ShelterKind.COSM, "COSM Oost", "GM0268", (8, 12), "cosm",
             languages=("nl", "en", "pl", "uk", "ru")),
    Location(ShelterKind.COSM, "COSM Zuid", "GM0772", (6, 10), "cosm", _F,
             languages=("nl", "en", "es", "pt"), safety_level=_SECRET),
    # OMM: about 36 places.
    Location(ShelterKind.OMM, "OMM Amsterdam", "GM0363", (13, 15), "omm", _M,
             forms=("labour", "criminal", "sexual", "servitude", "slavery"),
             languages=("nl", "en", "pl", "ro", "ar")),
    Location(ShelterKind.OMM, "OMM Brabant", "GM0855", (11, 13), "omm", _M,
             forms=("labour", "criminal", "servitude", "slavery"),
             languages=("nl", "en", "pl", "ro", "bg", "vi")),
    Location(ShelterKind.OMM, "OMM Gelderland", "GM0202", (9, 11), "omm", _M,
             forms=("labour", "criminal", "sexual"), languages=("nl", "en", "uk", "ru")),
    # Women's shelters (vrouwenopvang) with places for victims of trafficking.
    Location(ShelterKind.WOMENS, "Vrouwenopvang Haaglanden", "GM0518", (16, 24), "women", _F,
             forms=("sexual", "forced_marriage", "labour", "servitude"),
             languages=("nl", "en", "ar", "tr", "so"), safety_level=_SECRET),
    Location(ShelterKind.WOMENS, "Vrouwenopvang Groningen", "GM0014", (12, 18), "women", _F,
             forms=("sexual", "forced_marriage", "servitude"), languages=("nl", "en", "de")),
    Location(ShelterKind.WOMENS, "Vrouwenopvang IJsselland", "GM0193", (10, 15), "women", _F,
             forms=("sexual", "forced_marriage", "labour"), languages=("nl", "en", "pl")),
    Location(ShelterKind.WOMENS, "Vrouwenopvang Limburg", "GM0935", (8, 12), "women", _F,
             forms=("sexual", "forced_marriage", "servitude", "labour"),
             languages=("nl", "en", "fr", "de"), safety_level=_SECRET),
    # Men's shelters.
    Location(ShelterKind.MENS, "Mannenopvang Utrecht", "GM0344", (6, 10), "men", _M,
             forms=("labour", "criminal", "sexual"), languages=("nl", "en", "ar", "fa")),
    Location(ShelterKind.MENS, "Mannenopvang Friesland", "GM0080", (4, 8), "men", _M,
             forms=("labour", "criminal"), languages=("nl", "en", "pl")),
    # General shelters (algemene opvang) with a few places set aside.
    Location(ShelterKind.GENERAL, "Opvang Flevoland", "GM0034", (12, 20), "general",
             languages=("nl", "en", "es", "pt")),
    Location(ShelterKind.GENERAL, "Opvang Twente", "GM0153", (10, 16), "general",
             languages=("nl", "en", "de", "ru")),
    Location(ShelterKind.GENERAL, "Opvang West-Brabant", "GM0758", (8, 14), "general",
             languages=("nl", "en", "fr", "ar")),
    # Youth care / Beschermde Opvang: minors only, secret addresses.
    Location(ShelterKind.YOUTH_CARE, "Beschermde Opvang Noord", "GM0014", (6, 10), "youth", _F,
             12, 17, languages=("nl", "en"), safety_level=_SECRET),
    Location(ShelterKind.YOUTH_CARE, "Beschermde Opvang West", "GM0518", (8, 12), "youth",
             min_age=0, max_age=17, languages=("nl", "en", "ar", "ti", "fr"),
             safety_level=_SECRET),
    Location(ShelterKind.YOUTH_CARE, "Beschermde Opvang Zuid", "GM0855", (6, 10), "youth", _M,
             12, 17, languages=("nl", "en", "vi", "ar"), safety_level=_SECRET),
)

# Organisations created when the demo brings none of the right kind (invented names).
_FALLBACK_ORGANISATIONS = {
    "cosm": ("Stichting Schuilhaven", OrganisationKind.SHELTER, "GM0363"),
    "women": ("Stichting De Vuurtoren", OrganisationKind.SHELTER, "GM0518"),
    "omm": ("Stichting Mannenhuis", OrganisationKind.SHELTER, "GM0855"),
    "men": ("Stichting Mannenhuis", OrganisationKind.SHELTER, "GM0855"),
    "general": ("Stichting Onderdak", OrganisationKind.SHELTER, "GM0034"),
    "youth": ("Jeugdzorg De Brug", OrganisationKind.YOUTH_CARE, "GM0014"),
}


@dataclass
class DemoShelters:
    shelters: list[Shelter] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)  # current ones
    past_placements: list[Placement] = field(default_factory=list)


def _organisation_for(location: Location, organisations: list[Organisation]) -> Organisation:
    """The demo's shelter (or youth-care) organisation nearest to the location, or a new one."""
    youth = location.kind == ShelterKind.YOUTH_CARE
    wanted = OrganisationKind.YOUTH_CARE if youth else OrganisationKind.SHELTER
    present = [o for o in organisations if o.kind == wanted]
    if present:
        def how_far(organisation: Organisation) -> tuple[float, str]:
            km = distance_km(organisation.municipality, location.municipality)
            return (km if km is not None else float("inf"), organisation.name)
        return min(present, key=how_far)
    name, kind, municipality = _FALLBACK_ORGANISATIONS[location.group]
    organisation, _ = Organisation.objects.get_or_create(
        name=name, defaults={"kind": kind, "municipality": municipality})
    return organisation


def _create_shelters(rng: random.Random, organisations: list[Organisation]
                     ) -> tuple[list[Shelter], list[Shelter]]:
    """All demo shelters, and those of them that are new (a second run adds none)."""
    shelters, created = [], []
    for location in LOCATIONS:
        existing = Shelter.objects.filter(name=location.name).first()
        if existing is not None:
            shelters.append(existing)
            continue
        created.append(Shelter.objects.create(
            organisation=_organisation_for(location, organisations),
            name=location.name, kind=location.kind, sex_served=location.sex_served,
            min_age=location.min_age, max_age=location.max_age, forms=list(location.forms),
            languages=list(location.languages), safety_level=location.safety_level,
            municipality=location.municipality, capacity=rng.randint(*location.places),
        ))
        shelters.append(created[-1])
    return shelters, created


def _placer(organisations: list[Organisation],
            fallback: Organisation) -> tuple[Organisation, User | None]:
    """CoMensha places persons in shelter; without it in the demo, the shelter itself."""
    organisation = next((o for o in organisations if o.kind == OrganisationKind.COMENSHA),
                        fallback)
    user = User.objects.filter(organisation=organisation, is_active=True, role__in=(
        Role.NATIONAL_COORDINATOR, Role.CASEWORKER)).order_by("pk").first()
    return organisation, user


@transaction.atomic
def populate(*, rng: random.Random, organisations: Iterable[Organisation],
             persons: Iterable[Person], today: date) -> DemoShelters:
    """Create the demo shelters and fill 60–100% of each with persons who fit it.

    Persons who get no current place may get a past placement, ended before today.
    Every placement is written to the audit log, as the services would.
    """
    organisations = list(organisations)
    shelters, created = _create_shelters(rng, organisations)
    result = DemoShelters(shelters=shelters)
    placing_organisation, placed_by = _placer(organisations, result.shelters[0].organisation)
    occupied = {s.pk: s.placements.filter(ended_on__isnull=True).count()
                for s in result.shelters}
    # Full shelters are part of the picture: some locations end up with no free place.
    target = {s.pk: min(s.capacity, max(occupied[s.pk], round(s.capacity * rng.uniform(0.6, 1.0))))
              for s in result.shelters}
    by_pk = {s.pk: s for s in result.shelters}

    candidates = list(persons)
    rng.shuffle(candidates)
    already_placed = set(Placement.objects.filter(ended_on__isnull=True).values_list(
        "person_id", flat=True))
    past_wanted = sum(target.values()) // 2
    entries: list[Entry] = []
    for person in candidates:
        open_shelters = [by_pk[pk] for pk, n in target.items() if occupied[pk] < n]
        if not open_shelters and len(result.past_placements) >= past_wanted:
            break
        if person.pk in already_placed:
            continue
        signal_dates = sorted(person.signals.values_list("signalled_on", flat=True))
        if not signal_dates:
            continue  # nobody signalled them: no one asked for a place yet
        need = need_for(person, safety=SafetyLevel.NORMAL, today=today)
        offers = [offer_for(s, occupied=occupied[s.pk]) for s in open_shelters]
        best = next((m for m in matching.rank(need, offers) if m.fits), None)
        if best is not None:
            shelter = by_pk[best.offer.shelter_id]
            start = max(signal_dates[-1], today - timedelta(days=rng.randint(3, 240)))
            placement = Placement.objects.create(
                shelter=shelter, person=person, started_on=min(start, today),
                safety_need=_SECRET if shelter.safety_level == _SECRET and rng.random() < 0.4
                else SafetyLevel.NORMAL,
                placing_organisation=placing_organisation, placed_by=placed_by,
            )
            occupied[shelter.pk] += 1
            result.placements.append(placement)
            entries.append(Entry("placement.create", "shelters.placement", placement.pk,
                                 person.pk, {"shelter": shelter.pk, "demo": True}))
            continue
        if len(result.past_placements) >= past_wanted:
            continue
        # A stay that is over: it counts for history, not for today's free places.
        everywhere = [offer_for(s, occupied=0) for s in result.shelters]
        past = next((m for m in matching.rank(need, everywhere) if m.fits), None)
        started = signal_dates[0] + timedelta(days=rng.randint(0, 60))
        ended = started + timedelta(days=rng.randint(20, 200))
        if past is None or ended >= today:
            continue
        placement = Placement.objects.create(
            shelter=by_pk[past.offer.shelter_id], person=person, started_on=started,
            ended_on=ended, end_reason=rng.choice(EndReason.values),
            placing_organisation=placing_organisation, placed_by=placed_by, ended_by=placed_by,
        )
        result.past_placements.append(placement)
        entries.append(Entry("placement.create", "shelters.placement", placement.pk, person.pk,
                             {"shelter": placement.shelter_id, "demo": True}))
        entries.append(Entry("placement.end", "shelters.placement", placement.pk, person.pk,
                             {"shelter": placement.shelter_id, "demo": True}))
    entries[:0] = [Entry("shelter.create", "shelters.shelter", s.pk, None,
                         {"kind": s.kind, "capacity": s.capacity, "demo": True})
                   for s in created]
    audit_record_many(actor=None, entries=entries)
    return result
