"""The store: all-or-nothing imports, replacement by department scope, history, restore, the import log."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import AS_OF, ROOT, dump
from tests.workbooks import workbook
from wenming import text
from wenming.read.guard import Refused
from wenming.store import Store

HEADER = ["工作任务", "牵头部门", "完成时限", "完成情况"]


def tasks_book(*rows: list[object], title: str | None = None) -> bytes:
    head = [[title]] if title else []
    return workbook(("任务分解", [*head, HEADER, *rows]))


def current_tasks(store: Store) -> list[tuple[str, str]]:
    return sorted(store.con.execute("select department, task from tasks_at(null)").fetchall())


def test_import_stores_rows_log_and_original(store: Store) -> None:
    data = tasks_book(["任务一", "办公室", "6月底", "已完成"], ["任务二", "研究室", "待定", ""])
    result = store.import_file(data, "办公室台账.xlsx", user="张伟", as_of=AS_OF)

    assert current_tasks(store) == [("办公室", "任务一"), ("研究室", "任务二")]
    log = store.imports().iloc[0]
    assert log["user_name"] == "张伟"
    assert log["file_name"] == "办公室台账.xlsx"
    assert log["sha256"] == hashlib.sha256(data).hexdigest()
    assert json.loads(log["rows"]) == {"tasks": 2}
    assert [s["sheet"] for s in json.loads(log["sheets"])] == ["任务分解"]
    assert log["warning_count"] == 1 == len(result.warnings)
    warning = store.con.execute("select sheet, cell, code from import_warnings").fetchall()
    assert warning == [("任务分解", "C3", "date_pending")]
    # The original is archived under its hash, never under the user's file name.
    archived = store.archive / log["stored_as"]
    assert archived.read_bytes() == data
    assert archived.name == f"{log['sha256']}.xlsx"


def test_a_department_tracker_replaces_only_that_department(store: Store) -> None:
    store.import_file(
        tasks_book(["旧任务", "办公室", "", ""], ["研究任务", "研究室", "", ""]), "all.xlsx", user="a", as_of=AS_OF
    )
    store.import_file(
        tasks_book(["新任务一", "办公室", "", ""], ["新任务二", "办 公 室", "", ""]),
        "office.xlsx",
        user="b",
        as_of=AS_OF,
    )

    assert current_tasks(store) == [("办公室", "新任务一"), ("办公室", "新任务二"), ("研究室", "研究任务")]
    # The earlier rows stay in the history.
    assert store.con.execute("select count(*) from tasks").fetchone()[0] == 4


def test_a_sheet_without_department_column_replaces_its_whole_kind(store: Store) -> None:
    scores = [["测评内容", "分值", "得分", "责任部门"], ["甲", 4, 3, "办公室"], ["乙", 4, 4, "研究室"]]
    store.import_file(workbook(("自评", scores)), "a.xlsx", user="a", as_of=AS_OF)
    whole = [["测评内容", "分值", "得分"], ["丙", 5, 5]]
    store.import_file(workbook(("自评", whole)), "b.xlsx", user="a", as_of=AS_OF)

    assert store.con.execute("select item from scores_at(null)").fetchall() == [("丙",)]


def test_rows_of_other_kinds_are_untouched(store: Store) -> None:
    issues = [["存在问题", "责任部门", "整改情况"], ["问题一", "办公室", "已销号"]]
    store.import_file(workbook(("台账", issues)), "issues.xlsx", user="a", as_of=AS_OF)
    store.import_file(tasks_book(["任务一", "办公室", "", ""]), "tasks.xlsx", user="a", as_of=AS_OF)

    assert store.con.execute("select problem from issues_at(null)").fetchall() == [("问题一",)]


def test_same_file_twice_is_a_no_op(store: Store) -> None:
    data = tasks_book(["任务一", "办公室", "", ""])
    first = store.import_file(data, "a.xlsx", user="a", as_of=AS_OF)
    before = dump(store)
    again = store.import_file(data, "copy of a.xlsx", user="b", as_of=AS_OF)

    assert again.import_id is None and again.duplicate_of == first.import_id
    assert dump(store) == before


def test_refused_file_leaves_the_database_unchanged(store: Store) -> None:
    store.import_file(tasks_book(["任务一", "办公室", "", ""]), "a.xlsx", user="a", as_of=AS_OF)
    before = dump(store)
    with pytest.raises(Refused):
        store.import_file(b"not,an,excel\n1,2,3\n", "b.xlsx", user="a", as_of=AS_OF)
    assert dump(store) == before


def test_failure_half_way_rolls_everything_back(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    store.import_file(tasks_book(["任务一", "办公室", "", ""]), "a.xlsx", user="a", as_of=AS_OF)
    before = dump(store)
    two_sheets = workbook(
        ("任务", [HEADER, ["任务二", "办公室", "", ""]]),
        ("台账", [["存在问题", "责任部门"], ["问题一", "办公室"]]),
    )

    def fail(*args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Store, "_insert_warnings", fail)
    with pytest.raises(RuntimeError):
        store.import_file(two_sheets, "b.xlsx", user="a", as_of=AS_OF)
    assert dump(store) == before


def test_restore_brings_back_an_earlier_import_for_one_department(store: Store) -> None:
    first = store.import_file(
        tasks_book(["旧办公任务", "办公室", "", ""], ["旧研究任务", "研究室", "", ""]), "a.xlsx", user="a", as_of=AS_OF
    )
    store.import_file(
        tasks_book(["新办公任务", "办公室", "", ""], ["新研究任务", "研究室", "", ""]), "b.xlsx", user="a", as_of=AS_OF
    )

    restored = store.restore(first.import_id, user="admin", department="办公室")

    assert current_tasks(store) == [("办公室", "旧办公任务"), ("研究室", "新研究任务")]
    log = store.imports().set_index("import_id").loc[restored]
    assert log["action"] == "restore" and log["restored_from"] == first.import_id and log["user_name"] == "admin"


def test_snapshots_give_the_rows_in_force_on_a_date(store: Store) -> None:
    sep = tasks_book(["九月任务", "办公室", "", ""], title="截至2025年9月30日")
    octo = tasks_book(["十月任务", "办公室", "", ""], ["十月新部门任务", "研究室", "", ""], title="截至2025年10月31日")
    store.import_file(sep, "sep.xlsx", user="a", as_of=AS_OF)
    store.import_file(octo, "oct.xlsx", user="a", as_of=AS_OF)

    def at(day: str) -> list[tuple[str, str]]:
        return sorted(store.con.execute("select department, task from tasks_at(?::date)", [day]).fetchall())

    # Per kind and department (WORKBOOKS.md §5): before a department's first report, that report
    # stands in (read through its own dates), so 研究室's October tracker speaks for September too.
    assert at("2025-09-30") == [("办公室", "九月任务"), ("研究室", "十月新部门任务")]
    assert at("2025-10-15") == [("办公室", "九月任务"), ("研究室", "十月新部门任务")]
    assert at("2025-10-31") == [("办公室", "十月任务"), ("研究室", "十月新部门任务")]
    assert at("2025-01-31") == [("办公室", "九月任务"), ("研究室", "十月新部门任务")]


def test_an_older_tracker_imported_later_is_kept_as_history(store: Store) -> None:
    octo = tasks_book(["十月任务", "办公室", "", ""], title="截至2025年10月31日")
    sep = tasks_book(["九月任务", "办公室", "", ""], title="截至2025年9月30日")
    store.import_file(octo, "oct.xlsx", user="a", as_of=AS_OF)
    result = store.import_file(sep, "sep.xlsx", user="a", as_of=AS_OF)

    assert [w.code for w in result.warnings] == ["older_snapshot"]
    assert current_tasks(store) == [("办公室", "十月任务")]
    assert store.con.execute("select task from tasks_at('2025-09-30'::date)").fetchall() == [("九月任务",)]


def test_aliases_are_applied_at_import(store: Store) -> None:
    store.set_alias("五阳矿", "五阳煤矿")
    store.import_file(tasks_book(["任务一", "五阳矿", "", ""]), "a.xlsx", user="a", as_of=AS_OF)
    assert current_tasks(store) == [("五阳煤矿", "任务一")]


def test_version_changes_with_every_import(store: Store) -> None:
    assert store.version() == 0 and store.is_empty()
    store.import_file(tasks_book(["任务一", "办公室", "", ""]), "a.xlsx", user="a", as_of=AS_OF)
    assert store.version() == 1


def test_a_second_process_gets_a_clear_sentence(tmp_path: Path) -> None:
    db = tmp_path / "locked.duckdb"
    holder = Store.open(db)
    try:
        run = subprocess.run(
            [sys.executable, "-m", "wenming", "summary", "--db", str(db)],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
    finally:
        holder.close()
    assert (run.returncode, run.stdout) == (1, "")
    assert run.stderr == text.t("refused.locked", "zh", db=str(db)) + "\n"


def test_stores_opened_on_one_file_share_it_and_the_last_close_releases_it(tmp_path: Path) -> None:
    """The file is attached once per process (with its row-group size), shared by every store
    opened on it, and free for another process once the last of them is closed."""
    db = tmp_path / "shared.duckdb"
    first, second = Store.open(db), Store.open(db)
    first.import_file(workbook(("任务", [["序号", "工作任务", "牵头部门"], [1, "甲", "办公室"]])), "a.xlsx", user="t")
    reader = second.cursor()
    first.close()
    assert reader.con.execute("select count(*) from tasks").fetchall() == [(1,)]
    reader.close()
    second.close()
    run = subprocess.run(
        [sys.executable, "-m", "wenming", "summary", "--db", str(db), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 0 and json.loads(run.stdout)["tasks"]["total"] == 1


def test_an_import_is_stored_in_row_groups_of_the_set_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Row groups of ROW_GROUP_ROWS (here DuckDB's smallest, 2,048): a larger import fills several."""
    from wenming.store import db

    monkeypatch.setattr(db, "ROW_GROUP_ROWS", 2048)
    store = Store.open(tmp_path / "groups.duckdb")
    rows = [["序号", "工作任务", "牵头部门"]] + [[i, f"任务{i}", "办公室"] for i in range(1, 3001)]
    store.import_file(workbook(("任务", rows)), "big.xlsx", user="t")
    groups = store.con.execute("select count(distinct row_group_id) from pragma_storage_info('tasks')").fetchall()
    store.close()
    assert groups == [(2,)]


