from __future__ import annotations

import random
from datetime import date

import pytest

from tests.factories import OrganisationFactory, UserFactory
from zicht.actionplan import demo
from zicht.actionplan.models import (
    Action,
    ActionLine,
    Campaign,
    Expert,
    Milestone,
    ProgressReport,
    Region,
    ReportingPeriod,
)
from zicht.audit.selectors import verify_chain
from zicht.organisations.models import OrganisationKind, Role


@pytest.fixture
def organisations(db):  # type: ignore[no-untyped-def]
    orgs = [OrganisationFactory(name="CoMensha", kind=OrganisationKind.COMENSHA,
                                municipality="GM0307"),
            OrganisationFactory(name="Stichting Loonwacht", kind=OrganisationKind.NGO),
            OrganisationFactory(name="Gemeente Utrecht, zorgcoördinatie mensenhandel",
                                kind=OrganisationKind.MUNICIPALITY, municipality="GM0344"),
            OrganisationFactory(name="RIEC Midden-Nederland", kind=OrganisationKind.RIEC,
                                municipality="GM0344")]
    UserFactory(organisation=orgs[0], role=Role.NATIONAL_COORDINATOR)
    UserFactory(organisation=orgs[2], role=Role.CASEWORKER)
    return orgs


@pytest.fixture
def programme(organisations):  # type: ignore[no-untyped-def]
    return demo.populate(rng=random.Random(3), organisations=organisations,
                         today=date(2025, 7, 4))


def test_the_demo_has_the_six_action_lines_and_the_seeds_actions(programme):
    assert list(ActionLine.objects.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert Action.objects.count() == len(demo.ACTIONS) >= 20
    for action in Action.objects.all():
        assert action.holders.exists()
        assert not action.milestones.filter(due_on__gt=action.ends_on).exists()


def test_the_demo_has_54_campaigns_between_2020_and_2024(programme):
    assert Campaign.objects.filter(starts_on__year__gte=2020,
                                   starts_on__year__lte=2024).count() == 54
    assert Campaign.objects.filter(reach=16915).exists()


def test_the_demo_reports_progress_up_to_today(programme):
    assert list(ReportingPeriod.objects.values_list("code", flat=True)) == [
        "2024-H2", "2025-H1", "2025-H2"]
    assert ReportingPeriod.objects.get(code="2024-H2").is_closed
    assert not ReportingPeriod.objects.get(code="2025-H1").is_closed
    assert ProgressReport.objects.filter(period__code="2024-H2").exists()
    assert not ProgressReport.objects.filter(period__code="2025-H2").exists()
    assert Action.objects.filter(status="delayed").exists()
    assert not Milestone.objects.filter(reached_on__gt=date(2025, 7, 4)).exists()


def test_the_demo_experts_are_encrypted_and_regions_exist(programme):
    expert = Expert.objects.first()
    assert expert is not None and expert.identity["name"]
    assert expert.identity["name"] not in expert.identity_ciphertext
    assert Region.objects.filter(kind="safety").count() == 25
    assert Region.objects.filter(kind="care").exists()
    assert verify_chain().ok


def test_populating_twice_adds_nothing(programme, organisations):
    counts = (Action.objects.count(), Campaign.objects.count(), Expert.objects.count())
    demo.populate(rng=random.Random(4), organisations=organisations, today=date(2025, 7, 4))
    assert (Action.objects.count(), Campaign.objects.count(), Expert.objects.count()) == counts
