"""The parsing sandbox's child process: ``python -m wenming.read.child FORMAT LIMITS`` (see ``read.sandbox``).

It first limits itself (address space, CPU seconds, output size, no core file), then
reads the file's bytes from standard input, parses them with python-calamine (.xls,
.xlsb, .ods) or the csv module, checks every sheet against the row and cell limits,
and writes one pickle to standard output: either the sheets, each column as a code
per row into its distinct values, or a refusal code. A file that makes the parser
blow up kills only this process. Only the standard library and python-calamine are
imported here, so the process starts in a few tens of milliseconds.
"""

from __future__ import annotations

import array
import io
import json
import pickle
import posixpath
import resource
import struct
import sys
import zipfile
from collections.abc import Iterator
from typing import Any

from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

from wenming.read import csvfile

MAX_COLUMNS = 16_384  # Excel's last column, XFD (as guard.MAX_COLUMNS)
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


class Refusal(Exception):
    """A refusal found here: the parent turns ``code`` and ``params`` into guard.Refused."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def limit_self(limits: dict[str, int]) -> None:
    """The sandbox's limits, applied by the process to itself before it reads a byte of the file."""
    memory = limits["parse_memory_bytes"]
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = limits["parse_cpu_seconds"]
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (memory, memory))  # what it writes: the pickle
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def check_shape(sheet: str, rows: int, columns: int, limits: dict[str, int]) -> None:
    """The sheet's used range from A1 against the limits; the same refusals as measure.SheetShape.check."""
    if rows > limits["rows"]:
        raise Refusal("too_many_rows", sheet=sheet, rows=rows, limit=limits["rows"])
    if columns > MAX_COLUMNS or rows * columns > limits["cells"]:
        raise Refusal(
            "too_many_cells",
            sheet=sheet,
            range=f"A1:{column_letters(min(columns, 99_999))}{rows}",
            cells=rows * columns,
            limit=limits["cells"],
        )


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def encode(rows: list[list[object]], first_row: int, first_col: int) -> tuple[int, list[tuple[int, int, bytes, list]]]:
    """(height, columns): each column as (index, first row, int32 codes as bytes, distinct values, "" first)."""
    columns = []
    width = max((len(row) for row in rows), default=0)
    for offset in range(width):
        codes: dict[object, int] = {"": 0}
        column = array.array(
            "i", [codes.setdefault(_key(row[offset]) if offset < len(row) else "", len(codes)) for row in rows]
        )
        uniques = [value for value, _ in sorted(codes.items(), key=lambda item: item[1])]
        columns.append((first_col + offset, first_row, column.tobytes(), [_value(u) for u in uniques]))
    return first_row + len(rows), columns


def _key(value: object) -> object:
    """A dict key that keeps 1.0 and True apart (they are equal in Python, not in a sheet)."""
    return ("bool", value) if isinstance(value, bool) else value


def _value(key: object) -> object:
    return key[1] if isinstance(key, tuple) and len(key) == 2 and key[0] == "bool" else key


def xls_password(data: bytes) -> bool:
    """Whether an .xls has an open password: Excel writes a FILEPASS record (0x002F) right after the
    BOF that starts the Workbook stream (calamine's reading only says it cannot tell the format).
    The stream is found in the first sector of the directory; a stream in the mini stream (a
    workbook under 4 KB) is not looked at."""
    try:
        size = 1 << struct.unpack_from("<H", data, 30)[0]
        directory = 512 + struct.unpack_from("<L", data, 48)[0] * size
        for entry in range(directory, directory + size, 128):
            length = struct.unpack_from("<H", data, entry + 64)[0]
            name = data[entry : entry + max(length - 2, 0)].decode("utf-16-le", "replace")
            start, stream = struct.unpack_from("<LL", data, entry + 116)
            if name in ("Workbook", "Book") and stream >= 4096:
                at = 512 + start * size
                rid, bof = struct.unpack_from("<HH", data, at)
                return rid == 0x0809 and struct.unpack_from("<H", data, at + 4 + bof)[0] == 0x002F
    except (struct.error, ValueError):
        pass
    return False


