"""The summary as plain tables in a terminal: `python -m wenming summary` without --json."""

from __future__ import annotations

import unicodedata
from typing import Any

import pandas as pd

from wenming import text
from wenming.render import audit, plain


def _cell(value: Any, rate: bool = False) -> str:
    if value is None:
        return "—"
    if rate:
        return f"{value:.1%}"
    return f"{round(value, 2):g}" if isinstance(value, float) else str(value)


def _width(value: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in value)


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(_width(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    lines = []
    for row in [headers, *rows]:
        lines.append("  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)).rstrip())
    return "\n".join(lines)


def frame_table(frame: pd.DataFrame, columns: list[str]) -> str:
    """Rows of a frame for a terminal: headers in the language asked for, dates as 2026-07-15, blanks as —."""

    def shown(column: str, value: object) -> str:
        if value is None or value is pd.NaT or (isinstance(value, float) and value != value) or value == "":
            return "—"
        if column in audit.USER_COLUMNS and isinstance(value, str):
            return audit.operator(value)
        return _cell(plain.when(value))

    rows = [[shown(c, v) for c, v in zip(columns, row, strict=True)] for row in frame[columns].itertuples(index=False)]
    return table([text.t(f"col.{c}") for c in columns], rows)


def _section(title: str, totals: dict[str, Any], keys: list[str], rates: set[str], by: str, by_keys: list[str]) -> str:
    head = [text.t(f"label.{k}") for k in keys]
    lines = [f"== {title} ==", table(head, [[_cell(totals[k], k in rates) for k in keys]])]
    rows = [[name] + [_cell(values[k], k in rates) for k in by_keys] for name, values in totals[by].items()]
    if rows:
        lines.append("")
        lines.append(
            table(
                [text.t("label.department" if by == "by_department" else "label.category")]
                + [text.t(f"label.{k}") for k in by_keys],
                rows,
            )
        )
    return "\n".join(lines)


def format_summary(figures: dict[str, Any]) -> str:
    """The summary as plain tables, for people reading a terminal or a scheduled mail."""
    rates = {"completion_rate", "attainment", "closing_rate"}
    tasks, scores, issues, part = figures["tasks"], figures["scores"], figures["issues"], figures["participation"]
    parts = [
        text.t("cli.summary_title", as_of=figures["as_of"]),
        _section(
            text.t("section.tasks"),
            tasks,
            ["total", "done", "overdue", "ongoing", "due_soon", "completion_rate"],
            rates,
            "by_department",
            ["total", "done", "overdue", "completion_rate"],
        ),
        _section(
            text.t("section.scores"),
            scores,
            ["max", "score", "attainment", "unscored", "not_applicable", "deductions"],
            rates,
            "by_category",
            ["max", "score"],
        ),
        _section(
            text.t("section.issues"),
            issues,
            ["total", "closed", "open", "overdue"],
            rates,
            "by_department",
            ["total", "closed", "overdue"],
        ),
        _section(
            text.t("section.participation"),
            part,
            ["activities", "person_times", "volunteer_hours"],
            rates,
            "by_department",
            ["activities", "person_times", "volunteer_hours", "headcount", "person_times_per_head"],
        ),
    ]
    if scores.get("total") is not None:
        parts[2] += "\n" + text.t("cli.score_total", total=_cell(scores["total"]))
    veto = scores.get("veto") or {}
    if veto.get("triggered"):  # a triggered 一票否决 is the first thing said (WORKBOOKS.md §7)
        items = text.t("sep.list").join(veto["triggered_items"])
        parts.insert(1, text.t("veto.triggered", count=veto["triggered"], items=items))
    return "\n\n".join(parts)
