"""The web UI in real headless Chromium: keyboard only, htmx, and axe's accessibility rules."""

from __future__ import annotations

import datetime as dt
import os
import random
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from faker import Faker

from tests.factories import UserFactory, make_person, make_signal
from tests.twofactor import browser_log_in
from tests.web.conftest import PASSWORD
from zicht.organisations.models import Role
from zicht.registry import services
from zicht.registry.models import Person, Signal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Axe()
BLOCKING_IMPACTS = {"serious", "critical"}


def assert_accessible(page) -> None:  # type: ignore[no-untyped-def]
    violations = AXE.run(page).response["violations"]
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3] if node.get("target"))
        for v in violations if v.get("impact") in BLOCKING_IMPACTS
    ]
    assert not blocking, f"{page.url}:\n" + "\n".join(blocking)


def tab_to(page, selector: str, *, limit: int = 80) -> None:  # type: ignore[no-untyped-def]
    """Press Tab until `selector` has the focus, as a keyboard user would."""
    target = page.locator(selector)
    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never got the focus by Tab")


def log_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    """By keyboard: password, then the code of the user's authenticator app."""
    page.goto("/accounts/login/")
    browser_log_in(page, username, PASSWORD)


def test_a_caseworker_reports_by_keyboard_and_every_page_passes_axe(web, caseworker):
    known = make_person(caseworker, given_names="Maria", family_name="Ionescu",
                        birth_date="1995-04-12")
    make_signal(caseworker, known, forms=["labour"], indicators=["withholding_of_wages"])
    make_person(caseworker, given_names="Olena", family_name="Kovalenko", birth_date="")

    # The site root sends anonymous visitors to the public Wegwijzer; staff log in here.
    web.goto("/accounts/login/")
    assert "/accounts/login/" in web.url
    assert web.locator("html").get_attribute("lang") == "nl"
    assert_accessible(web)
    log_in(web, "caseworker")

    # Worklist: both persons, the one of uncertain age marked as a minor.
    assert web.locator("h1").inner_text() == "Werklijst"
    minor_row = web.locator("tr", has_text="Kovalenko")
    assert "Minderjarig" in minor_row.locator(".zicht-badge--minor").inner_text()
    assert_accessible(web)

    # The exact search swaps only the results (htmx) and puts the filter in the address.
    web.evaluate("window.stillTheSamePage = true")
    web.fill("#id_given_names", "maria")
    web.fill("#id_family_name", "IONESCU")
    web.fill("#id_birth_date", "1995-04-12")
    web.keyboard.press("Enter")
    web.wait_for_url("**family_name=IONESCU**")
    web.wait_for_selector("#worklist-results >> text=1 persoon")
    assert web.locator("#worklist-results tbody tr").count() == 1
    assert web.evaluate("window.stillTheSamePage") is True

    # The person page.
    web.get_by_role("link", name="Maria Ionescu").click()
    web.wait_for_url(f"**/persons/{known.pk}/")
    assert web.locator("h1").inner_text() == "Maria Ionescu"
    assert "Achterhouden van loon" in web.locator("#signals-heading + article").inner_text()
    assert_accessible(web)

    # New signal, by keyboard only: first a mistake, then the fix.
    web.goto("/signals/new/")
    assert_accessible(web)
    tab_to(web, "#id_given_names")
    web.keyboard.type("Ana")
    tab_to(web, "button[type=submit].utrecht-button--primary-action")
    web.keyboard.press("Enter")
    web.wait_for_selector("#error-summary")
    assert web.evaluate("document.activeElement.id") == "error-summary"
    summary = web.locator("#error-summary").inner_text()
    assert "Vink ten minste één vorm van uitbuiting aan." in summary
    assert "Kies waar de melding vandaan komt." in summary
    assert web.locator("#id_given_names").input_value() == "Ana"
    assert web.locator("#id_source").get_attribute("aria-invalid") == "true"
    assert_accessible(web)
    assert Person.objects.count() == 2

    tab_to(web, "#id_family_name")
    web.keyboard.type("Popescu")
    tab_to(web, "#id_birth_date")
    web.keyboard.type("2001")
    tab_to(web, "#id_forms_1")  # forced labour
    web.keyboard.press("Space")
    tab_to(web, "#id_indicators_1")  # deception
    web.keyboard.press("Space")
    tab_to(web, "#id_source")
    web.keyboard.press("ArrowDown")
    assert web.locator("#id_source").input_value() == "own_observation"
    tab_to(web, "#id_consent_care")
    web.keyboard.press("Space")
    tab_to(web, "button[type=submit].utrecht-button--primary-action")
    web.keyboard.press("Enter")
    web.wait_for_selector("text=De melding is opgeslagen.")

    person = Person.objects.get(signals__forms=["labour"], consent_care="given",
                                birth_year=2001)
    assert person.identity["family_name"] == "Popescu"
    assert Signal.objects.get(person=person).indicators == ["deception"]
    assert web.url.endswith(f"/persons/{person.pk}/")

    # The language switch, by keyboard too.
    tab_to(web, "button[name=language][value=en]", limit=10)
    web.keyboard.press("Enter")
    web.wait_for_selector("html[lang=en]")
    assert web.locator("#signals-heading").inner_text() == "Signals"
    assert web.url.endswith(f"/persons/{person.pk}/")


