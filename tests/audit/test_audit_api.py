"""Auditors ask "who saw or changed this person"; nobody else learns the log exists."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import OrganisationFactory, UserFactory, make_person
from zicht.audit.models import AuditEvent
from zicht.organisations.models import OrganisationKind, Role
from zicht.registry import selectors, services


def client_for(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def auditor(db):  # type: ignore[no-untyped-def]
    return UserFactory(organisation=OrganisationFactory(name="Toezicht", kind=OrganisationKind.RIEC),
                       role=Role.AUDITOR, username="auditor")


@pytest.fixture
def history(caseworker, comensha):  # type: ignore[no-untyped-def]
    """A person registered by the caseworker, then read and changed by the coordinator."""
    person = make_person(caseworker)
    services.consent_record(actor=caseworker, person_id=person.pk, purpose="registration",
                            state="given")
    coordinator = UserFactory(organisation=comensha, role=Role.NATIONAL_COORDINATOR,
                              username="coordinator")
    selectors.person_get(actor=coordinator, person_id=person.pk)
    services.person_update(actor=coordinator, person_id=person.pk, changes={"sex": "female"})
    bystander = make_person(caseworker, family_name="Andere")
    return person, coordinator, bystander


def test_an_auditor_sees_who_saw_and_changed_a_person(auditor, history):
    person, coordinator, bystander = history
    response = client_for(auditor).get("/api/v1/audit/", {"person": person.pk})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert {(row["actor_username"], row["action"]) for row in rows} == {
        ("caseworker", "person.create"), ("caseworker", "consent.create"),
        ("coordinator", "person.read"), ("coordinator", "person.update")}
    assert {row["person_id"] for row in rows} == {person.pk}
    assert [row["seq"] for row in rows] == sorted((row["seq"] for row in rows), reverse=True)
    assert all(row["organisation_id"] for row in rows)


def test_an_auditor_can_narrow_by_action(auditor, history):
    person, coordinator, _ = history
    rows = client_for(auditor).get("/api/v1/audit/", {"person": person.pk,
                                                      "action": "person.read"}).json()["results"]
    assert [(row["actor_id"], row["action"]) for row in rows] == [(coordinator.pk, "person.read")]


def test_reading_the_audit_log_is_itself_audited(auditor, history):
    person, _, _ = history
    client_for(auditor).get("/api/v1/audit/", {"person": person.pk}, HTTP_X_REQUEST_ID="audit-7")
    row = AuditEvent.objects.get(request_id="audit-7")
    assert (row.action, row.actor_id, row.detail) == (
        "audit.search", auditor.pk, {"person": person.pk, "action": None})
    # The next search shows the first one.
    rows = client_for(auditor).get("/api/v1/audit/", {"action": "audit.search"}).json()["results"]
    assert row.seq in {r["seq"] for r in rows}


@pytest.mark.parametrize("role", [Role.REPORTER, Role.CASEWORKER, Role.NATIONAL_COORDINATOR,
                                  Role.ANALYST, Role.ADMIN])
@pytest.mark.parametrize("query", [{}, {"person": "1"}, {"person": "abc"}],
                         ids=["all", "person", "malformed"])
def test_every_other_role_gets_404(comensha, history, role, query):
    person, _, _ = history
    before = AuditEvent.objects.count()
    user = UserFactory(organisation=comensha, role=role)
    response = client_for(user).get("/api/v1/audit/", query)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert AuditEvent.objects.count() == before


def test_an_anonymous_request_gets_401(history):
    assert APIClient().get("/api/v1/audit/").status_code == 401


@pytest.mark.parametrize("bad", ["abc", "1.5", str(10**30)])
def test_a_malformed_person_filter_is_refused_naming_it(auditor, bad):
    response = client_for(auditor).get("/api/v1/audit/", {"person": bad})
    assert response.status_code == 400
    assert "person" in response.json()


def test_the_audit_log_is_read_only_over_the_api(auditor, history):
    client = client_for(auditor)
    before = AuditEvent.objects.count()
    assert client.post("/api/v1/audit/", {"action": "forged"}, format="json").status_code == 405
    first = AuditEvent.objects.order_by("seq").first()
    for method in ("put", "patch", "delete"):
        assert getattr(client, method)(f"/api/v1/audit/{first.seq}/").status_code in (404, 405)
    assert AuditEvent.objects.count() == before
