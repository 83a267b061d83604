"""A database that cannot take the request (disk full, statement timeout, connection lost)
answers 503 with a clear message in JSON or HTML, never a stack trace
(core/exceptions.py: database_unavailable_response)."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError, connection, transaction
from django.test import Client, RequestFactory

from zicht.core.views import server_error
from zicht.registry import selectors

pytestmark = pytest.mark.django_db

DISK_FULL = OperationalError("could not extend file \"base/16384/2619\": No space left on device")


def assert_clear_503(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "try again in a few minutes" in body
    assert "Traceback" not in body and "No space left" not in body and "base/16384" not in body
    return body


@pytest.mark.parametrize("error", [DISK_FULL, OperationalError("database or disk is full"),
                                   InterfaceError("connection already closed")])
def test_the_api_answers_503_in_json_when_the_database_fails(api, caseworker, error):
    client = api.as_user(caseworker)
    with mock.patch.object(selectors, "person_list", side_effect=error):
        response = client.get("/api/v1/persons/", HTTP_ACCEPT_LANGUAGE="en")
    assert_clear_503(response)
    assert set(response.json()) == {"detail"}


def test_a_page_answers_503_in_html_when_the_database_fails(client, caseworker):
    client.force_login(caseworker)
    with mock.patch.object(selectors, "person_list", side_effect=DISK_FULL):
        response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    body = assert_clear_503(response)
    assert response["Content-Type"].startswith("text/html")
    assert "<h1>Temporarily unavailable</h1>" in body


def test_the_page_speaks_dutch(client, caseworker):
    client.force_login(caseworker)
    with mock.patch.object(selectors, "person_list", side_effect=DISK_FULL):
        response = client.get("/", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 503
    assert "Tijdelijk niet beschikbaar" in response.content.decode()


def test_a_database_failure_in_a_middleware_is_a_503_too(caseworker):
    client = Client(raise_request_exception=False)
    client.force_login(caseworker)
    # The public-start middleware reads the user from the session before any view runs.
    with mock.patch("django.contrib.auth.get_user", side_effect=DISK_FULL):
        response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert_clear_503(response)


def test_any_other_server_error_stays_a_plain_500_without_a_stack_trace():
    request = RequestFactory().get("/api/v1/persons/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500
    assert response.content == b'{"detail": "Server error."}'


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="a real statement timeout needs PostgreSQL's statement_timeout")
def test_a_real_statement_timeout_answers_503(api, caseworker):
    client = api.as_user(caseworker)
    original = selectors.person_list

    def slow_person_list(**kwargs):  # type: ignore[no-untyped-def]
        # A savepoint: its rollback also undoes SET LOCAL, so the test goes on unhindered.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = '10ms'")
            cursor.execute("SELECT pg_sleep(1)")
        return original(**kwargs)

    with mock.patch.object(selectors, "person_list", slow_person_list):
        response = client.get("/api/v1/persons/", HTTP_ACCEPT_LANGUAGE="en")
    assert_clear_503(response)
    assert client.get("/api/v1/persons/", HTTP_ACCEPT_LANGUAGE="en").status_code == 200
