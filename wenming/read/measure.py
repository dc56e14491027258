"""Measuring a sheet's XML before calamine parses it: its last row and column, and formulas without a cached value.

A sheet's size cannot be trusted from its <dimension> element, so the guard reads
the cell references themselves (vectorised with numpy where the XML allows it) and
refuses a sheet past the row or cell limit before anything lays it out.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import numpy as np
from defusedxml import ElementTree as SafeTree

from wenming.read.guard import MAX_COLUMNS, Limits, Rejected, local_name


@dataclass
class SheetShape:
    """What the XML of a sheet (or of a part of one) holds, measured before calamine parses it."""

    rows: int = 0  # the last row holding a cell, 1-based (0: no cell)
    columns: int = 0  # the last column holding a cell, 1-based
    formulas: list[tuple[int, int]] = field(default_factory=list)  # (row, column), 1-based: no cached value
    hidden_columns: frozenset[int] = frozenset()  # 0-based: <col hidden="1"> before <sheetData>

    def add(self, other: SheetShape) -> None:
        self.rows = max(self.rows, other.rows)
        self.columns = max(self.columns, other.columns)
        self.formulas.extend(other.formulas)
        self.hidden_columns |= other.hidden_columns

    @property
    def cells(self) -> int:
        return self.rows * self.columns

    def check(self, limits: Limits, sheet: str) -> None:
        """Refuse a sheet past the row or cell limit, before anything lays it out."""
        if self.rows > limits.rows:
            raise Rejected("too_many_rows", sheet=sheet, rows=self.rows, limit=limits.rows)
        if self.columns > MAX_COLUMNS or self.cells > limits.cells:
            last = f"{column_letters(min(self.columns, 99_999))}{self.rows}"
            raise Rejected("too_many_cells", sheet=sheet, range=f"A1:{last}", cells=self.cells, limit=limits.cells)


def column_letters(number: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_PAD = b"\0" * 16
_LETTER = np.full(256, -1, np.int64)  # byte -> 1..26 for A..Z
_LETTER[65:91] = np.arange(1, 27)
_DIGIT = np.full(256, -1, np.int64)  # byte -> 0..9 for 0..9
_DIGIT[48:58] = np.arange(10)
_ROOT = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?worksheet[\s>/]")
_REF = re.compile(r"^([A-Za-z]{1,3})([0-9]{1,7})$")


def measure_sheet(xml: bytes) -> SheetShape:
    """The last row and column holding a cell, and the formula cells without a cached value.

    Calamine finds a cell by its ``r="B7"`` (or, without one, by counting), whatever row
    element holds it, and ignores namespace prefixes. The fast path reads every
    ``<c r="…"`` with numpy (about 2 ns per byte); XML in another form (cells without
    ``r``, ``r`` not first, prefixes other than the root's) goes through defusedxml.
    """
    root = _ROOT.search(xml, 0, 65_536)
    shape = _measure_fast(xml, root.group(1) or b"") if root else None
    shape = shape if shape is not None else _measure_slow(xml)
    shape.hidden_columns = hidden_columns(xml)
    return shape


_COL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?col\b([^>]*)>")
_COL_ATTR = re.compile(rb'\b(min|max|hidden)="([^"]*)"')


def hidden_columns(xml: bytes) -> frozenset[int]:
    """The columns a sheet hides, 0-based, from its <col min="3" max="4" hidden="1"/> elements
    (they stand before <sheetData>)."""
    end = xml.find(b"sheetData")
    hidden: set[int] = set()
    for attributes in _COL.findall(xml, 0, end if end >= 0 else len(xml)):
        found = dict(_COL_ATTR.findall(attributes))
        if found.get(b"hidden") not in (b"1", b"true") or not found.get(b"min", b"").isdigit():
            continue
        first = int(found[b"min"])
        last = int(found[b"max"]) if found.get(b"max", b"").isdigit() else first
        hidden.update(range(first - 1, min(last, MAX_COLUMNS)))
    return frozenset(hidden)


def _delimiter(x: np.ndarray) -> np.ndarray:
    return (x == 32) | (x == 62) | (x == 47) | (x == 9) | (x == 10) | (x == 13)


def _opening(a: np.ndarray, lt: np.ndarray, prefix: bytes, name: int) -> np.ndarray:
    """Of the '<' positions ``lt``, those opening an element <prefix:name …>."""
    n = len(a) - len(_PAD)
    after = a[1 : n + 1]
    first = prefix[0] if prefix else name
    found = np.flatnonzero(lt & (after == first))
    for i, ch in enumerate(prefix[1:] + bytes([name]) if prefix else b""):
        found = found[a[found + 2 + i] == ch]
    return found[_delimiter(a[found + 2 + len(prefix)])]


def _measure_fast(xml: bytes, prefix: bytes) -> SheetShape | None:
    if prefix:
        prefix += b":"
    n = len(xml)
    a = np.frombuffer(xml + _PAD, np.uint8)
    lt = a[:n] == 60
    cells = _opening(a, lt, prefix, 99)  # <c
    # A cell under any other prefix would be a cell to calamine too (it ignores namespaces).
    under_prefix = 0
    if xml.find(b":") >= 0:  # memchr: cheap whether colons are rare or everywhere (spans="1:12")
        colons = np.flatnonzero(a[:n] == 58)
        under_prefix = int(((a[colons + 1] == 99) & _delimiter(a[colons + 2])).sum())
    expected = len(cells) + len(_opening(a, lt, b"/" + prefix, 99)) if prefix else 0  # <x:c …> and </x:c>
    if under_prefix != expected or (prefix and len(_opening(a, lt, b"", 99))):
        return None
    if not len(cells):
        return SheetShape()
    o = 2 + len(prefix)
    if not (
        (a[cells + o] == 32) & (a[cells + o + 1] == 114) & (a[cells + o + 2] == 61) & (a[cells + o + 3] == 34)
    ).all():
        return None  # r="…" is not the first attribute of every cell
    start = cells + o + 4
    column, letters = column_letters_at(a, start)
    at = start + letters
    row, digits = leading_digits(a, at, 7)
    valid = (letters >= 1) & (letters <= 3) & (digits >= 1) & (a[at + np.maximum(digits, 0)] == 34) & (a[at] != 48)
    if not valid.all():
        return None  # not the plain form: lowercase, leading zeros, past XFD or row 9,999,999
    shape = SheetShape(int(row.max()), int(column.max()))
    formulas = _opening(a, lt, prefix, 102)  # <f
    if len(formulas):
        shape.formulas = _uncached(xml, a, cells, formulas, _opening(a, lt, prefix, 118), o, row, column)
    return shape


def column_letters_at(a: np.ndarray, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The column number the capital letters at each position spell (A = 1), and how many there
    are (up to four read: a fourth makes the reference too long)."""
    column = np.zeros(len(at), np.int64)
    letters = np.zeros(len(at), np.int64)
    going = np.ones(len(at), bool)
    for i in range(4):  # most sheets stop after the first letter or two
        value = _LETTER[a[at + i]]
        going &= value > 0
        if not going.any():
            break
        column = np.where(going, column * 26 + value, column)
        letters += going
    return column, letters


def leading_digits(a: np.ndarray, first: np.ndarray, most: int) -> tuple[np.ndarray, np.ndarray]:
    """The number the digits at each position spell, and how many there are (-1: more than ``most``)."""
    value = np.zeros(len(first), np.int64)
    width = np.zeros(len(first), np.int64)
    going = np.ones(len(first), bool)
    for i in range(most + 1):
        digit = _DIGIT[a[first + i]]
        going &= digit >= 0
        if not going.any():
            break
        value = np.where(going, value * 10 + digit, value)
        width += going
    width[width > most] = -1
    return value, width


def _uncached(
    xml: bytes,
    a: np.ndarray,
    cells: np.ndarray,
    formulas: np.ndarray,
    values: np.ndarray,
    o: int,
    row: np.ndarray,
    column: np.ndarray,
) -> list[tuple[int, int]]:
    """(row, column) of the formula cells whose <v> is missing or empty (openpyxl writes <v />).
    An empty <v> is a cached value only in a text formula (t="str"): Excel's way of writing ""."""
    n = len(xml)
    owner = np.searchsorted(cells, formulas, "right") - 1
    following = np.append(cells, n)[owner + 1]
    after = np.searchsorted(values, formulas)
    value = np.append(values, n)[after]
    inside = (after < len(values)) & (value < following)
    end = value + o  # the byte after "<v" (or "<x:v")
    empty = (a[end] == 47) | ((a[end] == 32) & (a[end + 1] == 47)) | ((a[end] == 62) & (a[end + 1] == 60))
    found: dict[int, tuple[int, int]] = {}
    for i in np.flatnonzero((~inside | empty) & (owner >= 0)).tolist():
        index = int(owner[i])
        if index in found:
            continue
        if inside[i]:  # an empty <v>: the cached "" of a text formula, or nothing (openpyxl's <v />)
            start = int(cells[index])
            if b't="str"' in xml[start : xml.find(b">", start) + 1]:
                continue
        found[index] = (int(row[index]), int(column[index]))
    return list(found.values())


def _measure_slow(xml: bytes) -> SheetShape:
    """The same measure by walking the XML, counting rows and cells without r as calamine does."""
    shape = SheetShape()
    row = 0
    column = 0
    cell: tuple[int, int] | None = None
    formula = cached = False
    try:
        for event, element in SafeTree.iterparse(io.BytesIO(xml), events=("start", "end"), forbid_dtd=True):
            name = local_name(element.tag)
            if event == "start":
                if name == "row":
                    r = element.get("r")
                    row = int(r) if r and r.isdigit() else row + 1
                    column = 0
                elif name == "c":
                    ref = element.get("r")
                    if ref is None:
                        column += 1
                        cell = (max(row, 1), column)
                    else:
                        found = _REF.match(ref)
                        if not found:
                            raise Rejected("corrupt")
                        cell = (int(found.group(2)), _column_number(found.group(1).upper()))
                        column = cell[1]
                    shape.rows = max(shape.rows, cell[0])
                    shape.columns = max(shape.columns, cell[1])
                    formula = False
                    cached = element.get("t") == "str"  # an empty <v> is "" in a text formula
                elif name == "f":
                    formula = True
            elif name == "v":
                cached = cached or bool(element.text)
            elif name == "c":
                if formula and not cached and cell is not None:
                    shape.formulas.append(cell)
                element.clear()
            elif name == "row":
                element.clear()
    except SafeTree.ParseError:
        raise Rejected("corrupt") from None
    return shape


_MERGE = re.compile(rb'<mergeCell\b[^>]*?\bref="\$?([A-Z]+)\$?([0-9]+)(?::\$?([A-Z]+)\$?([0-9]+))?"')


def merge_ranges(tail: bytes) -> np.ndarray:
    """The <mergeCell ref="B4:B10"/> ranges of a sheet's tail, 0-based, as calamine's merge_array gives them."""
    found = _MERGE.findall(tail)
    if not found:
        return np.zeros((0, 4), dtype=np.int64)
    first_col, first_row, last_col, last_row = (
        np.array(part, dtype=kind)
        for part, kind in zip(zip(*found, strict=True), ("S3", "S7", "S3", "S7"), strict=True)
    )
    single = last_col == b""  # ref="A1": a range of one cell
    last_col[single], last_row[single] = first_col[single], first_row[single]
    letters, index = np.unique(np.concatenate([first_col, last_col]), return_inverse=True)
    numbers = np.array([_column_number(x.decode()) - 1 for x in letters], dtype=np.int64)[index]
    n = len(found)
    rows = np.concatenate([first_row, last_row]).astype(np.int64) - 1
    return np.stack([rows[:n], numbers[:n], rows[n:], numbers[n:]], axis=1)


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number
