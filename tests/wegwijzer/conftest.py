"""Fixtures for the Wegwijzer: compiled catalogues, seed data, users, a browser tab."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.factories import OrganisationFactory, UserFactory
from zicht.organisations.models import OrganisationKind, Role
from zicht.wegwijzer import routing, security, seed

# The live server runs in a thread next to Playwright's sync API.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

LOCALE = Path(__file__).resolve().parents[2] / "src" / "zicht" / "wegwijzer" / "locale"


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogues():  # type: ignore[no-untyped-def]
    """The .mo files are build output (not in git): compile them when missing or stale."""
    stale = [po for po in LOCALE.glob("*/LC_MESSAGES/django.po")
             if not po.with_suffix(".mo").exists()
             or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime]
    if stale:
        # From inside the app, so only its own catalogues are compiled.
        with contextlib.chdir(LOCALE.parent):
            call_command("compilemessages", locale=[po.parts[-3] for po in stale], verbosity=0)
    from django.utils.translation import trans_real

    trans_real._translations = {}
    trans_real._default = None


@pytest.fixture(autouse=True)
def _fresh_rulebook(request):  # type: ignore[no-untyped-def]
    """Each test sees the seeded rules in its own database, not a copy cached earlier.

    Transactional tests (here or elsewhere in the suite) empty every table afterwards,
    the migration's seed data included; it is put back when missing.
    """
    marker = request.node.get_closest_marker("django_db")
    if marker is not None or "db" in request.fixturenames:
        transactional = marker is not None and marker.kwargs.get("transaction")
        request.getfixturevalue("transactional_db" if transactional else "db")
        from django.apps import apps

        from zicht.wegwijzer.models import RuleSet

        if not RuleSet.objects.exists():
            seed.load_defaults(apps)
    routing.forget_cached_rulebook()
    security.forget_cached_pages()
    yield
    routing.forget_cached_rulebook()
    security.forget_cached_pages()


@pytest.fixture
def coordinator(db):  # type: ignore[no-untyped-def]
    organisation = OrganisationFactory(name="CoMensha", kind=OrganisationKind.COMENSHA)
    return UserFactory(organisation=organisation, role=Role.NATIONAL_COORDINATOR,
                       username="coordinator")


@pytest.fixture
def reporter(db):  # type: ignore[no-untyped-def]
    organisation = OrganisationFactory(name="Wijkteam Voorbeeld", kind=OrganisationKind.MUNICIPALITY)
    return UserFactory(organisation=organisation, role=Role.REPORTER, username="reporter")


@pytest.fixture
def page(chromium, live_server):  # type: ignore[no-untyped-def]
    context = chromium.new_context(base_url=live_server.url, locale="nl-NL",
                                   viewport={"width": 1280, "height": 800})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()
