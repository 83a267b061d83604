"""Anonymous signals: stored encrypted with a hashed receipt code, guarded against abuse,
read only by the national coordinator."""

from __future__ import annotations

import hashlib
import re

import pytest

from zicht.audit.models import AuditEvent
from zicht.wegwijzer import security
from zicht.wegwijzer.models import AnonymousSignal, RateWindow, SignalStatus

pytestmark = pytest.mark.django_db

NARRATIVE = "Op de camping werken twaalf mensen zonder loon; de baas heeft hun paspoorten."
CONTACT = "06-12345678"
FORM = {"reporter": "worried", "narrative": NARRATIVE, "forms": ["labour"],
        "indicators": ["retention_of_documents", "withholding_of_wages"],
        "municipality": "Utrecht", "happened": "now", "contact": CONTACT}


def _receipt(response) -> str:  # type: ignore[no-untyped-def]
    return re.search(r'id="receipt-code">([A-Z0-9-]+)<', response.content.decode()).group(1)


def test_a_signal_is_stored_encrypted_and_the_code_only_as_a_hash(client):
    response = client.post("/wegwijzer/report/", FORM, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 200
    code = _receipt(response)
    signal = AnonymousSignal.objects.get()
    assert signal.narrative == NARRATIVE and signal.contact == CONTACT
    assert signal.forms == ["labour"] and signal.municipality == "GM0344"
    assert signal.happened == "now" and signal.status == SignalStatus.NEW
    row = AnonymousSignal.objects.filter(pk=signal.pk).values().get()
    stored = " ".join(str(value) for value in row.values())
    assert "camping" not in stored and CONTACT not in stored
    assert code not in stored and code.replace("-", "") not in stored
    assert signal.receipt_hash == security.receipt_hash(code)
    # The address is nowhere, not even hashed without a key.
    assert "203.0.113.7" not in stored
    assert hashlib.sha256(b"203.0.113.7").hexdigest() not in stored


def test_the_audit_row_holds_no_personal_data(client):
    client.post("/wegwijzer/report/", FORM)
    event = AuditEvent.objects.get(action="anonymous_signal.create")
    assert event.actor_id is None
    detail = str(event.detail)
    assert "camping" not in detail and CONTACT not in detail and "GM0344" not in detail
    assert event.detail == {"forms": ["labour"], "indicators": 2, "with_contact": True}


def test_a_missing_narrative_is_refused_and_nothing_typed_is_lost(client):
    response = client.post("/wegwijzer/report/", {**FORM, "narrative": ""},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Write in a few words what is happening." in html
    assert CONTACT in html and 'value="labour"' in html and "checked" in html
    assert not AnonymousSignal.objects.exists()


def test_a_filled_honeypot_is_refused_with_the_reason_and_keeps_what_was_typed(client):
    response = client.post("/wegwijzer/report/", {**FORM, "website": "http://spam.example"},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Leave this field empty" in html and "was filled in" in html
    assert NARRATIVE in html
    assert not AnonymousSignal.objects.exists()


@pytest.fixture
def low_limit(settings):  # type: ignore[no-untyped-def]
    settings.WEGWIJZER_RATE_LIMIT = 2
    settings.WEGWIJZER_POW_BITS = 8
    return settings


def test_past_the_rate_limit_a_proof_of_work_is_asked_and_then_accepted(client, low_limit):
    for _ in range(2):
        assert client.post("/wegwijzer/report/", FORM).status_code == 200
    refused = client.post("/wegwijzer/report/", FORM, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "short check" in html and NARRATIVE in html
    challenge = refused.context["challenge"]
    assert challenge and f'value="{challenge}" data-pow-challenge' in html
    assert AnonymousSignal.objects.count() == 2

    nonce = security.solve(challenge, 8)
    accepted = client.post("/wegwijzer/report/",
                           {**FORM, "pow_challenge": challenge, "pow_nonce": nonce})
    assert accepted.status_code == 200
    assert AnonymousSignal.objects.count() == 3

    # The same proof cannot be used twice.
    again = client.post("/wegwijzer/report/",
                        {**FORM, "pow_challenge": challenge, "pow_nonce": nonce},
                        HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 429 and "used already" in again.content.decode()
    assert AnonymousSignal.objects.count() == 3


def test_a_wrong_or_forged_proof_is_refused(client, low_limit):
    for _ in range(2):
        client.post("/wegwijzer/report/", FORM)
    challenge = security.pow_challenge()
    wrong = str(int(security.solve(challenge, 8)) + 1)
    while security.leading_zero_bits(hashlib.sha256(f"{challenge}:{wrong}".encode()).digest()) >= 8:
        wrong = str(int(wrong) + 1)
    assert security.pow_verify(challenge, wrong).reason == "wrong"
    forged = "8:" + "0" * 24 + ":abc:def"
    assert security.pow_verify(forged, "1").reason == "invalid"
    easy = security.pow_challenge()
    low_limit.WEGWIJZER_POW_BITS = 12  # a challenge made for fewer bits no longer counts
    assert security.pow_verify(easy, security.solve(easy, 8)).reason == "invalid"


def test_rate_windows_are_per_client_and_keep_no_address(low_limit):
    for _ in range(3):
        security.rate_hit(action="signal", address="198.51.100.1")
    assert security.rate_hit(action="signal", address="198.51.100.2") == 1
    assert security.over_limit(security.rate_hit(action="signal", address="198.51.100.1"))
    stored = " ".join(RateWindow.objects.values_list("client", flat=True))
    assert "198.51.100" not in stored


def test_old_rate_windows_are_forgotten(low_limit):
    from datetime import timedelta

    from django.utils import timezone

    long_ago = timezone.now() - timedelta(hours=2)
    security.rate_hit(action="signal", address="198.51.100.1", now=long_ago)
    security.rate_hit(action="signal", address="198.51.100.1")
    assert RateWindow.objects.count() == 1


def test_the_receipt_code_adds_information_later(client):
    code = _receipt(client.post("/wegwijzer/report/", FORM))
    response = client.post("/wegwijzer/report/add/",
                           {"receipt_code": code.lower().replace("-", " "),
                            "text": "Er zijn ook twee kinderen."}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Received" in response.content.decode()
    signal = AnonymousSignal.objects.get()
    assert [a.text for a in signal.additions.all()] == ["Er zijn ook twee kinderen."]
    assert AuditEvent.objects.filter(action="anonymous_signal.add").count() == 1


def test_an_addition_reopens_a_handled_signal(client):
    code = _receipt(client.post("/wegwijzer/report/", FORM))
    AnonymousSignal.objects.update(status=SignalStatus.CLOSED)
    client.post("/wegwijzer/report/add/", {"receipt_code": code, "text": "Nog iets."})
    assert AnonymousSignal.objects.get().status == SignalStatus.NEW


def test_an_unknown_receipt_code_is_refused_and_the_text_kept(client):
    client.post("/wegwijzer/report/", FORM)
    response = client.post("/wegwijzer/report/add/",
                           {"receipt_code": "AAAA-BBBB-CCCC-DDDD", "text": "Nieuwe informatie"},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    html = response.content.decode()
    assert "We do not know this code" in html and "Nieuwe informatie" in html
    assert not AnonymousSignal.objects.get().additions.exists()


def test_guessing_receipt_codes_runs_into_the_rate_limit(client, low_limit):
    for _ in range(2):
        client.post("/wegwijzer/report/add/", {"receipt_code": "AAAA", "text": "x"})
    response = client.post("/wegwijzer/report/add/", {"receipt_code": "AAAA", "text": "x"})
    assert response.status_code == 429


def test_the_national_coordinator_reads_the_queue_and_the_read_is_audited(client, coordinator):
    client.post("/wegwijzer/report/", FORM)
    signal = AnonymousSignal.objects.get()
    client.force_login(coordinator)
    queue = client.get("/wegwijzer/queue/")
    assert queue.status_code == 200 and f"#{signal.pk}" in queue.content.decode()
    assert "camping" not in queue.content.decode()
    detail = client.get(f"/wegwijzer/queue/{signal.pk}/")
    assert detail.status_code == 200 and "camping" in detail.content.decode()
    read = AuditEvent.objects.get(action="anonymous_signal.read")
    assert read.actor_id == coordinator.pk and read.object_id == signal.pk
    saved = client.post(f"/wegwijzer/queue/{signal.pk}/", {"status": "in_progress"})
    assert saved.status_code == 302
    signal.refresh_from_db()
    assert signal.status == SignalStatus.IN_PROGRESS
    assert AuditEvent.objects.get(action="anonymous_signal.update").detail == {
        "status": ["new", "in_progress"]}


def test_others_get_not_found_for_the_queue(client, reporter):
    client.post("/wegwijzer/report/", FORM)
    signal = AnonymousSignal.objects.get()
    client.force_login(reporter)
    assert client.get("/wegwijzer/queue/").status_code == 404
    assert client.get(f"/wegwijzer/queue/{signal.pk}/").status_code == 404
    assert client.post(f"/wegwijzer/queue/{signal.pk}/", {"status": "closed"}).status_code == 404
    assert not AuditEvent.objects.filter(action="anonymous_signal.read").exists()


def test_the_queue_asks_anonymous_visitors_to_log_in(client):
    response = client.get("/wegwijzer/queue/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
