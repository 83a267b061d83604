"""HTML forms of the programme monitor. They parse input; the services decide what is valid."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms as djforms
from django.utils.translation import gettext_lazy as _

from zicht.registry.codes import Form
from zicht.registry.forms import DATE_HINT, AccessibleForm, split_codes

from .codes import (
    GENERAL_FORM,
    ActionStatus,
    Availability,
    Channel,
    ExpertiseArea,
    IndicatorKind,
    TargetGroup,
)
from .models import Action, Indicator, ProgressReport

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

KIND_HINTS: dict[str, StrOrPromise] = {
    IndicatorKind.INTEGER: _("A whole number, e.g. 12."),
    IndicatorKind.DECIMAL: _("A number, e.g. 3.5."),
    IndicatorKind.PERCENTAGE: _("A percentage from 0 to 100, e.g. 75."),
    IndicatorKind.TEXT: _("A short text."),
}


class ProgressReportForm(AccessibleForm):
    """Status, a short text, and for every indicator of the action a value and its source."""

    status = djforms.ChoiceField(label=_("Status"), choices=ActionStatus.choices,
                                 widget=djforms.RadioSelect)
    text = djforms.CharField(
        label=_("Progress in this half year"), required=False, max_length=2000,
        widget=djforms.Textarea(attrs={"rows": 6}),
        help_text=_("What was done, what is next, and what stands in the way. At most 2000 "
                    "characters. No personal data."))

    def __init__(self, *args: Any, action: Action, report: ProgressReport | None = None,
                 **kwargs: Any):
        self.indicators: list[Indicator] = list(action.indicators.all())
        initial = kwargs.pop("initial", {}) or {}
        if report is not None:
            initial.update({"status": report.status, "text": report.text})
            for value in report.values.select_related("indicator"):
                shown = value.value
                initial[f"value_{value.indicator.code}"] = "" if shown is None else str(shown)
                initial[f"source_{value.indicator.code}"] = value.source
        else:
            initial.setdefault("status", action.status)
        super().__init__(*args, initial=initial, **kwargs)
        for indicator in self.indicators:
            unit = f" ({indicator.unit})" if indicator.unit else ""
            self.fields[f"value_{indicator.code}"] = djforms.CharField(
                label=f"{indicator.name}{unit}", required=False, max_length=1000,
                help_text=KIND_HINTS.get(indicator.kind, ""),
                widget=djforms.TextInput(attrs={
                    "class": "utrecht-textbox utrecht-textbox--html-input",
                    "inputmode": "text" if indicator.kind == IndicatorKind.TEXT else "decimal"}))
            self.fields[f"source_{indicator.code}"] = djforms.CharField(
                label=_("Source for “%(name)s”") % {"name": indicator.name}, required=False,
                max_length=300, help_text=_("Where the figure comes from, e.g. a registration "
                                            "system or an attendance list."),
                widget=djforms.TextInput(attrs={"class": "utrecht-textbox utrecht-textbox--html-input"}))

    def indicator_fields(self) -> list[tuple[Indicator, Any, Any]]:
        return [(i, self[f"value_{i.code}"], self[f"source_{i.code}"]) for i in self.indicators]

    def values(self) -> list[dict[str, Any]]:
        """Indicator values the holder filled in; an empty pair is left out."""
        data = self.cleaned_data
        given = []
        for indicator in self.indicators:
            value = data.get(f"value_{indicator.code}", "")
            source = data.get(f"source_{indicator.code}", "")
            if value or source:
                given.append({"indicator": indicator.code, "value": value, "source": source})
        return given

    def field_for(self, service_field: str | None) -> str | None:
        """The form field behind a service's `indicator_values[i].value` or `.source`."""
        if not service_field or not service_field.startswith("indicator_values["):
            return service_field
        index = int(service_field.split("[", 1)[1].split("]", 1)[0])
        part = service_field.rsplit(".", 1)[-1]
        code = self.values()[index]["indicator"]
        return f"{'source' if part == 'source' else 'value'}_{code}"


class MilestoneForm(AccessibleForm):
    title = djforms.CharField(label=_("Milestone"), max_length=300)
    due_on = djforms.DateField(label=_("Due"), help_text=DATE_HINT,
                               widget=djforms.DateInput(attrs={"type": "date"}))


class CampaignFilterForm(AccessibleForm):
    year = djforms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    target_group = djforms.ChoiceField(label=_("Target group"), required=False,
                                       choices=[("", _("All")), *TargetGroup.choices])
    form = djforms.ChoiceField(label=_("Form of exploitation"), required=False,
                               choices=[("", _("All")), (GENERAL_FORM, _("Trafficking in general")),
                                        *Form.choices])
    channel = djforms.ChoiceField(label=_("Channel"), required=False,
                                  choices=[("", _("All")), *Channel.choices])
    language = djforms.CharField(label=_("Language"), required=False, max_length=3,
                                 help_text=_("ISO 639-1 code, e.g. pl."))
    organisation = djforms.CharField(label=_("Organisation"), required=False, max_length=200)
    measured = djforms.ChoiceField(label=_("Effect measured"), required=False, choices=[
        ("", _("All")), ("yes", _("Measured")), ("no", _("Not measured"))])

    def __init__(self, *args: Any, years: list[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        year = self.fields["year"]
        assert isinstance(year, djforms.TypedChoiceField)
        year.choices = [("", _("All")), *[(y, str(y)) for y in years]]

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        measured = data.get("measured")
        return {
            "year": data.get("year"),
            "target_group": data.get("target_group", ""),
            "form": data.get("form", ""),
            "channel": data.get("channel", ""),
            "language": (data.get("language") or "").lower(),
            "organisation": data.get("organisation", ""),
            "measured": None if not measured else measured == "yes",
        }


class ExpertFilterForm(AccessibleForm):
    expertise = djforms.ChoiceField(label=_("Expertise"), required=False,
                                    choices=[("", _("All")), *ExpertiseArea.choices])
    language = djforms.CharField(label=_("Language"), required=False, max_length=3,
                                 help_text=_("ISO 639-1 code, e.g. ro."))
    availability = djforms.ChoiceField(label=_("Availability"), required=False,
                                       choices=[("", _("All")), *Availability.choices])

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        return {"expertise": data.get("expertise", ""),
                "language": (data.get("language") or "").lower(),
                "availability": data.get("availability", "")}


class AssignmentRequestForm(AccessibleForm):
    title = djforms.CharField(label=_("What is the expert asked to do?"), max_length=200)
    description = djforms.CharField(
        label=_("Description"), required=False, max_length=4000,
        widget=djforms.Textarea(attrs={"rows": 4}),
        help_text=_("The task, the audience and the time it takes. No personal data."))
    expertise_needed = djforms.MultipleChoiceField(
        label=_("Expertise needed"), required=False, choices=ExpertiseArea.choices,
        widget=djforms.CheckboxSelectMultiple)
    languages_needed = djforms.CharField(label=_("Languages"), required=False, max_length=100,
                                         help_text=_("ISO 639-1 codes, e.g. nl, en."))
    starts_on = djforms.DateField(label=_("Start"), help_text=DATE_HINT,
                                  widget=djforms.DateInput(attrs={"type": "date"}))
    ends_on = djforms.DateField(label=_("End"), required=False, help_text=DATE_HINT,
                                widget=djforms.DateInput(attrs={"type": "date"}))

    def request_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["languages_needed"] = split_codes(data.get("languages_needed", ""))
        return data
