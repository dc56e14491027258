"""The embedded demo: sample workbooks and templates are generated, import as their kinds with the
intended warnings only, and the figures the engine computes match the generator's own records."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from wenming import sample
from wenming.store import ImportResult, Store

AS_OF = dt.date(2026, 11, 20)
PARAMS = {"as_of": AS_OF, "snapshot": None, "departments": None}

EXPECTED_KINDS = {
    "01_创建任务分解表.xlsx": {"tasks"},
    "02_测评体系自评表.xlsx": {"scores"},
    "03_问题整改台账.xlsx": {"issues"},
    "04_活动登记表.xlsx": {"activities"},
    "05_部门人数及问卷调查.xlsx": {"headcount", "surveys"},
}
TEMPLATE_KINDS = {
    "任务分解表.xlsx": "tasks",
    "测评体系自评表.xlsx": "scores",
    "问题整改台账.xlsx": "issues",
    "活动登记表.xlsx": "activities",
    "部门人数.xlsx": "headcount",
    "问卷调查结果.xlsx": "surveys",
}


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[Path]]:
    root = tmp_path_factory.mktemp("generated")
    out, templates = root / "sample", root / "templates"
    return out, templates, sample.write_all(out, templates)


@pytest.fixture(scope="module")
def imported(
    folders: tuple[Path, Path, list[Path]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Store, dict[str, ImportResult]]]:
    """Every sample imported in file-name order into an empty database, as the dashboard does."""
    out = folders[0]
    store = Store.open(tmp_path_factory.mktemp("db") / "t.duckdb")
    results = {
        path.name: store.import_file(path.read_bytes(), path.name, user="test", as_of=AS_OF)
        for path in sorted(out.glob("*.xlsx"))
    }
    yield store, results
    store.close()


def one(store: Store, name: str) -> dict[str, object]:
    return store.query(name, **PARAMS).iloc[0].to_dict()


# ---------------------------------------------------------------- files


def test_writes_the_samples_and_templates(folders: tuple[Path, Path, list[Path]]) -> None:
    out, templates, written = folders
    assert sorted(p.name for p in out.iterdir()) == sorted(EXPECTED_KINDS)
    assert sorted(p.name for p in templates.iterdir()) == sorted(TEMPLATE_KINDS)
    assert written == [out / name for name in sample.SAMPLE_FILES] + [templates / t.file_name for t in sample.TEMPLATES]


def test_regenerating_changes_no_byte(folders: tuple[Path, Path, list[Path]], tmp_path: Path) -> None:
    again = sample.write_all(tmp_path / "s", tmp_path / "t")
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in folders[2]]


# ---------------------------------------------------------------- import


def test_every_sample_imports_as_its_kinds(imported: tuple[Store, dict[str, ImportResult]]) -> None:
    _, results = imported
    assert list(results) == sorted(EXPECTED_KINDS)
    expected_rows = {
        "01_创建任务分解表.xlsx": {"tasks": len(sample.task_rows())},
        "02_测评体系自评表.xlsx": {"scores": len(sample.ITEMS) + len(sample.BONUS_ITEMS)},
        "03_问题整改台账.xlsx": {"issues": len(sample.sample_issues())},
        "04_活动登记表.xlsx": {"activities": len(sample.sample_activities())},
        "05_部门人数及问卷调查.xlsx": {"headcount": len(sample.HEADCOUNT), "surveys": len(sample.sample_surveys())},
    }
    for name, result in results.items():
        assert result.import_id is not None, name
        assert set(result.rows) == EXPECTED_KINDS[name]
        assert result.rows == expected_rows[name]
        assert all(sheet["ref_date"] == AS_OF.isoformat() for sheet in result.sheets), name


def _cells_with(path: Path, sheet: str, column: str, value: object) -> list[str]:
    ws = openpyxl.load_workbook(path)[sheet]
    return [f"{column}{cell.row}" for cell in ws[column] if cell.value == value]


def _scores_above_max(path: Path) -> list[str]:
    ws = openpyxl.load_workbook(path)["自评得分"]
    found = []
    for max_cell, score_cell in ws.iter_rows(min_row=4, min_col=5, max_col=6):
        points, score = max_cell.value, score_cell.value
        label = ws.cell(row=max_cell.row, column=2).value  # 小计 rows are not items
        if isinstance(points, (int, float)) and isinstance(score, (int, float)) and score > points and label != "小计":
            found.append(score_cell.coordinate)
    return found


def test_warnings_are_exactly_the_intended_ones(
    folders: tuple[Path, Path, list[Path]], imported: tuple[Store, dict[str, ImportResult]]
) -> None:
    out = folders[0]
    tasks, scores = out / sample.SAMPLE_FILES[0], out / sample.SAMPLE_FILES[1]
    tbd = _cells_with(tasks, "任务分解", "H", sample.UNKNOWN_DEADLINE)
    unknown = _cells_with(tasks, "任务分解", "I", sample.UNKNOWN_STATUS)
    above = _scores_above_max(scores)
    assert len(tbd) == len(unknown) == len(above) == 1
    expected = {
        ("任务分解", tbd[0], "date_pending"),  # 待定: no due date yet (WORKBOOKS.md §7)
        ("任务分解", unknown[0], "nearly_done"),  # 基本完成: in progress, with a warning (WORKBOOKS.md §7)
        ("填表说明", "", "sheet_skipped"),
        ("自评得分", above[0], "score_above_max"),
    }
    _, results = imported
    found = [(w.sheet, w.cell, w.code) for result in results.values() for w in result.warnings]
    assert sorted(found) == sorted(expected)


# ---------------------------------------------------------------- figures against the generator's records


def test_task_figures(imported: tuple[Store, dict[str, ImportResult]]) -> None:
    store, _ = imported
    tasks = sample.task_rows()
    figures = one(store, "tasks_summary")
    assert figures["total"] == len(tasks)
    assert figures["done"] == sum(t.done for t in tasks)
    assert figures["overdue"] == sum(t.overdue for t in tasks)
    assert figures["due_soon"] == sum(t.due_soon for t in tasks)
    assert figures["ongoing"] == sum(t.ongoing for t in tasks)
    by_department = store.query("tasks_by_department", **PARAMS).set_index("department")
    assert by_department["total"].to_dict() == Counter(t.lead for t in tasks)
    overdue = Counter(t.lead for t in tasks if t.overdue)
    assert by_department["overdue"].to_dict() == {d: overdue[d] for d in by_department.index}


def test_score_figures(imported: tuple[Store, dict[str, ImportResult]]) -> None:
    store, _ = imported
    base_points, bonus_points = store.con.execute(
        "select sum(max) filter (where not bonus), sum(max) filter (where bonus) from scores"
    ).fetchone()
    assert base_points == sum(item.points for item in sample.ITEMS) == 100
    assert bonus_points == sum(item.points for item in sample.BONUS_ITEMS) == 10
    figures = one(store, "scores_summary")
    scored = [item for item in sample.ITEMS if item.score is not None]
    assert figures["max"] == sum(item.points for item in scored)
    assert figures["score"] == pytest.approx(sum(item.score for item in scored))
    assert figures["bonus_score"] == pytest.approx(sum(item.score or 0 for item in sample.BONUS_ITEMS))
    assert figures["unscored"] == sum(item.score is None for item in sample.ITEMS + sample.BONUS_ITEMS)
    categories = store.con.execute("select distinct category from scores where not bonus").fetchall()
    assert {c for (c,) in categories} == set(sample.CATEGORIES)


def test_issue_figures(imported: tuple[Store, dict[str, ImportResult]]) -> None:
    store, _ = imported
    issues = sample.sample_issues()
    figures = one(store, "issues_summary")
    assert figures["total"] == len(issues)
    assert figures["closed"] == sum(i.closed for i in issues)
    assert figures["overdue"] == sum(i.overdue for i in issues)


def test_participation_figures(imported: tuple[Store, dict[str, ImportResult]]) -> None:
    store, _ = imported
    activities = sample.sample_activities()
    figures = one(store, "participation_summary")
    assert figures["activities"] == len(activities)
    assert figures["person_times"] == sum(a.people for a in activities)
    assert figures["volunteer_hours"] == pytest.approx(sum(a.people * (a.hours_each or 0) for a in activities))
    with_expected = [a for a in activities if a.expected]
    assert figures["attendance_rate"] == pytest.approx(
        sum(a.people for a in with_expected) / sum(a.expected for a in with_expected)
    )
    heads = dict(store.con.execute("select department, people from headcount").fetchall())
    assert heads == sample.HEADCOUNT
    rates = store.con.execute(
        "select department, awareness_rate, participation_rate, support_rate, satisfaction_rate from surveys"
    ).fetchall()
    expected = {s.department: s.rates for s in sample.sample_surveys()}
    assert {d for d, *_ in rates} == set(expected)
    for department, *stored in rates:
        assert stored == pytest.approx(list(expected[department])), department


# ---------------------------------------------------------------- the shapes the demo promises


def test_task_rows_have_the_promised_mix() -> None:
    tasks = sample.task_rows()
    assert 110 <= len(tasks) <= 130
    assert 0.65 <= sum(t.done for t in tasks) / len(tasks) <= 0.75
    assert 8 <= sum(t.overdue for t in tasks) <= 12
    assert sum(t.deadline == sample.UNKNOWN_DEADLINE for t in tasks) == 1
    assert sum(t.status == sample.UNKNOWN_STATUS for t in tasks) == 1
    written = {t.deadline for t in tasks if isinstance(t.deadline, str)}
    assert set(sample.SHOWCASE_DEADLINES) | {"长期坚持", "常态化", "每月"} <= written
    assert any(isinstance(t.deadline, dt.date) for t in tasks)
    assert any(t.done and t.status == "" and t.done_on for t in tasks)
    assert any("、" in t.lead_cell for t in tasks) and any(" " in t.lead_cell for t in tasks)
    assert {t.done_on.month for t in tasks if t.done_on} == set(range(1, 12))
    assert all(t.done_on <= AS_OF for t in tasks if t.done_on)


@pytest.mark.parametrize("n", [7, 500])
def test_task_rows_scale_to_any_size(n: int) -> None:
    tasks = sample.task_rows(n)
    assert len(tasks) == n
    assert sum(t.deadline == sample.UNKNOWN_DEADLINE for t in tasks) == 1
    items = [t.item for t in tasks]
    runs = 1 + sum(a != b for a, b in zip(items, items[1:], strict=False))
    assert runs == len(set(items))  # each 测评内容 contiguous, so it can be merged


def test_activities_cover_the_year() -> None:
    activities = sample.sample_activities()
    months = Counter(a.on.month for a in activities)
    assert set(months) == set(range(1, 12))
    assert months[3] == max(months.values())  # 学雷锋月
    assert all(dt.date(2026, 1, 1) <= a.on <= AS_OF for a in activities)
    assert all((a.hours_each is not None) == (a.type in sample.SERVICE_TYPES) for a in activities)


def test_evaluation_system_has_the_2012_shape() -> None:
    assert len(sample.CATEGORIES) == 13
    assert all(2 <= item.points <= 5 for item in sample.ITEMS)
    assert sum(item.points for item in sample.ITEMS if item.category == "学雷锋活动") == 14
    assert sum(item.written is not None and item.written > item.points for item in sample.ITEMS) == 1
    assert 3 <= sum(item.unscored for item in sample.ITEMS) <= 5


# ---------------------------------------------------------------- templates


@pytest.mark.parametrize("template", sample.TEMPLATES, ids=lambda t: t.kind)
def test_template_imports_with_one_row_and_no_warnings(
    template: sample.Template, folders: tuple[Path, Path, list[Path]], tmp_path: Path
) -> None:
    path = folders[1] / template.file_name
    store = Store.open(tmp_path / "t.duckdb")
    try:
        result = store.import_file(path.read_bytes(), path.name, user="test", as_of=AS_OF)
    finally:
        store.close()
    assert result.rows == {TEMPLATE_KINDS[template.file_name]: 1}
    assert result.warnings == []


def test_task_template_has_a_status_list_and_a_frozen_header(folders: tuple[Path, Path, list[Path]]) -> None:
    ws = openpyxl.load_workbook(folders[1] / "任务分解表.xlsx")["任务分解"]
    assert ws.freeze_panes == "A3"
    assert ws["I2"].value == "完成情况" and ws["I2"].font.bold
    (check,) = ws.data_validations.dataValidation
    assert check.type == "list" and check.formula1 == '"已完成,推进中,未启动"'
    assert "I3" in check.sqref
