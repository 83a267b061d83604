"""The half-year progress report: built once as data, then written as HTML, PDF or Excel.

Grouped by action line, with status counts, the changes since the previous
report, and within each line the delayed actions first: what the letter to
parliament leads with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from zicht.organisations.models import User

from . import selectors
from .access import require_may_read_plan
from .codes import NOT_REPORTED, STATUS_ORDER, ActionStatus, IndicatorKind
from .models import Action, ActionLine, IndicatorValue, Milestone, ProgressReport, ReportingPeriod

FORMATS = ("html", "pdf", "xlsx")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Actions without a report sit after the delayed and stopped ones: they need asking.
_ORDER = {**{str(k): v for k, v in STATUS_ORDER.items()}, NOT_REPORTED: 1.5}


def status_label(status: str | None) -> str:
    if status is None:
        return ""
    if status == NOT_REPORTED:
        return _("Not reported")
    return str(ActionStatus(status).label)


def format_value(value: IndicatorValue | None) -> str:
    if value is None:
        return ""
    shown = value.value
    if shown is None:
        return ""
    if value.indicator.kind == IndicatorKind.PERCENTAGE:
        return f"{shown} %"
    if isinstance(shown, Decimal):
        return format(shown, "f")
    return str(shown)


@dataclass
class ValueRow:
    indicator: str
    unit: str
    value: str
    source: str
    previous: str


@dataclass
class ActionRow:
    action: Action
    status: str
    previous_status: str | None
    text: str
    holders: list[str]
    values: list[ValueRow]
    milestones: list[Milestone]
    reached_in_period: list[Milestone]

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def previous_label(self) -> str:
        return status_label(self.previous_status) if self.previous_status else _("new")

    @property
    def changed(self) -> bool:
        """A reported status differs from the previous report's; a missing report is no change."""
        return (self.previous_status is not None and self.status != NOT_REPORTED
                and self.previous_status != self.status)

    @property
    def is_new(self) -> bool:
        return self.previous_status is None

    @property
    def delayed(self) -> bool:
        return self.status == ActionStatus.DELAYED


@dataclass
class LineSection:
    line: ActionLine
    rows: list[ActionRow]
    counts: list[tuple[str, str, int]] = field(default_factory=list)


@dataclass
class ProgrammeReport:
    period: ReportingPeriod
    previous: ReportingPeriod | None
    generated_at: datetime
    lines: list[LineSection]
    counts: list[tuple[str, str, int]]

    @property
    def rows(self) -> list[ActionRow]:
        return [row for line in self.lines for row in line.rows]

    @property
    def changes(self) -> list[ActionRow]:
        return [row for row in self.rows if row.changed]

    @property
    def delayed(self) -> list[ActionRow]:
        return [row for row in self.rows if row.delayed]

    @property
    def not_reported(self) -> list[ActionRow]:
        return [row for row in self.rows if row.status == NOT_REPORTED]

    @property
    def milestones_reached(self) -> list[tuple[ActionRow, Milestone]]:
        return [(row, m) for row in self.rows for m in row.reached_in_period]


def _counts(rows: list[ActionRow]) -> list[tuple[str, str, int]]:
    statuses = [*ActionStatus.values, NOT_REPORTED]
    return [(status, status_label(status), sum(1 for r in rows if r.status == status))
            for status in statuses]


def build_report(*, actor: User | None, period: ReportingPeriod) -> ProgrammeReport:
    """Everything the report shows; no person data is read. `actor` None: the command line."""
    if actor is not None:
        require_may_read_plan(actor)
    previous = selectors.previous_period(period)
    actions = selectors.sort_actions(selectors.actions_due_in(period))
    reports = {r.action_id: r for r in ProgressReport.objects.filter(period=period)
               .prefetch_related("values__indicator")}
    earlier: dict[int, ProgressReport] = {}
    if previous is not None:
        earlier = {r.action_id: r for r in ProgressReport.objects.filter(period=previous)
                   .prefetch_related("values__indicator")}
    by_line: dict[int, list[ActionRow]] = {}
    lines: dict[int, ActionLine] = {}
    for action in actions:
        report, before = reports.get(action.pk), earlier.get(action.pk)
        before_values = {v.indicator_id: v for v in before.values.all()} if before else {}
        values = [ValueRow(v.indicator.name, v.indicator.unit, format_value(v), v.source,
                           format_value(before_values.get(v.indicator_id)))
                  for v in (report.values.all() if report else [])]
        milestones = list(action.milestones.all())
        row = ActionRow(
            action=action,
            status=report.status if report else NOT_REPORTED,
            previous_status=before.status if before else None,
            text=report.text if report else "",
            holders=[o.name for o in action.holders.all()],
            values=values,
            milestones=milestones,
            reached_in_period=[m for m in milestones if m.reached_on
                               and period.starts_on <= m.reached_on <= period.ends_on],
        )
        lines[action.line.number] = action.line
        by_line.setdefault(action.line.number, []).append(row)
    sections = []
    for number in sorted(by_line):
        rows = sorted(by_line[number], key=lambda r: (_ORDER[r.status], r.action.sort_key))
        sections.append(LineSection(lines[number], rows, _counts(rows)))
    everything = [row for section in sections for row in section.rows]
    return ProgrammeReport(period=period, previous=previous, generated_at=timezone.now(),
                           lines=sections, counts=_counts(everything))


