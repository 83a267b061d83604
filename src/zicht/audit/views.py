"""The audit log in the browser: who saw or changed a person's data, and when."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from zicht.core.exceptions import NotFound
from zicht.organisations.models import Organisation
from zicht.registry.forms import AccessibleForm, person_number_field

from .models import AuditEvent
from .selectors import access_audit_log, audit_events_for
from .services import audit_record

PAGE_SIZE = 50

# The actions that concern a person, in words an auditor reads at a glance.
PERSON_ACTIONS = {
    "person.read": _("Opened the person"),
    "person.list": _("Saw the person in a list"),
    "person.create": _("Registered the person"),
    "person.update": _("Changed the person"),
    "person.delete": _("Deleted the person"),
    "person.share": _("Shared the person"),
    "signal.create": _("Reported a signal"),
    "signal.read": _("Opened a signal"),
    "signal.list": _("Saw signals in a list"),
    "signal.update": _("Changed a signal"),
    "signal.delete": _("Deleted a signal"),
    "consent.create": _("Recorded consent"),
    "consent.read": _("Opened a consent statement"),
}


@dataclass(frozen=True)
class EventRow:
    event: AuditEvent
    organisation: str
    action_label: str


class AuditSearchForm(AccessibleForm):
    person = person_number_field()
    action = forms.ChoiceField(
        label=_("Action"), required=False,
        choices=[("", _("All actions")), *PERSON_ACTIONS.items()],
    )

    def clean_person(self) -> int:
        return int(self.cleaned_data["person"])


@login_required
@never_cache
def search(request: HttpRequest) -> HttpResponse:
    try:
        access_audit_log(request.user)
    except NotFound:
        raise Http404() from None
    form = AuditSearchForm(request.GET or None)
    context: dict = {"form": form, "page": None}
    if form.is_bound and form.is_valid():
        person_id = form.cleaned_data["person"]
        action = form.cleaned_data["action"]
        events = audit_events_for(request.user, person_id=person_id)
        if action:
            events = events.filter(action=action)
        page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
        with transaction.atomic():
            # Reading the log is itself on the record.
            audit_record(actor=request.user, action="audit.search",
                         detail={"person": person_id, "action": action or None})
        events_shown = list(page.object_list)
        organisations = Organisation.objects.in_bulk(
            {e.organisation_id for e in events_shown if e.organisation_id})
        context.update(page=page, person_id=person_id, rows=[
            EventRow(event,
                     organisations[event.organisation_id].name
                     if event.organisation_id in organisations else "",
                     str(PERSON_ACTIONS.get(event.action, event.action)))
            for event in events_shown
        ])
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "audit/search.html", context, status=status)
