"""Bad and hostile uploads, table-driven: each refused file's exact sentence and an unchanged database;
each accepted one's exact warnings (docs/RULES.md §6).

Every workbook is built here, most by writing the sheet XML directly (tiny, and free to
be what Excel would never write); the few large ones are made of repeated bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import random
import struct
import tomllib
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from tests.conftest import ROOT, dump
from tests.workbooks import said, workbook
from wenming.cli import main
from wenming.read import guard, xlsx
from wenming.read.guard import DEFAULT_LIMITS, Limits, Refused
from wenming.read.reader import read_workbook
from wenming.render import export
from wenming.store import Store

FIXTURES = Path(__file__).resolve().parent / "fixtures"
AS_OF = dt.date(2025, 10, 31)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET = "xl/worksheets/sheet1.xml"
SST = "xl/sharedStrings.xml"
HEADER = ["工作任务", "牵头部门", "完成情况"]


# ---------------------------------------------------------------- workbooks written by hand


def s(ref: str, value: str) -> str:
    """An inline text cell."""
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def row(number: int, *cells: str) -> str:
    return f'<row r="{number}">{"".join(cells)}</row>'


def tasks(*rows: list[str], first: int = 2) -> str:
    """The header row and task rows (task, department, status) as sheet rows."""
    out = [row(1, *(s(f"{col}1", text) for col, text in zip("ABC", HEADER, strict=True)))]
    for number, values in enumerate(rows, start=first):
        out.append(row(number, *(s(f"{col}{number}", text) for col, text in zip("ABC", values, strict=False) if text)))
    return "".join(out)


GOOD_ROWS = tasks(["任务一", "办公室", "已完成"], ["任务二", "研究室", ""])


def sheet_xml(rows: str, *, head: str = "", prolog: str = "", tail: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
        f'<worksheet xmlns="{MAIN}">{head}<sheetData>{rows}</sheetData>{tail}</worksheet>'
    ).encode()


def book(
    sheet: bytes | str = GOOD_ROWS,
    *,
    shared: bytes | None = None,
    hidden: bool = False,
    extra: dict[str, bytes] | None = None,
    level: int = 6,
) -> bytes:
    """A one-sheet .xlsx (sheet 任务分解) around sheet XML, or around rows given as text."""
    xml = sheet_xml(sheet) if isinstance(sheet, str) else sheet
    state = ' state="hidden"' if hidden else ""
    sst_rel = f'<Relationship Id="r9" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>' if shared else ""
    members = {
        "[Content_Types].xml": (
            b'<?xml version="1.0" encoding="UTF-8"?>'
            b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            b'<Default Extension="xml" ContentType="application/xml"/>'
            b'<Override PartName="/xl/workbook.xml" '
            b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{PKG}"><Relationship Id="r1" Type="{RELS}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'
        ).encode(),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>'
            f'<sheet name="任务分解" sheetId="1"{state} r:id="rs"/></sheets></workbook>'
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{PKG}"><Relationship Id="rs" Type="{RELS}/worksheet" '
            f'Target="worksheets/sheet1.xml"/>{sst_rel}</Relationships>'
        ).encode(),
        SHEET: xml,
        **({SST: shared} if shared else {}),
        **(extra or {}),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def package(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """Any zip of the given members."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def patched(data: bytes, member: str, **fields: int) -> bytes:
    """The zip with some of a member's fields rewritten: file_size in its local header and the central
    directory, compress_size or flag_bits in the central directory only."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(member)
        directory = archive.start_dir
    out = bytearray(data)
    if "file_size" in fields:
        struct.pack_into("<L", out, info.header_offset + 22, fields["file_size"])
    at = directory
    while out[at : at + 4] == b"PK\x01\x02":
        n, m, k = struct.unpack_from("<HHH", out, at + 28)
        if bytes(out[at + 46 : at + 46 + n]).decode() == member:
            for field, offset, kind in (("flag_bits", 8, "<H"), ("compress_size", 20, "<L"), ("file_size", 24, "<L")):
                if field in fields:
                    struct.pack_into(kind, out, at + offset, fields[field])
        at += 46 + n + m + k
    return bytes(out)


def bit_flipped() -> bytes:
    data = book()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(SHEET)
    out = bytearray(data)
    start = guard.data_start(data, info)
    out[start + info.compress_size // 2] ^= 0xFF
    return bytes(out)


def lying_sheet(extra: int) -> bytes:
    """The sheet's directory entry says it is ``extra`` bytes longer (negative: shorter) than it is."""
    data = book(GOOD_ROWS + "".join(row(n, s(f"D{n}", "备注" * 20)) for n in range(10, 60)))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        size = archive.getinfo(SHEET).file_size
    return patched(data, SHEET, file_size=size + extra)


