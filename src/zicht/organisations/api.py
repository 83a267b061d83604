from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from zicht.core.typing import AuthenticatedRequest, actor_of
from zicht.registry.serializers import StrictSerializer, TextField

from . import services
from .models import ApiToken, Organisation, OrganisationKind, Role


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


class ApiTokenSerializer(serializers.ModelSerializer):
    in_force = serializers.BooleanField(source="is_valid", read_only=True)

    class Meta:
        model = ApiToken
        fields = ["id", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at",
                  "in_force"]


class ApiTokenViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      viewsets.GenericViewSet):
    """The caller's own API tokens (never their keys), and revoking one of them.

    Another user's token is not found: each user sees and revokes only their own.
    """

    serializer_class = ApiTokenSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[ApiToken]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return ApiToken.objects.none()
        return ApiToken.objects.filter(user=actor_of(self.request)).order_by("-created_at")

    @extend_schema(request=None, responses={200: ApiTokenSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        token = self.get_object()
        services.token_revoke(actor=request.user, user=request.user, token_id=token.pk)
        token.refresh_from_db()
        return Response(ApiTokenSerializer(token).data)
