"""The figures pages in real headless Chromium: keyboard only, and axe's accessibility rules."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from tests.figures.conftest import Registry
from tests.web import conftest as web_fixtures
from tests.web.test_browser import assert_accessible, log_in, tab_to
from zicht.figures import demo
from zicht.organisations.models import Organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The browser fixtures live with the web tests (the browser itself is shared by all).
web = web_fixtures.web
analyst = web_fixtures.analyst


def _registry_of_2024() -> None:
    registry = Registry()
    rng = random.Random(11)
    for n in range(40):
        person = registry.person(
            sex=rng.choice(["female", "male"]), signals=[{
                "on": dt.date(2024, rng.randint(1, 12), rng.randint(1, 28)),
                "forms": [rng.choice(["sexual", "labour", "criminal"])]}])
        if n % 3 == 0:
            registry.decide(person, "identified", on=dt.date(2024, 12, 1))
        if n % 4 == 0:
            registry.aangifte(person, on=dt.date(2024, 6, 1))
    demo.populate(rng=random.Random(1), organisations=Organisation.objects.all(),
                  today=dt.date(2025, 6, 1))


def test_an_analyst_builds_a_table_and_reads_the_funnels_by_keyboard_and_axe_passes(
        web, analyst):
    _registry_of_2024()
    log_in(web, "analyst")
    web.goto("/figures/?year=2024")
    assert web.locator("h1").inner_text() == "Cijfers"
    assert_accessible(web)

    # Rows: victim status, columns: aangifte, chosen and submitted with the keyboard only.
    tab_to(web, "#row")
    web.keyboard.press("Home")
    for _ in range(list_index(web, "#row", "victim_status")):
        web.keyboard.press("ArrowDown")
    tab_to(web, "#col")
    web.keyboard.press("Home")
    for _ in range(list_index(web, "#col", "aangifte")):
        web.keyboard.press("ArrowDown")
    web.keyboard.press("Tab")  # to "Show"
    web.keyboard.press("Enter")
    web.wait_for_url("**row=victim_status**")
    table = web.locator("table.figures-table")
    assert "col=aangifte" in web.url
    assert table.locator("caption").count() == 1
    assert table.locator("th[scope=row]").count() == 4  # three statuses and the total
    assert web.locator("figure[role=img] svg").count() == 1
    assert_accessible(web)

    # On to the chain figures through the section's own navigation.
    tab_to(web, "nav.zicht-subnav a[href='/figures/chain/']")
    web.keyboard.press("Enter")
    web.wait_for_url("**/figures/chain/")
    web.goto("/figures/chain/?year=2023")
    funnel = web.locator("table", has_text="Gedwongen arbeid of diensten")
    assert funnel.count() >= 1
    assert "21" in funnel.first.inner_text()  # the corrected number of investigations
    assert_accessible(web)

    web.goto("/figures/jobs/")
    assert_accessible(web)


def list_index(page, selector: str, value: str) -> int:  # type: ignore[no-untyped-def]
    """How many ArrowDown presses from the first option reach `value`."""
    return int(page.locator(selector).evaluate(
        "(select, value) => [...select.options].findIndex(o => o.value === value)", value))
