"""Thin API views of the programme monitor: parse input, call a selector or service, shape output."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from zicht.core.typing import AuthenticatedRequest

from . import reports, selectors, services
from .access import MAX_ID, expert_shown_on
from .charts import campaign_chart_svg
from .codes import ActionStatus, AssignmentStatus, Availability, ExpertiseArea, RegionKind
from .models import (
    Action,
    ActionLine,
    Assignment,
    Campaign,
    Expert,
    Indicator,
    Milestone,
    ProgressReport,
    Region,
    ReportingPeriod,
)
from .serializers import (
    ActionInputSerializer,
    ActionLineInputSerializer,
    ActionLineSerializer,
    ActionLineUpdateSerializer,
    ActionSerializer,
    ActionUpdateSerializer,
    AssignInputSerializer,
    AssignmentInputSerializer,
    AssignmentSerializer,
    AssignmentUpdateSerializer,
    CampaignCountSerializer,
    CampaignInputSerializer,
    CampaignSerializer,
    ExpertConsentInputSerializer,
    ExpertConsentSerializer,
    ExpertInputSerializer,
    ExpertSerializer,
    ExpertUpdateSerializer,
    FeedbackInputSerializer,
    FeedbackSerializer,
    IndicatorInputSerializer,
    IndicatorSerializer,
    MilestoneInputSerializer,
    MilestoneSerializer,
    MilestoneUpdateSerializer,
    MissingReportSerializer,
    PeriodInputSerializer,
    PeriodSerializer,
    PeriodUpdateSerializer,
    ProgressReportInputSerializer,
    ProgressReportSerializer,
    ProgressReportUpdateSerializer,
    RegionFiguresSerializer,
    RegionInputSerializer,
    RegionMemberInputSerializer,
    RegionMemberSerializer,
    RegionSerializer,
)

ID = r"\d+"


def _valid(serializer_class: type[serializers.Serializer], data: Any, **kw: Any) -> dict:
    serializer = serializer_class(data=data, **kw)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _int_param(request: AuthenticatedRequest, name: str, *, low: int = 1, high: int = MAX_ID) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except ValueError:
        raise serializers.ValidationError({name: [_("Give a whole number.")]}) from None
    if not low <= value <= high:
        raise serializers.ValidationError({name: [_("Out of range.")]})
    return value


def _choice_param(request: AuthenticatedRequest, name: str, choices: list[str]) -> str | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    if raw not in choices:
        raise serializers.ValidationError(
            {name: [_("Use one of: %(allowed)s.") % {"allowed": ", ".join(choices)}]})
    return raw


def _bool_param(request: AuthenticatedRequest, name: str) -> bool | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    if raw.lower() in ("1", "true", "yes"):
        return True
    if raw.lower() in ("0", "false", "no"):
        return False
    raise serializers.ValidationError({name: [_("Give true or false.")]})


class PagedMixin:
    def paged(self, request: AuthenticatedRequest, queryset: Any, serializer: type, **context: Any
              ) -> Response:
        page = self.paginate_queryset(queryset)  # type: ignore[attr-defined]
        data = serializer(page, many=True, context={"request": request, **context}).data
        return self.get_paginated_response(data)  # type: ignore[attr-defined]


# --- The plan -----------------------------------------------------------------------------------

@extend_schema_view(
    create=extend_schema(request=ActionLineInputSerializer, responses={201: ActionLineSerializer}),
    partial_update=extend_schema(request=ActionLineUpdateSerializer,
                                 responses=ActionLineSerializer),
)
class ActionLineViewSet(viewsets.GenericViewSet):
    """The programme's action lines (1–6). Everyone logged in reads; managers write."""

    # The views call selectors; this only tells the schema which model it is.
    queryset = ActionLine.objects.none()
    serializer_class = ActionLineSerializer
    lookup_value_regex = ID
    pagination_class = None
    http_method_names = ["get", "post", "patch", "head", "options"]


    def list(self, request: AuthenticatedRequest) -> Response:
        return Response(ActionLineSerializer(selectors.line_list(actor=request.user),
                                             many=True).data)

    def retrieve(self, request: AuthenticatedRequest, pk: str) -> Response:
        return Response(ActionLineSerializer(selectors.line_get(actor=request.user,
                                                                line_id=pk)).data)

    def create(self, request: AuthenticatedRequest) -> Response:
        line = services.action_line_create(actor=request.user,
                                           **_valid(ActionLineInputSerializer, request.data))
        return Response(ActionLineSerializer(line).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: AuthenticatedRequest, pk: str) -> Response:
        line = services.action_line_update(
            actor=request.user, line_id=int(pk),
            changes=_valid(ActionLineUpdateSerializer, request.data, partial=True))
        return Response(ActionLineSerializer(line).data)


