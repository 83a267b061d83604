from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from .models import AuditEvent
from .selectors import access_audit_log, audit_events_for
from .services import audit_record

# Largest id the database holds (BIGINT), as for the registry's filters.
MAX_ID = 2**63 - 1


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = ["seq", "at", "actor_id", "actor_username", "organisation_id", "action",
                  "object_type", "object_id", "person_id", "request_id", "detail", "hash"]


class AuditEventViewSet(viewsets.GenericViewSet):
    """Who saw or changed what, when. Auditors only; everyone else gets 404."""

    serializer_class = AuditEventSerializer

    queryset = AuditEvent.objects.none()  # for the schema; lists go through audit_events_for

    @extend_schema(parameters=[
        OpenApiParameter("person", OpenApiTypes.INT, description="Only events about this person."),
        OpenApiParameter("action", OpenApiTypes.STR, description="e.g. person.read"),
    ])
    def list(self, request: Request) -> Response:
        # Who may read the log is settled first: others get 404 whatever they asked.
        access_audit_log(request.user)
        raw_person = request.query_params.get("person")
        person_id = None
        if raw_person not in (None, ""):
            try:
                person_id = int(raw_person)
            except ValueError:
                raise serializers.ValidationError({"person": [_("Give a whole number.")]}) from None
            if not 1 <= person_id <= MAX_ID:
                raise serializers.ValidationError({"person": [_("No such id.")]})
        events = audit_events_for(request.user, person_id=person_id)
        if request.query_params.get("action"):
            events = events.filter(action=request.query_params["action"])
        page = self.paginate_queryset(events)
        with transaction.atomic():
            # Reading the log is itself on the record.
            audit_record(actor=request.user, action="audit.search",
                         detail={"person": person_id, "action": request.query_params.get("action")})
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
