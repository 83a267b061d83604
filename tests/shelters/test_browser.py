"""The shelter pages in real headless Chromium: by keyboard only, and axe finds nothing serious."""

from __future__ import annotations

import os

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.shelters.conftest import make_shelter, person_in_need
from tests.twofactor import browser_log_in
from zicht.shelters.codes import ShelterKind
from zicht.shelters.models import Placement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The live server runs in a thread next to Playwright's sync API, which Django
# would otherwise take for an async context and refuse database calls in.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE = Axe()


@pytest.fixture
def tab(live_server, chromium):  # type: ignore[no-untyped-def]
    # The session-wide Chromium of tests/conftest.py: one sync Playwright per process.
    context = chromium.new_context(base_url=live_server.url, locale="nl-NL")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def assert_accessible(page) -> None:  # type: ignore[no-untyped-def]
    violations = AXE.run(page).response["violations"]
    blocking = [f"{v['id']} ({v['impact']}): {v['help']}" for v in violations
                if v.get("impact") in ("serious", "critical")]
    assert not blocking, f"{page.url}:\n" + "\n".join(blocking)


def press_tab_until(page, selector: str, limit: int = 120) -> None:  # type: ignore[no-untyped-def]
    target = page.locator(selector)
    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never got the focus by Tab")


def test_a_coordinator_finds_and_ends_a_place_by_keyboard(tab, caseworker, coordinator,
                                                          shelter_org, youth_shelter):
    page = tab
    cosm = make_shelter(shelter_org, name="COSM Rotterdam", kind=ShelterKind.COSM,
                        municipality="GM0599", capacity=4)
    maria = person_in_need(caseworker)

    page.goto("/accounts/login/?next=/shelters/")
    browser_log_in(page, coordinator.username)

    page.goto("/shelters/")
    assert page.locator("table").count() == 3
    assert_accessible(page)

    page.goto(f"/shelters/match/{maria.pk}/")
    assert_accessible(page)
    button = f"form.zicht-place:has(input[name=shelter][value='{cosm.pk}']) button"
    press_tab_until(page, button)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".utrecht-alert--ok").count() == 1
    placement = Placement.objects.get(person=maria)
    assert placement.shelter_id == cosm.pk
    assert_accessible(page)

    page.goto(f"/shelters/{cosm.pk}/")
    assert_accessible(page)
    press_tab_until(page, f"tr:has(a[href$='/persons/{maria.pk}/']) summary")
    page.keyboard.press("Enter")  # opens the end form
    press_tab_until(page, f"#id_end-{placement.pk}-end_reason")
    page.keyboard.press("ArrowDown")  # from "—" to the first reason
    press_tab_until(page, f"form[action$='/placements/{placement.pk}/end/'] button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    placement.refresh_from_db()
    assert placement.ended_on is not None
    assert_accessible(page)
