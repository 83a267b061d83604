"""The HTML pages through Django's test client: every page, every role."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import OrganisationFactory, UserFactory, make_person, make_signal
from tests.twofactor import authenticator, code_for
from zicht.audit.models import AuditEvent
from zicht.organisations.models import OrganisationKind, Role
from zicht.registry.models import Consent, Person, PersonAccess, Signal

NEW_SIGNAL = {
    "given_names": "Ana", "family_name": "Popescu", "birth_date": "2001-06-30",
    "sex": "female", "citizenships": "ro", "languages": "ro, en",
    "signalled_on": "2025-03-01", "forms": ["sexual", "labour"],
    "indicators": ["deception", "withholding_of_wages"], "indicators_other": "No contract",
    "sector": "I", "municipality": "gm0363", "scope": "cross_border",
    "source": "own_observation", "narrative": "Worked 14 hours a day in a hotel kitchen.",
}


def audit_actions(user, action):  # type: ignore[no-untyped-def]
    return AuditEvent.objects.filter(actor_id=user.pk, action=action)


# --- log-in, language, error pages ---------------------------------------------------

def test_it_sends_anonymous_visitors_to_the_login_page(client, db):
    # The site root sends visitors who are not logged in to the public Wegwijzer;
    # the registry's own pages still ask them to log in.
    response = client.get("/signals/new/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/signals/new/")


def test_the_login_page_speaks_dutch_by_default(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert "Inloggen" in html
    assert 'class="nl-skip-link' in html


def test_a_caseworker_logs_in_with_username_password_and_the_code_of_their_app(client,
                                                                                caseworker):
    app = authenticator(caseworker)
    response = client.post("/accounts/login/", {"username": "caseworker",
                                                "password": "correct horse battery"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/code/"
    response = client.post("/accounts/login/code/", {"code": code_for(app)})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_wrong_password_is_named_in_an_alert(client, caseworker):
    response = client.post("/accounts/login/", {"username": "caseworker", "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert 'aria-invalid="true"' in html


def test_logging_out_takes_a_post_and_ends_the_session(client, caseworker):
    client.force_login(caseworker)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_the_language_switch_turns_the_pages_into_english(client, caseworker):
    client.force_login(caseworker)
    assert "Werklijst" in client.get("/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Worklist" in html
    assert "Werklijst" not in html


def test_an_unknown_address_shows_the_dutch_404_page(client, caseworker):
    client.force_login(caseworker)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


# --- worklist ------------------------------------------------------------------------

def test_the_worklist_shows_own_persons_and_hides_others(client, caseworker, police):
    own = make_person(caseworker, given_names="Olena", family_name="Kovalenko")
    make_signal(caseworker, own, forms=["labour"])
    officer = UserFactory(organisation=police, role=Role.CASEWORKER)
    make_person(officer, given_names="Jan", family_name="Verborgen")
    client.force_login(caseworker)
    html = client.get("/").content.decode()
    assert "Olena Kovalenko" in html
    assert f"P-{own.pk}" in html
    assert "Verborgen" not in html
    assert "Gedwongen arbeid" in html  # the latest signal's form, in Dutch


def test_the_worklist_audits_each_person_on_the_page_and_no_one_else(client, caseworker):
    persons = [make_person(caseworker, given_names=f"Person{i}", birth_date=f"{1980 + i}")
               for i in range(27)]
    client.force_login(caseworker)
    response = client.get("/")
    shown = set(audit_actions(caseworker, "person.list").values_list("person_id", flat=True))
    assert len(shown) == 25
    # Newest first: the two oldest are on page 2 and were not seen yet.
    assert shown == {p.pk for p in persons[2:]}
    assert 'href="?page=2"' in response.content.decode()
    client.get("/?page=2")
    shown = set(audit_actions(caseworker, "person.list").values_list("person_id", flat=True))
    assert shown == {p.pk for p in persons}


def test_the_worklist_query_count_does_not_grow_with_the_number_of_persons(client, caseworker):
    client.force_login(caseworker)

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured)

    for i in range(2):
        make_signal(caseworker, make_person(caseworker, given_names=f"A{i}"))
    few = queries_for_page()
    for i in range(8):
        make_signal(caseworker, make_person(caseworker, given_names=f"B{i}"))
    assert queries_for_page() == few


def test_a_person_of_uncertain_age_is_marked_as_a_minor(client, caseworker):
    make_person(caseworker, given_names="Zonder", family_name="Jaartal", birth_date="")
    make_person(caseworker, given_names="Volwassen", family_name="Persoon",
                birth_date="1980-01-01")
    client.force_login(caseworker)
    html = client.get("/").content.decode()
    rows = re.findall(r"<tr class=\"utrecht-table__row[^\"]*\">.*?</tr>", html, re.S)
    uncertain = next(r for r in rows if "Jaartal" in r)
    adult = next(r for r in rows if "Volwassen" in r)
    assert "zicht-badge--minor" in uncertain
    assert "leeftijd onzeker" in uncertain
    assert "zicht-badge--minor" not in adult


def test_the_worklist_finds_a_person_only_by_the_exact_name_and_birth_date(client, caseworker):
    make_person(caseworker, given_names="Maria", family_name="Ionescu", birth_date="1995-04-12")
    make_person(caseworker, given_names="Elena", family_name="Dumitru", birth_date="1990-01-01")
    client.force_login(caseworker)
    found = client.get("/", {"given_names": "MARIA", "family_name": "ionescu",
                             "birth_date": "1995-04-12"}).content.decode()
    assert "Maria Ionescu" in found
    assert "Dumitru" not in found
    missed = client.get("/", {"given_names": "Maria", "family_name": "Ionescu",
                              "birth_date": "1995"}).content.decode()
    assert "Maria Ionescu" not in missed
    assert "Niemand gevonden" in missed


def test_the_worklist_filters_minors(client, caseworker):
    child = make_person(caseworker, given_names="Kind", birth_date=str(dt.date.today().year - 15))
    make_signal(caseworker, child, signalled_on=dt.date.today())
    adult = make_person(caseworker, given_names="Groot", birth_date="1970-05-05")
    make_signal(caseworker, adult)
    client.force_login(caseworker)
    minors = client.get("/", {"minor": "yes"}).content.decode()
    assert "Kind" in minors and "Groot" not in minors
    adults = client.get("/", {"minor": "no"}).content.decode()
    assert "Groot" in adults and "Kind" not in adults


def test_an_htmx_request_gets_only_the_results_and_a_plain_one_the_whole_page(client, caseworker):
    make_person(caseworker)
    client.force_login(caseworker)
    partial = client.get("/", HTTP_HX_REQUEST="true").content.decode()
    assert "<table" in partial and "<html" not in partial
    whole = client.get("/").content.decode()
    assert "<html" in whole and 'hx-target="#worklist-results"' in whole
    restored = client.get("/", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in restored.content.decode()


def test_worklist_pages_are_not_cached(client, caseworker):
    client.force_login(caseworker)
    assert "no-store" in client.get("/")["Cache-Control"]


@pytest.mark.parametrize(("role", "expected_link"), [
    (Role.ANALYST, None),
    (Role.AUDITOR, "/audit/"),
    (Role.ADMIN, "/admin/"),
])
def test_roles_without_person_content_get_an_explanation_instead_of_persons(
        client, caseworker, role, expected_link):
    make_person(caseworker, given_names="Geheim")
    user = UserFactory(role=role, is_staff=role == Role.ADMIN)
    client.force_login(user)
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Geheim" not in html
    assert "doelbinding" in html
    if expected_link:
        assert f'href="{expected_link}"' in html
    assert not AuditEvent.objects.filter(action="person.list").exists()


# --- person page ---------------------------------------------------------------------

def test_a_caseworker_opens_a_person_and_the_read_is_audited(client, caseworker):
    person = make_person(caseworker)
    make_signal(caseworker, person, narrative="Seen at a car wash.", indicators_other="Tired")
    client.force_login(caseworker)
    response = client.get(f"/persons/{person.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Maria" in html and "Ionescu" in html
    assert "Seen at a car wash." in html
    assert "Misleiding" in html  # the indicator, in Dutch
    assert audit_actions(caseworker, "person.read").filter(person_id=person.pk).count() == 1
    assert audit_actions(caseworker, "signal.list").filter(person_id=person.pk).count() == 1


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.REPORTER, Role.AUDITOR, Role.ANALYST])
def test_it_hides_a_person_from_another_organisation(client, caseworker, police, role):
    person = make_person(caseworker)
    outsider = UserFactory(organisation=police, role=role)
    client.force_login(outsider)
    assert client.get(f"/persons/{person.pk}/").status_code == 404
    assert client.get(f"/persons/{person.pk}/signals/new/").status_code == 404
    assert client.post(f"/persons/{person.pk}/consent/", {
        "consent-purpose": "care", "consent-state": "given"}).status_code == 404
    assert not Consent.objects.exists()


def test_a_person_that_does_not_exist_gives_the_same_404(client, caseworker):
    client.force_login(caseworker)
    assert client.get("/persons/999999/").status_code == 404


def test_a_caseworker_records_a_consent_statement(client, caseworker):
    person = make_person(caseworker)
    client.force_login(caseworker)
    response = client.post(f"/persons/{person.pk}/consent/", {
        "consent-purpose": "care", "consent-state": "given",
        "consent-recorded_on": "2025-02-01"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.consent_care == "given"
    assert audit_actions(caseworker, "consent.create").count() == 1


def test_a_consent_statement_without_a_purpose_is_sent_back_with_the_reason(client, caseworker):
    person = make_person(caseworker)
    client.force_login(caseworker)
    response = client.post(f"/persons/{person.pk}/consent/", {"consent-state": "given"})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_consent-purpose"' in html
    assert "Kies het doel" in html
    assert not Consent.objects.exists()


def test_sharing_without_consent_says_what_to_do_on_the_field(client, caseworker):
    person = make_person(caseworker)
    other = OrganisationFactory(name="Gemeente Voorbeeld", kind=OrganisationKind.MUNICIPALITY)
    client.force_login(caseworker)
    response = client.post(f"/persons/{person.pk}/share/", {"share-organisation": other.pk})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_share-organisation_error"' in html
    assert "toestemming" in html
    assert not PersonAccess.objects.filter(organisation=other).exists()


def test_sharing_with_consent_lets_the_other_organisation_see_the_person(client, caseworker):
    person = make_person(caseworker)
    other = OrganisationFactory(name="Gemeente Voorbeeld", kind=OrganisationKind.MUNICIPALITY)
    colleague = UserFactory(organisation=other, role=Role.CASEWORKER)
    client.force_login(caseworker)
    client.post(f"/persons/{person.pk}/consent/", {"consent-purpose": "care",
                                                   "consent-state": "given"})
    response = client.post(f"/persons/{person.pk}/share/", {"share-organisation": other.pk})
    assert response.status_code == 302
    client.force_login(colleague)
    assert client.get(f"/persons/{person.pk}/").status_code == 200


def test_a_reporter_sees_no_share_form_and_may_not_share(client, reporter):
    person = make_person(reporter)
    other = OrganisationFactory(kind=OrganisationKind.MUNICIPALITY)
    client.force_login(reporter)
    assert 'id="share"' not in client.get(f"/persons/{person.pk}/").content.decode()
    response = client.post(f"/persons/{person.pk}/share/", {"share-organisation": other.pk})
    assert response.status_code == 403


def test_the_national_coordinator_sees_a_person_registered_with_consent(client, caseworker,
                                                                        coordinator):
    person = make_person(caseworker)
    client.force_login(caseworker)
    client.post(f"/persons/{person.pk}/consent/", {"consent-purpose": "registration",
                                                   "consent-state": "given"})
    client.force_login(coordinator)
    assert client.get(f"/persons/{person.pk}/").status_code == 200


# --- new signal ----------------------------------------------------------------------

def test_a_caseworker_registers_a_new_person_with_a_signal_and_consent(client, caseworker):
    client.force_login(caseworker)
    response = client.post("/signals/new/", {**NEW_SIGNAL, "consent_registration": "on",
                                             "consent_care": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get()
    assert response["Location"] == f"/persons/{person.pk}/"
    assert person.identity["family_name"] == "Popescu"
    assert person.citizenships == ["RO"] and person.languages == ["ro", "en"]
    assert (person.consent_registration, person.consent_care, person.consent_police) == (
        "given", "given", "unknown")
    signal = Signal.objects.get()
    assert signal.forms == ["sexual", "labour"]
    assert signal.municipality == "GM0363"
    assert signal.narrative.startswith("Worked 14 hours")


def test_a_signal_for_a_person_already_known_adds_no_new_person(client, caseworker):
    person = make_person(caseworker)
    client.force_login(caseworker)
    page = client.get(f"/persons/{person.pk}/signals/new/").content.decode()
    assert 'name="family_name"' not in page
    signal_only = {k: v for k, v in NEW_SIGNAL.items() if k not in (
        "given_names", "family_name", "birth_date", "sex", "citizenships", "languages")}
    response = client.post(f"/persons/{person.pk}/signals/new/", signal_only)
    assert response.status_code == 302
    assert Person.objects.count() == 1
    assert Signal.objects.get().person_id == person.pk


def test_a_refused_signal_leaves_nothing_behind_and_keeps_what_was_typed(client, caseworker):
    client.force_login(caseworker)
    before = AuditEvent.objects.count()
    # The person is valid, the signal is not: the signal date lies in the future.
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    response = client.post("/signals/new/", {**NEW_SIGNAL, "signalled_on": tomorrow,
                                             "consent_care": "on"})
    html = response.content.decode()
    assert response.status_code == 400
    assert not Person.objects.exists()
    assert not Signal.objects.exists()
    assert not Consent.objects.exists()
    assert AuditEvent.objects.count() == before
    assert 'href="#id_signalled_on"' in html
    assert 'aria-invalid="true"' in html
    assert 'value="Popescu"' in html
    assert "Worked 14 hours a day in a hotel kitchen." in html
    assert 'value="labour" class="utrecht-checkbox utrecht-checkbox--html-input" id="id_forms_1" checked' in html


def test_a_bad_country_code_is_shown_on_the_citizenships_field(client, caseworker):
    client.force_login(caseworker)
    response = client.post("/signals/new/", {**NEW_SIGNAL, "citizenships": "RO, XX"})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_citizenships_error"' in html
    assert 'aria-describedby="id_citizenships_helptext id_citizenships_error"' in html
    assert "XX" in html
    assert not Person.objects.exists()


def test_an_empty_signal_form_lists_every_missing_field_in_the_error_summary(client,
                                                                            caseworker):
    client.force_login(caseworker)
    response = client.post("/signals/new/", {"signalled_on": "", "municipality": ""})
    html = response.content.decode()
    assert response.status_code == 400
    summary = html[html.index('id="error-summary"'):html.index("</ul>", html.index(
        'id="error-summary"'))]
    for anchor in ("#id_signalled_on", "#id_forms_0", "#id_municipality", "#id_source"):
        assert f'href="{anchor}"' in summary
    assert "Vink ten minste één vorm van uitbuiting aan." in summary
    assert 'tabindex="-1"' in html and 'role="alert"' in html
    assert "<title>Fout:" in html
    assert not Person.objects.exists()


@pytest.mark.parametrize("role", [Role.ANALYST, Role.AUDITOR, Role.ADMIN])
def test_roles_that_may_not_report_are_refused_the_new_signal_form(client, db, role):
    user = UserFactory(role=role)
    client.force_login(user)
    assert client.get("/signals/new/").status_code == 403
    assert client.post("/signals/new/", NEW_SIGNAL).status_code == 403
    assert not Person.objects.exists()


def test_a_reporter_may_report_a_signal(client, reporter):
    client.force_login(reporter)
    assert client.get("/signals/new/").status_code == 200
    assert client.post("/signals/new/", NEW_SIGNAL).status_code == 302
    assert Signal.objects.get().reported_by_id == reporter.pk


# --- audit search --------------------------------------------------------------------

@pytest.mark.parametrize("role", [Role.REPORTER, Role.CASEWORKER, Role.NATIONAL_COORDINATOR,
                                  Role.ANALYST, Role.ADMIN])
def test_only_auditors_find_the_audit_search(client, db, role):
    user = UserFactory(role=role, is_staff=role == Role.ADMIN)
    client.force_login(user)
    assert client.get("/audit/").status_code == 404
    assert client.get("/audit/", {"person": 1}).status_code == 404
    assert not AuditEvent.objects.filter(action="audit.search").exists()


def test_the_auditor_sees_who_saw_a_person_and_the_search_is_recorded(client, caseworker,
                                                                      auditor):
    person = make_person(caseworker)
    other = make_person(caseworker, given_names="Ander")
    client.force_login(caseworker)
    client.get(f"/persons/{person.pk}/")
    client.force_login(auditor)
    assert client.get("/audit/").status_code == 200
    assert not AuditEvent.objects.filter(action="audit.search").exists()
    response = client.get("/audit/", {"person": person.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "caseworker" in html and "Stichting Voorbeeld" in html
    assert "person.read" in html and "Opende de persoon" in html
    assert f"registry.person #{other.pk}" not in html
    search = AuditEvent.objects.get(action="audit.search")
    assert search.actor_id == auditor.pk
    assert search.detail == {"person": person.pk, "action": None}


def test_the_auditor_narrows_the_search_to_one_action(client, caseworker, auditor):
    person = make_person(caseworker)
    client.force_login(caseworker)
    client.get(f"/persons/{person.pk}/")
    client.force_login(auditor)
    html = client.get("/audit/", {"person": person.pk, "action": "person.create"}).content.decode()
    assert "person.create" in html
    assert "<code class=\"zicht-code\">person.read</code>" not in html


def test_a_person_reference_with_letters_is_explained_in_the_audit_search(client, auditor):
    client.force_login(auditor)
    response = client.get("/audit/", {"person": "P-12"})
    assert response.status_code == 400
    assert "zonder P-" in response.content.decode()
    assert not AuditEvent.objects.filter(action="audit.search").exists()
