"""Bulk intake of signals from a CSV file: `zicht import signals FILE.csv` (docs/import.md).

Three steps:

1. **Check** every row with the rules the API uses (`build_identity`,
   `signal_fields`, `validation`). This is pure work on one row at a time —
   validation, a new data key, encryption — so large files are checked by
   several processes at once.
2. **Resolve**, in file order: skip rows imported before (same organisation and
   reference), reject repeated references, and decide each row's person. Rows
   with the same blind index (name + birth date) are one person; a person this
   organisation registered before is reused.
3. **Write** the valid rows batch by batch. Each batch is one transaction with
   its persons, access grants, signals, consents and audit rows, so an
   interrupted run leaves whole batches only and running the same file again
   adds just what is missing.

The steps overlap: the checking processes work ahead while this process
resolves and writes the rows already checked, in file order and in the same
batches as if the whole file had been checked first.
"""

from __future__ import annotations

import csv
import enum
import gc
import hashlib
import io
import json
import multiprocessing
import os
import re
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from django.db import connection, models, transaction
from django.db.models import F, Model, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from zicht.audit.services import Entry, audit_append
from zicht.core.crypto import DataKey, blind_index
from zicht.core.exceptions import ApplicationError
from zicht.organisations.models import Organisation, User

from . import validation as v
from .access import IN_PROCESSING, require_may_report
from .codes import ConsentState, Purpose
from .models import AccessReason, Consent, Person, PersonAccess, Signal
from .services import build_identity, signal_fields

PERSON_COLUMNS = (
    "given_names", "family_name", "aliases", "birth_date", "sex", "citizenships", "languages",
    "phone",
)
SIGNAL_COLUMNS = (
    "signalled_on", "forms", "indicators", "indicators_other", "sector", "municipality", "scope",
    "source", "exploitation_started_on", "exploitation_ended_on", "narrative",
)
_PURPOSES = tuple(Purpose.values)  # Choices.values builds a new list on every access
CONSENT_COLUMNS = tuple(f"consent_{purpose}" for purpose in _PURPOSES)
COLUMNS = ("external_ref", *PERSON_COLUMNS, *SIGNAL_COLUMNS, *CONSENT_COLUMNS)
REQUIRED_COLUMNS = ("signalled_on", "forms", "municipality", "source")
NAME_COLUMNS = ("given_names", "family_name", "aliases")
LIST_SEPARATOR = ";"
REPORT_COLUMNS = ("line", "field", "reason")
DEFAULT_BATCH_SIZE = 2000
MAX_REF_LENGTH = 128
# Below this many rows, starting processes costs more than it saves.
PARALLEL_FROM_ROWS = 5000

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_BIRTH_DATE = re.compile(r"^\d{4}(-\d{2}-\d{2})?$")
_LOOKUP_CHUNK = 500  # values per `IN (...)` look-up
_CHECK_CHUNK = 1000  # rows per unit of work for a checking process
_CONSENT_STATES = (ConsentState.GIVEN, ConsentState.REFUSED, ConsentState.WITHDRAWN)
_VIA_IMPORT = {"via": "import"}
# One detail object per kind of statement: the audit write encodes each object once.
_CONSENT_DETAIL = {(purpose, state): {"purpose": purpose, "state": state, "via": "import"}
                   for purpose in _PURPOSES for state in map(str, _CONSENT_STATES)}


class UnusableInput(ApplicationError):
    """The file as a whole cannot be imported (unreadable, wrong columns)."""


@dataclass(frozen=True)
class Rejection:
    line: int
    field: str
    reason: str
    row: dict[str, str]


@dataclass
class ImportResult:
    rows: int = 0
    imported: int = 0
    already_imported: int = 0
    persons_created: int = 0
    persons_reused: int = 0
    consents: int = 0
    delimiter: str = ","
    report_path: Path | None = None
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        """Rows rejected (a row with several faults counts once)."""
        return len({r.line for r in self.rejections})


@dataclass
class _Row:
    line: int
    cells: list[str]
    values: dict[str, str]


