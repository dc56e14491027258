"""The monthly (or quarterly) review: figures with month and quarter deltas, rankings, lists to name.

Everything a 月例会 shows is computed here from the query files, once, into a
``Review`` that the page, the presentation, the exports and the command line
all draw from, and that can be frozen as JSON so it reads the same later.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from wenming.figures import at, changes, trend
from wenming.text import t

Query = Callable[..., pd.DataFrame]

# key -> (query, column, is a rate); whether a rise is good is changes.UP_IS_GOOD
FIGURES: dict[str, tuple[str, str, bool]] = {
    "tasks_total": ("tasks_summary", "total", False),
    "tasks_done": ("tasks_summary", "done", False),
    "completion_rate": ("tasks_summary", "completion_rate", True),
    "overdue": ("tasks_summary", "overdue", False),
    "attainment": ("scores_summary", "attainment", True),
    "issues_open": ("issues_summary", "open", False),
    "issues_overdue": ("issues_summary", "overdue", False),
    "closing_rate": ("issues_summary", "closing_rate", True),
    "person_times": ("participation_summary", "person_times", False),
    "evidence_coverage": ("evidence_summary", "coverage", True),
}
TOP = 3


# ---------------------------------------------------------------- periods


@dataclass(frozen=True)
class Period:
    """A calendar month or quarter under review."""

    kind: str  # month | quarter
    year: int
    number: int  # 1–12 for a month, 1–4 for a quarter

    @classmethod
    def parse(cls, text: str) -> Period:
        """2026-10 is a month, 2026-Q3 a quarter."""
        if (m := re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())) and 1 <= int(m[2]) <= 12:
            return cls("month", int(m[1]), int(m[2]))
        if m := re.fullmatch(r"(\d{4})-[Qq]([1-4])", text.strip()):
            return cls("quarter", int(m[1]), int(m[2]))
        raise ValueError(text)

    @classmethod
    def containing(cls, day: dt.date, kind: str = "month") -> Period:
        return cls(kind, day.year, day.month if kind == "month" else (day.month - 1) // 3 + 1)

    @property
    def start(self) -> dt.date:
        month = self.number if self.kind == "month" else 3 * self.number - 2
        return dt.date(self.year, month, 1)

    @property
    def end(self) -> dt.date:
        month = self.number if self.kind == "month" else 3 * self.number
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def code(self) -> str:
        return f"{self.year}-{self.number:02d}" if self.kind == "month" else f"{self.year}-Q{self.number}"

    def label(self) -> str:
        """2026年10月, 2026年第三季度."""
        return t(f"review.period_{self.kind}", year=self.year, number=self.number, cn="一二三四"[(self.number - 1) % 4])


def months_before(day: dt.date, months: int) -> dt.date:
    """The end of the month ``months`` before ``day``'s month."""
    for _ in range(months):
        day = trend.previous_month_end(day)
    return day


# ---------------------------------------------------------------- the review


