"""Factories for tests: synthetic organisations, users, persons and signals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from zicht.organisations.models import DUTY_TO_REGISTER, Organisation, OrganisationKind, Role, User
from zicht.registry import services


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.NGO
    municipality = "GM0363"
    must_register = factory.LazyAttribute(lambda o: o.kind in DUTY_TO_REGISTER)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.CASEWORKER
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            obj.save()


def make_person(actor: User, **overrides: Any):  # type: ignore[no-untyped-def]
    """A person registered through the service, as a caseworker would."""
    fields: dict[str, Any] = {
        "given_names": "Maria", "family_name": "Ionescu", "birth_date": "1995-04-12",
        "sex": "female", "citizenships": ["RO"], "languages": ["ro"],
    }
    fields.update(overrides)
    return services.person_create(actor=actor, **fields)


def make_signal(actor: User, person, **overrides: Any):  # type: ignore[no-untyped-def]
    fields: dict[str, Any] = {
        "signalled_on": dt.date(2025, 3, 1), "forms": ["sexual"], "indicators": ["deception"],
        "municipality": "GM0363", "source": "own_observation", "narrative": "Seen at work.",
    }
    fields.update(overrides)
    return services.signal_create(actor=actor, person_id=person.pk, **fields)
