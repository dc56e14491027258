"""`python -m wenming evidence add|list|remove|bundle` (docs/RULES.md §7), through cli.main."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests.test_evidence import AS_OF, DOCX, PDF, PNG
from tests.test_queries import SCORES, TASKS
from tests.workbooks import workbook
from wenming.cli import main
from wenming.store import Store, auth, evidence
from wenming.text import t


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "cli.duckdb"
    store = Store.open(path)
    store.import_file(workbook(("任务", TASKS), ("测评", SCORES)), "tiny.xlsx", user="test", as_of=AS_OF)
    store.close()
    return path


def run(db: Path, *args: str) -> int:
    return main([*args[:2], "--db", str(db), *args[2:]]) if args[0] == "evidence" else main([*args, "--db", str(db)])


def test_add_list_remove_and_bundle(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "纪要.pdf").write_bytes(PDF)
    (tmp_path / "照片.png").write_bytes(PNG)
    (tmp_path / "说明.docx").write_bytes(DOCX)
    assert (
        run(db, "evidence", "add", str(tmp_path / "纪要.pdf"), "--item", "a", "--title", "纪要", "--date", "2025-10-01")
        == 0
    )
    assert run(db, "evidence", "add", str(tmp_path / "照片.png"), "--item", "a", "--department", "办公室") == 0
    assert run(db, "evidence", "add", str(tmp_path / "说明.docx"), "--item", "c", "--category", "道德讲堂") == 0
    assert run(db, "evidence", "add", "--url", "https://example.cn/news", "--item", "e", "--title", "报道") == 0
    out = capsys.readouterr().out
    assert t("cli.evidence_added", "zh", evidence_id=1, item="a") in out
    assert run(db, "evidence", "list", "--as-of", AS_OF.isoformat()) == 0
    listed = capsys.readouterr().out
    assert "纪要" in listed and "照片" in listed and "报道" in listed  # the photo's title is its file name
    assert run(db, "evidence", "remove", "3", "--reason", "传错了") == 0
    folder = tmp_path / "迎检"
    assert run(db, "evidence", "bundle", str(folder), "--as-of", AS_OF.isoformat()) == 0
    written = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert written == [
        "01_学雷锋/01_a/01_纪要.pdf",
        "01_学雷锋/01_a/02_照片.png",
        "index.html",
        "佐证材料目录.xlsx",
    ]
    assert (folder / "01_学雷锋/01_a/01_纪要.pdf").read_bytes() == PDF
    book = openpyxl.load_workbook(folder / "佐证材料目录.xlsx")
    rows = list(book[t("evidence.index_files", "zh")].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2], r[3], r[7]) for r in rows] == [
        ("1.1.1", "a", "纪要", "01_学雷锋/01_a/01_纪要.pdf"),
        ("1.1.2", "a", "照片", "01_学雷锋/01_a/02_照片.png"),
        ("3.1.1", "e", "报道", "https://example.cn/news"),
    ]
    coverage = list(book[t("evidence.index_items", "zh")].iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[2], r[3]) for r in coverage] == [("a", 2, 0), ("b", 0, 0), ("c", 0, 0), ("d", 0, 0), ("e", 0, 1)]
    assert run(db, "evidence", "bundle", str(folder)) == 1  # not empty: nothing overwritten
    assert t("cli.evidence_exists", "zh", folder=folder) in capsys.readouterr().err
    assert run(db, "evidence", "bundle", str(tmp_path / "迎检.zip"), "--as-of", AS_OF.isoformat()) == 0
    assert (tmp_path / "迎检.zip").stat().st_size > 0


def test_rights_and_refusals(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = Store.open(db)
    auth.add_user(store, "管理员", "admin", password="correct horse")
    auth.add_user(store, "张伟", "staff", ["办公室"], password="correct horse")
    store.close()
    (tmp_path / "纪要.pdf").write_bytes(PDF)
    (tmp_path / "bad.pdf").write_bytes(b"<html><body>x</body></html>")
    assert run(db, "evidence", "add", str(tmp_path / "纪要.pdf"), "--item", "a") == 1
    assert t("cli.need_user", "zh") in capsys.readouterr().err
    assert (
        run(
            db, "evidence", "add", str(tmp_path / "纪要.pdf"), "--item", "c", "--department", "研究室", "--user", "张伟"
        )
        == 1
    )
    err = capsys.readouterr().err.strip()
    assert err == auth.Forbidden(
        "纪要.pdf", "evidence_departments", user="张伟", allowed="办公室", department="研究室"
    ).message("zh")
    assert run(db, "evidence", "add", str(tmp_path / "bad.pdf"), "--item", "a", "--user", "张伟") == 1
    assert capsys.readouterr().err.strip() == t(
        "refused.sentence", "zh", file="bad.pdf", reason=t("refused.evidence_html", "zh")
    )
    assert run(db, "evidence", "add", str(tmp_path / "纪要.pdf"), "--item", "a", "--user", "张伟") == 0
    assert run(db, "evidence", "remove", "1", "--reason", "x", "--user", "张伟") == 1
    assert "管理员" in capsys.readouterr().err
    assert run(db, "evidence", "remove", "1", "--reason", "重复", "--user", "管理员") == 0
    store = Store.open(db)
    try:
        assert evidence.records(store).empty and len(evidence.records(store, removed=True)) == 1
    finally:
        store.close()


def test_summary_json_has_evidence(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert run(db, "summary", "--as-of", AS_OF.isoformat(), "--json") == 0
    figures = json.loads(capsys.readouterr().out)["evidence"]
    assert figures == {
        "items": 5,
        "with_evidence": 0,
        "coverage": 0,
        "files": 0,
        "links": 0,
        "by_category": {
            "学雷锋": {"items": 2, "with_evidence": 0, "coverage": 0},
            "道德讲堂": {"items": 2, "with_evidence": 0, "coverage": 0},
            "特色创建": {"items": 1, "with_evidence": 0, "coverage": 0},
        },
    }
