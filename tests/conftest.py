from __future__ import annotations

import pytest
from django.core.management.commands import flush
from django.test import Client, override_settings
from rest_framework.test import APIClient

from tests.factories import OrganisationFactory, UserFactory
from zicht.audit.db_guard import audit_purge_allowed
from zicht.organisations.models import OrganisationKind, Role
from zicht.organisations.services import token_create


@pytest.fixture(autouse=True, scope="session")
def _flush_may_empty_the_audit_log():  # type: ignore[no-untyped-def]
    """Transactional tests empty the database with `flush` afterwards; only that lifts the guard."""
    original = flush.Command.handle

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        with audit_purge_allowed():
            return original(self, *args, **options)

    flush.Command.handle = handle
    yield
    flush.Command.handle = original


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():  # type: ignore[no-untyped-def]
    """Every factory user gets a password; the production hasher takes most of a second."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True, scope="session")
def _force_login_passes_the_second_factor():  # type: ignore[no-untyped-def]
    """`client.force_login(user)` skips the password; let it skip the TOTP code too.

    zicht logs out any session without a verified second factor (TwoFactorRequiredMiddleware),
    so the session is marked as verified by a confirmed authenticator of the user, made here
    when the user has none. The login itself is tested through the real two steps in
    tests/organisations/test_two_factor.py.
    """
    from tests.twofactor import mark_session_verified

    original = Client.force_login

    def force_login(self, user, backend=None):  # type: ignore[no-untyped-def]
        original(self, user, backend)
        session = self.session
        mark_session_verified(session, user)
        session.save()

    Client.force_login = force_login
    yield
    Client.force_login = original


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


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def chromium():  # type: ignore[no-untyped-def]
    """Debian's Chromium, launched once for the whole run; no browser download.

    One Playwright per process: a second sync Playwright cannot start while one runs,
    so every browser test uses this fixture.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()
