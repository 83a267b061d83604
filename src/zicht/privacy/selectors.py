"""Everything zicht holds on one person, as far as the officer may see it (GDPR art. 15).

Built once as plain data (JSON-ready); reports.py writes it as HTML, PDF or JSON.
Who may see what is decided in access.py; this module only gathers.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone

from zicht.audit.models import AuditEvent
from zicht.linkage.models import ClusterMembership, Link, ReviewDecision
from zicht.organisations.models import Organisation, User
from zicht.pathway.models import Pathway, RedressClaim
from zicht.registry.models import Person
from zicht.shelters.models import Placement

from .access import (
    audit_scope,
    organisations_in_export,
    persons_known_for_request,
    referrals_in_export,
)
from .models import PrivacyRequest

EXPORT_FORMAT = "zicht.person-export/1"


def _plain(value: Any) -> Any:
    """A value as JSON has it: dates in ISO 8601, amounts as strings."""
    if isinstance(value, datetime):
        return value.astimezone(timezone.get_current_timezone()).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def _row(obj: Any, names: list[str], **extra: Any) -> dict[str, Any]:
    return {**{name: _plain(getattr(obj, name)) for name in names},
            **{k: _plain(v) for k, v in extra.items()}}


def _name(organisation: Organisation | None) -> str:
    return organisation.name if organisation is not None else ""


def _person(person: Person) -> dict[str, Any]:
    identity = person.identity  # empty once erased: the key is gone
    return _row(person, ["id", "sex", "birth_year", "birth_date_precision", "citizenships",
                         "languages", "consent_registration", "consent_care", "consent_police",
                         "duty_registered", "created_at", "updated_at", "erased_at",
                         "restricted_at"],
                identity={key: identity.get(key) for key in identity},
                registering_organisation=_name(person.registering_organisation))


def _signals(person: Person) -> list[dict[str, Any]]:
    return [
        _row(signal, ["id", "signalled_on", "exploitation_started_on", "exploitation_ended_on",
                      "forms", "sector", "indicators", "municipality", "scope", "source",
                      "age_at_signal", "age_group", "minor_at_signal", "duty_registration",
                      "external_ref", "created_at"],
             reporting_organisation=_name(signal.reporting_organisation),
             narrative=signal.narrative, indicators_other=signal.indicators_other)
        for signal in person.signals.select_related("reporting_organisation", "person")
        .order_by("signalled_on", "pk")
    ]


def _consents(person: Person) -> list[dict[str, Any]]:
    return [_row(c, ["id", "purpose", "state", "recorded_on", "created_at"],
                 organisation=_name(c.organisation))
            for c in person.consents.select_related("organisation").order_by("created_at", "pk")]


def _access(person: Person, organisations: set[int] | None) -> list[dict[str, Any]]:
    grants = person.grants.select_related("organisation").order_by("granted_at", "pk")
    if organisations is not None:
        grants = grants.filter(organisation_id__in=organisations)
    return [_row(g, ["reason", "granted_at", "revoked_at"], organisation=_name(g.organisation))
            for g in grants]


def _pathway(person: Person) -> dict[str, Any] | None:
    pathway = Pathway.objects.filter(person=person).select_related(
        "person", "victim_status_organisation", "youth_care_organisation").first()
    if pathway is None:
        return None
    claims = RedressClaim.objects.filter(person=person).select_related("responsible_organisation")
    return _row(
        pathway, ["victim_status", "victim_status_decided_on", "victim_status_reason",
                  "case_status", "case_closed_on", "closing_reason", "residence_status",
                  "youth_care_involved", "created_at", "updated_at"],
        guardian=pathway.guardian,
        victim_status_organisation=_name(pathway.victim_status_organisation),
        youth_care_organisation=_name(pathway.youth_care_organisation),
        decisions=[_row(d, ["status", "decided_on", "reason"], organisation=_name(d.organisation))
                   for d in pathway.decisions.select_related("organisation")],
        stages=[_row(s, ["kind", "started_on", "ended_on", "end_reason"],
                     responsible_organisation=_name(s.responsible_organisation))
                for s in pathway.stages.select_related("responsible_organisation")],
        criminal_cases=[_row(c, ["aangifte_on", "reference", "outcome", "prosecuted_on",
                                 "decided_on", "decision_reason"],
                             police_organisation=_name(c.police_organisation))
                        for c in pathway.criminal_cases.select_related("police_organisation")],
        deadlines=[_row(d, ["kind", "title", "rule", "starts_on", "due_on", "closed_on",
                            "close_reason"],
                        responsible_organisation=_name(d.responsible_organisation),
                        extensions=[_row(e, ["previous_due_on", "new_due_on", "reason"])
                                    for e in d.extensions.all()])
                   for d in pathway.deadlines.select_related("responsible_organisation")
                   .prefetch_related("extensions")],
        redress=[_row(c, ["route", "amount_claimed", "amount_awarded", "filed_on", "decided_on",
                          "paid_on", "outcome"],
                      responsible_organisation=_name(c.responsible_organisation))
                 for c in claims],
    )


def _referrals(actor: User, person: Person) -> list[dict[str, Any]]:
    referrals = referrals_in_export(actor, person).select_related(
        "person", "from_organisation", "to_organisation").order_by("proposed_at", "pk")
    return [_row(r, ["id", "purpose", "urgency", "status", "consent_basis", "proposed_at",
                     "answer_due_at", "escalated_at", "closed_at", "answer_reason", "country",
                     "foreign_organisation", "channel"],
                 from_organisation=_name(r.from_organisation),
                 to_organisation=_name(r.to_organisation), note=r.note)
            for r in referrals]


def _placements(person: Person) -> list[dict[str, Any]]:
    placements = Placement.objects.filter(person=person).select_related(
        "shelter", "placing_organisation").order_by("started_on", "pk")
    return [_row(p, ["started_on", "ended_on", "end_reason", "safety_need"],
                 shelter=p.shelter.name, placing_organisation=_name(p.placing_organisation))
            for p in placements]


def _linkage(actor: User, person: Person) -> dict[str, Any]:
    """Links to other records only where the officer may know that other record too."""
    known = persons_known_for_request(actor)
    links = Link.objects.filter(Q(person_a=person) | Q(person_b=person)).filter(
        Q(person_a__in=known) & Q(person_b__in=known)).order_by("pk")
    pairs = [(link.person_a_id, link.person_b_id) for link in links]
    decisions = ReviewDecision.objects.filter(
        Q(person_a_id=person.pk) | Q(person_b_id=person.pk)).filter(
        person_a_id__in=known.values("pk"), person_b_id__in=known.values("pk"))
    membership = ClusterMembership.objects.filter(person=person).first()
    return {
        "cluster_id": membership.cluster_id if membership else None,
        "links": [_row(link, ["match_weight", "match_probability", "band",
                              "comparison_levels"],
                       other_person=b if a == person.pk else a)
                  for link, (a, b) in zip(links, pairs, strict=True)],
        "decisions": [_row(d, ["person_a_id", "person_b_id", "verdict", "note", "decided_at",
                               "reverted_at"]) for d in decisions],
    }


def _audit(actor: User, person: Person) -> list[dict[str, Any]]:
    events = list(AuditEvent.objects.filter(audit_scope(actor), person_id=person.pk)
                  .order_by("seq"))
    names = dict(Organisation.objects.filter(
        pk__in={e.organisation_id for e in events if e.organisation_id}).values_list("pk", "name"))
    return [_row(e, ["seq", "at", "actor_username", "action", "object_type", "object_id"],
                 organisation=names.get(e.organisation_id or 0, "")) for e in events]


def _requests(person: Person) -> list[dict[str, Any]]:
    return [_row(r, ["kind", "legal_ground", "reference", "at"],
                 actor=r.actor.get_username() if r.actor else "",
                 organisation=_name(r.organisation))
            for r in PrivacyRequest.objects.filter(person_id=person.pk)
            .select_related("actor", "organisation").order_by("at", "pk")]


def export_data(actor: User, person: Person) -> dict[str, Any]:
    """Everything the officer may see of the person. The caller audits the read."""
    return {
        "format": EXPORT_FORMAT,
        "produced_at": _plain(timezone.now()),
        "produced_by": {"username": actor.get_username(),
                        "organisation": _name(actor.organisation)},
        "person": _person(person),
        "access": _access(person, organisations_in_export(actor)),
        "signals": _signals(person),
        "consents": _consents(person),
        "pathway": _pathway(person),
        "referrals": _referrals(actor, person),
        "placements": _placements(person),
        "linkage": _linkage(actor, person),
        "audit": _audit(actor, person),
        "requests": _requests(person),
    }
