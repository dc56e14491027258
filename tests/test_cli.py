"""`python -m wenming`, end to end: imports of good and bad files, the summary as JSON and as tables."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import ROOT, dump
from tests.workbooks import workbook
from wenming.cli import main
from wenming.store import Store

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLES = sorted((ROOT / "data" / "sample").glob("*.xlsx"))
GOOD = workbook(
    ("任务分解", [["工作任务", "牵头部门", "完成情况"], ["任务一", "办公室", "已完成"], ["任务二", "研究室", ""]])
)


def _empty_workbook() -> bytes:
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


def _bit_flipped() -> bytes:
    """A valid workbook with one byte of the compressed sheet changed."""
    data = bytearray(GOOD)
    with zipfile.ZipFile(io.BytesIO(GOOD)) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0xFF
    return bytes(data)


BAD_FILES = {
    # name: (file name, content, words the one-line message must hold)
    "csv renamed, without a department column": (
        "台账.xlsx",
        "序号,工作任务\n1,任务一\n".encode(),
        "没有可识别的工作表（台账）",
    ),
    "png renamed": ("图片.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "不是 Excel 工作簿"),
    "truncated zip": ("截断.xlsx", GOOD[: len(GOOD) // 2], "已损坏"),
    "bit flipped": ("损坏.xlsx", _bit_flipped(), "已损坏"),
    "zero bytes": ("空文件.xlsx", b"", "文件是空的"),
    "empty workbook": ("空白.xlsx", _empty_workbook(), "工作簿是空的"),
    "unrelated table": (
        "通讯录.xlsx",
        workbook(("通讯录", [["姓名", "电话"], ["张三", "123"]])),
        "没有可识别的工作表（通讯录）",
    ),
    "encrypted": ("加密.xlsx", (FIXTURES / "encrypted.xlsx").read_bytes(), "设置了打开密码"),
    "an empty OLE container named .xls": ("旧表.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "已损坏"),
    "an empty OLE container named .xlsx": ("旧表.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "已损坏"),
    "csv of no known kind": ("台账.csv", b"a,b\n", "没有可识别的工作表（台账）"),
}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "cli.duckdb"
    (tmp_path / "good.xlsx").write_bytes(GOOD)
    assert main(["import", str(tmp_path / "good.xlsx"), "--db", str(path), "--as-of", "2025-10-31"]) == 0
    return path


def _dump(path: Path) -> dict:
    store = Store.open(path)
    try:
        return dump(store)
    finally:
        store.close()


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_bad_file_is_refused_with_one_sentence(case: str, db: Path, tmp_path: Path, capsys) -> None:
    name, content, words = BAD_FILES[case]
    bad = tmp_path / "in" / name
    bad.parent.mkdir()
    bad.write_bytes(content)
    before = _dump(db)
    capsys.readouterr()

    code = main(["import", str(bad), "--db", str(db)])

    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert code == 1
    assert len(lines) == 1 and lines[0].startswith(f"{name}：") and words in lines[0], err
    assert out == ""
    assert _dump(db) == before


def test_good_and_bad_files_together(db: Path, tmp_path: Path, capsys) -> None:
    second = tmp_path / "second.xlsx"
    second.write_bytes(workbook(("台账", [["存在问题", "责任部门"], ["问题一", "办公室"]])))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"nope")
    capsys.readouterr()

    code = main(["import", str(second), str(bad), "--db", str(db)])

    out, err = capsys.readouterr()
    assert code == 1
    assert "second.xlsx" in out and "问题整改：1 行" in out
    assert err.strip().startswith("bad.xlsx：")


def test_missing_file_is_named(db: Path, capsys) -> None:
    assert main(["import", "/nowhere/x.xlsx", "--db", str(db)]) == 1
    assert "找不到这个文件" in capsys.readouterr().err


def test_import_prints_sheets_rows_and_warnings(tmp_path: Path, capsys) -> None:
    book = tmp_path / "t.xlsx"
    book.write_bytes(
        workbook(
            ("任务分解", [["截至2025年10月31日"], ["工作任务", "牵头部门", "完成时限"], ["任务一", "办公室", "待定"]]),
            ("说明", [["本表由各部门填写"]]),
        )
    )
    assert main(["import", str(book), "--db", str(tmp_path / "d.duckdb")]) == 0
    out = capsys.readouterr().out
    assert "工作表“任务分解” → 任务分解：1 行，截至 2025-10-31" in out
    assert "任务分解!C3" in out and "待定" in out
    assert "工作表“说明”不是可识别的台账" in out


def test_a_folder_imports_its_workbooks_by_name(tmp_path: Path, capsys) -> None:
    """`import 台账/` takes the folder's workbooks in name order (not its subfolders, Office's ~$ lock
    files or other files); a folder with none is one sentence and exit code 1."""
    folder = tmp_path / "台账"
    (folder / "旧").mkdir(parents=True)
    (folder / "2_研究室.xlsx").write_bytes(workbook(("任务", [["工作任务", "牵头部门"], ["任务二", "研究室"]])))
    (folder / "1_办公室.xlsx").write_bytes(GOOD)
    (folder / "~$1_办公室.xlsx").write_bytes(b"lock")
    (folder / "说明.docx").write_bytes(b"not a tracker")
    (folder / "旧" / "3.xlsx").write_bytes(GOOD)
    db = tmp_path / "d.duckdb"
    assert main(["import", str(folder), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert out.index("1_办公室.xlsx") < out.index("2_研究室.xlsx") and "3.xlsx" not in out and "~$" not in out
    store = Store.open(db)
    assert store.con.execute("select file_name from imports order by import_id").fetchall() == [
        ("1_办公室.xlsx",),
        ("2_研究室.xlsx",),
    ]
    store.close()
    assert main(["import", str(folder / "旧" / "..") + "/旧/3.xlsx", str(tmp_path / "空"), "--db", str(db)]) == 1
    assert "空：找不到这个文件" in capsys.readouterr().err
    (tmp_path / "空").mkdir()
    assert main(["import", str(tmp_path / "空"), "--db", str(db)]) == 1
    assert "空：文件夹里没有可导入的表格文件（.xlsx .xlsm .xls .et .xlsb .ods .csv .tsv）" in capsys.readouterr().err


def test_summary_json_matches_the_store(db: Path, capsys) -> None:
    capsys.readouterr()
    assert main(["summary", "--db", str(db), "--as-of", "2025-10-31", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["as_of"] == "2025-10-31"
    assert figures["tasks"]["total"] == 2 and figures["tasks"]["done"] == 1
    assert figures["tasks"]["completion_rate"] == 0.5
    assert figures["tasks"]["by_department"]["研究室"] == {"total": 1, "done": 0, "overdue": 0, "completion_rate": 0}


def test_summary_as_tables(db: Path, capsys) -> None:
    capsys.readouterr()
    assert main(["summary", "--db", str(db), "--as-of", "2025-10-31"]) == 0
    out = capsys.readouterr().out
    assert "截至 2025-10-31 的汇总" in out and "== 任务推进 ==" in out and "50.0%" in out


def test_history_and_restore(db: Path, tmp_path: Path, capsys) -> None:
    newer = tmp_path / "newer.xlsx"
    newer.write_bytes(workbook(("任务", [["工作任务", "牵头部门"], ["新任务", "办公室"]])))
    assert main(["import", str(newer), "--db", str(db)]) == 0
    assert main(["restore-import", "1", "--db", str(db), "--department", "办公室"]) == 0
    assert main(["history", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "已恢复第 1 次导入的数据（第 3 次导入）" in out and "恢复" in out.split("导入编号")[1]  # the action in words
    assert main(["restore-import", "99", "--db", str(db)]) == 1


def test_far_fewer_rows_need_accept_fewer(tmp_path: Path, capsys) -> None:
    """A cron job importing a cut-down tracker does not silently wipe a department's rows."""
    db = str(tmp_path / "d.duckdb")
    full, cut = tmp_path / "full.xlsx", tmp_path / "cut.xlsx"
    header = ["工作任务", "牵头部门"]
    full.write_bytes(workbook(("任务", [header, *([f"任务{i}", "办公室"] for i in range(20))])))
    cut.write_bytes(workbook(("任务", [header, ["任务0", "办公室"]])))
    assert main(["import", str(full), "--db", db]) == 0
    capsys.readouterr()

    assert main(["import", str(cut), "--db", db]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(
        "cut.xlsx：比它将替换的现有数据少很多（任务（任务分解）现有 20 行，本文件 1 行）"
    )

    assert main(["import", str(cut), "--db", db, "--accept-fewer"]) == 0
    store = Store.open(db)
    assert store.con.execute("select count(*) from tasks_at(null)").fetchone()[0] == 1
    store.close()


def test_bad_as_of_is_a_usage_error(db: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["summary", "--db", str(db), "--as-of", "10/31"])
    assert exit_.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_english_messages(db: Path, tmp_path: Path, capsys) -> None:
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"nope")
    try:
        assert main(["import", str(bad), "--db", str(db), "--lang", "en"]) == 1
    finally:
        from wenming import text

        text.use("zh")
    assert "x.xlsx: the content is not an Excel workbook" in capsys.readouterr().err


