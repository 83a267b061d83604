from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice
from tqdm import tqdm

from zicht.core.management.base import ZichtCommand
from zicht.demo.catalogue import DEMO_LOGINS, DEMO_URL
from zicht.demo.generator import demo_state, load_demo
from zicht.organisations.selectors import totp_secret_text


class Command(ZichtCommand):
    help = (
        "Load synthetic demo data: organisations, one login per role and PERSONS persons "
        "with their signals, following the published figures. The same --seed gives the "
        "same data. `zicht demo --seed 1 --persons 5000 [--if-empty]`."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--persons", type=int, default=5000, help="Number of persons to create (default 5000)."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="If demo data is present already, only print the logins.",
        )

    def handle(self, *args: Any, seed: int, persons: int, if_empty: bool, **options: Any) -> None:
        if persons < 1:
            raise CommandError("--persons: give a number of 1 or more.", returncode=2)
        state = demo_state()
        if state == "present":
            if not if_empty:
                raise CommandError(
                    "Demo data is present already. Use --if-empty to only print the logins, "
                    "or start from an empty database (`make demo-reset`).",
                    returncode=2,
                )
            self.stdout.write("Demo data is present already; nothing loaded.")
            self._print_logins()
            return
        if state == "partial":
            raise CommandError(
                "An earlier demo load did not finish. Start from an empty database "
                "(`make demo-reset`) and run it again.",
                returncode=2,
            )

        verbose = options.get("verbosity", 1) >= 1
        with tqdm(total=persons, unit=" persons", disable=not verbose, leave=False) as bar:
            current = [""]

            def progress(stage: str, done: int, total: int) -> None:
                if current[0] != stage:
                    current[0] = stage
                    bar.reset(total=total)
                    bar.set_description(stage)
                bar.update(done - bar.n)

            result = load_demo(seed=seed, persons=persons, progress=progress)
        self.stdout.write(
            f"Loaded demo data (seed {seed}) in {result.seconds:.1f} s: "
            f"{result.organisations} organisations, {result.persons} persons, "
            f"{result.signals} signals, {result.consents} consents, {result.shares} shares."
        )
        self._print_logins()

    def _print_logins(self) -> None:
        secrets = {
            device.user.username: totp_secret_text(device)
            for device in TOTPDevice.objects.filter(
                user__username__in=[login.username for login in DEMO_LOGINS], confirmed=True,
            ).select_related("user")
        }
        rows = [("role", "username", "password", "TOTP secret", "organisation")] + [
            (login.role, login.username, login.password,
             secrets.get(login.username, "(set up at first login)"), login.organisation)
            for login in DEMO_LOGINS
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        self.stdout.write("")
        for number, row in enumerate(rows):
            self.stdout.write(
                "  ".join(
                    [cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True)]
                    + [row[4]]
                )
            )
            if number == 0:
                self.stdout.write("  ".join("-" * w for w in widths) + "  " + "-" * 12)
        self.stdout.write("")
        self.stdout.write(f"Open {DEMO_URL} and log in with one of these. At the code step, enter "
                          "the code of an authenticator app set up with the TOTP secret, or "
                          "the one `zicht user totp --username USERNAME` prints.")
        self.stdout.write("API tokens: `zicht user token --username USERNAME`.")
