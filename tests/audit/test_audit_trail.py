"""Every read and write of a person's data leaves an audit row, in the same transaction."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from tests.factories import UserFactory, make_person, make_signal
from zicht.audit.models import AuditEvent
from zicht.audit.services import audit_record, audit_record_many
from zicht.organisations.models import Role
from zicht.registry import services
from zicht.registry.models import Consent, Person, Signal


@pytest.fixture
def client(caseworker):  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(caseworker)
    return client


@pytest.fixture
def person(caseworker):  # type: ignore[no-untyped-def]
    return make_person(caseworker)


@pytest.fixture
def signal(caseworker, person):  # type: ignore[no-untyped-def]
    return make_signal(caseworker, person)


@pytest.fixture
def consent(caseworker, person):  # type: ignore[no-untyped-def]
    return services.consent_record(actor=caseworker, person_id=person.pk, purpose="care",
                                   state="given")


def signal_body(person_id: int) -> dict:
    return {"person": person_id, "signalled_on": "2025-03-01", "forms": ["labour"],
            "municipality": "GM0363", "source": "anonymous", "narrative": "Works nights."}


# (name, method, url template, body, expected action, object type, whose object)
API_ACTIONS = [
    ("person create", "post", "/api/v1/persons/", {"family_name": "Novak"}, "person.create",
     "registry.person", "new"),
    ("person read", "get", "/api/v1/persons/{person}/", None, "person.read", "registry.person",
     "person"),
    ("person list", "get", "/api/v1/persons/", None, "person.list", "registry.person", "person"),
    ("person search", "get", "/api/v1/persons/?given_names=maria&family_name=IONESCU"
     "&birth_date=1995-04-12", None, "person.list", "registry.person", "person"),
    ("person update", "patch", "/api/v1/persons/{person}/", {"phone": "+31 6 11112222"},
     "person.update", "registry.person", "person"),
    ("person delete", "delete", "/api/v1/persons/{person}/", None, "person.delete",
     "registry.person", "person"),
    ("signal create", "post", "/api/v1/signals/", "signal", "signal.create", "registry.signal",
     "new"),
    ("signal read", "get", "/api/v1/signals/{signal}/", None, "signal.read", "registry.signal",
     "signal"),
    ("signal list", "get", "/api/v1/signals/?person={person}", None, "signal.list",
     "registry.signal", "signal"),
    ("signal update", "patch", "/api/v1/signals/{signal}/", {"sector": "F"}, "signal.update",
     "registry.signal", "signal"),
    ("signal delete", "delete", "/api/v1/signals/{signal}/", None, "signal.delete",
     "registry.signal", "signal"),
    ("consent create", "post", "/api/v1/consents/", "consent", "consent.create",
     "registry.consent", "new"),
    ("consent read", "get", "/api/v1/consents/{consent}/", None, "consent.read",
     "registry.consent", "consent"),
    ("consent list", "get", "/api/v1/consents/?person={person}", None, "consent.list",
     "registry.consent", "consent"),
]


@pytest.mark.parametrize("method, url, body, action, object_type, whose",
                         [pytest.param(*case[1:], id=case[0]) for case in API_ACTIONS])
def test_every_api_read_and_write_is_audited_with_who_what_and_request(
        client, caseworker, person, signal, consent, method, url, body, action, object_type,
        whose):  # type: ignore[no-untyped-def]
    url = url.format(person=person.pk, signal=signal.pk, consent=consent.pk)
    if body == "signal":
        body = signal_body(person.pk)
    elif body == "consent":
        body = {"person": person.pk, "purpose": "police", "state": "refused"}
    response = getattr(client, method)(url, body, format="json", HTTP_X_REQUEST_ID="req-42.a_b")
    assert response.status_code < 300, response.content
    assert response["X-Request-ID"] == "req-42.a_b"

    rows = AuditEvent.objects.filter(request_id="req-42.a_b", action=action)
    assert rows.count() == 1
    row = rows.get()
    expected_object = {"person": person.pk, "signal": signal.pk, "consent": consent.pk,
                       "new": response.json()["id"] if whose == "new" else None}[whose]
    assert (row.actor_id, row.actor_username, row.organisation_id) == (
        caseworker.pk, "caseworker", caseworker.organisation_id)
    assert (row.object_type, row.object_id) == (object_type, expected_object)
    expected_person = expected_object if object_type == "registry.person" else person.pk
    assert row.person_id == expected_person


def test_deleting_a_person_audits_the_signals_that_go_with_it(client, caseworker, person,
                                                              signal):
    second = make_signal(caseworker, person, signalled_on=signal.signalled_on)
    client.delete(f"/api/v1/persons/{person.pk}/", HTTP_X_REQUEST_ID="erase-1")
    rows = AuditEvent.objects.filter(request_id="erase-1")
    assert sorted(rows.values_list("action", "object_id")) == sorted([
        ("person.delete", person.pk), ("signal.delete", signal.pk), ("signal.delete", second.pk)])
    assert set(rows.values_list("person_id", flat=True)) == {person.pk}


def test_a_list_writes_one_row_per_person_shown_and_none_for_hidden_ones(client, caseworker,
                                                                         person):
    other = make_person(caseworker, family_name="Petrova")
    hidden = make_person(UserFactory(role=Role.CASEWORKER), family_name="Elders")
    client.get("/api/v1/persons/", HTTP_X_REQUEST_ID="list-1")
    shown = set(AuditEvent.objects.filter(request_id="list-1").values_list("person_id", flat=True))
    assert shown == {person.pk, other.pk}
    assert hidden.pk not in shown


def test_an_unsafe_request_id_is_replaced_not_stored(client, person):
    response = client.get(f"/api/v1/persons/{person.pk}/", HTTP_X_REQUEST_ID="x'; DROP TABLE")
    stored = AuditEvent.objects.filter(action="person.read").latest("seq").request_id
    assert stored == response["X-Request-ID"]
    assert stored != "x'; DROP TABLE"
    assert len(stored) == 32


def test_a_refused_request_leaves_no_audit_row(client, person):
    before = AuditEvent.objects.count()
    assert client.post("/api/v1/persons/", {"family_name": 5}, format="json").status_code == 400
    assert client.patch(f"/api/v1/persons/{person.pk}/", {"birth_date": "2025-02-30"},
                        format="json").status_code == 400
    assert AuditEvent.objects.count() == before


def test_a_change_whose_audit_row_fails_is_not_stored(caseworker, person):
    before = (Person.objects.count(), Signal.objects.count(), AuditEvent.objects.count())
    with mock.patch("zicht.registry.services.audit_record", side_effect=RuntimeError("disk full")):
        with pytest.raises(RuntimeError):
            make_signal(caseworker, person)
        with pytest.raises(RuntimeError):
            make_person(caseworker, family_name="Novak")
    assert (Person.objects.count(), Signal.objects.count(), AuditEvent.objects.count()) == before


def test_a_write_that_fails_after_its_audit_row_takes_the_row_along(caseworker, person):
    """The audit row is written inside the change's transaction: a late failure undoes both."""
    def audit_then_fail(**kwargs):  # type: ignore[no-untyped-def]
        audit_record(**kwargs)
        assert AuditEvent.objects.filter(action=kwargs["action"]).exists()
        raise RuntimeError("connection lost after the audit insert")

    before = (Consent.objects.count(), AuditEvent.objects.count())
    with mock.patch("zicht.registry.services.audit_record", side_effect=audit_then_fail), \
            pytest.raises(RuntimeError):
        services.consent_record(actor=caseworker, person_id=person.pk, purpose="care",
                                state="given")
    assert (Consent.objects.count(), AuditEvent.objects.count()) == before
    person.refresh_from_db()
    assert person.consent_care == "unknown"


