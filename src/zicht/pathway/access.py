"""Who may see referrals and deadlines. Who may see a *person* is decided in
registry/access.py, and only there; this module builds on it.

A referral is visible to the two organisations involved and to the national
coordinator (who gets escalations); outsiders get NotFound. Deadlines follow the
person: whoever may see the person sees their deadlines.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from zicht.core.exceptions import NotFound
from zicht.organisations.models import OrganisationKind, Role, User
from zicht.registry.access import persons_visible_to

from .models import Deadline, RedressClaim, Referral

WRITER_ROLES = frozenset({Role.CASEWORKER, Role.NATIONAL_COORDINATOR})


def _pk(value: int | str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None


def require_writer(actor: User) -> None:
    if actor.role not in WRITER_ROLES:
        raise PermissionDenied(_("Only caseworkers and the national coordinator may do this."))


def is_national_coordinator(actor: User) -> bool:
    """The national coordinator role counts at CoMensha only, as in registry/access.py:
    the role given by mistake elsewhere must not open every referral in the country."""
    return (actor.is_authenticated and actor.role == Role.NATIONAL_COORDINATOR
            and actor.organisation is not None
            and actor.organisation.kind == OrganisationKind.COMENSHA)


def may_read_referral_note(actor: User, referral: Referral, *, person_visible: bool) -> bool:
    """The sender's note describes the person: for whoever sees the person, and for the two
    organisations of the referral (the receiver reads why before it accepts). The national
    coordinator sees every referral, but a note only of a person it may see."""
    return person_visible or actor.organisation_id in (referral.from_organisation_id,
                                                       referral.to_organisation_id)


def referrals_known_to(actor: User) -> QuerySet[Referral]:
    """Referrals of the actor's organisation, erased and restricted persons' included:
    only for data-subject requests (zicht.privacy); lists use `referrals_visible_to`."""
    if not actor.is_authenticated or not actor.sees_person_content:
        return Referral.objects.none()
    if is_national_coordinator(actor):
        return Referral.objects.all()
    return Referral.objects.filter(
        Q(from_organisation_id=actor.organisation_id) | Q(to_organisation_id=actor.organisation_id)
    )


def referrals_visible_to(actor: User) -> QuerySet[Referral]:
    # An erased or restricted person leaves every worklist (registry.access.IN_PROCESSING).
    return referrals_known_to(actor).filter(person__erased_at__isnull=True,
                                            person__restricted_at__isnull=True)


def access_referral(actor: User, referral_id: int | str) -> Referral:
    pk = _pk(referral_id)
    referral = (referrals_visible_to(actor)
                .select_related("person", "from_organisation", "to_organisation")
                .filter(pk=pk).first())
    if referral is None:
        raise NotFound()
    return referral


def deadlines_visible_to(actor: User) -> QuerySet[Deadline]:
    return Deadline.objects.filter(person__in=persons_visible_to(actor))


def access_deadline(actor: User, deadline_id: int | str) -> Deadline:
    deadline = (deadlines_visible_to(actor).select_related("person", "pathway")
                .filter(pk=_pk(deadline_id)).first())
    if deadline is None:
        raise NotFound()
    return deadline


def claims_visible_to(actor: User) -> QuerySet[RedressClaim]:
    return RedressClaim.objects.filter(person__in=persons_visible_to(actor))


def access_claim(actor: User, claim_id: int | str) -> RedressClaim:
    claim = claims_visible_to(actor).select_related("person").filter(pk=_pk(claim_id)).first()
    if claim is None:
        raise NotFound()
    return claim
