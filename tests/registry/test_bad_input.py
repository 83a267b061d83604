"""Bad input gets a 4xx answer in JSON naming each bad field, and stores nothing."""

from __future__ import annotations

import datetime as dt
import json
from contextlib import contextmanager

import pytest
from django.test import override_settings
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from tests.factories import OrganisationFactory, UserFactory, make_person, make_signal
from zicht.audit.models import AuditEvent
from zicht.core.exceptions import NotFound
from zicht.organisations.models import Role
from zicht.registry import services
from zicht.registry.models import Consent, Person, Signal

HUGE = 10**30  # larger than any database integer


@pytest.fixture
def client(caseworker):  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(caseworker)
    return client


@pytest.fixture
def person(caseworker):  # type: ignore[no-untyped-def]
    return make_person(caseworker, phone="+31 6 12345678")


@pytest.fixture
def signal(caseworker, person):  # type: ignore[no-untyped-def]
    return make_signal(caseworker, person, exploitation_started_on=dt.date(2024, 1, 1))


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count()
            for model in (Person, Signal, Consent, AuditEvent)}


@contextmanager
def stores_nothing():  # type: ignore[no-untyped-def]
    before = counts()
    yield
    assert counts() == before


def assert_names(response, *fields: str) -> None:  # type: ignore[no-untyped-def]
    assert 400 <= response.status_code < 500, response.content
    body = response.json()
    assert isinstance(body, dict), body
    for field in fields:
        assert field in body, f"{field!r} not named in {body}"


def signal_body(person_id: int, **overrides):  # type: ignore[no-untyped-def]
    body = {"person": person_id, "signalled_on": "2025-03-01", "forms": ["labour"],
            "municipality": "GM0363", "source": "own_observation"}
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not ...}


# --- POST /persons/ -----------------------------------------------------------------------

PERSON_CASES = [
    ("unknown field", {"family_name": "Novak", "nickname": "N"}, ["nickname"]),
    ("impossible birth date", {"family_name": "Novak", "birth_date": "2025-02-30"}, ["birth_date"]),
    ("future birth date", {"family_name": "Novak", "birth_date": "2999-01-01"}, ["birth_date"]),
    ("future birth year", {"family_name": "Novak", "birth_date": "2999"}, ["birth_date"]),
    ("birth date as a number", {"family_name": "Novak", "birth_date": 19950412}, ["birth_date"]),
    ("string instead of list", {"family_name": "Novak", "citizenships": "NL"}, ["citizenships"]),
    ("list instead of string", {"family_name": ["Novak"]}, ["family_name"]),
    ("number for a name", {"family_name": 12345}, ["family_name"]),
    ("boolean for a name", {"given_names": True, "family_name": "Novak"}, ["given_names"]),
    ("null name", {"family_name": None}, ["family_name"]),
    ("null sex", {"family_name": "Novak", "sex": None}, ["sex"]),
    ("unknown sex", {"family_name": "Novak", "sex": "x"}, ["sex"]),
    ("no name at all", {"birth_date": "1990-01-01"}, ["family_name"]),
    ("bad country code", {"family_name": "Novak", "citizenships": ["ZZ"]}, ["citizenships"]),
    ("three-letter country code", {"family_name": "Novak", "citizenships": ["NLD"]},
     ["citizenships"]),
    ("bad language code", {"family_name": "Novak", "languages": ["xx"]}, ["languages"]),
    ("bad document country", {"family_name": "Novak", "identity_documents": [
        {"kind": "passport", "number": "X1", "country": "XX"}]}, ["identity_documents"]),
    ("document without number", {"family_name": "Novak", "identity_documents": [
        {"kind": "passport"}]}, ["identity_documents"]),
    ("bad phone", {"family_name": "Novak", "phone": "call me maybe"}, ["phone"]),
    ("alias as a string", {"aliases": "Nana"}, ["aliases"]),
    ("several bad fields at once", {"family_name": 7, "citizenships": "NL", "colour": "red"},
     ["family_name", "citizenships", "colour"]),
]


@pytest.mark.parametrize("body, fields", [pytest.param(b, f, id=i) for i, b, f in PERSON_CASES])
def test_a_bad_person_is_refused_naming_the_field(client, body, fields):
    with stores_nothing():
        response = client.post("/api/v1/persons/", body, format="json")
    assert_names(response, *fields)


# --- POST /signals/ -----------------------------------------------------------------------

