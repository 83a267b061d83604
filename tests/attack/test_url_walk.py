"""Every URL pattern, every role, anonymous too: person data only where the access rules allow.

The walk reads the URLconf itself (django.urls.get_resolver), so a page added later is walked
without anyone listing it here. Path parameters are filled with ids of real objects of the
right kind, from both organisations (tests/attack/world.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from tests.attack.world import ALFA_MARKER, BETA_MARKER, ROLES, World

# The kind of object a path parameter names: by its own name, else by the URL's name.
_KINDS = ("person", "signal", "consent", "pathway", "referral", "deadline", "redress",
          "placement", "shelter", "organisation")
# Values tried for parameters that name no object of the world (formats, codes).
_TEMPLATE_SYNTAX = re.compile(r"\{#|#\}|\{%|%\}")
_OTHER_VALUES = ("1", "html", "2025-H1", "nl", "restrict")


@dataclass(frozen=True)
class Route:
    name: str                 # namespaced URL name, for reverse()
    parameters: tuple[str, ...]


def _parameters(pattern: URLPattern | URLResolver) -> list[str]:
    regex = pattern.pattern.regex.pattern
    return re.findall(r"\(\?P<(\w+)>", regex)


def routes(patterns=None, namespace: str = "", inherited: tuple[str, ...] = ()) -> Iterator[Route]:  # type: ignore[no-untyped-def]
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        parameters = inherited + tuple(_parameters(pattern))
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from routes(pattern.url_patterns, inner, parameters)
        elif pattern.name and "format" not in parameters:
            yield Route(f"{namespace}{pattern.name}", parameters)


def _kind(parameter: str, name: str) -> str | None:
    # Only an id parameter takes its kind from the URL's name: a format or an action does not.
    names_an_id = parameter in ("pk", "id") or parameter.endswith("_id")
    for source in (parameter, name) if names_an_id else (parameter,):
        for kind in _KINDS:
            if kind in source:
                return kind
    return "redress" if "claim" in parameter else None


def urls_of(route: Route, world: World) -> Iterator[str]:
    """The route filled with one Alfa and one Beta object of each kind it names."""
    choices: list[list[str]] = []
    for parameter in route.parameters:
        kind = _kind(parameter, route.name)
        ids = world.objects.get(kind or "", [])
        if parameter == "app_label":
            choices.append(sorted({model._meta.app_label for model in admin.site._registry}))
        else:
            choices.append([str(ids[0]), str(ids[-1])] if ids else list(_OTHER_VALUES))
    seen: set[str] = set()
    for values in _combinations(choices):
        try:
            url = reverse(route.name, kwargs=dict(zip(route.parameters, values, strict=True)))
        except NoReverseMatch:
            continue
        if url not in seen:
            seen.add(url)
            yield url


def _combinations(choices: list[list[str]]) -> Iterator[list[str]]:
    if not choices:
        yield []
        return
    for first in choices[0]:
        for rest in _combinations(choices[1:]):
            yield [first, *rest]


def test_the_walk_reaches_the_pages_and_the_api_that_show_persons(world):  # type: ignore[no-untyped-def]
    names = {route.name for route in routes()}
    assert {"registry:person", "pathway:person", "shelters:match", "person-detail",
            "referral-detail", "audit:search"} <= names
    unreachable = [route.name for route in routes() if not list(urls_of(route, world))]
    assert unreachable == []


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
def test_person_data_appears_only_where_the_access_rules_allow(role, world):  # type: ignore[no-untyped-def]
    client = Client()
    allowed: set[str] = set()
    if role != "anonymous":
        client.force_login(world.users[role])
        allowed = world.markers_allowed_for(role)
    leaks, errors, raw, shown = [], [], [], set()
    for route in routes():
        for url in urls_of(route, world):
            response = client.get(url)
            if response.status_code >= 500:
                errors.append(f"{url}: {response.status_code}")
                continue
            body = b"".join(response.streaming_content) if response.streaming else response.content
            text = body.decode(errors="replace")
            for marker in (ALFA_MARKER, BETA_MARKER):
                if marker in text:
                    shown.add(marker)
                    if marker not in allowed:
                        leaks.append(f"{url} shows {marker}")
            # A template comment or tag that spans lines is printed as text, not run.
            if "text/html" in response.get("Content-Type", "") and _TEMPLATE_SYNTAX.search(text):
                raw.append(url)
    assert errors == []
    assert leaks == []
    assert raw == [], "template syntax shown as text"
    # The walk must also find the data it is allowed to find, or it proves nothing.
    assert shown == allowed
