"""The 佐证材料 page's work: pick a 测评内容, see and preview its files, attach one, remove one, download the bundle.

Every write goes through wenming.store.evidence, which checks the file and the user's
rights; a refusal is shown as its one sentence. Pictures are shown with st.image and
PDFs in the browser's own viewer (the file, checked to start with %PDF-, served by
Streamlit's media endpoint as application/pdf); nothing a user uploaded is ever rendered as HTML.
"""

from __future__ import annotations

import datetime as dt
import html
import mimetypes
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit import runtime

from wenming import web
from wenming.figures import evidence as bundles
from wenming.read.guard import Refused
from wenming.render import evidence as drawn
from wenming.store import auth
from wenming.store import evidence as store_evidence
from wenming.text import t
from wenming.web.filters import Filters

DONE = "_evidence_done"  # session state: the sentence of the last change, shown after the rerun
PREVIEW_BYTES = 20 * 1024 * 1024  # larger PDFs are downloaded, not previewed


def label(row: pd.Series | tuple) -> str:
    return f"{row.category} · {row.item}" if isinstance(row.category, str) and row.category else str(row.item)


def pick(items: pd.DataFrame) -> pd.Series | None:
    """The 测评内容 the user looks at."""
    if items.empty:
        return None
    labels = [label(r) for r in items.itertuples()]
    chosen = st.selectbox(
        t("evidence.pick"),
        range(len(labels)),
        format_func=labels.__getitem__,
        key="evidence_pick",
        placeholder=t("widget.choose"),
    )
    return items.iloc[chosen or 0]


def missing(items: pd.DataFrame) -> pd.DataFrame:
    """The items with no file or link yet."""
    return items[~items["has_evidence"].astype(bool)]


def item_section(f: Filters, items: pd.DataFrame, me: auth.User | None) -> None:
    """One item picked: its files and links, and (for users who may import) the form to add one."""
    chosen = pick(items)
    if chosen is None:
        return
    found = web.query("evidence_files", f)
    category = chosen["category"] if isinstance(chosen["category"], str) else ""
    files(found[(found["item"] == chosen["item"]) & (found["category"].fillna("") == category)], me)
    if me is not None and me.may_import:
        linked = web.query("tasks_of_item", f, item=chosen["item"])["task"].tolist()  # not the whole list (issue 14)
        add_form(chosen, me, linked)


def notice() -> None:
    done = st.session_state.pop(DONE, None)
    if done:
        st.success(done, icon=":material/check_circle:")


def _done(sentence: str) -> None:
    st.session_state[DONE] = sentence
    st.rerun()


def _path(stored_as: str | None) -> Path | None:
    return store_evidence.file_path(web.store(), stored_as)


def _read(stored_as: str | None) -> bytes | None:
    path = store_evidence.file_path(web.store(), stored_as)
    return path.read_bytes() if path else None


def files(chosen: pd.DataFrame, me: auth.User | None) -> None:
    """Each file or link of one item: what it is, a preview, a download; admins may remove it."""
    if chosen.empty:
        st.info(t("evidence.none_yet"), icon=":material/folder_open:")
        return
    for row in chosen.itertuples():
        with st.container(border=True):
            dated = pd.Timestamp(row.dated).date().isoformat() if pd.notna(row.dated) else "—"
            st.markdown(f"**{_plain(row.title)}**")
            st.caption(
                t(
                    "evidence.line",
                    kind=t(f"evidence.kind.{row.kind}"),
                    department=_plain(row.department) if isinstance(row.department, str) else "—",
                    dated=dated,
                    user=_plain(row.added_by),
                )
            )
            if row.kind == "link":
                st.link_button(t("evidence.open_link"), row.url, icon=":material/open_in_new:")
            else:
                _file(row)
            if me is not None and (me.local or me.is_admin):
                _remove(int(row.evidence_id), me)


def _plain(value: object) -> str:
    """User text inside Markdown bold: Markdown's own characters escaped."""
    text = str(value)
    for char in "\\`*_{}[]()#+-.!|<>~$":
        text = text.replace(char, "\\" + char)
    return text


def _file(row: object) -> None:
    path = _path(row.stored_as)  # type: ignore[attr-defined]
    if path is None:
        st.warning(t("evidence.missing_file"), icon=":material/warning:")
        return
    data = path.read_bytes()
    key = f"evidence_{row.evidence_id}"  # type: ignore[attr-defined]
    if row.kind == "image":  # type: ignore[attr-defined]
        st.image(data, width=480)
    elif row.kind == "pdf" and data.startswith(b"%PDF-") and len(data) <= PREVIEW_BYTES:  # type: ignore[attr-defined]
        _pdf(data, int(row.evidence_id))  # type: ignore[attr-defined]
    suffix = str(row.stored_as).rsplit(".", 1)[-1]  # type: ignore[attr-defined]
    st.download_button(
        t("evidence.download_file"),
        data,
        file_name=f"{bundles.safe_part(row.title)}.{suffix}",  # type: ignore[attr-defined]
        mime=mimetypes.types_map.get(f".{suffix}", "application/octet-stream"),
        icon=":material/download:",
        key=f"{key}_download",
    )


