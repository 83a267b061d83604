"""Thin API views for shelters, the capacity board, matching and placements."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from zicht.core.exceptions import ApplicationError
from zicht.core.idempotency import idempotent
from zicht.core.typing import AuthenticatedRequest

from . import selectors, services
from .codes import SafetyLevel, ShelterKind
from .models import Placement, Shelter
from .serializers import (
    BoardSerializer,
    MatchesSerializer,
    PlacementEndSerializer,
    PlacementInputSerializer,
    PlacementSerializer,
    ShelterInputSerializer,
    ShelterSerializer,
    ShelterUpdateSerializer,
    board_data,
    matches_data,
)
from .validation import clean_choice

IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER,
    description="Send the same key when retrying: you get the first answer, not a duplicate.",
)


def _valid(serializer_class: type[serializers.Serializer], data: Any, **kw: Any) -> dict:
    serializer = serializer_class(data=data, **kw)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _int_param(request: AuthenticatedRequest, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except ValueError:
        raise serializers.ValidationError({name: ["Give a whole number."]}) from None


def _bool_param(request: AuthenticatedRequest, name: str) -> bool | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    return raw.lower() in ("1", "true", "yes")


@extend_schema_view(
    list=extend_schema(parameters=[
        OpenApiParameter("kind", OpenApiTypes.STR, enum=ShelterKind.values),
        OpenApiParameter("region", OpenApiTypes.STR,
                         description="CBS province code (PV20–PV31) or 'other'."),
        OpenApiParameter("municipality", OpenApiTypes.STR, description="CBS code, e.g. GM0363."),
        OpenApiParameter("organisation", OpenApiTypes.INT),
        OpenApiParameter("has_free", OpenApiTypes.BOOL, description="Only with a free place."),
    ]),
    create=extend_schema(request=ShelterInputSerializer, responses={201: ShelterSerializer}),
    partial_update=extend_schema(request=ShelterUpdateSerializer, responses=ShelterSerializer),
    update=extend_schema(request=ShelterUpdateSerializer, responses=ShelterSerializer),
)
class ShelterViewSet(viewsets.GenericViewSet):
    """Shelter locations and their free places. Capacity is no person data: not audited."""

    serializer_class = ShelterSerializer
    lookup_value_regex = r"\d+"
    queryset = Shelter.objects.none()  # for the schema; reads go through selectors

    def list(self, request: AuthenticatedRequest) -> Response:
        params = request.query_params
        filters = {
            "kind": params.get("kind", ""),
            "region": params.get("region", ""),
            "municipality": params.get("municipality", "").upper(),
            "organisation": _int_param(request, "organisation"),
            "has_free": _bool_param(request, "has_free"),
        }
        page = self.paginate_queryset(selectors.shelter_list(actor=request.user, filters=filters))
        return self.get_paginated_response(ShelterSerializer(page, many=True).data)

    def retrieve(self, request: AuthenticatedRequest, pk: int | str) -> Response:
        return Response(ShelterSerializer(selectors.shelter_get(actor=request.user,
                                                                shelter_id=pk)).data)

    def create(self, request: AuthenticatedRequest) -> Response:
        data = _valid(ShelterInputSerializer, request.data)
        shelter = services.shelter_create(actor=request.user,
                                          organisation_id=data.pop("organisation", None), **data)
        shelter = selectors.shelter_get(actor=request.user, shelter_id=shelter.pk)
        return Response(ShelterSerializer(shelter).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: AuthenticatedRequest, pk: str) -> Response:
        data = _valid(ShelterUpdateSerializer, request.data, partial=True)
        services.shelter_update(actor=request.user, shelter_id=pk, changes=data)
        return Response(ShelterSerializer(selectors.shelter_get(actor=request.user,
                                                                shelter_id=pk)).data)

    update = partial_update

    @extend_schema(responses=BoardSerializer)
    @action(detail=False, methods=["get"])
    def board(self, request: AuthenticatedRequest) -> Response:
        """National capacity board: free places per kind and region, counted now."""
        return Response(board_data(selectors.capacity_board(actor=request.user)))

    @extend_schema(
        responses=MatchesSerializer,
        parameters=[
            OpenApiParameter("person", OpenApiTypes.INT, required=True),
            OpenApiParameter("safety", OpenApiTypes.STR, enum=SafetyLevel.values,
                             description="The person's safety need; default normal."),
        ],
    )
    @action(detail=False, methods=["get"])
    def match(self, request: AuthenticatedRequest) -> Response:
        """Shelters for a person, best first, with a reason per criterion. Audited."""
        person = request.query_params.get("person")
        if person in (None, ""):
            raise ApplicationError(_("Say which person needs a place."), field="person")
        safety = clean_choice(request.query_params.get("safety"), SafetyLevel, "safety",
                              default=SafetyLevel.NORMAL)
        result = selectors.shelter_matches(actor=request.user, person_id=person, safety=safety)
        return Response(matches_data(result))


@extend_schema_view(
    list=extend_schema(parameters=[
        OpenApiParameter("person", OpenApiTypes.INT),
        OpenApiParameter("shelter", OpenApiTypes.INT),
        OpenApiParameter("active", OpenApiTypes.BOOL),
    ]),
    create=extend_schema(request=PlacementInputSerializer, responses={201: PlacementSerializer},
                         parameters=[IDEMPOTENCY]),
)
class PlacementViewSet(viewsets.GenericViewSet):
    """Placements are person data: visible with the person only, and every read is audited."""

    serializer_class = PlacementSerializer
    lookup_value_regex = r"\d+"
    queryset = Placement.objects.none()  # for the schema; reads go through selectors

    def list(self, request: AuthenticatedRequest) -> Response:
        filters = {
            "person": _int_param(request, "person"),
            "shelter": _int_param(request, "shelter"),
            "active": _bool_param(request, "active"),
        }
        page = self.paginate_queryset(selectors.placement_list(actor=request.user,
                                                               filters=filters))
        selectors.audit_shown(actor=request.user, placements=page or [])
        return self.get_paginated_response(PlacementSerializer(page, many=True).data)

    def retrieve(self, request: AuthenticatedRequest, pk: int | str) -> Response:
        return Response(PlacementSerializer(selectors.placement_get(actor=request.user,
                                                                    placement_id=pk)).data)

    def create(self, request: AuthenticatedRequest) -> Response:
        def handler() -> Response:
            data = _valid(PlacementInputSerializer, request.data)
            placement = services.placement_create(
                actor=request.user, person_id=data["person"], shelter_id=data["shelter"],
                started_on=data.get("started_on"), safety_need=data.get("safety_need"),
            )
            return Response(PlacementSerializer(placement).data, status=status.HTTP_201_CREATED)
        return idempotent(request, handler, lambda pk: self.retrieve(request, pk))

    @extend_schema(request=PlacementEndSerializer, responses=PlacementSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: AuthenticatedRequest, pk: str) -> Response:
        """End a placement; the place is free again at once."""
        data = _valid(PlacementEndSerializer, request.data)
        placement = services.placement_end(actor=request.user, placement_id=pk,
                                           end_reason=data["end_reason"],
                                           ended_on=data.get("ended_on"))
        return Response(PlacementSerializer(placement).data)
