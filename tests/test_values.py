"""Value forms of WORKBOOKS.md §4: dates, task and issue statuses, numbers, rates, departments."""

from __future__ import annotations

import datetime as dt

import pytest

from wenming.read import contract, values
from wenming.read.values import DateValue, Number, TaskStatus

D = dt.date
YEAR = 2025  # the reference year: the sheet's 截至 date, else the as-of date

# ---------------------------------------------------------------- dates

DATE_FORMS = [
    # an Excel date cell
    (D(2025, 6, 30), D(2025, 6, 30)),
    (dt.datetime(2025, 6, 30, 17, 30), D(2025, 6, 30)),
    # an Excel serial number between 20000 and 80000
    (45838, D(2025, 6, 30)),
    (45838.0, D(2025, 6, 30)),
    (45838.75, D(2025, 6, 30)),  # a date and time
    (20000, D(1954, 10, 3)),
    (80000, D(2119, 1, 11)),
    ("45838", D(2025, 6, 30)),  # a serial typed into a text cell
    # full dates
    ("2025-06-30", D(2025, 6, 30)),
    ("2025-6-3", D(2025, 6, 3)),
    ("2025/6/30", D(2025, 6, 30)),
    ("2025/06/30", D(2025, 6, 30)),
    ("2025.6.30", D(2025, 6, 30)),
    ("2025年6月30日", D(2025, 6, 30)),
    ("2025年6月30号", D(2025, 6, 30)),
    ("20250630", D(2025, 6, 30)),
    (20250630, D(2025, 6, 30)),
    ("2025-06-30 00:00:00", D(2025, 6, 30)),
    # NFKC and white space
    ("２０２５年６月３０日", D(2025, 6, 30)),
    (" 2025 年 6 月 30 日 ", D(2025, 6, 30)),
    ("2025．6．30", D(2025, 6, 30)),
    # a month: its last day
    ("2025年6月", D(2025, 6, 30)),
    ("2025年6月底", D(2025, 6, 30)),
    ("2025年2月底", D(2025, 2, 28)),
    ("2024年2月底", D(2024, 2, 29)),
    ("2025年11月末", D(2025, 11, 30)),
    ("2025.6", D(2025, 6, 30)),  # as text; the number 2025.6 is ambiguous (see below)
    ("2025-06", D(2025, 6, 30)),
    # no year: the reference year
    ("6月30日", D(YEAR, 6, 30)),
    ("6月底", D(YEAR, 6, 30)),
    ("9月底", D(YEAR, 9, 30)),
    ("2月底", D(YEAR, 2, 28)),
    # the end of the year
    ("年底", D(YEAR, 12, 31)),
    ("年末", D(YEAR, 12, 31)),
    ("12月底", D(YEAR, 12, 31)),
    ("2026年底", D(2026, 12, 31)),
    # quarter ends
    ("一季度末", D(YEAR, 3, 31)),
    ("第一季度", D(YEAR, 3, 31)),
    ("二季度末", D(YEAR, 6, 30)),
    ("第二季度", D(YEAR, 6, 30)),
    ("三季度末", D(YEAR, 9, 30)),
    ("第三季度", D(YEAR, 9, 30)),
    ("四季度末", D(YEAR, 12, 31)),
    ("第四季度", D(YEAR, 12, 31)),
    ("第四季度末", D(YEAR, 12, 31)),
    # trailing 前, 之前, 以前, 止 are ignored
    ("6月底前", D(YEAR, 6, 30)),
    ("2025年6月30日前", D(2025, 6, 30)),
    ("2025年6月30日之前", D(2025, 6, 30)),
    ("2025年6月30日以前", D(2025, 6, 30)),
    ("2025.6.30止", D(2025, 6, 30)),
    ("年底前", D(YEAR, 12, 31)),
    ("三季度末前", D(YEAR, 9, 30)),
    ("2025年6月底以前", D(2025, 6, 30)),
]


@pytest.mark.parametrize("deadline", [True, False], ids=["deadline", "other_date"])
@pytest.mark.parametrize(("value", "expected"), DATE_FORMS, ids=[repr(v) for v, _ in DATE_FORMS])
def test_date_forms(value: object, expected: dt.date, deadline: bool) -> None:
    assert values.parse_date(value, YEAR, deadline=deadline) == DateValue(expected)


def test_reference_year_is_used_for_dates_without_a_year() -> None:
    assert values.parse_date("6月底", 2024).date == D(2024, 6, 30)
    assert values.parse_date("2月底", 2024).date == D(2024, 2, 29)
    assert values.parse_date("年底", 2024).date == D(2024, 12, 31)
    assert values.parse_date("一季度末", 2024).date == D(2024, 3, 31)


ONGOING = ["长期坚持", "长期", "持续推进", "常态化", "每月", "每季度", "每年", "定期", " 长期 坚持 "]


@pytest.mark.parametrize("word", ONGOING)
def test_ongoing_words_make_a_deadline_ongoing(word: str) -> None:
    assert values.parse_date(word, YEAR, deadline=True) == DateValue(None, ongoing=True)


