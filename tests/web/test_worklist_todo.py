"""The worklist's "to do": open referrals both ways and the nearest deadlines."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.factories import OrganisationFactory, UserFactory, make_person, make_signal
from zicht.organisations.models import OrganisationKind, Role
from zicht.pathway import services as pathway

pytestmark = pytest.mark.django_db


@pytest.fixture
def municipality():  # type: ignore[no-untyped-def]
    return OrganisationFactory(name="Gemeente Voorbeeld", kind=OrganisationKind.MUNICIPALITY)


def test_a_referral_shows_on_both_organisations_worklists_with_its_age(
        client, caseworker, municipality):
    person = make_person(caseworker)
    make_signal(caseworker, person)
    from zicht.registry.services import consent_record
    consent_record(actor=caseworker, person_id=person.pk, purpose="care", state="given")
    pathway.referral_propose(actor=caseworker, person_id=person.pk, purpose="care_coordination",
                             to_organisation_id=municipality.pk,
                             now=timezone.now() - dt.timedelta(days=3))
    receiver = UserFactory(organisation=municipality, role=Role.CASEWORKER)

    client.force_login(caseworker)
    sent = client.get("/").content.decode()
    assert "Gemeente Voorbeeld" in sent
    assert "3 dagen open" in sent

    client.force_login(receiver)
    received = client.get("/").content.decode()
    assert f"#{person.pk}" in received  # the receiver sees the number, not the name, until it accepts
    assert "Ionescu" not in received


def test_a_reflection_period_shows_on_the_worklist_with_days_left(client, police):
    officer = UserFactory(organisation=police, role=Role.CASEWORKER)
    person = make_person(officer, citizenships=["NG"])
    make_signal(officer, person)
    pathway.pathway_update(actor=officer, person_id=person.pk,
                           changes={"residence_status": "no_legal_residence"})
    pathway.reflection_period_offer(actor=officer, person_id=person.pk,
                                    offered_on=timezone.localdate())
    client.force_login(officer)
    page = client.get("/").content.decode()
    assert "Termijnen" in page
    days_left = re.search(r"nog (\d+) dagen", page)
    assert days_left is not None
    assert 89 <= int(days_left.group(1)) <= 92  # the reflection period: three months


def test_a_screening_outcome_prefills_the_new_signal_form_with_known_codes_only(client,
                                                                                caseworker):
    client.force_login(caseworker)
    page = client.get("/signals/new/?forms=labour&forms=bogus&indicators=debt_bondage").content.decode()
    assert re.search(r'<input[^>]*value="labour"[^>]*checked', page)
    assert re.search(r'<input[^>]*value="debt_bondage"[^>]*checked', page)
    assert not re.search(r'<input[^>]*value="sexual"[^>]*checked', page)
    assert not re.search(r"<input[^>]*type=\"checkbox\"[^>]*value=\"bogus\"", page)


@pytest.mark.parametrize(("role", "offered"), [
    (Role.ANALYST, True), (Role.NATIONAL_COORDINATOR, True), (Role.ADMIN, True),
    (Role.CASEWORKER, False), (Role.REPORTER, False), (Role.AUDITOR, False),
])
def test_the_menu_offers_figures_exactly_to_those_who_may_see_them(client, comensha, role,
                                                                   offered):
    client.force_login(UserFactory(organisation=comensha, role=role))
    page = client.get("/", follow=True).content.decode()
    assert ('href="/figures/"' in page) is offered