def test_task_texts_are_stored_uncompressed_and_other_texts_compressed(tmp_path: Path) -> None:
    """The list's search reads every task text: stored as written, it is not decompressed first (issue 14)."""
    store = Store.open(tmp_path / "texts.duckdb")
    rows = [["序号", "工作任务", "牵头部门"]] + [
        [i, f"组织开展第{i}次文明创建专题活动", "办公室"] for i in range(1, 3001)
    ]
    store.import_file(workbook(("任务", rows)), "texts.xlsx", user="t")
    store.con.execute("checkpoint")
    found = store.con.execute(
        "select column_name, list(distinct compression order by compression) from pragma_storage_info('tasks')"
        " where column_name in ('task', 'department') and segment_type = 'VARCHAR' group by all order by 1"
    ).fetchall()
    store.close()
    assert found[0][0] == "department" and "Uncompressed" not in found[0][1]
    assert found[1] == ("task", ["Uncompressed"])


def test_store_default_path_honours_environment(monkeypatch, tmp_path) -> None:
    from wenming.store import DEFAULT_DB, db_path

    monkeypatch.delenv("WENMING_DB", raising=False)
    assert db_path() == DEFAULT_DB
    monkeypatch.setenv("WENMING_DB", str(tmp_path / "x.duckdb"))
    assert db_path() == tmp_path / "x.duckdb"
    assert db_path(tmp_path / "y.duckdb") == tmp_path / "y.duckdb"


