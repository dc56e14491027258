"""The import history page's work: the log, one import's sheets and warnings, its original, a restore."""

from __future__ import annotations

import datetime as dt
import json
import mimetypes

import pandas as pd
import streamlit as st

from wenming import web
from wenming.read.contract import KINDS
from wenming.read.guard import Refused
from wenming.render import audit, safe
from wenming.store import auth, voids
from wenming.text import t
from wenming.web import signin

LOG = [
    "import_id",
    "imported_at",
    "user_name",
    "action",
    "voided",
    "file_name",
    "sha256",
    "sheets",
    "rows",
    "warning_count",
]
RESTORED = "_history_restored"  # session state: the sentence of the last restore, shown after the rerun
UPDATED = ["department", "updated_at", "user_name", "how", "kinds_touched", "days_since", "silent"]
SILENT_DAYS = 30  # a department not updated for longer is flagged


def updated(frame: pd.DataFrame, as_of: dt.date) -> None:
    """各部门最近更新: queries/departments_updated.sql as a table, the longest silent first, silent ones flagged."""
    st.subheader(t("history.updated"))
    if frame.empty:
        st.caption(t("history.updated_none"))
        return
    st.caption(t("history.updated_help", as_of=as_of.isoformat()))
    frame["how"] = [
        None if pd.isna(action) else t("history.updated_in_app") if action == "update" else name
        for action, name in zip(frame["action"], frame["file_name"], strict=True)
    ]
    frame["kinds_touched"] = frame["kinds"].map(_kinds)
    frame["silent"] = frame["days_since"].map(_silence)
    web.table(frame, UPDATED, key="history_updated")


def _kinds(kinds: object) -> str | None:
    """["tasks", "issues"] as 任务分解、问题整改, in the kinds' own order."""
    if not pd.api.types.is_list_like(kinds):
        return None
    return t("sep.list").join(t(f"kind.{k}") for k in sorted(kinds, key=KINDS.index))


def _silence(days: object) -> str | None:
    """The flag of a department never updated or not for over SILENT_DAYS days."""
    if pd.isna(days):
        return t("history.updated_never")
    return t("history.updated_silent", days=SILENT_DAYS) if days > SILENT_DAYS else None


def log() -> pd.DataFrame:
    """Every import and restore, newest first, with its sheets as words."""
    frame = web.store().imports()
    frame["sheets"] = frame["sheets"].map(_sheets_text)
    gone = voids.voided(web.store())
    frame["voided"] = frame["import_id"].map(
        lambda i: (
            t("history.voided_by", when=gone[i][0].strftime("%Y-%m-%d %H:%M"), user=audit.operator(gone[i][1]))
            if i in gone
            else ""
        )
    )
    return frame


def _sheets_text(sheets_json: str) -> str:
    """[{"sheet": "任务", "kind": "tasks", ...}] as 任务（任务分解）."""
    sheets = json.loads(sheets_json)
    return t("sep.list").join(
        t("history.sheet_kind", sheet=s["sheet"], kind=t(f"kind.{s['kind']}") + _taught(s)) for s in sheets
    )


def _taught(sheet: dict[str, object]) -> str:
    """The organisation's own words a sheet was read with, as the import log shows them."""
    used = sheet.get("taught") or []
    return t("history.taught", words=t("sep.list").join(map(str, used))) if used else ""


def pick(frame: pd.DataFrame) -> pd.Series | None:
    """The import the user looks at (default: the newest)."""
    if frame.empty:
        return None
    rows = {int(r.import_id): r for r in frame.itertuples()}
    chosen = st.selectbox(
        t("history.pick"),
        list(rows),
        format_func=lambda i: t(
            "history.option",
            import_id=i,
            file=rows[i].file_name,
            user=audit.operator(rows[i].user_name),
            when=pd.Timestamp(rows[i].imported_at).strftime("%Y-%m-%d %H:%M"),
        ),
        key="history_pick",
        placeholder=t("widget.choose"),
    )
    return frame.set_index("import_id").loc[chosen]


