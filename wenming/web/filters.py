"""The shared sidebar filters (as-of date, departments, language), kept in the URL.

``sidebar()`` draws them in app.py; pages read them with ``current()``, which
falls back to the URL or the defaults, so a page also runs on its own in a test.
A leader can bookmark or send a link such as ``?as_of=2026-10-31&dept=办公室``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import streamlit as st

from wenming import text
from wenming.figures import at
from wenming.text import t

AS_OF, DEPARTMENTS, LANG = "f_as_of", "f_departments", "f_lang"


@dataclass(frozen=True)
class Filters:
    as_of: dt.date
    departments: tuple[str, ...]  # empty: all departments
    lang: str = "zh"

    def params(self, **overrides: Any) -> dict[str, Any]:
        """Parameters for a query file: the figures of the as-of date (at.params) for the departments."""
        return {**at.params(self.as_of, list(self.departments)), **overrides}


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _init_from_url(default_as_of: dt.date | None = None) -> None:
    """Seed the widgets' state from the URL once per session; the date defaults to the data's latest 截至."""
    state, url = st.session_state, st.query_params
    if LANG not in state:
        state[LANG] = url.get("lang") if url.get("lang") in text.LANGS else "zh"
    if AS_OF not in state and default_as_of is not None:
        state[AS_OF] = _date(url.get("as_of")) or default_as_of
    if DEPARTMENTS not in state:
        state[DEPARTMENTS] = list(url.get_all("dept"))


def language() -> str:
    """The language switch; call before anything is written so every string follows it."""
    _init_from_url()
    st.sidebar.segmented_control(
        "语言 / Language",
        options=list(text.LANGS),
        format_func=lambda code: {"zh": "中文", "en": "English"}[code],
        key=LANG,
        required=True,
    )
    lang = st.session_state[LANG] or "zh"
    text.use(lang)
    return lang


def sidebar(departments: list[str], data_until: dt.date | None) -> Filters:
    """Draw the as-of date and department filters, and mirror them into the URL.

    ``data_until``: the latest 截至 of the data, the default date; a later date is allowed and
    the sidebar then says up to which day the data reports.
    """
    _init_from_url(at.default_date(data_until))
    state = st.session_state
    state[DEPARTMENTS] = [d for d in state[DEPARTMENTS] if d in departments]
    st.sidebar.date_input(t("filter.as_of"), key=AS_OF, format="YYYY-MM-DD")
    if data_until is not None and state[AS_OF] > data_until:
        st.sidebar.caption(t("filter.data_until", month=data_until.month, day=data_until.day))
    st.sidebar.multiselect(
        t("filter.departments"), options=departments, key=DEPARTMENTS, placeholder=t("filter.all_departments")
    )
    _to_url(state[AS_OF], state[DEPARTMENTS], state[LANG] or "zh")
    return current()


def _to_url(as_of: dt.date, departments: list[str], lang: str) -> None:
    url = st.query_params
    url["as_of"] = as_of.isoformat()
    if departments:
        url["dept"] = departments
    elif "dept" in url:
        del url["dept"]
    url["lang"] = lang


def current(data_until: dt.date | None = None) -> Filters:
    """The filters in force: the sidebar's, else the URL's, else the data's date / all / Chinese."""
    _init_from_url(at.default_date(data_until))
    state = st.session_state
    lang = state[LANG] or "zh"
    text.use(lang)
    return Filters(as_of=state[AS_OF], departments=tuple(state[DEPARTMENTS]), lang=lang)
