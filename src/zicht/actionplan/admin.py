"""The admin shows the plan, campaigns and regions read-only: writes go through the services,
which check the rules and write the audit log. Experts by experience are not in the admin at
all: their data is read only through `access.access_expert`, audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from .models import Action, ActionLine, Campaign, Milestone, ProgressReport, Region, ReportingPeriod


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(ActionLine)
class ActionLineAdmin(ReadOnlyAdmin):
    list_display = ["number", "title"]


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "status", "starts_on", "ends_on"]
    list_filter = ["line", "status"]
    search_fields = ["number", "title"]


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyAdmin):
    list_display = ["action", "title", "due_on", "reached_on"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ReadOnlyAdmin):
    list_display = ["code", "reporting_due_on", "closed_at"]


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ["action", "period", "status", "organisation", "submitted_at"]
    list_filter = ["period", "status"]


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["title", "organisation_name", "starts_on", "reach"]
    search_fields = ["title", "organisation_name"]


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "code", "coordinating_municipality"]
    list_filter = ["kind"]
