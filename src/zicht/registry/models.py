"""Persons, signals, consents and who may see a person. Data and invariants only."""

from __future__ import annotations

from datetime import date
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zicht.core.crypto import DataKey
from zicht.organisations.models import Organisation

from .codes import AgeGroup, BirthDatePrecision, ConsentState, Purpose, Scope, Sex, Source

IDENTITY_FIELDS = (
    "given_names", "family_name", "aliases", "birth_date", "phone", "identity_documents",
)


class Person(models.Model):
    """A (possible) victim as recorded by one organisation.

    Identifying fields live only in `identity_ciphertext`, encrypted with the
    person's own data key (ADR 0002). What figures need stays in plain columns.
    """

    data_key = models.TextField(editable=False)
    identity_ciphertext = models.TextField(editable=False)
    # Blind index over normalised name + birth date: exact look-up, no decryption.
    name_birth_index = models.CharField(max_length=64, db_index=True, editable=False)

    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    birth_date_precision = models.CharField(
        max_length=8, choices=BirthDatePrecision.choices, default=BirthDatePrecision.UNKNOWN
    )
    citizenships = models.JSONField(_("citizenships"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)

    registering_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="registered_persons"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Current consent per purpose: the latest Consent row, kept here so that
    # access rules are one indexed filter, not a subquery per person.
    consent_registration = models.CharField(
        max_length=10, choices=ConsentState.choices, default=ConsentState.UNKNOWN
    )
    consent_care = models.CharField(
        max_length=10, choices=ConsentState.choices, default=ConsentState.UNKNOWN
    )
    consent_police = models.CharField(
        max_length=10, choices=ConsentState.choices, default=ConsentState.UNKNOWN
    )
    # Set once an organisation with a duty to register reported the person.
    duty_registered = models.BooleanField(default=False)

    # Data-subject rights (zicht.privacy). Erased: the data key and every identifying
    # field are destroyed, the columns figures count are kept. Restricted (GDPR art. 18):
    # kept, but out of every worklist and edit until the restriction is lifted.
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    restricted_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [
            models.Index(fields=["consent_registration", "duty_registered"]),
        ]

    def __str__(self) -> str:
        return f"Person {self.pk}"

    @cached_property
    def identity(self) -> dict[str, Any]:
        return DataKey(self.data_key).decrypt_json(self.identity_ciphertext) or {}

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def is_restricted(self) -> bool:
        return self.restricted_at is not None

    @property
    def display_name(self) -> str:
        ident = self.identity
        return " ".join(p for p in (ident.get("given_names"), ident.get("family_name")) if p)

    @property
    def age_uncertain(self) -> bool:
        return self.birth_year is None

    def consent(self, purpose: str) -> str:
        return str(getattr(self, f"consent_{purpose}"))

    def age_on(self, day: date) -> int | None:
        """Age in whole years on `day`; a year-only birth date gives the lower bound."""
        if self.birth_year is None:
            return None
        birth = self.identity.get("birth_date") or ""
        if self.birth_date_precision == BirthDatePrecision.DAY and len(birth) == 10:
            born = date.fromisoformat(birth)
            return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
        # Year only: assume the birthday is still to come, so doubt means "minor".
        return max(0, day.year - self.birth_year - 1)


class AccessReason(models.TextChoices):
    REPORTED = "reported", _("Reported by this organisation")
    SHARED = "shared", _("Shared with this organisation")
    REFERRED = "referred", _("Referred to this organisation")


class PersonAccess(models.Model):
    """Which organisations may see a person, and why. Revoking ends it at once."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="grants")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=10, choices=AccessReason.choices)
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation", "reason"], name="one_grant_per_reason"
            )
        ]
        indexes = [models.Index(fields=["organisation", "person"])]

    def __str__(self) -> str:
        return f"{self.organisation_id} sees person {self.person_id} ({self.reason})"


class Signal(models.Model):
    """A report (melding) that a person may be a victim."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="signals")
    reporting_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="signals"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signalled_on = models.DateField(_("date signalled"))
    exploitation_started_on = models.DateField(_("exploitation started"), null=True, blank=True)
    exploitation_ended_on = models.DateField(_("exploitation ended"), null=True, blank=True)
    forms = models.JSONField(_("forms of exploitation"))
    sector = models.CharField(_("sector (ISIC section)"), max_length=1, blank=True)
    indicators = models.JSONField(_("indicators observed"), default=list, blank=True)
    municipality = models.CharField(_("municipality"), max_length=6)
    scope = models.CharField(_("domestic or cross-border"), max_length=12,
                             choices=Scope.choices, default=Scope.UNKNOWN)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    # Narrative and free-text indicators, encrypted with the person's data key.
    text_ciphertext = models.TextField(blank=True, editable=False)

    # Fixed at the signal date, for figures: age in years (None = uncertain).
    age_at_signal = models.PositiveSmallIntegerField(null=True, blank=True)
    age_group = models.CharField(max_length=8, choices=AgeGroup.choices)
    minor_at_signal = models.BooleanField()
    # By law, not by consent: the reporting organisation must register.
    duty_registration = models.BooleanField(default=False)

    # The reporter's own reference, or a fingerprint of an imported row:
    # what makes a re-run import add nothing twice.
    # NULL, not "": signals without a reference must not collide in the unique constraint.
    external_ref = models.CharField(max_length=128, null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-signalled_on", "-id"]
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        constraints = [
            models.UniqueConstraint(
                fields=["reporting_organisation", "external_ref"], name="one_signal_per_ref"
            ),
            models.CheckConstraint(
                condition=models.Q(exploitation_ended_on__isnull=True)
                | models.Q(exploitation_started_on__isnull=True)
                | models.Q(exploitation_ended_on__gte=models.F("exploitation_started_on")),
                name="exploitation_period_in_order",
            ),
        ]
        indexes = [models.Index(fields=["signalled_on"])]

    def __str__(self) -> str:
        return f"Signal {self.pk}"

    @cached_property
    def texts(self) -> dict[str, str]:
        if not self.text_ciphertext:
            return {}
        return DataKey(self.person.data_key).decrypt_json(self.text_ciphertext) or {}

    @property
    def narrative(self) -> str:
        return self.texts.get("narrative", "")

    @property
    def indicators_other(self) -> str:
        return self.texts.get("indicators_other", "")


class Consent(models.Model):
    """One consent statement; the newest per purpose is the one in force."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    state = models.CharField(_("state"), max_length=10, choices=ConsentState.choices)
    recorded_on = models.DateField(_("date"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.purpose}: {self.state}"
