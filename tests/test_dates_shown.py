"""Dates as 2026-07-15 on every surface (issue 15): the pages' tables, the exports, the command line.

A date read from a workbook is a timestamp at midnight in pandas; shown as given it reads
"2026-07-15 00:00:00" (督查时间 on the review page did). Every surface is checked here.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.test_pages import AS_OF, app, sample  # noqa: F401 - the fixture is used by name
from tests.workbooks import workbook
from wenming.cli import main
from wenming.figures import review
from wenming.figures.review import Period
from wenming.render import export, plain, report
from wenming.store import Store

PAGES = [
    "pages/overview.py",
    "pages/tasks.py",
    "pages/overdue.py",
    "pages/scores.py",
    "pages/participation.py",
    "pages/review.py",
    "pages/evidence.py",
    "pages/upload.py",
    "pages/history.py",
    "pages/admin.py",
]
WITH_SECONDS = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d")
LEDGER = ["存在问题", "责任部门", "督查时间", "整改时限", "整改情况", "销号时间"]


def test_a_date_is_a_day_and_a_time_is_to_the_minute() -> None:
    assert plain.when(pd.Timestamp("2026-07-15")) == "2026-07-15"
    assert plain.when(dt.datetime(2026, 7, 15, 8, 5, 33)) == "2026-07-15 08:05"
    assert plain.when(dt.date(2026, 7, 15)) == "2026-07-15"
    assert plain.when(pd.NaT) == "" and plain.when("2026年7月") == "2026年7月" and plain.when(3) == 3
    frame = pd.DataFrame({"found_on": pd.to_datetime(["2026-07-15", None]), "n": [1, 2]})
    shown = plain.dates_as_text(frame)
    assert shown["found_on"][0] == "2026-07-15" and pd.isna(shown["found_on"][1]) and shown["n"].tolist() == [1, 2]


def dates_with_a_time(at: AppTest) -> list[str]:
    """Date cells a page's tables would show with a time: a date column without a date format, a date as text."""
    found = []
    for table in at.dataframe:
        config = json.loads(table.proto.columns or "{}")
        for column in table.value.columns:
            values = table.value[column].dropna()
            if pd.api.types.is_datetime64_any_dtype(values):
                shown = (config.get(column) or {}).get("type_config", {}).get("format", "")
                days = len(values) > 0 and bool((values == values.dt.normalize()).all())  # dates, not times
                if shown not in ({"YYYY-MM-DD"} if days else {"YYYY-MM-DD", "YYYY-MM-DD HH:mm"}):
                    found.append(f"{column}: drawn as {shown or 'a raw timestamp'}")
            elif values.map(lambda v: isinstance(v, (dt.date, pd.Timestamp))).any():
                found.append(f"{column}: date objects drawn as given")
            elif values.map(lambda v: isinstance(v, str) and bool(WITH_SECONDS.search(v))).any():
                found.append(f"{column}: text with seconds")
    return found


@pytest.mark.parametrize("page", PAGES)
def test_no_table_of_a_page_shows_a_date_with_a_time(
    sample: Store,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    page: str,
) -> None:
    at = app(sample, monkeypatch, page, as_of=AS_OF.isoformat(), period="2026-10")
    assert at.dataframe, f"{page} shows a table"
    assert not dates_with_a_time(at)
    texts = [e.value for e in [*at.caption, *at.markdown, *at.info]]
    assert not [x for x in texts if WITH_SECONDS.search(str(x))]


def test_the_review_page_shows_the_ledgers_dates_as_days(sample: Store, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    at = app(sample, monkeypatch, "pages/review.py", as_of=AS_OF.isoformat(), period="2026-10")
    found = [table.value["found_on"] for table in at.dataframe if "found_on" in table.value]
    assert found, "the review shows the ledger"
    days = [v for column in found for v in column.dropna()]
    assert days and all(re.fullmatch(r"\d{4}-\d\d-\d\d", v) for v in days)


@pytest.fixture
def ledger(store: Store) -> review.Review:
    rows = [
        LEDGER,
        ["灯坏了", "办公室", "2026-07-15", "2026-08-31", "整改中", ""],
        ["墙脏", "工会", "2026-10-08", "", "", ""],
    ]
    sheets = ("整改台账", [["截至2026年10月31日"], *rows])
    store.import_file(workbook(sheets), "ledger.xlsx", user="t")
    return review.build(store.query, Period.parse("2026-10"), dt.date(2026, 10, 31))


def test_the_exports_show_dates_as_days(ledger: review.Review) -> None:
    books = [export.review_workbook(ledger), export.supervision_sheet(ledger, "办公室")]
    cells = []
    for data in books:
        for sheet in openpyxl.load_workbook(io.BytesIO(data)):
            cells += [c for row in sheet.iter_rows() for c in row if isinstance(c.value, (dt.date, dt.datetime))]
    assert len(cells) >= 3 and {c.number_format for c in cells} == {"yyyy-mm-dd"}
    # a page's download: days as days (a date column or date objects), a time of day to the minute
    frame = pd.DataFrame(
        {
            "found_on": pd.to_datetime(["2026-07-15"]),
            "dated": [dt.date(2026, 7, 15)],
            "imported_at": [pd.Timestamp("2026-07-15 08:05:33")],
        }
    )
    sheet = openpyxl.load_workbook(io.BytesIO(export.workbook_bytes({"表": frame}))).active
    assert [c.number_format for c in sheet[2]] == ["yyyy-mm-dd", "yyyy-mm-dd", "yyyy-mm-dd hh:mm"]
    html = report.render(ledger)
    html = html if isinstance(html, str) else html.decode()
    body = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    assert "2026-07-15" in body and not WITH_SECONDS.search(body)


def test_the_command_line_shows_times_to_the_minute_and_headers_in_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "cli.duckdb"
    tracker = tmp_path / "t.xlsx"
    tracker.write_bytes(
        workbook(("台账", [["截至2026年10月31日"], LEDGER, ["灯坏了", "办公室", "2026-07-15", "", "", ""]]))
    )
    assert main(["import", str(tracker), "--db", str(db), "--user", "示例数据"]) == 0
    capsys.readouterr()
    assert main(["history", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    header, row = out.splitlines()[:2]
    assert header.split() == ["导入编号", "导入时间", "导入人", "操作", "文件名", "导入行数", "需核对"]
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d  ", row) and not WITH_SECONDS.search(out)
    assert "示例数据  导入  t.xlsx  问题整改 1 行" in row  # the action and the rows in words, not JSON
