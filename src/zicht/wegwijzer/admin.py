"""Admin: the directory (with CSV/Excel import and export) and the versioned routing rules.

A rule set is edited as a draft; publishing checks it and retires the version
before it. Published and retired versions are read-only.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from zicht.audit.services import audit_record
from zicht.core.exceptions import ApplicationError, NotFound
from zicht.organisations.models import User

from . import directory_io, services
from .models import DirectoryEntry, Municipality, Option, Question, Rule, RuleSet


def _user(request: HttpRequest) -> User:
    # The admin only lets logged-in staff in.
    assert isinstance(request.user, User)
    return request.user


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "province"]
    list_filter = ["province"]
    search_fields = ["name", "code"]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or Excel file (.csv, .xlsx)"))


@admin.register(DirectoryEntry)
class DirectoryEntryAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "scope", "region", "phone", "anonymous", "active"]
    list_filter = ["kind", "scope", "region", "anonymous", "active"]
    search_fields = ["name", "key", "phone", "website"]
    readonly_fields = ["updated_at"]
    actions = ["export_csv"]
    change_list_template = "admin/wegwijzer/directoryentry/change_list.html"

    def get_urls(self) -> list[Any]:
        return [path("import/", self.admin_site.admin_view(self.import_view),
                     name="wegwijzer_directoryentry_import"), *super().get_urls()]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            return HttpResponseRedirect(reverse("admin:index"))
        errors: list[str] = []
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                rows = directory_io.parse_rows(
                    directory_io.read_table(upload.name, upload.read()))
                result = services.directory_import(actor=_user(request), rows=rows)
            except directory_io.DirectoryFileError as error:
                errors = [str(e) for e in error.errors]
            else:
                self.message_user(request, _("Imported: %(created)d new, %(updated)d updated.")
                                  % {"created": result.created, "updated": result.updated},
                                  messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:wegwijzer_directoryentry_changelist"))
        return render(request, "admin/wegwijzer/directoryentry/import.html", {
            **self.admin_site.each_context(request), "form": form, "errors": errors,
            "title": _("Import directory entries"), "opts": self.model._meta,
            "columns": directory_io.COLUMNS,
        })

    @admin.action(description=_("Export selected entries as CSV (the import layout)"))
    def export_csv(self, request: HttpRequest, queryset: Any) -> HttpResponse:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(directory_io.COLUMNS))
        writer.writeheader()
        writer.writerows(directory_io.export_rows(queryset))
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="directory.csv"'
        return response

    def save_model(self, request: HttpRequest, obj: DirectoryEntry, form: Any,
                   change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_record(actor=request.user, action="directory.update" if change
                         else "directory.create", obj=obj)

    def delete_model(self, request: HttpRequest, obj: DirectoryEntry) -> None:
        with transaction.atomic():
            audit_record(actor=request.user, action="directory.delete", obj=obj)
            super().delete_model(request, obj)


class _DraftOnlyInline(admin.StackedInline):
    extra = 0

    def _editable(self, obj: Any) -> bool:
        ruleset = obj if isinstance(obj, RuleSet) else getattr(obj, "ruleset", None)
        return ruleset is None or ruleset.editable

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)


class QuestionInline(_DraftOnlyInline):
    model = Question
    fields = ["position", "key", "kind", "text", "help", "ask_if"]
    show_change_link = True


class RuleInline(_DraftOnlyInline):
    model = Rule
    fields = ["position", "key", "when", "entries", "regional", "urgent", "reason"]


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ["version", "status", "published_at", "note"]
    list_filter = ["status"]
    inlines = [QuestionInline, RuleInline]
    actions = ["copy_as_draft", "publish"]
    readonly_fields = ["status", "published_at", "published_by", "created_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is not None and not obj.editable:
            return [*self.readonly_fields, "version", "note"]
        return list(self.readonly_fields)

    def save_model(self, request: HttpRequest, obj: RuleSet, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_record(actor=request.user, action="ruleset.update" if change
                         else "ruleset.create", obj=obj, detail={"version": obj.version})

    @admin.action(description=_("Copy as a new draft"))
    def copy_as_draft(self, request: HttpRequest, queryset: Any) -> None:
        for ruleset in queryset:
            draft = services.ruleset_copy(actor=_user(request), ruleset_id=ruleset.pk)
            self.message_user(request, _("Draft version %(version)d made.")
                              % {"version": draft.version}, messages.SUCCESS)

    @admin.action(description=_("Publish (checks the rules first)"))
    def publish(self, request: HttpRequest, queryset: Any) -> None:
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one draft to publish."), messages.ERROR)
            return
        try:
            ruleset = services.ruleset_publish(actor=_user(request),
                                               ruleset_id=queryset.get().pk)
        except (ApplicationError, NotFound) as error:
            self.message_user(request, str(error.message), messages.ERROR)
        else:
            self.message_user(request, _("Version %(version)d is now published.")
                              % {"version": ruleset.version}, messages.SUCCESS)


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0
    fields = ["position", "key", "label", "forms"]

    def _editable(self, obj: Any) -> bool:
        return obj is None or obj.ruleset.editable

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["key", "ruleset", "position", "kind"]
    list_filter = ["ruleset"]
    inlines = [OptionInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and not obj.ruleset.editable:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and not obj.ruleset.editable:
            return False
        return super().has_delete_permission(request, obj)
