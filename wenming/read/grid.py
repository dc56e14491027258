"""A sheet's cells as columns of codes into each column's distinct values, read with python-calamine.

Every rule of the reader runs once per distinct value of a column, so a column is
kept as one small integer per row (``codes``) and the list of its distinct values
(``uniques``, the empty cell first). A large sheet is cut at row boundaries into
parts that calamine parses on a second thread (it releases the GIL) while this
thread turns the parsed parts into codes; only a few parts are in memory at once.

Calamine never decompresses a sheet of the user's file itself: the sheet XML is
decompressed here (``guard.MemberReader``: never past its declared size, checked at
its end), each piece is measured (``guard.measure_sheet``: last row and column, formulas
without a cached value) and checked against the limits, and only then handed to
calamine inside a small workbook of our own.
"""

from __future__ import annotations

import collections
import io
import re
import weakref
import zipfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pyarrow as pa
from python_calamine import CalamineSheet, CalamineWorkbook

from wenming.read import guard, texts
from wenming.read.guard import DEFAULT_LIMITS, Limits
from wenming.read.measure import SheetShape, measure_sheet

Cell = object
Merge = tuple[tuple[int, int], tuple[int, int]]
EMPTY = ""  # code 0 of every column

PART_BYTES = 2 * 1024 * 1024  # sheet XML per part (about 6k rows of a 12-column tracker)
SPLIT_BYTES = 3 * PART_BYTES  # sheets with less XML than this are read in one piece
READ_BYTES = 4 * 1024 * 1024
IN_FLIGHT = 3  # parts parsed or waiting at once: bounds memory on a million rows


class Book(Protocol):
    """What the reader needs of calamine's reading of a whole workbook (opened lazily by read.formats)."""

    def get_sheet_by_name(self, name: str) -> CalamineSheet: ...


