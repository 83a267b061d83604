"""Who may see figures, export case-level data and deliver chain figures.

Figures are aggregates: analysts, the national coordinator and administrators
see them. Case-level exports (HTCDS) leave zicht only for the national
coordinator. A chain organisation's own staff deliver its figures; the national
coordinator may enter them for any organisation. Everyone else gets "not found".
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from zicht.core.exceptions import NotFound
from zicht.organisations.models import Organisation, OrganisationKind, Role

FIGURE_ROLES = frozenset({Role.ANALYST, Role.NATIONAL_COORDINATOR, Role.ADMIN})
CASE_LEVEL_ROLES = frozenset({Role.NATIONAL_COORDINATOR})
CHAIN_KINDS = frozenset({OrganisationKind.POLICE, OrganisationKind.KMAR,
                         OrganisationKind.LABOUR_INSPECTORATE, OrganisationKind.PROSECUTION,
                         OrganisationKind.IND})
CHAIN_DELIVERY_ROLES = frozenset({Role.CASEWORKER, Role.NATIONAL_COORDINATOR, Role.ADMIN})


def _active(actor: Any) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active


def may_see_figures(actor: Any) -> bool:
    return _active(actor) and actor.role in FIGURE_ROLES


def require_figures(actor: Any) -> None:
    if not may_see_figures(actor):
        raise NotFound()


def require_case_level_export(actor: Any) -> None:
    if not (_active(actor) and actor.role in CASE_LEVEL_ROLES):
        raise NotFound(_("Case-level exports are for the national coordinator only."))


def may_deliver_chain(actor: Any, organisation: Organisation) -> bool:
    if not _active(actor) or actor.role not in CHAIN_DELIVERY_ROLES:
        return False
    if actor.role in (Role.NATIONAL_COORDINATOR, Role.ADMIN):
        return True
    return actor.organisation_id == organisation.pk and organisation.kind in CHAIN_KINDS


def require_chain_delivery(actor: Any, organisation: Organisation) -> None:
    if not may_deliver_chain(actor, organisation):
        raise NotFound()
