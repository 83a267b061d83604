"""HTML forms of the registry. They parse input; the services decide what is valid."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django import forms as djforms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zicht.core.exceptions import ApplicationError
from zicht.organisations.models import Organisation

from .codes import ConsentState, Form, Indicator, Purpose, Scope, Sector, Sex, Source

DATE_HINT = _("Give the date as YYYY-MM-DD, for example 2025-03-01.")


# NL Design System (Utrecht) classes per widget; groups of choices are laid out
# by the template, each input gets the class of a single checkbox or radio.
_WIDGET_CLASSES: dict[type, str] = {
    djforms.TextInput: "utrecht-textbox utrecht-textbox--html-input",
    djforms.DateInput: "utrecht-textbox utrecht-textbox--html-input zicht-textbox--date",
    djforms.NumberInput: "utrecht-textbox utrecht-textbox--html-input zicht-textbox--short",
    djforms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
    djforms.Select: "utrecht-select utrecht-select--html-select",
    djforms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
    djforms.CheckboxSelectMultiple: "utrecht-checkbox utrecht-checkbox--html-input",
    djforms.RadioSelect: "utrecht-radio-button utrecht-radio-button--html-input",
}


@dataclass(frozen=True)
class SummaryError:
    anchor: str
    label: str
    message: str


def person_number_field() -> djforms.IntegerField:
    """The number of a person as people write it after P-, for search forms."""
    return djforms.IntegerField(
        label=_("Person number"), min_value=1,
        help_text=_("The number after P- in the person's reference, e.g. 123 for P-123."),
        error_messages={"required": _("Give the number of the person, e.g. 123."),
                        "invalid": _("Give the number only, without P-, e.g. 123."),
                        "min_value": _("Give the number only, without P-, e.g. 123.")},
        widget=djforms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class AccessibleForm(djforms.Form):
    """A form whose errors can be listed, and linked, in an error summary.

    The browser's own `required` check is off: it would stop the submit before
    our summary, which says how to fix each field, can be shown.
    """

    use_required_attribute = False

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = _WIDGET_CLASSES.get(type(field.widget))
            if css:
                field.widget.attrs["class"] = css

    def error_summary(self) -> list[SummaryError]:
        items = [SummaryError("", "", str(message)) for message in self.non_field_errors()]
        for name, field in self.fields.items():
            bound = self[name]
            for message in bound.errors:
                # A group of checkboxes or radios has no element with the field's id.
                anchor = f"{bound.auto_id}_0" if bound.use_fieldset else bound.auto_id
                items.append(SummaryError(anchor, str(field.label), str(message)))
        return items

    def add_application_error(self, error: ApplicationError) -> None:
        """Put a service's refusal on the field it names, or on the form as a whole."""
        field = error.field if error.field in self.fields else None
        self.add_error(field, str(error.message))


def split_codes(value: str) -> list[str]:
    """'RO, ua nl' -> ['RO', 'ua', 'nl']; the services check each code."""
    return [code for code in re.split(r"[\s,;]+", value or "") if code]


class WorklistFilterForm(AccessibleForm):
    given_names = djforms.CharField(label=_("Given names"), required=False, max_length=200)
    family_name = djforms.CharField(label=_("Family name"), required=False, max_length=200)
    birth_date = djforms.CharField(label=_("Birth date"), required=False, max_length=10)
    minor = djforms.ChoiceField(
        label=_("Minor"), required=False,
        choices=[("", _("All")), ("yes", _("Minors only")), ("no", _("Adults only"))],
    )

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        minor = data.get("minor")
        return {
            "given_names": data.get("given_names", ""),
            "family_name": data.get("family_name", ""),
            "birth_date": data.get("birth_date", ""),
            "minor": None if not minor else minor == "yes",
        }

    def is_filtered(self) -> bool:
        filters = self.filters()
        return bool(filters["given_names"] or filters["family_name"]) or (
            filters["minor"] is not None)


