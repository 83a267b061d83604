from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import CommandError

from zicht.core.management.base import ZichtCommand
from zicht.organisations import services
from zicht.organisations.models import Organisation, Role, User


class Command(ZichtCommand):
    help = ("Manage users: `zicht user create --org NAME --role ROLE --username U` prints the "
            "new user's API token as its last line; `zicht user token|revoke --username U`.")

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        create = sub.add_parser("create", help="Create a user and an API token.")
        create.add_argument("--org", required=True, help="Organisation name.")
        create.add_argument("--role", required=True, choices=Role.values)
        create.add_argument("--username", required=True)
        create.add_argument("--email", default="")
        create.add_argument("--password", help="Web login password; asked when --ask-password.")
        create.add_argument("--ask-password", action="store_true")
        token = sub.add_parser("token", help="Make a new API token for a user.")
        token.add_argument("--username", required=True)
        revoke = sub.add_parser("revoke", help="Revoke all API tokens of a user.")
        revoke.add_argument("--username", required=True)

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "create":
            organisation = Organisation.objects.filter(name=options["org"]).first()
            if organisation is None:
                raise CommandError(f"--org: no organisation named {options['org']!r} "
                                   "(see `zicht org list`).", returncode=2)
            password = options["password"]
            if options["ask_password"]:
                password = getpass.getpass("Password: ")
            created = services.user_create(
                actor=None, organisation=organisation, role=options["role"],
                username=options["username"], password=password, email=options["email"],
            )
            key = services.token_create(actor=None, user=created)
            self.stdout.write(f"Created user {created.username} ({created.role}) "
                              f"at {organisation.name}")
            self.stdout.write(key)
            return
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"--username: no user {options['username']!r}.", returncode=2)
        if subcommand == "token":
            self.stdout.write(services.token_create(actor=None, user=user))
        else:
            count = services.token_revoke(actor=None, user=user)
            self.stdout.write(f"Revoked {count} token(s) of {user.username}.")
