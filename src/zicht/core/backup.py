"""Backup and restore of the whole database (docs/backup.md).

SQLite: SQLite's online backup API, a consistent copy while the application runs.
PostgreSQL: pg_dump's custom format, restored with pg_restore in one transaction.
A restore goes only into an empty database, so it never mixes two states, and it ends by
checking the audit log's hash chain.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.db import connection

from zicht.audit.selectors import ChainReport, verify_chain

from .exceptions import ApplicationError


@dataclass(frozen=True)
class RestoreReport:
    rows: dict[str, int]      # table -> rows restored
    chain: ChainReport


def _vendor() -> str:
    if connection.vendor not in ("sqlite", "postgresql"):
        raise ApplicationError(f"No backup for a {connection.vendor} database.")
    return connection.vendor


def _postgres_env() -> dict[str, str]:
    """libpq's environment for pg_dump/pg_restore: no password on a command line."""
    settings = connection.settings_dict
    env = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"),
                          ("PGPASSWORD", "PASSWORD"), ("PGDATABASE", "NAME")):
        if settings.get(key):
            env[variable] = str(settings[key])
    return env


def _postgres_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise ApplicationError(f"{name} is not installed; it comes with PostgreSQL's client "
                               "tools (Debian: postgresql-client).")
    return path


def _run(command: list[str]) -> None:
    done = subprocess.run(command, env=_postgres_env(), capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise ApplicationError(f"{Path(command[0]).name} failed: {done.stderr.strip()}")


def backup_database(*, out: Path) -> int:
    """Write a backup of the whole database to `out` (a new file); returns its size."""
    if out.exists():
        raise ApplicationError(f"{out} exists already; choose a new file.", field="out")
    out.parent.mkdir(parents=True, exist_ok=True)
    if _vendor() == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(out)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        # A custom-format dump runs in one snapshot: consistent while the application writes.
        _run([_postgres_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={out}"])
    return out.stat().st_size


def table_names() -> list[str]:
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def database_is_empty() -> bool:
    return not table_names()


def row_counts() -> dict[str, int]:
    """Rows per table of every installed model (what a restore is checked against)."""
    present = set(table_names())
    counts = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table in present and table not in counts:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                counts[table] = cursor.fetchone()[0]
    return counts


def restore_database(*, backup: Path) -> RestoreReport:
    """Restore `backup` into this (empty) database, then verify the audit chain."""
    if not backup.is_file():
        raise ApplicationError(f"No backup file at {backup}.", field="backup")
    if not database_is_empty():
        raise ApplicationError(
            "The database is not empty: a restore goes into an empty database only, so it "
            "never mixes two states. Create a new database (or drop this one) and try again.")
    if _vendor() == "sqlite":
        source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        except sqlite3.DatabaseError as exc:
            raise ApplicationError(f"{backup} is not an SQLite backup: {exc}") from None
        finally:
            source.close()
    else:
        _run([_postgres_tool("pg_restore"), "--exit-on-error", "--single-transaction",
              "--no-owner", "--no-privileges", f"--dbname={connection.settings_dict['NAME']}",
              str(backup)])
    connection.close()  # the next query sees the restored tables afresh
    return RestoreReport(rows=row_counts(), chain=verify_chain())
