from __future__ import annotations

from pathlib import Path
from typing import Any

from zicht.core.backup import backup_database
from zicht.core.management.base import ZichtCommand


class Command(ZichtCommand):
    help = ("`zicht backup --out FILE`: a consistent copy of the whole database while it runs "
            "(SQLite: the online backup API; PostgreSQL: pg_dump's custom format).")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--out", required=True, type=Path, help="A new file to write.")

    def handle(self, *args: Any, out: Path, **options: Any) -> None:
        size = backup_database(out=out)
        self.stdout.write(f"Backup written to {out} ({size:,} bytes). Restore it with "
                          f"`zicht restore {out}` into an empty database.")
