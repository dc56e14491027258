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

from wenming.figures import trend
from wenming.text import t

Query = Callable[..., pd.DataFrame]

# key -> (query, column, is a rate, a rise is bad)
FIGURES: dict[str, tuple[str, str, bool, bool]] = {
    "tasks_total": ("tasks_summary", "total", False, False),
    "tasks_done": ("tasks_summary", "done", False, False),
    "completion_rate": ("tasks_summary", "completion_rate", True, False),
    "overdue": ("tasks_summary", "overdue", False, True),
    "attainment": ("scores_summary", "attainment", True, False),
    "issues_open": ("issues_summary", "open", False, True),
    "issues_overdue": ("issues_summary", "overdue", False, True),
    "closing_rate": ("issues_summary", "closing_rate", True, False),
    "person_times": ("participation_summary", "person_times", False, False),
    "evidence_coverage": ("evidence_summary", "coverage", True, False),
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

    def at(name: str, day: dt.date, **extra: Any) -> pd.DataFrame:
        return query(name, **trend.params_at(day, today, departments), **extra)

    now = trend.params_at(as_of, today, departments)
    in_period = {"start": period.start, "end": as_of, "snapshot": now["snapshot"], "departments": departments}
    department_rows = _departments(at, points, query("participation_in_period", **in_period))
    ledger = at("issues_list", as_of)
    return Review(
        period=period,
        as_of=as_of,
        month_before=month_before,
        quarter_before=quarter_before,
        headline=_headline(at, points),
        departments=department_rows,
        red=_red(department_rows),
        black=_black(department_rows),
        overdue_tasks=at("tasks_overdue", as_of),
        due_soon=at("tasks_due_soon", as_of),
        overdue_issues=_overdue_issues(ledger),
        open_issues=ledger[~ledger["is_closed"].astype(bool)].reset_index(drop=True),
        logged=query("issues_logged", **in_period),
        struck_off=query("issues_struck_off", **in_period),
        score_gaps=_score_gaps(at("scores_items", as_of)),
        at_risk=at("scores_at_risk", as_of),
        participation=department_rows[["department", "activities", "person_times", "volunteer_hours"]]
        .query("activities > 0")
        .sort_values(["person_times", "department"], ascending=[False, True])
        .reset_index(drop=True),
        by_month=at("participation_by_month", as_of),
        order=query("departments")["department"].tolist(),
    )


def _value(frame: pd.DataFrame, column: str) -> float | None:
    if frame.empty:
        return None
    value = frame.iloc[0][column]
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def _headline(at: Callable[..., pd.DataFrame], points: dict[str, dt.date]) -> pd.DataFrame:
    results: dict[tuple[str, str], pd.DataFrame] = {}
    rows = []
    for key, (name, column, rate, rise_is_bad) in FIGURES.items():
        row: dict[str, Any] = {"key": key, "rate": rate, "rise_is_bad": rise_is_bad}
        for point, day in points.items():
            if (name, point) not in results:
                results[(name, point)] = at(name, day)
            row[point] = _value(results[(name, point)], column)
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame["delta_month"] = frame["now"] - frame["month_before"]
    frame["delta_quarter"] = frame["now"] - frame["quarter_before"]
    return frame


def _departments(at: Callable[..., pd.DataFrame], points: dict[str, dt.date], period: pd.DataFrame) -> pd.DataFrame:
    """One row per department: task figures now and before, ledger now, participation in the period."""
    keep = ["department", "total", "done", "completion_rate", "overdue", "due_soon"]
    now = at("tasks_by_department", points["now"])[keep]
    month = at("tasks_by_department", points["month_before"])[["department", "completion_rate", "overdue"]]
    quarter = at("tasks_by_department", points["quarter_before"])[["department", "completion_rate"]]
    issues = at("issues_by_department", points["now"])[["department", "open", "overdue"]]
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


def _ranked(frame: pd.DataFrame, board: str, column: str, ascending: bool, keep: pd.Series) -> pd.DataFrame:
    chosen = frame[keep].sort_values([column, "overdue", "department"], ascending=[ascending, True, True]).head(TOP)
    return chosen.assign(board=board, value=chosen[column])[
        ["board", "department", "value", "completion_rate", "overdue"]
    ]


def _red(departments: pd.DataFrame) -> pd.DataFrame:
    """红榜: the best completion rates and the largest rises since last month."""
    tasks = departments[departments["total"] > 0]
    return pd.concat(
        [
            _ranked(tasks, "best", "completion_rate", False, tasks["completion_rate"].notna()),
            _ranked(tasks, "improved", "completion_delta_month", False, tasks["completion_delta_month"] > 0),
        ],
        ignore_index=True,
    )


def _black(departments: pd.DataFrame) -> pd.DataFrame:
    """黑榜: the most overdue tasks, and no progress (or a fall) since last month."""
    tasks = departments[departments["total"] > 0]
    most_overdue = (
        tasks[tasks["overdue"] > 0]
        .sort_values(["overdue", "completion_rate", "department"], ascending=[False, True, True])
        .head(TOP)
    )
    return pd.concat(
        [
            most_overdue.assign(board="most_overdue", value=most_overdue["overdue"])[
                ["board", "department", "value", "completion_rate", "overdue"]
            ],
            _ranked(
                tasks,
                "no_progress",
                "completion_delta_month",
                True,
                (tasks["completion_delta_month"] <= 0) & (tasks["completion_rate"] < 1),
            ),
        ],
        ignore_index=True,
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
    """较上月提高8.3个百分点 / 下降2项 / 与上月持平."""
    if delta is None:
        return t("review.text.no_previous")
    if round(delta * (1000 if rate else 1)) == 0:
        return t("review.text.flat")
    direction = "up" if delta > 0 else "down"
    amount = f"{abs(delta) * 100:.1f}" if rate else f"{abs(delta):,.0f}"
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
        names = "、".join(
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
    best = review.red[review.red["board"] == "best"]
    improved = review.red[review.red["board"] == "improved"]
    laggards = review.black[review.black["board"] == "most_overdue"]
    if not best.empty:
        parts.append(t("review.text.best", name=best.iloc[0].department, rate=_pct(best.iloc[0].value)))
    if not improved.empty:
        parts.append(
            t("review.text.improved", name=improved.iloc[0].department, value=f"{improved.iloc[0].value * 100:.1f}")
        )
    if not laggards.empty:
        parts.append(t("review.text.urge", names="、".join(laggards["department"])))
    return t("review.text.join").join(parts) + t("review.text.end")


def _nan_none(value: Any) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)