def lying_shared_strings() -> bytes:
    shared = f'<sst xmlns="{MAIN}">' + "<si><t>任务</t></si>" * 500 + "</sst>"
    data = book(shared=shared.encode())
    return patched(data, SST, file_size=200)


def unpacked_too_large() -> bytes:
    """Six members of 1 MB of noise whose directory entries say 199 MB each: no single member past
    the ratio limit, 1,194 MB together."""
    members = {f"xl/media/image{i}.png": random.Random(i).randbytes(1024 * 1024) for i in range(6)}
    data = book(extra=members)
    for name in members:
        data = patched(data, name, file_size=199 * 1024 * 1024)
    return data


def many_members() -> bytes:
    """A workbook of five members and 9,996 empty ones: 10,001."""
    return book(extra={f"xl/media/m{i}.txt": b"" for i in range(9_996)})


def duplicate_member() -> bytes:
    out = io.BytesIO(book())
    with warnings.catch_warnings(), zipfile.ZipFile(out, "a") as archive:
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name it is asked to write
        archive.writestr(SHEET, sheet_xml(tasks(["另一个任务", "办公室"])))
    return out.getvalue()


def overlapping() -> bytes:
    data = book()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("[Content_Types].xml")
    return patched(data, "[Content_Types].xml", compress_size=info.compress_size + 10)


def shared_strings_bomb() -> bytes:
    shared = f'<sst xmlns="{MAIN}">'.encode() + b"<si><t>a</t></si>" * 1_200_000 + b"</sst>"
    return book(shared=shared, level=9)


def sheet_bomb() -> bytes:
    rows = GOOD_ROWS + row(3, s("A3", "任务三")) * 600_000
    return book(rows, level=9)


def hidden_only() -> bytes:
    return book(hidden=True)


def far_cell(ref: str, rows: str = GOOD_ROWS) -> bytes:
    number = int("".join(ch for ch in ref if ch.isdigit()))
    return book(rows + row(number, f'<c r="{ref}"><v>1</v></c>'))


def prefixed_far_cell() -> bytes:
    """A cell under a second namespace prefix: calamine ignores prefixes, so it is a cell all the same."""
    rows = GOOD_ROWS + '<row r="9"><y:c xmlns:y="urn:other" r="XFD1048576"><y:v>1</y:v></y:c></row>'
    return book(rows)


XXE = '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS = (
    '<!DOCTYPE sst [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)


def xxe_sheet() -> bytes:
    return book(sheet_xml(GOOD_ROWS + row(5, s("A5", "&xxe;").replace("&amp;", "&")), prolog=XXE))


def laughs_shared_strings() -> bytes:
    shared = f'<?xml version="1.0"?>{LAUGHS}<sst xmlns="{MAIN}"><si><t>&lol3;</t></si></sst>'
    return book(shared=shared.encode())


