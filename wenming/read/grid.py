"""A sheet's cells as columns of codes into each column's distinct values.

Every rule of the reader runs once per distinct value of a column, so a column is
kept as one small integer per row (``codes``) and the list of its distinct values
(``uniques``, the empty cell first). ``Encoder`` builds a grid from calamine's parsed
sheets, part by part (read.xlsx reads a workbook's sheets into it).
"""

from __future__ import annotations

import collections
import itertools
import operator
from collections.abc import Callable, Sequence

import numpy as np
import pyarrow as pa
from python_calamine import CalamineSheet

from wenming.read import texts

Cell = object
Merge = tuple[tuple[int, int], tuple[int, int]]
EMPTY = ""  # code 0 of every column
SEARCHES_BEFORE_INDEX = 8  # a column builds its index of distinct values on the next look-up
TAG = "\ue000"  # a private-use character: marks a shared-string index left for read.xlsx to look up


class Column:
    """One column of a sheet: ``uniques[codes[i]]`` is the value of row i.

    What is worked out per distinct value (which are text, their text forms and word forms) is
    kept aligned with ``uniques``: a taken column shares it, and dropping the values of no row
    filters it, so a column of a million distinct texts does that work once per sheet.
    """

    __slots__ = ("_forms", "_index", "_is_text", "_owned", "_searches", "_sparse", "_words", "codes", "uniques")

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
        self._searches = 0  # values looked up without the index
        self._sparse = sparse  # uniques may hold values of no row: drop them before parsing
        self._owned = not sparse  # a taken column shares its distinct values until it adds one
        self._is_text: np.ndarray | None = None  # which distinct values are str
        self._forms = forms  # the text forms of the distinct values, once asked for
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

    def _drop_stale(self) -> None:
        """Forget what was worked out for fewer distinct values than the column now has (a column
        this one was taken from added a value to the list they share)."""
        size = len(self.uniques)
        if self._is_text is not None and len(self._is_text) != size:
            self._is_text = None
        if self._forms is not None and len(self._forms.is_text) != size:
            self._forms = None
        if self._words is not None and len(self._words) != size:
            self._words = None

    def _compact(self) -> None:
        """Keep only the distinct values some row holds, so no parser sees a value of a row left out."""
        if not self._sparse:
            return
        self._sparse = False
        self._drop_stale()
        present = np.bincount(self.codes, minlength=len(self.uniques)) > 0
        if present.all():
            return
        remap = (np.cumsum(present) - 1).astype(np.int32)
        self.codes = remap[self.codes]
        self.uniques = list(itertools.compress(self.uniques, present.tolist()))
        self._index = None
        self._owned = True
        self._keep(present)

    def _keep(self, present: np.ndarray) -> None:
        """What was worked out per distinct value, for the values ``present`` only."""
        if self._is_text is not None:
            self._is_text = self._is_text[present]
        if self._forms is not None:
            forms = self._forms
            self._forms = texts.Forms(forms.clean.filter(pa.array(present)), forms.is_text[present], forms.odd[present])
        if self._words is not None:
            self._words = self._words.filter(pa.array(present))

    def _find(self, value: Cell) -> int | None:
        """The code of ``value`` if it is a distinct value. The first few texts looked up are found
        by scanning the list, far cheaper than building the index of a column of a million texts for
        one value; a text equals no other value, so the one found is the index's. (Numbers are not
        scanned: a sheet's True and 1.0 are two distinct values equal in Python.)"""
        if self._index is None and value.__class__ is str and self._searches < SEARCHES_BEFORE_INDEX:
            self._searches += 1
            try:
                return self.uniques.index(value)
            except ValueError:
                return None
        return self.index.get(value)

    def code(self, value: Cell) -> int:
        """The code of ``value``, added to the distinct values if new."""
        self._compact()
        found = self._find(value)
        if found is None:
            if not self._owned:
                self.uniques, self._owned = list(self.uniques), True
                self._index = None if self._index is None else dict(self._index)
            found = len(self.uniques)
            self.uniques.append(value)
            if self._index is not None:
                self._index[value] = found
            self._is_text = self._forms = self._words = None
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

    def _text_mask(self) -> np.ndarray:
        """Which distinct values are text (str)."""
        self._compact()
        if self._is_text is None:
            kinds = map(type, self.uniques)
            self._is_text = np.fromiter(map(operator.is_, kinds, itertools.repeat(str)), bool, len(self.uniques))
        return self._is_text

    def _text_codes(self) -> list[int]:
        """The codes of the distinct values that are text."""
        return np.flatnonzero(self._text_mask()).tolist()

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

    def word_flags(
        self,
        prefixes: Sequence[str],
        suffixes: Sequence[str] = (),
        bounded: Sequence[str] = (),
        rows: np.ndarray | None = None,
    ) -> np.ndarray:
        """Rows holding text whose word form (``contract.normalize_word``) starts with one of
        ``prefixes``, ends with one of ``suffixes`` or is a ``bounded`` word (texts.starts_with);
        computed for all distinct texts at once. With ``rows`` (a mask), only those rows can be
        found, and only their texts are searched: the few rows of a column of sentences that
        decide a footer."""
        wanted = self._text_mask()
        words = self._word_forms()
        if rows is None:
            return (texts.starts_with(words, prefixes, suffixes, bounded) & wanted)[self.codes]
        wanted = wanted & (np.bincount(self.codes[rows], minlength=len(self.uniques)) > 0)
        at = np.flatnonzero(wanted)
        found = np.zeros(len(self.uniques), dtype=bool)
        found[at] = texts.starts_with(words.take(pa.array(at)), prefixes, suffixes, bounded)
        return found[self.codes] & rows

    def _word_forms(self) -> pa.Array:
        """``contract.normalize_word`` of each distinct value ("" where not text)."""
        if self._words is None:
            if self._forms is not None:
                self._words = self._forms.words(self.uniques)
            else:  # the texts only: a column of numbers holds few
                codes = np.flatnonzero(self._text_mask())
                positions = np.full(len(self.uniques), len(codes), dtype=np.int64)
                positions[codes] = np.arange(len(codes))
                found = texts.words([self.uniques[c] for c in codes.tolist()])
                self._words = pa.concat_arrays([found, pa.array([""], pa.string())]).take(pa.array(positions))
        return self._words

    def nonempty(self) -> np.ndarray:
        """Rows whose cell is not the empty text (blank)."""
        self._compact()
        if self._index is not None:
            empty = self._index.get(EMPTY)
        else:  # found among the texts, without building the index: a column of a million needs none
            uniques = self.uniques
            empty = next((code for code in self._text_codes() if not uniques[code]), None)
        return np.ones(len(self.codes), dtype=bool) if empty is None else self.codes != empty

    def take(self, rows: np.ndarray | slice) -> Column:
        """The rows selected by a mask, an index array or a slice; they share the distinct values,
        and what was worked out for them, until a parser asks for them."""
        taken = Column(self.codes[rows], self.uniques, self._index, sparse=True, forms=self._forms)
        taken._is_text, taken._words = self._is_text, self._words
        return taken

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