SIGNAL_CASES = [
    ("unknown form", {"forms": ["fishing"]}, ["forms"]),
    ("no form", {"forms": []}, ["forms"]),
    ("form as a string", {"forms": "labour"}, ["forms"]),
    ("unknown indicator", {"indicators": ["bad_luck"]}, ["indicators"]),
    ("impossible date", {"signalled_on": "2025-02-30"}, ["signalled_on"]),
    ("future signal date", {"signalled_on": "2999-01-01"}, ["signalled_on"]),
    ("signal date as a list", {"signalled_on": ["2025-03-01"]}, ["signalled_on"]),
    ("exploitation ends before it starts", {"exploitation_started_on": "2024-06-01",
                                            "exploitation_ended_on": "2024-01-01"},
     ["exploitation_ended_on"]),
    ("exploitation starts in the future", {"exploitation_started_on": "2999-01-01"},
     ["exploitation_started_on"]),
    ("bad municipality code", {"municipality": "GM363"}, ["municipality"]),
    ("municipality by name", {"municipality": "Amsterdam"}, ["municipality"]),
    ("municipality as a number", {"municipality": 363}, ["municipality"]),
    ("unknown sector", {"sector": "Z"}, ["sector"]),
    ("unknown source", {"source": "rumour"}, ["source"]),
    ("narrative as a list", {"narrative": ["a", "b"]}, ["narrative"]),
    ("unknown field", {"victim_name": "Maria"}, ["victim_name"]),
    ("null person", {"person": None}, ["person"]),
    ("person as text", {"person": "abc"}, ["person"]),
    ("nonexistent person", {"person": 987654321}, ["person"]),
    ("impossibly large person id", {"person": HUGE}, ["person"]),
    ("missing required fields", {"person": ..., "signalled_on": ..., "forms": ...,
                                 "municipality": ..., "source": ...},
     ["person", "signalled_on", "forms", "municipality", "source"]),
]


@pytest.mark.parametrize("overrides, fields", [pytest.param(b, f, id=i)
                                               for i, b, f in SIGNAL_CASES])
def test_a_bad_signal_is_refused_naming_the_field(client, person, overrides, fields):
    with stores_nothing():
        response = client.post("/api/v1/signals/", signal_body(person.pk, **overrides),
                               format="json")
    assert_names(response, *fields)


def test_a_signal_for_a_hidden_person_answers_like_one_for_a_nonexistent_person(person):
    outsider = APIClient()
    outsider.force_authenticate(UserFactory(organisation=OrganisationFactory(),
                                            role=Role.CASEWORKER))
    with stores_nothing():
        hidden = outsider.post("/api/v1/signals/", signal_body(person.pk), format="json")
        nonexistent = outsider.post("/api/v1/signals/", signal_body(987654321), format="json")
    assert_names(hidden, "person")
    assert (hidden.status_code, hidden.json()) == (nonexistent.status_code, nonexistent.json())


# --- POST /consents/ ----------------------------------------------------------------------

CONSENT_CASES = [
    ("unknown purpose", {"purpose": "marketing"}, ["purpose"]),
    ("unknown is not a statement", {"state": "unknown"}, ["state"]),
    ("future date", {"recorded_on": "2999-01-01"}, ["recorded_on"]),
    ("impossible date", {"recorded_on": "2025-02-30"}, ["recorded_on"]),
    ("state as a list", {"state": ["given"]}, ["state"]),
    ("nonexistent person", {"person": 987654321}, ["person"]),
    ("person as text", {"person": "abc"}, ["person"]),
    ("unknown field", {"signature": "M."}, ["signature"]),
]


@pytest.mark.parametrize("overrides, fields", [pytest.param(b, f, id=i)
                                               for i, b, f in CONSENT_CASES])
def test_a_bad_consent_is_refused_naming_the_field(client, person, overrides, fields):
    body = {"person": person.pk, "purpose": "care", "state": "given", **overrides}
    with stores_nothing():
        response = client.post("/api/v1/consents/", body, format="json")
    assert_names(response, *fields)
    person.refresh_from_db()
    assert person.consent_care == "unknown"


# --- PATCH -------------------------------------------------------------------------------

PERSON_PATCH_CASES = [
    ("impossible birth date", {"birth_date": "2025-02-30"}, ["birth_date"]),
    ("future birth date", {"birth_date": "2999-12-31"}, ["birth_date"]),
    ("number for a name", {"family_name": 5}, ["family_name"]),
    ("null name", {"given_names": None}, ["given_names"]),
    ("name removed entirely", {"given_names": "", "family_name": ""}, ["family_name"]),
    ("bad country code", {"citizenships": ["ZZ"]}, ["citizenships"]),
    ("unknown field", {"eye_colour": "brown"}, ["eye_colour"]),
]


@pytest.mark.parametrize("body, fields", [pytest.param(b, f, id=i)
                                          for i, b, f in PERSON_PATCH_CASES])
def test_a_bad_person_change_is_refused_and_changes_nothing(client, person, body, fields):
    with stores_nothing():
        response = client.patch(f"/api/v1/persons/{person.pk}/", body, format="json")
    assert_names(response, *fields)
    stored = Person.objects.get(pk=person.pk)
    assert stored.identity == person.identity
    assert stored.citizenships == ["RO"]


