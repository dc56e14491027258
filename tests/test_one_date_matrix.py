"""One date, one figure on a history shaped like real use (WORKBOOKS.md §5).

Three departments upload at different dates from August to October 2025: 办公室 monthly (tasks and
its ledger), 研究室 on the 20th and the 15th (tasks and an activity register), 工会 only once, in
October (a department that appears in a later report only). The scoring sheet has one report. 办公室
re-uploads a correction of August after everything else, and an October tracker of 办公室 is voided.

For dates before the first report, on a 截至 date, between reports, at month ends, after the last
report and after today, every place that shows a figure of D shows the same one: `summary --json`,
the pages (总览, 任务推进, 逾期督办, 测评得分, 参与情况, 月度例会), the month-end trend point, the
review (`review --json`, the Review and its Excel export).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.test_one_date import _app as opened
from tests.test_pages import chart, metrics
from tests.workbooks import workbook
from wenming.cli import main
from wenming.figures import at, headline, review, review_summaries, summary, trend
from wenming.figures.review import Period
from wenming.render import export, slides
from wenming.store import Store, voids
from wenming.text import t

TASKS = ["工作任务", "牵头部门", "完成时限", "完成情况", "完成日期"]
LEDGER = ["存在问题", "责任部门", "督查时间", "整改时限", "整改情况", "销号时间"]
REGISTER = ["活动名称", "组织部门", "参加人数", "活动日期", "人均服务时长", "应参加人数"]
SCORES = ["测评项目", "测评内容", "分值", "得分", "责任部门"]


class Upload(NamedTuple):
    """One workbook as a department sends it: its 截至 date and its sheets (name, header, rows)."""

    file: str
    dated: str
    sheets: tuple[tuple[str, list[str], list[list[object]]], ...]
    voided: bool = False


OFFICE_AUGUST = [
    ["O1", "办公室", "2025-08-15", "已完成", "2025-08-10"],
    ["O2", "办公室", "2025-08-25", "推进中", ""],
    ["O3", "办公室", "2025-09-30", "", ""],
    ["O4", "办公室", "长期坚持", "", ""],
]
OFFICE_AUGUST_CORRECTED = [  # O2 was in fact done on 08-24
    OFFICE_AUGUST[0],
    ["O2", "办公室", "2025-08-25", "已完成", "2025-08-24"],
    *OFFICE_AUGUST[2:],
]
OFFICE_SEPTEMBER = [
    OFFICE_AUGUST[0],
    OFFICE_AUGUST_CORRECTED[1],
    ["O3", "办公室", "2025-09-30", "√", ""],  # done, no date: done from this report's date
    OFFICE_AUGUST[3],
    ["O5", "办公室", "2025-10-10", "推进中", ""],
]
RESEARCH_AUGUST = [["R1", "研究室", "2025-08-20", "", ""], ["R2", "研究室", "2025-10-31", "推进中", ""]]
RESEARCH_OCTOBER = [
    ["R1", "研究室", "2025-08-20", "已完成", "2025-09-01"],
    RESEARCH_AUGUST[1],
    ["R3", "研究室", "2025-10-15", "", ""],  # due on its report's 截至 date
]
ACTIVITIES = [
    ["学雷锋志愿服务", "研究室", 20, "2025-08-05", 2, 25],
    ["道德讲堂", "研究室", 30, "", "", 30],  # no date: held by its report's date
]
UPLOADS = [
    Upload(
        "办公室8月.xlsx",
        "2025-08-31",
        (
            ("任务分解", TASKS, OFFICE_AUGUST),
            (
                "问题整改",
                LEDGER,
                [
                    ["P1", "办公室", "2025-08-05", "2025-08-20", "整改中", ""],
                    ["P2", "办公室", "2025-08-28", "2025-09-30", "已销号", ""],  # closed, no date
                ],
            ),
        ),
    ),
    Upload(
        "研究室8月.xlsx",
        "2025-08-20",
        (("任务分解", TASKS, RESEARCH_AUGUST), ("活动登记", REGISTER, ACTIVITIES)),
    ),
    Upload(
        "测评体系自评表.xlsx",
        "2025-09-30",
        (
            (
                "自评",
                SCORES,
                [
                    ["学雷锋活动", "志愿服务制度", 4, 3, "办公室"],
                    ["学雷锋活动", "志愿服务记录", 4, 4, "研究室"],
                    ["道德讲堂建设", "道德讲堂开展", 6, "", "研究室"],  # unscored
                    ["特色指标", "创新做法", 5, 2, "办公室"],  # bonus
                ],
            ),
        ),
    ),
    Upload(
        "办公室9月.xlsx",
        "2025-09-30",
        (
            ("任务分解", TASKS, OFFICE_SEPTEMBER),
            (
                "问题整改",
                LEDGER,
                [
                    ["P1", "办公室", "2025-08-05", "2025-08-20", "已销号", "2025-09-12"],
                    ["P2", "办公室", "2025-08-28", "2025-09-30", "已销号", ""],
                    ["P3", "办公室", "2025-09-20", "2025-10-15", "整改中", ""],
                ],
            ),
        ),
    ),
    Upload(
        "研究室10月.xlsx",
        "2025-10-15",
        (
            ("任务分解", TASKS, RESEARCH_OCTOBER),
            ("活动登记", REGISTER, [*ACTIVITIES, ["我们的节日", "研究室", 15, "2025-10-01", 3, ""]]),
        ),
    ),
    Upload(
        "工会10月.xlsx",
        "2025-10-31",
        (
            (
                "任务分解",
                TASKS,
                [["U1", "工会", "2025-09-10", "已完成", "2025-09-08"], ["U2", "工会", "2025-10-20", "未启动", ""]],
            ),
            ("活动登记", REGISTER, [["健步走", "工会", 40, "2025-10-12", 1, 50]]),
        ),
    ),
    Upload("办公室8月更正.xlsx", "2025-08-31", (("任务分解", TASKS, OFFICE_AUGUST_CORRECTED),)),
    Upload(
        "办公室10月.xlsx",
        "2025-10-31",
        (("任务分解", TASKS, [[*row[:3], "√", ""] for row in OFFICE_SEPTEMBER]),),
        voided=True,
    ),
]
TODAY = dt.date.today()
DAYS = [
    dt.date(2025, 7, 31),  # before any report (a month end)
    dt.date(2025, 8, 20),  # on 研究室's 截至; R1 due that day
    dt.date(2025, 8, 26),  # between reports, before 办公室's first
    dt.date(2025, 8, 31),  # a month end on 办公室's 截至, corrected later
    dt.date(2025, 9, 15),  # between reports
    dt.date(2025, 9, 30),  # a month end on two 截至 dates
    dt.date(2025, 10, 15),  # on 研究室's second 截至; R3 due that day
    dt.date(2025, 10, 31),  # the latest 截至 (and the voided report's)
    dt.date(2025, 11, 30),  # a month end after the last report
    TODAY + dt.timedelta(days=45),  # after today
]


def title(day: str) -> str:
    date = dt.date.fromisoformat(day)
    return f"截至{date.year}年{date.month}月{date.day}日"


def upload_bytes(upload: Upload) -> bytes:
    return workbook(*((name, [[title(upload.dated)], header, *rows]) for name, header, rows in upload.sheets))


def send(store: Store, upload: Upload) -> int:
    """Import one upload, voiding it if it is to be voided; returns its import id."""
    result = store.import_file(upload_bytes(upload), upload.file, user="t", accept_fewer=True)
    assert result.import_id is not None
    if upload.voided:
        assert voids.void_import(store, result.import_id, user="t")
    return result.import_id


class History(NamedTuple):
    store: Store
    stages: list[dict[dt.date, dict[str, Any]]]  # summary at every D before any import, then after each


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[History]:
    store = Store.open(tmp_path_factory.mktemp("matrix") / "matrix.duckdb")
    stages = [{day: summary.build(store, day) for day in DAYS}]
    for upload in UPLOADS:
        send(store, upload)
        stages.append({day: summary.build(store, day) for day in DAYS})
    yield History(store, stages)
    store.close()


def figures(history: History, day: dt.date) -> dict[str, Any]:
    return history.stages[-1][day]


def tasks_of(figures: dict[str, Any]) -> tuple:
    tasks = figures["tasks"]
    return tasks["total"], tasks["done"], tasks["overdue"], tasks["completion_rate"]


# ---------------------------------------------------------------- worked out by hand


def test_the_figures_of_31_august_worked_out_by_hand(history: History) -> None:
    day = dt.date(2025, 8, 31)
    # Tasks. 办公室: its August report and the correction share the 截至 08-31, the later import (the
    # correction) wins: O1 done 08-10, O2 done 08-24, O3 (due 09-30) and O4 (ongoing) open.
    # 研究室: its 08-20 report: R1 due 08-20 < 08-31 not done, overdue; R2 due 10-31.
    # 工会: no report by 08-31; its own first report (10-31) stands in, read through its dates:
    # U1 done 09-08 > 08-31 so not yet done, due 09-10; U2 due 10-20. 8 tasks, 2 done, 1 overdue.
    assert tasks_of(figures(history, day)) == (8, 2, 1, 0.25)
    assert figures(history, day)["tasks"]["ongoing"] == 1
    # Ledger (办公室's 08-31 report; the correction holds no ledger): P1 open, due 08-20 → overdue;
    # P2 已销号 without 销号时间 → closed from its report's date, 08-31.
    issues = figures(history, day)["issues"]
    assert (issues["total"], issues["closed"], issues["open"], issues["overdue"]) == (2, 1, 1, 1)
    # Activities (研究室's 08-20 register): 20 people × 2 h on 08-05, 30 people undated (held by 08-20);
    # 工会's 健步走 (10-12) is not yet held. Attendance (20 + 30) / (25 + 30).
    part = figures(history, day)["participation"]
    assert (part["activities"], part["person_times"], part["volunteer_hours"]) == (2, 50, 40)
    assert part["attendance_rate"] == pytest.approx(50 / 55)
    # Scores: the one report (09-30) stands in: base max 4 + 4 of scored items, score 3 + 4; one unscored
    # item; 特色指标 is bonus (2 of 5), never in the base.
    scores = figures(history, day)["scores"]
    assert (scores["max"], scores["score"], scores["unscored"], scores["bonus_score"]) == (8, 7, 1, 2)


def test_the_figures_of_20_august_worked_out_by_hand(history: History) -> None:
    day = dt.date(2025, 8, 20)
    # Tasks. 办公室 has no report by 08-20: its first import of its earliest date (08-31, not the later
    # correction) stands in: O1 done 08-10; O2 (due 08-25), O3, O4 open. 研究室 (08-20): R1 due 08-20,
    # on D, so not yet overdue; R2. 工会's 10-31 report stands in: U1 done 09-08, after D; U2.
    # 8 tasks, 1 done, none overdue; due soon (08-20 to 08-27, not done): R1 and O2.
    assert tasks_of(figures(history, day)) == (8, 1, 0, 0.125)
    assert figures(history, day)["tasks"]["due_soon"] == 2
    # Ledger (办公室's 08-31 report standing in): P1 found 08-05, due 08-20 = D: open, not overdue;
    # P2 found 08-28, after D: not yet on the ledger.
    issues = figures(history, day)["issues"]
    assert (issues["total"], issues["closed"], issues["open"], issues["overdue"]) == (1, 0, 1, 0)
    # The August review on 08-20 counts both activities held in August: 学雷锋 (08-05, 20 people) and the
    # undated 道德讲堂 (held by its report's date, 08-20, 30 people), as 参与情况's August bar does.
    august = review.build(history.store.query, Period.parse("2025-08"), day).participation
    assert (august["activities"].sum(), august["person_times"].sum()) == (2, 50)


def test_the_figures_of_31_october_worked_out_by_hand(history: History) -> None:
    day = dt.date(2025, 10, 31)
    # Tasks. 办公室's 10-31 report is voided: its 09-30 report is in force. O1, O2 done; O3 √ without a
    # date, done from 09-30; O4 ongoing; O5 due 10-10 < 10-31 → overdue.
    # 研究室 (10-15): R1 done 09-01; R2 due 10-31 = D, not yet overdue; R3 due 10-15 → overdue.
    # 工会 (10-31): U1 done 09-08; U2 due 10-20, not started → overdue. 10 tasks, 5 done, 3 overdue.
    assert tasks_of(figures(history, day)) == (10, 5, 3, 0.5)
    by_department = figures(history, day)["tasks"]["by_department"]
    assert {name: (own["total"], own["done"], own["overdue"]) for name, own in by_department.items()} == {
        "办公室": (5, 3, 1),
        "研究室": (3, 1, 1),
        "工会": (2, 1, 1),
    }
    # Ledger (办公室's 09-30 report): P1 closed 09-12, P2 closed from 09-30, P3 open, due 10-15 → overdue.
    issues = figures(history, day)["issues"]
    assert (issues["total"], issues["closed"], issues["open"], issues["overdue"]) == (3, 2, 1, 1)
    # Activities: 研究室's 10-15 register (20 × 2 h; 30 undated, held by 10-15; 15 × 3 h on 10-01) and
    # 工会's 40 × 1 h on 10-12: 4 activities, 105 person-times, 40 + 45 + 40 hours;
    # attendance over those with an expected count: (20 + 30 + 40) / (25 + 30 + 50).
    part = figures(history, day)["participation"]
    assert (part["activities"], part["person_times"], part["volunteer_hours"]) == (4, 105, 125)
    assert part["attendance_rate"] == pytest.approx(90 / 105)


def test_the_default_date_is_the_latest_report_in_force(history: History) -> None:
    # the voided 10-31 report of 办公室 does not count, 工会's 10-31 report does
    assert at.data_until(history.store.query) == dt.date(2025, 10, 31)


# ---------------------------------------------------------------- a report dated after D never changes D


DEPARTMENT_COLUMNS = ("牵头部门", "责任部门", "组织部门")


def scopes(upload: Upload) -> set[tuple[str, str]]:
    """(sheet kind by its header, department) of every row the upload holds."""
    found = set()
    for _, header, rows in upload.sheets:
        column = next(header.index(name) for name in DEPARTMENT_COLUMNS if name in header)
        found |= {(header[0], str(row[column])) for row in rows}
    return found


def test_no_report_dated_after_d_changes_a_figure_of_d(history: History) -> None:
    """Each import that is not a department's first report of its kinds changes no figure of a date
    before its 截至; the voided import changes nothing at any date."""
    firsts: set[tuple[str, str]] = set()
    for number, upload in enumerate(UPLOADS):
        before, after = history.stages[number], history.stages[number + 1]
        keys = scopes(upload)
        dated = dt.date.fromisoformat(upload.dated)
        first = not keys <= firsts
        firsts |= keys
        if upload.voided:
            assert after == before, upload.file
        elif not first:
            for day in DAYS:
                if day < dated:
                    assert after[day] == before[day], (upload.file, day)


# ---------------------------------------------------------------- every place shows the same figure


def cli_json(*args: str, db: Path) -> dict[str, Any]:
    """What `python -m wenming ARGS --db DB` prints, parsed (run in this process)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main([*args, "--db", str(db)]) == 0
    return json.loads(out.getvalue())


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_the_command_line_prints_the_figures_of_d(history: History, day: dt.date) -> None:
    figures_d = figures(history, day)
    assert cli_json("summary", "--as-of", day.isoformat(), "--json", db=history.store.path) == figures_d
    printed = cli_json(
        "review", "--month", Period.containing(day).code, "--json", "--as-of", day.isoformat(), db=history.store.path
    )
    assert printed["as_of"] == day.isoformat()
    assert printed["current"] == figures_d
    assert printed["previous"] == summary.build(history.store, trend.previous_month_end(day))


