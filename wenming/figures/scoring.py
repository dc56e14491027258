"""The score headline: base points and bonus points shown apart ("100 + 10"), never mixed."""

from __future__ import annotations

import pandas as pd


def _points(value: float) -> str:
    return f"{value:g}" if value == round(value, 1) else f"{value:.1f}"


def with_bonus(base: float, bonus: float, bonus_max: float) -> str:
    """87.5, or 87.5 + 6 when the evaluation system has bonus items."""
    return f"{_points(base)} + {_points(bonus)}" if bonus_max else _points(base)


def headline(totals: pd.Series, at_risk: pd.DataFrame) -> list[tuple[str, str]]:
    """(label key, value) for the score page's metrics, from scores_summary and scores_at_risk.

    满分 is the whole system ("100 + 10"); attainment is over scored items only.
    """
    attainment = totals["attainment"]
    return [
        ("scores.score", with_bonus(totals["score"], totals["bonus_score"], totals["bonus_full_max"])),
        ("scores.full_max", with_bonus(totals["full_max"], totals["bonus_full_max"], totals["bonus_full_max"])),
        ("label.attainment", "—" if attainment != attainment or attainment is None else f"{attainment:.1%}"),
        ("label.lost", _points(totals["lost"])),
        ("label.unscored", f"{int(totals['unscored'])}"),
        ("scores.points_at_risk", _points(float(at_risk["max"].sum())) if len(at_risk) else "0"),
    ]


def adjustments(totals: pd.Series) -> list[tuple[str, str]]:
    """(label key, value) of what §7 adds to the headline: deductions (减分项), the total
    (score + bonus + deductions) and items not applicable (不涉及); empty when the sheet has none."""
    deductions = float(totals.get("deductions", 0) or 0)
    not_applicable = int(totals.get("not_applicable", 0) or 0)
    if not deductions and not not_applicable and not int(totals.get("deduction_items", 0) or 0):
        return []
    return [
        ("scores.deductions_total", _points(deductions)),
        ("scores.total", _points(float(totals["total"]))),
        ("scores.not_applicable", f"{not_applicable}"),
    ]