def read_calamine(data: bytes, fmt: str, limits: dict[str, int]) -> list[dict[str, Any]]:
    """Every sheet of an .xls/.xlsb/.ods workbook: metadata, and the cells of the worksheets."""
    if fmt == "xls" and xls_password(data):
        raise Refusal("encrypted")
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError:
        raise Refusal("encrypted") from None
    metas = book.sheets_metadata
    if len(metas) > limits["sheets"]:
        raise Refusal("too_many_sheets", count=len(metas), limit=limits["sheets"])
    merges = ods_merges(data) if fmt == "ods" else xlsb_merges(data) if fmt == "xlsb" else {}
    sheets = []
    for meta in metas:
        entry: dict[str, Any] = {
            "name": meta.name,
            "visible": meta.visible == SheetVisibleEnum.Visible,
            "type": _type(meta.typ),
        }
        if entry["type"] == "worksheet":
            sheet = book.get_sheet_by_name(meta.name)
            end = sheet.end
            if end is not None:
                check_shape(meta.name, end[0] + 1, end[1] + 1, limits)
            start = sheet.start or (0, 0)
            rows = sheet.to_python(skip_empty_area=True) if sheet.start is not None else []
            entry["height"], entry["columns"] = encode(rows, start[0], start[1])
            found = merges.get(meta.name) if fmt in ("ods", "xlsb") else sheet.merged_cell_ranges
            entry["merges"] = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in found or []]
        sheets.append(entry)
    return sheets


def _type(typ: SheetTypeEnum) -> str:
    if typ == SheetTypeEnum.WorkSheet:
        return "worksheet"
    if typ == SheetTypeEnum.MacroSheet:
        return "macro"
    if typ == SheetTypeEnum.DialogSheet:
        return "dialog"
    return "other"


def ods_merges(data: bytes) -> dict[str, list[tuple[tuple[int, int], tuple[int, int]]]]:
    """The merged ranges of each table of an .ods (calamine does not report them), from content.xml:
    a cell with table:number-rows-spanned / number-columns-spanned, counting repeated rows and cells."""
    from defusedxml import ElementTree as SafeTree  # only .ods and .xlsb need it

    found: dict[str, list[tuple[tuple[int, int], tuple[int, int]]]] = {}
    name, depth, row, col = "", 0, 0, 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("content.xml") as stream:
        for event, element in SafeTree.iterparse(stream, events=("start", "end"), forbid_dtd=True):
            tag = element.tag
            if tag == f"{{{_TABLE}}}table":
                depth += 1 if event == "start" else -1
                if event == "start" and depth == 1:
                    name, row = element.get(f"{{{_TABLE}}}name", ""), 0
                    found[name] = []
            elif depth != 1:
                pass
            elif tag == f"{{{_TABLE}}}table-row":
                if event == "start":
                    col = 0
                else:
                    row += int(element.get(f"{{{_TABLE}}}number-rows-repeated", "1"))
                    element.clear()
            elif tag in (f"{{{_TABLE}}}table-cell", f"{{{_TABLE}}}covered-table-cell") and event == "start":
                rows = int(element.get(f"{{{_TABLE}}}number-rows-spanned", "1"))
                cols = int(element.get(f"{{{_TABLE}}}number-columns-spanned", "1"))
                if rows > 1 or cols > 1:
                    found[name].append(((row, col), (row + rows - 1, col + cols - 1)))
                col += int(element.get(f"{{{_TABLE}}}number-columns-repeated", "1"))
    return found


def _biff12(body: bytes) -> Iterator[tuple[int, bytes]]:
    """The (type, payload) records of a binary part of an .xlsb: type and size are 7-bit varints."""
    at, end = 0, len(body)
    while at < end:
        kind = body[at]
        at += 1
        if kind & 0x80:
            kind = (kind & 0x7F) | (body[at] & 0x7F) << 7
            at += 1
        size = shift = 0
        for _ in range(4):
            byte = body[at]
            at += 1
            size |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        yield kind, body[at : at + size]
        at += size


def _wide(payload: bytes, at: int) -> tuple[str, int]:
    """An XLWideString at ``at``: its text and the offset after it."""
    count = struct.unpack_from("<L", payload, at)[0]
    if count == 0xFFFFFFFF:
        return "", at + 4
    return payload[at + 4 : at + 4 + 2 * count].decode("utf-16-le"), at + 4 + 2 * count


