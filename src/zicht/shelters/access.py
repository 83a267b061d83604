"""Who may see capacity, edit a shelter, and place persons — decided here only.

Capacity is not person data: everyone who works with persons may see it, and a
shelter's own staff may see their own. Placements are person data: they are
visible exactly when the person is (registry.access), and an outsider gets 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from zicht.core.exceptions import NotFound
from zicht.organisations.models import Organisation, OrganisationKind, Role, User
from zicht.registry.access import access_person, persons_visible_to
from zicht.registry.models import Person

from .models import Placement, Shelter

SHELTER_ORGANISATION_KINDS = frozenset({OrganisationKind.SHELTER, OrganisationKind.YOUTH_CARE})
# The national coordinator (CoMensha) and caseworkers working with the person decide placements.
PLACING_ROLES = frozenset({Role.CASEWORKER, Role.NATIONAL_COORDINATOR})
# A shelter's own caseworkers and administrators keep its places up to date.
SHELTER_EDITING_ROLES = frozenset({Role.CASEWORKER, Role.ADMIN})


# Largest id a BIGINT column holds; a larger one is just an unknown id (SQLite cannot compare it).
MAX_ID = 2**63 - 1


def parse_id(value: object) -> int | None:
    """An id as a number, or None when it is malformed or impossible."""
    try:
        pk = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
    return pk if 1 <= pk <= MAX_ID else None


def _runs_shelters(actor: User) -> bool:
    organisation = actor.organisation
    return organisation is not None and organisation.kind in SHELTER_ORGANISATION_KINDS


def may_view_capacity(actor: User) -> bool:
    if not actor.is_authenticated or not actor.is_active:
        return False
    return actor.sees_person_content or (actor.role == Role.ADMIN and _runs_shelters(actor))


def require_may_view_capacity(actor: User) -> None:
    if not may_view_capacity(actor):
        raise PermissionDenied(_("Your role may not see shelter capacity."))


def may_edit_shelter(actor: User, shelter: Shelter) -> bool:
    return (actor.is_authenticated and actor.is_active
            and actor.organisation_id == shelter.organisation_id
            and actor.role in SHELTER_EDITING_ROLES)


def require_may_edit_shelter(actor: User, shelter: Shelter) -> None:
    if not may_edit_shelter(actor, shelter):
        raise PermissionDenied(_("Only the shelter's own caseworkers and administrators may "
                                 "change its places."))


def require_may_create_shelter(actor: User, organisation: Organisation) -> None:
    if not (actor.is_authenticated and actor.is_active
            and actor.organisation_id == organisation.pk
            and actor.role in SHELTER_EDITING_ROLES):
        raise PermissionDenied(_("Only an organisation's own caseworkers and administrators may "
                                 "publish its shelters."))


def may_place(actor: User) -> bool:
    return actor.is_authenticated and actor.is_active and actor.role in PLACING_ROLES


def access_person_for_placement(actor: User, person_id: int | str) -> Person:
    """The person (404 for outsiders), if the actor may also decide their placement."""
    person = access_person(actor, person_id)
    if not may_place(actor):
        raise PermissionDenied(_("Only caseworkers and the national coordinator may place a "
                                 "person in a shelter."))
    return person


def placements_visible_to(actor: User) -> QuerySet[Placement]:
    return Placement.objects.filter(person__in=persons_visible_to(actor))


def access_placement(actor: User, placement_id: int | str) -> Placement:
    pk = parse_id(placement_id)
    placement = placements_visible_to(actor).select_related("shelter").filter(pk=pk).first() \
        if pk else None
    if placement is None:
        raise NotFound()
    return placement


def access_placement_for_write(actor: User, placement_id: int | str) -> Placement:
    placement = access_placement(actor, placement_id)
    if not may_place(actor):
        raise PermissionDenied(_("Only caseworkers and the national coordinator may end a "
                                 "placement."))
    return placement
