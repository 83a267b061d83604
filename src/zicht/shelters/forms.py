"""HTML forms for shelters. They parse input; the services decide what is valid."""

from __future__ import annotations

from django import forms as djforms
from django.utils.translation import gettext_lazy as _

from zicht.registry.forms import DATE_HINT, AccessibleForm

from .codes import EndReason, SafetyLevel


class CapacityForm(AccessibleForm):
    capacity = djforms.IntegerField(
        label=_("Capacity (places)"),
        help_text=_("All places at this location, taken or free. Not below the places taken now."),
    )


class SafetyNeedForm(AccessibleForm):
    safety = djforms.ChoiceField(
        label=_("Safety need"), choices=SafetyLevel.choices, required=False,
        help_text=_("A person who needs a secret address is matched only with shelters that "
                    "have one."),
    )

    def chosen_safety(self) -> str:
        if self.is_valid() and self.cleaned_data.get("safety"):
            return str(self.cleaned_data["safety"])
        return SafetyLevel.NORMAL


class PlaceForm(AccessibleForm):
    shelter = djforms.IntegerField(widget=djforms.HiddenInput)
    safety_need = djforms.ChoiceField(choices=SafetyLevel.choices, widget=djforms.HiddenInput)
    started_on = djforms.DateField(label=_("Start date"), required=False, help_text=DATE_HINT)


class EndPlacementForm(AccessibleForm):
    end_reason = djforms.ChoiceField(label=_("Reason for ending"),
                                     choices=[("", "—"), *EndReason.choices])
    ended_on = djforms.DateField(label=_("End date"), required=False,
                                 help_text=_("Empty: today."))
