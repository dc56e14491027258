"""The import reads what a straightforward reading reads: the reader (column-wise, its text work in
Arrow) against a plain reference written here, one row and one cell at a time with the value parsers
of read.values, on realistic trackers of several seeds, the repeating benchmark tracker and a tracker
holding every messy form of a 任务分解表. Rows and `summary --json` must be identical."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
from pathlib import Path

import pyarrow as pa
import pytest
from python_calamine import CalamineWorkbook

from tests.workbooks import Formatted, workbook
from wenming import sample
from wenming.cli import main
from wenming.devtools import bigbook
from wenming.read import contract, reader, values
from wenming.read.layout import find_header
from wenming.store import Store

AS_OF = sample.AS_OF

# ---------------------------------------------------------------- the reference reading, row by row


def _cells(data: bytes) -> tuple[str, list[list[object]]]:
    """The first sheet's cells, every cell of a merged range holding the range's value."""
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    name = book.sheet_names[0]
    sheet = book.get_sheet_by_name(name)
    rows = [list(row) for row in sheet.to_python(skip_empty_area=False)]
    width = max([len(row) for row in rows] + [c1 + 1 for _, (_, c1) in sheet.merged_cell_ranges or []])
    rows = [row + [""] * (width - len(row)) for row in rows]
    for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []:
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            for c in range(c0, c1 + 1):
                rows[r][c] = rows[r0][c0]
    return name, rows


def _starts(value: object, prefixes: tuple[str, ...]) -> bool:
    return isinstance(value, str) and contract.normalize_word(value).startswith(prefixes)


def _subtotal(value: object) -> bool:
    """合计…, …小计 (机关小计) or …平均 (全局平均)."""
    word = contract.normalize_word(value) if isinstance(value, str) else ""
    return word.startswith(contract.SUBTOTAL_PREFIXES) or word.endswith(contract.SUMMARY_SUFFIXES)


def _footer(value: object) -> bool:
    """A footer or subtotal word first; 审核 and 说明 alone or followed by ：, （ or 人."""
    word = contract.normalize_word(value) if isinstance(value, str) else ""
    bounded = any(word == w or word.startswith((f"{w}:", f"{w}(", f"{w}人")) for w in contract.FOOTER_BOUNDED)
    return _starts(value, contract.FOOTER_PREFIXES) or _subtotal(value) or bounded


def _text(value: object, *, dates: bool = False, percents: bool = False) -> str | None:
    if dates and isinstance(value, dt.date):
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    if percents and isinstance(value, float) and 0 <= value <= 1:
        return f"{value * 100:g}%"
    return values.clean_text(value) or None


def _date(value: object, year: int, deadline: bool) -> values.DateValue:
    parsed = values.parse_date(value, year, deadline=deadline)
    if parsed.date is not None and not values.YEAR_MIN <= parsed.date.year <= values.YEAR_MAX:
        return values.UNKNOWN_DATE
    return parsed


def reference_rows(data: bytes) -> list[dict[str, object]]:
    """The task rows of a 任务分解表 read one by one, as WORKBOOKS.md §3–§4 and §7 say."""
    name, rows = _cells(data)
    header = find_header(rows[: contract.HEADER_SCAN_ROWS])
    assert header is not None and header.kind.name == "tasks"
    ref = values.reference_date([v for row in rows[: header.row] for v in row if isinstance(v, str) and v]) or AS_OF
    columns = header.columns
    text_col = columns["task"]
    head_text = values.clean_text(rows[header.row][text_col])
    book = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(name)
    across = [
        (r0, r1, c0, c1)
        for (r0, c0), (r1, c1) in book.merged_cell_ranges or []
        if c1 > c0 and c0 <= text_col <= c1 and any(c0 <= k <= c1 for k in set(columns.values()) - {text_col})
    ]
    labels: list[tuple[int, list[object]]] = []
    for r in range(header.row + 1, len(rows)):
        row = rows[r]
        first = next((v for v in row if v != ""), None)
        if _footer(first):
            continue
        if any(_subtotal(row[i]) for i in columns.values() if i <= text_col):
            continue
        if values.clean_text(row[text_col]) == head_text:
            continue
        section = any(
            r0 <= r <= r1 and all(row[k] == "" for k in columns.values() if k != text_col and not c0 <= k <= c1)
            for r0, r1, c0, c1 in across
        )
        if not section:
            labels.append((r, row))
    # 测评项目 and 测评内容 filled down over the label rows, an item only within its category
    last: dict[str, object] = {}
    out = []
    for r, row in labels:
        filled = list(row)
        for level in ("category", "item"):
            if level not in columns:
                continue
            value = row[columns[level]]
            if values.is_blank(value):
                filled[columns[level]] = last.get(level, "")
            else:
                if level == "category" and value != last.get("category"):
                    last.pop("item", None)
                last[level] = value
        if values.clean_text(row[text_col]) != "":
            out.append(_typed(name, r + 1, filled, columns, ref))
    return out


def _typed(sheet: str, row_no: int, row: list[object], columns: dict[str, int], ref: dt.date) -> dict[str, object]:
    def cell(role: str) -> object:
        return row[columns[role]] if role in columns else ""

    found: dict[str, object] = {"sheet": sheet, "row_no": row_no}
    for role in ("task", "category", "item", "helpers", "leader", "owner", "evidence", "note"):
        if role in columns:
            found[role] = _text(cell(role))
    found["department"] = values.department(cell("department"))
    found["department_text"] = _text(cell("department"))
    deadline = _date(cell("deadline"), ref.year, True)
    found |= {"deadline": deadline.date, "deadline_text": _text(cell("deadline"), dates=True)}
    found["ongoing"] = deadline.ongoing
    if deadline.at_once:
        found["deadline"] = ref
    done_on = _date(cell("done_on"), ref.year, False)
    if "done_on" in columns:
        found |= {"done_on": done_on.date, "done_on_text": _text(cell("done_on"), dates=True)}
    written = done_on.date is not None or not done_on.ok
    state = values.task_status(cell("status"), written, deadline.ongoing)
    share = values.progress(cell("progress"))
    state = values.combine_task(state, values.decision(cell("decision")), share.value)
    found |= {"status": state.state, "status_text": _text(cell("status"), percents=True), "progress": state.progress}
    return found


# ---------------------------------------------------------------- trackers


def messy_tracker() -> bytes:
    """Every messy form of a 任务分解表 the reader knows, in one sheet."""
    header = [
        "序号",
        "测评项目",
        "测评内容",
        "工作任务",
        "牵头部门",
        "责任人",
        "完成时限",
        "完成情况",
        "完成日期",
        "备注",
    ]
    rows = [
        ["华晋能源集团创建全国文明单位任务分解表"],
        ["（截至2026年10月31日）"],
        header,
        ["一、学雷锋活动"],  # a section heading merged across
        [1, "学雷锋活动", "志愿服务队", "组织开展学雷锋志愿服务，覆盖职工１２００人次", "办 公 室 ", "李文斌", "6月底前", "√", dt.date(2026, 6, 2), ""],
        [2, "", "", "  建立健全志愿服务制度。 ", "宣传部、工会", "王建华", "2026年9月30日", "已完成，照片已归档", "", "备注一"],
        [3, "", "志愿服务站", "ＡＢＣ全角任务（第３批）", "工会/团委", "", 46203, Formatted(0.6, "0%"), "", ""],
        ["", "小 计", "", "本项共3项"],  # a subtotal in the 测评项目 column
        [4, "道德讲堂", "", "开展道德讲堂宣讲　每季度一次", "团委;工会", "张伟", "长期坚持", "持续推进", "", ""],
        [5, "", "", "道德讲堂\t进基层", "团委", "张伟", "每季度", "80%", "", ""],
        [6, "", "讲堂活动", "任务六", "人力资源部", "", "待定", "基本完成", "", ""],
        [7, "", "", "任务七", "人力资源部", "", "另行通知", "推进中", "", ""],
        [8, "", "", "任务八", "化工公司\n漳村煤矿", "", "2026.3.1至2026.6.30", "", "2026年5月12日", ""],
        ["", "", "", "", "安全环保部", "", "6月底", "", "", ""],  # values but no task: reported, not data
        header,  # the header repeated on a new page
        [9, "文明风尚", "", "任务九", "集团办公室", "", "立行立改", "未启动", "", ""],
        [10, "", "", "任务十", "集团办公室", "", "11月上旬", "100%", "", ""],
        [11, "", "", "任务十一", "集团办公室", "", "下半年", "已于7月15日在官网发布", "", ""],
        [12, "", "", "任务十二", "集团办公室", "", 2026, 0.5, "", ""],
        ["合　计", "", "", "共12项"],
        [],
        ["填表人：刘晓燕    审核：王建华"],
        ["注：完成时限为“长期坚持”的任务按月报告进展。"],
    ]  # fmt: skip
    return workbook(("任务分解", rows, ["A1:J1", "A2:J2", "A4:J4", "B5:B7", "B9:B13"]))


def realistic(seed: int, tmp: Path) -> bytes:
    return bigbook.write_realistic(tmp / f"r{seed}.xlsx", 400, seed=seed).read_bytes()


# ---------------------------------------------------------------- identical


def fast_rows(data: bytes) -> tuple[reader.ParsedWorkbook, list[dict[str, object]]]:
    parsed = reader.read_workbook(data, "t.xlsx", as_of=AS_OF)
    assert len(parsed.sheets) == 1
    return parsed, parsed.sheets[0].table.to_pylist()


def summary(db: Path, capsys: pytest.CaptureFixture[str], day: dt.date) -> dict[str, object]:
    capsys.readouterr()
    assert main(["summary", "--json", "--as-of", day.isoformat(), "--db", str(db)]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("tracker", ["messy", "realistic-1", "realistic-2", "realistic-3", "repeating"])
def test_the_import_reads_what_a_plain_reading_reads(
    tracker: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if tracker == "messy":
        data = messy_tracker()
    elif tracker == "repeating":
        data = bigbook.write_tracker(tmp_path / "t.xlsx", 500, seed=5).read_bytes()
    else:
        data = realistic(int(tracker.rsplit("-", 1)[1]), tmp_path)
    parsed, found = fast_rows(data)
    expected = reference_rows(data)
    assert len(found) == len(expected) > 0
    for mine, theirs in zip(found, expected, strict=True):
        assert {key: mine[key] for key in theirs} == theirs
        assert set(mine) - set(theirs) <= {"people"}, set(mine) - set(theirs)
    # Stored and summed up, both readings give the same figures.
    sheet = parsed.sheets[0]
    schema = pa.schema(
        [field.with_type(pa.string()) if pa.types.is_dictionary(field.type) else field for field in sheet.table.schema]
    )
    plain = dataclasses.replace(
        parsed, sheets=[dataclasses.replace(sheet, table=pa.Table.from_pylist(expected, schema))]
    )
    for name, book in (("fast", parsed), ("plain", plain)):
        store = Store.open(tmp_path / f"{name}.duckdb")
        store.import_parsed(book, data, user="test", as_of=AS_OF)
        store.close()
    for day in (AS_OF, dt.date(2026, 6, 30)):
        assert summary(tmp_path / "fast.duckdb", capsys, day) == summary(tmp_path / "plain.duckdb", capsys, day)


def test_the_messy_tracker_holds_every_form() -> None:
    """The messy tracker really exercises the rules: rows left out, filled down and parsed."""
    parsed, found = fast_rows(messy_tracker())
    assert [row["row_no"] for row in found] == [5, 6, 7, 9, 10, 11, 12, 13, 16, 17, 18, 19]
    assert found[0]["department"] == "办公室" and found[1]["department"] == "宣传部"
    assert found[2]["task"] == "ABC全角任务(第3批)"  # NFKC
    assert [row["category"] for row in found[:5]] == ["学雷锋活动"] * 3 + ["道德讲堂"] * 2
    assert {w.code for w in parsed.warnings} >= {"date", "date_pending", "nearly_done", "row_without_text"}
