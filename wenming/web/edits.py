"""Status edits on 任务推进 and 逾期督办: a department's rows in an editable table, saved as an import.

The table holds the rows in force now (whatever the sidebar's date); a save sends only
the cells that differ to wenming.store.updates, which checks the user's rights and
stores the change all or nothing. A refusal is shown as its one sentence.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import streamlit as st

from wenming import web
from wenming.read.guard import Refused
from wenming.render import tracker
from wenming.store import auth, roundtrip, updates
from wenming.text import t
from wenming.web import signin

EDIT_ROWS = 1_000  # rows in the editor at once: a department of 23,000 tasks took the page past 3 s
DONE = "_edits_done"  # session state: the sentence of the last save, shown after the rerun
SHOWN = {
    "tasks": ["row_no", "task", "status", "progress", "done_on", "note", "deadline_text"],
    "issues": ["row_no", "problem", "status", "closed_on", "deadline_text"],
}


def _departments(me: auth.User) -> list[str]:
    if me.local or me.is_admin:
        return web.department_order()
    return list(me.departments)


def _config(kind: str) -> dict[str, Any]:
    statuses = updates.STATUSES[kind]
    config: dict[str, Any] = {
        column: st.column_config.Column(t(f"col.{column}"), disabled=True)
        for column in ("row_no", "task", "problem", "deadline_text")
    }
    config["status"] = st.column_config.SelectboxColumn(
        t("col.status"), options=list(statuses), format_func=lambda s: t(f"state.{s}"), required=True
    )
    config["progress"] = st.column_config.NumberColumn(
        t("col.progress"), min_value=0.0, max_value=1.0, format="percent"
    )
    config["done_on"] = st.column_config.DateColumn(t("col.done_on"), format="YYYY-MM-DD")
    config["closed_on"] = st.column_config.DateColumn(t("col.closed_on"), format="YYYY-MM-DD")
    config["note"] = st.column_config.TextColumn(t("col.note"))
    return config


def _same(old: object, new: object) -> bool:
    def plain(value: object) -> object:
        if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
            return None
        if isinstance(value, pd.Timestamp):
            return value.date()
        return value

    return plain(old) == plain(new)


def differences(kind: str, department: str, before: pd.DataFrame, after: pd.DataFrame) -> list[updates.Edit]:
    """One Edit per row whose editable cells changed, with only the changed cells (column by column:
    a row at a time took 2.9 s for a department of 23,000 tasks)."""
    editable = [c for c in updates.FIELDS[kind] if c in before]
    old = {c: before[c].tolist() for c in editable}
    new = {c: after[c].tolist() for c in editable}
    changed: dict[int, dict[str, object]] = {}
    for column in editable:
        for i, (was, now) in enumerate(zip(old[column], new[column], strict=True)):
            if not _same(was, now):
                changed.setdefault(i, {})[column] = now
    rows, sheets = before["row_no"].tolist(), before["sheet"].tolist()
    return [
        updates.Edit(
            kind, department, int(rows[i]), {c: values[c] for c in editable if c in values}, sheet=str(sheets[i])
        )
        for i, values in sorted(changed.items())
    ]


def download_tracker(kind: str, department: str, where: Any) -> None:
    """The department's tracker in force, in the layout of its own last upload: edit it in Excel, upload it again."""

    store = web.store()
    shape = roundtrip.layout(store, kind, department)

    def build() -> bytes:  # on the click, outside the page run: only the store's own cursor
        return tracker.workbook(shape, roundtrip.rows(store, kind, department))

    source = shape.source
    where.download_button(
        t("edit.download_tracker"),
        data=build,
        file_name=roundtrip.file_name(department, kind, source),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
        key=f"edit_{kind}_download",
        help=t("edit.download_help", source=source),
    )


def notice() -> None:
    done = st.session_state.pop(DONE, None)
    if done:
        st.success(done, icon=":material/check_circle:")


def _page(rows: pd.DataFrame, key: str) -> tuple[pd.DataFrame, str]:
    """A department of more than EDIT_ROWS rows is edited a page at a time (saved before turning the page);
    the rows on show and the editor's key."""
    if len(rows) <= EDIT_ROWS:
        return rows, key
    pages = math.ceil(len(rows) / EDIT_ROWS)
    page = st.number_input(
        t("edit.page", rows=f"{len(rows):,}", pages=pages, size=f"{EDIT_ROWS:,}"), 1, pages, 1, key=f"{key}_page"
    )
    first = (int(page) - 1) * EDIT_ROWS
    return rows.iloc[first : first + EDIT_ROWS], f"{key}_{page}"


def editor(kind: str) -> None:
    """A toggle that opens the department's rows for editing (staff: their own departments; admins: any)."""
    me = signin.current()
    if me is None or not me.may_import:
        return
    notice()
    if not st.toggle(t(f"edit.{kind}_toggle"), key=f"edit_{kind}_open"):
        return
    departments = _departments(me)
    if not departments:
        return
    department = st.selectbox(
        t("col.department"), departments, key=f"edit_{kind}_department", placeholder=t("widget.choose")
    )
    rows = web.query(f"edit_{kind}", departments=[department])
    if rows.empty:
        st.info(t("edit.no_rows", department=department))
        return
    st.caption(t("edit.hint"))
    rows, key = _page(rows, f"edit_{kind}_{department}")
    edited = st.data_editor(
        rows[SHOWN[kind]],
        column_config=_config(kind),
        hide_index=True,
        num_rows="fixed",
        placeholder="—",
        key=key,
    )
    left, right = st.columns([1, 3])
    download_tracker(kind, department, right)
    if left.button(t("edit.save"), type="primary", key=f"edit_{kind}_save"):
        edits = differences(kind, department, rows, rows.assign(**{c: edited[c].values for c in edited}))
        if not edits:
            st.info(t("edit.nothing"))
            return
        try:
            import_id = updates.save(web.store(), edits, user=me if not me.local else t("edit.local_user"))
        except Refused as refused:
            st.error(refused.message(), icon=":material/block:")
            return
        st.session_state[DONE] = t("edit.saved", count=len(edits), import_id=import_id)
        st.session_state.pop(key, None)
        st.rerun()


def changes(import_id: int) -> None:
    """On 导入记录: what a status edit changed, row by row, old -> new."""
    found = updates.changes(web.store(), import_id)
    if found.empty:
        return
    for column in ("old", "new"):
        found[column] = [
            t(f"state.{value}") if field == "status" and isinstance(value, str) else value
            for field, value in zip(found["field"], found[column], strict=True)
        ]
    found["field"] = found["field"].map(lambda name: t(f"col.{name}"))
    st.markdown(f"**{t('edit.changes', count=len(found))}**")
    web.table(found, ["department", "sheet", "row_no", "label", "field", "old", "new"], key="history_changes")
