"""Code lists used in signals and persons, with their sources."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Form(models.TextChoices):
    """Forms of exploitation, Directive 2011/36/EU art. 2(3) as amended by 2024/1712."""

    SEXUAL = "sexual", _("Sexual exploitation")
    LABOUR = "labour", _("Forced labour or services, including begging")
    SLAVERY = "slavery", _("Slavery or practices similar to slavery")
    SERVITUDE = "servitude", _("Servitude")
    CRIMINAL = "criminal", _("Exploitation of criminal activities")
    ORGANS = "organs", _("Removal of organs")
    SURROGACY = "surrogacy", _("Exploitation of surrogacy")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")
    ILLEGAL_ADOPTION = "illegal_adoption", _("Illegal adoption")


class Indicator(models.TextChoices):
    """The ILO's 11 indicators of forced labour."""

    VULNERABILITY = "abuse_of_vulnerability", _("Abuse of vulnerability")
    DECEPTION = "deception", _("Deception")
    MOVEMENT = "restriction_of_movement", _("Restriction of movement")
    ISOLATION = "isolation", _("Isolation")
    VIOLENCE = "physical_sexual_violence", _("Physical and sexual violence")
    THREATS = "intimidation_threats", _("Intimidation and threats")
    DOCUMENTS = "retention_of_documents", _("Retention of identity documents")
    WAGES = "withholding_of_wages", _("Withholding of wages")
    DEBT = "debt_bondage", _("Debt bondage")
    CONDITIONS = "abusive_conditions", _("Abusive working and living conditions")
    OVERTIME = "excessive_overtime", _("Excessive overtime")


class Sector(models.TextChoices):
    """ISIC Rev. 4 sections (as HTCDS uses for the forced-labour industry)."""

    A = "A", _("Agriculture, forestry and fishing")
    B = "B", _("Mining and quarrying")
    C = "C", _("Manufacturing (incl. meat processing)")
    D = "D", _("Electricity, gas, steam and air conditioning supply")
    E = "E", _("Water supply; sewerage, waste management")
    F = "F", _("Construction")
    G = "G", _("Wholesale and retail trade")
    H = "H", _("Transportation and storage")
    I = "I", _("Accommodation and food service activities")  # noqa: E741
    J = "J", _("Information and communication")
    K = "K", _("Financial and insurance activities")
    L = "L", _("Real estate activities")
    M = "M", _("Professional, scientific and technical activities")
    N = "N", _("Administrative and support services (incl. cleaning)")
    O = "O", _("Public administration and defence")  # noqa: E741
    P = "P", _("Education")
    Q = "Q", _("Human health and social work")
    R = "R", _("Arts, entertainment and recreation")
    S = "S", _("Other service activities (incl. beauty)")
    T = "T", _("Households as employers (domestic work)")
    U = "U", _("Extraterritorial organisations")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class Source(models.TextChoices):
    OWN_OBSERVATION = "own_observation", _("Own observation")
    SELF_REPORT = "self_report", _("Self-report by the person")
    THIRD_PARTY = "third_party", _("Third party")
    ANONYMOUS = "anonymous", _("Anonymous")


class Scope(models.TextChoices):
    DOMESTIC = "domestic", _("Domestic")
    CROSS_BORDER = "cross_border", _("Cross-border")
    UNKNOWN = "unknown", _("Unknown")


class Purpose(models.TextChoices):
    REGISTRATION = "registration", _("Registration (counted in national figures)")
    CARE = "care", _("Care coordination")
    POLICE = "police", _("Sharing with police")


class ConsentState(models.TextChoices):
    UNKNOWN = "unknown", _("Not asked")
    GIVEN = "given", _("Given")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class BirthDatePrecision(models.TextChoices):
    DAY = "day", _("Full date")
    YEAR = "year", _("Year only")
    UNKNOWN = "unknown", _("Unknown")


class AgeGroup(models.TextChoices):
    """Age at the signal date, in Eurostat's bands; `unknown` counts as a minor."""

    UNDER_12 = "0-11", "0–11"
    FROM_12 = "12-17", "12–17"
    FROM_18 = "18-24", "18–24"
    FROM_25 = "25-34", "25–34"
    FROM_35 = "35-44", "35–44"
    FROM_45 = "45-54", "45–54"
    FROM_55 = "55+", "55+"
    UNKNOWN = "unknown", _("Unknown")


def age_group_for(age: int | None) -> str:
    if age is None:
        return AgeGroup.UNKNOWN
    for upper, group in ((11, "0-11"), (17, "12-17"), (24, "18-24"), (34, "25-34"),
                         (44, "35-44"), (54, "45-54")):
        if age <= upper:
            return group
    return AgeGroup.FROM_55
