"""Shapes of API input and output. Types only; rules live in services and validation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.fields import empty

from .access import MAX_ID
from .codes import ConsentState, Form, Indicator, Purpose, Scope, Sector, Sex, Source
from .models import Consent, Person, Signal


class TextField(serializers.CharField):
    """Text only: a number or `true` where text belongs is the client's mistake, not a name."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


def id_field(**kwargs: Any) -> serializers.IntegerField:
    # Bounded like the database's keys, so an absurd number is a bad field, not a crash.
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class StrictSerializer(serializers.Serializer):
    """Unknown fields are an error, not silently dropped: a typo must not lose data."""

    def run_validation(self, data: Any = empty) -> Any:
        if self.parent is None and data is not empty and not isinstance(data, Mapping):
            # An array, a string or null where the object should be: the body is at fault.
            raise serializers.ValidationError(
                {"body": [_("Send one JSON object with the fields by name.")]})
        return super().run_validation(data)

    def to_internal_value(self, data: Any) -> Any:
        unknown: dict[str, list[str]] = {}
        if isinstance(data, dict):
            known = ", ".join(sorted(self.fields))
            unknown = {name: [f"Unknown field. Known fields: {known}."]
                       for name in sorted(set(data) - set(self.fields))}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            # Report every bad field at once, the unknown ones included.
            if unknown and isinstance(exc.detail, dict):
                raise serializers.ValidationError({**exc.detail, **unknown}) from None
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


class IdentityDocumentSerializer(StrictSerializer):
    kind = TextField(max_length=40)
    number = TextField(max_length=64)
    country = TextField(max_length=2, required=False, allow_blank=True)


class PersonInputSerializer(StrictSerializer):
    given_names = TextField(max_length=200, required=False, allow_blank=True)
    family_name = TextField(max_length=200, required=False, allow_blank=True)
    aliases = serializers.ListField(child=TextField(max_length=200), required=False,
                                    max_length=20)
    birth_date = TextField(
        max_length=10, required=False, allow_blank=True,
        help_text="YYYY-MM-DD, or YYYY when only the year is known.",
    )
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    citizenships = serializers.ListField(
        child=TextField(max_length=2), required=False, max_length=10,
        help_text="ISO 3166-1 alpha-2 codes.",
    )
    languages = serializers.ListField(
        child=TextField(max_length=3), required=False, max_length=10,
        help_text="ISO 639-1 codes.",
    )
    phone = TextField(max_length=30, required=False, allow_blank=True)
    identity_documents = IdentityDocumentSerializer(many=True, required=False)


class ConsentStateSerializer(serializers.Serializer):
    registration = serializers.ChoiceField(choices=ConsentState.choices)
    care = serializers.ChoiceField(choices=ConsentState.choices)
    police = serializers.ChoiceField(choices=ConsentState.choices)


class PersonSerializer(serializers.ModelSerializer):
    given_names = serializers.SerializerMethodField()
    family_name = serializers.SerializerMethodField()
    aliases = serializers.SerializerMethodField()
    birth_date = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    identity_documents = serializers.SerializerMethodField()
    minor = serializers.SerializerMethodField()
    consent = serializers.SerializerMethodField()
    registering_organisation = serializers.CharField(source="registering_organisation.name")

    class Meta:
        model = Person
        fields = [
            "id", "given_names", "family_name", "aliases", "birth_date", "sex",
            "citizenships", "languages", "phone", "identity_documents", "minor",
            "consent", "duty_registered", "registering_organisation", "created_at",
        ]

    def get_given_names(self, obj: Person) -> str:
        return str(obj.identity.get("given_names", ""))

    def get_family_name(self, obj: Person) -> str:
        return str(obj.identity.get("family_name", ""))

    def get_aliases(self, obj: Person) -> list[str]:
        return list(obj.identity.get("aliases", []))

    def get_birth_date(self, obj: Person) -> str:
        return str(obj.identity.get("birth_date", ""))

    def get_phone(self, obj: Person) -> str:
        return str(obj.identity.get("phone", ""))

    def get_identity_documents(self, obj: Person) -> list[dict[str, str]]:
        return list(obj.identity.get("identity_documents", []))

    def get_minor(self, obj: Person) -> bool:
        """A person whose age is uncertain is treated as a minor."""
        age = obj.age_on(timezone.localdate())
        return age is None or age < 18

    def get_consent(self, obj: Person) -> dict[str, str]:
        return {"registration": obj.consent_registration, "care": obj.consent_care,
                "police": obj.consent_police}


class SignalInputSerializer(StrictSerializer):
    person = id_field()
    signalled_on = serializers.DateField()
    exploitation_started_on = serializers.DateField(required=False, allow_null=True)
    exploitation_ended_on = serializers.DateField(required=False, allow_null=True)
    forms = serializers.ListField(child=serializers.ChoiceField(choices=Form.choices),
                                  allow_empty=False, max_length=9)
    indicators = serializers.ListField(child=serializers.ChoiceField(choices=Indicator.choices),
                                       required=False, max_length=11)
    indicators_other = TextField(max_length=1000, required=False, allow_blank=True)
    sector = serializers.ChoiceField(choices=Sector.choices, required=False, allow_blank=True)
    municipality = TextField(max_length=6, help_text="CBS code, e.g. GM0363.")
    scope = serializers.ChoiceField(choices=Scope.choices, required=False)
    # A declared field named like the Field attribute `source`; DRF moves it off the class.
    source = serializers.ChoiceField(choices=Source.choices)  # type: ignore[assignment]
    narrative = TextField(max_length=10_000, required=False, allow_blank=True)
    external_ref = TextField(max_length=128, required=False, allow_blank=True)


class SignalUpdateSerializer(SignalInputSerializer):
    person = None  # type: ignore[assignment]
    external_ref = None  # type: ignore[assignment]


class SignalSerializer(serializers.ModelSerializer):
    narrative = serializers.CharField(read_only=True)
    indicators_other = serializers.CharField(read_only=True)
    reporting_organisation = serializers.CharField(source="reporting_organisation.name")

    class Meta:
        model = Signal
        fields = [
            "id", "person", "reporting_organisation", "signalled_on",
            "exploitation_started_on", "exploitation_ended_on", "forms", "sector",
            "indicators", "indicators_other", "municipality", "scope", "source", "narrative",
            "age_group", "minor_at_signal", "duty_registration", "external_ref", "created_at",
        ]


class ConsentInputSerializer(StrictSerializer):
    person = id_field()
    purpose = serializers.ChoiceField(choices=Purpose.choices)
    state = serializers.ChoiceField(choices=[ConsentState.GIVEN, ConsentState.REFUSED,
                                             ConsentState.WITHDRAWN])
    recorded_on = serializers.DateField(required=False)


class ConsentSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name")
    recorded_by = serializers.CharField(source="recorded_by.username")

    class Meta:
        model = Consent
        fields = ["id", "person", "purpose", "state", "recorded_on", "organisation",
                  "recorded_by", "created_at"]


class ShareInputSerializer(StrictSerializer):
    organisation = id_field()