class Column:
    """One column of a sheet: ``uniques[codes[i]]`` is the value of row i."""

    __slots__ = ("_forms", "_index", "_owned", "_sparse", "_texts", "_words", "codes", "uniques")

    def __init__(
        self,
        codes: np.ndarray,
        uniques: list[Cell],
        index: dict[Cell, int] | None = None,
        *,
        sparse: bool = False,
        forms: texts.Forms | None = None,
    ) -> None:
        self.codes = codes
        self.uniques = uniques
        self._index = index
        self._sparse = sparse  # uniques may hold values of no row: drop them before parsing
        self._owned = not sparse  # a taken column shares its distinct values until it adds one
        self._texts: list[int] | None = None
        self._forms = forms  # the text forms of the distinct values, once asked for (kept by take)
        self._words: pa.Array | None = None  # normalize_word of each distinct value

    @classmethod
    def empty(cls, height: int) -> Column:
        return cls(np.zeros(height, dtype=np.int32), [EMPTY])

    def __len__(self) -> int:
        return len(self.codes)

    @property
    def index(self) -> dict[Cell, int]:
        if self._index is None:
            self._index = {value: code for code, value in enumerate(self.uniques)}
        return self._index

    def _compact(self) -> None:
        """Keep only the distinct values some row holds, so no parser sees a value of a row left out."""
        if not self._sparse:
            return
        self._sparse = False
        present = np.bincount(self.codes, minlength=len(self.uniques)) > 0
        if present.all():
            return
        remap = (np.cumsum(present) - 1).astype(np.int32)
        self.codes = remap[self.codes]
        keep = present.tolist()
        self.uniques = [u for u, kept in zip(self.uniques, keep, strict=True) if kept]
        if self._forms is not None:
            forms = self._forms
            self._forms = texts.Forms(forms.clean.filter(pa.array(present)), forms.is_text[present], forms.odd[present])
        self._index = None
        self._owned = True
        self._texts = None
        self._words = None

    def code(self, value: Cell) -> int:
        """The code of ``value``, added to the distinct values if new."""
        self._compact()
        found = self.index.get(value)
        if found is None:
            if not self._owned:
                self.uniques, self._index, self._owned = list(self.uniques), dict(self.index), True
            found = self.index[value] = len(self.uniques)
            self.uniques.append(value)
            self._texts = self._forms = self._words = None
        return found

    def per_unique(self, fn: Callable[[Cell], object]) -> list[object]:
        self._compact()
        return [fn(value) for value in self.uniques]

    def map(self, fn: Callable[[Cell], object]) -> np.ndarray:
        """``fn`` of every cell, computed once per distinct value (an object array)."""
        mapped = np.empty(len(self.uniques), dtype=object)
        mapped[:] = self.per_unique(fn)
        return mapped[self.codes]

    def flags(self, fn: Callable[[Cell], object]) -> np.ndarray:
        """``bool(fn(cell))`` of every cell, computed once per distinct value."""
        found = self.per_unique(fn)
        return np.fromiter((bool(x) for x in found), dtype=bool, count=len(found))[self.codes]

    def _text_codes(self) -> list[int]:
        """The codes of the distinct values that are text."""
        self._compact()
        if self._texts is None:
            self._texts = [code for code, value in enumerate(self.uniques) if value.__class__ is str]
        return self._texts

    def text_flags(self, fn: Callable[[str], object], other: bool = False) -> np.ndarray:
        """``bool(fn(cell))`` for text cells and ``other`` for the rest (numbers, dates), computed
        once per distinct text: cheap on a column of a million serial numbers."""
        codes = self._text_codes()  # first: it drops the distinct values of no row
        mapped = np.full(len(self.uniques), other, dtype=bool)
        uniques = self.uniques
        for code in codes:
            mapped[code] = bool(fn(uniques[code]))
        return mapped[self.codes]

    def forms(self) -> texts.Forms:
        """The text forms (``values.clean_text``) of the distinct values, the texts done together
        in Arrow (read.texts)."""
        codes = self._text_codes()
        if self._forms is None:
            self._forms = texts.forms(self.uniques, codes)
        return self._forms

    def word_flags(self, prefixes: Sequence[str]) -> np.ndarray:
        """Rows holding text whose word form (``contract.normalize_word``) starts with one of
        ``prefixes``; computed for all distinct texts at once."""
        codes = self._text_codes()
        if self._words is None:
            if self._forms is not None:
                self._words = self._forms.words(self.uniques)
            else:  # the texts only: a column of numbers holds few
                at = np.asarray(codes, dtype=np.int64)
                positions = np.full(len(self.uniques), len(codes), dtype=np.int64)
                positions[at] = np.arange(len(codes))
                found = texts.words([self.uniques[c] for c in codes])
                self._words = pa.concat_arrays([found, pa.array([""], pa.string())]).take(pa.array(positions))
        is_text = np.zeros(len(self.uniques), dtype=bool)
        is_text[codes] = True
        return (texts.starts_with(self._words, prefixes) & is_text)[self.codes]

    def nonempty(self) -> np.ndarray:
        """Rows whose cell is not the empty text (blank)."""
        self._compact()
        empty = self.index.get(EMPTY)
        return np.ones(len(self.codes), dtype=bool) if empty is None else self.codes != empty

    def take(self, rows: np.ndarray | slice) -> Column:
        """The rows selected by a mask, an index array or a slice; they share the distinct values
        until a parser asks for them."""
        return Column(self.codes[rows], self.uniques, self._index, sparse=True, forms=self._forms)

    def values(self, rows: np.ndarray | None = None) -> list[Cell]:
        codes = self.codes if rows is None else self.codes[rows]
        return [self.uniques[c] for c in codes.tolist()]


class Grid:
    """A sheet as columns; row i is Excel row i + 1 of the sheet (or of the part below a header)."""

    def __init__(self, columns: list[Column], height: int) -> None:
        self.columns = columns
        self.height = height

    @property
    def width(self) -> int:
        return len(self.columns)

    def column(self, index: int) -> Column:
        return self.columns[index] if index < self.width else Column.empty(self.height)

    def cell(self, row: int, column: int) -> Cell:
        col = self.column(column)
        return col.uniques[col.codes[row]]

    def rows(self, start: int, stop: int) -> list[list[Cell]]:
        stop = min(stop, self.height)
        columns = [col.values(np.arange(start, stop)) for col in self.columns]
        return [list(row) for row in zip(*columns, strict=True)] if columns else [[] for _ in range(start, stop)]

    def below(self, start: int) -> Grid:
        return Grid([col.take(slice(start, None)) for col in self.columns], max(self.height - start, 0))

    def take(self, rows: np.ndarray) -> Grid:
        return Grid([col.take(rows) for col in self.columns], int(np.count_nonzero(rows)))

    def widen(self, width: int) -> None:
        while self.width < width:
            self.columns.append(Column.empty(self.height))

    def has_content(self) -> bool:
        return any(len(col.uniques) > 1 for col in self.columns)


