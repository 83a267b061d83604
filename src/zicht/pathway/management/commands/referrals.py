from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import CommandError
from django.utils import timezone

from zicht.core.management.base import ZichtCommand
from zicht.organisations.models import OrganisationKind, Role, User
from zicht.pathway.services import referrals_escalate, referrals_expire


def _moment(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise CommandError("--now: give a date and time as YYYY-MM-DDTHH:MM.", returncode=2) from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class Command(ZichtCommand):
    help = ("`zicht referrals escalate [--mail]`: mark open referrals past their answer time "
            "as escalated to the national coordinator (run it every hour). "
            "`zicht referrals expire`: let referrals unanswered for "
            "PATHWAY_REFERRAL_EXPIRE_DAYS lapse; they grant nothing.")

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        escalate = sub.add_parser("escalate", help="Escalate unanswered referrals.")
        escalate.add_argument("--mail", action="store_true",
                              help="Also mail the national coordinators (numbers only, no names).")
        escalate.add_argument("--now", help="Pretend it is this moment (for a re-run).")
        expire = sub.add_parser("expire", help="Let long-unanswered referrals lapse.")
        expire.add_argument("--now", help="Pretend it is this moment (for a re-run).")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        now = _moment(options.get("now"))
        if subcommand == "expire":
            count = referrals_expire(actor=None, now=now)
            self.stdout.write(f"{count} referral(s) expired.")
            return
        escalated = referrals_escalate(actor=None, now=now)
        for referral in escalated:
            receiver = referral.to_organisation.name if referral.to_organisation else "—"
            self.stdout.write(
                f"referral {referral.pk}: {referral.from_organisation.name} → {receiver}, "
                f"{referral.purpose}, {referral.urgency}, answer was due "
                f"{timezone.localtime(referral.answer_due_at):%Y-%m-%d %H:%M}")
        self.stdout.write(f"{len(escalated)} referral(s) escalated.")
        if options["mail"] and escalated:
            recipients = list(User.objects.filter(
                role=Role.NATIONAL_COORDINATOR, organisation__kind=OrganisationKind.COMENSHA,
                is_active=True).exclude(email="")
                .values_list("email", flat=True))
            if recipients:
                # Mail is not a safe channel: referral numbers and organisations only.
                lines = [f"- referral {r.pk}: {r.from_organisation.name} → "
                         f"{r.to_organisation.name if r.to_organisation else '—'} "
                         f"({r.purpose}, {r.urgency})" for r in escalated]
                send_mail(
                    subject=f"zicht: {len(escalated)} referral(s) not answered in time",
                    message="These referrals were not answered in time and are escalated "
                            "to you:\n\n" + "\n".join(lines) + "\n",
                    from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=recipients)
                self.stdout.write(f"Mailed {len(recipients)} national coordinator(s).")
