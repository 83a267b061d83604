"""Organisations, their users and roles, and API tokens."""

from __future__ import annotations

import hashlib
import re

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MUNICIPALITY_CODE = re.compile(r"^GM\d{4}$")


def validate_municipality_code(value: str) -> None:
    if not MUNICIPALITY_CODE.match(value or ""):
        raise ValidationError(
            _("Use a CBS municipality code: GM followed by four digits, e.g. GM0363."),
            code="municipality",
        )


class OrganisationKind(models.TextChoices):
    POLICE = "police", _("Police")
    KMAR = "kmar", _("Royal Marechaussee")
    LABOUR_INSPECTORATE = "labour_inspectorate", _("Labour Inspectorate")
    IND = "ind", _("Immigration and Naturalisation Service")
    COA = "coa", _("Central Agency for the Reception of Asylum Seekers")
    MUNICIPALITY = "municipality", _("Municipality")
    SHELTER = "shelter", _("Shelter")
    YOUTH_CARE = "youth_care", _("Youth care")
    NGO = "ngo", _("NGO")
    HEALTH = "health", _("Health service")
    VICTIM_SUPPORT = "victim_support", _("Victim support")
    RIEC = "riec", _("RIEC")
    PROSECUTION = "prosecution", _("Public prosecution")
    COMENSHA = "comensha", _("CoMensha (national coordination)")


# Police, KMar and the Labour Inspectorate register every victim they meet,
# whatever the person's consent (seed 001, answers on who may report).
DUTY_TO_REGISTER = frozenset(
    {OrganisationKind.POLICE, OrganisationKind.KMAR, OrganisationKind.LABOUR_INSPECTORATE}
)
POLICE_KINDS = frozenset({OrganisationKind.POLICE, OrganisationKind.KMAR})


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    municipality = models.CharField(
        _("municipality"), max_length=6, validators=[validate_municipality_code],
        help_text=_("CBS municipality code of the organisation's seat, e.g. GM0363."),
    )
    must_register = models.BooleanField(
        _("must register every victim it meets"), default=False,
        help_text=_("Set from the kind: police, KMar and the Labour Inspectorate."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def is_police(self) -> bool:
        return self.kind in POLICE_KINDS


class Role(models.TextChoices):
    REPORTER = "reporter", _("Reporter")
    CASEWORKER = "caseworker", _("Caseworker")
    NATIONAL_COORDINATOR = "national_coordinator", _("National coordinator")
    ANALYST = "analyst", _("Analyst")
    AUDITOR = "auditor", _("Auditor")
    ADMIN = "admin", _("Administrator")


# Roles that may ever see a person's content; the rest see aggregates, the
# audit log or configuration only (purpose limitation).
PERSON_CONTENT_ROLES = frozenset({Role.REPORTER, Role.CASEWORKER, Role.NATIONAL_COORDINATOR})


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True,
        related_name="users", verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.REPORTER)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def sees_person_content(self) -> bool:
        return self.is_active and self.organisation_id is not None and (
            self.role in PERSON_CONTENT_ROLES
        )


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """An API token; only its SHA-256 is stored, so a database leak leaks no tokens."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text=_("First characters, to recognise a token."))
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
