"""Language helpers for templates.

`registry_languages` gives the languages the registry's own pages offer
(settings.REGISTRY_LANGUAGES); the public Wegwijzer offers all of settings.LANGUAGES.
"""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def registry_languages() -> list[str]:
    offered = getattr(settings, "REGISTRY_LANGUAGES", None) or [c for c, _ in settings.LANGUAGES]
    return [code for code, _ in settings.LANGUAGES if code in offered]
