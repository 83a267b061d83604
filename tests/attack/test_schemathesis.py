"""Schemathesis against the OpenAPI schema: every operation, every role, two organisations.

For each operation Hypothesis draws requests from the schema, valid ones and deliberately
invalid ones, and a role to send them as (or none: anonymous).
Path ids are, half of the time, ids of real objects of both organisations. Every answer must
be no server error, match the schema where the schema documents that status, and never
carry person data the role may not see (the planted markers, tests/attack/world.py).

`make test` runs a few examples per operation; `make fuzz` (ZICHT_FUZZ_EXAMPLES) many more.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
)

from tests.attack.world import ALFA_MARKER, BETA_MARKER, ROLES, World
from zicht.organisations.services import token_create
from zicht.wsgi import application

EXAMPLES = int(os.environ.get("ZICHT_FUZZ_EXAMPLES", "4"))
# `make test` draws the same examples every run; `make fuzz` new ones each time.
DERANDOMIZE = "ZICHT_FUZZ_EXAMPLES" not in os.environ
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance,
          response_headers_conformance]


def _openapi() -> dict[str, Any]:
    """The schema /api/schema/ serves, built without a request (no database at collection)."""
    raw = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(raw))


SCHEMA = schemathesis.openapi.from_dict(_openapi())
SCHEMA.app = application
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]

# Which kind of object the `{id}` of a path names, from the path's first segment.
_KIND_OF_COLLECTION = {
    "persons": "person", "signals": "signal", "consents": "consent", "pathways": "pathway",
    "referrals": "referral", "deadlines": "deadline", "redress": "redress",
    "shelters": "shelter", "placements": "placement", "organisations": "organisation",
}


def real_ids(world: World, path: str) -> list[int]:
    match = re.match(r"^/api/v1/([^/]+)/\{", path)
    kind = _KIND_OF_COLLECTION.get(match.group(1), "") if match else ""
    return world.objects.get(kind, [])


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():  # type: ignore[no-untyped-def]
    """Schemathesis calls the WSGI app directly. Like Django's test client, keep the app from
    closing the connection between requests: that would end the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
def test_no_role_gets_a_server_error_a_schema_violation_or_another_organisations_data(
        operation, world):  # type: ignore[no-untyped-def]
    tokens = {role: token_create(actor=None, user=user) for role, user in world.users.items()}
    ids = real_ids(world, operation.path)
    # Bad input must get a 4xx naming the field, never a 500: invalid requests too.
    requests = (operation.as_strategy(generation_mode=GenerationMode.POSITIVE)
                | operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=DERANDOMIZE,
              suppress_health_check=list(HealthCheck))
    @given(case=requests, role=st.sampled_from([*ROLES, "anonymous"]), data=st.data())
    def attack(case, role, data):  # type: ignore[no-untyped-def]
        if ids and "id" in (case.path_parameters or {}) and data.draw(st.booleans()):
            case.path_parameters["id"] = data.draw(st.sampled_from(ids))
        headers = {} if role == "anonymous" else {"Authorization": f"Token {tokens[role]}"}
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)
        body = response.content.decode(errors="replace")
        assert BETA_MARKER not in body, f"{role} saw another organisation's person data"
        if ALFA_MARKER not in world.markers_allowed_for(role):
            assert ALFA_MARKER not in body, f"{role} saw person data the role may not see"

    attack()


def test_the_fuzz_covers_every_operation_of_the_schema():
    paths = {op.path for op in OPERATIONS}
    assert "/api/v1/persons/{id}/" in paths
    assert len(OPERATIONS) == sum(
        1 for item in SCHEMA.raw_schema["paths"].values() for method in item
        if method in {"get", "post", "put", "patch", "delete"})
