"""Workbooks in the layouts of published trackers (tests/trackers.py) give a clerk's figures through
`summary --json` (WORKBOOKS.md §7): the Done-when of issue 11, figures worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.trackers import AS_OF, TRACKERS
from wenming import cli
from wenming.figures import summary
from wenming.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(tmp_path / "t.duckdb")
    for name, build in TRACKERS.items():  # headcount before the register: 全体干部职工 needs it
        opened.import_file(build(), name, user="test", as_of=AS_OF)
    yield opened
    opened.close()


@pytest.fixture
def figures(store: Store) -> dict:
    return summary.build(store, AS_OF)


def test_task_tracker_figures(figures: dict) -> None:
    tasks = figures["tasks"]
    assert (tasks["total"], tasks["done"], tasks["overdue"], tasks["ongoing"], tasks["due_soon"]) == (12, 5, 3, 1, 1)
    assert tasks["completion_rate"] == pytest.approx(5 / 12)


def test_tasks_by_leader(figures: dict) -> None:
    by_leader = figures["tasks"]["by_leader"]
    assert {name: (f["total"], f["done"], f["overdue"]) for name, f in by_leader.items()} == {
        "张副局长": (4, 3, 1),
        "李副局长": (4, 0, 2),
        "王副局长": (4, 2, 0),
    }


def test_score_sheet_figures(figures: dict) -> None:
    scores = figures["scores"]
    assert (scores["max"], scores["score"], scores["unscored"]) == (24, 16, 0)
    assert scores["attainment"] == pytest.approx(16 / 24)
    assert (scores["bonus_max"], scores["bonus_score"]) == (5, 3)
    assert (scores["not_applicable"], scores["deductions"], scores["total"]) == (1, -3, 16)
    assert scores["veto"] == {"items": 2, "triggered": 1, "triggered_items": ["发生重大安全责任事故"]}


def test_ledger_figures_across_two_sheets(figures: dict) -> None:
    issues = figures["issues"]
    assert (issues["total"], issues["closed"], issues["open"], issues["overdue"]) == (6, 3, 3, 2)
    assert issues["closing_rate"] == pytest.approx(0.5)


def test_activities_with_approximate_counts_and_durations(figures: dict) -> None:
    participation = figures["participation"]
    assert (participation["activities"], participation["person_times"]) == (6, 218)
    assert participation["volunteer_hours"] == 125
    assert participation["by_department"]["全单位"]["person_times"] == 70 + 30 + 38 + 45


def test_headcount_from_the_actual_count(figures: dict) -> None:
    by_department = figures["participation"]["by_department"]
    assert sum(d["headcount"] or 0 for d in by_department.values()) == 38
    assert by_department["办公室"]["headcount"] == 10  # 实有人数, never 编制数 (12)


def test_all_four_survey_rates(figures: dict) -> None:
    surveys = figures["surveys"]["by_department"]
    assert surveys["办公室"] == {
        "awareness_rate": 1,
        "participation_rate": pytest.approx(0.95),
        "support_rate": pytest.approx(0.9),
        "satisfaction_rate": pytest.approx(0.98),
        "respondents": 35,
    }
    assert surveys["宣传科"]["awareness_rate"] == pytest.approx(28 / 30)
    assert surveys["宣传科"]["satisfaction_rate"] == pytest.approx(0.965)


def test_summary_json_on_the_command_line(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    path = store.path
    store.close()
    assert cli.main(["summary", "--db", str(path), "--as-of", AS_OF.isoformat(), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["scores"]["veto"]["triggered"] == 1
    assert printed["scores"]["deductions"] == -3
    assert printed["tasks"]["by_leader"]["李副局长"]["overdue"] == 2


def test_the_register_without_department_replaces_only_its_own_rows(tmp_path: Path) -> None:
    """A 道德讲堂 register is read as 全单位's: a later register replaces it, not the departments' rows."""
    store = Store.open(tmp_path / "t.duckdb")
    store.import_file(TRACKERS["道德讲堂.xlsx"](), "道德讲堂.xlsx", user="test", as_of=AS_OF)
    parsed = store.parse(TRACKERS["道德讲堂.xlsx"](), "道德讲堂.xlsx", as_of=AS_OF)
    register = parsed.sheets[0]
    assert register.departments == ["全单位"] and not register.whole
    store.close()


def test_readable_summary_says_a_triggered_veto_first(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    path = store.path
    store.close()
    assert cli.main(["summary", "--db", str(path), "--as-of", AS_OF.isoformat()]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert lines[1].startswith("一票否决：1 项已触发（发生重大安全责任事故）")
    assert "总得分（自评得分 + 加分项得分 + 减分）：16" in lines