def test_an_auditor_searches_who_saw_a_person(web, caseworker):
    person = make_person(caseworker)
    UserFactory(organisation=caseworker.organisation, role=Role.AUDITOR, username="auditor")
    log_in(web, "auditor")
    assert "audit" in web.get_by_role("link", name="Zoeken in het auditlog").get_attribute("href")
    web.goto("/audit/")
    assert_accessible(web)
    web.fill("#id_person", str(person.pk))
    web.keyboard.press("Enter")
    web.wait_for_selector("table")
    assert "person.create" in web.locator("table").inner_text()
    assert_accessible(web)


@pytest.mark.skipif(not os.environ.get("ZICHT_SCREENSHOT"),
                    reason="set ZICHT_SCREENSHOT=docs/screenshot-worklist.png to take it")
def test_take_the_worklist_screenshot(web, caseworker):
    """The README's picture: the worklist with synthetic persons named by Faker."""
    fake = Faker(["ro_RO", "pl_PL", "nl_NL", "pt_BR", "hu_HU", "cs_CZ", "es_ES"])
    Faker.seed(7)
    rng = random.Random(7)
    today = dt.date.today()
    forms = [["sexual"], ["labour"], ["criminal"], ["labour", "servitude"], ["sexual"],
             ["forced_marriage"]]
    for i in range(14):
        sex = rng.choice(["female", "female", "male"])
        given = fake.first_name_female() if sex == "female" else fake.first_name_male()
        birth = rng.choice([
            fake.date_of_birth(minimum_age=19, maximum_age=45).isoformat(),
            str(today.year - rng.randint(14, 17)), "",
            fake.date_of_birth(minimum_age=20, maximum_age=40).isoformat()])
        person = services.person_create(
            actor=caseworker, given_names=given, family_name=fake.last_name(), birth_date=birth,
            sex=sex, citizenships=[rng.choice(["RO", "PL", "BG", "NG", "UA", "VN", "BR", "NL"])],
            languages=[rng.choice(["ro", "pl", "en", "uk", "pt", "nl"])],
        )
        make_signal(caseworker, person, forms=forms[i % len(forms)],
                    signalled_on=today - dt.timedelta(days=rng.randint(1, 300)),
                    municipality=rng.choice(["GM0363", "GM0599", "GM0344", "GM0518"]))
        for purpose in rng.sample(["registration", "care", "police"], rng.randint(0, 2)):
            services.consent_record(actor=caseworker, person_id=person.pk, purpose=purpose,
                                    state="given")
    log_in(web, "caseworker")
    target = Path(os.environ["ZICHT_SCREENSHOT"])
    target.parent.mkdir(parents=True, exist_ok=True)
    web.screenshot(path=str(target))
