"""Dates and times as text, the same on every surface: 2026-07-15 for a day, 2026-07-15 08:00 for a moment.

A date read from a workbook reaches pandas as a timestamp at midnight; printed as is it reads
"2026-07-15 00:00:00". Tables drawn as given (the review's tables, the command line) go through here.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd

from wenming.text import t


def when(value: object) -> object:
    """A date as 2026-07-15, a time of day as 2026-07-15 08:00 (to the minute); anything else unchanged."""
    if value is pd.NaT:
        return ""
    if isinstance(value, dt.datetime):  # pandas' Timestamp too
        stamp = pd.Timestamp(value)
        return stamp.strftime("%Y-%m-%d") if stamp == stamp.normalize() else stamp.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def dates_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose date and time cells are text (see ``when``); blanks stay blank."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        dated = pd.api.types.is_datetime64_any_dtype(values) or (
            values.dtype == object and values.map(lambda v: isinstance(v, dt.date)).any()
        )
        if dated:
            out[column] = values.map(when).astype(object).where(values.notna(), None)
    return out


def rows_text(rows_json: str) -> str:
    """An import's rows, {"tasks": 121}, as 任务分解 121 行."""
    rows = json.loads(rows_json)
    return t("sep.comma").join(t("upload.rows", kind=t(f"kind.{kind}"), rows=n) for kind, n in rows.items())
