"""The figures of a date D (WORKBOOKS.md §5): the one set of query parameters, and the default D.

Every figure of D, whether a page, a month-end point of the trend, a delta, the
monthly review, an export or ``summary``, runs its query with ``params(D)``. The
queries read D through the macros of store/sql/macros.sql, which hold the rule
once: the reports in force on D per kind and department, and what had happened by D.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from wenming.read.reader import ParsedWorkbook

Query = Callable[..., pd.DataFrame]


def params(day: dt.date, departments: list[str] | None = None) -> dict[str, Any]:
    """Query parameters for the figures of ``day``: every query in queries/ reads the data in force at ``$as_of``."""
    return {"as_of": day, "departments": list(departments) if departments else None}


def data_until(query: Query) -> dt.date | None:
    """The latest 截至 of the reports in force now (None without data)."""
    frame = query("data_until")
    value = frame.iloc[0]["data_until"] if len(frame) else None
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def default_date(until: dt.date | None, today: dt.date | None = None) -> dt.date:
    """The default D: the data's latest 截至 (``data_until``), never later than today; today without data."""
    today = today or dt.date.today()
    return today if until is None else min(until, today)


@dataclass(frozen=True)
class Undated:
    """Rows of a sheet counted done (closed) without a date: they count from the report's date on."""

    sheet: str
    kind: str  # tasks | issues
    count: int
    counts_from: dt.date


UNDATED = {"tasks": ("done", "done_on"), "issues": ("closed", "closed_on")}  # kind -> (status, its date)


def undated(parsed: ParsedWorkbook, as_of: dt.date | None = None) -> list[Undated]:
    """Per sheet, the tasks done (problems closed) without 完成日期 (销号时间), for the import preview.

    The store dates each sheet by its 截至, else the import's as-of date (today by default).
    """
    found = []
    for sheet in parsed.sheets:
        if sheet.kind not in UNDATED:
            continue
        status, date = UNDATED[sheet.kind]
        table = sheet.table
        if "status" not in table.column_names:
            continue
        done = pc.fill_null(pc.equal(table.column("status"), status), False)
        if date in table.column_names:  # a sheet without the date column has no dates at all
            done = pc.and_(done, pc.is_null(table.column(date)))
        count = int(pc.sum(pc.cast(done, pa.int64())).as_py() or 0)
        if count:
            found.append(Undated(sheet.name, sheet.kind, count, sheet.ref_date or as_of or dt.date.today()))
    return found
