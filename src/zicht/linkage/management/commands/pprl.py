from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from zicht.core.management.base import ZichtCommand
from zicht.organisations.models import User

SECRET_VARIABLE = "ZICHT_PPRL_SECRET"  # noqa: S105 (the variable's name, not a secret)


class Command(ZichtCommand):
    help = ("Privacy-preserving linkage (ADR 0006). `zicht pprl encode --input records.csv "
            "--output encodings.csv` runs at the organisation, with the secret shared among "
            "participants (file or $ZICHT_PPRL_SECRET); `zicht pprl upload` sends only the "
            "encodings; `zicht pprl link` links all uploaded encodings by Dice similarity.")

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        encode = sub.add_parser("encode", help="Encode names and birth dates locally.")
        encode.add_argument("--input", type=Path, required=True,
                            help="CSV with record_id, given_name, family_name, birth_date, "
                                 "birth_year (others ignored).")
        encode.add_argument("--output", type=Path, required=True)
        encode.add_argument("--secret-file", type=Path,
                            help=f"File holding the shared secret (default: ${SECRET_VARIABLE}).")
        encode.add_argument("--salt-with-year", action="store_true",
                            help="Salt name bigrams with the year of birth (ADR 0006).")
        upload = sub.add_parser("upload", help="Store encodings for the user's organisation.")
        upload.add_argument("--input", type=Path, required=True)
        upload.add_argument("--user", required=True)
        link = sub.add_parser("link", help="Link uploaded encodings; print the person count.")
        link.add_argument("--threshold", type=float, default=None)

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "encode":
            self._encode(options)
        elif subcommand == "upload":
            from zicht.linkage.services import pprl_upload

            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"--user: no user {options['user']!r}.", returncode=2)
            rows = self._rows(options["input"])
            saved = pprl_upload(actor=user, records=rows)
            self.stdout.write(f"{len(saved)} encodings stored")
        else:
            from zicht.linkage import pprl
            from zicht.linkage.services import pprl_link

            threshold = options["threshold"]
            persons = pprl_link(actor=None, threshold=pprl.DEFAULT_THRESHOLD
                                if threshold is None else threshold)
            self.stdout.write(f"{persons} persons among the uploaded encodings")

    def _rows(self, path: Path) -> list[dict[str, str]]:
        if not path.is_file():
            raise CommandError(f"--input: no file {path}.", returncode=2)
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return list(csv.DictReader(handle))

    def _encode(self, options: dict[str, Any]) -> None:
        from zicht.linkage import pprl

        if options.get("secret_file"):
            try:
                secret_text = options["secret_file"].read_text().strip()
            except OSError as error:
                raise CommandError(f"--secret-file: {error}", returncode=2) from None
        else:
            secret_text = os.environ.get(SECRET_VARIABLE, "").strip()
        if len(secret_text) < 16:
            raise CommandError(
                f"--secret-file: give the shared secret (at least 16 characters) in a file "
                f"or in ${SECRET_VARIABLE}.", returncode=2)
        secret = pprl.Secret.from_passphrase(secret_text)
        rows = self._rows(options["input"])
        if rows and "record_id" not in rows[0]:
            raise CommandError("--input: the column record_id is missing.", returncode=2)
        with options["output"].open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["record_ref", "encoding"])
            for row in rows:
                encoding = pprl.encode({
                    "given_name": row.get("given_name"), "family_name": row.get("family_name"),
                    "birth_date": row.get("birth_date") or row.get("birth_year"),
                    "birth_year": row.get("birth_year"), "sex": row.get("sex"),
                }, secret, salt_with_year=options["salt_with_year"])
                writer.writerow([row["record_id"], pprl.to_text(encoding)])
        self.stdout.write(f"{len(rows)} records encoded -> {options['output']}")