@pytest.mark.parametrize("word", ONGOING)
def test_ongoing_words_are_unknown_for_other_dates(word: str) -> None:
    """done_on, found_on, closed_on and an activity's date are days, never "ongoing"."""
    assert values.parse_date(word, YEAR, deadline=False) == DateValue(None, ongoing=False, ok=False)


UNKNOWN_DATES = [
    "尽快",
    "另行通知",
    "下周",
    "2025年13月",
    "13月底",
    "第五季度",
    2025.6,  # "2025.6" typed into a number cell: June or (as 2025.60) nothing; ambiguous with 2025.1 = October
    19999,  # below the serial range and no date form
    80001,
    True,
    # invalid calendar dates
    "2025年2月30日",
    "2025-02-30",
    "2025/13/1",
    "20250230",
    "2月30日",
    "1800年1月1日",
]


@pytest.mark.parametrize("deadline", [True, False], ids=["deadline", "other_date"])
@pytest.mark.parametrize("value", UNKNOWN_DATES, ids=[repr(v) for v in UNKNOWN_DATES])
def test_unknown_dates_are_flagged(value: object, deadline: bool) -> None:
    assert values.parse_date(value, YEAR, deadline=deadline) == DateValue(None, ok=False)


@pytest.mark.parametrize("value", [None, "", "   ", "\u3000", "/", "-", "—", "无"])
def test_blank_dates(value: object) -> None:
    """Blank, and the placeholders a clerk writes for "not applicable", are no date and no warning."""
    assert values.parse_date(value, YEAR, deadline=True) == DateValue(None)


# ---------------------------------------------------------------- task statuses

DONE, IN_PROGRESS, NOT_STARTED = TaskStatus("done", 1.0), "in_progress", TaskStatus("not_started", 0.0)

TASK_STATUSES = [
    *[(word, DONE) for word in ("已完成", "完成", "已办结", "办结", "已落实", "√", "✓", "✔", "是", "100%")],
    *[(word, TaskStatus(IN_PROGRESS, None)) for word in ("推进中", "正在推进", "进行中", "部分完成", "持续推进")],
    *[(word, NOT_STARTED) for word in (None, "", "  ", "未启动", "未开始", "尚未开展", "未完成", "0%")],
    # percentages strictly between 0 and 100 keep their progress
    ("50%", TaskStatus(IN_PROGRESS, 0.5)),
    ("1%", TaskStatus(IN_PROGRESS, 0.01)),
    ("99.5%", TaskStatus(IN_PROGRESS, 0.995)),
    ("８０％", TaskStatus(IN_PROGRESS, 0.8)),
    ("80 %", TaskStatus(IN_PROGRESS, 0.8)),
    ("100.0%", DONE),
    # numeric cells: a percent-formatted cell arrives as a fraction
    (0.5, TaskStatus(IN_PROGRESS, 0.5)),
    (0.25, TaskStatus(IN_PROGRESS, 0.25)),
    (1, DONE),
    (1.0, DONE),
    (0, NOT_STARTED),
    (0.0, NOT_STARTED),
    (50, TaskStatus(IN_PROGRESS, 0.5)),  # a bare 50 in a 进度 column means 50%
    (100, DONE),
    # NFKC, white space and a closing full stop
    ("已完成。", DONE),
    (" 已 完成 ", DONE),
    ("√ ", DONE),
]


@pytest.mark.parametrize(("value", "expected"), TASK_STATUSES, ids=[repr(v) for v, _ in TASK_STATUSES])
def test_task_status_words(value: object, expected: TaskStatus) -> None:
    got = values.task_status(value)
    assert got.state == expected.state
    assert got.progress == pytest.approx(expected.progress)
    assert got.ok


UNKNOWN_TASK_STATUSES = ["暂缓", "见附件", "已完成一半", "150%", "-5%", 150, -0.5, "×", "否"]


@pytest.mark.parametrize("value", UNKNOWN_TASK_STATUSES, ids=[repr(v) for v in UNKNOWN_TASK_STATUSES])
def test_unknown_task_status_is_not_done_with_a_warning(value: object) -> None:
    assert values.task_status(value) == TaskStatus("other", None, ok=False)
    assert values.task_status(value, done_on_filled=True).state == "other"


@pytest.mark.parametrize("blank", [None, "", " "])
def test_blank_status_with_done_on_is_done(blank: object) -> None:
    assert values.task_status(blank, done_on_filled=True) == DONE


def test_a_written_status_wins_over_done_on() -> None:
    assert values.task_status("推进中", done_on_filled=True).state == IN_PROGRESS
    assert values.task_status("未完成", done_on_filled=True) == NOT_STARTED


# ---------------------------------------------------------------- issue statuses

ISSUE_CLOSED = ["已销号", "销号", "已整改", "整改完成", "已完成", "完成", "√", " 已销号。"]
ISSUE_OPEN = ["整改中", "未销号", "未整改", "部分整改", "正在整改", "×", "待销号", "否"]


@pytest.mark.parametrize("word", ISSUE_CLOSED)
def test_issue_closed_words(word: str) -> None:
    assert values.issue_closed(word)


