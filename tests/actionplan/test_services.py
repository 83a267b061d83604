from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from tests.factories import UserFactory
from zicht.actionplan import selectors, services
from zicht.actionplan.codes import ActionStatus
from zicht.actionplan.models import (
    Action,
    IndicatorValue,
    Milestone,
    ProgressReport,
    ReminderSent,
)
from zicht.audit.models import AuditEvent
from zicht.core.exceptions import ApplicationError, ConflictError
from zicht.organisations.models import Role


def _values(**overrides):  # type: ignore[no-untyped-def]
    values = {"desks_active": 95, "share_trained": "62.5", "average_score": 7.4,
              "finding": "Versnipperd aanbod"}
    values.update(overrides)
    return [{"indicator": code, "value": value, "source": "Inventarisatie"}
            for code, value in values.items()]


def test_it_refuses_a_milestone_due_after_the_actions_planned_end(coordinator, action):
    with pytest.raises(ApplicationError) as refused:
        services.milestone_create(actor=coordinator, action_id=action.pk, title="Te laat",
                                  due_on=date(2026, 1, 15))
    assert refused.value.field == "due_on"
    assert not Milestone.objects.exists()


def test_it_refuses_to_move_the_planned_end_before_a_milestone(coordinator, action):
    services.milestone_create(actor=coordinator, action_id=action.pk, title="Rapport",
                              due_on=date(2025, 11, 1))
    with pytest.raises(ApplicationError) as refused:
        services.action_update(actor=coordinator, action_id=action.pk,
                               changes={"ends_on": date(2025, 10, 1)})
    assert refused.value.field == "ends_on"
    action.refresh_from_db()
    assert action.ends_on == date(2025, 12, 31)


def test_it_numbers_an_action_after_its_line(coordinator, line, holder_org):
    with pytest.raises(ApplicationError) as refused:
        services.action_create(actor=coordinator, line=line.pk, number="3.1", title="X",
                               holders=[holder_org.pk], starts_on=date(2025, 1, 1),
                               ends_on=date(2025, 12, 31))
    assert refused.value.field == "number"


def test_a_holder_reports_typed_indicator_values_with_their_source(holder, action, period):
    report = services.progress_report_create(
        actor=holder, action_id=action.pk, period="2025-H1", status=ActionStatus.ON_TRACK,
        text="Loopt.", indicator_values=_values())
    values = {v.indicator.code: v.value for v in report.values.select_related("indicator")}
    assert values == {"desks_active": 95, "share_trained": Decimal("62.5"),
                      "average_score": Decimal("7.4"), "finding": "Versnipperd aanbod"}
    assert all(v.source == "Inventarisatie" for v in report.values.all())
    assert report.organisation == holder.organisation


@pytest.mark.parametrize(("code", "value"), [
    ("desks_active", "veel"), ("desks_active", 12.5), ("desks_active", True),
    ("desks_active", -1), ("share_trained", 120), ("average_score", "zeven"),
    ("finding", 42), ("finding", ["a"]),
])
def test_a_value_of_the_wrong_type_names_its_field_and_writes_nothing(
        holder, action, period, code, value):
    given = _values(**{code: value})
    index = [v["indicator"] for v in given].index(code)
    with pytest.raises(ApplicationError) as refused:
        services.progress_report_create(actor=holder, action_id=action.pk, period="2025-H1",
                                        status=ActionStatus.ON_TRACK, indicator_values=given)
    assert refused.value.field == f"indicator_values[{index}].value"
    assert not ProgressReport.objects.exists()
    assert not IndicatorValue.objects.exists()


def test_an_indicator_value_needs_a_source(holder, action, period):
    given = [{"indicator": "desks_active", "value": 5, "source": " "}]
    with pytest.raises(ApplicationError) as refused:
        services.progress_report_create(actor=holder, action_id=action.pk, period="2025-H1",
                                        status=ActionStatus.ON_TRACK, indicator_values=given)
    assert refused.value.field == "indicator_values[0].source"


def test_it_refuses_a_report_for_a_closed_period(coordinator, holder, action, period):
    services.period_update(actor=coordinator, period_id=period.pk, changes={"closed": True})
    with pytest.raises(ConflictError) as refused:
        services.progress_report_create(actor=holder, action_id=action.pk, period="2025-H1",
                                        status=ActionStatus.DELAYED)
    assert refused.value.field == "period"
    assert not ProgressReport.objects.exists()
    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_STARTED


def test_a_closed_period_keeps_its_reports_unchanged(coordinator, holder, action, period):
    report = services.progress_report_create(actor=holder, action_id=action.pk,
                                             period="2025-H1", status=ActionStatus.ON_TRACK)
    services.period_update(actor=coordinator, period_id=period.pk, changes={"closed": True})
    with pytest.raises(ConflictError):
        services.progress_report_update(actor=holder, report_id=report.pk,
                                        changes={"status": ActionStatus.DELAYED})
    report.refresh_from_db()
    assert report.status == ActionStatus.ON_TRACK


def test_a_second_report_for_the_same_period_is_a_conflict(holder, action, period):
    services.progress_report_create(actor=holder, action_id=action.pk, period="2025-H1",
                                    status=ActionStatus.ON_TRACK)
    with pytest.raises(ConflictError):
        services.progress_report_create(actor=holder, action_id=action.pk, period="2025-H1",
                                        status=ActionStatus.DELAYED)


