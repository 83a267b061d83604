"""Reading the directory from CSV or Excel: every bad cell named by row and column.

One header row; the columns are those of `COLUMNS`. Lists (municipalities,
forms, target groups, languages) are separated by ";" or ",". Text per language
is one column per language: hours_nl, hours_en, description_nl, ...
Nothing is imported when any row is wrong.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.text import slugify

from zicht.organisations.models import MUNICIPALITY_CODE
from zicht.registry.codes import Form

from .models import EntryKind, Province, Scope, TargetGroup

LANGUAGE_CODES = [code for code, _ in settings.LANGUAGES]
REQUIRED = ("key", "kind", "scope", "name")
LIST_COLUMNS = ("municipalities", "forms", "target_groups", "languages")
PLAIN_COLUMNS = ("key", "kind", "scope", "name", "region", "phone", "email", "website",
                 "anonymous", "active")
TEXT_COLUMNS = ("hours", "description")
COLUMNS = (*PLAIN_COLUMNS, *LIST_COLUMNS,
           *(f"{name}_{code}" for name in TEXT_COLUMNS for code in LANGUAGE_CODES))
TRUE = {"1", "yes", "ja", "true", "y", "j", "x"}
FALSE = {"0", "no", "nee", "false", "n", ""}
PHONE = re.compile(r"^\+?[0-9][0-9 \-]{1,38}$")
LANGUAGE = re.compile(r"^[a-z]{2}$")
PROVINCE_BY_NAME = {label.casefold(): code for code, label in Province.choices}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "header"
        return f"{where}, column {self.column}: {self.message}" if self.column else (
            f"{where}: {self.message}")


class DirectoryFileError(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


def read_table(path: Path | str, content: bytes | None = None) -> list[dict[str, str]]:
    """Rows of a .csv (UTF-8, ',' or ';') or .xlsx file as dicts of text."""
    name = str(path).lower()
    data = content if content is not None else Path(path).read_bytes()
    if name.endswith(".xlsx"):
        return _read_xlsx(data)
    if name.endswith(".csv"):
        return _read_csv(data)
    raise DirectoryFileError([RowError(0, "", "Give a .csv or .xlsx file.")])


def _read_csv(data: bytes) -> list[dict[str, str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DirectoryFileError([RowError(0, "", "The file is not UTF-8 text.")]) from None
    first = text.splitlines()[0] if text else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    return _as_dicts(list(reader))


def _read_xlsx(data: bytes) -> list[dict[str, str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken file
        raise DirectoryFileError([RowError(0, "", "This is not a readable Excel file.")]) from None
    sheet = workbook.worksheets[0]
    rows = [["" if cell is None else str(cell) for cell in row]
            for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return _as_dicts(rows)


def _as_dicts(rows: list[list[str]]) -> list[dict[str, str]]:
    if not rows:
        raise DirectoryFileError([RowError(0, "", "The file is empty.")])
    header = [cell.strip().lower() for cell in rows[0]]
    errors = [RowError(0, name, "unknown column") for name in header
              if name and name not in COLUMNS]
    errors += [RowError(0, name, "column missing") for name in REQUIRED if name not in header]
    if errors:
        raise DirectoryFileError(errors)
    result: list[dict[str, str]] = []
    for cells in rows[1:]:
        if not any((cell or "").strip() for cell in cells):
            result.append({})  # keep row numbers right; skipped later
            continue
        result.append({name: (cells[i] if i < len(cells) else "").strip()
                       for i, name in enumerate(header) if name})
    return result


def _split(value: str) -> list[str]:
    return [item for item in re.split(r"[;,\s]+", value or "") if item]


def parse_rows(raw_rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Checked rows ready for `services.directory_import`, or DirectoryFileError."""
    errors: list[RowError] = []
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_rows):
        number = index + 2  # the header is row 1
        if not raw:
            continue
        row, row_errors = _parse_row(raw, number)
        errors += row_errors
        key = row.get("key")
        if key:
            if key in seen:
                errors.append(RowError(number, "key", f"the same key as row {seen[key]}"))
            seen.setdefault(key, number)
        rows.append(row)
    if not rows and not errors:
        errors.append(RowError(0, "", "The file has no rows."))
    if errors:
        raise DirectoryFileError(errors)
    return rows


