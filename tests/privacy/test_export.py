"""Access (art. 15): everything the officer may see of one person, and nothing else."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import OrganisationFactory, UserFactory
from zicht.audit.models import AuditEvent
from zicht.core.exceptions import NotFound
from zicht.organisations.models import OrganisationKind, Role
from zicht.privacy import reports, services

from .conftest import make_officer


def export(actor, person):  # type: ignore[no-untyped-def]
    return services.person_export(actor=actor, person_id=person.pk)


def test_the_export_holds_everything_zicht_has_on_the_person(officer, story):  # type: ignore[no-untyped-def]
    data = export(officer, story.person)

    assert data["person"]["identity"]["given_names"] == "Oana"
    assert data["person"]["identity"]["phone"] == story.values["phone"]
    assert [s["narrative"] for s in data["signals"]] == [story.values["narrative"]]
    assert {c["purpose"] for c in data["consents"]} == {"care", "registration", "police"}
    assert data["pathway"]["guardian"] == story.values["guardian"]
    assert data["pathway"]["case_status"] == "closed"
    assert data["pathway"]["criminal_cases"][0]["reference"] == story.values["reference"]
    assert data["pathway"]["deadlines"][-1]["extensions"][0]["reason"] == story.values["reason"]
    assert [r["note"] for r in data["referrals"]] == [story.values["note"]]
    assert data["placements"][0]["shelter"] == "Opvang Test"
    assert {"person.create", "signal.create"} <= {e["action"] for e in data["audit"]}


def test_the_export_shows_nothing_of_organisations_the_officer_may_not_see(officer, story):  # type: ignore[no-untyped-def]
    data = export(officer, story.person)

    # The police's own record of Oana, and what police staff did, belong to the police.
    assert data["linkage"]["links"] == [] and data["linkage"]["decisions"] == []
    assert {e["organisation"] for e in data["audit"]} <= {"Stichting Voorbeeld", ""}
    assert [a["organisation"] for a in data["access"]] == ["Stichting Voorbeeld"]
    assert "Politie Voorbeeld" not in json.dumps(data["audit"] + data["access"])


def test_the_national_officer_sees_every_organisation_and_the_linked_record(national_officer, story):  # type: ignore[no-untyped-def]
    data = export(national_officer, story.person)

    assert [link["other_person"] for link in data["linkage"]["links"]] == [story.other.pk]
    assert data["linkage"]["decisions"][0]["note"] == story.values["decision_note"]
    assert "Politie Voorbeeld" in {e["organisation"] for e in data["audit"]}


def test_making_an_export_is_on_the_record(officer, story):  # type: ignore[no-untyped-def]
    export(officer, story.person)

    event = AuditEvent.objects.get(action="person.export")
    assert (event.person_id, event.actor_username) == (story.person.pk, "fg-ngo")
    assert export(officer, story.person)["requests"][0]["kind"] == "export"


def test_an_officer_of_an_organisation_that_does_not_hold_the_person_gets_nothing(story):  # type: ignore[no-untyped-def]
    elsewhere = OrganisationFactory(name="Gemeente Elders", kind=OrganisationKind.MUNICIPALITY)
    stranger = make_officer(UserFactory(organisation=elsewhere, role=Role.CASEWORKER))

    with pytest.raises(NotFound):
        export(stranger, story.person)
    assert not AuditEvent.objects.filter(action="person.export").exists()


def test_a_caseworker_without_the_permission_gets_nothing(caseworker, story):  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        export(caseworker, story.person)


def test_an_erased_person_can_still_be_exported_without_identity(officer, story):  # type: ignore[no-untyped-def]
    services.person_erase(actor=officer, person_id=story.person.pk, legal_ground="art17_1_a")

    data = export(officer, story.person)

    assert data["person"]["identity"] == {} and data["person"]["erased_at"]
    assert data["signals"][0]["narrative"] == "" and data["signals"][0]["forms"] == ["sexual"]
    assert [r["kind"] for r in data["requests"]] == ["erasure"]


def test_the_export_reads_as_html_and_pdf(officer, story):  # type: ignore[no-untyped-def]
    data = export(officer, story.person)

    html = reports.render_html(data)
    assert f"Everything zicht holds on person P-{story.person.pk}" in html
    assert story.values["narrative"] in html and "Shelter placements" in html
    assert reports.render_pdf(data).startswith(b"%PDF")


@pytest.mark.parametrize("file_format", ["json", "html"])
def test_the_command_line_writes_the_export(officer, story, tmp_path, file_format):  # type: ignore[no-untyped-def]
    out = tmp_path / f"export.{file_format}"

    call_command("privacy", "export", str(story.person.pk), "--actor", "fg-ngo",
                 "--format", file_format, "--out", str(out))

    assert story.values["narrative"] in out.read_text()


def test_the_command_line_names_an_unknown_actor_or_person(officer, story, tmp_path):  # type: ignore[no-untyped-def]
    out = tmp_path / "export.json"
    with pytest.raises(CommandError, match="--actor"):
        call_command("privacy", "export", str(story.person.pk), "--actor", "nobody",
                     "--out", str(out))
    with pytest.raises(CommandError, match="Not found"):
        call_command("privacy", "export", "999999", "--actor", "fg-ngo", "--out", str(out))
    assert not out.exists()
