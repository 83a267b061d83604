"""Every write of the Wegwijzer: anonymous signals, the directory, rule set versions.

Keyword-only arguments, the acting user named (`actor`, None for an anonymous
visitor), one transaction with its audit row. Audit details never hold what a
sender typed: only codes and counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zicht.audit.services import audit_record
from zicht.core.crypto import DataKey
from zicht.core.exceptions import ApplicationError, NotFound
from zicht.organisations.models import MUNICIPALITY_CODE, Role, User
from zicht.registry.codes import Form, Indicator

from . import routing, security
from .models import (
    AnonymousSignal,
    AnonymousSignalAddition,
    DirectoryEntry,
    Happened,
    Option,
    Question,
    Reporter,
    Rule,
    RuleSet,
    RuleSetStatus,
    SignalStatus,
)

NARRATIVE_MAX = 5000
CONTACT_MAX = 300


@dataclass(frozen=True)
class Submitted:
    signal: AnonymousSignal
    receipt_code: str


def _check_codes(values: Iterable[str], allowed: Iterable[str], *, field: str,
                 message: str) -> list[str]:
    allowed_set = set(allowed)
    values = list(dict.fromkeys(values))
    if any(value not in allowed_set for value in values):
        raise ApplicationError(message, field=field)
    return values


@transaction.atomic
def anonymous_signal_submit(
    *, reporter: str, forms: list[str], indicators: list[str], municipality: str,
    happened: str, narrative: str, contact: str = "", language: str = "",
) -> Submitted:
    """Store an anonymous signal for the national coordinator; returns its receipt code."""
    if reporter not in Reporter.values:
        raise ApplicationError(_("Choose who is reporting."), field="reporter")
    forms = _check_codes(forms, Form.values, field="forms",
                         message=_("Choose forms from the list."))
    indicators = _check_codes(indicators, Indicator.values, field="indicators",
                              message=_("Choose signs from the list."))
    municipality = (municipality or "").strip().upper()
    if municipality and not MUNICIPALITY_CODE.match(municipality):
        raise ApplicationError(_("Choose a municipality from the list, or leave it empty."),
                               field="municipality")
    if happened not in Happened.values:
        raise ApplicationError(_("Choose when it happened."), field="happened")
    narrative = (narrative or "").strip()
    if not narrative:
        raise ApplicationError(_("Write in a few words what is happening."), field="narrative")
    if len(narrative) > NARRATIVE_MAX:
        raise ApplicationError(_("Write at most %(max)d characters.") % {"max": NARRATIVE_MAX},
                               field="narrative")
    contact = (contact or "").strip()
    if len(contact) > CONTACT_MAX:
        raise ApplicationError(_("Write at most %(max)d characters.") % {"max": CONTACT_MAX},
                               field="contact")
    key = DataKey.generate()
    code = security.new_receipt_code()
    signal = AnonymousSignal.objects.create(
        data_key=key.wrapped, narrative_ciphertext=key.encrypt_json(narrative),
        contact_ciphertext=key.encrypt_json(contact) if contact else "",
        receipt_hash=security.receipt_hash(code), reporter=reporter, forms=forms,
        indicators=indicators, municipality=municipality, happened=happened,
        language=(language or "")[:8],
    )
    audit_record(actor=None, action="anonymous_signal.create", obj=signal,
                 detail={"forms": forms, "indicators": len(indicators),
                         "with_contact": bool(contact)})
    return Submitted(signal, code)


@transaction.atomic
def anonymous_signal_add(*, receipt_code: str, text: str) -> AnonymousSignal:
    """Information added later by the sender; the receipt code is the only key."""
    text = (text or "").strip()
    if not text:
        raise ApplicationError(_("Write what you want to add."), field="text")
    if len(text) > NARRATIVE_MAX:
        raise ApplicationError(_("Write at most %(max)d characters.") % {"max": NARRATIVE_MAX},
                               field="text")
    signal = AnonymousSignal.objects.select_for_update().filter(
        receipt_hash=security.receipt_hash(receipt_code)).first()
    if signal is None or not security.normalise_receipt_code(receipt_code):
        raise ApplicationError(
            _("We do not know this code. Check it and try again."), field="receipt_code")
    AnonymousSignalAddition.objects.create(signal=signal,
                                           text_ciphertext=signal.key.encrypt_json(text))
    if signal.status == SignalStatus.CLOSED:
        # New information on a handled signal needs a new look.
        signal.status = SignalStatus.NEW
    signal.save(update_fields=["status", "updated_at"])
    audit_record(actor=None, action="anonymous_signal.add", obj=signal)
    return signal


def _require_coordinator(actor: User) -> None:
    if not (actor.is_authenticated and actor.is_active
            and actor.role == Role.NATIONAL_COORDINATOR):
        raise NotFound()


@transaction.atomic
def anonymous_signal_set_status(*, actor: User, signal_id: int, status: str) -> AnonymousSignal:
    _require_coordinator(actor)
    signal = AnonymousSignal.objects.select_for_update().filter(pk=signal_id).first()
    if signal is None:
        raise NotFound()
    if status not in SignalStatus.values:
        raise ApplicationError(_("Choose a status from the list."), field="status")
    before = signal.status
    signal.status = status
    signal.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="anonymous_signal.update", obj=signal,
                 detail={"status": [before, status]})
    return signal


# -- directory --------------------------------------------------------------------

DIRECTORY_FIELDS = ("kind", "scope", "name", "region", "municipalities", "forms",
                    "target_groups", "languages", "phone", "email", "website", "hours",
                    "description", "anonymous", "active")


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


@transaction.atomic
def directory_import(*, actor: User | None, rows: Sequence[Mapping[str, Any]]) -> ImportResult:
    """Create or update entries by key. The rows were checked by `directory_io`."""
    created = updated = 0
    for row in rows:
        values = {name: row[name] for name in DIRECTORY_FIELDS if name in row}
        _, was_created = DirectoryEntry.objects.update_or_create(key=row["key"],
                                                                  defaults=values)
        created += was_created
        updated += not was_created
    audit_record(actor=actor, action="directory.import",
                 detail={"created": created, "updated": updated})
    transaction.on_commit(security.forget_cached_pages)
    return ImportResult(created, updated)


# -- rule sets ----------------------------------------------------------------------

@transaction.atomic
def ruleset_copy(*, actor: User | None, ruleset_id: int, note: str = "") -> RuleSet:
    """A new draft with the questions and rules of an existing version."""
    source = RuleSet.objects.filter(pk=ruleset_id).first()
    if source is None:
        raise NotFound()
    latest = RuleSet.objects.order_by("-version").values_list("version", flat=True).first()
    draft = RuleSet.objects.create(version=(latest or 0) + 1, status=RuleSetStatus.DRAFT,
                                   note=note or f"Copy of version {source.version}")
    for question in source.questions.prefetch_related("options").all():
        options = list(question.options.all())
        question.pk = None
        question.ruleset = draft
        question.save()
        for option in options:
            option.pk = None
            option.question = question
            option.save()
    for rule in source.rules.all():
        rule.pk = None
        rule.ruleset = draft
        rule.save()
    audit_record(actor=actor, action="ruleset.copy", obj=draft,
                 detail={"from_version": source.version, "version": draft.version})
    return draft


@transaction.atomic
def ruleset_publish(*, actor: User | None, ruleset_id: int) -> RuleSet:
    """Publish a draft after checking it; the version published before is retired."""
    ruleset = RuleSet.objects.select_for_update().filter(pk=ruleset_id).first()
    if ruleset is None:
        raise NotFound()
    if not ruleset.editable:
        raise ApplicationError(_("Only a draft can be published."), field="status")
    known = set(DirectoryEntry.objects.values_list("key", flat=True))
    problems = routing.RuleBook.from_ruleset(ruleset).problems(known_entries=known)
    if problems:
        raise ApplicationError("; ".join(problems), field="rules")
    RuleSet.objects.filter(status=RuleSetStatus.PUBLISHED).update(status=RuleSetStatus.RETIRED)
    ruleset.status = RuleSetStatus.PUBLISHED
    ruleset.published_at = timezone.now()
    ruleset.published_by = actor if actor is not None and actor.is_authenticated else None
    ruleset.save(update_fields=["status", "published_at", "published_by"])
    audit_record(actor=actor, action="ruleset.publish", obj=ruleset,
                 detail={"version": ruleset.version})
    transaction.on_commit(routing.forget_cached_rulebook)
    transaction.on_commit(security.forget_cached_pages)
    return ruleset


@transaction.atomic
def ruleset_create_from_data(*, actor: User | None, data: Mapping[str, Any],
                             version: int) -> RuleSet:
    """A draft rule set from the JSON layout of data/default_rules.json."""
    ruleset = RuleSet.objects.create(version=version, status=RuleSetStatus.DRAFT,
                                     note=data.get("note", ""))
    for position, q in enumerate(data["questions"]):
        question = Question.objects.create(
            ruleset=ruleset, key=q["key"], position=position, kind=q.get("kind", "choice"),
            text=q["text"], help=q.get("help") or {}, ask_if=q.get("ask_if") or {})
        for number, o in enumerate(q.get("options") or ()):
            Option.objects.create(question=question, key=o["key"], position=number,
                                  label=o["label"], forms=o.get("forms") or [])
    for position, r in enumerate(data["rules"]):
        Rule.objects.create(ruleset=ruleset, key=r["key"], position=position,
                            when=r.get("when") or {}, entries=r.get("entries") or [],
                            regional=bool(r.get("regional")), urgent=bool(r.get("urgent")),
                            reason=r.get("reason") or {})
    audit_record(actor=actor, action="ruleset.create", obj=ruleset,
                 detail={"version": version})
    return ruleset
