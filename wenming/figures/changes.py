"""One rule for a change of a figure: its sign, arrow and colour, on every page, slide, report and export.

The arrow shows the direction of the number; the colour says whether that is good
or bad by the figure's meaning (UP_IS_GOOD); a change too small to show at the
figure's precision is "持平": grey, no arrow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from wenming.text import t

# figure -> a rise is good (True), bad (False) or neither (None: grey either way)
UP_IS_GOOD: dict[str, bool | None] = {
    "completion_rate": True,
    "tasks_done": True,
    "attainment": True,
    "closing_rate": True,
    "person_times": True,
    "evidence_coverage": True,
    "tasks_total": None,
    "overdue": False,
    "open": False,
    "issues_open": False,
    "issues_overdue": False,
    "lost": False,
}
ARROWS = {"up": "↑", "down": "↓", "flat": ""}
COLOURS = {"good": "#007A55", "bad": "#B34700", "neutral": "#555555", "flat": "#777777"}  # on white, AA contrast
STREAMLIT_COLOURS = {"good": "green", "bad": "red", "neutral": "gray", "flat": "gray"}


@dataclass(frozen=True)
class Change:
    """A figure's change: None when there is nothing to compare with."""

    key: str
    delta: float | None
    rate: bool  # a rate: the change is in 个百分点

    @property
    def rounded(self) -> float | None:
        """The change at the precision it is shown: 0.1 个百分点 for rates, whole counts otherwise."""
        if self.delta is None or math.isnan(self.delta):
            return None
        value = round(self.delta * 100, 1) if self.rate else float(round(self.delta))
        return value + 0.0  # no -0.0

    @property
    def direction(self) -> str | None:
        value = self.rounded
        if value is None:
            return None
        return "flat" if value == 0 else ("up" if value > 0 else "down")

    @property
    def tone(self) -> str | None:
        """good | bad | neutral | flat, by the figure's meaning; None without a change."""
        direction = self.direction
        if direction in (None, "flat"):
            return direction
        good = UP_IS_GOOD[self.key]
        if good is None:
            return "neutral"
        return "good" if (direction == "up") == good else "bad"

    @property
    def arrow(self) -> str:
        return ARROWS.get(self.direction or "flat", "")

    @property
    def colour(self) -> str:
        return COLOURS[self.tone or "flat"]

    def amount(self) -> str:
        """+5.5 个百分点, -2, or 持平; — without a change."""
        value = self.rounded
        if value is None:
            return "—"
        if value == 0:
            return t("delta.flat")
        if self.rate:
            return t("delta.points_short", value=f"{value:+.1f}")
        return f"{value:+,.0f}"

    def shown(self) -> str:
        """The amount with its arrow: ↑ +5.5 个百分点, ↓ -2, 持平."""
        return f"{self.arrow} {self.amount()}" if self.arrow else self.amount()


def change(key: str, delta: float | None, rate: bool) -> Change:
    return Change(key, None if delta is None or (isinstance(delta, float) and math.isnan(delta)) else delta, rate)
