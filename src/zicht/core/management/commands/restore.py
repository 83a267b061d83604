from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from zicht.core.backup import restore_database
from zicht.core.management.base import ZichtCommand


class Command(ZichtCommand):
    help = ("`zicht restore FILE`: restore a `zicht backup` into an empty database (refuses "
            "one that holds tables), then verify the audit log's hash chain.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("backup", type=Path, help="A file written by `zicht backup`.")

    def handle(self, *args: Any, backup: Path, **options: Any) -> None:
        report = restore_database(backup=backup)
        self.stdout.write(f"Restored {len(report.rows)} tables, {sum(report.rows.values()):,} "
                          "rows.")
        if not report.chain.ok:
            raise CommandError(
                f"Audit chain broken at row {report.chain.first_broken_seq}: "
                f"{report.chain.reason}. The backup may have been altered.", returncode=1)
        self.stdout.write(f"Audit chain intact: {report.chain.checked} rows verified.")
