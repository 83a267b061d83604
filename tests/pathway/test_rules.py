"""The deadline engine, one rule at a time (pure functions: no database)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from zicht.core.exceptions import ApplicationError
from zicht.pathway import rules
from zicht.pathway.codes import (
    CriminalCaseOutcome,
    DeadlineKind,
    ReferralPurpose,
    ResidenceStatus,
)

AMS = ZoneInfo("Europe/Amsterdam")


def test_add_months_keeps_the_day_or_takes_the_last_of_a_short_month():
    assert rules.add_months(date(2025, 1, 15), 3) == date(2025, 4, 15)
    assert rules.add_months(date(2024, 11, 30), 3) == date(2025, 2, 28)
    assert rules.add_months(date(2023, 11, 30), 3) == date(2024, 2, 29)
    assert rules.add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
def test_a_reflection_period_lasts_between_89_and_92_days(offered_on):
    spec = rules.reflection_period(residence_status=ResidenceStatus.NO_LEGAL_RESIDENCE,
                                   citizenships=["NG"], offered_on=offered_on)
    assert 89 <= (spec.due_on - offered_on).days <= 92


def test_the_reflection_period_is_three_months_from_the_offer():
    spec = rules.reflection_period(residence_status=ResidenceStatus.NO_LEGAL_RESIDENCE,
                                   citizenships=["NG"], offered_on=date(2025, 3, 10))
    assert spec.kind == DeadlineKind.REFLECTION_PERIOD
    assert (spec.starts_on, spec.due_on) == (date(2025, 3, 10), date(2025, 6, 10))


def test_a_dublin_claimant_gets_no_reflection_period():
    with translation.override("en"), pytest.raises(ApplicationError) as refused:
        rules.reflection_period(residence_status=ResidenceStatus.DUBLIN_CLAIMANT,
                                citizenships=["ER"], offered_on=date(2025, 3, 10))
    assert refused.value.field == "residence_status"
    assert "4 weeks" in refused.value.message


@pytest.mark.parametrize("residence", [ResidenceStatus.LAWFUL, ResidenceStatus.NATIONAL_OR_EU,
                                       ResidenceStatus.UNKNOWN])
def test_only_a_foreigner_without_legal_residence_gets_a_reflection_period(residence):
    with pytest.raises(ApplicationError) as refused:
        rules.reflection_period(residence_status=residence, citizenships=["UA"],
                                offered_on=date(2025, 3, 10))
    assert refused.value.field == "residence_status"


def test_a_dutch_citizen_gets_no_reflection_period():
    with pytest.raises(ApplicationError):
        rules.reflection_period(residence_status=ResidenceStatus.NO_LEGAL_RESIDENCE,
                                citizenships=["NL"], offered_on=date(2025, 3, 10))


def test_the_reflection_period_can_be_extended_with_a_reason():
    new = rules.extended_due_on(kind=DeadlineKind.REFLECTION_PERIOD,
                                current_due_on=date(2025, 6, 10), new_due_on=date(2025, 7, 10),
                                reason="Medical treatment first")
    assert new == date(2025, 7, 10)


@pytest.mark.parametrize("reason, new_due_on, field", [
    ("", date(2025, 7, 10), "reason"),
    ("   ", date(2025, 7, 10), "reason"),
    ("Medical", date(2025, 6, 10), "due_on"),
    ("Medical", date(2025, 6, 1), "due_on"),
])
def test_an_extension_needs_a_reason_and_a_later_date(reason, new_due_on, field):
    with pytest.raises(ApplicationError) as refused:
        rules.extended_due_on(kind=DeadlineKind.REFLECTION_PERIOD,
                              current_due_on=date(2025, 6, 10), new_due_on=new_due_on,
                              reason=reason)
    assert refused.value.field == field


@pytest.mark.parametrize("kind", [DeadlineKind.DUBLIN_AANGIFTE_DECISION, DeadlineKind.B8_PERMIT,
                                  DeadlineKind.NON_TEMPORARY_PERMIT])
def test_legal_targets_and_eligibility_dates_cannot_be_extended(kind):
    with pytest.raises(ApplicationError) as refused:
        rules.extended_due_on(kind=kind, current_due_on=date(2025, 6, 10),
                              new_due_on=date(2025, 7, 10), reason="Busy")
    assert refused.value.field == "kind"


def test_a_dublin_claimants_aangifte_is_decided_within_four_weeks():
    spec = rules.dublin_aangifte_decision(residence_status=ResidenceStatus.DUBLIN_CLAIMANT,
                                          aangifte_on=date(2025, 5, 5))
    assert spec is not None and spec.due_on == date(2025, 6, 2)
    assert rules.dublin_aangifte_decision(residence_status=ResidenceStatus.NO_LEGAL_RESIDENCE,
                                          aangifte_on=date(2025, 5, 5)) is None


def test_the_b8_permit_runs_from_the_aangifte_without_an_end_date():
    spec = rules.b8_permit(residence_status=ResidenceStatus.NO_LEGAL_RESIDENCE,
                           aangifte_on=date(2025, 5, 5))
    assert spec is not None
    assert (spec.kind, spec.starts_on, spec.due_on) == (DeadlineKind.B8_PERMIT,
                                                        date(2025, 5, 5), None)
    assert rules.b8_permit(residence_status=ResidenceStatus.LAWFUL,
                           aangifte_on=date(2025, 5, 5)) is None


def test_a_sepot_ends_the_b8_ground_and_raises_a_task_to_look_at_other_grounds():
    effect = rules.criminal_case_decision(outcome=CriminalCaseOutcome.SEPOT,
                                          decided_on=date(2026, 1, 12), review_days=28)
    assert effect.ends_b8_on == date(2026, 1, 12)
    assert effect.ends_three_year_route is True
    assert effect.review is not None
    assert effect.review.kind == DeadlineKind.OTHER_GROUNDS_REVIEW
    assert effect.review.due_on == date(2026, 2, 9)


def test_a_judgment_ends_the_b8_ground_without_a_review_task():
    effect = rules.criminal_case_decision(outcome=CriminalCaseOutcome.CONVICTED,
                                          decided_on=date(2026, 1, 12), review_days=28)
    assert (effect.ends_b8_on, effect.review) == (date(2026, 1, 12), None)
    prosecuted = rules.criminal_case_decision(outcome=CriminalCaseOutcome.PROSECUTED,
                                              decided_on=date(2026, 1, 12), review_days=28)
    assert (prosecuted.ends_b8_on, prosecuted.review) == (None, None)


def test_non_temporary_permit_can_be_requested_when_the_case_has_run_more_than_three_years():
    assert rules.non_temporary_permit_from(aangifte_on=date(2025, 5, 5), prosecuted_on=None,
                                           convicted_on=None) == date(2028, 5, 6)


def test_non_temporary_permit_can_be_requested_after_prosecution_or_conviction():
    assert rules.non_temporary_permit_from(aangifte_on=date(2025, 5, 5),
                                           prosecuted_on=date(2026, 2, 1),
                                           convicted_on=None) == date(2026, 2, 1)
    assert rules.non_temporary_permit_from(aangifte_on=date(2025, 5, 5),
                                           prosecuted_on=date(2026, 2, 1),
                                           convicted_on=date(2027, 1, 1)) == date(2026, 2, 1)
    assert rules.non_temporary_permit_from(aangifte_on=date(2025, 5, 5), prosecuted_on=None,
                                           convicted_on=date(2027, 1, 1)) == date(2027, 1, 1)


def test_the_non_temporary_permit_deadline_only_follows_a_b8_permit():
    assert rules.non_temporary_permit(residence_status=ResidenceStatus.DUBLIN_CLAIMANT,
                                      aangifte_on=date(2025, 5, 5)) is None


def test_only_authorised_kinds_decide_victim_status():
    allowed = frozenset({"police", "comensha"})
    assert rules.may_decide_victim_status(organisation_kind="police", authorised_kinds=allowed)
    assert not rules.may_decide_victim_status(organisation_kind="ngo", authorised_kinds=allowed)


@pytest.mark.parametrize("age, minor", [(None, True), (0, True), (17, True), (18, False),
                                        (45, False)])
def test_an_uncertain_age_counts_as_a_minor(age, minor):
    assert rules.is_minor(age) is minor


def test_a_minor_is_referred_for_shelter_to_youth_care_only():
    rules.check_minor_referral(minor=True, purpose=ReferralPurpose.SHELTER,
                               receiver_kind="youth_care")
    rules.check_minor_referral(minor=False, purpose=ReferralPurpose.SHELTER,
                               receiver_kind="shelter")
    rules.check_minor_referral(minor=True, purpose=ReferralPurpose.LEGAL_AID,
                               receiver_kind="ngo")
    with pytest.raises(ApplicationError) as refused:
        rules.check_minor_referral(minor=True, purpose=ReferralPurpose.SHELTER,
                                   receiver_kind="shelter")
    assert refused.value.field == "to_organisation"


def test_two_working_days_skip_the_weekend():
    friday = datetime(2025, 3, 7, 15, 0, tzinfo=AMS)
    assert rules.referral_answer_due(proposed_at=friday, urgent=False, working_days=2,
                                     urgent_hours=24) == datetime(2025, 3, 11, 15, 0, tzinfo=AMS)
    monday = datetime(2025, 3, 10, 9, 30, tzinfo=AMS)
    assert rules.add_working_days(monday, 2) == datetime(2025, 3, 12, 9, 30, tzinfo=AMS)


def test_a_referral_made_in_the_weekend_counts_from_monday_morning():
    saturday = datetime(2025, 3, 8, 22, 0, tzinfo=AMS)
    assert rules.add_working_days(saturday, 2) == datetime(2025, 3, 12, 0, 0, tzinfo=AMS)


def test_dutch_public_holidays_do_not_count_as_working_days():
    # Thursday 17 April 2025; Good Friday 18 and Easter Monday 21 April are holidays.
    thursday = datetime(2025, 4, 17, 11, 0, tzinfo=AMS)
    assert rules.add_working_days(thursday, 2) == datetime(2025, 4, 23, 11, 0, tzinfo=AMS)


def test_a_referral_made_on_kings_day_counts_from_the_next_working_morning():
    kings_day = datetime(2026, 4, 27, 14, 0, tzinfo=AMS)  # a Monday
    assert rules.add_working_days(kings_day, 1) == datetime(2026, 4, 29, 0, 0, tzinfo=AMS)


def test_christmas_and_the_weekend_after_it_are_skipped_together():
    christmas_eve = datetime(2026, 12, 24, 9, 0, tzinfo=AMS)  # Thursday; 25, 26, 27 off
    assert rules.add_working_days(christmas_eve, 1) == datetime(2026, 12, 28, 9, 0, tzinfo=AMS)


def test_an_urgent_referral_is_due_within_24_hours_weekend_or_not():
    friday = datetime(2025, 3, 7, 15, 0, tzinfo=AMS)
    assert rules.referral_answer_due(proposed_at=friday, urgent=True, working_days=2,
                                     urgent_hours=24) == friday + timedelta(hours=24)


def test_working_days_keep_the_local_time_across_the_change_to_summer_time():
    friday = datetime(2025, 3, 28, 10, 0, tzinfo=AMS)  # clocks go forward on Sunday 30 March
    due = rules.add_working_days(friday, 1)
    assert (due.date(), due.hour) == (date(2025, 3, 31), 10)


def test_an_unanswered_referral_expires_after_the_configured_days():
    proposed = datetime(2025, 3, 7, 15, 0, tzinfo=AMS)
    assert rules.referral_expires_at(proposed_at=proposed, expire_days=30) == (
        proposed + timedelta(days=30))


def test_days_left_is_negative_when_overdue_and_none_when_open_ended():
    today = date(2025, 6, 1)
    assert rules.days_left(due_on=date(2025, 6, 8), today=today) == 7
    assert rules.days_left(due_on=date(2025, 5, 30), today=today) == -2
    assert rules.days_left(due_on=None, today=today) is None
