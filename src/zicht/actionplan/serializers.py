"""Shapes of the programme monitor's API input and output. Types only; rules live in services."""

from __future__ import annotations

from typing import Any, TypedDict

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from zicht.registry.serializers import StrictSerializer

from .access import expert_shown_on
from .codes import (
    CAMPAIGN_FORM_CHOICES,
    CONSENT_STATEMENT_CHOICES,
    ActionStatus,
    AssignmentStatus,
    Availability,
    Channel,
    ConsentUse,
    ExpertiseArea,
    FeeBasis,
    FeedbackFrom,
    IndicatorKind,
    RegionalRole,
    RegionKind,
    TargetGroup,
)
from .models import (
    Action,
    ActionLine,
    Assignment,
    Campaign,
    Expert,
    ExpertConsent,
    Feedback,
    Indicator,
    IndicatorValue,
    Milestone,
    ProgressReport,
    Region,
    RegionOrganisation,
    ReportingPeriod,
)


class _Help(TypedDict):
    help_text: str


CODES: _Help = {"help_text": "ISO 639-1 codes."}


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


# --- The plan -----------------------------------------------------------------------------------

class ActionLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionLine
        fields = ["id", "number", "title", "description"]


class ActionLineInputSerializer(StrictSerializer):
    number = serializers.IntegerField(min_value=1, max_value=99)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class ActionLineUpdateSerializer(ActionLineInputSerializer):
    number = None  # type: ignore[assignment]


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "action", "title", "due_on", "reached_on"]


class MilestoneInputSerializer(StrictSerializer):
    action = serializers.IntegerField(min_value=1)
    title = serializers.CharField(max_length=300)
    due_on = serializers.DateField()
    reached_on = serializers.DateField(required=False, allow_null=True)


class MilestoneUpdateSerializer(MilestoneInputSerializer):
    action = None  # type: ignore[assignment]


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "action", "code", "name", "kind", "unit"]


class IndicatorInputSerializer(StrictSerializer):
    action = serializers.IntegerField(min_value=1)
    code = serializers.CharField(max_length=50, help_text="lower_case_with_underscores")
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=IndicatorKind.choices)
    unit = serializers.CharField(max_length=40, required=False, allow_blank=True)


class ActionSerializer(serializers.ModelSerializer):
    line = serializers.IntegerField(source="line.number")
    holders = OrganisationRefSerializer(many=True, read_only=True)
    partners = serializers.ListField(child=serializers.CharField())
    milestones = MilestoneSerializer(many=True, read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = Action
        fields = ["id", "line", "number", "title", "description", "holders", "partners",
                  "starts_on", "ends_on", "status", "milestones", "indicators", "updated_at"]


class ActionInputSerializer(StrictSerializer):
    line = serializers.IntegerField(min_value=1, help_text="Id of the action line.")
    number = serializers.CharField(max_length=10, help_text="line.place, e.g. 3.2")
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    holders = serializers.ListField(child=serializers.IntegerField(min_value=1), max_length=20,
                                    help_text="Ids of the holder organisations.")
    partners = serializers.ListField(child=serializers.CharField(max_length=200), required=False,
                                     max_length=30)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(help_text="Planned end.")
    status = serializers.ChoiceField(choices=ActionStatus.choices, required=False)


class ActionUpdateSerializer(ActionInputSerializer):
    line = None  # type: ignore[assignment]
    number = None  # type: ignore[assignment]


class PeriodSerializer(serializers.ModelSerializer):
    closed = serializers.BooleanField(source="is_closed")

    class Meta:
        model = ReportingPeriod
        fields = ["id", "code", "year", "half", "starts_on", "ends_on", "reporting_due_on",
                  "closed", "closed_at"]


class PeriodInputSerializer(StrictSerializer):
    code = serializers.CharField(max_length=7, help_text="YYYY-H1 or YYYY-H2")
    reporting_due_on = serializers.DateField(required=False)


class PeriodUpdateSerializer(StrictSerializer):
    reporting_due_on = serializers.DateField(required=False)
    closed = serializers.BooleanField(required=False,
                                      help_text="Close (true) or reopen (false) the period.")


class MissingReportSerializer(serializers.Serializer):
    action = serializers.IntegerField(source="action.pk")
    number = serializers.CharField(source="action.number")
    title = serializers.CharField(source="action.title")
    holders = OrganisationRefSerializer(many=True)


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "number"}, {"type": "string"}]})
class IndicatorValueField(serializers.JSONField):
    """A whole number, a decimal number, a percentage (0–100) or text, as the indicator says."""


class IndicatorValueSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code")
    name = serializers.CharField(source="indicator.name")
    kind = serializers.ChoiceField(source="indicator.kind", choices=IndicatorKind.choices)
    unit = serializers.CharField(source="indicator.unit")
    value = serializers.SerializerMethodField()

    class Meta:
        model = IndicatorValue
        fields = ["indicator", "name", "kind", "unit", "value", "source"]

    @extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "number"},
                                    {"type": "string"}]})
    # The method of the `value` field; this serializer only writes output, so DRF never calls
    # it as Field.get_value (which reads input).
    def get_value(self, obj: IndicatorValue) -> Any:  # type: ignore[override]
        value = obj.value
        if obj.indicator.kind in (IndicatorKind.DECIMAL, IndicatorKind.PERCENTAGE) and (
                value is not None):
            return float(value)
        return value


class IndicatorValueInputSerializer(StrictSerializer):
    indicator = serializers.CharField(max_length=50, help_text="The indicator's code.")
    value = IndicatorValueField()
    # A declared field named like the Field attribute `source`; DRF moves it off the class.
    source = serializers.CharField(  # type: ignore[assignment]
        max_length=300, help_text="Where the number comes from.")


class ProgressReportSerializer(serializers.ModelSerializer):
    action_number = serializers.CharField(source="action.number")
    period = serializers.CharField(source="period.code")
    organisation = serializers.CharField(source="organisation.name", allow_null=True)
    submitted_by = serializers.CharField(source="submitted_by.username", allow_null=True)
    indicator_values = IndicatorValueSerializer(source="values", many=True)

    class Meta:
        model = ProgressReport
        fields = ["id", "action", "action_number", "period", "status", "text", "organisation",
                  "submitted_by", "submitted_at", "updated_at", "indicator_values"]


class ProgressReportInputSerializer(StrictSerializer):
    action = serializers.IntegerField(min_value=1)
    period = serializers.CharField(max_length=7, help_text="YYYY-H1 or YYYY-H2")
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    text = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    indicator_values = IndicatorValueInputSerializer(many=True, required=False)


class ProgressReportUpdateSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=ActionStatus.choices, required=False)
    text = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    indicator_values = IndicatorValueInputSerializer(many=True, required=False)


# --- Campaigns ----------------------------------------------------------------------------------

class CampaignSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(read_only=True)
    target_groups = serializers.ListField(child=serializers.ChoiceField(
        choices=TargetGroup.choices))
    forms = serializers.ListField(child=serializers.ChoiceField(choices=CAMPAIGN_FORM_CHOICES))
    languages = serializers.ListField(child=serializers.CharField(), **CODES)
    channels = serializers.ListField(child=serializers.ChoiceField(choices=Channel.choices))

    class Meta:
        model = Campaign
        fields = ["id", "title", "organisation_name", "target_groups", "forms", "languages",
                  "channels", "starts_on", "ends_on", "year", "reach", "measured_effect"]


class CampaignInputSerializer(StrictSerializer):
    title = serializers.CharField(max_length=300)
    organisation_name = serializers.CharField(max_length=200)
    target_groups = serializers.ListField(
        child=serializers.ChoiceField(choices=TargetGroup.choices), max_length=10)
    forms = serializers.ListField(child=serializers.ChoiceField(choices=CAMPAIGN_FORM_CHOICES),
                                  max_length=10)
    languages = serializers.ListField(child=serializers.CharField(max_length=3), required=False,
                                      max_length=30, **CODES)
    channels = serializers.ListField(child=serializers.ChoiceField(choices=Channel.choices),
                                     required=False, max_length=10)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True)
    reach = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    measured_effect = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class CampaignCountSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    target_group = serializers.ChoiceField(choices=TargetGroup.choices)
    campaigns = serializers.IntegerField()


