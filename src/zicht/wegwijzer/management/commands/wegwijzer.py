from __future__ import annotations

import csv
import io
import random
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.db import transaction

from zicht.core.management.base import ZichtCommand
from zicht.wegwijzer import demo, directory_io, routing, services
from zicht.wegwijzer.models import DirectoryEntry, Municipality, Province


class Command(ZichtCommand):
    help = ("The Wegwijzer's data. `zicht wegwijzer import-directory FILE.csv|.xlsx`, "
            "`zicht wegwijzer export-directory FILE.csv`, "
            "`zicht wegwijzer import-municipalities FILE.csv`, "
            "`zicht wegwijzer demo-directory [--seed N]`, `zicht wegwijzer check-rules`.")

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        load = sub.add_parser("import-directory",
                              help="Create or update desks and knowledge centres by key.")
        load.add_argument("file", type=Path)
        dump = sub.add_parser("export-directory", help="Write the directory in the import layout.")
        dump.add_argument("file", type=Path)
        places = sub.add_parser(
            "import-municipalities",
            help="CSV with columns code, name, province (CBS codes GM.... and PV..).")
        places.add_argument("file", type=Path)
        fill = sub.add_parser("demo-directory", help="Invented regional desks and knowledge "
                                                     "centres with the published counts.")
        fill.add_argument("--seed", type=int, default=1)
        sub.add_parser("check-rules", help="Check the published rules and count their paths.")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        getattr(self, "_" + subcommand.replace("-", "_"))(**options)

    def _import_directory(self, *, file: Path, **_: Any) -> None:
        if not file.exists():
            raise CommandError(f"{file}: no such file.", returncode=2)
        try:
            rows = directory_io.parse_rows(directory_io.read_table(file))
        except directory_io.DirectoryFileError as error:
            raise CommandError(f"{file}: nothing imported.\n{error}", returncode=2) from None
        result = services.directory_import(actor=None, rows=rows)
        self.stdout.write(f"Imported {len(rows)} rows: {result.created} new, "
                          f"{result.updated} updated.")

    def _export_directory(self, *, file: Path, **_: Any) -> None:
        rows = directory_io.export_rows(DirectoryEntry.objects.order_by("key"))
        with file.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(directory_io.COLUMNS))
            writer.writeheader()
            writer.writerows(rows)
        self.stdout.write(f"Wrote {len(rows)} entries to {file}.")

    def _import_municipalities(self, *, file: Path, **_: Any) -> None:
        if not file.exists():
            raise CommandError(f"{file}: no such file.", returncode=2)
        text = file.read_text(encoding="utf-8-sig")
        reader = csv.DictReader(io.StringIO(text),
                                delimiter=";" if text.split("\n")[0].count(";") else ",")
        errors, rows = [], []
        for number, row in enumerate(reader, start=2):
            code = (row.get("code") or "").strip().upper()
            name = (row.get("name") or "").strip()
            province = (row.get("province") or "").strip().upper()
            if not code.startswith("GM") or len(code) != 6 or not code[2:].isdigit():
                errors.append(f"row {number}, column code: '{code}' is not like GM0363")
            if not name:
                errors.append(f"row {number}, column name: required")
            if province not in Province.values:
                errors.append(f"row {number}, column province: '{province}' is not PV20–PV31")
            rows.append((code, name, province))
        if errors:
            raise CommandError(f"{file}: nothing imported.\n" + "\n".join(errors), returncode=2)
        with transaction.atomic():
            for code, name, province in rows:
                Municipality.objects.update_or_create(code=code, defaults={
                    "name": name, "province": province})
        self.stdout.write(f"Imported {len(rows)} municipalities.")

    def _demo_directory(self, *, seed: int, **_: Any) -> None:
        counts = demo.populate(rng=random.Random(seed))
        self.stdout.write(f"Demo directory: {counts['created']} entries added.")

    def _check_rules(self, **_: Any) -> None:
        routing.forget_cached_rulebook()
        book = routing.current_rulebook()
        if book is None:
            raise CommandError("No published rule set.", returncode=1)
        known = set(DirectoryEntry.objects.values_list("key", flat=True))
        problems = book.problems(known_entries=known)
        if problems:
            raise CommandError("\n".join(problems), returncode=1)
        self.stdout.write(f"Rules version {book.version}: {routing.count_paths(book)} paths, "
                          f"every one ends in advice.")