def ods() -> bytes:
    return package(
        {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<office:document-content/>"},
        zipfile.ZIP_STORED,
    )


def docx() -> bytes:
    return package({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def pptx() -> bytes:
    return package({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p:presentation/>"})


def xlsb() -> bytes:
    return package({"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\x83\x01\x00"})


def empty_workbook() -> bytes:
    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    return out.getvalue()


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
SAVE_AGAIN = "请用 Excel 重新保存后再导入。"
# Refusals never quote a member of the zip (xl/worksheets/sheet1.xml means nothing to a user).
DAMAGED = "文件已损坏或不完整（可能下载或复制中断）；请重新获取原文件后再导入。"
BOMB = f"文件解压后异常巨大，疑似恶意文件，已拒绝；{SAVE_AGAIN}"
LYING = f"文件中某个部件的实际大小与文件目录记载的不符（文件已损坏或被篡改），已拒绝；{SAVE_AGAIN}"
MALFORMED = "文件的压缩结构异常，不像是 Excel 保存的工作簿，已拒绝；请用 Excel 打开并“另存为” .xlsx 后再导入。"
DTD = f"文件中含有 DTD/实体声明（Excel 从不写入，常见于恶意文件），已拒绝；{SAVE_AGAIN}"

# name: (file name, content, the exact one-line message)
REFUSED: dict[str, tuple[str, Callable[[], bytes], str]] = {
    "png renamed": (
        "截图.xlsx",
        lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
        "截图.xlsx：文件内容是一张图片，不是 Excel 工作簿；请上传 Excel 台账本身，而不是截图或照片。",
    ),
    "jpeg renamed": (
        "照片.xlsx",
        lambda: b"\xff\xd8\xff\xe0" + b"\x00" * 64,
        "照片.xlsx：文件内容是一张图片，不是 Excel 工作簿；请上传 Excel 台账本身，而不是截图或照片。",
    ),
    "pdf renamed": (
        "台账.xlsx",
        lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
        "台账.xlsx：文件内容是 PDF 文档，不是 Excel 工作簿；请上传 Excel 台账本身，而不是 PDF 或打印稿。",
    ),
    "web page exported as Excel": (
        "系统导出.xlsx",
        lambda: "<html><body><table><tr><td>工作任务</td></tr></table></body></html>".encode(),
        "系统导出.xlsx：文件内容是网页（HTML），不是 Excel 工作簿（有些系统导出的“Excel”其实是网页）；"
        "请用 Excel 打开它，“另存为” .xlsx 后再导入。",
    ),
    "docx renamed": (
        "方案.xlsx",
        docx,
        "方案.xlsx：文件内容是 Word 文档，不是 Excel 工作簿；请把表格复制到 Excel 中，保存为 .xlsx 后再导入。",
    ),
    "pptx renamed": (
        "汇报.xlsx",
        pptx,
        "汇报.xlsx：文件内容是 PowerPoint 演示文稿，不是 Excel 工作簿；请上传 Excel 台账。",
    ),
    "a damaged .ods named .xlsx": (
        "台账.xlsx",
        ods,
        "台账.xlsx：" + DAMAGED,
    ),
    "a damaged .ods": (
        "台账.ods",
        ods,
        "台账.ods：" + DAMAGED,
    ),
    "a damaged .xlsb named .xlsx": (
        "台账.xlsx",
        xlsb,
        "台账.xlsx：" + DAMAGED,
    ),
    "zip of other files": (
        "资料.xlsx",
        lambda: package({"readme.txt": b"hello"}),
        "资料.xlsx：文件内容不是 Excel 工作簿（可能是改了扩展名的其他文件）；请用 Excel 打开后另存为 .xlsx 再导入。",
    ),
    "truncated": (
        "截断.xlsx",
        lambda: book()[: len(book()) // 2],
        "截断.xlsx：文件已损坏或不完整（可能下载或复制中断）；请重新获取原文件后再导入。",
    ),
    "bit flipped": (
        "损坏.xlsx",
        bit_flipped,
        "损坏.xlsx：文件已损坏或不完整（可能下载或复制中断）；请重新获取原文件后再导入。",
    ),
    "encrypted": (
        "加密.xlsx",
        lambda: (FIXTURES / "encrypted.xlsx").read_bytes(),
        "加密.xlsx：工作簿设置了打开密码，无法读取；请在 Excel 中取消密码（文件→信息→保护工作簿）后再导入。",
    ),
    "zip member encrypted": (
        "加密.xlsx",
        lambda: patched(book(), SHEET, flag_bits=0x1),
        "加密.xlsx：工作簿设置了打开密码，无法读取；请在 Excel 中取消密码（文件→信息→保护工作簿）后再导入。",
    ),
    "shared strings bomb": (
        "炸弹.xlsx",
        shared_strings_bomb,
        "炸弹.xlsx：" + BOMB,
    ),
    "sheet bomb": (
        "炸弹.xlsx",
        sheet_bomb,
        "炸弹.xlsx：" + BOMB,
    ),
    "unpacks past 1 GB": (
        "巨大.xlsx",
        unpacked_too_large,
        "巨大.xlsx：文件解压后共 1,194 MB，超过 1,024 MB 的上限，疑似恶意文件，已拒绝；请拆分为多个工作簿后分别导入。",
    ),
    "sheet longer than its directory says": (
        "篡改.xlsx",
        lambda: lying_sheet(-300),
        "篡改.xlsx：" + LYING,
    ),
    "sheet shorter than its directory says": (
        "篡改.xlsx",
        lambda: lying_sheet(+10),
        "篡改.xlsx：" + LYING,
    ),
    "shared strings longer than their directory says": (
        "篡改.xlsx",
        lying_shared_strings,
        "篡改.xlsx：" + LYING,
    ),
    "10,001 zip members": (
        "部件.xlsx",
        many_members,
        f"部件.xlsx：文件包含 10001 个部件，超过 10000 个的上限，疑似恶意文件，已拒绝；{SAVE_AGAIN}",
    ),
    "a member twice": (
        "重复.xlsx",
        duplicate_member,
        "重复.xlsx：" + MALFORMED,
    ),
    "a member named ../../evil.xml": (
        "穿越.xlsx",
        lambda: book(extra={"../../evil.xml": b"<x/>"}),
        "穿越.xlsx：" + MALFORMED,
    ),
    "members overlapping": (
        "重叠.xlsx",
        overlapping,
        "重叠.xlsx：" + MALFORMED,
    ),
    "a row past Excel's last (1,048,577)": (
        "行数.xlsx",
        lambda: far_cell("A1048577"),
        "行数.xlsx：工作表“任务分解”有 1048577 行，超过 1048576 行的上限；请拆分后再导入。",
    ),
    "cells A1 and XFD1048576": (
        "两个单元格.xlsx",
        lambda: far_cell("XFD1048576"),
        "两个单元格.xlsx：工作表“任务分解”的已用区域 A1:XFD1048576 有 17,179,869,184 个单元格，超过 20,000,000 个的上限；"
        "请删除多余的行和列（在 Excel 中按 Ctrl+End 可找到最后一个单元格），或拆分后再导入。",
    ),
    "a stray cell at XFD2000": (
        "台账.xlsx",
        lambda: far_cell("XFD2000"),
        "台账.xlsx：工作表“任务分解”的已用区域 A1:XFD2000 有 32,768,000 个单元格，超过 20,000,000 个的上限；"
        "请删除多余的行和列（在 Excel 中按 Ctrl+End 可找到最后一个单元格），或拆分后再导入。",
    ),
    "a far cell under another namespace prefix": (
        "前缀.xlsx",
        prefixed_far_cell,
        "前缀.xlsx：工作表“任务分解”的已用区域 A1:XFD1048576 有 17,179,869,184 个单元格，超过 20,000,000 个的上限；"
        "请删除多余的行和列（在 Excel 中按 Ctrl+End 可找到最后一个单元格），或拆分后再导入。",
    ),
    "external entity (XXE) in the sheet": (
        "实体.xlsx",
        xxe_sheet,
        "实体.xlsx：" + DTD,
    ),
    "billion laughs in the shared strings": (
        "实体.xlsx",
        laughs_shared_strings,
        "实体.xlsx：" + DTD,
    ),
    "only hidden sheets": (
        "隐藏.xlsx",
        hidden_only,
        "隐藏.xlsx：有内容的工作表（任务分解）都是隐藏的，没有可导入的工作表；请在 Excel 中取消隐藏（右键工作表标签→取消隐藏）后再导入。",
    ),
    "an empty OLE container named .xls": (
        "旧表.xls",
        lambda: OLE,
        "旧表.xls：" + DAMAGED,
    ),
    "an empty OLE container named .xlsx": (
        "旧表.xlsx",
        lambda: OLE,
        "旧表.xlsx：" + DAMAGED,
    ),
    "zero bytes": ("空文件.xlsx", lambda: b"", "空文件.xlsx：文件是空的（0 字节）；请重新导出台账后再导入。"),
    "over 100 MB": (
        "大文件.xlsx",
        lambda: guard.ZIP_MAGIC + bytes(100 * 1024 * 1024),
        "大文件.xlsx：文件超过 100 MB 的上限；请拆分为多个工作簿后分别导入。",
    ),
    "an empty workbook": ("空白.xlsx", empty_workbook, "空白.xlsx：工作簿是空的，没有任何内容；请填写台账后再导入。"),
    "no sheet of a known kind": (
        "通讯录.xlsx",
        lambda: book(row(1, s("A1", "姓名"), s("B1", "电话")) + row(2, s("A2", "张三"), s("B2", "123"))),
        "通讯录.xlsx：没有可识别的工作表（任务分解）：前 15 行中找不到表头（如“工作任务”“牵头部门”）；请按模板填写表头后再导入。",
    ),
}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database holding one good import, as an office's would."""
    path = tmp_path / "hostile.duckdb"
    good = tmp_path / "good.xlsx"
    good.write_bytes(book())
    assert main(["import", str(good), "--db", str(path), "--as-of", AS_OF.isoformat()]) == 0
    return path


def _state(path: Path) -> tuple[dict, list[str]]:
    """Every row of every table, and the archived originals."""
    store = Store.open(path)
    try:
        return dump(store), sorted(p.name for p in store.archive.iterdir())
    finally:
        store.close()


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_refused_with_its_sentence_and_nothing_changed(case: str, db: Path, tmp_path: Path, capsys) -> None:
    name, content, expected = REFUSED[case]
    upload = tmp_path / "in" / name
    upload.parent.mkdir()
    upload.write_bytes(content())
    before = _state(db)
    capsys.readouterr()

    code = main(["import", str(upload), "--db", str(db)])

    out, err = capsys.readouterr()
    assert (code, out, err) == (1, "", expected + "\n")
    assert _state(db) == before


def test_at_least_thirty_hostile_inputs() -> None:
    assert len(REFUSED) + len(ACCEPTED) >= 30


# ---------------------------------------------------------------- accepted, with warnings


def formulas_without_values() -> bytes:
    """C2:C4 and E3 are formulas with no cached value (C4's is openpyxl's empty <v />); D2 has one;
    F2 is a text formula whose cached result is the empty text."""
    formula = '<c r="C{0}"><f>IF(D{0}&gt;0,"已完成","")</f>{1}</c>'
    rows = [
        row(1, *(s(f"{col}1", text) for col, text in zip("ABC", HEADER, strict=True))),
        row(
            2,
            s("A2", "任务一"),
            s("B2", "办公室"),
            formula.format(2, ""),
            '<c r="D2"><f>1+1</f><v>2</v></c>',
            '<c r="F2" t="str"><f>""</f><v></v></c>',
        ),
        row(3, s("A3", "任务二"), s("B3", "研究室"), formula.format(3, ""), '<c r="E3"><f t="shared" si="0"/></c>'),
        row(4, s("A4", "任务三"), s("B4", "工会"), formula.format(4, "<v />")),
    ]
    return book("".join(rows))


def written_by_openpyxl() -> bytes:
    """A generator that writes formulas but never computes them (openpyxl writes <v />)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分解"
    for values in (HEADER, ["任务一", "办公室", '=IF(1>0,"已完成","")'], ["任务二", "研究室", "推进中"]):
        ws.append(values)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def html_in_cells() -> bytes:
    return book(tasks(["<script>alert(1)</script>", "办公室", "已完成"], ['<img src=x onerror="alert(1)">', "研究室"]))


def long_text() -> bytes:
    return book(tasks(["长" * 100_000, "办公室", "推进中"]))


def far_dates() -> bytes:
    return workbook(
        (
            "任务分解",
            [
                ["工作任务", "牵头部门", "完成时限"],
                ["任务一", "办公室", dt.date(1900, 1, 1)],
                ["任务二", "研究室", dt.date(2999, 12, 31)],
                ["任务三", "工会", dt.date(2026, 6, 30)],
            ],
        )
    )


def last_excel_row() -> bytes:
    """Two tasks at the top and a third in Excel's last row, 1,048,576."""
    return book(GOOD_ROWS + row(1_048_576, s("A1048576", "最后一行的任务"), s("B1048576", "工会")))


def cells_without_r() -> bytes:
    """Rows and cells placed by counting, as some generators write them."""
    cell = '<c t="inlineStr"><is><t>{}</t></is></c>'
    rows = "".join(
        "<row>" + "".join(cell.format(v) for v in values) + "</row>"
        for values in (HEADER, ["任务一", "办公室", "已完成"], ["任务二", "研究室", "推进中"])
    )
    return book(rows)


def stray_cell() -> bytes:
    """A 1 typed far right of the header by accident: the range is A1:XFD2, 32,768 cells."""
    header = row(1, *(s(f"{col}1", text) for col, text in zip("ABC", HEADER, strict=True)), '<c r="XFD1"><v>1</v></c>')
    return book(header + row(2, s("A2", "任务一"), s("B2", "办公室")))


def lying_dimension() -> bytes:
    return book(sheet_xml(GOOD_ROWS, head='<dimension ref="A1:XFD1048576"/>'))


FORMULA_HINT = "公式没有计算结果（文件可能不是用 Excel 保存的），按空白读取；请在 Excel 中打开并保存后再导入。"

# name: (content, task rows stored, the exact warnings)
ACCEPTED: dict[str, tuple[Callable[[], bytes], int, list[str]]] = {
    "formulas without cached values": (
        formulas_without_values,
        3,
        [f"任务分解!C2:C4：{FORMULA_HINT}", f"任务分解!E3：{FORMULA_HINT}"],
    ),
    "formulas written by openpyxl": (written_by_openpyxl, 2, [f"任务分解!C2：{FORMULA_HINT}"]),
    "HTML and script in cells": (html_in_cells, 2, []),
    "100,000 characters in a cell": (long_text, 1, []),
    "an unknown department": (lambda: book(tasks(["任务一", "不存在的部门", "已完成"])), 1, []),
    "a task row entered twice": (
        lambda: book(tasks(["任务一", "办公室", "已完成"], ["任务二", "研究室"], ["任务一", "办公室", "已完成"])),
        3,
        ["任务分解!A4：与第 2 行内容完全相同，两行都已导入并分别计数；如是重复填写，请删除其中一行。"],
    ),
    "a task entered twice, numbered twice": (
        lambda: book(
            row(1, s("A1", "序号"), s("B1", "工作任务"), s("C1", "牵头部门"))
            + row(2, s("A2", "1"), s("B2", "任务一"), s("C2", "办公室"))
            + row(3, s("A3", "2"), s("B3", "任务一"), s("C3", "办公室"))
        ),
        2,
        [],
    ),
    "the same task for two departments": (
        lambda: book(tasks(["任务一", "办公室", "已完成"], ["任务一", "研究室", "已完成"])),
        2,
        [],
    ),
    "dates in 1900 and 2999": (
        far_dates,
        3,
        [
            "任务分解!C2、C3：无法识别的日期“1900-01-01”“2999-12-31”，已按原文保存；请改为 2025-06-30、6月底 或 长期坚持 等写法。",
        ],
    ),
    "a task in Excel's last row": (last_excel_row, 3, []),
    "a stray cell at XFD1 of a short sheet": (stray_cell, 1, []),
    "a dimension claiming the whole sheet": (lying_dimension, 2, []),
    "cells without r": (cells_without_r, 2, []),
}


@pytest.mark.parametrize("case", ACCEPTED, ids=list(ACCEPTED))
def test_accepted_with_its_warnings(case: str, store: Store) -> None:
    content, rows, expected = ACCEPTED[case]
    result = store.import_file(content(), "台账.xlsx", user="test", as_of=AS_OF)
    assert result.rows == {"tasks": rows}
    assert said(result.warnings) == expected


def test_html_is_stored_as_text(store: Store) -> None:
    store.import_file(html_in_cells(), "台账.xlsx", user="test", as_of=AS_OF)
    stored = [r[0] for r in store.con.execute("select task from tasks order by row_no").fetchall()]
    assert stored == ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">']


def test_a_long_cell_is_kept_whole(store: Store) -> None:
    store.import_file(long_text(), "台账.xlsx", user="test", as_of=AS_OF)
    assert store.con.execute("select length(task) from tasks").fetchall() == [(100_000,)]


def test_the_task_page_shows_markup_as_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The task list shows the cell as written; no element renders it as HTML."""
    from tests.test_pages import app, table

    path = tmp_path / "html.duckdb"
    store = Store.open(path)
    store.import_file(html_in_cells(), "台账.xlsx", user="test", as_of=AS_OF)
    store.close()
    at = app(path, monkeypatch, "pages/tasks.py", as_of=AS_OF.isoformat())
    assert "<script>alert(1)</script>" in table(at, "tasks_table")["task"].tolist()
    html = [e.proto.body for e in at.get("html")]
    unsafe = [m.value for m in at.markdown if m.proto.allow_html]
    assert not any("alert(1)" in text for text in html + unsafe)


# ---------------------------------------------------------------- entities, file names, exports


def test_calamine_does_not_expand_entities() -> None:
    """Even past the guard, calamine neither expands an internal entity nor reads an external one."""
    internal = sheet_xml(
        row(1, s("A1", "&a;").replace("&amp;", "&")), prolog='<!DOCTYPE worksheet [<!ENTITY a "展开了">]>'
    )
    for xml in (internal, sheet_xml(row(1, s("A1", "&xxe;").replace("&amp;", "&")), prolog=XXE)):
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(book(xml)))
        with pytest.raises(Exception, match="entity"):
            sheet.get_sheet_by_name("任务分解").to_python()


def test_a_declared_but_unused_dtd_is_refused(store: Store) -> None:
    """Calamine would skip a DTD nobody uses; the guard refuses it all the same."""
    data = book(sheet_xml(GOOD_ROWS, prolog='<!DOCTYPE worksheet [<!ENTITY a "x">]>'))
    with pytest.raises(Refused) as refused:
        store.import_file(data, "台账.xlsx", user="test", as_of=AS_OF)
    assert refused.value.code == "dtd"


def test_file_names_never_reach_the_disk(db: Path, tmp_path: Path) -> None:
    """An upload named ../../x.xlsx is archived under its SHA-256, inside the archive folder only."""
    outside = [tmp_path.parent / "x.xlsx", tmp_path.parent.parent / "x.xlsx", Path.cwd().parent.parent / "x.xlsx"]
    assert not any(p.exists() for p in outside)
    before = set(tmp_path.rglob("*"))
    data = book(tasks(["穿越任务", "办公室"]))
    store = Store.open(db)
    try:
        result = store.import_file(data, "../../x.xlsx", user="test", as_of=AS_OF)
        archive = store.archive
        logged = store.con.execute("select file_name, stored_as from imports where import_id = ?", [result.import_id])
        name, stored_as = logged.fetchone()
    finally:
        store.close()
    digest = hashlib.sha256(data).hexdigest()
    assert (name, stored_as) == ("../../x.xlsx", f"{digest}.xlsx")
    assert set(tmp_path.rglob("*")) - before <= {archive / f"{digest}.xlsx", db.with_suffix(".duckdb.wal")}
    assert (archive / f"{digest}.xlsx").read_bytes() == data
    assert not any(p.exists() for p in outside)


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil.example","点我")', "+1+1", "-2+3", "@SUM(A1)", "=1+1"])
def test_exported_cells_never_become_formulas(text: str, store: Store) -> None:
    """A task written as formula text is exported as text, as written: read back, it is a string, not a formula.

    A string cell of an .xlsx is never evaluated, so it needs no leading apostrophe (issue 12)."""
    store.import_file(book(tasks([text, "办公室", "已完成"])), "台账.xlsx", user="test", as_of=AS_OF)
    frame = store.query("tasks_list", as_of=AS_OF, snapshot=None, departments=None)
    assert frame["task"].tolist() == [text]
    data = export.workbook_bytes({"任务": frame[["task", "department"]]})
    sheet = openpyxl.load_workbook(io.BytesIO(data))["任务"]
    cell = sheet["A2"]
    assert cell.data_type == "s" and cell.value == text
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


# ---------------------------------------------------------------- the limits


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read every sheet over 64 kB in parts of 16 kB, as a 100k-row tracker is read."""
    monkeypatch.setattr(xlsx, "PART_BYTES", 16 * 1024)
    monkeypatch.setattr(xlsx, "SPLIT_BYTES", 64 * 1024)


def _big_tracker(n: int) -> bytes:
    return book(tasks(*([f"任务{i}", "办公室", "推进中"] for i in range(n))))


def test_cells_are_counted_across_parts(store: Store, small_parts: None) -> None:
    """Each part is measured before calamine parses it; the sheet's range is checked as parts arrive."""
    data = _big_tracker(3_000)
    with pytest.raises(Refused) as refused:
        store.parse(data, "台账.xlsx", limits=Limits(cells=6_000))
    assert refused.value.code == "too_many_cells"
    assert store.parse(data, "台账.xlsx", limits=Limits(cells=3 * 3_001)).rows_by_kind() == {"tasks": 3_000}


def test_a_lying_sheet_read_in_parts_is_refused(store: Store, small_parts: None) -> None:
    data = _big_tracker(3_000)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        size = archive.getinfo(SHEET).file_size
    for lie in (-1_000, +5):
        with pytest.raises(Refused) as refused:
            store.parse(patched(data, SHEET, file_size=size + lie), "台账.xlsx")
        assert refused.value.code == "size_mismatch"


@pytest.mark.parametrize(
    "limits, code",
    [
        (Limits(file_bytes=1_000), "too_large"),
        (Limits(member_ratio=2), "bomb"),
        (Limits(unpacked_bytes=500_000), "unpacked_too_large"),
        (Limits(members=3), "too_many_members"),
        (Limits(sheets=0), "too_many_sheets"),
        (Limits(rows=2), "too_many_rows"),
        (Limits(cells=8), "too_many_cells"),
    ],
)
def test_each_limit_refuses(limits: Limits, code: str) -> None:
    """A 20,000-task sheet (1.4 MB of XML) past each limit in turn."""
    with pytest.raises(Refused) as refused:
        read_workbook(_big_tracker(20_000), "台账.xlsx", as_of=AS_OF, limits=limits)
    assert refused.value.code == code


def test_a_sheet_the_relationships_do_not_lead_to(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """When our reading of the relationships finds no member for a sheet, calamine finds it, but only
    after every XML member it could pick was decompressed with the cap and measured."""
    monkeypatch.setattr(xlsx, "_sheet_member", lambda archive, name: None)
    assert store.parse(book(), "台账.xlsx").rows_by_kind() == {"tasks": 2}
    with pytest.raises(Refused) as refused:
        store.parse(far_cell("XFD1048576"), "台账.xlsx")
    assert refused.value.code == "too_many_cells"
    with pytest.raises(Refused) as refused:
        store.parse(lying_sheet(-300), "台账.xlsx")
    assert refused.value.code == "size_mismatch"


def test_the_upload_limit_of_the_config_is_the_guards() -> None:
    """Streamlit's upload limit (MB) and the guard's per-file limit agree; the other safety keys stay on."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == DEFAULT_LIMITS.file_bytes
    assert config["server"]["enableXsrfProtection"] is True and config["server"]["enableCORS"] is True
    assert config["client"]["showErrorDetails"] == "none" and config["client"]["toolbarMode"] == "viewer"
