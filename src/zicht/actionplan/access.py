"""Who may do what in the programme monitor — decided here and only here.

The action plan, campaigns and regions hold no person data: everyone logged in
may read them; the national coordinator and administrators manage them, and an
action's holders report its progress. Experts by experience are protected like
victims: outsiders get `NotFound`, the same answer as for an expert who does not
exist, and lists use the same rule.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from zicht.core.exceptions import NotFound
from zicht.organisations.models import Role, User

from .codes import ENGAGED_STATUSES, ConsentState
from .models import Action, Assignment, Expert

PLAN_MANAGER_ROLES = frozenset({Role.NATIONAL_COORDINATOR, Role.ADMIN})
# Auditors look at the log, analysts at aggregates: neither speaks for an organisation.
ORGANISATION_VOICE_ROLES = frozenset({
    Role.REPORTER, Role.CASEWORKER, Role.NATIONAL_COORDINATOR, Role.ADMIN,
})

# Largest id a BIGINT column holds; a larger one is just an unknown id.
MAX_ID = 2**63 - 1


def parse_pk(value: object) -> int:
    """An id as a number, or NotFound: a malformed id is just an unknown one."""
    try:
        pk = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise NotFound() from None
    if not 1 <= pk <= MAX_ID:
        raise NotFound()
    return pk


def _active(actor: User) -> bool:
    return bool(actor.is_authenticated and actor.is_active)


# --- The plan -----------------------------------------------------------------------------------

def may_read_plan(actor: User) -> bool:
    return _active(actor)


def require_may_read_plan(actor: User) -> None:
    if not may_read_plan(actor):
        raise PermissionDenied(_("Log in to read the programme."))


def may_manage_plan(actor: User) -> bool:
    return _active(actor) and actor.role in PLAN_MANAGER_ROLES


def require_plan_manager(actor: User) -> None:
    if not may_manage_plan(actor):
        raise PermissionDenied(
            _("Only the national coordinator and administrators manage the programme."))


def may_report_on(actor: User, action: Action) -> bool:
    """Holders report their own actions; the coordinator may enter a report on their behalf."""
    if not _active(actor):
        return False
    if actor.role in PLAN_MANAGER_ROLES:
        return True
    return (actor.role in ORGANISATION_VOICE_ROLES and actor.organisation_id is not None
            and action.holders.filter(pk=actor.organisation_id).exists())


def require_may_report_on(actor: User, action: Action) -> None:
    if not may_report_on(actor, action):
        raise PermissionDenied(_("Only the action's holders report its progress."))


def actions_held_by(actor: User) -> QuerySet[Action]:
    if not _active(actor) or actor.organisation_id is None:
        return Action.objects.none()
    return Action.objects.filter(holders=actor.organisation_id)


# --- Experts by experience ----------------------------------------------------------------------

def _engaged_assignments(actor: User) -> QuerySet[Assignment]:
    """Assignments through which the actor's organisation may see the expert: agreed or
    done, and the expert's consent to share with this organisation still stands."""
    if actor.organisation_id is None:
        return Assignment.objects.none()  # every assignment has an organisation
    return Assignment.objects.filter(
        organisation_id=actor.organisation_id, status__in=ENGAGED_STATUSES,
        consent_state=ConsentState.GIVEN, expert__isnull=False,
    )


def experts_visible_to(actor: User) -> QuerySet[Expert]:
    if not _active(actor):
        return Expert.objects.none()
    if actor.role == Role.NATIONAL_COORDINATOR:
        return Expert.objects.all()
    if actor.organisation_id is None or actor.role not in ORGANISATION_VOICE_ROLES:
        return Expert.objects.none()
    return Expert.objects.filter(pk__in=_engaged_assignments(actor).values("expert_id"))


def access_expert(actor: User, expert_id: int | str) -> Expert:
    """The expert, if the actor may see them; otherwise NotFound, whatever the reason."""
    expert = experts_visible_to(actor).filter(pk=parse_pk(expert_id)).first()
    if expert is None:
        raise NotFound()
    return expert


def access_expert_for_write(actor: User, expert_id: int | str) -> Expert:
    """Only the national coordinator, who keeps the pool, changes an expert's record."""
    expert = access_expert(actor, expert_id)
    if actor.role != Role.NATIONAL_COORDINATOR:
        raise PermissionDenied(_("Only the national coordinator keeps the pool of experts."))
    return expert


def require_pool_keeper(actor: User) -> None:
    if not _active(actor) or actor.role != Role.NATIONAL_COORDINATOR:
        raise PermissionDenied(_("Only the national coordinator keeps the pool of experts."))


def may_request_expert(actor: User) -> bool:
    return (_active(actor) and actor.organisation_id is not None
            and actor.role in ORGANISATION_VOICE_ROLES)


def require_may_request_expert(actor: User) -> None:
    if not may_request_expert(actor):
        raise PermissionDenied(_("Your role may not ask for an expert by experience."))


def assignments_visible_to(actor: User) -> QuerySet[Assignment]:
    """The coordinator sees every assignment; an organisation sees its own requests."""
    if not _active(actor):
        return Assignment.objects.none()
    if actor.role == Role.NATIONAL_COORDINATOR:
        return Assignment.objects.all()
    if actor.organisation_id is None or actor.role not in ORGANISATION_VOICE_ROLES:
        return Assignment.objects.none()
    return Assignment.objects.filter(organisation_id=actor.organisation_id)


def access_assignment(actor: User, assignment_id: int | str) -> Assignment:
    assignment = (assignments_visible_to(actor).select_related("expert", "organisation", "action")
                  .filter(pk=parse_pk(assignment_id)).first())
    if assignment is None:
        raise NotFound()
    return assignment


def expert_shown_on(actor: User, assignment: Assignment) -> bool:
    """Whether an assignment may show who its expert is to the actor."""
    if assignment.expert_id is None:
        return False
    if actor.role == Role.NATIONAL_COORDINATOR:
        return True
    return (assignment.organisation_id == actor.organisation_id
            and assignment.status in ENGAGED_STATUSES
            and assignment.consent_state == ConsentState.GIVEN)