def xlsb_merges(data: bytes) -> dict[str, list[tuple[tuple[int, int], tuple[int, int]]]]:
    """The merged ranges of each sheet of an .xlsb (calamine does not report them): the BrtMergeCell
    records of each sheet part, found from the workbook's BrtBundleSh records and relationships."""
    from defusedxml import ElementTree as SafeTree  # only .xlsb and .ods need it

    found: dict[str, list[tuple[tuple[int, int], tuple[int, int]]]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        rels = SafeTree.fromstring(archive.read("xl/_rels/workbook.bin.rels"), forbid_dtd=True)
        targets = {rel.get("Id", ""): rel.get("Target", "") for rel in rels}
        for kind, payload in _biff12(archive.read("xl/workbook.bin")):
            if kind != 156:  # BrtBundleSh: state, tab id, relationship id, name
                continue
            rid, at = _wide(payload, 8)
            name, _ = _wide(payload, at)
            target = targets.get(rid, "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            if path not in names:
                continue
            found[name] = [
                ((r0, c0), (r1, c1))
                for kind, body in _biff12(archive.read(path))
                if kind == 176  # BrtMergeCell: first row, last row, first column, last column
                for r0, r1, c0, c1 in [struct.unpack_from("<4L", body)]
            ]
    return found


def read_csv(data: bytes, sheet: str, limits: dict[str, int]) -> list[dict[str, Any]]:
    """A CSV file as one visible worksheet named ``sheet``. Rows are encoded as they come, by the text
    of each cell, and each distinct text is typed once at the end (csvfile.typed): the largest CSV the
    file limit lets in (about 660,000 tasks) never holds its rows as Python lists at once."""
    maps: list[dict[str, int]] = []
    codes: list[array.array] = []
    height = 0
    try:
        for row in csvfile.rows(data):
            if len(row) > len(maps):
                check_shape(sheet, height + 1, len(row), limits)
                for _ in range(len(row) - len(maps)):
                    maps.append({"": 0})
                    codes.append(array.array("i", bytes(4 * height)))
            for text, found, column in zip(row, maps, codes, strict=False):
                column.append(found.setdefault(text, len(found)))
            for column in codes[len(row) :]:
                column.append(0)
            height += 1
            if height > limits["rows"] or height * len(maps) > limits["cells"]:
                check_shape(sheet, height, len(maps), limits)
    except csvfile.CsvError as error:
        raise Refusal(error.code, **error.params) from None
    columns = [
        (index, 0, *_typed(found, column)) for index, (found, column) in enumerate(zip(maps, codes, strict=True))
    ]
    return [{"name": sheet, "visible": True, "type": "worksheet", "height": height, "columns": columns, "merges": []}]


def _typed(texts: dict[str, int], column: array.array) -> tuple[bytes, list[object]]:
    """A column's codes and distinct values once each distinct text is typed: two texts of one value
    ("1" and "1.0", "" and " ") become one code."""
    uniques: list[object] = []
    index: dict[object, int] = {}
    remap = []
    for text in texts:
        value = csvfile.typed(text)
        remap.append(index.setdefault(_key(value), len(uniques)))
        if remap[-1] == len(uniques):
            uniques.append(value)
    if len(uniques) < len(texts):
        column = array.array("i", map(remap.__getitem__, column))
    return column.tobytes(), uniques


def peak_bytes() -> int:
    """This process's peak resident memory (VmHWM), for the benchmark."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def main(argv: list[str]) -> int:
    fmt, limits = argv[0], json.loads(argv[1])
    limit_self(limits)
    data = sys.stdin.buffer.read()
    try:
        if fmt == "csv":
            result: dict[str, Any] = {"sheets": read_csv(data, posixpath.basename(argv[2]), limits)}
        else:
            result = {"sheets": read_calamine(data, fmt, limits)}
    except Refusal as refusal:
        result = {"refused": refusal.code, "params": refusal.params}
    except MemoryError:
        return 3
    except Exception:  # calamine's errors for a damaged file: the parent says it is damaged
        result = {"refused": "corrupt", "params": {}}
    result["peak_bytes"] = peak_bytes()
    sys.stdout.buffer.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
