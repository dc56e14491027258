"""Figures at the end of each month (WORKBOOKS.md §5 "trend"), from stored snapshots and done_on dates.

A month-end figure runs the same query as the current one, with ``snapshot`` set
to that day: the rows in force then, and a task counted done only if it was done
by then (see wenming/sql/macros.sql).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable

import pandas as pd

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


def params_at(day: dt.date, as_of: dt.date, departments: list[str] | None) -> dict[str, object]:
    """Query parameters for the figure on ``day``: the current data on as_of, a snapshot before it."""
    return {"as_of": day, "snapshot": None if day >= as_of else day, "departments": departments}


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
        frame = query(name, **params_at(day, as_of, departments))
        frames.append(frame.assign(day=pd.Timestamp(day)))
    result = pd.concat(frames, ignore_index=True)
    return result[["day", *[c for c in result.columns if c != "day"]]]
