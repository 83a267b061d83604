"""Two organisations' data, each with marker words planted in every free-text field.

The markers are plain words nobody would type by chance. An attack test looks for them in
responses: the other organisation's marker must never appear, whoever asks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tests.factories import OrganisationFactory, UserFactory, make_person, make_signal
from zicht.organisations.models import Organisation, OrganisationKind, Role, User
from zicht.pathway import services as pathway
from zicht.registry import services as registry
from zicht.shelters import services as shelters
from zicht.shelters.codes import SafetyLevel, SexServed, ShelterKind
from zicht.shelters.models import Shelter

# Alfa's persons are seen by Alfa's content roles and, with registration consent, by CoMensha.
ALFA_MARKER = "Qzalfamarker"
# Beta's persons have no consent to share: only Beta itself may ever see them.
BETA_MARKER = "Qzbetamarker"

ROLES = [Role.REPORTER, Role.CASEWORKER, Role.NATIONAL_COORDINATOR, Role.ANALYST,
         Role.AUDITOR, Role.ADMIN]


@dataclass
class World:
    alfa: Organisation
    beta: Organisation
    comensha: Organisation
    users: dict[str, User]          # one per role; the national coordinator works at CoMensha
    beta_caseworker: User
    objects: dict[str, list[int]] = field(default_factory=dict)  # kind -> ids, for URL walking

    def add(self, kind: str, pk: int) -> None:
        self.objects.setdefault(kind, []).append(pk)

    def markers_allowed_for(self, role: str) -> set[str]:
        """Which organisation's person data this role may see under the access rules."""
        if role in (Role.REPORTER, Role.CASEWORKER, Role.NATIONAL_COORDINATOR):
            return {ALFA_MARKER}
        return set()


def _person_with_history(actor: User, marker: str, world: World, *, share_with_comensha: bool):
    person = make_person(actor, given_names=f"Ana {marker}", family_name=f"{marker}escu",
                         aliases=[f"{marker}alias"], phone="+31612345678",
                         identity_documents=[{"kind": "passport", "number": f"{marker}123",
                                              "country": "RO"}])
    signal = make_signal(actor, person, narrative=f"Seen at a car wash by {marker}.",
                         signalled_on=dt.date(2025, 3, 1))
    for purpose in ("care", "registration") if share_with_comensha else ("care",):
        registry.consent_record(actor=actor, person_id=person.pk, purpose=purpose, state="given")
    deadline = pathway.deadline_create(actor=actor, person_id=person.pk,
                                       title=f"Call {marker} back", due_on="2030-01-01")
    world.add("person", person.pk)
    world.add("signal", signal.pk)
    world.add("deadline", deadline.pk)
    world.add("pathway", deadline.pathway.person_id)
    world.add("consent", person.consents.first().pk)
    return person


def build_world() -> World:
    alfa = OrganisationFactory(name="Stichting Alfa", kind=OrganisationKind.NGO,
                               municipality="GM0363")
    beta = OrganisationFactory(name="Stichting Beta", kind=OrganisationKind.NGO,
                               municipality="GM0599")
    comensha = OrganisationFactory(name="CoMensha", kind=OrganisationKind.COMENSHA,
                                   municipality="GM0363")
    shelter_org = OrganisationFactory(name="Opvang Gamma", kind=OrganisationKind.SHELTER,
                                      municipality="GM0344")
    users = {role: UserFactory(organisation=comensha if role == Role.NATIONAL_COORDINATOR
                               else alfa, role=role, username=f"alfa-{role}")
             for role in ROLES}
    world = World(alfa=alfa, beta=beta, comensha=comensha, users=users,
                  beta_caseworker=UserFactory(organisation=beta, role=Role.CASEWORKER,
                                              username="beta-caseworker"))
    shelter = Shelter.objects.create(
        organisation=shelter_org, name="Opvang Gamma COSM", kind=ShelterKind.COSM,
        sex_served=SexServed.ANY, min_age=18, max_age=None, forms=[], languages=["ro", "nl"],
        safety_level=SafetyLevel.NORMAL, municipality="GM0344", capacity=5)
    world.add("shelter", shelter.pk)
    world.add("organisation", alfa.pk)
    world.add("organisation", beta.pk)

    caseworker = users[Role.CASEWORKER]
    for owner, marker, share in ((caseworker, ALFA_MARKER, True),
                                 (world.beta_caseworker, BETA_MARKER, False)):
        person = _person_with_history(owner, marker, world, share_with_comensha=share)
        _person_with_history(owner, marker, world, share_with_comensha=share)
        referral = pathway.referral_propose(actor=owner, person_id=person.pk, purpose="shelter",
                                            to_organisation_id=shelter_org.pk,
                                            note=f"Needs a safe place, {marker}.")
        world.add("referral", referral.pk)
        placement = shelters.placement_create(actor=owner, person_id=person.pk,
                                              shelter_id=shelter.pk)
        world.add("placement", placement.pk)
        claim = pathway.redress_claim_create(actor=owner, person_id=person.pk, route="schadefonds",
                                             amount_claimed="1000.00")
        world.add("redress", claim.pk)
    return world
