"""A sheet of an .xlsx package read into a Grid, whole or in parts.

Cells in the plain form are read with numpy (read.plain); a sheet or part in any other
form with python-calamine. A large sheet is cut at row boundaries into parts: one thread
decompresses and cuts the next parts, two read them (read.plain releases the GIL in its
numpy passes, calamine in its parse), and the caller's thread turns each part into codes
as soon as it is ready; only a few parts are in memory at once.

Calamine never decompresses a sheet of the user's file itself: the sheet XML is
decompressed here (``guard.MemberReader``: never past its declared size, checked at
its end), each piece is measured (by read.plain on the way, else ``guard.measure_sheet``:
last row and column, formulas without a cached value) and checked against the limits,
and only then handed to calamine inside a small workbook of our own.

The parts do not carry the shared-string table (on a tracker whose every task is a
sentence of its own it is as large as the sheet, and each part would parse all of
it): the table is read once on a pool thread (its plain entries decoded by read.plain),
a plain part's cells hold their entry's number, and a part left to calamine has its
shared-string cells handed over as text holding their index behind a private-use mark
(``grid.TAG``); the distinct values of each column are looked up in the table at the end.
"""

from __future__ import annotations

import io
import queue
import re
import threading
import weakref
import zipfile
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Protocol, cast

import numpy as np
from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook

from wenming.read import guard, plain
from wenming.read.grid import TAG, Block, Encoder, Grid, blocks, merge_array
from wenming.read.guard import DEFAULT_LIMITS, Limits
from wenming.read.measure import SheetShape, hidden_columns, measure_sheet, merge_ranges

PART_BYTES = 2 * 1024 * 1024  # sheet XML per part (about 6k rows of a 12-column tracker)
SPLIT_BYTES = 3 * PART_BYTES  # sheets with less XML than this are read in one piece
READ_BYTES = 1 * 1024 * 1024
IN_FLIGHT = 3  # parts parsed or waiting at once: bounds memory on a million rows
_TAG = TAG.encode()
_SHARED = b't="s"><v>'  # a shared-string cell as Excel, WPS and openpyxl write it
_TAGGED = b't="str"><v>' + _TAG  # ... read by calamine as the text TAG + index
_SHARED_ANY = re.compile(rb'(<c\b[^>]*?) t="s"([^>]*)><v>')  # the same with its attributes in another order
_SHARED_BLANK = re.compile(rb'(<c\b[^>]*?) t="s"([^>]*)/>')  # a shared-string cell without a value: blank
STRINGS_WIDTH = 1024  # cells per row of the sheet the shared-string table is read through


class Book(Protocol):
    """What the reader needs of calamine's reading of a whole workbook (opened lazily by read.formats)."""

    def get_sheet_by_name(self, name: str) -> CalamineSheet: ...


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
    read = _read_plain(xml, context, limits, name)
    if read is not None:
        return read
    shape = measure_sheet(xml)
    shape.check(limits, name)
    sheet = _parse_part(_part_book(xml, context.shared, context.date1904))
    return _read_whole(sheet) + (shape,)


def _read_plain(xml: bytes, context: _Context, limits: Limits, name: str) -> tuple[Grid, np.ndarray, SheetShape] | None:
    """A sheet whose cells are all in the plain form, read by read.plain; None for any other."""
    tail = xml[xml.rfind(b"</sheetData>") :]
    merges = merge_ranges(tail)
    if tail.count(b"<mergeCell ") != len(merges):
        return None  # merged ranges written in another form: calamine's reading of them counts
    found = _plain_piece(xml, context, limits, name)
    if found is None:
        return None
    shape, split, known = found
    encoder = Encoder()
    encoder.add_blocks(split, known)
    return encoder.grid(context.strings()), merges, shape


