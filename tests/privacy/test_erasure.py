"""Erasure: nothing identifying can be read afterwards, counts and the audit chain stay."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models

from tests.factories import make_signal
from zicht.audit.models import AuditEvent
from zicht.audit.selectors import verify_chain
from zicht.core.crypto import DataKey, InvalidToken
from zicht.core.exceptions import ConflictError, NotFound
from zicht.figures.counting import counted_rows
from zicht.pathway.models import Deadline
from zicht.privacy import erasure, services
from zicht.privacy.models import PrivacyRequest
from zicht.registry.access import persons_visible_to
from zicht.registry.models import Person, Signal
from zicht.registry.services import keys_rotate
from zicht.shelters import services as shelters

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def every_stored_text() -> list[tuple[str, str]]:
    """(model.field, value as text) of every text and JSON column of every table."""
    found = []
    for model in apps.get_models():
        names = [f.attname for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        for row in model.objects.values_list(*names) if names else []:
            for name, value in zip(names, row, strict=True):
                if value not in (None, "", [], {}):
                    found.append((f"{model._meta.label_lower}.{name}", str(value)))
    return found


def erase(officer, person):  # type: ignore[no-untyped-def]
    return services.person_erase(actor=officer, person_id=person.pk,
                                 legal_ground="art17_1_b", reference="AVG-2026-014")


def test_erasure_leaves_nothing_that_names_the_person(officer, story):  # type: ignore[no-untyped-def]
    erase(officer, story.person)

    leaks = [(where, secret) for where, text in every_stored_text()
             for secret in story.values.values() if secret in text]
    assert leaks == []


def test_erasure_leaves_nothing_the_old_data_key_can_decrypt(officer, story):  # type: ignore[no-untyped-def]
    # The test keeps a copy of the wrapped key, as a stale backup might: even with it,
    # nothing left in the database decrypts.
    old_key = DataKey(story.person.data_key)
    assert old_key.decrypt_json(story.person.identity_ciphertext)["given_names"] == "Oana"

    erase(officer, story.person)

    decryptable = []
    for where, text in every_stored_text():
        try:
            old_key.decrypt_json(text)
        except (InvalidToken, ValueError, TypeError):
            continue
        decryptable.append(where)
    assert decryptable == []
    person = Person.objects.get(pk=story.person.pk)
    assert (person.data_key, person.identity_ciphertext, person.name_birth_index) == ("", "", "")
    assert person.identity == {} and person.display_name == ""


def test_erasure_keeps_every_count_figures_make(officer, story):  # type: ignore[no-untyped-def]
    def counts():  # type: ignore[no-untyped-def]
        return list(counted_rows(start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31)).rows())

    before = counts()
    assert len(before) == 1  # Oana counted once: her two records are one cluster

    erase(officer, story.person)

    assert counts() == before


def test_the_audit_chain_still_verifies_after_erasure(officer, story):  # type: ignore[no-untyped-def]
    erase(officer, story.person)

    assert verify_chain().ok
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "Audit chain intact" in out.getvalue()


def test_erasure_records_who_erased_on_what_ground(officer, story):  # type: ignore[no-untyped-def]
    erase(officer, story.person)

    record = PrivacyRequest.objects.get(person_id=story.person.pk, kind="erasure")
    assert (record.actor, record.legal_ground, record.reference) == (
        officer, "art17_1_b", "AVG-2026-014")
    event = AuditEvent.objects.get(action="person.erase")
    assert (event.person_id, event.actor_username) == (story.person.pk, "fg-ngo")
    assert event.detail["legal_ground"] == "art17_1_b"


def test_an_erased_person_leaves_every_worklist(officer, caseworker, story):  # type: ignore[no-untyped-def]
    erase(officer, story.person)

    assert not persons_visible_to(caseworker).filter(pk=story.person.pk).exists()
    assert not Deadline.objects.filter(person=story.person, closed_on__isnull=True).exists()


def test_erasing_twice_is_a_conflict_that_changes_nothing(officer, story):  # type: ignore[no-untyped-def]
    erase(officer, story.person)
    events = AuditEvent.objects.count()

    with pytest.raises(ConflictError, match="already erased"):
        erase(officer, story.person)

    assert AuditEvent.objects.count() == events
    assert PrivacyRequest.objects.filter(kind="erasure").count() == 1


def test_erasure_waits_until_care_has_ended(officer, caseworker, story):  # type: ignore[no-untyped-def]
    from zicht.shelters.models import Shelter

    shelters.placement_create(actor=caseworker, person_id=story.person.pk,
                              shelter_id=Shelter.objects.get().pk)

    with pytest.raises(ConflictError, match="active shelter placement"):
        erase(officer, story.person)

    person = Person.objects.get(pk=story.person.pk)
    assert person.erased_at is None and person.identity["given_names"] == "Oana"


def test_an_unknown_person_cannot_be_erased(officer, story):  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        services.person_erase(actor=officer, person_id=story.person.pk + 1000,
                              legal_ground="art17_1_b")


def test_only_a_privacy_officer_may_erase(caseworker, story):  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        erase(caseworker, story.person)
    assert Person.objects.get(pk=story.person.pk).erased_at is None


def test_a_ground_that_is_not_for_erasure_is_refused(officer, story):  # type: ignore[no-untyped-def]
    from zicht.core.exceptions import ApplicationError

    with pytest.raises(ApplicationError) as refused:
        services.person_erase(actor=officer, person_id=story.person.pk,
                              legal_ground="art18_1_a")
    assert refused.value.field == "legal_ground"
    assert Person.objects.get(pk=story.person.pk).erased_at is None


def test_key_rotation_passes_over_erased_persons(officer, story):  # type: ignore[no-untyped-def]
    erase(officer, story.person)

    assert keys_rotate(actor=None, data_keys=True) == Person.objects.count() - 1
    assert Person.objects.get(pk=story.person.pk).data_key == ""


def test_erasure_covers_every_encrypted_field_of_every_app(db):  # type: ignore[no-untyped-def]
    encrypted = {f"{model._meta.label_lower}.{field.name}"
                 for model in apps.get_models() for field in model._meta.concrete_fields
                 if field.name.endswith("_ciphertext") or field.name == "data_key"}

    assert encrypted - erasure.covered_ciphertext_fields() == set()


def test_a_new_signal_after_erasure_cannot_reach_the_erased_person(officer, caseworker, story):  # type: ignore[no-untyped-def]
    erase(officer, story.person)

    with pytest.raises(NotFound):
        make_signal(caseworker, story.person, external_ref="again")
    assert Signal.objects.filter(person=story.person).count() == 1
