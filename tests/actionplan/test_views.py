from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from zicht.actionplan import services
from zicht.actionplan.codes import ActionStatus
from zicht.actionplan.models import ProgressReport


@pytest.fixture
def logged_in(client):  # type: ignore[no-untyped-def]
    def login(user):  # type: ignore[no-untyped-def]
        client.force_login(user)
        return client
    return login


def test_the_plan_page_lists_actions_and_who_has_not_reported(logged_in, coordinator, action,
                                                              period):
    page = logged_in(coordinator).get(reverse("actionplan:home"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Meldpunten in kaart brengen" in text
    assert "2025-H1" in text


def test_a_holder_reports_progress_through_the_form(logged_in, holder, action, period):
    client = logged_in(holder)
    url = reverse("actionplan:progress", args=[action.pk, "2025-H1"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"status": ActionStatus.DELAYED, "text": "Vertraagd.",
                                 "value_desks_active": "95", "source_desks_active": "Telling"})
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert report.status == ActionStatus.DELAYED
    assert report.values.get().value == 95


def test_a_wrong_value_in_the_form_is_shown_on_its_field(logged_in, holder, action, period):
    client = logged_in(holder)
    url = reverse("actionplan:progress", args=[action.pk, "2025-H1"])
    response = client.post(url, {"status": ActionStatus.ON_TRACK,
                                 "value_desks_active": "veel", "source_desks_active": "Telling"})
    assert response.status_code == 400
    assert response.context["form"].errors["value_desks_active"]
    assert not ProgressReport.objects.exists()


def test_an_outsider_cannot_open_the_progress_form(logged_in, outsider, action, period):
    response = logged_in(outsider).get(reverse("actionplan:progress", args=[action.pk, "2025-H1"]))
    assert response.status_code == 403


def test_the_period_page_offers_the_downloads(logged_in, coordinator, action, period):
    client = logged_in(coordinator)
    page = client.get(reverse("actionplan:period", args=["2025-H1"]))
    assert page.status_code == 200
    pdf = client.get(reverse("actionplan:report", args=["2025-H1", "pdf"]))
    assert pdf.content.startswith(b"%PDF")
    assert client.get(reverse("actionplan:report", args=["2025-H1", "doc"])).status_code == 404


def test_the_coordinator_closes_a_period_in_the_page(logged_in, coordinator, period):
    client = logged_in(coordinator)
    client.post(reverse("actionplan:period", args=["2025-H1"]), {"closed": "1"})
    period.refresh_from_db()
    assert period.is_closed


def test_the_campaign_page_has_a_chart_and_a_data_table(logged_in, coordinator):
    services.campaign_create(actor=coordinator, title="Herken de signalen",
                             organisation_name="Politie", target_groups=["professionals"],
                             forms=["general"], starts_on=date(2022, 3, 1))
    page = logged_in(coordinator).get(reverse("actionplan:campaigns") + "?target_group=professionals")
    text = page.content.decode()
    assert "<svg" in text and "<table" in text and "Herken de signalen" in text


def test_an_outsider_gets_404_for_an_expert_page(logged_in, coordinator, outsider):
    expert = services.expert_create(actor=coordinator, name="Anouk", expertise=["policy"],
                                    fee_basis="hourly", pool_consent_on=date(2025, 1, 1))
    assert logged_in(outsider).get(reverse("actionplan:expert", args=[expert.pk])).status_code == 404
    assert logged_in(coordinator).get(reverse("actionplan:expert", args=[expert.pk])).status_code == 200


def test_the_regional_page_renders(logged_in, outsider, coordinator):
    region = services.region_create(actor=coordinator, kind="safety", code="VR09",
                                    name="Veiligheidsregio Utrecht",
                                    coordinating_municipality="GM0344")
    page = logged_in(outsider).get(reverse("actionplan:region", args=[region.pk]))
    assert page.status_code == 200
    assert "&lt;5" in page.content.decode()


def test_an_organisation_asks_for_an_expert(logged_in, holder):
    client = logged_in(holder)
    response = client.post(reverse("actionplan:assignment-request"), {
        "title": "Gastles", "starts_on": "2025-10-01", "languages_needed": "nl, en"})
    assert response.status_code == 302
    assert "Gastles" in client.get(reverse("actionplan:experts")).content.decode()