@dataclass
class Review:
    period: Period
    as_of: dt.date  # the period's end, or today while the period runs
    month_before: dt.date
    quarter_before: dt.date
    headline: pd.DataFrame  # one row per figure: now, month_before, quarter_before and deltas
    departments: pd.DataFrame  # one row per department: completion, overdue, ledger, participation
    red: pd.DataFrame  # 红榜: best completion, most improved
    black: pd.DataFrame  # 黑榜: most overdue, no progress
    overdue_tasks: pd.DataFrame
    due_soon: pd.DataFrame
    overdue_issues: pd.DataFrame
    open_issues: pd.DataFrame
    logged: pd.DataFrame
    struck_off: pd.DataFrame
    score_gaps: pd.DataFrame
    at_risk: pd.DataFrame
    participation: pd.DataFrame
    by_month: pd.DataFrame  # activities and person-times per month and type, for the chart
    leaders: pd.DataFrame = field(default_factory=pd.DataFrame)  # one row per 责任领导, where tasks name one
    order: list[str] = field(default_factory=list)  # departments in the organisation's order (colours)
    frozen: dict[str, Any] = field(default_factory=dict)  # who froze it, when, the imports in force

    def figure(self, key: str, point: str = "now") -> float | None:
        value = self.headline.set_index("key").loc[key, point]
        return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)

    def summary(self) -> str:
        return summary_text(self)

    # -- freezing

    TABLES = (
        "headline",
        "departments",
        "red",
        "black",
        "overdue_tasks",
        "due_soon",
        "overdue_issues",
        "open_issues",
        "logged",
        "struck_off",
        "score_gaps",
        "at_risk",
        "participation",
        "by_month",
        "leaders",
    )

    def to_json(self) -> str:
        return json.dumps(
            {
                "period": self.period.code,
                "as_of": self.as_of.isoformat(),
                "month_before": self.month_before.isoformat(),
                "quarter_before": self.quarter_before.isoformat(),
                "frozen": self.frozen,
                "order": self.order,
                "tables": {name: _records(getattr(self, name)) for name in self.TABLES},
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> Review:
        data = json.loads(text)
        tables = {name: _frame(records) for name, records in data["tables"].items()}
        return cls(
            period=Period.parse(data["period"]),
            as_of=dt.date.fromisoformat(data["as_of"]),
            month_before=dt.date.fromisoformat(data["month_before"]),
            quarter_before=dt.date.fromisoformat(data["quarter_before"]),
            frozen=data.get("frozen", {}),
            order=data.get("order", []),
            **tables,
        )


def _records(frame: pd.DataFrame) -> dict[str, Any]:
    return json.loads(frame.to_json(orient="split", date_format="iso", index=False))


def _frame(records: dict[str, Any]) -> pd.DataFrame:
    frame = pd.DataFrame(records["data"], columns=records["columns"])
    for column in frame.columns:
        if column in {"deadline", "done_on", "found_on", "closed_on", "month"}:
            frame[column] = pd.to_datetime(frame[column])
    return frame


def build(query: Query, period: Period, today: dt.date, departments: list[str] | None = None) -> Review:
    """Every figure of the review of ``period``, as known on ``today``."""
    as_of = min(period.end, today)
    month_before = trend.previous_month_end(as_of)
    quarter_before = months_before(as_of, 3)
    points = {"now": as_of, "month_before": month_before, "quarter_before": quarter_before}

    def figures_at(name: str, day: dt.date) -> pd.DataFrame:
        return query(name, **at.params(day, departments))

    in_period = {"start": period.start, "end": as_of, "departments": at.params(as_of, departments)["departments"]}
    department_rows = _departments(figures_at, points, query("participation_in_period", **in_period))
    ledger = figures_at("issues_list", as_of)
    red, black = _boards(department_rows)
    return Review(
        period=period,
        as_of=as_of,
        month_before=month_before,
        quarter_before=quarter_before,
        headline=_headline(figures_at, points),
        departments=department_rows,
        red=red,
        black=black,
        overdue_tasks=figures_at("tasks_overdue", as_of),
        due_soon=figures_at("tasks_due_soon", as_of),
        overdue_issues=_overdue_issues(ledger),
        open_issues=ledger[~ledger["is_closed"].astype(bool)].reset_index(drop=True),
        logged=query("issues_logged", **in_period),
        struck_off=query("issues_struck_off", **in_period),
        score_gaps=_score_gaps(figures_at("scores_items", as_of)),
        at_risk=figures_at("scores_at_risk", as_of),
        participation=department_rows[["department", "activities", "person_times", "volunteer_hours"]]
        .query("activities > 0")
        .sort_values(["person_times", "department"], ascending=[False, True])
        .reset_index(drop=True),
        by_month=figures_at("participation_by_month", as_of),
        leaders=_leaders(figures_at("tasks_by_leader", as_of)),
        order=query("departments")["department"].tolist(),
    )


def _leaders(by_leader: pd.DataFrame) -> pd.DataFrame:
    """The tasks by 责任领导, as the task pages group them; empty when no task names a leader."""
    named = by_leader[by_leader["leader"] != ""]
    return by_leader.reset_index(drop=True) if not named.empty else by_leader.iloc[0:0]


def _value(frame: pd.DataFrame, column: str) -> float | None:
    if frame.empty:
        return None
    value = frame.iloc[0][column]
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def _headline(figures_at: Callable[..., pd.DataFrame], points: dict[str, dt.date]) -> pd.DataFrame:
    results: dict[tuple[str, str], pd.DataFrame] = {}
    rows = []
    for key, (name, column, rate) in FIGURES.items():
        row: dict[str, Any] = {"key": key, "rate": rate}
        for point, day in points.items():
            if (name, point) not in results:
                results[(name, point)] = figures_at(name, day)
            row[point] = _value(results[(name, point)], column)
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame["delta_month"] = frame["now"] - frame["month_before"]
    frame["delta_quarter"] = frame["now"] - frame["quarter_before"]
    return frame


def _departments(
    figures_at: Callable[..., pd.DataFrame], points: dict[str, dt.date], period: pd.DataFrame
) -> pd.DataFrame:
    """One row per department: task figures now and before, ledger now, participation in the period."""
    keep = ["department", "total", "done", "completion_rate", "overdue", "due_soon"]
    now = figures_at("tasks_by_department", points["now"])[keep]
    month = figures_at("tasks_by_department", points["month_before"])[["department", "completion_rate", "overdue"]]
    quarter = figures_at("tasks_by_department", points["quarter_before"])[["department", "completion_rate"]]
    issues = figures_at("issues_by_department", points["now"])[["department", "open", "overdue"]]
    frame = (
        now.merge(
            month.add_suffix("_month_before").rename(columns={"department_month_before": "department"}),
            on="department",
            how="outer",
        )
        .merge(
            quarter.rename(columns={"completion_rate": "completion_rate_quarter_before"}), on="department", how="left"
        )
        .merge(
            issues.rename(columns={"open": "issues_open", "overdue": "issues_overdue"}), on="department", how="outer"
        )
        .merge(period, on="department", how="outer")
    )
    frame["is_new"] = frame["completion_rate"].notna() & frame["completion_rate_month_before"].isna()
    frame["completion_delta_month"] = frame["completion_rate"] - frame["completion_rate_month_before"]
    frame["completion_delta_quarter"] = frame["completion_rate"] - frame["completion_rate_quarter_before"]
    frame["overdue_delta_month"] = frame["overdue"] - frame["overdue_month_before"]
    counts = [
        "total",
        "done",
        "overdue",
        "due_soon",
        "issues_open",
        "issues_overdue",
        "activities",
        "person_times",
        "volunteer_hours",
    ]
    frame[counts] = frame[counts].fillna(0)
    frame = frame[frame["department"].notna()]
    return frame.sort_values(
        ["completion_rate", "department"], ascending=[False, True], na_position="last"
    ).reset_index(drop=True)


# The boards of WORKBOOKS' 红榜 and 黑榜 (docs/RULES.md §6): each list's order, with the tie-breaker
# after the figure. Filled in this order, a department goes on the first list it qualifies for only:
# a department with overdue tasks is named before it is praised, and praise for the best rate comes
# before "no progress".
BOARDS: tuple[tuple[str, str, tuple[tuple[str, bool], ...]], ...] = (
    ("black", "most_overdue", (("overdue", False), ("completion_rate", True))),
    ("red", "best", (("completion_rate", False), ("done", False))),
    ("red", "improved", (("completion_delta_month", False), ("completion_rate", False))),
    ("black", "no_progress", (("completion_delta_month", True), ("completion_rate", True))),
)
BOARD_FIELDS = ["board", "department", "value", "completion_rate", "overdue", "more"]


def _qualifies(tasks: pd.DataFrame, board: str) -> pd.Series:
    """Who may stand on a list: figures known, and for the change lists a change at the shown precision."""
    rise = tasks["completion_delta_month"].round(3)
    return {
        "most_overdue": tasks["overdue"] > 0,
        "best": tasks["completion_rate"].notna(),
        "improved": rise > 0,
        "no_progress": (rise <= 0) & (tasks["completion_rate"] < 1),
    }[board]


def _board(tasks: pd.DataFrame, board: str, order: tuple[tuple[str, bool], ...]) -> pd.DataFrame:
    """The TOP departments of one list, and everyone tied with the last of them (on the figure and
    its tie-breaker, at the precision shown); past 2 × TOP the list stops and says "等 N 个部门"."""
    columns = [column for column, _ in order]
    chosen = tasks[_qualifies(tasks, board)].sort_values(
        [*columns, "department"], ascending=[*(ascending for _, ascending in order), True]
    )
    if len(chosen) > TOP:
        keys = chosen[columns].round(3)
        last = keys.iloc[TOP - 1]
        tied = (keys == last).all(axis=1)
        chosen = chosen[(pd.Series(range(len(chosen)), index=chosen.index) < TOP) | tied]
    more = max(len(chosen) - 2 * TOP, 0)
    shown = chosen.head(TOP) if more else chosen
    rows = shown.assign(board=board, value=shown[columns[0]], more=0)
    if more:
        extra = {
            "board": board,
            "department": t("review.board.more", count=len(chosen) - TOP),
            "more": len(chosen) - TOP,
        }
        rows = pd.concat([rows, pd.DataFrame([extra])], ignore_index=True)
    return rows[BOARD_FIELDS]


def _boards(departments: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """红榜 and 黑榜: each department at most once in the month's lists, never on both."""
    left = departments[departments["total"] > 0]
    lists: dict[str, list[pd.DataFrame]] = {"red": [], "black": []}
    for side, board, order in BOARDS:
        rows = _board(left, board, order)
        lists[side].append(rows)
        left = left[~left["department"].isin(rows["department"])]
    red, black = (pd.concat(lists[side], ignore_index=True) for side in ("red", "black"))
    order = {board: n for n, (_, board, _) in enumerate(BOARDS)}
    return (
        red.sort_values("board", key=lambda b: b.map(order), kind="stable").reset_index(drop=True),
        black.sort_values("board", key=lambda b: b.map(order), kind="stable").reset_index(drop=True),
    )


def _overdue_issues(issues: pd.DataFrame) -> pd.DataFrame:
    return (
        issues[issues["is_overdue"].fillna(False).astype(bool)]
        .sort_values(["days_overdue", "department"], ascending=[False, True])
        .reset_index(drop=True)
    )


def _score_gaps(items: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    scored = items[~items["unscored"] & (items["lost"] > 0)]
    return scored.nlargest(top, "lost").reset_index(drop=True)


# ---------------------------------------------------------------- the 通报 text


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _change(delta: float | None, rate: bool) -> str:
    """较上月提高8.3个百分点 / 下降2项 / 与上月持平, at the precision of changes.Change."""
    value = changes.change("completion_rate", delta, rate).rounded
    if value is None:
        return t("review.text.no_previous")
    if value == 0:
        return t("review.text.flat")
    direction = "up" if value > 0 else "down"
    amount = f"{abs(value):.1f}" if rate else f"{abs(value):,.0f}"
    return t(f"review.text.{direction}_{'points' if rate else 'count'}", value=amount)


def summary_text(review: Review) -> str:
    """The auto-written 通报 paragraph; every number in it comes from the review's own tables."""
    h = review.headline.set_index("key")
    day = review.as_of
    overdue_by = review.departments[review.departments["overdue"] > 0].sort_values(
        ["overdue", "department"], ascending=[False, True]
    )
    parts = [
        t(
            "review.text.tasks",
            month=day.month,
            day=day.day,
            total=_num(h.loc["tasks_total", "now"]),
            done=_num(h.loc["tasks_done", "now"]),
            rate=_pct(h.loc["completion_rate", "now"]),
            change=_change(_nan_none(h.loc["completion_rate", "delta_month"]), True),
        ),
    ]
    if overdue_by.empty:
        parts.append(t("review.text.no_overdue"))
    else:
        names = t("sep.list").join(
            t("review.text.dept_count", name=r.department, count=int(r.overdue)) for r in overdue_by.itertuples()
        )
        parts.append(
            t(
                "review.text.overdue",
                count=_num(h.loc["overdue", "now"]),
                departments=len(overdue_by),
                names=names,
            )
        )
    if _nan_none(h.loc["attainment", "now"]) is not None:
        parts.append(
            t(
                "review.text.scores",
                rate=_pct(h.loc["attainment", "now"]),
                change=_change(_nan_none(h.loc["attainment", "delta_month"]), True),
            )
        )
    parts.append(
        t(
            "review.text.issues",
            open=_num(h.loc["issues_open", "now"]),
            overdue=_num(h.loc["issues_overdue", "now"]),
            logged=len(review.logged),
            struck=len(review.struck_off),
            rate=_pct(h.loc["closing_rate", "now"]),
        )
    )
    parts.append(
        t(
            "review.text.participation",
            activities=_num(review.participation["activities"].sum()),
            person_times=_num(review.participation["person_times"].sum()),
        )
    )
    best = listed(review.red, "best")
    improved = listed(review.red, "improved")
    laggards = listed(review.black, "most_overdue")
    if not best.empty:
        parts.append(t("review.text.best", name=best.iloc[0].department, rate=_pct(best.iloc[0].value)))
    if not improved.empty:
        parts.append(
            t("review.text.improved", name=improved.iloc[0].department, value=f"{improved.iloc[0].value * 100:.1f}")
        )
    if not laggards.empty:
        parts.append(t("review.text.urge", names=t("sep.list").join(laggards["department"])))
    return t("review.text.join").join(parts) + t("review.text.end")


def listed(boards: pd.DataFrame, board: str) -> pd.DataFrame:
    """The departments named on one list (without its "等 N 个部门" row)."""
    rows = boards[boards["board"] == board]
    return rows[rows["more"].fillna(0) == 0] if "more" in rows else rows


def _nan_none(value: Any) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)