def headline_of(figures: dict[str, Any]) -> dict[str, float | None]:
    """The review's headline figures, each read from `summary --json`."""
    tasks, issues = figures["tasks"], figures["issues"]
    return {
        "tasks_total": tasks["total"],
        "tasks_done": tasks["done"],
        "completion_rate": tasks["completion_rate"],
        "overdue": tasks["overdue"],
        "attainment": figures["scores"]["attainment"],
        "issues_open": issues["open"],
        "issues_overdue": issues["overdue"],
        "closing_rate": issues["closing_rate"],
        "person_times": figures["participation"]["person_times"],
        "evidence_coverage": figures["evidence"]["coverage"],
    }


def exported_headline(built: review.Review) -> dict[str, float | None]:
    """The 本期 column of the review's Excel export, by figure."""
    book = openpyxl.load_workbook(io.BytesIO(export.review_workbook(built)))
    header, *body = book[t("review.slide.headline", "zh")].iter_rows(values_only=True)
    names = {t(f"review.figure.{key}", "zh"): key for key in review.FIGURES}
    figure, now = header.index(t("col.figure", "zh")), header.index(t("col.now", "zh"))
    return {names[row[figure]]: row[now] for row in body if row[figure]}


def exported_departments(built: review.Review) -> dict[str, tuple]:
    """Per department: tasks, done and overdue in the review's Excel export."""
    book = openpyxl.load_workbook(io.BytesIO(export.review_workbook(built)))
    header, *body = book[t("review.slide.departments", "zh")].iter_rows(values_only=True)
    columns = [header.index(t(f"col.{c}", "zh")) for c in ("department", "total", "done", "overdue")]
    return {row[columns[0]]: tuple(row[c] for c in columns[1:]) for row in body if row[columns[0]]}


