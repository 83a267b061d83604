"""`zicht demo` on an empty or half-filled database, and its repeatability."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from zicht.audit.models import AuditEvent
from zicht.demo.catalogue import ORGANISATIONS
from zicht.organisations.models import Organisation
from zicht.registry.models import AccessReason, Person, PersonAccess, Signal

pytestmark = pytest.mark.django_db


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, verbosity=0, stdout=out)
    return out.getvalue()


def test_if_empty_loads_an_empty_database():  # type: ignore[no-untyped-def]
    run_demo("--persons", "20", "--if-empty")
    assert Person.objects.count() == 20


def test_it_refuses_to_continue_an_interrupted_load():  # type: ignore[no-untyped-def]
    Organisation.objects.create(
        name=ORGANISATIONS[0].name,
        kind=ORGANISATIONS[0].kind,
        municipality=ORGANISATIONS[0].municipality,
    )
    with pytest.raises(CommandError, match="did not finish"):
        run_demo("--persons", "10")
    assert not Person.objects.exists()


def test_it_refuses_zero_persons():  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="--persons"):
        run_demo("--persons", "0")


class _RollBack(Exception):
    pass


def _fingerprint_of_load(seed: int) -> tuple:
    """Load inside a savepoint, describe the data, then roll it all back."""
    try:
        with transaction.atomic():
            run_demo("--seed", str(seed), "--persons", "80")
            persons = sorted(
                Person.objects.values_list(
                    "name_birth_index",
                    "sex",
                    "birth_year",
                    "citizenships",
                    "languages",
                    "registering_organisation__name",
                    "consent_registration",
                    "consent_care",
                    "consent_police",
                    "duty_registered",
                )
            )
            signals = sorted(
                (index, str(day), forms, indicators, municipality, source, organisation)
                for index, day, forms, indicators, municipality, source, organisation in Signal.objects.values_list(
                    "person__name_birth_index",
                    "signalled_on",
                    "forms",
                    "indicators",
                    "municipality",
                    "source",
                    "reporting_organisation__name",
                )
            )
            shares = sorted(
                PersonAccess.objects.filter(reason=AccessReason.SHARED).values_list(
                    "person__name_birth_index", "organisation__name"
                )
            )
            fingerprint = (persons, signals, shares, AuditEvent.objects.count())
            raise _RollBack
    except _RollBack:
        pass
    assert not Person.objects.exists()
    return fingerprint


def test_the_same_seed_gives_the_same_data():  # type: ignore[no-untyped-def]
    first = _fingerprint_of_load(7)
    assert _fingerprint_of_load(7) == first
    assert _fingerprint_of_load(8)[0] != first[0]
