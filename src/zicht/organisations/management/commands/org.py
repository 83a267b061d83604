from __future__ import annotations

from typing import Any

from zicht.core.management.base import ZichtCommand
from zicht.organisations import services
from zicht.organisations.models import Organisation, OrganisationKind


class Command(ZichtCommand):
    help = "Manage organisations: `zicht org create --name N --kind K --municipality GM0363`, `zicht org list`."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        create = sub.add_parser("create", help="Create an organisation.")
        create.add_argument("--name", required=True)
        create.add_argument("--kind", required=True, choices=OrganisationKind.values)
        create.add_argument("--municipality", required=True, help="CBS code, e.g. GM0363.")
        sub.add_parser("list", help="List organisations.")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "create":
            organisation = services.organisation_create(
                actor=None, name=options["name"], kind=options["kind"],
                municipality=options["municipality"],
            )
            self.stdout.write(f"Created organisation {organisation.pk}: {organisation.name} "
                              f"({organisation.kind}, {organisation.municipality})")
        else:
            for org in Organisation.objects.all():
                self.stdout.write(f"{org.pk}\t{org.name}\t{org.kind}\t{org.municipality}")
