"""Chain figures with revisions, the differencing guard, the CLI and the exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import translation

from tests.figures.conftest import random_registry
from zicht.core.exceptions import ApplicationError
from zicht.figures import demo, selectors, services
from zicht.figures.counting import counted_rows
from zicht.figures.exports import htcds as htcds_export
from zicht.figures.exports import microdata
from zicht.figures.models import ChainFigure
from zicht.organisations.models import Organisation, OrganisationKind


def test_demo_has_the_published_labour_figures_and_their_correction(registry):
    demo.populate(rng=random.Random(1), organisations=Organisation.objects.all(),
                  today=dt.date(2025, 6, 1))
    funnel = selectors.funnel(actor=None, year=2022, form="labour")
    steps = {step.key: step for step in funnel.steps}
    assert steps["investigations"].value == 28
    assert steps["investigations"].revision == 2
    assert steps["investigations"].corrected
    assert (steps["om_cases"].value, steps["rulings"].value) == (31, 8)
    assert selectors.funnel(actor=None, year=2023, form="labour").steps[2].value == 21
    first = ChainFigure.objects.get(year=2023, form="labour", measure="investigations",
                                    revision=1)
    assert first.value == 8 and first.published_on is not None


def test_demo_can_run_twice(registry):
    args = {"rng": random.Random(3), "organisations": Organisation.objects.all(),
            "today": dt.date(2025, 6, 1)}
    demo.populate(**args)
    assert demo.populate(**{**args, "rng": random.Random(3)}) == {"chain_figures": 0}


def test_a_correction_needs_a_reason_and_becomes_a_new_revision(registry):
    inspectorate = registry.orgs[OrganisationKind.LABOUR_INSPECTORATE]
    args = {"actor": None, "organisation": inspectorate, "year": 2022, "form": "labour",
            "measure": "investigations", "source": "NLA"}
    services.chain_figure_deliver(value=15, **args)
    assert services.chain_figure_deliver(value=15, **args) is None
    with pytest.raises(ApplicationError) as error:
        services.chain_figure_deliver(value=28, **args)
    assert error.value.field == "reason"
    second = services.chain_figure_deliver(value=28, reason="registration error", **args)
    assert (second.revision, second.value) == (2, 28)
    assert ChainFigure.objects.filter(year=2022).count() == 2


def test_an_upload_with_a_bad_row_names_the_line_and_writes_nothing(registry):
    police = registry.orgs[OrganisationKind.POLICE]
    content = b"year,form,measure,value,source\n2023,sexual,suspects,120,Politie\n" \
              b"2023,sexual,suspects,-3,Politie\n"
    with pytest.raises(ApplicationError, match="line 3"):
        services.chain_figures_upload(actor=None, organisation=police, content=content,
                                      filename="f.csv")
    assert not ChainFigure.objects.exists()


def test_an_excel_upload_delivers_its_rows(registry):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["year", "form", "measure", "value", "source"])
    workbook.active.append([2023, "sexual", "suspects", 120, "Politie"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    counts = services.chain_figures_upload(
        actor=None, organisation=registry.orgs[OrganisationKind.POLICE],
        content=buffer.getvalue(), filename="f.xlsx")
    assert counts == {"added": 1, "unchanged": 0}


def test_the_same_table_without_one_region_is_refused_when_it_isolates_few(registry):
    for _ in range(12):
        registry.person(signals=[{"on": dt.date(2024, 3, 1), "municipality": "GM0363"}])
    for _ in range(2):
        registry.person(signals=[{"on": dt.date(2024, 3, 1), "municipality": "GM0014"}])
    from zicht.figures.counting import DIMENSIONS
    everyone = [key for key, _label in DIMENSIONS["region"].categories]
    services.table_publish(actor=None, start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31),
                           by="sex")
    without_north = [r for r in everyone if r != "noord-nederland"]
    with pytest.raises(ApplicationError):
        services.table_publish(actor=None, start=dt.date(2024, 1, 1),
                               end=dt.date(2024, 12, 31), by="sex", regions=without_north)


def test_the_cli_prints_a_suppressed_table_with_x(registry):
    for sex, count in (("female", 12), ("male", 3), ("unknown", 9)):
        for _ in range(count):
            registry.person(sex=sex, signals=[{"on": dt.date(2024, 3, 1)}])
    out = io.StringIO()
    call_command("figures", "--year", "2024", "--by", "sex", "--format", "csv", stdout=out)
    rows = {row[0]: row[1] for row in csv.reader(io.StringIO(out.getvalue()))}
    assert rows == {"sex": "persons", "female": "12", "male": "x", "other": "0",
                    "unknown": "x", "total": "24"}


def test_microdata_is_k_anonymous_and_reports_what_it_did(registry, tmp_path):
    random_registry(registry, seed=3, persons=400)
    report = microdata.build([2024])
    classes = Counter(tuple(row[:4]) for row in report.rows)
    assert report.rows_out == len(report.rows) > 0
    assert min(classes.values()) >= 11 == report.k
    assert report.k_achieved == min(classes.values())
    assert report.unique_rows == 0
    assert 0 <= report.information_loss <= 1


def test_anonymise_generalises_before_it_suppresses():
    ladders = [(("2024",), ("female", "-99"), ("18-24", "18+", "-99"),
                (code, "region", "group", "-99")) for code in ["RO"] * 30 + ["PL"] * 30]
    qis, report = microdata.anonymise(ladders, k=11)
    assert report.levels["citizenship"] == "country"
    assert all(q is not None for q in qis)


def test_the_exports_write_their_files(registry, tmp_path):
    random_registry(registry, seed=5, persons=120)
    for fmt in ("eurostat", "htcds", "microdata"):
        call_command("export", fmt, "--year", "2024", "--out", str(tmp_path / f"{fmt}.csv"),
                     stdout=io.StringIO(), stderr=io.StringIO())
    eurostat = list(csv.DictReader((tmp_path / "eurostat.csv").open()))
    total = next(r for r in eurostat if r["indic_cr"] == "VICT" and r["sex"] == "T"
                 and r["age"] == "TOTAL" and r["citizen"] == "TOTAL" and r["expl"] == "TOTAL")
    htcds = list(csv.DictReader((tmp_path / "htcds.csv").open()))
    assert int(total["OBS_VALUE"]) == len(htcds)
    # The status decided in the pathway by the end of the year, in HTCDS's value names.
    rows = counted_rows(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
    assert Counter(r["vic_TraffickingStatus"] for r in htcds) == Counter(
        htcds_export.TRAFFICKING_STATUS[status] for status in rows.values("victim_status"))
    assert {r["vic_TraffickingStatus"] for r in htcds} == {
        "PossibleVictimOfTrafficking", "ActualVictimOfTrafficking", "NotAVictimOfTrafficking"}
    assert all(r["OBS_FLAG"] == "c" for r in eurostat if r["OBS_VALUE"] == "")


def test_the_report_has_tables_charts_rules_and_the_corrected_flag(registry, tmp_path):
    from zicht.figures.reports import write_report

    random_registry(registry, seed=5, persons=60)
    demo.populate(rng=random.Random(1), organisations=Organisation.objects.all(),
                  today=dt.date(2025, 6, 1))
    with translation.override("en"):
        written = write_report(actor=None, year=2023, out_dir=tmp_path, trend_years=2,
                               pdf=True)
    assert {p.name for p in written} == {"report-2023.html", "report-2023.pdf",
                                         "tables-2023.xlsx"}
    html = (tmp_path / "report-2023.html").read_text()
    assert "<svg" in html and "Corrected after publication" in html
    assert "counted once per period" in html
    assert (tmp_path / "report-2023.pdf").read_bytes().startswith(b"%PDF")