@dataclass
class _Checked:
    """What checking one row found: its faults, or everything needed to store it."""

    line: int
    faults: list[tuple[str, str]] = field(default_factory=list)  # (field, reason)
    index: str | None = None  # blind index, when the row names the person
    data_key: str = ""  # a new data key, for the row's person if that is new
    person_row: list[Any] | None = None  # a new person's columns, ready to insert
    signal_row: list[Any] | None = None  # the signal's columns; texts under that key
    signalled_on: date | None = None
    texts: dict[str, str] | None = None  # plain texts, to re-encrypt for a known person
    consents: list[tuple[str, str]] = field(default_factory=list)

    def __reduce__(self) -> tuple[Any, ...]:
        # From a checking process back to the importer: pickling a date object costs
        # about 17 µs, a sixth of checking a row, so the date travels as a number.
        on = self.signalled_on.toordinal() if self.signalled_on else None
        return (_checked_from_parts, (self.line, self.faults, self.index, self.data_key,
                                      self.person_row, self.signal_row, on, self.texts,
                                      self.consents))


def _checked_from_parts(line: int, faults: list[tuple[str, str]], index: str | None,
                        data_key: str, person_row: list[Any] | None,
                        signal_row: list[Any] | None, signalled_on: int | None,
                        texts: dict[str, str] | None,
                        consents: list[tuple[str, str]]) -> _Checked:
    return _Checked(line, faults, index, data_key, person_row, signal_row,
                    date.fromordinal(signalled_on) if signalled_on else None, texts, consents)


@dataclass(eq=False)
class _PersonRef:
    """The person valid rows belong to: registered before this run, or created by it."""

    data_key: str
    row: list[Any] | None = None  # columns, while still to be inserted
    pk: int | None = None
    registered_before: bool = False
    duty_registered: bool = False


@dataclass
class _Valid:
    line: int
    ref: str
    person: _PersonRef
    signal_row: list[Any]
    signalled_on: date
    consents: list[tuple[str, str]]


# --- reading --------------------------------------------------------------------------------

def read_csv(path: Path) -> tuple[list[str], list[_Row], str]:
    """Header, rows with their line numbers, and the delimiter of a CSV file.

    UTF-8 with or without BOM; comma or semicolon (Dutch Excel writes `;`).
    """
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise UnusableInput(_("File not found: %(path)s") % {"path": path}) from None
    except UnicodeDecodeError as exc:
        raise UnusableInput(
            _("%(path)s is not UTF-8 text (byte %(pos)s). Save it as “CSV UTF-8”.")
            % {"path": path, "pos": exc.start}
        ) from None
    except OSError as exc:
        raise UnusableInput(_("Cannot read %(path)s: %(error)s")
                            % {"path": path, "error": exc.strerror}) from None
    lines = io.StringIO(text, newline="")  # csv's own rules for line ends
    header_line = next(lines, "")
    if not header_line.strip():
        raise UnusableInput(_("%(path)s is empty: the first line must name the columns.")
                            % {"path": path})
    try:
        delimiter = csv.Sniffer().sniff(header_line, delimiters=",;").delimiter
    except csv.Error:
        delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    lines.seek(0)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    try:
        original_header = next(reader)
        # Spreadsheets end lines with stray delimiters: unnamed columns at the end.
        while original_header and not original_header[-1].strip():
            original_header.pop()
        header = _check_header(original_header)
        width = len(header)
        rows: list[_Row] = []
        previous_end = reader.line_num
        for cells in reader:
            line, previous_end = previous_end + 1, reader.line_num
            stripped = [cell.strip() for cell in cells]
            if not any(stripped):
                continue  # empty lines and rows of bare delimiters
            values = dict(zip(header, stripped, strict=False))
            if len(cells) < width:  # a short row: its missing cells are empty
                values.update(dict.fromkeys(header[len(cells):], ""))
            elif len(cells) > width and any(stripped[width:]):
                values["__extra__"] = str(len(cells))
            rows.append(_Row(line, cells, values))
    except csv.Error as exc:
        raise UnusableInput(_("Line %(line)s of %(path)s is not valid CSV: %(error)s")
                            % {"line": reader.line_num, "path": path, "error": exc}) from None
    return original_header, rows, delimiter


