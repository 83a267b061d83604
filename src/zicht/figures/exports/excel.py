"""Every monitor table of a year in one Excel workbook, one sheet per table."""

from __future__ import annotations

from typing import IO

from ..selectors import Monitor
from ..suppression import SUPPRESSED_MARK
from ..tables import labels


def write(out: IO[bytes], monitor: Monitor) -> int:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for dims, published in monitor.tables.items():
        table = published.table.table
        names = labels(table)
        sheet = workbook.create_sheet(title=" x ".join(dims)[:31])
        sheet.append([f"{monitor.year}: {names['row_title']}"
                      + (f" × {names['col_title']}" if table.col_dim else "")])
        sheet["A1"].font = bold
        header = [names["row_title"], *(names.get("cols") or ["Persons"])]
        if table.col_dim:
            header.append("Total")
        sheet.append(header)
        for cell in sheet[2]:
            cell.font = bold
        grid = published.table.as_rows(mark=SUPPRESSED_MARK)
        for label, row in zip([*names["rows"], "Total"], grid, strict=True):
            sheet.append([label, *row])
        sheet.append([])
        sheet.append([f"{SUPPRESSED_MARK} = suppressed (fewer than "
                      f"{published.table.threshold}, or to protect such a cell)"])
    workbook.save(out)
    return len(monitor.tables)
