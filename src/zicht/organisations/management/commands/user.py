from __future__ import annotations

import getpass
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from zicht.core.management.base import ZichtCommand
from zicht.organisations import services
from zicht.organisations.models import ApiToken, Organisation, Role, User


class Command(ZichtCommand):
    help = ("Manage users: `zicht user create --org NAME --role ROLE --username U` prints the "
            "new user's API token as its last line; `zicht user token|tokens|revoke --username "
            "U` for API tokens; `zicht user unlock|reset-2fa|totp --username U` for logins.")

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
        tokens = sub.add_parser("tokens", help="List a user's API tokens.")
        tokens.add_argument("--username", required=True)
        revoke = sub.add_parser("revoke", help="Revoke a user's API tokens: all, or one.")
        revoke.add_argument("--username", required=True)
        revoke.add_argument("--token", default="",
                            help="Only the token whose key starts with this prefix "
                                 "(see `zicht user tokens`).")
        unlock = sub.add_parser("unlock", help="Lift a lockout after too many failed logins.")
        unlock.add_argument("--username", default="")
        unlock.add_argument("--address", default="", help="A locked client address instead.")
        reset = sub.add_parser("reset-2fa", help="Forget a user's authenticator and backup "
                               "codes (a lost phone); the next login sets up a new one.")
        reset.add_argument("--username", required=True)
        totp = sub.add_parser("totp", help="Print the current TOTP code of a user "
                              "(demo and development only).")
        totp.add_argument("--username", required=True)

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
        if subcommand == "unlock":
            self._unlock(username=options["username"], address=options["address"])
            return
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"--username: no user {options['username']!r}.", returncode=2)
        if subcommand == "token":
            self.stdout.write(services.token_create(actor=None, user=user))
        elif subcommand == "tokens":
            self._list_tokens(user)
        elif subcommand == "revoke":
            count = services.token_revoke(actor=None, user=user, prefix=options["token"])
            self.stdout.write(f"Revoked {count} token(s) of {user.username}.")
        elif subcommand == "reset-2fa":
            count = services.two_factor_reset(actor=None, user=user)
            self.stdout.write(f"Removed {count} second factor(s) of {user.username}; the next "
                              "login sets up a new authenticator.")
        else:
            self._print_totp(user)

    def _unlock(self, *, username: str, address: str) -> None:
        if bool(username) == bool(address):
            raise CommandError("Give --username or --address.", returncode=2)
        count = services.login_unlock(actor=None, username=username, address=address)
        self.stdout.write(f"Unlocked {username or address} ({count} record(s) of failed logins "
                          "removed).")

    def _list_tokens(self, user: User) -> None:
        now = timezone.now()
        for token in ApiToken.objects.filter(user=user).order_by("-created_at"):
            state = ("revoked" if token.revoked_at else
                     "expired" if token.expires_at <= now else "in force")
            used = (f"last used {token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at
                    else "never used")
            self.stdout.write(f"{token.prefix}  {state:8}  created {token.created_at:%Y-%m-%d}  "
                              f"expires {token.expires_at:%Y-%m-%d}  {used}")

    def _print_totp(self, user: User) -> None:
        # Whoever can run this can read the secrets in the database already; still, a
        # production server prints no codes.
        if settings.PRODUCTION:
            raise CommandError("`zicht user totp` is for the demo and development only "
                               "(ZICHT_PRODUCTION=1).", returncode=2)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            raise CommandError(f"--username: {user.username} has no authenticator set up; "
                               "the first login sets one up.", returncode=2)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
