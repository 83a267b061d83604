"""Checks on input shared by the API, the web forms and bulk intake.

Each raises ApplicationError naming the field and saying how to fix it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from django.utils.translation import gettext as _

from zicht.core.exceptions import ApplicationError
from zicht.organisations.models import MUNICIPALITY_CODE

from .codes import BirthDatePrecision, Form, Indicator, Scope, Sector, Sex, Source
from .countries import COUNTRIES, LANGUAGES

_YEAR = re.compile(r"^\d{4}$")
_PHONE = re.compile(r"^\+?[0-9 ()./-]{6,20}$")
EARLIEST_BIRTH_YEAR = 1900
# Built once: `Choices.values` rebuilds its list on every access (~15 µs), and a
# bulk import checks each code list for every row.
_FORMS = frozenset(Form.values)
_INDICATORS = frozenset(Indicator.values)
_SEXES = tuple(Sex.values)
_SECTORS = tuple(Sector.values)
_SOURCES = tuple(Source.values)
_SCOPES = tuple(Scope.values)


def _codes(values: Iterable[str] | None, allowed: Iterable[str], field: str, *,
           required: bool = False, upper: bool = False) -> list[str]:
    if values is None:
        values = []
    if isinstance(values, str):
        raise ApplicationError(_("Give a list of codes."), field=field)
    allowed_set = allowed if isinstance(allowed, frozenset) else frozenset(allowed)
    cleaned: list[str] = []
    for raw in values:
        if not isinstance(raw, str):
            raise ApplicationError(_("Each code must be text."), field=field)
        code = raw.strip().upper() if upper else raw.strip()
        if code not in allowed_set:
            raise ApplicationError(
                _("Unknown code “%(code)s”. Use one of: %(allowed)s.")
                % {"code": raw, "allowed": ", ".join(sorted(allowed_set)[:30])},
                field=field,
            )
        if code not in cleaned:
            cleaned.append(code)
    if required and not cleaned:
        raise ApplicationError(_("Give at least one."), field=field)
    return cleaned


def clean_forms(values: Iterable[str] | None) -> list[str]:
    return _codes(values, _FORMS, "forms", required=True)


def clean_indicators(values: Iterable[str] | None) -> list[str]:
    return _codes(values, _INDICATORS, "indicators")


def clean_citizenships(values: Iterable[str] | None) -> list[str]:
    return _codes(values, COUNTRIES, "citizenships", upper=True)


def clean_languages(values: Iterable[str] | None) -> list[str]:
    return _codes([v.lower() for v in values or []], LANGUAGES, "languages")


def clean_choice(value: str | None, choices: Iterable[str], field: str, default: str) -> str:
    if value in (None, ""):
        return default
    if value not in (choices if isinstance(choices, tuple | frozenset) else set(choices)):
        raise ApplicationError(
            _("Unknown value “%(value)s”. Use one of: %(allowed)s.")
            % {"value": value, "allowed": ", ".join(choices)},
            field=field,
        )
    return str(value)


def clean_sex(value: str | None) -> str:
    return clean_choice(value, _SEXES, "sex", Sex.UNKNOWN)


def clean_sector(value: str | None) -> str:
    return clean_choice((value or "").upper() or None, _SECTORS, "sector", "")


def clean_source(value: str | None) -> str:
    if not value:
        raise ApplicationError(_("Say where the signal came from."), field="source")
    return clean_choice(value, _SOURCES, "source", "")


def clean_scope(value: str | None) -> str:
    return clean_choice(value, _SCOPES, "scope", Scope.UNKNOWN)


def clean_municipality(value: str | None) -> str:
    code = (value or "").strip().upper()
    if not MUNICIPALITY_CODE.match(code):
        raise ApplicationError(
            _("Use a CBS municipality code: GM followed by four digits, e.g. GM0363."),
            field="municipality",
        )
    return code


def clean_birth_date(value: str | date | None, *, today: date) -> tuple[str, int | None, str]:
    """A full date or a year alone. Returns (stored text, birth year, precision)."""
    if value in (None, ""):
        return "", None, BirthDatePrecision.UNKNOWN
    text = value.isoformat() if isinstance(value, date) else str(value).strip()
    if _YEAR.match(text):
        year = int(text)
        if not EARLIEST_BIRTH_YEAR <= year <= today.year:
            raise ApplicationError(
                _("The birth year must lie between %(low)s and this year.")
                % {"low": EARLIEST_BIRTH_YEAR},
                field="birth_date",
            )
        return text, year, BirthDatePrecision.YEAR
    try:
        born = date.fromisoformat(text)
    except ValueError:
        raise ApplicationError(
            _("Give a real date as YYYY-MM-DD, or only the year as YYYY."), field="birth_date"
        ) from None
    if born > today:
        raise ApplicationError(_("The birth date lies in the future."), field="birth_date")
    if born.year < EARLIEST_BIRTH_YEAR:
        raise ApplicationError(
            _("The birth year must lie between %(low)s and this year.")
            % {"low": EARLIEST_BIRTH_YEAR},
            field="birth_date",
        )
    return born.isoformat(), born.year, BirthDatePrecision.DAY


def clean_phone(value: str | None) -> str:
    text = (value or "").strip()
    if text and not _PHONE.match(text):
        raise ApplicationError(
            _("Use digits, spaces and an optional leading +, e.g. +31 6 12345678."), field="phone"
        )
    return text


def clean_signal_dates(*, signalled_on: date, started: date | None, ended: date | None,
                       today: date) -> None:
    if signalled_on > today:
        raise ApplicationError(_("The signal date lies in the future."), field="signalled_on")
    if signalled_on.year < 2000:
        raise ApplicationError(_("The signal date lies before 2000."), field="signalled_on")
    if started and started > today:
        raise ApplicationError(
            _("The exploitation cannot start in the future."), field="exploitation_started_on"
        )
    if started and ended and ended < started:
        raise ApplicationError(
            _("The end of the exploitation lies before its start."),
            field="exploitation_ended_on",
        )


def clean_identity_documents(values: list[dict] | None) -> list[dict[str, str]]:
    cleaned = []
    for doc in values or []:
        if not isinstance(doc, dict):
            raise ApplicationError(
                _("Each document is an object with kind, number and country."),
                field="identity_documents",
            )
        kind = str(doc.get("kind", "")).strip()
        number = str(doc.get("number", "")).strip()
        country = str(doc.get("country", "")).strip().upper()
        if not kind or not number:
            raise ApplicationError(
                _("A document needs a kind and a number."), field="identity_documents"
            )
        if country and country not in COUNTRIES:
            raise ApplicationError(
                _("Unknown country code “%(code)s”.") % {"code": country},
                field="identity_documents",
            )
        cleaned.append({"kind": kind[:40], "number": number[:64], "country": country})
    return cleaned


def clean_text(value: str | None, field: str, *, max_length: int) -> str:
    text = (value or "").strip()
    if len(text) > max_length:
        raise ApplicationError(
            _("Keep this under %(n)s characters.") % {"n": max_length}, field=field
        )
    return text
