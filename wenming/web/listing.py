"""Long lists on a page (the task list at a million rows): searched, filtered, sorted and paged in SQL.

A page shows one page of rows, the count of all that match and page controls; the page
number, the search and the order are kept in the URL beside the sidebar's filters. The
download holds every matching row: read page by page in one snapshot and written as
sheet XML (wenming.render.sheet_stream), so neither the page nor the file is ever a
whole list in pandas.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from wenming import text
from wenming.render import charts, sheet_stream, slides
from wenming.store import Store
from wenming.text import t
from wenming.web.data import store
from wenming.web.page import excel_button

PAGE_SIZES = (50, 100, 200)
ORDERS = ("department", "deadline", "overdue", "progress")  # what $order may be: the SQL knows each one
CHUNK = 50_000  # rows of one read of the download
URL_PAGE, URL_WORDS, URL_ORDER = "page", "q", "sort"


@dataclass(frozen=True)
class Narrowing:
    """What narrows a list beyond the sidebar: chart clicks, states, search words, and its order."""

    picked: Sequence[str] = ()  # departments clicked in a chart
    categories: Sequence[str] = ()  # categories clicked in a chart
    states: Sequence[str] = ()
    words: str = ""
    order: str = ORDERS[0]

    def params(self) -> dict[str, Any]:
        """The query parameters: '' for a blank name (as the chart labels it), NULL for "no narrowing"."""
        return {
            "picked": _names(self.picked, "department"),
            "categories": _names(self.categories, "category"),
            "states": list(self.states) or None,
            "words": self.words.split() or None,
            "order": self.order if self.order in ORDERS else ORDERS[0],
        }


def _names(names: Sequence[str], column: str) -> list[str] | None:
    blank = charts.missing_label(column)
    return [("" if name == blank else name) for name in names] or None


def _from_url(key: str, name: str, default: Any, cast: Any = str) -> None:
    """Seed a widget's state from the URL once per session (a bookmark, a link someone sent)."""
    if key in st.session_state:
        return
    try:
        st.session_state[key] = cast(st.query_params[name]) if name in st.query_params else default
    except ValueError:
        st.session_state[key] = default


def _to_url(name: str, value: Any, default: Any) -> None:
    if value != default:
        st.query_params[name] = str(value)
    elif name in st.query_params:
        del st.query_params[name]


def search_box(key: str, label: str, hint: str) -> str:
    """The search box, kept in the URL as ?q=."""
    _from_url(key, URL_WORDS, "")
    words = st.text_input(label, key=key, placeholder=hint)
    _to_url(URL_WORDS, words, "")
    return words


def order_box(key: str) -> str:
    """The list's order, one of ORDERS, kept in the URL as ?sort=."""
    _from_url(key, URL_ORDER, ORDERS[0], lambda v: v if v in ORDERS else ORDERS[0])
    order = st.selectbox(
        t("list.order"), ORDERS, key=key, format_func=lambda o: t(f"list.order.{o}"), placeholder=t("widget.choose")
    )
    _to_url(URL_ORDER, order, ORDERS[0])
    return order


def pager(key: str, count: int, narrowing: dict[str, Any]) -> tuple[int, int]:
    """Page size and page number for ``count`` rows; back to page 1 when the narrowing changes.

    Returns the query's $limit and $offset; the page number is kept in the URL as ?page=.
    """
    size_key, page_key, seen_key = f"{key}_size", f"{key}_page", f"_{key}_narrowing"
    _from_url(page_key, URL_PAGE, 1, int)
    st.session_state.setdefault(size_key, PAGE_SIZES[0])
    signature = repr(sorted(narrowing.items())) + repr(st.session_state[size_key])
    if st.session_state.get(seen_key, signature) != signature:
        st.session_state[page_key] = 1
    st.session_state[seen_key] = signature
    size = st.session_state[size_key]
    pages = max(1, math.ceil(count / size))
    st.session_state[page_key] = min(max(1, st.session_state[page_key]), pages)
    left, middle, right = st.columns([1, 1, 3], vertical_alignment="bottom")
    page = left.number_input(t("list.page"), min_value=1, max_value=pages, step=1, key=page_key)
    middle.selectbox(
        t("list.size"),
        PAGE_SIZES,
        key=size_key,
        format_func=lambda n: t("list.size_rows", rows=n),
        placeholder=t("widget.choose"),
    )
    first = (page - 1) * size
    shown = t("list.where", page=page, pages=pages, first=f"{first + 1:,}", last=f"{min(first + size, count):,}")
    right.caption(shown if count else t("list.none"))
    _to_url(URL_PAGE, page, 1)
    return size, first


def rows(reader: Store, name: str, params: dict[str, Any]) -> Iterator[pd.DataFrame]:
    """Every row of the paged query ``name``, CHUNK at a time, all read in one snapshot."""
    chunk, cursor = CHUNK, reader.cursor()
    cursor.con.begin()
    try:
        offset = 0
        while True:
            found = cursor.query(name, **params, limit=chunk, offset=offset)
            if len(found):
                yield found
            if len(found) < chunk:
                return
            offset += chunk
    finally:
        cursor.con.rollback()  # it only read
        cursor.close()


def download(
    label: str, name: str, params: dict[str, Any], columns: list[str], title: str, file_name: str, key: str
) -> None:
    """A button whose file, made on the click, holds every row of the paged query ``name`` as Excel."""
    reader, lang = store(), text.lang()
    headers = [t(f"col.{c}") for c in columns]

    def build() -> bytes:  # on the click, outside the page run: the session's store, this page's language
        text.use(lang)
        batches = (slides.coded_as_words(frame[columns].copy()) for frame in rows(reader, name, params))
        return sheet_stream.workbook(batches, headers, title)

    excel_button(label, build, file_name, key)
