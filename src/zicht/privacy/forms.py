"""Forms of the privacy pages: find a person, erase, restrict, lift."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zicht.registry.forms import AccessibleForm, person_number_field

from .codes import ERASURE_GROUNDS, RESTRICTION_GROUNDS, LegalGround
from .services import MAX_REFERENCE


class FindPersonForm(AccessibleForm):
    person = person_number_field()


class LiftForm(AccessibleForm):
    reference = forms.CharField(
        label=_("Request reference"), required=False, max_length=MAX_REFERENCE,
        help_text=_("Your case number for the request. Never a name."))


class RestrictForm(LiftForm):
    legal_ground = forms.ChoiceField(
        label=_("Legal ground"),
        choices=[(g, LegalGround(g).label) for g in RESTRICTION_GROUNDS],
        error_messages={"required": _("Choose the legal ground of the request.")})


class EraseForm(LiftForm):
    legal_ground = forms.ChoiceField(
        label=_("Legal ground"),
        choices=[(g, LegalGround(g).label) for g in ERASURE_GROUNDS],
        error_messages={"required": _("Choose the legal ground of the request.")})
    confirm = forms.BooleanField(
        label=_("I understand that erasure is final and cannot be undone."),
        error_messages={"required": _("Confirm that you understand erasure is final.")})
