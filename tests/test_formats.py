"""Every format offices save trackers in (docs/RULES.md §7): the samples saved as .xls, WPS .et, .ods and
CSV give exactly the figures of the .xlsx samples; a file is read by its content, whatever its name."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests import test_hostile as hostile
from tests.conftest import ROOT, store
from tests.test_hostile import _state, db
from tests.workbooks import said, workbook
from wenming.cli import main
from wenming.devtools import hostile as hostile_formats
from wenming.devtools import saved_as
from wenming.read import csvfile, formats, sandbox
from wenming.read.guard import DEFAULT_LIMITS, Limits, Refused
from wenming.read.reader import read_workbook
from wenming.store import Store

SAMPLES = sorted((ROOT / "data" / "sample").glob("*.xlsx"))
AS_OF = "2026-11-20"


def _figures(files: dict[str, bytes], folder: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    """Import the files into a new database, then `summary --json` of it."""
    folder.mkdir()
    paths = []
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        paths.append(str(path))
    db = str(folder / "figures.duckdb")
    assert main(["import", *paths, "--db", db, "--as-of", AS_OF]) == 0, capsys.readouterr().err
    capsys.readouterr()
    assert main(["summary", "--db", db, "--as-of", AS_OF, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _recognised(data: bytes, name: str) -> set[str]:
    """The sheets of a sample the reader imports (a CSV of 填表说明 would be refused on its own)."""
    return {sheet.name for sheet in read_workbook(data, name, as_of=dt.date(2026, 11, 20)).sheets}


def _workbooks(convert: Callable[[bytes], bytes], suffix: str) -> dict[str, bytes]:
    return {sample.stem + suffix: convert(sample.read_bytes()) for sample in SAMPLES}


def _csv_files(encoding: str, delimiter: str, suffix: str = ".csv") -> dict[str, bytes]:
    files = {}
    for sample in SAMPLES:
        data = sample.read_bytes()
        keep = _recognised(data, sample.name)
        for sheet, text in saved_as.csv_sheets(data, encoding, delimiter).items():
            if sheet in keep:
                files[f"{sample.stem}_{sheet}{suffix}"] = text
    return files


SAVED_AS: dict[str, Callable[[], dict[str, bytes]]] = {
    ".xls": lambda: _workbooks(saved_as.xls, ".xls"),
    "WPS .et": lambda: _workbooks(saved_as.xls, ".et"),
    ".ods": lambda: _workbooks(saved_as.ods, ".ods"),
    ".xlsb": lambda: _workbooks(saved_as.xlsb, ".xlsb"),
    "CSV UTF-8": lambda: _csv_files("utf-8", ","),
    "CSV UTF-8 with BOM": lambda: _csv_files("utf-8-sig", ","),
    "CSV GBK": lambda: _csv_files("gbk", ","),
    "CSV GB18030, tab separated": lambda: _csv_files("gb18030", "\t", ".txt"),
    "Unicode text (UTF-16, tab separated)": lambda: _csv_files("utf-16", "\t", ".txt"),
    ".xls named .xlsx": lambda: _workbooks(saved_as.xls, ".xlsx"),
    ".ods named .xls": lambda: _workbooks(saved_as.ods, ".xls"),
}


@pytest.fixture(scope="module")
def xlsx_figures(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("xlsx")
    db = str(folder / "xlsx.duckdb")
    assert main(["import", *map(str, SAMPLES), "--db", db, "--as-of", AS_OF]) == 0
    return db


@pytest.mark.parametrize("fmt", SAVED_AS, ids=list(SAVED_AS))
def test_the_samples_saved_as_give_the_same_figures(
    fmt: str, xlsx_figures: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["summary", "--db", xlsx_figures, "--as-of", AS_OF, "--json"]) == 0
    expected = json.loads(capsys.readouterr().out)
    assert expected["tasks"]["total"] > 100 and expected["participation"]["activities"] > 100
    assert _figures(SAVED_AS[fmt](), tmp_path / "saved", capsys) == expected


@pytest.mark.parametrize("convert", [saved_as.xls, saved_as.ods, saved_as.xlsb], ids=[".xls", ".ods", ".xlsb"])
@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
def test_every_sheet_reads_as_from_the_xlsx(sample: Path, convert: Callable[[bytes], bytes]) -> None:
    """Cell for cell, merged cells included (the task sheet has 47 merged ranges, read from the .ods's
    spanned cells and the .xlsb's BrtMergeCell records): the same tables, warnings and header rows."""
    xlsx = read_workbook(sample.read_bytes(), sample.name, as_of=dt.date(2026, 11, 20))
    other = read_workbook(convert(sample.read_bytes()), sample.name, as_of=dt.date(2026, 11, 20))
    assert [(s.name, s.kind, s.header_row, s.columns, s.ref_date) for s in other.sheets] == [
        (s.name, s.kind, s.header_row, s.columns, s.ref_date) for s in xlsx.sheets
    ]
    assert all(a.table.equals(b.table) for a, b in zip(other.sheets, xlsx.sheets, strict=True))
    assert [w.message() for w in other.warnings] == [w.message() for w in xlsx.warnings]


@pytest.mark.parametrize("convert", [saved_as.xls, saved_as.ods, saved_as.xlsb], ids=[".xls", ".ods", ".xlsb"])
def test_merged_cells_are_read_in_every_format(convert: Callable[[bytes], bytes]) -> None:
    """The task sample's 47 merged ranges, and a department merged down three rows giving each row
    its department (the sample's figures alone would not notice lost merges: they are fill-down columns)."""
    task_sample = SAMPLES[0].read_bytes()
    expected = _merges(task_sample, "01.xlsx")
    assert len(expected) == 47
    assert _merges(convert(task_sample), "01.other") == expected
    rows = [["工作任务", "牵头部门"], ["任务一", "办公室"], ["任务二", None], ["任务三", None], ["任务四", "工会"]]
    parsed = read_workbook(convert(workbook(("任务", rows, ["B2:B4"]))), "台账", as_of=dt.date(2025, 10, 31))
    assert parsed.sheets[0].table.column("department").to_pylist() == ["办公室", "办公室", "办公室", "工会"]


def _merges(data: bytes, name: str) -> list[tuple[int, ...]]:
    source = formats.open_book(data, name, DEFAULT_LIMITS)[0]
    return sorted(map(tuple, source.read()[1].tolist()))


def test_hidden_sheets_of_an_xls_are_skipped_with_a_note() -> None:
    shown = ("任务分解", [["工作任务", "牵头部门"], ["任务一", "办公室"]])
    old = ("旧任务", [["工作任务", "牵头部门"], ["旧任务一", "办公室"], ["旧任务二", "办公室"]])
    parsed = read_workbook(
        saved_as.xls(workbook(shown, old, hidden=["旧任务"])), "台账.xls", as_of=dt.date(2025, 10, 31)
    )
    assert parsed.rows_by_kind() == {"tasks": 1}
    assert said(parsed.warnings) == ["工作表“旧任务”是隐藏的，已跳过；如需导入请先取消隐藏。"]


# ---------------------------------------------------------------- hostile files of each format

DAMAGED = "文件已损坏或不完整（可能下载或复制中断）；请重新获取原文件后再导入。"
TOO_LARGE_OR_DAMAGED = (
    "文件过大或已损坏：读取时超出了 1,024 MB 内存或 60 秒的限制，或无法解析，未导入任何内容；"
    "请在 Excel 或 WPS 中打开它，核对内容后“另存为” .xlsx 再导入。"
)
BOMB = "文件解压后异常巨大，疑似恶意文件，已拒绝；请用 Excel 重新保存后再导入。"
PASSWORD = "工作簿设置了打开密码，无法读取；请在 Excel 中取消密码（文件→信息→保护工作簿）后再导入。"
WEB_PAGE = "文件内容是网页（HTML），不是 Excel 工作簿（有些系统导出的“Excel”其实是网页）；请用 Excel 打开它，“另存为” .xlsx 后再导入。"


def _half(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _csv_line(length: int) -> bytes:
    return "工作任务,牵头部门\n".encode() + b'"' + b"a" * length + b"\n"


def _numbers() -> bytes:
    return hostile.package({"Index/Document.iwa": b"\x00" * 64, "Metadata/Properties.plist": b"bplist00"})


def _odt() -> bytes:
    return hostile.package({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})


MHT = (
    "MIME-Version: 1.0\r\nX-Document-Type: Workbook\r\n"
    'Content-Type: multipart/related; boundary="----=_NextPart"\r\n\r\n'
    '------=_NextPart\r\nContent-Type: text/html; charset="utf-8"\r\n\r\n<html><table><tr><td>工作任务</td></tr></table>'
)
XML_2003 = (
    '<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?>'
    '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="任务分解"/></Workbook>'
)

# name: (file name, content, the exact one-line message after "file name：")
HOSTILE: dict[str, tuple[str, Callable[[], bytes], str]] = {
    ".xls truncated": ("旧表.xls", lambda: _half(hostile_formats.good_xls()), DAMAGED),
    ".xls bit-flipped": ("旧表.xls", lambda: hostile_formats.bit_flipped(hostile_formats.good_xls()), DAMAGED),
    ".xls whose sector chain runs back on itself": ("旧表.xls", hostile_formats.xls_sector_loop, DAMAGED),
    ".xls with one cell moved to make a 3 GB range": ("旧表.xls", hostile_formats.xls_far_cell, TOO_LARGE_OR_DAMAGED),
    ".xls with an open password": ("加密.xls", hostile_formats.xls_with_password, PASSWORD),
    ".et truncated": ("台账.et", lambda: _half(hostile_formats.good_xls()), DAMAGED),
    ".ods truncated": ("台账.ods", lambda: _half(hostile_formats.good_ods()), DAMAGED),
    ".ods bit-flipped": ("台账.ods", lambda: hostile_formats.bit_flipped(hostile_formats.good_ods(), 301), DAMAGED),
    ".ods decompression bomb": ("炸弹.ods", hostile_formats.ods_zip_bomb, BOMB),
    ".ods repeating a cell 17 billion times": (
        "炸弹.ods",
        lambda: hostile_formats.ods_repeat(1_048_576, 16_384),
        DAMAGED,
    ),
    ".ods repeating a cell 98 million times": (
        "炸弹.ods",
        lambda: hostile_formats.ods_repeat(6_000, 16_384),
        TOO_LARGE_OR_DAMAGED,
    ),
    ".xlsb damaged": ("台账.xlsb", hostile_formats.xlsb, DAMAGED),
    ".xlsb truncated": ("台账.xlsb", lambda: _half(hostile_formats.good_xlsb()), DAMAGED),
    ".xlsb bit-flipped": ("台账.xlsb", lambda: hostile_formats.bit_flipped(hostile_formats.good_xlsb(), 211), DAMAGED),
    ".xlsb decompression bomb": ("炸弹.xlsb", lambda: hostile_formats.xlsb(bytes(300 * 1024 * 1024)), BOMB),
    "CSV with a 2 MB line": (
        "导出.csv",
        lambda: _csv_line(2 * 1024 * 1024),
        "CSV 文本第 2 行有一个超过 1,024 KB 的单元格（可能少了配对的引号，或不是表格文本），已拒绝；请在 Excel 中打开核对，另存为 .xlsx 后再导入。",
    ),
    "CSV with 20,000 columns": (
        "导出.csv",
        lambda: ("工作任务,牵头部门" + "," * 19_998 + "\n").encode(),
        "工作表“导出”的已用区域 A1:ACOF1 有 20,000 个单元格，超过 20,000,000 个的上限；"
        "请删除多余的行和列（在 Excel 中按 Ctrl+End 可找到最后一个单元格），或拆分后再导入。",
    ),
    "CSV of 1,048,577 rows": (
        "导出.csv",
        lambda: b"a\n" * 1_048_577,
        "工作表“导出”有 1048577 行，超过 1048576 行的上限；请拆分后再导入。",
    ),
    "CSV in neither UTF-8 nor GBK": (
        "导出.csv",
        lambda: "Tâche,Département\nCafé,Bureau\n".encode("latin-1"),
        "文件是文本，但编码既不是 UTF-8 也不是 GBK/GB18030，无法读取；请在 Excel 或 WPS 中打开它，另存为 .xlsx 或“CSV UTF-8”后再导入。",
    ),
    ".xls saved as a web page": (
        "系统导出.xls",
        lambda: b"<html><body><table></table></body></html>",
        WEB_PAGE,
    ),
    ".xls saved as a single-file web page (.mht)": ("系统导出.xls", lambda: MHT.encode(), WEB_PAGE),
    "Excel 2003 XML spreadsheet": (
        "台账.xml",
        lambda: XML_2003.encode(),
        "这是 Excel 2003 XML 表格，无法读取；请在 Excel 中打开它，“另存为” .xlsx 后再导入。",
    ),
    "Apple Numbers": (
        "台账.numbers",
        _numbers,
        "这是苹果 Numbers 表格，无法读取；请在 Numbers 中选择“文件→导出为→Excel”，导入导出的 .xlsx。",
    ),
    "OpenDocument text": (
        "方案.odt",
        _odt,
        "文件内容是 OpenDocument 文本或演示文稿，不是表格；请上传 Excel、WPS 表格或 .ods 台账。",
    ),
    "RTF document": (
        "方案.xls",
        lambda: b"{\\rtf1\\ansi ...}",
        "文件内容是 RTF 文档，不是表格；请把表格复制到 Excel 中，保存为 .xlsx 后再导入。",
    ),
}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_hostile_files_are_refused_with_one_sentence(case: str, db: Path, tmp_path: Path, capsys) -> None:
    name, content, expected = HOSTILE[case]
    upload = tmp_path / "in" / name
    upload.parent.mkdir()
    upload.write_bytes(content())
    before = _state(db)
    capsys.readouterr()

    code = main(["import", str(upload), "--db", str(db)])

    out, err = capsys.readouterr()
    assert (code, out, err) == (1, "", f"{name}：{expected}\n")
    assert _state(db) == before


def test_the_sandbox_stops_at_its_limits(tmp_path: Path) -> None:
    """The same sentence for a child out of memory, out of time or killed: here with small limits, so a
    good workbook exceeds them; the limits come from guard.Limits, one place."""
    good = hostile_formats.good_xls()
    for limits in (Limits(parse_memory_bytes=1024 * 1024), Limits(parse_seconds=0)):
        with pytest.raises(Refused) as refused:
            read_workbook(good, "台账.xls", as_of=dt.date(2026, 11, 20), limits=limits)
        assert refused.value.code == "parse_failed"
        assert sandbox.LAST_RUN.exit_code != 0
    assert read_workbook(good, "台账.xls", as_of=dt.date(2026, 11, 20)).rows_by_kind() == {"activities": 159}
    assert 0 < sandbox.LAST_RUN.peak_bytes < 200 * 1024 * 1024


def test_the_server_does_not_grow_on_a_file_that_blows_up() -> None:
    """The 98-million-cell .ods takes the child to its limit; this process stays as it was."""
    before = _resident()
    with pytest.raises(Refused) as refused:
        read_workbook(hostile_formats.ods_repeat(6_000, 16_384), "炸弹.ods", as_of=dt.date(2026, 11, 20))
    assert refused.value.code == "parse_failed"
    assert sandbox.LAST_RUN.peak_bytes > 500 * 1024 * 1024  # the child went to its limit
    assert _resident() - before < 50 * 1024 * 1024


def _resident() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS:"))


def test_no_refusal_quotes_a_member_of_the_zip() -> None:
    """A user cannot act on xl/worksheets/sheet1.xml or docProps?app.xml: no sentence names one."""
    sentences = [expected for _, _, expected in hostile.REFUSED.values()]
    sentences += [expected for _, _, expected in HOSTILE.values()]
    assert not [s for s in sentences if re.search(r"xl/|\.xml|\.rels|\.bin|docProps", s.replace("台账.xml", ""))]


# ---------------------------------------------------------------- .xlsx packages as other programs write them


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _with_sheet(kind: str, target: str, root: str) -> bytes:
    """The one-sheet workbook with a second sheet of another kind (a macro or dialog sheet) before it."""
    members = _members(hostile.book())
    members["xl/workbook.xml"] = (
        f'<workbook xmlns="{hostile.MAIN}" xmlns:r="{hostile.RELS}"><sheets>'
        '<sheet name="宏1" sheetId="2" r:id="rm"/><sheet name="任务分解" sheetId="1" r:id="rs"/></sheets></workbook>'
    ).encode()
    members["xl/_rels/workbook.xml.rels"] = (
        f'<Relationships xmlns="{hostile.PKG}">'
        f'<Relationship Id="rs" Type="{hostile.RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rm" Type="{kind}" Target="{target}"/></Relationships>'
    ).encode()
    members[f"xl/{target}"] = (
        f'<{root} xmlns="{hostile.MAIN}" xmlns:xm="{XM}"><sheetData><row r="1"><c r="A1"><f>RETURN()</f></c></row></sheetData></{root}>'
    ).encode()
    return hostile.package(members)


def _relocated() -> bytes:
    """The workbook at book/wb.xml, as _rels/.rels says: nothing is at xl/workbook.xml."""
    members = _members(hostile.book())
    moved = {}
    for name, data in members.items():
        if name.startswith("xl/"):
            name = "book/" + name[3:].replace("workbook.xml", "wb.xml")
        moved[name] = data.replace(b'Target="xl/workbook.xml"', b'Target="/book/wb.xml"')
    return hostile.package(moved)


def _backslashes() -> bytes:
    """Every member written with \\ between folders, as a Chinese system's export does."""
    members = _members(hostile.book())
    members["docProps/app.xml"] = b"<Properties/>"
    return hostile.package({name.replace("/", "\\"): data for name, data in members.items()})


def _backslash_escape() -> bytes:
    """A \\ name that, read as /, leaves the package: still refused."""
    return hostile.book(extra={"..\\..\\evil.xml": b"<x/>"})


XM = "http://schemas.microsoft.com/office/excel/2006/main"
MACRO = "http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet"
DIALOG = f"{hostile.RELS}/dialogsheet"

# name: (content, task rows, the exact warnings)
READ: dict[str, tuple[Callable[[], bytes], int, list[str]]] = {
    "a macro sheet (xl/macrosheets/)": (
        lambda: _with_sheet(MACRO, "macrosheets/sheet1.xml", "xm:macrosheet"),
        2,
        ["工作表“宏1”是宏表（Excel 4.0 宏），不含台账数据，已跳过。"],
    ),
    "a dialog sheet (xl/dialogsheets/)": (
        lambda: _with_sheet(DIALOG, "dialogsheets/sheet1.xml", "dialogsheet"),
        2,
        ["工作表“宏1”是对话框表（Excel 5.0 对话框），不含台账数据，已跳过。"],
    ),
    "the workbook where _rels/.rels says, not xl/workbook.xml": (_relocated, 2, []),
    "\\ between folders in member names": (_backslashes, 2, []),
    "CSV text named .xlsx": (lambda: "序号,工作任务,牵头部门\n1,任务一,办公室\n".encode(), 1, []),
    "GB18030 tab-separated text named .xlsx": (lambda: "工作任务\t牵头部门\n任务一\t办公室\n".encode("gb18030"), 1, []),
}


@pytest.mark.parametrize("case", READ, ids=list(READ))
def test_packages_other_programs_write_are_read(case: str, store: Store) -> None:
    content, rows, expected = READ[case]
    result = store.import_file(content(), "台账.xlsx", user="test", as_of=dt.date(2025, 10, 31))
    assert result.rows == {"tasks": rows}
    assert said(result.warnings) == expected


def test_a_backslash_name_leaving_the_package_is_still_refused() -> None:
    with pytest.raises(Refused) as refused:
        read_workbook(_backslash_escape(), "台账.xlsx", as_of=dt.date(2025, 10, 31))
    assert refused.value.code == "malformed"
    assert "evil" not in refused.value.message()


# ---------------------------------------------------------------- the upload page


def test_the_upload_page_reads_an_xls_and_a_gbk_csv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the real widget: the page names the formats it reads, previews an .xls and a GBK CSV
    with the rows of their sheets, and stores what the .xlsx would have stored."""
    from tests.test_pages import app, zh

    sample = SAMPLES[3].read_bytes()  # 活动登记表: 159 activities
    xls = saved_as.xls(sample)
    gbk = saved_as.csv_sheets(SAMPLES[2].read_bytes(), "gbk")["问题整改台账"]  # 45 ledger problems
    at = app(tmp_path / "upload.duckdb", monkeypatch, "pages/upload.py")
    assert zh("upload.intro") in [m.value for m in at.markdown]
    assert ".xls" in at.file_uploader[0].label and ".csv" in at.file_uploader[0].label
    assert zh("upload.templates_formats") in [c.value for c in at.caption]
    at.file_uploader[0].upload("活动登记.xls", xls, "application/vnd.ms-excel").upload("整改台账.csv", gbk, "text/csv")
    at.run()
    assert not at.exception and not at.error
    sheets = [frame.value for frame in at.dataframe if {"sheet", "kind"} <= set(frame.value.columns)]
    assert [s[["sheet", "kind", "rows"]].values.tolist() for s in sheets] == [
        [["活动登记", "活动登记", 159]],
        [["整改台账", "问题整改", 45]],
    ]
    at.text_input(key="upload_user").input("张三").run()
    at.button[0].click().run()
    assert len(at.success) == 2 and not at.error
    stored = Store.open(tmp_path / "upload.duckdb")
    try:
        reference = Store.open(tmp_path / "reference.duckdb")
        reference.import_file(sample, "活动登记.xlsx", user="张三")
        query = "select * exclude (load_id) from activities order by row_no"
        assert stored.con.execute(query).fetchall() == reference.con.execute(query).fetchall()
        reference.close()
    finally:
        stored.close()


# ---------------------------------------------------------------- CSV cells, encodings, delimiters


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("35", 35.0),
        ("-1.5", -1.5),
        ("007", "007"),  # leading zeros: an ID, kept as text
        ("1,234", "1,234"),  # a thousands comma: text, which values.parse_number reads
        ("60%", 0.6),
        ("2026-06-30", dt.date(2026, 6, 30)),
        ("2026/6/30", dt.date(2026, 6, 30)),
        ("2026/6/30 9:05", dt.datetime(2026, 6, 30, 9, 5)),
        ("2026/2/30", "2026/2/30"),  # no such day: text, reported by the reader like any bad date
        ("TRUE", True),
        ("false", False),
        ("  ", ""),
        ("6月底前", "6月底前"),
        (" 已完成 ", " 已完成 "),  # text as written; the reader trims
    ],
)
def test_csv_cells_are_typed_as_excel_types_them(text: str, value: object) -> None:
    typed = csvfile.typed(text)
    assert (typed, type(typed)) == (value, type(value))


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("工作任务,部门\n".encode(), "工作任务,部门\n"),
        ("工作任务,部门\n".encode("utf-8-sig"), "工作任务,部门\n"),
        ("工作任务,部门\n".encode("gbk"), "工作任务,部门\n"),
        ("𠀀工作任务,部门\n".encode("gb18030"), "𠀀工作任务,部门\n"),  # four-byte GB18030, not in GBK
        ("工作任务\t部门\n".encode("utf-16"), "工作任务\t部门\n"),
    ],
)
def test_csv_encodings_are_found(data: bytes, text: str) -> None:
    assert csvfile.decode(data) == text


def test_csv_delimiter_is_tab_only_where_tabs_outnumber_commas() -> None:
    assert csvfile.delimiter("工作任务\t部门\n任务一\t办公室\n") == "\t"
    assert csvfile.delimiter("工作任务,部门\n任务一\t说明,办公室\n") == ","
    assert list(csvfile.rows('工作任务,部门\n"两行\n的任务",办公室\n'.encode())) == [
        ["工作任务", "部门"],
        ["两行\n的任务", "办公室"],
    ]
