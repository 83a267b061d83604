"""Who may handle data-subject requests, and what an export may contain — decided here only.

A privacy officer is a caseworker or national coordinator who also holds the
permission `privacy.handle_requests` (granted with `zicht privacy officer grant`,
or in the admin). The officer reaches exactly the persons their organisation
holds (registry.access.persons_known_to), erased and restricted ones included.
Anyone else gets NotFound, for the person and for the function itself.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from zicht.core.exceptions import NotFound
from zicht.organisations.models import User
from zicht.pathway.access import is_national_coordinator, referrals_known_to
from zicht.pathway.models import Referral
from zicht.registry.access import id_or_not_found, persons_known_to
from zicht.registry.models import Person

PERMISSION = "privacy.handle_requests"


def is_privacy_officer(actor: User) -> bool:
    return bool(actor.is_authenticated and actor.sees_person_content
                and actor.has_perm(PERMISSION))


def require_privacy_officer(actor: User) -> None:
    if not is_privacy_officer(actor):
        raise NotFound()


def access_person_for_request(actor: User, person_id: int | str) -> Person:
    """The person, if the actor is an officer of an organisation holding them; else NotFound."""
    require_privacy_officer(actor)
    person = persons_known_to(actor).filter(pk=id_or_not_found(person_id)).first()
    if person is None:
        raise NotFound()
    return person


def persons_known_for_request(actor: User) -> QuerySet[Person]:
    require_privacy_officer(actor)
    return persons_known_to(actor)


def referrals_in_export(actor: User, person: Person) -> QuerySet[Referral]:
    """The person's referrals that the officer's organisation was party to (all, for CoMensha)."""
    return referrals_known_to(actor).filter(person=person)


def organisations_in_export(actor: User) -> set[int] | None:
    """Whose grants and audit rows an export shows: the officer's own organisation's.

    None (all) for CoMensha's national coordinator, who registers every victim
    nationally; an officer elsewhere must not learn which other organisations know
    the person (outsiders learn nothing, ADR 0004).
    """
    if is_national_coordinator(actor):
        return None
    return {actor.organisation_id} if actor.organisation_id else set()


def audit_scope(actor: User) -> Q:
    """The audit rows an export shows: those of `organisations_in_export`, and the system's."""
    organisations = organisations_in_export(actor)
    if organisations is None:
        return Q()
    return Q(organisation_id__in=organisations) | Q(organisation_id__isnull=True)
