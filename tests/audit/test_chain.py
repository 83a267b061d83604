"""The hash chain names the first broken row, and the database refuses to change the log."""

from __future__ import annotations

import io
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from tests.factories import make_person, make_signal
from zicht.audit.db_guard import audit_purge_allowed
from zicht.audit.models import AuditEvent
from zicht.audit.selectors import verify_chain

TABLE = "audit_auditevent"


@pytest.fixture
def log(caseworker):  # type: ignore[no-untyped-def]
    """A few real rows: person and signal creations, a read."""
    from zicht.registry import selectors

    person = make_person(caseworker)
    make_signal(caseworker, person)
    selectors.person_get(actor=caseworker, person_id=person.pk)
    make_person(caseworker, family_name="Petrova")
    return list(AuditEvent.objects.order_by("seq"))


@contextmanager
def guard_lifted():  # type: ignore[no-untyped-def]
    """What an attacker with database access would do; undone with the test's transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_auditevent_append_only")
        yield
    else:
        with audit_purge_allowed():
            yield


def verify() -> str:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def test_verify_passes_on_an_intact_log(log):
    assert f"{len(log)} rows verified" in verify()


def test_verify_names_a_row_whose_content_was_changed(log):
    victim = log[2]
    with guard_lifted():
        AuditEvent.objects.filter(pk=victim.pk).update(actor_username="somebody-else")
    with pytest.raises(CommandError, match=rf"row {victim.seq}: row content changed"):
        verify()


def test_verify_names_the_next_row_when_a_changed_row_got_a_new_hash(log):
    victim = AuditEvent.objects.get(pk=log[1].pk)
    victim.action = "person.nothing_to_see"
    victim.hash = victim.compute_hash()
    with guard_lifted():
        AuditEvent.objects.filter(pk=victim.pk).update(action=victim.action, hash=victim.hash)
    with pytest.raises(CommandError, match=rf"row {log[2].seq}: link to previous row broken"):
        verify()


def test_verify_names_a_deleted_row(log):
    with guard_lifted():
        AuditEvent.objects.filter(pk=log[1].pk).delete()
    with pytest.raises(CommandError, match=rf"row {log[1].seq}: row missing"):
        verify()
    assert verify_chain().checked == 1


def test_verify_returns_exit_code_one_when_broken(log):
    with guard_lifted():
        AuditEvent.objects.filter(pk=log[0].pk).update(detail={"edited": True})
    with pytest.raises(CommandError) as error:
        verify()
    assert error.value.returncode == 1


def test_verify_walks_the_log_in_batches(log):
    assert verify_chain(batch_size=2).ok
    with guard_lifted():
        AuditEvent.objects.filter(pk=log[-1].pk).update(object_id=999)
    report = verify_chain(batch_size=2)
    assert (report.ok, report.first_broken_seq, report.checked) == (False, log[-1].seq, len(log) - 1)


@pytest.mark.parametrize("sql", [
    "UPDATE audit_auditevent SET action = 'rewritten'",
    "UPDATE audit_auditevent SET detail = '{}' WHERE seq = 1",
    "DELETE FROM audit_auditevent",
    "DELETE FROM audit_auditevent WHERE seq = 1",
])
def test_the_database_refuses_to_change_the_log(log, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute(sql)
    assert list(AuditEvent.objects.order_by("seq")) == log
    assert verify_chain().ok


def test_the_orm_cannot_change_the_log_either(log):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=log[0].pk).update(action="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        log[0].delete()
    event = AuditEvent.objects.get(pk=log[1].pk)
    event.action = "x"
    with pytest.raises(DatabaseError), transaction.atomic():
        event.save()
    assert verify_chain().ok


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_postgresql_refuses_to_truncate_the_log(log):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {TABLE}")
    assert AuditEvent.objects.count() == len(log)


def test_rows_written_in_bulk_carry_the_hash_compute_hash_gives(caseworker):
    from zicht.audit.services import Entry, audit_append, audit_record_many

    caseworker.username = "ĳsbrand “quoted” \\ user"
    shared = {"via": "import"}
    entries = [
        Entry("person.create", "registry.person", 7, 7, shared),
        Entry("signal.create", "registry.signal", 12, 7, shared),
        Entry("consent.create", "registry.consent", 3, None,
              {"state": "given", "purpose": "care", "nested": {"b": [1, 2.5], "a": "ü"}}),
        Entry("search"),
        Entry("zoeken", detail={"term": "Łódź \n\t", "n": None, "ok": True}),
    ]
    with transaction.atomic():
        audit_append(actor=caseworker, entries=entries)
        audit_record_many(actor=None, entries=entries[2:])
        audit_append(actor=None, entries=entries[:1])

    stored = list(AuditEvent.objects.order_by("seq"))
    assert len(stored) == 9
    assert [event.compute_hash() for event in stored] == [event.hash for event in stored]
    assert verify_chain().ok
