"""The benchmark runs in one command and the fast reader reads what the naive path and the plain
path read: generated trackers, the fastexcel trap, sheets read in parts, query frames.

Timing is never asserted here; `python -m wenming bench` reports it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from wenming import sample
from wenming.cli import main
from wenming.devtools import bench, bigbook
from wenming.read import grid, reader, values, xlsx
from wenming.store import Store
from wenming.store.db import bind, query_names

AS_OF = sample.AS_OF


def done(n: int) -> int:
    return sum(task.done for task in sample.task_rows(n))


def realistic_done(n: int, seed: int = sample.SEED) -> int:
    _, rows, _, found = bigbook.realistic_rows(n, seed)
    for _ in rows:
        pass
    return found[0]


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read every sheet over 64 kB in parts of 16 kB, as a 100k-row tracker is read."""
    monkeypatch.setattr(xlsx, "PART_BYTES", 16 * 1024)
    monkeypatch.setattr(xlsx, "SPLIT_BYTES", 64 * 1024)


# ---------------------------------------------------------------- the command


def test_bench_command_writes_its_figures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "results" / "bench.json"
    code = main(
        ["bench", "--sizes", "200", "--pages", "none", "--repeat", "1"]
        + ["--out", str(out), "--cache", str(tmp_path / "cache")]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "200" in printed and "naive/ours" in printed
    results = json.loads(out.read_text(encoding="utf-8"))
    assert {"started", "machine", "options", "import", "pages", "seconds"} <= results.keys()
    assert results["options"] == {
        "sizes": [200],
        "page_sizes": [],
        "repeat": 1,
        "naive": True,
        "shapes": ["repeating", "realistic"],
    }
    assert list(results["import"]) == ["repeating", "realistic"]  # both shapes, every size
    expected = {"repeating": done(200), "realistic": realistic_done(200)}
    for shape, sizes in results["import"].items():
        found = sizes["200"]
        assert found["shape"] == shape
        assert {"rows", "file_mb", "fast", "naive", "ratio", "figures_equal"} <= found.keys()
        assert {"seconds", "runs", "read_s", "store_s", "peak_mb", "base_mb", "figures"} <= found["fast"].keys()
        assert {"seconds", "runs", "peak_mb", "figures"} <= found["naive"].keys()
        assert found["ratio"] > 0 and found["fast"]["peak_mb"] > 0
        # The figures both paths can agree on are the same.
        assert found["fast"]["figures"] == found["naive"]["figures"] == {"tasks": 200, "done": expected[shape]}
        assert found["figures_equal"] is True
    lines = printed.splitlines()
    assert any(line.split()[:2] == ["repeating", "200"] for line in lines)
    assert any(line.split()[:2] == ["realistic", "200"] for line in lines)


def test_bench_runs_one_shape(tmp_path: Path) -> None:
    options = bench.Options(sizes=(100,), page_sizes=(), repeat=1, naive=False, shapes=("realistic",), cache=tmp_path)
    results = bench.run(options, echo=lambda _: None)
    assert list(results["import"]) == ["realistic"]
    assert results["import"]["realistic"]["100"]["fast"]["figures"] == {"tasks": 100, "done": realistic_done(100)}
    assert "realistic" in bench.report(results) and "naive/ours" in bench.report(results)


def test_shapes() -> None:
    assert bench.parse_shapes("all") == ("repeating", "realistic")
    assert bench.parse_shapes("realistic") == ("realistic",)
    assert bench.parse_shapes("repeating, realistic") == ("repeating", "realistic")
    for bad in ("", "messy", "realistic,nope"):
        with pytest.raises(ValueError):
            bench.parse_shapes(bad)


def test_bench_help_explains_the_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["bench", "--help"])
    text = capsys.readouterr().out
    for option in ("--sizes", "--pages", "--shapes", "--repeat", "--no-naive", "--out", "--cache"):
        assert option in text
    assert "pandas.read_excel" in text


@pytest.mark.slow
def test_bench_pages_at_a_tiny_size(tmp_path: Path) -> None:
    options = bench.Options(sizes=(), page_sizes=(300,), repeat=1, out=tmp_path / "b.json", cache=tmp_path)
    results = bench.run(options, echo=lambda _: None)
    found = results["pages"]["300"]
    assert {"tasks", "first_page_s", "pages", "errors", "peak_mb", "base_mb"} <= found.keys()
    assert found["first_page_s"] > 0 and found["peak_mb"] > 0
    assert "overview" in found["pages"]
    for page in found["pages"].values():
        assert {"cold_s", "rerun_s", "queries", "query_s", "slowest_query", "query_times"} <= page.keys()
    assert found["pages"]["tasks"]["queries"] > 0
    assert "Pages at 300 tasks" in bench.report(results)