def _pdf(data: bytes, evidence_id: int) -> None:
    """The browser's own PDF viewer on the file, served by Streamlit's media endpoint as application/pdf.

    Not st.iframe: its sandbox stops the PDF viewer. The frame's only address is the media URL
    Streamlit made; nothing of the file or of what users typed goes into the HTML.
    """
    url = media_url(data, "application/pdf", f"evidence_pdf_{evidence_id}")
    if not url:
        return
    st.markdown(
        f'<iframe src="{html.escape(url)}" title="PDF" style="width:100%;height:540px;border:1px solid #ddd"></iframe>',
        unsafe_allow_html=True,
    )
    st.link_button(t("evidence.open_pdf"), url, icon=":material/open_in_new:")


def media_url(data: bytes, mimetype: str, coordinates: str) -> str | None:
    """A URL under which this session's browser gets ``data`` inline (as st.image and st.iframe serve files)."""
    if not runtime.exists():
        return None
    return runtime.get_instance().media_file_mgr.add(data, mimetype, coordinates)


def _remove(evidence_id: int, me: auth.User) -> None:
    with st.popover(t("evidence.remove"), icon=":material/delete:"):
        reason = st.text_input(t("evidence.remove_reason"), key=f"evidence_{evidence_id}_reason")
        if st.button(t("evidence.remove_confirm"), key=f"evidence_{evidence_id}_remove", type="primary"):
            try:
                store_evidence.remove(web.store(), evidence_id, user=me, reason=reason)
            except Refused as refused:
                st.error(refused.message(), icon=":material/block:")
                return
            _done(t("evidence.removed"))


def add_form(item: pd.Series, me: auth.User, tasks: list[str]) -> None:
    """Attach a file or a link to ``item``; the store checks the file and the rights."""
    departments = _departments(item, me)
    with st.form("evidence_add", clear_on_submit=True, border=True):
        st.markdown(t("evidence.add_title"))
        title = st.text_input(t("evidence.title"), key="evidence_title")
        left, right = st.columns(2)
        department = left.selectbox(
            t("col.department"), departments, key="evidence_department", placeholder=t("widget.choose")
        )
        dated = right.date_input(t("evidence.dated"), value=None, key="evidence_dated", format="YYYY-MM-DD")
        linked = st.selectbox(
            t("evidence.linked_to"), ["", *tasks], key="evidence_linked", placeholder=t("widget.choose")
        )
        upload = st.file_uploader(t("evidence.file"), key="evidence_file")
        url = st.text_input(t("evidence.url"), key="evidence_url", placeholder="https://")
        submitted = st.form_submit_button(t("evidence.save"), type="primary")
    if submitted:
        _save(item, me, title, department, dated, linked, upload, url)


def _departments(item: pd.Series, me: auth.User) -> list[str]:
    """The departments ``me`` may attach for, those owing this item first."""
    owed = [d for d in str(item.get("owed_by") or "").split("、") if d]
    if me.local or me.is_admin:
        return list(dict.fromkeys([*owed, *web.department_order()]))
    return list(me.departments)


def _save(
    item: pd.Series,
    me: auth.User,
    title: str,
    department: str | None,
    dated: dt.date | None,
    linked: str,
    upload: object,
    url: str,
) -> None:
    common = {
        "item": item["item"],
        "category": item["category"] if isinstance(item["category"], str) else None,
        "title": title,
        "user": me,
        "department": department,
        "dated": dated,
        "linked_to": linked or None,
    }
    try:
        if upload is not None:
            added = store_evidence.add_file(web.store(), upload.getvalue(), upload.name, **common)  # type: ignore[attr-defined]
        elif url.strip():
            added = store_evidence.add_link(web.store(), url, **common)
        else:
            st.warning(t("evidence.need_file"))
            return
    except Refused as refused:
        st.error(refused.message(), icon=":material/block:")
        return
    _done(t("evidence.duplicate") if added.duplicate else t("evidence.added", item=item["item"]))


def bundle_download(f: Filters) -> None:
    """The inspection bundle as one zip, packed only when the button is clicked.

    The bundle's list is read now, in the page run; the click runs outside it and only packs files.
    """
    bundle = bundles.build(web.query, f.as_of, list(f.departments) or None)
    store = web.store()

    def read(stored_as: str) -> bytes | None:
        path = store_evidence.file_path(store, stored_as)
        return path.read_bytes() if path else None

    st.download_button(
        t("evidence.bundle_download"),
        data=lambda: drawn.zip_bytes(bundle, read),
        file_name=f"佐证材料_{f.as_of}.zip",
        mime="application/zip",
        icon=":material/folder_zip:",
        key="evidence_bundle",
    )
