from __future__ import annotations

import csv
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore::UserWarning")]

ROWS = [
    # record_id, reporting_org, given_name, family_name, alias, birth_date, birth_year, sex,
    # nationality, phone
    ["p1", "police", "Олена", "Коваленко", "", "1993-06-21", "", "F", "UA", "+380671234567"],
    ["s7", "shelter", "Kovalenko", "Olena", "", "", "1993", "F", "UA", ""],
    ["n3", "ngo", "Wei", "Wang", "", "1979-01-30", "", "M", "CN", ""],
    ["m9", "municipality", "", "", "", "", "", "", "", ""],
]
HEADER = ["record_id", "reporting_org", "given_name", "family_name", "alias", "birth_date",
          "birth_year", "sex", "nationality", "phone"]


def _write(path, rows, header=HEADER):  # type: ignore[no-untyped-def]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def test_dedupe_writes_one_cluster_per_input_record(tmp_path, trained_parameters):
    source, target, model_file = tmp_path / "in.csv", tmp_path / "out.csv", tmp_path / "m.json"
    _write(source, ROWS)
    model_file.write_text(json.dumps(trained_parameters))
    call_command("link", "dedupe", "--input", str(source), "--output", str(target),
                 "--model", str(model_file))
    with target.open() as handle:
        rows = list(csv.DictReader(handle))
    assert [row["record_id"] for row in rows] == ["p1", "s7", "n3", "m9"]
    clusters = {row["record_id"]: row["cluster_id"] for row in rows}
    assert clusters["p1"] == clusters["s7"]
    assert len({clusters["p1"], clusters["n3"], clusters["m9"]}) == 3


def test_dedupe_uses_the_latest_saved_model_version(tmp_path, model_version, capsys):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    _write(source, ROWS)
    call_command("link", "dedupe", "--input", str(source), "--output", str(target))
    assert f"model v{model_version.version}" in capsys.readouterr().out


def test_dedupe_refuses_an_unknown_model_version(tmp_path, model_version):
    source = tmp_path / "in.csv"
    _write(source, ROWS)
    with pytest.raises(CommandError, match="model_version"):
        call_command("link", "--model-version", "42", "dedupe", "--input", str(source),
                     "--output", str(tmp_path / "out.csv"))
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize(("header", "rows", "message"), [
    (["given_name"], [["Olena"]], "record_id"),
    (HEADER, [ROWS[0], ROWS[0]], "unique"),
])
def test_dedupe_names_what_is_wrong_with_the_input(tmp_path, header, rows, message):
    source = tmp_path / "in.csv"
    _write(source, rows, header)
    with pytest.raises(CommandError, match=message):
        call_command("link", "dedupe", "--input", str(source), "--output",
                     str(tmp_path / "out.csv"))
