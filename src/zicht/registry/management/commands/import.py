from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from zicht.core.management.base import ZichtCommand
from zicht.organisations.models import User
from zicht.registry.importer import DEFAULT_BATCH_SIZE, import_signals


class Command(ZichtCommand):
    help = ("`zicht import signals FILE.csv --user USERNAME`: import signals from a CSV file "
            "(columns: docs/import.md). Exit code 0: every row imported (or imported before); "
            "1: some rows rejected, see the report; 2: the file cannot be used.")

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        signals = sub.add_parser("signals", help="Import signals and their persons.")
        signals.add_argument("file", type=Path, help="CSV file, comma or semicolon separated.")
        signals.add_argument("--user", required=True,
                             help="Username of the reporting user; their organisation reports.")
        signals.add_argument("--report", type=Path,
                             help="Where to write rejected rows (default: FILE.rejected.csv).")
        signals.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE,
                             help="Rows per transaction (default %(default)s).")
        signals.add_argument("--workers", type=int,
                             help="Processes that check rows of a large file (default: one per "
                                  "CPU, at most 8; 1: check in this process).")
        signals.add_argument("--no-progress", action="store_true", help="No progress bars.")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        user = User.objects.select_related("organisation").filter(
            username=options["user"]).first()
        if user is None:
            raise CommandError(f"--user: no user {options['user']!r}.", returncode=2)
        result = import_signals(
            actor=user, path=options["file"], report_path=options["report"],
            batch_size=options["batch_size"], workers=options["workers"],
            progress=not options["no_progress"],
        )
        delimiter = "semicolon" if result.delimiter == ";" else "comma"
        self.stdout.write(
            f"{options['file']}: {result.rows} rows ({delimiter} separated)\n"
            f"  imported:          {result.imported} signals, {result.persons_created} new "
            f"persons, {result.persons_reused} registered persons reused, {result.consents} "
            "consents\n"
            f"  already imported:  {result.already_imported}\n"
            f"  rejected:          {result.rejected} rows ({len(result.rejections)} faults)"
        )
        if result.rejected:
            raise CommandError(
                f"{result.rejected} rows rejected; their lines, fields and reasons are in "
                f"{result.report_path}. Correct them and run the same file again: rows "
                "imported already are skipped.", returncode=1,
            )
        self.stdout.write(f"Report of rejected rows: {result.report_path} (empty).")
