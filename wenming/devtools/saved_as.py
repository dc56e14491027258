"""An .xlsx workbook saved as the other formats offices use (for the tests and ``formats``), as Excel, WPS or
LibreOffice would save it: .xls (xlwt, BIFF8: also what WPS writes as .et), .ods (odfpy), .xlsb (written
here: the records a workbook of values needs) and CSV (one file per sheet, as displayed, merged cells
holding their value in the first cell only)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import struct
import zipfile

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


# ---------------------------------------------------------------- .xlsb (no writer on PyPI: the few records it needs)

_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_EPOCH = dt.datetime(1899, 12, 30)
# Record types of MS-XLSB used here.
BEGIN_SHEET, END_SHEET, WS_DIM, BEGIN_SHEET_DATA, END_SHEET_DATA, ROW_HDR = 129, 130, 148, 145, 146, 0
CELL_BOOL, CELL_REAL, CELL_ST = 4, 5, 6
BEGIN_MERGE_CELLS, MERGE_CELL, END_MERGE_CELLS = 177, 176, 178
BEGIN_BOOK, END_BOOK, BEGIN_BUNDLE_SHS, END_BUNDLE_SHS, BUNDLE_SH = 131, 132, 143, 144, 156
BEGIN_STYLE_SHEET, END_STYLE_SHEET, BEGIN_CELL_XFS, END_CELL_XFS, XF = 278, 279, 617, 618, 47
STYLE_GENERAL, STYLE_DATE, STYLE_PERCENT = 0, 1, 2  # cell XFs: number formats 0, 14 (date) and 9 (0%)


def record(kind: int, body: bytes = b"") -> bytes:
    """A BIFF12 record: its type and size as 7-bit varints, then its body."""
    head = bytes([kind]) if kind < 128 else bytes([(kind & 0x7F) | 0x80, kind >> 7])
    size, n = b"", len(body)
    while True:
        byte, n = n & 0x7F, n >> 7
        size += bytes([byte | (0x80 if n else 0)])
        if not n:
            return head + size + body


def _wide(text: str) -> bytes:
    return struct.pack("<L", len(text)) + text.encode("utf-16-le")


def _xlsb_cell(cell) -> bytes:
    value, col = cell.value, cell.column - 1
    if isinstance(value, bool):
        return record(CELL_BOOL, struct.pack("<LLB", col, STYLE_GENERAL, int(value)))
    if isinstance(value, dt.date):
        moment = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
        return record(CELL_REAL, struct.pack("<LLd", col, STYLE_DATE, (moment - _EPOCH).total_seconds() / 86400))
    if isinstance(value, int | float):
        style = STYLE_PERCENT if "%" in cell.number_format else STYLE_GENERAL
        return record(CELL_REAL, struct.pack("<LLd", col, style, float(value)))
    return record(CELL_ST, struct.pack("<LL", col, STYLE_GENERAL) + _wide(str(value)))


def _xlsb_sheet(ws) -> bytes:
    out = [record(BEGIN_SHEET), record(WS_DIM, struct.pack("<4L", 0, ws.max_row - 1, 0, ws.max_column - 1))]
    out.append(record(BEGIN_SHEET_DATA))
    for row in ws.iter_rows():
        out.append(record(ROW_HDR, struct.pack("<LLHHBBL", row[0].row - 1, 0, 300, 0, 0, 0, 0)))
        out += [_xlsb_cell(cell) for cell in row if cell.value is not None]
    out.append(record(END_SHEET_DATA))
    merges = list(ws.merged_cells.ranges)
    if merges:
        out.append(record(BEGIN_MERGE_CELLS, struct.pack("<L", len(merges))))
        out += [
            record(MERGE_CELL, struct.pack("<4L", r.min_row - 1, r.max_row - 1, r.min_col - 1, r.max_col - 1))
            for r in merges
        ]
        out.append(record(END_MERGE_CELLS))
    out.append(record(END_SHEET))
    return b"".join(out)


def xlsb(data: bytes) -> bytes:
    """The workbook as Excel's binary workbook (.xlsb): inline text, numbers, dates and percents by
    their cell styles, truth values, merged ranges, hidden sheets."""
    worksheets = _book(data).worksheets
    book = [record(BEGIN_BOOK), record(BEGIN_BUNDLE_SHS)]
    rels = []
    for number, ws in enumerate(worksheets, start=1):
        state = 0 if ws.sheet_state == "visible" else 1
        book.append(record(BUNDLE_SH, struct.pack("<LL", state, number) + _wide(f"rId{number}") + _wide(ws.title)))
        rels.append(f'<Relationship Id="rId{number}" Type="{_RELS}/worksheet" Target="worksheets/sheet{number}.bin"/>')
    book += [record(END_BUNDLE_SHS), record(END_BOOK)]
    rels.append(f'<Relationship Id="rIdStyles" Type="{_RELS}/styles" Target="styles.bin"/>')

    def xf(number_format: int) -> bytes:
        return record(XF, struct.pack("<HHHHHBBHBB", 0xFFFF, number_format, 0, 0, 0, 0, 0, 0, 0, 0))

    styles = [record(BEGIN_STYLE_SHEET), record(BEGIN_CELL_XFS, struct.pack("<L", 3)), xf(0), xf(14), xf(9)]
    styles += [record(END_CELL_XFS), record(END_STYLE_SHEET)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{_RELS}/officeDocument" '
            'Target="xl/workbook.bin"/></Relationships>',
        )
        archive.writestr("xl/workbook.bin", b"".join(book))
        archive.writestr("xl/_rels/workbook.bin.rels", f'<Relationships xmlns="{_PKG}">{"".join(rels)}</Relationships>')
        archive.writestr("xl/styles.bin", b"".join(styles))
        for number, ws in enumerate(worksheets, start=1):
            archive.writestr(f"xl/worksheets/sheet{number}.bin", _xlsb_sheet(ws))
    return out.getvalue()
