"""Every query file against a tiny data set whose figures are worked out by hand in the comments."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tests.conftest import AS_OF
from tests.workbooks import workbook
from wenming.figures import summary
from wenming.store import Store
from wenming.store.db import query_names, query_params

# as of 2025-10-31
TASKS = [
    ["测评项目", "工作任务", "牵头部门", "完成时限", "完成情况", "完成日期"],
    ["学雷锋", "T1", "办公室", "2025-06-30", "已完成", ""],  # done
    ["", "T2", "办公室", "2025-10-15", "推进中", ""],  # overdue 16 days
    ["道德讲堂", "T3", "办公室", "2025-10-31", "未启动", ""],  # due on D: due soon, not overdue
    ["", "T4", "研究室", "长期坚持", "", ""],  # ongoing, never overdue
    ["", "T5", "研究室", "2025-11-07", "50%", ""],  # due soon (D + 7)
    ["志愿服务", "T6", "研究室", "2025-11-08", "", ""],  # D + 8: not due soon
    ["", "T7", "研究室", "2025-09-01", "√", "2025-08-30"],  # done
    ["", "T8", "法工委", "2025-01-31", "基本完成", ""],  # unknown status: not done, overdue 273 days
    ["", "T9", "研究室、办公室", "2025-10-30", "", ""],  # lead 研究室, overdue 1 day
    ["合计", "", "", "", "", ""],
]
SCORES = [
    ["测评类别", "测评项目", "测评内容", "分值", "得分", "责任部门"],
    ["基本指标", "学雷锋", "a", 4, 3, "办公室"],
    ["", "", "b", 4, 4, "研究室"],
    ["", "道德讲堂", "c", 5, "", "研究室"],  # unscored
    ["", "", "d", 3, 5, ""],  # above max: score left empty -> unscored
    ["小计", "", "", 16, 12, ""],
    ["特色指标", "特色创建", "e", 10, 6, "办公室"],  # bonus
]
ISSUES = [
    ["存在问题", "责任部门", "整改时限", "整改情况", "销号时间"],
    ["P1", "办公室", "2025-09-30", "已销号", ""],
    ["P2", "办公室", "2025-10-30", "整改中", ""],  # overdue
    ["P3", "研究室", "2025-12-31", "", ""],
    ["P4", "研究室", "2025-08-31", "", "2025-08-20"],  # blank status + closed_on: closed
    ["P5", "研究室", "长期坚持", "整改中", ""],
]
ACTIVITIES = [
    ["活动名称", "组织部门", "活动日期", "参加人数", "应参加人数", "人均服务时长", "总时长"],
    ["A1", "办公室", "2025-03-05", "35人", 40, "2小时", ""],  # 70 hours
    ["A2", "办公室", "2025-04-04", 20, "", "", 50],  # 50 hours
    ["A3", "研究室", "2025-10-01", "10人次", 10, 1.5, ""],  # 15 hours
    ["合计", "", "", 65, 50, "", ""],
]
HEADCOUNT = [["部门", "在职人数"], ["办公室", 20], ["研究室", "10人"], ["合计", 30]]
SURVEYS = [["部门", "有效问卷", "知晓率", "满意度"], ["办公室", 20, "92.5%", 0.9], ["研究室", 10, 95, "88%"]]

PARAMS = {"as_of": AS_OF, "snapshot": None, "departments": None}


@pytest.fixture
def loaded(store: Store) -> Store:
    data = workbook(
        ("任务", TASKS),
        ("自评", SCORES),
        ("整改", ISSUES),
        ("活动", ACTIVITIES),
        ("人数", HEADCOUNT),
        ("问卷", SURVEYS),
    )
    store.import_file(data, "all.xlsx", user="test", as_of=AS_OF)
    return store


def records(store: Store, name: str, key: str = "department", **params: object) -> dict[str, dict]:
    frame = store.query(name, **{**PARAMS, **params})
    return {row[key]: row for row in frame.to_dict("records")}


def test_tasks_summary(loaded: Store) -> None:
    row = loaded.query("tasks_summary", **PARAMS).iloc[0]
    assert (row.total, row.done, row.ongoing, row.overdue, row.due_soon) == (9, 2, 1, 3, 2)
    assert row.completion_rate == pytest.approx(2 / 9)
    # in progress: T2, T5 and T8 (基本完成: in progress, not done, WORKBOOKS.md §7); not started: T3, T6, T9
    assert (row.in_progress, row.not_started) == (3, 3)


def test_tasks_by_department(loaded: Store) -> None:
    by = records(loaded, "tasks_by_department")
    assert {d: (r["total"], r["done"], r["overdue"]) for d, r in by.items()} == {
        "办公室": (3, 1, 1),
        "研究室": (5, 1, 1),
        "法工委": (1, 0, 1),
    }
    assert by["研究室"]["completion_rate"] == pytest.approx(1 / 5)
    assert by["研究室"]["ongoing"] == 1


def test_due_soon_and_overdue_move_with_as_of(loaded: Store) -> None:
    row = loaded.query("tasks_summary", **{**PARAMS, "as_of": dt.date(2025, 11, 1)}).iloc[0]
    # T3 is now overdue; T5 (11-07) and T6 (11-08) are due soon.
    assert (row.overdue, row.due_soon) == (4, 2)


def test_department_filter(loaded: Store) -> None:
    row = loaded.query("tasks_summary", **{**PARAMS, "departments": ["办公室", "法工委"]}).iloc[0]
    assert (row.total, row.done, row.overdue) == (4, 1, 2)


def test_scores(loaded: Store) -> None:
    row = loaded.query("scores_summary", **PARAMS).iloc[0]
    assert (row["max"], row.score, row.lost, row.unscored) == (8, 7, 1, 2)
    assert row.attainment == pytest.approx(7 / 8)
    assert (row.bonus_max, row.bonus_score) == (10, 6)
    by_category = records(loaded, "scores_by_category", key="category")
    assert {c: (r["max"], r["score"], r["bonus"]) for c, r in by_category.items()} == {
        "学雷锋": (8, 7, False),
        "道德讲堂": (0, 0, False),
        "特色创建": (10, 6, True),
    }
    by_department = records(loaded, "scores_by_department")
    assert by_department["办公室"]["max"] == 4 and by_department["办公室"]["score"] == 3
    assert by_department["研究室"]["unscored"] == 1


def test_issues(loaded: Store) -> None:
    row = loaded.query("issues_summary", **PARAMS).iloc[0]
    assert (row.total, row.closed, row.open, row.overdue) == (5, 2, 3, 1)
    assert row.closing_rate == pytest.approx(0.4)
    by = records(loaded, "issues_by_department")
    assert {d: (r["total"], r["closed"], r["overdue"]) for d, r in by.items()} == {
        "办公室": (2, 1, 1),
        "研究室": (3, 1, 0),
    }


def test_participation(loaded: Store) -> None:
    row = loaded.query("participation_summary", **PARAMS).iloc[0]
    assert (row.activities, row.person_times, row.volunteer_hours) == (3, 65, 135)
    assert row.attendance_rate == pytest.approx(45 / 50)
    by = records(loaded, "participation_by_department")
    assert by["办公室"]["person_times"] == 55 and by["办公室"]["headcount"] == 20
    assert by["办公室"]["person_times_per_head"] == pytest.approx(2.75)
    assert by["办公室"]["volunteer_hours_per_head"] == pytest.approx(6)
    assert by["研究室"]["person_times_per_head"] == pytest.approx(1)


def test_surveys(loaded: Store) -> None:
    by = records(loaded, "surveys_by_department")
    assert by["办公室"]["awareness_rate"] == pytest.approx(0.925)
    assert by["研究室"]["awareness_rate"] == pytest.approx(0.95)
    assert by["研究室"]["satisfaction_rate"] == pytest.approx(0.88)


def test_summary_json_shape_and_numbers(loaded: Store) -> None:
    figures = summary.build(loaded, AS_OF)
    assert figures["as_of"] == "2025-10-31"
    assert figures["tasks"]["by_department"]["法工委"] == {
        "total": 1,
        "done": 0,
        "overdue": 1,
        "completion_rate": 0,
    }
    assert figures["scores"]["by_category"]["学雷锋"] == {"max": 8, "score": 7}
    assert figures["scores"]["by_department"]["未填部门"] == {"max": 0, "score": 0}
    assert figures["issues"]["by_department"]["办公室"] == {"total": 2, "closed": 1, "overdue": 1}
    assert figures["participation"]["by_department"]["研究室"] == {
        "activities": 1,
        "person_times": 10,
        "volunteer_hours": 15,
        "headcount": 10,
        "person_times_per_head": 1,
    }
    assert isinstance(figures["tasks"]["total"], int)


def test_empty_database_gives_zeros_not_errors(store: Store) -> None:
    figures = summary.build(store, AS_OF)
    assert figures["tasks"]["total"] == 0 and figures["tasks"]["completion_rate"] is None
    assert figures["scores"]["attainment"] is None and figures["participation"]["by_department"] == {}


@pytest.mark.parametrize("name", query_names())
def test_every_query_runs_and_says_what_a_row_is(loaded: Store, name: str) -> None:
    from wenming.store.db import query_text

    assert query_text(name).startswith("-- One row"), "first line says what one row is"
    params = {
        "as_of": AS_OF,
        "snapshot": None,
        "departments": None,
        "start": dt.date(2025, 10, 1),
        "end": AS_OF,
        "limit": 5,
        "offset": 0,
        "picked": None,
        "categories": None,
        "states": None,
        "words": None,
        "order": "department",
        "item": "a",
    }
    loaded.query(name, **{k: v for k, v in params.items() if k in query_params(name)})


def test_missing_parameter_is_a_clear_error(loaded: Store) -> None:
    with pytest.raises(TypeError, match="as_of"):
        loaded.query("tasks_summary", snapshot=None, departments=None)


def column(store: Store, name: str, field: str, **params: object) -> list:
    return store.query(name, **{**PARAMS, **params})[field].tolist()


def test_overdue_and_due_soon_lists(loaded: Store) -> None:
    overdue = loaded.query("tasks_overdue", **PARAMS)
    assert overdue["task"].tolist() == ["T8", "T2", "T9"]  # 273, 16 and 1 days
    assert overdue["days_overdue"].tolist() == [273, 16, 1]
    due = loaded.query("tasks_due_soon", **PARAMS)
    assert due["task"].tolist() == ["T3", "T5"] and due["days_left"].tolist() == [0, 7]


def test_most_overdue_is_the_head_of_the_overdue_list(loaded: Store) -> None:
    top = loaded.query("tasks_most_overdue", **PARAMS, limit=2)
    assert top["task"].tolist() == ["T8", "T2"]


def test_aging_buckets(loaded: Store) -> None:
    frame = loaded.query("overdue_aging", **PARAMS)
    assert sorted(zip(frame.department, frame.bucket, frame.tasks, strict=True)) == [
        ("办公室", "8-30", 1),
        ("法工委", ">90", 1),
        ("研究室", "1-7", 1),
    ]


def test_ranking_for_the_tongbao(loaded: Store) -> None:
    frame = loaded.query("overdue_ranking", **PARAMS)
    # 办公室: 1 task + 1 problem; 法工委: 1 task, 273 days; 研究室: 1 task, 1 day
    assert frame["department"].tolist() == ["办公室", "法工委", "研究室"]
    assert frame["rank"].tolist() == [1, 2, 3]
    assert frame["overdue_issues"].tolist() == [1, 0, 0]


def test_roadmap(loaded: Store) -> None:
    frame = loaded.query("tasks_roadmap", **PARAMS)
    row = frame[(frame.department == "办公室") & (frame.month == pd.Timestamp(2025, 10, 1))].iloc[0]
    assert (row.due, row.done, row.overdue) == (2, 0, 1)  # T2 overdue, T3 due on D
    assert frame["due"].sum() == 8  # every task but the ongoing T4


def test_tasks_by_category_in_sheet_order(loaded: Store) -> None:
    frame = loaded.query("tasks_by_category", **PARAMS)
    assert frame["category"].tolist() == ["学雷锋", "道德讲堂", "志愿服务"]
    assert frame["total"].tolist() == [2, 3, 4] and frame["done"].tolist() == [1, 0, 1]
    assert frame["ongoing"].tolist() == [0, 1, 0]


def test_tasks_list_states(loaded: Store) -> None:
    frame = loaded.query("tasks_list", **PARAMS).set_index("task")
    assert frame.loc["T4", "state"] == "ongoing" and frame.loc["T5", "progress"] == 0.5
    assert frame.loc["T8", "status_text"] == "基本完成" and frame.loc["T8", "state"] == "in_progress"  # §7
    assert frame.loc["T1", "row_no"] == 2 and frame.loc["T1", "sheet"] == "任务"


def test_scores_items_most_points_lost_first(loaded: Store) -> None:
    frame = loaded.query("scores_items", **PARAMS)
    assert frame["item"].tolist() == ["e", "a", "b", "c", "d"]
    assert frame["lost"].tolist()[:3] == [4, 1, 0]
    assert frame["unscored"].tolist() == [False, False, False, True, True]


def test_points_at_risk(loaded: Store) -> None:
    # T2 (学雷锋, no 测评内容) is overdue: every item of 学雷锋 is at risk.
    frame = loaded.query("scores_at_risk", **PARAMS)
    assert sorted(frame["item"]) == ["a", "b"] and frame["max"].sum() == 8
    assert frame["task_departments"].tolist() == ["办公室", "办公室"]


def test_points_at_risk_join_on_item_first(store: Store) -> None:
    data = workbook(
        (
            "任务",
            [
                ["测评项目", "测评内容", "工作任务", "牵头部门", "完成时限"],
                ["学雷锋", "a", "T1", "办公室", "2025-01-31"],
            ],
        ),
        ("自评", [["测评项目", "测评内容", "分值", "得分"], ["学雷锋", "a", 4, 3], ["", "b", 4, 4]]),
    )
    store.import_file(data, "x.xlsx", user="t", as_of=AS_OF)
    assert store.query("scores_at_risk", **PARAMS)["item"].tolist() == ["a"]


def test_participation_by_month(loaded: Store) -> None:
    frame = loaded.query("participation_by_month", **PARAMS)
    assert [m.date() for m in frame["month"]] == [dt.date(2025, 3, 1), dt.date(2025, 4, 1), dt.date(2025, 10, 1)]
    assert frame["person_times"].tolist() == [35, 20, 10]


def test_departments_in_the_organisations_order(loaded: Store) -> None:
    # the headcount sheet's order first, then the task list's
    assert column(loaded, "departments", "department") == ["办公室", "研究室", "法工委"]


def test_provenance_names_the_file_and_user(loaded: Store) -> None:
    frame = loaded.query("provenance", **PARAMS)
    assert set(frame["kind"]) == {"tasks", "scores", "issues", "activities", "headcount", "surveys"}
    assert set(frame["file_name"]) == {"all.xlsx"} and set(frame["user_name"]) == {"test"}
    assert sorted(frame.loc[frame["kind"] == "tasks", "department"]) == ["办公室", "法工委", "研究室"]


def test_a_past_as_of_date_counts_only_what_had_happened_by_then(store: Store) -> None:
    data = workbook(
        (
            "任务",
            [
                ["工作任务", "牵头部门", "完成时限", "完成情况", "完成日期"],
                ["早", "办公室", "2025-06-30", "已完成", "2025-06-20"],
                ["晚", "办公室", "2025-06-15", "已完成", "2025-07-10"],  # done after 6-30: overdue on 6-30
                ["无日期", "办公室", "2025-12-31", "已完成", ""],
            ],
        ),  # no date: done from the tracker's own date (WORKBOOKS.md §5), so not yet on 6-30
        (
            "整改",
            [
                ["存在问题", "责任部门", "督查时间", "整改时限", "整改情况", "销号时间"],
                ["P1", "办公室", "2025-05-01", "2025-06-15", "已销号", "2025-07-01"],  # open and overdue on 6-30
                ["P2", "办公室", "2025-07-05", "2025-07-31", "", ""],
            ],
        ),  # not yet found on 6-30
        (
            "活动",
            [
                ["活动名称", "组织部门", "活动日期", "参加人数"],
                ["A1", "办公室", "2025-06-01", 10],
                ["A2", "办公室", "2025-07-01", 20],
            ],
        ),
    )
    store.import_file(data, "x.xlsx", user="t", as_of=AS_OF)
    june = {**PARAMS, "as_of": dt.date(2025, 6, 30)}
    tasks = store.query("tasks_summary", **june).iloc[0]
    assert (tasks.total, tasks.done, tasks.overdue) == (3, 1, 1)
    issues = store.query("issues_summary", **june).iloc[0]
    assert (issues.total, issues.closed, issues.overdue) == (1, 0, 1)
    assert store.query("participation_summary", **june).iloc[0].person_times == 10
    # On the tracker's own date everything written has happened.
    now = store.query("tasks_summary", **PARAMS).iloc[0]
    assert (now.done, now.overdue) == (3, 0)
    assert store.query("participation_summary", **PARAMS).iloc[0].person_times == 30
