from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from zicht.actionplan import reports, services
from zicht.actionplan.codes import NOT_REPORTED, ActionStatus


@pytest.fixture
def plan(coordinator, holder, line, action, period, previous_period, holder_org):  # type: ignore[no-untyped-def]
    """Three actions in line 2 and one in line 5: one delayed since the previous report."""
    late = services.action_create(actor=coordinator, line=line.pk, number="2.2",
                                  title="Informatiepunt opzetten", holders=[holder_org.pk],
                                  starts_on=date(2024, 7, 1), ends_on=date(2026, 6, 30))
    silent = services.action_create(actor=coordinator, line=line.pk, number="2.3",
                                    title="Zwijgende actie", holders=[holder_org.pk],
                                    starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31))
    line5 = services.action_line_create(actor=coordinator, number=5, title="Informatiedeling")
    data = services.action_create(actor=coordinator, line=line5.pk, number="5.1",
                                  title="Werkgroep gegevensdeling", holders=[holder_org.pk],
                                  starts_on=date(2024, 7, 1), ends_on=date(2025, 6, 30))
    milestone = services.milestone_create(actor=coordinator, action_id=data.pk,
                                          title="Bouwstenen geschetst", due_on=date(2025, 5, 1))
    services.milestone_update(actor=coordinator, milestone_id=milestone.pk,
                              changes={"reached_on": date(2025, 5, 20)})
    for act, before, now in ((action, ActionStatus.ON_TRACK, ActionStatus.ON_TRACK),
                             (late, ActionStatus.ON_TRACK, ActionStatus.DELAYED),
                             (data, ActionStatus.ON_TRACK, ActionStatus.DONE)):
        services.progress_report_create(actor=holder, action_id=act.pk, period="2024-H2",
                                        status=before, indicator_values=[
                                            {"indicator": "desks_active", "value": 88,
                                             "source": "Telling"}] if act == action else None)
        services.progress_report_create(actor=holder, action_id=act.pk, period="2025-H1",
                                        status=now, text=f"Stand {act.number}",
                                        indicator_values=[
                                            {"indicator": "desks_active", "value": 95,
                                             "source": "Telling"}] if act == action else None)
    return {"action": action, "late": late, "silent": silent, "data": data}


def test_the_report_groups_by_line_and_puts_delayed_actions_first(coordinator, plan, period):
    built = reports.build_report(actor=coordinator, period=period)
    assert [s.line.number for s in built.lines] == [2, 5]
    assert [r.action.number for r in built.lines[0].rows] == ["2.2", "2.3", "2.1"]
    assert built.lines[0].rows[1].status == NOT_REPORTED


def test_the_report_counts_statuses_per_line_and_in_total(coordinator, plan, period):
    built = reports.build_report(actor=coordinator, period=period)
    total = {code: n for code, _label, n in built.counts}
    assert total == {"not_started": 0, "on_track": 1, "delayed": 1, "done": 1, "stopped": 0,
                     NOT_REPORTED: 1}
    line2 = {code: n for code, _label, n in built.lines[0].counts}
    assert line2["delayed"] == 1 and line2["done"] == 0


def test_the_report_shows_changes_since_the_previous_report(coordinator, plan, period):
    built = reports.build_report(actor=coordinator, period=period)
    assert built.previous is not None and built.previous.code == "2024-H2"
    changed = {r.action.number: (r.previous_status, r.status) for r in built.changes}
    assert changed == {"2.2": ("on_track", "delayed"), "5.1": ("on_track", "done")}
    values = built.lines[0].rows[2].values
    assert [(v.value, v.previous) for v in values] == [("95", "88")]
    assert [m.title for _row, m in built.milestones_reached] == ["Bouwstenen geschetst"]


def test_html_report_lists_the_actions(coordinator, plan, period):
    html = reports.render_html(reports.build_report(actor=coordinator, period=period))
    assert html.index("Informatiepunt opzetten") < html.index("Meldpunten in kaart brengen")
    assert "Stand 2.2" in html


def test_pdf_report_is_a_pdf(coordinator, plan, period):
    pdf = reports.render_pdf(reports.build_report(actor=coordinator, period=period))
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 2000


def test_excel_report_opens_with_the_actions_and_the_changes(coordinator, plan, period):
    content = reports.render_xlsx(reports.build_report(actor=coordinator, period=period))
    book = load_workbook(BytesIO(content))
    assert len(book.sheetnames) == 4
    summary, actions, indicators, changes = (book[name] for name in book.sheetnames)
    numbers = [row[1] for row in actions.iter_rows(min_row=2, values_only=True)]
    assert numbers == ["2.2", "2.3", "2.1", "5.1"]
    assert summary.cell(row=summary.max_row, column=2).value == 0  # not started, in total
    assert [row[0] for row in changes.iter_rows(min_row=2, values_only=True)] == ["2.2", "5.1"]
    assert [row[3] for row in indicators.iter_rows(min_row=2, values_only=True)] == ["95"]


def test_the_command_writes_each_format(plan, tmp_path):
    for fmt in ("html", "pdf", "xlsx"):
        out = tmp_path / f"report.{fmt}"
        call_command("programme", "report", "--period", "2025-H1", "--format", fmt,
                     "--out", str(out))
        assert out.stat().st_size > 0
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    load_workbook(tmp_path / "report.xlsx")


def test_the_command_names_an_unknown_period(plan, tmp_path):
    with pytest.raises(CommandError, match="period"):
        call_command("programme", "report", "--period", "2030-H1", "--format", "html",
                     "--out", str(tmp_path / "x.html"))


def test_the_first_report_has_nothing_to_compare_with(coordinator, holder, action, period):
    built = reports.build_report(actor=coordinator, period=period)
    assert built.previous is None and built.changes == []
    assert "nothing to compare" in reports.render_html(built) or "niets te vergelijken" in (
        reports.render_html(built))
