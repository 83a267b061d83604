"""Second-factor helpers for tests: TOTP codes of a user's authenticator, browser login."""

from __future__ import annotations

import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from zicht.organisations.models import User

PASSWORD = "correct horse battery"


def authenticator(user: User) -> TOTPDevice:
    """The user's confirmed authenticator; a new one if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def mark_session_verified(session, user: User) -> None:  # type: ignore[no-untyped-def]
    session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id


def code_for(device: TOTPDevice) -> str:
    """The code the app shows now, or the next one when this one was used already."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if device.last_t >= totp.t():
        totp.time += device.step * (device.last_t + 1 - totp.t())
    return f"{totp.token():0{device.digits}d}"


def wait_for_focus(page, element_id: str) -> None:  # type: ignore[no-untyped-def]
    """Autofocus may land a moment after the page's load event; typing must wait for it."""
    page.wait_for_function(f"document.activeElement && document.activeElement.id === '{element_id}'")


def browser_password_step(page, username: str, password: str = PASSWORD) -> None:  # type: ignore[no-untyped-def]
    """By keyboard, the login's first step; ends on the code step."""
    if "/accounts/login/" not in page.url:
        page.goto("/accounts/login/")
    # The username field has the focus on arrival.
    wait_for_focus(page, "id_username")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/login/code/")


def browser_log_in(page, username: str, password: str = PASSWORD) -> None:  # type: ignore[no-untyped-def]
    """Log in by keyboard as an enrolled user: password, then the authenticator's code."""
    device = authenticator(User.objects.get(username=username))
    browser_password_step(page, username, password)
    # The code field has the focus on arrival.
    wait_for_focus(page, "id_code")
    page.keyboard.type(code_for(device))
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
