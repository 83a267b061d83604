from __future__ import annotations

import random
from datetime import date

import pytest
from django.db.models import Sum
from django.utils import timezone

from tests.factories import UserFactory, make_person, make_signal
from zicht.audit.models import AuditEvent
from zicht.audit.selectors import verify_chain
from zicht.organisations.models import Organisation, Role
from zicht.shelters import demo
from zicht.shelters.codes import ShelterKind
from zicht.shelters.models import Placement, Shelter


@pytest.fixture
def demo_persons(caseworker):  # type: ignore[no-untyped-def]
    """A mixed caseload: adults and minors, women and men, some of uncertain age."""
    rng = random.Random(7)
    year = timezone.localdate().year
    persons = []
    for n in range(120):
        roll = rng.random()
        birth = "" if roll < 0.05 else str(year - rng.randint(13, 17)) if roll < 0.25 else \
            f"{year - rng.randint(19, 55)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
        sex = rng.choice(["female", "female", "female", "male"])
        form = "sexual" if sex == "female" and rng.random() < 0.7 else rng.choice(
            ["labour", "criminal", "servitude"])
        person = make_person(caseworker, given_names=f"Demo {n}", birth_date=birth, sex=sex,
                             languages=[rng.choice(["ro", "pl", "en", "nl", "ar"])])
        make_signal(caseworker, person, forms=[form], signalled_on=date(2025, 3, 1),
                    municipality=rng.choice(["GM0363", "GM0599", "GM0014", "GM0935"]))
        persons.append(person)
    return persons


def test_demo_shelters_have_realistic_capacity_and_fitting_placements(comensha, demo_persons):
    coordinator = UserFactory(organisation=comensha, role=Role.NATIONAL_COORDINATOR)
    today = timezone.localdate()
    result = demo.populate(rng=random.Random(1), organisations=list(Organisation.objects.all()),
                           persons=demo_persons, today=today)

    def places(kind: str) -> int:
        return Shelter.objects.filter(kind=kind).aggregate(n=Sum("capacity"))["n"]

    assert 40 <= places(ShelterKind.COSM) <= 70
    assert 33 <= places(ShelterKind.OMM) <= 39
    assert {s.kind for s in result.shelters} == set(ShelterKind.values)
    assert Shelter.objects.filter(kind=ShelterKind.WOMENS).count() >= 3

    for shelter in Shelter.objects.with_occupancy():
        assert 0 <= shelter.occupied <= shelter.capacity, shelter.name
    assert result.placements and result.past_placements
    for placement in result.placements:
        age = placement.person.age_on(today)
        minor = age is None or age < 18
        assert minor == (placement.shelter.kind == ShelterKind.YOUTH_CARE)
        assert placement.started_on <= today
        assert placement.placing_organisation == comensha
        assert placement.placed_by == coordinator
    assert all(p.ended_on < today for p in result.past_placements)
    active = Placement.objects.filter(ended_on__isnull=True)
    assert active.count() == len(set(active.values_list("person_id", flat=True)))
    assert AuditEvent.objects.filter(action="placement.create").count() == (
        len(result.placements) + len(result.past_placements))
    assert verify_chain().ok


def test_demo_shelters_are_run_by_shelter_organisations_even_when_the_demo_has_none(
        caseworker, maria):
    result = demo.populate(rng=random.Random(2), organisations=[], persons=[maria],
                           today=timezone.localdate())
    kinds = {s.organisation.kind for s in result.shelters}
    assert kinds == {"shelter", "youth_care"}
    assert Placement.objects.filter(person=maria).count() == 1
