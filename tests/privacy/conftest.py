"""A person with something in every part of zicht, and the officers who handle requests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.utils import translation

from tests.factories import OrganisationFactory, UserFactory, make_person, make_signal
from zicht.linkage.models import ClusterMembership, Link, LinkageRun, ModelVersion, ReviewDecision
from zicht.organisations.models import OrganisationKind, Role, User
from zicht.pathway import services as pathway
from zicht.registry import services as registry
from zicht.registry.models import Person
from zicht.shelters import services as shelters
from zicht.shelters.models import Shelter

# What the person told, in every free-text field: none of it may survive erasure.
SECRETS = {
    "given_names": "Oana", "family_name": "Vasilescu-Test", "phone": "+40 712 345 678",
    "narrative": "Oana worked at the Vasilescu farm",
    "guardian": "Mihai Vasilescu-Guardian", "note": "Oana prefers Romanian, phone first",
    "reason": "Oana told the AVIM officer everything", "reference": "PL0900-2025-777",
    "title": "Call Oana about her papers", "decision_note": "Oana and Oana V. same woman",
    "external_ref": "NGO-OANA-1",
}


@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    with translation.override("en"):
        yield


def make_officer(user: User) -> User:
    user.user_permissions.add(Permission.objects.get(codename="handle_requests",
                                                     content_type__app_label="privacy"))
    return User.objects.get(pk=user.pk)  # a fresh object: permissions are cached per object


@pytest.fixture
def officer(ngo):  # type: ignore[no-untyped-def]
    """The NGO's privacy officer: a caseworker with the permission."""
    return make_officer(UserFactory(organisation=ngo, role=Role.CASEWORKER, username="fg-ngo"))


@pytest.fixture
def national_officer(comensha):  # type: ignore[no-untyped-def]
    return make_officer(UserFactory(organisation=comensha, role=Role.NATIONAL_COORDINATOR,
                                    username="fg-comensha"))


@pytest.fixture
def police_officer(police):  # type: ignore[no-untyped-def]
    return UserFactory(organisation=police, role=Role.CASEWORKER, username="avim")


@pytest.fixture
def shelter_worker(db):  # type: ignore[no-untyped-def]
    organisation = OrganisationFactory(name="Opvang Voorbeeld", kind=OrganisationKind.SHELTER)
    return UserFactory(organisation=organisation, role=Role.CASEWORKER, username="opvang")


@dataclass
class Story:
    person: Person
    other: Person  # the same woman, registered by the police: a scored link
    values: dict[str, Any]


def _link(a: Person, b: Person, actor: User) -> Link:
    version = ModelVersion.objects.create(version=1, fingerprint="test", parameters={},
                                          upper_weight=5, lower_weight=0)
    run = LinkageRun.objects.create(model_version=version, mode="full",
                                    started_at=dt.datetime(2025, 6, 1, tzinfo=dt.UTC))
    first, second = sorted((a, b), key=lambda p: p.pk)
    link = Link.objects.create(person_a=first, person_b=second, match_weight=9.5,
                               match_probability=0.99, band=Link.Band.MATCH,
                               model_version=version, run=run,
                               comparison_levels={"given_name": "exact"})
    ReviewDecision.objects.create(person_a_id=first.pk, person_b_id=second.pk, link=link,
                                  verdict="same", note=SECRETS["decision_note"],
                                  decided_by=actor)
    ClusterMembership.objects.create(person=first, cluster_id=first.pk)
    ClusterMembership.objects.create(person=second, cluster_id=first.pk)
    return link


@pytest.fixture
def story(caseworker, police_officer, shelter_worker, comensha):  # type: ignore[no-untyped-def]
    """Oana: registered by the NGO, with consent; signalled, decided a victim by the police,
    referred, sheltered (and left), in a criminal case, with a closed case — and linked to
    the police's own record of her."""
    person = make_person(caseworker, given_names=SECRETS["given_names"],
                         family_name=SECRETS["family_name"], phone=SECRETS["phone"])
    for purpose in ("care", "registration", "police"):
        registry.consent_record(actor=caseworker, person_id=person.pk, purpose=purpose,
                                state="given", recorded_on=dt.date(2025, 2, 1))
    make_signal(caseworker, person, narrative=SECRETS["narrative"],
                external_ref=SECRETS["external_ref"])
    pathway.pathway_update(actor=caseworker, person_id=person.pk,
                           changes={"guardian": SECRETS["guardian"]})
    deadline = pathway.deadline_create(actor=caseworker, person_id=person.pk,
                                       title=SECRETS["title"], due_on=dt.date(2030, 1, 1))
    pathway.deadline_extend(actor=caseworker, deadline_id=deadline.pk,
                            due_on=dt.date(2030, 2, 1), reason=SECRETS["reason"])
    referral = pathway.referral_propose(actor=caseworker, person_id=person.pk,
                                        purpose="aangifte", to_organisation_id=police_officer
                                        .organisation_id, note=SECRETS["note"])
    pathway.referral_accept(actor=police_officer, referral_id=referral.pk,
                            reason=SECRETS["reason"])
    pathway.victim_status_decide(actor=police_officer, person_id=person.pk,
                                 status="identified", reason=SECRETS["reason"],
                                 decided_on=dt.date(2025, 3, 10))
    pathway.criminal_case_open(actor=police_officer, person_id=person.pk,
                               aangifte_on=dt.date(2025, 3, 12), reference=SECRETS["reference"])
    shelter = Shelter.objects.create(
        organisation=shelter_worker.organisation, name="Opvang Test", kind="cosm",
        sex_served="any", min_age=18, forms=[], languages=["ro"], municipality="GM0363",
        capacity=3)
    placement = shelters.placement_create(actor=caseworker, person_id=person.pk,
                                          shelter_id=shelter.pk, started_on=dt.date(2025, 3, 2))
    shelters.placement_end(actor=caseworker, placement_id=placement.pk, end_reason="moved_on",
                           ended_on=dt.date(2025, 5, 1))
    pathway.case_status_set(actor=caseworker, person_id=person.pk, status="closed",
                            closing_reason=SECRETS["reason"], closed_on=dt.date(2025, 6, 1))
    other = make_person(police_officer, given_names="Oana", family_name="Vasilescu")
    make_signal(police_officer, other, narrative="Met at a check.")
    _link(person, other, police_officer)
    person.refresh_from_db()
    return Story(person=person, other=other, values=SECRETS)