# ---------------------------------------------------------------- building a grid


class _Encoder:
    """Turns parsed rows, part by part, into per-column codes."""

    def __init__(self) -> None:
        self.maps: list[collections.defaultdict[Cell, int]] = []
        self.pieces: list[list[tuple[int, np.ndarray]]] = []
        self.height = 0

    def _column(self, index: int) -> tuple[collections.defaultdict[Cell, int], list[tuple[int, np.ndarray]]]:
        while len(self.maps) <= index:
            codes: collections.defaultdict[Cell, int] = collections.defaultdict()
            codes.default_factory = codes.__len__  # a new value gets the next code
            codes[EMPTY] = 0
            self.maps.append(codes)
            self.pieces.append([])
        return self.maps[index], self.pieces[index]

    def add(self, sheet: CalamineSheet) -> None:
        start = sheet.start
        if start is None:
            return
        rows = sheet.to_python(skip_empty_area=True)
        if not rows:
            return
        first_row, first_col = start
        for offset, cells in enumerate(zip(*rows, strict=True)):
            codes, pieces = self._column(first_col + offset)
            pieces.append((first_row, np.fromiter(map(codes.__getitem__, cells), dtype=np.int32, count=len(cells))))
        self.height = max(self.height, first_row + len(rows))

    def grid(self) -> Grid:
        columns = []
        for codes, pieces in zip(self.maps, self.pieces, strict=True):
            array = np.zeros(self.height, dtype=np.int32)
            for offset, piece in pieces:
                array[offset : offset + len(piece)] = piece
            uniques = list(codes)
            columns.append(Column(array, uniques, dict(codes)))
        return Grid(columns, self.height)


def read_sheet(book: Book, archive: zipfile.ZipFile | None, name: str) -> tuple[Grid, np.ndarray]:
    """The sheet's cells and merged ranges (first row, first column, last row, last column, 0-based);
    a large sheet is read in parts on two threads."""
    cells, merges, _ = read_checked(book, archive, name)
    return cells, merges


