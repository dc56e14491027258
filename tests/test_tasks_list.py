"""The task list in SQL (issue 14): search, filters, order and paging in queries/tasks_list_*.sql, the 任务推进
page showing one page and the count, the page number in the URL, and a download holding every matching row.

Expected figures are worked out by hand on tests/test_queries.py's tiny tracker, or come from the
reference query tasks_list on the samples; never copied from a run.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from tests.test_pages import APP, app, sample, table, zh  # noqa: F401 (sample: the fixture)
from tests.test_pages import AS_OF as SAMPLE_AS_OF
from tests.test_queries import (
    PARAMS,
    loaded,  # noqa: F401 (the fixture)
)
from wenming.render import sheet_stream
from wenming.store import Store
from wenming.web import listing

NONE = {"picked": None, "categories": None, "states": None, "words": None, "order": "department"}
ALL = {**PARAMS, **NONE, "limit": 100, "offset": 0}
COLUMNS = ["task", "department", "helpers", "category", "item", "owner", "deadline_text", "state", "progress"]


def page(store: Store, **params: Any) -> list[str]:
    return store.query("tasks_list_page", **{**ALL, **params})["task"].tolist()


def count(store: Store, **params: Any) -> tuple[int, int]:
    row = store.query("tasks_list_count", **{**PARAMS, **NONE, **params}).iloc[0]
    return int(row.shown), int(row.total)


# ---------------------------------------------------------------- the queries, on the tiny tracker (as of 2025-10-31)


def test_the_list_counts_what_each_narrowing_keeps(loaded: Store) -> None:  # noqa: F811
    assert count(loaded) == (9, 9)
    assert count(loaded, states=["done"]) == (2, 9)  # T1, T7
    assert count(loaded, words=["办公室"]) == (3, 9)  # T1, T2, T3 by department
    assert count(loaded, words=["研究室", "道德"]) == (2, 9)  # every word: T4, T5 (研究室, 道德讲堂)
    assert count(loaded, picked=["法工委"]) == (1, 9) and count(loaded, picked=[""]) == (0, 9)
    assert count(loaded, categories=["道德讲堂"]) == (3, 9)  # T3, T4, T5 (filled down)
    assert count(loaded, departments=["研究室"]) == (5, 5)  # the sidebar's departments make the total
    assert page(loaded, words=["研究室", "道德"]) == ["T4", "T5"] and page(loaded, words=["T"]) == page(loaded)


def test_every_word_typed_narrows_the_list_wherever_it_stands(loaded: Store) -> None:  # noqa: F811
    assert page(loaded, words=[]) == page(loaded) and count(loaded, words=[]) == (9, 9)
    assert page(loaded, words=["研究室", "道德", "T5"]) == ["T5"]  # a third word, checked as the list's lambda
    assert page(loaded, words=["T5", "道德", "研究室"]) == ["T5"]  # the same words in another order
    assert page(loaded, words=["研究室", "道德", "T", "T4"]) == ["T4"]
    assert count(loaded, words=["研究室", "道德", "T", "办公室"]) == (0, 9)  # a fourth word no task holds


def test_the_list_pages_in_the_order_asked_and_only_a_known_order(loaded: Store) -> None:  # noqa: F811
    everything = loaded.query("tasks_list", **PARAMS)["task"].tolist()  # department, sheet, row
    assert page(loaded) == everything
    assert page(loaded, limit=4, offset=4) == everything[4:8]
    assert page(loaded, order="overdue", limit=3) == ["T8", "T2", "T9"]  # 273, 16 and 1 days
    assert page(loaded, order="deadline", limit=2) == ["T8", "T1"]  # 2025-01-31, 2025-06-30
    assert page(loaded, order="progress")[-2:] == ["T1", "T7"]  # done (100%) last, by department
    assert page(loaded, order="x'; drop table tasks; --") == everything  # not a known order: the default
    assert page(loaded, states=["done"], order="deadline") == ["T1", "T7"]  # due 2025-06-30, 2025-09-01


def test_the_tasks_an_evidence_file_may_support_are_the_items_tasks(sample: Store) -> None:  # noqa: F811
    """佐证材料 lists the tasks of one 测评内容 with its own query, not the whole task list."""
    everything = sample.query("tasks_list", as_of=SAMPLE_AS_OF, snapshot=None, departments=None)
    items = everything["item"].dropna().unique()
    assert len(items) > 5
    for item in items:
        expected = everything.loc[everything["item"] == item, "task"].dropna().unique().tolist()
        found = sample.query("tasks_of_item", as_of=SAMPLE_AS_OF, departments=None, item=item)["task"].tolist()
        assert found == expected


# ---------------------------------------------------------------- the page, on the samples


def caption_count(at: AppTest) -> str:
    return next(c.value for c in at.caption if c.value.startswith("显示"))


def test_the_page_shows_a_page_the_count_and_page_two_by_the_url(
    sample: Store,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    everything = sample.query("tasks_list", as_of=SAMPLE_AS_OF, snapshot=None, departments=None)
    total = len(everything)
    at = app(sample, monkeypatch, "pages/tasks.py", as_of=SAMPLE_AS_OF.isoformat())
    assert caption_count(at) == zh("tasks.count", shown=total, total=total)
    assert table(at, "tasks_table")["task"].tolist() == everything["task"][:50].tolist()
    at.number_input(key="tasks_list_page").set_value(2).run()
    assert table(at, "tasks_table")["task"].tolist() == everything["task"][50:100].tolist()
    assert at.query_params["page"] == "2"
    assert zh("list.where", page=2, pages=3, first="51", last="100") in [c.value for c in at.caption]
    bookmark = AppTest.from_file(str(APP), default_timeout=30)  # a bookmark of page 3
    bookmark.query_params.update({"as_of": SAMPLE_AS_OF.isoformat(), "page": "3"})
    bookmark.run()
    bookmark.switch_page("pages/tasks.py").run()
    assert table(bookmark, "tasks_table")["task"].tolist() == everything["task"][100:].tolist()


def test_a_search_counts_in_sql_and_goes_back_to_page_one(
    sample: Store,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    everything = sample.query("tasks_list", as_of=SAMPLE_AS_OF, snapshot=None, departments=None)
    at = app(sample, monkeypatch, "pages/tasks.py", as_of=SAMPLE_AS_OF.isoformat())
    at.number_input(key="tasks_list_page").set_value(2).run()
    at.text_input(key="tasks_search").input("志愿").run()
    columns = ["task", "department", "helpers", "category", "item", "owner", "note"]
    holds = everything[columns].fillna("").agg(" ".join, axis=1).str.contains("志愿")
    expected = everything[holds]
    assert 0 < len(expected) < len(everything)
    assert caption_count(at) == zh("tasks.count", shown=len(expected), total=len(everything))
    assert at.number_input(key="tasks_list_page").value == 1 and "page" not in at.query_params
    assert table(at, "tasks_table")["task"].tolist() == expected["task"][:50].tolist()
    assert at.query_params["q"] == "志愿"


def test_a_sort_orders_every_page(sample: Store, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    everything = sample.query("tasks_list", as_of=SAMPLE_AS_OF, snapshot=None, departments=None)
    by_overdue = everything.sort_values("days_overdue", ascending=False, kind="stable", na_position="last")
    at = app(sample, monkeypatch, "pages/tasks.py", as_of=SAMPLE_AS_OF.isoformat())
    at.selectbox(key="tasks_order").set_value("overdue").run()
    shown = table(at, "tasks_table")
    assert shown["task"].tolist() == by_overdue["task"][:50].tolist()
    assert shown["days_overdue"].iloc[0] == everything["days_overdue"].max()
    assert at.query_params["sort"] == "overdue"


def _deferred(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The download callables the app registers, by placeholder id (AppTest never runs them itself)."""
    found: dict[str, Any] = {}
    original = MediaFileManager.add_deferred

    def capture(self: MediaFileManager, data_callable: Any, *args: Any, **kwargs: Any) -> str:
        file_id = original(self, data_callable, *args, **kwargs)
        found[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", capture)
    return found


def test_the_download_holds_every_matching_row(sample: Store, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    monkeypatch.setattr(listing, "CHUNK", 7)  # read in many chunks, as a million rows are
    callables = _deferred(monkeypatch)
    at = app(sample, monkeypatch, "pages/tasks.py", as_of=SAMPLE_AS_OF.isoformat())
    at.text_input(key="tasks_search").input("活动").run()
    (button,) = at.get("download_button")
    book = openpyxl.load_workbook(io.BytesIO(callables[button.proto.deferred_file_id]()), read_only=True)
    rows = list(book.worksheets[0].values)
    params = {"as_of": SAMPLE_AS_OF, "departments": None, **NONE, "words": ["活动"]}
    expected = sample.query("tasks_list_count", **params).iloc[0].shown
    assert len(rows) - 1 == expected > 7
    assert rows[0][:2] == (zh("col.task"), zh("col.department")) and zh("col.row_no") in rows[0]
    listed = sample.query("tasks_list_page", **params, limit=1000, offset=0)
    assert [r[0] for r in rows[1:]] == listed["task"].tolist()  # the page's order, every row once
    states = {zh(f"state.{s}") for s in ("done", "in_progress", "not_started", "ongoing")}
    assert {r[rows[0].index(zh("col.state"))] for r in rows[1:]} <= states  # in words


# ---------------------------------------------------------------- the streamed workbook


def test_the_streamed_workbook_keeps_text_dates_rates_and_goes_on_past_the_last_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sheet_stream, "EXCEL_ROWS", 4)  # a header and three rows a sheet
    frame = pd.DataFrame(
        {
            "task": ['=HYPERLINK("http://x")', "a\x07b {0} <&>", "三", "四", None],
            "deadline": pd.to_datetime(["2026-06-30", None, "2026-01-01", "2026-02-01", "2026-03-01"]),
            "progress": [0.5, None, 1.0, 0.0, 0.25],
            "row_no": pd.array([3, 4, 5, 6, None], dtype="Int64"),
        }
    )
    data = sheet_stream.workbook([frame.iloc[:2], frame.iloc[2:]], ["任务", "时限", "进度", "行号"], "任务清单")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["任务清单", "任务清单 2"]
    first, second = (list(sheet.values) for sheet in book.worksheets)
    assert first[0] == second[0] == ("任务", "时限", "进度", "行号")
    assert first[1] == ('=HYPERLINK("http://x")', dt.datetime(2026, 6, 30), 0.5, 3)
    assert book.worksheets[0]["A2"].data_type == "s"  # text, never a formula
    assert first[2] == ("ab {0} <&>", None, None, 4)  # a control character XML cannot hold is dropped
    assert book.worksheets[0]["B2"].number_format == "yyyy-mm-dd"
    assert book.worksheets[0]["C2"].number_format == "0.00%"
    assert [r[0] for r in first[1:] + second[1:]] == ['=HYPERLINK("http://x")', "ab {0} <&>", "三", "四", None]
    assert sheet_stream.workbook([], ["任务"], "空") and list(
        openpyxl.load_workbook(io.BytesIO(sheet_stream.workbook([], ["任务"], "空"))).active.values
    ) == [("任务",)]