def _check_header(original: list[str]) -> list[str]:
    header = [name.strip().lower() for name in original]
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        raise UnusableInput(_("Column(s) appear twice: %(names)s.")
                            % {"names": ", ".join(duplicates)})
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        # Like the API: an unknown column is most likely a typo, and ignoring it loses data.
        raise UnusableInput(
            _("Unknown column(s): %(names)s. Known columns: %(known)s.")
            % {"names": ", ".join(unknown), "known": ", ".join(COLUMNS)}
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise UnusableInput(
            _("Missing required column(s): %(names)s. Every file needs %(required)s, and at "
              "least one of %(names_any)s.")
            % {"names": ", ".join(missing), "required": ", ".join(REQUIRED_COLUMNS),
               "names_any": ", ".join(NAME_COLUMNS)}
        )
    if not any(name in header for name in NAME_COLUMNS):
        raise UnusableInput(_("Missing a name column: give at least one of %(names)s.")
                            % {"names": ", ".join(NAME_COLUMNS)})
    return header


def row_fingerprint(values: dict[str, str]) -> str:
    """A reference for a row without `external_ref`: SHA-256 of its normalised cells.

    Whitespace runs count as one space and empty cells and column order do not
    count, so the same row exported again gives the same reference.
    """
    cells = [[name, " ".join(values[name].split())] for name in COLUMNS if values.get(name)]
    payload = json.dumps(cells, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(payload.encode()).hexdigest()


# --- step 1: checking one row ---------------------------------------------------------------

def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]


def _strict_date(value: str, name: str) -> date | None:
    """YYYY-MM-DD only: Python also reads 20250301 or 2025-W09-6, a spreadsheet's accident."""
    if not value:
        return None
    if not _ISO_DATE.match(value):
        raise ApplicationError(_("Give the date as YYYY-MM-DD."), field=name)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ApplicationError(_("There is no such date."), field=name) from None


@dataclass
class _CheckContext:
    organisation: Organisation
    today: date
    tables: _Tables


class _RowChecker:
    """Checks rows one by one; holds nothing that depends on other rows."""

    def __init__(self, context: _CheckContext):
        self.context = context
        # signal_fields reads only the person's data key and birth date: one
        # Person, re-dressed per row, spares building a model instance for each.
        self.probe = Person()
        # Lets a row with a bad identity still have its signal columns checked.
        self.stand_in_key = DataKey.generate().wrapped

    def check(self, line: int, values: dict[str, str]) -> _Checked:
        result = _Checked(line)
        faults = result.faults
        if "__extra__" in values:
            faults.append(("", _("This row has %(n)s cells; the header names fewer columns. "
                                 "Quote cells that contain the delimiter.")
                           % {"n": values["__extra__"]}))
        person = self._check_person(values, faults)
        result.consents = self._check_consents(values, faults)
        dates: dict[str, date | None] = {}
        for name in ("signalled_on", "exploitation_started_on", "exploitation_ended_on"):
            try:
                dates[name] = _strict_date(values.get(name, ""), name)
            except ApplicationError as exc:
                faults.append((exc.field or name, str(exc.message)))
        if "signalled_on" in dates and dates["signalled_on"] is None:
            faults.append(("signalled_on", _("Give the date of the signal.")))
        if len(dates) < 3 or dates["signalled_on"] is None:
            return result

        probe = self.probe
        if person is None:
            probe.data_key, probe.birth_year = self.stand_in_key, None
            probe.__dict__["identity"] = {}
        else:
            key = DataKey.generate()
            identity = person.pop("identity")
            person.update(data_key=key.wrapped, identity_ciphertext=key.encrypt_json(identity))
            probe.data_key, probe.birth_year = key.wrapped, person["birth_year"]
            probe.birth_date_precision = person["birth_date_precision"]
            probe.__dict__["identity"] = identity
        try:
            signal = signal_fields(
                person=probe, organisation=self.context.organisation,
                signalled_on=dates["signalled_on"], forms=_split(values.get("forms", "").lower()),
                indicators=_split(values.get("indicators", "").lower()),
                indicators_other=values.get("indicators_other", ""),
                sector=values.get("sector", ""), municipality=values.get("municipality", ""),
                scope=values.get("scope", "").lower() or None,
                source=values.get("source", "").lower(),
                exploitation_started_on=dates["exploitation_started_on"],
                exploitation_ended_on=dates["exploitation_ended_on"],
                narrative=values.get("narrative", ""), today=self.context.today,
            )
        except ApplicationError as exc:
            faults.append((exc.field or "", str(exc.message)))
            return result
        if faults or person is None:
            return result
        result.index = person.pop("index")
        result.data_key = person["data_key"]
        result.person_row = self.context.tables.person.row(person)
        result.signal_row = self.context.tables.signal.row(signal)
        result.signalled_on = signal["signalled_on"]
        if signal["text_ciphertext"]:
            # The same texts signal_fields encrypted (it checked them already).
            result.texts = {
                "narrative": v.clean_text(values.get("narrative"), "narrative",
                                          max_length=10_000),
                "indicators_other": v.clean_text(values.get("indicators_other"),
                                                 "indicators_other", max_length=1000),
            }
        return result

    def _check_person(self, values: dict[str, str],
                      faults: list[tuple[str, str]]) -> dict[str, Any] | None:
        person: dict[str, Any] = {}
        ok = True
        birth_date = values.get("birth_date", "")
        try:
            if birth_date and not _BIRTH_DATE.match(birth_date):
                raise ApplicationError(
                    _("Give a real date as YYYY-MM-DD, or only the year as YYYY."),
                    field="birth_date")
            identity, birth_year, precision = build_identity(
                given_names=values.get("given_names", ""),
                family_name=values.get("family_name", ""),
                aliases=_split(values.get("aliases", "")),
                birth_date=birth_date, phone=values.get("phone", ""), today=self.context.today,
            )
            index = blind_index(given_names=identity["given_names"],
                                family_name=identity["family_name"],
                                birth_date=identity["birth_date"])
            person.update(identity=identity, birth_year=birth_year,
                          birth_date_precision=precision, name_birth_index=index,
                          # Only a name ties rows together: alias-only rows stay apart.
                          index=index if identity["given_names"] or identity["family_name"]
                          else None)
        except ApplicationError as exc:
            faults.append((exc.field or "", str(exc.message)))
            ok = False
        for name in ("sex", "citizenships", "languages"):
            raw = values.get(name, "")
            try:
                if name == "sex":
                    person[name] = v.clean_sex(raw.lower() or None)
                elif name == "citizenships":
                    person[name] = v.clean_citizenships(_split(raw))
                else:
                    person[name] = v.clean_languages(_split(raw))
            except ApplicationError as exc:
                faults.append((exc.field or name, str(exc.message)))
                ok = False
        return person if ok else None

    def _check_consents(self, values: dict[str, str],
                        faults: list[tuple[str, str]]) -> list[tuple[str, str]]:
        consents = []
        for purpose in _PURPOSES:
            name = f"consent_{purpose}"
            try:
                state = v.clean_choice(values.get(name, "").lower(), _CONSENT_STATES, name, "")
            except ApplicationError as exc:
                faults.append((exc.field or name, str(exc.message)))
                continue
            if state:
                consents.append((purpose, state))
        return consents


# A checking process gets its context by inheriting this module state at fork.
_worker_checker: _RowChecker | None = None
_worker_context: _CheckContext | None = None


def _check_in_worker(rows: list[tuple[int, dict[str, str]]]) -> list[_Checked]:
    global _worker_checker
    if _worker_checker is None:
        assert _worker_context is not None
        _worker_checker = _RowChecker(_worker_context)
    return [_worker_checker.check(line, values) for line, values in rows]


def _check_rows(rows: Sequence[tuple[_Row, str]], context: _CheckContext, *, workers: int,
                ) -> Iterator[tuple[Sequence[tuple[_Row, str]], list[_Checked]]]:
    """Rows with their references, chunk by chunk in file order, with what checking found;
    by several processes for a large file.

    The processes check ahead while the caller resolves and writes the chunks already
    checked: the pool is handed every chunk at once and gives them back in order.
    """
    chunks = list(_chunks(rows, _CHECK_CHUNK))
    if workers <= 1 or len(rows) < PARALLEL_FROM_ROWS or not _can_fork():
        checker = _RowChecker(context)
        for chunk in chunks:
            yield chunk, [checker.check(row.line, row.values) for row, _ref in chunk]
        return
    global _worker_context
    _worker_context = context
    try:
        # fork: the workers inherit settings, keys and the context; they never
        # touch the database connection the parent holds. With fork the pool
        # starts all its processes at the first submit, before anything is written.
        pool = ProcessPoolExecutor(max_workers=workers,
                                   mp_context=multiprocessing.get_context("fork"))
        try:
            # Only what checking reads travels to the processes.
            checked = pool.map(_check_in_worker,
                               [[(row.line, row.values) for row, _ref in c] for c in chunks])
            yield from zip(chunks, checked, strict=True)
        finally:
            # A failed write stops the run: no checking of rows nobody will write.
            pool.shutdown(cancel_futures=True)
    finally:
        _worker_context = None


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


# --- step 2: resolving rows to persons ------------------------------------------------------

class _Resolver:
    """Decides, in file order, which rows are new and which person each belongs to."""

    def __init__(self, *, organisation: Organisation, header: list[str], result: ImportResult,
                 tables: _Tables):
        self.organisation = organisation
        self.tables = tables
        self.header = header
        self.result = result
        self.refs_in_file: dict[str, int] = {}
        self.persons: dict[str, _PersonRef] = {}  # blind index -> person
        self.reused: set[int] = set()

    def original(self, row: _Row) -> dict[str, str]:
        """The row as given, under the file's own column names."""
        original = dict(zip(self.header, row.cells, strict=False))
        extra = row.cells[len(self.header):]
        original.update({f"extra {n}": cell for n, cell in enumerate(extra, start=1)})
        return original

    def reject(self, row: _Row, faults: list[tuple[str, str]]) -> None:
        original = self.original(row)
        self.result.rejections.extend(
            Rejection(row.line, name, reason, original) for name, reason in faults)

    def refs_done(self, refs: list[str]) -> set[str]:
        """References this organisation used before: those rows were imported already."""
        done: set[str] = set()
        for chunk in _chunks(sorted(set(refs)), _LOOKUP_CHUNK):
            done.update(ref for ref in Signal.objects.filter(
                reporting_organisation=self.organisation, external_ref__in=chunk,
            ).values_list("external_ref", flat=True) if ref)
        return done

    def load_registered(self, indexes: set[str]) -> None:
        """Persons this organisation registered before: new signals go to them."""
        wanted = sorted(i for i in indexes if i not in self.persons)
        for chunk in _chunks(wanted, _LOOKUP_CHUNK):
            # Not a restricted person (GDPR art. 18): their record is not processed.
            # The organisation is compared here, not in SQL: given both, SQLite walks all of
            # the organisation's persons for every chunk instead of using the blind index.
            found = Person.objects.filter(IN_PROCESSING, name_birth_index__in=chunk).order_by(
                "pk").only("pk", "data_key", "name_birth_index", "duty_registered",
                           "registering_organisation_id")
            for person in found:
                if person.registering_organisation_id != self.organisation.pk:
                    continue
                self.persons.setdefault(person.name_birth_index, _PersonRef(
                    data_key=person.data_key, pk=person.pk, registered_before=True,
                    duty_registered=person.duty_registered))

    def resolve(self, row: _Row, ref: str, checked: _Checked) -> _Valid | None:
        faults = list(checked.faults)
        if len(ref) > MAX_REF_LENGTH:
            faults.append(("external_ref", _("Keep this under %(n)s characters.")
                           % {"n": MAX_REF_LENGTH}))
        elif ref in self.refs_in_file:
            faults.append(("external_ref", _(
                "Line %(line)s has the same reference (or, without one, the same content).")
                % {"line": self.refs_in_file[ref]}))
        else:
            self.refs_in_file[ref] = row.line
        if faults or checked.signal_row is None or checked.signalled_on is None:
            self.reject(row, faults)
            return None
        person = self.persons.get(checked.index) if checked.index else None
        if person is None:
            person = _PersonRef(data_key=checked.data_key, row=checked.person_row)
            if checked.index:
                self.persons[checked.index] = person
        else:
            if person.registered_before:
                self.reused.add(person.pk)  # type: ignore[arg-type]
            if checked.texts:
                # Checked with a key of its own; the person it belongs to has another.
                checked.signal_row[self.tables.signal.position["text_ciphertext"]] = (
                    DataKey(person.data_key).encrypt_json(checked.texts))
        return _Valid(row.line, ref, person, checked.signal_row, checked.signalled_on,
                      checked.consents)


# --- step 3: writing ------------------------------------------------------------------------

class _Table:
    """Rows of one model as lists ready for the database, and their multi-row INSERT.

    Django's bulk_create prepares each field of each object one by one; a cProfile
    of 100,000 rows put about 70 % of the import there. Here each column gets one
    converter, chosen up front, and rows are converted where they are checked.
    Columns a row leaves out get the field's default; `auto_now` columns get the
    batch's time when inserted, as with bulk_create.
    """

    def __init__(self, model: type[Model]):
        ops = connection.ops
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.position = {f.attname: n for n, f in enumerate(fields)}
        self.plan: list[tuple[str, Any, Any]] = []  # (attname, default as stored, converter)
        self.stamped: list[int] = []  # positions of auto_now columns
        for n, f in enumerate(fields):
            if isinstance(f, models.DateTimeField):
                convert: Any = ops.adapt_datetimefield_value
            elif isinstance(f, models.DateField):
                convert = ops.adapt_datefield_value
            elif isinstance(f, models.JSONField):
                convert = partial(ops.adapt_json_value, encoder=f.encoder)
            elif f.choices:
                convert = _plain  # enum members become their plain value
            else:
                convert = None
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.stamped.append(n)
            default = f.get_default() if f.has_default() else None
            self.plan.append((f.attname, default if convert is None or default is None
                              else convert(default), convert))
        names = ", ".join(ops.quote_name(str(f.column)) for f in fields)
        self.pk = ops.quote_name(str(model._meta.pk.column))
        self.table = ops.quote_name(model._meta.db_table)
        self.insert = f"INSERT INTO {self.table} ({names}) VALUES "  # noqa: S608 (model's names)
        self.one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        # Django's own limit of parameters per statement (SQLite: 999).
        self.rows_per_statement = max(
            1, (connection.features.max_query_params or 65_535) // len(fields))
        self.stamp = ops.adapt_datetimefield_value

    def row(self, values: dict[str, Any]) -> list[Any]:
        """One row in column order, each value as the database takes it."""
        get = values.get
        return [default if (value := get(name)) is None else value if convert is None
                else convert(value) for name, default, convert in self.plan]

    def rows(self, common: dict[str, Any], names: tuple[str, ...],
             varying: Sequence[tuple[Any, ...]]) -> list[list[Any]]:
        """Rows alike in the `common` columns, with `names` from each tuple of `varying`."""
        base = self.row(common)
        slots = [(self.position[name], self.plan[self.position[name]][2]) for name in names]
        rows = []
        for values in varying:
            row = base.copy()
            for (n, convert), value in zip(slots, values, strict=True):
                row[n] = value if convert is None or value is None else convert(value)
            rows.append(row)
        return rows

    def _stamped(self, rows: Sequence[list[Any]], now: Any) -> Sequence[list[Any]]:
        at = self.stamp(now)
        for row in rows:
            for n in self.stamped:
                row[n] = at
        return rows

    def insert_returning_ids(self, rows: Sequence[list[Any]], now: Any) -> list[int]:
        """Insert; the new primary keys in row order, as bulk_create relies on too."""
        if not rows:
            return []
        if connection.vendor == "sqlite":
            return self._insert_sqlite(rows, now)
        ids: list[int] = []
        with connection.cursor() as cursor:
            for chunk in _chunks(self._stamped(rows, now), self.rows_per_statement):
                cursor.execute(self.insert + ", ".join([self.one_row] * len(chunk))
                               + f" RETURNING {self.pk}", [v for row in chunk for v in row])
                ids.extend(pk for (pk,) in cursor.fetchall())
        return ids

    def _insert_sqlite(self, rows: Sequence[list[Any]], now: Any) -> list[int]:
        """SQLite: one prepared statement for all rows, about half the cost of multi-row
        statements with RETURNING. The transaction began with BEGIN IMMEDIATE, so no one
        else writes, and AUTOINCREMENT gives each new row the highest id so far plus one:
        the new rows have consecutive ids, ending at the last one inserted."""
        with connection.cursor() as cursor:
            cursor.executemany(self.insert + self.one_row, self._stamped(rows, now))
            cursor.execute("SELECT last_insert_rowid()")
            (last,) = cursor.fetchone()
            first = last - len(rows) + 1
            # Cheap proof of the above: every id in the range is taken.
            cursor.execute(f"SELECT count(*) FROM {self.table} "  # noqa: S608 (model's names)
                           f"WHERE {self.pk} BETWEEN %s AND %s", [first, last])
            (found,) = cursor.fetchone()
        if found != len(rows):
            raise RuntimeError(f"{self.table}: new rows without consecutive ids")
        return list(range(first, last + 1))

    def insert_many(self, rows: Sequence[list[Any]], now: Any) -> None:
        if rows:
            with connection.cursor() as cursor:
                cursor.executemany(self.insert + self.one_row, self._stamped(rows, now))


@dataclass
class _Tables:
    person: _Table
    access: _Table
    signal: _Table
    consent: _Table

    @classmethod
    def build(cls) -> _Tables:
        return cls(_Table(Person), _Table(PersonAccess), _Table(Signal), _Table(Consent))


def _plain(value: Any) -> Any:
    if type(value) is str:  # noqa: E721 (an enum member is a str too, but not this)
        return value
    return value.value if isinstance(value, enum.Enum) else value


def _write_batch(batch: Sequence[_Valid], *, actor: User, organisation: Organisation,
                 tables: _Tables, result: ImportResult) -> None:
    """Write one batch with its audit rows: all of it or, on any failure, none of it."""
    persons = list({id(item.person): item.person for item in batch}.values())
    # The rule of consent_record: in force is the latest statement by date; of
    # statements on one date, the last entered (here: the later row).
    in_force: dict[int, dict[str, tuple[date, str]]] = {}
    for item in batch:
        for purpose, state in item.consents:
            latest = in_force.setdefault(id(item.person), {})
            if purpose not in latest or item.signalled_on >= latest[purpose][0]:
                latest[purpose] = (item.signalled_on, state)
    new = [p for p in persons if p.pk is None]
    known = [p for p in persons if p.pk is not None]
    organisation_id, actor_id, must_register = organisation.pk, actor.pk, organisation.must_register
    at = tables.person.position
    for person in new:
        row = person.row
        assert row is not None
        row[at["registering_organisation_id"]] = organisation_id
        row[at["created_by_id"]] = actor_id
        row[at["duty_registered"]] = must_register
        for purpose, (_on, state) in in_force.get(id(person), {}).items():
            row[at[f"consent_{purpose}"]] = state
    at = tables.signal.position
    for item in batch:
        item.signal_row[at["reporting_organisation_id"]] = organisation_id
        item.signal_row[at["reported_by_id"]] = actor_id
        item.signal_row[at["external_ref"]] = item.ref

    with transaction.atomic():
        now = timezone.now()
        person_ids = tables.person.insert_returning_ids([p.row for p in new], now)  # type: ignore[misc]
        for person, pk in zip(new, person_ids, strict=True):
            person.pk, person.row = pk, None
            person.duty_registered = must_register
        tables.access.insert_many(tables.access.rows(
            {"organisation_id": organisation_id, "reason": AccessReason.REPORTED},
            ("person_id",), [(pk,) for pk in person_ids]), now)
        _refresh_known(known, organisation)
        person_id_at = at["person_id"]
        for item in batch:
            item.signal_row[person_id_at] = item.person.pk
        signal_ids = tables.signal.insert_returning_ids([i.signal_row for i in batch], now)
        consents = [(item.person.pk, purpose, state, item.signalled_on)
                    for item in batch for purpose, state in item.consents]
        consent_ids = tables.consent.insert_returning_ids(tables.consent.rows(
            {"organisation_id": organisation_id, "recorded_by_id": actor_id},
            ("person_id", "purpose", "state", "recorded_on"), consents), now)
        _refresh_consent_in_force([p for p in known if id(p) in in_force])
        entries = [Entry("person.create", "registry.person", pk, pk, _VIA_IMPORT)
                   for pk in person_ids]
        entries += [Entry("signal.create", "registry.signal", pk, item.person.pk, _VIA_IMPORT)
                    for item, pk in zip(batch, signal_ids, strict=True)]
        entries += [Entry("consent.create", "registry.consent", pk, person_id,
                          _CONSENT_DETAIL[purpose, state])
                    for (person_id, purpose, state, _on), pk
                    in zip(consents, consent_ids, strict=True)]
        audit_append(actor=actor, entries=entries)
    result.imported += len(signal_ids)
    result.persons_created += len(new)
    result.consents += len(consents)


def _refresh_known(known: list[_PersonRef], organisation: Organisation) -> None:
    """What signal_create does to a person who exists already.

    A person created earlier in this run got its grant and duty flag then; one
    registered before the run may have lost its grant since.
    """
    before = [p.pk for p in known if p.registered_before]
    for ids in _chunks(before, _LOOKUP_CHUNK):
        PersonAccess.objects.bulk_create(
            [PersonAccess(person_id=pk, organisation=organisation, reason=AccessReason.REPORTED)
             for pk in ids],
            ignore_conflicts=True,
        )
        PersonAccess.objects.filter(
            person_id__in=ids, organisation=organisation, reason=AccessReason.REPORTED,
            revoked_at__isnull=False,
        ).update(revoked_at=None)
    if organisation.must_register:
        unregistered = [p for p in known if not p.duty_registered]
        for chunk in _chunks(unregistered, _LOOKUP_CHUNK):
            Person.objects.filter(pk__in=[p.pk for p in chunk]).update(duty_registered=True)
        for person in unregistered:
            person.duty_registered = True


def _refresh_consent_in_force(persons: list[_PersonRef]) -> None:
    """Consent in force for persons who had statements before this batch: as consent_record
    decides it, from all their statements, the older ones included."""
    for chunk in _chunks([p.pk for p in persons], _LOOKUP_CHUNK):
        Person.objects.filter(pk__in=chunk).update(**{
            # A purpose without any statement keeps what it has.
            f"consent_{purpose}": Coalesce(Subquery(
                Consent.objects.filter(person=OuterRef("pk"), purpose=purpose)
                .order_by("-recorded_on", "-created_at", "-id").values("state")[:1]),
                F(f"consent_{purpose}"))
            for purpose in Purpose.values
        })


# --- the whole run --------------------------------------------------------------------------

def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


@contextmanager
def _held_objects_unscanned() -> Iterator[Any]:
    """Gives `hold()`: the objects alive at that moment are left out of garbage collection
    until the end of the block.

    An import holds hundreds of thousands of objects for its whole run (rows, checked
    rows, persons), hardly any in a reference cycle. Each full collection walks all of them;
    in the importing process that was about a sixth of its CPU time. Does nothing when
    objects are frozen already (a server that froze its own at start-up).
    """
    if gc.get_freeze_count():
        yield lambda: None
        return
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def import_signals(*, actor: User, path: Path, report_path: Path | None = None,
                   batch_size: int = DEFAULT_BATCH_SIZE, workers: int | None = None,
                   progress: bool = True) -> ImportResult:
    """Check every row of `path`, write the valid ones, report the rejected ones."""
    require_may_report(actor)
    organisation = actor.organisation
    assert organisation is not None  # require_may_report implies it
    if batch_size < 1:
        raise UnusableInput(_("The batch size must be at least 1."), field="batch_size")
    path = Path(path)
    with _held_objects_unscanned() as hold:
        header, rows, delimiter = read_csv(path)
        result = ImportResult(rows=len(rows), delimiter=delimiter,
                              report_path=Path(report_path) if report_path
                              else default_report_path(path))
        tables = _Tables.build()
        resolver = _Resolver(organisation=organisation, header=header, result=result,
                             tables=tables)
        refs = [row.values.get("external_ref") or row_fingerprint(row.values) for row in rows]
        done = resolver.refs_done(refs)
        todo = [(row, ref) for row, ref in zip(rows, refs, strict=True) if ref not in done]
        result.already_imported = len(rows) - len(todo)
        hold()

        disable = None if progress else True  # None: a bar on a terminal, silence in a log
        context = _CheckContext(organisation=organisation, today=timezone.localdate(),
                                tables=tables)
        write = partial(_write_batch, actor=actor, organisation=organisation, tables=tables,
                        result=result)
        # Checked, resolved and written as a pipeline: while batch N is written here, the
        # checking processes work on the rows after it. Valid rows go to the database in
        # the same batches, in the same order, as when every row is checked first.
        pending: list[_Valid] = []
        with tqdm(total=len(todo), desc="importing", unit="row", disable=disable) as bar:
            for chunk, checked in _check_rows(
                    todo, context, workers=default_workers() if workers is None else workers):
                resolver.load_registered(
                    {c.index for c in checked if c.index and not c.faults})
                pending.extend(item for (row, ref), c in zip(chunk, checked, strict=True)
                               if (item := resolver.resolve(row, ref, c)) is not None)
                while len(pending) >= batch_size:
                    write(pending[:batch_size])
                    del pending[:batch_size]
                    hold()
                bar.update(len(chunk))
            if pending:
                write(pending)
        result.persons_reused = len(resolver.reused)
    write_report(result, header, delimiter)
    return result


def default_report_path(path: Path) -> Path:
    """signals.csv -> signals.rejected.csv, next to the input."""
    stem = path.name[:-4] if path.name.lower().endswith(".csv") else path.name
    return path.with_name(f"{stem}.rejected.csv")


def write_report(result: ImportResult, header: list[str], delimiter: str) -> None:
    """Rejected rows as CSV: line, field and reason, then the row as it was given.

    It holds the same personal data as the input: keep and delete it like the input.
    """
    assert result.report_path is not None
    extra = sorted({k for r in result.rejections for k in r.row if k not in header})
    with open(result.report_path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow([*REPORT_COLUMNS, *header, *extra])
        for rejection in sorted(result.rejections, key=lambda r: r.line):
            writer.writerow([rejection.line, rejection.field, rejection.reason,
                             *(rejection.row.get(name, "") for name in [*header, *extra])])