def read_checked(
    book: Book,
    archive: zipfile.ZipFile | None,
    name: str,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[Grid, np.ndarray, SheetShape]:
    """As read_sheet, with the sheet's shape; raises guard.Rejected for a sheet past the limits
    or a member that is not what the zip's directory says."""
    if archive is None:  # no zip at hand (tests comparing with calamine's own reading): calamine reads it all
        return _read_whole(book.get_sheet_by_name(name)) + (SheetShape(),)
    member = _sheet_member(archive, name)
    if member is None:
        return _read_unresolved(book, archive, name, limits)
    if member.file_size >= SPLIT_BYTES:
        shape = SheetShape()
        read = _read_in_parts(archive, member, shape=shape, limits=limits, sheet=name)
        if read is not None:
            return read + (shape,)
    context = _context(archive)
    xml = guard.read_member(archive, member)
    shape = measure_sheet(xml)
    shape.check(limits, name)
    sheet = _parse_part(_part_book(xml, context.shared, context.date1904))
    return _read_whole(sheet) + (shape,)


def _read_whole(sheet: CalamineSheet) -> tuple[Grid, np.ndarray]:
    encoder = _Encoder()
    encoder.add(sheet)
    return encoder.grid(), merge_array(sheet.merged_cell_ranges or [])


def _read_unresolved(
    book: Book, archive: zipfile.ZipFile, name: str, limits: Limits
) -> tuple[Grid, np.ndarray, SheetShape]:
    """A sheet the relationships do not lead to: calamine finds it itself, once every XML member it
    could pick has been decompressed with the cap and measured (the largest shape counts)."""
    shape = SheetShape()
    for info in archive.infolist():
        if info.filename.endswith(".xml") and info.filename not in guard.FIXED_MEMBERS:
            shape.add(measure_sheet(guard.read_member(archive, info)))
    shape.formulas = []  # which of them is the sheet is not known
    shape.check(limits, name)
    return _read_whole(book.get_sheet_by_name(name)) + (shape,)


def merge_array(merges: Sequence[Merge]) -> np.ndarray:
    return np.array([(r0, c0, r1, c1) for (r0, c0), (r1, c1) in merges], dtype=np.int64).reshape(-1, 4)


# ---------------------------------------------------------------- parts of a large sheet

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_DIMENSION = re.compile(rb"<dimension\b[^>]*/>")
_MERGE = re.compile(rb'<mergeCell\b[^>]*?\bref="\$?([A-Z]+)\$?([0-9]+)(?::\$?([A-Z]+)\$?([0-9]+))?"')


@dataclass(frozen=True)
class _Context:
    """What every sheet of one workbook needs: where the sheets are, and the parts each part book copies."""

    sheets: dict[str, str]  # sheet name -> member
    shared: dict[str, bytes]  # "styles", "sharedStrings" -> their XML
    date1904: bool


_CONTEXTS: weakref.WeakKeyDictionary[zipfile.ZipFile, _Context] = weakref.WeakKeyDictionary()


def _context(archive: zipfile.ZipFile) -> _Context:
    found = _CONTEXTS.get(archive)
    if found is None:
        try:
            package = guard.read_package(archive)
        except (KeyError, guard.SafeTree.ParseError, ValueError):
            package = guard.Package("", [], {}, False)
        names = archive.NameToInfo
        shared = {}
        for kind in ("styles", "sharedStrings"):
            if kind in package.by_type and package.by_type[kind] in names:
                shared[kind] = archive.read(package.by_type[kind])
        sheets = {sheet.name: sheet.path for sheet in package.sheets if sheet.kind == "worksheet" and sheet.path}
        found = _CONTEXTS[archive] = _Context(sheets, shared, package.date1904)
    return found


def _sheet_member(archive: zipfile.ZipFile, name: str) -> zipfile.ZipInfo | None:
    try:
        return archive.getinfo(_context(archive).sheets[name])
    except KeyError:
        return None


def _part_book(sheet_xml: bytes, shared: dict[str, bytes], date1904: bool) -> bytes:
    """A one-sheet workbook around ``sheet_xml`` with the original styles and shared strings."""
    pr = '<workbookPr date1904="1"/>' if date1904 else ""
    rels = "".join(f'<Relationship Id="r{kind}" Type="{_RELS}/{kind}" Target="{kind}.xml"/>' for kind in shared)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as book:
        book.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="r1" Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        book.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}">{pr}'
            '<sheets><sheet name="part" sheetId="1" r:id="rs"/></sheets></workbook>',
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rs" Type="{_RELS}/worksheet" Target="worksheets/sheet1.xml"/>{rels}'
            "</Relationships>",
        )
        for kind, data in shared.items():
            book.writestr(f"xl/{kind}.xml", data)
        book.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return out.getvalue()


def _parse_part(book: bytes) -> CalamineSheet:
    return CalamineWorkbook.from_filelike(io.BytesIO(book)).get_sheet_by_name("part")


class _NotSplittable(Exception):
    """The sheet XML is not in the plain form Excel writes; read it in one piece."""


