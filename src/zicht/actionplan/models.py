"""The programme monitor's data: the action plan, progress reports, campaigns, the pool of
experts by experience and regional cooperation. Data and invariants only."""

from __future__ import annotations

from decimal import Decimal
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from zicht.core.crypto import DataKey
from zicht.organisations.models import Organisation

from .codes import (
    ActionStatus,
    AssignmentStatus,
    Availability,
    ConsentState,
    ConsentUse,
    FeeBasis,
    FeedbackFrom,
    Half,
    IndicatorKind,
    RegionalRole,
    RegionKind,
)

# --- The action plan ---------------------------------------------------------------------------


class ActionLine(models.Model):
    """One of the programme's six action lines (actielijnen)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("action line")
        verbose_name_plural = _("action lines")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Action(models.Model):
    line = models.ForeignKey(ActionLine, on_delete=models.PROTECT, related_name="actions",
                             verbose_name=_("action line"))
    # "3.2": the line's number, a dot, and the action's place in the line.
    number = models.CharField(_("number"), max_length=10, unique=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    holders = models.ManyToManyField(Organisation, related_name="held_actions",
                                     verbose_name=_("holder organisations"))
    # Partners are often not zicht organisations (researchers, associations): names only.
    partners = models.JSONField(_("partners"), default=list, blank=True)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("planned end"))
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices,
                              default=ActionStatus.NOT_STARTED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")),
                                   name="action_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def sort_key(self) -> tuple[int, ...]:
        return tuple(int(part) for part in self.number.split(".") if part.isdigit())


class Milestone(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=300)
    due_on = models.DateField(_("due"))
    reached_on = models.DateField(_("reached"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return f"{self.due_on} {self.title}"


class Indicator(models.Model):
    """Something an action counts or describes each half year, in one type."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=12, choices=IndicatorKind.choices)
    unit = models.CharField(_("unit"), max_length=40, blank=True)

    class Meta:
        ordering = ["action", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["action", "code"], name="one_indicator_code_per_action"),
        ]

    def __str__(self) -> str:
        return self.name


