"""Eurostat crim_thb-style tables, in SDMX-CSV's long layout.

Victims by sex and age (minor/adult), by citizenship group and sex, and by form
of exploitation and sex, from the monitor's suppressed tables; suspects,
prosecuted and convicted persons by form from the chain organisations' current
revisions (they deliver no breakdown by sex or age: those are "T"/"TOTAL").
A suppressed count has no value and the flag "c" (confidential).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import IO, Any

from ..codes import Measure
from ..counting import CountedRows, counted_rows, year_bounds
from ..selectors import chain_figures
from ..services import Published, table_publish

HEADER = ["DATAFLOW", "freq", "unit", "indic_cr", "sex", "age", "citizen", "expl", "geo",
          "TIME_PERIOD", "OBS_VALUE", "OBS_FLAG"]
SEX = {"female": "F", "male": "M", "other": "OTH", "unknown": "UNK", "__total__": "T"}
AGE = {"minor": "Y_LT18", "adult": "Y_GE18", "__total__": "TOTAL"}
CITIZEN = {"nl": "NAT", "eu": "EU27_2020_FOR", "non_eu": "NEU27_2020_FOR", "unknown": "UNK",
           "__total__": "TOTAL"}
EXPL = {"sexual": "SEX", "labour": "LAB", "slavery": "SLV", "servitude": "SERV",
        "criminal": "CRIM", "organs": "ORG", "surrogacy": "SURR", "forced_marriage": "FMAR",
        "illegal_adoption": "ADOP", "unknown": "UNK", "__total__": "TOTAL", "all": "TOTAL"}
INDICATOR: dict[str, str] = {
    Measure.SUSPECTS: "SUSP", Measure.OM_CASES: "PROS", Measure.CONVICTIONS: "CONV"}
TOTAL = "__total__"


def _cells(published: Published) -> Iterator[tuple[str, str, int | None]]:
    table = published.table.table
    rows = [*table.row_keys, TOTAL]
    cols = [*table.col_keys, TOTAL]
    for r, row_key in enumerate(rows):
        for c, col_key in enumerate(cols):
            yield row_key, col_key, published.table.shown(r, c)


def rows_for_year(year: int, *, rows: CountedRows | None = None) -> list[list[Any]]:
    start, end = year_bounds(year)
    rows = rows if rows is not None else counted_rows(start=start, end=end)
    out: list[list[Any]] = []

    def add(indic: str, sex: str, age: str, citizen: str, expl: str, value: int | None) -> None:
        out.append(["ESTAT:CRIM_THB", "A", "PER", indic, sex, age, citizen, expl, "NL", year,
                    "" if value is None else value, "c" if value is None else ""])

    def publish(by: tuple[str, str]) -> Published:
        return table_publish(actor=None, start=start, end=end, by=by, rows=rows)

    for sex, minor, value in _cells(publish(("sex", "minor"))):
        add("VICT", SEX[sex], AGE[minor], "TOTAL", "TOTAL", value)
    for citizen, sex, value in _cells(publish(("citizenship_group", "sex"))):
        if citizen != TOTAL:
            add("VICT", SEX[sex], "TOTAL", CITIZEN[citizen], "TOTAL", value)
    for form, sex, value in _cells(publish(("form", "sex"))):
        if form != TOTAL:
            add("VICT", SEX[sex], "TOTAL", "TOTAL", EXPL.get(form, form.upper()), value)
    totals: dict[tuple[str, str], int] = {}
    for entry in chain_figures(actor=None, years=[year]):
        figure = entry.current
        if figure.measure in INDICATOR and not figure.breakdown:
            key = (INDICATOR[figure.measure], EXPL.get(figure.form, figure.form.upper()))
            totals[key] = totals.get(key, 0) + figure.value
    for (indic, expl), value in sorted(totals.items()):
        add(indic, "T", "TOTAL", "TOTAL", expl, value)
    return out


def write(out: IO[str], *, years: list[int], progress: Any = None) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    written = 0
    for done, year in enumerate(years, start=1):
        for row in rows_for_year(year):
            writer.writerow(row)
            written += 1
        if progress:
            progress("eurostat", done, len(years))
    return written