def _split(stream: io.BufferedIOBase, part_bytes: int) -> Iterator[bytes]:
    """Sheet XML documents of consecutive rows; the last item is the tail after </sheetData>."""
    buffer = b""
    while b"<sheetData>" not in buffer:
        chunk = stream.read(READ_BYTES)
        if not chunk or len(buffer) > READ_BYTES:
            raise _NotSplittable
        buffer += chunk
    start = buffer.index(b"<sheetData>") + len(b"<sheetData>")
    head = _DIMENSION.sub(b"", buffer[:start])  # a dimension would make each part reserve the whole sheet
    buffer = buffer[start:]
    first_row = buffer.find(b"<row ")
    if first_row < 0 or b' r="' not in buffer[first_row : buffer.find(b">", first_row)]:
        raise _NotSplittable  # rows without numbers are placed by counting: only whole sheets count right
    pending: list[bytes] = [buffer]
    size = len(buffer)
    done = False
    while not done:
        chunk = stream.read(READ_BYTES)
        done = not chunk
        if chunk:
            pending.append(chunk)
            size += len(chunk)
            if size < part_bytes:
                continue
        buffer = b"".join(pending)
        end = buffer.find(b"</sheetData>")
        if end >= 0:
            yield head + buffer[:end] + b"</sheetData></worksheet>"
            yield buffer[end:] + stream.read()
            return
        if done:
            raise _NotSplittable
        cut = buffer.rfind(b"</row>") + len(b"</row>")
        if cut < len(b"</row>"):
            pending, size = [buffer], len(buffer)
            continue
        yield head + buffer[:cut] + b"</sheetData></worksheet>"
        pending, size = [buffer[cut:]], len(buffer) - cut


def _read_in_parts(
    archive: zipfile.ZipFile,
    member: zipfile.ZipInfo,
    *,
    shape: SheetShape | None = None,
    limits: Limits = DEFAULT_LIMITS,
    sheet: str = "",
) -> tuple[Grid, np.ndarray] | None:
    """The sheet read part by part: the other threads parse the next parts while this one measures
    each part (before any parser sees it) and encodes the parsed ones. ``shape`` gathers the parts'
    shapes; a part past the limits stops the reading.

    Measuring here rather than on the parsing threads is faster: the numpy calls of a measure
    on another thread wait for the GIL this thread holds while it encodes."""
    context = _context(archive)
    part_bytes = max(PART_BYTES, 4 * len(context.shared.get("sharedStrings", b"")))
    total = shape if shape is not None else SheetShape()
    encoder = _Encoder()
    queue: collections.deque[Future[CalamineSheet]] = collections.deque()
    tail = b""
    stream = guard.MemberReader(archive, member)
    with ThreadPoolExecutor(max_workers=2) as pool:
        parts = _split(stream, part_bytes)
        try:
            previous: bytes | None = None
            for item in parts:
                if previous is not None:
                    total.add(measure_sheet(previous))
                    total.check(limits, sheet)  # the sheet so far, as the grid will hold it
                    queue.append(pool.submit(_parse_part, _part_book(previous, context.shared, context.date1904)))
                    while len(queue) >= IN_FLIGHT:
                        encoder.add(queue.popleft().result())
                previous = item
            tail = previous or b""
            while queue:
                encoder.add(queue.popleft().result())
        except _NotSplittable:
            for future in queue:
                future.cancel()
            return None
        except BaseException:
            for future in queue:
                future.cancel()
            raise
    return encoder.grid(), _merges(tail)


def _merges(tail: bytes) -> np.ndarray:
    """The <mergeCell ref="B4:B10"/> ranges of a sheet's tail, as merge_array gives them."""
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
    numbers = np.array([_column_index(bytes(x)) for x in letters], dtype=np.int64)[index]
    n = len(found)
    rows = np.concatenate([first_row, last_row]).astype(np.int64) - 1
    return np.stack([rows[:n], numbers[:n], rows[n:], numbers[n:]], axis=1)


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index - 1


def merges_overlap(merges: np.ndarray) -> bool:
    """Whether any cell belongs to two merged ranges (Excel never writes this; files made by hand may)."""
    if len(merges) < 2:
        return False
    widths = merges[:, 3] - merges[:, 1] + 1
    spans = np.repeat(merges, widths, axis=0)  # one span of rows per column a range covers
    columns = spans[:, 1] + np.arange(len(spans)) - np.repeat(np.cumsum(widths) - widths, widths)
    order = np.lexsort((spans[:, 0], columns))
    columns, first, last = columns[order], spans[order, 0], spans[order, 2]
    bounds = np.flatnonzero(np.r_[True, columns[1:] != columns[:-1], True]).tolist()
    for begin, end in zip(bounds[:-1], bounds[1:], strict=True):
        # Within a column, a range overlaps when it starts at or above the lowest row reached so far.
        if end - begin > 1 and (first[begin + 1 : end] <= np.maximum.accumulate(last[begin : end - 1])).any():
            return True
    return False
