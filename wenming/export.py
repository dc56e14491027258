"""Excel downloads of the tables users see: formatted headers, safe cells, one sheet per table."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A value Excel will show as written: no formulas smuggled in from a user's cell text."""
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date() if value == value.normalize() else value.to_pydatetime()
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    if hasattr(value, "item") and not isinstance(value, (str, bytes, dt.date)):
        return value.item()
    return value


def workbook_bytes(tables: Mapping[str, pd.DataFrame], labels: Mapping[str, str] | None = None) -> bytes:
    """An .xlsx with one sheet per table; column names are replaced by their labels."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, frame in tables.items():
        sheet = book.create_sheet(title[:31])
        headers = [(labels or {}).get(str(c), str(c)) for c in frame.columns]
        sheet.append(headers)
        for record in frame.itertuples(index=False):
            sheet.append([safe_cell(v) for v in record])
        _format(sheet, headers, frame)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _format(sheet, headers: list[str], frame: pd.DataFrame) -> None:
    for index, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        column = frame.iloc[:, index - 1]
        longest = max([len(str(header))] + [len(str(v)) for v in column.head(200)])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(8, longest * 1.8), 60)
        if pd.api.types.is_datetime64_any_dtype(column):
            for row in range(2, len(frame) + 2):
                sheet.cell(row=row, column=index).number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    if len(frame):
        sheet.auto_filter.ref = sheet.dimensions