class Encoder:
    """Turns parsed parts, one after another, into per-column codes.

    A part parsed by calamine comes as rows of Python values, coded at once through a
    dict per column. A part read by read.plain comes as arrays: shared-string entries
    and numbers are kept as arrays and coded together at the end (``grid``), without a
    Python object per cell; the values read.xlsx resolved (dates) are coded through
    the dict. Codes follow first appearance down the column, the empty cell first, as
    one dict over the whole column would give them."""

    def __init__(self) -> None:
        self.maps: list[collections.defaultdict[Cell, int]] = []
        self.pieces: list[list[tuple[int | np.ndarray, np.ndarray]]] = []  # (first row or rows, codes)
        self.texts: list[list[tuple[np.ndarray, np.ndarray]]] = []  # (rows, shared-string entries)
        self.numbers: list[list[tuple[np.ndarray, np.ndarray]]] = []  # (rows, numbers)
        self.height = 0

    def _column(
        self, index: int
    ) -> tuple[collections.defaultdict[Cell, int], list[tuple[int | np.ndarray, np.ndarray]]]:
        while len(self.maps) <= index:
            codes: collections.defaultdict[Cell, int] = collections.defaultdict()
            codes.default_factory = codes.__len__  # a new value gets the next code
            codes[EMPTY] = 0
            self.maps.append(codes)
            self.pieces.append([])
            self.texts.append([])
            self.numbers.append([])
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

    def add_blocks(self, blocks: list[Block], values: list[Cell]) -> None:
        """A part read by read.plain, split by ``blocks`` (see there); ``values``: what the
        keys of its ``OTHER`` cells stand for."""
        for column, kind, rows, payload in blocks:
            codes, pieces = self._column(column)
            if kind == TEXT:
                self.texts[column].append((rows, payload))
            elif kind == NUMBER:
                self.numbers[column].append((rows, payload))
            else:
                used, first, inverse = np.unique(payload, return_index=True, return_inverse=True)
                coded = np.empty(len(used), np.int32)
                for k in np.argsort(first).tolist():  # codes in the order the values appear down the column
                    coded[k] = codes[values[int(used[k])]]
                pieces.append((rows, coded[inverse]))
            self.height = max(self.height, int(rows[-1]) + 1)

    def grid(self, strings: Callable[[int], list[str]] | None = None, *, tagged: bool = False) -> Grid:
        """The grid; ``strings(n)`` gives the shared-string table (at least n entries) that
        entries and (``tagged``) tagged texts point into."""
        columns = []
        for codes, pieces, texts_, numbers in zip(self.maps, self.pieces, self.texts, self.numbers, strict=True):
            array = np.zeros(self.height, dtype=np.int32)
            for rows, piece in pieces:
                if isinstance(rows, int):
                    array[rows : rows + len(piece)] = piece
                else:
                    array[rows] = piece
            uniques, index = list(codes), dict(codes)
            if texts_ or numbers:
                array, uniques, index = _merge(array, pieces, uniques, texts_, numbers, strings, tagged)
            elif tagged and strings is not None:
                array, uniques, index = _untag(array, uniques, strings)
            columns.append(Column(array, uniques, index))
        return Grid(columns, self.height)