@extend_schema_view(
    list=extend_schema(parameters=[
        OpenApiParameter("line", OpenApiTypes.INT, description="Action line number."),
        OpenApiParameter("status", OpenApiTypes.STR, enum=ActionStatus.values),
        OpenApiParameter("holder", OpenApiTypes.INT, description="Holder organisation id."),
    ]),
    create=extend_schema(request=ActionInputSerializer, responses={201: ActionSerializer}),
    partial_update=extend_schema(request=ActionUpdateSerializer, responses=ActionSerializer),
)
class ActionViewSet(PagedMixin, viewsets.GenericViewSet):
    """Actions with holders, partners, dates, status, milestones and indicators."""

    # The views call selectors; this only tells the schema which model it is.
    queryset = Action.objects.none()
    serializer_class = ActionSerializer
    lookup_value_regex = ID
    http_method_names = ["get", "post", "patch", "head", "options"]


    def list(self, request: AuthenticatedRequest) -> Response:
        filters = {
            "line": _int_param(request, "line", high=99),
            "status": _choice_param(request, "status", ActionStatus.values),
            "holder": _int_param(request, "holder"),
        }
        return self.paged(request, selectors.action_list(actor=request.user, filters=filters),
                          ActionSerializer)

    def retrieve(self, request: AuthenticatedRequest, pk: str) -> Response:
        return Response(ActionSerializer(selectors.action_get(actor=request.user,
                                                              action_id=pk)).data)

    def create(self, request: AuthenticatedRequest) -> Response:
        action_obj = services.action_create(actor=request.user,
                                            **_valid(ActionInputSerializer, request.data))
        return Response(ActionSerializer(selectors.action_get(
            actor=request.user, action_id=action_obj.pk)).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: AuthenticatedRequest, pk: str) -> Response:
        services.action_update(actor=request.user, action_id=int(pk),
                               changes=_valid(ActionUpdateSerializer, request.data, partial=True))
        return Response(ActionSerializer(selectors.action_get(actor=request.user,
                                                              action_id=pk)).data)


