from __future__ import annotations

from datetime import date

import pytest

from tests.factories import UserFactory
from zicht.actionplan import services
from zicht.actionplan.codes import ActionStatus
from zicht.actionplan.models import Campaign, Milestone, ProgressReport
from zicht.organisations.models import Role

BASE = "/api/v1/programme"


def _report_body(action, **overrides):  # type: ignore[no-untyped-def]
    body = {"action": action.pk, "period": "2025-H1", "status": "on_track", "text": "Loopt.",
            "indicator_values": [
                {"indicator": "desks_active", "value": 95, "source": "Inventarisatie"},
                {"indicator": "share_trained", "value": 62.5, "source": "LMS"},
            ]}
    body.update(overrides)
    return body


def test_a_holder_reports_progress_through_the_api(api, holder, action, period):
    response = api.as_user(holder).post(f"{BASE}/progress-reports/", _report_body(action),
                                        format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["period"] == "2025-H1"
    assert {v["indicator"]: v["value"] for v in data["indicator_values"]} == {
        "desks_active": 95, "share_trained": 62.5}
    listed = api.get(f"{BASE}/progress-reports/?period=2025-H1").json()
    assert listed["count"] == 1


def test_a_value_of_the_wrong_type_is_a_400_naming_the_field(api, holder, action, period):
    body = _report_body(action, indicator_values=[
        {"indicator": "desks_active", "value": "veel", "source": "Telling"}])
    response = api.as_user(holder).post(f"{BASE}/progress-reports/", body, format="json")
    assert response.status_code == 400
    assert "indicator_values[0].value" in response.json()
    assert not ProgressReport.objects.exists()


def test_a_report_for_a_closed_period_is_refused(api, coordinator, holder, action, period):
    services.period_update(actor=coordinator, period_id=period.pk, changes={"closed": True})
    response = api.as_user(holder).post(f"{BASE}/progress-reports/", _report_body(action),
                                        format="json")
    assert response.status_code == 409
    assert "period" in response.json()
    assert not ProgressReport.objects.exists()


def test_a_report_for_an_unknown_period_names_the_period(api, holder, action, period):
    response = api.as_user(holder).post(f"{BASE}/progress-reports/",
                                        _report_body(action, period="2031-H1"), format="json")
    assert response.status_code == 400
    assert "period" in response.json()


def test_a_milestone_after_the_planned_end_is_a_400_naming_due_on(api, coordinator, action):
    response = api.as_user(coordinator).post(f"{BASE}/milestones/", {
        "action": action.pk, "title": "Na het einde", "due_on": "2026-02-01"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["due_on"]
    assert not Milestone.objects.exists()


def test_unknown_fields_are_refused(api, coordinator, action):
    response = api.as_user(coordinator).patch(f"{BASE}/actions/{action.pk}/",
                                              {"titel": "typo"}, format="json")
    assert response.status_code == 400
    assert "titel" in response.json()


def test_malformed_json_is_a_400(api, coordinator):
    response = api.as_user(coordinator).generic(
        "POST", f"{BASE}/campaigns/", "{not json", content_type="application/json")
    assert response.status_code == 400


def test_the_plan_reads_with_holders_milestones_and_indicators(api, outsider, coordinator, action):
    services.milestone_create(actor=coordinator, action_id=action.pk, title="Rapport",
                              due_on=date(2025, 6, 1))
    data = api.as_user(outsider).get(f"{BASE}/actions/{action.pk}/").json()
    assert data["number"] == "2.1" and data["line"] == 2
    assert [h["name"] for h in data["holders"]] == ["Stichting Houder"]
    assert [m["title"] for m in data["milestones"]] == ["Rapport"]
    assert {i["code"]: i["kind"] for i in data["indicators"]}["share_trained"] == "percentage"
    assert api.get(f"{BASE}/actions/?status=bogus").status_code == 400


def test_missing_reports_per_period(api, coordinator, action, period):
    response = api.as_user(coordinator).get(f"{BASE}/periods/2025-H1/missing/")
    assert response.status_code == 200
    assert [row["number"] for row in response.json()] == ["2.1"]


def test_a_period_is_found_by_code_or_id(api, outsider, period):
    client = api.as_user(outsider)
    assert client.get(f"{BASE}/periods/2025-H1/").json()["id"] == period.pk
    assert client.get(f"{BASE}/periods/{period.pk}/").json()["code"] == "2025-H1"
    assert client.get(f"{BASE}/periods/2030-H1/").status_code == 404


def test_the_progress_report_downloads(api, outsider, action, period):
    client = api.as_user(outsider)
    pdf = client.get(f"{BASE}/periods/2025-H1/report/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    html = client.get(f"{BASE}/periods/2025-H1/report/html/")
    assert "Meldpunten in kaart brengen" in html.content.decode()
    xlsx = client.get(f"{BASE}/periods/2025-H1/report/xlsx/")
    assert xlsx.content[:2] == b"PK"
    assert "attachment" in xlsx["Content-Disposition"]


def test_anonymous_requests_are_refused(api, action):
    assert api.get(f"{BASE}/actions/").status_code in (401, 403)


# Role × write × expected status. Reading the plan is open to every logged-in user.
PLAN_WRITES = [
    ("post", "campaigns/", {"title": "C", "organisation_name": "O", "target_groups":
                            ["professionals"], "forms": ["general"], "starts_on": "2024-01-01"}),
    ("post", "action-lines/", {"number": 5, "title": "Informatiedeling"}),
    ("post", "periods/", {"code": "2026-H1"}),
]


@pytest.mark.parametrize(("role", "allowed"), [
    (Role.NATIONAL_COORDINATOR, True), (Role.ADMIN, True), (Role.CASEWORKER, False),
    (Role.REPORTER, False), (Role.ANALYST, False), (Role.AUDITOR, False),
])
@pytest.mark.parametrize(("method", "path", "body"), PLAN_WRITES)
def test_only_the_coordinator_and_admins_manage_the_plan(api, comensha, role, allowed, method,
                                                         path, body):
    user = UserFactory(organisation=comensha, role=role)
    response = getattr(api.as_user(user), method)(f"{BASE}/{path}", body, format="json")
    assert response.status_code == (201 if allowed else 403), response.json()


@pytest.mark.parametrize("role", [Role.REPORTER, Role.CASEWORKER, Role.ANALYST, Role.AUDITOR])
def test_everyone_logged_in_reads_the_plan(api, police, role, action, period):
    client = api.as_user(UserFactory(organisation=police, role=role))
    assert client.get(f"{BASE}/actions/").json()["count"] == 1
    assert client.get(f"{BASE}/action-lines/").status_code == 200
    assert client.get(f"{BASE}/periods/").status_code == 200


def test_campaigns_filter_and_count(api, coordinator):
    client = api.as_user(coordinator)
    for year, groups in ((2021, ["professionals"]), (2021, ["professionals", "young_people"]),
                         (2023, ["labour_migrants"])):
        response = client.post(f"{BASE}/campaigns/", {
            "title": f"Campagne {year}", "organisation_name": "Rijksoverheid",
            "target_groups": groups, "forms": ["labour"], "languages": ["nl", "pl"],
            "starts_on": f"{year}-03-01", "reach": 1000}, format="json")
        assert response.status_code == 201, response.json()
    assert client.get(f"{BASE}/campaigns/?year=2021").json()["count"] == 2
    assert client.get(f"{BASE}/campaigns/?target_group=young_people").json()["count"] == 1
    assert client.get(f"{BASE}/campaigns/?language=pl").json()["count"] == 3
    assert client.get(f"{BASE}/campaigns/?measured=true").json()["count"] == 0
    counts = client.get(f"{BASE}/campaigns/counts/").json()
    assert {"year": 2021, "target_group": "professionals", "campaigns": 2} in counts
    chart = client.get(f"{BASE}/campaigns/chart/")
    assert chart["Content-Type"] == "image/svg+xml"
    assert chart.content.startswith(b"<svg")


def test_a_campaign_ending_before_it_starts_is_refused(api, coordinator):
    response = api.as_user(coordinator).post(f"{BASE}/campaigns/", {
        "title": "C", "organisation_name": "O", "target_groups": ["professionals"],
        "forms": ["general"], "starts_on": "2024-05-01", "ends_on": "2024-04-01"}, format="json")
    assert response.status_code == 400
    assert "ends_on" in response.json()
    assert not Campaign.objects.exists()


def test_regions_and_their_members(api, coordinator, holder_org):
    client = api.as_user(coordinator)
    response = client.post(f"{BASE}/regions/", {
        "kind": "care", "code": "zr01", "name": "Zorgregio Utrecht",
        "coordinating_municipality": "GM0344", "municipalities": ["GM0307"],
        "riec": "RIEC Midden-Nederland"}, format="json")
    assert response.status_code == 201, response.json()
    region = response.json()
    assert region["code"] == "ZR01"
    assert region["municipalities"] == ["GM0344", "GM0307"]
    member = client.post(f"{BASE}/regions/{region['id']}/members/", {
        "organisation": holder_org.pk, "role": "reporting_desk"}, format="json")
    assert member.status_code == 201
    again = client.post(f"{BASE}/regions/{region['id']}/members/", {
        "organisation": holder_org.pk, "role": "reporting_desk"}, format="json")
    assert again.status_code == 409
    figures = client.get(f"{BASE}/regions/{region['id']}/figures/").json()
    assert figures["signals_total"] == "<5"
    bad = client.post(f"{BASE}/regions/", {"kind": "care", "code": "X", "name": "X",
                                           "coordinating_municipality": "0344"}, format="json")
    assert bad.status_code == 400 and "coordinating_municipality" in bad.json()
    removed = client.delete(f"{BASE}/regions/{region['id']}/members/{member.json()['id']}/")
    assert removed.status_code == 204


def test_the_report_status_reaches_the_action(api, holder, action, period):
    api.as_user(holder).post(f"{BASE}/progress-reports/",
                             _report_body(action, status="delayed"), format="json")
    assert api.get(f"{BASE}/actions/{action.pk}/").json()["status"] == ActionStatus.DELAYED
