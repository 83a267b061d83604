"""Forms of the public pages. They parse input; the services decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms as djforms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from zicht.registry.forms import AccessibleForm

from .models import EntryKind, Happened, Reporter, SignalStatus
from .screening import FORM_LABELS, INDICATOR_PLAIN
from .selectors import find_municipality

HONEYPOT_FIELD = "website"


class HoneypotMixin(djforms.Form):
    """A field people never see; a program that fills every field fills it too."""

    website = djforms.CharField(label=_("Leave this field empty"), required=False,
                                max_length=200,
                                widget=djforms.TextInput(attrs={"autocomplete": "off",
                                                                "tabindex": "-1"}))

    def honeypot_filled(self) -> bool:
        return bool((self.data.get(HONEYPOT_FIELD) or "").strip())


class MunicipalityField(djforms.CharField):
    """A municipality by name or CBS code; the cleaned value is the code."""

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        if not value:
            return ""
        municipality = find_municipality(value)
        if municipality is None:
            raise djforms.ValidationError(
                _("We do not know the municipality '%(name)s'. Check the spelling, "
                  "or leave it empty."), params={"name": value})
        return municipality.code


class AnonymousSignalForm(HoneypotMixin, AccessibleForm):
    reporter = djforms.ChoiceField(
        label=_("Who are you?"), choices=Reporter.choices, widget=djforms.RadioSelect,
        error_messages={"required": _("Choose who you are.")})
    narrative = djforms.CharField(
        label=_("What is happening?"), max_length=5000,
        help_text=_("Write what you saw or heard. Do not write your own name."),
        widget=djforms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write in a few words what is happening.")})
    forms = djforms.MultipleChoiceField(
        label=_("What kind of exploitation could it be?"), required=False,
        choices=list(FORM_LABELS.items()), widget=djforms.CheckboxSelectMultiple)
    indicators = djforms.MultipleChoiceField(
        label=_("What did you notice?"), required=False,
        choices=list(INDICATOR_PLAIN.items()), widget=djforms.CheckboxSelectMultiple)
    municipality = MunicipalityField(
        label=_("Municipality"), required=False, max_length=100,
        help_text=_("Where is it happening? For example: Utrecht."),
        widget=djforms.TextInput(attrs={"list": "municipalities", "autocomplete": "off"}))
    happened = djforms.ChoiceField(
        label=_("When did it happen?"), choices=Happened.choices, initial=Happened.UNKNOWN,
        widget=djforms.RadioSelect)
    contact = djforms.CharField(
        label=_("How can we reach you?"), required=False, max_length=300,
        help_text=_("Only if you want to. A phone number or e-mail address. "
                    "Leave it empty to stay anonymous."),
        widget=djforms.TextInput(attrs={"autocomplete": "off"}))

    field_order = ["reporter", "narrative", "forms", "indicators", "municipality", "happened",
                   "contact", "website"]


class ReceiptAddForm(HoneypotMixin, AccessibleForm):
    receipt_code = djforms.CharField(
        label=_("Your code"), max_length=40,
        help_text=_("The code you got when you sent your signal, e.g. ABCD-EFGH-JKMN-PQRS."),
        widget=djforms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Give the code you got.")})
    text = djforms.CharField(
        label=_("What do you want to add?"), max_length=5000,
        widget=djforms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write what you want to add.")})

    field_order = ["receipt_code", "text", "website"]


def _language_choices() -> list[tuple[str, str]]:
    from django.utils.translation import get_language_info

    return [(code, get_language_info(code)["name_local"]) for code, _ in settings.LANGUAGES]


class DirectorySearchForm(AccessibleForm):
    municipality = MunicipalityField(
        label=_("Municipality"), required=False, max_length=100,
        help_text=_("Name or code, for example Rotterdam."),
        widget=djforms.TextInput(attrs={"list": "municipalities", "autocomplete": "off"}))
    form = djforms.ChoiceField(
        label=_("Kind of exploitation"), required=False,
        choices=[("", _("All kinds")), *FORM_LABELS.items()])
    language = djforms.ChoiceField(label=_("Language"), required=False, choices=())
    kind = djforms.ChoiceField(
        label=_("Type"), required=False,
        choices=[("", _("Desks and knowledge centres")),
                 (EntryKind.REPORTING_DESK, _("Reporting desks")),
                 (EntryKind.KNOWLEDGE_CENTRE, _("Knowledge centres"))])

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        language = self.fields["language"]
        assert isinstance(language, djforms.ChoiceField)
        language.choices = [("", _("All languages")), *_language_choices()]


class StatusForm(AccessibleForm):
    status = djforms.ChoiceField(label=_("Status"), choices=SignalStatus.choices)