@pytest.mark.parametrize(("text", "sizes"), [("1k,10k,100k,1M", (1_000, 10_000, 100_000, 1_000_000)), ("200", (200,))])
def test_sizes(text: str, sizes: tuple[int, ...]) -> None:
    assert bench.parse_sizes(text) == sizes
    assert bench.parse_sizes("none") == ()
    with pytest.raises(ValueError):
        bench.parse_size("1.5")


# ---------------------------------------------------------------- the same figures both ways


def naive_figures(path: Path) -> dict[str, int]:
    frame = pd.read_excel(path, header=bigbook.HEADER_ROW - 1, engine="openpyxl")
    con = duckdb.connect()
    con.register("naive", frame)
    tasks, done_ = con.execute(bench.NAIVE_FIGURES).fetchone()
    return {"tasks": tasks, "done": done_}


def fast_figures(store: Store) -> dict[str, int]:
    tasks, done_ = store.con.execute(bench.FAST_FIGURES).fetchone()
    return {"tasks": tasks, "done": done_}


@pytest.mark.parametrize("parts", [False, True])
def test_fast_path_figures_equal_the_naive_path(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch, parts: bool
) -> None:
    if parts:
        monkeypatch.setattr(xlsx, "PART_BYTES", 16 * 1024)
        monkeypatch.setattr(xlsx, "SPLIT_BYTES", 64 * 1024)
    path = bigbook.write_tracker(tmp_path / "t.xlsx", 1_500)
    result = store.import_file(path.read_bytes(), path.name, user="test", as_of=AS_OF)
    assert result.rows == {"tasks": 1_500}
    assert fast_figures(store) == naive_figures(path) == {"tasks": 1_500, "done": done(1_500)}


# ---------------------------------------------------------------- generated trackers


def test_generated_tracker_reads_as_the_records_say(tmp_path: Path, store: Store, small_parts: None) -> None:
    tasks = sample.task_rows(3_000)
    path = bigbook.write_tracker(tmp_path / "t.xlsx", 3_000)
    result = store.import_file(path.read_bytes(), path.name, user="test", as_of=AS_OF)
    assert result.rows == {"tasks": 3_000}
    assert [s["kind"] for s in result.sheets] == ["tasks"]
    assert result.sheets[0]["ref_date"] == AS_OF.isoformat()  # the 截至 date of the title rows
    # 待定 (no due date yet) and 基本完成 (in progress), nothing else: WORKBOOKS.md §7
    assert sorted(w.code for w in result.warnings) == ["date_pending", "nearly_done"]
    rows = store.con.execute(
        "select category, item, department, deadline, ongoing, status = 'done' from tasks order by row_no"
    ).fetchall()
    text = values.clean_text  # NFKC: "，" is stored as ","
    expected = [(text(t.category), text(t.item), t.lead, t.due, t.ongoing, t.done) for t in tasks]
    assert rows == expected  # merged and filled-down cells, Chinese dates, ticks and percentages


def test_the_fastexcel_trap(tmp_path: Path, store: Store, small_parts: None) -> None:
    """A date column that turns into text after row 1,000 is read in full, not left empty."""
    path = bigbook.write_tracker(tmp_path / "trap.xlsx", 2_000, trap_after=1_000)
    with zipfile.ZipFile(path) as book:
        xml = book.read("xl/worksheets/sheet1.xml")
    assert xml.count(b'<c r="H') >= 2_000  # 完成时限: a date cell or shared text in every row
    result = store.import_file(path.read_bytes(), path.name, user="test", as_of=AS_OF)
    assert result.rows == {"tasks": 2_000}
    assert not [w for w in result.warnings if w.code == "date"]
    found = store.con.execute(
        "select deadline, deadline_text, count(*) from tasks group by all order by deadline_text"
    ).fetchall()
    assert found == [
        (bigbook.TRAP_DATE, bigbook.TRAP_DATE.isoformat(), 1_000),  # date cells, rows 1–1,000
        (bigbook.TRAP_DATE, bigbook.TRAP_TEXT, 1_000),  # 2025年6月底 below
    ]


def one_piece(data: bytes) -> tuple[grid.Grid, object]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return xlsx.read_sheet(book, None, bigbook.SHEET)


