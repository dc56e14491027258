"""The review as an ordered list of slides, shared by the page, the projector and the HTML export.

A slide is a title, some tables and some charts; nothing here draws, so the
presentation on screen and the exported file show the same sections in the
same order with the same numbers.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from wenming.figures import changes
from wenming.figures.review import Review
from wenming.render import charts
from wenming.text import t

RATE_COLUMNS = {
    "completion_rate",
    "completion_rate_month_before",
    "completion_rate_quarter_before",
    "attainment",
    "closing_rate",
    "attendance_rate",
    "awareness_rate",
    "participation_rate",
    "support_rate",
    "satisfaction_rate",
}
# a change column -> (the figure it changes, a rate): shown and coloured by changes.Change
CHANGE_COLUMNS = {
    "completion_delta_month": ("completion_rate", True),
    "completion_delta_quarter": ("completion_rate", True),
    "overdue_delta_month": ("overdue", False),
}
BOARD_RATES = {"best", "improved", "no_progress"}

TaskTable = tuple[str, pd.DataFrame, list[str]]


@dataclass
class Card:
    label: str
    value: str
    month: changes.Change  # since the end of last month: the card's arrow and colour
    quarter: changes.Change  # since three months before

    @property
    def delta(self) -> str:
        """较上月 ↑ +5.5 个百分点；较三个月前 持平."""
        return t("review.deltas", month=self.month.shown(), quarter=self.quarter.shown())

    @property
    def tone(self) -> str:
        """good | bad | neutral | flat (changes.Change.tone of the month's change)."""
        return self.month.tone or "flat"


@dataclass
class Slide:
    key: str
    title: str
    tables: list[TaskTable] = field(default_factory=list)
    figures: list[go.Figure] = field(default_factory=list)
    note: str = ""  # the rule a reader needs (how the boards are filled)


@dataclass
class Screen:
    """What fits on one projector screen: the headline cards, a few table rows, or one chart."""

    key: str
    title: str
    cards: bool = False
    summary: bool = False  # the 通报 paragraph, on a screen of its own after the cards
    table: TaskTable | None = None
    figure: go.Figure | None = None


def cell(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return number(value)
    return str(value)


def number(value: float, places: int = 2) -> str:
    """A count or an amount as people write it: 12,314, 1,622.5, 2 (never 2.0 or 2.50)."""
    shown = f"{value:,.{places}f}"
    return shown.rstrip("0").rstrip(".") if "." in shown else shown


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """Rates as 75.0%, changes as +8.3 个百分点, codes as words, dates as 2026-10-31."""
    out = frame.copy()
    for column in out.columns:
        if column in RATE_COLUMNS:
            out[column] = out[column].map(lambda v: "" if v is None or v != v else f"{v:.1%}")
        elif column in CHANGE_COLUMNS:
            key, rate = CHANGE_COLUMNS[column]
            out[column] = out[column].map(
                lambda v, k=key, r=rate: "" if v is None or v != v else changes.change(k, v, r).shown()
            )
    if "board" in out:
        rates = out["board"].isin(BOARD_RATES)
        out["value"] = [
            (f"{v:.1%}" if b == "best" else changes.change("completion_rate", v, True).shown()) if r else cell(v)
            for b, v, r in zip(out["board"], frame["value"], rates, strict=True)
        ]
        out["board"] = words(out["board"], lambda b: t(f"review.board.{b}"))
    out = coded_as_words(out)
    if "is_new" in out:
        out["is_new"] = words(out["is_new"], lambda n: t("review.new") if n else "")
    return out


def coded_as_words(frame: pd.DataFrame) -> pd.DataFrame:
    """A task's state, a problem's open/closed and a missing department as words (changes ``frame``)."""
    if "state" in frame:
        frame["state"] = words(frame["state"], lambda s: t(f"state.{s}"))
    if "is_closed" in frame:
        frame["is_closed"] = words(frame["is_closed"], lambda c: t("state.closed") if c else t("state.open"))
    if "department" in frame:
        frame["department"] = frame["department"].fillna(t("no_department"))
    return frame


def words(values: pd.Series, name: Callable[[Any], str]) -> pd.Series:
    """Each code in words; each distinct code is named once, so a list of a million rows maps in milliseconds."""
    return values.map({code: name(code) for code in values.dropna().unique()})


def cards(review: Review) -> list[Card]:
    """The headline figures with their change since last month and since three months ago."""
    result = []
    for row in review.headline.itertuples():
        value, month, quarter = (None if v != v else v for v in (row.now, row.delta_month, row.delta_quarter))
        shown = "—" if value is None else (f"{value:.1%}" if row.rate else f"{value:,.0f}")
        result.append(
            Card(
                label=t(f"review.figure.{row.key}"),
                value=shown,
                month=changes.change(row.key, month, bool(row.rate)),
                quarter=changes.change(row.key, quarter, bool(row.rate)),
            )
        )
    return result


DEPARTMENT_COLUMNS = [
    "department",
    "total",
    "done",
    "completion_rate",
    "completion_delta_month",
    "completion_delta_quarter",
    "overdue",
    "overdue_delta_month",
    "issues_open",
    "issues_overdue",
    "activities",
    "person_times",
    "is_new",
]
OVERDUE_COLUMNS = ["department", "task", "owner", "deadline_text", "days_overdue", "state"]
ISSUE_COLUMNS = ["department", "problem", "source", "found_on", "deadline_text", "days_overdue", "status_text"]
LOGGED_COLUMNS = ["department", "problem", "source", "found_on", "deadline_text", "is_closed"]
STRUCK_COLUMNS = ["department", "problem", "source", "found_on", "closed_on"]
GAP_COLUMNS = ["category", "item", "department", "max", "score", "lost", "reason"]
RISK_COLUMNS = ["category", "item", "max", "score", "overdue_tasks", "task_departments"]
BOARD_COLUMNS = ["board", "department", "value", "completion_rate", "overdue"]
PARTICIPATION_COLUMNS = ["department", "activities", "person_times", "volunteer_hours"]
LEADER_COLUMNS = ["leader", "total", "done", "completion_rate", "overdue"]
# On a projector the departments' table keeps what the room discusses; the report and Excel keep every column.
SCREEN_DEPARTMENT_COLUMNS = [
    "department",
    "completion_rate",
    "completion_delta_month",
    "overdue",
    "issues_open",
    "person_times",
    "is_new",
]
CARD_COLUMNS = ["total", "done", "completion_rate", "completion_delta_month", "overdue", "issues_open", "person_times"]
ROWS_PER_SCREEN = 10
SCREENS_PER_TABLE = 10  # a longer table (8,698 overdue tasks at 100k: 870 screens) goes on in the report and Excel
LONG_TEXT = 12  # characters: longer cells (a task, a problem) may wrap; names, dates and numbers never do
# A screen's table at 1024×768, the narrowest room (wider screens wrap less; all heights follow the screen's):
TABLE_CHARS = 47  # its width in characters of its 20 px text
SCREEN_LINES = 19  # the lines of text its rows may take under the title and the caption (a row's border and
ROW_EXTRA = 0.25  # padding take a quarter of a line)


def slides(review: Review, per_department: bool = False, targets: dict[str, float] | None = None) -> list[Slide]:
    """The sections of a 月例会, in the order they are presented; ``targets``: the lines admins set."""
    named_tasks = review.overdue_tasks.sort_values(["department", "days_overdue"], ascending=[True, False])
    result = [
        Slide("headline", t("review.slide.headline")),
        Slide(
            "rankings",
            t("review.slide.rankings"),
            tables=[
                (t("review.red"), review.red, BOARD_COLUMNS),
                (t("review.black"), review.black, BOARD_COLUMNS),
            ],
            note=t("review.board_rule"),
        ),
        Slide(
            "named",
            t("review.slide.named"),
            tables=[
                (t("review.overdue_tasks", count=len(named_tasks)), named_tasks, OVERDUE_COLUMNS),
                (t("review.overdue_issues", count=len(review.overdue_issues)), review.overdue_issues, ISSUE_COLUMNS),
            ],
            figures=[charts.overdue_by_department(review.departments)] if review.departments["overdue"].sum() else [],
        ),
        Slide(
            "ledger",
            t("review.slide.ledger"),
            tables=[
                (t("review.logged", count=len(review.logged)), review.logged, LOGGED_COLUMNS),
                (t("review.struck_off", count=len(review.struck_off)), review.struck_off, STRUCK_COLUMNS),
            ],
        ),
        Slide(
            "scores",
            t("review.slide.scores"),
            tables=[
                (t("review.score_gaps"), review.score_gaps, GAP_COLUMNS),
                (t("review.at_risk"), review.at_risk, RISK_COLUMNS),
            ],
        ),
        Slide(
            "participation",
            t("review.slide.participation"),
            tables=[("", review.participation, PARTICIPATION_COLUMNS)],
            figures=[charts.by_month_and_type(review.by_month, "person_times", t("chart.person_times_by_month"))]
            if not review.by_month.empty
            else [],
        ),
        Slide(
            "departments",
            t("review.slide.departments"),
            tables=[("", review.departments, DEPARTMENT_COLUMNS)]
            + ([(t("review.by_leader"), review.leaders, LEADER_COLUMNS)] if not review.leaders.empty else []),
            figures=[
                charts.completion_by_department(
                    review.departments[review.departments["total"] > 0], (targets or {}).get("completion")
                )
            ],
        ),
    ]
    if per_department:
        result.extend(department_slide(review, name) for name in to_discuss(review))
    return result


def to_discuss(review: Review) -> list[str]:
    """Departments with something to say in a department-by-department review: overdue tasks or problems."""
    rows = review.departments
    return rows.loc[(rows["overdue"] > 0) | (rows["issues_overdue"] > 0), "department"].tolist()


def department_card(row: pd.DataFrame) -> pd.DataFrame:
    """A department's figures as one compact card: a figure per line, its value beside it."""
    shown = readable(row[CARD_COLUMNS]).iloc[0]
    return pd.DataFrame({"figure": [t(f"col.{c}") for c in CARD_COLUMNS], "value": [cell(v) for v in shown]})


def department_slide(review: Review, department: str) -> Slide:
    """One department's figures and what it is asked to finish, for department-by-department review."""
    own = review.departments[review.departments["department"] == department]
    tasks = review.overdue_tasks[review.overdue_tasks["department"] == department]
    issues = review.overdue_issues[review.overdue_issues["department"] == department]
    return Slide(
        f"department-{department}",
        t("review.slide.department", department=department),
        tables=[
            ("", department_card(own), ["figure", "value"]),
            *([(t("review.overdue_tasks", count=len(tasks)), tasks, OVERDUE_COLUMNS[1:])] if len(tasks) else []),
            *([(t("review.overdue_issues", count=len(issues)), issues, ISSUE_COLUMNS[1:])] if len(issues) else []),
        ],
    )


def says_something(value: object) -> bool:
    """Whether a cell shows anything: a zero does, an empty cell or an unset flag (is_new False) does not."""
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value) or value == "":
        return False
    return not (isinstance(value, bool | np.bool_) and not value)


def with_values(frame: pd.DataFrame, columns: list[str]) -> list[str]:
    """The columns that say something: a column empty in every row (no 备注 this month) is left off a screen."""
    if frame.empty:
        return columns
    return [c for c in columns if c in frame and frame[c].map(says_something).any()]


def screens(
    review: Review, per_department: bool = False, rows: int = ROWS_PER_SCREEN, targets: dict[str, float] | None = None
) -> list[Screen]:
    """The slides cut to screen size: long tables continue on the next screen (续), empty columns left off."""
    result: list[Screen] = []
    for slide in slides(review, per_department, targets):
        if slide.key == "headline":
            result.append(Screen(slide.key, slide.title, cards=True))
            result.append(Screen(f"{slide.key}-summary", slide.title, summary=True))
        for caption, frame, all_columns in slide.tables:
            columns = with_values(
                frame, SCREEN_DEPARTMENT_COLUMNS if all_columns == DEPARTMENT_COLUMNS else all_columns
            )
            room = frame.head(SCREENS_PER_TABLE * rows)  # no screen holds more than ``rows`` rows
            chunks = [room.iloc[i:j] for i, j in pages(row_lines(room, columns), rows)][:SCREENS_PER_TABLE] or [frame]
            shown = sum(len(chunk) for chunk in chunks)
            for number, chunk in enumerate(chunks):
                title = slide.title if number == 0 else t("review.continued", title=slide.title)
                if number == len(chunks) - 1 and shown < len(frame):
                    rest = t("review.rest_in_report", shown=f"{shown:,}", total=f"{len(frame):,}")
                    caption = f"{caption} {rest}" if caption else rest
                result.append(Screen(f"{slide.key}-{len(result)}", title, table=(caption, chunk, columns)))
        result.extend(Screen(f"{slide.key}-{len(result)}", slide.title, figure=figure) for figure in slide.figures)
    return result


def text_width(text: str) -> float:
    """Width in Chinese characters: a Latin letter, digit or mark is about half of one."""
    return sum(1.0 if ord(c) >= 0x2E80 else 0.55 for c in text)


def row_lines(frame: pd.DataFrame, columns: list[str]) -> list[int]:
    """The lines each row takes on a screen: long cells wrap in the width the other columns leave them."""
    columns = [c for c in columns if c in frame]
    if frame.empty or not columns:
        return [1] * len(frame)
    shown = readable(frame[columns]).map(cell)
    long = [c for c in columns if shown[c].str.len().gt(LONG_TEXT).any()]
    if not long:
        return [1] * len(frame)
    short = sum(max(text_width(t(f"col.{c}")), *shown[c].map(text_width)) + 0.8 for c in columns if c not in long)
    room = max(6.0, (TABLE_CHARS - short) / len(long) - 0.8)
    lines = shown[long].map(lambda text: math.ceil(text_width(text) / room) if len(text) > LONG_TEXT else 1)
    return lines.max(axis=1).clip(lower=1).astype(int).tolist()


def pages(lines: list[int], rows: int = ROWS_PER_SCREEN) -> list[tuple[int, int]]:
    """Rows cut into screens: at most ``rows`` a screen, and no more lines than a screen holds."""
    result: list[tuple[int, int]] = []
    start, used = 0, 0.0
    for i, taken in enumerate(lines):
        if i > start and (i - start == rows or used + taken + ROW_EXTRA > SCREEN_LINES):
            result.append((start, i))
            start, used = i, 0.0
        used += taken + ROW_EXTRA
    if lines:
        result.append((start, len(lines)))
    return result
