"""What erasure destroys: every field of every app that identifies a person.

Crypto-shredding (ADR 0002): the person's data key is destroyed, so any copy of a
ciphertext made with it cannot be read any more. The ciphertexts themselves, the
blind index and the free texts that were never encrypted (reasons, notes, titles,
case references, a reporter's own reference) are emptied as well: free text may
name the person, and an empty field cannot be guessed at.

Kept: the plain columns figures count (sex, birth year, citizenships, languages;
signal dates, forms, sector, indicators, municipality, ages; pathway statuses and
dates; placements; cluster membership) and every audit row, which never holds
personal data (ADR 0003) — so counts and the hash chain stay as they were.

A test walks every model for `*_ciphertext` fields and fails if one is not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Q

from zicht.registry.models import Person


@dataclass(frozen=True)
class Shredded:
    """One model's identifying fields, and how its rows of one person are found."""

    model: str
    person_lookup: str
    fields: dict[str, Any]

    def rows(self, person_id: int) -> Any:
        return apps.get_model(self.model).objects.filter(**{self.person_lookup: person_id})


# Values written in place of what was there: "" for text, None where NULL is the empty value.
PERSON_FIELDS: tuple[Shredded, ...] = (
    Shredded("registry.Person", "pk",
             {"data_key": "", "identity_ciphertext": "", "name_birth_index": ""}),
    # The reporter's reference (or an import row's fingerprint) points into other files.
    Shredded("registry.Signal", "person_id", {"text_ciphertext": "", "external_ref": None}),
    Shredded("pathway.Pathway", "person_id",
             {"guardian_ciphertext": "", "victim_status_reason": "", "closing_reason": ""}),
    Shredded("pathway.VictimStatusDecision", "pathway__person_id", {"reason": ""}),
    Shredded("pathway.Stage", "pathway__person_id", {"end_reason": ""}),
    Shredded("pathway.CriminalCase", "pathway__person_id",
             {"reference": "", "decision_reason": ""}),
    Shredded("pathway.Deadline", "person_id", {"title": "", "close_reason": ""}),
    Shredded("pathway.DeadlineExtension", "deadline__person_id", {"reason": ""}),
    Shredded("pathway.Referral", "person_id", {"note_ciphertext": "", "answer_reason": ""}),
)

# Linkage decisions name two persons by plain id; the reviewer's note may describe either.
REVIEW_NOTE_MODEL = "linkage.ReviewDecision"


def shred_person(person: Person) -> dict[str, int]:
    """Destroy the person's identifying data everywhere; returns rows changed per model."""
    changed: dict[str, int] = {}
    for shredded in PERSON_FIELDS:
        changed[shredded.model] = shredded.rows(person.pk).update(**shredded.fields)
    decisions = apps.get_model(REVIEW_NOTE_MODEL).objects.filter(
        Q(person_a_id=person.pk) | Q(person_b_id=person.pk))
    changed[REVIEW_NOTE_MODEL] = decisions.exclude(note="").update(note="")
    return changed


# Anonymous signals of the public guide: their own data key, no person (retention only).
ANONYMOUS_SIGNAL_FIELDS = {"data_key": "", "narrative_ciphertext": "", "contact_ciphertext": ""}
ANONYMOUS_ADDITION_FIELDS = {"text_ciphertext": ""}


# Experts by experience are not persons of the registry: they have their own data key
# and their own erasure on request (actionplan.services.expert_erase), which deletes the
# record and empties the feedback texts encrypted with that key.
ERASED_ELSEWHERE = {
    "actionplan.expert.data_key": "actionplan.services.expert_erase",
    "actionplan.expert.identity_ciphertext": "actionplan.services.expert_erase",
    "actionplan.feedback.text_ciphertext": "actionplan.services.expert_erase",
}


def covered_ciphertext_fields() -> set[str]:
    """Every `model.field` holding ciphertext that erasure, retention or, for experts by
    experience, their own erasure destroys."""
    covered = {f"{s.model.lower()}.{name}" for s in PERSON_FIELDS for name in s.fields}
    covered |= set(ERASED_ELSEWHERE)
    covered |= {f"wegwijzer.anonymoussignal.{name}" for name in ANONYMOUS_SIGNAL_FIELDS}
    covered |= {f"wegwijzer.anonymoussignaladdition.{name}" for name in ANONYMOUS_ADDITION_FIELDS}
    return covered
