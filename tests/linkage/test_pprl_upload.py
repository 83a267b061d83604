from __future__ import annotations

import base64

import pytest
from django.core.management import call_command

from zicht.audit.models import AuditEvent
from zicht.linkage import pprl, services
from zicht.linkage.models import PprlEncoding

pytestmark = pytest.mark.django_db
SECRET = pprl.Secret.from_passphrase("shared among the participants only")


def _encoded(given: str, family: str, born: str) -> str:
    return pprl.to_text(pprl.encode(
        {"given_name": given, "family_name": family, "birth_date": born}, SECRET))


def test_an_organisation_uploads_encodings_only(api, caseworker):
    response = api.as_user(caseworker).post("/api/v1/linkage/pprl/encodings/", {"records": [
        {"record_ref": "ngo-1", "encoding": _encoded("Olena", "Kovalenko", "1993-06-21")},
    ]}, format="json")
    assert response.status_code == 201
    stored = PprlEncoding.objects.get()
    assert stored.organisation == caseworker.organisation
    assert len(bytes(stored.encoding)) == 128


def test_an_encoding_of_the_wrong_length_is_refused_and_nothing_is_stored(api, caseworker):
    short = base64.b64encode(bytes(100)).decode()
    client = api.as_user(caseworker)
    events = AuditEvent.objects.count()
    response = client.post("/api/v1/linkage/pprl/encodings/", {"records": [
        {"record_ref": "ngo-1", "encoding": _encoded("Olena", "Kovalenko", "1993-06-21")},
        {"record_ref": "ngo-2", "encoding": short},
    ]}, format="json")
    assert response.status_code == 400
    assert "records[1].encoding" in response.json()
    assert "1024" in response.json()["records[1].encoding"][0]
    assert not PprlEncoding.objects.exists()
    assert AuditEvent.objects.count() == events


def test_an_empty_upload_names_the_records_field(api, caseworker):
    response = api.as_user(caseworker).post("/api/v1/linkage/pprl/encodings/", {},
                                            format="json")
    assert response.status_code == 400
    assert "records" in response.json()


def test_encodings_of_one_person_from_two_organisations_count_once(caseworker,
                                                                   police_officer):
    services.pprl_upload(actor=caseworker, records=[
        {"record_ref": "a", "encoding": _encoded("Olena", "Kovalenko", "1993-06-21")},
        {"record_ref": "b", "encoding": _encoded("Wei", "Wang", "1979-01-30")},
    ])
    services.pprl_upload(actor=police_officer, records=[
        {"record_ref": "x", "encoding": _encoded("Олена", "Коваленко", "1993-06-21")},
    ])
    assert services.pprl_link(actor=None) == 2
    refs = dict(PprlEncoding.objects.values_list("record_ref", "cluster_ref"))
    assert refs["a"] == refs["x"] != refs["b"]


def test_the_encode_command_writes_one_encoding_per_record(tmp_path, monkeypatch):
    source = tmp_path / "records.csv"
    source.write_text("record_id,given_name,family_name,birth_date\n"
                      "1,Olena,Kovalenko,1993-06-21\n2,,,\n", encoding="utf-8")
    monkeypatch.setenv("ZICHT_PPRL_SECRET", "shared among the participants only")
    target = tmp_path / "encodings.csv"
    call_command("pprl", "encode", "--input", str(source), "--output", str(target))
    lines = target.read_text().splitlines()
    assert lines[0] == "record_ref,encoding"
    assert len(lines) == 3
    assert len(lines[1].split(",")[1]) == pprl.ENCODING_LENGTH
    assert "Olena" not in target.read_text()


def test_the_encode_command_refuses_to_run_without_a_secret(tmp_path, monkeypatch):
    from django.core.management.base import CommandError

    source = tmp_path / "records.csv"
    source.write_text("record_id,given_name\n1,Olena\n", encoding="utf-8")
    monkeypatch.delenv("ZICHT_PPRL_SECRET", raising=False)
    with pytest.raises(CommandError, match="secret"):
        call_command("pprl", "encode", "--input", str(source), "--output",
                     str(tmp_path / "out.csv"))