def test_a_sheet_read_in_parts_equals_the_sheet_read_whole(tmp_path: Path, small_parts: None) -> None:
    data = bigbook.write_tracker(tmp_path / "t.xlsx", 2_500).read_bytes()
    whole, whole_merges = one_piece(data)
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    parts, part_merges = xlsx.read_sheet(book, zipfile.ZipFile(io.BytesIO(data)), bigbook.SHEET)
    assert (parts.height, parts.width) == (whole.height, whole.width)
    assert parts.rows(0, parts.height) == whole.rows(0, whole.height)
    assert part_merges.tolist() == whole_merges.tolist()
    parsed = [reader.read_workbook(data, "t.xlsx", as_of=AS_OF) for _ in range(2)]
    assert parsed[0].sheets[0].table.equals(parsed[1].sheets[0].table)


def test_parts_keep_gaps_columns_and_1904_dates(tmp_path: Path, small_parts: None) -> None:
    """Rows that start further right, empty rows between parts and a 1904 workbook."""
    tasks = sample.task_rows(1_200)
    path = bigbook.write_tracker(tmp_path / "t.xlsx", 1_200)
    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info.filename) for info in source.infolist()}
    sheet = members["xl/worksheets/sheet1.xml"]
    # Drop column A (序号) from rows 600–700 and every cell of rows 800–900.
    for row in range(600, 701):
        start = sheet.index(f'<c r="A{row}"'.encode())
        sheet = sheet[:start] + sheet[sheet.index(b"</c>", start) + 4 :]
    start, end = sheet.index(b'<row r="800"'), sheet.index(b'<row r="901"')
    sheet = sheet[:start] + sheet[end:]
    members["xl/worksheets/sheet1.xml"] = sheet
    members["xl/workbook.xml"] = members["xl/workbook.xml"].replace(b"<sheets>", b'<workbookPr date1904="1"/><sheets>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in members.items():
            target.writestr(name, content)
    data = out.getvalue()
    whole, _ = one_piece(data)
    parts, _ = xlsx.read_sheet(
        CalamineWorkbook.from_filelike(io.BytesIO(data)), zipfile.ZipFile(io.BytesIO(data)), bigbook.SHEET
    )
    assert parts.rows(0, parts.height) == whole.rows(0, whole.height)
    done_on = [t.done_cell for t in tasks if isinstance(t.done_cell, dt.date)][0]
    cells = {v for row in parts.rows(0, parts.height) for v in row if isinstance(v, dt.date)}
    assert done_on + dt.timedelta(days=1462) in cells  # the same serial counted from 1904


# ---------------------------------------------------------------- query frames through Arrow


def test_query_frames_equal_duckdb_frames(store: Store) -> None:
    """Store.query converts through Arrow; the frames are the ones DuckDB's .df() gives."""
    for name in sample.SAMPLE_FILES:
        data = (sample.SAMPLE_DIR / name).read_bytes()
        store.import_file(data, name, user="test", as_of=AS_OF)
    checked = 0
    for name in query_names():
        for day, snapshot, departments in [
            (AS_OF, None, None),
            (dt.date(2026, 9, 30), dt.date(2026, 9, 30), ["工会", "团委"]),
            (AS_OF, None, ["没有这个部门"]),
        ]:
            params = {"as_of": day, "snapshot": snapshot, "departments": departments}
            params |= {"start": dt.date(2026, 10, 1), "end": dt.date(2026, 10, 31)}
            try:
                sql, bound = bind(name, params)
            except TypeError:
                continue
            expected = store.con.execute(sql, bound).df()
            pd.testing.assert_frame_equal(store.query(name, **params), expected, check_exact=True)
            checked += 1
    assert checked >= 3 * 20


# ---------------------------------------------------------------- the version pages cache by


def test_version_follows_imports_through_any_store_of_the_process(tmp_path: Path) -> None:
    """Store.version is kept in memory; an import or restore through another Store updates it."""
    path = bigbook.write_tracker(tmp_path / "t.xlsx", 50)
    app = Store.open(tmp_path / "v.duckdb")
    other = app.cursor()
    assert app.version() == 0
    other.import_file(path.read_bytes(), path.name, user="test", as_of=AS_OF)
    assert app.version() == other.version() == 1
    other.restore(1, user="test")
    assert app.version() == 2
    again = Store.open(tmp_path / "v.duckdb")  # a new connection reads it from the file
    assert again.version() == 2
    for store in (other, again, app):
        store.close()


def test_rows_without_numbers_are_read_in_one_piece(tmp_path: Path, small_parts: None) -> None:
    """A sheet whose rows carry no r="…" (some generators omit it) is not cut into parts."""
    path = bigbook.write_tracker(tmp_path / "t.xlsx", 1_200)
    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info.filename) for info in source.infolist()}
    members["xl/worksheets/sheet1.xml"] = re.sub(rb'<row r="\d+">', b"<row>", members["xl/worksheets/sheet1.xml"])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in members.items():
            target.writestr(name, content)
    data = out.getvalue()
    archive = zipfile.ZipFile(io.BytesIO(data))
    member = xlsx._sheet_member(archive, bigbook.SHEET)
    assert member is not None and member.file_size >= xlsx.SPLIT_BYTES
    assert xlsx._read_in_parts(archive, member) is None
    parsed = reader.read_workbook(data, "t.xlsx", as_of=AS_OF)
    assert parsed.rows_by_kind() == {"tasks": 1_200}