def test_dates_are_kept_as_written(store: Store) -> None:
    store.import_file(tasks_book(["任务一", "办公室", dt.date(2025, 6, 30), ""]), "a.xlsx", user="a", as_of=AS_OF)
    row = store.con.execute("select deadline, deadline_text from tasks").fetchone()
    assert row == (dt.date(2025, 6, 30), "2025-06-30")


def test_a_department_sheet_without_rows_imports_and_replaces_nothing(store: Store) -> None:
    store.import_file(tasks_book(["任务一", "办公室", "", ""]), "a.xlsx", user="a", as_of=AS_OF)
    result = store.import_file(tasks_book(), "empty.xlsx", user="a", as_of=AS_OF)
    assert [w.code for w in result.warnings] == ["sheet_empty"]
    assert current_tasks(store) == [("办公室", "任务一")]


def office_tasks(count: int, title: str | None = None) -> bytes:
    return tasks_book(*([f"任务{i}", "办公室", "", ""] for i in range(count)), title=title)


def test_far_fewer_rows_are_refused_until_accepted(store: Store) -> None:
    store.import_file(office_tasks(30), "office.xlsx", user="a", as_of=AS_OF)
    before = dump(store)
    cut = office_tasks(14)

    with pytest.raises(Refused) as refused:
        store.import_file(cut, "office-cut.xlsx", user="a", as_of=AS_OF)
    assert refused.value.code == "fewer_rows"
    assert refused.value.message() == (
        "office-cut.xlsx：比它将替换的现有数据少很多（任务分解（任务分解）现有 30 行，本文件 14 行），未导入；"
        "请核对是否选错了文件或漏了行，确认无误后在导入页勾选确认，或在命令行加 --accept-fewer。"
    )
    assert dump(store) == before

    store.import_file(cut, "office-cut.xlsx", user="a", as_of=AS_OF, accept_fewer=True)
    assert len(current_tasks(store)) == 14


