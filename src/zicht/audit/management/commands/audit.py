from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from zicht.audit.selectors import verify_chain
from zicht.core.management.base import ZichtCommand


class Command(ZichtCommand):
    help = "`zicht audit verify`: check the audit log's hash chain; names the first broken row."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="Check the hash chain.")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"Audit chain broken at row {report.first_broken_seq}: {report.reason} "
                f"({report.checked} rows before it verified).", returncode=1,
            )
        self.stdout.write(f"Audit chain intact: {report.checked} rows verified.")
