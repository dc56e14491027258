"""One language at a time (issue 15): every word of the English UI is English, but the data's own names.

Data stays as written: a department, a task, a category, a file name is shown as the workbook has it, and
so are the words a tracker is written in (a header such as 测评内容, a status such as 已完成: the contract's
words of wenming/read/words.toml, quoted where the UI says what to type). The UI's own words (titles, labels, captions, chart titles, table headers, help, placeholders, the samples'
importer) are translated. The language switch (语言 / Language · 中文 · English) is bilingual on purpose.
The browser test (tests/test_screens_browser.py) checks what the browser draws; this one checks every
string the pages send, table headers and chart texts included, without a browser.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from typing import Any

import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.test_dates_shown import PAGES
from tests.test_pages import AS_OF, app, sample  # noqa: F401 - the fixture is used by name
from wenming.store import Store

# Chinese: ideographs, CJK punctuation and full-width forms
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
CHINESE_ALLOWED = {"语言", "中文"}  # the language switch
DATA_TABLES = ("tasks", "scores", "issues", "activities", "headcount", "surveys", "loads", "evidence")
SKIPPED = {"arrowData", "data", "bdata", "id", "formId"}  # a table's cells, a chart's numbers, widget ids
WORDS = ROOT / "wenming" / "read" / "words.toml"


def data_runs(store: Store) -> set[str]:
    """The Chinese runs of every text the workbooks hold, and of their file names: data, shown as written.

    Who imported is not data (the samples' importer is named by the UI in its language): columns naming a
    user are left out.
    """
    con = store.con
    texts = [name for (name,) in con.execute("select file_name from imports").fetchall()]
    columns = con.execute(
        "select table_name, column_name from information_schema.columns where data_type = 'VARCHAR'"
        " and table_name in (select unnest($tables)) and not suffix(column_name, '_by')"
        " and not prefix(column_name, 'user')",
        {"tables": list(DATA_TABLES)},
    ).fetchall()
    for table, column in columns:
        texts += [v for (v,) in con.execute(f'select distinct "{column}" from {table}').fetchall() if v]
    texts += list(_strings(tomllib.loads(WORDS.read_text(encoding="utf-8"))))  # the words trackers are written in
    return {run for text in texts for run in CJK.findall(text)}


def chinese_outside_data(text: str, data: set[str]) -> list[str]:
    """Chinese runs that are no part of a data value (a name cut with "…" or split on two lines is part of one)."""
    runs = set(CJK.findall(text)) - CHINESE_ALLOWED
    return sorted(r for r in runs if not any(r in d for d in data))


def _strings(value: Any, key: str = "") -> Iterator[str]:
    if key in SKIPPED:
        return
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key)
    elif isinstance(value, str):
        if key in ("spec", "columns"):  # a chart's figure, a table's headers: JSON
            yield from _strings(json.loads(value or "{}"))
        else:
            yield value


def sent(at: AppTest) -> Iterator[str]:
    """Every string of every element the run sent: labels, options, help, placeholders, headers, chart texts."""

    def walk(node: Any) -> Iterator[str]:
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "DESCRIPTOR"):
            yield from _strings(MessageToDict(proto))
        for child in (getattr(node, "children", None) or {}).values():
            yield from walk(child)

    yield from walk(at._tree)


@pytest.mark.parametrize("page", PAGES)
def test_the_english_ui_sends_no_chinese_but_the_data(
    sample: Store,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    page: str,
) -> None:
    at = app(sample, monkeypatch, page, as_of=AS_OF.isoformat(), period="2026-10", lang="en")
    data = data_runs(sample)
    leaks = {run: text for text in sent(at) for run in chinese_outside_data(text, data)}
    assert not leaks, "\n".join(f"{run!r} in {text[:120]!r}" for run, text in leaks.items())
