"""Status edits in place: a department's tasks or ledger problems changed row by row, saved as an import.

A save is an import like any other: the department's rows in force are copied into a
new load with the edits applied, in one transaction under the write lock, checked
against the user's rights first (staff: their own departments; leaders: nothing). The
history entry (action ``update``) lists every change, row by row, old -> new, in
``import_changes``; restoring the import before it brings the old rows back, and the
data version is bumped so every viewer sees the figures before or after, never both.

Editable: a task's status, progress, 完成日期 and note; a problem's status (整改情况)
and 销号时间. The new load keeps the date of the load it replaces, so a tracker uploaded
later still replaces the edits, as a later import does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pyarrow as pa

from wenming import text
from wenming.read.guard import Refused
from wenming.store import auth
from wenming.store.db import audit, kind_table
from wenming.store.imports import Store

FIELDS = {"tasks": ("status", "progress", "done_on", "note"), "issues": ("status", "closed_on")}
STATUSES = {"tasks": ("done", "in_progress", "not_started"), "issues": ("open", "closed")}
LABEL = {"tasks": "task", "issues": "problem"}
TEXT_OF = {"status": "status_text", "done_on": "done_on_text", "closed_on": "closed_on_text"}


@dataclass(frozen=True)
class Edit:
    """New values for one row in force: the row is the department's (sheet, row_no), as the sheet numbers it."""

    kind: str  # tasks | issues
    department: str | None
    row_no: int
    values: dict[str, Any] = field(default_factory=dict)  # field -> new value; status as a code
    sheet: str | None = None  # None: the department's rows come from one sheet


@dataclass(frozen=True)
class Change:
    kind: str
    department: str | None
    sheet: str
    row_no: int
    label: str  # the task or problem, as written
    field: str
    old: str | None
    new: str | None


