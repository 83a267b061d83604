"""Matching is pure: a need and some offers in, reasons and an order out. No database."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from zicht.registry.codes import Form, Sex
from zicht.shelters import matching
from zicht.shelters.codes import SafetyLevel, SexServed, ShelterKind
from zicht.shelters.matching import FAIL, OK, WARN, Need, Offer

ADULT_WOMAN = Need(sex=Sex.FEMALE, age=29, forms=("sexual",), languages=("ro",),
                   municipality="GM0363")


def offer(**overrides) -> Offer:  # type: ignore[no-untyped-def]
    fields = {
        "shelter_id": 1, "name": "Opvang", "kind": ShelterKind.COSM,
        "sex_served": SexServed.ANY, "min_age": 18, "max_age": None, "forms": (),
        "languages": ("nl", "en", "ro"), "safety_level": SafetyLevel.NORMAL,
        "municipality": "GM0363", "capacity": 10, "occupied": 3,
    }
    fields.update(overrides)
    return Offer(**fields)


def verdict(need: Need, shelter: Offer, criterion: str) -> str:
    return matching.assess(need, shelter).reason(criterion).verdict


def test_an_adult_woman_fits_a_shelter_with_a_free_place():
    match = matching.assess(ADULT_WOMAN, offer())
    assert match.fits
    assert [r.verdict for r in match.reasons] == [OK] * len(matching.CRITERIA)


def test_every_criterion_gives_a_reason_in_a_fixed_order():
    match = matching.assess(ADULT_WOMAN, offer())
    assert tuple(r.criterion for r in match.reasons) == matching.CRITERIA
    assert all(r.message for r in match.reasons)


def test_a_full_shelter_does_not_fit_and_says_it_is_full():
    match = matching.assess(ADULT_WOMAN, offer(capacity=4, occupied=4))
    assert not match.fits
    assert match.reason(matching.CAPACITY).verdict == FAIL
    assert "all 4 places are taken" in match.reason(matching.CAPACITY).message


def test_a_minor_gets_child_specific_shelter_only():
    girl = replace(ADULT_WOMAN, age=15)
    assert verdict(girl, offer(kind=ShelterKind.WOMENS), matching.AGE) == FAIL
    youth = offer(kind=ShelterKind.YOUTH_CARE, min_age=12, max_age=17)
    assert verdict(girl, youth, matching.AGE) == OK


def test_a_person_of_uncertain_age_is_treated_as_a_minor():
    unknown_age = replace(ADULT_WOMAN, age=None)
    assert unknown_age.minor
    assert verdict(unknown_age, offer(kind=ShelterKind.GENERAL), matching.AGE) == FAIL
    assert "treated as a minor" in matching.assess(
        unknown_age, offer(kind=ShelterKind.GENERAL)).reason(matching.AGE).message
    youth = offer(kind=ShelterKind.YOUTH_CARE, min_age=12, max_age=17)
    assert verdict(unknown_age, youth, matching.AGE) == OK


def test_an_adult_does_not_fit_youth_care():
    youth = offer(kind=ShelterKind.YOUTH_CARE, min_age=12, max_age=17)
    assert verdict(ADULT_WOMAN, youth, matching.AGE) == FAIL


def test_an_age_outside_the_shelters_range_does_not_fit():
    child = replace(ADULT_WOMAN, age=10)
    assert verdict(child, offer(kind=ShelterKind.YOUTH_CARE, min_age=12, max_age=17),
                   matching.AGE) == FAIL
    older = replace(ADULT_WOMAN, age=70)
    assert verdict(older, offer(min_age=18, max_age=65), matching.AGE) == FAIL
    assert verdict(older, offer(min_age=18, max_age=None), matching.AGE) == OK


@pytest.mark.parametrize(("sex", "served", "expected"), [
    (Sex.FEMALE, SexServed.FEMALE, OK),
    (Sex.MALE, SexServed.FEMALE, FAIL),
    (Sex.MALE, SexServed.MALE, OK),
    (Sex.FEMALE, SexServed.MALE, FAIL),
    (Sex.UNKNOWN, SexServed.MALE, WARN),
    (Sex.OTHER, SexServed.FEMALE, WARN),
    (Sex.OTHER, SexServed.ANY, OK),
])
def test_sex_served_against_the_persons_sex(sex, served, expected):
    assert verdict(replace(ADULT_WOMAN, sex=sex), offer(sex_served=served), matching.SEX) == expected


def test_a_shelter_serving_none_of_the_persons_forms_does_not_fit():
    labour_only = offer(forms=("labour",))
    match = matching.assess(ADULT_WOMAN, labour_only)
    assert match.reason(matching.FORMS).verdict == FAIL
    assert "sexual exploitation" in match.reason(matching.FORMS).message


def test_a_shelter_serving_some_of_the_persons_forms_fits_with_a_doubt():
    both = replace(ADULT_WOMAN, forms=("sexual", "criminal"))
    assert verdict(both, offer(forms=("sexual",)), matching.FORMS) == WARN


def test_a_shelter_without_a_list_of_forms_serves_every_form():
    assert verdict(replace(ADULT_WOMAN, forms=("organs",)), offer(forms=()), matching.FORMS) == OK


def test_a_person_without_a_recorded_form_fits_with_a_doubt():
    assert verdict(replace(ADULT_WOMAN, forms=()), offer(forms=("labour",)), matching.FORMS) == WARN


def test_a_need_for_a_secret_address_rules_out_a_normal_shelter():
    hidden = replace(ADULT_WOMAN, safety=SafetyLevel.SECRET_ADDRESS)
    assert verdict(hidden, offer(safety_level=SafetyLevel.NORMAL), matching.SAFETY) == FAIL
    assert verdict(hidden, offer(safety_level=SafetyLevel.SECRET_ADDRESS), matching.SAFETY) == OK
    assert verdict(ADULT_WOMAN, offer(safety_level=SafetyLevel.SECRET_ADDRESS),
                   matching.SAFETY) == OK


def test_no_common_language_asks_for_an_interpreter_but_still_fits():
    match = matching.assess(replace(ADULT_WOMAN, languages=("ti",)), offer(languages=("nl",)))
    assert match.reason(matching.LANGUAGE).verdict == WARN
    assert "interpreter" in match.reason(matching.LANGUAGE).message
    assert match.fits


def test_distance_is_measured_from_the_municipality_of_the_signal():
    match = matching.assess(ADULT_WOMAN, offer(municipality="GM0599"))
    assert match.distance_km == pytest.approx(57, abs=3)
    assert "Amsterdam" in match.reason(matching.DISTANCE).message


def test_an_unknown_municipality_leaves_the_distance_open():
    match = matching.assess(replace(ADULT_WOMAN, municipality=None), offer())
    assert match.distance_km is None
    assert match.reason(matching.DISTANCE).verdict == WARN


def test_the_nearer_of_two_equal_shelters_ranks_first():
    far = offer(shelter_id=1, name="Far", municipality="GM0935")
    near = offer(shelter_id=2, name="Near", municipality="GM0392")
    ranked = matching.rank(ADULT_WOMAN, [far, near])
    assert [m.offer.name for m in ranked] == ["Near", "Far"]


def test_fitting_shelters_come_before_those_that_do_not():
    full_and_near = offer(shelter_id=1, name="Full", capacity=2, occupied=2)
    free_and_far = offer(shelter_id=2, name="Free", municipality="GM0935")
    ranked = matching.rank(ADULT_WOMAN, [full_and_near, free_and_far])
    assert [m.offer.name for m in ranked] == ["Free", "Full"]
    assert [m.fits for m in ranked] == [True, False]


def test_a_shelter_with_fewer_doubts_ranks_above_a_nearer_one():
    near_no_language = offer(shelter_id=1, name="Near", languages=("nl",))
    far_speaks_romanian = offer(shelter_id=2, name="Far", municipality="GM0014",
                                languages=("nl", "ro"))
    ranked = matching.rank(ADULT_WOMAN, [near_no_language, far_speaks_romanian])
    assert [m.offer.name for m in ranked] == ["Far", "Near"]


def test_reasons_are_translated():
    with translation.override("nl"):
        dutch = matching.assess(ADULT_WOMAN, offer()).reason(matching.CAPACITY).message
    english = matching.assess(ADULT_WOMAN, offer()).reason(matching.CAPACITY).message
    assert english == "7 of 10 places free."
    assert dutch != english


FORMS = [str(code) for code in Form.values]
needs = st.builds(
    Need,
    sex=st.sampled_from(Sex.values),
    age=st.none() | st.integers(min_value=0, max_value=90),
    forms=st.lists(st.sampled_from(FORMS), max_size=3, unique=True).map(tuple),
    languages=st.lists(st.sampled_from(["nl", "en", "ro", "ar", "ti"]), max_size=2,
                       unique=True).map(tuple),
    safety=st.sampled_from(SafetyLevel.values),
    municipality=st.sampled_from([None, "GM0363", "GM0599", "GM9999"]),
)


@st.composite
def offers(draw):  # type: ignore[no-untyped-def]
    kind = draw(st.sampled_from(ShelterKind.values))
    youth = kind == ShelterKind.YOUTH_CARE
    min_age = draw(st.integers(0, 17) if youth else st.integers(18, 30))
    max_age = draw(st.integers(min_age, 17)) if youth else draw(
        st.none() | st.integers(min_age, 99))
    capacity = draw(st.integers(0, 30))
    return offer(
        shelter_id=draw(st.integers(1, 100)), name=draw(st.sampled_from(["A", "B", "C"])),
        kind=kind, sex_served=draw(st.sampled_from(SexServed.values)), min_age=min_age,
        max_age=max_age,
        forms=tuple(draw(st.lists(st.sampled_from(FORMS), max_size=3, unique=True))),
        languages=tuple(draw(st.lists(st.sampled_from(["nl", "en", "ro"]), min_size=1,
                                      max_size=3, unique=True))),
        safety_level=draw(st.sampled_from(SafetyLevel.values)),
        municipality=draw(st.sampled_from(["GM0363", "GM0014", "GM0935", "GM9999"])),
        capacity=capacity, occupied=draw(st.integers(0, capacity)),
    )


@given(need=needs, shelters=st.lists(offers(), max_size=6))
def test_ranking_puts_every_fitting_shelter_first_and_keeps_every_shelter(need, shelters):
    with translation.override("en"):
        ranked = matching.rank(need, shelters)
    assert sorted(id(m.offer) for m in ranked) == sorted(id(s) for s in shelters)
    fits = [m.fits for m in ranked]
    assert fits == sorted(fits, reverse=True)


@given(need=needs, shelter=offers())
def test_a_minor_fits_only_youth_care_and_a_full_shelter_never_fits(need, shelter):
    with translation.override("en"):
        match = matching.assess(need, shelter)
    if need.minor and shelter.kind != ShelterKind.YOUTH_CARE:
        assert not match.fits
    if not need.minor and shelter.kind == ShelterKind.YOUTH_CARE:
        assert not match.fits
    if shelter.free == 0:
        assert not match.fits
    assert match.fits == all(r.verdict != FAIL for r in match.reasons)
