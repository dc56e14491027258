"""What a meeting leaves behind: frozen reviews keep their numbers; follow-ups join the issue ledger."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.test_review import OCTOBER, TODAY, history, month  # noqa: F401 - the fixture is used by name
from wenming.figures import meetings, review
from wenming.figures.review import Period
from wenming.store import Store

PARAMS = {"snapshot": None, "departments": None}


def test_a_frozen_review_keeps_its_numbers_after_new_imports(history: Store) -> None:  # noqa: F811
    october = Period.parse("2025-10")
    presented = review.build(history.query, october, TODAY)
    meetings.freeze(history, presented, "王秘书")
    # A corrected October tracker arrives after the meeting: H is now done too.
    corrected = [row if row[0] != "H" else ["H", "研究室", "2025-10-20", "已完成", "2025-10-25"] for row in OCTOBER]
    history.import_file(month("截至2025年10月31日", corrected), "10-corrected.xlsx", user="t")

    kept = meetings.frozen(history, october)
    fresh = review.build(history.query, october, TODAY)
    assert kept is not None and kept.summary() == presented.summary()
    assert kept.figure("tasks_done") == 5 and fresh.figure("tasks_done") == 6
    assert kept.frozen["frozen_by"] == "王秘书" and kept.frozen["imports"] == [3]
    changes = meetings.changes_since(history, kept, fresh)
    assert changes.imports["file_name"].tolist() == ["10-corrected.xlsx"]
    assert set(changes.figures["key"]) == {"tasks_done", "completion_rate", "overdue"}
    row = changes.figures.set_index("key").loc["tasks_done"]
    assert (row["frozen"], row["now"]) == (5, 6)


def test_no_frozen_review_for_another_period(history: Store) -> None:  # noqa: F811
    meetings.freeze(history, review.build(history.query, Period.parse("2025-10"), TODAY), "王秘书")
    assert meetings.frozen(history, Period.parse("2025-09")) is None


def test_a_follow_up_is_an_open_problem_until_struck_off(history: Store) -> None:  # noqa: F811
    october = Period.parse("2025-10")
    before = history.query("issues_summary", as_of=dt.date(2025, 11, 5), **PARAMS).iloc[0]
    followup = meetings.add_followup(
        history,
        october,
        problem="补齐志愿服务台账",
        department=" 研 究 室",
        deadline=dt.date(2025, 11, 20),
        user="王秘书",
        today=dt.date(2025, 11, 3),
    )
    on = history.query("issues_summary", as_of=dt.date(2025, 11, 5), **PARAMS).iloc[0]
    assert (on.total, on.open, on.overdue) == (before.total + 1, before.open + 1, before.overdue)
    ledger = history.query("issues_list", as_of=dt.date(2025, 11, 5), **PARAMS).set_index("problem")
    assert ledger.loc["补齐志愿服务台账", "department"] == "研究室"
    assert ledger.loc["补齐志愿服务台账", "source"] == "例会督办（2025年10月）"

    # Past its deadline it is overdue, and next month's review names it.
    late = history.query("issues_summary", as_of=dt.date(2025, 11, 30), **PARAMS).iloc[0]
    assert late.overdue == on.overdue + 1
    november = review.build(history.query, Period.parse("2025-11"), dt.date(2025, 11, 30))
    assert "补齐志愿服务台账" in november.overdue_issues["problem"].tolist()
    assert "补齐志愿服务台账" in november.logged["problem"].tolist()

    meetings.close_followup(history, followup, user="王秘书", on=dt.date(2025, 11, 25))
    closed = history.query("issues_summary", as_of=dt.date(2025, 11, 30), **PARAMS).iloc[0]
    assert (closed.closed, closed.overdue) == (on.closed + 1, on.overdue)
    assert meetings.followups(history)["closed_by"].tolist() == ["王秘书"]


def test_a_follow_up_did_not_exist_before_its_meeting(history: Store) -> None:  # noqa: F811
    meetings.add_followup(
        history,
        Period.parse("2025-10"),
        problem="整改",
        department="办公室",
        deadline=dt.date(2025, 11, 1),
        user="王秘书",
        today=dt.date(2025, 11, 3),
    )
    # The October review, seen from the end of October, does not hold it.
    october = review.build(history.query, Period.parse("2025-10"), dt.date(2025, 11, 5))
    assert "整改" not in october.open_issues["problem"].tolist()


def test_a_follow_up_needs_what_and_who(history: Store) -> None:  # noqa: F811
    with pytest.raises(ValueError):
        meetings.add_followup(
            history, Period.parse("2025-10"), problem=" ", department="办公室", deadline=None, user="王秘书"
        )


def test_follow_ups_change_the_cache_key(history: Store) -> None:  # noqa: F811
    version = history.version()
    meetings.add_followup(
        history, Period.parse("2025-10"), problem="整改", department="办公室", deadline=None, user="王秘书"
    )
    assert history.version() > version


def test_only_the_campaign_office_records_meetings(history: Store) -> None:  # noqa: F811
    from wenming.store import auth

    auth.add_user(history, "管理员", "admin", password="correct-horse-1")
    auth.add_user(history, "王局", "leader", password="correct-horse-1", by="管理员")
    october = Period.parse("2025-10")
    presented = review.build(history.query, october, TODAY)
    with pytest.raises(auth.Forbidden) as refused:
        meetings.freeze(history, presented, "王局")
    assert "只有创建办（管理员）可以定稿" in refused.value.message()
    with pytest.raises(auth.Forbidden):
        meetings.add_followup(history, october, problem="整改", department="办公室", deadline=None, user="王局")
    assert meetings.frozen(history, october) is None and meetings.followups(history).empty
    meetings.freeze(history, presented, "管理员")
    assert meetings.frozen(history, october).frozen["frozen_by"] == "管理员"
