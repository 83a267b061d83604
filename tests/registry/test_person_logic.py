"""Age and minority at the signal date, duty registration, and the consent in force."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from tests.factories import OrganisationFactory, UserFactory, make_person, make_signal
from zicht.organisations.models import OrganisationKind, Role
from zicht.registry import services
from zicht.registry.models import Consent, Person, Signal

SIGNAL_DAY = dt.date(2025, 3, 1)


@pytest.mark.parametrize("birth_date, age, group, minor", [
    ("2007-03-02", 17, "12-17", True),    # eighteen tomorrow
    ("2007-03-01", 18, "18-24", False),   # eighteen today
    ("2013-06-30", 11, "0-11", True),
    ("1970-01-01", 55, "55+", False),
    ("2007", 17, "12-17", True),          # 17 or 18: in doubt, a minor
    ("2006", 18, "18-24", False),         # 18 or 19: an adult either way
    ("2025", 0, "0-11", True),
    ("", None, "unknown", True),          # no birth date: treated as a minor
])
def test_age_and_minority_are_fixed_at_the_signal_date(caseworker, birth_date, age, group,
                                                       minor):
    person = make_person(caseworker, birth_date=birth_date)
    signal = make_signal(caseworker, person, signalled_on=SIGNAL_DAY)
    assert (signal.age_at_signal, signal.age_group, signal.minor_at_signal) == (age, group, minor)


def test_a_person_without_a_birth_date_is_shown_as_a_minor(caseworker):
    client = APIClient()
    client.force_authenticate(caseworker)
    unknown = make_person(caseworker, birth_date="")
    adult = make_person(caseworker, family_name="Ouder", birth_date="1980-05-05")
    assert client.get(f"/api/v1/persons/{unknown.pk}/").json()["minor"] is True
    assert client.get(f"/api/v1/persons/{adult.pk}/").json()["minor"] is False


def test_the_minor_filter_uses_the_age_at_the_signal(caseworker):
    client = APIClient()
    client.force_authenticate(caseworker)
    child = make_person(caseworker, family_name="Kind", birth_date="2010")
    adult = make_person(caseworker, family_name="Ouder", birth_date="1980-05-05")
    for person in (child, adult):
        make_signal(caseworker, person)
    minors = client.get("/api/v1/persons/", {"minor": "true"}).json()["results"]
    adults = client.get("/api/v1/persons/", {"minor": "false"}).json()["results"]
    assert [p["id"] for p in minors] == [child.pk]
    assert [p["id"] for p in adults] == [adult.pk]


def test_correcting_the_birth_date_corrects_the_age_at_each_signal(caseworker):
    """Figures count minors by the age at the signal; a corrected birth date must reach them."""
    person = make_person(caseworker, birth_date="")
    signal = make_signal(caseworker, person, signalled_on=SIGNAL_DAY)
    assert signal.minor_at_signal
    services.person_update(actor=caseworker, person_id=person.pk,
                           changes={"birth_date": "1990-07-01"})
    signal.refresh_from_db()
    assert (signal.age_at_signal, signal.age_group, signal.minor_at_signal) == (34, "25-34", False)


def test_a_birth_date_after_a_signal_is_refused(caseworker):
    person = make_person(caseworker, birth_date="2000-01-01")
    make_signal(caseworker, person, signalled_on=SIGNAL_DAY)
    client = APIClient()
    client.force_authenticate(caseworker)
    response = client.patch(f"/api/v1/persons/{person.pk}/", {"birth_date": "2025-06-01"},
                            format="json")
    assert response.status_code == 400
    assert "birth_date" in response.json()
    assert Person.objects.get(pk=person.pk).identity["birth_date"] == "2000-01-01"


@pytest.mark.parametrize("kind, duty", [
    (OrganisationKind.POLICE, True), (OrganisationKind.KMAR, True),
    (OrganisationKind.LABOUR_INSPECTORATE, True), (OrganisationKind.NGO, False),
    (OrganisationKind.MUNICIPALITY, False), (OrganisationKind.COMENSHA, False),
])
def test_a_signal_from_an_organisation_with_a_duty_to_register_marks_the_person(db, kind, duty):
    reporter = UserFactory(organisation=OrganisationFactory(kind=kind), role=Role.CASEWORKER)
    person = make_person(reporter)
    assert not person.duty_registered  # registering alone is not yet a duty registration
    signal = make_signal(reporter, person)
    person.refresh_from_db()
    assert (signal.duty_registration, person.duty_registered) == (duty, duty)


def test_a_duty_registration_stays_when_consent_is_refused(police):
    officer = UserFactory(organisation=police, role=Role.CASEWORKER)
    person = make_person(officer)
    make_signal(officer, person)
    for purpose in ("registration", "police", "care"):
        services.consent_record(actor=officer, person_id=person.pk, purpose=purpose,
                                state="refused")
    person.refresh_from_db()
    assert person.duty_registered
    assert Signal.objects.filter(person=person, duty_registration=True).exists()


# --- The consent in force -------------------------------------------------------------------

def in_force(person: Person, purpose: str) -> str:
    latest = Consent.objects.filter(person=person, purpose=purpose).order_by(
        "-recorded_on", "-created_at", "-id").first()
    return latest.state if latest else "unknown"


def test_a_new_statement_replaces_the_old_one_at_once(caseworker):
    person = make_person(caseworker)
    for state in ("given", "withdrawn", "given", "refused"):
        services.consent_record(actor=caseworker, person_id=person.pk, purpose="care",
                                state=state)
        person.refresh_from_db()
        assert person.consent_care == state == in_force(person, "care")
    assert (person.consent_registration, person.consent_police) == ("unknown", "unknown")


def test_a_late_entered_older_statement_does_not_undo_a_withdrawal(caseworker):
    """A paper form from January typed in after March's withdrawal must not revive consent."""
    person = make_person(caseworker)
    services.consent_record(actor=caseworker, person_id=person.pk, purpose="police",
                            state="withdrawn", recorded_on=dt.date(2025, 3, 1))
    services.consent_record(actor=caseworker, person_id=person.pk, purpose="police",
                            state="given", recorded_on=dt.date(2025, 1, 15))
    person.refresh_from_db()
    assert person.consent_police == "withdrawn"


statements = st.lists(
    st.tuples(st.sampled_from(["registration", "care", "police"]),
              st.sampled_from(["given", "refused", "withdrawn"]),
              st.integers(min_value=0, max_value=30)),
    min_size=1, max_size=8,
)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(statements=statements)
def test_the_person_shows_the_latest_statement_per_purpose(caseworker, statements):
    person = make_person(caseworker)
    for purpose, state, days_ago in statements:
        services.consent_record(actor=caseworker, person_id=person.pk, purpose=purpose,
                                state=state, recorded_on=dt.date(2025, 3, 31) - dt.timedelta(days_ago))
    person.refresh_from_db()
    for purpose in ("registration", "care", "police"):
        assert person.consent(purpose) == in_force(person, purpose)


def test_consent_via_the_api_is_in_force_for_the_next_request(caseworker, comensha):
    registrar = APIClient()
    registrar.force_authenticate(caseworker)
    coordinator = APIClient()
    coordinator.force_authenticate(UserFactory(organisation=comensha,
                                               role=Role.NATIONAL_COORDINATOR))
    person = make_person(caseworker)
    for state, expected in (("given", 200), ("withdrawn", 404), ("given", 200)):
        assert registrar.post("/api/v1/consents/", {"person": person.pk,
                                                    "purpose": "registration", "state": state},
                              format="json").status_code == 201
        assert coordinator.get(f"/api/v1/persons/{person.pk}/").status_code == expected