@pytest.mark.slow
def test_samples_import_and_summary_through_a_real_process(tmp_path: Path) -> None:
    """The way an office scripts it: a real `python -m wenming` process, no traceback."""
    assert SAMPLES, "data/sample holds the sample workbooks"
    db = tmp_path / "samples.duckdb"
    run = subprocess.run(
        [sys.executable, "-m", "wenming", "import", *map(str, SAMPLES), "--db", str(db), "--as-of", "2026-11-20"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    summary = subprocess.run(
        [sys.executable, "-m", "wenming", "summary", "--db", str(db), "--as-of", "2026-11-20", "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    figures = json.loads(summary.stdout)
    assert figures["tasks"]["total"] > 0 and figures["scores"]["max"] > 0
    assert figures["issues"]["total"] > 0 and figures["participation"]["activities"] > 0
    tasks = figures["tasks"]
    assert sum(d["total"] for d in tasks["by_department"].values()) == tasks["total"]
    assert sum(d["done"] for d in tasks["by_department"].values()) == tasks["done"]


def test_an_internal_error_is_one_sentence_and_a_log_file(db: Path, capsys, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("wenming.figures.summary.build", broken)
    capsys.readouterr()
    assert main(["summary", "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "内部错误（RuntimeError）" in err and "Traceback" not in err
    assert "RuntimeError: boom" in db.with_suffix(".log").read_text(encoding="utf-8")


def test_summary_of_a_department_reads_its_name_as_the_workbooks_do(db: Path, capsys) -> None:
    """--department "研 究 室" is 研究室 (spaces dropped, as in a workbook); a name in no data is one
    sentence naming the departments there and exit code 1, not a summary of zeros."""
    capsys.readouterr()
    assert main(["summary", "--db", str(db), "--as-of", "2025-10-31", "--department", "研 究 室", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["tasks"]["total"] == 1
    assert main(["summary", "--db", str(db), "--department", "宣传部"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "数据里没有这个部门：宣传部；已有的部门：办公室、研究室。" in captured.err
