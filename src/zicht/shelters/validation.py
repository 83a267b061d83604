"""Checks on shelter and placement input; each raises ApplicationError naming the field."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from zicht.core.exceptions import ApplicationError
from zicht.registry.codes import Form
from zicht.registry.countries import LANGUAGES
from zicht.registry.validation import clean_municipality

from .codes import (
    ADULT_AGE,
    KIND_SEX,
    YOUTH_MAX_AGE,
    EndReason,
    SafetyLevel,
    SexServed,
    ShelterKind,
)

MAX_CAPACITY = 1000
MAX_AGE = 120
EARLIEST_DATE = date(2000, 1, 1)


def clean_choice(value: Any, choices: type, field: str, *, default: str | None = None) -> str:
    if value in (None, "") and default is not None:
        return default
    if value not in choices.values:  # type: ignore[attr-defined]
        raise ApplicationError(
            _("Unknown value “%(value)s”. Use one of: %(allowed)s.")
            % {"value": value if value not in (None, "") else "",
               "allowed": ", ".join(choices.values)},  # type: ignore[attr-defined]
            field=field,
        )
    return str(value)


def clean_whole_number(value: Any, field: str, *, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value).strip())
        except (TypeError, ValueError):
            raise ApplicationError(_("Give a whole number."), field=field) from None
    if value < low:
        raise ApplicationError(_("Give a number of at least %(low)s.") % {"low": low}, field=field)
    if value > high:
        raise ApplicationError(_("Give a number of at most %(high)s.") % {"high": high},
                               field=field)
    return value


def clean_codes(values: Iterable[str] | None, allowed: Iterable[str], field: str, *,
                required: bool) -> list[str]:
    if values is None:
        values = []
    if isinstance(values, str):
        raise ApplicationError(_("Give a list of codes."), field=field)
    allowed_set = set(allowed)
    cleaned: list[str] = []
    for raw in values:
        code = raw.strip().lower() if isinstance(raw, str) else raw
        if code not in allowed_set:
            raise ApplicationError(_("Unknown code “%(code)s”.") % {"code": raw}, field=field)
        if code not in cleaned:
            cleaned.append(code)
    if required and not cleaned:
        raise ApplicationError(_("Give at least one."), field=field)
    return cleaned


def clean_name(value: Any) -> str:
    name = str(value or "").strip()
    if not name:
        raise ApplicationError(_("Give the shelter a name."), field="name")
    if len(name) > 200:
        raise ApplicationError(_("Keep this under %(n)s characters.") % {"n": 200}, field="name")
    return name


def _optional_age(value: Any, field: str, default: int | None) -> int | None:
    if value in (None, ""):
        return default
    return clean_whole_number(value, field, low=0, high=MAX_AGE)


def _required(value: Any, field: str) -> Any:
    if value in (None, ""):
        raise ApplicationError(_("This field is required."), field=field)
    return value


def shelter_fields(values: dict[str, Any]) -> dict[str, Any]:
    """Validated column values for a shelter, defaults filled in from its kind."""
    kind = clean_choice(_required(values.get("kind"), "kind"), ShelterKind, "kind")
    youth = kind == ShelterKind.YOUTH_CARE
    implied_sex = KIND_SEX.get(kind)
    sex_served = clean_choice(values.get("sex_served"), SexServed, "sex_served",
                              default=implied_sex or SexServed.ANY)
    if implied_sex and sex_served != implied_sex:
        raise ApplicationError(
            _("A shelter of this kind takes %(sex)s only.")
            % {"sex": str(dict(SexServed.choices)[implied_sex]).lower()},
            field="sex_served",
        )
    min_age = _optional_age(values.get("min_age"), "min_age", 0 if youth else ADULT_AGE)
    max_age = _optional_age(values.get("max_age"), "max_age", YOUTH_MAX_AGE if youth else None)
    assert min_age is not None
    if max_age is not None and min_age > max_age:
        raise ApplicationError(_("The minimum age is above the maximum age."), field="min_age")
    if youth and (max_age is None or max_age > YOUTH_MAX_AGE):
        raise ApplicationError(
            _("Youth care takes minors only: the maximum age is at most %(age)s.")
            % {"age": YOUTH_MAX_AGE}, field="max_age")
    if not youth and min_age < ADULT_AGE:
        raise ApplicationError(
            _("Only youth care takes minors: the minimum age is at least %(age)s.")
            % {"age": ADULT_AGE}, field="min_age")
    return {
        "name": clean_name(values.get("name")),
        "kind": kind,
        "sex_served": sex_served,
        "min_age": min_age,
        "max_age": max_age,
        "forms": clean_codes(values.get("forms"), Form.values, "forms", required=False),
        "languages": clean_codes(values.get("languages"), LANGUAGES, "languages",
                                 required=True),
        "safety_level": clean_choice(values.get("safety_level"), SafetyLevel, "safety_level",
                                     default=SafetyLevel.NORMAL),
        "municipality": clean_municipality(values.get("municipality")),
        "capacity": clean_whole_number(_required(values.get("capacity"), "capacity"),
                                       "capacity", low=0, high=MAX_CAPACITY),
    }


def clean_date(value: Any, field: str, *, today: date, default: date | None = None) -> date:
    if value in (None, ""):
        return _required(default, field)
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value))
        except ValueError:
            raise ApplicationError(_("Give a real date as YYYY-MM-DD."), field=field) from None
    if value > today:
        raise ApplicationError(_("The date lies in the future."), field=field)
    if value < EARLIEST_DATE:
        raise ApplicationError(_("The date lies before 2000."), field=field)
    return value


def clean_end_reason(value: Any) -> str:
    if value in (None, ""):
        raise ApplicationError(_("Say why the placement ends."), field="end_reason")
    return clean_choice(value, EndReason, "end_reason")
