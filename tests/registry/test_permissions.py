"""Who may list, read, create, change and delete persons, signals and consents (ADR 0004).

The matrix sets up one person registered by an NGO ("own"), shared with the police while
police consent was given, and then puts the person's consent in one of sixteen states. A user
of each role at each kind of organisation then tries every action through the API;
`expected_sees` and the rules in the test encode the promises, so a changed rule shows up as a
named mismatch. Caseworkers meet all sixteen states everywhere; the other roles meet the states
that can make a difference where they work (see `MATRIX`), which keeps the suite fast.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from tests.factories import OrganisationFactory, UserFactory, make_person, make_signal
from zicht.organisations.models import OrganisationKind, Role
from zicht.registry import services
from zicht.registry.models import AccessReason, Consent, Person, PersonAccess, Signal

CONTENT_ROLES = {Role.REPORTER, Role.CASEWORKER, Role.NATIONAL_COORDINATOR}
ROLES = [Role.REPORTER, Role.CASEWORKER, Role.NATIONAL_COORDINATOR, Role.ANALYST,
         Role.AUDITOR, Role.ADMIN]
ORGANISATIONS = ["own", "other_ngo", "police", "comensha"]
UNKNOWN_ID = 987_654_321


@dataclass(frozen=True)
class Scenario:
    registration: str  # given / refused / withdrawn / unknown
    police: str  # given / refused
    duty: bool  # the police reported a signal themselves (duty to register)

    def __str__(self) -> str:
        return f"registration-{self.registration}_police-{self.police}_duty-{'yes' if self.duty else 'no'}"


SCENARIOS = [
    Scenario(registration, police, duty)
    for registration in ("given", "refused", "withdrawn", "unknown")
    for police in ("given", "refused")
    for duty in (True, False)
]


OPEN = Scenario("given", "given", True)
CLOSED = Scenario("refused", "refused", False)


def scenarios_that_matter(role: str, organisation: str) -> list[Scenario]:
    if role == Role.CASEWORKER:
        return SCENARIOS
    if role not in CONTENT_ROLES:
        return [OPEN]  # nothing opens person content to these roles
    if organisation == "police":
        return [s for s in SCENARIOS if s.registration in ("given", "refused")]
    if organisation == "comensha":
        return [s for s in SCENARIOS if s.police == ("given" if s.duty else "refused")]
    return [OPEN, CLOSED]


MATRIX = [
    pytest.param(scenario, role, organisation, id=f"{scenario}-{role}-{organisation}")
    for role in ROLES
    for organisation in ORGANISATIONS
    for scenario in scenarios_that_matter(role, organisation)
]


def expected_sees(role: str, organisation: str, scenario: Scenario) -> bool:
    if role not in CONTENT_ROLES:
        return False  # analysts, auditors and administrators never see person content
    if organisation == "own":
        return True  # it reported the person
    if organisation == "police":
        # Its own duty registration stays; the share ends with the police consent.
        return scenario.duty or scenario.police == "given"
    if organisation == "comensha":
        return role == Role.NATIONAL_COORDINATOR and (
            scenario.registration == "given" or scenario.duty)
    return False  # another NGO got nothing


@dataclass
class World:
    organisations: dict
    registrar: object
    person: Person
    signal: Signal
    consent: Consent


def build_world(scenario: Scenario) -> World:
    organisations = {
        "own": OrganisationFactory(name="Stichting Eigen", kind=OrganisationKind.NGO),
        "other_ngo": OrganisationFactory(name="Stichting Ander", kind=OrganisationKind.NGO),
        "police": OrganisationFactory(name="Politie Oost", kind=OrganisationKind.POLICE),
        "comensha": OrganisationFactory(name="CoMensha", kind=OrganisationKind.COMENSHA),
    }
    registrar = UserFactory(organisation=organisations["own"], role=Role.CASEWORKER)
    officer = UserFactory(organisation=organisations["police"], role=Role.CASEWORKER)
    person = make_person(registrar)
    signal = make_signal(registrar, person)
    consent = services.consent_record(actor=registrar, person_id=person.pk, purpose="police",
                                      state="given")
    services.person_share(actor=registrar, person_id=person.pk,
                          organisation_id=organisations["police"].pk)
    if scenario.duty:
        make_signal(officer, person, signalled_on=dt.date(2025, 3, 2))
    if scenario.registration != "unknown":
        services.consent_record(actor=registrar, person_id=person.pk, purpose="registration",
                                state=scenario.registration)
    if scenario.police != "given":
        services.consent_record(actor=registrar, person_id=person.pk, purpose="police",
                                state=scenario.police)
    return World(organisations, registrar, person, signal, consent)


def ids_in(response) -> set[int]:  # type: ignore[no-untyped-def]
    return {row["id"] for row in response.json()["results"]}


class Checker:
    """Collects every mismatch so one failing case names all its wrong answers."""

    def __init__(self) -> None:
        self.mismatches: list[str] = []

    def status(self, what: str, response, expected: int) -> None:  # type: ignore[no-untyped-def]
        if response.status_code != expected:
            self.mismatches.append(
                f"{what}: expected {expected}, got {response.status_code} {response.content[:120]!r}")

    def true(self, what: str, condition: bool) -> None:
        if not condition:
            self.mismatches.append(what)


@pytest.mark.parametrize("scenario, role, organisation", MATRIX)
def test_permission_matrix(db, scenario, role, organisation):  # type: ignore[no-untyped-def]
    world = build_world(scenario)
    person, signal = world.person, world.signal
    actor = UserFactory(organisation=world.organisations[organisation], role=role)
    client = APIClient()
    client.force_authenticate(actor)
    sees = expected_sees(role, organisation, scenario)
    reports = role in CONTENT_ROLES
    may_change_person = sees and role in (Role.CASEWORKER, Role.NATIONAL_COORDINATOR)
    may_delete_person = sees and role == Role.CASEWORKER and organisation == "own"
    may_change_signal = may_delete_person  # the reporting organisation's caseworkers
    check = Checker()

    # Reads: list, exact search, count, detail — the hidden person is absent everywhere.
    listed = client.get("/api/v1/persons/")
    check.status("person list", listed, 200)
    check.true(f"person list shows the person: expected {sees}", (person.pk in ids_in(listed)) == sees)
    check.true("person count", listed.json()["count"] == (1 if sees else 0))
    found = client.get("/api/v1/persons/", {"given_names": "Maria", "family_name": "Ionescu",
                                            "birth_date": "1995-04-12"})
    check.true(f"person search finds the person: expected {sees}", found.json()["count"] == (1 if sees else 0))
    read = client.get(f"/api/v1/persons/{person.pk}/")
    check.status("person read", read, 200 if sees else 404)
    if not sees:
        nonexistent = client.get(f"/api/v1/persons/{UNKNOWN_ID}/")
        check.true("hidden person answers like a nonexistent one", read.json() == nonexistent.json())

    signals = client.get("/api/v1/signals/")
    check.true(f"signal list shows the signal: expected {sees}", (signal.pk in ids_in(signals)) == sees)
    check.status("signal read", client.get(f"/api/v1/signals/{signal.pk}/"), 200 if sees else 404)
    consents = client.get("/api/v1/consents/", {"person": person.pk})
    check.true(f"consent list shows the consents: expected {sees}",
               (world.consent.pk in ids_in(consents)) == sees)
    check.true("consent list shows nothing when hidden", sees or consents.json()["count"] == 0)
    check.status("consent read", client.get(f"/api/v1/consents/{world.consent.pk}/"),
                 200 if sees else 404)

    # Creates.
    check.status("person create", client.post("/api/v1/persons/", {"family_name": "Nieuw"},
                                              format="json"), 201 if reports else 403)
    signal_create = client.post("/api/v1/signals/", {
        "person": person.pk, "signalled_on": "2025-03-05", "forms": ["labour"],
        "municipality": "GM0363", "source": "own_observation"}, format="json")
    check.status("signal create", signal_create, 201 if reports and sees else 400 if reports else 403)
    consent_create = client.post("/api/v1/consents/", {"person": person.pk, "purpose": "care",
                                                       "state": "given"}, format="json")
    check.status("consent create", consent_create, 201 if reports and sees else 400 if reports else 403)

    # Updates (consent statements are never changed: test_consent_statements_are_append_only).
    check.status("person update", client.patch(f"/api/v1/persons/{person.pk}/",
                                               {"phone": "+31 6 11112222"}, format="json"),
                 200 if may_change_person else 403 if sees else 404)
    check.status("signal update", client.patch(f"/api/v1/signals/{signal.pk}/", {"sector": "A"},
                                               format="json"),
                 200 if may_change_signal else 403 if sees else 404)

    # Deletes, signal first: deleting the person takes its signals along.
    check.status("signal delete", client.delete(f"/api/v1/signals/{signal.pk}/"),
                 204 if may_change_signal else 403 if sees else 404)
    check.status("person delete", client.delete(f"/api/v1/persons/{person.pk}/"),
                 204 if may_delete_person else 403 if sees else 404)
    check.true("person still stored unless deleted",
               Person.objects.filter(pk=person.pk).exists() != may_delete_person)

    assert not check.mismatches, "\n".join(check.mismatches)


# --- Sharing, referral and withdrawal ------------------------------------------------------

@pytest.fixture
def other_ngo(db):  # type: ignore[no-untyped-def]
    return OrganisationFactory(name="Stichting Ander", kind=OrganisationKind.NGO)


def client_for(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_care_share_shows_the_person_and_ends_at_once_on_withdrawal(caseworker, other_ngo):
    person = make_person(caseworker)
    signal = make_signal(caseworker, person)
    colleague = client_for(UserFactory(organisation=other_ngo, role=Role.CASEWORKER))
    registrar = client_for(caseworker)
    assert colleague.get(f"/api/v1/persons/{person.pk}/").status_code == 404

    assert registrar.post("/api/v1/consents/", {"person": person.pk, "purpose": "care",
                                                "state": "given"}, format="json").status_code == 201
    assert registrar.post(f"/api/v1/persons/{person.pk}/share/", {"organisation": other_ngo.pk},
                          format="json").status_code == 201
    assert colleague.get(f"/api/v1/persons/{person.pk}/").status_code == 200
    assert colleague.get(f"/api/v1/signals/{signal.pk}/").status_code == 200

    assert registrar.post("/api/v1/consents/", {"person": person.pk, "purpose": "care",
                                                "state": "withdrawn"}, format="json").status_code == 201
    assert colleague.get(f"/api/v1/persons/{person.pk}/").status_code == 404
    assert colleague.get(f"/api/v1/signals/{signal.pk}/").status_code == 404
    assert colleague.get("/api/v1/persons/").json()["count"] == 0
    assert colleague.get("/api/v1/consents/", {"person": person.pk}).json()["count"] == 0
    # The registering organisation keeps its own record.
    assert registrar.get(f"/api/v1/persons/{person.pk}/").status_code == 200


def test_a_care_share_is_refused_without_care_consent(caseworker, other_ngo):
    person = make_person(caseworker)
    response = client_for(caseworker).post(f"/api/v1/persons/{person.pk}/share/",
                                           {"organisation": other_ngo.pk}, format="json")
    assert response.status_code == 400
    assert "organisation" in response.json()
    assert not PersonAccess.objects.filter(organisation=other_ngo).exists()


@pytest.mark.parametrize("refusal", ["refused", "withdrawn"])
def test_a_referral_ends_when_care_consent_ends(caseworker, other_ngo, refusal):
    person = make_person(caseworker)
    PersonAccess.objects.create(person=person, organisation=other_ngo, reason=AccessReason.REFERRED)
    shelter = client_for(UserFactory(organisation=other_ngo, role=Role.CASEWORKER))
    assert shelter.get(f"/api/v1/persons/{person.pk}/").status_code == 200
    services.consent_record(actor=caseworker, person_id=person.pk, purpose="care", state=refusal)
    assert shelter.get(f"/api/v1/persons/{person.pk}/").status_code == 404


def test_a_police_referral_follows_police_consent_not_care_consent(caseworker, police):
    person = make_person(caseworker)
    PersonAccess.objects.create(person=person, organisation=police, reason=AccessReason.REFERRED)
    officer = client_for(UserFactory(organisation=police, role=Role.CASEWORKER))
    services.consent_record(actor=caseworker, person_id=person.pk, purpose="care", state="refused")
    assert officer.get(f"/api/v1/persons/{person.pk}/").status_code == 200
    services.consent_record(actor=caseworker, person_id=person.pk, purpose="police",
                            state="refused")
    assert officer.get(f"/api/v1/persons/{person.pk}/").status_code == 404


@pytest.mark.parametrize("kind", [OrganisationKind.POLICE, OrganisationKind.KMAR,
                                  OrganisationKind.LABOUR_INSPECTORATE,
                                  OrganisationKind.PROSECUTION])
@pytest.mark.parametrize("police_consent", ["unknown", "refused", "withdrawn"])
def test_an_ngo_cannot_share_with_police_without_police_consent(caseworker, kind, police_consent):
    receiver = OrganisationFactory(kind=kind)
    person = make_person(caseworker)
    if police_consent != "unknown":
        services.consent_record(actor=caseworker, person_id=person.pk, purpose="police",
                                state=police_consent)
    response = client_for(caseworker).post(f"/api/v1/persons/{person.pk}/share/",
                                           {"organisation": receiver.pk}, format="json")
    assert response.status_code == 400
    assert "organisation" in response.json()
    assert not PersonAccess.objects.filter(organisation=receiver).exists()


@pytest.mark.parametrize("police_consent, expected", [
    ("unknown", 201), ("given", 201), ("refused", 400), ("withdrawn", 400)])
def test_an_organisation_that_must_register_shares_with_police_unless_the_person_refused(
        police, police_consent, expected):  # type: ignore[no-untyped-def]
    inspectorate = OrganisationFactory(kind=OrganisationKind.LABOUR_INSPECTORATE)
    inspector = UserFactory(organisation=inspectorate, role=Role.CASEWORKER)
    person = make_person(inspector)
    make_signal(inspector, person)
    if police_consent != "unknown":
        services.consent_record(actor=inspector, person_id=person.pk, purpose="police",
                                state=police_consent)
    response = client_for(inspector).post(f"/api/v1/persons/{person.pk}/share/",
                                          {"organisation": police.pk}, format="json")
    assert response.status_code == expected, response.content
    officer = client_for(UserFactory(organisation=police, role=Role.CASEWORKER))
    assert officer.get(f"/api/v1/persons/{person.pk}/").status_code == (
        200 if expected == 201 else 404)
    if expected == 400:
        assert "organisation" in response.json()


def test_a_police_refusal_hides_a_person_shared_while_consent_was_unknown(police):
    inspectorate = OrganisationFactory(kind=OrganisationKind.LABOUR_INSPECTORATE)
    inspector = UserFactory(organisation=inspectorate, role=Role.CASEWORKER)
    person = make_person(inspector)
    services.person_share(actor=inspector, person_id=person.pk, organisation_id=police.pk)
    officer = client_for(UserFactory(organisation=police, role=Role.CASEWORKER))
    assert officer.get(f"/api/v1/persons/{person.pk}/").status_code == 200
    services.consent_record(actor=inspector, person_id=person.pk, purpose="police",
                            state="refused")
    assert officer.get(f"/api/v1/persons/{person.pk}/").status_code == 404


def test_a_share_with_comensha_needs_registration_consent(caseworker, comensha):
    person = make_person(caseworker)
    registrar = client_for(caseworker)
    refused = registrar.post(f"/api/v1/persons/{person.pk}/share/", {"organisation": comensha.pk},
                             format="json")
    assert refused.status_code == 400 and "organisation" in refused.json()
    services.consent_record(actor=caseworker, person_id=person.pk, purpose="registration",
                            state="given")
    assert registrar.post(f"/api/v1/persons/{person.pk}/share/", {"organisation": comensha.pk},
                          format="json").status_code == 201


@pytest.mark.parametrize("role, expected", [(Role.REPORTER, 403), (Role.CASEWORKER, 201),
                                            (Role.NATIONAL_COORDINATOR, 201)])
def test_only_caseworkers_and_the_national_coordinator_share(ngo, other_ngo, role, expected):
    actor = UserFactory(organisation=ngo, role=role)
    person = make_person(actor)
    services.consent_record(actor=actor, person_id=person.pk, purpose="care", state="given")
    response = client_for(actor).post(f"/api/v1/persons/{person.pk}/share/",
                                      {"organisation": other_ngo.pk}, format="json")
    assert response.status_code == expected


def test_sharing_a_hidden_person_answers_not_found(caseworker, other_ngo):
    person = make_person(caseworker)
    outsider = client_for(UserFactory(organisation=other_ngo, role=Role.CASEWORKER))
    hidden = outsider.post(f"/api/v1/persons/{person.pk}/share/", {"organisation": other_ngo.pk},
                           format="json")
    nonexistent = outsider.post(f"/api/v1/persons/{UNKNOWN_ID}/share/",
                                {"organisation": other_ngo.pk}, format="json")
    assert hidden.status_code == nonexistent.status_code == 404
    assert hidden.json() == nonexistent.json()


# --- The national view -------------------------------------------------------------------

@pytest.mark.parametrize("kind", [OrganisationKind.POLICE, OrganisationKind.NGO,
                                  OrganisationKind.MUNICIPALITY])
def test_the_national_view_belongs_to_comensha_only(caseworker, kind):
    """A coordinator role given by mistake elsewhere must not open every registration."""
    person = make_person(caseworker)
    services.consent_record(actor=caseworker, person_id=person.pk, purpose="registration",
                            state="given")
    services.consent_record(actor=caseworker, person_id=person.pk, purpose="police",
                            state="refused")
    elsewhere = client_for(UserFactory(organisation=OrganisationFactory(kind=kind),
                                       role=Role.NATIONAL_COORDINATOR))
    assert elsewhere.get(f"/api/v1/persons/{person.pk}/").status_code == 404
    assert elsewhere.get("/api/v1/persons/").json()["count"] == 0


def test_the_national_coordinator_sees_a_duty_registration_despite_refused_registration(
        caseworker, police, comensha):  # type: ignore[no-untyped-def]
    officer = UserFactory(organisation=police, role=Role.CASEWORKER)
    person = make_person(officer)
    make_signal(officer, person)
    services.consent_record(actor=officer, person_id=person.pk, purpose="registration",
                            state="refused")
    coordinator = client_for(UserFactory(organisation=comensha, role=Role.NATIONAL_COORDINATOR))
    assert coordinator.get(f"/api/v1/persons/{person.pk}/").status_code == 200


def test_the_national_coordinator_loses_sight_when_registration_consent_is_withdrawn(
        caseworker, comensha):  # type: ignore[no-untyped-def]
    person = make_person(caseworker)
    services.consent_record(actor=caseworker, person_id=person.pk, purpose="registration",
                            state="given")
    coordinator = client_for(UserFactory(organisation=comensha, role=Role.NATIONAL_COORDINATOR))
    assert coordinator.get(f"/api/v1/persons/{person.pk}/").status_code == 200
    client_for(caseworker).post("/api/v1/consents/", {
        "person": person.pk, "purpose": "registration", "state": "withdrawn"}, format="json")
    assert coordinator.get(f"/api/v1/persons/{person.pk}/").status_code == 404


# --- Authentication and append-only consent -------------------------------------------------

def test_an_anonymous_request_is_refused(caseworker):
    person = make_person(caseworker)
    assert APIClient().get(f"/api/v1/persons/{person.pk}/").status_code == 401
    assert APIClient().get("/api/v1/persons/").status_code == 401


def test_an_inactive_user_loses_access(api, caseworker):
    person = make_person(caseworker)
    client = api.as_user(caseworker)
    caseworker.is_active = False
    caseworker.save()
    assert client.get(f"/api/v1/persons/{person.pk}/").status_code == 401


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
@pytest.mark.parametrize("role", ROLES)
def test_consent_statements_are_append_only(caseworker, comensha, method, role):
    person = make_person(caseworker)
    consent = services.consent_record(actor=caseworker, person_id=person.pk, purpose="care",
                                      state="given")
    actor = caseworker if role == Role.CASEWORKER else UserFactory(organisation=comensha,
                                                                   role=role)
    response = getattr(client_for(actor), method)(
        f"/api/v1/consents/{consent.pk}/", {"state": "withdrawn"}, format="json")
    assert response.status_code == 405
    consent.refresh_from_db()
    assert consent.state == "given"
    assert Consent.objects.count() == 1
