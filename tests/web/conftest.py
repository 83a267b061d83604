"""Fixtures for the web UI: users of every role and a browser tab (Chromium: tests/conftest.py)."""

from __future__ import annotations

import os

import pytest

from tests.factories import OrganisationFactory, UserFactory
from zicht.organisations.models import OrganisationKind, Role

# The live server runs in a thread next to Playwright's sync API, which Django
# would otherwise take for an async context and refuse database calls in.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct horse battery"


@pytest.fixture
def reporter(ngo):  # type: ignore[no-untyped-def]
    return UserFactory(organisation=ngo, role=Role.REPORTER, username="reporter")


@pytest.fixture
def coordinator(comensha):  # type: ignore[no-untyped-def]
    return UserFactory(organisation=comensha, role=Role.NATIONAL_COORDINATOR,
                       username="coordinator")


@pytest.fixture
def analyst(db):  # type: ignore[no-untyped-def]
    organisation = OrganisationFactory(name="Bureau Nationaal Rapporteur",
                                       kind=OrganisationKind.NGO)
    return UserFactory(organisation=organisation, role=Role.ANALYST, username="analyst")


@pytest.fixture
def auditor(db):  # type: ignore[no-untyped-def]
    organisation = OrganisationFactory(name="Toezicht", kind=OrganisationKind.NGO)
    return UserFactory(organisation=organisation, role=Role.AUDITOR, username="auditor")


@pytest.fixture
def administrator(db):  # type: ignore[no-untyped-def]
    return UserFactory(organisation=None, role=Role.ADMIN, username="administrator",
                       is_staff=True)


@pytest.fixture
def web(chromium, live_server):  # type: ignore[no-untyped-def]
    """A fresh browser tab on the live server, as a Dutch user at 1280×800."""
    context = chromium.new_context(base_url=live_server.url, locale="nl-NL",
                                   viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
