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

The parts do not carry the shared-string table (on a tracker whose every task is a
sentence of its own it is as large as the sheet, and each part would parse all of
it): a part's shared-string cells are handed to calamine as text holding their index
behind a private-use mark (``TAG``), the table is read once on the other thread, and
the marked distinct values of each column are looked up in it at the end.
"""

from __future__ import annotations

import collections
import io
import queue
import re
import threading
import weakref
import zipfile
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol, cast

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
TAG = "\ue000"  # a private-use character: marks a shared-string index left for us to look up
_TAG = TAG.encode()
_SHARED = b't="s"><v>'  # a shared-string cell as Excel, WPS and openpyxl write it
_TAGGED = b't="str"><v>' + _TAG  # ... read by calamine as the text TAG + index
_SHARED_ANY = re.compile(rb'(<c\b[^>]*?) t="s"([^>]*)><v>')  # the same with its attributes in another order
_SHARED_BLANK = re.compile(rb'(<c\b[^>]*?) t="s"([^>]*)/>')  # a shared-string cell without a value: blank
STRINGS_WIDTH = 1024  # cells per row of the sheet the shared-string table is read through


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
        if self._index is not None:
            empty = self._index.get(EMPTY)
        else:  # found without building the index: a column of a million texts needs none
            empty = next(
                (code for code, value in enumerate(self.uniques) if value.__class__ is str and not value), None
            )
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
        cells = np.array(rows, dtype=object)  # calamine's rows are all as wide as the sheet
        for offset in range(cells.shape[1]):
            codes, pieces = self._column(first_col + offset)
            column = cells[:, offset]
            pieces.append((first_row, np.fromiter(map(codes.__getitem__, column), dtype=np.int32, count=len(column))))
        self.height = max(self.height, first_row + len(rows))

    def grid(self, strings: Callable[[int], list[str]] | None = None) -> Grid:
        """The grid; ``strings(n)`` gives the shared-string table (at least n entries) that
        tagged parts point into."""
        columns = []
        for codes, pieces in zip(self.maps, self.pieces, strict=True):
            array = np.zeros(self.height, dtype=np.int32)
            for offset, piece in pieces:
                array[offset : offset + len(piece)] = piece
            uniques, index = list(codes), dict(codes)
            if strings is not None:
                array, uniques, index = _untag(array, uniques, strings)
            columns.append(Column(array, uniques, index))
        return Grid(columns, self.height)


def _untag(
    codes: np.ndarray, uniques: list[Cell], strings: Callable[[int], list[str]]
) -> tuple[np.ndarray, list[Cell], dict[Cell, int] | None]:
    """A column's tagged distinct values looked up in the shared-string table; two values that
    turn out equal (a table may repeat a text) become one code."""
    table = strings(0)
    try:  # _tag let no index below zero through
        resolved = [table[int(v[1:])] if v.__class__ is str and v[:1] == TAG else v for v in uniques]
    except IndexError:  # past the table as first read: read it to the last index used
        last = max(int(v[1:]) for v in uniques if v.__class__ is str and v[:1] == TAG)
        table = strings(last + 1)
        resolved = [table[int(v[1:])] if v.__class__ is str and v[:1] == TAG else v for v in uniques]
    if len(set(resolved)) == len(resolved):
        return codes, resolved, None  # the index is built when asked for: most columns never are
    index: dict[Cell, int] = {}
    remap = np.fromiter((index.setdefault(value, len(index)) for value in resolved), np.int32, len(resolved))
    return remap[codes], list(index), index


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


def _tag(part: bytes) -> bytes | None:
    """The part with its shared-string cells as tagged text, or None when some are in a form
    this does not rewrite (a formula's, say): that part is parsed with the table."""
    if _TAG in part:
        raise _NotSplittable  # the mark is in the sheet's own text: read it in one piece
    tagged = part.replace(_SHARED, _TAGGED)
    if b't="s"' in tagged:
        tagged = _SHARED_BLANK.sub(rb"\1\2/>", _SHARED_ANY.sub(rb'\1 t="str"\2><v>' + _TAG, tagged))
        if b't="s"' in tagged:
            return None
    if _TAGGED + b"-" in tagged:
        return None  # an index below zero: calamine, reading the part with the table, refuses it
    return tagged


def _strings_sheet(count: int) -> bytes:
    """A sheet whose cells point at shared strings 0 .. count - 1, row by row."""
    rows = (
        "<row>"
        + "".join(map('<c t="s"><v>{}</v></c>'.format, range(start, min(start + STRINGS_WIDTH, count))))
        + "</row>"
        for start in range(0, count, STRINGS_WIDTH)
    )
    return f'<worksheet xmlns="{_MAIN}"><sheetData>{"".join(rows)}</sheetData></worksheet>'.encode()


def _read_strings(shared: dict[str, bytes], count: int) -> list[str]:
    """The first ``count`` entries of the shared-string table, as calamine reads them; raises
    CalamineError when the table holds fewer (as calamine does for a cell pointing past it)."""
    if count <= 0:
        return []
    book = _part_book(_strings_sheet(count), {"sharedStrings": shared.get("sharedStrings", b"")}, False)
    rows = _parse_part(book).to_python(skip_empty_area=False)
    return [value for row in rows for value in row][:count]


class _Strings:
    """The shared-string table of a workbook, read once on a pool thread, its size guessed from
    the XML; read again at the size asked for when the guess falls short."""

    def __init__(self, pool: ThreadPoolExecutor, shared: dict[str, bytes]) -> None:
        self.shared = shared
        xml = shared.get("sharedStrings", b"")
        guess = xml.count(b"<si>") + xml.count(b"<si ") + xml.count(b"<si/>")
        self.future = pool.submit(self._guessed, guess)

    def _guessed(self, count: int) -> list[str] | None:
        try:
            return _read_strings(self.shared, count)
        except Exception:  # a table in a form the guess miscounts: read at the size needed
            return None

    def __call__(self, count: int) -> list[str]:
        found = self.future.result()
        if found is None or len(found) < count:
            if count > len(self.shared.get("sharedStrings", b"")) // len(b"<si/>") + 1:
                raise ValueError("a shared-string index past any table this size")  # a damaged file
            found = _read_strings(self.shared, count)
        return found


def _books(
    stream: io.BufferedIOBase,
    part_bytes: int,
    context: _Context,
    tagging: bool,
    total: SheetShape,
    limits: Limits,
    sheet: str,
) -> Generator[bytes, None, bytes]:
    """Each part of the sheet as a workbook for calamine, measured and checked against the limits
    before any parser sees it; returns the sheet's tail (its merged ranges)."""
    without = {kind: xml for kind, xml in context.shared.items() if kind != "sharedStrings"}
    previous: bytes | None = None
    for item in _split(stream, part_bytes):
        if previous is not None:
            total.add(measure_sheet(previous))
            total.check(limits, sheet)  # the sheet so far, as the grid will hold it
            tagged = _tag(previous) if tagging else None
            if tagged is None:
                yield _part_book(previous, context.shared, context.date1904)
            else:
                yield _part_book(tagged, without, context.date1904)
        previous = item
    return previous or b""


class _Ahead:
    """A generator run on a thread of its own, each item passed through ``then`` there, at most
    ``depth`` items ahead of its reader; what it raises is raised to the reader."""

    def __init__(self, items: Generator[bytes, None, bytes], then: Callable[[bytes], object], depth: int) -> None:
        self._items = items
        self._then = then
        self._queue: queue.Queue[tuple[str, object]] = queue.Queue(depth)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sheet-parts", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            while True:
                try:
                    item = next(self._items)
                except StopIteration as end:
                    self._put(("end", end.value))
                    return
                if not self._put(("item", self._then(item))):
                    return
        except BaseException as error:  # the reader decides: a damaged file, a limit, a plain error
            self._put(("error", error))

    def _put(self, entry: tuple[str, object]) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(entry, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def get(self) -> tuple[str, object]:
        kind, value = self._queue.get()
        if kind == "error":
            raise value  # type: ignore[misc]
        return kind, value

    def close(self) -> list[object]:
        """Stop the thread; the items it made that nobody read."""
        self._stop.set()
        self._thread.join()
        left = []
        while not self._queue.empty():
            kind, value = self._queue.get_nowait()
            if kind == "item":
                left.append(value)
        return left


def _read_in_parts(
    archive: zipfile.ZipFile,
    member: zipfile.ZipInfo,
    *,
    shape: SheetShape | None = None,
    limits: Limits = DEFAULT_LIMITS,
    sheet: str = "",
) -> tuple[Grid, np.ndarray] | None:
    """The sheet read part by part on four threads: one decompresses, cuts, measures (before any
    parser sees a part) and tags the next parts, two parse them with calamine (and the
    shared-string table), and this one turns the parsed parts into codes. ``shape`` gathers the
    parts' shapes; a part past the limits stops the reading."""
    context = _context(archive)
    table = context.shared.get("sharedStrings", b"")
    tagging = bool(table) and _TAG not in table
    part_bytes = PART_BYTES if tagging else max(PART_BYTES, 4 * len(table))
    total = shape if shape is not None else SheetShape()
    encoder = _Encoder()
    books = _books(guard.MemberReader(archive, member), part_bytes, context, tagging, total, limits, sheet)
    with ThreadPoolExecutor(max_workers=2) as pool:
        strings = _Strings(pool, context.shared) if tagging else None
        # The parts are handed to the parsers as soon as they are cut; this thread encodes
        # each one as soon as it is parsed, in order.
        ahead = _Ahead(books, lambda book: pool.submit(_parse_part, book), depth=IN_FLIGHT - 1)
        try:
            while True:
                kind, value = ahead.get()
                if kind == "end":
                    tail = value
                    break
                encoder.add(cast("Future[CalamineSheet]", value).result())
            cells = encoder.grid(strings)
        except _NotSplittable:
            return None
        finally:
            for future in ahead.close():
                cast("Future[CalamineSheet]", future).cancel()
    return cells, _merges(tail)


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
