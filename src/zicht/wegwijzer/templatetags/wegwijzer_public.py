"""What every public page shows: the language links and the quick exit."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language, get_language_info

from zicht.wegwijzer.models import localized
from zicht.wegwijzer.security import conf

register = template.Library()


@register.simple_tag(takes_context=True)
def public_chrome(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    here = request.get_full_path() if request is not None and request.method == "GET" else (
        request.path if request is not None else "/wegwijzer/")
    current = get_language()
    switch = reverse("wegwijzer:language")
    languages = []
    for code, _ in settings.LANGUAGES:
        info = get_language_info(code)
        languages.append({
            "code": code, "name": info["name_local"], "current": code == current,
            "url": f"{switch}?{urlencode({'lang': code, 'next': here})}",
        })
    return {"languages": languages, "quick_exit_url": conf("WEGWIJZER_QUICK_EXIT_URL")}


@register.filter
def in_language(texts: dict[str, str] | None, language: str) -> str:
    return localized(texts, language)


@register.filter
def language_names(codes: list[str]) -> str:
    names = []
    for code in codes or []:
        try:
            names.append(get_language_info(code)["name_local"])
        except KeyError:
            names.append(code)
    return ", ".join(names)
