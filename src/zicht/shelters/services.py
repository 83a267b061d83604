"""Every write to shelters and placements. Keyword-only, actor named, atomic, audited.

Lock order, everywhere: the shelter's row first, then the placement, then the
audit chain (audit_record). One order means two writers never wait on each other.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zicht.audit.services import audit_record
from zicht.core.exceptions import ApplicationError, ConflictError, NotFound
from zicht.organisations.models import Organisation, User

from . import matching
from . import validation as v
from .access import (
    SHELTER_ORGANISATION_KINDS,
    access_person_for_placement,
    access_placement_for_write,
    parse_id,
    require_may_create_shelter,
    require_may_edit_shelter,
)
from .codes import SafetyLevel
from .models import ACTIVE, Placement, Shelter
from .selectors import need_for, offer_for

EDITABLE_FIELDS = ("name", "kind", "sex_served", "min_age", "max_age", "forms", "languages",
                   "safety_level", "municipality", "capacity")


def _today() -> date:
    return timezone.localdate()


def _lock_shelter(shelter_id: int | str, *, field: str | None = None) -> Shelter:
    """The shelter's row, locked until the transaction ends.

    PostgreSQL: SELECT … FOR UPDATE, so a second coordinator waits here until the
    first has committed and then counts the place the first one took. SQLite
    ignores FOR UPDATE, but every transaction there starts with BEGIN IMMEDIATE
    (settings), which already lets one writer in at a time.
    """
    pk = parse_id(shelter_id)
    shelter = Shelter.objects.select_for_update().filter(pk=pk).first() if pk is not None \
        else None
    if shelter is None:
        if field:
            raise ApplicationError(_("No such shelter."), field=field)
        raise NotFound()
    return shelter


def _occupied(shelter: Shelter) -> int:
    return shelter.placements.filter(ACTIVE).count()


def _name_taken(name: str, *, other_than: int | None = None) -> bool:
    same_name = Shelter.objects.filter(name=name)
    if other_than is not None:
        same_name = same_name.exclude(pk=other_than)
    return same_name.exists()


@transaction.atomic
def shelter_create(*, actor: User, organisation_id: int | None = None, **values: Any) -> Shelter:
    """Publish a shelter location's places, for the actor's own organisation."""
    wanted = organisation_id if organisation_id is not None else actor.organisation_id
    organisation = Organisation.objects.filter(pk=wanted).first() if wanted else None
    if organisation is None:
        raise ApplicationError(_("No such organisation."), field="organisation")
    require_may_create_shelter(actor, organisation)
    if organisation.kind not in SHELTER_ORGANISATION_KINDS:
        raise ApplicationError(
            _("Only shelter and youth-care organisations run shelters."), field="organisation")
    unknown = sorted(set(values) - set(EDITABLE_FIELDS))
    if unknown:
        raise ApplicationError(_("Unknown field."), field=unknown[0])
    fields = v.shelter_fields(values)
    if _name_taken(fields["name"]):
        raise ConflictError(_("A shelter with this name already exists."), field="name")
    shelter = Shelter.objects.create(organisation=organisation, **fields)
    audit_record(actor=actor, action="shelter.create", obj=shelter,
                 detail={"kind": shelter.kind, "capacity": shelter.capacity})
    return shelter


@transaction.atomic
def shelter_update(*, actor: User, shelter_id: int | str, changes: dict[str, Any]) -> Shelter:
    """Change a shelter's places or what it offers; never below the places taken now."""
    shelter = _lock_shelter(shelter_id)
    require_may_edit_shelter(actor, shelter)
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise ApplicationError(_("Unknown field."), field=unknown[0])
    current = {name: getattr(shelter, name) for name in EDITABLE_FIELDS}
    fields = v.shelter_fields({**current, **changes})
    occupied = _occupied(shelter)
    if fields["capacity"] < occupied:
        raise ApplicationError(
            _("The capacity cannot go below the %(occupied)s places taken now; end placements "
              "first.") % {"occupied": occupied},
            field="capacity",
        )
    if fields["kind"] != shelter.kind and occupied:
        raise ApplicationError(
            _("The kind cannot change while persons are placed here."), field="kind")
    if fields["name"] != shelter.name and _name_taken(fields["name"], other_than=shelter.pk):
        raise ConflictError(_("A shelter with this name already exists."), field="name")
    changed = sorted(name for name in EDITABLE_FIELDS if fields[name] != current[name])
    for name, value in fields.items():
        setattr(shelter, name, value)
    shelter.save()
    audit_record(actor=actor, action="shelter.update", obj=shelter, detail={
        "fields": changed, "capacity": [current["capacity"], shelter.capacity]})
    return shelter


