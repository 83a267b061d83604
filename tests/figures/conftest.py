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

    # Pathway outcomes, written straight to the pathway's tables as well.
    def pathway(self, person: Person):  # type: ignore[no-untyped-def]
        from zicht.pathway.models import Pathway

        return Pathway.objects.get_or_create(person=person)[0]

    def decide(self, person: Person, status: str, *, on: dt.date):  # type: ignore[no-untyped-def]
        from zicht.pathway.models import VictimStatusDecision

        return VictimStatusDecision.objects.create(
            pathway=self.pathway(person), status=status, decided_on=on, reason="test",
            organisation=self.orgs[OrganisationKind.POLICE], decided_by=self.user)

    def deadline(self, person: Person, kind: str, *, starts_on: dt.date,  # type: ignore[no-untyped-def]
                 due_on: dt.date | None = None, closed_on: dt.date | None = None):
        from zicht.pathway.models import Deadline

        return Deadline.objects.create(
            person=person, pathway=self.pathway(person), kind=kind, rule=kind,
            starts_on=starts_on, due_on=due_on, closed_on=closed_on,
            responsible_organisation=self.orgs[OrganisationKind.MUNICIPALITY])

    def aangifte(self, person: Person, *, on: dt.date):  # type: ignore[no-untyped-def]
        from zicht.pathway.models import CriminalCase

        return CriminalCase.objects.create(
            pathway=self.pathway(person), aangifte_on=on, created_by=self.user,
            police_organisation=self.orgs[OrganisationKind.POLICE])

    def claim(self, person: Person, *, filed_on: dt.date,  # type: ignore[no-untyped-def]
              outcome: str = "pending", decided_on: dt.date | None = None):
        from zicht.pathway.models import RedressClaim

        return RedressClaim.objects.create(
            person=person, pathway=self.pathway(person), route="injured_party",
            amount_claimed=1000, filed_on=filed_on, decided_on=decided_on, outcome=outcome,
            responsible_organisation=self.orgs[OrganisationKind.NGO], created_by=self.user)

    def link(self, *persons: Person, cluster: int) -> None:
        """Put registrations in one cluster, as duplicate detection would."""
        from zicht.linkage.models import ClusterMembership

        for person in persons:
            ClusterMembership.objects.create(person=person, cluster_id=cluster)

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
    """A varied synthetic population over 2023–2024, with pathway outcomes around 2024."""
    rng = random.Random(seed)
    municipalities = [m.code for r in REGIONS for m in r.municipalities] + ["GM9999"]
    made: list[Person] = []
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
        pathway_outcomes(registry, rng, person)
        made.append(person)
    # Some registrations are the same person: duplicate detection put them in a cluster.
    for cluster, index in enumerate(range(0, len(made) - 1, 12), start=1):
        registry.link(made[index], made[index + 1], cluster=cluster)


def _day(rng: random.Random) -> dt.date:
    """A day from 2023 to 2025: the year 2024 and either side of it."""
    return dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(3 * 365))


def pathway_outcomes(registry: Registry, rng: random.Random, person: Person) -> None:
    """Decisions, reflection periods, aangiftes with B8 permits and claims, dated around 2024."""
    if rng.random() < 0.6:
        decided = _day(rng)
        registry.decide(person, rng.choice(["identified", "identified", "not_victim"]),
                        on=decided)
        if rng.random() < 0.3:  # decided again later
            registry.decide(person, rng.choice(["identified", "not_victim", "possible"]),
                            on=decided + dt.timedelta(days=rng.randint(0, 200)))
    if rng.random() < 0.45:
        offered = _day(rng)
        registry.deadline(person, "reflection_period", starts_on=offered,
                          due_on=offered + dt.timedelta(days=91),
                          closed_on=rng.choice([None, offered + dt.timedelta(days=30)]))
    if rng.random() < 0.45:
        made_on = _day(rng)
        registry.aangifte(person, on=made_on)
        if rng.random() < 0.6:
            registry.deadline(person, "b8_permit", starts_on=made_on, closed_on=rng.choice(
                [None, made_on + dt.timedelta(days=rng.randint(1, 500))]))
    if rng.random() < 0.5:
        filed = _day(rng)
        outcome = rng.choice(["pending", "awarded", "partly_awarded", "rejected", "settled"])
        registry.claim(person, filed_on=filed, outcome=outcome, decided_on=None
                       if outcome == "pending" else filed + dt.timedelta(days=rng.randint(0, 400)))
