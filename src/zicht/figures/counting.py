"""The counting rules (docs/figures.md), applied in one place.

1. The unit of counting is a person (`counting_unit`): counted once per period,
   however many signals they have in it.
2. The reference signal is the person's first signal in the period (earliest
   date, then the first recorded); its date, form(s), sector, age group,
   municipality, scope and reporting organisation are the ones counted.
3. A person is counted only where the law allows: with registration consent
   given, or by a signal that an organisation with a duty to register made
   (then only such signals are used). Without either, the person is not counted.
4. Pathway outcomes (victim status, shelter, reflection period, aangifte, B8
   permit, compensation) belong to the unit, from any of its registrations, and
   are dated: only what the pathway held in the period counts (`OUTCOME_RULES`).

One query fetches the reference row of every unit in the period; a few small
queries fetch the units with each pathway outcome. Everything after that is
numpy over integer codes, so the same compact columns feed every table, the
exports and the independent tests.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
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


def counting_unit(person_id: str = "s.person_id") -> tuple[str, str]:
    """The SQL expression whose distinct values are counted, and the join it needs.

    The person as registered; where duplicate detection (zicht.linkage) has put
    registrations in one cluster, the cluster. Person ids are negated so that
    they never meet a cluster id.
    """
    if apps.is_installed("zicht.linkage"):
        membership = apps.get_model("linkage", "ClusterMembership")._meta.db_table
        return (f"COALESCE(cm.cluster_id, -{person_id})",
                f"LEFT JOIN {membership} cm ON cm.person_id = {person_id}")
    return person_id, ""


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


# Victim status as decided in the pathway (HTCDS Possible / Actual / Not).
POSSIBLE, IDENTIFIED, NOT_VICTIM = "possible", "identified", "not_victim"

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
    # Pathway outcomes (rule 4).
    Dimension("victim_status", _("Victim status"), (
        (POSSIBLE, _("Possible victim")), (IDENTIFIED, _("Identified victim")),
        (NOT_VICTIM, _("Not a victim")))),
    Dimension("shelter", _("Shelter placement"), (
        ("placed", _("Placed in a shelter")), ("not_placed", _("No shelter placement")))),
    Dimension("reflection_period", _("Reflection period"), (
        ("granted", _("Reflection period granted")),
        ("not_granted", _("No reflection period")))),
    Dimension("aangifte", _("Aangifte (criminal complaint)"), (
        ("made", _("Aangifte made")), ("not_made", _("No aangifte")))),
    Dimension("b8_permit", _("B8 residence permit"), (
        ("granted", _("B8 permit granted")), ("not_granted", _("No B8 permit")))),
    Dimension("compensation", _("Compensation"), (
        ("awarded", _("Compensation awarded")),
        ("claimed", _("Claimed, not (yet) awarded")), ("none", _("No claim")))),
)}

# The columns of the reference row, in the order of REFERENCE_COLUMNS below.
RAW = ("unit", "signal_id", "signalled_on", "forms", "sector", "age_group", "minor",
       "municipality", "scope", "kind", "sex", "citizenships")

# The window runs over narrow rows (unit, date, id) only; the winners' columns are
# joined afterwards. Sorting a million wide rows is what made this slow. JSON
# columns and the date come back as text on every database, so that equal values
# can be grouped before they are parsed, and a million dates are not parsed at all.
# {period} is the period test on the signal's date (see `_period_sql`).
REFERENCE_SQL = """
SELECT ranked.unit, s.id, CAST(s.signalled_on AS TEXT), CAST(s.forms AS TEXT), s.sector,
       s.age_group,
       s.minor_at_signal, s.municipality, s.scope, o.kind, p.sex, CAST(p.citizenships AS TEXT)
