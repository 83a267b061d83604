"""The pathway pages in real headless Chromium: keyboard only, and axe's accessibility rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_person
from tests.pathway.conftest import with_consent
from tests.web import conftest as web_fixtures
from tests.web.test_browser import assert_accessible, log_in, tab_to
from zicht.pathway import services
from zicht.pathway.codes import ReferralStatus, ResidenceStatus
from zicht.pathway.models import Referral

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The browser fixtures live with the web tests (the browser itself may be shared by all).
web = web_fixtures.web
if hasattr(web_fixtures, "chromium"):
    chromium = web_fixtures.chromium


def test_a_care_coordinator_accepts_a_referral_by_keyboard_and_the_pages_pass_axe(
        web, caseworker, coordinator_user, police_officer):
    person = with_consent(caseworker, make_person(caseworker), care="given")
    child = with_consent(caseworker, make_person(caseworker, given_names="Ana", birth_date=""),
                         care="given")
    services.referral_propose(actor=caseworker, person_id=child.pk, purpose="legal_aid",
                              to_organisation_id=coordinator_user.organisation_id,
                              now=timezone.now() - timedelta(days=5))
    referral = services.referral_propose(actor=caseworker, person_id=person.pk,
                                         purpose="care_coordination", urgency="urgent",
                                         to_organisation_id=coordinator_user.organisation_id,
                                         note="Needs an interpreter")
    own = make_person(coordinator_user, citizenships=["NG"])
    services.pathway_update(actor=coordinator_user, person_id=own.pk,
                            changes={"residence_status": ResidenceStatus.NO_LEGAL_RESIDENCE})
    today = timezone.localdate()
    services.deadline_create(actor=coordinator_user, person_id=own.pk, title="Call the lawyer",
                             starts_on=today - timedelta(days=20), due_on=today - timedelta(3))
    services.deadline_create(actor=coordinator_user, person_id=own.pk, title="Visit shelter",
                             due_on=today + timedelta(days=4))

    log_in(web, "zorgco")
    web.goto("/pathway/referrals/")
    assert web.locator("h1").inner_text() == "Verwijzingen"
    overdue = web.locator("tr", has_text=f"#{child.pk}")
    assert overdue.locator(".zicht-badge--overdue").count() == 1
    assert overdue.locator(".zicht-badge--minor").count() == 1
    assert_accessible(web)

    tab_to(web, f"#reason-{referral.pk}")
    web.keyboard.press("Tab")  # to "Accept"
    web.keyboard.press("Enter")
    web.wait_for_url(f"**/pathway/persons/{person.pk}/")
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.ACCEPTED
    assert "Maria Ionescu" in web.locator("h1").inner_text()
    assert_accessible(web)

    web.goto("/pathway/deadlines/")
    late = web.locator("tr", has_text="Call the lawyer")
    assert "3 dagen te laat" in late.inner_text() or "3 days overdue" in late.inner_text()
    assert_accessible(web)
