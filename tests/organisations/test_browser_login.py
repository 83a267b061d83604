"""Two-factor login in real headless Chromium, by keyboard only; and no page breaks the CSP."""

from __future__ import annotations

import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from tests.factories import UserFactory, make_person
from tests.twofactor import browser_log_in, browser_password_step, wait_for_focus
from tests.web import conftest as web_fixtures
from tests.web.test_browser import assert_accessible, tab_to
from zicht.organisations.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

web = web_fixtures.web


def csp_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Every Content-Security-Policy violation the page reports from now on."""
    seen: list[str] = []
    page.on("console", lambda message: seen.append(message.text)
            if "Content Security Policy" in message.text else None)
    return seen


def test_a_first_login_sets_up_the_app_by_keyboard_and_lands_on_the_worklist(web, caseworker):
    violations = csp_violations(web)
    make_person(caseworker, given_names="Maria", family_name="Ionescu")
    browser_password_step(web, "caseworker")

    # The set-up page: a QR code and the same secret as text, which a person could type.
    assert web.locator("h1").inner_text() == "Tweestapsverificatie instellen"
    assert web.locator("figure.zicht-qr-code svg").is_visible()
    assert_accessible(web)
    secret = web.locator("#totp-secret").inner_text().replace(" ", "")
    totp = TOTP(b32decode(secret))
    totp.time = time.time()
    # The code field has the focus on arrival.
    wait_for_focus(web, "id_code")
    web.keyboard.type(f"{totp.token():06d}")
    web.keyboard.press("Enter")

    # The backup codes, shown once; then on to the worklist.
    web.wait_for_selector("#backup-codes")
    assert web.locator("#backup-codes li").count() == 10
    assert_accessible(web)
    tab_to(web, "#continue")
    with web.expect_navigation():
        web.keyboard.press("Enter")
    assert web.locator("h1").inner_text() == "Werklijst"
    assert "Ionescu" in web.locator("main").inner_text()
    assert violations == []


def test_an_enrolled_user_types_the_code_and_a_wrong_one_is_named(web, caseworker):
    browser_log_in(web, "caseworker")
    assert web.locator("h1").inner_text() == "Werklijst"
    with web.expect_navigation():
        web.locator("form[action='/accounts/logout/'] button").click()

    browser_password_step(web, "caseworker")
    wait_for_focus(web, "id_code")
    web.keyboard.type("000000")
    web.keyboard.press("Enter")
    web.wait_for_selector("#error-summary")
    assert web.locator("#id_code").get_attribute("aria-invalid") == "true"
    assert_accessible(web)


def test_no_page_breaks_the_content_security_policy(web, caseworker):
    """htmx, Swagger UI and the admin all run under the site-wide CSP without a violation."""
    violations = csp_violations(web)
    make_person(caseworker, given_names="Olena", family_name="Kovalenko")
    browser_log_in(web, "caseworker")
    # htmx swaps the worklist's results in place.
    web.evaluate("window.stillTheSamePage = true")
    web.fill("#id_family_name", "Kovalenko")
    web.keyboard.press("Enter")
    web.wait_for_url("**family_name=Kovalenko**")
    assert web.evaluate("window.stillTheSamePage") is True
    # Swagger UI loads its start-up script from a file and renders the operations.
    web.goto("/api/docs/")
    web.wait_for_selector(".swagger-ui .opblock")
    assert web.locator(".swagger-ui .info .title").inner_text().startswith("zicht API")
    assert violations == []

    UserFactory(organisation=None, role=Role.ADMIN, username="beheer", is_staff=True,
                is_superuser=True)
    web.context.clear_cookies()
    web.goto("/admin/")
    # The admin's own login form is not used: it would skip the second factor.
    assert "/accounts/login/" in web.url
    browser_log_in(web, "beheer")
    assert "/admin/" in web.url
    web.goto("/admin/organisations/user/")
    web.wait_for_selector("#result_list")
    assert violations == []
