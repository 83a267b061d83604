"""Production settings pass Django's deploy checks; every response carries the CSP; passwords."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.factories import UserFactory
from zicht.organisations.models import Role


def production_environment(tmp_path, **overrides: str) -> dict[str, str]:
    environment = {
        key: value for key, value in os.environ.items()
        # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE belongs to the test run, not a server.
        if not key.startswith("ZICHT_") and key not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    environment.update({
        "DJANGO_SETTINGS_MODULE": "zicht.settings",
        "ZICHT_PRODUCTION": "1",
        "ZICHT_SECRET_KEY": "a-production-secret-" + Fernet.generate_key().decode(),
        "ZICHT_FIELD_KEYS": Fernet.generate_key().decode(),
        "ZICHT_BLIND_INDEX_KEY": Fernet.generate_key().decode(),
        "ZICHT_ALLOWED_HOSTS": "zicht.example.nl",
        "ZICHT_VAR_DIR": str(tmp_path),
    })
    environment.update(overrides)
    return environment


def manage(environment: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "django", *args], env=environment,
                          capture_output=True, text=True, timeout=120, check=False)


def test_check_deploy_finds_nothing_under_production_settings(tmp_path):
    result = manage(production_environment(tmp_path), "check", "--deploy",
                    "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_warns_about_the_local_demo_settings(tmp_path):
    """The same check does find the plain-http demo settings: it is not a test that cannot fail."""
    environment = production_environment(tmp_path, ZICHT_PRODUCTION="0")
    result = manage(environment, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stdout + result.stderr


@pytest.mark.parametrize("variable", ["ZICHT_SECRET_KEY", "ZICHT_FIELD_KEYS",
                                      "ZICHT_BLIND_INDEX_KEY"])
def test_production_refuses_to_start_with_a_development_secret(tmp_path, variable):
    environment = production_environment(tmp_path)
    del environment[variable]
    result = manage(environment, "check")
    assert result.returncode != 0
    assert f"set {variable}" in result.stderr


def test_production_settings_secure_the_cookies(tmp_path):
    script = ("from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, "
              "s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
              "s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME)")
    result = manage(production_environment(tmp_path), "shell", "--no-imports", "-c", script)
    assert result.stdout.split() == ["True", "True", "True", "63072000", "__Host-sessionid",
                                     "__Host-csrftoken"], result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/wegwijzer/", "/api/v1/persons/",
                                 "/api/schema/", "/api/docs/", "/api/docs/?script",
                                 "/no-such-page/", "/admin/"])
def test_every_response_carries_the_content_security_policy(client, url):
    response = client.get(url)
    assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    assert "'unsafe-inline'" not in settings.CONTENT_SECURITY_POLICY
    assert "'unsafe-eval'" not in settings.CONTENT_SECURITY_POLICY


@pytest.mark.django_db
def test_the_logged_in_pages_have_no_inline_script_or_style(client):
    user = UserFactory(role=Role.CASEWORKER)
    client.force_login(user)
    for url in ["/", "/pathway/referrals/", "/accounts/backup-codes/", "/api/docs/"]:
        html = client.get(url).content.decode()
        assert "<script>" not in html and "<style" not in html and " style=" not in html, url


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["password1234", "123456789012", "qwertyuiop123",
                                      "short pass", "caseworker-2024"])
def test_common_short_numeric_or_name_like_passwords_are_refused(password):
    user = UserFactory.build(username="caseworker-2024", role=Role.CASEWORKER)
    with pytest.raises(ValidationError):
        validate_password(password, user)


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["paard nietje batterij", "kortom-de-rivier-stroomt",
                                      "ALLEEN HOOFDLETTERS HIER"])
def test_a_long_passphrase_needs_no_digits_symbols_or_mixed_case(password):
    validate_password(password, UserFactory.build(username="j.devries"))

