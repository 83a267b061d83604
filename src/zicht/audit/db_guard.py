"""The database itself refuses UPDATE and DELETE on the audit table.

PostgreSQL: a trigger function (migration 0002). SQLite: triggers that call
`zicht_audit_locked()`, a function this module registers on every connection;
a connection without it (the sqlite3 shell) cannot change the table at all.
PostgreSQL also refuses TRUNCATE unless the session set `zicht.audit_purge`.
Test teardown that empties a database lifts the guard with
`audit_purge_allowed()`; nothing in the application does.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.db.backends.signals import connection_created

_purge_allowed = False


def _locked() -> int:
    return 0 if _purge_allowed else 1


def _register(sender, connection, **kwargs) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor == "sqlite":
        connection.connection.create_function("zicht_audit_locked", 0, _locked)


def connect() -> None:
    connection_created.connect(_register, dispatch_uid="zicht-audit-guard")


def _set_postgres_purge(value: str) -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('zicht.audit_purge', %s, false)", [value])


@contextlib.contextmanager
def audit_purge_allowed() -> Iterator[None]:
    global _purge_allowed
    _purge_allowed = True
    _set_postgres_purge("on")
    try:
        yield
    finally:
        _purge_allowed = False
        _set_postgres_purge("off")