TEXT, NUMBER, OTHER = 0, 1, 2
Block = tuple[int, int, np.ndarray, np.ndarray]  # column, kind, rows (top to bottom), entries / numbers / keys


def blocks(
    row: np.ndarray, column: np.ndarray, text: np.ndarray, index: np.ndarray, number: np.ndarray, other: np.ndarray
) -> list[Block]:
    """Cells as read.plain gives them (row by row), split by column and kind: a shared-string
    entry (``TEXT``, where ``text``), a value read by calamine (``OTHER``, where ``other >= 0``:
    its key), else a number. Pure numpy: done on the thread that read the part."""
    if not len(row):
        return []
    kind = np.where(text, TEXT, np.where(other >= 0, OTHER, NUMBER))
    order = np.argsort(column.astype(np.int64) * 3 + kind, kind="stable")  # top to bottom within each
    column, kind, row = column[order], kind[order], row[order].astype(np.int32)
    bounds = np.flatnonzero((np.diff(column) != 0) | (np.diff(kind) != 0)) + 1
    found = []
    for start, stop in zip(np.r_[0, bounds].tolist(), np.r_[bounds, len(order)].tolist(), strict=True):
        sort, what = order[start:stop], int(kind[start])
        payload = index[sort].astype(np.int32) if what == TEXT else number[sort] if what == NUMBER else other[sort]
        found.append((int(column[start]), what, row[start:stop], payload))
    return found


def _resolved(uniques: list[Cell], strings: Callable[[int], list[str]]) -> list[Cell]:
    """The values with each tagged text replaced by its entry in the shared-string table."""
    table = strings(0)
    try:  # read.xlsx let no index below zero through
        return [table[int(v[1:])] if v.__class__ is str and v[:1] == TAG else v for v in uniques]
    except IndexError:  # past the table as first read: read it to the last index used
        last = max(int(v[1:]) for v in uniques if v.__class__ is str and v[:1] == TAG)
        table = strings(last + 1)
        return [table[int(v[1:])] if v.__class__ is str and v[:1] == TAG else v for v in uniques]


