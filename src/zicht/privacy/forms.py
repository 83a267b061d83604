"""Forms of the privacy pages: find a person, erase, restrict, lift."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zicht.registry.forms import AccessibleForm

from .codes import ERASURE_GROUNDS, RESTRICTION_GROUNDS, LegalGround
from .services import MAX_REFERENCE


class FindPersonForm(AccessibleForm):
    person = forms.IntegerField(
        label=_("Person number"), min_value=1,
        help_text=_("The number after P- in the person's reference, e.g. 123 for P-123."),
        error_messages={"required": _("Give the number of the person, e.g. 123."),
                        "invalid": _("Give the number only, without P-, e.g. 123."),
                        "min_value": _("Give the number only, without P-, e.g. 123.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


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