class ReportingPeriod(models.Model):
    """A half year the holders report on; closed once the progress letter is sent."""

    code = models.CharField(_("code"), max_length=7, unique=True)  # "2025-H1"
    year = models.PositiveSmallIntegerField(_("year"))
    half = models.PositiveSmallIntegerField(_("half"), choices=Half.choices)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    reporting_due_on = models.DateField(_("reporting date"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["year", "half"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            models.UniqueConstraint(fields=["year", "half"], name="one_period_per_half_year"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class ProgressReport(models.Model):
    """What a holder reports on one action for one half year."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="reports")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices)
    text = models.TextField(_("progress"), blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["period", "action"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(fields=["action", "period"], name="one_report_per_action_period"),
        ]

    def __str__(self) -> str:
        return f"{self.action.number} {self.period.code}"


class IndicatorValue(models.Model):
    """One indicator's value in a report, typed by the indicator, with where it comes from."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    value_number = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    value_text = models.TextField(blank=True)
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        ordering = ["indicator_id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="one_value_per_indicator"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}={self.value}"

    @property
    def value(self) -> int | Decimal | str | None:
        kind = self.indicator.kind
        if kind == IndicatorKind.TEXT:
            return self.value_text
        if self.value_number is None:
            return None
        if kind == IndicatorKind.INTEGER:
            return int(self.value_number)
        return self.value_number.normalize()


class ReminderSent(models.Model):
    """One reminder mail to a holder organisation; the same day never twice."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    recipients = models.PositiveIntegerField()
    actions = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "organisation", "sent_on"],
                                    name="one_reminder_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.period_id}/{self.organisation_id} {self.sent_on}"


# --- Campaigns ----------------------------------------------------------------------------------


class Campaign(models.Model):
    """An awareness campaign about trafficking (action line 1's inventory)."""

    title = models.CharField(_("title"), max_length=300)
    organisation_name = models.CharField(_("organisation"), max_length=200)
    target_groups = models.JSONField(_("target groups"), default=list)
    forms = models.JSONField(_("forms of exploitation"), default=list)
    languages = models.JSONField(_("languages"), default=list)
    channels = models.JSONField(_("channels"), default=list)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"), null=True, blank=True)
    reach = models.PositiveIntegerField(_("reach"), null=True, blank=True,
                                        help_text=_("People reached, as the organisation counted them."))
    measured_effect = models.TextField(_("measured effect"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                                   name="campaign_ends_after_start"),
        ]
        indexes = [models.Index(fields=["starts_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def year(self) -> int:
        return self.starts_on.year


# --- Regional cooperation -----------------------------------------------------------------------


class Region(models.Model):
    """A safety region or care region, and who coordinates the approach there."""

    kind = models.CharField(_("kind"), max_length=8, choices=RegionKind.choices)
    code = models.CharField(_("code"), max_length=12)
    name = models.CharField(_("name"), max_length=120)
    coordinating_municipality = models.CharField(_("coordinating municipality"), max_length=6)
    municipalities = models.JSONField(_("municipalities"), default=list,
                                      help_text=_("CBS municipality codes in the region."))
    riec = models.CharField(_("RIEC"), max_length=200, blank=True)
    safety_and_care_house = models.CharField(_("Zorg- en Veiligheidshuis"), max_length=200,
                                             blank=True)
    organisations = models.ManyToManyField(Organisation, through="RegionOrganisation",
                                           related_name="+")

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="one_region_per_code"),
        ]

    def __str__(self) -> str:
        return self.name


class RegionOrganisation(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("role"), max_length=24, choices=RegionalRole.choices)

    class Meta:
        ordering = ["role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "organisation", "role"],
                                    name="one_regional_role"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.role}"


# --- Experts by experience ----------------------------------------------------------------------

EXPERT_IDENTITY_FIELDS = ("name", "email", "phone")


class Expert(models.Model):
    """An expert by experience (ervaringsdeskundige) in the pool.

    Protected like a victim: the identity is encrypted with the expert's own data
    key, every read and write is audited, and `access.access_expert` alone decides
    who may see them (the national coordinator, and organisations that engaged them
    with the expert's consent).
    """

    data_key = models.TextField(editable=False)
    identity_ciphertext = models.TextField(editable=False)
    expertise = models.JSONField(_("expertise"), default=list)
    languages = models.JSONField(_("languages"), default=list)
    regions = models.ManyToManyField(Region, blank=True, related_name="+",
                                     verbose_name=_("regions"))
    availability = models.CharField(_("availability"), max_length=12,
                                    choices=Availability.choices, default=Availability.AVAILABLE)
    hours_per_month = models.PositiveSmallIntegerField(_("hours per month"), null=True, blank=True)
    fee_basis = models.CharField(_("fee agreement"), max_length=16, choices=FeeBasis.choices)
    fee_rate_eur = models.DecimalField(_("fee (euro)"), max_digits=8, decimal_places=2,
                                       null=True, blank=True)
    fee_agreed_on = models.DateField(_("fee agreed on"), null=True, blank=True)
    # Current consent for being in the pool: the newest ExpertConsent for that use.
    consent_pool = models.CharField(max_length=10, choices=ConsentState.choices,
                                    default=ConsentState.UNKNOWN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("expert by experience")
        verbose_name_plural = _("experts by experience")

    def __str__(self) -> str:
        return f"Expert {self.pk}"

    @cached_property
    def identity(self) -> dict[str, Any]:
        return DataKey(self.data_key).decrypt_json(self.identity_ciphertext) or {}

    @property
    def name(self) -> str:
        return str(self.identity.get("name", ""))


class Assignment(models.Model):
    """An organisation's request for an expert, and the work once an expert is matched."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("organisation"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    expert = models.ForeignKey(Expert, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="assignments")
    action = models.ForeignKey(Action, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("action"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    expertise_needed = models.JSONField(_("expertise needed"), default=list, blank=True)
    languages_needed = models.JSONField(_("languages needed"), default=list, blank=True)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=AssignmentStatus.choices,
                              default=AssignmentStatus.REQUESTED)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, null=True, blank=True)
    fee_eur = models.DecimalField(_("fee (euro)"), max_digits=9, decimal_places=2, null=True,
                                  blank=True)
    # The expert's consent to share name and contact details with this organisation.
    consent_state = models.CharField(max_length=10, choices=ConsentState.choices,
                                     default=ConsentState.UNKNOWN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                                   name="assignment_ends_after_start"),
        ]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return self.title


class ExpertConsent(models.Model):
    """One explicit consent statement for one use; the newest per use is in force."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="consents")
    use = models.CharField(_("use"), max_length=12, choices=ConsentUse.choices)
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="consents")
    state = models.CharField(_("state"), max_length=10, choices=ConsentState.choices)
    recorded_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("expert consent")
        verbose_name_plural = _("expert consents")
        constraints = [
            # An assignment's consent names the assignment; no other use does.
            models.CheckConstraint(
                condition=(Q(use=ConsentUse.ASSIGNMENT) & Q(assignment__isnull=False))
                | (~Q(use=ConsentUse.ASSIGNMENT) & Q(assignment__isnull=True)),
                name="assignment_consent_names_assignment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.use}: {self.state}"


class Feedback(models.Model):
    """Feedback on an assignment; the text is encrypted with the expert's data key."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="feedback")
    given_by = models.CharField(_("from"), max_length=12, choices=FeedbackFrom.choices)
    rating = models.PositiveSmallIntegerField(_("rating (1–5)"), null=True, blank=True)
    text_ciphertext = models.TextField(blank=True, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.CheckConstraint(condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                                   name="feedback_rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"Feedback {self.pk}"

    @property
    def text(self) -> str:
        expert = self.assignment.expert
        if not self.text_ciphertext or expert is None:
            return ""
        return str(DataKey(expert.data_key).decrypt_json(self.text_ciphertext) or "")