FROM (
    SELECT {unit} AS unit, s.id AS signal_id,
           ROW_NUMBER() OVER (PARTITION BY {unit} ORDER BY s.signalled_on, s.id) AS rn
    FROM registry_signal s
    JOIN registry_person p ON p.id = s.person_id
    {join}
    WHERE {period} AND (p.consent_registration = %s OR s.duty_registration = %s)
) ranked
JOIN registry_signal s ON s.id = ranked.signal_id
JOIN registry_person p ON p.id = s.person_id
JOIN organisations_organisation o ON o.id = s.reporting_organisation_id
WHERE ranked.rn = 1
"""


class CountedRows:
    """One row per counted unit (its reference signal), as integer codes per dimension.

    `coded(dim)` gives a dimension's codes and categories (for the form, one entry
    per unit and form: `form_row` says whose); `values`, `forms` and `rows()` give
    the same as plain Python values, for exports and tests.
    """

    def __init__(self, *, start: date, end: date, unit: np.ndarray, signal_id: np.ndarray,
                 signalled_on: np.ndarray, codes: dict[str, np.ndarray],
                 categories: dict[str, list[str]], form_row: np.ndarray,
                 form_code: np.ndarray, form_categories: list[str]):
        self.start, self.end = start, end
        self.unit, self.signal_id, self._signalled_on = unit, signal_id, signalled_on
        self._codes, self._categories = codes, categories
        self.form_row, self.form_code, self.form_categories = form_row, form_code, form_categories
        self._values: dict[str, list[str]] = {}
        self._forms: list[tuple[str, ...]] | None = None

    @classmethod
    def empty(cls, *, start: date, end: date) -> CountedRows:
        none = np.zeros(0, dtype=np.int64)
        return cls(start=start, end=end, unit=none, signal_id=none,
                   signalled_on=np.zeros(0, dtype=object),
                   codes={key: none for key in DIMENSIONS if key != "form"},
                   categories={key: [] for key in DIMENSIONS if key != "form"},
                   form_row=none, form_code=none, form_categories=[])

    def __len__(self) -> int:
        return len(self.unit)

    @property
    def dimensions(self) -> list[str]:
        return ["form", *self._codes]

    def coded(self, key: str) -> tuple[np.ndarray, list[str]]:
        if key == "form":
            return self.form_code, self.form_categories
        return self._codes[key], self._categories[key]

    def values(self, key: str) -> list[str]:
        if key not in self._values:
            codes, categories = self.coded(key)
            self._values[key] = np.asarray(categories, dtype=object)[codes].tolist() \
                if len(codes) else []
        return self._values[key]

    @property
    def forms(self) -> list[tuple[str, ...]]:
        if self._forms is None:
            out: list[list[str]] = [[] for _ in range(len(self))]
            for row, code in zip(self.form_row.tolist(), self.form_code.tolist(), strict=True):
                out[row].append(self.form_categories[code])
            self._forms = [tuple(f) for f in out]
        return self._forms

    @property
    def signalled_on(self) -> list[date]:
        return [_as_date(v) for v in self._signalled_on.tolist()]

    def subset(self, keep: np.ndarray) -> CountedRows:
        """The rows where `keep` (a boolean mask) holds."""
        index = np.flatnonzero(keep)
        renumber = np.full(len(self), -1, dtype=np.int64)
        renumber[index] = np.arange(len(index))
        pairs = keep[self.form_row]
        return CountedRows(
            start=self.start, end=self.end, unit=self.unit[index],
            signal_id=self.signal_id[index], signalled_on=self._signalled_on[index],
            codes={key: codes[index] for key, codes in self._codes.items()},
            categories=self._categories, form_row=renumber[self.form_row[pairs]],
            form_code=self.form_code[pairs], form_categories=self.form_categories)

    def rows(self) -> Iterator[dict[str, Any]]:
        """Row-wise view, for exports and tests."""
        keys = list(self._codes)
        columns = {key: self.values(key) for key in keys}
        forms, dates = self.forms, self.signalled_on
        for i, unit in enumerate(self.unit.tolist()):
            row: dict[str, Any] = {"unit": unit, "signal_id": int(self.signal_id[i]),
                                   "signalled_on": dates[i], "form": forms[i]}
            row.update({key: columns[key][i] for key in keys})
            yield row


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = json.loads(value)
    return [str(v) for v in value]


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _factorize(values: Sequence[Any]) -> tuple[np.ndarray, list[Any]]:
    """Integer codes and the distinct values, in order of appearance.

    A dict does this for a few hundred thousand values faster than pandas, which
    first copies them into an object array.
    """
    seen: dict[Any, int] = {}
    code = seen.setdefault
    codes = np.array([code(value, len(seen)) for value in values], dtype=np.int64)
    return codes, list(seen)


def _recode(codes: np.ndarray, raw: list[Any], mapping: Callable[[Any], str]
            ) -> tuple[np.ndarray, list[str]]:
    """Map each distinct raw value once, then merge the codes that map alike."""
    mapped = [mapping(value) for value in raw]
    categories = list(dict.fromkeys(mapped))
    position = {category: i for i, category in enumerate(categories)}
    lookup = np.array([position[m] for m in mapped], dtype=np.int64)
    return (lookup[codes] if len(codes) else codes), categories


def _period_sql() -> str:
    """The signal's date in the period, as SQL with two parameters.

    SQLite, without statistics, reads a period through the index on the date and
    then looks each row up, in date order: for a year, most of the table in random
    order, three times slower than reading it straight. A unary plus on the column
    keeps SQLite off that index; PostgreSQL has statistics and chooses well itself.
    """
    column = "+s.signalled_on" if connection.vendor == "sqlite" else "s.signalled_on"
    return f"{column} >= %s AND {column} <= %s"


def counted_rows(*, start: date, end: date) -> CountedRows:
    """The reference signal of every unit counted in [start, end], by the rules above."""
    unit_sql, join = counting_unit()
    sql = REFERENCE_SQL.format(unit=unit_sql, join=join, period=_period_sql())
    with connection.cursor() as cursor:
        cursor.execute(sql, [start, end, ConsentState.GIVEN, True])
        fetched = cursor.fetchall()
    if not fetched:
        return CountedRows.empty(start=start, end=end)
    columns = dict(zip(RAW, zip(*fetched, strict=True), strict=True))
    del fetched
    unit = np.fromiter(columns["unit"], dtype=np.int64, count=len(columns["unit"]))
    codes: dict[str, np.ndarray] = {}
    categories: dict[str, list[str]] = {}

    def single(key: str, raw_key: str, mapping: Callable[[Any], str]) -> None:
        raw_codes, raw = _factorize(columns[raw_key])
        codes[key], categories[key] = _recode(raw_codes, raw, mapping)

    single("sector", "sector", lambda v: v or UNKNOWN)
    single("sex", "sex", lambda v: v or UNKNOWN)
    single("minor", "minor", lambda v: "minor" if v else "adult")
    single("age_group", "age_group", lambda v: v or UNKNOWN)
    citizenship_codes, citizenship_raw = _factorize(columns["citizenships"])
    codes["citizenship_group"], categories["citizenship_group"] = _recode(
        citizenship_codes, citizenship_raw, lambda v: citizenship_group(_as_list(v)))
    # The per-country table uses the first citizenship listed.
    codes["citizenship"], categories["citizenship"] = _recode(
        citizenship_codes, citizenship_raw, lambda v: next(
            (c.upper() for c in _as_list(v)), UNKNOWN))
    single("organisation_kind", "kind", str)
    single("region", "municipality", lambda v: REGION_OF_MUNICIPALITY.get(v, OTHER_REGION))
    single("scope", "scope", lambda v: v or UNKNOWN)
    for key, (outcome_codes, outcome_categories) in outcomes(unit, start=start, end=end).items():
        codes[key], categories[key] = outcome_codes, outcome_categories
    form_row, form_code, form_categories = _explode_forms(columns["forms"])
    return CountedRows(
        start=start, end=end, unit=unit,
        signal_id=np.fromiter(columns["signal_id"], dtype=np.int64, count=len(unit)),
        signalled_on=np.asarray(columns["signalled_on"], dtype=object), codes=codes,
        categories=categories, form_row=form_row, form_code=form_code,
        form_categories=form_categories)


def _explode_forms(raw_forms: Sequence[Any]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """One entry per unit and form. A form listed twice on one signal still counts once;
    a signal without a form counts as "unknown"."""
    raw_codes, raw = _factorize(raw_forms)
    parsed = [tuple(dict.fromkeys(_as_list(v))) or (UNKNOWN,) for v in raw]
    form_categories = list(dict.fromkeys(f for forms in parsed for f in forms))
    position = {form: i for i, form in enumerate(form_categories)}
    # Per distinct value: how many forms, and their codes one after the other.
    lengths = np.array([len(forms) for forms in parsed], dtype=np.int64)
    flat = np.array([position[f] for forms in parsed for f in forms], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    per_row = lengths[raw_codes]
    form_row = np.repeat(np.arange(len(raw_codes), dtype=np.int64), per_row)
    # Within each row, the k-th form: offset of the row's distinct value plus k.
    starts = np.repeat(np.cumsum(per_row) - per_row, per_row)
    nth = np.arange(len(form_row), dtype=np.int64) - starts
    form_code = flat[offsets[raw_codes][form_row] + nth]
    return form_row, form_code, form_categories


# ---------------------------------------------------------------- pathway outcomes

@dataclass(frozen=True)
class OutcomeRule:
    """Which units had an outcome in the period: SQL over one table of another app."""

    app_model: str          # "app_label.Model"; without that app nobody has the outcome
    person_id: str          # the person-id column, as SQL over the table's alias `x`
    joins: str              # further joins the condition needs
    condition: str          # with %(start)s and %(end)s
    extra: dict[str, Any] = field(default_factory=dict)


# Periods that run (a shelter stay, a reflection period, a B8 permit, an open claim)
# count when they were in force on any day of the period; events (an aangifte, an
# award) when they happened in it. docs/figures.md, "Pathway outcomes".
OUTCOME_RULES: dict[str, OutcomeRule] = {
    "shelter": OutcomeRule(
        "shelters.Placement", "x.person_id", "",
        "x.started_on <= %(end)s AND (x.ended_on IS NULL OR x.ended_on >= %(start)s)"),
    "reflection_period": OutcomeRule(
        "pathway.Deadline", "x.person_id", "",
        "x.kind = %(reflection)s AND x.starts_on <= %(end)s "
        "AND (COALESCE(x.closed_on, x.due_on) IS NULL "
        "OR COALESCE(x.closed_on, x.due_on) >= %(start)s)",
        {"reflection": "reflection_period"}),
    "b8_permit": OutcomeRule(
        "pathway.Deadline", "x.person_id", "",
        "x.kind = %(b8)s AND x.starts_on <= %(end)s "
        "AND (x.closed_on IS NULL OR x.closed_on >= %(start)s)", {"b8": "b8_permit"}),
    "aangifte": OutcomeRule(
        "pathway.CriminalCase", "pw.person_id", "JOIN pathway_pathway pw ON pw.id = x.pathway_id",
        "x.aangifte_on >= %(start)s AND x.aangifte_on <= %(end)s"),
    "compensation_awarded": OutcomeRule(
        "pathway.RedressClaim", "x.person_id", "",
        "x.outcome IN (%(awarded)s, %(partly)s, %(settled)s) "
        "AND x.decided_on >= %(start)s AND x.decided_on <= %(end)s",
        {"awarded": "awarded", "partly": "partly_awarded", "settled": "settled"}),
    "compensation_claimed": OutcomeRule(
        "pathway.RedressClaim", "x.person_id", "",
        "x.filed_on <= %(end)s AND (x.decided_on IS NULL OR x.decided_on >= %(start)s)"),
}


def _model_table(app_model: str) -> str | None:
    app_label, model = app_model.split(".")
    if not any(config.label == app_label for config in apps.get_app_configs()):
        return None
    return str(apps.get_model(app_label, model)._meta.db_table)


def outcome_units(rule: OutcomeRule, *, start: date, end: date) -> np.ndarray:
    """The distinct units with this outcome in the period."""
    table = _model_table(rule.app_model)
    if table is None:
        return np.zeros(0, dtype=np.int64)
    unit, join = counting_unit(rule.person_id)
    # Only model table names and fixed SQL are formatted in; values are parameters.
    sql = (f"SELECT DISTINCT {unit} FROM {table} x {rule.joins} {join} "  # noqa: S608
           f"WHERE {rule.condition}")
    params = {"start": start, "end": end, **rule.extra}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return np.array([row[0] for row in cursor.fetchall()], dtype=np.int64)


def victim_status_by_unit(*, end: date) -> dict[int, str]:
    """The last decision on or before the end of the period, per unit (any registration)."""
    table = _model_table("pathway.VictimStatusDecision")
    if table is None:
        return {}
    unit, join = counting_unit("pw.person_id")
    sql = (f"SELECT {unit}, CAST(x.decided_on AS TEXT), x.id, x.status "  # noqa: S608
           f"FROM {table} x "
           f"JOIN pathway_pathway pw ON pw.id = x.pathway_id {join} "
           "WHERE x.decided_on <= %s")
    latest: dict[int, tuple[str, int, str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [end])
        for unit_id, decided_on, decision_id, status in cursor.fetchall():
            key = (decided_on, decision_id, status)
            if unit_id not in latest or key > latest[unit_id]:
                latest[unit_id] = key
    return {unit_id: key[2] for unit_id, key in latest.items()}


def _yes_no(unit: np.ndarray, having: np.ndarray, yes: str, no: str
            ) -> tuple[np.ndarray, list[str]]:
    return np.where(np.isin(unit, having), 0, 1).astype(np.int64), [yes, no]


def outcomes(unit: np.ndarray, *, start: date, end: date
             ) -> dict[str, tuple[np.ndarray, list[str]]]:
    """Codes per pathway outcome dimension for the given units."""
    def having(key: str) -> np.ndarray:
        return outcome_units(OUTCOME_RULES[key], start=start, end=end)

    status_of = victim_status_by_unit(end=end)
    status_categories = [POSSIBLE, IDENTIFIED, NOT_VICTIM]
    position = {status: i for i, status in enumerate(status_categories)}
    status_codes = np.zeros(len(unit), dtype=np.int64)
    if status_of:
        decided = np.fromiter(status_of, dtype=np.int64, count=len(status_of))
        decided_codes = np.array([position[s] for s in status_of.values()], dtype=np.int64)
        order = np.argsort(decided)
        found = np.searchsorted(decided[order], unit)
        found = np.clip(found, 0, len(decided) - 1)
        hit = decided[order][found] == unit
        status_codes[hit] = decided_codes[order][found[hit]]
    awarded = np.isin(unit, having("compensation_awarded"))
    claimed = np.isin(unit, having("compensation_claimed"))
    return {
        "victim_status": (status_codes, status_categories),
        "shelter": _yes_no(unit, having("shelter"), "placed", "not_placed"),
        "reflection_period": _yes_no(unit, having("reflection_period"), "granted",
                                     "not_granted"),
        "aangifte": _yes_no(unit, having("aangifte"), "made", "not_made"),
        "b8_permit": _yes_no(unit, having("b8_permit"), "granted", "not_granted"),
        "compensation": (np.where(awarded, 0, np.where(claimed, 1, 2)).astype(np.int64),
                         ["awarded", "claimed", "none"]),
    }


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def signals_by_form(*, start: date, end: date) -> dict[str, int]:
    """Signals in the period per form, under the same consent rule (step one of the funnel).

    Counted per distinct list of forms, which is parsed once: a form listed twice
    on one signal counts once, a signal without a form under none.
    """
    sql = f"""
        SELECT CAST(s.forms AS TEXT), COUNT(*)
        FROM registry_signal s
        JOIN registry_person p ON p.id = s.person_id
        WHERE {_period_sql()}
          AND (p.consent_registration = %s OR s.duty_registration = %s)
        GROUP BY CAST(s.forms AS TEXT)
    """  # noqa: S608 - only fixed SQL is formatted in
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [start, end, ConsentState.GIVEN, True])
        for forms, count in cursor.fetchall():
            for form in dict.fromkeys(_as_list(forms)):
                counts[form] = counts.get(form, 0) + count
    return counts
