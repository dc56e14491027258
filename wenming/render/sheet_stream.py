"""A list of any length as an .xlsx, written batch by batch as sheet XML (the task list's download).

openpyxl builds a cell object per value: a million tasks take minutes. Here each batch of
rows becomes XML text at once, streamed into the zip, so memory stays that of one batch.
Text is an inline string, never a formula, with the characters XML cannot hold removed;
dates are dates, rates percentages, as in wenming.render.export.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from typing import IO
from xml.sax.saxutils import escape

import pandas as pd

from wenming.read.reader import column_letter

EXCEL_ROWS = 1_048_576  # rows of one sheet, the header included: a longer list goes on in a second sheet
SLICE = 10_000  # rows turned into XML at once
EPOCH = dt.date(1899, 12, 30)  # Excel's day 0
STYLE_HEADER, STYLE_DATE, STYLE_RATE = 1, 2, 3
ROW = "\x00"  # in a cell's reference, where its row number goes: never in text (a control character)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="等线"/></font>'
    '<font><b/><sz val="11"/><color rgb="FFFFFFFF"/><name val="等线"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FF1F4E79"/></patternFill></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _text(value: object) -> str:
    return escape(_CONTROL.sub("", str(value)))


def _cells(column: pd.Series, letter: str, rates: bool) -> list[str]:
    """The XML of one column's cells (without their row numbers: filled in per row)."""
    out = []
    is_date = pd.api.types.is_datetime64_any_dtype(column)
    for value in column.tolist():
        if value is None or value is pd.NaT or value is pd.NA or (isinstance(value, float) and value != value):
            out.append("")
        elif is_date or isinstance(value, dt.date):
            day = value.date() if isinstance(value, (pd.Timestamp, dt.datetime)) else value
            out.append(f'<c r="{letter}{ROW}" s="{STYLE_DATE}"><v>{(day - EPOCH).days}</v></c>')
        elif isinstance(value, bool):
            out.append(f'<c r="{letter}{ROW}" t="b"><v>{int(value)}</v></c>')
        elif isinstance(value, (int, float)):
            style = f' s="{STYLE_RATE}"' if rates else ""
            out.append(f'<c r="{letter}{ROW}"{style}><v>{value!r}</v></c>')
        else:
            out.append(f'<c r="{letter}{ROW}" t="inlineStr"><is><t xml:space="preserve">{_text(value)}</t></is></c>')
    return out


def _rows(frame: pd.DataFrame, first: int, rates: set[str]) -> str:
    letters = [column_letter(i) for i in range(len(frame.columns))]
    columns = [_cells(frame[c], letters[i], c in rates) for i, c in enumerate(frame.columns)]
    parts = []
    for offset, cells in enumerate(zip(*columns, strict=True)):
        number = str(first + offset)
        parts.append(f'<row r="{number}">{"".join(cells).replace(ROW, number)}</row>')
    return "".join(parts)


def _header(headers: Sequence[str]) -> str:
    cells = "".join(
        f'<c r="{column_letter(i)}1" s="{STYLE_HEADER}" t="inlineStr"><is><t>{_text(h)}</t></is></c>'
        for i, h in enumerate(headers)
    )
    return f'<row r="1">{cells}</row>'


def _sheet_start(widths: Sequence[float]) -> str:
    cols = "".join(f'<col min="{i}" max="{i}" width="{w:.1f}" customWidth="1"/>' for i, w in enumerate(widths, 1))
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}">'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
        f'state="frozen"/></sheetView></sheetViews><cols>{cols}</cols><sheetData>'
    )


def workbook(
    batches: Iterable[pd.DataFrame], headers: Sequence[str], title: str, rates: Iterable[str] = ("progress",)
) -> bytes:
    """One sheet named ``title`` (``title`` 2, 3 … past Excel's last row) holding every batch under ``headers``.

    ``headers``: one per column of the batches, in order; ``rates``: the columns shown as percentages.
    """
    rate_columns, widths = set(rates), [min(max(8.0, len(h) * 2.2), 40.0) for h in headers]
    sheets: list[str] = []
    with (
        tempfile.TemporaryFile() as spool,
        zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
    ):
        part, row = None, 0  # the sheet being written and its rows so far, the header included

        def new_sheet() -> tuple[IO[bytes], int]:
            if part is not None:
                part.write(b"</sheetData></worksheet>")
                part.close()
            sheets.append(title[:31] if not sheets else f"{title[:27]} {len(sheets) + 1}")
            opened = archive.open(f"xl/worksheets/sheet{len(sheets)}.xml", "w", force_zip64=True)
            opened.write((_sheet_start(widths) + _header(headers)).encode())
            return opened, 1

        for batch in batches:
            start = 0
            while start < len(batch):
                if part is None or row >= EXCEL_ROWS:
                    part, row = new_sheet()
                chunk = batch.iloc[start : start + min(SLICE, EXCEL_ROWS - row)]
                part.write(_rows(chunk, row + 1, rate_columns).encode())
                row, start = row + len(chunk), start + len(chunk)
        if part is None:  # nothing at all: the header alone
            part, row = new_sheet()
        part.write(b"</sheetData></worksheet>")
        part.close()
        _package(archive, sheets)
        archive.close()
        spool.seek(0)
        return spool.read()  # the one copy in memory: the zip itself was spooled to disk


def _package(archive: zipfile.ZipFile, sheets: list[str]) -> None:
    """The parts around the sheets: content types, relationships, the workbook, the styles."""
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_TYPE}.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    archive.writestr(
        "[Content_Types].xml",
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/>{overrides}</Types>',
    )
    archive.writestr(
        "_rels/.rels",
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    )
    entries = "".join(f'<sheet name="{_text(name)}" sheetId="{i}" r:id="rId{i}"/>' for i, name in enumerate(sheets, 1))
    archive.writestr(
        "xl/workbook.xml",
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        f"<sheets>{entries}</sheets></workbook>",
    )
    links = "".join(
        f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    archive.writestr(
        "xl/_rels/workbook.xml.rels",
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'{links}<Relationship Id="rId{len(sheets) + 1}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>',
    )
    archive.writestr("xl/styles.xml", _STYLES)
