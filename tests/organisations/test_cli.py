"""`zicht org create`, `zicht user create|token|revoke`: set-up without the admin site."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from zicht.audit.models import AuditEvent
from zicht.organisations.models import ApiToken, Organisation, Role, User, hash_token

pytestmark = pytest.mark.django_db


def zicht(*args: str) -> list[str]:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().splitlines()


def api_with(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def organisation() -> Organisation:
    zicht("org", "create", "--name", "Stichting Zuid", "--kind", "ngo",
          "--municipality", "gm0363")
    return Organisation.objects.get(name="Stichting Zuid")


def test_org_create_stores_the_organisation(organisation):
    assert (organisation.kind, organisation.municipality, organisation.must_register) == (
        "ngo", "GM0363", False)
    assert AuditEvent.objects.filter(action="organisation.create",
                                     object_id=organisation.pk).exists()


@pytest.mark.parametrize("kind", ["police", "kmar", "labour_inspectorate"])
def test_org_create_sets_the_duty_to_register_from_the_kind(kind):
    zicht("org", "create", "--name", f"Dienst {kind}", "--kind", kind, "--municipality", "GM0599")
    assert Organisation.objects.get(name=f"Dienst {kind}").must_register


def test_org_list_shows_the_organisations(organisation):
    assert any("Stichting Zuid" in line and "GM0363" in line for line in zicht("org", "list"))


@pytest.mark.parametrize("args, option", [
    (["--kind", "church", "--municipality", "GM0363"], "--kind"),
    (["--kind", "ngo", "--municipality", "GM363"], "municipality"),
    (["--kind", "ngo", "--municipality", "Amsterdam"], "municipality"),
    (["--kind", "ngo"], "--municipality"),
], ids=["bad kind", "short municipality", "municipality by name", "no municipality"])
def test_org_create_refuses_bad_options_and_stores_nothing(args, option):
    with pytest.raises(CommandError, match=option):
        zicht("org", "create", "--name", "Stichting Fout", *args)
    assert not Organisation.objects.exists()
    assert not AuditEvent.objects.exists()


def test_org_create_refuses_a_second_organisation_of_the_same_name(organisation):
    with pytest.raises(CommandError, match="name"):
        zicht("org", "create", "--name", "stichting zuid", "--kind", "ngo",
              "--municipality", "GM0363")
    assert Organisation.objects.count() == 1


def test_user_create_prints_a_working_token_last(organisation):
    lines = zicht("user", "create", "--org", "Stichting Zuid", "--role", "caseworker",
                  "--username", "anna")
    user = User.objects.get(username="anna")
    assert (user.organisation, user.role) == (organisation, Role.CASEWORKER)
    token = lines[-1]
    assert ApiToken.objects.filter(user=user, key_hash=hash_token(token)).exists()
    client = api_with(token)
    created = client.post("/api/v1/persons/", {"family_name": "Novak"}, format="json")
    assert created.status_code == 201
    assert client.get("/api/v1/persons/").json()["count"] == 1


def test_the_token_itself_is_not_stored(organisation):
    token = zicht("user", "create", "--org", "Stichting Zuid", "--role", "reporter",
                  "--username", "bram")[-1]
    stored = repr(list(ApiToken.objects.values()))
    assert token not in stored


@pytest.mark.parametrize("args, option", [
    (["--org", "Stichting Zuid", "--role", "superuser", "--username", "x"], "--role"),
    (["--org", "Stichting Nergens", "--role", "caseworker", "--username", "x"], "--org"),
    (["--org", "Stichting Zuid", "--role", "caseworker", "--username", " "], "username"),
    (["--org", "Stichting Zuid", "--role", "caseworker"], "--username"),
    (["--org", "Stichting Zuid", "--role", "caseworker", "--username", "x",
      "--password", "short"], "password"),
], ids=["bad role", "unknown org", "blank username", "no username", "weak password"])
def test_user_create_refuses_bad_options_and_stores_nothing(organisation, args, option):
    audit_rows = AuditEvent.objects.count()
    with pytest.raises(CommandError, match=option):
        zicht("user", "create", *args)
    assert not User.objects.exists()
    assert not ApiToken.objects.exists()
    assert AuditEvent.objects.count() == audit_rows


def test_user_create_refuses_a_taken_username(organisation):
    zicht("user", "create", "--org", "Stichting Zuid", "--role", "caseworker", "--username", "anna")
    with pytest.raises(CommandError, match="username"):
        zicht("user", "create", "--org", "Stichting Zuid", "--role", "analyst",
              "--username", "ANNA")
    assert User.objects.count() == 1


def test_an_expired_token_is_refused(organisation):
    token = zicht("user", "create", "--org", "Stichting Zuid", "--role", "caseworker",
                  "--username", "anna")[-1]
    client = api_with(token)
    assert client.get("/api/v1/persons/").status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/persons/").status_code == 401


def test_user_revoke_ends_every_token_of_the_user(organisation):
    first = zicht("user", "create", "--org", "Stichting Zuid", "--role", "caseworker",
                  "--username", "anna")[-1]
    second = zicht("user", "token", "--username", "anna")[-1]
    assert api_with(second).get("/api/v1/persons/").status_code == 200
    assert "Revoked 2 token(s)" in zicht("user", "revoke", "--username", "anna")[-1]
    for token in (first, second):
        assert api_with(token).get("/api/v1/persons/").status_code == 401
    assert AuditEvent.objects.filter(action="token.revoke").exists()
    # A new token works again.
    assert api_with(zicht("user", "token", "--username", "anna")[-1]).get(
        "/api/v1/persons/").status_code == 200


def test_revoking_an_unknown_user_names_the_option():
    with pytest.raises(CommandError, match="--username"):
        zicht("user", "revoke", "--username", "nobody")


def test_a_made_up_token_is_refused():
    assert api_with("not-a-real-token").get("/api/v1/persons/").status_code == 401


def test_the_token_lifetime_follows_the_setting(organisation, settings):
    settings.API_TOKEN_LIFETIME_DAYS = 7
    zicht("user", "create", "--org", "Stichting Zuid", "--role", "caseworker", "--username", "anna")
    token = ApiToken.objects.get()
    assert timedelta(days=6, hours=23) < token.expires_at - timezone.now() <= timedelta(days=7)
