"""The figures API: published tables, chain figures (deliver, upload, read) and jobs.

Thin: parsing and the answer's shape here; rules in services, selectors and access.
"""

from __future__ import annotations

from datetime import MAXYEAR, MINYEAR, date
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from zicht.core.exceptions import ApplicationError, NotFound
from zicht.core.typing import AuthenticatedRequest
from zicht.organisations.models import Organisation
from zicht.registry.access import MAX_ID

from . import access, selectors, services
from .codes import JobKind
from .counting import year_bounds
from .jobs import EXPORT_FORMATS
from .models import ChainFigure, Job
from .tables import labels


def _int(value: Any, field: str, *, low: int = 0, high: int = MAX_ID) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ApplicationError("Give a whole number.", field=field) from None
    # Past BIGINT, or a year past the calendar: bad input, not a server error.
    if not low <= number <= high:
        raise ApplicationError(f"Give a whole number from {low} to {high}.", field=field)
    return number


def _year(value: Any) -> int:
    return _int(value, "year", low=MINYEAR, high=MAXYEAR)


def _date(value: Any, field: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ApplicationError("Give a date as YYYY-MM-DD.", field=field) from None


def published_json(published: services.Published) -> dict[str, Any]:
    table = published.table.table
    names = labels(table)
    return {
        "start": published.population.start.isoformat(),
        "end": published.population.end.isoformat(),
        "regions": sorted(published.population.regions) if published.population.regions
        is not None else None,
        "by": list(table.dims), "threshold": published.table.threshold,
        "rows": [*table.row_keys, "total"], "row_labels": [*names["rows"], "Total"],
        "columns": [*table.col_keys, "total"] if table.col_dim else ["persons"],
        "column_labels": [*names.get("cols", []), "Total"] if table.col_dim else ["Persons"],
        # null: suppressed; "status" says whether primary or secondary.
        "cells": published.table.shown_grid(), "status": published.table.status,
    }


class TableViewSet(viewsets.ViewSet):
    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[
        OpenApiParameter("year", int), OpenApiParameter("start", str),
        OpenApiParameter("end", str), OpenApiParameter("by", str, required=True),
        OpenApiParameter("regions", str)], responses={200: dict})
    def list(self, request: AuthenticatedRequest) -> Response:
        """One published (suppressed) table: `?year=2024&by=form,sex`."""
        access.require_figures(request.user)
        params = request.query_params
        if params.get("year"):
            start, end = year_bounds(_year(params["year"]))
        elif params.get("start") and params.get("end"):
            start, end = _date(params["start"], "start"), _date(params["end"], "end")
        else:
            raise ApplicationError("Give year, or start and end.", field="year")
        regions = params["regions"].split(",") if params.get("regions") else None
        published = services.table_publish(actor=request.user, start=start, end=end,
                                           by=params.get("by", ""), regions=regions)
        return Response(published_json(published))


class ChainFigureSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = ChainFigure
        fields = ["id", "organisation", "organisation_name", "year", "form", "measure",
                  "breakdown", "revision", "value", "source", "delivered_on", "reason",
                  "published_on", "published_in"]
        read_only_fields = fields


class ChainDeliverySerializer(serializers.Serializer):
    organisation = serializers.IntegerField()
    year = serializers.IntegerField()
    form = serializers.CharField()
    measure = serializers.CharField()
    value = serializers.IntegerField(min_value=0)
    # A declared field named like the Field attribute `source`; DRF moves it off the class.
    source = serializers.CharField()  # type: ignore[assignment]
    delivered_on = serializers.DateField(required=False)
    breakdown = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


def _organisation(actor: Any, pk: Any) -> Organisation:
    organisation = Organisation.objects.filter(pk=_int(pk, "organisation")).first()
    if organisation is None or not access.may_deliver_chain(actor, organisation):
        raise NotFound()
    return organisation