def approx(values: dict[str, float | None]) -> dict[str, Any]:
    return {key: None if value is None else pytest.approx(value) for key, value in values.items()}


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_the_review_of_ds_month_shows_the_figures_of_d(history: History, day: dt.date) -> None:
    figures_d = figures(history, day)
    built = review.build(history.store.query, Period.containing(day), day)
    assert built.as_of == day
    expected = headline_of(figures_d)
    shown = {key: built.figure(key) for key in review.FIGURES}
    assert shown == approx(expected)
    assert exported_headline(built) == approx(expected)
    by_department = figures_d["tasks"]["by_department"]
    own = {name: (d["total"], d["done"], d["overdue"]) for name, d in by_department.items()}
    assert exported_departments(built) == own
    assert review_summaries.summaries(history.store, Period.containing(day), day)["current"] == figures_d


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_the_months_participation_in_the_review_is_the_participation_pages_month(
    history: History, day: dt.date
) -> None:
    """The review's 活动参与 of D's month and 参与情况's bar for that month (figures of D) agree."""
    built = review.build(history.store.query, Period.containing(day), day)
    by_month = history.store.query("participation_by_month", **at.params(day))
    month = by_month[pd.to_datetime(by_month["month"]).dt.date == day.replace(day=1)]
    assert (built.participation["activities"].sum(), built.participation["person_times"].sum()) == (
        month["activities"].sum(),
        month["person_times"].sum(),
    )


