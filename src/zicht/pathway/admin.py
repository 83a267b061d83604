"""Read-only admin: pathway data changes through the services (audited), never here."""

from django.contrib import admin

from .models import Deadline, RedressClaim, Referral


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ["id", "from_organisation", "to_organisation", "country", "purpose",
                    "urgency", "status", "proposed_at", "escalated_at"]
    list_filter = ["status", "purpose", "urgency"]
    exclude = ["note_ciphertext"]


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "responsible_organisation", "starts_on", "due_on", "closed_on"]
    list_filter = ["kind"]


@admin.register(RedressClaim)
class RedressClaimAdmin(ReadOnlyAdmin):
    list_display = ["id", "route", "amount_claimed", "amount_awarded", "outcome", "filed_on"]
    list_filter = ["route", "outcome"]
