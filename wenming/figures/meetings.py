"""What a monthly meeting leaves behind: frozen reviews and the follow-ups (督办事项) it assigns.

A frozen review is stored as presented, so it shows the same numbers later; a
follow-up joins the issue ledger as an open problem (source 例会督办) until it
is struck off, and is overdue after its deadline like any other problem.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import pandas as pd

from wenming.figures import review_summaries
from wenming.figures.review import Period, Review
from wenming.read import values
from wenming.store import Store, auth
from wenming.text import t


@dataclass(frozen=True)
class Changes:
    """What changed since a review was frozen: later imports, and figures that now differ."""

    imports: pd.DataFrame  # import_id, imported_at, user_name, file_name
    figures: pd.DataFrame  # key, frozen, now


def freeze(store: Store, review: Review, user: str | auth.User) -> int:
    """Keep the review exactly as presented; returns its id. Only the 创建办 (admins) may."""
    clerk = auth.actor(store, user)
    auth.check_meeting(clerk, review.period.label())
    imports = store.sources()["import_id"].drop_duplicates().sort_values().tolist()
    kept = review_summaries.summaries(store, review.period, review.as_of)
    frozen_at = dt.datetime.now().replace(microsecond=0)
    with store.writing(review.period.label(), data=False) as con:
        last = int(con.execute("select coalesce(max(import_id), 0) from imports").fetchall()[0][0])
        review.frozen = {
            "frozen_at": frozen_at.isoformat(sep=" "),
            "frozen_by": clerk.name,
            "imports": imports,
            "last_import": last,
            "summaries": {name: kept[name] for name in ("current", "previous", "quarter_ago")},
        }
        review_id = int(con.execute("select nextval('review_ids')").fetchall()[0][0])
        con.execute(
            "insert into reviews values (?, ?, ?, ?, ?, ?, ?)",
            [review_id, review.period.code, review.as_of, frozen_at, clerk.name, json.dumps(imports), review.to_json()],
        )
    return review_id


def frozen(store: Store, period: Period) -> Review | None:
    """The latest frozen review of a period, as it was presented."""
    row = store._row("select content from reviews where period = ? order by review_id desc limit 1", [period.code])
    return None if row is None else Review.from_json(row[0])


def changes_since(store: Store, kept: Review, fresh: Review) -> Changes:
    """Imports after the freeze, and headline figures that differ from the frozen ones."""
    later = store.con.execute(
        "select import_id, imported_at, user_name, file_name from imports where import_id > ? order by import_id",
        [kept.frozen["last_import"]],
    ).df()
    both = kept.headline[["key", "now"]].merge(fresh.headline[["key", "now"]], on="key", suffixes=("_frozen", "_fresh"))
    differ = both[~_same(both["now_frozen"], both["now_fresh"])]
    return Changes(later, differ.rename(columns={"now_frozen": "frozen", "now_fresh": "now"}))


def _same(a: pd.Series, b: pd.Series) -> pd.Series:
    return (a.isna() & b.isna()) | ((a - b).abs() < 1e-9)


def add_followup(
    store: Store,
    period: Period,
    *,
    problem: str,
    department: str,
    deadline: dt.date | None,
    user: str | auth.User,
    today: dt.date | None = None,
) -> int:
    """Record a 督办事项 assigned in the meeting of ``period``; it joins the issue ledger."""
    clerk = auth.actor(store, user)
    auth.check_meeting(clerk, period.label())
    problem = problem.strip()
    department = values.department(department, store.aliases()) or ""
    if not problem or not department:
        raise ValueError("a follow-up needs what and which department")
    source = t("review.followup_source", period=period.label())
    with store.writing(problem) as con:
        followup_id = int(con.execute("select nextval('followup_ids')").fetchall()[0][0])
        con.execute(
            "insert into followups values (?, ?, ?, ?, ?, ?, ?, ?, null, null)",
            [followup_id, period.code, today or dt.date.today(), clerk.name, problem, department, source, deadline],
        )
    return followup_id


def close_followup(store: Store, followup_id: int, *, user: str | auth.User, on: dt.date | None = None) -> None:
    """Strike a follow-up off (销号)."""
    clerk = auth.actor(store, user)
    auth.check_meeting(clerk, f"#{followup_id}")
    with store.writing(f"#{followup_id}") as con:
        con.execute(
            "update followups set closed_on = ?, closed_by = ? where followup_id = ?",
            [on or dt.date.today(), clerk.name, followup_id],
        )


def followups(store: Store, period: Period | None = None) -> pd.DataFrame:
    return store.con.execute(
        "select * from followups where ? is null or period = ? order by followup_id",
        [None if period is None else period.code] * 2,
    ).df()
