"""A review's figures as summaries: what `python -m wenming review --json` prints.

Each of current, previous and quarter_ago is exactly ``summary.build`` of its date,
so the review, `summary --as-of` that date and the pages at that date agree by
construction. A frozen review prints what was frozen, marked ``"frozen": true``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from wenming.figures import summary
from wenming.figures.review import Period, Review, months_before
from wenming.store import Store


def points(period: Period, as_of: dt.date) -> dict[str, dt.date]:
    """current: as_of; previous: the end of the month (or quarter) before; quarter_ago: three months before."""
    previous = months_before(as_of, 1 if period.kind == "month" else 3)
    return {"current": as_of, "previous": previous, "quarter_ago": months_before(as_of, 3)}


def summaries(store: Store, period: Period, today: dt.date, departments: list[str] | None = None) -> dict[str, Any]:
    """The figures of the review of ``period`` as known on ``today``, each point by summary.build."""
    as_of = min(period.end, today)
    days = points(period, as_of)
    figures = {name: summary.build(store, day, departments) for name, day in days.items()}
    return {"period": period.code, "as_of": as_of.isoformat(), **figures, "frozen": False}


def frozen_summaries(kept: Review) -> dict[str, Any]:
    """What a frozen review kept: its summaries (reviews frozen before they were kept: null) and headline."""
    stored = kept.frozen.get("summaries") or {}
    headline = kept.headline.set_index("key")[["now", "month_before", "quarter_before"]]
    return {
        "period": kept.period.code,
        "as_of": kept.as_of.isoformat(),
        **{name: stored.get(name) for name in ("current", "previous", "quarter_ago")},
        "frozen": True,
        "frozen_at": kept.frozen.get("frozen_at"),
        "frozen_by": kept.frozen.get("frozen_by"),
        "headline": {
            key: {point: (None if value != value else value) for point, value in row.items()}
            for key, row in headline.to_dict("index").items()
        },
    }
