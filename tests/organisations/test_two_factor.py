"""Logging in takes a password and a second factor; nothing opens with the password alone."""

from __future__ import annotations

import re
import time
from base64 import b32decode

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory
from tests.twofactor import PASSWORD, authenticator, code_for
from zicht.audit.models import AuditEvent
from zicht.organisations.models import Role

pytestmark = pytest.mark.django_db


def password_step(client: Client, username: str, password: str = PASSWORD, next_url: str = ""):  # type: ignore[no-untyped-def]
    return client.post("/accounts/login/" + (f"?next={next_url}" if next_url else ""),
                       {"username": username, "password": password})


def secret_on_page(html: str) -> bytes:
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', html)
    assert secret, "the set-up page shows the secret as text"
    return b32decode(secret.group(1).replace(" ", ""))


def code_from_secret(key: bytes) -> str:
    totp = TOTP(key)
    totp.time = time.time()
    return f"{totp.token():06d}"


@pytest.mark.parametrize("role", Role.values)
def test_the_password_alone_opens_no_session_for_any_role(client, db, role):
    user = UserFactory(role=role, username=f"u-{role}")
    authenticator(user)
    response = password_step(client, user.username)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/code/"
    assert "_auth_user_id" not in client.session
    # Every page still asks to log in.
    assert client.get("/pathway/referrals/").status_code == 302
    assert client.get("/api/v1/persons/").status_code in (401, 403)


def test_an_enrolled_user_logs_in_with_the_code_of_their_app(client, caseworker):
    app = authenticator(caseworker)
    password_step(client, "caseworker", next_url="/pathway/referrals/")
    page = client.get("/accounts/login/code/")
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()
    response = client.post("/accounts/login/code/", {"code": code_for(app)})
    assert response.status_code == 302
    assert response["Location"] == "/pathway/referrals/"
    assert client.get("/").status_code == 200
    login = AuditEvent.objects.filter(action="user.login").get()
    assert login.actor_id == caseworker.pk
    assert login.detail == {"second_factor": "TOTPDevice"}


def test_a_wrong_code_is_named_and_opens_nothing(client, caseworker):
    authenticator(caseworker)
    password_step(client, "caseworker")
    response = client.post("/accounts/login/code/", {"code": "000000"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html and 'href="#id_code"' in html
    assert "_auth_user_id" not in client.session


def test_a_code_works_only_once(client, caseworker):
    app = authenticator(caseworker)
    password_step(client, "caseworker")
    code = code_for(app)
    assert client.post("/accounts/login/code/", {"code": code}).status_code == 302
    other = Client()
    password_step(other, "caseworker")
    assert other.post("/accounts/login/code/", {"code": code}).status_code == 400


def test_the_code_step_without_the_password_step_starts_over(client, caseworker):
    response = client.get("/accounts/login/code/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"


def test_a_password_step_left_too_long_starts_over(client, caseworker, settings):
    app = authenticator(caseworker)
    password_step(client, "caseworker")
    settings.TWO_FACTOR_PENDING_MINUTES = 0
    time.sleep(0.01)
    response = client.post("/accounts/login/code/", {"code": code_for(app)})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session


def test_a_first_login_sets_up_the_app_and_shows_backup_codes_once(client, caseworker):
    assert not TOTPDevice.objects.filter(user=caseworker).exists()
    password_step(client, "caseworker")
    page = client.get("/accounts/login/code/").content.decode()
    assert "<svg" in page and "<title>" in page  # the QR code, inline, with a text alternative
    key = secret_on_page(page)
    # Reloading the page keeps the same secret: the app may be half set up already.
    assert secret_on_page(client.get("/accounts/login/code/").content.decode()) == key
    response = client.post("/accounts/login/code/", {"code": code_from_secret(key)})
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    codes = re.findall(r"<li class=\"utrecht-unordered-list__item\"><code>([a-z2-7]{8})</code>",
                       response.content.decode())
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=caseworker).confirmed
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="user.totp_enrol", object_id=caseworker.pk).exists()


def test_a_backup_code_logs_in_once(client, caseworker):
    authenticator(caseworker)
    client.force_login(caseworker)
    html = client.post("/accounts/backup-codes/").content.decode()
    code = re.findall(r"<code>([a-z2-7]{8})</code>", html)[0]
    client.post("/accounts/logout/")

    password_step(client, "caseworker")
    response = client.post("/accounts/login/code/", {"code": code.upper()})
    assert response.status_code == 302
    assert not StaticToken.objects.filter(token=code).exists()
    client.post("/accounts/logout/")
    password_step(client, "caseworker")
    assert client.post("/accounts/login/code/", {"code": code}).status_code == 400


def test_new_backup_codes_replace_the_old_ones(client, caseworker):
    client.force_login(caseworker)
    first = re.findall(r"<code>([a-z2-7]{8})</code>",
                       client.post("/accounts/backup-codes/").content.decode())
    assert "10" in client.get("/accounts/backup-codes/").content.decode()
    second = re.findall(r"<code>([a-z2-7]{8})</code>",
                        client.post("/accounts/backup-codes/").content.decode())
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(second)
    assert not set(first) & set(second)


def test_a_session_opened_with_the_password_alone_is_ended(client, caseworker):
    """Django's own login (as the admin's login form would) gives no verified session."""
    from django.contrib.auth import SESSION_KEY

    from tests.twofactor import mark_session_verified

    client.force_login(caseworker)
    session = client.session
    mark_session_verified(session, caseworker)
    del session["otp_device_id"]
    session.save()
    assert client.session[SESSION_KEY] == str(caseworker.pk)
    response = client.get("/")
    assert response.status_code == 302
    assert SESSION_KEY not in client.session


def test_the_admin_login_sends_to_the_two_factor_login(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_an_administrator_reaches_the_admin_after_both_steps(client, db):
    admin = UserFactory(role=Role.ADMIN, username="beheer", is_staff=True, organisation=None)
    app = authenticator(admin)
    password_step(client, "beheer", next_url="/admin/")
    response = client.post("/accounts/login/code/", {"code": code_for(app)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_an_inactive_user_gets_no_code_step(client, caseworker):
    caseworker.is_active = False
    caseworker.save()
    response = password_step(client, "caseworker")
    assert response.status_code == 200
    assert "zicht_pending_login" not in client.session


def test_zicht_user_totp_prints_no_code_on_a_production_server(caseworker, settings):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    authenticator(caseworker)
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="demo and development only"):
        call_command("user", "totp", "--username", "caseworker")


def test_zicht_user_reset_2fa_makes_the_next_login_set_up_anew(client, caseworker):
    from io import StringIO

    from django.core.management import call_command

    authenticator(caseworker)
    call_command("user", "reset-2fa", "--username", "caseworker", stdout=StringIO())
    assert not TOTPDevice.objects.filter(user=caseworker).exists()
    password_step(client, "caseworker")
    assert 'id="totp-secret"' in client.get("/accounts/login/code/").content.decode()
    assert AuditEvent.objects.filter(action="user.two_factor_reset").exists()
