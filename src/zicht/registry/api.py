"""Thin API views: parse input, call a selector or service, shape the output."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from zicht.core.exceptions import ApplicationError, NotFound
from zicht.core.idempotency import idempotent
from zicht.core.typing import AuthenticatedRequest

from . import selectors, services
from .access import MAX_ID
from .serializers import (
    ConsentInputSerializer,
    ConsentSerializer,
    PersonInputSerializer,
    PersonSerializer,
    ShareInputSerializer,
    SignalInputSerializer,
    SignalSerializer,
    SignalUpdateSerializer,
)

IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER,
    description="Send the same key when retrying: you get the first answer, not a duplicate.",
)
PERSON_FILTER = OpenApiParameter("person", OpenApiTypes.INT, description="Only this person's.")


def _valid(serializer_class: type[serializers.Serializer], data: Any, **kw: Any) -> dict:
    serializer = serializer_class(data=data, **kw)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _int_param(request: AuthenticatedRequest, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except ValueError:
        raise serializers.ValidationError({name: [_("Give a whole number.")]}) from None
    if not 1 <= value <= MAX_ID:
        raise serializers.ValidationError({name: [_("No such id.")]})
    return value


def _for_person_in_body(call: Any) -> Any:
    """A person named in the request body who is unknown or hidden is a bad `person` field.

    Both cases get the same answer, so the body reveals nothing about who exists.
    """
    try:
        return call()
    except NotFound:
        raise ApplicationError(_("No person with this id that you may see."),
                               field="person") from None


class AuditedListMixin:
    """Paginate, audit the page actually shown, then serialise it."""

    audit_action = ""

    def audited_list(self, request: AuthenticatedRequest, queryset: Any) -> Response:
        page = self.paginate_queryset(queryset)  # type: ignore[attr-defined]
        selectors.audit_shown(actor=request.user, action=self.audit_action, objects=page)
        data = self.get_serializer(page, many=True).data  # type: ignore[attr-defined]
        return self.get_paginated_response(data)  # type: ignore[attr-defined]


@extend_schema_view(
    list=extend_schema(parameters=[
        OpenApiParameter("given_names", OpenApiTypes.STR),
        OpenApiParameter("family_name", OpenApiTypes.STR,
                         description="Exact look-up by name + birth date (blind index)."),
        OpenApiParameter("birth_date", OpenApiTypes.STR),
        OpenApiParameter("minor", OpenApiTypes.BOOL),
    ]),
    create=extend_schema(request=PersonInputSerializer, responses={201: PersonSerializer},
                         parameters=[IDEMPOTENCY]),
    partial_update=extend_schema(request=PersonInputSerializer, responses=PersonSerializer),
    update=extend_schema(request=PersonInputSerializer, responses=PersonSerializer),
)
class PersonViewSet(AuditedListMixin, viewsets.GenericViewSet):
    serializer_class = PersonSerializer
    lookup_value_regex = r"\d+"
    audit_action = "person.list"

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.person_list(actor=self.request.user)

    def list(self, request: AuthenticatedRequest) -> Response:
        params = request.query_params
        minor = params.get("minor")
        filters = {
            "given_names": params.get("given_names", ""),
            "family_name": params.get("family_name", ""),
            "birth_date": params.get("birth_date", ""),
            "minor": None if minor in (None, "") else minor.lower() in ("1", "true", "yes"),
        }
        return self.audited_list(request, selectors.person_list(actor=request.user,
                                                                filters=filters))

    def retrieve(self, request: AuthenticatedRequest, pk: int | str) -> Response:
        return Response(PersonSerializer(selectors.person_get(actor=request.user,
                                                              person_id=pk)).data)

    def create(self, request: AuthenticatedRequest) -> Response:
        def handler() -> Response:
            data = _valid(PersonInputSerializer, request.data)
            person = services.person_create(actor=request.user, **data)
            return Response(PersonSerializer(person).data, status=status.HTTP_201_CREATED)
        return idempotent(request, handler, lambda pk: self.retrieve(request, pk))

    def partial_update(self, request: AuthenticatedRequest, pk: str) -> Response:
        data = _valid(PersonInputSerializer, request.data, partial=True)
        person = services.person_update(actor=request.user, person_id=int(pk), changes=data)
        return Response(PersonSerializer(person).data)

    update = partial_update

    def destroy(self, request: AuthenticatedRequest, pk: str) -> Response:
        services.person_delete(actor=request.user, person_id=int(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=ShareInputSerializer, responses={201: None})
    @action(detail=True, methods=["post"])
    def share(self, request: AuthenticatedRequest, pk: str) -> Response:
        data = _valid(ShareInputSerializer, request.data)
        services.person_share(actor=request.user, person_id=int(pk),
                              organisation_id=data["organisation"])
        return Response({"shared_with": data["organisation"]}, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(parameters=[PERSON_FILTER]),
    create=extend_schema(request=SignalInputSerializer, responses={201: SignalSerializer},
                         parameters=[IDEMPOTENCY]),
    partial_update=extend_schema(request=SignalUpdateSerializer, responses=SignalSerializer),
    update=extend_schema(request=SignalUpdateSerializer, responses=SignalSerializer),
)
class SignalViewSet(AuditedListMixin, viewsets.GenericViewSet):
    serializer_class = SignalSerializer
    lookup_value_regex = r"\d+"
    audit_action = "signal.list"

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.signal_list(actor=self.request.user)

    def list(self, request: AuthenticatedRequest) -> Response:
        return self.audited_list(request, selectors.signal_list(
            actor=request.user, person_id=_int_param(request, "person")))

    def retrieve(self, request: AuthenticatedRequest, pk: int | str) -> Response:
        return Response(SignalSerializer(selectors.signal_get(actor=request.user,
                                                              signal_id=pk)).data)

    def create(self, request: AuthenticatedRequest) -> Response:
        def handler() -> Response:
            data = _valid(SignalInputSerializer, request.data)
            signal = _for_person_in_body(lambda: services.signal_create(
                actor=request.user, person_id=data.pop("person"), **data))
            return Response(SignalSerializer(signal).data, status=status.HTTP_201_CREATED)
        return idempotent(request, handler, lambda pk: self.retrieve(request, pk))

    def partial_update(self, request: AuthenticatedRequest, pk: str) -> Response:
        data = _valid(SignalUpdateSerializer, request.data, partial=True)
        signal = services.signal_update(actor=request.user, signal_id=int(pk), changes=data)
        return Response(SignalSerializer(signal).data)

    update = partial_update

    def destroy(self, request: AuthenticatedRequest, pk: str) -> Response:
        services.signal_delete(actor=request.user, signal_id=int(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(parameters=[PERSON_FILTER]),
    create=extend_schema(request=ConsentInputSerializer, responses={201: ConsentSerializer},
                         parameters=[IDEMPOTENCY]),
)
class ConsentViewSet(AuditedListMixin, viewsets.GenericViewSet):
    """Consent statements are never changed or deleted: a new statement replaces the old."""

    serializer_class = ConsentSerializer
    lookup_value_regex = r"\d+"
    audit_action = "consent.list"

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.consent_list(actor=self.request.user)

    def list(self, request: AuthenticatedRequest) -> Response:
        return self.audited_list(request, selectors.consent_list(
            actor=request.user, person_id=_int_param(request, "person")))

    def retrieve(self, request: AuthenticatedRequest, pk: int | str) -> Response:
        return Response(ConsentSerializer(selectors.consent_get(actor=request.user,
                                                                consent_id=pk)).data)

    def create(self, request: AuthenticatedRequest) -> Response:
        def handler() -> Response:
            data = _valid(ConsentInputSerializer, request.data)
            consent = _for_person_in_body(lambda: services.consent_record(
                actor=request.user, person_id=data.pop("person"), **data))
            return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)
        return idempotent(request, handler, lambda pk: self.retrieve(request, pk))
