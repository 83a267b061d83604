"""Input rules of the programme monitor. Each refusal names the field at fault."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from zicht.core.exceptions import ApplicationError
from zicht.organisations.models import validate_municipality_code
from zicht.registry import validation as registry_validation

from .codes import IndicatorKind

ACTION_NUMBER = re.compile(r"^(\d{1,2})\.(\d{1,2})$")
PERIOD_CODE = re.compile(r"^(\d{4})-H([12])$")
INDICATOR_CODE = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
# Largest number an indicator holds (DecimalField(18, 4)).
MAX_NUMBER = Decimal("99999999999999")

clean_text = registry_validation.clean_text
clean_choice = registry_validation.clean_choice
clean_languages = registry_validation.clean_languages


def require_text(value: str | None, field: str, *, max_length: int) -> str:
    text = clean_text(value, field, max_length=max_length)
    if not text:
        raise ApplicationError(_("This field may not be empty."), field=field)
    return text


def clean_codes(values: Iterable[str] | None, allowed: Iterable[str], field: str, *,
                required: bool = False) -> list[str]:
    allowed = list(allowed)
    if isinstance(values, str):
        raise ApplicationError(_("Give a list of codes."), field=field)
    chosen: list[str] = []
    for value in values or []:
        if value not in allowed:
            raise ApplicationError(
                _("Unknown value “%(value)s”. Use one of: %(allowed)s.")
                % {"value": value, "allowed": ", ".join(allowed)}, field=field)
        if value not in chosen:
            chosen.append(value)
    if required and not chosen:
        raise ApplicationError(_("Choose at least one."), field=field)
    return chosen


def clean_names(values: Iterable[str] | None, field: str, *, max_items: int = 30) -> list[str]:
    if isinstance(values, str):
        raise ApplicationError(_("Give a list of names."), field=field)
    names = [clean_text(v, field, max_length=200) for v in values or []]
    names = [n for n in names if n]
    if len(names) > max_items:
        raise ApplicationError(_("Give at most %(n)s names.") % {"n": max_items}, field=field)
    return list(dict.fromkeys(names))


def clean_municipality(value: str | None, field: str) -> str:
    code = (value or "").strip().upper()
    try:
        validate_municipality_code(code)
    except Exception:  # Django's ValidationError: same message, but on our field
        raise ApplicationError(
            _("Use a CBS municipality code: GM followed by four digits, e.g. GM0363."),
            field=field) from None
    return code


def clean_action_number(value: str | None, *, line_number: int) -> str:
    match = ACTION_NUMBER.match((value or "").strip())
    if not match:
        raise ApplicationError(_("Number an action as line.place, e.g. 3.2."), field="number")
    if int(match.group(1)) != line_number:
        raise ApplicationError(
            _("An action in line %(line)s is numbered %(line)s.n.") % {"line": line_number},
            field="number")
    return f"{int(match.group(1))}.{int(match.group(2))}"


def parse_period_code(value: str | None, field: str = "period") -> tuple[int, int]:
    match = PERIOD_CODE.match((value or "").strip().upper())
    if not match:
        raise ApplicationError(_("Give a period as YYYY-H1 or YYYY-H2, e.g. 2025-H1."),
                               field=field)
    return int(match.group(1)), int(match.group(2))


def period_bounds(year: int, half: int) -> tuple[date, date]:
    if half == 1:
        return date(year, 1, 1), date(year, 6, 30)
    return date(year, 7, 1), date(year, 12, 31)


def _number(raw: Any, field: str, name: str) -> Decimal:
    wrong = ApplicationError(
        _("%(indicator)s takes a number; “%(value)s” is not one.") % {"indicator": name,
                                                                       "value": raw},
        field=field)
    # JSON true/false are not numbers, even though Python counts bool as int.
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        raise wrong
    try:
        number = Decimal(str(raw).strip().replace(",", ".") if isinstance(raw, str) else str(raw))
    except InvalidOperation:
        raise wrong from None
    if not number.is_finite():
        raise wrong
    if abs(number) > MAX_NUMBER:
        raise ApplicationError(_("This number is too large."), field=field)
    return number


def clean_indicator_value(kind: str, raw: Any, *, field: str, name: str
                          ) -> tuple[Decimal | None, str]:
    """(value_number, value_text) for an indicator of `kind`, or a 400 naming `field`."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise ApplicationError(_("Give a value for %(indicator)s.") % {"indicator": name},
                               field=field)
    if kind == IndicatorKind.TEXT:
        if not isinstance(raw, str):
            raise ApplicationError(
                _("%(indicator)s takes text, not a number or a list.") % {"indicator": name},
                field=field)
        return None, clean_text(raw, field, max_length=1000)
    number = _number(raw, field, name)
    if kind == IndicatorKind.INTEGER:
        if number != number.to_integral_value():
            raise ApplicationError(
                _("%(indicator)s takes a whole number; “%(value)s” is not one.")
                % {"indicator": name, "value": raw}, field=field)
        if number < 0:
            raise ApplicationError(_("%(indicator)s cannot be negative.") % {"indicator": name},
                                   field=field)
        return number.to_integral_value(), ""
    if kind == IndicatorKind.PERCENTAGE and not Decimal(0) <= number <= Decimal(100):
        raise ApplicationError(
            _("%(indicator)s is a percentage: give a number from 0 to 100.") % {"indicator": name},
            field=field)
    if number != number.quantize(Decimal("0.0001")):
        raise ApplicationError(_("Give at most four decimals."), field=field)
    return number, ""


def clean_money(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    number = _number(value, field, field)
    if number < 0 or number > Decimal("9999999"):
        raise ApplicationError(_("Give an amount from 0 to 9,999,999 euro."), field=field)
    return number.quantize(Decimal("0.01"))
