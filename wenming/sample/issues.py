"""The rows of the sample 问题整改台账: the problems of the monthly inspections (``data/problems.toml``)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from wenming.sample.common import AS_OF, LAG, SEED, YEAR, _weighted, load_table, month_end


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
