"""The monthly review on three monthly trackers, every figure worked out by hand.

August: 办公室 A (done 8-10), B (due 8-20, in progress), C (due 9-15); 研究室 D (due 8-25), E (ongoing).
September: B done 9-05; C's deadline moved to 12-31; 法工委 appears with F (due 10-15) and G (done 9-20).
October: C done 10-20, D done 10-10; 研究室 adds H (due 10-20, open); the ledger arrives with P1–P3.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from tests.workbooks import workbook
from wenming.figures import review
from wenming.figures.review import Period
from wenming.store import Store

HEADER = ["工作任务", "牵头部门", "完成时限", "完成情况", "完成日期"]
AUGUST = [
    ["A", "办公室", "2025-08-15", "已完成", "2025-08-10"],
    ["B", "办公室", "2025-08-20", "推进中", ""],
    ["C", "办公室", "2025-09-15", "", ""],
    ["D", "研究室", "2025-08-25", "", ""],
    ["E", "研究室", "长期坚持", "", ""],
]
SEPTEMBER = [
    ["A", "办公室", "2025-08-15", "已完成", "2025-08-10"],
    ["B", "办公室", "2025-08-20", "已完成", "2025-09-05"],
    ["C", "办公室", "2025-12-31", "推进中", ""],  # the deadline moved
    ["D", "研究室", "2025-08-25", "", ""],
    ["E", "研究室", "长期坚持", "", ""],
    ["F", "法工委", "2025-10-15", "", ""],
    ["G", "法工委", "2025-09-30", "√", "2025-09-20"],
]
OCTOBER = [
    *SEPTEMBER[:2],
    ["C", "办公室", "2025-12-31", "已完成", "2025-10-20"],
    ["D", "研究室", "2025-08-25", "已完成", "2025-10-10"],
    ["E", "研究室", "长期坚持", "", ""],
    ["H", "研究室", "2025-10-20", "推进中", ""],
    *SEPTEMBER[5:],
]
LEDGER = [
    ["存在问题", "责任部门", "督查时间", "整改时限", "整改情况", "销号时间"],
    ["P1", "办公室", "2025-10-10", "2025-10-31", "已销号", "2025-10-25"],
    ["P2", "法工委", "2025-10-20", "2025-10-28", "整改中", ""],
    ["P3", "研究室", "2025-09-05", "2025-12-31", "整改中", ""],
]
TODAY = dt.date(2025, 11, 5)


def month(title: str, rows: list[list[object]], ledger: bool = False) -> bytes:
    sheets = [("任务分解", [[title], HEADER, *rows])]
    if ledger:
        sheets.append(("问题整改台账", [[title], *LEDGER]))
    return workbook(*sheets)


@pytest.fixture
def history(store: Store) -> Store:
    store.import_file(month("截至2025年8月31日", AUGUST), "08.xlsx", user="t")
    store.import_file(month("截至2025年9月30日", SEPTEMBER), "09.xlsx", user="t")
    store.import_file(month("截至2025年10月31日", OCTOBER, ledger=True), "10.xlsx", user="t")
    return store


def by_department(frame: pd.DataFrame) -> dict[str, dict]:
    return {row["department"]: row for row in frame.to_dict("records")}


def test_periods() -> None:
    october = Period.parse("2025-10")
    assert (october.start, october.end, october.code) == (dt.date(2025, 10, 1), dt.date(2025, 10, 31), "2025-10")
    q3 = Period.parse("2025-Q3")
    assert (q3.start, q3.end, q3.label()) == (dt.date(2025, 7, 1), dt.date(2025, 9, 30), "2025年第三季度")
    assert Period.containing(dt.date(2025, 11, 5)).code == "2025-11"
    with pytest.raises(ValueError):
        Period.parse("2025-13")


def test_october_headline_and_deltas(history: Store) -> None:
    r = review.build(history.query, Period.parse("2025-10"), TODAY)
    assert (r.as_of, r.month_before, r.quarter_before) == (
        dt.date(2025, 10, 31),
        dt.date(2025, 9, 30),
        dt.date(2025, 7, 31),
    )
    # 31 Oct: 8 tasks, A B C D G done; F and H overdue.  30 Sep: 7 tasks, A B G done; D overdue.
    # 31 Jul: before the first tracker, August's stands in and nothing was done by then.
    assert (r.figure("tasks_total"), r.figure("tasks_done"), r.figure("overdue")) == (8, 5, 2)
    assert r.figure("completion_rate") == pytest.approx(5 / 8)
    assert r.figure("completion_rate", "month_before") == pytest.approx(3 / 7)
    assert r.figure("completion_rate", "delta_month") == pytest.approx(5 / 8 - 3 / 7)
    assert r.figure("completion_rate", "quarter_before") == 0
    assert r.figure("overdue", "delta_month") == 1


def test_october_by_department(history: Store) -> None:
    r = review.build(history.query, Period.parse("2025-10"), TODAY)
    rows = by_department(r.departments)
    assert rows["办公室"]["completion_rate"] == 1 and rows["办公室"]["completion_delta_month"] == pytest.approx(1 / 3)
    assert rows["研究室"]["completion_rate"] == pytest.approx(1 / 3) and rows["研究室"]["overdue"] == 1
    assert rows["法工委"]["completion_delta_month"] == 0 and not rows["法工委"]["is_new"]


def test_october_rankings(history: Store) -> None:
    r = review.build(history.query, Period.parse("2025-10"), TODAY)
    red = r.red.groupby("board")["department"].apply(list).to_dict()
    black = r.black.groupby("board")["department"].apply(list).to_dict()
    # 研究室 and 法工委 both have one overdue task; the lower completion rate is named first. A department
    # stands on one list only (docs/RULES.md §6): named for overdue tasks, neither is praised nor named again.
    assert black == {"most_overdue": ["研究室", "法工委"]}
    assert red == {"best": ["办公室"]}


def test_a_moved_deadline_and_a_new_department(history: Store) -> None:
    r = review.build(history.query, Period.parse("2025-09"), TODAY)
    # C was due 9-15 in August's tracker but 12-31 in September's: only D is overdue on 30 Sep.
    assert r.figure("overdue") == 1
    assert r.overdue_tasks["task"].tolist() == ["D"]
    rows = by_department(r.departments)
    # 法工委's first tracker (September) stands in for 31 Aug, read through its own dates: F open,
    # G done 9-20, so 0 of 2 then (WORKBOOKS.md §5, per kind and department).
    assert not rows["法工委"]["is_new"] and rows["法工委"]["completion_delta_month"] == pytest.approx(0.5)
    # 30 Sep: 研究室 has the overdue task (and no progress, 0 -> 0): one list, the first it is on.
    # 办公室 (1/3 -> 2/3) has the best rate, so it is not listed again as the most improved.
    boards = {b: g["department"].tolist() for b, g in pd.concat([r.red, r.black]).groupby("board")}
    assert boards == {"most_overdue": ["研究室"], "best": ["办公室", "法工委"]}


def test_ledger_logged_and_struck_off_in_the_month(history: Store) -> None:
    r = review.build(history.query, Period.parse("2025-10"), TODAY)
    assert r.logged["problem"].tolist() == ["P1", "P2"]
    assert r.struck_off["problem"].tolist() == ["P1"]
    assert r.overdue_issues["problem"].tolist() == ["P2"]
    assert (r.figure("issues_open"), r.figure("issues_overdue")) == (2, 1)
    assert r.figure("issues_open", "month_before") == 1  # only P3 had been found by 30 Sep


def test_summary_text_numbers_are_the_figures(history: Store) -> None:
    r = review.build(history.query, Period.parse("2025-10"), TODAY)
    text = r.summary()
    assert text.startswith("截至10月31日，共分解任务8项，已完成5项，完成率62.5%，较上月提高19.6个百分点")
    assert "逾期未完成2项，涉及2个部门（法工委1项、研究室1项）" in text
    assert "未销号2个，其中超期未整改1个，本期新挂账2个、销号1个" in text
    assert "完成率最高的是办公室（100.0%）" in text and "请研究室、法工委加快推进" in text
    # every percentage in the text is one of the review's own figures
    shown = {float(p) for p in re.findall(r"(\d+\.\d)%", text)}
    figures = {round(100 * v, 1) for v in r.headline.loc[r.headline["rate"], "now"].dropna()}
    figures |= {round(100 * v, 1) for v in r.red["value"]}
    assert shown <= figures


def test_frozen_review_reads_back_the_same(history: Store) -> None:
    r = review.build(history.query, Period.parse("2025-10"), TODAY)
    again = review.Review.from_json(r.to_json())
    assert again.summary() == r.summary()
    pd.testing.assert_frame_equal(again.headline, r.headline, check_dtype=False)
    assert again.departments["department"].tolist() == r.departments["department"].tolist()


def test_the_review_groups_the_tasks_by_leader_where_they_name_one(store: Store) -> None:
    """Issue 11: the review's 各部门情况 also shows the tasks by 责任领导, the same figures as summary's by_leader."""
    from tests import trackers
    from wenming.figures import summary
    from wenming.render import slides

    store.import_file(trackers.task_tracker(), "督办台账.xlsx", user="t")
    shown = review.build(store.query, Period.parse("2026-11"), trackers.AS_OF)
    by_leader = summary.build(store, trackers.AS_OF)["tasks"]["by_leader"]
    named = shown.leaders[shown.leaders["leader"] != ""]
    assert {r.leader: (r.total, r.done, r.overdue) for r in named.itertuples()} == {
        name: (f["total"], f["done"], f["overdue"]) for name, f in by_leader.items() if name
    }
    (slide,) = [s for s in slides.slides(shown) if s.key == "departments"]
    assert [caption for caption, _, _ in slide.tables][-1] == review.t("review.by_leader")
    assert review.Review.from_json(shown.to_json()).leaders.equals(shown.leaders)


def test_a_review_without_leaders_shows_no_leader_table(history: Store) -> None:
    from wenming.render import slides

    shown = review.build(history.query, Period.parse("2025-10"), dt.date(2025, 11, 30))
    assert shown.leaders.empty
    (slide,) = [s for s in slides.slides(shown) if s.key == "departments"]
    assert len(slide.tables) == 1