# --- Writers ------------------------------------------------------------------------------------

def render_html(report: ProgrammeReport) -> str:
    return render_to_string("actionplan/report_document.html", {"report": report})


def render_pdf(report: ProgrammeReport) -> bytes:
    # Imported here: WeasyPrint loads Pango, which only the report needs.
    from weasyprint import HTML

    return bytes(HTML(string=render_html(report)).write_pdf())


def _sheet_title(text: str) -> str:
    # Excel: at most 31 characters, none of []:*?/\
    return "".join(c for c in text if c not in "[]:*?/\\")[:31]


def render_xlsx(report: ProgrammeReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")

    def table(sheet: Any, header: list[str], rows: list[list[Any]], widths: list[int]) -> None:
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = bold
        for values in rows:
            sheet.append(values)
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = wrap
        sheet.freeze_panes = "A2"
        if rows:
            sheet.auto_filter.ref = sheet.dimensions

    summary = book.active
    summary.title = _sheet_title(_("Summary"))
    statuses = [label for _code, label, _n in report.counts]
    summary_rows = [[f"{s.line.number}. {s.line.title}", *[n for _c, _l, n in s.counts]]
                    for s in report.lines]
    summary_rows.append([_("All action lines"), *[n for _c, _l, n in report.counts]])
    table(summary, [_("Action line"), *statuses], summary_rows, [48] + [14] * len(statuses))
    for cell in summary[summary.max_row]:
        cell.font = bold

    actions = book.create_sheet(_sheet_title(_("Actions")))
    table(actions, [_("Action line"), _("Number"), _("Action"), _("Holders"), _("Status"),
                    _("Previous status"), _("Changed"), _("Start"), _("Planned end"),
                    _("Milestones"), _("Progress")],
          [[s.line.number, r.action.number, r.action.title, "; ".join(r.holders),
            r.status_label, r.previous_label, _("yes") if r.changed else "",
            r.action.starts_on, r.action.ends_on,
            "; ".join(f"{m.due_on:%Y-%m-%d} {m.title}"
                      + (f" ({_('reached')} {m.reached_on:%Y-%m-%d})" if m.reached_on else "")
                      for m in r.milestones),
            r.text] for s in report.lines for r in s.rows],
          [10, 9, 50, 30, 14, 16, 9, 12, 12, 50, 70])
    for row in actions.iter_rows(min_row=2, min_col=8, max_col=9):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"

    indicators = book.create_sheet(_sheet_title(_("Indicators")))
    table(indicators, [_("Number"), _("Action"), _("Indicator"), _("Value"), _("Unit"),
                       _("Previous value"), _("Source")],
          [[r.action.number, r.action.title, v.indicator, v.value, v.unit, v.previous, v.source]
           for r in report.rows for v in r.values],
          [9, 50, 36, 14, 12, 14, 40])

    changes = book.create_sheet(_sheet_title(_("Changes")))
    table(changes, [_("Number"), _("Action"), _("Previous status"), _("Status")],
          [[r.action.number, r.action.title, r.previous_label, r.status_label]
           for r in report.changes],
          [9, 60, 18, 18])

    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def render(report: ProgrammeReport, fmt: str) -> bytes:
    if fmt == "html":
        return render_html(report).encode()
    if fmt == "pdf":
        return render_pdf(report)
    if fmt == "xlsx":
        return render_xlsx(report)
    raise ValueError(fmt)


def filename(report: ProgrammeReport, fmt: str) -> str:
    return f"voortgang-{report.period.code}.{fmt}"
