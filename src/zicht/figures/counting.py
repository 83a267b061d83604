"""The counting rules (docs/figures.md), applied in one place.

1. The unit of counting is a person (`counting_unit`): counted once per period,
   however many signals they have in it.
2. The reference signal is the person's first signal in the period (earliest
   date, then the first recorded); its date, form(s), sector, age group,
   municipality, scope and reporting organisation are the ones counted.
3. A person is counted only where the law allows: with registration consent
   given, or by a signal that an organisation with a duty to register made
   (then only such signals are used). Without either, the person is not counted.

Everything after the one SQL query is plain Python over the counted rows, so the
same rows feed every table, the exports and the independent tests.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.apps import apps
from django.db import connection
from django.utils.translation import gettext_lazy as _

from zicht.demo.places import REGIONS
from zicht.organisations.models import OrganisationKind
from zicht.registry.codes import AgeGroup, ConsentState, Form, Scope, Sector, Sex

UNKNOWN = "unknown"
NL = "NL"
# EU member states other than the Netherlands (ISO 3166-1 alpha-2; Eurostat uses EL for GR).
OTHER_EU = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "EL", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "PL", "PT", "RO", "SE", "SI", "SK",
})
REGION_OF_MUNICIPALITY = {m.code: region.key for region in REGIONS for m in region.municipalities}
OTHER_REGION = "other"


def counting_unit() -> tuple[str, str]:
    """The SQL expression whose distinct values are counted, and the join it needs.

    The person as registered; where duplicate detection (zicht.linkage) has put
    registrations in one cluster, the cluster. Person ids are negated so that
    they never meet a cluster id.
    """
    if apps.is_installed("zicht.linkage"):
        membership = apps.get_model("linkage", "ClusterMembership")._meta.db_table
        return ("COALESCE(cm.cluster_id, -s.person_id)",
                f"LEFT JOIN {membership} cm ON cm.person_id = s.person_id")
    return "s.person_id", ""


def citizenship_group(citizenships: list[str]) -> str:
    """Eurostat's grouping: national first, then other EU, then non-EU."""
    codes = {str(c).upper() for c in citizenships or []}
    if not codes:
        return UNKNOWN
    if NL in codes:
        return "nl"
    if codes & OTHER_EU:
        return "eu"
    return "non_eu"


@dataclass(frozen=True)
class Dimension:
    key: str
    label: Any
    categories: tuple[tuple[str, Any], ...] = ()
    # Categories not listed (countries, sectors) are shown when they occur, sorted.
    open_ended: bool = False
    multi_valued: bool = False

    def label_of(self, category: str) -> str:
        return str(dict(self.categories).get(category, category))


def _choices(choices: Any, *, unknown: bool = True) -> tuple[tuple[str, Any], ...]:
    pairs = [(str(value), label) for value, label in choices]
    if unknown and UNKNOWN not in {v for v, _ in pairs}:
        pairs.append((UNKNOWN, _("Unknown")))
    return tuple(pairs)


DIMENSIONS: dict[str, Dimension] = {d.key: d for d in (
    Dimension("form", _("Form of exploitation"), _choices(Form.choices, unknown=False),
              multi_valued=True),
    Dimension("sector", _("Sector (ISIC)"), _choices(Sector.choices)),
    Dimension("sex", _("Sex"), _choices(Sex.choices)),
    Dimension("minor", _("Minor or adult"), (("minor", _("Minor")), ("adult", _("Adult")))),
    Dimension("age_group", _("Age group"), _choices(AgeGroup.choices)),
    Dimension("citizenship_group", _("Citizenship"), (
        ("nl", _("Dutch")), ("eu", _("Other EU")), ("non_eu", _("Non-EU")),
        (UNKNOWN, _("Unknown")))),
    Dimension("citizenship", _("Country of citizenship"), open_ended=True),
    Dimension("organisation_kind", _("Reporting organisation"),
              _choices(OrganisationKind.choices, unknown=False)),
    Dimension("region", _("Region"), tuple(
        [(r.key, r.name) for r in REGIONS] + [(OTHER_REGION, _("Other or unknown"))])),
    Dimension("scope", _("Domestic or cross-border"), _choices(Scope.choices)),
    Dimension("shelter", _("Shelter placement"), (
        ("placed", _("Placed in a shelter")), ("not_placed", _("No shelter placement")))),
)}


@dataclass
class CountedRows:
    """One row per counted unit (its reference signal), column-wise."""

    start: date
    end: date
    unit: list[int] = field(default_factory=list)
    signal_id: list[int] = field(default_factory=list)
    signalled_on: list[date] = field(default_factory=list)
    forms: list[tuple[str, ...]] = field(default_factory=list)
    columns: dict[str, list[str]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.unit)

    def values(self, key: str) -> list[str]:
        return self.columns[key]

    def rows(self) -> Iterator[dict[str, Any]]:
        """Row-wise view, for exports and tests."""
        keys = list(self.columns)
        for i, unit in enumerate(self.unit):
            row: dict[str, Any] = {"unit": unit, "signal_id": self.signal_id[i],
                                   "signalled_on": self.signalled_on[i],
                                   "form": self.forms[i]}
            row.update({key: self.columns[key][i] for key in keys})
            yield row


