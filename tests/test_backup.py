"""`python -m wenming backup|restore DIR`: the restore drill, and each refusal with its sentence."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT, dump
from tests.workbooks import workbook
from wenming.cli import main
from wenming.figures import summary
from wenming.store import Store, backup

AS_OF = dt.date(2025, 10, 31)
FIRST = workbook(
    ("任务分解", [["工作任务", "牵头部门", "完成情况"], ["任务一", "办公室", "已完成"], ["任务二", "研究室", ""]])
)
SECOND = workbook(("问题", [["存在问题", "责任部门"], ["问题一", "办公室"], ["问题二", "工会"]]))
THIRD = workbook(("任务分解", [["工作任务", "牵头部门", "完成情况"], ["任务一", "办公室", "推进中"]]))


def _import(db: Path, tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert main(["import", str(path), "--db", str(db), "--as-of", AS_OF.isoformat()]) == 0


def _state(db: Path) -> tuple[dict, dict, list[str]]:
    """Every row of every table, the summary figures and the archived originals."""
    store = Store.open(db)
    try:
        return dump(store), summary.build(store, AS_OF), sorted(p.name for p in store.archive.iterdir())
    finally:
        store.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "office" / "wenming.duckdb"
    path.parent.mkdir()
    _import(path, tmp_path, "任务分解表.xlsx", FIRST)
    _import(path, tmp_path, "问题整改台账.xlsx", SECOND)
    return path


def test_restore_drill(db: Path, tmp_path: Path, capsys) -> None:
    """Import, back up, import more, restore: the figures are the backed-up ones, the originals are there."""
    backed_up = _state(db)
    folder = tmp_path / "backup"
    capsys.readouterr()
    assert main(["backup", str(folder), "--db", str(db)]) == 0
    assert capsys.readouterr().out.startswith(f"已备份到 {folder}：数据库（2 次导入，")
    _import(db, tmp_path, "新台账.xlsx", THIRD)
    later = _state(db)
    assert later[1]["tasks"] != backed_up[1]["tasks"]
    capsys.readouterr()

    assert main(["restore", str(folder), "--db", str(db), "--force"]) == 0

    out = capsys.readouterr().out
    assert out.startswith(f"已从 {folder} 恢复数据库 {db}：2 次导入（备份于 ") and out.endswith("原始文件 2 个。\n")
    rows, figures, originals = _state(db)
    assert (rows, figures) == backed_up[:2]
    assert set(backed_up[2]) <= set(originals)  # the later import's original stays: content-addressed, harmless
    store = Store.open(db)
    try:
        for stored_as, sha in store.con.execute("select stored_as, sha256 from imports").fetchall():
            assert backup.sha256(store.archive / stored_as) == sha
        store.import_file(THIRD, "新台账.xlsx", user="test", as_of=AS_OF)  # the restored store takes imports again
        assert store.con.execute("select max(import_id) from imports").fetchone() == (3,)
    finally:
        store.close()


def test_restore_into_a_new_place(db: Path, tmp_path: Path) -> None:
    """On a new server: no database yet, so no --force; the originals come along."""
    folder = tmp_path / "backup"
    assert main(["backup", str(folder), "--db", str(db)]) == 0
    target = tmp_path / "server" / "data" / "wenming.duckdb"
    assert main(["restore", str(folder), "--db", str(target)]) == 0
    assert _state(target)[:2] == _state(db)[:2]
    assert _state(target)[2] == _state(db)[2]


def test_a_backup_holds_what_a_raw_copy_loses(tmp_path: Path) -> None:
    """An import committed a moment ago lives in the write-ahead log: a copy of the file alone lacks it,
    the backup (checkpoint, then copy) holds it."""
    path = tmp_path / "busy.duckdb"
    store = Store.open(path)
    try:
        store.import_file(FIRST, "任务分解表.xlsx", user="test", as_of=AS_OF)
        shutil.copy(path, tmp_path / "raw.duckdb")
        done = backup.backup(path, tmp_path / "backup")
    finally:
        store.close()
    raw = duckdb.connect(str(tmp_path / "raw.duckdb"), read_only=True)
    try:
        lost = raw.execute("select count(*) from duckdb_tables() where table_name = 'imports'").fetchone()
    finally:
        raw.close()
    assert lost == (0,)
    assert (done.imports, done.last_import, done.originals) == (1, 1, 1)
    copy = duckdb.connect(str(tmp_path / "backup" / "busy.duckdb"), read_only=True)
    try:
        assert copy.execute("select count(*) from tasks").fetchone() == (2,)
    finally:
        copy.close()


def test_restore_asks_for_force_before_replacing_data(db: Path, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "backup"
    assert main(["backup", str(folder), "--db", str(db)]) == 0
    _import(db, tmp_path, "新台账.xlsx", THIRD)
    before = _state(db)
    capsys.readouterr()
    assert main(["restore", str(folder), "--db", str(db)]) == 1
    assert capsys.readouterr().err == (
        f"数据库 {db} 已有数据（3 次导入），恢复会用备份替换它；确认替换请加 --force（建议先备份当前数据库）。\n"
    )
    assert _state(db) == before


def test_restore_refuses_a_database_another_process_has_open(db: Path, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "backup"
    assert main(["backup", str(folder), "--db", str(db)]) == 0
    _import(db, tmp_path, "新台账.xlsx", THIRD)
    before = _state(db)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('open', flush=True); time.sleep(60)",
            str(db),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        capsys.readouterr()
        assert main(["restore", str(folder), "--db", str(db), "--force"]) == 1
        busy = f"数据库文件 {db} 正被另一个程序使用（例如正在运行的看板）；请先停止看板，再备份或恢复。\n"
        assert capsys.readouterr().err == busy
        assert main(["backup", str(tmp_path / "again"), "--db", str(db)]) == 1
        assert capsys.readouterr().err == busy
    finally:
        holder.kill()
        holder.wait()
    assert _state(db) == before
    assert not (tmp_path / "again").exists() or not any((tmp_path / "again").iterdir())


def test_backup_refusals(db: Path, tmp_path: Path, capsys) -> None:
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "note.txt").write_text("keep me")
    capsys.readouterr()
    assert main(["backup", str(taken), "--db", str(db)]) == 1
    assert (
        capsys.readouterr().err == f"{taken} 已存在且不是空文件夹；请指定一个新的或空的文件夹，以免覆盖其中的文件。\n"
    )
    assert (taken / "note.txt").read_text() == "keep me"
    nowhere = tmp_path / "nowhere.duckdb"
    assert main(["backup", str(tmp_path / "b"), "--db", str(nowhere)]) == 1
    assert capsys.readouterr().err == f"找不到数据库文件 {nowhere}；请用 --db 指定要备份的数据库。\n"
    assert not nowhere.exists()


def test_restore_refuses_what_is_not_an_intact_backup(db: Path, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "backup"
    assert main(["backup", str(folder), "--db", str(db)]) == 0
    before = _state(db)
    capsys.readouterr()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["restore", str(empty), "--db", str(db), "--force"]) == 1
    assert capsys.readouterr().err == (
        f"{empty} 不是看板的备份（缺少 wenming-backup.json）；请指定 python -m wenming backup 生成的文件夹。\n"
    )
    copy = folder / "wenming.duckdb"
    data = bytearray(copy.read_bytes())
    data[len(data) // 2] ^= 0xFF
    copy.write_bytes(bytes(data))
    assert main(["restore", str(folder), "--db", str(db), "--force"]) == 1
    assert capsys.readouterr().err == (
        f"备份 {folder} 中的 wenming.duckdb 已损坏（与备份时的校验值不符），数据库未改动；请换用另一份备份。\n"
    )
    assert _state(db) == before


def test_a_damaged_original_is_named_and_left_out(db: Path, tmp_path: Path, capsys) -> None:
    store = Store.open(db)
    stored_as = store.con.execute("select stored_as from imports order by import_id limit 1").fetchone()[0]
    archive = store.archive
    store.close()
    (archive / stored_as).write_bytes(b"not the original")
    folder = tmp_path / "backup"
    capsys.readouterr()
    assert main(["backup", str(folder), "--db", str(db)]) == 0
    out, err = capsys.readouterr()
    assert out.endswith("原始文件 1 个。\n")
    assert err == f"注意：导入记录中的 1 个原始文件在归档中缺失或已损坏，未能备份：{stored_as}\n"
    manifest = json.loads((folder / backup.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["missing"] == [stored_as] and len(manifest["originals"]) == 1
