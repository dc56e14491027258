"""Figures at the end of each month (WORKBOOKS.md §5 "trend").

A month-end figure is the figure of that day by the one rule (``at.params``): the
reports in force then, and what had happened by then (see store/sql/macros.sql).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable

import pandas as pd

from wenming.figures import at

Query = Callable[..., pd.DataFrame]


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def previous_month_end(day: dt.date) -> dt.date:
    """The last day of the month before ``day``'s month."""
    return day.replace(day=1) - dt.timedelta(days=1)


def points(as_of: dt.date, months: int = 12) -> list[dt.date]:
    """The ends of the ``months - 1`` months before as_of's month, then as_of itself."""
    ends: list[dt.date] = []
    day = as_of
    for _ in range(months - 1):
        day = previous_month_end(day)
        ends.append(day)
    return [*reversed(ends), as_of]


def series(
    query: Query,
    name: str,
    as_of: dt.date,
    departments: list[str] | None = None,
    months: int = 12,
) -> pd.DataFrame:
    """One query's rows at each point of ``points(as_of, months)``, with a ``day`` column first."""
    frames = []
    for day in points(as_of, months):
        frame = query(name, **at.params(day, departments))
        frames.append(frame.assign(day=pd.Timestamp(day)))
    result = pd.concat(frames, ignore_index=True)
    return result[["day", *[c for c in result.columns if c != "day"]]]
