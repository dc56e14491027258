"""The embedded demo: sample trackers of a fictional 集团 and the blank templates, one per sheet kind.

``write_all()`` writes the five sample workbooks of ``data/sample/`` (imported in
file-name order into an empty database when the dashboard starts unconfigured)
and the six templates of ``data/templates/``. The samples look like what a real
创建办 collects, in the messy shapes WORKBOOKS.md describes: title rows with a
截至 date, merged 测评项目 cells, deadlines written a dozen ways, statuses as
words, ticks and percentages, subtotal and footer rows, one unreadable deadline
(待定), one unknown status (基本完成) and one score above its maximum.

Everything is deterministic: a fixed seed, fixed dates, and the .xlsx files are
written with fixed timestamps so regenerating them changes no byte. The record
builders (``task_rows``, ``sample_issues``, …) are public so tests can derive the
expected figures, and ``task_rows(n)`` can produce a tracker of any size for a
benchmark.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import random
import re
import tomllib
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = ROOT / "data" / "sample"
TEMPLATE_DIR = ROOT / "data" / "templates"

TABLES = Path(__file__).resolve().parent / "data"  # the tables of names, items and tasks


def load_table(name: str) -> dict[str, Any]:
    """One data file of the package, ``data/<name>.toml``."""
    with (TABLES / f"{name}.toml").open("rb") as file:
        return tomllib.load(file)


_org = load_table("org")
ORG: str = _org["name"]
YEAR = 2026
AS_OF = dt.date(2026, 11, 20)
AS_OF_LINE = "（截至2026年11月20日）"
SEED = 20261120
ZIP_TIME = (2026, 11, 20, 9, 0, 0)
CORE_TIME = "2026-11-20T09:00:00Z"

MINES: tuple[str, ...] = tuple(_org["mines"])
UNITS: tuple[str, ...] = tuple(_org["units"])
DEPARTMENTS: tuple[str, ...] = (*_org["offices"], *UNITS)
HEADCOUNT: dict[str, int] = _org["headcount"]
# How far behind each department runs: higher means more late and unfinished work.
LAG: dict[str, float] = _org["lag"]
OWNERS: dict[str, tuple[str, ...]] = {department: tuple(names) for department, names in _org["owners"].items()}


class Fmt(NamedTuple):
    """A cell value with the number format it is written with (percentages, dates)."""

    value: object
    number_format: str


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _weighted(rng: random.Random, options: Sequence[tuple[object, float]]) -> object:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


# ---------------------------------------------------------------- the evaluation system


@dataclass(frozen=True)
class Item:
    """One 测评内容 of the 2012 《全国文明单位测评体系》, its self-assessment and its tasks."""

    category: str
    text: str
    points: int
    method: str
    department: str  # 责任部门 of the item
    leads: tuple[str, ...]  # plausible lead departments of its tasks
    tasks: tuple[str, ...]
    lost: float = 0.0  # points lost in the self-assessment
    reason: str = ""  # 失分原因
    unscored: bool = False  # not yet assessed (blank 自评得分)
    written: float | None = None  # a score written by mistake instead of points - lost

    @property
    def score(self) -> float | None:
        """The self-assessed score as the engine should read it (None: unscored or invalid)."""
        if self.unscored or (self.written is not None and self.written > self.points):
            return None
        return self.points - self.lost if self.written is None else self.written

    @property
    def score_cell(self) -> float | None:
        """What the clerk wrote in 自评得分."""
        if self.unscored:
            return None
        return self.written if self.written is not None else self.points - self.lost


BASE_CLASS = "基本指标"
BONUS_CLASS = "特色指标（加分项）"
P, G = "党委宣传部", "工会"  # the two departments that lead most items


def _item(row: dict[str, object]) -> Item:
    return Item(**{key: tuple(value) if isinstance(value, list) else value for key, value in row.items()})


_items = load_table("items")
ITEMS: tuple[Item, ...] = tuple(_item(row) for row in _items["item"])
BONUS_ITEMS: tuple[Item, ...] = tuple(_item(row) for row in _items["bonus"])

CATEGORIES: tuple[str, ...] = tuple(dict.fromkeys(item.category for item in ITEMS))


# ---------------------------------------------------------------- tasks


@dataclass
class Task:
    """One row of the 任务分解表: the values as written and what they mean."""

    category: str
    item: str
    text: str
    lead: str  # the lead department (what the engine should read)
    lead_cell: str  # as written: may list two departments or hold stray spaces
    helpers: str
    owner: str
    deadline: object  # the 完成时限 cell as written
    due: dt.date | None  # None: ongoing or unknown
    ongoing: bool
    status: object  # the 完成情况 cell as written (text, number or Fmt)
    done: bool
    done_on: dt.date | None
    done_cell: object
    evidence: str = ""
    note: str = ""

    @property
    def overdue(self) -> bool:
        return not self.done and self.due is not None and self.due < AS_OF

    @property
    def due_soon(self) -> bool:
        return not self.done and self.due is not None and AS_OF <= self.due <= AS_OF + dt.timedelta(days=7)


ONGOING_DEADLINES = (("长期坚持", 5), ("常态化", 3), ("每月", 2), ("每季度", 1))
QUARTER_WORDS = {3: "一季度末", 6: "二季度末", 9: "三季度末", 12: "四季度末"}
DONE_MONTH_WEIGHTS = (3, 3, 9, 6, 7, 12, 6, 7, 11, 8, 5)  # Jan..Nov: peaks at 学雷锋月, 6月底, 9月底
_notes = load_table("task_notes")
# Forms every sample shows at least once (rewriting a task due that day; the meaning is unchanged).
SHOWCASE_DEADLINES: dict[str, dt.date] = _notes["showcase_deadlines"]
UNKNOWN_DEADLINE = "待定"
UNKNOWN_STATUS = "基本完成"
EVIDENCE: tuple[str, ...] = tuple(_notes["evidence"])
OVERDUE_NOTES: tuple[str, ...] = tuple(_notes["overdue_notes"])


def deadline_cell(due: dt.date, rng: random.Random) -> object:
    """One of the ways a clerk writes a due date; each parses back to ``due``."""
    y, m, d = due.year, due.month, due.day
    forms: list[tuple[object, float]] = [(due, 6), (f"{y}.{m}.{d}", 1), (f"{y}年{m}月{d}日前", 1)]
    if due == month_end(y, m):
        forms += [(f"{m}月底前", 3), (f"{y}年{m}月底", 2)]
        if m in QUARTER_WORDS:
            forms.append((QUARTER_WORDS[m], 2))
        if m == 12:
            forms.append(("年底前", 5))
    return _weighted(rng, forms)


def _percent(rng: random.Random) -> object:
    """A progress percentage: text "60%" or a percent-formatted number cell."""
    share = rng.choice((20, 30, 40, 50, 60, 70, 80, 90))
    return f"{share}%" if rng.random() < 0.5 else Fmt(share / 100, "0%")


def _done_date(rng: random.Random) -> dt.date:
    month = rng.choices(range(1, 12), weights=DONE_MONTH_WEIGHTS)[0]
    last = AS_OF.day - 1 if month == AS_OF.month else 28
    return dt.date(YEAR, month, rng.randint(1, last))


def _done_due(done_on: dt.date, rng: random.Random) -> dt.date | None:
    """The deadline of a finished task: mostly on or after the day it was done."""
    r = rng.random()
    if r < 0.12:
        return None  # ongoing
    if r < 0.2 and done_on.month > 1:
        return month_end(YEAR, done_on.month - 1)  # finished late
    if r < 0.45:
        return min(done_on + dt.timedelta(days=rng.randint(3, 40)), dt.date(YEAR, 12, 31))
    return month_end(YEAR, min(done_on.month + rng.choice((0, 0, 1, 1, 2, 3)), 12))


def _overdue_due(rng: random.Random) -> dt.date:
    month = rng.choices(range(3, 12), weights=(1, 1, 1, 2, 1, 1, 2, 3, 3))[0]
    if month == AS_OF.month:
        return dt.date(YEAR, month, rng.randint(5, AS_OF.day - 1))
    if rng.random() < 0.6:
        return month_end(YEAR, month)
    return dt.date(YEAR, month, rng.randint(10, 25))


OPEN_DUES = (
    (dt.date(2026, 11, 20), 1),
    (dt.date(2026, 11, 24), 1),
    (dt.date(2026, 11, 26), 1),
    (dt.date(2026, 11, 30), 2),
    (dt.date(2026, 12, 15), 1),
    (dt.date(2026, 12, 20), 1),
    (dt.date(2026, 12, 31), 5),
)


def _states(leads: list[str], n: int, rng: random.Random) -> list[str]:
    """done / overdue / open for each task: exact shares, the late ones among lagging departments."""
    overdue_n = max(1, round(n * 0.085))
    open_n = n - round(n * 0.70) - overdue_n
    states = ["done"] * n
    late = sorted(range(n), key=lambda i: -(LAG[leads[i]] + rng.gauss(0, 0.3)))
    for i in late[:overdue_n]:
        states[i] = "overdue"
    rest = sorted(late[overdue_n:], key=lambda i: -(LAG[leads[i]] * 0.5 + rng.gauss(0, 0.4)))
    for i in rest[:open_n]:
        states[i] = "open"
    return states


def _helpers(lead: str, rng: random.Random) -> str:
    if rng.random() < 0.12:
        return "各基层单位"
    others = [d for d in DEPARTMENTS if d != lead]
    return "、".join(rng.sample(others, rng.choice((0, 1, 1, 2))))


def _fill_task(task: Task, state: str, rng: random.Random) -> None:
    """Deadline, status, done date and notes that fit the task's state."""
    if state == "done":
        task.done = True
        task.done_on = _done_date(rng)
        task.due = _done_due(task.done_on, rng)
        task.status = _weighted(rng, (("已完成", 7), ("√", 2), ("完成", 1)))
        task.evidence = rng.choice(EVIDENCE)
        if rng.random() < 0.06:
            task.done_on = None  # done, but nobody wrote down when
    elif state == "overdue":
        task.due = _overdue_due(rng)
        task.status = _weighted(rng, (("推进中", 4), ("部分完成", 2), ("未启动", 1), ("", 1), ("pct", 2)))
        task.note = rng.choice(OVERDUE_NOTES)
    else:
        if rng.random() < 0.45:
            task.due = None
            task.status = _weighted(rng, (("推进中", 4), ("持续推进", 2), ("部分完成", 1), ("pct", 1)))
        else:
            task.due = _weighted(rng, OPEN_DUES)
            task.status = _weighted(rng, (("推进中", 4), ("部分完成", 1), ("未启动", 2), ("", 2), ("pct", 3)))
    if task.status == "pct":
        task.status = _percent(rng)
    task.ongoing = task.due is None
    task.deadline = _weighted(rng, ONGOING_DEADLINES) if task.ongoing else deadline_cell(task.due, rng)
    if task.done_on is not None:
        task.done_cell = f"{YEAR}年{task.done_on.month}月{task.done_on.day}日" if rng.random() < 0.1 else task.done_on


