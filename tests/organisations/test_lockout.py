"""Too many wrong passwords or codes lock the login, with a clear page; an admin unlocks it."""

from __future__ import annotations

from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client

from tests.twofactor import PASSWORD, authenticator, code_for
from zicht.audit.models import AuditEvent
from zicht.organisations.models import Role
from zicht.organisations.services import user_create

pytestmark = pytest.mark.django_db


def wrong_passwords(client: Client, username: str, times: int):  # type: ignore[no-untyped-def]
    response = None
    for _ in range(times):
        response = client.post("/accounts/login/", {"username": username, "password": "wrong"})
    return response


def test_five_wrong_passwords_lock_the_username_with_a_clear_message(client, caseworker):
    assert wrong_passwords(client, "caseworker", 4).status_code == 200
    response = wrong_passwords(client, "caseworker", 1)
    assert response.status_code == 429
    html = response.content.decode()
    assert "15 minuten" in html and "beheerder" in html
    # The right password does not help while the lock lasts.
    response = client.post("/accounts/login/", {"username": "caseworker", "password": PASSWORD})
    assert response.status_code == 429
    assert "zicht_pending_login" not in client.session


def test_the_lock_holds_from_another_address_too(client, caseworker):
    wrong_passwords(client, "caseworker", 5)
    elsewhere = Client(REMOTE_ADDR="192.0.2.77")
    response = elsewhere.post("/accounts/login/", {"username": "caseworker",
                                                    "password": PASSWORD})
    assert response.status_code == 429


def test_wrong_codes_count_towards_the_lock(client, caseworker):
    authenticator(caseworker)
    client.post("/accounts/login/", {"username": "caseworker", "password": PASSWORD})
    for _ in range(4):
        assert client.post("/accounts/login/code/", {"code": "000000"}).status_code == 400
    assert client.post("/accounts/login/code/", {"code": "000000"}).status_code == 429
    assert client.get("/accounts/login/code/").status_code == 429


def test_a_successful_login_clears_earlier_failures(client, caseworker):
    app = authenticator(caseworker)
    wrong_passwords(client, "caseworker", 4)
    client.post("/accounts/login/", {"username": "caseworker", "password": PASSWORD})
    assert client.post("/accounts/login/code/", {"code": code_for(app)}).status_code == 302
    assert not AccessAttempt.objects.filter(username="caseworker").exists()


def test_zicht_user_unlock_lifts_the_lock_and_is_audited(client, caseworker):
    wrong_passwords(client, "caseworker", 5)
    out = StringIO()
    call_command("user", "unlock", "--username", "caseworker", stdout=out)
    assert out.getvalue().startswith("Unlocked caseworker (1 record(s) of failed logins")
    response = client.post("/accounts/login/", {"username": "caseworker", "password": PASSWORD})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="user.unlock", object_id=caseworker.pk).exists()


def test_an_administrator_unlocks_a_user_in_the_admin(client, caseworker):
    wrong_passwords(Client(), "caseworker", 5)
    admin = user_create(actor=None, organisation=caseworker.organisation, role=Role.ADMIN,
                        username="beheerder")
    client.force_login(admin)
    response = client.post("/admin/organisations/user/", {
        "action": "unlock_login", "_selected_action": [caseworker.pk]})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="caseworker").exists()


def test_the_throttled_address_is_remote_addr_unless_behind_our_proxy(rf, settings):
    from zicht.organisations.middleware import client_address

    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.4")
    settings.BEHIND_PROXY = False
    assert client_address(request) == "10.0.0.5"
    settings.BEHIND_PROXY = True
    # Only the entry our proxy appended counts; the client wrote the ones before it.
    assert client_address(request) == "198.51.100.4"
    request.META.pop("REMOTE_ADDR")
    request.META.pop("HTTP_X_FORWARDED_FOR")
    assert client_address(request) is None
