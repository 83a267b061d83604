"""The demo plan: drawn from the seed alone, plausible in every detail. No database needed."""

from __future__ import annotations

import unicodedata
from collections import Counter
from datetime import date

import pytest

from zicht.core.crypto import normalise_name
from zicht.demo import distributions
from zicht.demo.catalogue import DEMO_LOGINS, ORGANISATIONS
from zicht.demo.generator import build_plan
from zicht.demo.names import transliterate
from zicht.demo.places import MUNICIPALITY_NAMES, REGIONS
from zicht.organisations.models import MUNICIPALITY_CODE
from zicht.registry.countries import COUNTRIES, LANGUAGES

TODAY = date(2026, 6, 30)


@pytest.fixture(scope="module")
def plan():  # type: ignore[no-untyped-def]
    return build_plan(seed=1, persons=2000, today=TODAY)


def test_the_same_seed_draws_the_same_plan(plan):  # type: ignore[no-untyped-def]
    assert build_plan(seed=1, persons=2000, today=TODAY) == plan


def test_another_seed_draws_other_persons(plan):  # type: ignore[no-untyped-def]
    other = build_plan(seed=2, persons=50, today=TODAY)
    assert [p.identity for p in other] != [p.identity for p in plan[:50]]


def test_no_two_persons_share_name_and_birth_date(plan):  # type: ignore[no-untyped-def]
    keys = [
        (
            normalise_name(p.identity["given_names"]),
            normalise_name(p.identity["family_name"]),
            p.identity["birth_date"],
        )
        for p in plan
    ]
    assert len(set(keys)) == len(keys)


def _latin(text: str) -> bool:
    return all(not c.isalpha() or "LATIN" in unicodedata.name(c) for c in text)


def test_names_are_written_in_latin_script(plan):  # type: ignore[no-untyped-def]
    names = [p.identity["given_names"] + " " + p.identity["family_name"] for p in plan]
    assert all(_latin(name) for name in names), [n for n in names if not _latin(n)][:5]


def test_names_come_from_the_citizenship(plan):  # type: ignore[no-untyped-def]
    polish = [p.identity["family_name"] for p in plan if p.citizenships == ["PL"]]
    assert any(set(name) & set("ąćęłńóśźż") or name.endswith(("ska", "ski")) for name in polish)
    eritrean = {p.identity["family_name"] for p in plan if p.citizenships == ["ER"]}
    assert eritrean and eritrean <= {
        "Tesfamariam",
        "Gebremedhin",
        "Haile",
        "Kidane",
        "Tekle",
        "Weldemichael",
        "Asmerom",
        "Berhe",
        "Ghebreyesus",
        "Mehari",
        "Negash",
        "Yohannes",
    }


def test_codes_are_ones_the_registry_accepts(plan):  # type: ignore[no-untyped-def]
    for person in plan:
        assert set(person.citizenships) <= COUNTRIES
        assert set(person.languages) <= LANGUAGES
        for signal in person.signals:
            assert signal.fields["municipality"] in MUNICIPALITY_NAMES


def test_languages_match_the_citizenship(plan):  # type: ignore[no-untyped-def]
    for person in plan:
        if person.citizenships == ["NL"]:
            assert person.languages == ["nl"]
        if person.citizenships == ["RO"]:
            assert person.languages[0] == "ro"


def test_signals_lie_between_2021_and_today_in_order(plan):  # type: ignore[no-untyped-def]
    for person in plan:
        days = [s.fields["signalled_on"] for s in person.signals]
        assert days == sorted(days)
        assert date(2021, 1, 1) <= days[0] and days[-1] <= TODAY
        for signal in person.signals:
            started = signal.fields["exploitation_started_on"]
            ended = signal.fields["exploitation_ended_on"]
            assert started is None or started <= signal.fields["signalled_on"]
            assert ended is None or started <= ended
    years = Counter(p.signals[0].fields["signalled_on"].year for p in plan)
    assert set(years) == set(range(2021, 2027))
    assert years[2025] > years[2021]


def test_each_signal_names_one_to_four_indicators(plan):  # type: ignore[no-untyped-def]
    sizes = Counter(len(s.fields["indicators"]) for p in plan for s in p.signals)
    assert set(sizes) == {1, 2, 3, 4}


def test_labour_signals_have_a_sector_and_others_none(plan):  # type: ignore[no-untyped-def]
    for signal in (s for p in plan for s in p.signals):
        if signal.fields["sector"]:
            assert signal.fields["forms"][0] == "labour"
    sectors = {s.fields["sector"] for p in plan for s in p.signals} - {""}
    assert sectors == set(distributions.SECTOR)


def test_most_persons_have_one_signal_from_different_organisations(plan):  # type: ignore[no-untyped-def]
    sizes = Counter(len(p.signals) for p in plan)
    assert set(sizes) == {1, 2, 3}
    assert sizes[1] / len(plan) > 0.65
    for person in plan:
        organisations = [s.organisation for s in person.signals]
        assert len(set(organisations)) == len(organisations)


def test_a_minor_may_have_only_a_birth_year_or_none(plan):  # type: ignore[no-untyped-def]
    births = Counter(len(p.identity["birth_date"]) for p in plan)
    assert births[0] and births[4] and births[10]


def test_narratives_are_short_and_name_no_one(plan):  # type: ignore[no-untyped-def]
    for person in plan[:300]:
        for signal in person.signals:
            text = signal.fields["narrative"]
            assert 20 < len(text) < 300
            assert person.identity["family_name"] not in text


def test_every_organisation_sits_in_a_known_municipality():  # type: ignore[no-untyped-def]
    for spec in ORGANISATIONS:
        assert MUNICIPALITY_CODE.match(spec.municipality)
        assert spec.municipality in MUNICIPALITY_NAMES, spec
    assert len({spec.name for spec in ORGANISATIONS}) == len(ORGANISATIONS)
    assert {login.organisation for login in DEMO_LOGINS} <= {s.name for s in ORGANISATIONS}


@pytest.mark.parametrize(
    "code, name",
    [
        ("GM0363", "Amsterdam"),
        ("GM0599", "Rotterdam"),
        ("GM0518", "'s-Gravenhage"),
        ("GM0344", "Utrecht"),
        ("GM0772", "Eindhoven"),
        ("GM0014", "Groningen"),
        ("GM0855", "Tilburg"),
        ("GM0034", "Almere"),
        ("GM0758", "Breda"),
        ("GM0268", "Nijmegen"),
        ("GM0193", "Zwolle"),
        ("GM0153", "Enschede"),
    ],
)
def test_big_cities_carry_their_cbs_code(code, name):  # type: ignore[no-untyped-def]
    assert MUNICIPALITY_NAMES[code] == name


def test_there_are_ten_police_regions_with_distinct_municipalities():  # type: ignore[no-untyped-def]
    codes = [m.code for region in REGIONS for m in region.municipalities]
    assert len(REGIONS) == 10
    assert len(set(codes)) == len(codes)


@pytest.mark.parametrize(
    "cyrillic, locale, latin",
    [
        ("Гузій", "uk_UA", "Huzii"),
        ("Юлія Щербак", "uk_UA", "Yuliia Shcherbak"),
        ("Євген", "uk_UA", "Yevhen"),
        ("Щерев", "bg_BG", "Shterev"),
        ("Цветелина Йорданова", "bg_BG", "Tsvetelina Yordanova"),
        ("Ivan", "pl_PL", "Ivan"),
    ],
)
def test_cyrillic_names_are_transliterated(cyrillic, locale, latin):  # type: ignore[no-untyped-def]
    assert transliterate(cyrillic, locale) == latin