class SignalForm(AccessibleForm):
    """One form for a new signal, with the person's details when the person is new."""

    PERSON_FIELDS = ("given_names", "family_name", "birth_date", "sex", "citizenships",
                     "languages")
    CONSENT_FIELDS = ("consent_registration", "consent_care", "consent_police")

    given_names = djforms.CharField(label=_("Given names"), required=False, max_length=200,
                                  widget=djforms.TextInput(attrs={"autocomplete": "off"}))
    family_name = djforms.CharField(
        label=_("Family name"), required=False, max_length=200,
        help_text=_("Give a given name, a family name, or both."),
        widget=djforms.TextInput(attrs={"autocomplete": "off"}),
    )
    birth_date = djforms.CharField(
        label=_("Birth date"), required=False, max_length=10,
        help_text=_("YYYY-MM-DD, or only the year (YYYY) if that is all you know. "
                    "Leave empty if unknown: the person is then treated as a minor."),
        widget=djforms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    sex = djforms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    citizenships = djforms.CharField(
        label=_("Citizenships"), required=False, max_length=200,
        help_text=_("Two-letter country codes (ISO 3166-1), separated by commas, e.g. RO, UA."),
    )
    languages = djforms.CharField(
        label=_("Languages"), required=False, max_length=200,
        help_text=_("Two-letter language codes (ISO 639-1), separated by commas, e.g. ro, en."),
    )

    signalled_on = djforms.DateField(
        label=_("Date signalled"), help_text=DATE_HINT,
        error_messages={"required": _("Give the date of the signal, e.g. 2025-03-01."),
                        "invalid": DATE_HINT},
        widget=djforms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    forms = djforms.MultipleChoiceField(
        label=_("Forms of exploitation"), choices=Form.choices,
        widget=djforms.CheckboxSelectMultiple,
        help_text=_("Tick every form that may apply."),
        error_messages={"required": _("Tick at least one form of exploitation.")},
    )
    indicators = djforms.MultipleChoiceField(
        label=_("Indicators observed"), choices=Indicator.choices, required=False,
        widget=djforms.CheckboxSelectMultiple,
        help_text=_("The ILO's indicators of forced labour. Tick what you saw or heard."),
    )
    indicators_other = djforms.CharField(
        label=_("Other indicators"), required=False, max_length=1000,
        widget=djforms.Textarea(attrs={"rows": 2}),
    )
    sector = djforms.ChoiceField(
        label=_("Sector"), required=False,
        choices=[("", _("Unknown or not applicable")), *Sector.choices],
        help_text=_("Where the person worked, as an ISIC section."),
    )
    municipality = djforms.CharField(
        label=_("Municipality"), max_length=6,
        help_text=_("CBS municipality code where the exploitation took place, e.g. GM0363 "
                    "for Amsterdam."),
        error_messages={"required": _("Give a CBS municipality code, e.g. GM0363.")},
    )
    scope = djforms.ChoiceField(label=_("Domestic or cross-border"), choices=Scope.choices,
                              initial=Scope.UNKNOWN, widget=djforms.RadioSelect)
    source = djforms.ChoiceField(
        label=_("Source"), choices=[("", _("Choose a source")), *Source.choices],
        error_messages={"required": _("Choose where the signal came from.")},
    )
    narrative = djforms.CharField(
        label=_("What happened"), required=False, max_length=10_000,
        help_text=_("Facts only: what was seen or heard, by whom, when. Stored encrypted."),
        widget=djforms.Textarea(attrs={"rows": 5}),
    )

    consent_registration = djforms.BooleanField(
        label=_("Consents to registration with CoMensha (counted in national figures)"),
        required=False)
    consent_care = djforms.BooleanField(label=_("Consents to care coordination"), required=False)
    consent_police = djforms.BooleanField(label=_("Consents to sharing with the police"),
                                        required=False)

    def __init__(self, *args: Any, with_person: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.with_person = with_person
        if not with_person:
            for name in (*self.PERSON_FIELDS, *self.CONSENT_FIELDS):
                del self.fields[name]

    def clean_municipality(self) -> str:
        return self.cleaned_data["municipality"].strip().upper()

    def person_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "given_names": data["given_names"], "family_name": data["family_name"],
            "birth_date": data["birth_date"], "sex": data["sex"],
            "citizenships": split_codes(data["citizenships"]),
            "languages": split_codes(data["languages"]),
        }

    def signal_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in (
            "signalled_on", "forms", "indicators", "indicators_other", "sector",
            "municipality", "scope", "source", "narrative")}

    def consents_given(self) -> list[str]:
        if not self.with_person:
            return []
        return [purpose for purpose in Purpose.values if self.cleaned_data[f"consent_{purpose}"]]


class ConsentForm(AccessibleForm):
    purpose = djforms.ChoiceField(
        label=_("Purpose"), choices=[("", _("Choose a purpose")), *Purpose.choices],
        error_messages={"required": _("Choose the purpose this consent is for.")},
    )
    state = djforms.ChoiceField(
        label=_("Statement"), widget=djforms.RadioSelect,
        choices=[(c.value, c.label) for c in (ConsentState.GIVEN, ConsentState.REFUSED,
                                              ConsentState.WITHDRAWN)],
        error_messages={"required": _("Choose given, refused or withdrawn.")},
    )
    recorded_on = djforms.DateField(
        label=_("Date of the statement"), required=False, help_text=DATE_HINT,
        error_messages={"invalid": DATE_HINT},
        widget=djforms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("prefix", "consent")
        super().__init__(*args, **kwargs)
        self.fields["recorded_on"].initial = timezone.localdate()


class ShareForm(AccessibleForm):
    organisation = djforms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(),
        empty_label=_("Choose an organisation"),
        help_text=_("The organisation sees this person only if the person consented to it."),
        error_messages={"required": _("Choose the organisation to share with."),
                        "invalid_choice": _("Choose an organisation from the list.")},
    )

    def __init__(self, *args: Any, own_organisation_id: int | None, **kwargs: Any):
        kwargs.setdefault("prefix", "share")
        super().__init__(*args, **kwargs)
        organisation = self.fields["organisation"]
        assert isinstance(organisation, djforms.ModelChoiceField)
        others = Organisation.objects.all()
        if own_organisation_id is not None:
            others = others.exclude(pk=own_organisation_id)
        organisation.queryset = others
