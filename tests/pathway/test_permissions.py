"""Who may read a pathway, change it, see a referral and answer it: role × organisation × action.

One person is registered by an NGO ("own", with consent for care and registration) and
referred to a municipality ("receiver"); "other" is a shelter with no part in it, and
"comensha" the national coordination centre. `expected_*` encode the rules.
"""

from __future__ import annotations

import pytest

from tests.factories import OrganisationFactory, UserFactory, make_person
from tests.pathway.conftest import with_consent
from zicht.organisations.models import OrganisationKind, Role
from zicht.pathway import services

ROLES = [Role.REPORTER, Role.CASEWORKER, Role.NATIONAL_COORDINATOR, Role.ANALYST,
         Role.AUDITOR, Role.ADMIN]
CONTENT = {Role.REPORTER, Role.CASEWORKER, Role.NATIONAL_COORDINATOR}
WRITERS = {Role.CASEWORKER, Role.NATIONAL_COORDINATOR}
ORGANISATIONS = ["own", "receiver", "other", "comensha"]
CASES = [(role, org) for role in ROLES for org in ORGANISATIONS]


def national_coordinator(role: str, org: str) -> bool:
    # The role counts at CoMensha only (registry/access.py).
    return role == Role.NATIONAL_COORDINATOR and org == "comensha"


def sees_person(role: str, org: str) -> bool:
    # The receiver does not see the person before accepting; the national coordinator
    # sees everyone registered with consent.
    return role in CONTENT and (org == "own" or national_coordinator(role, org))


def expected_read(role: str, org: str) -> int:
    return 200 if sees_person(role, org) else 404


def expected_write(role: str, org: str) -> int:
    if not sees_person(role, org):
        return 404
    return 201 if role in WRITERS else 403


def sees_referral(role: str, org: str) -> bool:
    return role in CONTENT and (org in ("own", "receiver") or national_coordinator(role, org))


def expected_referral_read(role: str, org: str) -> int:
    return 200 if sees_referral(role, org) else 404


def expected_accept(role: str, org: str) -> int:
    if not sees_referral(role, org):
        return 404
    if role not in WRITERS:
        return 403
    return 200 if org == "receiver" else 400


@pytest.fixture
def world(db, api):  # type: ignore[no-untyped-def]
    organisations = {
        "own": OrganisationFactory(name="NGO Eigen", kind=OrganisationKind.NGO),
        "receiver": OrganisationFactory(name="Gemeente Ontvanger",
                                        kind=OrganisationKind.MUNICIPALITY),
        "other": OrganisationFactory(name="Opvang Anders", kind=OrganisationKind.SHELTER),
        "comensha": OrganisationFactory(name="CoMensha", kind=OrganisationKind.COMENSHA),
    }
    sender = UserFactory(organisation=organisations["own"], role=Role.CASEWORKER,
                         username="sender")
    person = with_consent(sender, make_person(sender), care="given", registration="given")
    referral = services.referral_propose(actor=sender, person_id=person.pk,
                                         to_organisation_id=organisations["receiver"].pk,
                                         purpose="care_coordination")
    return organisations, person, referral


def client_for(api, world, role, org):  # type: ignore[no-untyped-def]
    organisations, _, _ = world
    user = UserFactory(organisation=organisations[org], role=role)
    return api.as_user(user)


@pytest.mark.parametrize("role, org", CASES)
def test_reading_a_pathway(api, world, role, org):
    _, person, _ = world
    response = client_for(api, world, role, org).get(f"/api/v1/pathways/{person.pk}/")
    assert response.status_code == expected_read(role, org)


@pytest.mark.parametrize("role, org", CASES)
def test_starting_a_stage(api, world, role, org):
    _, person, _ = world
    response = client_for(api, world, role, org).post(
        f"/api/v1/pathways/{person.pk}/stages/", {"kind": "protect"}, format="json")
    assert response.status_code == expected_write(role, org)


@pytest.mark.parametrize("role, org", CASES)
def test_reading_a_referral(api, world, role, org):
    _, _, referral = world
    response = client_for(api, world, role, org).get(f"/api/v1/referrals/{referral.pk}/")
    assert response.status_code == expected_referral_read(role, org)


@pytest.mark.parametrize("role, org", CASES)
def test_accepting_a_referral(api, world, role, org):
    _, _, referral = world
    response = client_for(api, world, role, org).post(
        f"/api/v1/referrals/{referral.pk}/accept/", {}, format="json")
    assert response.status_code == expected_accept(role, org), response.content