def _shown(value: Any) -> str | None:
    """A value as the history shows it: dates ISO, fractions as percent, blanks as None."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.0%}"
    return str(value)


def _clean(kind: str, name: str, value: Any, subject: str) -> Any:
    """A new value checked: a known status, a progress within 0–1, a date, a note as text."""
    if name not in FIELDS[kind]:
        raise Refused(subject, "update_field", field=name)
    blank = value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)) or value == ""
    if name == "status":
        if value not in STATUSES[kind]:
            raise Refused(subject, "update_value", field=text.t(f"col.{name}"), value=value)
        return value
    if blank:
        return None
    if name == "progress":
        number = float(value)
        if not 0 <= number <= 1:
            raise Refused(subject, "update_value", field=text.t("col.progress"), value=value)
        return number
    if name in ("done_on", "closed_on"):
        return pd.Timestamp(value).date()
    return str(value).strip() or None


def check(store: Store, user: auth.User, departments: set[str | None], subject: str) -> None:
    """The same rights as an import: staff their own departments, leaders nothing, admins everything."""
    if user.local or user.is_admin:
        return
    if not user.may_import:
        raise auth.Forbidden(subject, "leader", user=user.name)
    allowed = auth.writable(store, user) or set()
    denied = [d or text.t("no_department") for d in departments if d not in allowed]
    if denied:
        raise auth.Forbidden(
            subject, "departments", user=user.name, allowed="、".join(user.departments), denied="、".join(denied)
        )


def apply(store: Store, edits: list[Edit], *, user: str | auth.User) -> int | None:
    """Save the edits as one import, all or nothing; None when nothing differs from the rows in force.

    Raises Forbidden past the user's rights, Refused for an unknown row or a bad value.
    """
    editor = auth.actor(store, user)
    subject = text.t("update.subject")
    for edit in edits:
        if edit.kind not in FIELDS:
            raise Refused(subject, "update_field", field=edit.kind)
        for name, value in edit.values.items():
            edit.values[name] = _clean(edit.kind, name, value, subject)
        implied = {"done": 1.0, "not_started": 0.0}.get(edit.values.get("status", "")) if edit.kind == "tasks" else None
        if implied is not None and "progress" not in edit.values:
            edit.values["progress"] = implied  # as the reader sets it for these words
    check(store, editor, {e.department for e in edits}, subject)
    groups: dict[tuple[str, str | None], list[Edit]] = {}
    for edit in edits:
        groups.setdefault((edit.kind, edit.department), []).append(edit)
    with store.writing(subject) as con:
        import_id = con.execute("select nextval('import_ids')").fetchall()[0][0]
        changes: list[Change] = []
        sheets_log, rows_by_kind = [], {}
        for (kind, department), group in groups.items():
            found = _replace(con, import_id, kind, department, group, subject)
            if found is None:
                continue
            load_changes, sheet, rows = found
            changes += load_changes
            sheets_log.append({"sheet": sheet, "kind": kind, "rows": rows, "department": department})
            rows_by_kind[kind] = rows_by_kind.get(kind, 0) + rows
        if not changes:
            raise _Unchanged()
        payload = json.dumps([c.__dict__ for c in changes], ensure_ascii=False, default=str)
        departments = "、".join(dict.fromkeys(c.department or text.t("no_department") for c in changes))
        con.execute(
            "insert into imports values (?, ?, ?, ?, ?, 0, null, 'update', null, ?, ?, 0)",
            [
                import_id,
                dt.datetime.now(),
                editor.name,
                text.t("update.file", departments=departments, count=len(changes)),
                hashlib.sha256(payload.encode()).hexdigest(),
                json.dumps(sheets_log, ensure_ascii=False),
                json.dumps(rows_by_kind),
            ],
        )
        con.executemany(
            "insert into import_changes values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [[import_id, c.kind, c.department, c.sheet, c.row_no, c.label, c.field, c.old, c.new] for c in changes],
        )
        audit(con, editor.name, "update", import_id=import_id, changes=len(changes))
    return int(import_id)


def save(store: Store, edits: list[Edit], *, user: str | auth.User) -> int | None:
    """``apply``, with "nothing changed" as None rather than an empty import."""
    try:
        return apply(store, edits, user=user)
    except _Unchanged:
        return None


class _Unchanged(Exception):
    """Raised inside the write to roll back the reserved import number when no value changed."""


def _replace(
    con: Any, import_id: int, kind: str, department: str | None, edits: list[Edit], subject: str
) -> tuple[list[Change], str, int] | None:
    """Copy the department's rows in force into a new load of ``import_id`` with the edits applied."""
    live = con.execute(
        "select w.load_id, l.sheet, l.effective_on from live_keys(?, null::date) w join loads l using (load_id)"
        " where w.department is not distinct from ?",
        [kind, department],
    ).fetchall()
    if not live:
        raise Refused(subject, "update_department", department=department or text.t("no_department"))
    load_id, sheet, effective = live[0]
    table = con.sql(
        f"select * exclude (load_id) from {kind_table(kind)} where load_id = $load and department is not distinct from $d",
        params={"load": load_id, "d": department},
    ).to_arrow_table()
    frame = table.to_pandas()
    changes = []
    for edit in edits:
        if edit.sheet is not None and edit.sheet != sheet:
            raise Refused(subject, "update_row", department=department or "—", row=edit.row_no)
        at = frame.index[frame["row_no"] == edit.row_no]
        if len(at) != 1:
            raise Refused(subject, "update_row", department=department or "—", row=edit.row_no)
        row = at[0]
        for name, new in edit.values.items():
            old = frame.at[row, name]
            if _shown(old) == _shown(new):
                continue
            changes.append(
                Change(
                    kind,
                    department,
                    sheet,
                    edit.row_no,
                    str(frame.at[row, LABEL[kind]]),
                    name,
                    _shown(old),
                    _shown(new),
                )
            )
            frame.at[row, name] = new
            if name in TEXT_OF:  # the cell as written follows the edit
                frame.at[row, TEXT_OF[name]] = text.t(f"state.{new}") if name == "status" else _shown(new)
        progress = frame.at[row, "progress"] if "progress" in edit.values else None
        if kind == "tasks" and frame.at[row, "status"] == "in_progress" and _shown(progress):
            frame.at[row, "status_text"] = _shown(progress)  # 60%: read back as in progress at 0.6
    if not changes:
        return None
    edited = pa.Table.from_pandas(frame, schema=table.schema, preserve_index=False)
    Store._insert_load(con, import_id, kind, sheet, False, effective, [department], edited)
    return changes, sheet, edited.num_rows


def changes(store: Store, import_id: int) -> pd.DataFrame:
    """What an update changed, row by row: old -> new."""
    return store.con.execute(
        "select kind, department, sheet, row_no, label, field, old, new from import_changes where import_id = ?"
        " order by rowid",
        [import_id],
    ).df()