def _untag(
    codes: np.ndarray, uniques: list[Cell], strings: Callable[[int], list[str]]
) -> tuple[np.ndarray, list[Cell], dict[Cell, int] | None]:
    """A column's tagged distinct values looked up in the shared-string table; two values that
    turn out equal (a table may repeat a text) become one code."""
    resolved = _resolved(uniques, strings)
    if len(set(resolved)) == len(resolved):
        return codes, resolved, None  # the index is built when asked for: most columns never are
    index: dict[Cell, int] = {}
    remap = np.fromiter((index.setdefault(value, len(index)) for value in resolved), np.int32, len(resolved))
    return remap[codes], list(index), index


def _distinct(pieces: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Rows, each row's distinct-value number, the distinct values and the first row of each."""
    rows = np.concatenate([r for r, _ in pieces])
    values = np.concatenate([v for _, v in pieces])
    found, first, inverse = np.unique(values, return_index=True, return_inverse=True)
    return rows, inverse, found, rows[first]


def _merge(
    array: np.ndarray,
    pieces: list[tuple[int | np.ndarray, np.ndarray]],
    uniques: list[Cell],
    texts_: list[tuple[np.ndarray, np.ndarray]],
    numbers: list[tuple[np.ndarray, np.ndarray]],
    strings: Callable[[int], list[str]] | None,
    tagged: bool,
) -> tuple[np.ndarray, list[Cell], dict[Cell, int] | None]:
    """One column's codes from its dict-coded values, shared-string entries and numbers: equal
    values become one code, in the order of their first row."""
    first = np.full(len(uniques), np.iinfo(np.int64).max, np.int64)
    first[0] = -1  # the empty cell keeps code 0
    for rows, piece in pieces:
        at = np.arange(rows, rows + len(piece)) if isinstance(rows, int) else rows
        np.minimum.at(first, piece, at)
    values = _resolved(uniques, strings) if tagged and strings is not None else list(uniques)
    firsts = [first]
    placed: list[tuple[np.ndarray, np.ndarray, int]] = []  # rows, distinct-value numbers, offset
    texts_end = len(values)
    for kind in (texts_, numbers):
        if not kind:
            continue
        rows, inverse, found, first_rows = _distinct(kind)
        placed.append((rows, inverse, len(values)))
        if kind is texts_:
            table = strings(int(found[-1]) + 1) if strings is not None else []
            values += [table[i] for i in found.tolist()]
            texts_end = len(values)
        else:
            values += found.tolist()
        firsts.append(first_rows)
    order = np.argsort(np.concatenate(firsts), kind="stable")
    code = np.empty(len(values), np.int32)
    index: dict[Cell, int] | None = None
    if _distinct_values(values, len(uniques), texts_end):
        code[order] = np.arange(len(values), dtype=np.int32)
        found_values = [values[at] for at in order.tolist()]
    else:
        index = {}
        for at in order.tolist():
            code[at] = index.setdefault(values[at], len(index))
        found_values = list(index)
    array = code[array]
    for rows, inverse, offset in placed:
        array[rows] = code[offset + inverse]
    return array, found_values, index


def _distinct_values(values: list[Cell], objects: int, texts_end: int) -> bool:
    """Whether no two of a column's values are equal: the dict-coded ``values[:objects]`` are
    distinct already, the numbers after ``texts_end`` too, the entries' texts between them
    may repeat (a table may). The cheap common case: a column of unique sentences, or of
    serial numbers."""
    coded, entries, numbers = values[:objects], values[objects:texts_end], values[texts_end:]
    seen = set(entries)
    if len(seen) != len(entries) or any(value in seen for value in coded if value.__class__ is str):
        return False
    if numbers:
        seen = set(numbers)
        return not any(value in seen for value in coded if value.__class__ is not str)
    return True


def merge_array(merges: Sequence[Merge]) -> np.ndarray:
    return np.array([(r0, c0, r1, c1) for (r0, c0), (r1, c1) in merges], dtype=np.int64).reshape(-1, 4)


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
