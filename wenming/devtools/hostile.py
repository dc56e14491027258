"""Hostile files of the formats read in the sandbox, built in code from a sample saved as each format
(for tests/test_formats.py and the ``formats`` benchmark)."""

from __future__ import annotations

import io
import struct
import zipfile
from functools import cache
from pathlib import Path

from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

from wenming.devtools import saved_as

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample" / "04_活动登记表.xlsx"
_RECORD = struct.Struct("<HH")


@cache
def good_xls() -> bytes:
    return saved_as.xls(SAMPLE.read_bytes())


@cache
def good_ods() -> bytes:
    return saved_as.ods(SAMPLE.read_bytes())


@cache
def good_xlsb() -> bytes:
    return saved_as.xlsb(SAMPLE.read_bytes())


def _ole(data: bytes) -> tuple[int, list[int], list[int]]:
    """(sector size, the FAT, the sectors holding the FAT) of an OLE2 file with at most 109 FAT sectors."""
    size = 1 << struct.unpack_from("<H", data, 30)[0]
    count = struct.unpack_from("<L", data, 44)[0]
    sectors = list(struct.unpack_from(f"<{count}L", data, 76))
    fat: list[int] = []
    for sector in sectors:
        fat += struct.unpack_from(f"<{size // 4}L", data, 512 + sector * size)
    return size, fat, sectors


def _records(data: bytes) -> list[tuple[int, int, int]]:
    """(offset, id, length) of the BIFF records of xlwt's Workbook stream, which it writes from sector 0
    in one run of sectors: the globals, then each sheet."""
    size, _, _ = _ole(data)
    end = 512 + (struct.unpack_from("<L", data, 512 + struct.unpack_from("<L", data, 48)[0] * size + 128 + 120)[0])
    found, at = [], 512
    while at + 4 <= end:
        rid, length = _RECORD.unpack_from(data, at)
        found.append((at, rid, length))
        at += 4 + length
    return found


def xls_sector_loop() -> bytes:
    """The Workbook stream's chain of sectors runs back on itself: sector 5 -> sector 2 -> ... -> 5."""
    data = bytearray(good_xls())
    size, _, sectors = _ole(bytes(data))
    struct.pack_into("<L", data, 512 + sectors[0] * size + 5 * 4, 2)
    return bytes(data)


def xls_string_count(count: int = 0x7FFFFFFF) -> bytes:
    """The shared string table says it holds ``count`` strings (a reader may reserve room for them all)."""
    data = bytearray(good_xls())
    at = next(at for at, rid, _ in _records(bytes(data)) if rid == 0x00FC)
    struct.pack_into("<LL", data, at + 4, count, count)
    return bytes(data)


def xls_with_password() -> bytes:
    """A FILEPASS record (RC4) right after the BOF, as Excel writes a workbook with an open password
    (the records xlwt wrote there become one unknown record, so the stream keeps its length)."""
    data = bytearray(good_xls())
    records = _records(bytes(data))
    start = records[1][0]  # after the BOF
    end = next(at for at, rid, _ in records if rid == 0x0042)  # CODEPAGE
    filepass = _RECORD.pack(0x002F, 54) + struct.pack("<HHHL", 1, 1, 1, 0) + bytes(44)
    filler = end - start - len(filepass) - 4
    data[start:end] = filepass + _RECORD.pack(0x00EF, filler) + bytes(filler)
    return bytes(data)


def xls_far_cell(row: int = 65_535, col: int = 1_500) -> bytes:
    """The first text cell of the sheet moved to ``row``, ``col`` (0-based): a 1 KB change that makes a
    reader lay out 65,536 × 1,501 cells (3 GB)."""
    data = bytearray(good_xls())
    at = next(at for at, rid, _ in _records(bytes(data)) if rid == 0x00FD)  # LABELSST
    struct.pack_into("<HH", data, at + 4, row, col)
    return bytes(data)


def bit_flipped(data: bytes, every: int = 997) -> bytes:
    out = bytearray(data)
    for at in range(600, len(out), every):
        out[at] ^= 0x5A
    return bytes(out)


def ods_with(content: bytes) -> bytes:
    """An .ods whose content.xml is ``content``, mimetype first and stored, as OpenDocument requires."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good_ods())) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = content if info.filename == "content.xml" else source.read(info)
            method = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            target.writestr(info.filename, body, method, compresslevel=9)
    return out.getvalue()


_ODS_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?><office:document-content'
    b' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    b' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    b' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    b"<office:body><office:spreadsheet>"
)
_ODS_TAIL = b"</office:spreadsheet></office:body></office:document-content>"


def ods_repeat(rows: int, columns: int) -> bytes:
    """An .ods of a few hundred bytes saying: ``rows`` rows of ``columns`` cells, each holding text."""
    doc = OpenDocumentSpreadsheet()
    table = Table(name="活动登记")
    row = TableRow(numberrowsrepeated=rows)
    cell = TableCell(valuetype="string", numbercolumnsrepeated=columns)
    cell.addElement(P(text="x"))
    row.addElement(cell)
    table.addElement(row)
    doc.spreadsheet.addElement(table)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


def ods_zip_bomb() -> bytes:
    """content.xml of 300 MB of spaces inside the root element: it packs about 1000 to 1."""
    body = _ODS_HEAD + b" " * (300 * 1024 * 1024) + _ODS_TAIL
    return ods_with(body)


def xlsb(sheet: bytes = b"\x81\x01\x00") -> bytes:
    """A package whose workbook part is binary (.xlsb) with the given worksheet bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr(
            "_rels/.rels",
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'officeDocument" Target="xl/workbook.bin"/></Relationships>',
        )
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00")
        archive.writestr("xl/worksheets/sheet1.bin", sheet, compresslevel=9)
    return out.getvalue()
