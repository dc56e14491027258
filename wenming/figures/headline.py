"""The headline figures of the overview, with their change since the end of last month."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from wenming.figures import trend
from wenming.text import t

Query = Callable[..., pd.DataFrame]

# key -> (query, column, is a rate, a rise is bad)
FIGURES: dict[str, tuple[str, str, bool, bool]] = {
    "completion_rate": ("tasks_summary", "completion_rate", True, False),
    "overdue": ("tasks_summary", "overdue", False, True),
    "attainment": ("scores_summary", "attainment", True, False),
    "open": ("issues_summary", "open", False, True),
    "person_times": ("participation_summary", "person_times", False, False),
    "evidence_coverage": ("evidence_summary", "coverage", True, False),
}


@dataclass(frozen=True)
class Headline:
    key: str
    value: float | None
    previous: float | None
    rate: bool
    rise_is_bad: bool

    @property
    def delta(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    def shown(self) -> str:
        """The value as a leader reads it: 75.0% or 7."""
        if self.value is None:
            return "—"
        return f"{self.value:.1%}" if self.rate else f"{self.value:,.0f}"

    def shown_delta(self) -> str | None:
        """The change as 个百分点 for rates, as a count otherwise; None when unknown."""
        delta = self.delta
        if delta is None:
            return None
        if self.rate:
            return t("delta.points", value=f"{delta * 100:+.1f}")
        return t("delta.count", value=f"{delta:+,.0f}")


def _value(frame: pd.DataFrame, column: str) -> float | None:
    if frame.empty:
        return None
    value = frame.iloc[0][column]
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def headlines(query: Query, as_of: dt.date, departments: list[str] | None) -> list[Headline]:
    """Every headline figure on as_of and at the end of the month before."""
    previous_day = trend.previous_month_end(as_of)
    now = trend.params_at(as_of, as_of, departments)
    then = trend.params_at(previous_day, as_of, departments)
    results = []
    for key, (name, column, rate, rise_is_bad) in FIGURES.items():
        results.append(
            Headline(
                key=key,
                value=_value(query(name, **now), column),
                previous=_value(query(name, **then), column),
                rate=rate,
                rise_is_bad=rise_is_bad,
            )
        )
    return results
