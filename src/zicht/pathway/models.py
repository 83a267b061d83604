"""The referral pathway of a person: stages, status, referrals, deadlines, redress.

Data and invariants only; every rule that decides something lives in `rules.py`
and every write in `services.py`.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from zicht.core.crypto import DataKey
from zicht.organisations.models import Organisation
from zicht.registry.models import Person

from .codes import (
    CaseStatus,
    ConsentBasis,
    CriminalCaseOutcome,
    DeadlineKind,
    RedressOutcome,
    RedressRoute,
    ReferralChannel,
    ReferralPurpose,
    ReferralStatus,
    ResidenceStatus,
    StageKind,
    Urgency,
    VictimStatus,
)


class Pathway(models.Model):
    """One per person: where they stand in the national referral mechanism."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="pathway")

    victim_status = models.CharField(
        _("victim status"), max_length=12, choices=VictimStatus.choices,
        default=VictimStatus.POSSIBLE,
    )
    victim_status_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("decided by"),
    )
    victim_status_decided_on = models.DateField(_("decided on"), null=True, blank=True)
    victim_status_reason = models.TextField(_("reason"), blank=True)

    case_status = models.CharField(
        _("case status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.ACTIVE,
    )
    case_closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_reason = models.TextField(_("closing reason"), blank=True)

    residence_status = models.CharField(
        _("residence status"), max_length=20, choices=ResidenceStatus.choices,
        default=ResidenceStatus.UNKNOWN,
    )

    # Minors' own flow (DOMAIN.md): a guardian and youth care. The guardian's
    # name identifies the child, so it is encrypted with the person's data key.
    guardian_ciphertext = models.TextField(blank=True, editable=False)
    youth_care_involved = models.BooleanField(_("youth care involved"), default=False)
    youth_care_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("youth care organisation"),
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pathway")
        verbose_name_plural = _("pathways")
        indexes = [models.Index(fields=["victim_status"]), models.Index(fields=["case_status"])]

    def __str__(self) -> str:
        return f"Pathway of person {self.person_id}"

    @property
    def guardian(self) -> str:
        if not self.guardian_ciphertext:
            return ""
        return str(DataKey(self.person.data_key).decrypt_json(self.guardian_ciphertext) or "")


class VictimStatusDecision(models.Model):
    """Every decision on victim status, kept: who decided what, when and why."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="decisions")
    status = models.CharField(_("status"), max_length=12, choices=VictimStatus.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("decided on"))
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("victim status decision")
        verbose_name_plural = _("victim status decisions")

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.decided_on})"


class Stage(models.Model):
    """One stage of the pathway. Several may be open at once; each closes on its own."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="stages")
    kind = models.CharField(_("stage"), max_length=10, choices=StageKind.choices)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(_("reason for ending"), blank=True)
    responsible_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("responsible organisation"),
    )
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["started_on", "id"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        constraints = [
            models.UniqueConstraint(fields=["pathway", "kind"], condition=Q(ended_on__isnull=True),
                                    name="one_open_stage_per_kind"),
            models.CheckConstraint(condition=Q(ended_on__isnull=True)
                                   | Q(ended_on__gte=F("started_on")),
                                   name="stage_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.started_on}–{self.ended_on or ''})"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class CriminalCase(models.Model):
    """A criminal case following an aangifte: what the B8 permit's deadlines hang on."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="criminal_cases")
    aangifte_on = models.DateField(_("date of aangifte"))
    police_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("organisation that took the aangifte"),
    )
    reference = models.CharField(_("case reference"), max_length=64, blank=True)
    outcome = models.CharField(_("state"), max_length=14, choices=CriminalCaseOutcome.choices,
                               default=CriminalCaseOutcome.INVESTIGATION)
    prosecuted_on = models.DateField(_("prosecution decided on"), null=True, blank=True)
    decided_on = models.DateField(_("final decision on"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["aangifte_on", "id"]
        verbose_name = _("criminal case")
        verbose_name_plural = _("criminal cases")
        constraints = [
            models.CheckConstraint(condition=Q(decided_on__isnull=True)
                                   | Q(decided_on__gte=F("aangifte_on")),
                                   name="case_decided_after_aangifte"),
        ]

    def __str__(self) -> str:
        return f"Criminal case {self.pk} ({self.get_outcome_display()})"

    @property
    def is_running(self) -> bool:
        return self.outcome in (CriminalCaseOutcome.INVESTIGATION, CriminalCaseOutcome.PROSECUTED)


class Deadline(models.Model):
    """A legal term or a task with a date. `due_on` is empty for a period that runs
    until an event ends it (the B8 permit runs while the criminal case runs)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(_("kind"), max_length=24, choices=DeadlineKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    rule = models.CharField(_("rule"), max_length=64, blank=True,
                            help_text=_("The rule in pathway/rules.py that set this deadline."))
    starts_on = models.DateField(_("starts on"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.TextField(_("reason for closing"), blank=True)
    responsible_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("responsible organisation"),
    )
    criminal_case = models.ForeignKey(CriminalCase, on_delete=models.CASCADE, null=True,
                                      blank=True, related_name="deadlines")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        constraints = [
            models.CheckConstraint(condition=Q(due_on__isnull=True)
                                   | Q(due_on__gte=F("starts_on")),
                                   name="deadline_due_after_start"),
            models.CheckConstraint(condition=Q(closed_on__isnull=True)
                                   | Q(closed_on__gte=F("starts_on")),
                                   name="deadline_closed_after_start"),
        ]
        indexes = [
            models.Index(fields=["responsible_organisation", "closed_on", "due_on"]),
            models.Index(fields=["closed_on", "due_on"]),
            models.Index(fields=["person", "closed_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} due {self.due_on or '—'}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class DeadlineExtension(models.Model):
    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="extensions")
    previous_due_on = models.DateField()
    new_due_on = models.DateField()
    reason = models.TextField(_("reason"))
    extended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.previous_due_on} → {self.new_due_on}"


class Referral(models.Model):
    """A proposal by one organisation to another to take up a person, or a record
    of a referral abroad (which grants nobody access in zicht)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    from_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                          related_name="+", verbose_name=_("from"))
    to_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                        null=True, blank=True, verbose_name=_("to"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    purpose = models.CharField(_("purpose"), max_length=20, choices=ReferralPurpose.choices)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices,
                               default=Urgency.NORMAL)
    # The sender's note may describe the person, so it is encrypted with their data key.
    note_ciphertext = models.TextField(blank=True, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=ReferralStatus.choices,
                              default=ReferralStatus.PROPOSED)
    consent_basis = models.CharField(max_length=16, choices=ConsentBasis.choices)

    proposed_at = models.DateTimeField(_("proposed at"))
    answer_due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", null=True, blank=True)
    answer_reason = models.TextField(_("reason"), blank=True)

    # Abroad: recorded, never granted access.
    country = models.CharField(_("country"), max_length=2, blank=True,
                               help_text=_("ISO 3166-1 alpha-2 code."))
    foreign_organisation = models.CharField(_("organisation abroad"), max_length=200, blank=True)
    channel = models.CharField(_("channel"), max_length=16, choices=ReferralChannel.choices,
                               blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.CheckConstraint(condition=~Q(to_organisation=F("from_organisation")),
                                   name="referral_not_to_oneself"),
            models.CheckConstraint(
                condition=(Q(to_organisation__isnull=False) & Q(country=""))
                | (Q(to_organisation__isnull=True) & ~Q(country="")),
                name="referral_to_organisation_or_abroad",
            ),
        ]
        indexes = [
            models.Index(fields=["to_organisation", "status", "answer_due_at"]),
            models.Index(fields=["from_organisation", "status", "answer_due_at"]),
            models.Index(fields=["status", "answer_due_at"]),
            models.Index(fields=["person", "status"]),
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == ReferralStatus.PROPOSED

    @property
    def is_abroad(self) -> bool:
        return self.to_organisation_id is None

    @property
    def note(self) -> str:
        if not self.note_ciphertext:
            return ""
        return str(DataKey(self.person.data_key).decrypt_json(self.note_ciphertext) or "")


class RedressClaim(models.Model):
    """A claim for compensation; amounts in euro."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="claims")
    route = models.CharField(_("route"), max_length=14, choices=RedressRoute.choices)
    criminal_case = models.ForeignKey(CriminalCase, on_delete=models.SET_NULL, null=True,
                                      blank=True, related_name="claims")
    responsible_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("responsible organisation"),
    )
    amount_claimed = models.DecimalField(_("amount claimed (EUR)"), max_digits=12,
                                         decimal_places=2,
                                         validators=[MinValueValidator(Decimal("0"))])
    amount_awarded = models.DecimalField(_("amount awarded (EUR)"), max_digits=12,
                                         decimal_places=2, null=True, blank=True,
                                         validators=[MinValueValidator(Decimal("0"))])
    filed_on = models.DateField(_("filed on"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=RedressOutcome.choices,
                               default=RedressOutcome.PENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["filed_on", "id"]
        verbose_name = _("redress claim")
        verbose_name_plural = _("redress claims")
        constraints = [
            models.CheckConstraint(condition=Q(amount_claimed__gte=0),
                                   name="claim_amount_not_negative"),
            models.CheckConstraint(condition=Q(amount_awarded__isnull=True)
                                   | Q(amount_awarded__gte=0),
                                   name="award_not_negative"),
            models.CheckConstraint(condition=Q(decided_on__isnull=True)
                                   | Q(decided_on__gte=F("filed_on")),
                                   name="claim_decided_after_filing"),
        ]

    def __str__(self) -> str:
        return f"{self.get_route_display()}: € {self.amount_claimed}"
