"""Reads of the linkage app that apply permissions (and audit identity reads)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, QuerySet

from zicht.audit.services import Entry, audit_record_many
from zicht.core.exceptions import NotFound
from zicht.organisations.models import User
from zicht.registry.access import persons_visible_to
from zicht.registry.models import Person

from .models import ClusterMembership, Link, ModelVersion, PprlEncoding, ReviewDecision
from .services import require_coordinator

# What the reviewer sees side by side, in this order.
REVIEW_FIELDS = ("given_names", "family_name", "aliases", "birth_date", "phone", "sex",
                 "citizenships", "registering_organisation")


def known_elsewhere(actor: User, person: Person) -> bool:
    """Whether the person's cluster holds a record of another organisation.

    Only that fact: which organisation, or what it recorded, stays hidden
    unless it shared the record (then the caseworker sees it the usual way).
    Returns False for a person the actor may not see."""
    if not persons_visible_to(actor).filter(pk=person.pk).exists():
        return False
    cluster = ClusterMembership.objects.filter(person_id=person.pk).values_list(
        "cluster_id", flat=True).first()
    if cluster is None:
        return False
    return ClusterMembership.objects.filter(cluster_id=cluster).exclude(
        person__registering_organisation_id=person.registering_organisation_id).exists()


def person_count() -> int:
    """Persons as the figures count them: distinct clusters (unlinked records count once)."""
    clustered = ClusterMembership.objects.values("cluster_id").distinct().count()
    unclustered = Person.objects.filter(cluster_membership__isnull=True).count()
    return clustered + unclustered


def _active_decision() -> Exists:
    return Exists(ReviewDecision.objects.filter(
        person_a_id=OuterRef("person_a_id"), person_b_id=OuterRef("person_b_id"),
        reverted_at__isnull=True))


def review_queue(actor: User) -> QuerySet[Link]:
    """Pairs between the thresholds that nobody decided yet, strongest first."""
    require_coordinator(actor)
    return (Link.objects.filter(band=Link.Band.REVIEW).annotate(decided=_active_decision())
            .filter(decided=False).select_related("model_version")
            .order_by("-match_weight", "pk"))


def links_list(actor: User, *, band: str | None = None) -> QuerySet[Link]:
    require_coordinator(actor)
    links = Link.objects.select_related("model_version").annotate(decided=_active_decision())
    if band:
        links = links.filter(band=band)
    return links.order_by("-match_weight", "pk")


def link_get(actor: User, link_id: Any) -> Link:
    require_coordinator(actor)
    try:
        return Link.objects.select_related("model_version").get(pk=int(link_id))
    except (TypeError, ValueError, Link.DoesNotExist):
        raise NotFound() from None


def decisions_list(actor: User) -> QuerySet[ReviewDecision]:
    require_coordinator(actor)
    return ReviewDecision.objects.select_related("decided_by", "reverted_by", "model_version")


def review_counts() -> dict[str, int]:
    """For `zicht link review`: what waits, what was decided, how many persons."""
    decided = ReviewDecision.objects.filter(reverted_at__isnull=True).values(
        "verdict").annotate(n=Count("pk"))
    counts = {f"decided_{row['verdict']}": row["n"] for row in decided}
    pending = Link.objects.filter(band=Link.Band.REVIEW).annotate(
        decided=_active_decision()).filter(decided=False).count()
    return {
        "to_review": pending,
        "links_match": Link.objects.filter(band=Link.Band.MATCH).count(),
        "links_review": Link.objects.filter(band=Link.Band.REVIEW).count(),
        **counts,
        "records": Person.objects.count(),
        "persons": person_count(),
        "model_versions": ModelVersion.objects.count(),
        "pprl_encodings": PprlEncoding.objects.count(),
    }


@dataclass(frozen=True)
class FieldPair:
    field: str
    left: str
    right: str

    @property
    def differs(self) -> bool:
        return self.left.strip().lower() != self.right.strip().lower()


def _shown(person: Person, field: str) -> str:
    if field == "sex":
        return person.get_sex_display()
    if field == "citizenships":
        return ", ".join(person.citizenships or [])
    if field == "registering_organisation":
        return person.registering_organisation.name
    value = person.identity.get(field)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return "" if value is None else str(value)


@transaction.atomic
def review_pair(actor: User, link_id: Any) -> tuple[Link, list[FieldPair]]:
    """Both records side by side for the coordinator; both reads are audited."""
    link = link_get(actor, link_id)
    a = Person.objects.select_related("registering_organisation").get(pk=link.person_a_id)
    b = Person.objects.select_related("registering_organisation").get(pk=link.person_b_id)
    rows = [FieldPair(field, _shown(a, field), _shown(b, field)) for field in REVIEW_FIELDS]
    audit_record_many(actor=actor, entries=[
        Entry(action="linkage.review.read", object_type="registry.person", object_id=pk,
              person_id=pk, detail={"link": link.pk}) for pk in (a.pk, b.pk)
    ])
    return link, rows