SIGNAL_PATCH_CASES = [
    ("unknown form", {"forms": ["fishing"]}, ["forms"]),
    ("future signal date", {"signalled_on": "2999-01-01"}, ["signalled_on"]),
    ("end before the stored start", {"exploitation_ended_on": "2023-01-01"},
     ["exploitation_ended_on"]),
    ("bad municipality", {"municipality": "GM12345"}, ["municipality"]),
    ("moving it to another person", {"person": 1}, ["person"]),
    ("changing the reference", {"external_ref": "X"}, ["external_ref"]),
]


@pytest.mark.parametrize("body, fields", [pytest.param(b, f, id=i)
                                          for i, b, f in SIGNAL_PATCH_CASES])
def test_a_bad_signal_change_is_refused_and_changes_nothing(client, signal, body, fields):
    with stores_nothing():
        response = client.patch(f"/api/v1/signals/{signal.pk}/", body, format="json")
    assert_names(response, *fields)
    stored = Signal.objects.get(pk=signal.pk)
    assert (stored.forms, stored.signalled_on, stored.municipality) == (
        signal.forms, signal.signalled_on, signal.municipality)


# --- Bodies that are not a JSON object ------------------------------------------------------

def endpoints(person, signal):  # type: ignore[no-untyped-def]
    return [("post", "/api/v1/persons/"), ("post", "/api/v1/signals/"),
            ("post", "/api/v1/consents/"), ("patch", f"/api/v1/persons/{person.pk}/"),
            ("patch", f"/api/v1/signals/{signal.pk}/")]


@pytest.mark.parametrize("raw", [b'{"family_name": "Nov', b"{'family_name': 'x'}", b"\xff\xfe",
                                 b'{"family_name": NaN}', b'{"a": 1} trailing'],
                         ids=["truncated", "single quotes", "not utf-8", "NaN", "trailing"])
def test_malformed_json_is_refused_naming_the_body(client, person, signal, raw):
    for method, url in endpoints(person, signal):
        with stores_nothing():
            response = getattr(client, method)(url, raw, content_type="application/json")
        assert_names(response, "body")


@pytest.mark.parametrize("value", [[{"family_name": "Novak"}], "Novak", 42, None],
                         ids=["array", "string", "number", "null"])
def test_a_json_value_that_is_not_an_object_is_refused_naming_the_body(
        client, person, signal, value):  # type: ignore[no-untyped-def]
    for method, url in endpoints(person, signal):
        with stores_nothing():
            response = getattr(client, method)(url, json.dumps(value),
                                               content_type="application/json")
        assert_names(response, "body")


@override_settings(API_MAX_BODY_BYTES=2000)
def test_an_oversized_body_gets_413_in_json(client, person):
    body = {"family_name": "Novak", "aliases": ["x" * 100] * 20}
    assert len(json.dumps(body)) > 2000
    for url, payload in [("/api/v1/persons/", body),
                         ("/api/v1/signals/", signal_body(person.pk, narrative="x" * 3000)),
                         ("/api/v1/consents/", {"person": person.pk, "purpose": "care",
                                                "state": "given", "pad": "x" * 3000})]:
        with stores_nothing():
            response = client.post(url, payload, format="json")
        assert response.status_code == 413
        assert_names(response, "body")


@pytest.mark.parametrize("key", ["k" * 129, "tab\there"], ids=["too long", "not printable"])
def test_a_bad_idempotency_key_is_refused_naming_the_header(client, key):
    with stores_nothing():
        response = client.post("/api/v1/persons/", {"family_name": "Novak"}, format="json",
                               HTTP_IDEMPOTENCY_KEY=key)
    assert_names(response, "Idempotency-Key")


# --- Ids in URLs and query strings ----------------------------------------------------------

@pytest.mark.parametrize("bad_id", ["abc", "1.5", "-1", "0", str(HUGE)])
@pytest.mark.parametrize("resource", ["persons", "signals", "consents"])
def test_a_malformed_id_in_the_url_answers_404_in_json(client, person, resource, bad_id):
    for method in ("get", "patch", "delete"):
        with stores_nothing():
            response = getattr(client, method)(f"/api/v1/{resource}/{bad_id}/", {},
                                               format="json")
        assert response.status_code in (404, 405), (method, response.content)
        assert response["Content-Type"] == "application/json"
        assert list(response.json()) == ["detail"]


@pytest.mark.parametrize("bad_id", ["abc", "1.5", "", "0", str(HUGE)])
@pytest.mark.parametrize("resource", ["signals", "consents"])
def test_a_malformed_person_filter_is_refused_naming_it(client, person, resource, bad_id):
    with stores_nothing():
        response = client.get(f"/api/v1/{resource}/", {"person": bad_id})
    if bad_id == "":
        assert response.status_code == 200  # no filter at all
    else:
        assert_names(response, "person")


