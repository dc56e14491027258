"""An organisation teaches its words once (WORKBOOKS.md §8): kept in the database, applied to every
later import, recorded in the import log; `python -m wenming words` and `import --map|--preview`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.workbooks import workbook
from wenming.cli import main
from wenming.read.guard import Refused
from wenming.store import Store, auth, words

AS_OF = dt.date(2026, 11, 20)
# 牵头股 is no department word; 按计划推进 no status word
TRACKER = workbook(
    (
        "任务",
        [
            ["工作任务", "牵头股", "落实情况", "办结时限"],
            ["任务一", "办公室", "按计划推进", "12月底"],
            ["任务二", "团委", "已完成", "11月底"],
        ],
    )
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "w.duckdb"


@pytest.fixture
def tracker(tmp_path: Path) -> Path:
    path = tmp_path / "督办台账.xlsx"
    path.write_bytes(TRACKER)
    return path


def test_a_taught_header_and_value_apply_to_later_imports(db: Path) -> None:
    store = Store.open(db)
    with pytest.raises(Refused) as refused:
        store.import_file(TRACKER, "督办台账.xlsx", user="张伟", as_of=AS_OF)
    assert refused.value.code == "missing_role"
    words.add(store, "header", "牵头股", "department", by="张伟")
    words.add(store, "value", "按计划推进", "in_progress", by="张伟")
    result = store.import_file(TRACKER, "督办台账.xlsx", user="张伟", as_of=AS_OF)
    assert store.con.execute("select department, status from tasks order by row_no").fetchall() == [
        ("办公室", "in_progress"),
        ("团委", "done"),
    ]
    assert result.warnings == []
    logged = json.loads(store.con.execute("select sheets from imports").fetchone()[0])
    assert logged[0]["taught"] == ["牵头股=department", "按计划推进=in_progress"]
    listed = words.listing(store)
    assert listed[["kind", "word", "meaning", "created_by"]].values.tolist() == [
        ["header", "牵头股", "department", "张伟"],
        ["value", "按计划推进", "in_progress", "张伟"],
    ]
    actions = [a for (a,) in store.con.execute("select action from audit_log").fetchall()]
    assert actions == ["word_add", "word_add"]
    store.close()


@pytest.mark.parametrize(
    ("kind", "word", "meaning", "code"),
    [
        ("header", "牵头股", "boss", "role"),
        ("value", "按计划推进", "finished", "meaning"),
        ("value", " ", "done", "empty"),
        ("colour", "红", "done", "kind"),
    ],
)
def test_a_mapping_no_rule_knows_is_refused_with_a_sentence(kind: str, word: str, meaning: str, code: str) -> None:
    with pytest.raises(words.WordError) as error:
        words.check(kind, word, meaning)
    assert error.value.code == code
    assert error.value.message()


def test_a_value_may_mean_a_date_or_a_number() -> None:
    assert words.check("value", "国庆节前", "2026-09-30") == ("国庆节前", "2026-09-30")
    assert words.check("value", "一个班", "40") == ("一个班", "40")


def test_words_on_the_command_line(db: Path, tracker: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["words", "add", "牵头股=department", "--db", str(db)]) == 0
    assert main(["words", "add", "按计划推进=in_progress", "--value", "--db", str(db)]) == 0
    assert main(["words", "list", "--db", str(db)]) == 0
    listed = capsys.readouterr().out
    assert "牵头股" in listed and "department" in listed and "按计划推进" in listed
    assert main(["import", str(tracker), "--db", str(db), "--as-of", "2026-11-20"]) == 0
    assert main(["words", "remove", "牵头股", "--db", str(db)]) == 0
    assert main(["words", "remove", "牵头股", "--db", str(db)]) == 1
    assert main(["words", "add", "牵头股=boss", "--db", str(db)]) == 1
    assert "不是可用的列角色" in capsys.readouterr().err


def test_import_map_teaches_a_header_for_scripts(db: Path, tracker: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(tracker), "--db", str(db)]) == 1
    refused = capsys.readouterr().err
    assert "“牵头股”" in refused and "words add '牵头股=department'" in refused
    assert main(["import", str(tracker), "--db", str(db), "--map", "牵头股=department"]) == 0
    store = Store.open(db)
    assert store.con.execute("select count(*) from tasks").fetchone()[0] == 2
    assert words.load(store).headers == {"牵头股": "department"}
    store.close()


def test_import_preview_lists_every_header_and_stores_nothing(
    db: Path, tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["words", "add", "牵头股=department", "--db", str(db)])
    capsys.readouterr()
    assert main(["import", str(tracker), "--db", str(db), "--preview"]) == 0
    shown = capsys.readouterr().out
    assert "A  工作任务 → 工作任务 (task)" in shown
    assert "B  牵头股 → 牵头部门 (department)" in shown
    assert "C  落实情况 → 完成情况 (status)" in shown
    assert "按计划推进" in shown  # the grouped warning of the value no rule reads
    store = Store.open(db)
    assert store.con.execute("select count(*) from imports").fetchone()[0] == 0
    store.close()


def test_with_users_only_an_admin_changes_words(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = Store.open(db)
    auth.add_user(store, "管理员", "admin", [], password="a-long-password-1", by="test")
    auth.add_user(store, "张伟", "staff", ["办公室"], password="a-long-password-2", by="test")
    store.close()
    assert main(["words", "add", "牵头股=department", "--db", str(db), "--user", "张伟"]) == 1
    assert "只有管理员" in capsys.readouterr().err
    assert main(["words", "add", "牵头股=department", "--db", str(db), "--user", "管理员"]) == 0


def test_warnings_are_stored_grouped(db: Path) -> None:
    rows = [
        ["工作任务", "牵头部门", "完成时限", "完成情况"],
        *[[f"任务{i}", "办公室", "另行通知", "推进中"] for i in range(30)],
    ]
    store = Store.open(db)
    store.import_file(workbook(("任务", rows)), "台账.xlsx", user="test", as_of=AS_OF)
    stored = store.con.execute("select cell, code, params from import_warnings").fetchall()
    assert len(stored) == 1
    cell, code, params = stored[0]
    assert (cell, code) == ("C2", "date")
    assert json.loads(params) == {
        "count": 30,
        "cells": ["C2", "C3", "C4", "C5", "C6"],
        "values": ["另行通知"],
        "column": "完成时限",
    }
    store.close()
