from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from tests.factories import OrganisationFactory, UserFactory, make_person, make_signal
from zicht.organisations.models import OrganisationKind, Role
from zicht.registry import services as registry
from zicht.shelters.codes import SafetyLevel, SexServed, ShelterKind
from zicht.shelters.models import Shelter


def make_shelter(organisation, **overrides: Any) -> Shelter:  # type: ignore[no-untyped-def]
    """A shelter row as a published shelter would look; no service, no audit."""
    fields: dict[str, Any] = {
        "name": f"Opvang {Shelter.objects.count() + 1}", "kind": ShelterKind.COSM,
        "sex_served": SexServed.ANY, "min_age": 18, "max_age": None, "forms": [],
        "languages": ["nl", "en", "ro"], "safety_level": SafetyLevel.NORMAL,
        "municipality": "GM0363", "capacity": 5,
    }
    fields.update(overrides)
    return Shelter.objects.create(organisation=organisation, **fields)


def person_in_need(actor, *, municipality: str = "GM0363", forms: list[str] | None = None,
                   registration_consent: bool = True, **person_fields: Any):  # type: ignore[no-untyped-def]
    """A person with a signal; with registration consent the national coordinator sees them."""
    person = make_person(actor, **person_fields)
    make_signal(actor, person, municipality=municipality, forms=forms or ["sexual"])
    if registration_consent:
        registry.consent_record(actor=actor, person_id=person.pk, purpose="registration",
                                state="given")
    return person


@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    """Messages in English, so assertions read like the code (requests choose their own)."""
    with translation.override("en"):
        yield


@pytest.fixture
def shelter_org(db):  # type: ignore[no-untyped-def]
    return OrganisationFactory(name="Stichting Schuilplaats", kind=OrganisationKind.SHELTER,
                               municipality="GM0599")


@pytest.fixture
def youth_org(db):  # type: ignore[no-untyped-def]
    return OrganisationFactory(name="Jeugdzorg Voorbeeld", kind=OrganisationKind.YOUTH_CARE,
                               municipality="GM0014")


@pytest.fixture
def shelter_worker(shelter_org):  # type: ignore[no-untyped-def]
    return UserFactory(organisation=shelter_org, role=Role.CASEWORKER, username="shelterworker")


@pytest.fixture
def coordinator(comensha):  # type: ignore[no-untyped-def]
    return UserFactory(organisation=comensha, role=Role.NATIONAL_COORDINATOR,
                       username="coordinator")


@pytest.fixture
def cosm(shelter_org):  # type: ignore[no-untyped-def]
    return make_shelter(shelter_org, name="COSM Test", kind=ShelterKind.COSM,
                        sex_served=SexServed.FEMALE, municipality="GM0599", capacity=3)


@pytest.fixture
def youth_shelter(youth_org):  # type: ignore[no-untyped-def]
    return make_shelter(youth_org, name="Beschermde Opvang Test", kind=ShelterKind.YOUTH_CARE,
                        min_age=12, max_age=17, municipality="GM0014", capacity=2,
                        safety_level=SafetyLevel.SECRET_ADDRESS)


@pytest.fixture
def maria(caseworker):  # type: ignore[no-untyped-def]
    """An adult woman, Romanian-speaking, sexually exploited, signalled in Amsterdam."""
    return person_in_need(caseworker)
