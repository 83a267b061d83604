"""The privacy officer's pages in real headless Chromium: keyboard only, and axe's rules."""

from __future__ import annotations

import pytest

from tests.web import conftest as web_fixtures
from tests.web.test_browser import assert_accessible, log_in, tab_to
from zicht.registry.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

web = web_fixtures.web
if hasattr(web_fixtures, "chromium"):
    chromium = web_fixtures.chromium


def test_an_officer_finds_exports_and_erases_a_person_by_keyboard(web, officer, story):  # type: ignore[no-untyped-def]
    log_in(web, "fg-ngo")
    web.goto("/privacy/")
    assert web.locator("h1").inner_text() == "Verzoeken van betrokkenen"
    assert_accessible(web)
    tab_to(web, "#id_person")
    web.keyboard.type(str(story.person.pk))
    web.keyboard.press("Enter")
    web.wait_for_url(f"**/privacy/persons/{story.person.pk}/")
    assert_accessible(web)

    web.goto(f"/privacy/persons/{story.person.pk}/export/html/")
    assert "Oana" in web.content()
    assert_accessible(web)

    web.goto(f"/privacy/persons/{story.person.pk}/")
    tab_to(web, "#id_erase-confirm")
    web.keyboard.press("Space")
    web.keyboard.press("Tab")  # to "Erase the person"
    web.keyboard.press("Enter")
    web.wait_for_selector("text=Gewist op")
    assert Person.objects.get(pk=story.person.pk).erased_at is not None
    assert_accessible(web)
