from __future__ import annotations

from typing import Any

from zicht.core.management.base import ZichtCommand
from zicht.registry.services import keys_rotate


class Command(ZichtCommand):
    help = ("`zicht keys rotate`: re-wrap every person's data key with the newest master key "
            "(first of ZICHT_FIELD_KEYS). With --data-keys, also give every person a new data "
            "key and re-encrypt their fields and signal texts.")

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        rotate = sub.add_parser("rotate", help="Re-encrypt under the newest key.")
        rotate.add_argument("--data-keys", action="store_true",
                            help="Also replace each person's data key.")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        count = keys_rotate(actor=None, data_keys=options["data_keys"],
                            progress=lambda n: self.stdout.write(f"  {n} persons done"))
        what = "data keys replaced and fields re-encrypted" if options["data_keys"] else (
            "data keys re-wrapped")
        self.stdout.write(f"Rotated {count} persons: {what}. Old master keys can now be removed "
                          "from ZICHT_FIELD_KEYS.")
