"""The API endpoints and the officer's pages: thin, 404 for outsiders, 4xx naming the field."""

from __future__ import annotations

import pytest

from zicht.audit.models import AuditEvent
from zicht.registry.models import Person


def url(person_id, what):  # type: ignore[no-untyped-def]
    return f"/api/v1/privacy/persons/{person_id}/{what}/"


@pytest.mark.parametrize("file_format, content_type", [
    ("json", "application/json"), ("html", "text/html"), ("pdf", "application/pdf")])
def test_the_api_exports_in_three_formats(api, officer, story, file_format, content_type):  # type: ignore[no-untyped-def]
    response = api.as_user(officer).get(url(story.person.pk, f"export/{file_format}"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)


def test_the_json_export_is_the_whole_record(api, officer, story):  # type: ignore[no-untyped-def]
    response = api.as_user(officer).get(url(story.person.pk, "export/json"))

    assert response.json()["person"]["identity"]["family_name"] == "Vasilescu-Test"


def test_an_unknown_person_is_404_and_nothing_is_written(api, officer, story):  # type: ignore[no-untyped-def]
    client = api.as_user(officer)
    events = AuditEvent.objects.count()

    assert client.get(url(999999, "export/json")).status_code == 404
    assert client.post(url(999999, "erase"), {"legal_ground": "art17_1_a"}).status_code == 404
    assert client.post(url(999999, "erase"), {}).status_code == 404

    assert AuditEvent.objects.count() == events


def test_a_caseworker_without_the_permission_gets_404(api, caseworker, story):  # type: ignore[no-untyped-def]
    client = api.as_user(caseworker)

    assert client.get(url(story.person.pk, "export/json")).status_code == 404
    assert client.post(url(story.person.pk, "erase"),
                       {"legal_ground": "art17_1_a"}).status_code == 404
    assert Person.objects.get(pk=story.person.pk).erased_at is None


def test_erasing_twice_answers_409_with_a_message(api, officer, story):  # type: ignore[no-untyped-def]
    client = api.as_user(officer)
    first = client.post(url(story.person.pk, "erase"), {"legal_ground": "art17_1_b",
                                                        "reference": "AVG-1"})
    assert first.status_code == 200 and first.json()["kind"] == "erasure"

    second = client.post(url(story.person.pk, "erase"), {"legal_ground": "art17_1_b"},
                         HTTP_ACCEPT_LANGUAGE="en")

    assert second.status_code == 409
    assert "already erased" in second.json()["person"][0]


def test_a_missing_legal_ground_is_400_naming_the_field(api, officer, story):  # type: ignore[no-untyped-def]
    response = api.as_user(officer).post(url(story.person.pk, "restrict"),
                                         {"legal_ground": "art17_1_a"})

    assert response.status_code == 400 and "legal_ground" in response.json()
    assert Person.objects.get(pk=story.person.pk).restricted_at is None


def test_the_api_restricts_and_lifts(api, officer, story):  # type: ignore[no-untyped-def]
    client = api.as_user(officer)

    assert client.post(url(story.person.pk, "restrict"),
                       {"legal_ground": "art18_1_d"}).status_code == 200
    assert client.post(url(story.person.pk, "lift"), {}).status_code == 200
    assert client.post(url(story.person.pk, "lift"), {}).status_code == 409


def test_the_officer_finds_a_person_and_sees_the_actions(client, officer, story):  # type: ignore[no-untyped-def]
    client.force_login(officer)

    found = client.get("/privacy/", {"person": story.person.pk})
    page = client.get(found["Location"], HTTP_ACCEPT_LANGUAGE="en")

    assert found.status_code == 302
    assert "Erase the person" in page.content.decode()


def test_the_menu_offers_requests_to_officers_only(client, officer, caseworker):  # type: ignore[no-untyped-def]
    client.force_login(officer)
    assert 'href="/privacy/"' in client.get("/").content.decode()
    client.force_login(caseworker)
    assert 'href="/privacy/"' not in client.get("/").content.decode()


def test_erasing_from_the_page_needs_the_confirmation(client, officer, story):  # type: ignore[no-untyped-def]
    client.force_login(officer)
    action = f"/privacy/persons/{story.person.pk}/erase/"

    refused = client.post(action, {"erase-legal_ground": "art17_1_a"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert "erasure is final" in refused.content.decode()
    assert Person.objects.get(pk=story.person.pk).erased_at is None

    done = client.post(action, {"erase-legal_ground": "art17_1_a", "erase-confirm": "on"})
    assert done.status_code == 302
    assert Person.objects.get(pk=story.person.pk).erased_at is not None


def test_a_conflict_on_the_page_is_shown_not_raised(client, officer, story):  # type: ignore[no-untyped-def]
    client.force_login(officer)
    action = f"/privacy/persons/{story.person.pk}/restrict/"
    client.post(action, {"restrict-legal_ground": "art18_1_a"})

    again = client.post(action, {"restrict-legal_ground": "art18_1_a"},
                        HTTP_ACCEPT_LANGUAGE="en")

    assert again.status_code == 409
    assert "already restricted" in again.content.decode()


def test_the_pages_are_404_for_others(client, caseworker, story):  # type: ignore[no-untyped-def]
    client.force_login(caseworker)

    assert client.get("/privacy/").status_code == 404
    assert client.get(f"/privacy/persons/{story.person.pk}/").status_code == 404
    assert client.get(f"/privacy/persons/{story.person.pk}/export/html/").status_code == 404
    assert client.post(f"/privacy/persons/{story.person.pk}/erase/",
                       {"erase-legal_ground": "art17_1_a", "erase-confirm": "on"}
                       ).status_code == 404
