from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality", "must_register"]
    list_filter = ["kind", "must_register"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "organisation", "role", "is_active"]
    list_filter = ["role", "organisation__kind"]
    fieldsets = (*BaseUserAdmin.fieldsets, ("zicht", {"fields": ("organisation", "role")}))  # type: ignore[misc]