def _plain_piece(
    xml: bytes, context: _Context, limits: Limits, name: str
) -> tuple[SheetShape, list[Block], list[object]] | None:
    """Sheet XML whose cells are all in the plain form, read by read.plain: its shape (found on
    the way, checked against the limits before more work), its cells split by column and kind,
    and the values calamine gave for some of them; None for XML in any other form."""
    cells = plain.read(xml)
    if cells is None or (cells.text.any() and context.strings_member is None):
        return None
    shape = SheetShape(cells.rows, cells.columns, hidden_columns=hidden_columns(xml))
    shape.check(limits, name)
    try:
        other, known = context.values().resolve(cells)
    except (ValueError, CalamineError):  # markup in an inline string calamine reads otherwise
        return None
    return shape, blocks(cells.row, cells.column, cells.text, cells.index, cells.number, other), known


def _read_whole(sheet: CalamineSheet) -> tuple[Grid, np.ndarray]:
    encoder = Encoder()
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
    shape.hidden_columns = frozenset()
    shape.check(limits, name)
    return _read_whole(book.get_sheet_by_name(name)) + (shape,)


# ---------------------------------------------------------------- parts of a large sheet

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_DIMENSION = re.compile(rb"<dimension\b[^>]*/>")


@dataclass(frozen=True)
class _Context:
    """What every sheet of one workbook needs: where the sheets are, and the parts each part book
    copies (the shared-string table read on first use: on a pool thread when a large sheet is read
    in parts); the table and calamine's values, once read, for the next sheet."""

    sheets: dict[str, str]  # sheet name -> member
    styles: dict[str, bytes]  # "styles" -> its XML
    strings_member: str | None  # the shared-string table's member
    date1904: bool
    archive: weakref.ref[zipfile.ZipFile] = field(compare=False)
    kept: dict[str, object] = field(default_factory=dict, compare=False)
    lock: threading.Lock = field(default_factory=threading.Lock, compare=False)

    @property
    def shared(self) -> dict[str, bytes]:
        """ "styles" and "sharedStrings" -> their XML."""
        with self.lock:
            if "shared" not in self.kept:
                archive = self.archive()
                table = (
                    {}
                    if self.strings_member is None or archive is None
                    else {"sharedStrings": guard.member_bytes(archive, archive.getinfo(self.strings_member))}
                )
                self.kept["shared"] = {**self.styles, **table}
        return cast("dict[str, bytes]", self.kept["shared"])

    def tagging(self) -> bool:
        """Whether a part left to calamine can carry its shared-string cells as tagged text: there
        is a table, and it does not hold the mark itself."""
        table = self.shared.get("sharedStrings", b"")
        return bool(table) and _TAG not in table

    def strings(self) -> _Strings:
        return cast("_Strings", self.kept.setdefault("strings", _Strings(self)))

    def values(self) -> _Values:
        return cast("_Values", self.kept.setdefault("values", _Values(self)))


_CONTEXTS: weakref.WeakKeyDictionary[zipfile.ZipFile, _Context] = weakref.WeakKeyDictionary()


def _context(archive: zipfile.ZipFile) -> _Context:
    found = _CONTEXTS.get(archive)
    if found is None:
        try:
            package = guard.read_package(archive)
        except (KeyError, guard.SafeTree.ParseError, ValueError):
            package = guard.Package("", [], {}, False)
        names = archive.NameToInfo
        member = {
            kind: package.by_type[kind] for kind in ("styles", "sharedStrings") if package.by_type.get(kind) in names
        }
        styles = {"styles": archive.read(member["styles"])} if "styles" in member else {}
        sheets = {sheet.name: sheet.path for sheet in package.sheets if sheet.kind == "worksheet" and sheet.path}
        found = _CONTEXTS[archive] = _Context(
            sheets, styles, member.get("sharedStrings"), package.date1904, weakref.ref(archive)
        )
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


