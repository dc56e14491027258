"""The headline figures as one dictionary: what `python -m wenming summary --json` prints."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd

from wenming import text
from wenming.figures import at
from wenming.store import Store


def _number(value: Any) -> int | float | None:
    """A JSON number: whole counts as int, NaN/NULL as None."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value) if not isinstance(value, bool) else value
    if hasattr(value, "item"):
        return _number(value.item())
    return value


def _row(frame: pd.DataFrame, keys: tuple[str, ...]) -> dict[str, Any]:
    record = frame.iloc[0] if len(frame) else pd.Series(dtype=object)
    return {key: _number(record.get(key)) for key in keys}


def _by(frame: pd.DataFrame, key: str, fields: tuple[str, ...], missing: str) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for record in frame.to_dict("records"):
        name = record[key]
        label = missing if name is None or (isinstance(name, float) and math.isnan(name)) else str(name)
        out[label] = {field: _number(record[field]) for field in fields}
    return out


def _by_leader(frame: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Tasks by 责任领导, as by department; empty when no task names a leader."""
    if not frame["leader"].ne("").any():
        return {}
    named = frame.assign(leader=frame["leader"].replace("", text.t("no_leader")))
    return _by(named, "leader", ("total", "done", "overdue", "completion_rate"), text.t("no_leader"))


def build(store: Store, as_of: dt.date, departments: list[str] | None = None) -> dict[str, Any]:
    """Every figure of ``as_of``, by the queries and the one rule (at.params) the pages use."""
    params = at.params(as_of, departments)
    no_dept = text.t("no_department")
    tasks = {
        **_row(
            store.query("tasks_summary", **params),
            ("total", "done", "overdue", "ongoing", "due_soon", "completion_rate"),
        ),
        "by_department": _by(
            store.query("tasks_by_department", **params),
            "department",
            ("total", "done", "overdue", "completion_rate"),
            no_dept,
        ),
        "by_leader": _by_leader(store.query("tasks_by_leader", **params)),
    }
    score_totals = store.query("scores_summary", **params)
    vetoes = store.query("scores_vetoes", **params)
    scores = {
        **_row(
            score_totals,
            (
                "max",
                "score",
                "attainment",
                "unscored",
                "bonus_max",
                "bonus_score",
                "not_applicable",
                "deductions",
                "total",
            ),
        ),
        "veto": {
            "items": len(vetoes),
            "triggered": int(vetoes["triggered"].sum()),
            "triggered_items": [str(item) for item in vetoes.loc[vetoes["triggered"], "item"]],
        },
        "by_category": _by(
            store.query("scores_by_category", **params), "category", ("max", "score"), text.t("no_category")
        ),
        "by_department": _by(store.query("scores_by_department", **params), "department", ("max", "score"), no_dept),
    }
    issues = {
        **_row(store.query("issues_summary", **params), ("total", "closed", "open", "overdue", "closing_rate")),
        "by_department": _by(
            store.query("issues_by_department", **params), "department", ("total", "closed", "overdue"), no_dept
        ),
    }
    participation = {
        **_row(
            store.query("participation_summary", **params),
            ("activities", "person_times", "volunteer_hours", "attendance_rate"),
        ),
        "by_department": _by(
            store.query("participation_by_department", **params),
            "department",
            ("activities", "person_times", "volunteer_hours", "headcount", "person_times_per_head"),
            no_dept,
        ),
    }
    surveys = {
        "by_department": _by(
            store.query("surveys_by_department", **params),
            "department",
            ("awareness_rate", "participation_rate", "support_rate", "satisfaction_rate", "respondents"),
            no_dept,
        ),
    }
    evidence = {
        **_row(store.query("evidence_summary", **params), ("items", "with_evidence", "coverage", "files", "links")),
        "by_category": _by(
            store.query("evidence_by_category", **params),
            "category",
            ("items", "with_evidence", "coverage"),
            text.t("no_category"),
        ),
    }
    return {
        "as_of": as_of.isoformat(),
        "tasks": tasks,
        "scores": scores,
        "issues": issues,
        "participation": participation,
        "surveys": surveys,
        "evidence": evidence,
    }
