from __future__ import annotations

from typing import Any

from django import template

from zicht.figures.counting import DIMENSIONS

register = template.Library()


@register.filter
def zip_drops(steps: list[Any], drops: list[Any]) -> list[tuple[Any, Any]]:
    return list(zip(steps, drops, strict=True))


@register.filter
def form_label(form: str) -> str:
    return DIMENSIONS["form"].label_of(form)
