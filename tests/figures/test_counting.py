"""The counting rules, checked on hand-made cases and against an independent count."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from tests.figures.conftest import random_registry
from zicht.demo.places import REGIONS
from zicht.figures.counting import citizenship_group, counted_rows, year_bounds
from zicht.figures.tables import build_table, monitor_specs, monitor_tables
from zicht.organisations.models import OrganisationKind
from zicht.registry.models import Person, Signal

Y2024 = year_bounds(2024)


def test_a_person_with_three_signals_in_a_year_is_counted_once(registry):
    registry.person(signals=[{"on": dt.date(2024, 5, 1)}, {"on": dt.date(2024, 2, 1)},
                             {"on": dt.date(2024, 9, 1)}])
    assert len(counted_rows(start=Y2024[0], end=Y2024[1])) == 1


def test_the_first_signal_in_the_period_is_the_reference(registry):
    registry.person(signals=[
        {"on": dt.date(2023, 12, 1), "forms": ["criminal"]},
        {"on": dt.date(2024, 6, 1), "forms": ["labour"], "scope": "cross_border"},
        {"on": dt.date(2024, 3, 1), "forms": ["sexual"], "scope": "domestic"},
    ])
    rows = list(counted_rows(start=Y2024[0], end=Y2024[1]).rows())
    assert [(r["signalled_on"], r["form"], r["scope"]) for r in rows] == [
        (dt.date(2024, 3, 1), ("sexual",), "domestic")]


def test_a_person_without_consent_is_counted_only_by_a_duty_registration(registry):
    registry.person(consent="refused", signals=[{"on": dt.date(2024, 1, 5)}])
    registry.person(consent="withdrawn", signals=[
        {"on": dt.date(2024, 1, 5), "forms": ["sexual"]},
        {"on": dt.date(2024, 4, 5), "forms": ["labour"],
         "kind": OrganisationKind.LABOUR_INSPECTORATE}])
    rows = list(counted_rows(start=Y2024[0], end=Y2024[1]).rows())
    # Only the inspectorate's signal may be used: its date and form, not the NGO's.
    assert [(r["signalled_on"], r["form"]) for r in rows] == [(dt.date(2024, 4, 5), ("labour",))]


def test_a_person_with_two_forms_counts_under_both_but_once_in_the_total(registry):
    registry.person(signals=[{"on": dt.date(2024, 1, 5), "forms": ["sexual", "labour"]}])
    table = build_table(counted_rows(start=Y2024[0], end=Y2024[1]), ["form"])
    counts = dict(zip(table.row_keys, (c[0] for c in table.cells), strict=True))
    assert counts["sexual"] == counts["labour"] == 1
    assert table.total == 1


@pytest.mark.parametrize(("codes", "group"), [
    (["NL", "MA"], "nl"), (["RO"], "eu"), (["NG", "BG"], "eu"), (["NG"], "non_eu"), ([], "unknown"),
])
def test_citizenship_groups_put_dutch_first_then_eu(codes, group):
    assert citizenship_group(codes) == group


def _independent_rows(year: int) -> list[dict]:
    """The counting rules re-done with the ORM and plain Python, signal by signal."""
    region_of = {m.code: r.key for r in REGIONS for m in r.municipalities}
    out = []
    for person in Person.objects.prefetch_related("signals__reporting_organisation",
                                                  "placements"):
        usable = [s for s in person.signals.all() if s.signalled_on.year == year and (
            person.consent_registration == "given" or s.duty_registration)]
        if not usable:
            continue
        first = min(usable, key=lambda s: (s.signalled_on, s.pk))
        codes = [c.upper() for c in person.citizenships]
        group = ("unknown" if not codes else "nl" if "NL" in codes else "eu" if set(codes) & {
            "RO", "PL", "BG"} else "non_eu")
        out.append({
            "form": list(dict.fromkeys(first.forms)), "sector": first.sector or "unknown",
            "sex": person.sex, "minor": "minor" if first.minor_at_signal else "adult",
            "age_group": first.age_group, "citizenship_group": group,
            "citizenship": codes[0] if codes else "unknown",
            "organisation_kind": first.reporting_organisation.kind,
            "region": region_of.get(first.municipality, "other"), "scope": first.scope,
            "shelter": "placed" if any(
                p.started_on.year <= year and (p.ended_on is None or p.ended_on.year >= year)
                for p in person.placements.all()) else "not_placed",
        })
    return out


def _expected(rows: list[dict], dims: tuple[str, ...]) -> Counter:
    counts: Counter = Counter()
    for row in rows:
        values = [row[d] if d == "form" else [row[d]] for d in dims]
        if len(dims) == 1:
            for v in values[0]:
                counts[(v,)] += 1
        else:
            for a in values[0]:
                for b in values[1]:
                    counts[(a, b)] += 1
    return counts


def test_every_monitor_table_matches_an_independent_count_cell_by_cell(registry):
    random_registry(registry, seed=7, persons=150)
    expected_rows = _independent_rows(2024)
    tables = monitor_tables(counted_rows(start=Y2024[0], end=Y2024[1]))
    assert set(tables) == set(monitor_specs())
    assert len(expected_rows) > 50
    for dims, table in tables.items():
        expected = _expected(expected_rows, dims)
        got = Counter()
        for r, row_key in enumerate(table.row_keys):
            for c, col_key in enumerate(table.col_keys):
                if table.cells[r][c]:
                    got[(row_key,) if len(dims) == 1 else (row_key, col_key)] = table.cells[r][c]
        assert got == expected, dims
        assert table.total == len(expected_rows)


def test_two_registrations_linked_as_one_person_are_counted_once(registry):
    from django.apps import apps

    if not apps.is_installed("zicht.linkage"):
        pytest.skip("duplicate detection is not installed")
    membership = apps.get_model("linkage", "ClusterMembership")
    first = registry.person(signals=[{"on": dt.date(2024, 5, 1), "forms": ["labour"]}])
    second = registry.person(signals=[{"on": dt.date(2024, 2, 1), "forms": ["sexual"]}])
    registry.person(signals=[{"on": dt.date(2024, 3, 1)}])
    membership.objects.create(person=first, cluster_id=7)
    membership.objects.create(person=second, cluster_id=7)
    rows = list(counted_rows(start=Y2024[0], end=Y2024[1]).rows())
    assert len(rows) == 2
    assert ("sexual",) in [r["form"] for r in rows] and ("labour",) not in [r["form"] for r in rows]


def test_a_shelter_stay_overlapping_the_year_counts_as_placed(registry):
    inside = registry.person(signals=[{"on": dt.date(2024, 5, 1)}])
    before = registry.person(signals=[{"on": dt.date(2024, 5, 1)}])
    registry.place(inside, started_on=dt.date(2023, 11, 1))
    registry.place(before, started_on=dt.date(2023, 1, 1), ended_on=dt.date(2023, 12, 31))
    person_of = dict(Signal.objects.values_list("pk", "person_id"))
    rows = {person_of[r["signal_id"]]: r["shelter"]
            for r in counted_rows(start=Y2024[0], end=Y2024[1]).rows()}
    assert rows == {inside.pk: "placed", before.pk: "not_placed"}
