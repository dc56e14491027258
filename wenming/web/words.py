"""The organisation's own words on the pages (WORKBOOKS.md §8): the import page offers to map a header
to a role, or a value no rule reads to a meaning, then previews again; 用户与设置 lists every taught
word with who taught it and when, and lets an admin add or remove one."""

from __future__ import annotations

import streamlit as st

from wenming import web
from wenming.read import contract
from wenming.store import words
from wenming.text import t
from wenming.web.uploads import Preview

VALUE_CODES = ("status", "date", "number", "rate")  # values no rule reads
LISTED = ["kind_label", "word", "meaning", "created_by", "created_at"]


def _role_label(role: str) -> str:
    return t("sep.coded", word=t(f"colrole.{role}"), code=role)


def _meaning_label(meaning: str) -> str:
    return t(f"words.meaning.{meaning}")


def _teach(kind: str, word: str, meaning: str, by: str) -> None:
    """Keep the word, read every file on screen again with it, rerun."""
    try:
        words.add(web.store(), kind, word, meaning, by=by)
    except words.WordError as error:
        st.error(error.message())
        return
    st.session_state.pop("_previews", None)
    st.session_state["words_taught"] = t("words.added", word=word, meaning=meaning)
    st.rerun()


def taught_notice() -> None:
    done = st.session_state.pop("words_taught", None)
    if done:
        st.success(done, icon=":material/school:")


def offer(item: Preview, by: str, key: str) -> None:
    """For one previewed file: map a header it does not read to a role, or a value to a meaning."""
    headers = _unused_headers(item)
    values = _unread_values(item)
    if not headers and not values:
        return
    with st.expander(t("words.offer", file=item.file_name), expanded=bool(item.missing)):
        if headers:
            with st.form(f"map_header_{key}"):
                header = st.selectbox(t("words.header"), headers, placeholder=t("widget.choose"))
                roles = words.roles()
                missing = str(item.missing.get("role", "")) or None
                role = st.selectbox(
                    t("words.role"),
                    roles,
                    index=roles.index(missing) if missing in roles else 0,
                    format_func=_role_label,
                    placeholder=t("widget.choose"),
                )
                if st.form_submit_button(t("words.map_header")) and by.strip():
                    _teach("header", header, role, by)
        if values:
            with st.form(f"map_value_{key}"):
                value = st.selectbox(t("words.value"), values, placeholder=t("widget.choose"))
                meaning = st.selectbox(
                    t("words.meaning"),
                    [*contract.VALUE_MEANINGS, "other"],
                    format_func=_meaning_label,
                    placeholder=t("widget.choose"),
                )
                given = st.text_input(t("words.given"), help=t("words.given_help"))
                if st.form_submit_button(t("words.map_value")) and by.strip():
                    _teach("value", value, given.strip() if meaning == "other" else meaning, by)
        if not by.strip():
            st.caption(t("upload.need_user"))


def _unused_headers(item: Preview) -> list[str]:
    if item.missing:
        return [str(h) for h in item.missing.get("headers", [])]  # type: ignore[union-attr]
    if item.parsed is None:
        return []
    found = [header for s in item.parsed.sheets for _, header, role in s.headers if header and role is None]
    return list(dict.fromkeys(found))


def _unread_values(item: Preview) -> list[str]:
    if item.parsed is None:
        return []
    found = [v for w in item.parsed.warnings if w.code in VALUE_CODES for v in w.values if v]
    return list(dict.fromkeys(found))


def admin(by: str) -> None:
    """用户与设置: every taught word with who taught it and when; add or remove one."""
    store = web.store()
    st.subheader(t("words.title"))
    st.caption(t("words.help"))
    listed = words.listing(store)
    if listed.empty:
        st.caption(t("words.none"))
    else:
        listed["kind_label"] = listed["kind"].map(lambda k: t(f"words.kind.{k}"))
        web.table(listed, LISTED, key="admin_words")
    left, right = st.columns(2)
    with left.form("admin_word_add", clear_on_submit=True):
        kind = st.selectbox(
            t("words.kind"),
            words.WORD_KINDS,
            format_func=lambda k: t(f"words.kind.{k}"),
            placeholder=t("widget.choose"),
        )
        word = st.text_input(t("words.word"))
        meaning = st.text_input(
            t("words.meaning_or_role"), help=t("words.meaning_help", roles=t("sep.list").join(words.roles()))
        )
        if st.form_submit_button(t("words.add")):
            _teach(kind, word, meaning, by)
    if not listed.empty:
        with right.form("admin_word_remove"):
            options = [(k, w) for k, w in zip(listed["kind"], listed["word"], strict=True)]
            chosen = st.selectbox(
                t("words.word"),
                options,
                format_func=lambda o: f"{t(f'words.kind.{o[0]}')}{t('sep.label')}{o[1]}",
                placeholder=t("widget.choose"),
            )
            if st.form_submit_button(t("words.remove")):
                words.remove(store, chosen[0], chosen[1], by=by)
                st.session_state["words_taught"] = t("words.removed", word=chosen[1])
                st.rerun()
