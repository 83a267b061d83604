"""Code lists of the programme monitor. Stored values are English codes; labels translate."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# An expert's consent is stated the way a person's is: the same four states.
from zicht.registry.codes import ConsentState, Form

__all__ = ["ConsentState"]

# What a new consent statement can say ("not asked" is only ever the starting point).
CONSENT_STATEMENT_CHOICES = [(state.value, state.label) for state in (
    ConsentState.GIVEN, ConsentState.REFUSED, ConsentState.WITHDRAWN)]


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    DELAYED = "delayed", _("Delayed")
    DONE = "done", _("Done")
    STOPPED = "stopped", _("Stopped")


# The order a report lists actions in within a line: what needs attention first.
STATUS_ORDER = {
    ActionStatus.DELAYED: 0, ActionStatus.STOPPED: 1, ActionStatus.NOT_STARTED: 2,
    ActionStatus.ON_TRACK: 3, ActionStatus.DONE: 4,
}
# A report counts actions that have no progress report for the period under this key.
NOT_REPORTED = "not_reported"


class IndicatorKind(models.TextChoices):
    INTEGER = "integer", _("Whole number")
    DECIMAL = "decimal", _("Decimal number")
    PERCENTAGE = "percentage", _("Percentage (0–100)")
    TEXT = "text", _("Text")


class Half(models.IntegerChoices):
    FIRST = 1, _("first half (January–June)")
    SECOND = 2, _("second half (July–December)")


class TargetGroup(models.TextChoices):
    GENERAL_PUBLIC = "general_public", _("General public")
    PROFESSIONALS = "professionals", _("Professionals")
    POTENTIAL_VICTIMS = "potential_victims", _("(Potential) victims")
    YOUNG_PEOPLE = "young_people", _("Young people")
    LABOUR_MIGRANTS = "labour_migrants", _("Labour migrants")
    CLIENTS = "clients", _("Clients and buyers of services")
    EMPLOYERS = "employers", _("Employers")


class Channel(models.TextChoices):
    SOCIAL_MEDIA = "social_media", _("Social media")
    WEBSITE = "website", _("Website")
    TV_RADIO = "tv_radio", _("TV and radio")
    PRINT = "print", _("Print (posters, flyers)")
    OUTDOOR = "outdoor", _("Outdoor advertising")
    EVENTS = "events", _("Meetings and events")
    E_LEARNING = "e_learning", _("E-learning and training")
    NEWSLETTERS = "newsletters", _("Newsletters and mailings")


# A campaign about trafficking in general has no one form of exploitation.
GENERAL_FORM = "general"
CAMPAIGN_FORM_CHOICES = [(GENERAL_FORM, _("Trafficking in general")), *Form.choices]


class ExpertiseArea(models.TextChoices):
    SEXUAL = "sexual", _("Lived experience: sexual exploitation")
    LABOUR = "labour", _("Lived experience: labour exploitation")
    CRIMINAL = "criminal", _("Lived experience: criminal exploitation")
    MINORS = "minors", _("Exploitation as a minor")
    TRAINING = "training", _("Training professionals")
    POLICY = "policy", _("Policy advice")
    PEER_SUPPORT = "peer_support", _("Peer support")
    CAMPAIGNS = "campaigns", _("Awareness campaigns")
    RESEARCH = "research", _("Research")


class Availability(models.TextChoices):
    AVAILABLE = "available", _("Available")
    LIMITED = "limited", _("Limited availability")
    UNAVAILABLE = "unavailable", _("Not available at present")


class FeeBasis(models.TextChoices):
    HOURLY = "hourly", _("Hourly rate")
    PER_ASSIGNMENT = "per_assignment", _("Fixed fee per assignment")
    ALLOWANCE = "allowance", _("Volunteer allowance")
    DECLINED = "declined", _("Declined payment")


class ConsentUse(models.TextChoices):
    """What an expert's data may be used for; each use needs its own explicit consent."""

    POOL = "pool", _("Being in the pool and matched to requests")
    ASSIGNMENT = "assignment", _("Sharing name and contact details with one assignment's organisation")
    FEEDBACK = "feedback", _("Keeping feedback on assignments")
    PUBLICATION = "publication", _("Being named in programme publications")


class AssignmentStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    AGREED = "agreed", _("Agreed")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


# Assignments during which the engaging organisation may see the expert.
ENGAGED_STATUSES = (AssignmentStatus.AGREED, AssignmentStatus.DONE)


class FeedbackFrom(models.TextChoices):
    ORGANISATION = "organisation", _("The engaging organisation")
    EXPERT = "expert", _("The expert")


class RegionKind(models.TextChoices):
    SAFETY = "safety", _("Safety region")
    CARE = "care", _("Care region")


class RegionalRole(models.TextChoices):
    CARE_COORDINATOR = "care_coordinator", _("Care coordinator")
    RIEC = "riec", _("RIEC")
    SAFETY_AND_CARE_HOUSE = "safety_and_care_house", _("Zorg- en Veiligheidshuis")
    REPORTING_DESK = "reporting_desk", _("Reporting desk")
    KNOWLEDGE_CENTRE = "knowledge_centre", _("Knowledge centre")
    PARTNER = "partner", _("Partner")
