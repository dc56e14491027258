"""One date, one figure (WORKBOOKS.md §5, issue 12): summary, review, trend, overview and the pages agree.

Three departments send monthly trackers (August to October 2025); in November 办公室 re-uploads a
cut-down tracker whose finished tasks have √ but no 完成日期. Every month end is read through every
path the dashboard has, and no figure of a date before the re-upload moves.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.workbooks import workbook
from wenming.figures import at, headline, review, review_summaries, summary, trend
from wenming.figures.review import Period
from wenming.store import Store
from wenming.text import t

HEADER = ["工作任务", "牵头部门", "完成时限", "完成情况", "完成日期"]
LEDGER = ["存在问题", "责任部门", "督查时间", "整改时限", "整改情况", "销号时间"]
TRACKERS = {  # (department, month end) -> the tracker's rows
    ("办公室", "2025-08-31"): [
        ["A1", "办公室", "2025-08-20", "已完成", "2025-08-10"],
        ["A2", "办公室", "2025-09-15", "推进中", ""],
        ["A3", "办公室", "2025-10-31", "", ""],
        ["A4", "办公室", "长期坚持", "", ""],
    ],
    ("办公室", "2025-09-30"): [
        ["A1", "办公室", "2025-08-20", "已完成", "2025-08-10"],
        ["A2", "办公室", "2025-09-15", "已完成", "2025-09-10"],
        ["A3", "办公室", "2025-10-31", "推进中", ""],
        ["A4", "办公室", "长期坚持", "", ""],
    ],
    ("办公室", "2025-10-31"): [
        ["A1", "办公室", "2025-08-20", "已完成", "2025-08-10"],
        ["A2", "办公室", "2025-09-15", "已完成", "2025-09-10"],
        ["A3", "办公室", "2025-10-31", "已完成", "2025-10-25"],
        ["A4", "办公室", "长期坚持", "", ""],
    ],
    ("研究室", "2025-08-31"): [["R1", "研究室", "2025-08-31", "", ""], ["R2", "研究室", "2025-10-15", "", ""]],
    ("研究室", "2025-09-30"): [
        ["R1", "研究室", "2025-08-31", "已完成", "2025-09-05"],
        ["R2", "研究室", "2025-10-15", "", ""],
    ],
    ("研究室", "2025-10-31"): [
        ["R1", "研究室", "2025-08-31", "已完成", "2025-09-05"],
        ["R2", "研究室", "2025-10-15", "√", ""],  # done, no date: done from this report's date
    ],
    ("工会", "2025-08-31"): [
        ["U1", "工会", "2025-09-30", "已完成", "2025-08-15"],
        ["U2", "工会", "2025-11-30", "", ""],
    ],
    ("工会", "2025-09-30"): [
        ["U1", "工会", "2025-09-30", "已完成", "2025-08-15"],
        ["U2", "工会", "2025-11-30", "", ""],
    ],
    ("工会", "2025-10-31"): [
        ["U1", "工会", "2025-09-30", "已完成", "2025-08-15"],
        ["U2", "工会", "2025-11-30", "推进中", ""],
    ],
}
PROBLEMS = {  # 研究室's ledger
    "2025-09-30": [["P1", "研究室", "2025-09-01", "2025-09-20", "整改中", ""]],
    "2025-10-31": [["P1", "研究室", "2025-09-01", "2025-09-20", "已销号", "2025-10-10"]],
}
CUT_DOWN = [["A1", "办公室", "2025-08-20", "√", ""], ["A2", "办公室", "2025-09-15", "√", ""]]  # November
RE_UPLOAD = dt.date(2025, 11, 15)
MONTH_ENDS = [dt.date(2025, 7, 31), dt.date(2025, 8, 31), dt.date(2025, 9, 30), dt.date(2025, 10, 31)]
TODAY = dt.date(2025, 11, 30)


def title(day: str | dt.date) -> str:
    day = dt.date.fromisoformat(str(day))
    return f"截至{day.year}年{day.month}月{day.day}日"


def tracker(department: str, day: str, rows: list[list[object]]) -> bytes:
    sheets = [("任务分解", [[f"{department}任务推进台账（{title(day)}）"], HEADER, *rows])]
    if department == "研究室" and day in PROBLEMS:
        sheets.append(("问题整改", [[title(day)], LEDGER, *PROBLEMS[day]]))
    return workbook(*sheets)


def monthly(store: Store) -> Store:
    for (department, day), rows in sorted(TRACKERS.items(), key=lambda item: item[0][1]):
        store.import_file(tracker(department, day, rows), f"{department}{day}.xlsx", user="t")
    return store


def re_upload(store: Store) -> None:
    data = tracker("办公室", RE_UPLOAD.isoformat(), CUT_DOWN)
    store.import_file(data, "办公室11月.xlsx", user="t", accept_fewer=True)


@pytest.fixture
def history(store: Store) -> Store:
    return monthly(store)


def task_figures(figures: dict) -> tuple:
    tasks = figures["tasks"]
    return tasks["total"], tasks["done"], tasks["overdue"], tasks["completion_rate"]


def test_the_figures_of_a_month_end_are_worked_out_by_hand(history: Store) -> None:
    # 31 Aug: A1 U1 done of 8; A2? due 9-15; R1 due 8-31 not overdue on its due date.
    assert task_figures(summary.build(history, dt.date(2025, 8, 31))) == (8, 2, 0, 0.25)
    # 30 Sep: A1 A2 R1 U1 done; A3 (10-31) U2 (11-30) R2 (10-15) open, none overdue.
    assert task_figures(summary.build(history, dt.date(2025, 9, 30))) == (8, 4, 0, 0.5)
    # 31 Oct: A1 A2 A3 R1 R2 (√, from the report of 10-31) U1 done; U2 and A4 open.
    assert task_figures(summary.build(history, dt.date(2025, 10, 31))) == (8, 6, 0, 0.75)
    # 31 Jul, before any report: each department's first report stands in, read through its dates.
    assert task_figures(summary.build(history, dt.date(2025, 7, 31))) == (8, 0, 0, 0)
    issues = summary.build(history, dt.date(2025, 9, 30))["issues"]
    assert (issues["total"], issues["closed"], issues["overdue"]) == (1, 0, 1)


@pytest.mark.parametrize("stage", ["monthly", "after_re_upload"])
def test_every_path_gives_the_same_figures_at_each_month_end(history: Store, stage: str) -> None:
    if stage == "after_re_upload":
        re_upload(history)
    series = trend.series(history.query, "tasks_summary", TODAY)
    for day in [*MONTH_ENDS, TODAY]:
        figures = summary.build(history, day)
        tasks = figures["tasks"]
        period = Period.containing(day)
        # review --json: current is summary of the month's end; previous the month end before
        printed = review_summaries.summaries(history, period, TODAY)
        assert printed["current"] == figures
        assert printed["previous"] == summary.build(history, trend.previous_month_end(day))
        # the 月度例会 of that month, built as the page and the exports build it
        built = review.build(history.query, period, TODAY)
        assert built.as_of == day
        assert (built.figure("tasks_total"), built.figure("tasks_done"), built.figure("overdue")) == (
            tasks["total"],
            tasks["done"],
            tasks["overdue"],
        )
        assert built.figure("completion_rate") == pytest.approx(tasks["completion_rate"])
        assert built.figure("completion_rate", "month_before") == pytest.approx(
            printed["previous"]["tasks"]["completion_rate"]
        )
        rows = built.departments.set_index("department")
        for name, own in tasks["by_department"].items():
            assert (rows.loc[name, "total"], rows.loc[name, "done"], rows.loc[name, "overdue"]) == (
                own["total"],
                own["done"],
                own["overdue"],
            )
        # the month-end trend point
        point = series[series["day"] == str(day)].iloc[0]
        assert (point.total, point.done, point.overdue) == (tasks["total"], tasks["done"], tasks["overdue"])
        # the overview's headline cards on that date, and their 较上月末
        cards = {h.key: h for h in headline.headlines(history.query, day, None)}
        assert cards["completion_rate"].value == pytest.approx(tasks["completion_rate"])
        assert cards["overdue"].value == tasks["overdue"]
        assert cards["completion_rate"].previous == pytest.approx(printed["previous"]["tasks"]["completion_rate"])


def test_a_re_upload_in_november_changes_nothing_before_its_date(history: Store) -> None:
    days = [*MONTH_ENDS, RE_UPLOAD - dt.timedelta(days=1), RE_UPLOAD, TODAY]
    before = {day: summary.build(history, day) for day in days}
    re_upload(history)
    after = {day: summary.build(history, day) for day in days}
    for day in days[:-2]:
        assert after[day] == before[day], day
    # from its date on, 办公室 has its two tasks, done (√) from 11-15
    assert after[RE_UPLOAD]["tasks"]["by_department"]["办公室"] == {
        "total": 2,
        "done": 2,
        "overdue": 0,
        "completion_rate": 1,
    }
    assert after[TODAY] != before[TODAY]


def test_an_older_report_imported_late_fills_in_the_past_only(history: Store) -> None:
    later = {day: summary.build(history, day) for day in (dt.date(2025, 10, 31), TODAY)}
    early = [["U1", "工会", "2025-09-30", "已完成", "2025-08-15"], ["U2", "工会", "2025-11-30", "推进中", ""]]
    history.import_file(tracker("工会", "2025-07-31", early), "工会7月.xlsx", user="t")
    # 31 Jul now reads 工会's July report: U2 in progress instead of not started; U1 not yet done
    july = summary.build(history, dt.date(2025, 7, 31))["tasks"]["by_department"]["工会"]
    assert (july["total"], july["done"]) == (2, 0)
    for day, figures in later.items():
        assert summary.build(history, day) == figures


def test_review_json_from_the_command_line_is_summary_json(history: Store, tmp_path: Path) -> None:
    history.close()

    def run(*args: str) -> dict:
        done = subprocess.run(
            [sys.executable, "-m", "wenming", *args, "--db", str(history.path)],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    printed = run("review", "--month", "2025-10", "--json", "--as-of", "2025-11-30")
    assert set(printed) == {"period", "as_of", "current", "previous", "quarter_ago", "frozen"}
    assert (printed["period"], printed["as_of"], printed["frozen"]) == ("2025-10", "2025-10-31", False)
    assert printed["current"] == run("summary", "--as-of", "2025-10-31", "--json")
    assert printed["previous"] == run("summary", "--as-of", "2025-09-30", "--json")
    assert printed["quarter_ago"] == run("summary", "--as-of", "2025-07-31", "--json")
    quarter = run("review", "--quarter", "2025-Q3", "--json", "--as-of", "2025-11-30")
    assert (quarter["current"]["as_of"], quarter["previous"]["as_of"]) == ("2025-09-30", "2025-06-30")
    # without --as-of: the data's latest 截至 (10-31), never today
    assert run("summary", "--json")["as_of"] == min(dt.date(2025, 10, 31), dt.date.today()).isoformat()


def test_a_frozen_review_prints_its_frozen_figures(history: Store) -> None:
    from wenming.figures import meetings

    period = Period.parse("2025-10")
    meetings.freeze(history, review.build(history.query, period, TODAY), "clerk")
    kept_figures = summary.build(history, dt.date(2025, 10, 31))
    re_upload(history)
    history.import_file(
        tracker("研究室", "2025-10-31", TRACKERS[("研究室", "2025-08-31")]), "研究室更正.xlsx", user="t"
    )  # a correction of October's report (same date, later import) changes October's figures
    assert summary.build(history, dt.date(2025, 10, 31)) != kept_figures
    printed = review_summaries.frozen_summaries(meetings.frozen(history, period))
    assert printed["frozen"] is True and printed["current"] == kept_figures
    assert printed["headline"]["completion_rate"]["now"] == pytest.approx(0.75)


# ---------------------------------------------------------------- the default date


def test_the_default_date_is_the_datas_latest_report_never_after_today(history: Store) -> None:
    until = at.data_until(history.query)
    assert until == dt.date(2025, 10, 31)
    assert at.default_date(until, today=dt.date(2025, 11, 30)) == dt.date(2025, 10, 31)
    assert at.default_date(until, today=dt.date(2025, 10, 20)) == dt.date(2025, 10, 20)
    assert at.default_date(None, today=dt.date(2025, 11, 30)) == dt.date(2025, 11, 30)
    re_upload(history)
    assert at.data_until(history.query) == RE_UPLOAD


APP = ROOT / "app.py"


def _app(db: Path, monkeypatch: pytest.MonkeyPatch, page: str | None = None, **url: str) -> AppTest:
    monkeypatch.setenv("WENMING_DB", str(db))
    monkeypatch.setenv("WENMING_SAMPLES", "0")
    test = AppTest.from_file(str(APP), default_timeout=30)
    for key, value in url.items():
        test.query_params[key] = value
    test.run()
    if page:
        test.switch_page(page).run()
    assert not test.exception, [e.value for e in test.exception]
    return test


def test_the_pages_open_on_the_datas_date_and_say_so_past_it(history: Store, monkeypatch) -> None:
    history.close()
    opened = _app(history.path, monkeypatch)
    expected = min(dt.date(2025, 10, 31), dt.date.today())
    assert opened.date_input[0].value == expected
    assert not [c for c in opened.sidebar.caption if "数据截至" in c.value]
    later = _app(history.path, monkeypatch, as_of="2025-11-30")
    assert "数据截至 10月31日" in [c.value for c in later.sidebar.caption]


@pytest.mark.parametrize("day", ["2025-09-30", "2025-10-31"])
def test_the_overview_and_the_review_pages_show_the_summary_of_the_date(
    history: Store, monkeypatch: pytest.MonkeyPatch, day: str
) -> None:
    re_upload(history)
    figures = summary.build(history, dt.date.fromisoformat(day))
    history.close()
    overview = _app(history.path, monkeypatch, as_of=day)
    shown = {m.label: m.value for m in overview.metric}
    assert shown["任务完成率"] == f"{figures['tasks']['completion_rate']:.1%}"
    assert shown["逾期任务"] == str(figures["tasks"]["overdue"])
    meeting = _app(history.path, monkeypatch, "pages/review.py", as_of="2025-11-30", period=day[:7])
    cards = {m.label: m.value for m in meeting.metric}
    assert cards["任务完成率"] == f"{figures['tasks']['completion_rate']:.1%}"
    assert cards["逾期任务"] == str(figures["tasks"]["overdue"])
    assert cards["任务总数"] == str(figures["tasks"]["total"])
    assert t("review.board_rule", "zh") in [c.value for c in meeting.caption]  # the boards' rule, stated


def test_the_import_preview_counts_what_is_done_without_a_date(store: Store) -> None:
    parsed = store.parse(tracker("办公室", RE_UPLOAD.isoformat(), CUT_DOWN), "x.xlsx")
    found = at.undated(parsed)
    assert [(u.kind, u.count, u.counts_from) for u in found] == [("tasks", 2, RE_UPLOAD)]
    ledger = workbook(("问题", [LEDGER, ["P", "办公室", "2025-09-01", "", "已销号", ""]]))
    found = at.undated(store.parse(ledger, "y.xlsx", as_of=dt.date(2025, 10, 1)), dt.date(2025, 10, 1))
    assert [(u.kind, u.count, u.counts_from) for u in found] == [("issues", 1, dt.date(2025, 10, 1))]
    no_date_column = workbook(
        ("任务", [["工作任务", "牵头部门", "完成情况"], ["a", "办公室", "√"], ["b", "办公室", ""]])
    )
    found = at.undated(store.parse(no_date_column, "z.xlsx"), dt.date(2025, 10, 1))
    assert [(u.kind, u.count) for u in found] == [("tasks", 1)]
    assert at.undated(store.parse(workbook(("任务", [["工作任务", "牵头部门"], ["a", "办公室"]])), "w.xlsx")) == []


def test_a_correction_of_the_first_report_does_not_rewrite_the_months_before_it(history: Store) -> None:
    """Before a department's first report that report stands in; re-uploading it (same date) later,
    with √ and no 完成日期, is a report dated after those months and changes none of them."""
    july = summary.build(history, dt.date(2025, 7, 31))
    august = summary.build(history, dt.date(2025, 8, 31))
    corrected = [["A1", "办公室", "2025-08-20", "√", ""], ["A2", "办公室", "2025-09-15", "√", ""]]
    history.import_file(tracker("办公室", "2025-08-31", corrected), "办公室8月更正.xlsx", user="t")
    assert summary.build(history, dt.date(2025, 7, 31)) == july
    office = summary.build(history, dt.date(2025, 8, 31))["tasks"]["by_department"]["办公室"]
    assert office == {"total": 2, "done": 2, "overdue": 0, "completion_rate": 1}  # the correction, on its date
    assert summary.build(history, dt.date(2025, 8, 31)) != august


def test_two_sheets_of_one_workbook_for_one_department_both_count(store: Store) -> None:
    """A ledger kept on two sheets (问题清单 and 交办单) for one department: every row of both is in force,
    at the report's date and after it, and a later report of that department replaces both."""
    sheet = lambda rows: [[title("2025-10-31")], LEDGER, *rows]  # noqa: E731
    first = [
        ["P1", "研究室", "2025-09-01", "2025-09-20", "已销号", "2025-10-10"],
        ["P2", "研究室", "2025-09-01", "", "", ""],
    ]
    second = [["Q1", "研究室", "2025-10-02", "2025-10-20", "整改中", ""]]
    store.import_file(workbook(("问题清单", sheet(first)), ("交办单", sheet(second))), "研究室台账.xlsx", user="t")
    for day in (dt.date(2025, 10, 31), dt.date(2025, 11, 30)):
        issues = summary.build(store, day)["issues"]
        assert (issues["total"], issues["closed"], issues["overdue"]) == (3, 1, 1)
    later = [["P2", "研究室", "2025-09-01", "", "已整改", "2025-11-05"]]
    store.import_file(
        workbook(("问题清单", [[title("2025-11-10")], LEDGER, *later])), "研究室11月.xlsx", user="t", accept_fewer=True
    )
    assert summary.build(store, dt.date(2025, 11, 30))["issues"]["total"] == 1
    assert summary.build(store, dt.date(2025, 10, 31))["issues"]["total"] == 3
