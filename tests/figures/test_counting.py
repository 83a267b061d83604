"""The counting rules, checked on hand-made cases and against an independent count."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tests.figures.conftest import random_registry
from zicht.demo.places import REGIONS
from zicht.figures import counting
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


def _export() -> dict[str, pd.DataFrame]:
    """The tables the figures read, exported as an analyst would get them: one frame each."""
    from zicht.linkage.models import ClusterMembership
    from zicht.pathway.models import CriminalCase, Deadline, RedressClaim, VictimStatusDecision
    from zicht.shelters.models import Placement

    def frame(queryset, *fields: str) -> pd.DataFrame:
        return pd.DataFrame.from_records(list(queryset.values(*fields)), columns=list(fields))

    export = {
        "signal": frame(Signal.objects, "id", "person_id", "reporting_organisation__kind",
                        "signalled_on", "forms", "sector", "age_group", "minor_at_signal",
                        "municipality", "scope", "duty_registration"),
        "person": frame(Person.objects, "id", "sex", "citizenships", "consent_registration"),
        "cluster": frame(ClusterMembership.objects, "person_id", "cluster_id"),
        "placement": frame(Placement.objects, "person_id", "started_on", "ended_on"),
        "deadline": frame(Deadline.objects, "person_id", "kind", "starts_on", "due_on",
                          "closed_on"),
        "aangifte": frame(CriminalCase.objects, "pathway__person_id", "aangifte_on"),
        "claim": frame(RedressClaim.objects, "person_id", "outcome", "filed_on", "decided_on"),
        "decision": frame(VictimStatusDecision.objects, "id", "pathway__person_id", "status",
                          "decided_on"),
    }
    for table in export.values():
        for column in table.columns:
            if column.endswith("_on"):
                table[column] = pd.to_datetime(table[column])
    return export


def _independent_units(export: dict[str, pd.DataFrame], start: dt.date, end: dt.date
                       ) -> pd.DataFrame:
    """The counting rules of docs/figures.md, done again in pandas: one row per unit."""
    first_day, last_day = pd.Timestamp(start), pd.Timestamp(end)
    cluster_of = dict(zip(export["cluster"].person_id, export["cluster"].cluster_id,
                          strict=True))

    def unit(person_id: int) -> str:
        return f"cluster {cluster_of[person_id]}" if person_id in cluster_of else \
            f"person {person_id}"

    signals = export["signal"].merge(export["person"], left_on="person_id", right_on="id",
                                     suffixes=("", "_person"))
    usable = signals[signals.signalled_on.between(first_day, last_day)
                     & ((signals.consent_registration == "given") | signals.duty_registration)]
    usable = usable.assign(unit=usable.person_id.map(unit))
    first = usable.sort_values(["unit", "signalled_on", "id"]).groupby("unit").head(1)
    region_of = {m.code: r.key for r in REGIONS for m in r.municipalities}
    eu = {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "EL", "HR",
          "HU", "IE", "IT", "LT", "LU", "LV", "MT", "PL", "PT", "RO", "SE", "SI", "SK"}

    def group(codes: list[str]) -> str:
        codes = [c.upper() for c in codes]
        return ("unknown" if not codes else "nl" if "NL" in codes
                else "eu" if set(codes) & eu else "non_eu")

    units = pd.DataFrame({
        "unit": first.unit,
        "form": first.forms.map(lambda forms: list(dict.fromkeys(forms)) or ["unknown"]),
        "sector": first.sector.replace("", "unknown"), "sex": first.sex,
        "minor": first.minor_at_signal.map({True: "minor", False: "adult"}),
        "age_group": first.age_group, "citizenship_group": first.citizenships.map(group),
        "citizenship": first.citizenships.map(lambda c: c[0].upper() if c else "unknown"),
        "organisation_kind": first.reporting_organisation__kind,
        "region": first.municipality.map(lambda m: region_of.get(m, "other")),
        "scope": first.scope,
    }).set_index("unit")

    def units_with(table: pd.DataFrame, person_column: str = "person_id") -> set[str]:
        return set(table[person_column].map(unit))

    decisions = export["decision"][export["decision"].decided_on <= last_day]
    latest = (decisions.assign(unit=decisions.pathway__person_id.map(unit))
              .sort_values(["decided_on", "id"]).groupby("unit").tail(1))
    units["victim_status"] = pd.Series(latest.status.values, index=latest.unit).reindex(
        units.index).fillna("possible")
    stays = export["placement"]
    placed = units_with(stays[(stays.started_on <= last_day)
                              & ~(stays.ended_on < first_day)])
    deadlines = export["deadline"]
    reflection = deadlines[deadlines.kind == "reflection_period"]
    runs_until = reflection.closed_on.fillna(reflection.due_on)
    reflected = units_with(reflection[(reflection.starts_on <= last_day)
                                      & ~(runs_until < first_day)])
    b8 = deadlines[deadlines.kind == "b8_permit"]
    permitted = units_with(b8[(b8.starts_on <= last_day) & ~(b8.closed_on < first_day)])
    cases = export["aangifte"]
    complained = units_with(cases[cases.aangifte_on.between(first_day, last_day)],
                            "pathway__person_id")
    claims = export["claim"]
    awarded = units_with(claims[claims.outcome.isin(["awarded", "partly_awarded", "settled"])
                                & claims.decided_on.between(first_day, last_day)])
    claimed = units_with(claims[(claims.filed_on <= last_day) & ~(claims.decided_on < first_day)])

    def yes_no(having: set[str], yes: str, no: str) -> list[str]:
        return [yes if u in having else no for u in units.index]

    units["shelter"] = yes_no(placed, "placed", "not_placed")
    units["reflection_period"] = yes_no(reflected, "granted", "not_granted")
    units["aangifte"] = yes_no(complained, "made", "not_made")
    units["b8_permit"] = yes_no(permitted, "granted", "not_granted")
    units["compensation"] = ["awarded" if u in awarded else "claimed" if u in claimed
                             else "none" for u in units.index]
    return units


def _expected(units: pd.DataFrame, dims: tuple[str, ...]) -> tuple[dict, dict, dict]:
    """Cells, and the row and column margins, by grouping the units (forms exploded)."""
    frame = units.reset_index().explode("form") if "form" in dims else units.reset_index()
    cells = frame.groupby(list(dims)).unit.nunique()
    cells = {(key,) if len(dims) == 1 else key: n for key, n in cells.items()}
    margins = [frame.groupby(dim).unit.nunique().to_dict() for dim in dims]
    return cells, margins[0], margins[-1]


def _published_counts(table) -> tuple[dict, dict, dict]:
    cells = {}
    for r, row_key in enumerate(table.row_keys):
        for c, col_key in enumerate(table.col_keys):
            if table.cells[r][c]:
                cells[(row_key,) if table.col_dim is None else (row_key, col_key)] = \
                    table.cells[r][c]
    rows = {k: n for k, n in zip(table.row_keys, table.row_totals, strict=True) if n}
    cols = {k: n for k, n in zip(table.col_keys, table.col_totals, strict=True) if n}
    return cells, rows, cols if table.col_dim else rows


@pytest.mark.parametrize("period", [Y2024, (dt.date(2023, 7, 1), dt.date(2024, 6, 30))])
def test_every_monitor_table_matches_pandas_over_an_export_cell_by_cell(registry, period):
    random_registry(registry, seed=7, persons=160)
    units = _independent_units(_export(), *period)
    tables = monitor_tables(counted_rows(start=period[0], end=period[1]))
    assert set(tables) == set(monitor_specs())
    assert len(units) > 50
    # Every outcome occurs, so that no dimension is checked on empty columns only.
    for dim in ("victim_status", "shelter", "reflection_period", "aangifte", "b8_permit",
                "compensation"):
        assert units[dim].nunique() == len(dict(counting.DIMENSIONS[dim].categories)), dim
    for dims, table in tables.items():
        assert _published_counts(table) == _expected(units, dims), dims
        assert table.total == len(units)


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