@transaction.atomic
def placement_create(
    *, actor: User, person_id: int | str, shelter_id: int | str,
    started_on: date | str | None = None, safety_need: str | None = None,
) -> Placement:
    """Take a place for a person: atomically, so two coordinators cannot take the last one."""
    person = access_person_for_placement(actor, person_id)
    # Seeing the person needs a content role, and content roles belong to an organisation.
    assert actor.organisation is not None
    today = _today()
    started = v.clean_date(started_on, "started_on", today=today, default=today)
    safety = v.clean_choice(safety_need, SafetyLevel, "safety_need", default=SafetyLevel.NORMAL)
    shelter = _lock_shelter(shelter_id, field="shelter")
    if person.placements.filter(ACTIVE).exists():
        raise ConflictError(_("This person is already placed in a shelter; end that placement "
                              "first."), field="person")
    last_end = person.placements.exclude(ended_on=None).order_by("-ended_on").values_list(
        "ended_on", flat=True).first()
    if last_end is not None and started < last_end:
        raise ApplicationError(
            _("The person's previous placement ended on %(date)s; this one cannot start "
              "before that.") % {"date": last_end.isoformat()}, field="started_on")
    # Counted after the lock: every place taken by a committed placement is seen.
    match = matching.assess(need_for(person, safety=safety, today=today),
                            offer_for(shelter, occupied=_occupied(shelter)))
    capacity = match.reason(matching.CAPACITY)
    if capacity.verdict == matching.FAIL:
        raise ConflictError(
            _("No free place in %(shelter)s: %(reason)s")
            % {"shelter": shelter.name, "reason": capacity.message},
            field="shelter",
        )
    if match.failures:
        raise ApplicationError(
            _("%(shelter)s does not fit this person: %(reason)s")
            % {"shelter": shelter.name, "reason": " ".join(r.message for r in match.failures)},
            field="shelter",
        )
    try:
        with transaction.atomic():
            placement = Placement.objects.create(
                shelter=shelter, person=person, started_on=started, safety_need=safety,
                placing_organisation=actor.organisation, placed_by=actor,
            )
    except IntegrityError:
        # The same person placed elsewhere at this very moment: the database said no.
        raise ConflictError(_("This person is already placed in a shelter; end that "
                              "placement first."), field="person") from None
    audit_record(actor=actor, action="placement.create", obj=placement, person_id=person.pk,
                 detail={"shelter": shelter.pk, "started_on": started.isoformat()})
    return placement


@transaction.atomic
def placement_end(*, actor: User, placement_id: int | str, end_reason: str,
                  ended_on: date | str | None = None) -> Placement:
    """End a stay; the place is free again the moment this commits."""
    found = access_placement_for_write(actor, placement_id)
    _lock_shelter(found.shelter_id)
    placement = Placement.objects.select_for_update().select_related("shelter").get(pk=found.pk)
    if placement.ended_on is not None:
        raise ConflictError(_("This placement already ended on %(date)s.")
                            % {"date": placement.ended_on.isoformat()}, field="ended_on")
    today = _today()
    ended = v.clean_date(ended_on, "ended_on", today=today, default=today)
    if ended < placement.started_on:
        raise ApplicationError(_("The end date lies before the start date (%(date)s).")
                               % {"date": placement.started_on.isoformat()}, field="ended_on")
    reason = v.clean_end_reason(end_reason)
    placement.ended_on = ended
    placement.end_reason = reason
    placement.ended_by = actor
    placement.save(update_fields=["ended_on", "end_reason", "ended_by"])
    audit_record(actor=actor, action="placement.end", obj=placement,
                 person_id=placement.person_id,
                 detail={"shelter": placement.shelter_id, "ended_on": ended.isoformat(),
                         "end_reason": placement.end_reason})
    return placement
