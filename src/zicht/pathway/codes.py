"""Code lists of the referral pathway, with their HTCDS equivalents where one exists."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StageKind(models.TextChoices):
    """The NVM's four stages, in order (DOMAIN.md, "signaleren → … → compensatie")."""

    IDENTIFY = "identify", _("Identify (signaleren)")
    PROTECT = "protect", _("Protect (beschermen)")
    CRIMINAL = "criminal", _("Criminal procedure (strafrechtelijk proces)")
    REDRESS = "redress", _("Redress (compensatie)")


class VictimStatus(models.TextChoices):
    POSSIBLE = "possible", _("Possible victim")
    IDENTIFIED = "identified", _("Identified victim")
    NOT_VICTIM = "not_victim", _("Not a victim")


# HTCDS v2.0 trafficking status values.
VICTIM_STATUS_HTCDS = {
    VictimStatus.POSSIBLE: "Possible",
    VictimStatus.IDENTIFIED: "Actual",
    VictimStatus.NOT_VICTIM: "Not",
}


class CaseStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")
    CLOSED_REFERRED = "closed_referred", _("Closed, referred elsewhere")


# HTCDS v2.0 cas_Status values.
CASE_STATUS_HTCDS = {
    CaseStatus.ACTIVE: "Active",
    CaseStatus.FOLLOW_UP: "FollowUp",
    CaseStatus.CLOSED: "Closed",
    CaseStatus.CLOSED_REFERRED: "ClosedReferred",
}
CLOSED_CASE_STATUSES = frozenset({CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED})


class ResidenceStatus(models.TextChoices):
    """What the deadline rules need to know about a person's right to stay."""

    UNKNOWN = "unknown", _("Unknown")
    NATIONAL_OR_EU = "national_or_eu", _("Dutch or EU/EEA citizen")
    LAWFUL = "lawful", _("Lawful residence")
    NO_LEGAL_RESIDENCE = "no_legal_residence", _("Foreign national without legal residence")
    DUBLIN_CLAIMANT = "dublin_claimant", _("Dublin claimant")


class ReferralPurpose(models.TextChoices):
    SHELTER = "shelter", _("Shelter")
    CARE_COORDINATION = "care_coordination", _("Care coordination")
    AANGIFTE = "aangifte", _("Report to police (aangifte)")
    LABOUR_INSPECTION = "labour_inspection", _("Labour inspection")
    LEGAL_AID = "legal_aid", _("Legal aid")
    RESIDENCE = "residence", _("Residence permit")
    VICTIM_SUPPORT = "victim_support", _("Victim support")
    HEALTH_CARE = "health_care", _("Health care")
    YOUTH_CARE = "youth_care", _("Youth care")
    RETURN = "return", _("Safe return")
    OTHER = "other", _("Other")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class ReferralStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")
    SENT_ABROAD = "sent_abroad", _("Sent abroad")


class ReferralChannel(models.TextChoices):
    """How a referral abroad travels; zicht only records it."""

    LIAISON_OFFICER = "liaison_officer", _("Police liaison officer")
    EUROPOL = "europol", _("Europol (SIENA)")
    INTERPOL = "interpol", _("Interpol")
    EMBASSY = "embassy", _("Embassy or consulate")
    IOM = "iom", _("IOM (assisted return)")
    NGO_NETWORK = "ngo_network", _("NGO network")
    OTHER = "other", _("Other")


class ConsentBasis(models.TextChoices):
    """Why a referral could share the person: their consent, or the sender's legal duty."""

    CONSENT = "consent", _("Consent of the person")
    DUTY_TO_REGISTER = "duty_to_register", _("Sender's legal duty to register")
    NONE_NEEDED = "none_needed", _("Nothing shared (referral abroad)")


class DeadlineKind(models.TextChoices):
    REFLECTION_PERIOD = "reflection_period", _("Reflection period (bedenktijd)")
    DUBLIN_AANGIFTE_DECISION = "dublin_aangifte_decision", _("Decision on aangifte (Dublin)")
    B8_PERMIT = "b8_permit", _("B8 residence permit (runs with the criminal case)")
    OTHER_GROUNDS_REVIEW = "other_grounds_review", _("Look at other residence grounds")
    NON_TEMPORARY_PERMIT = "non_temporary_permit", _("Non-temporary residence permit can be requested")
    TASK = "task", _("Task")


class CriminalCaseOutcome(models.TextChoices):
    INVESTIGATION = "investigation", _("Under investigation")
    PROSECUTED = "prosecuted", _("Prosecuted")
    SEPOT = "sepot", _("Not prosecuted (sepot)")
    CONVICTED = "convicted", _("Conviction")
    ACQUITTED = "acquitted", _("Acquittal")


# The decisions that can follow an investigation (input of the decision endpoint).
CASE_DECISION_CHOICES = [(c.value, c.label) for c in CriminalCaseOutcome
                         if c != CriminalCaseOutcome.INVESTIGATION]


class RedressRoute(models.TextChoices):
    INJURED_PARTY = "injured_party", _("Injured party in the criminal case (benadeelde partij)")
    SCHADEFONDS = "schadefonds", _("Schadefonds Geweldsmisdrijven")
    CIVIL = "civil", _("Civil claim")


class RedressOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    AWARDED = "awarded", _("Awarded in full")
    PARTLY_AWARDED = "partly_awarded", _("Partly awarded")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    SETTLED = "settled", _("Settled")


AWARDING_OUTCOMES = frozenset({RedressOutcome.AWARDED, RedressOutcome.PARTLY_AWARDED,
                               RedressOutcome.SETTLED})
