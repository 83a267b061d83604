"""Shapes of API input and output. Types only; rules live in services and validation."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from zicht.registry.serializers import StrictSerializer

from . import matching
from .codes import EndReason, SafetyLevel, SexServed, ShelterKind
from .geography import municipality_name, region_label, region_of
from .models import Placement, Shelter
from .selectors import Board, PersonMatches, Tally


class ShelterInputSerializer(StrictSerializer):
    organisation = serializers.IntegerField(
        required=False, help_text="Defaults to your own organisation.")
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=ShelterKind.choices)
    sex_served = serializers.ChoiceField(
        choices=SexServed.choices, required=False,
        help_text="Defaults from the kind: OMM and men's shelters male, women's shelters female.")
    min_age = serializers.IntegerField(required=False, allow_null=True)
    max_age = serializers.IntegerField(required=False, allow_null=True,
                                       help_text="Empty: no upper limit (youth care: 17).")
    forms = serializers.ListField(
        child=serializers.CharField(max_length=32), required=False, max_length=9,
        help_text="Forms of exploitation served (as in signals); empty: every form.")
    languages = serializers.ListField(child=serializers.CharField(max_length=3), max_length=40,
                                      help_text="ISO 639-1 codes of the languages staff speak.")
    safety_level = serializers.ChoiceField(choices=SafetyLevel.choices, required=False)
    municipality = serializers.CharField(max_length=6, help_text="CBS code, e.g. GM0363.")
    capacity = serializers.IntegerField(help_text="Number of places.")


class ShelterUpdateSerializer(ShelterInputSerializer):
    organisation = None  # type: ignore[assignment]


class ShelterSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    municipality_name = serializers.SerializerMethodField()
    region = serializers.SerializerMethodField()
    region_name = serializers.SerializerMethodField()
    occupied = serializers.SerializerMethodField()
    free = serializers.SerializerMethodField()

    class Meta:
        model = Shelter
        fields = ["id", "name", "organisation", "organisation_name", "kind", "sex_served",
                  "min_age", "max_age", "forms", "languages", "safety_level", "municipality",
                  "municipality_name", "region", "region_name", "capacity", "occupied", "free",
                  "updated_at"]

    def _occupied(self, obj: Shelter) -> int:
        occupied = getattr(obj, "occupied", None)
        if occupied is None:
            occupied = obj.placements.filter(ended_on__isnull=True).count()
        return int(occupied)

    def get_municipality_name(self, obj: Shelter) -> str:
        return municipality_name(obj.municipality)

    def get_region(self, obj: Shelter) -> str:
        return region_of(obj.municipality)

    def get_region_name(self, obj: Shelter) -> str:
        return region_label(region_of(obj.municipality))

    def get_occupied(self, obj: Shelter) -> int:
        return self._occupied(obj)

    def get_free(self, obj: Shelter) -> int:
        return max(0, obj.capacity - self._occupied(obj))


class TallySerializer(serializers.Serializer):
    capacity = serializers.IntegerField()
    occupied = serializers.IntegerField()
    free = serializers.IntegerField()
    shelters = serializers.IntegerField()


class KindTallySerializer(TallySerializer):
    kind = serializers.CharField()
    name = serializers.CharField()


class RegionTallySerializer(TallySerializer):
    region = serializers.CharField(help_text="CBS province code (PV20–PV31) or 'other'.")
    name = serializers.CharField()


class CellSerializer(TallySerializer):
    kind = serializers.CharField()
    region = serializers.CharField()


class BoardSerializer(serializers.Serializer):
    generated_at = serializers.DateTimeField()
    total = TallySerializer()
    by_kind = KindTallySerializer(many=True)
    by_region = RegionTallySerializer(many=True)
    cells = CellSerializer(many=True)


def _tally(tally: Tally, **extra: Any) -> dict[str, Any]:
    return {"capacity": tally.capacity, "occupied": tally.occupied, "free": tally.free,
            "shelters": tally.shelters, **extra}


def board_data(board: Board) -> dict[str, Any]:
    return {
        "generated_at": board.generated_at,
        "total": _tally(board.total),
        "by_kind": [_tally(board.by_kind[kind], kind=kind, name=label)
                    for kind, label in board.kinds],
        "by_region": [_tally(board.by_region[region], region=region, name=label)
                      for region, label in board.regions],
        "cells": [_tally(tally, kind=kind, region=region)
                  for (kind, region), tally in sorted(board.cells.items())],
    }


class ReasonSerializer(serializers.Serializer):
    criterion = serializers.ChoiceField(choices=matching.CRITERIA)
    verdict = serializers.ChoiceField(choices=[matching.OK, matching.WARN, matching.FAIL])
    message = serializers.CharField()


class MatchSerializer(serializers.Serializer):
    shelter = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    municipality = serializers.CharField()
    capacity = serializers.IntegerField()
    free = serializers.IntegerField()
    fits = serializers.BooleanField()
    distance_km = serializers.FloatField(allow_null=True)
    reasons = ReasonSerializer(many=True)


class NeedSerializer(serializers.Serializer):
    sex = serializers.CharField()
    age = serializers.IntegerField(allow_null=True)
    minor = serializers.BooleanField(help_text="An uncertain age counts as a minor.")
    forms = serializers.ListField(child=serializers.CharField())
    languages = serializers.ListField(child=serializers.CharField())
    safety = serializers.CharField()
    municipality = serializers.CharField(allow_null=True,
                                         help_text="Of the latest signal: distances start here.")


class MatchesSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    current_placement = serializers.IntegerField(allow_null=True)
    need = NeedSerializer()
    matches = MatchSerializer(many=True)


def matches_data(result: PersonMatches) -> dict[str, Any]:
    need = result.need
    return {
        "person": result.person.pk,
        "current_placement": result.current.pk if result.current else None,
        "need": {"sex": need.sex, "age": need.age, "minor": need.minor,
                 "forms": list(need.forms), "languages": list(need.languages),
                 "safety": need.safety, "municipality": need.municipality},
        "matches": [{
            "shelter": m.offer.shelter_id, "name": m.offer.name, "kind": m.offer.kind,
            "municipality": m.offer.municipality, "capacity": m.offer.capacity,
            "free": m.offer.free, "fits": m.fits,
            "distance_km": round(m.distance_km, 1) if m.distance_km is not None else None,
            "reasons": [{"criterion": r.criterion, "verdict": r.verdict, "message": r.message}
                        for r in m.reasons],
        } for m in result.matches],
    }


class PlacementInputSerializer(StrictSerializer):
    person = serializers.IntegerField(min_value=1)
    shelter = serializers.IntegerField(min_value=1)
    started_on = serializers.DateField(required=False, help_text="Defaults to today.")
    safety_need = serializers.ChoiceField(choices=SafetyLevel.choices, required=False)


class PlacementEndSerializer(StrictSerializer):
    end_reason = serializers.ChoiceField(choices=EndReason.choices)
    ended_on = serializers.DateField(required=False, help_text="Defaults to today.")


class PlacementSerializer(serializers.ModelSerializer):
    shelter_name = serializers.CharField(source="shelter.name", read_only=True)
    kind = serializers.CharField(source="shelter.kind", read_only=True)
    placing_organisation = serializers.CharField(source="placing_organisation.name",
                                                 read_only=True)
    placed_by = serializers.SerializerMethodField()
    active = serializers.BooleanField(source="is_active", read_only=True)

    class Meta:
        model = Placement
        fields = ["id", "person", "shelter", "shelter_name", "kind", "started_on", "ended_on",
                  "end_reason", "safety_need", "active", "placing_organisation", "placed_by",
                  "created_at"]

    def get_placed_by(self, obj: Placement) -> str:
        return obj.placed_by.get_username() if obj.placed_by else ""