def _spaced(name: str) -> str:
    """A department typed with stray spaces: 集团办公室 -> "集团 办公室 "."""
    return f"{name[:2]} {name[2:]} "


def task_rows(n: int | None = None, seed: int = SEED) -> list[Task]:
    """The rows of a 任务分解表: the catalogue's tasks, or ``n`` rows cycling through it.

    Rows keep catalogue order (each 测评项目 and 测评内容 contiguous, so they can be
    merged). About 70% are done and 8.5% overdue on AS_OF, the late work falling on
    the lagging departments; exactly one deadline is 待定 and one status 基本完成.
    """
    rng = random.Random(seed)
    specs = [(item, text) for item in ITEMS for text in item.tasks]
    n = len(specs) if n is None else n
    picked = [specs[i * len(specs) // n] for i in range(n)]
    leads = [rng.choice(item.leads[:1] * 2 + item.leads) for item, _ in picked]  # the first lead most often
    states = _states(leads, n, rng)
    tasks: list[Task] = []
    for (item, text), lead, state in zip(picked, leads, states, strict=True):
        task = Task(
            category=item.category,
            item=item.text,
            text=text,
            lead=lead,
            lead_cell=lead,
            helpers=_helpers(lead, rng),
            owner=rng.choice(OWNERS[lead]),
            deadline=None,
            due=None,
            ongoing=False,
            status="",
            done=False,
            done_on=None,
            done_cell=None,
        )
        _fill_task(task, state, rng)
        tasks.append(task)
    _add_quirks(tasks, states, rng)
    return tasks


def _add_quirks(tasks: list[Task], states: list[str], rng: random.Random) -> None:
    """The irregular cells every real tracker has, each placed deterministically."""
    index = {state: [i for i, s in enumerate(states) if s == state] for state in ("done", "overdue", "open")}
    december = [i for i in index["open"] if tasks[i].due is not None and tasks[i].due.month == 12]
    tbd = tasks[rng.choice(december or index["open"] or index["overdue"])]
    tbd.deadline, tbd.due, tbd.ongoing = UNKNOWN_DEADLINE, None, False
    tasks[rng.choice(index["overdue"])].status = UNKNOWN_STATUS
    dated = [i for i in index["done"] if tasks[i].done_on is not None]
    for i in rng.sample(dated, min(len(dated), max(1, round(len(tasks) * 0.035)))):
        tasks[i].status = ""  # done, as the 完成日期 says
    for i in rng.sample(range(len(tasks)), min(len(tasks), max(1, round(len(tasks) * 0.04)))):
        partner = "工会" if tasks[i].lead != "工会" else "团委"
        tasks[i].lead_cell = f"{tasks[i].lead}、{partner}"
    for text, due in SHOWCASE_DEADLINES.items():
        same_day = [t for t in tasks if t.due == due]
        if same_day and not any(t.deadline == text for t in same_day):
            rng.choice(same_day).deadline = text
    office = [i for i, t in enumerate(tasks) if t.lead == "集团办公室" and t.lead_cell == t.lead]
    others = [i for i, t in enumerate(tasks) if t.lead != "集团办公室" and t.lead_cell == t.lead]
    for i in rng.sample(office, min(2, len(office))) + rng.sample(others, min(1, len(others))):
        tasks[i].lead_cell = _spaced(tasks[i].lead)


# ---------------------------------------------------------------- issues


@dataclass(frozen=True)
class Problem:
    text: str
    measure: str
    department: str
    source: str = ""  # "" means the month's inspection
    long_term: bool = False  # 整改时限 长期坚持


_inspections = load_table("problems")["inspection"]
PROBLEMS: tuple[Problem, ...] = tuple(Problem(**row) for found in _inspections for row in found["problems"])
# The monthly inspections (督查) and how many of PROBLEMS each found, in order.
INSPECTIONS: tuple[tuple[dt.date, int], ...] = tuple((found["on"], len(found["problems"])) for found in _inspections)
QUARTERLY_MONTHS = (3, 6, 9)
TEXT_FOUND_MONTH = 4  # that month's inspection is written "2026年4月"


@dataclass
class Issue:
    """One row of the 问题整改台账."""

    problem: Problem
    found_on: dt.date
    found_cell: object
    source: str
    deadline: object
    due: dt.date | None
    status: str
    closed: bool
    closed_on: dt.date | None

    @property
    def overdue(self) -> bool:
        return not self.closed and self.due is not None and self.due < AS_OF


def _found(problem: Problem, inspection: dt.date, rng: random.Random) -> tuple[dt.date, object, str]:
    """When and how a problem was found: the month's inspection, or a complaint or a visit in between."""
    if problem.source:
        day = inspection - dt.timedelta(days=rng.randint(3, 12))
        return day, day, problem.source
    source = "季度测评" if inspection.month in QUARTERLY_MONTHS and rng.random() < 0.6 else "月度督查"
    if inspection.month == TEXT_FOUND_MONTH:
        return month_end(YEAR, inspection.month), f"{YEAR}年{inspection.month}月", source
    return inspection, inspection, source


def sample_issues(seed: int = SEED + 1) -> list[Issue]:
    """About 70% struck off; the open ones fall on recent inspections and lagging departments."""
    rng = random.Random(seed)
    found = []
    problems = iter(PROBLEMS)
    for inspection, count in INSPECTIONS:
        for _ in range(count):
            problem = next(problems)
            found.append((problem, *_found(problem, inspection, rng)))
    n = len(found)
    open_n = n - round(n * 0.70)
    recency = {p: i / n for i, (p, *_) in enumerate(found)}
    forced = [p for p, *_ in found if p.long_term]
    ranked = sorted(
        (p for p, *_ in found if not p.long_term),
        key=lambda p: -(recency[p] * 1.6 + LAG[p.department] * 0.6 + rng.gauss(0, 0.25)),
    )
    still_open = set(forced) | set(ranked[: open_n - len(forced)])
    return [_issue(p, on, cell, source, p not in still_open, rng) for p, on, cell, source in found]


def _issue(
    problem: Problem, found_on: dt.date, found_cell: object, source: str, closed: bool, rng: random.Random
) -> Issue:
    if problem.long_term:
        due, deadline = None, "长期坚持"
    else:
        due = found_on + dt.timedelta(days=rng.choice((10, 15, 15, 20, 30)))
        if rng.random() < 0.25:
            due = month_end(due.year, due.month)
            deadline = rng.choice((f"{YEAR}年{due.month}月底", f"{due.month}月底前"))
        else:
            deadline = due
    if closed:
        closed_on = min(found_on + dt.timedelta(days=rng.randint(4, 35)), AS_OF - dt.timedelta(days=1))
        status = _weighted(rng, (("已销号", 5), ("已整改", 3), ("√", 1), ("", 1)))
    else:
        closed_on = None
        status = _weighted(rng, (("整改中", 5), ("正在整改", 1), ("未整改", 1)))
    return Issue(problem, found_on, found_cell, source, deadline, due, status, closed, closed_on)


# ---------------------------------------------------------------- activities

VOLUNTEER, LEI_FENG, MORAL, FESTIVAL, SPORTS, THEORY = (
    "志愿服务",
    "学雷锋活动",
    "道德讲堂",
    "我们的节日",
    "文体活动",
    "理论学习",
)
SERVICE_TYPES = (VOLUNTEER, LEI_FENG)  # the types with 人均服务时长

_activities = load_table("activities")
ACTIVITY_NAMES: dict[str, tuple[str, ...]] = {kind: tuple(names) for kind, names in _activities["names"].items()}
# (day of the festival, names of its activities); events are held in the days before it.
FESTIVALS: tuple[tuple[dt.date, tuple[str, ...]], ...] = tuple(
    (festival["day"], tuple(festival["names"])) for festival in _activities["festivals"]
)
SPECIAL_EVENTS: tuple[tuple[dt.date, str, str, str], ...] = tuple(
    (event["on"], event["name"], event["type"], event["department"]) for event in _activities["special_events"]
)
# Who organises each type (weights), and the turnout range at a mine.
ORGANISERS: dict[str, tuple[tuple[str, float], ...]] = {
    kind: tuple(weights.items()) for kind, weights in _activities["organisers"].items()
}
MINE_TURNOUT: dict[str, tuple[int, int]] = {kind: tuple(span) for kind, span in _activities["turnout"].items()}
# How many activities of each type are spread over the year (besides festivals and special events).
YEARLY: dict[str, int] = _activities["yearly"]
LEI_FENG_MONTH: int = _activities["lei_feng_month"]  # extra 学雷锋 activities in March


@dataclass
class Activity:
    """One row of the 活动登记表."""

    on: dt.date
    name: str
    type: str
    department: str
    people: int
    expected: int | None
    hours_each: float | None
    date_cell: object = None
    people_cell: object = None
    hours_cell: object = None


def _people(department: str, kind: str, rng: random.Random) -> int:
    """Turnout: most of a small department, a slice of a mine."""
    size = HEADCOUNT[department]
    if size < 100:
        return rng.randint(max(5, size * 4 // 10), size)
    low, high = MINE_TURNOUT[kind]
    scale = 0.6 if department == "化工公司" else 1.0
    return rng.randint(int(low * scale), int(high * scale))


def _random_day(rng: random.Random, start: dt.date = dt.date(YEAR, 1, 4), end: dt.date = AS_OF) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _plan(rng: random.Random) -> list[tuple[dt.date, str, str, str]]:
    """(date, name, type, department) of every activity of the year."""
    plan = list(SPECIAL_EVENTS)
    for festival, names in FESTIVALS:
        for department in rng.sample([d for d, _ in ORGANISERS[FESTIVAL]], rng.randint(3, 5)):
            plan.append((festival - dt.timedelta(days=rng.randint(0, 5)), rng.choice(names), FESTIVAL, department))
    for _ in range(LEI_FENG_MONTH):
        day = _random_day(rng, dt.date(YEAR, 3, 1), dt.date(YEAR, 3, 31))
        plan.append((day, rng.choice(ACTIVITY_NAMES[LEI_FENG]), LEI_FENG, _weighted(rng, ORGANISERS[LEI_FENG])))
    for kind, count in YEARLY.items():
        for _ in range(count):
            plan.append((_random_day(rng), rng.choice(ACTIVITY_NAMES[kind]), kind, _weighted(rng, ORGANISERS[kind])))
    for month in range(1, 12):
        day = min(dt.date(YEAR, month, 25), AS_OF - dt.timedelta(days=2))
        plan.append((day, "党委理论学习中心组学习", THEORY, P))
    return sorted(plan, key=lambda a: (a[0], a[3], a[1]))


def sample_activities(seed: int = SEED + 2) -> list[Activity]:
    """About 160 activities from January to AS_OF, crowded around 学雷锋月 and the festivals."""
    rng = random.Random(seed)
    activities = []
    for on, name, kind, department in _plan(rng):
        people = _people(department, kind, rng)
        expected = people + rng.randint(0, max(2, people // 8)) if rng.random() < 0.5 else None
        hours = rng.choice((1.5, 2, 2, 2.5, 3, 4)) if kind in SERVICE_TYPES else None
        activity = Activity(on, name, kind, department, people, expected, hours)
        activity.date_cell = f"{on.year}年{on.month}月{on.day}日" if rng.random() < 0.15 else on
        activity.people_cell = f"{people}人" if rng.random() < 0.4 else people
        if hours is not None:
            activity.hours_cell = f"{hours:g}小时" if rng.random() < 0.5 else hours
        activities.append(activity)
    return activities


# ---------------------------------------------------------------- headcount and surveys

RATE_NAMES = ("知晓率", "参与率", "支持率", "满意度")
RATE_RANGES = ((0.90, 0.99), (0.82, 0.96), (0.95, 0.995), (0.88, 0.97))


@dataclass
class Survey:
    department: str
    respondents: int
    rates: tuple[float, ...]  # in the order of RATE_NAMES, as fractions
    cells: tuple[object, ...]  # as written


def _rate_cell(rate: float, rng: random.Random) -> object:
    """ "92.5%" as text, 0.925 in a percent format, or 92.5 meaning 92.5%."""
    return _weighted(rng, ((f"{rate * 100:.1f}%", 2), (Fmt(rate, "0.0%"), 2), (round(rate * 100, 1), 1)))


def sample_surveys(seed: int = SEED + 3) -> list[Survey]:
    rng = random.Random(seed)
    rows = []
    for department in DEPARTMENTS:
        size = HEADCOUNT[department]
        respondents = size - rng.randint(0, 2) if size < 100 else rng.randint(size // 8, size // 5)
        drag = LAG[department] * 0.03
        rates = tuple(round(rng.uniform(low, high) - drag, 3) for low, high in RATE_RANGES)
        rows.append(Survey(department, respondents, rates, tuple(_rate_cell(r, rng) for r in rates)))
    return rows


# ---------------------------------------------------------------- writing sheets

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TITLE_FONT = Font(name="宋体", size=16, bold=True)
SUBTITLE_FONT = Font(name="宋体", size=11)
HEADER_FONT = Font(name="宋体", size=11, bold=True)
BODY_FONT = Font(name="宋体", size=10.5)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
DATE_FORMAT = "yyyy-mm-dd"


@dataclass(frozen=True)
class Layout:
    """The header of one sheet kind: column names, widths and which columns hold long text."""

    header: tuple[str, ...]
    widths: tuple[float, ...]
    wrap: tuple[int, ...] = ()  # 1-based columns aligned left and wrapped


TASKS_LAYOUT = Layout(
    (
        "序号",
        "测评项目",
        "测评内容",
        "工作任务",
        "牵头部门",
        "配合部门",
        "责任人",
        "完成时限",
        "完成情况",
        "完成日期",
        "佐证材料",
        "备注",
    ),
    (6, 14, 30, 40, 14, 18, 9, 14, 10, 12, 18, 16),
    (3, 4, 6, 11, 12),
)
SCORES_LAYOUT = Layout(
    ("测评类别", "测评项目", "测评内容", "测评方法", "分值", "自评得分", "失分原因", "责任部门"),
    (12, 16, 44, 10, 7, 9, 30, 12),
    (3, 7),
)
ISSUES_LAYOUT = Layout(
    ("序号", "督查时间", "问题来源", "存在问题", "责任部门", "整改措施", "整改时限", "整改情况", "销号时间"),
    (6, 12, 10, 40, 12, 32, 12, 10, 12),
    (4, 6),
)
ACTIVITIES_LAYOUT = Layout(
    ("序号", "活动日期", "活动名称", "活动类型", "组织部门", "应参加人数", "参加人数", "人均服务时长"),
    (6, 13, 34, 12, 12, 11, 10, 12),
    (3,),
)
HEADCOUNT_LAYOUT = Layout(("部门", "在职人数"), (16, 12))
SURVEYS_LAYOUT = Layout(("部门", "有效问卷", *RATE_NAMES), (16, 10, 10, 10, 10, 10))


def put(ws: Worksheet, row: int, column: int, value: object) -> None:
    """Write one value; dates get a date format, Fmt values their own format."""
    if value is None or value == "":
        return
    cell = ws.cell(row=row, column=column)
    if isinstance(value, Fmt):
        cell.value, cell.number_format = value.value, value.number_format
    else:
        cell.value = value
        if isinstance(value, dt.date):
            cell.number_format = DATE_FORMAT


def write_titles(ws: Worksheet, titles: Sequence[str], width: int) -> None:
    """Title rows merged across the table, the first one large."""
    for row, title in enumerate(titles, start=1):
        cell = ws.cell(row=row, column=1, value=title)
        cell.font = TITLE_FONT if row == 1 else SUBTITLE_FONT
        cell.alignment = Alignment(horizontal="center", vertical="center")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    ws.row_dimensions[1].height = 30


def write_header(ws: Worksheet, row: int, layout: Layout) -> None:
    """A bold, filled header row with column widths, frozen so it stays visible."""
    for column, (name, width) in enumerate(zip(layout.header, layout.widths, strict=True), start=1):
        cell = ws.cell(row=row, column=column, value=name)
        cell.font, cell.fill, cell.border, cell.alignment = HEADER_FONT, HEADER_FILL, BORDER, CENTER
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = ws.cell(row=row + 1, column=1)


def write_rows(ws: Worksheet, first: int, rows: Sequence[Sequence[object]], layout: Layout) -> int:
    """Data rows with borders; returns the row after the last."""
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            put(ws, first + offset, column, value)
    style_block(ws, first, first + len(rows) - 1, layout)
    return first + len(rows)


def style_block(ws: Worksheet, first: int, last: int, layout: Layout) -> None:
    for row in ws.iter_rows(min_row=first, max_row=last, max_col=len(layout.header)):
        for cell in row:
            cell.border, cell.font = BORDER, BODY_FONT
            cell.alignment = LEFT if cell.column in layout.wrap else CENTER


def merge_runs(ws: Worksheet, column: int, first: int, keys: Sequence[object]) -> None:
    """Merge vertically each run of equal keys in ``column`` (the top cell keeps the value)."""
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            if i - start > 1:
                ws.merge_cells(start_row=first + start, start_column=column, end_row=first + i - 1, end_column=column)
            start = i


def write_footer(ws: Worksheet, row: int, lines: Sequence[str]) -> None:
    """Lines under the table (填表人, 联系电话, 注), after one empty row."""
    for offset, line in enumerate(lines, start=1):
        ws.cell(row=row + offset, column=1, value=line).alignment = Alignment(horizontal="left")


def total_row(ws: Worksheet, row: int, layout: Layout, values: dict[int, object], label_span: int = 1) -> None:
    """A 合计 row: the label in column A (merged over ``label_span`` columns) and some totals."""
    ws.cell(row=row, column=1, value="合计")
    for column, value in values.items():
        put(ws, row, column, value)
    style_block(ws, row, row, layout)
    for cell in ws[row][: len(layout.header)]:
        cell.font = HEADER_FONT
    if label_span > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=label_span)


def save(book: Workbook, path: Path) -> Path:
    """Save with fixed timestamps, so the same content always gives the same bytes."""
    book.properties.creator = book.properties.last_modified_by = "华晋能源集团创建办"
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(_fixed_zip(buffer.getvalue()))
    return path


def _fixed_zip(data: bytes) -> bytes:
    stamp = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = stamp.sub(rb"\g<1>" + CORE_TIME.encode() + rb"\g<3>", content)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=ZIP_TIME), content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def new_book() -> Workbook:
    book = Workbook()
    book.remove(book.active)
    return book


# ---------------------------------------------------------------- the sample workbooks

INSTRUCTIONS = (
    "填表说明",
    "1. 本表由各牵头部门按月更新，每月25日前报创建办。",
    "2. “完成时限”请填写具体日期（如2026-06-30），或“6月底前”“年底前”“长期坚持”等。",
    "3. “完成情况”请填写：已完成、推进中、未启动，或填写完成百分比。",
    "4. 已完成的任务请填写“完成日期”，并注明佐证材料名称。",
    "5. 一项任务由多个部门承担的，排在第一位的为牵头部门。",
    "6. 请勿修改表头，如需增加任务请在表格末尾插入行。",
)


def task_cells(no: int, task: Task) -> tuple[object, ...]:
    return (
        no,
        task.category,
        task.item,
        task.text,
        task.lead_cell,
        task.helpers,
        task.owner,
        task.deadline,
        task.status,
        task.done_cell,
        task.evidence,
        task.note,
    )


def write_tasks_sheet(ws: Worksheet, tasks: Sequence[Task], titles: Sequence[str]) -> None:
    """A 任务分解表: titles, header, tasks with 测评项目/测评内容 merged, 合计 and footer rows."""
    layout = TASKS_LAYOUT
    write_titles(ws, titles, len(layout.header))
    header_row = len(titles) + 1
    write_header(ws, header_row, layout)
    first = header_row + 1
    end = write_rows(ws, first, [task_cells(i, t) for i, t in enumerate(tasks, start=1)], layout)
    merge_runs(ws, 2, first, [t.category for t in tasks])
    merge_runs(ws, 3, first, [(t.category, t.item) for t in tasks])
    done = sum(t.done for t in tasks)
    total_row(ws, end, layout, {4: f"共{len(tasks)}项任务，已完成{done}项"})
    write_footer(
        ws,
        end + 1,
        (
            "填表人：刘晓燕        审核：王建华",
            "联系电话：0355-6208316",
            "注：完成时限为“长期坚持”的任务按月报告进展。",
        ),
    )


def write_tasks_workbook(path: Path, tasks: Sequence[Task]) -> Path:
    """01_创建任务分解表: the tasks sheet and a 填表说明 sheet (no header: skipped on import)."""
    book = new_book()
    write_tasks_sheet(book.create_sheet("任务分解"), tasks, (f"{ORG}创建全国文明单位工作任务分解表", AS_OF_LINE))
    notes = book.create_sheet("填表说明")
    for row, line in enumerate(INSTRUCTIONS, start=1):
        notes.cell(row=row, column=1, value=line).font = HEADER_FONT if row == 1 else BODY_FONT
    notes.column_dimensions["A"].width = 90
    return save(book, path)


def _score_number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _score_block(items: Sequence[Item], klass: str) -> tuple[list[tuple[object, ...]], list[int]]:
    """Rows of one class: each category's items then its 小计; returns rows and the 小计 offsets."""
    rows: list[tuple[object, ...]] = []
    subtotals: list[int] = []
    for category in dict.fromkeys(item.category for item in items):
        members = [item for item in items if item.category == category]
        for item in members:
            rows.append(
                (
                    klass,
                    category,
                    item.text,
                    item.method,
                    item.points,
                    _score_number(item.score_cell),
                    item.reason,
                    item.department,
                )
            )
        written = sum(item.score_cell or 0 for item in members)
        subtotals.append(len(rows))
        rows.append((klass, "小计", "", "", sum(item.points for item in members), _score_number(written), "", ""))
    return rows, subtotals


def write_scores_workbook(path: Path) -> Path:
    """02_测评体系自评表: 13 categories worth 100 points, a bonus class worth 10, 小计 and 合计 rows."""
    layout = SCORES_LAYOUT
    book = new_book()
    ws = book.create_sheet("自评得分")
    write_titles(ws, (f"{ORG}全国文明单位测评体系自评表", AS_OF_LINE), len(layout.header))
    write_header(ws, 3, layout)
    row = 4
    for items, klass in ((ITEMS, BASE_CLASS), (BONUS_ITEMS, BONUS_CLASS)):
        rows, subtotals = _score_block(items, klass)
        write_rows(ws, row, rows, layout)
        ws.merge_cells(start_row=row, start_column=1, end_row=row + len(rows) - 1, end_column=1)
        start = 0
        for sub in subtotals:
            ws.merge_cells(start_row=row + start, start_column=2, end_row=row + sub - 1, end_column=2)
            ws.merge_cells(start_row=row + sub, start_column=2, end_row=row + sub, end_column=4)
            for cell in ws[row + sub][: len(layout.header)]:
                cell.font = HEADER_FONT
            start = sub + 1
        row += len(rows)
    points = sum(item.points for item in ITEMS + BONUS_ITEMS)
    written = sum(item.score_cell or 0 for item in ITEMS + BONUS_ITEMS)
    total_row(ws, row, layout, {5: points, 6: _score_number(written)}, label_span=4)
    write_footer(ws, row + 1, ("填表人：陈志刚        审核：王建华", "注：未评分项待问卷调查结束后补填。"))
    return save(book, path)


def _issue_cells(no: int, issue: Issue) -> tuple[object, ...]:
    return (
        no,
        issue.found_cell,
        issue.source,
        issue.problem.text,
        issue.problem.department,
        issue.problem.measure,
        issue.deadline,
        issue.status,
        issue.closed_on,
    )


def write_issues_workbook(path: Path, issues: Sequence[Issue]) -> Path:
    """03_问题整改台账: problems of the monthly inspections, struck off (销号) once fixed."""
    layout = ISSUES_LAYOUT
    book = new_book()
    ws = book.create_sheet("问题整改台账")
    write_titles(ws, (f"{ORG}创建全国文明单位问题整改台账", AS_OF_LINE), len(layout.header))
    write_header(ws, 3, layout)
    end = write_rows(ws, 4, [_issue_cells(i, x) for i, x in enumerate(issues, start=1)], layout)
    closed = sum(x.closed for x in issues)
    total_row(ws, end, layout, {4: f"共{len(issues)}个问题，已销号{closed}个，未销号{len(issues) - closed}个"})
    write_footer(ws, end + 1, ("填表人：刘晓燕        审核：王建华", "联系电话：0355-6208316"))
    return save(book, path)


def _activity_cells(no: int, activity: Activity) -> tuple[object, ...]:
    return (
        no,
        activity.date_cell,
        activity.name,
        activity.type,
        activity.department,
        activity.expected,
        activity.people_cell,
        activity.hours_cell,
    )


def write_activities_workbook(path: Path, activities: Sequence[Activity]) -> Path:
    """04_活动登记表: every activity of the year with its turnout."""
    layout = ACTIVITIES_LAYOUT
    book = new_book()
    ws = book.create_sheet("活动登记")
    write_titles(ws, (f"{ORG}{YEAR}年精神文明活动登记表", AS_OF_LINE), len(layout.header))
    write_header(ws, 3, layout)
    end = write_rows(ws, 4, [_activity_cells(i, a) for i, a in enumerate(activities, start=1)], layout)
    total_row(ws, end, layout, {7: sum(a.people for a in activities)})
    write_footer(ws, end + 1, ("填表人：申晓霞        审核：段鹏飞",))
    return save(book, path)


def write_people_workbook(path: Path, surveys: Sequence[Survey]) -> Path:
    """05_部门人数及问卷调查: headcount per department and the survey rates."""
    book = new_book()
    ws = book.create_sheet("部门人数")
    write_titles(ws, (f"{ORG}各部门（单位）在职人数统计表", AS_OF_LINE), len(HEADCOUNT_LAYOUT.header))
    write_header(ws, 3, HEADCOUNT_LAYOUT)
    end = write_rows(ws, 4, list(HEADCOUNT.items()), HEADCOUNT_LAYOUT)
    total_row(ws, end, HEADCOUNT_LAYOUT, {2: sum(HEADCOUNT.values())})

    ws = book.create_sheet("问卷调查")
    width = len(SURVEYS_LAYOUT.header)
    write_titles(ws, (f"{YEAR}年度创建全国文明单位问卷调查结果统计表", AS_OF_LINE), width)
    write_header(ws, 3, SURVEYS_LAYOUT)
    end = write_rows(ws, 4, [(s.department, s.respondents, *s.cells) for s in surveys], SURVEYS_LAYOUT)
    total_row(ws, end, SURVEYS_LAYOUT, {2: sum(s.respondents for s in surveys)})
    write_footer(ws, end + 1, ("注：各项比率按有效问卷统计。",))
    return save(book, path)


SAMPLE_FILES = (
    "01_创建任务分解表.xlsx",
    "02_测评体系自评表.xlsx",
    "03_问题整改台账.xlsx",
    "04_活动登记表.xlsx",
    "05_部门人数及问卷调查.xlsx",
)


def write_samples(out: Path) -> list[Path]:
    tasks, scores, issues, activities, people = (out / name for name in SAMPLE_FILES)
    return [
        write_tasks_workbook(tasks, task_rows()),
        write_scores_workbook(scores),
        write_issues_workbook(issues, sample_issues()),
        write_activities_workbook(activities, sample_activities()),
        write_people_workbook(people, sample_surveys()),
    ]


# ---------------------------------------------------------------- templates


@dataclass(frozen=True)
class Template:
    """A blank workbook of one kind: a title row, the header row and one example row."""

    file_name: str
    sheet: str
    kind: str
    title: str
    layout: Layout
    example: tuple[object, ...]
    choices: dict[str, str] | None = None  # header -> comma-separated list for a drop-down


TEMPLATES: tuple[Template, ...] = (
    Template(
        "任务分解表.xlsx",
        "任务分解",
        "tasks",
        "XX单位创建全国文明单位工作任务分解表（截至    年  月  日）",
        TASKS_LAYOUT,
        (
            1,
            "学雷锋活动",
            "广泛开展学雷锋活动，形成常态化工作机制",
            "制定年度学雷锋活动实施方案（示例，填写时请删除本行）",
            "党委宣传部",
            "团委、工会",
            "张三",
            dt.date(2026, 3, 31),
            "已完成",
            dt.date(2026, 3, 5),
            "活动方案、照片",
            "",
        ),
        choices={"完成情况": "已完成,推进中,未启动"},
    ),
    Template(
        "测评体系自评表.xlsx",
        "自评得分",
        "scores",
        "XX单位全国文明单位测评体系自评表（截至    年  月  日）",
        SCORES_LAYOUT,
        (
            "基本指标",
            "学雷锋活动",
            "广泛开展学雷锋活动，形成常态化工作机制",
            "材料审核",
            5,
            4.5,
            "部分活动记录不完整",
            "党委宣传部",
        ),
    ),
    Template(
        "问题整改台账.xlsx",
        "问题整改台账",
        "issues",
        "XX单位创建全国文明单位问题整改台账（截至    年  月  日）",
        ISSUES_LAYOUT,
        (
            1,
            dt.date(2026, 3, 18),
            "月度督查",
            "宣传栏内容更新不及时（示例，填写时请删除本行）",
            "党委宣传部",
            "更新宣传栏内容，建立每月更新制度",
            dt.date(2026, 3, 31),
            "已销号",
            dt.date(2026, 3, 28),
        ),
    ),
    Template(
        "活动登记表.xlsx",
        "活动登记",
        "activities",
        "XX单位精神文明活动登记表（截至    年  月  日）",
        ACTIVITIES_LAYOUT,
        (1, dt.date(2026, 3, 5), "学雷锋志愿服务进社区（示例）", "学雷锋活动", "团委", 40, 35, 2),
    ),
    Template(
        "部门人数.xlsx",
        "部门人数",
        "headcount",
        "XX单位各部门在职人数统计表",
        HEADCOUNT_LAYOUT,
        ("党委宣传部", 18),
    ),
    Template(
        "问卷调查结果.xlsx",
        "问卷调查",
        "surveys",
        "XX单位创建全国文明单位问卷调查结果统计表",
        SURVEYS_LAYOUT,
        ("党委宣传部", 18, Fmt(0.95, "0.0%"), Fmt(0.9, "0.0%"), Fmt(0.98, "0.0%"), Fmt(0.93, "0.0%")),
    ),
)


def write_template(template: Template, folder: Path) -> Path:
    layout = template.layout
    book = new_book()
    ws = book.create_sheet(template.sheet)
    write_titles(ws, (template.title,), len(layout.header))
    write_header(ws, 2, layout)
    write_rows(ws, 3, [template.example], layout)
    for name, choices in (template.choices or {}).items():
        letter = get_column_letter(layout.header.index(name) + 1)
        check = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
        check.error, check.errorTitle = f"请从下拉列表中选择：{choices}", "完成情况"
        ws.add_data_validation(check)
        check.add(f"{letter}3:{letter}2000")
    return save(book, folder / template.file_name)


def write_templates(folder: Path) -> list[Path]:
    return [write_template(template, folder) for template in TEMPLATES]


def write_all(out: Path | None = None, templates: Path | None = None) -> list[Path]:
    """Write the sample workbooks and the blank templates; return the files written."""
    out = Path(out) if out is not None else SAMPLE_DIR
    templates = Path(templates) if templates is not None else TEMPLATE_DIR
    out.mkdir(parents=True, exist_ok=True)
    templates.mkdir(parents=True, exist_ok=True)
    return write_samples(out) + write_templates(templates)
