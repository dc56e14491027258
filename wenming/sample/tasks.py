"""The rows of the sample 任务分解表: the items' tasks with deadlines, statuses and the quirks of a real tracker."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from wenming.sample.common import AS_OF, DEPARTMENTS, LAG, OWNERS, SEED, YEAR, Fmt, _weighted, load_table, month_end
from wenming.sample.items import ITEMS


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
