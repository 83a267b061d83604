from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from zicht.core.management.base import ZichtCommand
from zicht.privacy.retention import retention_apply


class Command(ZichtCommand):
    help = ("`zicht retention apply`: list what has outlived its retention period (dry run); "
            "with --apply, anonymise it and write a report (JSON) to --report or "
            "ZICHT_VAR_DIR/retention/.")

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        run = sub.add_parser("apply", help="Dry run, unless --apply.")
        run.add_argument("--apply", action="store_true", help="Anonymise what has expired.")
        run.add_argument("--report", help="Where to write the report (JSON).")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        report = retention_apply(apply=options["apply"])
        verb = "Anonymised" if report.applied else "Would anonymise"
        for kind, found in report.kinds.items():
            ids = ", ".join(str(pk) for pk in found.expired) or "none"
            self.stdout.write(f"{kind} (after {found.period}): {verb.lower()} "
                              f"{len(found.expired)}: {ids}")
            for held in found.held:
                self.stdout.write(f"  held {held['id']}: {held['reason']}")
        path = options.get("report")
        if path is None and report.applied:
            folder = Path(settings.VAR_DIR) / "retention"
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"retention-{timezone.now():%Y%m%dT%H%M%S}.json"
        if path is not None:
            Path(path).write_text(json.dumps(report.as_dict(), indent=2) + "\n")
            self.stdout.write(f"Report written to {path}.")
        self.stdout.write(f"{verb} {report.total} record(s)." + (
            "" if report.applied else " Nothing changed: add --apply to do it."))
