"""The Excel round trip (docs/RULES.md §8): a department's tracker in its own layout re-imports with no change."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest

from tests.test_pages import SAMPLES
from tests.test_queries import ISSUES, TASKS
from tests.workbooks import workbook
from wenming.render import tracker
from wenming.store import Store, roundtrip
from wenming.store.updates import Edit, save

AS_OF = dt.date(2025, 10, 31)


def in_force(store: Store, kind: str, department: str) -> tuple[list[tuple], list[tuple]]:
    """The department's rows in force (every stored column but the load) and the dates of their reports."""
    rows = store.con.execute(
        f"select * exclude (load_id, effective_on) from rows_at('{kind}', null::date)"
        " where department = ? order by sheet, row_no",
        [department],
    ).fetchall()
    dates = store.con.execute(
        f"select distinct effective_on from rows_at('{kind}', null::date) where department = ?", [department]
    ).fetchall()
    return rows, dates


def round_trip(store: Store, kind: str, department: str, as_of: dt.date = dt.date(2030, 1, 1)) -> bytes:
    """Download, upload again (on ``as_of``: a sheet without a 截至 title is dated by its upload), compare."""
    data = tracker.workbook(roundtrip.layout(store, kind, department), roundtrip.rows(store, kind, department))
    before = in_force(store, kind, department)
    known = set(store.con.execute("select sheet, cell, code from import_warnings").fetchall())
    result = store.import_file(data, f"{department}.xlsx", user="test", as_of=as_of)
    assert result.import_id is not None
    assert {(w.sheet, w.cell, w.code) for w in result.warnings} <= known  # only what the original said, same cell
    assert in_force(store, kind, department) == before
    return data


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store.open(tmp_path_factory.mktemp("roundtrip") / "sample.duckdb")
    for file in sorted(SAMPLES.glob("*.xlsx")):
        store.import_file(file.read_bytes(), file.name, user="示例数据")
    yield store
    store.close()


@pytest.mark.parametrize("kind", ["tasks", "issues"])
def test_every_departments_tracker_reimports_unchanged(sample: Store, kind: str) -> None:
    departments = [r[0] for r in sample.con.execute(f"select distinct department from {kind} order by 1").fetchall()]
    assert len(departments) >= 5
    for department in departments:
        round_trip(sample, kind, department)


def test_the_layout_is_the_departments_own(sample: Store) -> None:
    data = round_trip(sample, "tasks", "工会")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    original = openpyxl.load_workbook(next(SAMPLES.glob("01_*.xlsx"))).active
    assert sheet.title == original.title
    header = [c.value for c in sheet[3]]
    assert header == [c.value for c in original[3]][: len(header)]  # its headers, in its column order
    assert sheet["A2"].value == original["A2"].value  # the title with its 截至 date


def test_edits_and_formula_like_text_survive_the_round_trip(store: Store) -> None:
    store.import_file(workbook(("任务", TASKS), ("问题", ISSUES)), "tiny.xlsx", user="test", as_of=AS_OF)
    save(store, [Edit("tasks", "办公室", 3, {"status": "in_progress", "progress": 0.6, "done_on": None})], user="u")
    save(store, [Edit("tasks", "办公室", 2, {"note": "已归档"})], user="u")
    save(store, [Edit("tasks", "办公室", 4, {"note": '=HYPERLINK("http://x")'})], user="u")  # typed by someone
    save(store, [Edit("issues", "办公室", 3, {"status": "closed", "closed_on": AS_OF})], user="u")
    data = round_trip(store, "tasks", "办公室", AS_OF)  # tiny.xlsx has no title: dated by its upload
    round_trip(store, "issues", "办公室", AS_OF)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["G1"].value == "备注" and sheet["G2"].value == "已归档"  # a column the layout lacked, added
    cell = sheet["G4"]
    assert cell.data_type == "s" and cell.value.startswith("=")  # text, not a formula
    progress = store.query("edit_tasks", departments=["办公室"]).set_index("row_no").loc[3, "progress"]
    assert progress == pytest.approx(0.6)


def test_without_an_original_the_template_is_used(store: Store, tmp_path: Path) -> None:
    store.import_file(workbook(("任务", TASKS)), "tiny.xlsx", user="test", as_of=AS_OF)
    for original in store.archive.iterdir():
        original.unlink()
    shape = roundtrip.layout(store, "tasks", "办公室")
    assert shape.source == "任务分解表.xlsx"
    round_trip(store, "tasks", "办公室", AS_OF)


def test_the_template_keeps_the_date_in_its_title(store: Store) -> None:
    original = next(SAMPLES.glob("01_*.xlsx"))
    store.import_file(original.read_bytes(), original.name, user="test")
    for archived in store.archive.iterdir():
        archived.unlink()
    shape = roundtrip.layout(store, "tasks", "工会")
    assert shape.source == "任务分解表.xlsx" and shape.title == [["工会任务分解（截至2026年11月20日）"]]
    round_trip(store, "tasks", "工会")  # dated by its title, not by the upload