# --- Regions ------------------------------------------------------------------------------------

class RegionMemberSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer()

    class Meta:
        model = RegionOrganisation
        fields = ["id", "organisation", "role"]


class RegionSerializer(serializers.ModelSerializer):
    municipalities = serializers.ListField(child=serializers.CharField())
    members = RegionMemberSerializer(many=True, read_only=True)

    class Meta:
        model = Region
        fields = ["id", "kind", "code", "name", "coordinating_municipality", "municipalities",
                  "riec", "safety_and_care_house", "members"]


class RegionInputSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=RegionKind.choices)
    code = serializers.CharField(max_length=12)
    name = serializers.CharField(max_length=120)
    coordinating_municipality = serializers.CharField(max_length=6, help_text="CBS code, GM0363.")
    municipalities = serializers.ListField(child=serializers.CharField(max_length=6),
                                           required=False, max_length=100)
    riec = serializers.CharField(max_length=200, required=False, allow_blank=True)
    safety_and_care_house = serializers.CharField(max_length=200, required=False,
                                                  allow_blank=True)


class RegionMemberInputSerializer(StrictSerializer):
    organisation = serializers.IntegerField(min_value=1)
    role = serializers.ChoiceField(choices=RegionalRole.choices)


class CapacitySerializer(serializers.Serializer):
    shelters = serializers.IntegerField()
    capacity = serializers.IntegerField()
    free = serializers.IntegerField()


class FigureRowSerializer(serializers.Serializer):
    # A declared field named like the Field attribute `label`; DRF moves it off the class.
    label = serializers.CharField()  # type: ignore[assignment]
    cells = serializers.ListField(child=serializers.CharField())
    total = serializers.CharField()


class RegionFiguresSerializer(serializers.Serializer):
    region = serializers.IntegerField(source="region.pk")
    capacity = CapacitySerializer(allow_null=True, help_text="Null when you may not see capacity.")
    open_referrals = serializers.CharField(
        allow_null=True, help_text="Open referrals to the region's organisations that you may "
                                   "see; counts under 5 are shown as \"<5\".")
    referral_scope = serializers.CharField(help_text="all, own, or empty.")
    figure_years = serializers.ListField(child=serializers.IntegerField())
    figure_rows = FigureRowSerializer(many=True, help_text="Signals per form of exploitation "
                                      "and year; \"<5\" and \"×\" are suppressed cells.")
    signals_total = serializers.CharField()


# --- Experts by experience ----------------------------------------------------------------------

class ExpertSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    email = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    expertise = serializers.ListField(child=serializers.ChoiceField(
        choices=ExpertiseArea.choices))
    languages = serializers.ListField(child=serializers.CharField(), **CODES)
    regions: serializers.RelatedField | serializers.ManyRelatedField = (
        serializers.PrimaryKeyRelatedField(many=True, read_only=True))

    class Meta:
        model = Expert
        fields = ["id", "name", "email", "phone", "expertise", "languages", "regions",
                  "availability", "hours_per_month", "fee_basis", "fee_rate_eur",
                  "fee_agreed_on", "consent_pool", "created_at"]

    def get_name(self, obj: Expert) -> str:
        return str(obj.identity.get("name", ""))

    def get_email(self, obj: Expert) -> str:
        return str(obj.identity.get("email", ""))

    def get_phone(self, obj: Expert) -> str:
        return str(obj.identity.get("phone", ""))


class ExpertInputSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    expertise = serializers.ListField(child=serializers.ChoiceField(
        choices=ExpertiseArea.choices), max_length=len(ExpertiseArea.values))
    languages = serializers.ListField(child=serializers.CharField(max_length=3), required=False,
                                      max_length=20, **CODES)
    regions = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False,
                                    max_length=50)
    availability = serializers.ChoiceField(choices=Availability.choices, required=False)
    hours_per_month = serializers.IntegerField(min_value=0, max_value=200, required=False,
                                               allow_null=True)
    fee_basis = serializers.ChoiceField(choices=FeeBasis.choices)
    fee_rate_eur = serializers.DecimalField(max_digits=8, decimal_places=2, required=False,
                                            allow_null=True)
    fee_agreed_on = serializers.DateField(required=False, allow_null=True)
    pool_consent_on = serializers.DateField(
        help_text="The date the expert gave explicit consent to be in the pool.")


class ExpertUpdateSerializer(ExpertInputSerializer):
    pool_consent_on = None  # type: ignore[assignment]


class ExpertConsentSerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField(source="recorded_by.username")

    class Meta:
        model = ExpertConsent
        fields = ["id", "use", "assignment", "state", "recorded_on", "recorded_by", "created_at"]


class ExpertConsentInputSerializer(StrictSerializer):
    use = serializers.ChoiceField(choices=ConsentUse.choices)
    state = serializers.ChoiceField(choices=CONSENT_STATEMENT_CHOICES)
    recorded_on = serializers.DateField(required=False)
    assignment = serializers.IntegerField(min_value=1, required=False,
                                          help_text="Only for use \"assignment\".")


class ExpertRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class AssignmentSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer()
    expert = serializers.SerializerMethodField()
    expertise_needed = serializers.ListField(child=serializers.ChoiceField(
        choices=ExpertiseArea.choices))
    languages_needed = serializers.ListField(child=serializers.CharField(), **CODES)

    class Meta:
        model = Assignment
        fields = ["id", "organisation", "title", "description", "expertise_needed",
                  "languages_needed", "action", "starts_on", "ends_on", "status", "hours",
                  "fee_eur", "expert", "consent_state", "created_at"]

    @extend_schema_field(ExpertRefSerializer(allow_null=True))
    def get_expert(self, obj: Assignment) -> dict[str, Any] | None:
        actor = self.context["actor"]
        if obj.expert is None or not expert_shown_on(actor, obj):
            return None
        return {"id": obj.expert.pk, "name": obj.expert.name}


class AssignmentInputSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    expertise_needed = serializers.ListField(child=serializers.ChoiceField(
        choices=ExpertiseArea.choices), required=False, max_length=len(ExpertiseArea.values))
    languages_needed = serializers.ListField(child=serializers.CharField(max_length=3),
                                             required=False, max_length=20, **CODES)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True)
    action = serializers.IntegerField(min_value=1, required=False, allow_null=True)


class AssignmentUpdateSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=[AssignmentStatus.DONE, AssignmentStatus.CANCELLED],
                                     required=False)
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    ends_on = serializers.DateField(required=False, allow_null=True)
    hours = serializers.DecimalField(max_digits=6, decimal_places=1, required=False,
                                     allow_null=True)
    fee_eur = serializers.DecimalField(max_digits=9, decimal_places=2, required=False,
                                       allow_null=True)


class AssignInputSerializer(StrictSerializer):
    expert = serializers.IntegerField(min_value=1)
    consent_recorded_on = serializers.DateField(
        help_text="The date the expert consented to their name and contact details being "
                  "shared with this organisation.")
    hours = serializers.DecimalField(max_digits=6, decimal_places=1, required=False,
                                     allow_null=True)
    fee_eur = serializers.DecimalField(max_digits=9, decimal_places=2, required=False,
                                       allow_null=True)


class FeedbackSerializer(serializers.ModelSerializer):
    text = serializers.CharField(read_only=True)

    class Meta:
        model = Feedback
        fields = ["id", "assignment", "given_by", "rating", "text", "created_at"]


class FeedbackInputSerializer(StrictSerializer):
    given_by = serializers.ChoiceField(choices=FeedbackFrom.choices)
    rating = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    text = serializers.CharField(max_length=4000, required=False, allow_blank=True)
