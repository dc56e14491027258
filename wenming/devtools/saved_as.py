"""An .xlsx workbook saved as the other formats offices use (for the tests and ``formats``), as Excel, WPS or LibreOffice would save it:
.xls (xlwt, BIFF8: also what WPS writes as .et), .ods (odfpy) and CSV (one file per sheet, as
displayed, merged cells holding their value in the first cell only)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import xlwt
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import CoveredTableCell, Table, TableCell, TableRow
from odf.text import P


def _merges(ws) -> tuple[dict[tuple[int, int], object], set[tuple[int, int]]]:
    """(first cell -> its range, the other cells of every range), 1-based."""
    first = {(r.min_row, r.min_col): r for r in ws.merged_cells.ranges}
    covered = {
        (row, col)
        for r in ws.merged_cells.ranges
        for row in range(r.min_row, r.max_row + 1)
        for col in range(r.min_col, r.max_col + 1)
    } - set(first)
    return first, covered


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def xls(data: bytes) -> bytes:
    """The workbook as Excel 97-2003 (.xls, BIFF8): values, number formats of dates and percents, merges,
    hidden sheets."""
    out = xlwt.Workbook(encoding="utf-8")
    for ws in _book(data).worksheets:
        sheet = out.add_sheet(ws.title)
        if ws.sheet_state != "visible":
            sheet.visibility = 1
        first, covered = _merges(ws)
        for row in ws.iter_rows():
            for cell in row:
                key = (cell.row, cell.column)
                if key in covered or cell.value is None:
                    continue
                style = xlwt.XFStyle()
                if isinstance(cell.value, dt.date):
                    style.num_format_str = "yyyy-mm-dd"
                elif isinstance(cell.value, int | float) and cell.number_format != "General":
                    style.num_format_str = cell.number_format
                if key in first:
                    r = first[key]
                    sheet.write_merge(r.min_row - 1, r.max_row - 1, r.min_col - 1, r.max_col - 1, cell.value, style)
                else:
                    sheet.write(cell.row - 1, cell.column - 1, cell.value, style)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def ods(data: bytes) -> bytes:
    """The workbook as an OpenDocument spreadsheet: typed cells, spanned cells over covered ones."""
    doc = OpenDocumentSpreadsheet()
    for ws in _book(data).worksheets:
        table = Table(name=ws.title)
        first, covered = _merges(ws)
        for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column):
            element = TableRow()
            for cell in row:
                key = (cell.row, cell.column)
                if key in covered:
                    element.addElement(CoveredTableCell())
                    continue
                span = {}
                if key in first:
                    r = first[key]
                    span = {
                        "numberrowsspanned": r.max_row - r.min_row + 1,
                        "numbercolumnsspanned": r.max_col - r.min_col + 1,
                    }
                element.addElement(_ods_cell(cell, span))
            table.addElement(element)
        doc.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    doc.write(buffer)
    return buffer.getvalue()


def _ods_cell(cell, span: dict[str, int]) -> TableCell:
    value = cell.value
    if value is None:
        return TableCell(**span)
    if isinstance(value, bool):
        element = TableCell(valuetype="boolean", booleanvalue=str(value).lower(), **span)
    elif isinstance(value, dt.datetime) and value.time() != dt.time():
        element = TableCell(valuetype="date", datevalue=value.isoformat(), **span)
    elif isinstance(value, dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        element = TableCell(valuetype="date", datevalue=day.isoformat(), **span)
    elif isinstance(value, int | float):
        kind = "percentage" if "%" in cell.number_format else "float"
        element = TableCell(valuetype=kind, value=value, **span)
    else:
        element = TableCell(valuetype="string", **span)
    element.addElement(P(text=str(value)))
    return element


def shown(cell) -> str:
    """A cell as Excel shows it, which is what it writes to CSV."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime) and value.time() != dt.time():
        return f"{value.year}/{value.month}/{value.day} {value.hour}:{value.minute:02d}"
    if isinstance(value, dt.date):
        return f"{value.year}/{value.month}/{value.day}"
    if isinstance(value, int | float):
        if "%" in cell.number_format:
            return f"{value * 100:.10g}%"
        return f"{value:.10g}"
    return str(value)


def csv_sheets(data: bytes, encoding: str = "utf-8", delimiter: str = ",") -> dict[str, bytes]:
    """Each sheet as CSV text (sheet name -> bytes), as Excel's "save as CSV" writes it."""
    out = {}
    for ws in _book(data).worksheets:
        text = io.StringIO(newline="")
        writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
        for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column):
            writer.writerow([shown(cell) for cell in row])
        out[ws.title] = text.getvalue().encode(encoding)
    return out
