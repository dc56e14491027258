"""The figures of a date D (WORKBOOKS.md §5): the one set of query parameters, and the default D.

Every figure of D, whether a page, a month-end point of the trend, a delta, the
monthly review, an export or ``summary``, runs its query with ``params(D)``. The
queries read D through the macros of store/sql/macros.sql, which hold the rule
once: the reports in force on D per kind and department, and what had happened by D.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd

Query = Callable[..., pd.DataFrame]


def params(day: dt.date, departments: list[str] | None = None) -> dict[str, Any]:
    """Query parameters for the figures of ``day``.

    ``snapshot`` is the same date under the name the score queries (queries/scores_*.sql) use.
    """
    return {"as_of": day, "snapshot": day, "departments": list(departments) if departments else None}


def data_until(query: Query) -> dt.date | None:
    """The latest 截至 of the reports in force now (None without data)."""
    frame = query("data_until")
    value = frame.iloc[0]["data_until"] if len(frame) else None
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def default_date(until: dt.date | None, today: dt.date | None = None) -> dt.date:
    """The default D: the data's latest 截至 (``data_until``), never later than today; today without data."""
    today = today or dt.date.today()
    return today if until is None else min(until, today)
