from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.models import Permission
from django.core.management.base import CommandError

from zicht.core.management.base import ZichtCommand
from zicht.organisations.models import User
from zicht.privacy import reports, services
from zicht.privacy.codes import ERASURE_GROUNDS, EXPORT_GROUNDS, RESTRICTION_GROUNDS


def _user(username: str) -> User:
    user = User.objects.filter(username=username).select_related("organisation").first()
    if user is None:
        raise CommandError(f"--actor: no user {username!r}.", returncode=2)
    return user


class Command(ZichtCommand):
    help = ("`zicht privacy`: data-subject requests, done as a named privacy officer. "
            "export PERSON_ID (everything the officer may see, as json, html or pdf); "
            "erase PERSON_ID (final: crypto-shredding); restrict / lift PERSON_ID; "
            "officer grant|revoke USERNAME.")

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        export = sub.add_parser("export", help="Everything zicht holds on one person.")
        export.add_argument("person_id")
        export.add_argument("--actor", required=True, help="The privacy officer's username.")
        export.add_argument("--format", choices=reports.FORMATS, default="json")
        export.add_argument("--out", required=True, help="File to write.")
        export.add_argument("--ground", choices=EXPORT_GROUNDS, default=EXPORT_GROUNDS[0])
        export.add_argument("--reference", default="", help="The request's case number.")
        for name, grounds, text in (("erase", ERASURE_GROUNDS, "Erase a person (final)."),
                                    ("restrict", RESTRICTION_GROUNDS, "Restrict processing.")):
            command = sub.add_parser(name, help=text)
            command.add_argument("person_id")
            command.add_argument("--actor", required=True)
            command.add_argument("--ground", required=True, choices=grounds,
                                 help="Legal ground (GDPR article).")
            command.add_argument("--reference", default="")
        lift = sub.add_parser("lift", help="Lift a restriction (tell the person first).")
        lift.add_argument("person_id")
        lift.add_argument("--actor", required=True)
        lift.add_argument("--reference", default="")
        officer = sub.add_parser("officer", help="Make a user a privacy officer, or no longer.")
        officer.add_argument("action", choices=["grant", "revoke"])
        officer.add_argument("username")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "officer":
            self._officer(options["action"], options["username"])
            return
        actor = _user(options["actor"])
        person_id, reference = options["person_id"], options["reference"]
        if subcommand == "export":
            data = services.person_export(actor=actor, person_id=person_id,
                                          legal_ground=options["ground"], reference=reference)
            Path(options["out"]).write_bytes(reports.render(data, options["format"]))
            self.stdout.write(f"Wrote everything on P-{data['person']['id']} to {options['out']}.")
        elif subcommand == "erase":
            services.person_erase(actor=actor, person_id=person_id,
                                  legal_ground=options["ground"], reference=reference)
            self.stdout.write(f"Erased P-{person_id}: its data key and identifying fields are "
                              "destroyed; counts for figures are kept.")
        elif subcommand == "restrict":
            services.person_restrict(actor=actor, person_id=person_id,
                                     legal_ground=options["ground"], reference=reference)
            self.stdout.write(f"Restricted P-{person_id}: kept, but out of worklists and edits.")
        else:
            services.person_restriction_lift(actor=actor, person_id=person_id,
                                             reference=reference)
            self.stdout.write(f"Lifted the restriction of P-{person_id}.")

    def _officer(self, action: str, username: str) -> None:
        user = _user(username)
        if not user.sees_person_content:
            raise CommandError("A privacy officer must be an active caseworker or national "
                               "coordinator of an organisation.", returncode=2)
        permission = Permission.objects.get(content_type__app_label="privacy",
                                            codename="handle_requests")
        if action == "grant":
            user.user_permissions.add(permission)
            self.stdout.write(f"{username} is now a privacy officer.")
        else:
            user.user_permissions.remove(permission)
            self.stdout.write(f"{username} is no longer a privacy officer.")
