"""The directory: search by municipality, form and language; import with clear errors; demo counts."""

from __future__ import annotations

import io
import random

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from zicht.audit.models import AuditEvent
from zicht.wegwijzer import directory_io, selectors
from zicht.wegwijzer.demo import populate
from zicht.wegwijzer.models import DirectoryEntry, EntryKind, Municipality, Scope

pytestmark = pytest.mark.django_db

HEADER = "key,kind,scope,name,region,municipalities,forms,languages,phone,website,anonymous,description_nl,description_en\n"
GOOD = (HEADER
        + "meldpunt-test-zwolle,reporting_desk,regional,Meldpunt Test Zwolle,Overijssel,GM0193,labour;sexual,nl;pl,0800-123 0001,https://zwolle.example.org,ja,Hulp in Zwolle,Help in Zwolle\n"
        + "kennis-test,knowledge_centre,national,Kenniscentrum Test,,,,nl;en,,https://kennis.example.org,no,,\n")


def test_the_demo_directory_reproduces_the_published_counts():
    populate(rng=random.Random(1))
    desks = DirectoryEntry.objects.filter(kind=EntryKind.REPORTING_DESK)
    centres = DirectoryEntry.objects.filter(kind=EntryKind.KNOWLEDGE_CENTRE)
    assert desks.filter(scope=Scope.NATIONAL).count() == 6
    assert desks.filter(scope=Scope.REGIONAL).count() == 89
    assert centres.filter(scope=Scope.NATIONAL).count() == 17
    assert centres.filter(scope=Scope.REGIONAL).count() == 22
    invented = DirectoryEntry.objects.filter(key__startswith="demo-")
    assert all(entry.website.endswith(".example.org") for entry in invented)
    assert populate(rng=random.Random(1)) == {"created": 0, "updated": 0}


def test_search_by_municipality_finds_its_region_and_the_national_desks():
    populate(rng=random.Random(2))
    utrecht = Municipality.objects.get(code="GM0344")
    found = selectors.directory_search(municipality=utrecht)
    regional = [e for e in found if e.scope == Scope.REGIONAL]
    assert regional and all(e.region == "PV26" for e in regional)
    assert all(not e.municipalities or "GM0344" in e.municipalities for e in regional)
    assert {"politie", "comensha"} <= {e.key for e in found}
    assert found.index(regional[0]) < found.index(next(e for e in found
                                                          if e.scope == Scope.NATIONAL))


def test_search_by_form_and_language(client):
    populate(rng=random.Random(2))
    found = selectors.directory_search(form="labour", language="pl")
    assert found
    for entry in found:
        assert not entry.forms or "labour" in entry.forms
        assert "pl" in entry.languages
    page = client.get("/wegwijzer/directory/", {"municipality": "zwolle", "form": "sexual",
                                                 "language": "nl", "kind": "reporting_desk"})
    assert page.status_code == 200
    for entry in page.context["page"].object_list:
        assert entry.kind == EntryKind.REPORTING_DESK
        assert entry.scope == Scope.NATIONAL or entry.region == "PV23"


