from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from zicht.audit.services import Entry, audit_record_many
from zicht.core.management.base import ZichtCommand
from zicht.organisations.models import Role, User
from zicht.pathway.models import Deadline
from zicht.pathway.selectors import deadlines_falling_due


def _line(deadline: Deadline) -> str:
    # Person numbers only, never names: mail is not a safe channel for them.
    what = deadline.title or deadline.get_kind_display()
    left = deadline.days_left  # type: ignore[attr-defined]
    when = (f"{-left} day(s) overdue" if left < 0 else "due today" if left == 0
            else f"{left} day(s) left")
    return f"  P-{deadline.person_id}  {deadline.due_on:%Y-%m-%d}  {when:>18}  {what}"


class Command(ZichtCommand):
    help = ("`zicht deadlines remind [--days 7] [--mail]`: list per organisation the open "
            "deadlines that fall due within the given days (and those overdue); with --mail, "
            "mail each organisation's caseworkers instead of printing.")

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        remind = sub.add_parser("remind", help="What falls due soon, per organisation.")
        remind.add_argument("--days", type=int, default=7)
        remind.add_argument("--mail", action="store_true")
        remind.add_argument("--today", help="Pretend it is this day (YYYY-MM-DD).")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if options["days"] < 0:
            raise CommandError("--days: give zero or more days.", returncode=2)
        today = timezone.localdate()
        if options.get("today"):
            try:
                today = date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today: give a date as YYYY-MM-DD.", returncode=2) from None
        grouped = deadlines_falling_due(today=today, days=options["days"])
        with transaction.atomic():
            # The reminder reads deadlines of persons: on the record, as the system.
            audit_record_many(actor=None, entries=[
                Entry("deadline.remind", "pathway.deadline", d.pk, d.person_id)
                for rows in grouped.values() for d in rows])
        if not grouped:
            self.stdout.write(f"Nothing falls due within {options['days']} day(s).")
            return
        mailed = 0
        for organisation, rows in grouped.items():
            body = "\n".join(_line(d) for d in rows)
            if not options["mail"]:
                self.stdout.write(f"{organisation.name} ({len(rows)}):\n{body}")
                continue
            recipients = list(User.objects.filter(
                organisation=organisation, is_active=True,
                role__in=[Role.CASEWORKER, Role.NATIONAL_COORDINATOR],
            ).exclude(email="").values_list("email", flat=True))
            if not recipients:
                self.stderr.write(f"{organisation.name}: no caseworker with an e-mail address.")
                continue
            send_mail(
                subject=f"zicht: {len(rows)} deadline(s) within {options['days']} days",
                message=(f"Deadlines of {organisation.name} that fall due by "
                         f"{today:%Y-%m-%d} + {options['days']} days, or are overdue:\n\n"
                         f"{body}\n\nOpen zicht to see who they are about.\n"),
                from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=recipients)
            mailed += 1
        if options["mail"]:
            self.stdout.write(f"Mailed {mailed} organisation(s).")
