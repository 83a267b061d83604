"""Labels for the programme monitor's code lists in templates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django import template
from django.utils.translation import gettext as _

from zicht.registry.codes import Form

from ..codes import GENERAL_FORM, Channel, ExpertiseArea, TargetGroup

register = template.Library()


def _labels(codes: Iterable[str] | None, choices: Mapping[str, object]) -> list[str]:
    # Labels are lazy translations; str() renders them in the active language.
    return [str(choices.get(code, code)) for code in codes or []]


@register.filter
def target_group_labels(codes: Iterable[str] | None) -> list[str]:
    return _labels(codes, dict(TargetGroup.choices))


@register.filter
def campaign_form_labels(codes: Iterable[str] | None) -> list[str]:
    return _labels(codes, {GENERAL_FORM: _("Trafficking in general"), **dict(Form.choices)})


@register.filter
def channel_labels(codes: Iterable[str] | None) -> list[str]:
    return _labels(codes, dict(Channel.choices))


@register.filter
def expertise_labels(codes: Iterable[str] | None) -> list[str]:
    return _labels(codes, dict(ExpertiseArea.choices))
