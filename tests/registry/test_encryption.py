"""Identities and narratives are stored encrypted only; keys can be rotated (ADR 0002)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from rest_framework.test import APIClient

from tests.factories import make_person, make_signal
from zicht.audit.models import AuditEvent
from zicht.audit.selectors import verify_chain
from zicht.core.crypto import DataKey, blind_index
from zicht.registry import services
from zicht.registry.models import Person, Signal

SECRETS = ("Zsófia", "Kertész", "1999-09-09", "30 123 4567", "Kertesz", "Sleeps in the barn",
           "boss keeps her passport", "HU123456", "Zsofi")


@pytest.fixture
def client(caseworker):  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(caseworker)
    return client


@pytest.fixture
def person(client):  # type: ignore[no-untyped-def]
    """Registered, changed, signalled and searched for through the API, as in real use."""
    created = client.post("/api/v1/persons/", {
        "given_names": "Zsófia", "family_name": "Kertész", "birth_date": "1999-09-09",
        "phone": "+36 30 123 4567", "aliases": ["Zsofi"], "citizenships": ["HU"],
        "identity_documents": [{"kind": "passport", "number": "HU123456", "country": "HU"}],
    }, format="json", HTTP_IDEMPOTENCY_KEY="enc-1")
    assert created.status_code == 201, created.content
    person_id = created.json()["id"]
    client.post("/api/v1/signals/", {
        "person": person_id, "signalled_on": "2025-03-01", "forms": ["labour"],
        "municipality": "GM0363", "source": "third_party", "narrative": "Sleeps in the barn.",
        "indicators": ["retention_of_documents"], "indicators_other": "boss keeps her passport",
    }, format="json", HTTP_IDEMPOTENCY_KEY="enc-2")
    client.patch(f"/api/v1/persons/{person_id}/", {"languages": ["hu"]}, format="json")
    client.get("/api/v1/persons/", {"given_names": "Zsófia", "family_name": "Kertész",
                                    "birth_date": "1999-09-09"})
    return Person.objects.get(pk=person_id)


def raw_rows(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return repr(cursor.fetchall())


@pytest.mark.parametrize("table", ["registry_person", "registry_signal"])
def test_raw_columns_hold_no_plaintext(person, table):
    raw = raw_rows(table)
    assert str(person.pk) in raw  # the row is there
    for secret in SECRETS:
        assert secret not in raw


def test_no_table_in_the_database_holds_the_plaintext(person):
    """Audit rows, idempotency records, grants: nothing keeps a copy in the clear."""
    for table in connection.introspection.table_names():
        raw = raw_rows(table)
        for secret in SECRETS:
            assert secret not in raw, f"{secret!r} found in {table}"


def test_the_api_shows_the_decrypted_values(client, person):
    body = client.get(f"/api/v1/persons/{person.pk}/").json()
    assert (body["given_names"], body["family_name"], body["birth_date"], body["phone"]) == (
        "Zsófia", "Kertész", "1999-09-09", "+36 30 123 4567")
    signal = client.get("/api/v1/signals/", {"person": person.pk}).json()["results"][0]
    assert (signal["narrative"], signal["indicators_other"]) == (
        "Sleeps in the barn.", "boss keeps her passport")


def test_the_stored_blind_index_finds_the_person_by_a_spelling_variant(client, person):
    assert person.name_birth_index == blind_index(given_names="zsofia", family_name="KERTESZ",
                                                  birth_date="1999-09-09")
    found = client.get("/api/v1/persons/", {"given_names": "ZSOFIA ", "family_name": "kertesz",
                                            "birth_date": "1999-09-09"}).json()
    assert [row["id"] for row in found["results"]] == [person.pk]
    other_day = client.get("/api/v1/persons/", {"given_names": "Zsófia", "family_name": "Kertész",
                                                "birth_date": "1999-09-10"}).json()
    assert other_day["count"] == 0


def test_a_name_change_moves_the_blind_index(client, person):
    client.patch(f"/api/v1/persons/{person.pk}/", {"family_name": "Kovács"}, format="json")
    person.refresh_from_db()
    assert person.name_birth_index == blind_index(given_names="Zsófia", family_name="Kovács",
                                                  birth_date="1999-09-09")


# --- Rotating keys --------------------------------------------------------------------------

@pytest.fixture
def several(caseworker):  # type: ignore[no-untyped-def]
    persons = [make_person(caseworker, family_name=f"Persoon{i}") for i in range(5)]
    for person in persons[:3]:
        make_signal(caseworker, person, narrative=f"Story of {person.pk}")
    make_signal(caseworker, persons[0], narrative="", signalled_on=dt.date(2025, 4, 1))
    return persons


def readable(person_ids) -> list[tuple[str, list[str]]]:  # type: ignore[no-untyped-def]
    result = []
    for person in Person.objects.filter(pk__in=person_ids).order_by("pk"):
        narratives = [s.narrative for s in Signal.objects.filter(person=person).order_by("pk")]
        result.append((person.identity["family_name"], narratives))
    return result


def rotate(*args: str) -> str:
    out = io.StringIO()
    call_command("keys", "rotate", *args, stdout=out)
    return out.getvalue()


def test_keys_rotate_lets_the_old_master_key_go(several):
    ids = [p.pk for p in several]
    before = readable(ids)
    old_keys = list(settings.FIELD_ENCRYPTION_KEYS)
    new_master = Fernet.generate_key().decode()
    ciphertexts = dict(Person.objects.values_list("pk", "identity_ciphertext"))
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_master]), pytest.raises(InvalidToken):
        readable(ids)  # without rotation the new key alone opens nothing

    with override_settings(FIELD_ENCRYPTION_KEYS=[new_master, *old_keys]):
        assert "Rotated 5 persons" in rotate()
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_master]):
        assert readable(ids) == before
    # Re-wrapping touches only the wrapped data keys.
    assert dict(Person.objects.values_list("pk", "identity_ciphertext")) == ciphertexts
    with pytest.raises(InvalidToken):
        readable(ids)  # and the old key alone no longer opens anything
    assert AuditEvent.objects.filter(action="keys.rotate").exists()
    assert verify_chain().ok


def test_keys_rotate_with_data_keys_replaces_every_data_key(several):
    ids = [p.pk for p in several]
    before = readable(ids)
    old_wrapped = dict(Person.objects.values_list("pk", "data_key"))
    old_texts = dict(Signal.objects.values_list("pk", "text_ciphertext"))
    assert "data keys replaced" in rotate("--data-keys")
    assert readable(ids) == before
    for person in Person.objects.filter(pk__in=ids):
        old_key = DataKey(old_wrapped[person.pk])
        assert person.data_key != old_wrapped[person.pk]
        with pytest.raises(InvalidToken):
            old_key.decrypt_json(person.identity_ciphertext)
    for signal_id, text in Signal.objects.values_list("pk", "text_ciphertext"):
        assert (text == "") == (old_texts[signal_id] == "")
        if text:
            assert text != old_texts[signal_id]


def test_keys_rotate_works_in_batches_and_can_run_again(caseworker, several):
    ids = [p.pk for p in several]
    before = readable(ids)
    assert services.keys_rotate(actor=None, batch_size=2) == 5
    assert services.keys_rotate(actor=None, batch_size=2, data_keys=True) == 5
    assert readable(ids) == before
    assert AuditEvent.objects.filter(action="keys.rotate").count() == 6  # three batches, twice
