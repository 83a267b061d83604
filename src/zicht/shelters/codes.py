"""Code lists for shelters and placements."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class ShelterKind(models.TextChoices):
    COSM = "cosm", _("COSM (categorical shelter for victims of trafficking)")
    OMM = "omm", _("OMM (shelter for male victims of trafficking)")
    WOMENS = "womens", _("Women's shelter")
    MENS = "mens", _("Men's shelter")
    GENERAL = "general", _("General shelter")
    YOUTH_CARE = "youth_care", _("Youth care / Beschermde Opvang (minors only)")


# Short names for tables, where the long label does not fit.
KIND_SHORT: dict[str, Any] = {
    ShelterKind.COSM: _("COSM"),
    ShelterKind.OMM: _("OMM"),
    ShelterKind.WOMENS: _("Women's shelter"),
    ShelterKind.MENS: _("Men's shelter"),
    ShelterKind.GENERAL: _("General shelter"),
    ShelterKind.YOUTH_CARE: _("Youth care"),
}


class SexServed(models.TextChoices):
    FEMALE = "female", _("Women and girls")
    MALE = "male", _("Men and boys")
    ANY = "any", _("Everyone")


# A kind that is for one sex only by definition; other kinds may take anyone.
KIND_SEX: dict[str, str] = {
    ShelterKind.OMM: SexServed.MALE,
    ShelterKind.MENS: SexServed.MALE,
    ShelterKind.WOMENS: SexServed.FEMALE,
}


class SafetyLevel(models.TextChoices):
    """How well a location hides the person; a need is met by an equal or higher level."""

    NORMAL = "normal", _("Normal")
    SECRET_ADDRESS = "secret_address", _("Secret address")


SAFETY_RANK: dict[str, int] = {SafetyLevel.NORMAL: 0, SafetyLevel.SECRET_ADDRESS: 1}


class EndReason(models.TextChoices):
    MOVED_ON = "moved_on", _("Moved on to own housing or aftercare")
    TRANSFERRED = "transferred", _("Transferred to another shelter")
    RETURNED = "returned", _("Returned to the country of origin")
    LEFT = "left", _("Left the shelter on their own")
    OTHER = "other", _("Other")


ADULT_AGE = 18
# Youth care takes minors only: a person whose age is uncertain counts as one (DOMAIN.md).
YOUTH_MAX_AGE = ADULT_AGE - 1
