"""Bulk intake: `zicht import signals FILE.csv` (docs/import.md)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import translation

from tests.factories import OrganisationFactory, UserFactory, make_person
from zicht.audit.models import AuditEvent
from zicht.audit.selectors import verify_chain
from zicht.organisations.models import Role
from zicht.registry import importer
from zicht.registry.models import AccessReason, Consent, Person, PersonAccess, Signal

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    """Messages are asserted in English; the default language is Dutch."""
    with translation.override("en"):
        yield

HEADER = ["external_ref", "given_names", "family_name", "aliases", "birth_date", "sex",
          "citizenships", "languages", "phone", "signalled_on", "forms", "indicators",
          "indicators_other", "sector", "municipality", "scope", "source",
          "exploitation_started_on", "exploitation_ended_on", "narrative",
          "consent_registration", "consent_care", "consent_police"]


def row(**values: str) -> dict[str, str]:
    base = {
        "external_ref": "AD-1", "given_names": "Ioana", "family_name": "Popescu",
        "birth_date": "1998-07-14", "sex": "female", "citizenships": "RO", "languages": "ro",
        "signalled_on": "2025-03-12", "forms": "labour", "indicators": "debt_bondage",
        "sector": "A", "municipality": "GM0599", "scope": "cross_border",
        "source": "own_observation", "narrative": "Passport held by the employer.",
    }
    base.update(values)
    return base


def write_csv(path: Path, rows: list[dict[str, str]], *, delimiter: str = ",",
              header: list[str] | None = None, bom: bool = False) -> Path:
    header = header or HEADER
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, delimiter=delimiter,
                                extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def run_import(path: Path, user, *extra: str) -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command("import", "signals", str(path), "--user", user.username, "--no-progress",
                 *extra, stdout=out)
    return out.getvalue()


def run_import_expecting(code: int, path: Path, user, *extra: str) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError) as caught:
        run_import(path, user, *extra)
    assert caught.value.returncode == code, caught.value
    return str(caught.value)


def read_report(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_valid_file_imports_every_row_with_person_signal_grant_and_consent(tmp_path, caseworker):
    path = write_csv(tmp_path / "signals.csv", [
        row(consent_registration="given", consent_care="refused"),
        row(external_ref="AD-2", given_names="Petar", family_name="Dimitrov", birth_date="1987",
            sex="male", citizenships="BG", languages="bg", forms="labour;criminal",
            narrative=""),
    ])
    output = run_import(path, caseworker)

    assert "imported:          2 signals, 2 new persons" in output
    assert Signal.objects.count() == 2
    ioana = Person.objects.get(name_birth_index=Signal.objects.get(external_ref="AD-1")
                               .person.name_birth_index)
    assert ioana.identity["family_name"] == "Popescu"
    assert ioana.registering_organisation == caseworker.organisation
    assert ioana.consent_registration == "given" and ioana.consent_care == "refused"
    assert ioana.consent_police == "unknown"
    assert PersonAccess.objects.filter(person=ioana, organisation=caseworker.organisation,
                                       reason=AccessReason.REPORTED).exists()
    assert set(Consent.objects.filter(person=ioana).values_list("purpose", "state")) == {
        ("registration", "given"), ("care", "refused")}
    signal = Signal.objects.get(external_ref="AD-1")
    assert signal.narrative == "Passport held by the employer."
    assert signal.forms == ["labour"] and signal.indicators == ["debt_bondage"]
    assert signal.reported_by == caseworker and not signal.duty_registration
    assert Signal.objects.get(external_ref="AD-2").forms == ["labour", "criminal"]
    assert (tmp_path / "signals.rejected.csv").exists()


def test_bad_rows_are_reported_with_line_and_field_and_none_of_them_is_stored(
        tmp_path, caseworker):
    path = write_csv(tmp_path / "signals.csv", [
        row(),
        row(external_ref="AD-2", birth_date="14-07-1998"),
        row(external_ref="AD-3", forms="fishing"),
        row(external_ref="AD-4", municipality="Amsterdam", sex="vrouw"),
    ])
    message = run_import_expecting(1, path, caseworker)

    assert "3 rows rejected" in message
    assert list(Signal.objects.values_list("external_ref", flat=True)) == ["AD-1"]
    assert Person.objects.count() == 1
    report = read_report(tmp_path / "signals.rejected.csv")
    assert [(r["line"], r["field"]) for r in report] == [
        ("3", "birth_date"), ("4", "forms"), ("5", "sex"), ("5", "municipality")]
    assert all(r["reason"] for r in report)
    # The original row comes along, so it can be corrected.
    assert report[0]["birth_date"] == "14-07-1998" and report[0]["external_ref"] == "AD-2"


def test_running_the_same_file_again_adds_nothing(tmp_path, caseworker):
    path = write_csv(tmp_path / "signals.csv", [
        row(), row(external_ref="AD-2", given_names="Olena", family_name="Kovalenko")])
    run_import(path, caseworker)
    counts = (Person.objects.count(), Signal.objects.count(), AuditEvent.objects.count())

    output = run_import(path, caseworker)

    assert "already imported:  2" in output
    assert (Person.objects.count(), Signal.objects.count(),
            AuditEvent.objects.count()) == counts


def test_rows_without_a_reference_get_a_fingerprint_and_are_not_imported_twice(
        tmp_path, caseworker):
    header = [h for h in HEADER if h != "external_ref"]
    path = write_csv(tmp_path / "signals.csv", [row(), row(signalled_on="2025-03-13")],
                     header=header)
    run_import(path, caseworker)
    refs = list(Signal.objects.values_list("external_ref", flat=True))
    assert len(refs) == 2 and all(ref.startswith("sha256:") for ref in refs)

    run_import(path, caseworker)

    assert Signal.objects.count() == 2


def test_rows_with_the_same_name_and_birth_date_become_one_person(tmp_path, caseworker):
    path = write_csv(tmp_path / "signals.csv", [
        row(),
        # Case and diacritics do not make another person (blind index normalises them).
        row(external_ref="AD-2", given_names="IOANA", family_name="Popéscu",
            signalled_on="2025-03-20", narrative="Seen again at a second farm."),
        row(external_ref="AD-3", birth_date="1998-07-15"),
    ])
    run_import(path, caseworker)

    assert Person.objects.count() == 2
    first = Signal.objects.get(external_ref="AD-1").person
    again = Signal.objects.get(external_ref="AD-2")
    assert again.person == first
    # The second row's narrative is readable with the person's own key.
    assert again.narrative == "Seen again at a second farm."
    assert Signal.objects.get(external_ref="AD-3").person != first


def test_a_person_the_organisation_registered_before_is_reused(tmp_path, caseworker, police):
    registered = make_person(caseworker, given_names="Ioana", family_name="Popescu",
                             birth_date="1998-07-14")
    elsewhere = make_person(UserFactory(organisation=police), given_names="Ioana",
                            family_name="Popescu", birth_date="1998-07-14")
    path = write_csv(tmp_path / "signals.csv", [row(consent_care="given")])

    output = run_import(path, caseworker)

    assert "0 new persons, 1 registered persons reused" in output
    signal = Signal.objects.get(external_ref="AD-1")
    assert signal.person == registered
    assert signal.narrative == "Passport held by the employer."
    registered.refresh_from_db()
    assert registered.consent_care == "given"
    assert not elsewhere.signals.exists()


def test_a_semicolon_file_with_bom_from_dutch_excel_imports(tmp_path, caseworker):
    path = write_csv(tmp_path / "signalen.csv", [
        row(indicators="debt_bondage;isolation", narrative="Werkt 14 uur, verdient niets.")],
        delimiter=";", bom=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")

    output = run_import(path, caseworker)

    assert "(semicolon separated)" in output
    signal = Signal.objects.get()
    assert signal.indicators == ["debt_bondage", "isolation"]
    assert signal.narrative == "Werkt 14 uur, verdient niets."
    assert (tmp_path / "signalen.rejected.csv").exists()


def test_every_created_person_signal_and_consent_is_audited_and_the_chain_verifies(
        tmp_path, caseworker):
    path = write_csv(tmp_path / "signals.csv", [
        row(consent_registration="given", consent_police="refused"),
        row(external_ref="AD-2", signalled_on="2025-04-01"),
        row(external_ref="AD-3", given_names="Olena", family_name="Kovalenko"),
    ])
    before = AuditEvent.objects.count()
    run_import(path, caseworker, "--batch-size", "2")

    events = AuditEvent.objects.filter(detail__via="import")
    assert events.count() == AuditEvent.objects.count() - before == 2 + 3 + 2
    assert set(events.filter(action="person.create").values_list("object_id", flat=True)) == set(
        Person.objects.values_list("pk", flat=True))
    assert set(events.filter(action="signal.create").values_list("object_id", flat=True)) == set(
        Signal.objects.values_list("pk", flat=True))
    assert set(events.filter(action="consent.create").values_list("object_id", flat=True)) == set(
        Consent.objects.values_list("pk", flat=True))
    assert all(e.actor_id == caseworker.pk for e in events)
    assert verify_chain().ok


def test_identities_and_narratives_are_encrypted_at_rest(tmp_path, caseworker):
    path = write_csv(tmp_path / "signals.csv", [row(narrative="Slept in the greenhouse.")])
    run_import(path, caseworker)

    with connection.cursor() as cursor:
        cursor.execute("SELECT identity_ciphertext, data_key FROM registry_person")
        identity, data_key = cursor.fetchone()
        cursor.execute("SELECT text_ciphertext FROM registry_signal")
        (texts,) = cursor.fetchone()
    for secret in ("Popescu", "Ioana", "1998-07-14"):
        assert secret not in identity
    assert "greenhouse" not in texts
    person = Person.objects.get()
    assert person.data_key == data_key
    assert person.identity["family_name"] == "Popescu"


def test_a_missing_required_column_stops_the_import_with_exit_code_2(tmp_path, caseworker):
    header = [h for h in HEADER if h != "signalled_on"]
    path = write_csv(tmp_path / "signals.csv", [row()], header=header)

    message = run_import_expecting(2, path, caseworker)

    assert "Missing required column(s): signalled_on" in message
    assert not Signal.objects.exists()


def test_an_unknown_column_stops_the_import_rather_than_losing_its_data(tmp_path, caseworker):
    path = write_csv(tmp_path / "signals.csv", [{**row(), "narative": "typo"}],
                     header=[*HEADER, "narative"])

    message = run_import_expecting(2, path, caseworker)

    assert "Unknown column(s): narative" in message


def test_an_unreadable_file_stops_the_import_with_exit_code_2(tmp_path, caseworker):
    path = tmp_path / "signals.csv"
    path.write_bytes("external_ref,family_name,signalled_on,forms,municipality,source\n"
                     "1,Müller,2025-01-01,labour,GM0363,anonymous\n".encode("cp1252"))

    assert "UTF-8" in run_import_expecting(2, path, caseworker)
    assert "File not found" in run_import_expecting(2, tmp_path / "absent.csv", caseworker)


@pytest.mark.parametrize("role", [Role.ANALYST, Role.AUDITOR, Role.ADMIN])
def test_a_user_without_reporting_rights_is_refused(tmp_path, ngo, role):
    user = UserFactory(organisation=ngo, role=role)
    path = write_csv(tmp_path / "signals.csv", [row()])

    message = run_import_expecting(2, path, user)

    assert "may not report" in message
    assert not Signal.objects.exists() and not Person.objects.exists()


def test_an_unknown_user_is_refused(tmp_path, caseworker):
    path = write_csv(tmp_path / "signals.csv", [row()])
    with pytest.raises(CommandError) as caught:
        call_command("import", "signals", str(path), "--user", "nobody", "--no-progress")
    assert caught.value.returncode == 2 and "nobody" in str(caught.value)


@pytest.mark.parametrize(("column", "value"), [
    ("signalled_on", "20250312"),  # Python would read it; a spreadsheet accident
    ("signalled_on", "2025-02-30"),
    ("signalled_on", "12-03-2025"),
    ("signalled_on", ""),
    ("exploitation_started_on", "2025-W10-1"),
    ("birth_date", "19980714"),
    ("birth_date", "2999"),
])
def test_dates_are_read_strictly(tmp_path, caseworker, column, value):
    path = write_csv(tmp_path / "signals.csv", [row(**{column: value})])
    run_import_expecting(1, path, caseworker)
    report = read_report(tmp_path / "signals.rejected.csv")
    assert [r["field"] for r in report] == [column]
    assert not Signal.objects.exists()


def test_a_reference_used_twice_in_one_file_is_rejected_the_second_time(tmp_path, caseworker):
    path = write_csv(tmp_path / "signals.csv", [row(), row(signalled_on="2025-03-13")])
    run_import_expecting(1, path, caseworker)
    (report,) = read_report(tmp_path / "signals.rejected.csv")
    assert (report["line"], report["field"]) == ("3", "external_ref")
    assert "Line 2" in report["reason"]
    assert Signal.objects.count() == 1


def test_a_row_with_more_cells_than_columns_is_rejected(tmp_path, caseworker):
    path = tmp_path / "signals.csv"
    path.write_text("family_name,signalled_on,forms,municipality,source\n"
                    "Popescu,2025-03-12,labour,GM0599,anonymous\n"
                    "Dimitrov,2025-03-12,labour,sexual,GM0599,anonymous\n", encoding="utf-8")
    run_import_expecting(1, path, caseworker, "--report", str(tmp_path / "faults.csv"))
    report = read_report(tmp_path / "faults.csv")
    assert {r["line"] for r in report} == {"3"}
    assert any("6 cells" in r["reason"] for r in report)
    assert report[0]["extra 1"] == "anonymous"
    assert Signal.objects.count() == 1


def test_a_police_import_is_a_registration_by_duty(tmp_path, police):
    officer = UserFactory(organisation=police, role=Role.CASEWORKER)
    path = write_csv(tmp_path / "signals.csv", [row()])
    run_import(path, officer)

    person = Person.objects.get()
    assert person.duty_registered
    assert Signal.objects.get().duty_registration


@pytest.mark.parametrize("batch_size", ["1", "10"])
def test_the_latest_statement_by_date_is_the_consent_in_force(tmp_path, caseworker, batch_size):
    """As with consent_record: the statement with the latest date, not the last row."""
    path = write_csv(tmp_path / "signals.csv", [
        row(consent_police="given", consent_care="given"),
        row(external_ref="AD-2", signalled_on="2025-03-20", consent_police="withdrawn"),
        row(external_ref="AD-3", signalled_on="2025-03-01", consent_care="refused"),
    ])
    run_import(path, caseworker, "--batch-size", batch_size)

    person = Person.objects.get()
    assert (person.consent_police, person.consent_care) == ("withdrawn", "given")
    assert person.consent_registration == "unknown"
    assert Consent.objects.filter(person=person).count() == 4


def test_an_older_statement_in_the_file_does_not_override_a_registered_one(
        tmp_path, caseworker):
    from zicht.registry.services import consent_record

    person = make_person(caseworker, given_names="Ioana", family_name="Popescu",
                         birth_date="1998-07-14")
    consent_record(actor=caseworker, person_id=person.pk, purpose="care", state="given",
                   recorded_on=dt.date(2025, 5, 1))
    path = write_csv(tmp_path / "signals.csv", [
        row(consent_care="refused", consent_police="given")])
    run_import(path, caseworker)

    person.refresh_from_db()
    assert (person.consent_care, person.consent_police) == ("given", "given")


def test_an_interrupted_run_leaves_whole_batches_and_a_rerun_completes_it(
        tmp_path, caseworker, monkeypatch):
    path = write_csv(tmp_path / "signals.csv", [
        row(external_ref=f"AD-{n}", given_names=f"Person{n}") for n in range(5)])
    real_write = importer._write_batch
    calls = []

    def failing_second_batch(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real_write(*args, **kwargs)

    monkeypatch.setattr(importer, "_write_batch", failing_second_batch)
    with pytest.raises(RuntimeError):
        run_import(path, caseworker, "--batch-size", "2")
    assert sorted(Signal.objects.values_list("external_ref", flat=True)) == ["AD-0", "AD-1"]
    assert Person.objects.count() == 2
    assert AuditEvent.objects.filter(detail__via="import").count() == 4

    monkeypatch.setattr(importer, "_write_batch", real_write)
    output = run_import(path, caseworker, "--batch-size", "2")

    assert "already imported:  2" in output
    assert Signal.objects.count() == 5 and Person.objects.count() == 5
    assert verify_chain().ok


def test_checking_in_several_processes_gives_the_same_result(tmp_path, caseworker, monkeypatch):
    monkeypatch.setattr(importer, "PARALLEL_FROM_ROWS", 1)
    monkeypatch.setattr(importer, "_CHECK_CHUNK", 2)
    rows = [row(external_ref=f"AD-{n}", given_names=f"Person{n % 3}",
                narrative=f"Narrative {n}", signalled_on=f"2025-03-{n + 10}")
            for n in range(7)]
    rows.append(row(external_ref="AD-bad", forms="unknown"))
    path = write_csv(tmp_path / "signals.csv", rows)

    result = importer.import_signals(actor=caseworker, path=path, workers=2, progress=False)

    assert (result.imported, result.rejected, result.persons_created) == (7, 1, 3)
    for signal in Signal.objects.select_related("person"):
        n = int(signal.external_ref.removeprefix("AD-"))
        assert signal.narrative == f"Narrative {n}"
        assert signal.person.identity["given_names"] == f"Person{n % 3}"
    assert verify_chain().ok


def stored_by(organisation) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """What an import stored for one organisation, with ids replaced by their order."""
    persons = list(Person.objects.filter(registering_organisation=organisation).order_by("pk"))
    rank = {person.pk: n for n, person in enumerate(persons)}
    signals = list(Signal.objects.filter(reporting_organisation=organisation).order_by("pk"))
    consents = list(Consent.objects.filter(organisation=organisation).order_by("pk"))
    ranks = {
        "registry.person": rank,
        "registry.signal": {s.pk: n for n, s in enumerate(signals)},
        "registry.consent": {c.pk: n for n, c in enumerate(consents)},
    }
    audit = AuditEvent.objects.filter(organisation_id=organisation.pk).order_by("seq")
    return {
        "persons": [(p.identity, p.name_birth_index, p.consent_registration, p.consent_care,
                     p.consent_police, p.duty_registered) for p in persons],
        "signals": [(s.external_ref, rank[s.person_id], s.signalled_on, s.forms, s.indicators,
                     s.narrative, s.indicators_other, s.age_group, s.minor_at_signal)
                    for s in signals],
        "grants": sorted(rank[pk] for pk in PersonAccess.objects.filter(
            organisation=organisation).values_list("person_id", flat=True)),
        "consents": [(rank[c.person_id], c.purpose, c.state, c.recorded_on) for c in consents],
        "audit": [(e.action, ranks.get(e.object_type, {}).get(e.object_id),
                   rank.get(e.person_id), e.detail) for e in audit],
    }


def test_a_pipelined_import_stores_and_reports_what_one_process_does(tmp_path, monkeypatch):
    # Chunks of 4 rows checked ahead by two processes, batches of 5 written meanwhile:
    # persons, duplicates and consents cross chunk and batch boundaries.
    monkeypatch.setattr(importer, "PARALLEL_FROM_ROWS", 1)
    monkeypatch.setattr(importer, "_CHECK_CHUNK", 4)
    rows = [row(external_ref=f"AD-{n}", given_names=f"Person{n % 7}",
                narrative=f"Narrative {n}" if n % 3 else "",
                signalled_on=f"2025-03-{10 + n % 9:02d}",
                consent_care=("given", "refused", "")[n % 3],
                consent_police="withdrawn" if n % 4 == 0 else "")
            for n in range(26)]
    rows[5]["forms"] = "unknown"                     # rejected
    rows[9]["external_ref"] = "AD-2"                 # reference used twice
    rows[13]["birth_date"] = "2099-01-01"            # rejected
    rows[17].update(given_names="", family_name="", aliases="Red")  # alias only: never merged
    rows[20]["external_ref"] = ""                    # gets a fingerprint
    results, stored, reports = [], [], []
    for workers in (1, 2):
        organisation = OrganisationFactory(name=f"Stichting {workers}")
        user = UserFactory(organisation=organisation, role=Role.CASEWORKER,
                           username=f"caseworker{workers}")
        make_person(user, given_names="Person3", family_name="Popescu",
                    birth_date="1998-07-14")     # registered before: reused
        path = write_csv(tmp_path / f"signals-{workers}.csv", rows)

        result = importer.import_signals(actor=user, path=path, batch_size=5,
                                         workers=workers, progress=False)

        results.append((result.imported, result.rejected, result.persons_created,
                        result.persons_reused, result.consents))
        stored.append(stored_by(organisation))
        reports.append(read_report(result.report_path))
        again = importer.import_signals(actor=user, path=path, batch_size=5, workers=workers,
                                        progress=False)
        # The second AD-2 counts as imported before now: its reference is taken.
        assert (again.imported, again.already_imported) == (0, result.imported + 1)
        assert stored_by(organisation) == stored[-1]

    assert results[0] == results[1] == (23, 3, 7, 1, results[0][4])
    assert stored[0] == stored[1]
    assert reports[0] == reports[1] and [r["line"] for r in reports[0]] == ["7", "11", "15"]
    assert verify_chain().ok
