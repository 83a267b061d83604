"""HTML forms of the pathway pages. They parse input; the services decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms as djforms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zicht.organisations.models import Organisation
from zicht.registry.forms import DATE_HINT, AccessibleForm

from .codes import (
    CaseStatus,
    ReferralChannel,
    ReferralPurpose,
    StageKind,
    Urgency,
    VictimStatus,
)
from .models import Stage


def _date_field(label: Any, *, required: bool = False) -> djforms.DateField:
    return djforms.DateField(
        label=label, required=required, help_text=DATE_HINT,
        error_messages={"invalid": DATE_HINT, "required": DATE_HINT},
        widget=djforms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class ReferralForm(AccessibleForm):
    to_organisation = djforms.ModelChoiceField(
        label=_("Refer to"), queryset=Organisation.objects.none(), required=False,
        empty_label=_("Choose an organisation"),
        help_text=_("They see the person once they accept, as far as the person's consent "
                    "allows."),
        error_messages={"invalid_choice": _("Choose an organisation from the list.")},
    )
    purpose = djforms.ChoiceField(
        label=_("Purpose"), choices=[("", _("Choose a purpose")), *ReferralPurpose.choices],
        error_messages={"required": _("Choose what the referral is for.")},
    )
    urgency = djforms.ChoiceField(label=_("Urgency"), choices=Urgency.choices,
                                  initial=Urgency.NORMAL, widget=djforms.RadioSelect)
    note = djforms.CharField(
        label=_("Note for the receiver"), required=False, max_length=4000,
        help_text=_("What they need to know to decide. Stored encrypted."),
        widget=djforms.Textarea(attrs={"rows": 3}),
    )
    country = djforms.CharField(
        label=_("Country"), required=False, max_length=2,
        help_text=_("Two-letter country code (ISO 3166-1), e.g. RO."),
    )
    foreign_organisation = djforms.CharField(label=_("Organisation abroad"), required=False,
                                             max_length=200)
    channel = djforms.ChoiceField(label=_("Channel"), required=False,
                                  choices=[("", _("Choose a channel")), *ReferralChannel.choices])

    def __init__(self, *args: Any, own_organisation_id: int | None, **kwargs: Any):
        kwargs.setdefault("prefix", "referral")
        super().__init__(*args, **kwargs)
        field = self.fields["to_organisation"]
        assert isinstance(field, djforms.ModelChoiceField)
        organisations = Organisation.objects.order_by("name")
        if own_organisation_id is not None:
            organisations = organisations.exclude(pk=own_organisation_id)
        field.queryset = organisations


class AnswerForm(AccessibleForm):
    decision = djforms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline")),
                                            ("withdraw", _("Withdraw"))])
    reason = djforms.CharField(label=_("Reason"), required=False, max_length=2000)


class StageStartForm(AccessibleForm):
    kind = djforms.ChoiceField(label=_("Stage"),
                               choices=[("", _("Choose a stage")), *StageKind.choices],
                               error_messages={"required": _("Choose the stage to start.")})
    started_on = _date_field(_("Started on"))
    responsible_organisation = djforms.ModelChoiceField(
        label=_("Responsible organisation"), queryset=Organisation.objects.order_by("name"),
        required=False, empty_label=_("Your organisation"),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("prefix", "start")
        super().__init__(*args, **kwargs)
        self.fields["started_on"].initial = timezone.localdate()


class StageChoiceField(djforms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_kind_display())


class StageEndForm(AccessibleForm):
    stage = StageChoiceField(
        label=_("Stage to end"), queryset=Stage.objects.none(),
        empty_label=_("Choose an open stage"),
        error_messages={"required": _("Choose the stage to end."),
                        "invalid_choice": _("Choose an open stage from the list.")},
    )
    ended_on = _date_field(_("Ended on"))
    reason = djforms.CharField(label=_("Reason"), required=False, max_length=2000)

    def __init__(self, *args: Any, open_stages: Any = None, **kwargs: Any):
        kwargs.setdefault("prefix", "end")
        super().__init__(*args, **kwargs)
        field = self.fields["stage"]
        assert isinstance(field, djforms.ModelChoiceField)
        field.queryset = open_stages if open_stages is not None else Stage.objects.none()
        self.fields["ended_on"].initial = timezone.localdate()


class VictimStatusForm(AccessibleForm):
    status = djforms.ChoiceField(label=_("Victim status"), choices=VictimStatus.choices,
                                 widget=djforms.RadioSelect)
    decided_on = _date_field(_("Decided on"))
    reason = djforms.CharField(label=_("Reason"), max_length=2000,
                               widget=djforms.Textarea(attrs={"rows": 2}),
                               error_messages={"required": _("Give the reason for the decision.")})

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("prefix", "victim")
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()


class CaseStatusForm(AccessibleForm):
    status = djforms.ChoiceField(label=_("Case status"), choices=CaseStatus.choices)
    closing_reason = djforms.CharField(
        label=_("Reason for closing"), required=False, max_length=2000,
        help_text=_("Needed when the case is closed."),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("prefix", "case")
        super().__init__(*args, **kwargs)
