from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from zicht.core.typing import actor_of

from . import services
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
    actions = ["unlock_login", "reset_two_factor", "revoke_api_tokens"]

    @admin.action(description=_("Unlock the login (forget failed attempts)"),
                  permissions=["change"])
    def unlock_login(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            services.login_unlock(actor=actor_of(request), username=user.username)
        self.message_user(request, ngettext("Unlocked %(count)d login.",
                                            "Unlocked %(count)d logins.", len(queryset))
                          % {"count": len(queryset)}, messages.SUCCESS)

    @admin.action(description=_("Reset two-factor login (lost phone)"), permissions=["change"])
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            services.two_factor_reset(actor=actor_of(request), user=user)
        self.message_user(request, _("The next login of these users sets up a new "
                                     "authenticator."), messages.SUCCESS)

    @admin.action(description=_("Revoke all API tokens"), permissions=["change"])
    def revoke_api_tokens(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        count = sum(services.token_revoke(actor=actor_of(request), user=user)
                    for user in queryset)
        self.message_user(request, ngettext("Revoked %(count)d API token.",
                                            "Revoked %(count)d API tokens.", count)
                          % {"count": count}, messages.SUCCESS)
