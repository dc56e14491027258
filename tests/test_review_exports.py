"""The review as it leaves the room: the Excel workbook, each department's 督办单, the offline HTML, the CLI."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import ROOT
from tests.test_review import TODAY, history  # noqa: F401 - the fixture is used by name
from wenming.figures import review
from wenming.figures.review import Period
from wenming.render import export, report
from wenming.store import Store
from wenming.text import t


@pytest.fixture
def october(history: Store) -> review.Review:  # noqa: F811
    return review.build(history.query, Period.parse("2025-10"), TODAY)


def rows(sheet) -> list[tuple]:
    return [row for row in sheet.iter_rows(values_only=True) if any(v is not None for v in row)]


def test_the_workbook_holds_every_table(october: review.Review) -> None:
    book = openpyxl.load_workbook(io.BytesIO(export.review_workbook(october)))
    overdue = book[t("overdue.tasks", "zh")]
    header, *body = rows(overdue)
    assert header[:2] == ("部门", "工作任务")
    assert sorted(r[1] for r in body) == ["F", "H"]  # October's overdue tasks
    logged = book[t("review.logged", "zh", count=2)]
    assert [r[1] for r in rows(logged)[1:]] == ["P1", "P2"]
    headline = rows(book[t("review.slide.headline", "zh")])
    # numbers as numbers; the changes in 个百分点 for rates (issue 12)
    completion = next(row for row in headline if row[0] == "任务完成率")
    assert completion == ("任务完成率", 0.625, pytest.approx(3 / 7), 0, 19.6, 62.5)
    assert overdue["A1"].fill.fgColor.rgb.endswith("1F4E79")  # a formatted header


def test_a_supervision_sheet_lists_the_departments_own_items(october: review.Review) -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(export.supervision_sheet(october, "法工委"))).active
    text = [r[0] for r in rows(sheet)]
    assert text[0] == "督办单：法工委（2025年10月例会）"
    assert "本部门牵头任务 2 项，已完成 1 项，完成率 50.0%，逾期 1 项。" in text
    assert "逾期未完成任务（1）" in text and "F" in text
    assert "未销号问题（1）" in text and "P2" in text
    assert "H" not in text  # 研究室's task


def test_formula_text_from_a_workbook_is_not_a_formula_in_the_export(store: Store) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["工作任务", "牵头部门", "完成时限"])
    sheet.append([None, "办公室", "2025-01-31"])
    sheet["A2"].value, sheet["A2"].data_type = '=HYPERLINK("http://x")', "s"  # text that looks like a formula
    buffer = io.BytesIO()
    book.save(buffer)
    store.import_file(buffer.getvalue(), "f.xlsx", user="t")
    shown = review.build(store.query, Period.parse("2025-10"), TODAY)
    exported = openpyxl.load_workbook(io.BytesIO(export.supervision_sheet(shown, "办公室"))).active
    cells = [c for row in exported.iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value)]
    assert cells and all(c.data_type == "s" and str(c.value).startswith("=") for c in cells)


def test_the_html_is_self_contained_and_escapes_workbook_text(store: Store) -> None:
    from tests.workbooks import workbook

    store.import_file(
        workbook(
            ("任务", [["工作任务", "牵头部门", "完成时限"], ["<script>alert(1)</script>", "办公室", "2025-10-01"]])
        ),
        "x.xlsx",
        user="t",
    )
    page = report.render(review.build(store.query, Period.parse("2025-10"), TODAY))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)</script>" not in page
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", page)  # nothing fetched
    assert page.count("<section") == 7 and "@media print" in page and "@page { size: A4" in page


def test_the_summary_in_the_html_is_the_reviews(october: review.Review) -> None:
    page = report.render(october)
    assert october.summary() in page.replace("&quot;", '"')


def test_the_command_line_writes_the_same_review(history: Store, tmp_path: Path) -> None:  # noqa: F811
    history.close()
    html, xlsx, sheets = tmp_path / "r.html", tmp_path / "r.xlsx", tmp_path / "sheets"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "wenming",
            "review",
            "--month",
            "2025-10",
            "--db",
            str(history.path),
            "--as-of",
            "2025-11-05",
            "--html",
            str(html),
            "--xlsx",
            str(xlsx),
            "--supervision",
            str(sheets),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("截至10月31日，共分解任务8项，已完成5项，完成率62.5%")
    assert html.stat().st_size > 1_000_000 and "法工委" in html.read_text(encoding="utf-8")
    assert sorted(p.name for p in sheets.iterdir()) == sorted(
        f"督办单_{d}_2025-10.xlsx" for d in ("办公室", "研究室", "法工委")
    )
    assert openpyxl.load_workbook(xlsx).sheetnames[0] == "一、主要指标"


def test_a_bad_period_is_one_sentence(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "wenming", "review", "--month", "2025-13", "--db", str(tmp_path / "x.duckdb")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 2 and "2025-13" in run.stderr and "Traceback" not in run.stderr