def test_an_unknown_api_path_answers_404_in_json(client):
    response = client.get("/api/v1/victims/")
    assert response.status_code == 404
    assert list(response.json()) == ["detail"]


def test_a_share_with_a_bad_organisation_is_refused_naming_it(client, person):
    for organisation in ["abc", None, HUGE, 987654321]:
        with stores_nothing():
            response = client.post(f"/api/v1/persons/{person.pk}/share/",
                                   {"organisation": organisation}, format="json")
        assert_names(response, "organisation")


# --- Anything at all ------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
DATE_LIKE = st.sampled_from(["2025-03-01", "2025-02-30", "1990", "2999-01-01", "", "01-03-2025"])


def shaped_like(fields: dict):  # type: ignore[no-untyped-def]
    """Objects with the endpoint's own field names and values of any shape or a likely one."""
    return st.fixed_dictionaries({}, optional={
        name: st.one_of(json_values, likely) for name, likely in fields.items()})


PERSON_FIELDS = {
    "given_names": st.text(max_size=30), "family_name": st.text(max_size=30),
    "aliases": st.lists(st.text(max_size=10), max_size=3), "birth_date": DATE_LIKE,
    "sex": st.sampled_from(["female", "male", "x"]), "phone": st.text(max_size=25),
    "citizenships": st.lists(st.sampled_from(["NL", "RO", "ZZ", "nl"]), max_size=3),
    "languages": st.lists(st.sampled_from(["nl", "ro", "xx"]), max_size=3),
    "identity_documents": st.lists(st.fixed_dictionaries(
        {"kind": st.text(max_size=5), "number": st.text(max_size=5)},
        optional={"country": st.sampled_from(["NL", "ZZ", ""])}), max_size=2),
}


def signal_fields(person_id: int) -> dict:
    return {
        "person": st.sampled_from([person_id, 0, -1, 987654321, HUGE]),
        "signalled_on": DATE_LIKE, "exploitation_started_on": DATE_LIKE,
        "exploitation_ended_on": DATE_LIKE,
        "forms": st.lists(st.sampled_from(["sexual", "labour", "fishing"]), max_size=3),
        "indicators": st.lists(st.sampled_from(["deception", "bad_luck"]), max_size=3),
        "municipality": st.sampled_from(["GM0363", "GM363", "gm0599"]),
        "source": st.sampled_from(["anonymous", "rumour"]),
        "scope": st.sampled_from(["domestic", "moon"]), "sector": st.sampled_from(["A", "Z", ""]),
        "narrative": st.text(max_size=40), "external_ref": st.text(max_size=10),
    }


def consent_fields(person_id: int) -> dict:
    return {
        "person": st.sampled_from([person_id, 0, 987654321, HUGE]),
        "purpose": st.sampled_from(["care", "police", "registration", "marketing"]),
        "state": st.sampled_from(["given", "refused", "withdrawn", "unknown"]),
        "recorded_on": DATE_LIKE,
    }


CREATES = {"/api/v1/persons/": Person, "/api/v1/signals/": Signal, "/api/v1/consents/": Consent}


@pytest.mark.parametrize("url", list(CREATES))
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_json_gets_an_answer_below_500_and_no_partial_write(caseworker, url, data):
    person = Person.objects.filter(registering_organisation=caseworker.organisation).first() \
        or make_person(caseworker)
    fields = {"/api/v1/persons/": PERSON_FIELDS, "/api/v1/signals/": signal_fields(person.pk),
              "/api/v1/consents/": consent_fields(person.pk)}[url]
    body = data.draw(st.one_of(json_values, shaped_like(fields)), label="body")
    client = APIClient()
    client.force_authenticate(caseworker)
    before = counts()
    response = client.post(url, json.dumps(body), content_type="application/json")
    event(f"HTTP {response.status_code}")  # shown by --hypothesis-show-statistics
    assert response.status_code < 500
    assert isinstance(response.json(), dict)
    after = counts()
    if response.status_code == 201:
        created = CREATES[url].__name__
        assert after[created] == before[created] + 1
        assert after["AuditEvent"] == before["AuditEvent"] + 1
        assert {k: v for k, v in after.items() if k not in (created, "AuditEvent")} == {
            k: v for k, v in before.items() if k not in (created, "AuditEvent")}
    else:
        assert 400 <= response.status_code < 500
        assert after == before


def test_services_refuse_an_impossible_id_like_an_unknown_one(caseworker):
    for call in (lambda: services.person_update(actor=caseworker, person_id=HUGE, changes={}),
                 lambda: services.signal_delete(actor=caseworker, signal_id=HUGE)):
        with pytest.raises(NotFound):
            call()
