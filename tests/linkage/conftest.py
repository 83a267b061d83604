from __future__ import annotations

import logging
from typing import Any

import pytest

from tests.factories import OrganisationFactory, UserFactory
from zicht.organisations.models import OrganisationKind, Role


@pytest.fixture(scope="session")
def trained_parameters() -> dict[str, Any]:
    """The model trained once on a small synthetic domain data set (no database)."""
    from zicht.linkage import model, synthetic

    logging.getLogger("splink").setLevel(logging.ERROR)
    records = synthetic.domain_records(400, seed=21)
    return model.train(model.prepare(records), model.settings(), u_max_pairs=2e5)


@pytest.fixture
def model_version(db, trained_parameters):  # type: ignore[no-untyped-def]
    from zicht.linkage.services import model_version_save

    return model_version_save(actor=None, parameters=trained_parameters, records=800)


@pytest.fixture
def coordinator(comensha):  # type: ignore[no-untyped-def]
    return UserFactory(organisation=comensha, role=Role.NATIONAL_COORDINATOR,
                       username="coordinator")


@pytest.fixture
def police_officer(police):  # type: ignore[no-untyped-def]
    return UserFactory(organisation=police, role=Role.CASEWORKER, username="officer")


@pytest.fixture
def shelter_worker(db):  # type: ignore[no-untyped-def]
    shelter = OrganisationFactory(name="Opvang Voorbeeld", kind=OrganisationKind.SHELTER)
    return UserFactory(organisation=shelter, role=Role.CASEWORKER, username="shelter")
