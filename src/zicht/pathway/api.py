"""Thin API views for the pathway: parse input, call a selector or service, shape the output.

    /api/v1/pathways/{person}/                 GET, PATCH (residence status, minors' flow)
    /api/v1/pathways/{person}/victim-status/   POST a decision
    /api/v1/pathways/{person}/case-status/     POST
    /api/v1/pathways/{person}/stages/          POST; …/stages/{id}/end/ POST
    /api/v1/pathways/{person}/reflection-period/  POST (offer)
    /api/v1/pathways/{person}/criminal-cases/  POST (aangifte); …/criminal-cases/{id}/decision/ POST
    /api/v1/referrals/                         GET (box, status, person), POST; {id}/accept|decline|withdraw/
    /api/v1/deadlines/                         GET (person, mine, overdue, due_within), POST (task);
                                               {id}/extend/, {id}/close/
    /api/v1/redress/                           GET (person), POST; {id}/ GET, PATCH
"""

from __future__ import annotations

from typing import Any, cast

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from zicht.core.idempotency import idempotent
from zicht.organisations.models import User
from zicht.registry.access import MAX_ID

from . import selectors, services
from .models import Deadline, Pathway, RedressClaim, Referral
from .serializers import (
    REFERRAL_BOXES,
    REFERRAL_STATUS_FILTER,
    CaseDecisionInputSerializer,
    CaseStatusInputSerializer,
    CriminalCaseInputSerializer,
    CriminalCaseSerializer,
    DeadlineCloseInputSerializer,
    DeadlineExtendInputSerializer,
    DeadlineInputSerializer,
    DeadlineSerializer,
    PathwayInputSerializer,
    PathwaySerializer,
    RedressClaimSerializer,
    RedressInputSerializer,
    RedressUpdateSerializer,
    ReferralAnswerInputSerializer,
    ReferralInputSerializer,
    ReferralSerializer,
    ReflectionPeriodInputSerializer,
    StageEndInputSerializer,
    StageInputSerializer,
    StageSerializer,
    VictimStatusDecisionSerializer,
    VictimStatusInputSerializer,
)

# A century of days: far enough for any worklist, near enough for date arithmetic.
MAX_DUE_WITHIN_DAYS = 36_500
PERSON_FILTER = OpenApiParameter("person", OpenApiTypes.INT, description="Only this person's.")
IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER,
    description="Send the same key when retrying: you get the first answer, not a duplicate.",
)


def _actor(request: Request) -> User:
    """The logged-in user (the login check or the API's authentication ran first)."""
    return cast(User, request.user)


def _valid(serializer_class: type[serializers.Serializer], data: Any, **kw: Any) -> dict:
    serializer = serializer_class(data=data, **kw)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _int_param(request: Request, name: str, *, low: int = 0, high: int = MAX_ID) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except ValueError:
        raise serializers.ValidationError({name: ["Give a whole number."]}) from None
    # An id past BIGINT, or a day count past the calendar, is bad input, not a server error.
    if not low <= value <= high:
        raise serializers.ValidationError({name: [f"Give a whole number from {low} to {high}."]})
    return value


def _bool_param(request: Request, name: str) -> bool | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    if raw.lower() in ("1", "true", "yes"):
        return True
    if raw.lower() in ("0", "false", "no"):
        return False
    raise serializers.ValidationError({name: ["Give true or false."]})


def _choice_param(request: Request, name: str, choices: list[str]) -> str | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    if raw not in choices:
        raise serializers.ValidationError({name: [f"Use one of: {', '.join(choices)}."]})
    return raw


def _pathway_response(request: Request, person_id: int | str, code: int = 200) -> Response:
    detail = selectors.pathway_get(actor=_actor(request), person_id=person_id)
    return Response(PathwaySerializer(detail).data, status=code)