@pytest.mark.parametrize(
    ("stored", "incoming", "asked"),
    [
        (30, 15, False),  # half is not "far fewer"
        (30, 14, True),
        (18, 8, True),  # under half and 10 fewer
        (17, 8, False),  # under half but only 9 fewer: a small department's normal change
        (30, 0, False),  # a department sheet with no rows replaces nothing
    ],
)
def test_what_counts_as_far_fewer(store: Store, stored: int, incoming: int, asked: bool) -> None:
    store.import_file(office_tasks(stored), "office.xlsx", user="a", as_of=AS_OF)
    fewer = store.fewer_rows(store.parse(office_tasks(incoming), "new.xlsx", as_of=AS_OF), as_of=AS_OF)
    assert [(f.before, f.after) for f in fewer] == ([(stored, incoming)] if asked else [])


def test_far_fewer_is_counted_in_the_sheets_scope(store: Store) -> None:
    """A department's tracker is compared with that department's rows, a sheet without a
    department column with the whole kind; an older snapshot replaces nothing now."""
    research = [[f"研究{i}", "研究室", "", ""] for i in range(40)]
    store.import_file(tasks_book(*research, ["办公任务", "办公室", "", ""]), "all.xlsx", user="a", as_of=AS_OF)
    scores = [
        ["测评内容", "分值", "得分", "责任部门"],
        *([f"项{i}", 1, 1, "研究室" if i % 2 else "办公室"] for i in range(12)),
    ]
    store.import_file(workbook(("自评", scores)), "scores.xlsx", user="a", as_of=AS_OF)

    assert store.fewer_rows(store.parse(office_tasks(1), "office.xlsx"), as_of=AS_OF) == []
    whole = workbook(("自评", [["测评内容", "分值", "得分"], ["丙", 5, 5]]))
    assert [(f.kind, f.before, f.after) for f in store.fewer_rows(store.parse(whole, "w.xlsx"), as_of=AS_OF)] == [
        ("scores", 12, 1)
    ]
    older = tasks_book(["研究一", "研究室", "", ""], title="截至2000年1月31日")
    assert store.fewer_rows(store.parse(older, "old.xlsx"), as_of=AS_OF) == []
    newer = tasks_book(["研究一", "研究室", "", ""], title="截至2099年1月31日")
    assert [(f.before, f.after) for f in store.fewer_rows(store.parse(newer, "new.xlsx"), as_of=AS_OF)] == [(40, 1)]


def test_targets_are_set_cleared_and_logged(store: Store) -> None:
    assert store.targets() == {}
    store.set_target("completion", 0.9, by="管理员")
    store.set_target("attainment", 0.95, by="管理员")
    store.set_target("completion", None, by="管理员")
    assert store.targets() == {"attainment": 0.95}
    log = store.con.execute("select user_name, action, detail from audit_log order by happened_at").fetchall()
    assert [(u, a, json.loads(d)) for u, a, d in log][-1] == (
        "管理员",
        "target_set",
        {"target": "completion", "rate": None},
    )
    for wrong in (("completion", 1.5), ("completion", 0.0), ("deadline", 0.5)):
        with pytest.raises(ValueError):
            store.set_target(*wrong)
    assert store.targets() == {"attainment": 0.95}
