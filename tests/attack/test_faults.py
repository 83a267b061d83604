"""Faults on PostgreSQL: the connection killed in the middle of a write, and a database that
cannot take requests (full disk, statement timeout) answering 503 with a message.

The kill is real: a second connection runs pg_terminate_backend on ours while the service is
between its change and its audit row (or just after the audit row, before COMMIT).
Afterwards either the whole change is stored or none of it, and the audit chain verifies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError, connection, transaction

from tests.factories import OrganisationFactory, UserFactory, make_person
from zicht.audit.models import AuditEvent
from zicht.audit.selectors import verify_chain
from zicht.organisations.models import OrganisationKind, Role
from zicht.pathway import services as pathway
from zicht.pathway.models import Pathway, Referral, Stage
from zicht.registry import services as registry
from zicht.registry.models import Person, Signal
from zicht.shelters import services as shelters
from zicht.shelters.codes import SafetyLevel, SexServed, ShelterKind
from zicht.shelters.models import Placement, Shelter

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="kills a server connection with pg_terminate_backend: PostgreSQL "
                              "only (an embedded SQLite has no connection to kill)"),
    pytest.mark.django_db(transaction=True),
]

# Tables a change may touch; each is counted before and after.
COUNTED = (Person, Signal, Referral, Pathway, Stage, Placement, AuditEvent)


def kill_this_connection() -> None:
    """Terminate our own backend from a second connection, and wait until it is gone."""
    import psycopg

    pid = connection.connection.info.backend_pid
    settings = connection.settings_dict
    with psycopg.connect(dbname=settings["NAME"], user=settings["USER"],
                         host=settings["HOST"], port=settings["PORT"] or None,
                         password=settings["PASSWORD"] or None, autocommit=True) as killer:
        killer.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])


@contextmanager
def connection_killed(module: Any, *, when: str) -> Iterator[None]:
    """Kill the connection when `module`'s service writes its audit row: before or after it."""
    original: Callable[..., Any] = module.audit_record

    def audit_record(**kwargs: Any) -> Any:
        if when == "before the audit row":
            kill_this_connection()
            return original(**kwargs)
        event = original(**kwargs)
        kill_this_connection()
        # The next statement (here the savepoint's release or COMMIT) meets a dead connection.
        connection.cursor().execute("SELECT 1")
        return event

    with mock.patch.object(module, "audit_record", audit_record):
        yield


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def after_the_fault() -> dict[str, int]:
    connection.close()  # Django reconnects on the next query
    report = verify_chain()
    assert report.ok, report
    return counts()


@pytest.fixture
def police_officer(db):  # type: ignore[no-untyped-def]
    police = OrganisationFactory(name="Politie Fout", kind=OrganisationKind.POLICE,
                                 municipality="GM0363")
    return UserFactory(organisation=police, role=Role.CASEWORKER, username="fault-avim")


@pytest.fixture
def person(police_officer):  # type: ignore[no-untyped-def]
    person = make_person(police_officer)
    registry.consent_record(actor=police_officer, person_id=person.pk, purpose="care",
                            state="given")
    return person


WHEN = ["before the audit row", "after the audit row"]


@pytest.mark.parametrize("when", WHEN)
def test_a_signal_intake_killed_midway_stores_nothing_and_answers_503(api, police_officer, person,
                                                                      when):
    client = api.as_user(police_officer)
    before = counts()
    with connection_killed(registry, when=when):
        response = client.post("/api/v1/signals/", {
            "person": person.pk, "signalled_on": "2025-03-01", "forms": ["sexual"],
            "indicators": ["deception"], "municipality": "GM0363",
            "source": "own_observation", "narrative": "Seen at work."}, format="json",
            HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert "try again" in response.json()["detail"]
    assert after_the_fault() == before
    # The police's duty registration is part of the same change: not stored either.
    assert not Person.objects.get(pk=person.pk).duty_registered


@pytest.mark.parametrize("when", WHEN)
def test_a_referral_killed_midway_stores_nothing(police_officer, person, when):
    receiver = OrganisationFactory(name="Gemeente Fout", kind=OrganisationKind.MUNICIPALITY)
    before = counts()
    with connection_killed(pathway, when=when), \
            pytest.raises((OperationalError, InterfaceError)):
        pathway.referral_propose(actor=police_officer, person_id=person.pk,
                                 purpose="care_coordination", to_organisation_id=receiver.pk,
                                 note="Needs a place to sleep")
    # Nothing: no referral, and no pathway or first stage that proposing would have opened.
    assert after_the_fault() == before


@pytest.mark.parametrize("when", WHEN)
def test_a_placement_killed_midway_stores_nothing_and_leaves_the_place_free(police_officer,
                                                                             person, when):
    shelter = Shelter.objects.create(
        organisation=OrganisationFactory(name="Opvang Fout", kind=OrganisationKind.SHELTER),
        name="Opvang Fout", kind=ShelterKind.COSM, sex_served=SexServed.ANY, min_age=18,
        forms=[], languages=["ro"], safety_level=SafetyLevel.NORMAL, municipality="GM0363",
        capacity=1)
    before = counts()
    with connection_killed(shelters, when=when), \
            pytest.raises((OperationalError, InterfaceError)):
        shelters.placement_create(actor=police_officer, person_id=person.pk,
                                  shelter_id=shelter.pk)
    assert after_the_fault() == before
    # The one place is still free: the placement can be made now.
    shelters.placement_create(actor=police_officer, person_id=person.pk, shelter_id=shelter.pk)
    assert Placement.objects.filter(shelter=shelter).count() == 1
    assert verify_chain().ok


def test_a_connection_killed_after_commit_keeps_the_whole_change(police_officer, person):
    before = counts()
    with transaction.atomic():
        signal = registry.signal_create(
            actor=police_officer, person_id=person.pk, signalled_on=dt.date(2025, 3, 1),
            forms=["sexual"], indicators=["deception"], municipality="GM0363",
            source="own_observation", narrative="Seen at work.")
        transaction.on_commit(kill_this_connection)
    after = after_the_fault()
    assert after["Signal"] == before["Signal"] + 1
    assert after["AuditEvent"] == before["AuditEvent"] + 1
    assert AuditEvent.objects.filter(action="signal.create", object_id=signal.pk).exists()
    assert Person.objects.get(pk=person.pk).duty_registered