# The window runs over narrow rows (unit, date, id) only; the winners' columns are
# joined afterwards. Sorting a million wide rows is what made this slow.
REFERENCE_SQL = """
SELECT ranked.unit, s.id, s.signalled_on, s.forms, s.sector, s.age_group, s.minor_at_signal,
       s.municipality, s.scope, o.kind, p.sex, p.citizenships, {placed} AS placed
FROM (
    SELECT {unit} AS unit, s.id AS signal_id,
           ROW_NUMBER() OVER (PARTITION BY {unit} ORDER BY s.signalled_on, s.id) AS rn
    FROM registry_signal s
    JOIN registry_person p ON p.id = s.person_id
    {join}
    WHERE s.signalled_on >= %s AND s.signalled_on <= %s
      AND (p.consent_registration = %s OR s.duty_registration = %s)
) ranked
JOIN registry_signal s ON s.id = ranked.signal_id
JOIN registry_person p ON p.id = s.person_id
JOIN organisations_organisation o ON o.id = s.reporting_organisation_id
WHERE ranked.rn = 1
"""


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = json.loads(value)
    return [str(v) for v in value]


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def counted_rows(*, start: date, end: date) -> CountedRows:
    """The reference signal of every unit counted in [start, end], by the rules above."""
    result = CountedRows(start=start, end=end)
    cols: dict[str, list[str]] = {key: [] for key in DIMENSIONS if key != "form"}
    unit, join = counting_unit()
    placed, placed_params = _placement_sql(start, end)
    sql = REFERENCE_SQL.format(unit=unit, join=join, placed=placed)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*placed_params, start, end, ConsentState.GIVEN, True])
        while batch := cursor.fetchmany(20_000):
            for (unit, signal_id, signalled_on, forms, sector, age_group, minor, municipality, scope,
                 kind, sex, citizenships, placed) in batch:
                result.unit.append(unit)
                result.signal_id.append(signal_id)
                result.signalled_on.append(_as_date(signalled_on))
                # A form listed twice on one signal still counts once.
                result.forms.append(tuple(dict.fromkeys(_as_list(forms))) or (UNKNOWN,))
                codes = _as_list(citizenships)
                cols["sector"].append(sector or UNKNOWN)
                cols["sex"].append(sex or UNKNOWN)
                cols["minor"].append("minor" if minor else "adult")
                cols["age_group"].append(age_group or UNKNOWN)
                cols["citizenship_group"].append(citizenship_group(codes))
                cols["citizenship"].append(codes[0].upper() if codes else UNKNOWN)
                cols["organisation_kind"].append(kind)
                cols["region"].append(REGION_OF_MUNICIPALITY.get(municipality, OTHER_REGION))
                cols["scope"].append(scope or UNKNOWN)
                cols["shelter"].append("placed" if placed else "not_placed")
    result.columns = cols
    return result


def _placement_sql(start: date, end: date) -> tuple[str, list[Any]]:
    """Whether the reference person stayed in a shelter at any time in the period.

    From zicht.shelters' placements; without that app, nobody counts as placed.
    """
    if not apps.is_installed("zicht.shelters"):
        return "0", []
    table = apps.get_model("shelters", "Placement")._meta.db_table
    # Only the model's own table name is formatted in; the dates are parameters.
    return (f"CASE WHEN EXISTS (SELECT 1 FROM {table} pl WHERE pl.person_id = s.person_id "  # noqa: S608
            "AND pl.started_on <= %s AND (pl.ended_on IS NULL OR pl.ended_on >= %s)) "
            "THEN 1 ELSE 0 END", [end, start])


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def signals_by_form(*, start: date, end: date) -> dict[str, int]:
    """Signals in the period per form, under the same consent rule (step one of the funnel)."""
    if connection.vendor == "postgresql":
        each = "jsonb_array_elements_text(s.forms) AS f(value)"
    else:
        each = "json_each(s.forms) AS f"
    sql = f"""
        SELECT f.value, COUNT(DISTINCT s.id)
        FROM registry_signal s
        JOIN registry_person p ON p.id = s.person_id
        CROSS JOIN {each}
        WHERE s.signalled_on >= %s AND s.signalled_on <= %s
          AND (p.consent_registration = %s OR s.duty_registration = %s)
        GROUP BY f.value
    """  # noqa: S608 - only the vendor's function name is formatted in
    with connection.cursor() as cursor:
        cursor.execute(sql, [start, end, ConsentState.GIVEN, True])
        return {str(form): count for form, count in cursor.fetchall()}
