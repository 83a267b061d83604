"""Shapes of the pathway API's input and output. Types only; rules live in services and rules."""

from __future__ import annotations

from rest_framework import serializers

from zicht.registry.serializers import StrictSerializer

from .codes import (
    CASE_DECISION_CHOICES,
    CASE_STATUS_HTCDS,
    VICTIM_STATUS_HTCDS,
    CaseStatus,
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
from .models import (
    CriminalCase,
    Deadline,
    DeadlineExtension,
    RedressClaim,
    Referral,
    Stage,
    VictimStatusDecision,
)
from .selectors import PathwayDetail


class OrganisationRefField(serializers.Serializer):
    """An organisation as {id, name, kind}: a list shows who without a second look-up."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)


class StageSerializer(serializers.ModelSerializer):
    responsible_organisation = OrganisationRefField(read_only=True)

    class Meta:
        model = Stage
        fields = ["id", "kind", "started_on", "ended_on", "end_reason",
                  "responsible_organisation"]


class VictimStatusDecisionSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefField(read_only=True)
    htcds = serializers.SerializerMethodField()

    class Meta:
        model = VictimStatusDecision
        fields = ["id", "status", "htcds", "organisation", "decided_on", "reason", "created_at"]

    def get_htcds(self, obj: VictimStatusDecision) -> str:
        return VICTIM_STATUS_HTCDS[VictimStatus(obj.status)]


class ExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeadlineExtension
        fields = ["previous_due_on", "new_due_on", "reason", "created_at"]


class DeadlineSerializer(serializers.ModelSerializer):
    responsible_organisation = OrganisationRefField(read_only=True)
    days_left = serializers.IntegerField(read_only=True, allow_null=True,
                                         help_text="Negative when overdue; empty while open-ended.")
    overdue = serializers.BooleanField(read_only=True)
    extensions = ExtensionSerializer(many=True, read_only=True)

    class Meta:
        model = Deadline
        fields = ["id", "person", "kind", "title", "rule", "starts_on", "due_on", "days_left",
                  "overdue", "closed_on", "close_reason", "responsible_organisation",
                  "criminal_case", "extensions"]


class ReferralSerializer(serializers.ModelSerializer):
    from_organisation = OrganisationRefField(read_only=True)
    to_organisation = OrganisationRefField(read_only=True, allow_null=True,
                                           help_text="Empty for a referral abroad.")
    person_name = serializers.SerializerMethodField(
        help_text="Empty until the person is visible to you (the receiver: once accepted).")
    minor = serializers.BooleanField(read_only=True)
    note = serializers.CharField(
        source="shown_note", read_only=True, default="",
        help_text="The sender's note; empty for a national coordinator who may not see the person.")
    age_hours = serializers.SerializerMethodField()
    overdue = serializers.BooleanField(read_only=True,
                                       help_text="Open and past its answer time.")
    escalated = serializers.BooleanField(
        read_only=True, help_text="Escalated to the national coordinator, or overdue.")

    class Meta:
        model = Referral
        fields = ["id", "person", "person_name", "minor", "from_organisation", "to_organisation",
                  "country", "foreign_organisation", "channel", "purpose", "urgency", "note",
                  "status", "consent_basis", "proposed_at", "answer_due_at", "age_hours",
                  "overdue", "escalated", "escalated_at", "closed_at", "answer_reason"]

    def get_person_name(self, obj: Referral) -> str:
        return obj.person.display_name if getattr(obj, "person_visible", False) else ""

    def get_age_hours(self, obj: Referral) -> int:
        return int(obj.age.total_seconds() // 3600)  # type: ignore[attr-defined]


class CriminalCaseSerializer(serializers.ModelSerializer):
    police_organisation = OrganisationRefField(read_only=True)

    class Meta:
        model = CriminalCase
        fields = ["id", "aangifte_on", "police_organisation", "reference", "outcome",
                  "prosecuted_on", "decided_on", "decision_reason"]


class RedressClaimSerializer(serializers.ModelSerializer):
    responsible_organisation = OrganisationRefField(read_only=True)
    currency = serializers.SerializerMethodField()

    class Meta:
        model = RedressClaim
        fields = ["id", "person", "route", "criminal_case", "responsible_organisation",
                  "amount_claimed", "amount_awarded", "currency", "filed_on", "decided_on",
                  "paid_on", "outcome"]

    def get_currency(self, obj: RedressClaim) -> str:
        return "EUR"


class PathwaySerializer(serializers.Serializer):
    """A person's whole pathway (GET /pathways/{person}/)."""

    person = serializers.IntegerField(source="person.pk")
    minor = serializers.BooleanField(help_text="Minor today or of uncertain age.")
    victim_status = serializers.CharField(source="pathway.victim_status")
    victim_status_htcds = serializers.SerializerMethodField()
    victim_status_organisation = OrganisationRefField(source="pathway.victim_status_organisation", allow_null=True)
    victim_status_decided_on = serializers.DateField(source="pathway.victim_status_decided_on", allow_null=True)
    victim_status_reason = serializers.CharField(source="pathway.victim_status_reason")
    case_status = serializers.CharField(source="pathway.case_status")
    case_status_htcds = serializers.SerializerMethodField()
    case_closed_on = serializers.DateField(source="pathway.case_closed_on", allow_null=True)
    closing_reason = serializers.CharField(source="pathway.closing_reason")
    residence_status = serializers.CharField(source="pathway.residence_status")
    guardian = serializers.CharField(source="pathway.guardian")
    guardian_missing = serializers.BooleanField()
    youth_care_involved = serializers.BooleanField(source="pathway.youth_care_involved")
    youth_care_organisation = OrganisationRefField(source="pathway.youth_care_organisation", allow_null=True)
    stages = StageSerializer(many=True)
    decisions = VictimStatusDecisionSerializer(many=True)
    deadlines = DeadlineSerializer(many=True)
    referrals = ReferralSerializer(many=True)
    criminal_cases = CriminalCaseSerializer(many=True)
    claims = RedressClaimSerializer(many=True)

    def get_victim_status_htcds(self, obj: PathwayDetail) -> str:
        return VICTIM_STATUS_HTCDS[VictimStatus(obj.pathway.victim_status)]

    def get_case_status_htcds(self, obj: PathwayDetail) -> str:
        return CASE_STATUS_HTCDS[CaseStatus(obj.pathway.case_status)]


# --- Input -----------------------------------------------------------------------------------

class PathwayInputSerializer(StrictSerializer):
    residence_status = serializers.ChoiceField(choices=ResidenceStatus.choices, required=False)
    guardian = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                     help_text="Name of the (provisional) guardian of a minor.")
    youth_care_involved = serializers.BooleanField(required=False)
    youth_care_organisation = serializers.IntegerField(min_value=1, required=False,
                                                       allow_null=True)


class VictimStatusInputSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=VictimStatus.choices)
    decided_on = serializers.DateField(required=False)
    reason = serializers.CharField(max_length=2000)


class CaseStatusInputSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    closing_reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    closed_on = serializers.DateField(required=False)


class StageInputSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=StageKind.choices)
    started_on = serializers.DateField(required=False)
    responsible_organisation = serializers.IntegerField(min_value=1, required=False)


class StageEndInputSerializer(StrictSerializer):
    ended_on = serializers.DateField(required=False)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class ReflectionPeriodInputSerializer(StrictSerializer):
    offered_on = serializers.DateField(required=False)
    offered_by = serializers.IntegerField(min_value=1, required=False,
                                          help_text="Police or KMar; default: yours.")


class CriminalCaseInputSerializer(StrictSerializer):
    aangifte_on = serializers.DateField()
    police_organisation = serializers.IntegerField(min_value=1, required=False)
    reference = serializers.CharField(max_length=64, required=False, allow_blank=True)


class CaseDecisionInputSerializer(StrictSerializer):
    outcome = serializers.ChoiceField(choices=CASE_DECISION_CHOICES)
    decided_on = serializers.DateField(required=False)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class ReferralInputSerializer(StrictSerializer):
    person = serializers.IntegerField(min_value=1)
    purpose = serializers.ChoiceField(choices=ReferralPurpose.choices)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    to_organisation = serializers.IntegerField(min_value=1, required=False)
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    country = serializers.CharField(max_length=2, required=False, allow_blank=True,
                                    help_text="Abroad: ISO 3166-1 alpha-2 code.")
    foreign_organisation = serializers.CharField(max_length=200, required=False,
                                                 allow_blank=True)
    channel = serializers.ChoiceField(choices=ReferralChannel.choices, required=False)


class ReferralAnswerInputSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class DeadlineInputSerializer(StrictSerializer):
    person = serializers.IntegerField(min_value=1)
    title = serializers.CharField(max_length=200)
    starts_on = serializers.DateField(required=False)
    due_on = serializers.DateField()
    responsible_organisation = serializers.IntegerField(min_value=1, required=False)


class DeadlineExtendInputSerializer(StrictSerializer):
    due_on = serializers.DateField()
    reason = serializers.CharField(max_length=2000)


class DeadlineCloseInputSerializer(StrictSerializer):
    closed_on = serializers.DateField(required=False)
    reason = serializers.CharField(max_length=2000)


class RedressInputSerializer(StrictSerializer):
    person = serializers.IntegerField(min_value=1)
    route = serializers.ChoiceField(choices=RedressRoute.choices)
    amount_claimed = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    filed_on = serializers.DateField(required=False)
    responsible_organisation = serializers.IntegerField(min_value=1, required=False)
    criminal_case = serializers.IntegerField(min_value=1, required=False)


class RedressUpdateSerializer(StrictSerializer):
    amount_claimed = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0,
                                              required=False)
    amount_awarded = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0,
                                              required=False, allow_null=True)
    outcome = serializers.ChoiceField(choices=RedressOutcome.choices, required=False)
    decided_on = serializers.DateField(required=False, allow_null=True)
    paid_on = serializers.DateField(required=False, allow_null=True)


REFERRAL_BOXES = ["incoming", "outgoing", "escalated"]
REFERRAL_STATUS_FILTER = ["open", *ReferralStatus.values]
