"""Every logged-in session has passed the second factor, or it is ended."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse


class TwoFactorRequiredMiddleware:
    """Log out a session that was opened with a password alone.

    zicht's own login opens a session only after the TOTP or backup code (views.py), so
    such a session comes from elsewhere: Django's admin login form, or a session from
    before two-factor login. Runs after django-otp's OTPMiddleware, which tells whether
    the session's user was verified by one of their devices.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not user.is_verified():  # type: ignore[union-attr,attr-defined]
            logout(request)
        return self.get_response(request)


def client_address(request: HttpRequest) -> str | None:
    """The client's address for login throttling.

    Behind our reverse proxy (ZICHT_BEHIND_PROXY=1) the last X-Forwarded-For entry, the one
    the proxy appended; earlier entries are whatever the client sent. Else REMOTE_ADDR, or
    None for a request without one (django-axes stores the address in an IP column).
    """
    if settings.BEHIND_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "")
                     .split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR") or None
