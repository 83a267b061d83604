"""Every write of the privacy app: export (an audited read), erasure, restriction, retention.

Keyword-only, actor named, atomic, audited in the same transaction. Audit rows
carry ids, legal grounds and counts only — never what was erased (ADR 0003).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zicht.audit.services import audit_record
from zicht.core.crypto import DataKey
from zicht.core.exceptions import ApplicationError, ConflictError
from zicht.organisations.models import User
from zicht.pathway.codes import ReferralStatus
from zicht.pathway.models import Deadline, Referral
from zicht.registry.models import Person
from zicht.shelters.models import Placement

from . import erasure
from .access import access_person_for_request
from .codes import (
    ERASURE_GROUNDS,
    EXPORT_GROUNDS,
    RESTRICTION_GROUNDS,
    LegalGround,
    RequestKind,
)
from .models import PrivacyRequest
from .selectors import export_data

MAX_REFERENCE = 64
AUDIT_ACTIONS: dict[str, str] = {
    RequestKind.EXPORT: "person.export",
    RequestKind.ERASURE: "person.erase",
    RequestKind.RESTRICTION: "person.restrict",
    RequestKind.RESTRICTION_LIFTED: "person.restriction_lift",
}


def _clean_ground(value: Any, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ApplicationError(
            _("Choose one of the legal grounds: %(grounds)s.") % {"grounds": ", ".join(allowed)},
            field="legal_ground")
    return str(value)


def _clean_reference(value: Any) -> str:
    reference = str(value or "").strip()
    if len(reference) > MAX_REFERENCE:
        raise ApplicationError(_("Keep the request reference under %(n)s characters.")
                               % {"n": MAX_REFERENCE}, field="reference")
    return reference


def _record(*, actor: User | None, person: Person, kind: str, legal_ground: str,
            reference: str, detail: dict[str, Any] | None = None) -> PrivacyRequest:
    request = PrivacyRequest.objects.create(
        person_id=person.pk, kind=kind, legal_ground=legal_ground, reference=reference,
        actor=actor, organisation=getattr(actor, "organisation", None))
    audit_record(actor=actor, action=AUDIT_ACTIONS[kind], obj=request, person_id=person.pk,
                 detail={"legal_ground": legal_ground, **(detail or {})})
    return request


@transaction.atomic
def person_export(*, actor: User, person_id: int | str,
                  legal_ground: str = LegalGround.ACCESS, reference: str = "") -> dict[str, Any]:
    """Everything the officer may see of the person; producing it is on the record."""
    person = access_person_for_request(actor, person_id)
    ground = _clean_ground(legal_ground, EXPORT_GROUNDS)
    data = export_data(actor, person)
    _record(actor=actor, person=person, kind=RequestKind.EXPORT, legal_ground=ground,
            reference=_clean_reference(reference))
    return data


def _locked(person: Person) -> Person:
    return Person.objects.select_for_update().get(pk=person.pk)


def erasure_blockers(person: Person) -> list[str]:
    """What must end before the person can be erased: care still being given."""
    blockers = []
    if Placement.objects.filter(person=person, ended_on__isnull=True).exists():
        blockers.append(_("The person still has an active shelter placement: end it first."))
    if Referral.objects.filter(person=person, status=ReferralStatus.PROPOSED).exists():
        blockers.append(_("The person has an open referral: withdraw it or have it answered "
                          "first."))
    return blockers


def anonymise_person(person: Person, *, actor: User | None, legal_ground: str, reference: str,
                     today: date) -> PrivacyRequest:
    """Erase a person already locked by the caller's transaction (erasure and retention)."""
    if person.erased_at is not None:
        raise ConflictError(
            _("This person was already erased on %(date)s; erasure is final.")
            % {"date": timezone.localtime(person.erased_at).date().isoformat()}, field="person")
    blockers = erasure_blockers(person)
    if blockers:
        raise ConflictError(" ".join(blockers), field="person")
    key = DataKey(person.data_key)
    # Nobody can act on a deadline of a person who is no longer there.
    for deadline in Deadline.objects.filter(person=person, closed_on__isnull=True):
        Deadline.objects.filter(pk=deadline.pk).update(closed_on=max(today, deadline.starts_on))
    changed = erasure.shred_person(person)
    Person.objects.filter(pk=person.pk).update(erased_at=timezone.now(), restricted_at=None)
    key.forget()
    return _record(actor=actor, person=person, kind=RequestKind.ERASURE,
                   legal_ground=legal_ground, reference=reference,
                   detail={"rows": sum(changed.values())})


@transaction.atomic
def person_erase(*, actor: User, person_id: int | str, legal_ground: str,
                 reference: str = "") -> PrivacyRequest:
    """Erase the person (GDPR art. 17) by crypto-shredding; final. See erasure.py."""
    person = _locked(access_person_for_request(actor, person_id))
    ground = _clean_ground(legal_ground, ERASURE_GROUNDS)
    return anonymise_person(person, actor=actor, legal_ground=ground,
                            reference=_clean_reference(reference), today=timezone.localdate())


@transaction.atomic
def person_restrict(*, actor: User, person_id: int | str, legal_ground: str,
                    reference: str = "") -> PrivacyRequest:
    """Restrict processing (GDPR art. 18): kept, but out of every worklist and edit."""
    person = _locked(access_person_for_request(actor, person_id))
    ground = _clean_ground(legal_ground, RESTRICTION_GROUNDS)
    reference = _clean_reference(reference)
    if person.erased_at is not None:
        raise ConflictError(_("This person was erased; there is nothing left to restrict."),
                            field="person")
    if person.restricted_at is not None:
        raise ConflictError(_("Processing of this person is already restricted."),
                            field="person")
    Person.objects.filter(pk=person.pk).update(restricted_at=timezone.now())
    return _record(actor=actor, person=person, kind=RequestKind.RESTRICTION,
                   legal_ground=ground, reference=reference)


@transaction.atomic
def person_restriction_lift(*, actor: User, person_id: int | str,
                            reference: str = "") -> PrivacyRequest:
    """Lift a restriction (art. 18(3)): the person must have been told beforehand."""
    person = _locked(access_person_for_request(actor, person_id))
    reference = _clean_reference(reference)
    if person.restricted_at is None:
        raise ConflictError(_("Processing of this person is not restricted."), field="person")
    Person.objects.filter(pk=person.pk).update(restricted_at=None)
    return _record(actor=actor, person=person, kind=RequestKind.RESTRICTION_LIFTED,
                   legal_ground=LegalGround.RESTRICTION_ENDED, reference=reference)