MONTH_ENDS = [day for day in DAYS if day == trend.month_end(day) and day <= dt.date(2025, 11, 30)]


def test_each_month_end_point_of_the_trend_is_the_figure_of_that_day(history: History) -> None:
    latest = dt.date(2025, 11, 30)
    series = trend.series(history.store.query, "tasks_summary", latest, months=5).set_index("day")
    issues = trend.series(history.store.query, "issues_summary", latest, months=5).set_index("day")
    for day in MONTH_ENDS:
        point, ledger = series.loc[pd.Timestamp(day)], issues.loc[pd.Timestamp(day)]
        figures_d = figures(history, day)
        assert (point.total, point.done, point.overdue) == tasks_of(figures_d)[:3], day
        assert (ledger.total, ledger.closed, ledger.overdue) == tuple(
            figures_d["issues"][key] for key in ("total", "closed", "overdue")
        ), day


CARDS = {  # 总览's card -> where summary --json holds it
    "completion_rate": ("tasks", "completion_rate"),
    "overdue": ("tasks", "overdue"),
    "attainment": ("scores", "attainment"),
    "open": ("issues", "open"),
    "person_times": ("participation", "person_times"),
}


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_the_overviews_cards_and_their_month_end_are_the_figures_of_d(history: History, day: dt.date) -> None:
    cards = {card.key: card for card in headline.headlines(history.store.query, day, None)}
    now, before = figures(history, day), summary.build(history.store, trend.previous_month_end(day))
    for key, (part, field) in CARDS.items():
        expected = (pytest.approx(now[part][field]), pytest.approx(before[part][field]))
        assert (cards[key].value, cards[key].previous) == expected, key


