"""Labels for the code lists stored as plain codes (JSON lists, sector letter)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from ..codes import Form, Indicator, Sector

register = template.Library()


def _labels(codes: Iterable[str] | None, choices: Iterable[tuple[str, object]]) -> list[str]:
    # Labels are lazy translations; str() renders them in the active language.
    names = dict(choices)
    return [str(names.get(code, code)) for code in codes or []]


@register.filter
def form_labels(codes: Iterable[str] | None) -> list[str]:
    return _labels(codes, Form.choices)


@register.filter
def indicator_labels(codes: Iterable[str] | None) -> list[str]:
    return _labels(codes, Indicator.choices)


@register.filter
def sector_label(code: str) -> str:
    return str(dict(Sector.choices).get(code, code)) if code else ""


@register.simple_tag
def person_reference(person_id: int) -> str:
    return f"P-{person_id}"
