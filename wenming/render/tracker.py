"""A department's tracker written back as Excel, in the layout of its own last upload (the round trip).

Each row goes back to the sheet row it was read from, each cell as it was written, under the
original title rows and header; every cell is a text cell (never a formula, whatever it
starts with), so the file reads again to the same rows.
"""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
from openpyxl.styles import Font, PatternFill

from wenming.read import contract
from wenming.store.roundtrip import Layout

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
NUMBERING = ("序号", "编号")  # a numbering column of the original layout: 1, 2, 3 …


def _text(cell: object, value: object) -> None:
    """A text cell: an '=' at the start stays text, never a formula."""
    cell.value = str(value)  # type: ignore[attr-defined]
    cell.data_type = "s"  # type: ignore[attr-defined]


def _blank(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value) or value == ""


def workbook(shape: Layout, frame: pd.DataFrame) -> bytes:
    """The tracker as .xlsx bytes: title rows, the header, then each row at its own row number."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = shape.sheet[:31]
    for r, row in enumerate(shape.title, start=1):
        for c, value in enumerate(row, start=1):
            if not _blank(value):
                _text(sheet.cell(row=r, column=c), value)
    numbering = []
    for c, value in enumerate(shape.headers, start=1):
        if _blank(value):
            continue
        cell = sheet.cell(row=shape.header_row, column=c)
        _text(cell, value)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        if contract.normalize_header(value).startswith(NUMBERING):
            numbering.append(c)
    roles = dict(shape.roles)
    for role in frame.columns:  # a column the layout lacks but an edit filled (备注): added at the end
        if (
            role in contract.SHEET_KINDS[shape.kind].roles
            and role not in roles
            and frame[role].map(_blank).ne(True).any()
        ):
            column = max([*roles.values(), len(shape.headers) - 1]) + 1
            roles[role] = column
            cell = sheet.cell(row=shape.header_row, column=column + 1)
            _text(cell, contract.SHEET_KINDS[shape.kind].roles[role][0])
            cell.font, cell.fill = Font(bold=True), HEADER_FILL
    numbers = [int(n) for n in frame["row_no"]] if len(frame) else []
    keep = len(set(numbers)) == len(numbers) and all(n > shape.header_row for n in numbers)
    for position, record in enumerate(frame.to_dict("records"), start=1):
        r = numbers[position - 1] if keep else shape.header_row + position
        for c in numbering:
            sheet.cell(row=r, column=c, value=position)
        for role, column in roles.items():
            value = record.get(role)
            if not _blank(value):
                _text(sheet.cell(row=r, column=column + 1), value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
