"""Who may see and change persons, signals and consents — decided here and only here.

Outsiders get `NotFound`, the same answer as for something that does not exist,
so nobody learns that a person is known elsewhere. Lists use the same rules.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from zicht.core.exceptions import NotFound
from zicht.organisations.models import Organisation, OrganisationKind, Role, User

from .codes import ConsentState, Purpose
from .models import AccessReason, Consent, Person, PersonAccess, Signal

CONSENT_ENDED = (ConsentState.REFUSED, ConsentState.WITHDRAWN)

# Which consent purpose covers sharing with an organisation of each kind.
_POLICE_PURPOSE_KINDS = frozenset({
    OrganisationKind.POLICE, OrganisationKind.KMAR, OrganisationKind.LABOUR_INSPECTORATE,
    OrganisationKind.PROSECUTION,
})


def sharing_purpose(organisation: Organisation) -> str:
    if organisation.kind in _POLICE_PURPOSE_KINDS:
        return Purpose.POLICE
    if organisation.kind == OrganisationKind.COMENSHA:
        return Purpose.REGISTRATION
    return Purpose.CARE


# Largest primary key the database holds (BIGINT); SQLite cannot even compare a larger one.
MAX_ID = 2**63 - 1


def id_or_not_found(value: int | str) -> int:
    """An id as a number, or NotFound: a malformed or impossible id is just an unknown one."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not 1 <= pk <= MAX_ID:
        raise NotFound()
    return pk


# A person is processed only while neither erased nor restricted (GDPR art. 17, 18):
# both leave every worklist, view and edit; zicht.privacy alone still reaches them.
IN_PROCESSING = Q(erased_at__isnull=True, restricted_at__isnull=True)


def persons_known_to(actor: User) -> QuerySet[Person]:
    """Every person the actor's organisation holds, erased and restricted ones included.

    Only for handling data-subject requests (zicht.privacy.access); everything else
    uses `persons_visible_to`.
    """
    if not actor.is_authenticated or not actor.sees_person_content:
        return Person.objects.none()
    organisation = actor.organisation
    assert organisation is not None  # sees_person_content implies it
    grants = PersonAccess.objects.filter(organisation=organisation, revoked_at__isnull=True)
    # A grant from sharing or referral lasts only while the person has not
    # refused or withdrawn consent for that purpose: withdrawal works at once.
    purpose = sharing_purpose(organisation)
    grants = grants.filter(
        Q(reason=AccessReason.REPORTED) | ~Q(**{f"person__consent_{purpose}__in": CONSENT_ENDED})
    )
    visible = Q(pk__in=grants.values("person_id"))
    if actor.role == Role.NATIONAL_COORDINATOR and organisation.kind == OrganisationKind.COMENSHA:
        # CoMensha sees everyone registered with consent, and every duty registration. Only
        # CoMensha: the role given by mistake at, say, the police must not undo a refusal.
        visible |= Q(consent_registration=ConsentState.GIVEN) | Q(duty_registered=True)
    return Person.objects.filter(visible)


def persons_visible_to(actor: User) -> QuerySet[Person]:
    return persons_known_to(actor).filter(IN_PROCESSING)


def access_person(actor: User, person_id: int | str) -> Person:
    """The person, if the actor may see them; otherwise NotFound, whatever the reason."""
    person = persons_visible_to(actor).filter(pk=id_or_not_found(person_id)).first()
    if person is None:
        raise NotFound()
    return person


def _require_role(actor: User, roles: set[str], what: str) -> None:
    if actor.role not in roles:
        raise PermissionDenied(f"Your role may not {what}.")


def access_person_for_write(actor: User, person_id: int | str) -> Person:
    person = access_person(actor, person_id)
    _require_role(actor, {Role.CASEWORKER, Role.NATIONAL_COORDINATOR}, "change persons")
    return person


def access_person_for_delete(actor: User, person_id: int | str) -> Person:
    """Only a caseworker of the organisation that registered the person."""
    person = access_person(actor, person_id)
    if actor.role != Role.CASEWORKER or person.registering_organisation_id != actor.organisation_id:
        raise PermissionDenied("Only the registering organisation's caseworkers may delete a person.")
    return person


def require_may_report(actor: User) -> None:
    if not actor.is_authenticated or not actor.sees_person_content:
        raise PermissionDenied("Your role may not report signals or register persons.")


def signals_visible_to(actor: User) -> QuerySet[Signal]:
    return Signal.objects.filter(person__in=persons_visible_to(actor))


def access_signal(actor: User, signal_id: int | str) -> Signal:
    signal = signals_visible_to(actor).select_related("person").filter(pk=id_or_not_found(signal_id)).first()
    if signal is None:
        raise NotFound()
    return signal


def access_signal_for_write(actor: User, signal_id: int | str) -> Signal:
    """A signal is changed only by its own organisation's caseworkers."""
    signal = access_signal(actor, signal_id)
    if actor.role != Role.CASEWORKER or signal.reporting_organisation_id != actor.organisation_id:
        raise PermissionDenied("Only the reporting organisation's caseworkers may change a signal.")
    return signal


def consents_visible_to(actor: User) -> QuerySet[Consent]:
    return Consent.objects.filter(person__in=persons_visible_to(actor))


def access_consent(actor: User, consent_id: int | str) -> Consent:
    consent = consents_visible_to(actor).filter(pk=id_or_not_found(consent_id)).first()
    if consent is None:
        raise NotFound()
    return consent
