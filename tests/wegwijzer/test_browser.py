"""The guide in real headless Chromium: axe's WCAG 2.2 AA rules, keyboard only, quick exit,
and the proof of work solved by the browser."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from zicht.wegwijzer.models import AnonymousSignal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Axe()
BLOCKING_IMPACTS = {"moderate", "serious", "critical"}
AXE_OPTIONS = {"runOnly": {"type": "tag",
                           "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}


def assert_accessible(page) -> None:  # type: ignore[no-untyped-def]
    violations = AXE.run(page, options=AXE_OPTIONS).response["violations"]
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3] if node.get("target"))
        for v in violations if v.get("impact") in BLOCKING_IMPACTS
    ]
    assert not blocking, f"{page.url}:\n" + "\n".join(blocking)


def focused(page) -> str:  # type: ignore[no-untyped-def]
    return page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()")


def tab_to(page, selector: str, *, limit: int = 60) -> None:  # type: ignore[no-untyped-def]
    target = page.locator(selector).first
    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never got the focus by Tab")


@pytest.mark.parametrize("url", [
    "/wegwijzer/",
    "/wegwijzer/questions/",
    "/wegwijzer/questions/?who=self&danger=no&minor=no&what=work&police=no",
    "/wegwijzer/advice/?who=self&danger=yes&minor=unsure&what=sex&where=",
    "/wegwijzer/directory/?municipality=Utrecht",
    "/wegwijzer/report/",
    "/wegwijzer/report/add/",
    "/wegwijzer/screening/",
    "/wegwijzer/screening/ilo/?done=1&item=deception&item=debt_bondage",
    "/wegwijzer/safety/",
])
def test_public_pages_pass_axe(page, url):
    page.goto(url)
    assert_accessible(page)


def test_the_guide_can_be_walked_by_keyboard_only_to_the_advice(page):
    page.goto("/wegwijzer/")
    # The skip link and the quick exit come first.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "ww-skip"
    page.keyboard.press("Tab")
    assert focused(page) == "quick-exit"
    tab_to(page, "a.ww-button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/questions/")
    for answer in ["answer-worried", "answer-no", "answer-no", "answer-work", "answer-unsure"]:
        tab_to(page, "input[type=radio]")
        # Arrow keys move within the radio group, as screen reader users expect.
        while focused(page) != answer:
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Space")
        page.keyboard.press("Enter")
        page.wait_for_load_state()
    tab_to(page, "#answer-text")
    page.keyboard.type("Rotterdam")
    page.keyboard.press("Enter")
    page.wait_for_url("**/advice/**")
    assert "where=GM0599" in page.url
    names = page.locator(".ww-entry__name").all_inner_texts()
    assert "Meld Misdaad Anoniem" in names and "FairWork" in names
    assert "Politie" not in names
    assert_accessible(page)


def test_every_control_shows_where_the_focus_is(page):
    page.goto("/wegwijzer/report/")
    for _ in range(8):
        page.keyboard.press("Tab")
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none", f"no focus outline on {focused(page)}"


def test_the_quick_exit_leaves_and_leaves_no_way_back(page, live_server):
    page.goto("/wegwijzer/")
    page.goto("/wegwijzer/questions/?who=self")
    # Stay on this machine: point the button at a page of the live server instead.
    page.evaluate(f"document.getElementById('quick-exit').href = '{live_server.url}/static/wegwijzer/wegwijzer.css'")
    page.click("#quick-exit")
    page.wait_for_url("**/wegwijzer.css")
    page.go_back()
    # The questions page was replaced: back goes to the page before it.
    assert page.url.endswith("/wegwijzer/")


def test_without_javascript_the_guide_still_works(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    tab = context.new_page()
    tab.goto("/wegwijzer/questions/")
    tab.check("#answer-self")
    tab.click("button[type=submit]")
    assert "who=self" in tab.url
    assert tab.locator("#quick-exit").get_attribute("href") == "https://www.weeronline.nl/"
    context.close()


def test_the_browser_solves_the_proof_of_work_and_the_signal_arrives(page, settings):
    settings.WEGWIJZER_RATE_LIMIT = 0
    settings.WEGWIJZER_POW_BITS = 10
    page.goto("/wegwijzer/report/")
    page.check("#id_reporter_1")
    page.fill("#id_narrative", "In het nagelsalon werken meisjes tot laat in de nacht.")
    page.click("button[type=submit]")
    # Over the limit: the page asks for the check, keeps the text and solves it by itself.
    page.wait_for_selector("[data-pow-status]")
    assert page.input_value("#id_narrative").startswith("In het nagelsalon")
    page.wait_for_function("document.querySelector('input[name=pow_nonce]').value !== ''")
    page.click("button[type=submit]")
    page.wait_for_selector("#receipt-code")
    assert AnonymousSignal.objects.count() == 1
