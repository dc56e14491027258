"""Cells in the plain form read with numpy (read/plain.py) give the grid calamine gives.

Every sheet here is read in small parts, so each part goes through read.plain when its
cells are all in the plain form and through calamine otherwise, and the grid is compared
with calamine's own reading of the whole sheet: values, their types, the sheet's extent.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from wenming.devtools import bigbook
from wenming.read import grid, plain, xlsx
from wenming.read.guard import Rejected

ROOT = Path(__file__).resolve().parents[1]
SHEET_XML = "xl/worksheets/sheet1.xml"


@pytest.fixture(autouse=True)
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every sheet read in parts of a few kB."""
    monkeypatch.setattr(xlsx, "PART_BYTES", 2 * 1024)
    monkeypatch.setattr(xlsx, "READ_BYTES", 2 * 1024)
    monkeypatch.setattr(xlsx, "SPLIT_BYTES", 0)


@pytest.fixture
def plain_parts(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """For each part read, whether read.plain read it."""
    seen: list[bool] = []
    read = plain.read

    def counted(xml: bytes) -> plain.Cells | None:
        found = read(xml)
        seen.append(found is not None)
        return found

    monkeypatch.setattr(plain, "read", counted)
    return seen


def in_parts(data: bytes, sheet: str) -> grid.Grid:
    archive = zipfile.ZipFile(io.BytesIO(data))
    member = xlsx._sheet_member(archive, sheet)
    assert member is not None
    read = xlsx._read_in_parts(archive, member)
    assert read is not None, "the sheet was not read in parts"
    return read[0]


def assert_same(data: bytes, sheet: str) -> grid.Grid:
    """The grid read in parts holds calamine's values of the whole sheet, typed alike."""
    cells = in_parts(data, sheet)
    expected = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(sheet).to_python()
    width = max((len(row) for row in expected), default=0)
    assert (cells.height, cells.width) == (len(expected), width)
    typed = [[(type(v).__name__, v) for v in row] for row in cells.rows(0, cells.height)]
    assert typed == [[(type(v).__name__, v) for v in row] for row in expected]
    whole, _ = xlsx._read_whole(CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(sheet))
    for i, column in enumerate(cells.columns):  # one code per distinct value, in the order they appear
        assert list(map(repr, column.uniques)) == list(map(repr, whole.column(i).uniques))
        assert column.uniques[0] == grid.EMPTY
    return cells


def openpyxl_book(rows: list[list[object]], formats: dict[str, str] | None = None, date1904: bool = False) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "表"
    for row in rows:
        sheet.append(row)
    for ref, number_format in (formats or {}).items():
        for line in sheet[ref]:
            for cell in line if isinstance(line, tuple) else (line,):
                cell.number_format = number_format
    if date1904:
        book.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


SAMPLES = sorted((ROOT / "data" / "sample").glob("*.xlsx")) + sorted((ROOT / "data" / "templates").glob("*.xlsx"))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_every_sheet_of_the_samples_and_templates(path: Path) -> None:
    """They are written with inline strings: their parts go to calamine, and the grid is the same."""
    data = path.read_bytes()
    for sheet in CalamineWorkbook.from_filelike(io.BytesIO(data)).sheet_names:
        assert_same(data, sheet)


@pytest.mark.parametrize("write", [bigbook.write_realistic, bigbook.write_tracker])
def test_generated_trackers_are_read_plain_part_by_part(tmp_path: Path, write, plain_parts: list[bool]) -> None:
    data = write(tmp_path / "t.xlsx", 400).read_bytes()
    assert_same(data, bigbook.SHEET)
    assert len(plain_parts) > 20 and all(plain_parts)


VALUES = [
    ["文本", "", " 前后空格 ", "&<>\"'", "_x000D_换行", "😀", "1", "长期坚持"],
    [0, -0.0, 1 / 3, 1e-20, 1.5e20, -42, 123456789012345, 0.1 + 0.2],
    [dt.date(2026, 6, 30), dt.datetime(2026, 6, 30, 13, 45), dt.time(9, 30), dt.timedelta(hours=30), 0.35, 46000],
    [dt.date(1900, 1, 1), dt.date(1900, 3, 1), -5, 0, 2958465, 0.5, 1.5, 45000.75],
]
FORMATS = {
    "A3:A3": "yyyy-mm-dd",
    "B3:B3": "yyyy/m/d h:mm",
    "C3:C3": "h:mm",
    "D3:D3": "[h]:mm:ss",
    "E3:E3": "0%",
    "F3:F3": 'yyyy"年"m"月"d"日"',
    "A4:H4": "yyyy-mm-dd",  # numbers of every kind in a date style
}


@pytest.mark.parametrize("date1904", [False, True])
def test_values_of_every_kind_and_date_style(date1904: bool, plain_parts: list[bool]) -> None:
    data = openpyxl_book(VALUES * 30, {**FORMATS, "A123:H123": "yyyy-mm-dd"}, date1904)
    assert_same(data, "表")
    assert all(plain_parts)


def test_numbers_written_as_other_programs_write_them(plain_parts: list[bool]) -> None:
    """t="n", exponents, a leading plus or point, a trailing point, attributes t before s."""
    data = openpyxl_book([[1, 2, 3, 4, 5, "x"]] * 40)

    def change(xml: bytes) -> bytes:
        xml = xml.replace(b'<c r="A5"><v>1</v>', b'<c r="A5" t="n"><v>1E3</v>')
        xml = xml.replace(b'<c r="B6"><v>2</v>', b'<c r="B6"><v>+.5</v>')
        xml = xml.replace(b'<c r="C7"><v>3</v>', b'<c r="C7"><v>3.</v>')
        xml = xml.replace(b'<c r="D8"><v>4</v>', b'<c r="D8"><v>-1.25e-3</v>')
        return re.sub(rb'<c r="(F[0-9]+)" t="s">', rb'<c r="\1" t="s" s="0">', xml)

    assert_same(change_member(data, SHEET_XML, change), "表")
    assert all(plain_parts)


def shared_book(tmp_path: Path, rows: list[list[object]]) -> bytes:
    """A tracker with shared strings, as Excel and WPS write it (openpyxl writes inline strings)."""
    return bigbook.write_book(tmp_path / "b.xlsx", ["序号", "事项", "进展"], rows, [], lambda: "合计").read_bytes()


def change_member(data: bytes, name: str, change) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = {info.filename: source.read(info.filename) for info in source.infolist()}
    members[name] = change(members[name])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member, content in members.items():
            target.writestr(member, content)
    return out.getvalue()


def test_blank_styled_cells_and_shared_blank_text_set_the_extent_as_calamine_does(
    tmp_path: Path, plain_parts: list[bool]
) -> None:
    data = shared_book(tmp_path, [[i, f"事项{i}", "完成"] for i in range(1, 60)])
    blank = zipfile.ZipFile(io.BytesIO(data)).read("xl/sharedStrings.xml").count(b"<si>")  # the entry added below

    def change(xml: bytes) -> bytes:
        # Styled blank cells right of and below the data (calamine leaves them out), and a shared "" far right.
        xml = xml.replace(b'<row r="40">', b'<row r="40"><c r="Z40" s="0"/>', 1)
        xml = re.sub(rb"(<row r=\"30\">.*?)</row>", rb'\1<c r="M30" t="s"><v>%d</v></c></row>' % blank, xml, count=1)
        return xml.replace(b"</sheetData>", b'<row r="900"><c r="K900" s="0" /></row></sheetData>')

    data = change_member(data, SHEET_XML, change)
    data = change_member(data, "xl/sharedStrings.xml", lambda xml: xml.replace(b"</sst>", b"<si><t></t></si></sst>"))
    cells = assert_same(data, bigbook.SHEET)
    assert cells.width == 13 and all(plain_parts)


def test_parts_in_other_forms_go_to_calamine_and_the_grid_is_one(tmp_path: Path, plain_parts: list[bool]) -> None:
    """A formula, an inline string, a boolean, an error and an unparsable number, each in a part
    of its own among plain parts (in the column of texts: a boolean TRUE in a column holding
    the number 1 takes its code, as it always has, True == 1.0 in a dict)."""
    data = shared_book(tmp_path, [[i, f"第{i}项", "完成"] for i in range(1, 300)])
    forms = {
        50: b"<f>A49+1</f><v>49</v></c>",
        100: b' t="inlineStr"><is><t>inline</t></is></c>',
        150: b' t="b"><v>1</v></c>',
        200: b' t="e"><v>#N/A</v></c>',
        250: b"><v>1-2</v></c>",
    }

    def change(xml: bytes) -> bytes:
        for row, form in forms.items():
            xml, count = re.subn(
                rb'(<c r="B%d")( t="s")?><v>[^<]*</v></c>' % row,
                rb"\1" + (b">" + form if form[:1] == b"<" else form),
                xml,
            )
            assert count == 1
        return xml

    assert_same(change_member(data, SHEET_XML, change), bigbook.SHEET)
    assert any(plain_parts) and not all(plain_parts)


def test_a_plain_part_past_the_limits_is_refused(tmp_path: Path, plain_parts: list[bool]) -> None:
    data = shared_book(tmp_path, [[i, f"第{i}项", "完成"] for i in range(1, 60)])
    far = b'<row r="1048576"><c r="XFD1048576" t="s"><v>0</v></c></row></sheetData>'
    with pytest.raises(Rejected):
        in_parts(change_member(data, SHEET_XML, lambda xml: xml.replace(b"</sheetData>", far)), bigbook.SHEET)
    assert all(plain_parts)


@pytest.mark.parametrize(
    "cell",
    [
        b'<c r="A1" cm="1"><v>1</v></c>',  # a third attribute
        b'<c s="1" r="A1"><v>1</v></c>',  # r not first
        b'<c r="a1"><v>1</v></c>',  # lowercase
        b'<c r="A01"><v>1</v></c>',  # a leading zero
        b'<c r="A1" t="str"><v>x</v></c>',
        b'<c r="A1"><v></v></c>',
        b'<c r="A1"><v>nan</v></c>',
        b'<c r="A1">\n<v>1</v></c>',
        b'<c r="B1"><v>1</v></c><c r="A1"><v>2</v></c>',  # out of order
        b'<c r="A1"><v>1</v></c><c r="A1"><v>2</v></c>',  # twice
    ],
)
def test_cells_in_other_forms_are_left_to_calamine(cell: bytes) -> None:
    xml = b'<worksheet xmlns="x"><sheetData><row r="1">' + cell + b"</row></sheetData></worksheet>"
    assert plain.read(xml) is None
    assert plain.read(xml.replace(cell, b'<c r="A1"><v>1</v></c>')) is not None


ENTRIES = [
    "<t>文明单位</t>",
    "<t> 前后空格 </t>",
    '<t xml:space="preserve"> 保留空格 </t>',
    "<t>换\n行</t>",
    "<t>回车\r\n换行</t>",
    "<t>&amp;&lt;&gt;&quot;&#x4E2D;</t>",
    "<t>_x000D_转义</t>",
    "<t></t>",
    "<t/>",
    "<r><t>富</t></r><r><rPr><b/></rPr><t>文本</t></r>",
    '<t>注音</t><rPh sb="0" eb="1"><t>zhu</t></rPh>',
    "<t>\u3000全角空格\u3000</t>",
    '<t xml:space="preserve">\t</t>',
    "<t>a_xb</t>",
]


@pytest.mark.parametrize("empty_entry", ["", "<si/>"])
def test_the_shared_string_table_reads_as_calamine_reads_it(tmp_path: Path, empty_entry: str) -> None:
    """Plain entries are decoded here, the others (and a whole table in another form) by calamine."""
    table = "".join(f"<si>{entry}</si>" for entry in ENTRIES * 3) + empty_entry
    xml = f'<sst xmlns="{xlsx._MAIN}">{table}</sst>'.encode()
    data = change_member(shared_book(tmp_path, [[1, "甲", "完成"]]), "xl/sharedStrings.xml", lambda _: xml)
    count = len(ENTRIES) * 3 + bool(empty_entry)
    expected = xlsx._read_strings({"sharedStrings": xml}, count)
    found = plain.shared_strings(xml)
    if empty_entry:
        assert found is None  # an entry with no content tag: the table goes to calamine whole
    else:
        assert found is not None and len(found[1]) < count  # most entries decoded here
    assert xlsx._context(zipfile.ZipFile(io.BytesIO(data))).strings()(count) == expected


def test_inline_strings_read_as_calamine_reads_them(plain_parts: list[bool]) -> None:
    """Every form of entry, as an inline string."""
    data = openpyxl_book([["x", i] for i in range(len(ENTRIES) * 3)])

    def change(xml: bytes) -> bytes:
        entries = iter(ENTRIES * 3)
        return re.sub(rb"<is><t>x</t></is>", lambda _: b"<is>" + next(entries).encode() + b"</is>", xml)

    assert_same(change_member(data, SHEET_XML, change), "表")
    assert all(plain_parts)