def test_the_action_takes_the_status_of_its_latest_report(
        holder, action, period, previous_period):
    services.progress_report_create(actor=holder, action_id=action.pk, period="2025-H1",
                                    status=ActionStatus.DELAYED)
    services.progress_report_create(actor=holder, action_id=action.pk, period="2024-H2",
                                    status=ActionStatus.ON_TRACK)
    action.refresh_from_db()
    assert action.status == ActionStatus.DELAYED


def test_only_holders_and_the_coordinator_report_progress(outsider, coordinator, action, period):
    with pytest.raises(PermissionDenied):
        services.progress_report_create(actor=outsider, action_id=action.pk, period="2025-H1",
                                        status=ActionStatus.ON_TRACK)
    services.progress_report_create(actor=coordinator, action_id=action.pk, period="2025-H1",
                                    status=ActionStatus.ON_TRACK)


def test_an_auditor_of_a_holder_organisation_does_not_report(holder_org, action, period):
    auditor = UserFactory(organisation=holder_org, role=Role.AUDITOR)
    with pytest.raises(PermissionDenied):
        services.progress_report_create(actor=auditor, action_id=action.pk, period="2025-H1",
                                        status=ActionStatus.ON_TRACK)


def test_only_managers_change_the_plan(holder, action):
    with pytest.raises(PermissionDenied):
        services.action_update(actor=holder, action_id=action.pk, changes={"title": "Anders"})
    with pytest.raises(PermissionDenied):
        services.milestone_create(actor=holder, action_id=action.pk, title="M",
                                  due_on=date(2025, 3, 1))


def test_a_holder_may_mark_its_milestone_reached_but_not_move_it(coordinator, holder, action):
    milestone = services.milestone_create(actor=coordinator, action_id=action.pk, title="M",
                                          due_on=date(2025, 3, 1))
    services.milestone_update(actor=holder, milestone_id=milestone.pk,
                              changes={"reached_on": date(2025, 3, 2)})
    with pytest.raises(PermissionDenied):
        services.milestone_update(actor=holder, milestone_id=milestone.pk,
                                  changes={"due_on": date(2025, 4, 1)})


def test_every_plan_write_is_audited(coordinator, action):
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"actionline.create", "action.create", "indicator.create"} <= actions


def test_the_coordinator_sees_who_has_not_reported(coordinator, holder, action, period, line,
                                                    holder_org):
    other = services.action_create(actor=coordinator, line=line.pk, number="2.2",
                                   title="Informatiepunt", holders=[holder_org.pk],
                                   starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31))
    later = services.action_create(actor=coordinator, line=line.pk, number="2.3",
                                   title="Pas later", holders=[holder_org.pk],
                                   starts_on=date(2025, 9, 1), ends_on=date(2025, 12, 31))
    services.progress_report_create(actor=holder, action_id=action.pk, period="2025-H1",
                                    status=ActionStatus.ON_TRACK)
    missing = selectors.missing_reports(actor=coordinator, period=period)
    assert [row.action for row in missing] == [other]
    assert later not in [row.action for row in missing]


def test_a_holder_sees_only_its_own_missing_reports(coordinator, outsider, action, period):
    assert selectors.missing_reports(actor=outsider, period=period) == []
    assert len(selectors.missing_reports(actor=coordinator, period=period)) == 1


def test_period_codes_are_checked(coordinator):
    with pytest.raises(ApplicationError) as refused:
        services.period_create(actor=coordinator, code="2025-H3")
    assert refused.value.field == "code"
    period = services.period_create(actor=coordinator, code="2025-h2")
    assert (period.code, period.starts_on, period.ends_on) == (
        "2025-H2", date(2025, 7, 1), date(2025, 12, 31))
    assert period.reporting_due_on == date(2025, 12, 17)


def test_reminders_mail_holders_who_have_not_reported_once_a_day(holder, action, period):
    sent = services.reminders_send(today=date(2025, 6, 5), days=14)
    assert [(o.organisation, o.sent) for o in sent] == [(holder.organisation, True)]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["holder@example.org"]
    assert "2.1" in message.body and "2025-H1" in message.subject
    services.reminders_send(today=date(2025, 6, 5), days=14)
    assert len(mail.outbox) == 1
    assert ReminderSent.objects.count() == 1


def test_reminders_wait_until_the_reporting_date_is_near(holder, action, period):
    assert services.reminders_send(today=date(2025, 5, 1), days=14) == []
    assert mail.outbox == []


def test_no_reminder_once_the_holder_reported(holder, action, period):
    services.progress_report_create(actor=holder, action_id=action.pk, period="2025-H1",
                                    status=ActionStatus.ON_TRACK)
    assert services.reminders_send(today=date(2025, 6, 5), days=14) == []
    assert mail.outbox == []


def test_a_refused_action_create_leaves_no_action(coordinator, line):
    with pytest.raises(ApplicationError) as refused:
        services.action_create(actor=coordinator, line=line.pk, number="2.9", title="X",
                               holders=[999999], starts_on=date(2025, 1, 1),
                               ends_on=date(2025, 12, 31))
    assert refused.value.field == "holders"
    assert not Action.objects.filter(number="2.9").exists()