# ---------------------------------------------------------------- the pages


def zh(key: str) -> str:
    return t(key, "zh")


def rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def count(value: float) -> str:
    return f"{value:,.0f}"


@pytest.fixture
def pages(history: History, monkeypatch: pytest.MonkeyPatch) -> Any:
    return lambda page, **url: opened(history.store.path, monkeypatch, page, **url)


def late(figures: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """Per department with an overdue task or problem: (overdue tasks, overdue problems), from summary."""
    tasks, issues = figures["tasks"]["by_department"], figures["issues"]["by_department"]
    names = {name for name, own in [*tasks.items(), *issues.items()] if own["overdue"]}
    return {name: (tasks.get(name, {}).get("overdue", 0), issues.get(name, {}).get("overdue", 0)) for name in names}


def trend_shown(front: AppTest, day: dt.date) -> dict[str, float]:
    """总览's completion trend: month (2025-08) -> rate, for the month ends this module reads, and its
    last point, D itself, under "D"."""
    (line,) = chart(front, "chart.completion_trend")
    points = zip(line["x"][:-1], line["y"][:-1], strict=True)
    return {**{x: y for x, y in points if x in month_labels(day)}, "D": line["y"][-1]}


def month_labels(day: dt.date) -> dict[str, dt.date]:
    """The trend's labels of the month ends before ``day`` that this module has figures of."""
    return {end.strftime("%Y-%m"): end for end in MONTH_ENDS if end < day and end in trend.points(day)}


def trend_expected(history: History, day: dt.date) -> dict[str, float]:
    ends = {label: figures(history, end)["tasks"]["completion_rate"] for label, end in month_labels(day).items()}
    return {**ends, "D": figures(history, day)["tasks"]["completion_rate"]}


def ledger_in_force(day: dt.date) -> Upload:
    """办公室's ledger report counted at ``day``: its latest dated on or before it, else its first."""
    ledgers = [u for u in UPLOADS if not u.voided and any(h == LEDGER for _, h, _ in u.sheets)]
    dated = [u for u in ledgers if dt.date.fromisoformat(u.dated) <= day]
    return max(dated, key=lambda u: u.dated) if dated else ledgers[0]


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_every_page_shows_the_figures_of_d(history: History, pages: Any, day: dt.date) -> None:
    figures_d = figures(history, day)
    tasks, issues, part, scores = (figures_d[k] for k in ("tasks", "issues", "participation", "scores"))
    url = {"as_of": day.isoformat()}

    front = pages(None, **url)
    source = f"{zh('kind.issues')} ← {ledger_in_force(day).file}（"
    assert [c.value for c in front.caption if source in c.value], source  # where D's ledger is read from
    overview = metrics(front)
    until = t("filter.data_until", "zh", month=10, day=31)  # the latest 截至 in force: 10-31
    assert (until in [c.value for c in front.sidebar.caption]) == (day > dt.date(2025, 10, 31))
    assert trend_shown(front, day) == approx(trend_expected(history, day))
    assert overview[zh("headline.completion_rate")] == rate(tasks["completion_rate"])
    assert overview[zh("headline.overdue")] == count(tasks["overdue"])
    assert overview[zh("headline.attainment")] == rate(scores["attainment"])
    assert overview[zh("headline.open")] == count(issues["open"])
    assert overview[zh("headline.person_times")] == count(part["person_times"])

    task_page = pages("pages/tasks.py", **url)
    assert t("tasks.count", "zh", shown=f"{tasks['total']:,}", total=f"{tasks['total']:,}") in [
        c.value for c in task_page.caption
    ]

    overdue_page = pages("pages/overdue.py", **url)
    ranking = overdue_page.dataframe[0].value.set_index("department")
    assert {name: (row.overdue_tasks, row.overdue_issues) for name, row in ranking.iterrows()} == late(figures_d)
    overdue = metrics(overdue_page)
    assert overdue[zh("overdue.overdue")] == count(tasks["overdue"])
    assert overdue[zh("overdue.due_soon")] == count(tasks["due_soon"])
    assert overdue[zh("overdue.open")] == count(issues["open"])
    assert overdue[zh("overdue.issues_overdue")] == count(issues["overdue"])
    assert overdue[zh("label.closing_rate")] == (rate(issues["closing_rate"]) if issues["total"] else "—")

    score_page = metrics(pages("pages/scores.py", **url))
    assert score_page[zh("scores.score")] == f"{scores['score']:g} + {scores['bonus_score']:g}"
    assert score_page[zh("label.attainment")] == rate(scores["attainment"])
    assert score_page[zh("label.lost")] == f"{scores['max'] - scores['score']:g}"
    assert score_page[zh("label.unscored")] == str(scores["unscored"])

    participation_page = pages("pages/participation.py", **url)
    shown = participation_page.dataframe[0].value.set_index("department")
    assert {name: row.person_times for name, row in shown.iterrows()} == {
        name: own["person_times"] for name, own in part["by_department"].items()
    }
    participation = metrics(participation_page)
    assert participation[zh("label.activities")] == count(part["activities"])
    assert participation[zh("label.person_times")] == count(part["person_times"])
    assert participation[zh("label.volunteer_hours")] == slides.number(part["volunteer_hours"], places=1)
    assert participation[zh("label.attendance_rate")] == rate(part["attendance_rate"])

    meeting = metrics(pages("pages/review.py", **url, period=Period.containing(day).code))
    assert meeting[zh("review.figure.tasks_total")] == count(tasks["total"])
    assert meeting[zh("review.figure.completion_rate")] == rate(tasks["completion_rate"])
    assert meeting[zh("review.figure.overdue")] == count(tasks["overdue"])
    assert meeting[zh("review.figure.issues_open")] == count(issues["open"])
    assert meeting[zh("review.figure.person_times")] == count(part["person_times"])
