"""The export written out: JSON for machines, HTML and PDF for the person and the officer.

One data structure (selectors.export_data) feeds all three, so they cannot differ.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

FORMATS = ("json", "html", "pdf")
CONTENT_TYPES = {
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class Table:
    title: str
    columns: list[str]
    rows: list[list[str]]


def _label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict):
        return "; ".join(f"{_label(k)}: {_text(v)}" for k, v in value.items()) or "—"
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value) or "—"
    return str(value)


def _record(title: str, record: dict[str, Any]) -> Table:
    """One record as two columns: field and value."""
    return Table(title, [_("Field"), _("Value")],
                 [[_label(k), _text(v)] for k, v in record.items() if not _is_rows(v)])


def _is_rows(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and isinstance(value[0], dict)


def _rows(title: str, records: list[dict[str, Any]]) -> Table:
    columns = list(records[0]) if records else []
    return Table(title, [_label(c) for c in columns],
                 [[_text(r.get(c)) for c in columns] for r in records])


def tables(data: dict[str, Any]) -> list[Table]:
    """The export as tables, in the order a reader expects."""
    person = dict(data["person"])
    identity = person.pop("identity")
    out = [_record(_("Person"), person), _record(_("Identity"), identity)]
    out.append(_rows(_("Organisations with access"), data["access"]))
    out.append(_rows(_("Signals"), data["signals"]))
    out.append(_rows(_("Consent statements"), data["consents"]))
    pathway = data["pathway"]
    if pathway is not None:
        out.append(_record(_("Pathway"), pathway))
        for key, title in (("decisions", _("Victim status decisions")), ("stages", _("Stages")),
                           ("criminal_cases", _("Criminal cases")),
                           ("deadlines", _("Deadlines")), ("redress", _("Redress claims"))):
            out.append(_rows(title, pathway[key]))
    out.append(_rows(_("Referrals"), data["referrals"]))
    out.append(_rows(_("Shelter placements"), data["placements"]))
    linkage = data["linkage"]
    out.append(_record(_("Linkage"), {"cluster_id": linkage["cluster_id"]}))
    out.append(_rows(_("Linked records"), linkage["links"]))
    out.append(_rows(_("Linkage review decisions"), linkage["decisions"]))
    out.append(_rows(_("Who saw or changed the person (audit log)"), data["audit"]))
    out.append(_rows(_("Data-subject requests"), data["requests"]))
    return out


def render_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False).encode()


def render_html(data: dict[str, Any]) -> str:
    return render_to_string("privacy/export_document.html",
                            {"data": data, "tables": tables(data)})


def render_pdf(data: dict[str, Any]) -> bytes:
    # Imported here: WeasyPrint loads Pango, which only the PDF needs.
    from weasyprint import HTML

    return bytes(HTML(string=render_html(data)).write_pdf())


def render(data: dict[str, Any], file_format: str) -> bytes:
    if file_format == "json":
        return render_json(data)
    if file_format == "pdf":
        return render_pdf(data)
    return render_html(data).encode()


def http_response(data: dict[str, Any], file_format: str) -> HttpResponse:
    """The export as a download (JSON, PDF) or a page to read (HTML)."""
    response = HttpResponse(render(data, file_format), content_type=CONTENT_TYPES[file_format])
    disposition = "inline" if file_format == "html" else "attachment"
    response["Content-Disposition"] = (
        f'{disposition}; filename="person-{data["person"]["id"]}.{file_format}"')
    return response
