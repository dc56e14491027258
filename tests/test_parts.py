"""A large sheet read in parts without its shared-string table: each part's shared-string cells go
to calamine as tagged text, the table is read once, and the grid equals calamine's own reading of
the whole sheet, whatever form the cells and the table take (read/grid.py).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from wenming import sample
from wenming.devtools import bigbook
from wenming.read import grid, plain, reader, xlsx
from wenming.read.guard import Refused

AS_OF = sample.AS_OF
SHEET_XML = "xl/worksheets/sheet1.xml"
STRINGS_XML = "xl/sharedStrings.xml"


@pytest.fixture(autouse=True, params=["plain", "calamine"])
def small_parts(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """Every sheet over 64 kB read in parts of 16 kB, as a 100k-row tracker is read; each test
    runs twice: with read.plain, and with every part left to calamine (as a part holding a
    formula is)."""
    monkeypatch.setattr(xlsx, "PART_BYTES", 16 * 1024)
    monkeypatch.setattr(xlsx, "READ_BYTES", 16 * 1024)
    monkeypatch.setattr(xlsx, "SPLIT_BYTES", 64 * 1024)
    if request.param == "calamine":
        monkeypatch.setattr(plain, "read", lambda xml: None)


def rewritten(path: Path, change: Callable[[dict[str, bytes]], None]) -> bytes:
    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info.filename) for info in source.infolist()}
    change(members)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in members.items():
            target.writestr(name, content)
    return out.getvalue()


def in_parts(data: bytes) -> grid.Grid:
    archive = zipfile.ZipFile(io.BytesIO(data))
    member = xlsx._sheet_member(archive, bigbook.SHEET)
    assert member is not None and member.file_size >= xlsx.SPLIT_BYTES
    read = xlsx._read_in_parts(archive, member)
    assert read is not None, "the sheet was not read in parts"
    return read[0]


def whole(data: bytes) -> list[list[object]]:
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(bigbook.SHEET).to_python()


def assert_same(data: bytes) -> grid.Grid:
    cells = in_parts(data)
    expected = whole(data)
    assert cells.rows(0, cells.height) == [row + [""] * (cells.width - len(row)) for row in expected]
    for column in cells.columns:  # no distinct value twice: one code per value
        assert len(set(map(repr, column.uniques))) == len(column.uniques)
    return cells


@pytest.fixture
def tracker(tmp_path: Path) -> Path:
    return bigbook.write_realistic(tmp_path / "r.xlsx", 1_500, seed=3)


def test_parts_carry_no_shared_strings_and_read_as_the_whole(
    tracker: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    """Parts left to calamine go without the table; read.plain leaves calamine no part at all
    (only the few date cells it asks about)."""
    books: list[bytes] = []
    parse = xlsx._parse_part
    monkeypatch.setattr(xlsx, "_parse_part", lambda book: books.append(book) or parse(book))
    assert_same(tracker.read_bytes())
    parts = [b for b in books if b'<c r="D' in zipfile.ZipFile(io.BytesIO(b)).read(SHEET_XML)]
    names = [set(zipfile.ZipFile(io.BytesIO(b)).namelist()) for b in parts]
    if request.node.callspec.params["small_parts"] == "plain":
        assert parts == []
    else:
        assert len(parts) > 10 and all(STRINGS_XML not in n for n in names)


def test_shared_string_cells_written_in_other_forms(tracker: Path) -> None:
    """t="s" before s="…", and a shared-string cell with no value (blank)."""

    def change(members: dict[str, bytes]) -> None:
        xml = members[SHEET_XML]
        xml = re.sub(rb'<c r="([A-Z]+[0-9]+)" t="s">', rb'<c r="\1" t="s" s="0">', xml, count=400)
        xml = xml.replace(b'<c r="J', b'<c r="K', 50).replace(b'<row r="40">', b'<row r="40"><c r="Z40" t="s"/>')
        members[SHEET_XML] = xml

    assert_same(rewritten(tracker, change))


def test_a_sheet_holding_the_mark_itself_is_read_in_one_piece(tracker: Path) -> None:
    mark = grid.TAG.encode()

    def change(members: dict[str, bytes]) -> None:
        members[SHEET_XML] = members[SHEET_XML].replace(
            b'<row r="900">', b'<row r="900"><c r="Z900" t="inlineStr"><is><t>' + mark + b"12</t></is></c>", 1
        )

    data = rewritten(tracker, change)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert xlsx._read_in_parts(archive, xlsx._sheet_member(archive, bigbook.SHEET)) is None
    cells, _ = xlsx.read_sheet(CalamineWorkbook.from_filelike(io.BytesIO(data)), archive, bigbook.SHEET)
    assert grid.TAG + "12" in cells.column(25).uniques  # the text as written, not string 12


def test_a_table_holding_the_mark_is_read_with_each_part(tracker: Path) -> None:
    def change(members: dict[str, bytes]) -> None:
        members[STRINGS_XML] = members[STRINGS_XML].replace(b"<t>", b"<t>" + grid.TAG.encode(), 1)

    cells = assert_same(rewritten(tracker, change))
    assert any(isinstance(v, str) and v.startswith(grid.TAG) for v in cells.column(0).uniques)


def test_a_table_repeating_a_text_gives_one_code(tracker: Path) -> None:
    """Two entries of the table with the same text: the column holds it once."""
    repeated = "本项共计重复文字"

    def change(members: dict[str, bytes]) -> None:
        def repeat(entry: re.Match[bytes]) -> bytes:
            return f"<si><t>{repeated}</t></si>".encode() if entry[1].decode() in texts else entry[0]

        members[STRINGS_XML] = re.sub(rb"<si><t>([^<]*)</t></si>", repeat, members[STRINGS_XML])

    texts = {row[3] for row in whole(tracker.read_bytes())[10:60] if isinstance(row[3], str)}
    cells = assert_same(rewritten(tracker, change))
    assert cells.column(3).uniques.count(repeated) == 1
    assert (cells.column(3).codes == cells.column(3).index[repeated]).sum() >= 10


def test_a_table_with_prefixed_names_is_read_in_full(tracker: Path) -> None:
    """<x:si> entries: the table's size is guessed short and read again at the size used."""

    def change(members: dict[str, bytes]) -> None:
        table = members[STRINGS_XML]
        table = re.sub(rb"<(/?)(sst|si|t|r|rPr|rPh)\b", rb"<\1x:\2", table)
        members[STRINGS_XML] = table.replace(
            b"<x:sst ", b'<x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ', 1
        )

    data = rewritten(tracker, change)
    expected = whole(data)
    cells = in_parts(data)
    assert cells.rows(0, cells.height) == [row + [""] * (cells.width - len(row)) for row in expected]


