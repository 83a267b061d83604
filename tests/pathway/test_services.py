"""The pathway's services: stages, status, referrals, deadlines and redress, with their audit rows."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.utils import timezone

from tests.factories import UserFactory, make_person, make_signal
from tests.pathway.conftest import with_consent
from zicht.audit.models import AuditEvent
from zicht.core.exceptions import ApplicationError, ConflictError, NotFound
from zicht.organisations.models import Role
from zicht.pathway import selectors, services
from zicht.pathway.codes import (
    CaseStatus,
    ConsentBasis,
    CriminalCaseOutcome,
    DeadlineKind,
    RedressOutcome,
    ReferralStatus,
    ResidenceStatus,
    StageKind,
    VictimStatus,
)
from zicht.pathway.models import Deadline, Pathway, RedressClaim, Referral, Stage
from zicht.registry.access import access_person
from zicht.registry.models import AccessReason, PersonAccess

AMS = ZoneInfo("Europe/Amsterdam")
pytestmark = pytest.mark.django_db


def actions_for(person_id: int) -> list[str]:
    return list(AuditEvent.objects.filter(person_id=person_id).values_list("action", flat=True))


# --- Pathway and stages -------------------------------------------------------------------------

def test_the_pathway_starts_in_identify_on_the_first_signal_date(caseworker, person):
    make_signal(caseworker, person, signalled_on=date(2025, 2, 1))
    stage = services.stage_start(actor=caseworker, person_id=person.pk, kind=StageKind.PROTECT,
                                 started_on=date(2025, 2, 3))
    stages = {s.kind: s for s in Stage.objects.filter(pathway__person=person)}
    assert stages[StageKind.IDENTIFY].started_on == date(2025, 2, 1)
    assert stages[StageKind.IDENTIFY].responsible_organisation == person.registering_organisation
    assert stage.kind == StageKind.PROTECT and stage.ended_on is None
    assert {"pathway.create", "stage.start"} <= set(actions_for(person.pk))


def test_several_stages_are_open_at_once_and_one_closes_without_the_next(caseworker, person,
                                                                         police):
    services.stage_start(actor=caseworker, person_id=person.pk, kind=StageKind.PROTECT,
                         started_on=date(2025, 2, 3))
    services.stage_start(actor=caseworker, person_id=person.pk, kind=StageKind.CRIMINAL,
                         started_on=date(2025, 2, 10), responsible_organisation_id=police.pk)
    open_kinds = set(Stage.objects.filter(pathway__person=person, ended_on__isnull=True)
                     .values_list("kind", flat=True))
    assert {StageKind.IDENTIFY, StageKind.PROTECT, StageKind.CRIMINAL} <= open_kinds
    criminal = Stage.objects.get(pathway__person=person, kind=StageKind.CRIMINAL)
    services.stage_end(actor=caseworker, person_id=person.pk, stage_id=criminal.pk,
                       ended_on=date(2025, 3, 1), reason="No aangifte")
    assert not Stage.objects.filter(pathway__person=person, kind=StageKind.REDRESS).exists()
    assert Stage.objects.get(pk=criminal.pk).ended_on == date(2025, 3, 1)


def test_a_stage_cannot_end_before_it_started(caseworker, person):
    stage = services.stage_start(actor=caseworker, person_id=person.pk, kind=StageKind.PROTECT,
                                 started_on=date(2025, 2, 3))
    with pytest.raises(ApplicationError) as refused:
        services.stage_end(actor=caseworker, person_id=person.pk, stage_id=stage.pk,
                           ended_on=date(2025, 2, 1))
    assert refused.value.field == "ended_on"
    assert Stage.objects.get(pk=stage.pk).ended_on is None


def test_an_open_stage_cannot_be_started_twice(caseworker, person):
    services.stage_start(actor=caseworker, person_id=person.pk, kind=StageKind.PROTECT)
    with pytest.raises(ConflictError) as refused:
        services.stage_start(actor=caseworker, person_id=person.pk, kind=StageKind.PROTECT)
    assert refused.value.field == "kind"


def test_a_stage_of_another_persons_pathway_is_not_found(caseworker, person):
    other = with_consent(caseworker, make_person(caseworker, given_names="Other"), care="given")
    stage = services.stage_start(actor=caseworker, person_id=other.pk, kind=StageKind.PROTECT)
    with pytest.raises(NotFound):
        services.stage_end(actor=caseworker, person_id=person.pk, stage_id=stage.pk)


def test_an_outsider_cannot_touch_the_pathway(person, police_officer):
    with pytest.raises(NotFound):
        services.stage_start(actor=police_officer, person_id=person.pk, kind=StageKind.PROTECT)
    assert not Pathway.objects.filter(person=person).exists()


def test_a_reporter_may_read_but_not_change_the_pathway(caseworker, ngo, person):
    reporter = UserFactory(organisation=ngo, role=Role.REPORTER)
    assert selectors.pathway_get(actor=reporter, person_id=person.pk).person == person
    with pytest.raises(PermissionDenied):
        services.stage_start(actor=reporter, person_id=person.pk, kind=StageKind.PROTECT)


# --- Victim and case status ---------------------------------------------------------------------

def test_the_police_decide_a_person_is_an_identified_victim(police_officer):
    person = make_person(police_officer)
    decision = services.victim_status_decide(
        actor=police_officer, person_id=person.pk, status=VictimStatus.IDENTIFIED,
        decided_on=date(2025, 4, 1), reason="Indicators confirmed in interview")
    pathway = Pathway.objects.get(person=person)
    assert pathway.victim_status == VictimStatus.IDENTIFIED
    assert pathway.victim_status_organisation == police_officer.organisation
    assert pathway.victim_status_decided_on == date(2025, 4, 1)
    assert decision.decided_by == police_officer
    assert "victim_status.decide" in actions_for(person.pk)


def test_an_ngo_may_not_decide_victim_status(caseworker, person):
    with pytest.raises(ApplicationError) as refused:
        services.victim_status_decide(actor=caseworker, person_id=person.pk,
                                      status=VictimStatus.IDENTIFIED, reason="We think so")
    assert refused.value.field == "status"
    assert not Pathway.objects.filter(person=person).exists()


@override_settings(PATHWAY_VICTIM_STATUS_DECIDERS=["ngo"])
def test_which_kinds_decide_victim_status_is_configurable(caseworker, person):
    services.victim_status_decide(actor=caseworker, person_id=person.pk,
                                  status=VictimStatus.NOT_VICTIM, reason="Other explanation")
    assert Pathway.objects.get(person=person).victim_status == VictimStatus.NOT_VICTIM


def test_a_victim_status_decision_needs_a_reason(police_officer):
    person = make_person(police_officer)
    with pytest.raises(ApplicationError) as refused:
        services.victim_status_decide(actor=police_officer, person_id=person.pk,
                                      status=VictimStatus.IDENTIFIED, reason=" ")
    assert refused.value.field == "reason"


def test_closing_a_case_needs_a_reason_and_reopening_clears_it(caseworker, person):
    with pytest.raises(ApplicationError) as refused:
        services.case_status_set(actor=caseworker, person_id=person.pk,
                                 status=CaseStatus.CLOSED)
    assert refused.value.field == "closing_reason"
    pathway = services.case_status_set(actor=caseworker, person_id=person.pk,
                                       status=CaseStatus.CLOSED_REFERRED,
                                       closing_reason="Returned home with IOM")
    assert (pathway.case_status, pathway.case_closed_on) == (CaseStatus.CLOSED_REFERRED,
                                                             timezone.localdate())
    pathway = services.case_status_set(actor=caseworker, person_id=person.pk,
                                       status=CaseStatus.FOLLOW_UP)
    assert (pathway.closing_reason, pathway.case_closed_on) == ("", None)


def test_the_minors_flow_records_guardian_and_youth_care(caseworker, youth_care):
    child = make_person(caseworker, birth_date="2011-05-01")
    services.pathway_update(actor=caseworker, person_id=child.pk, changes={
        "guardian": "Nidos, J. de Vries", "youth_care_organisation": youth_care.pk})
    pathway = Pathway.objects.get(person=child)
    assert pathway.guardian == "Nidos, J. de Vries"
    assert "Nidos" not in pathway.guardian_ciphertext  # encrypted with the person's key
    assert pathway.youth_care_involved and pathway.youth_care_organisation == youth_care
    detail = selectors.pathway_get(actor=caseworker, person_id=child.pk)
    assert detail.minor and not detail.guardian_missing


def test_youth_care_must_be_a_youth_care_organisation(caseworker, person, shelter):
    with pytest.raises(ApplicationError) as refused:
        services.pathway_update(actor=caseworker, person_id=person.pk,
                                changes={"youth_care_organisation": shelter.pk})
    assert refused.value.field == "youth_care_organisation"


def test_a_person_of_uncertain_age_is_a_minor(caseworker):
    assert selectors.person_is_minor(make_person(caseworker, birth_date=""))
    assert selectors.person_is_minor(make_person(caseworker, birth_date="2010"))
    assert not selectors.person_is_minor(make_person(caseworker, birth_date="1990-01-01"))


# --- Referrals ------------------------------------------------------------------------------------

def test_an_accepted_referral_lets_the_receiver_see_the_person(caseworker, person,
                                                               coordinator_user):
    referral = services.referral_propose(actor=caseworker, person_id=person.pk,
                                         to_organisation_id=coordinator_user.organisation_id,
                                         purpose="care_coordination", note="Needs housing")
    assert referral.consent_basis == ConsentBasis.CONSENT
    with pytest.raises(NotFound):
        access_person(coordinator_user, person.pk)  # not before accepting
    services.referral_accept(actor=coordinator_user, referral_id=referral.pk, reason="")
    assert access_person(coordinator_user, person.pk) == person
    grant = PersonAccess.objects.get(person=person, organisation=coordinator_user.organisation)
    assert grant.reason == AccessReason.REFERRED
    assert {"referral.propose", "referral.accept"} <= set(actions_for(person.pk))
    assert Referral.objects.get(pk=referral.pk).note == "Needs housing"


def test_a_declined_referral_grants_nothing(caseworker, person, coordinator_user):
    referral = services.referral_propose(actor=caseworker, person_id=person.pk,
                                         to_organisation_id=coordinator_user.organisation_id,
                                         purpose="care_coordination")
    services.referral_decline(actor=coordinator_user, referral_id=referral.pk,
                              reason="Not our region")
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.DECLINED
    assert not PersonAccess.objects.filter(organisation=coordinator_user.organisation).exists()
    with pytest.raises(NotFound):
        access_person(coordinator_user, person.pk)


def test_declining_needs_a_reason(caseworker, person, coordinator_user):
    referral = services.referral_propose(actor=caseworker, person_id=person.pk,
                                         to_organisation_id=coordinator_user.organisation_id,
                                         purpose="care_coordination")
    with pytest.raises(ApplicationError) as refused:
        services.referral_decline(actor=coordinator_user, referral_id=referral.pk, reason="")
    assert refused.value.field == "reason"
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.PROPOSED


def test_a_referral_to_oneself_is_refused(caseworker, person):
    with pytest.raises(ApplicationError) as refused:
        services.referral_propose(actor=caseworker, person_id=person.pk,
                                  to_organisation_id=caseworker.organisation_id,
                                  purpose="shelter")
    assert refused.value.field == "to_organisation"
    assert not Referral.objects.exists()


def test_a_referral_to_police_without_police_consent_is_refused(caseworker, person, police):
    with pytest.raises(ApplicationError) as refused:
        services.referral_propose(actor=caseworker, person_id=person.pk,
                                  to_organisation_id=police.pk, purpose="aangifte")
    assert refused.value.field == "to_organisation"
    assert "consent" in refused.value.message.lower() or "toestemming" in refused.value.message
    assert not Referral.objects.exists()


def test_a_referral_to_police_with_police_consent_is_made(caseworker, person, police):
    with_consent(caseworker, person, police="given")
    referral = services.referral_propose(actor=caseworker, person_id=person.pk,
                                         to_organisation_id=police.pk, purpose="aangifte")
    assert referral.consent_basis == ConsentBasis.CONSENT


def test_an_organisation_that_must_register_refers_to_police_without_consent(
        police_officer, comensha):
    kmar = UserFactory(organisation__kind="kmar", organisation__name="KMar Voorbeeld")
    person = make_person(kmar)
    referral = services.referral_propose(actor=kmar, person_id=person.pk,
                                         to_organisation_id=police_officer.organisation_id,
                                         purpose="aangifte")
    assert referral.consent_basis == ConsentBasis.DUTY_TO_REGISTER


def test_the_legal_duty_does_not_override_a_refusal(police_officer):
    kmar = UserFactory(organisation__kind="kmar", organisation__name="KMar Voorbeeld")
    person = with_consent(kmar, make_person(kmar), police="refused")
    with pytest.raises(ApplicationError):
        services.referral_propose(actor=kmar, person_id=person.pk,
                                  to_organisation_id=police_officer.organisation_id,
                                  purpose="aangifte")


def test_consent_withdrawn_before_acceptance_stops_the_referral(caseworker, person,
                                                                coordinator_user):
    referral = services.referral_propose(actor=caseworker, person_id=person.pk,
                                         to_organisation_id=coordinator_user.organisation_id,
                                         purpose="care_coordination")
    with_consent(caseworker, person, care="withdrawn")
    with pytest.raises(ApplicationError):
        services.referral_accept(actor=coordinator_user, referral_id=referral.pk)
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.PROPOSED
    assert not PersonAccess.objects.filter(organisation=coordinator_user.organisation).exists()


def test_only_the_receiver_accepts_and_only_once(caseworker, person, coordinator_user,
                                                 national_coordinator):
    referral = services.referral_propose(actor=caseworker, person_id=person.pk,
                                         to_organisation_id=coordinator_user.organisation_id,
                                         purpose="care_coordination")
    for wrong in (caseworker, national_coordinator):
        with pytest.raises(ApplicationError) as refused:
            services.referral_accept(actor=wrong, referral_id=referral.pk)
        assert refused.value.field == "to_organisation"
    services.referral_accept(actor=coordinator_user, referral_id=referral.pk)
    with pytest.raises(ConflictError) as twice:
        services.referral_accept(actor=coordinator_user, referral_id=referral.pk)
    assert twice.value.field == "status"


def test_a_third_organisation_does_not_see_the_referral(caseworker, person, coordinator_user,
                                                        shelter_worker):
    referral = services.referral_propose(actor=caseworker, person_id=person.pk,
                                         to_organisation_id=coordinator_user.organisation_id,
                                         purpose="care_coordination")
    with pytest.raises(NotFound):
        services.referral_accept(actor=shelter_worker, referral_id=referral.pk)
    assert not selectors.referral_list(actor=shelter_worker).exists()


def test_the_sender_withdraws_an_open_referral(caseworker, person, coordinator_user):
    referral = services.referral_propose(actor=caseworker, person_id=person.pk,
                                         to_organisation_id=coordinator_user.organisation_id,
                                         purpose="care_coordination")
    with pytest.raises(ApplicationError):
        services.referral_withdraw(actor=coordinator_user, referral_id=referral.pk)
    services.referral_withdraw(actor=caseworker, referral_id=referral.pk, reason="Moved")
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.WITHDRAWN


def test_a_second_open_referral_for_the_same_purpose_is_a_conflict(caseworker, person,
                                                                    coordinator_user):
    kwargs = {"actor": caseworker, "person_id": person.pk, "purpose": "care_coordination",
              "to_organisation_id": coordinator_user.organisation_id}
    services.referral_propose(**kwargs)
    with pytest.raises(ConflictError):
        services.referral_propose(**kwargs)


def test_a_minor_is_referred_for_shelter_to_youth_care_only(caseworker, shelter, youth_care):
    child = with_consent(caseworker, make_person(caseworker, birth_date=""), care="given")
    with pytest.raises(ApplicationError) as refused:
        services.referral_propose(actor=caseworker, person_id=child.pk,
                                  to_organisation_id=shelter.pk, purpose="shelter")
    assert refused.value.field == "to_organisation"
    referral = services.referral_propose(actor=caseworker, person_id=child.pk,
                                         to_organisation_id=youth_care.pk, purpose="shelter")
    assert referral.status == ReferralStatus.PROPOSED


def test_a_referral_abroad_is_recorded_without_access(caseworker, person):
    referral = services.referral_propose(
        actor=caseworker, person_id=person.pk, purpose="return", country="ro",
        foreign_organisation="ANITP Bucharest", channel="iom")
    assert (referral.status, referral.country, referral.to_organisation) == (
        ReferralStatus.SENT_ABROAD, "RO", None)
    assert PersonAccess.objects.filter(person=person).count() == 1  # the registering NGO only
    assert "referral.abroad" in actions_for(person.pk)


@pytest.mark.parametrize("fields, field", [
    ({"country": "XX", "foreign_organisation": "A", "channel": "iom"}, "country"),
    ({"country": "NL", "foreign_organisation": "A", "channel": "iom"}, "country"),
    ({"country": "RO", "foreign_organisation": "", "channel": "iom"}, "foreign_organisation"),
    ({"country": "RO", "foreign_organisation": "A", "channel": "pigeon"}, "channel"),
])
def test_a_referral_abroad_names_country_organisation_and_channel(caseworker, person, fields,
                                                                  field):
    with pytest.raises(ApplicationError) as refused:
        services.referral_propose(actor=caseworker, person_id=person.pk, purpose="return",
                                  **fields)
    assert refused.value.field == field


def test_a_referral_is_answered_within_two_working_days_or_24_hours_when_urgent(
        caseworker, person, coordinator_user, shelter):
    friday = datetime(2025, 3, 7, 15, 0, tzinfo=AMS)
    normal = services.referral_propose(actor=caseworker, person_id=person.pk, now=friday,
                                       to_organisation_id=coordinator_user.organisation_id,
                                       purpose="care_coordination")
    urgent = services.referral_propose(actor=caseworker, person_id=person.pk, now=friday,
                                       to_organisation_id=shelter.pk, purpose="shelter",
                                       urgency="urgent")
    assert normal.answer_due_at == datetime(2025, 3, 11, 15, 0, tzinfo=AMS)
    assert urgent.answer_due_at == datetime(2025, 3, 8, 15, 0, tzinfo=AMS)


@override_settings(PATHWAY_REFERRAL_ANSWER_WORKING_DAYS=5)
def test_the_answer_time_is_configurable(caseworker, person, coordinator_user):
    monday = datetime(2025, 3, 10, 9, 0, tzinfo=AMS)
    referral = services.referral_propose(actor=caseworker, person_id=person.pk, now=monday,
                                         to_organisation_id=coordinator_user.organisation_id,
                                         purpose="care_coordination")
    assert referral.answer_due_at == datetime(2025, 3, 17, 9, 0, tzinfo=AMS)


def test_unanswered_referrals_are_escalated_once_and_audited(caseworker, person,
                                                             coordinator_user,
                                                             national_coordinator):
    friday = datetime(2025, 3, 7, 15, 0, tzinfo=AMS)
    referral = services.referral_propose(actor=caseworker, person_id=person.pk, now=friday,
                                         to_organisation_id=coordinator_user.organisation_id,
                                         purpose="care_coordination")
    assert services.referrals_escalate(now=datetime(2025, 3, 11, 14, 0, tzinfo=AMS)) == []
    later = datetime(2025, 3, 11, 16, 0, tzinfo=AMS)
    assert [r.pk for r in services.referrals_escalate(now=later)] == [referral.pk]
    assert services.referrals_escalate(now=later + timedelta(hours=1)) == []
    assert Referral.objects.get(pk=referral.pk).escalated_at == later
    assert actions_for(person.pk).count("referral.escalate") == 1
    escalated = selectors.referral_list(actor=national_coordinator, box="escalated", now=later)
    assert list(escalated) == [referral]


def test_an_overdue_referral_shows_as_escalated_before_the_command_runs(
        caseworker, person, coordinator_user, national_coordinator):
    long_ago = timezone.now() - timedelta(days=6)
    referral = services.referral_propose(actor=caseworker, person_id=person.pk, now=long_ago,
                                         to_organisation_id=coordinator_user.organisation_id,
                                         purpose="care_coordination")
    assert list(selectors.referral_list(actor=national_coordinator, box="escalated")) == [
        referral]
    shown = selectors.describe_referrals(coordinator_user, [referral])[0]
    assert shown.overdue and shown.escalated and not shown.person_visible


def test_a_referral_lapses_after_the_expiry_time_and_cannot_be_accepted(caseworker, person,
                                                                        coordinator_user):
    start = timezone.now() - timedelta(days=31)
    referral = services.referral_propose(actor=caseworker, person_id=person.pk, now=start,
                                         to_organisation_id=coordinator_user.organisation_id,
                                         purpose="care_coordination")
    with pytest.raises(ConflictError):
        services.referral_accept(actor=coordinator_user, referral_id=referral.pk)
    assert services.referrals_expire() == 1
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.EXPIRED
    assert not PersonAccess.objects.filter(organisation=coordinator_user.organisation).exists()


# --- Deadlines ------------------------------------------------------------------------------------

def foreign_victim(police_officer, **overrides):  # type: ignore[no-untyped-def]
    person = make_person(police_officer, citizenships=["NG"], **overrides)
    services.pathway_update(actor=police_officer, person_id=person.pk,
                            changes={"residence_status": ResidenceStatus.NO_LEGAL_RESIDENCE})
    return person


def test_the_police_offer_a_reflection_period_of_three_months(police_officer):
    person = foreign_victim(police_officer)
    deadline = services.reflection_period_offer(actor=police_officer, person_id=person.pk,
                                                offered_on=date(2025, 3, 10))
    assert (deadline.kind, deadline.due_on) == (DeadlineKind.REFLECTION_PERIOD, date(2025, 6, 10))
    with pytest.raises(ConflictError):
        services.reflection_period_offer(actor=police_officer, person_id=person.pk,
                                         offered_on=date(2025, 3, 11))


def test_a_dublin_claimant_is_refused_a_reflection_period(police_officer):
    person = make_person(police_officer, citizenships=["ER"])
    services.pathway_update(actor=police_officer, person_id=person.pk,
                            changes={"residence_status": ResidenceStatus.DUBLIN_CLAIMANT})
    with pytest.raises(ApplicationError) as refused:
        services.reflection_period_offer(actor=police_officer, person_id=person.pk)
    assert refused.value.field == "residence_status"
    assert not Deadline.objects.filter(person=person).exists()


def test_only_police_or_kmar_offer_the_reflection_period(caseworker):
    person = foreign_victim(caseworker)
    with pytest.raises(ApplicationError) as refused:
        services.reflection_period_offer(actor=caseworker, person_id=person.pk)
    assert refused.value.field == "offered_by"


def test_a_reflection_period_is_extended_with_a_reason(police_officer):
    person = foreign_victim(police_officer)
    deadline = services.reflection_period_offer(actor=police_officer, person_id=person.pk,
                                                offered_on=date(2025, 3, 10))
    with pytest.raises(ApplicationError) as refused:
        services.deadline_extend(actor=police_officer, deadline_id=deadline.pk,
                                 due_on=date(2025, 7, 10), reason="")
    assert refused.value.field == "reason"
    services.deadline_extend(actor=police_officer, deadline_id=deadline.pk,
                             due_on=date(2025, 7, 10), reason="Hospital stay")
    deadline.refresh_from_db()
    assert deadline.due_on == date(2025, 7, 10)
    assert deadline.extensions.get().previous_due_on == date(2025, 6, 10)


def test_an_aangifte_ends_the_reflection_period_and_starts_the_b8_permit(police_officer):
    person = foreign_victim(police_officer)
    services.reflection_period_offer(actor=police_officer, person_id=person.pk,
                                     offered_on=date(2025, 3, 10))
    case = services.criminal_case_open(actor=police_officer, person_id=person.pk,
                                       aangifte_on=date(2025, 4, 20))
    deadlines = {d.kind: d for d in Deadline.objects.filter(person=person)}
    assert deadlines[DeadlineKind.REFLECTION_PERIOD].closed_on == date(2025, 4, 20)
    assert deadlines[DeadlineKind.B8_PERMIT].due_on is None
    assert deadlines[DeadlineKind.B8_PERMIT].closed_on is None
    assert deadlines[DeadlineKind.NON_TEMPORARY_PERMIT].due_on == date(2028, 4, 21)
    assert Stage.objects.filter(pathway__person=person, kind=StageKind.CRIMINAL,
                                ended_on__isnull=True).exists()
    assert case.outcome == CriminalCaseOutcome.INVESTIGATION


def test_a_dublin_claimants_aangifte_sets_a_four_week_decision_target(police_officer):
    person = make_person(police_officer, citizenships=["ER"])
    services.pathway_update(actor=police_officer, person_id=person.pk,
                            changes={"residence_status": ResidenceStatus.DUBLIN_CLAIMANT})
    case = services.criminal_case_open(actor=police_officer, person_id=person.pk,
                                       aangifte_on=date(2025, 5, 5))
    dublin = Deadline.objects.get(person=person)
    assert (dublin.kind, dublin.due_on) == (DeadlineKind.DUBLIN_AANGIFTE_DECISION,
                                            date(2025, 6, 2))
    services.criminal_case_decide(actor=police_officer, person_id=person.pk, case_id=case.pk,
                                  outcome="prosecuted", decided_on=date(2025, 5, 30))
    assert Deadline.objects.get(pk=dublin.pk).closed_on == date(2025, 5, 30)


def test_a_sepot_ends_the_b8_ground_and_raises_a_task_for_other_grounds(police_officer):
    person = foreign_victim(police_officer)
    case = services.criminal_case_open(actor=police_officer, person_id=person.pk,
                                       aangifte_on=date(2025, 4, 20))
    with pytest.raises(ApplicationError) as refused:
        services.criminal_case_decide(actor=police_officer, person_id=person.pk,
                                      case_id=case.pk, outcome="sepot",
                                      decided_on=date(2025, 10, 1), reason="")
    assert refused.value.field == "reason"
    services.criminal_case_decide(actor=police_officer, person_id=person.pk, case_id=case.pk,
                                  outcome="sepot", decided_on=date(2025, 10, 1),
                                  reason="Insufficient evidence (technisch sepot)")
    deadlines = {d.kind: d for d in Deadline.objects.filter(person=person)}
    assert deadlines[DeadlineKind.B8_PERMIT].closed_on == date(2025, 10, 1)
    assert deadlines[DeadlineKind.NON_TEMPORARY_PERMIT].closed_on == date(2025, 10, 1)
    review = deadlines[DeadlineKind.OTHER_GROUNDS_REVIEW]
    assert (review.closed_on, review.due_on) == (None, date(2025, 10, 29))


def test_prosecution_brings_the_non_temporary_permit_forward(police_officer):
    person = foreign_victim(police_officer)
    case = services.criminal_case_open(actor=police_officer, person_id=person.pk,
                                       aangifte_on=date(2024, 4, 20))
    services.criminal_case_decide(actor=police_officer, person_id=person.pk, case_id=case.pk,
                                  outcome="prosecuted", decided_on=date(2025, 1, 15))
    permit = Deadline.objects.get(person=person, kind=DeadlineKind.NON_TEMPORARY_PERMIT)
    assert permit.due_on == date(2025, 1, 15)
    services.criminal_case_decide(actor=police_officer, person_id=person.pk, case_id=case.pk,
                                  outcome="convicted", decided_on=date(2025, 6, 1))
    assert Deadline.objects.get(person=person, kind=DeadlineKind.B8_PERMIT).closed_on == date(
        2025, 6, 1)
    assert Deadline.objects.get(pk=permit.pk).closed_on is None


@pytest.mark.parametrize("first, second", [("convicted", None), ("prosecuted", "prosecuted"),
                                           ("sepot", "prosecuted")])
def test_a_criminal_case_decides_in_order(police_officer, first, second):
    person = foreign_victim(police_officer)
    case = services.criminal_case_open(actor=police_officer, person_id=person.pk,
                                       aangifte_on=date(2025, 1, 1))
    if second is None:
        with pytest.raises(ConflictError):
            services.criminal_case_decide(actor=police_officer, person_id=person.pk,
                                          case_id=case.pk, outcome=first, reason="x")
        return
    services.criminal_case_decide(actor=police_officer, person_id=person.pk, case_id=case.pk,
                                  outcome=first, reason="x")
    with pytest.raises(ConflictError) as refused:
        services.criminal_case_decide(actor=police_officer, person_id=person.pk,
                                      case_id=case.pk, outcome=second, reason="x")
    assert refused.value.field == "outcome"


def test_a_task_cannot_be_due_before_it_starts(caseworker, person):
    with pytest.raises(ApplicationError) as refused:
        services.deadline_create(actor=caseworker, person_id=person.pk, title="Call lawyer",
                                 starts_on=date(2025, 5, 1), due_on=date(2025, 4, 1))
    assert refused.value.field == "due_on"
    assert not Deadline.objects.exists()


def test_a_deadline_is_closed_with_a_reason(caseworker, person):
    task = services.deadline_create(actor=caseworker, person_id=person.pk, title="Call lawyer",
                                    starts_on=date(2025, 5, 1), due_on=date(2025, 5, 8))
    services.deadline_close(actor=caseworker, deadline_id=task.pk, reason="Done",
                            closed_on=date(2025, 5, 2))
    with pytest.raises(ConflictError):
        services.deadline_close(actor=caseworker, deadline_id=task.pk, reason="Again")


# --- Redress ----------------------------------------------------------------------------------------

def test_a_claim_as_injured_party_records_amounts_in_euro(police_officer, caseworker, person):
    with_consent(caseworker, person, police="given")
    case = services.criminal_case_open(actor=caseworker, person_id=person.pk,
                                       police_organisation_id=police_officer.organisation_id,
                                       aangifte_on=date(2025, 1, 10))
    claim = services.redress_claim_create(
        actor=caseworker, person_id=person.pk, route="injured_party", amount_claimed="12500.50",
        filed_on=date(2025, 6, 1), criminal_case_id=case.pk)
    assert claim.amount_claimed == Decimal("12500.50")
    assert Stage.objects.filter(pathway__person=person, kind=StageKind.REDRESS).exists()
    services.redress_claim_update(actor=caseworker, claim_id=claim.pk, changes={
        "outcome": RedressOutcome.PARTLY_AWARDED, "amount_awarded": Decimal("8000"),
        "decided_on": date(2025, 11, 3)})
    claim.refresh_from_db()
    assert (claim.amount_awarded, claim.outcome) == (Decimal("8000.00"),
                                                     RedressOutcome.PARTLY_AWARDED)
    assert "redress.update" in actions_for(person.pk)


@pytest.mark.parametrize("amount", ["-1", "12.345", "abc", "NaN"])
def test_a_claim_amount_must_be_whole_cents_and_not_negative(caseworker, person, amount):
    with pytest.raises(ApplicationError) as refused:
        services.redress_claim_create(actor=caseworker, person_id=person.pk,
                                      route="schadefonds", amount_claimed=amount)
    assert refused.value.field == "amount_claimed"
    assert not RedressClaim.objects.exists()


def test_an_injured_party_claim_belongs_to_a_criminal_case(caseworker, person):
    with pytest.raises(ApplicationError) as refused:
        services.redress_claim_create(actor=caseworker, person_id=person.pk,
                                      route="injured_party", amount_claimed="100")
    assert refused.value.field == "criminal_case"


@pytest.mark.parametrize("changes, field", [
    ({"outcome": "awarded"}, "amount_awarded"),
    ({"outcome": "awarded", "amount_awarded": "50"}, "amount_awarded"),
    ({"outcome": "rejected", "amount_awarded": "50"}, "amount_awarded"),
    ({"outcome": "partly_awarded", "amount_awarded": "50", "decided_on": date(2024, 1, 1)},
     "decided_on"),
    ({"outcome": "pending", "decided_on": date(2025, 7, 1)}, "decided_on"),
])
def test_a_claim_outcome_must_fit_its_amount_and_dates(caseworker, person, changes, field):
    claim = services.redress_claim_create(actor=caseworker, person_id=person.pk,
                                          route="civil", amount_claimed="100",
                                          filed_on=date(2025, 6, 1))
    with pytest.raises(ApplicationError) as refused:
        services.redress_claim_update(actor=caseworker, claim_id=claim.pk, changes=changes)
    assert refused.value.field == field
    claim.refresh_from_db()
    assert (claim.outcome, claim.amount_awarded) == (RedressOutcome.PENDING, None)


# --- Reads ------------------------------------------------------------------------------------------

def test_reading_a_pathway_is_audited(caseworker, person):
    detail = selectors.pathway_get(actor=caseworker, person_id=person.pk)
    assert detail.stages == [] and detail.pathway.pk is None  # nothing written by reading
    assert "pathway.read" in actions_for(person.pk)
    assert not Pathway.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_accepts_grant_once(caseworker, person, coordinator_user):
    """Two caseworkers of the receiver press "accept" at the same moment: one wins."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the test database of SQLite is in memory and locks whole tables")
    colleague = UserFactory(organisation=coordinator_user.organisation, role=Role.CASEWORKER)
    referral = services.referral_propose(actor=caseworker, person_id=person.pk,
                                         to_organisation_id=coordinator_user.organisation_id,
                                         purpose="care_coordination")
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(user):  # type: ignore[no-untyped-def]
        try:
            start.wait()
            services.referral_accept(actor=user, referral_id=referral.pk)
            outcomes.append("accepted")
        except ConflictError:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(u,)) for u in (coordinator_user, colleague)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["accepted", "conflict"]
    assert AuditEvent.objects.filter(action="referral.accept").count() == 1
