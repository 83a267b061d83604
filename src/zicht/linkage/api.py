"""Thin API views for links, review decisions, model versions and PPRL uploads."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from zicht.core.typing import AuthenticatedRequest, actor_of

from . import selectors, services
from .models import Link, ModelVersion, ReviewDecision


class LinkSerializer(serializers.ModelSerializer):
    model_version = serializers.IntegerField(source="model_version.version")
    decided = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = Link
        fields = ["id", "person_a", "person_b", "match_weight", "match_probability", "band",
                  "model_version", "comparison_levels", "decided", "updated_at"]


class DecisionSerializer(serializers.ModelSerializer):
    model_version = serializers.IntegerField(source="model_version.version", allow_null=True,
                                             default=None)
    decided_by = serializers.CharField(source="decided_by.username")

    class Meta:
        model = ReviewDecision
        fields = ["id", "link", "person_a_id", "person_b_id", "verdict", "note",
                  "match_weight", "model_version", "clusters_before", "decided_by",
                  "decided_at", "reverted_at"]


class DecisionInputSerializer(serializers.Serializer):
    link = serializers.IntegerField(min_value=1)
    verdict = serializers.ChoiceField(choices=ReviewDecision.Verdict.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    model_version = serializers.IntegerField(required=False, min_value=1)


class ModelVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ModelVersion
        fields = ["version", "fingerprint", "upper_weight", "lower_weight",
                  "trained_on_records", "created_at", "parameters"]


class EncodingInputSerializer(serializers.Serializer):
    record_ref = serializers.CharField(max_length=64)
    encoding = serializers.CharField(help_text="1024 bits, base64 (172 characters).")


class EncodingUploadSerializer(serializers.Serializer):
    records = EncodingInputSerializer(many=True)


class LinkViewSet(viewsets.ReadOnlyModelViewSet):
    """Scored pairs (national coordinator only). `?band=review` for the queue."""

    serializer_class = LinkSerializer

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation, no user
            return Link.objects.none()
        band = self.request.query_params.get("band") or None
        if band is not None and band not in Link.Band.values:
            raise serializers.ValidationError({"band": ["Choose match or review."]})
        return selectors.links_list(actor_of(self.request), band=band)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        link, rows = selectors.review_pair(actor_of(request), kwargs["pk"])
        data = LinkSerializer(link).data
        data["records"] = [{"field": row.field, "a": row.left, "b": row.right,
                            "differs": row.differs} for row in rows]
        return Response(data)


class DecisionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      viewsets.GenericViewSet):
    """Reviewers' decisions: same / different / unsure; revert to undo (unmerge)."""

    serializer_class = DecisionSerializer

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation, no user
            return ReviewDecision.objects.none()
        return selectors.decisions_list(actor_of(self.request))

    @extend_schema(request=DecisionInputSerializer, responses={201: DecisionSerializer})
    def create(self, request: AuthenticatedRequest) -> Response:
        services.require_coordinator(request.user)
        data = DecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decision = services.review_decide(
            actor=request.user, link_id=data.validated_data["link"],
            verdict=data.validated_data["verdict"], note=data.validated_data["note"],
            model_version=data.validated_data.get("model_version"),
        )
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: DecisionSerializer})
    @action(detail=True, methods=["post"])
    def revert(self, request: AuthenticatedRequest, pk: str) -> Response:
        decision = services.review_revert(actor=request.user, decision_id=pk)
        return Response(DecisionSerializer(decision).data)


class ModelVersionViewSet(viewsets.ReadOnlyModelViewSet):
    """Saved model versions with their parameters (national coordinator only)."""

    serializer_class = ModelVersionSerializer
    lookup_field = "version"

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation, no user
            return ModelVersion.objects.none()
        services.require_coordinator(actor_of(self.request))
        return ModelVersion.objects.all()

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.require_coordinator(actor_of(request))
        version = services.model_version_get(kwargs["version"])
        return Response(ModelVersionSerializer(version).data)


class PprlEncodingViewSet(viewsets.GenericViewSet):
    """Upload Bloom-filter encodings made with `zicht pprl encode` (ADR 0006)."""

    serializer_class = EncodingUploadSerializer

    @extend_schema(request=EncodingUploadSerializer, responses={201: None})
    def create(self, request: AuthenticatedRequest) -> Response:
        records = request.data.get("records") if isinstance(request.data, dict) else None
        saved = services.pprl_upload(actor=request.user, records=records)
        return Response({"stored": len(saved)}, status=status.HTTP_201_CREATED)


def register(router: Any) -> None:
    router.register("linkage/links", LinkViewSet, basename="linkage-link")
    router.register("linkage/decisions", DecisionViewSet, basename="linkage-decision")
    router.register("linkage/models", ModelVersionViewSet, basename="linkage-model")
    router.register("linkage/pprl/encodings", PprlEncodingViewSet, basename="linkage-pprl")