def with_index(tracker: Path, index: bytes) -> bytes:
    def change(members: dict[str, bytes]) -> None:
        members[SHEET_XML] = re.sub(rb'(<c r="D700" t="s"><v>)[0-9]+', rb"\g<1>" + index, members[SHEET_XML])

    data = rewritten(tracker, change)
    assert b'<c r="D700" t="s"><v>' + index in zipfile.ZipFile(io.BytesIO(data)).read(SHEET_XML)
    return data


@pytest.mark.parametrize("index", [b"99999999", b"4294967295", b"200000"])
def test_an_index_past_the_table_is_a_damaged_file(tracker: Path, index: bytes) -> None:
    """Refused at once: the table is never read at a size the file does not have."""
    with pytest.raises(Refused) as refused:
        reader.read_workbook(with_index(tracker, index), "r.xlsx", as_of=AS_OF)
    assert refused.value.code == "corrupt"


def test_an_index_below_zero_reads_as_calamine_reads_it(tracker: Path) -> None:
    assert_same(with_index(tracker, b"-1"))


def test_the_import_reads_what_the_whole_sheet_reads(tracker: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tracker.read_bytes()
    parts = reader.read_workbook(data, "r.xlsx", as_of=AS_OF)
    monkeypatch.setattr(xlsx, "SPLIT_BYTES", 1 << 40)  # one piece, the table given to calamine
    one = reader.read_workbook(data, "r.xlsx", as_of=AS_OF)
    assert [s.table.to_pylist() for s in parts.sheets] == [s.table.to_pylist() for s in one.sheets]
    assert [(w.sheet, w.cell, w.code) for w in parts.warnings] == [(w.sheet, w.cell, w.code) for w in one.warnings]