def _read_entries(raws: list[bytes]) -> list[str]:
    """Calamine's reading of each XML as the content of a shared-string entry (<si>, or <is>)."""
    if not raws:
        return []
    table = f'<sst xmlns="{_MAIN}">'.encode() + b"".join(b"<si>" + raw + b"</si>" for raw in raws) + b"</sst>"
    found = _read_strings({"sharedStrings": table}, len(raws))
    if len(found) != len(raws):
        raise ValueError("markup calamine reads as more or fewer entries")
    return found


class _Strings:
    """The shared-string table of a workbook, read once (on a pool thread when one is given),
    its plain entries decoded by read.plain and the others by calamine; read again by calamine
    (once, and kept) at the size asked for when it falls short."""

    def __init__(self, context: _Context, pool: ThreadPoolExecutor | None = None) -> None:
        self.context = context
        self.future = pool.submit(self._first) if pool is not None else None
        self.table: list[str] | None = None

    def _first(self) -> list[str]:
        shared = self.context.shared
        table = shared.get("sharedStrings", b"")
        found = plain.shared_strings(table) if table else None
        if found is not None:
            texts, rest, raws = found
            try:
                for i, text in zip(rest, _read_entries(raws), strict=True):
                    texts[i] = text
                return cast("list[str]", texts)
            except (ValueError, CalamineError):  # entries calamine reads otherwise: the whole table
                pass
        guess = table.count(b"<si>") + table.count(b"<si ") + table.count(b"<si/>")
        try:
            return _read_strings(shared, guess)
        except Exception:  # a table in a form the guess miscounts: read at the size needed
            return []

    def __call__(self, count: int) -> list[str]:
        if self.table is None:
            self.table = self.future.result() if self.future is not None else self._first()
        if len(self.table) < count:
            shared = self.context.shared
            if count > len(shared.get("sharedStrings", b"")) // len(b"<si/>") + 1:  # no table this size holds more
                raise ValueError("a shared-string index past any table this size")  # a damaged file
            self.table = _read_strings(shared, count)
        return self.table


def _pieces(stream: io.BufferedIOBase, part_bytes: int) -> Generator[bytes, None, np.ndarray]:
    """Each part of the sheet; returns the merged ranges in the sheet's tail."""
    previous: bytes | None = None
    for item in _split(stream, part_bytes):
        if previous is not None:
            yield previous
        previous = item
    return merge_ranges(previous or b"")


class _Values:
    """What calamine makes of the cells read.plain leaves to it, asked once per distinct value:
    the text of an inline string (<is> holds what a shared-string entry holds), and a number
    in a date style (a date, a datetime, a time or a duration; in any other style a number
    is the float its text holds, which calamine is asked once per style)."""

    def __init__(self, context: _Context) -> None:
        self.styles = context.styles
        self.date1904 = context.date1904
        self.plain: dict[int, bool] = {}  # style (-1: none) -> numbers in it stay floats
        self.dates: dict[tuple[int, float], object] = {}
        self.texts: dict[bytes, str] = {}
        self.lock = threading.Lock()

    def resolve(self, cells: plain.Cells) -> tuple[np.ndarray, list[object]]:
        """For each cell, its number in the values (-1: none) calamine gives other than a float
        or a shared string; and the values."""
        other = cells.inline.copy()
        numeric = cells.numeric
        with self.lock:
            values: list[object] = self._texts(cells.raws)
            styles = np.unique(cells.style[numeric]).tolist()
            unknown = [style for style in styles if style not in self.plain]
            for style, value in zip(unknown, self._ask([(style, "1.5") for style in unknown]), strict=True):
                self.plain[style] = value.__class__ is float and value == 1.5
            for style in styles:
                if self.plain[style]:
                    continue
                at = np.flatnonzero(numeric & (cells.style == style))
                found, inverse = np.unique(cells.number[at], return_inverse=True)
                keys = [(style, number) for number in found.tolist()]
                missing = [key for key in keys if key not in self.dates]
                self.dates.update(zip(missing, self._ask([(s, repr(x)) for s, x in missing]), strict=True))
                other[at] = len(values) + inverse
                values += [self.dates[key] for key in keys]
        return other, values

    def _texts(self, raws: list[bytes]) -> list[object]:
        missing = [raw for raw in raws if raw not in self.texts]
        self.texts.update(zip(missing, _read_entries(missing), strict=True))
        return [self.texts[raw] for raw in raws]

    def _ask(self, cells: list[tuple[int, str]]) -> list[object]:
        """Calamine's reading of one number cell per row, each in its style."""
        if not cells:
            return []
        rows = "".join(
            f'<row r="{i}"><c r="A{i}"{_style(style)}><v>{text}</v></c></row>'
            for i, (style, text) in enumerate(cells, 1)
        )
        xml = f'<worksheet xmlns="{_MAIN}"><sheetData>{rows}</sheetData></worksheet>'.encode()
        found = _parse_part(_part_book(xml, self.styles, self.date1904)).to_python(skip_empty_area=False)
        return [row[0] for row in found]