def warnings(import_id: int) -> None:
    found = web.store().import_warnings(import_id)
    if found.empty:
        st.caption(t("history.no_warnings"))
    else:
        web.table(found, ["sheet", "cell", "message"], key="history_warnings")


def download(import_id: int, user: auth.User) -> None:
    """The original file, read from the archive only when clicked; every download is logged."""
    store = web.store()
    found = store.original(import_id)
    if found is None:
        st.caption(safe.say("history.missing_original", folder=store.archive))
        return
    file_name, path = found
    risks = store.import_risks(import_id)
    if risks:
        listed = " ".join(t(f"warn.risk_{code}") for code in risks)
        st.warning(safe.say("history.risky", risks=listed), icon=":material/gpp_maybe:")

    def fetch() -> bytes:
        auth.audit(store, user.name, "download_original", import_id=import_id, file=file_name)
        return path.read_bytes()

    st.download_button(
        t("history.download"),
        data=signin.guarded(fetch, "admin"),
        file_name=file_name,
        mime=mimetypes.guess_type(file_name)[0] or "application/octet-stream",
        icon=":material/download:",
        key=f"history_download_{import_id}",
    )


def restore(import_id: int, user: auth.User) -> None:
    """Bring a department's or kind's data back to this import (a new entry in the log)."""
    store = web.store()
    scopes = store.import_scopes(import_id)
    if scopes.empty:
        return
    st.subheader(t("history.restore"))
    st.caption(t("history.restore_help"))
    everything = t("history.restore_all")
    left, right = st.columns(2)
    kinds = list(dict.fromkeys(scopes["kind"]))
    kind = left.selectbox(
        t("history.restore_kind"),
        [everything, *kinds],
        format_func=lambda k: k if k == everything else t(f"kind.{k}"),
        key=f"history_kind_{import_id}",
        placeholder=t("widget.choose"),
    )
    chosen = scopes if kind == everything else scopes[scopes["kind"] == kind]
    departments = sorted({d for d in chosen["department"] if isinstance(d, str)})
    department = right.selectbox(
        t("history.restore_department"),
        [everything, *departments],
        key=f"history_department_{import_id}",
        placeholder=t("widget.choose"),
    )
    if st.button(t("history.restore_confirm"), type="primary", key=f"history_restore_{import_id}"):
        try:
            new_id = store.restore(
                import_id,
                user=user,
                kind=None if kind == everything else kind,
                department=None if department == everything else department,
            )
        except ValueError:
            st.error(t("history.nothing_to_restore", source=import_id))
            return
        except Refused as refused:
            st.error(safe.markdown(refused.message()))
            return
        rows = store.imports().set_index("import_id").loc[new_id, "rows"]
        st.session_state[RESTORED] = t(
            "history.restored", source=import_id, import_id=new_id, rows=web.rows_text(rows) or "0"
        )
        st.rerun()


def restored_notice() -> None:
    """The sentence of a restore just done (kept across its rerun)."""
    done = st.session_state.pop(RESTORED, None)
    if done:
        st.success(done, icon=":material/check_circle:")


def void(import_id: int, user: auth.User) -> None:
    """Void an import (the figures behave as if it had not happened), or count a voided one again."""
    store = web.store()
    is_voided = import_id in voids.voided(store)
    st.subheader(t("history.void"))
    st.caption(t("history.void_help"))
    label = t("history.unvoid_confirm" if is_voided else "history.void_confirm", import_id=import_id)
    if st.button(label, key=f"history_void_{import_id}"):
        try:
            voids.void_import(store, import_id, user=user, undo=is_voided)
        except Refused as refused:
            st.error(refused.message())
            return
        st.session_state[RESTORED] = t("history.unvoided" if is_voided else "history.voided", import_id=import_id)
        st.rerun()
