"""Login in two steps: password, then a TOTP code (or a backup code).

The session is opened only after the second step. Between the two, the session holds
the pending user for TWO_FACTOR_PENDING_MINUTES, nothing else: a stolen password alone
opens nothing. A first login sets up the authenticator (QR code or secret as text) and
shows the backup codes once. Wrong codes count towards django-axes' lockout, like wrong
passwords.
"""

from __future__ import annotations

import time
from typing import Any

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, user_login_failed
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from zicht.core.typing import actor_of

from . import services
from .models import User
from .selectors import totp_secret_text

PENDING_LOGIN = "zicht_pending_login"


class LoginView(auth_views.LoginView):
    """Step one: the password. Locked-out usernames are refused by django-axes' backend."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        # A new session key: whatever a visitor held before the password does not carry over.
        self.request.session.cycle_key()
        self.request.session[PENDING_LOGIN] = {
            "user": user.pk, "backend": user.backend, "since": time.time(),
            "next": self.get_redirect_url(),
        }
        return redirect("login-code")


def _pending(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    pending = request.session.get(PENDING_LOGIN)
    if not isinstance(pending, dict):
        return None
    if time.time() - float(pending.get("since", 0)) > settings.TWO_FACTOR_PENDING_MINUTES * 60:
        del request.session[PENDING_LOGIN]
        return None
    user = User.objects.filter(pk=int(pending.get("user") or 0), is_active=True).first()
    return (user, pending) if user is not None else None


def _complete(request: HttpRequest, user: User, pending: dict[str, Any], device: Device) -> None:
    del request.session[PENDING_LOGIN]
    login(request, user, backend=pending["backend"])
    otp_login(request, device)
    services.login_record(actor=user, second_factor=type(device).__name__)


def _failed(request: HttpRequest, user: User) -> None:
    """A wrong code counts as a failed login for the username (django-axes)."""
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()},
                           request=request)


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponseBase:
    """Step two: the code from the authenticator, or setting one up on a first login."""
    if request.user.is_authenticated:  # back to this page after logging in
        return redirect(settings.LOGIN_REDIRECT_URL)
    found = _pending(request)
    if found is None:
        messages.info(request, _("Log in again: the login was not finished in time."))
        return redirect("login")
    user, pending = found
    credentials = {"username": user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        return get_lockout_response(request, None, credentials)
    authenticator = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    error = ""
    if authenticator is None:
        device = services.totp_device_create(actor=user, user=user, confirmed=False)
        if request.method == "POST":
            codes = services.totp_device_confirm(actor=user, device=device,
                                                 code=request.POST.get("code", "").strip())
            if codes is not None:
                _complete(request, user, pending, device)
                return render(request, "registration/backup_codes.html", {
                    "codes": codes, "next": pending["next"] or resolve_url(
                        settings.LOGIN_REDIRECT_URL), "first_login": True})
            _failed(request, user)
            error = _("That code is not right. Enter the 6 digits your app shows now.")
        qr_code = segno.make(device.config_url, error="m").svg_inline(
            scale=4, border=4, title=_("QR code for your authenticator app"))
        return render(request, "registration/two_factor_setup.html", {
            "qr_code": qr_code, "secret": totp_secret_text(device), "error": error,
            "username": user.get_username()}, status=400 if error else 200)
    if request.method == "POST":
        device = services.second_factor_verify(user=user, code=request.POST.get("code", ""))
        if device is not None:
            _complete(request, user, pending, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(request, _(
                    "You logged in with a backup code; %(left)s are left. Make new ones "
                    "under Backup codes.") % {"left": left})
            return redirect(pending["next"] or settings.LOGIN_REDIRECT_URL)
        _failed(request, user)
        error = _("That code is not right. Enter the 6 digits your app shows now, "
                  "or one of your backup codes.")
    return render(request, "registration/two_factor_verify.html",
                  {"error": error, "username": user.get_username()},
                  status=400 if error else 200)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def backup_codes(request: HttpRequest) -> HttpResponse:
    """How many backup codes are left; new ones replace them all and are shown once."""
    actor = actor_of(request)
    if request.method == "POST":
        return render(request, "registration/backup_codes.html", {
            "codes": services.backup_codes_renew(actor=actor),
            "next": resolve_url(settings.LOGIN_REDIRECT_URL)})
    device = StaticDevice.objects.filter(user=actor).first()
    return render(request, "registration/backup_codes_status.html",
                  {"left": device.token_set.count() if device is not None else 0})



def locked_out(request: HttpRequest, original_response: HttpResponse | None,
               credentials: dict[str, Any] | None) -> HttpResponse:
    """django-axes' lockout answer: what happened, how long, and who can lift it."""
    return render(request, "registration/locked_out.html", {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }, status=429)
