"""Thin API views for data-subject requests (privacy officers only; others get 404)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from zicht.core.typing import AuthenticatedRequest

from . import reports, services
from .access import access_person_for_request, require_privacy_officer
from .codes import ERASURE_GROUNDS, EXPORT_GROUNDS, RESTRICTION_GROUNDS, LegalGround
from .models import PrivacyRequest


class PrivacyRequestSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default="")

    class Meta:
        model = PrivacyRequest
        fields = ["id", "person_id", "kind", "legal_ground", "reference", "actor", "at"]


class LiftInput(serializers.Serializer):
    reference = serializers.CharField(
        required=False, allow_blank=True, max_length=services.MAX_REFERENCE, default="",
        help_text="The request's case number at the controller; never a name.")


class EraseInput(LiftInput):
    legal_ground = serializers.ChoiceField(choices=[(g, LegalGround(g).label)
                                                    for g in ERASURE_GROUNDS])


class RestrictInput(LiftInput):
    legal_ground = serializers.ChoiceField(choices=[(g, LegalGround(g).label)
                                                    for g in RESTRICTION_GROUNDS])


PERSON_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH,
                             description="The person's number (P-123: 123).")
EXPORT_GROUND = OpenApiParameter("legal_ground", OpenApiTypes.STR, enum=[*EXPORT_GROUNDS],
                                 description="Art. 15 (access, default) or art. 20.")


class PrivacyPersonViewSet(viewsets.ViewSet):
    """Access, erasure and restriction of one person, on a lawful request."""

    serializer_class = PrivacyRequestSerializer
    lookup_value_regex = "[0-9]+"

    @extend_schema(
        parameters=[OpenApiParameter("file_format", OpenApiTypes.STR, OpenApiParameter.PATH,
                                     enum=[*reports.FORMATS]), PERSON_ID, EXPORT_GROUND],
        responses={(200, "application/json"): OpenApiTypes.OBJECT,
                   (200, "text/html"): OpenApiTypes.STR,
                   (200, "application/pdf"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], url_path=r"export/(?P<file_format>json|html|pdf)")
    def export(self, request: AuthenticatedRequest, pk: str, file_format: str) -> HttpResponse:
        """Everything zicht holds on the person that the officer may see; audited."""
        require_privacy_officer(request.user)
        data = services.person_export(
            actor=request.user, person_id=pk,
            legal_ground=request.query_params.get("legal_ground") or LegalGround.ACCESS)
        return reports.http_response(data, file_format)

    def _act(self, request: AuthenticatedRequest, pk: str,
             serializer: type[serializers.Serializer], service: Callable[..., Any]) -> Response:
        # The person first: an unknown person is 404 whatever was sent.
        access_person_for_request(request.user, pk)
        checked = serializer(data=request.data)
        checked.is_valid(raise_exception=True)
        done = service(actor=request.user, person_id=pk, **checked.validated_data)
        return Response(PrivacyRequestSerializer(done).data)

    @extend_schema(request=EraseInput, responses={200: PrivacyRequestSerializer},
                   parameters=[PERSON_ID])
    @action(detail=True, methods=["post"])
    def erase(self, request: AuthenticatedRequest, pk: str) -> Response:
        """Erase the person: final. 409 if already erased or still in care."""
        return self._act(request, pk, EraseInput, services.person_erase)

    @extend_schema(request=RestrictInput, responses={200: PrivacyRequestSerializer},
                   parameters=[PERSON_ID])
    @action(detail=True, methods=["post"])
    def restrict(self, request: AuthenticatedRequest, pk: str) -> Response:
        """Restrict processing (art. 18). 409 if already restricted or erased."""
        return self._act(request, pk, RestrictInput, services.person_restrict)

    @extend_schema(request=LiftInput, responses={200: PrivacyRequestSerializer},
                   parameters=[PERSON_ID])
    @action(detail=True, methods=["post"])
    def lift(self, request: AuthenticatedRequest, pk: str) -> Response:
        """Lift a restriction (art. 18(3)). 409 if the person is not restricted."""
        return self._act(request, pk, LiftInput, services.person_restriction_lift)


def register(router: Any) -> None:
    router.register("privacy/persons", PrivacyPersonViewSet, basename="privacy-person")
