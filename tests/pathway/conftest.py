"""Fixtures for the pathway: a care coordinator, police, youth care, CoMensha, and a person."""

from __future__ import annotations

import pytest

from tests.factories import OrganisationFactory, UserFactory, make_person
from zicht.organisations.models import OrganisationKind, Role
from zicht.registry import services as registry


@pytest.fixture
def municipality(db):  # type: ignore[no-untyped-def]
    return OrganisationFactory(name="Gemeente Voorbeeld (zorgcoördinatie)",
                               kind=OrganisationKind.MUNICIPALITY, municipality="GM0344")


@pytest.fixture
def youth_care(db):  # type: ignore[no-untyped-def]
    return OrganisationFactory(name="Jeugdzorg Voorbeeld", kind=OrganisationKind.YOUTH_CARE)


@pytest.fixture
def shelter(db):  # type: ignore[no-untyped-def]
    return OrganisationFactory(name="Opvang Voorbeeld", kind=OrganisationKind.SHELTER)


@pytest.fixture
def ind(db):  # type: ignore[no-untyped-def]
    return OrganisationFactory(name="IND Voorbeeld", kind=OrganisationKind.IND)


@pytest.fixture
def coordinator_user(municipality):  # type: ignore[no-untyped-def]
    """A municipal care coordinator (zorgcoördinator): a caseworker at the municipality."""
    return UserFactory(organisation=municipality, role=Role.CASEWORKER, username="zorgco",
                       email="zorgco@example.org")


@pytest.fixture
def police_officer(police):  # type: ignore[no-untyped-def]
    return UserFactory(organisation=police, role=Role.CASEWORKER, username="avim",
                       email="avim@example.org")


@pytest.fixture
def youth_worker(youth_care):  # type: ignore[no-untyped-def]
    return UserFactory(organisation=youth_care, role=Role.CASEWORKER, username="jeugdzorg")


@pytest.fixture
def shelter_worker(shelter):  # type: ignore[no-untyped-def]
    return UserFactory(organisation=shelter, role=Role.CASEWORKER, username="opvang")


@pytest.fixture
def national_coordinator(comensha):  # type: ignore[no-untyped-def]
    return UserFactory(organisation=comensha, role=Role.NATIONAL_COORDINATOR,
                       username="comensha-nc", email="nc@example.org")


def with_consent(actor, person, **states):  # type: ignore[no-untyped-def]
    for purpose, state in states.items():
        registry.consent_record(actor=actor, person_id=person.pk, purpose=purpose, state=state)
    person.refresh_from_db()
    return person


@pytest.fixture
def person(caseworker):  # type: ignore[no-untyped-def]
    """An adult Romanian woman registered by the NGO, who consented to care coordination."""
    return with_consent(caseworker, make_person(caseworker), care="given")


@pytest.fixture
def coordinated_person(coordinator_user):  # type: ignore[no-untyped-def]
    """A person the care coordinator registered, with consent for care and registration."""
    return with_consent(coordinator_user, make_person(coordinator_user, given_names="Ana",
                                                      family_name="Popescu"),
                        care="given", registration="given")