class ChainFigureViewSet(viewsets.ViewSet):
    """Every revision (`?year=`), a new delivery (POST) or a CSV/Excel upload."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: ChainFigureSerializer(many=True)})
    def list(self, request: AuthenticatedRequest) -> Response:
        access.require_figures(request.user)
        years = [_year(request.query_params["year"])] if request.query_params.get(
            "year") else None
        out = []
        for entry in selectors.chain_figures(actor=request.user, years=years):
            out.append({**ChainFigureSerializer(entry.current).data,
                        "corrected_after_publication": entry.corrected_after_publication,
                        "history": ChainFigureSerializer(entry.history, many=True).data})
        return Response(out)

    @extend_schema(request=ChainDeliverySerializer, responses={201: ChainFigureSerializer})
    def create(self, request: AuthenticatedRequest) -> Response:
        body = ChainDeliverySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        organisation = _organisation(request.user, data.pop("organisation"))
        figure = services.chain_figure_deliver(actor=request.user, organisation=organisation,
                                               **data)
        if figure is None:
            return Response({"detail": "unchanged"}, status=status.HTTP_200_OK)
        return Response(ChainFigureSerializer(figure).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": dict}, responses={200: dict})
    @action(detail=False, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def upload(self, request: AuthenticatedRequest) -> Response:
        # Form and multipart parsers only: the body is a QueryDict.
        assert isinstance(request.data, dict)
        organisation = _organisation(request.user, request.data.get("organisation"))
        upload = request.FILES.get("file")
        if upload is None:
            raise ApplicationError("Attach a CSV or Excel file.", field="file")
        assert upload.name is not None  # Django keeps only file parts that carry a name
        counts = services.chain_figures_upload(actor=request.user, organisation=organisation,
                                               content=upload.read(), filename=upload.name)
        return Response(counts)


class JobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    # "report" or "export"; plain text so that it does not collide with other "kind" enums.
    kind = serializers.CharField(read_only=True)

    class Meta:
        model = Job
        fields = ["id", "kind", "params", "state", "done", "total", "percent", "step",
                  "error", "created_at", "finished_at"]
        read_only_fields = fields


class JobRequestSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="report or export")
    years = serializers.ListField(child=serializers.IntegerField(min_value=1990), min_length=1,
                                  max_length=30)
    format = serializers.ChoiceField(choices=EXPORT_FORMATS, required=False)


class JobViewSet(viewsets.ViewSet):
    """Background reports and exports, with their progress."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: JobSerializer(many=True)})
    def list(self, request: AuthenticatedRequest) -> Response:
        access.require_figures(request.user)
        return Response(JobSerializer(Job.objects.all()[:50], many=True).data)

    @extend_schema(responses={200: JobSerializer},
                   parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)])
    def retrieve(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        access.require_figures(request.user)
        job = Job.objects.filter(pk=_int(pk, "id")).first()
        if job is None:
            raise NotFound()
        return Response(JobSerializer(job).data)

    @extend_schema(request=JobRequestSerializer, responses={202: JobSerializer})
    def create(self, request: AuthenticatedRequest) -> Response:
        body = JobRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if data["kind"] not in JobKind.values:
            raise ApplicationError("Choose report or export.", field="kind")
        params: dict[str, Any] = {"years": sorted(set(data["years"]))}
        if data["kind"] == JobKind.EXPORT:
            if not data.get("format"):
                raise ApplicationError("Choose an export format.", field="format")
            params["format"] = data["format"]
        job, new = services.job_request(actor=request.user, kind=data["kind"], params=params)
        if new:
            from .tasks import enqueue

            enqueue(job.pk)
            job.refresh_from_db()
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


ROUTES = [
    ("figures/tables", TableViewSet, "figures-table"),
    ("figures/chain", ChainFigureViewSet, "figures-chain"),
    ("figures/jobs", JobViewSet, "figures-job"),
]


def register(router: Any) -> None:
    for prefix, viewset, basename in ROUTES:
        router.register(prefix, viewset, basename=basename)
