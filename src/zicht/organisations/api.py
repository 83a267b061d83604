from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from zicht.core.typing import AuthenticatedRequest
from zicht.registry.serializers import StrictSerializer, TextField

from . import services
from .models import Organisation, OrganisationKind, Role


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "municipality", "must_register"]


class OrganisationInputSerializer(StrictSerializer):
    name = TextField(max_length=200)
    kind = serializers.ChoiceField(choices=OrganisationKind.choices)
    municipality = TextField(max_length=6, help_text="CBS code, e.g. GM0363.")


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Organisations are public knowledge inside zicht: everyone can look them up to refer."""

    queryset = Organisation.objects.all()
    serializer_class = OrganisationSerializer
    filterset_fields = ["kind", "municipality"]
    lookup_value_regex = r"\d+"

    @extend_schema(request=OrganisationInputSerializer, responses={201: OrganisationSerializer})
    def create(self, request: AuthenticatedRequest) -> Response:
        if request.user.role != Role.ADMIN:
            raise PermissionDenied("Only administrators manage organisations.")
        data = OrganisationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organisation = services.organisation_create(actor=request.user, **data.validated_data)
        return Response(OrganisationSerializer(organisation).data, status=status.HTTP_201_CREATED)