# ---------------------------------------------------------------- the realistic shape


def test_realistic_tracker_is_written_as_offices_write_them(tmp_path: Path) -> None:
    path = bigbook.write_realistic(tmp_path / "r.xlsx", 3_000, seed=7)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(bigbook.SHEET).to_python()
    header = bigbook.HEADER_ROW - 1
    assert tuple(rows[header]) == bigbook.REAL_HEADER and len(rows[header]) == 10
    assert rows[0][0].endswith("工作任务分解表") and "截至" in rows[1][0]  # title rows
    body = rows[header + 1 :]
    tasks = [row for row in body if isinstance(row[0], float)]
    texts = [row[3] for row in tasks]
    assert len(tasks) == 3_000 and len(set(texts)) == 3_000  # every task its own sentence
    assert all(20 <= len(text) <= 80 for text in texts)
    subtotals = [row for row in body if row[1] == "小计"]
    assert len(subtotals) > 50 and all(row[3].startswith("本项共") for row in subtotals)
    assert [row[0] for row in body if isinstance(row[0], str) and row[0].startswith(("合计", "填表人"))] == [
        "合计",
        bigbook.FOOTERS[0],
    ]
    departments = [row[4] for row in tasks]
    assert 0.1 < sum("、" in d for d in departments) / 3_000 < 0.2  # joint departments
    assert len({row[5] for row in tasks}) > 500  # people's names vary
    deadlines = [row[6] for row in tasks]
    assert sum(isinstance(d, dt.date) for d in deadlines) > 500
    for form in (
        r"^\d{1,2}月底前$",
        r"^2026年\d{1,2}月\d{1,2}日$",
        r"^长期坚持$",
        r"^每季度$",
        r"^\d{1,2}月[上中下]旬$",
    ):
        assert any(isinstance(d, str) and re.match(form, d) for d in deadlines), form
    statuses = {row[7] for row in tasks}
    assert {"√", "已完成", "推进中", "未启动", ""} <= statuses
    notes = [row[9] for row in tasks]
    assert 0.7 < notes.count("") / 3_000 < 0.95  # 备注 mostly blank
    with zipfile.ZipFile(path) as book:
        xml = book.read("xl/worksheets/sheet1.xml").decode()
    assert xml.count('<mergeCell ref="B') > 100  # merged 测评项目 cells


def test_realistic_tracker_imports_with_the_naive_figures(tmp_path: Path, store: Store, small_parts: None) -> None:
    path = bigbook.write_realistic(tmp_path / "r.xlsx", 2_500, seed=3)
    result = store.import_file(path.read_bytes(), path.name, user="test", as_of=AS_OF)
    assert result.rows == {"tasks": 2_500}  # no 小计, 合计 or footer row among them
    assert result.warnings == []
    expected = {"tasks": 2_500, "done": realistic_done(2_500, seed=3)}
    assert fast_figures(store) == naive_figures(path) == expected
    categories = store.con.execute("select count(*) from tasks where category is null or item is null").fetchone()
    assert categories == (0,)  # merged and blank 测评项目/测评内容 cells filled down
    joint = store.con.execute("select count(*) from tasks where department_text like '%、%'").fetchone()[0]
    assert joint > 0 and store.con.execute("select count(*) from tasks where department like '%、%'").fetchone() == (0,)


def test_cached_trackers_by_shape(tmp_path: Path) -> None:
    first = bigbook.cached_tracker(tmp_path, 60, shape="realistic")
    assert first.name.startswith("tasks-realistic-60-") and first.is_file()
    assert bigbook.cached_tracker(tmp_path, 60, shape="realistic") == first
    assert bigbook.cached_tracker(tmp_path, 60) != first
    with pytest.raises(ValueError):
        bigbook.cached_tracker(tmp_path, 60, shape="tidy")
