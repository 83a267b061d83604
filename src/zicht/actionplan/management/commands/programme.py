from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.utils import timezone, translation

from zicht.actionplan import reports, services
from zicht.core.management.base import ZichtCommand


def _day(value: str | None, option: str) -> date:
    if not value:
        return timezone.localdate()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option}: give a date as YYYY-MM-DD.", returncode=2) from None


class Command(ZichtCommand):
    help = ("The programme monitor. `zicht programme remind [--days 14]`: mail holders who have "
            "not reported on a period whose reporting date is near. `zicht programme report "
            "--period 2025-H1 --format html|pdf|xlsx --out FILE`: the half-year progress report.")

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        remind = sub.add_parser("remind", help="Remind holders before the reporting date.")
        remind.add_argument("--days", type=int, default=14,
                            help="Remind when the reporting date is at most this many days away.")
        remind.add_argument("--today", help="Pretend it is this day (YYYY-MM-DD).")
        report = sub.add_parser("report", help="Write the half-year progress report.")
        report.add_argument("--period", required=True, help="e.g. 2025-H1")
        report.add_argument("--format", dest="file_format", choices=reports.FORMATS,
                            default="html")
        report.add_argument("--out", required=True, help="File to write; - for standard output "
                                                         "(html only).")
        report.add_argument("--language", default=settings.LANGUAGE_CODE,
                            choices=[code for code, _name in settings.LANGUAGES])

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "remind":
            self.remind(options)
        else:
            self.report(options)

    def remind(self, options: dict[str, Any]) -> None:
        if options["days"] < 0:
            raise CommandError("--days: give zero or more days.", returncode=2)
        today = _day(options.get("today"), "--today")
        outcomes = services.reminders_send(today=today, days=options["days"])
        if not outcomes:
            self.stdout.write(f"No open period has its reporting date within {options['days']} "
                              "day(s), or everyone has reported.")
            return
        for outcome in outcomes:
            actions = ", ".join(outcome.actions)
            if outcome.sent:
                state = f"mailed {outcome.recipients} address(es)"
            elif outcome.recipients:
                state = "already reminded today"
            else:
                state = "no user with an e-mail address"
            self.stdout.write(f"{outcome.period.code}  {outcome.organisation.name}: "
                              f"{actions} — {state}")

    def report(self, options: dict[str, Any]) -> None:
        with translation.override(options["language"]):
            period = services.get_period(options["period"])
            built = reports.build_report(actor=None, period=period)
            content = reports.render(built, options["file_format"])
        if options["out"] == "-":
            if options["file_format"] != "html":
                raise CommandError("--out: write PDF and Excel to a file.", returncode=2)
            self.stdout.write(content.decode())
            return
        out = Path(options["out"])
        try:
            out.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"--out: cannot write {out}: {exc.strerror}", returncode=2) from None
        self.stdout.write(f"Wrote {out} ({len(content)} bytes): {period.code}, "
                          f"{len(built.rows)} action(s).")
