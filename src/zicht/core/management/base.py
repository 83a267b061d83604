"""Base for zicht's commands: domain errors become a clear message and exit code 2."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from zicht.core.exceptions import ApplicationError


class ZichtCommand(BaseCommand):
    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            return super().execute(*args, **options)
        except ApplicationError as exc:
            where = f"{exc.field}: " if exc.field else ""
            raise CommandError(f"{where}{exc.message}", returncode=2) from None
        except PermissionDenied as exc:
            raise CommandError(str(exc), returncode=2) from None