class PathwayViewSet(viewsets.GenericViewSet):
    """A person's pathway, addressed by the person's id."""

    serializer_class = PathwaySerializer
    queryset = Pathway.objects.none()  # for the schema; reads go through selectors
    lookup_value_regex = r"\d+"

    def retrieve(self, request: Request, pk: int | str) -> Response:
        return _pathway_response(request, pk)

    @extend_schema(request=PathwayInputSerializer, responses=PathwaySerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        data = _valid(PathwayInputSerializer, request.data, partial=True)
        services.pathway_update(actor=_actor(request), person_id=int(pk), changes=data)
        return _pathway_response(request, pk)

    @extend_schema(request=VictimStatusInputSerializer,
                   responses={201: VictimStatusDecisionSerializer})
    @action(detail=True, methods=["post"], url_path="victim-status")
    def victim_status(self, request: Request, pk: str) -> Response:
        data = _valid(VictimStatusInputSerializer, request.data)
        decision = services.victim_status_decide(actor=_actor(request), person_id=int(pk), **data)
        return Response(VictimStatusDecisionSerializer(decision).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=CaseStatusInputSerializer, responses=PathwaySerializer)
    @action(detail=True, methods=["post"], url_path="case-status")
    def case_status(self, request: Request, pk: str) -> Response:
        data = _valid(CaseStatusInputSerializer, request.data)
        services.case_status_set(actor=_actor(request), person_id=int(pk), **data)
        return _pathway_response(request, pk)

    @extend_schema(request=StageInputSerializer, responses={201: StageSerializer})
    @action(detail=True, methods=["post"])
    def stages(self, request: Request, pk: str) -> Response:
        data = _valid(StageInputSerializer, request.data)
        stage = services.stage_start(
            actor=_actor(request), person_id=int(pk), kind=data["kind"],
            started_on=data.get("started_on"),
            responsible_organisation_id=data.get("responsible_organisation"))
        return Response(StageSerializer(stage).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=StageEndInputSerializer, responses=StageSerializer)
    @action(detail=True, methods=["post"], url_path=r"stages/(?P<stage_id>\d+)/end")
    def stage_end(self, request: Request, pk: str, stage_id: str) -> Response:
        data = _valid(StageEndInputSerializer, request.data)
        stage = services.stage_end(actor=_actor(request), person_id=int(pk),
                                   stage_id=int(stage_id), **data)
        return Response(StageSerializer(stage).data)

    @extend_schema(request=ReflectionPeriodInputSerializer, responses={201: DeadlineSerializer})
    @action(detail=True, methods=["post"], url_path="reflection-period")
    def reflection_period(self, request: Request, pk: str) -> Response:
        data = _valid(ReflectionPeriodInputSerializer, request.data)
        deadline = services.reflection_period_offer(
            actor=_actor(request), person_id=int(pk), offered_on=data.get("offered_on"),
            offered_by_id=data.get("offered_by"))
        selectors.describe_deadlines([deadline])
        return Response(DeadlineSerializer(deadline).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CriminalCaseInputSerializer, responses={201: CriminalCaseSerializer})
    @action(detail=True, methods=["post"], url_path="criminal-cases")
    def criminal_cases(self, request: Request, pk: str) -> Response:
        data = _valid(CriminalCaseInputSerializer, request.data)
        case = services.criminal_case_open(
            actor=_actor(request), person_id=int(pk), aangifte_on=data["aangifte_on"],
            police_organisation_id=data.get("police_organisation"),
            reference=data.get("reference", ""))
        return Response(CriminalCaseSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CaseDecisionInputSerializer, responses=CriminalCaseSerializer)
    @action(detail=True, methods=["post"], url_path=r"criminal-cases/(?P<case_id>\d+)/decision")
    def criminal_case_decision(self, request: Request, pk: str, case_id: str) -> Response:
        data = _valid(CaseDecisionInputSerializer, request.data)
        case = services.criminal_case_decide(actor=_actor(request), person_id=int(pk),
                                             case_id=int(case_id), **data)
        return Response(CriminalCaseSerializer(case).data)


class AuditedPageMixin:
    """Paginate, audit the rows actually shown (one row per person read), serialise."""

    audit_action = ""

    def audited_page(self, request: Request, queryset: Any, describe: Any) -> Response:
        page = list(self.paginate_queryset(queryset))  # type: ignore[attr-defined]
        describe(page)
        selectors.audit_rows(actor=_actor(request), action=self.audit_action, objects=page)
        data = self.get_serializer(page, many=True).data  # type: ignore[attr-defined]
        return self.get_paginated_response(data)  # type: ignore[attr-defined]


@extend_schema_view(
    list=extend_schema(parameters=[
        PERSON_FILTER,
        OpenApiParameter("box", OpenApiTypes.STR, enum=REFERRAL_BOXES,
                         description="incoming / outgoing (your organisation's), or escalated "
                                     "(open past their answer time; the national coordinator's)."),
        OpenApiParameter("status", OpenApiTypes.STR, enum=REFERRAL_STATUS_FILTER,
                         description="`open` = proposed and not yet answered."),
    ]),
    create=extend_schema(request=ReferralInputSerializer, responses={201: ReferralSerializer},
                         parameters=[IDEMPOTENCY]),
)
class ReferralViewSet(AuditedPageMixin, viewsets.GenericViewSet):
    """Referrals between organisations, and referrals abroad (recorded only).
    Visible to the two organisations involved and the national coordinator."""

    serializer_class = ReferralSerializer
    queryset = Referral.objects.none()
    lookup_value_regex = r"\d+"
    audit_action = "referral.list"

    def list(self, request: Request) -> Response:
        referrals = selectors.referral_list(
            actor=_actor(request), box=_choice_param(request, "box", REFERRAL_BOXES),
            status=_choice_param(request, "status", REFERRAL_STATUS_FILTER),
            person_id=_int_param(request, "person"))
        return self.audited_page(
            request, referrals, lambda page: selectors.describe_referrals(_actor(request), page))

    def retrieve(self, request: Request, pk: int | str) -> Response:
        referral = selectors.referral_get(actor=_actor(request), referral_id=pk)
        return Response(ReferralSerializer(referral).data)

    def create(self, request: Request) -> Response:
        def handler() -> Response:
            data = _valid(ReferralInputSerializer, request.data)
            referral = services.referral_propose(
                actor=_actor(request), person_id=data.pop("person"),
                to_organisation_id=data.pop("to_organisation", None), **data)
            selectors.describe_referrals(_actor(request), [referral])
            return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)
        return idempotent(request, handler, lambda pk: self.retrieve(request, pk))

    def _answer(self, request: Request, pk: str, service: Any) -> Response:
        data = _valid(ReferralAnswerInputSerializer, request.data)
        referral = service(actor=_actor(request), referral_id=int(pk), **data)
        selectors.describe_referrals(_actor(request), [referral])
        return Response(ReferralSerializer(referral).data)

    @extend_schema(request=ReferralAnswerInputSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        """The receiving organisation accepts; from now on it may see the person."""
        return self._answer(request, pk, services.referral_accept)

    @extend_schema(request=ReferralAnswerInputSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str) -> Response:
        """The receiving organisation declines, with a reason."""
        return self._answer(request, pk, services.referral_decline)

    @extend_schema(request=ReferralAnswerInputSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        """The referring organisation withdraws an open referral."""
        return self._answer(request, pk, services.referral_withdraw)


@extend_schema_view(
    list=extend_schema(parameters=[
        PERSON_FILTER,
        OpenApiParameter("mine", OpenApiTypes.BOOL,
                         description="Only those your organisation is responsible for."),
        OpenApiParameter("overdue", OpenApiTypes.BOOL),
        OpenApiParameter("due_within", OpenApiTypes.INT,
                         description="Due within this many days (0 to 36,500)."),
        OpenApiParameter("include_closed", OpenApiTypes.BOOL),
    ]),
    create=extend_schema(request=DeadlineInputSerializer, responses={201: DeadlineSerializer},
                         parameters=[IDEMPOTENCY]),
)
class DeadlineViewSet(AuditedPageMixin, viewsets.GenericViewSet):
    """Legal terms set by the deadline engine, and tasks with a date."""

    serializer_class = DeadlineSerializer
    queryset = Deadline.objects.none()
    lookup_value_regex = r"\d+"
    audit_action = "deadline.list"

    def list(self, request: Request) -> Response:
        deadlines = selectors.deadline_list(
            actor=_actor(request), person_id=_int_param(request, "person"),
            mine=bool(_bool_param(request, "mine")),
            include_closed=bool(_bool_param(request, "include_closed")),
            due_within_days=_int_param(request, "due_within", high=MAX_DUE_WITHIN_DAYS),
            overdue=_bool_param(request, "overdue"),
        ).prefetch_related("extensions")
        return self.audited_page(request, deadlines, selectors.describe_deadlines)

    def retrieve(self, request: Request, pk: int | str) -> Response:
        deadline = selectors.deadline_get(actor=_actor(request), deadline_id=pk)
        return Response(DeadlineSerializer(deadline).data)

    def create(self, request: Request) -> Response:
        def handler() -> Response:
            data = _valid(DeadlineInputSerializer, request.data)
            deadline = services.deadline_create(
                actor=_actor(request), person_id=data["person"], title=data["title"],
                due_on=data["due_on"], starts_on=data.get("starts_on"),
                responsible_organisation_id=data.get("responsible_organisation"))
            selectors.describe_deadlines([deadline])
            return Response(DeadlineSerializer(deadline).data, status=status.HTTP_201_CREATED)
        return idempotent(request, handler, lambda pk: self.retrieve(request, pk))

    @extend_schema(request=DeadlineExtendInputSerializer, responses=DeadlineSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, pk: str) -> Response:
        """Extend a reflection period (or a task), with a reason."""
        data = _valid(DeadlineExtendInputSerializer, request.data)
        deadline = services.deadline_extend(actor=_actor(request), deadline_id=int(pk), **data)
        selectors.describe_deadlines([deadline])
        return Response(DeadlineSerializer(deadline).data)

    @extend_schema(request=DeadlineCloseInputSerializer, responses=DeadlineSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        data = _valid(DeadlineCloseInputSerializer, request.data)
        deadline = services.deadline_close(actor=_actor(request), deadline_id=int(pk), **data)
        selectors.describe_deadlines([deadline])
        return Response(DeadlineSerializer(deadline).data)


@extend_schema_view(
    list=extend_schema(parameters=[PERSON_FILTER]),
    create=extend_schema(request=RedressInputSerializer, responses={201: RedressClaimSerializer},
                         parameters=[IDEMPOTENCY]),
    partial_update=extend_schema(request=RedressUpdateSerializer,
                                 responses=RedressClaimSerializer),
)
class RedressViewSet(AuditedPageMixin, viewsets.GenericViewSet):
    """Compensation claims: injured party, Schadefonds Geweldsmisdrijven, civil. Amounts in EUR."""

    serializer_class = RedressClaimSerializer
    queryset = RedressClaim.objects.none()
    lookup_value_regex = r"\d+"
    audit_action = "redress.list"

    def list(self, request: Request) -> Response:
        claims = selectors.claim_list(actor=_actor(request), person_id=_int_param(request, "person"))
        return self.audited_page(request, claims, lambda page: page)

    def retrieve(self, request: Request, pk: int | str) -> Response:
        claim = selectors.claim_get(actor=_actor(request), claim_id=pk)
        return Response(RedressClaimSerializer(claim).data)

    def create(self, request: Request) -> Response:
        def handler() -> Response:
            data = _valid(RedressInputSerializer, request.data)
            claim = services.redress_claim_create(
                actor=_actor(request), person_id=data["person"], route=data["route"],
                amount_claimed=data["amount_claimed"], filed_on=data.get("filed_on"),
                responsible_organisation_id=data.get("responsible_organisation"),
                criminal_case_id=data.get("criminal_case"))
            return Response(RedressClaimSerializer(claim).data, status=status.HTTP_201_CREATED)
        return idempotent(request, handler, lambda pk: self.retrieve(request, pk))

    def partial_update(self, request: Request, pk: str) -> Response:
        data = _valid(RedressUpdateSerializer, request.data, partial=True)
        claim = services.redress_claim_update(actor=_actor(request), claim_id=int(pk), changes=data)
        return Response(RedressClaimSerializer(claim).data)