@extend_schema_view(
    create=extend_schema(request=MilestoneInputSerializer, responses={201: MilestoneSerializer}),
    partial_update=extend_schema(request=MilestoneUpdateSerializer, responses=MilestoneSerializer),
)
class MilestoneViewSet(viewsets.GenericViewSet):
    """Milestones of actions. A milestone falls between its action's start and planned end."""

    # The views call selectors; this only tells the schema which model it is.
    queryset = Milestone.objects.none()
    serializer_class = MilestoneSerializer
    lookup_value_regex = ID
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]


    def retrieve(self, request: AuthenticatedRequest, pk: str) -> Response:
        return Response(MilestoneSerializer(selectors.milestone_get(actor=request.user,
                                                                    milestone_id=pk)).data)

    def create(self, request: AuthenticatedRequest) -> Response:
        data = _valid(MilestoneInputSerializer, request.data)
        milestone = services.milestone_create(actor=request.user, action_id=data.pop("action"),
                                              **data)
        return Response(MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: AuthenticatedRequest, pk: str) -> Response:
        milestone = services.milestone_update(
            actor=request.user, milestone_id=int(pk),
            changes=_valid(MilestoneUpdateSerializer, request.data, partial=True))
        return Response(MilestoneSerializer(milestone).data)

    def destroy(self, request: AuthenticatedRequest, pk: str) -> Response:
        services.milestone_delete(actor=request.user, milestone_id=int(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    create=extend_schema(request=IndicatorInputSerializer, responses={201: IndicatorSerializer}),
)
class IndicatorViewSet(viewsets.GenericViewSet):
    """Indicators an action reports each half year; each takes one type of value."""

    # The views call selectors; this only tells the schema which model it is.
    queryset = Indicator.objects.none()
    serializer_class = IndicatorSerializer
    http_method_names = ["post", "head", "options"]


    def create(self, request: AuthenticatedRequest) -> Response:
        data = _valid(IndicatorInputSerializer, request.data)
        indicator = services.indicator_create(actor=request.user, action_id=data.pop("action"),
                                              **data)
        return Response(IndicatorSerializer(indicator).data, status=status.HTTP_201_CREATED)


PERIOD_LOOKUP = OpenApiParameter("id", OpenApiTypes.STR, OpenApiParameter.PATH,
                                 description="The period's id or code, e.g. 2025-H1.")


@extend_schema_view(
    retrieve=extend_schema(parameters=[PERIOD_LOOKUP]),
    create=extend_schema(request=PeriodInputSerializer, responses={201: PeriodSerializer}),
    partial_update=extend_schema(request=PeriodUpdateSerializer, responses=PeriodSerializer,
                                 parameters=[PERIOD_LOOKUP]),
)
class ReportingPeriodViewSet(viewsets.GenericViewSet):
    """Half-year reporting periods, who has not reported yet, and the progress report itself."""

    # The views call selectors; this only tells the schema which model it is.
    queryset = ReportingPeriod.objects.none()
    serializer_class = PeriodSerializer
    lookup_value_regex = r"\d+|\d{4}-[Hh][12]"
    pagination_class = None
    http_method_names = ["get", "post", "patch", "head", "options"]


    def list(self, request: AuthenticatedRequest) -> Response:
        return Response(PeriodSerializer(selectors.period_list(actor=request.user),
                                         many=True).data)

    def retrieve(self, request: AuthenticatedRequest, pk: str) -> Response:
        return Response(PeriodSerializer(selectors.period_get(actor=request.user,
                                                              period=pk)).data)

    def create(self, request: AuthenticatedRequest) -> Response:
        period = services.period_create(actor=request.user,
                                        **_valid(PeriodInputSerializer, request.data))
        return Response(PeriodSerializer(period).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: AuthenticatedRequest, pk: str) -> Response:
        period = selectors.period_get(actor=request.user, period=pk)
        period = services.period_update(
            actor=request.user, period_id=period.pk,
            changes=_valid(PeriodUpdateSerializer, request.data, partial=True))
        return Response(PeriodSerializer(period).data)

    @extend_schema(responses=MissingReportSerializer(many=True), parameters=[PERIOD_LOOKUP])
    @action(detail=True, methods=["get"])
    def missing(self, request: AuthenticatedRequest, pk: str) -> Response:
        """Actions without a progress report for the period: all of them for the national
        coordinator and administrators, your organisation's for a holder."""
        period = selectors.period_get(actor=request.user, period=pk)
        rows = selectors.missing_reports(actor=request.user, period=period)
        return Response(MissingReportSerializer(rows, many=True).data)

    @extend_schema(
        parameters=[PERIOD_LOOKUP, OpenApiParameter(
            "file_format", OpenApiTypes.STR, OpenApiParameter.PATH, enum=[*reports.FORMATS])],
        responses={(200, "text/html"): OpenApiTypes.STR,
                    (200, "application/pdf"): OpenApiTypes.BINARY,
                    (200, reports.CONTENT_TYPES["xlsx"]): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], url_path=r"report/(?P<file_format>html|pdf|xlsx)")
    def report(self, request: AuthenticatedRequest, pk: str, file_format: str) -> HttpResponse:
        """The half-year progress report, grouped by action line, delayed actions first."""
        period = selectors.period_get(actor=request.user, period=pk)
        built = reports.build_report(actor=request.user, period=period)
        response = HttpResponse(reports.render(built, file_format),
                                content_type=reports.CONTENT_TYPES[file_format])
        disposition = "inline" if file_format == "html" else "attachment"
        response["Content-Disposition"] = (
            f'{disposition}; filename="{reports.filename(built, file_format)}"')
        return response


@extend_schema_view(
    list=extend_schema(parameters=[
        OpenApiParameter("period", OpenApiTypes.STR, description="Period code, e.g. 2025-H1."),
        OpenApiParameter("action", OpenApiTypes.INT, description="Action id."),
    ]),
    create=extend_schema(request=ProgressReportInputSerializer,
                         responses={201: ProgressReportSerializer}),
    partial_update=extend_schema(request=ProgressReportUpdateSerializer,
                                 responses=ProgressReportSerializer),
)
class ProgressReportViewSet(PagedMixin, viewsets.GenericViewSet):
    """Half-year progress reports per action, with typed indicator values and their source."""

    # The views call selectors; this only tells the schema which model it is.
    queryset = ProgressReport.objects.none()
    serializer_class = ProgressReportSerializer
    lookup_value_regex = ID
    http_method_names = ["get", "post", "patch", "head", "options"]


    def list(self, request: AuthenticatedRequest) -> Response:
        period = None
        if request.query_params.get("period"):
            period = services.get_period(request.query_params["period"])
        return self.paged(request, selectors.report_list(
            actor=request.user, period=period, action_id=_int_param(request, "action")),
            ProgressReportSerializer)

    def retrieve(self, request: AuthenticatedRequest, pk: str) -> Response:
        return Response(ProgressReportSerializer(selectors.report_get(actor=request.user,
                                                                      report_id=pk)).data)

    def create(self, request: AuthenticatedRequest) -> Response:
        data = _valid(ProgressReportInputSerializer, request.data)
        report = services.progress_report_create(actor=request.user,
                                                 action_id=data.pop("action"), **data)
        return Response(ProgressReportSerializer(selectors.report_get(
            actor=request.user, report_id=report.pk)).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: AuthenticatedRequest, pk: str) -> Response:
        report = services.progress_report_update(
            actor=request.user, report_id=int(pk),
            changes=_valid(ProgressReportUpdateSerializer, request.data, partial=True))
        return Response(ProgressReportSerializer(selectors.report_get(
            actor=request.user, report_id=report.pk)).data)


# --- Campaigns ----------------------------------------------------------------------------------

CAMPAIGN_PARAMETERS = [
    OpenApiParameter("year", OpenApiTypes.INT, description="Year the campaign started."),
    OpenApiParameter("target_group", OpenApiTypes.STR),
    OpenApiParameter("form", OpenApiTypes.STR, description="Form of exploitation, or general."),
    OpenApiParameter("language", OpenApiTypes.STR, description="ISO 639-1 code."),
    OpenApiParameter("channel", OpenApiTypes.STR),
    OpenApiParameter("organisation", OpenApiTypes.STR, description="Part of the name."),
    OpenApiParameter("measured", OpenApiTypes.BOOL, description="Only campaigns whose effect "
                     "was (true) or was not (false) measured."),
]


def _campaign_filters(request: AuthenticatedRequest) -> dict[str, Any]:
    params = request.query_params
    return {
        "year": _int_param(request, "year", low=1900, high=2100),
        "target_group": params.get("target_group", ""),
        "form": params.get("form", ""),
        "language": params.get("language", "").lower(),
        "channel": params.get("channel", ""),
        "organisation": params.get("organisation", "")[:200],
        "measured": _bool_param(request, "measured"),
    }


@extend_schema_view(
    list=extend_schema(parameters=CAMPAIGN_PARAMETERS),
    create=extend_schema(request=CampaignInputSerializer, responses={201: CampaignSerializer}),
    partial_update=extend_schema(request=CampaignInputSerializer, responses=CampaignSerializer),
)
class CampaignViewSet(PagedMixin, viewsets.GenericViewSet):
    """The inventory of awareness campaigns (action line 1)."""

    # The views call selectors; this only tells the schema which model it is.
    queryset = Campaign.objects.none()
    serializer_class = CampaignSerializer
    lookup_value_regex = ID
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]


    def list(self, request: AuthenticatedRequest) -> Response:
        return self.paged(request, selectors.campaign_list(
            actor=request.user, filters=_campaign_filters(request)), CampaignSerializer)

    def retrieve(self, request: AuthenticatedRequest, pk: str) -> Response:
        return Response(CampaignSerializer(selectors.campaign_get(actor=request.user,
                                                                  campaign_id=pk)).data)

    def create(self, request: AuthenticatedRequest) -> Response:
        campaign = services.campaign_create(actor=request.user,
                                            **_valid(CampaignInputSerializer, request.data))
        return Response(CampaignSerializer(campaign).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: AuthenticatedRequest, pk: str) -> Response:
        campaign = services.campaign_update(
            actor=request.user, campaign_id=int(pk),
            changes=_valid(CampaignInputSerializer, request.data, partial=True))
        return Response(CampaignSerializer(campaign).data)

    def destroy(self, request: AuthenticatedRequest, pk: str) -> Response:
        services.campaign_delete(actor=request.user, campaign_id=int(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(parameters=CAMPAIGN_PARAMETERS, responses=CampaignCountSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None)
    def counts(self, request: AuthenticatedRequest) -> Response:
        """Campaigns per start year and target group (a campaign for two groups counts twice)."""
        campaigns = selectors.campaign_list(actor=request.user, filters=_campaign_filters(request))
        return Response(CampaignCountSerializer(selectors.campaign_counts(campaigns),
                                                many=True).data)

    @extend_schema(parameters=CAMPAIGN_PARAMETERS,
                   responses={(200, "image/svg+xml"): OpenApiTypes.STR})
    @action(detail=False, methods=["get"], pagination_class=None)
    def chart(self, request: AuthenticatedRequest) -> HttpResponse:
        """The counts as an SVG chart: one small chart per target group, bars labelled."""
        campaigns = list(selectors.campaign_list(actor=request.user,
                                                 filters=_campaign_filters(request)))
        counts = selectors.campaign_counts(campaigns)
        years = sorted({c.year for c in counts}) or [timezone.localdate().year]
        years = list(range(years[0], years[-1] + 1))
        return HttpResponse(campaign_chart_svg(counts, years=years),
                            content_type="image/svg+xml")


# --- Regions ------------------------------------------------------------------------------------

@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("kind", OpenApiTypes.STR,
                                                    enum=RegionKind.values)]),
    create=extend_schema(request=RegionInputSerializer, responses={201: RegionSerializer}),
    partial_update=extend_schema(request=RegionInputSerializer, responses=RegionSerializer),
)
class RegionViewSet(PagedMixin, viewsets.GenericViewSet):
    """Safety and care regions: coordinating municipality, care coordinators, RIEC, Zorg- en
    Veiligheidshuis, desks, and aggregate figures with small cells suppressed."""

    # The views call selectors; this only tells the schema which model it is.
    queryset = Region.objects.none()
    serializer_class = RegionSerializer
    lookup_value_regex = ID
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]


    def list(self, request: AuthenticatedRequest) -> Response:
        regions = selectors.region_list(actor=request.user, kind=_choice_param(
            request, "kind", RegionKind.values)).prefetch_related("members__organisation")
        return self.paged(request, regions, RegionSerializer)

    def retrieve(self, request: AuthenticatedRequest, pk: str) -> Response:
        return Response(RegionSerializer(selectors.region_get(actor=request.user,
                                                              region_id=pk)).data)

    def create(self, request: AuthenticatedRequest) -> Response:
        region = services.region_create(actor=request.user,
                                        **_valid(RegionInputSerializer, request.data))
        return Response(RegionSerializer(region).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: AuthenticatedRequest, pk: str) -> Response:
        region = services.region_update(
            actor=request.user, region_id=int(pk),
            changes=_valid(RegionInputSerializer, request.data, partial=True))
        return Response(RegionSerializer(region).data)

    @extend_schema(responses=RegionFiguresSerializer)
    @action(detail=True, methods=["get"])
    def figures(self, request: AuthenticatedRequest, pk: str) -> Response:
        """Shelter places, open referrals and signals in the region: aggregates only."""
        return Response(RegionFiguresSerializer(selectors.region_page(actor=request.user,
                                                                      region_id=pk)).data)

    @extend_schema(request=RegionMemberInputSerializer, responses={201: RegionMemberSerializer})
    @action(detail=True, methods=["post"])
    def members(self, request: AuthenticatedRequest, pk: str) -> Response:
        """Give an organisation a role in the region (care coordinator, desk, RIEC, …)."""
        member = services.region_member_add(actor=request.user, region_id=int(pk),
                                            **_valid(RegionMemberInputSerializer, request.data))
        return Response(RegionMemberSerializer(member).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None}, parameters=[
        OpenApiParameter("member_id", OpenApiTypes.INT, OpenApiParameter.PATH)])
    @action(detail=True, methods=["delete"], url_path=r"members/(?P<member_id>\d+)")
    def remove_member(self, request: AuthenticatedRequest, pk: str, member_id: str) -> Response:
        services.region_member_remove(actor=request.user, region_id=int(pk),
                                      member_id=int(member_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Experts by experience ----------------------------------------------------------------------

@extend_schema_view(
    list=extend_schema(parameters=[
        OpenApiParameter("expertise", OpenApiTypes.STR, enum=ExpertiseArea.values),
        OpenApiParameter("language", OpenApiTypes.STR),
        OpenApiParameter("region", OpenApiTypes.INT),
        OpenApiParameter("availability", OpenApiTypes.STR, enum=Availability.values),
    ]),
    create=extend_schema(request=ExpertInputSerializer, responses={201: ExpertSerializer}),
    partial_update=extend_schema(request=ExpertUpdateSerializer, responses=ExpertSerializer),
    destroy=extend_schema(description="Erase the expert on their request (crypto-shredding)."),
)
class ExpertViewSet(PagedMixin, viewsets.GenericViewSet):
    """The pool of experts by experience. Only the national coordinator, and organisations that
    engaged an expert with their consent, see them; everyone else gets 404. Every read is
    audited."""

    # The views call selectors; this only tells the schema which model it is.
    queryset = Expert.objects.none()
    serializer_class = ExpertSerializer
    lookup_value_regex = ID
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]


    def list(self, request: AuthenticatedRequest) -> Response:
        filters = {
            "expertise": _choice_param(request, "expertise", ExpertiseArea.values),
            "language": request.query_params.get("language", "").lower()[:3],
            "region": _int_param(request, "region"),
            "availability": _choice_param(request, "availability", Availability.values),
        }
        page = self.paginate_queryset(selectors.expert_list(actor=request.user, filters=filters))
        assert page is not None  # paginated: LimitOffsetPagination with a default limit
        selectors.audit_experts_shown(actor=request.user, experts=page)
        return self.get_paginated_response(ExpertSerializer(page, many=True).data)

    def retrieve(self, request: AuthenticatedRequest, pk: str) -> Response:
        return Response(ExpertSerializer(selectors.expert_get(actor=request.user,
                                                              expert_id=pk)).data)

    def create(self, request: AuthenticatedRequest) -> Response:
        expert = services.expert_create(actor=request.user,
                                        **_valid(ExpertInputSerializer, request.data))
        return Response(ExpertSerializer(expert).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: AuthenticatedRequest, pk: str) -> Response:
        expert = services.expert_update(
            actor=request.user, expert_id=int(pk),
            changes=_valid(ExpertUpdateSerializer, request.data, partial=True))
        return Response(ExpertSerializer(expert).data)

    def destroy(self, request: AuthenticatedRequest, pk: str) -> Response:
        services.expert_erase(actor=request.user, expert_id=int(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(methods=["get"], responses=ExpertConsentSerializer(many=True))
    @extend_schema(methods=["post"], request=ExpertConsentInputSerializer,
                   responses={201: ExpertConsentSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def consents(self, request: AuthenticatedRequest, pk: str) -> Response:
        """Explicit consent per use of the expert's data; the newest per use is in force."""
        if request.method == "POST":
            consent = services.expert_consent_record(
                actor=request.user, expert_id=int(pk),
                **_valid(ExpertConsentInputSerializer, request.data))
            return Response(ExpertConsentSerializer(consent).data, status=status.HTTP_201_CREATED)
        expert = selectors.expert_get(actor=request.user, expert_id=pk)
        return Response(ExpertConsentSerializer(
            selectors.expert_consents(actor=request.user, expert=expert), many=True).data)


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("status", OpenApiTypes.STR,
                                                    enum=AssignmentStatus.values)]),
    create=extend_schema(request=AssignmentInputSerializer, responses={201: AssignmentSerializer}),
    partial_update=extend_schema(request=AssignmentUpdateSerializer,
                                 responses=AssignmentSerializer),
)
class AssignmentViewSet(PagedMixin, viewsets.GenericViewSet):
    """Requests for an expert by experience and the work that follows. An organisation sees
    its own; the expert's name shows once they are matched and consented."""

    # The views call selectors; this only tells the schema which model it is.
    queryset = Assignment.objects.none()
    serializer_class = AssignmentSerializer
    lookup_value_regex = ID
    http_method_names = ["get", "post", "patch", "head", "options"]


    def _out(self, request: AuthenticatedRequest, assignment: Any) -> dict:
        return AssignmentSerializer(assignment, context={"actor": request.user}).data

    def list(self, request: AuthenticatedRequest) -> Response:
        page = self.paginate_queryset(selectors.assignment_list(
            actor=request.user,
            status=_choice_param(request, "status", AssignmentStatus.values)))
        assert page is not None  # paginated: LimitOffsetPagination with a default limit
        selectors.audit_experts_shown(actor=request.user, experts=[
            a.expert for a in page if expert_shown_on(request.user, a) and a.expert is not None])
        return self.get_paginated_response(AssignmentSerializer(
            page, many=True, context={"actor": request.user}).data)

    def retrieve(self, request: AuthenticatedRequest, pk: str) -> Response:
        return Response(self._out(request, selectors.assignment_get(actor=request.user,
                                                                    assignment_id=pk)))

    def create(self, request: AuthenticatedRequest) -> Response:
        assignment = services.assignment_request(
            actor=request.user, **_valid(AssignmentInputSerializer, request.data))
        return Response(self._out(request, assignment), status=status.HTTP_201_CREATED)

    def partial_update(self, request: AuthenticatedRequest, pk: str) -> Response:
        assignment = services.assignment_update(
            actor=request.user, assignment_id=int(pk),
            changes=_valid(AssignmentUpdateSerializer, request.data, partial=True))
        return Response(self._out(request, assignment))

    @extend_schema(request=AssignInputSerializer, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: AuthenticatedRequest, pk: str) -> Response:
        """Match an expert (national coordinator), with the expert's consent to share."""
        assignment = services.assignment_assign(actor=request.user, assignment_id=int(pk),
                                                **_valid(AssignInputSerializer, request.data))
        return Response(self._out(request, assignment))

    @extend_schema(methods=["get"], responses=FeedbackSerializer(many=True))
    @extend_schema(methods=["post"], request=FeedbackInputSerializer,
                   responses={201: FeedbackSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def feedback(self, request: AuthenticatedRequest, pk: str) -> Response:
        """Feedback on the assignment, from the organisation or the expert."""
        if request.method == "POST":
            feedback = services.feedback_record(actor=request.user, assignment_id=int(pk),
                                                **_valid(FeedbackInputSerializer, request.data))
            return Response(FeedbackSerializer(feedback).data, status=status.HTTP_201_CREATED)
        assignment = selectors.assignment_get(actor=request.user, assignment_id=pk)
        # Feedback is about the expert: shown only while the expert is.
        if not expert_shown_on(request.user, assignment):
            return Response([])
        return Response(FeedbackSerializer(assignment.feedback.select_related(
            "assignment__expert"), many=True).data)


ROUTES = [
    ("programme/action-lines", ActionLineViewSet, "programme-line"),
    ("programme/actions", ActionViewSet, "programme-action"),
    ("programme/milestones", MilestoneViewSet, "programme-milestone"),
    ("programme/indicators", IndicatorViewSet, "programme-indicator"),
    ("programme/periods", ReportingPeriodViewSet, "programme-period"),
    ("programme/progress-reports", ProgressReportViewSet, "programme-report"),
    ("programme/campaigns", CampaignViewSet, "programme-campaign"),
    ("programme/regions", RegionViewSet, "programme-region"),
    ("programme/experts", ExpertViewSet, "programme-expert"),
    ("programme/expert-assignments", AssignmentViewSet, "programme-assignment"),
]


def register(router: Any) -> None:
    """Add the programme monitor's routes to the project's API router."""
    for prefix, viewset, basename in ROUTES:
        router.register(prefix, viewset, basename=basename)

