from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import OrganisationFactory, UserFactory
from zicht.audit.db_guard import audit_purge_allowed
from zicht.organisations.models import OrganisationKind, Role
from zicht.organisations.services import token_create


@pytest.fixture(autouse=True)
def _allow_audit_purge_in_transactional_tests(request):  # type: ignore[no-untyped-def]
    """Transactional tests empty the SQLite database afterwards; only they lift the guard."""
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        with audit_purge_allowed():
            yield
    else:
        yield


@pytest.fixture
def ngo(db):  # type: ignore[no-untyped-def]
    return OrganisationFactory(name="Stichting Voorbeeld", kind=OrganisationKind.NGO)


@pytest.fixture
def police(db):  # type: ignore[no-untyped-def]
    return OrganisationFactory(name="Politie Voorbeeld", kind=OrganisationKind.POLICE,
                               municipality="GM0599")


@pytest.fixture
def comensha(db):  # type: ignore[no-untyped-def]
    return OrganisationFactory(name="CoMensha", kind=OrganisationKind.COMENSHA)


@pytest.fixture
def caseworker(ngo):  # type: ignore[no-untyped-def]
    return UserFactory(organisation=ngo, role=Role.CASEWORKER, username="caseworker")


@pytest.fixture
def api():  # type: ignore[no-untyped-def]
    """An API client; `api.as_user(user)` authenticates it with a fresh token."""
    client = APIClient()

    def as_user(user):  # type: ignore[no-untyped-def]
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_create(actor=None, user=user)}")
        return client

    client.as_user = as_user  # type: ignore[attr-defined]
    return client
