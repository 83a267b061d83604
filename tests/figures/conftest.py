from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest

from tests.factories import OrganisationFactory, UserFactory
from zicht.demo.places import REGIONS
from zicht.organisations.models import OrganisationKind, Role
from zicht.registry.codes import age_group_for
from zicht.registry.models import Person, Signal


class Registry:
    """Persons and signals written straight to the tables: figures only read them."""

    def __init__(self) -> None:
        self.orgs = {kind: OrganisationFactory(kind=kind, name=f"Org {kind}")
                     for kind in (OrganisationKind.NGO, OrganisationKind.POLICE,
                                  OrganisationKind.LABOUR_INSPECTORATE,
                                  OrganisationKind.MUNICIPALITY)}
        self.user = UserFactory(organisation=self.orgs[OrganisationKind.NGO],
                                role=Role.CASEWORKER)

    def person(self, *, sex: str = "female", citizenships: list[str] | None = None,
               consent: str = "given", birth_year: int | None = 1995,
               signals: list[dict[str, Any]] = ()) -> Person:
        person = Person.objects.create(
            data_key="-", identity_ciphertext="-", name_birth_index="-", sex=sex,
            birth_year=birth_year, citizenships=citizenships if citizenships is not None else
            ["RO"], registering_organisation=self.orgs[OrganisationKind.NGO],
            created_by=self.user, consent_registration=consent)
        for fields in signals:
            self.signal(person, **fields)
        return person

    def place(self, person: Person, *, started_on: dt.date, ended_on: dt.date | None = None):
        from zicht.shelters.models import Placement, Shelter

        shelter, _created = Shelter.objects.get_or_create(
            name="Opvang Voorbeeld", defaults={
                "organisation": self.orgs[OrganisationKind.NGO], "kind": "cosm",
                "municipality": "GM0363", "capacity": 1000})
        return Placement.objects.create(shelter=shelter, person=person, started_on=started_on,
                                        ended_on=ended_on,
                                        placing_organisation=self.orgs[OrganisationKind.NGO])

    def signal(self, person: Person, *, on: dt.date, forms: list[str] = ("sexual",),
               kind: str = OrganisationKind.NGO, municipality: str = "GM0363",
               scope: str = "domestic", sector: str = "") -> Signal:
        age = None if person.birth_year is None else max(0, on.year - person.birth_year - 1)
        duty = kind in (OrganisationKind.POLICE, OrganisationKind.LABOUR_INSPECTORATE)
        return Signal.objects.create(
            person=person, reporting_organisation=self.orgs[kind], reported_by=self.user,
            signalled_on=on, forms=list(forms), sector=sector, municipality=municipality,
            scope=scope, source="own_observation", age_at_signal=age,
            age_group=age_group_for(age), minor_at_signal=age is None or age < 18,
            duty_registration=duty)


@pytest.fixture
def registry(db) -> Registry:  # type: ignore[no-untyped-def]
    return Registry()


def random_registry(registry: Registry, *, seed: int, persons: int) -> None:
    """A varied synthetic population over 2023–2024."""
    rng = random.Random(seed)
    municipalities = [m.code for r in REGIONS for m in r.municipalities] + ["GM9999"]
    for _ in range(persons):
        signals = []
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            signals.append({
                "on": dt.date(rng.choice([2023, 2024, 2024]), rng.randint(1, 12),
                              rng.randint(1, 28)),
                "forms": rng.sample(["sexual", "labour", "criminal", "servitude"],
                                    rng.choice([1, 1, 2])),
                "kind": rng.choice(list(registry.orgs)),
                "municipality": rng.choice(municipalities),
                "scope": rng.choice(["domestic", "cross_border", "unknown"]),
                "sector": rng.choice(["", "A", "C", "I"]),
            })
        person = registry.person(
            sex=rng.choice(["female", "female", "male", "unknown"]),
            citizenships=rng.choice([["NL"], ["RO"], ["PL", "NL"], ["NG"], [], ["UA"], ["BG"]]),
            consent=rng.choice(["given", "given", "refused", "unknown", "withdrawn"]),
            birth_year=rng.choice([None, 1960, 1985, 1999, 2008, 2012]),
            signals=signals)
        if rng.random() < 0.3:
            started = dt.date(rng.choice([2022, 2023, 2024]), rng.randint(1, 12), 1)
            registry.place(person, started_on=started, ended_on=rng.choice(
                [None, started + dt.timedelta(days=rng.randint(10, 400))]))
