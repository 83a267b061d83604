"""Who sees figures (role × endpoint), and that the API and pages answer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.test import Client

from tests.factories import UserFactory
from zicht.figures.models import ChainFigure, Job
from zicht.organisations.models import OrganisationKind, Role


def _people(registry, n=14):
    for i in range(n):
        registry.person(sex="female" if i % 3 else "male", signals=[{"on": dt.date(2024, 3, 1)}])


@pytest.mark.parametrize(("role", "expected"), [
    (Role.ANALYST, 200), (Role.NATIONAL_COORDINATOR, 200), (Role.ADMIN, 200),
    (Role.CASEWORKER, 404), (Role.REPORTER, 404), (Role.AUDITOR, 404),
])
def test_only_figure_roles_get_a_table(registry, api, role, expected):
    _people(registry)
    user = UserFactory(organisation=registry.orgs[OrganisationKind.NGO], role=role)
    response = api.as_user(user).get("/api/v1/figures/tables/", {"year": 2024, "by": "sex"})
    assert response.status_code == expected
    if expected == 200:
        body = response.json()
        assert body["rows"][-1] == "total" and body["cells"][-1] == [14]
        assert body["cells"][body["rows"].index("male")] == [5]


def test_a_bad_dimension_is_a_400_naming_the_field(registry, api):
    user = UserFactory(organisation=registry.orgs[OrganisationKind.NGO], role=Role.ANALYST)
    response = api.as_user(user).get("/api/v1/figures/tables/", {"year": 2024, "by": "name"})
    assert response.status_code == 400
    assert "by" in response.json()


@pytest.mark.parametrize("url", [
    "/api/v1/figures/tables/?year=126618&by=sex", "/api/v1/figures/tables/?year=0&by=sex",
    "/api/v1/figures/chain/?year=126618", "/api/v1/figures/jobs/99999999999999999999999/",
])
def test_a_year_or_id_past_what_the_calendar_or_database_holds_is_400_naming_it(registry, api,
                                                                                  url):
    user = UserFactory(organisation=registry.orgs[OrganisationKind.NGO], role=Role.ANALYST)
    response = api.as_user(user).get(url)
    assert response.status_code == 400
    assert set(response.json()) <= {"year", "id"}


def test_an_analyst_cannot_deliver_chain_figures_but_the_inspectorate_can(registry, api):
    inspectorate = registry.orgs[OrganisationKind.LABOUR_INSPECTORATE]
    body = {"organisation": inspectorate.pk, "year": 2023, "form": "labour",
            "measure": "investigations", "value": 21, "source": "NLA"}
    analyst = UserFactory(organisation=inspectorate, role=Role.ANALYST)
    assert api.as_user(analyst).post("/api/v1/figures/chain/", body,
                                     format="json").status_code == 404
    staff = UserFactory(organisation=inspectorate, role=Role.CASEWORKER)
    assert api.as_user(staff).post("/api/v1/figures/chain/", body,
                                   format="json").status_code == 201
    correction = {**body, "value": 8}
    response = api.as_user(staff).post("/api/v1/figures/chain/", correction, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    assert ChainFigure.objects.count() == 1


def test_an_ngo_cannot_deliver_for_another_organisation(registry, api):
    staff = UserFactory(organisation=registry.orgs[OrganisationKind.NGO], role=Role.CASEWORKER)
    body = {"organisation": registry.orgs[OrganisationKind.POLICE].pk, "year": 2023,
            "form": "labour", "measure": "suspects", "value": 3, "source": "x"}
    assert api.as_user(staff).post("/api/v1/figures/chain/", body,
                                   format="json").status_code == 404


def test_an_export_job_runs_and_reports_its_progress(registry, api, settings, tmp_path):
    from huey.contrib.djhuey import HUEY

    settings.VAR_DIR = tmp_path
    _people(registry, 30)
    HUEY.immediate = True
    try:
        user = UserFactory(organisation=registry.orgs[OrganisationKind.NGO], role=Role.ANALYST)
        response = api.as_user(user).post("/api/v1/figures/jobs/", {
            "kind": "export", "years": [2024], "format": "eurostat"}, format="json")
        assert response.status_code == 202
        job = Job.objects.get()
        assert job.state == "done" and job.percent == 100
        assert "VICT" in Path(job.output).read_text()
        htcds = api.as_user(user).post("/api/v1/figures/jobs/", {
            "kind": "export", "years": [2024], "format": "htcds"}, format="json")
        assert htcds.status_code == 404
    finally:
        HUEY.immediate = False


@pytest.mark.parametrize(("role", "expected"), [(Role.ANALYST, 200), (Role.CASEWORKER, 404)])
def test_the_figures_pages_are_for_figure_roles(registry, role, expected):
    _people(registry)
    user = UserFactory(organisation=registry.orgs[OrganisationKind.NGO], role=role)
    client = Client()
    client.force_login(user)
    for url in ("/figures/?year=2024&row=sex&col=scope", "/figures/chain/?year=2024",
                "/figures/jobs/"):
        assert client.get(url).status_code == expected, url


def test_the_figures_page_speaks_dutch(registry):
    import subprocess

    from django.utils import translation

    import zicht.figures

    # Only this app's catalogue: compiling the whole tree is the build's job.
    po = Path(zicht.figures.__file__).parent / "locale/nl/LC_MESSAGES/django.po"
    subprocess.run(["msgfmt", "-o", str(po.with_suffix(".mo")), str(po)], check=True)
    _people(registry)
    user = UserFactory(organisation=registry.orgs[OrganisationKind.NGO], role=Role.ANALYST)
    client = Client(headers={"accept-language": "nl"})
    client.force_login(user)
    with translation.override("nl"):
        page = client.get("/figures/?year=2024&row=sex", HTTP_ACCEPT_LANGUAGE="nl")
    assert "Hoe we tellen" in page.content.decode()
