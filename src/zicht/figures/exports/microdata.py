"""Open microdata in the CTDC style: one row per counted person, k-anonymised.

Quasi-identifiers: year of registration (dates are given as years only),
gender, age and citizenship. Each has a generalisation ladder; every
combination of rungs is tried and the one that loses least information wins,
provided no more than MAX_SUPPRESSED of the rows end up in a class smaller
than k. Those rows get every quasi-identifier coded missing ("-99"); if they
are still fewer than k together, they are left out. The k achieved, the
rungs chosen and the information lost are reported, and a final check asserts
that no row is unique (or in a class below k) on the quasi-identifiers.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import product
from typing import IO, Any

from ..counting import OTHER_EU, UNKNOWN, CountedRows, counted_rows, year_bounds

K = 11
MAX_SUPPRESSED = 0.05
MISSING = "-99"
QUASI_IDENTIFIERS = ("yearOfRegistration", "gender", "ageBroad", "citizenship")
FIELDS = [*QUASI_IDENTIFIERS, "typeOfExploitation", "scopeOfTrafficking"]

# ISO 3166-1 alpha-2 by UN geoscheme region, for the middle rung of citizenship.
_REGIONS = {
    "Europe (non-EU)": "AD AL BA BY CH FO GB GI IS LI MC MD ME MK NO RS RU SM UA VA XK",
    "Africa": "AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW KE KM LR "
              "LS LY MA MG ML MR MU MW MZ NA NE NG RW SC SD SL SN SO SS ST SZ TD TG TN TZ UG "
              "ZA ZM ZW",
    "Asia": "AE AF AM AZ BD BH BN BT CN GE HK ID IL IN IQ IR JO JP KG KH KP KR KW KZ LA LB "
            "LK MM MN MO MV MY NP OM PH PK PS QA SA SG SY TH TJ TL TM TR TW UZ VN YE",
    "Americas": "AG AR BB BO BR BS BZ CA CL CO CR CU DM DO EC GD GT GY HN HT JM KN LC MX NI "
                "PA PE PY SR SV TT US UY VC VE",
    "Oceania": "AU FJ FM KI MH NR NZ PG PW SB TO TV VU WS",
}
REGION_OF_COUNTRY = {code: region for region, codes in _REGIONS.items()
                     for code in codes.split()}


def _citizenship_ladder(code: str) -> tuple[str, ...]:
    if code == UNKNOWN:
        return (MISSING, MISSING, MISSING, MISSING)
    if code == "NL":
        region, group = "Netherlands", "Netherlands"
    elif code in OTHER_EU:
        region, group = "European Union", "European Union"
    else:
        region, group = REGION_OF_COUNTRY.get(code, "Other"), "Outside the EU"
    return (code, region, group, MISSING)


def _age_ladder(age_group: str) -> tuple[str, ...]:
    if age_group == UNKNOWN:
        return (MISSING, MISSING, MISSING)
    broad = "0-17" if age_group in ("0-11", "12-17") else "18+"
    return (age_group, broad, MISSING)


def _gender_ladder(sex: str) -> tuple[str, ...]:
    return ((MISSING if sex == UNKNOWN else sex), MISSING)


LADDER_NAMES = {
    "ageBroad": ("age group", "minor/adult", "suppressed"),
    "citizenship": ("country", "world region", "NL/EU/non-EU", "suppressed"),
    "gender": ("gender", "suppressed"),
}


@dataclass
class Report:
    k: int
    k_achieved: int
    rows_in: int
    rows_out: int
    rows_recoded: int
    rows_dropped: int
    # Quasi-identifier -> rung of its ladder; a merged report holds one such dict per year.
    levels: dict[str, Any]
    information_loss: float  # 0: nothing generalised, 1: every quasi-identifier suppressed
    unique_rows: int
    rows: list[list[str]] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {key: value for key, value in self.__dict__.items() if key != "rows"}


def _ladders(rows: CountedRows, year: int) -> list[tuple[tuple[str, ...], ...]]:
    return [((str(year),), _gender_ladder(sex), _age_ladder(age), _citizenship_ladder(cit))
            for sex, age, cit in zip(rows.values("sex"), rows.values("age_group"),
                                     rows.values("citizenship"), strict=True)]


def anonymise(ladders: Sequence[tuple[tuple[str, ...], ...]], *, k: int = K
              ) -> tuple[list[tuple[str, ...]], Report]:
    """Choose rungs, recode, and return the quasi-identifier values per row (None: dropped)."""
    rung_counts = [len(ladder) for ladder in ladders[0]] if ladders else [1, 2, 3, 4]
    best: tuple[float, tuple[int, ...], list[tuple[str, ...]], set[tuple[str, ...]]] | None = None
    n = len(ladders)
    for rungs in product(*(range(count) for count in rung_counts)):
        keys = [tuple(ladder[q][min(rungs[q], len(ladder[q]) - 1)] for q in range(len(rungs)))
                for ladder in ladders]
        sizes = Counter(keys)
        small = {key for key, size in sizes.items() if size < k}
        recoded = sum(sizes[key] for key in small)
        if n and recoded > MAX_SUPPRESSED * n:
            continue
        generalised = sum(rungs[q] / max(1, rung_counts[q] - 1) for q in range(len(rungs)))
        loss = (generalised / len(rungs)) * (n - recoded) / max(1, n) + recoded / max(1, n)
        if best is None or loss < best[0]:
            best = (loss, rungs, keys, small)
    if best is None:  # even the coarsest rungs leave too many small classes: suppress all
        rungs = tuple(count - 1 for count in rung_counts)
        keys = [tuple(ladder[q][-1] for q in range(len(rungs))) for ladder in ladders]
        best = (1.0, rungs, keys, set())
    loss, rungs, keys, small = best
    out: list[tuple[str, ...] | None] = []
    for key in keys:
        out.append((key[0], *[MISSING] * (len(key) - 1)) if key in small else key)
    # Recoded rows form classes of their own (per year); too small ones are dropped.
    sizes = Counter(key for key in out if key is not None)
    dropped = 0
    for i, out_key in enumerate(out):
        if out_key is not None and sizes[out_key] < k:
            out[i] = None
            dropped += 1
    final = Counter(key for key in out if key is not None)
    names = ("yearOfRegistration", "gender", "ageBroad", "citizenship")
    report = Report(
        k=k, k_achieved=min(final.values()) if final else 0, rows_in=n,
        rows_out=sum(final.values()), rows_recoded=sum(1 for key in keys if key in small),
        rows_dropped=dropped,
        levels={names[q]: LADDER_NAMES[names[q]][rungs[q]] for q in range(1, len(rungs))},
        information_loss=round(loss, 4),
        unique_rows=sum(1 for size in final.values() if size == 1))
    return out, report  # type: ignore[return-value]


def build(years: Sequence[int], *, k: int = K) -> Report:
    """Microdata rows for the years, anonymised per year (years are a quasi-identifier)."""
    all_rows: list[list[str]] = []
    reports: list[tuple[int, Report]] = []
    for year in years:
        start, end = year_bounds(year)
        rows = counted_rows(start=start, end=end)
        if not len(rows):
            continue
        qis, report = anonymise(_ladders(rows, year), k=k)
        reports.append((year, report))
        for i, qi in enumerate(qis):
            if qi is None:
                continue
            forms = ";".join(sorted(rows.forms[i]))
            scope = rows.values("scope")[i]
            all_rows.append([*qi, forms, MISSING if scope == UNKNOWN else scope])
    check = Counter(tuple(row[:len(QUASI_IDENTIFIERS)]) for row in all_rows)
    if any(size < k for size in check.values()):
        raise AssertionError("microdata would contain a class below k")  # never published
    rows_in = sum(r.rows_in for _year, r in reports)
    merged = Report(
        k=k, k_achieved=min(check.values()) if check else 0,
        rows_in=rows_in, rows_out=len(all_rows),
        rows_recoded=sum(r.rows_recoded for _year, r in reports),
        rows_dropped=sum(r.rows_dropped for _year, r in reports),
        levels={str(year): r.levels for year, r in reports},
        information_loss=round(sum(r.information_loss * r.rows_in for _year, r in reports)
                               / max(1, rows_in), 4),
        unique_rows=sum(1 for size in check.values() if size == 1), rows=all_rows)
    return merged


def write(out: IO[str], *, years: list[int], progress: Any = None) -> Report:
    report = build(years)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    writer.writerows(report.rows)
    if progress:
        progress("microdata", 1, 1)
    return report
