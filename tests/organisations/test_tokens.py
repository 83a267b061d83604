"""API tokens expire and can be revoked, each on its own, from the API, the CLI or the admin."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import UserFactory
from zicht.audit.models import AuditEvent
from zicht.organisations.models import ApiToken, hash_token
from zicht.organisations.services import token_create

pytestmark = pytest.mark.django_db


def client_with(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_an_expired_token_is_refused(caseworker):
    key = token_create(actor=None, user=caseworker)
    assert client_with(key).get("/api/v1/tokens/").status_code == 200
    ApiToken.objects.filter(key_hash=hash_token(key)).update(
        expires_at=timezone.now() - timedelta(seconds=1))
    response = client_with(key).get("/api/v1/tokens/")
    assert response.status_code in (401, 403)
    assert "expired" in response.json()["detail"]


def test_a_token_of_an_inactive_user_is_refused(caseworker):
    key = token_create(actor=None, user=caseworker)
    caseworker.is_active = False
    caseworker.save()
    assert client_with(key).get("/api/v1/persons/").status_code in (401, 403)


def test_a_user_lists_their_tokens_without_keys(caseworker):
    key = token_create(actor=None, user=caseworker)
    token_create(actor=None, user=UserFactory())
    body = client_with(key).get("/api/v1/tokens/").json()
    assert [row["prefix"] for row in body["results"]] == [key[:8]]
    assert body["results"][0]["in_force"] is True
    assert key not in str(body)


def test_a_user_revokes_one_token_through_the_api_and_it_stops_working(caseworker):
    old = token_create(actor=None, user=caseworker)
    new = token_create(actor=None, user=caseworker)
    old_id = ApiToken.objects.get(key_hash=hash_token(old)).pk
    response = client_with(new).post(f"/api/v1/tokens/{old_id}/revoke/")
    assert response.status_code == 200
    assert response.json()["in_force"] is False
    assert client_with(old).get("/api/v1/tokens/").status_code in (401, 403)
    assert client_with(new).get("/api/v1/tokens/").status_code == 200
    event = AuditEvent.objects.filter(action="token.revoke").get()
    assert event.detail == {"count": 1, "token": old_id}
    # Once revoked, revoking again says so, with the field named.
    again = client_with(new).post(f"/api/v1/tokens/{old_id}/revoke/")
    assert again.status_code == 400 and "token" in again.json()


def test_a_user_cannot_see_or_revoke_another_users_token(caseworker):
    other = token_create(actor=None, user=UserFactory())
    other_id = ApiToken.objects.get(key_hash=hash_token(other)).pk
    mine = client_with(token_create(actor=None, user=caseworker))
    assert mine.get(f"/api/v1/tokens/{other_id}/").status_code == 404
    assert mine.post(f"/api/v1/tokens/{other_id}/revoke/").status_code == 404
    assert ApiToken.objects.get(pk=other_id).revoked_at is None


def test_zicht_user_tokens_lists_and_revoke_revokes_one_by_prefix(caseworker):
    first = token_create(actor=None, user=caseworker)
    second = token_create(actor=None, user=caseworker)
    out = StringIO()
    call_command("user", "tokens", "--username", "caseworker", stdout=out)
    assert first[:8] in out.getvalue() and "in force" in out.getvalue()
    out = StringIO()
    call_command("user", "revoke", "--username", "caseworker", "--token", first[:8], stdout=out)
    assert "Revoked 1 token(s) of caseworker." in out.getvalue()
    assert client_with(first).get("/api/v1/tokens/").status_code in (401, 403)
    assert client_with(second).get("/api/v1/tokens/").status_code == 200
    out = StringIO()
    call_command("user", "tokens", "--username", "caseworker", stdout=out)
    assert f"{first[:8]}  revoked" in out.getvalue()


def test_revoking_an_unknown_prefix_names_the_token(caseworker):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="^token: caseworker .*“nothere”"):
        call_command("user", "revoke", "--username", "caseworker", "--token", "nothere")
