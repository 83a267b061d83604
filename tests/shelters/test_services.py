from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.factories import UserFactory
from tests.shelters.conftest import make_shelter, person_in_need
from zicht.audit.models import AuditEvent
from zicht.core.exceptions import ApplicationError, ConflictError
from zicht.organisations.models import Role
from zicht.shelters import selectors, services
from zicht.shelters.codes import EndReason, SafetyLevel, ShelterKind
from zicht.shelters.models import Placement, Shelter


def occupied(shelter: Shelter) -> int:
    return Shelter.objects.with_occupancy().get(pk=shelter.pk).occupied


def test_placing_takes_a_place_and_ending_frees_it(caseworker, maria, cosm):
    placement = services.placement_create(actor=caseworker, person_id=maria.pk,
                                          shelter_id=cosm.pk)
    assert placement.is_active and placement.started_on == timezone.localdate()
    assert occupied(cosm) == 1
    services.placement_end(actor=caseworker, placement_id=placement.pk,
                           end_reason=EndReason.MOVED_ON)
    assert occupied(cosm) == 0


def test_a_placement_in_a_full_shelter_is_refused_and_changes_nothing(caseworker, cosm):
    for _ in range(cosm.capacity):
        services.placement_create(actor=caseworker, person_id=person_in_need(caseworker).pk,
                                  shelter_id=cosm.pk)
    late = person_in_need(caseworker)
    events = AuditEvent.objects.count()
    with pytest.raises(ConflictError) as refused:
        services.placement_create(actor=caseworker, person_id=late.pk, shelter_id=cosm.pk)
    assert refused.value.field == "shelter"
    assert "No free place in COSM Test" in refused.value.message
    assert occupied(cosm) == cosm.capacity
    assert not late.placements.exists()
    assert AuditEvent.objects.count() == events


def test_a_minor_cannot_be_placed_in_an_adult_shelter(caseworker, cosm):
    girl = person_in_need(caseworker, birth_date=str(timezone.localdate().year - 15))
    with pytest.raises(ApplicationError) as refused:
        services.placement_create(actor=caseworker, person_id=girl.pk, shelter_id=cosm.pk)
    assert refused.value.field == "shelter"
    assert "child-specific shelter only" in refused.value.message
    assert not Placement.objects.exists()


def test_a_person_of_uncertain_age_goes_to_youth_care(caseworker, youth_shelter):
    unknown_age = person_in_need(caseworker, birth_date="")
    placement = services.placement_create(actor=caseworker, person_id=unknown_age.pk,
                                          shelter_id=youth_shelter.pk)
    assert placement.shelter == youth_shelter


def test_a_man_cannot_be_placed_in_a_shelter_for_women(caseworker, cosm):
    man = person_in_need(caseworker, sex="male", given_names="Andrei")
    with pytest.raises(ApplicationError) as refused:
        services.placement_create(actor=caseworker, person_id=man.pk, shelter_id=cosm.pk)
    assert refused.value.field == "shelter"


def test_a_person_sleeps_in_one_shelter_at_a_time(caseworker, maria, cosm, shelter_org):
    other = make_shelter(shelter_org, name="Opvang Twee")
    services.placement_create(actor=caseworker, person_id=maria.pk, shelter_id=cosm.pk)
    with pytest.raises(ConflictError) as refused:
        services.placement_create(actor=caseworker, person_id=maria.pk, shelter_id=other.pk)
    assert refused.value.field == "person"


def test_the_database_itself_refuses_two_active_placements_for_one_person(
        caseworker, maria, cosm):
    services.placement_create(actor=caseworker, person_id=maria.pk, shelter_id=cosm.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.create(shelter=cosm, person=maria, started_on=timezone.localdate(),
                                 placing_organisation=caseworker.organisation)


def test_the_database_itself_refuses_a_negative_capacity(shelter_org):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_shelter(shelter_org, capacity=-1)


def test_a_placement_cannot_start_in_the_future(caseworker, maria, cosm):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ApplicationError) as refused:
        services.placement_create(actor=caseworker, person_id=maria.pk, shelter_id=cosm.pk,
                                  started_on=tomorrow)
    assert refused.value.field == "started_on"