def _parse_row(raw: dict[str, str], number: int) -> tuple[dict[str, Any], list[RowError]]:
    errors: list[RowError] = []

    def error(column: str, message: str) -> None:
        errors.append(RowError(number, column, message))

    row: dict[str, Any] = {}
    key = raw.get("key", "")
    if not key:
        error("key", "required")
    elif slugify(key) != key:
        error("key", "use lower-case letters, digits and dashes, e.g. meldpunt-utrecht")
    row["key"] = key
    for column, choices in (("kind", EntryKind.values), ("scope", Scope.values)):
        value = raw.get(column, "").lower()
        if value not in choices:
            error(column, f"'{raw.get(column, '')}' is not one of {', '.join(choices)}")
        row[column] = value
    name = raw.get("name", "")
    if not name:
        error("name", "required")
    elif len(name) > 200:
        error("name", "at most 200 characters")
    row["name"] = name
    region = raw.get("region", "")
    region = PROVINCE_BY_NAME.get(region.casefold(), region.upper())
    if region and region not in Province.values:
        error("region", f"'{raw.get('region')}' is not a province name or code (PV20–PV31)")
    if row["scope"] == Scope.REGIONAL and not region:
        error("region", "a regional entry needs a region")
    if row["scope"] == Scope.NATIONAL and region:
        error("region", "a national entry has no region")
    row["region"] = region
    lists = {
        "municipalities": (lambda v: MUNICIPALITY_CODE.match(v.upper()) is not None,
                           "is not a CBS code like GM0363", str.upper),
        "forms": (lambda v: v in Form.values, "is not a form of exploitation", str.lower),
        "target_groups": (lambda v: v in TargetGroup.values, "is not a target group", str.lower),
        "languages": (lambda v: LANGUAGE.match(v) is not None,
                      "is not a two-letter language code", str.lower),
    }
    for column, (valid, message, normal) in lists.items():
        values = [normal(v) for v in _split(raw.get(column, ""))]
        for value in values:
            if not valid(value):
                error(column, f"'{value}' {message}")
        row[column] = list(dict.fromkeys(values))
    phone = raw.get("phone", "")
    if phone and not PHONE.match(phone):
        error("phone", f"'{phone}' is not a phone number")
    row["phone"] = phone
    email = raw.get("email", "")
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            error("email", f"'{email}' is not an e-mail address")
    row["email"] = email
    website = raw.get("website", "")
    if website:
        try:
            URLValidator(schemes=["https", "http"])(website)
        except ValidationError:
            error("website", f"'{website}' is not a web address starting with https://")
    row["website"] = website
    if not (phone or email or website):
        error("phone", "give a phone number, e-mail address or website")
    for column, default in (("anonymous", False), ("active", True)):
        value = raw.get(column, "").lower()
        if column not in raw or value == "":
            row[column] = default
        elif value in TRUE:
            row[column] = True
        elif value in FALSE:
            row[column] = False
        else:
            error(column, f"'{raw.get(column)}' is not yes or no")
    for name in TEXT_COLUMNS:
        row[name] = {code: raw[f"{name}_{code}"] for code in LANGUAGE_CODES
                     if raw.get(f"{name}_{code}")}
    return row, errors


def export_rows(entries: Any) -> list[dict[str, str]]:
    """Entries in the import layout, so an export can be edited and imported again."""
    rows = []
    for entry in entries:
        row = {
            "key": entry.key, "kind": entry.kind, "scope": entry.scope, "name": entry.name,
            "region": entry.region, "phone": entry.phone, "email": entry.email,
            "website": entry.website, "anonymous": "yes" if entry.anonymous else "no",
            "active": "yes" if entry.active else "no",
        }
        for column in LIST_COLUMNS:
            row[column] = ";".join(getattr(entry, column) or [])
        for name in TEXT_COLUMNS:
            texts = getattr(entry, name) or {}
            for code in LANGUAGE_CODES:
                row[f"{name}_{code}"] = texts.get(code, "")
        rows.append(row)
    return rows
