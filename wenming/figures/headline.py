"""The headline figures of the overview, with their change since the end of last month."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from wenming.figures import at, changes, trend
from wenming.text import t

Query = Callable[..., pd.DataFrame]

# key -> (query, column, is a rate); whether a rise is good is changes.UP_IS_GOOD
FIGURES: dict[str, tuple[str, str, bool]] = {
    "completion_rate": ("tasks_summary", "completion_rate", True),
    "overdue": ("tasks_summary", "overdue", False),
    "attainment": ("scores_summary", "attainment", True),
    "open": ("issues_summary", "open", False),
    "person_times": ("participation_summary", "person_times", False),
    "evidence_coverage": ("evidence_summary", "coverage", True),
}


@dataclass(frozen=True)
class Headline:
    key: str
    value: float | None
    previous: float | None
    rate: bool

    @property
    def delta(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def change(self) -> changes.Change:
        return changes.change(self.key, self.delta, self.rate)

    def shown(self) -> str:
        """The value as a leader reads it: 75.0% or 7."""
        if self.value is None:
            return "—"
        return f"{self.value:.1%}" if self.rate else f"{self.value:,.0f}"

    def shown_delta(self) -> str | None:
        """较上月末 +9.1 个百分点, 较上月末 -2, 较上月末持平; None when unknown."""
        value = self.change.rounded
        if value is None:
            return None
        if value == 0:
            return t("delta.flat_month_end")
        if self.rate:
            return t("delta.points", value=f"{value:+.1f}")
        return t("delta.count", value=f"{value:+,.0f}")


def _value(frame: pd.DataFrame, column: str) -> float | None:
    if frame.empty:
        return None
    value = frame.iloc[0][column]
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def headlines(query: Query, as_of: dt.date, departments: list[str] | None) -> list[Headline]:
    """Every headline figure on as_of and at the end of the month before, each by at.params."""
    now = at.params(as_of, departments)
    then = at.params(trend.previous_month_end(as_of), departments)
    return [
        Headline(
            key=key, value=_value(query(name, **now), column), previous=_value(query(name, **then), column), rate=rate
        )
        for key, (name, column, rate) in FIGURES.items()
    ]