def test_an_unknown_municipality_in_the_search_is_named(client):
    page = client.get("/wegwijzer/directory/", {"municipality": "Nergenshuizen"},
                      HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 400
    assert "We do not know the municipality &#x27;Nergenshuizen&#x27;" in page.content.decode()


def test_a_csv_file_is_imported_and_updated_by_key(tmp_path):
    path = tmp_path / "desks.csv"
    path.write_text(GOOD, encoding="utf-8")
    call_command("wegwijzer", "import-directory", str(path))
    desk = DirectoryEntry.objects.get(key="meldpunt-test-zwolle")
    assert desk.region == "PV23" and desk.municipalities == ["GM0193"]
    assert desk.forms == ["labour", "sexual"] and desk.anonymous
    assert desk.description == {"nl": "Hulp in Zwolle", "en": "Help in Zwolle"}
    path.write_text(GOOD.replace("Meldpunt Test Zwolle", "Meldpunt Zwolle"), encoding="utf-8")
    call_command("wegwijzer", "import-directory", str(path))
    assert DirectoryEntry.objects.get(key="meldpunt-test-zwolle").name == "Meldpunt Zwolle"
    assert AuditEvent.objects.filter(action="directory.import").count() == 2


def test_an_excel_file_is_imported():
    workbook = Workbook()
    sheet = workbook.active
    for line in GOOD.strip().split("\n"):
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = directory_io.parse_rows(directory_io.read_table("desks.xlsx", buffer.getvalue()))
    assert [row["key"] for row in rows] == ["meldpunt-test-zwolle", "kennis-test"]
    assert rows[1]["scope"] == "national" and rows[1]["region"] == ""


def test_bad_rows_are_named_by_row_and_column_and_nothing_is_imported(tmp_path):
    bad = (HEADER
           + "meldpunt-ok,reporting_desk,regional,Goed,Utrecht,,,nl,0800-123 0002,,,,\n"
           + "Bad Key,desk,regional,,Atlantis,GM99,fishing,dutch,call me,ftp://x,misschien,,\n"
           + "meldpunt-ok,reporting_desk,national,Dubbel,Utrecht,,,nl,,,,,\n")
    path = tmp_path / "bad.csv"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("wegwijzer", "import-directory", str(path))
    message = str(raised.value)
    for expected in ("row 3, column key", "row 3, column kind: 'desk' is not one of",
                     "row 3, column name: required", "row 3, column region: 'Atlantis'",
                     "row 3, column municipalities: 'GM99'", "row 3, column forms: 'fishing'",
                     "row 3, column languages: 'dutch'", "row 3, column phone: 'call me'",
                     "row 3, column website: 'ftp://x'", "row 3, column anonymous: 'misschien'",
                     "row 4, column key: the same key as row 2",
                     "row 4, column region: a national entry has no region",
                     "row 4, column phone: give a phone number"):
        assert expected in message, expected
    assert not DirectoryEntry.objects.filter(key="meldpunt-ok").exists()


def test_an_unknown_column_stops_the_import():
    with pytest.raises(directory_io.DirectoryFileError) as raised:
        directory_io.parse_rows(directory_io.read_table("x.csv", b"key,kind,scope,name,colour\n"))
    assert "header, column colour: unknown column" in str(raised.value)


def test_an_export_can_be_imported_again(tmp_path):
    out = tmp_path / "export.csv"
    call_command("wegwijzer", "export-directory", str(out))
    rows = directory_io.parse_rows(directory_io.read_table(out))
    assert {row["key"] for row in rows} >= {"politie", "alarmnummer-112", "veilig-thuis"}


def test_the_admin_imports_an_uploaded_file(client, django_user_model):
    from django.core.files.uploadedfile import SimpleUploadedFile

    admin = django_user_model.objects.create_superuser("boss", password="correct horse battery")
    client.force_login(admin)
    response = client.post("/admin/wegwijzer/directoryentry/import/",
                           {"file": SimpleUploadedFile("desks.csv", GOOD.encode())})
    assert response.status_code == 302
    assert DirectoryEntry.objects.filter(key="kennis-test").exists()
    bad = client.post("/admin/wegwijzer/directoryentry/import/",
                      {"file": SimpleUploadedFile("desks.csv", (HEADER + "x,y,z,,,,,,,,,,\n").encode())})
    assert bad.status_code == 200 and "row 2, column kind" in bad.content.decode()


def test_the_admin_shows_the_directory_and_the_rule_sets(client, django_user_model):
    from zicht.wegwijzer.models import Question, RuleSet

    admin = django_user_model.objects.create_superuser("boss", password="correct horse battery")
    client.force_login(admin)
    ruleset = RuleSet.objects.get()
    question = Question.objects.filter(ruleset=ruleset).first()
    for url in ["/admin/wegwijzer/directoryentry/", "/admin/wegwijzer/directoryentry/import/",
                "/admin/wegwijzer/ruleset/", f"/admin/wegwijzer/ruleset/{ruleset.pk}/change/",
                f"/admin/wegwijzer/question/{question.pk}/change/",
                "/admin/wegwijzer/municipality/"]:
        assert client.get(url).status_code == 200, url
    # A published version cannot be edited: its inlines are read-only.
    page = client.get(f"/admin/wegwijzer/ruleset/{ruleset.pk}/change/").content.decode()
    assert 'name="questions-0-key"' not in page