def test_a_read_whose_audit_row_fails_shows_nothing(client, person):
    with mock.patch("zicht.registry.selectors.audit_record_many",
                    side_effect=RuntimeError("audit store down")), pytest.raises(RuntimeError):
        client.get(f"/api/v1/persons/{person.pk}/")


@pytest.mark.django_db(transaction=True)
def test_audit_rows_are_refused_outside_a_transaction():
    with pytest.raises(RuntimeError, match="same transaction"):
        audit_record(actor=None, action="test.outside")
    with transaction.atomic():
        audit_record(actor=None, action="test.inside")
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["test.inside"]


def test_audit_rows_carry_no_personal_data(client, caseworker):
    client.post("/api/v1/persons/", {"given_names": "Zsófia", "family_name": "Kertész",
                                     "birth_date": "1999-09-09", "phone": "+36 30 1234567"},
                format="json")
    person = Person.objects.latest("pk")
    client.patch(f"/api/v1/persons/{person.pk}/", {"family_name": "Kertész-Nagy"}, format="json")
    client.get("/api/v1/persons/", {"given_names": "Zsófia", "family_name": "Kertész-Nagy",
                                    "birth_date": "1999-09-09"})
    dumped = repr(list(AuditEvent.objects.values()))
    for secret in ("Zsófia", "Kertész", "1999-09-09", "1234567"):
        assert secret not in dumped


def test_audit_record_many_chains_rows_in_order(caseworker):
    from zicht.audit.services import Entry

    with transaction.atomic():
        first = audit_record(actor=caseworker, action="test.one")
        more = audit_record_many(actor=caseworker, entries=[Entry("test.two"), Entry("test.three")])
    assert [e.seq for e in [first, *more]] == [first.seq, first.seq + 1, first.seq + 2]
    assert more[0].prev_hash == first.hash and more[1].prev_hash == more[0].hash
