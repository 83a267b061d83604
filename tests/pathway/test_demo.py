"""The demo pathways: made through the services, covering every stage and kind of deadline."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.factories import OrganisationFactory, UserFactory, make_person, make_signal
from tests.pathway.conftest import with_consent
from zicht.audit.selectors import verify_chain
from zicht.organisations.models import OrganisationKind, Role
from zicht.pathway.demo import populate
from zicht.pathway.models import Deadline, Referral, Stage

pytestmark = pytest.mark.django_db

KINDS = ["police", "kmar", "municipality", "municipality", "shelter", "shelter", "youth_care",
         "ngo", "victim_support", "comensha", "ind"]


def test_populate_makes_pathways_in_every_stage_with_open_and_overdue_referrals():
    organisations = [OrganisationFactory(name=f"Demo {n} {kind}", kind=kind)
                     for n, kind in enumerate(KINDS)]
    UserFactory(organisation=organisations[KINDS.index("comensha")],
                role=Role.NATIONAL_COORDINATOR)
    rng = random.Random(3)
    persons = []
    for n in range(60):
        owner = organisations[n % len(organisations)]
        if owner.kind == OrganisationKind.COMENSHA:
            owner = organisations[0]
        actor = UserFactory(organisation=owner, role=Role.CASEWORKER)
        foreign = n % 3 == 0
        person = make_person(actor, given_names=f"Demo{n}",
                             citizenships=["NG"] if foreign else ["RO"],
                             birth_date="" if n % 7 == 0 else "1994-06-01")
        make_signal(actor, person, signalled_on=timezone.localdate() - timedelta(days=200 + n))
        persons.append(with_consent(actor, person, care="given", registration="given",
                                    police="given" if n % 2 else "refused"))
    counts = populate(rng=rng, persons=persons, organisations=organisations,
                      today=timezone.localdate())
    assert set(Stage.objects.values_list("kind", flat=True)) == {
        "identify", "protect", "criminal", "redress"}
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert {"proposed", "accepted", "declined"} <= statuses
    now = timezone.now()
    assert Referral.objects.filter(status="proposed", answer_due_at__lt=now).exists()
    assert Referral.objects.filter(status="proposed", answer_due_at__gt=now).exists()
    assert Deadline.objects.filter(kind="reflection_period", closed_on__isnull=True,
                                   due_on__gte=date.today()).exists()
    assert {"b8_permit", "non_temporary_permit"} <= set(
        Deadline.objects.values_list("kind", flat=True))
    assert counts["escalated"] >= 1
    assert verify_chain().ok