def test_a_new_placement_cannot_start_before_the_previous_one_ended(caseworker, maria, cosm):
    today = timezone.localdate()
    first = services.placement_create(actor=caseworker, person_id=maria.pk, shelter_id=cosm.pk,
                                      started_on=today - timedelta(days=30))
    services.placement_end(actor=caseworker, placement_id=first.pk, end_reason="transferred",
                           ended_on=today - timedelta(days=10))
    with pytest.raises(ApplicationError) as refused:
        services.placement_create(actor=caseworker, person_id=maria.pk, shelter_id=cosm.pk,
                                  started_on=today - timedelta(days=20))
    assert refused.value.field == "started_on"


def test_a_placement_cannot_end_before_it_started(caseworker, maria, cosm):
    placement = services.placement_create(actor=caseworker, person_id=maria.pk,
                                          shelter_id=cosm.pk)
    with pytest.raises(ApplicationError) as refused:
        services.placement_end(actor=caseworker, placement_id=placement.pk, end_reason="left",
                               ended_on=placement.started_on - timedelta(days=1))
    assert refused.value.field == "ended_on"
    placement.refresh_from_db()
    assert placement.is_active


def test_a_placement_ends_once(caseworker, maria, cosm):
    placement = services.placement_create(actor=caseworker, person_id=maria.pk,
                                          shelter_id=cosm.pk)
    services.placement_end(actor=caseworker, placement_id=placement.pk, end_reason="left")
    with pytest.raises(ConflictError) as refused:
        services.placement_end(actor=caseworker, placement_id=placement.pk, end_reason="left")
    assert refused.value.field == "ended_on"


def test_ending_needs_a_known_reason(caseworker, maria, cosm):
    placement = services.placement_create(actor=caseworker, person_id=maria.pk,
                                          shelter_id=cosm.pk)
    for reason in ("", "bored"):
        with pytest.raises(ApplicationError) as refused:
            services.placement_end(actor=caseworker, placement_id=placement.pk,
                                   end_reason=reason)
        assert refused.value.field == "end_reason"


def test_placing_and_ending_are_audited_with_the_person(caseworker, maria, cosm):
    placement = services.placement_create(actor=caseworker, person_id=maria.pk,
                                          shelter_id=cosm.pk,
                                          safety_need=SafetyLevel.NORMAL)
    services.placement_end(actor=caseworker, placement_id=placement.pk, end_reason="moved_on")
    events = list(AuditEvent.objects.filter(object_type="shelters.placement").order_by("seq"))
    assert [(e.action, e.person_id, e.object_id) for e in events] == [
        ("placement.create", maria.pk, placement.pk), ("placement.end", maria.pk, placement.pk)]
    assert events[0].actor_id == caseworker.pk


def test_reading_matches_is_an_audited_read_of_the_person(caseworker, maria, cosm):
    result = selectors.shelter_matches(actor=caseworker, person_id=maria.pk)
    assert [m.offer.shelter_id for m in result.matches] == [cosm.pk]
    assert AuditEvent.objects.filter(action="shelter.match", person_id=maria.pk).count() == 1


def test_matching_uses_the_forms_and_the_municipality_of_the_persons_signals(caseworker):
    person = person_in_need(caseworker, municipality="GM0014", forms=["labour"])
    need = selectors.shelter_matches(actor=caseworker, person_id=person.pk).need
    assert need.forms == ("labour",) and need.municipality == "GM0014"
    assert need.languages == ("ro",) and need.age is not None and not need.minor


