"""The `zicht` command: Django's management commands under one name.

    zicht org create --name NAME --kind KIND --municipality GM0363
    zicht user create --org NAME --role ROLE --username U
    zicht import signals FILE.csv
    zicht audit verify
    zicht keys rotate
    zicht demo --seed 1 --persons 5000
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zicht.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["zicht", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
