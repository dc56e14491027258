"""A department's tracker in force, with the layout of its own last upload, for the Excel round trip.

``layout`` finds the sheet the department last uploaded for a kind (the archived original)
and reads its title rows and header row, in its own column order; without an original it
uses the blank template. ``rows`` gives the department's rows in force with each cell as
written (the ``*_text`` columns), and its sheet row number, so a tracker written back at
the same rows reads again to the same rows (wenming.render.tracker writes it).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd

from wenming import text
from wenming.read import contract
from wenming.read import layout as header_layout
from wenming.store.db import ROOT, Database

TEMPLATES = ROOT / "data" / "templates"
TEMPLATE_OF = {"tasks": "任务分解表.xlsx", "issues": "问题整改台账.xlsx"}
# role -> the stored column holding the cell as written
WRITTEN = {
    "tasks": {
        "task": "task",
        "department": "department_text",
        "helpers": "helpers",
        "category": "category",
        "item": "item",
        "owner": "owner",
        "deadline": "deadline_text",
        "status": "status_text",
        "done_on": "done_on_text",
        "evidence": "evidence",
        "note": "note",
    },
    "issues": {
        "problem": "problem",
        "department": "department_text",
        "found_on": "found_on_text",
        "source": "source",
        "measure": "measure",
        "deadline": "deadline_text",
        "status": "status_text",
        "closed_on": "closed_on_text",
    },
}


@dataclass
class Layout:
    """Where and how a department's sheet is laid out: title rows, then the header at ``header_row``."""

    kind: str
    sheet: str
    header_row: int  # 1-based
    headers: list[object]  # the header cells, in the sheet's own order
    roles: dict[str, int]  # role -> 0-based column
    title: list[list[object]] = field(default_factory=list)  # the rows above the header, as written
    source: str = ""  # the original's file name, or the template's


def _header_rows(data: bytes, sheet: str | None) -> tuple[str, list[list[object]]]:
    """The first rows (enough to find the header) of ``sheet`` (None: the first sheet)."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        found = book[sheet] if sheet in book.sheetnames else book.worksheets[0]
        rows = [list(r) for r in found.iter_rows(max_row=contract.HEADER_SCAN_ROWS, values_only=True)]
        return found.title, rows
    finally:
        book.close()


def _from_rows(kind: str, sheet: str, rows: list[list[object]], source: str) -> Layout | None:
    header = header_layout.find_header([[c if c is not None else "" for c in r] for r in rows])
    if header is None or header.kind.name != kind:
        return None
    return Layout(
        kind,
        sheet,
        header.row + 1,
        list(rows[header.row]),
        header.columns,
        [list(r) for r in rows[: header.row]],
        source,
    )


def layout(store: Database, kind: str, department: str) -> Layout:
    """The layout of the department's last uploaded sheet of ``kind`` (one that spoke for it, or for all)."""
    found = store.con.execute(
        """
        select i.file_name, i.stored_as, l.sheet
        from imports i join loads l using (import_id) join load_scopes s using (load_id)
        where i.action = 'import' and i.stored_as is not null and l.kind = ?
          and (l.whole or s.department = ?)
        order by i.import_id desc limit 1
        """,
        [kind, department],
    ).fetchall()
    if found:
        file_name, stored_as, sheet = found[0]
        path = store.archive / stored_as
        if path.is_file():
            title, rows = _header_rows(path.read_bytes(), sheet)
            shaped = _from_rows(kind, title, rows, file_name)
            if shaped is not None:
                return shaped
    return _template(store, kind, department)


def _template(store: Database, kind: str, department: str) -> Layout:
    """The blank template's headers, placed so the rows in force keep their sheet and row numbers,
    under a title with their 截至 date when there is room for one."""
    template = TEMPLATES / TEMPLATE_OF[kind]
    _, rows_above = _header_rows(template.read_bytes(), None)
    shaped = _from_rows(kind, "", rows_above, template.name)
    assert shaped is not None, f"the template {template} has no {kind} header"
    sheet, first, effective = store.con.execute(
        "select min(sheet), min(row_no), max(effective_on) from rows_at(?, null::date)"
        " where department is not distinct from ?",
        [kind, department],
    ).fetchall()[0]
    shaped.sheet = sheet or text.t(f"kind.{kind}")
    shaped.header_row = max(1, min(int(first or 2) - 1, shaped.header_row))  # the rows stay where they were
    shaped.title = []
    if shaped.header_row > 1 and effective is not None:
        title = text.t("edit.tracker_title", department=department, kind=text.t(f"kind.{kind}"), as_of=effective)
        shaped.title = [[title]]
    return shaped


def rows(store: Database, kind: str, department: str) -> pd.DataFrame:
    """The department's rows in force, each role as written, with the sheet and row they were read from."""
    written = WRITTEN[kind]
    columns = ", ".join(f"{column} as {role}" for role, column in written.items())
    return store.con.execute(
        f"select sheet, row_no, effective_on, {columns} from rows_at(?, null::date)"
        " where department is not distinct from ? order by sheet, row_no",
        [kind, department],
    ).df()


def file_name(department: str, kind: str, source: str) -> str:
    """The download's name: the department and the original's name (without a path)."""
    stem = Path(source).stem.split("_", 1)[-1] if source else kind
    return f"{department}_{stem}.xlsx"