def test_a_shelter_organisation_publishes_a_shelter_with_defaults_from_its_kind(
        shelter_worker):
    shelter = services.shelter_create(actor=shelter_worker, name="OMM Noord",
                                      kind=ShelterKind.OMM, languages=["nl", "PL"],
                                      municipality="gm0014", capacity=12)
    assert (shelter.sex_served, shelter.min_age, shelter.max_age) == ("male", 18, None)
    assert shelter.languages == ["nl", "pl"] and shelter.municipality == "GM0014"
    assert AuditEvent.objects.filter(action="shelter.create", object_id=shelter.pk).exists()


def test_youth_care_defaults_to_minors_only(youth_org):
    worker = UserFactory(organisation=youth_org, role=Role.ADMIN)
    shelter = services.shelter_create(actor=worker, name="BO", kind=ShelterKind.YOUTH_CARE,
                                      languages=["nl"], municipality="GM0014", capacity=4)
    assert (shelter.min_age, shelter.max_age) == (0, 17)


BAD_SHELTERS = [
    ({"capacity": -1}, "capacity"),
    ({"capacity": "many"}, "capacity"),
    ({"capacity": None}, "capacity"),
    ({"min_age": 30, "max_age": 25}, "min_age"),
    ({"min_age": 16}, "min_age"),
    ({"forms": ["pickpocketing"]}, "forms"),
    ({"languages": ["xx"]}, "languages"),
    ({"languages": []}, "languages"),
    ({"municipality": "Amsterdam"}, "municipality"),
    ({"kind": "hotel"}, "kind"),
    ({"kind": "omm", "sex_served": "female"}, "sex_served"),
    ({"kind": "youth_care", "max_age": 21}, "max_age"),
    ({"safety_level": "bunker"}, "safety_level"),
    ({"name": " "}, "name"),
    ({"colour": "blue"}, "colour"),
]


@pytest.mark.parametrize(("changes", "field"), BAD_SHELTERS)
def test_bad_shelter_input_names_the_field_and_creates_nothing(shelter_worker, changes, field):
    values = {"name": "Opvang Zuid", "kind": ShelterKind.GENERAL, "languages": ["nl"],
              "municipality": "GM0772", "capacity": 10, **changes}
    with pytest.raises(ApplicationError) as refused:
        services.shelter_create(actor=shelter_worker, **values)
    assert refused.value.field == field
    assert not Shelter.objects.exists()


def test_the_capacity_cannot_go_below_the_places_taken(caseworker, shelter_worker, cosm):
    for _ in range(2):
        services.placement_create(actor=caseworker, person_id=person_in_need(caseworker).pk,
                                  shelter_id=cosm.pk)
    with pytest.raises(ApplicationError) as refused:
        services.shelter_update(actor=shelter_worker, shelter_id=cosm.pk,
                                changes={"capacity": 1})
    assert refused.value.field == "capacity"
    assert "2 places taken" in refused.value.message
    cosm.refresh_from_db()
    assert cosm.capacity == 3
    services.shelter_update(actor=shelter_worker, shelter_id=cosm.pk, changes={"capacity": 2})
    cosm.refresh_from_db()
    assert cosm.capacity == 2


def test_the_kind_cannot_change_while_persons_are_placed(caseworker, shelter_worker, maria,
                                                         cosm):
    services.placement_create(actor=caseworker, person_id=maria.pk, shelter_id=cosm.pk)
    with pytest.raises(ApplicationError) as refused:
        services.shelter_update(actor=shelter_worker, shelter_id=cosm.pk,
                                changes={"kind": ShelterKind.GENERAL})
    assert refused.value.field == "kind"


def test_a_capacity_change_is_audited_with_old_and_new(shelter_worker, cosm):
    services.shelter_update(actor=shelter_worker, shelter_id=cosm.pk, changes={"capacity": 8})
    event = AuditEvent.objects.get(action="shelter.update")
    assert event.detail == {"fields": ["capacity"], "capacity": [3, 8]}