@pytest.mark.parametrize("word", ISSUE_OPEN)
def test_other_issue_statuses_are_open(word: str) -> None:
    assert not values.issue_closed(word)
    assert not values.issue_closed(word, closed_on_filled=True)


@pytest.mark.parametrize("blank", [None, "", "  "])
def test_blank_issue_status_is_closed_only_with_closed_on(blank: object) -> None:
    assert not values.issue_closed(blank)
    assert values.issue_closed(blank, closed_on_filled=True)


# ---------------------------------------------------------------- numbers

NUMBERS = [
    ("35人", 35),
    ("35 人次", 35),
    ("35名", 35),
    ("2.5小时", 2.5),
    ("2.5 h", 2.5),
    ("85%", 0.85),
    ("８５％", 0.85),
    ("4分", 4),
    (35, 35),
    (2.5, 2.5),
    ("35", 35),
    ("1,200", 1200),
    ("-2", -2),
    (None, None),
    ("", None),
    ("/", None),
]


@pytest.mark.parametrize(("value", "expected"), NUMBERS, ids=[repr(v) for v, _ in NUMBERS])
def test_numbers(value: object, expected: float | None) -> None:
    got = values.parse_number(value)
    assert got.ok
    assert got.value == pytest.approx(expected)


@pytest.mark.parametrize("value", ["35-40人", "若干", True, "35人左右", "三十五个半"])
def test_unknown_numbers_are_flagged(value: object) -> None:
    assert values.parse_number(value) == Number(None, ok=False)


RATES = [
    ("92.5%", 0.925),
    (0.925, 0.925),
    ("0.925", 0.925),
    (92.5, 0.925),
    ("92.5", 0.925),
    ("100%", 1.0),
    (1, 1.0),
    (0, 0.0),
    ("", None),
]


@pytest.mark.parametrize(("value", "expected"), RATES, ids=[repr(v) for v, _ in RATES])
def test_survey_rates_as_percent_or_fraction(value: object, expected: float | None) -> None:
    got = values.parse_rate(value)
    assert got.ok
    assert got.value == pytest.approx(expected)


@pytest.mark.parametrize("value", ["120%", 150, -0.1, "很高"])
def test_impossible_rates_are_flagged(value: object) -> None:
    assert values.parse_rate(value) == Number(None, ok=False)


# ---------------------------------------------------------------- departments

DEPARTMENTS = [
    ("办公室", "办公室"),
    ("办 公 室 ", "办公室"),
    ("\u3000办公室\u3000", "办公室"),
    ("办公室、研究室", "办公室"),
    ("办公室，研究室", "办公室"),
    ("办公室,研究室", "办公室"),
    ("办公室；研究室", "办公室"),
    ("办公室/研究室", "办公室"),
    ("办公室\n研究室", "办公室"),  # one department per line (Alt+Enter)
    (" 办 公 室 、 研究室", "办公室"),
    ("ＩＴ中心", "IT中心"),  # NFKC
    ("、办公室", "办公室"),  # a stray separator first
    (None, None),
    ("", None),
    ("  ", None),
]


@pytest.mark.parametrize(("value", "expected"), DEPARTMENTS, ids=[repr(v) for v, _ in DEPARTMENTS])
def test_department_is_the_lead_with_white_space_removed(value: object, expected: str | None) -> None:
    assert values.department(value) == expected


ALIASES = {"五阳矿": "五阳煤矿", "办公室": "党政办公室"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("五阳矿", "五阳煤矿"),
        ("五 阳 矿", "五阳煤矿"),
        ("五阳矿、办公室", "五阳煤矿"),
        ("办公室、五阳矿", "党政办公室"),
        ("五阳煤矿", "五阳煤矿"),
        ("研究室", "研究室"),
    ],
)
def test_department_aliases(value: str, expected: str) -> None:
    assert values.department(value, ALIASES) == expected


# ---------------------------------------------------------------- reference date


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["2025年上半年文明创建任务推进表", "（截至2025年6月30日）"], D(2025, 6, 30)),
        (["截至：2025年5月31日"], D(2025, 5, 31)),
        (["截止到2025年5月"], D(2025, 5, 31)),
        (["统计截至 2024-12-31"], D(2024, 12, 31)),
        (["截至2025.3.31"], D(2025, 3, 31)),
        (["截至２０２５年６月底"], D(2025, 6, 30)),
        (["截至目前"], None),
        (["任务分解表"], None),
        ([], None),
    ],
)
def test_reference_date_in_title_rows(texts: list[str], expected: dt.date | None) -> None:
    assert values.reference_date(texts) == expected


def test_contract_words_are_all_parsed() -> None:
    """Every word the contract lists is understood by the parser it belongs to."""
    for word in contract.TASK_DONE:
        assert values.task_status(word).state == "done"
    for word in contract.TASK_IN_PROGRESS:
        assert values.task_status(word).state == IN_PROGRESS
    for word in contract.TASK_NOT_STARTED:
        assert values.task_status(word).state == "not_started"
    for word in contract.ISSUE_CLOSED:
        assert values.issue_closed(word)
    for word in contract.ONGOING_WORDS:
        assert values.parse_date(word, YEAR, deadline=True).ongoing