def _style(style: int) -> str:
    return f' s="{style}"' if style >= 0 else ""


Piece = CalamineSheet | tuple[list[Block], list[object]]


def _parse_piece(xml: bytes, context: _Context, limits: Limits, sheet: str) -> tuple[SheetShape, Piece]:
    """A part and its shape: read by read.plain when its cells are all in the plain form, else
    measured, checked against the limits and read by calamine (its shared-string cells tagged,
    or with the table)."""
    found = _plain_piece(xml, context, limits, sheet)
    if found is not None:
        shape, split, known = found
        return shape, (split, known)
    shape = measure_sheet(xml)
    shape.check(limits, sheet)  # before calamine lays the part out
    tagged = _tag(xml) if context.tagging() else None
    if tagged is None:
        return shape, _parse_part(_part_book(xml, context.shared, context.date1904))
    without = {kind: data for kind, data in context.shared.items() if kind != "sharedStrings"}
    return shape, _parse_part(_part_book(tagged, without, context.date1904))


class _Ahead:
    """A generator run on a thread of its own, each item passed through ``then`` there, at most
    ``depth`` items ahead of its reader; what it raises is raised to the reader."""

    def __init__(self, items: Generator[bytes, None, object], then: Callable[[bytes], object], depth: int) -> None:
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
    """The sheet read part by part on four threads: one decompresses and cuts the next parts, two
    read them (read.plain; else measured, checked and parsed by calamine) and the shared-string
    table, and this one turns the parts into codes. ``shape`` gathers the parts' shapes; a part
    past the limits stops the reading."""
    context = _context(archive)
    total = shape if shape is not None else SheetShape()
    encoder = Encoder()
    pieces = _pieces(guard.MemberReader(archive, member), PART_BYTES)
    with ThreadPoolExecutor(max_workers=2) as pool:
        strings = _Strings(context, pool) if context.strings_member is not None else None
        # The parts are handed to the parsers as soon as they are cut; this thread encodes
        # each one as soon as it is parsed, in order.
        ahead = _Ahead(
            pieces,
            lambda xml: pool.submit(_parse_piece, xml, context, limits, sheet),
            depth=IN_FLIGHT - 1,
        )
        try:
            while True:
                kind, value = ahead.get()
                if kind == "end":
                    merges = cast("np.ndarray", value)
                    break
                part, piece = cast("Future[tuple[SheetShape, Piece]]", value).result()
                total.add(part)
                total.check(limits, sheet)  # the sheet so far, before the grid takes the part
                if isinstance(piece, tuple):
                    encoder.add_blocks(*piece)
                else:
                    encoder.add(piece)
            cells = encoder.grid(strings, tagged=context.tagging())
        except _NotSplittable:
            return None
        finally:
            for future in ahead.close():
                cast("Future[tuple[SheetShape, Piece]]", future).cancel()
    return cells, merges
