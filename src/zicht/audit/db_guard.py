"""The database itself refuses UPDATE and DELETE on the audit table.

PostgreSQL: a trigger function (migration 0002). SQLite: triggers that call
`zicht_audit_locked()`, a function this module registers on every connection;
a connection without it (the sqlite3 shell) cannot change the table at all.
Test teardown that empties a SQLite database lifts the guard with
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


@contextlib.contextmanager
def audit_purge_allowed() -> Iterator[None]:
    global _purge_allowed
    _purge_allowed = True
    try:
        yield
    finally:
        _purge_allowed = False
