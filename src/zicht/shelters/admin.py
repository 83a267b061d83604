"""Shelters, read-only: places change through the services, which check occupancy, lock
the shelter and write the audit log. Placements are person data and stay out of the
admin altogether (administrators see no person content)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Shelter


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Shelter)
class ShelterAdmin(ReadOnlyAdmin):
    list_display = ["name", "organisation", "kind", "municipality", "capacity", "safety_level"]
    list_filter = ["kind", "safety_level", "sex_served"]
    search_fields = ["name", "organisation__name"]
