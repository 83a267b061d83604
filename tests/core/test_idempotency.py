"""A POST retried with the same Idempotency-Key gets the first answer, not a duplicate."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import UserFactory, make_person
from zicht.audit.models import AuditEvent
from zicht.core.models import IdempotencyRecord
from zicht.organisations.models import Role
from zicht.registry import services
from zicht.registry.models import Consent, Person, Signal


def client_for(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def person(caseworker):  # type: ignore[no-untyped-def]
    return make_person(caseworker)


def creations(person_id: int) -> list[tuple[str, type, dict]]:
    return [
        ("/api/v1/persons/", Person, {"given_names": "Ana", "family_name": "Popa",
                                      "phone": "+40 712 345 678"}),
        ("/api/v1/signals/", Signal, {"person": person_id, "signalled_on": "2025-03-01",
                                      "forms": ["labour"], "municipality": "GM0363",
                                      "source": "anonymous", "narrative": "Sleeps in the barn."}),
        ("/api/v1/consents/", Consent, {"person": person_id, "purpose": "care",
                                        "state": "given"}),
    ]


@pytest.mark.parametrize("index", [0, 1, 2], ids=["person", "signal", "consent"])
def test_a_retry_gets_the_first_answer_and_creates_nothing(caseworker, person, index):
    url, model, body = creations(person.pk)[index]
    client = client_for(caseworker)
    first = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")
    assert first.status_code == 201, first.content
    assert "Idempotent-Replayed" not in first
    count = model.objects.count()

    again = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert again.json() == first.json()
    assert model.objects.count() == count


def test_the_same_key_with_a_different_body_is_a_conflict(caseworker):
    client = client_for(caseworker)
    client.post("/api/v1/persons/", {"family_name": "Popa"}, format="json",
                HTTP_IDEMPOTENCY_KEY="k-2")
    count = Person.objects.count()
    response = client.post("/api/v1/persons/", {"family_name": "Popescu"}, format="json",
                           HTTP_IDEMPOTENCY_KEY="k-2")
    assert response.status_code == 409
    assert "Idempotency-Key" in response.json()
    assert Person.objects.count() == count


def test_the_same_key_on_another_endpoint_is_a_conflict(caseworker, person):
    client = client_for(caseworker)
    client.post("/api/v1/persons/", {"family_name": "Popa"}, format="json",
                HTTP_IDEMPOTENCY_KEY="k-3")
    response = client.post("/api/v1/consents/", {"person": person.pk, "purpose": "care",
                                                 "state": "given"}, format="json",
                           HTTP_IDEMPOTENCY_KEY="k-3")
    assert response.status_code == 409
    assert Consent.objects.count() == 0


def test_keys_belong_to_one_user(caseworker, ngo):
    colleague = UserFactory(organisation=ngo, role=Role.CASEWORKER)
    body = {"family_name": "Popa"}
    mine = client_for(caseworker).post("/api/v1/persons/", body, format="json",
                                       HTTP_IDEMPOTENCY_KEY="shared-key")
    theirs = client_for(colleague).post("/api/v1/persons/", body, format="json",
                                        HTTP_IDEMPOTENCY_KEY="shared-key")
    assert theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs
    assert theirs.json()["id"] != mine.json()["id"]
    assert Person.objects.count() == 2


def test_a_refused_request_does_not_use_up_its_key(caseworker):
    client = client_for(caseworker)
    refused = client.post("/api/v1/persons/", {"family_name": "Popa", "birth_date": "2025-02-30"},
                          format="json", HTTP_IDEMPOTENCY_KEY="k-4")
    assert refused.status_code == 400
    assert not IdempotencyRecord.objects.exists()
    fixed = client.post("/api/v1/persons/", {"family_name": "Popa", "birth_date": "2025-02-28"},
                        format="json", HTTP_IDEMPOTENCY_KEY="k-4")
    assert fixed.status_code == 201


def test_without_a_key_every_post_creates(caseworker):
    client = client_for(caseworker)
    for _ in range(2):
        client.post("/api/v1/persons/", {"family_name": "Popa"}, format="json")
    assert Person.objects.count() == 2


def test_a_replay_is_a_read_and_is_audited(caseworker):
    client = client_for(caseworker)
    first = client.post("/api/v1/persons/", {"family_name": "Popa"}, format="json",
                        HTTP_IDEMPOTENCY_KEY="k-5")
    client.post("/api/v1/persons/", {"family_name": "Popa"}, format="json",
                HTTP_IDEMPOTENCY_KEY="k-5", HTTP_X_REQUEST_ID="replay-1")
    row = AuditEvent.objects.get(request_id="replay-1")
    assert (row.action, row.person_id, row.actor_id) == (
        "person.read", first.json()["id"], caseworker.pk)


def test_a_replay_shows_nothing_the_user_may_no_longer_see(caseworker, person, ngo):
    other = UserFactory(organisation=ngo, role=Role.CASEWORKER)
    client = client_for(caseworker)
    body = {"person": person.pk, "purpose": "care", "state": "given"}
    assert client.post("/api/v1/consents/", body, format="json",
                       HTTP_IDEMPOTENCY_KEY="k-6").status_code == 201
    services.person_delete(actor=other, person_id=person.pk)
    replay = client.post("/api/v1/consents/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-6")
    assert replay.status_code == 404


def test_the_stored_answer_holds_no_personal_data(caseworker, person):
    client = client_for(caseworker)
    for url, _, body in creations(person.pk):
        assert client.post(url, body, format="json",
                           HTTP_IDEMPOTENCY_KEY=f"pii-{url}").status_code == 201
    stored = repr(list(IdempotencyRecord.objects.values()))
    for secret in ("Ana", "Popa", "712 345", "barn", "Maria", "Ionescu", "1995-04-12"):
        assert secret not in stored
