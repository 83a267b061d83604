"""The operator's view: /healthz, the JSON logs and /metrics (docs/deploy.md)."""

from __future__ import annotations

import io
import ipaddress
import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

from tests.factories import make_person
from zicht.core.logging import JsonFormatter

pytestmark = pytest.mark.django_db

PASSPORT = "NXK4R72P1"


@pytest.fixture
def log_lines():  # type: ignore[no-untyped-def]
    """Everything logged while the test runs, as the production handler writes it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


# --- /healthz --------------------------------------------------------------------------------

def test_healthz_says_ok_without_a_login_and_sets_no_cookie():
    response = Client().get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert not response.cookies
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_naming_the_database_when_it_is_down():
    with mock.patch("zicht.core.views.connection.cursor",
                    side_effect=OperationalError("could not connect to host db.internal")):
        response = Client().get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable",
                               "failed": {"database": "OperationalError"}}
    assert b"db.internal" not in response.content


# --- Logs ------------------------------------------------------------------------------------

def test_a_request_gives_one_json_line_with_method_path_status_duration_and_request_id(
        log_lines):
    response = Client().get("/healthz?probe=1", HTTP_X_REQUEST_ID="probe-42")

    (line,) = [entry for entry in log_lines() if entry["logger"] == "zicht.request"]
    assert response["X-Request-ID"] == "probe-42"
    assert line["request_id"] == "probe-42"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/healthz", 200)
    assert line["level"] == "INFO" and line["time"].endswith("+00:00")
    assert isinstance(line["duration_ms"], float)
    assert "probe=1" not in json.dumps(line)


def test_reading_a_person_logs_no_name_birth_date_or_identifier(caseworker, api, log_lines):
    person = make_person(caseworker, given_names="Maria", family_name="Ionescu",
                         birth_date="1995-04-12", identity_documents=[
                             {"kind": "passport", "number": PASSPORT, "country": "RO"}])
    client = api.as_user(caseworker)

    found = client.get("/api/v1/persons/", {"family_name": "Ionescu", "given_names": "Maria",
                                            "birth_date": "1995-04-12"})
    read = client.get(f"/api/v1/persons/{person.pk}/")
    client.force_login(caseworker)
    page = client.get(f"/persons/{person.pk}/")

    assert (found.status_code, read.status_code, page.status_code) == (200, 200, 200)
    assert PASSPORT in read.content.decode()  # the answer holds it; the log must not
    lines = log_lines()
    paths = [line["path"] for line in lines if line["logger"] == "zicht.request"]
    assert paths == ["/api/v1/persons/", f"/api/v1/persons/{person.pk}/",
                     f"/persons/{person.pk}/"]
    logged = "\n".join(json.dumps(line) for line in lines)
    for personal in ("Maria", "Ionescu", "1995-04-12", "1995", PASSPORT):
        assert personal not in logged


def test_an_exception_is_logged_by_type_and_stack_without_its_message(log_lines):
    family_name = "Ionescu"
    try:
        raise ValueError(f"duplicate key: family_name={family_name}")
    except ValueError:
        logging.getLogger("zicht.test").exception("Import failed")

    (line,) = log_lines()
    assert line["message"] == "Import failed"
    assert line["exception"] == "ValueError"
    assert "test_operation.py" in line["stack"]
    assert "Ionescu" not in json.dumps(line)


def test_extra_attributes_never_reach_the_log(log_lines):
    logging.getLogger("zicht.test").warning("Odd signal", extra={"person": "Maria Ionescu"})

    (line,) = log_lines()
    assert set(line) == {"time", "level", "logger", "message", "request_id"}
    assert "Maria" not in json.dumps(line)


def test_the_configured_console_handler_writes_json(settings):
    assert settings.LOGGING["handlers"]["console"]["formatter"] == "json"
    assert settings.LOGGING["formatters"]["json"]["()"] == "zicht.core.logging.JsonFormatter"


# --- /metrics --------------------------------------------------------------------------------

@pytest.fixture
def metrics_closed(settings):  # type: ignore[no-untyped-def]
    settings.METRICS_ALLOWED_NETWORKS = []
    settings.METRICS_BEARER_TOKEN = ""
    return settings


def test_metrics_are_hidden_from_everyone_when_nothing_is_configured(metrics_closed):
    assert Client().get("/metrics").status_code == 404
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_metrics_are_served_to_a_configured_network(metrics_closed):
    metrics_closed.METRICS_ALLOWED_NETWORKS = [ipaddress.ip_network("10.1.0.0/16")]
    Client().get("/healthz")

    allowed = Client(REMOTE_ADDR="10.1.2.3").get("/metrics")
    other = Client(REMOTE_ADDR="10.2.0.1").get("/metrics")

    assert allowed.status_code == 200
    assert "django_http_requests_total_by_method_total" in allowed.content.decode()
    assert other.status_code == 404


def test_a_forwarded_address_does_not_open_the_metrics(metrics_closed):
    metrics_closed.METRICS_ALLOWED_NETWORKS = [ipaddress.ip_network("10.1.2.3/32")]

    response = Client(REMOTE_ADDR="192.0.2.7").get("/metrics",
                                                   HTTP_X_FORWARDED_FOR="10.1.2.3")

    assert response.status_code == 404


@pytest.mark.parametrize(("offered", "status"), [
    ("Bearer s3cret-scrape-token", 200),
    ("Bearer wrong", 404),
    ("s3cret-scrape-token", 404),
    ("Token s3cret-scrape-token", 404),
])
def test_metrics_need_the_exact_bearer_token_from_elsewhere(metrics_closed, offered, status):
    metrics_closed.METRICS_BEARER_TOKEN = "s3cret-scrape-token"

    response = Client(REMOTE_ADDR="192.0.2.7").get("/metrics", HTTP_AUTHORIZATION=offered)

    assert response.status_code == status


def test_metrics_hold_no_person_data(metrics_closed, caseworker, api):
    metrics_closed.METRICS_BEARER_TOKEN = "s3cret-scrape-token"
    person = make_person(caseworker, family_name="Ionescu")
    api.as_user(caseworker).get(f"/api/v1/persons/{person.pk}/")

    body = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-scrape-token").content

    assert b"Ionescu" not in body


# --- The job queue on Redis ------------------------------------------------------------------

def test_the_job_queue_goes_to_redis_when_a_url_is_given(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.skip("needs redis-server")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    redis = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                              "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
                             stdout=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        env = {**os.environ, "ZICHT_HUEY_REDIS_URL": f"redis://127.0.0.1:{port}/0",
               "DJANGO_SETTINGS_MODULE": "zicht.settings"}
        env.pop("DATABASE_URL", None)
        checked = subprocess.run([sys.executable, "-c", (
            "import django; django.setup()\n"
            "from huey.contrib.djhuey import HUEY\n"
            "HUEY.put('probe', 42)\n"
            "print(type(HUEY).__name__, HUEY.get('probe'))\n")],
            env=env, capture_output=True, text=True, timeout=60)
    finally:
        redis.terminate()
        redis.wait(timeout=10)

    assert checked.returncode == 0, checked.stderr[-2000:]
    assert checked.stdout.split() == ["RedisHuey", "42"]


def test_the_documented_gunicorn_log_config_writes_json():
    config = Path(__file__).resolve().parents[2] / "docs" / "examples" / "gunicorn-log.json"
    completed = subprocess.run([sys.executable, "-c", (
        "import json, logging.config, sys\n"
        "logging.config.dictConfig(json.load(open(sys.argv[1])))\n"
        "logging.getLogger('gunicorn.error').info('Booting worker with pid: %s', 4242)\n"),
        str(config)], capture_output=True, text=True, timeout=60)

    assert completed.returncode == 0, completed.stderr[-2000:]
    line = json.loads(completed.stderr)
    assert (line["logger"], line["message"]) == ("gunicorn.error", "Booting worker with pid: 4242")
