"""Tiny workbooks built in code, so every expected figure can be worked out by hand."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import openpyxl


class Formatted(NamedTuple):
    """A cell value with an Excel number format, e.g. Formatted(0.5, "0%")."""

    value: object
    number_format: str


def sheet_rows(ws, rows: Sequence[Sequence[object]], merges: Iterable[str] = ()) -> None:
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if isinstance(value, Formatted):
                ws.cell(row=r, column=c, value=value.value).number_format = value.number_format
            elif value is not None and value != "":
                ws.cell(row=r, column=c, value=value)
    for ref in merges:
        ws.merge_cells(ref)


def workbook(
    *sheets: tuple[str, Sequence[Sequence[object]]] | tuple[str, Sequence[Sequence[object]], Iterable[str]],
    hidden: Iterable[str] = (),
    hidden_columns: dict[str, Iterable[str]] | None = None,
    hidden_rows: dict[str, Iterable[int]] | None = None,
) -> bytes:
    """An .xlsx file as bytes: each sheet is (name, rows) or (name, rows, merged ranges).

    Sheets named in ``hidden`` are hidden, as with Excel's right-click > Hide, and so are the
    columns ``hidden_columns`` and the rows ``hidden_rows`` name per sheet ({"任务": ["C"]}, {"任务": [3]}).
    """
    book = openpyxl.Workbook()
    book.remove(book.active)
    for spec in sheets:
        name, rows = spec[0], spec[1]
        merges = spec[2] if len(spec) > 2 else ()
        sheet_rows(book.create_sheet(name), rows, merges)
    for name in hidden:
        book[name].sheet_state = "hidden"
    for name, letters in (hidden_columns or {}).items():
        for letter in letters:
            book[name].column_dimensions[letter].hidden = True
    for name, numbers in (hidden_rows or {}).items():
        for number in numbers:
            book[name].row_dimensions[number].hidden = True
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def said(warnings: list) -> list[str]:
    """The warnings' messages, less the sheet-level notes that a small fixture has no status or deadline
    column (no_finished_*, no_deadline_*: tests/test_wording.py checks those)."""
    return [w.message() for w in warnings if not w.code.startswith(("no_finished_", "no_deadline_"))]
