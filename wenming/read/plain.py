"""The cells of sheet XML in the plain form, read with numpy instead of calamine.

Excel, WPS and openpyxl write a tracker's cells in one form:
``<c r="B7" s="3" t="s"><v>12</v></c>`` (a shared string), ``<c r="A7"><v>5</v></c>``
(a number), ``<c r="C7" t="inlineStr"><is><t>…</t></is></c>`` (an inline string),
``<c r="C7" s="3"/>`` (a styled blank). A sheet, or a part of a large one, in which every
cell has that form is read here with a few passes of numpy over its bytes: several times
less work than calamine's parse, its Python objects and their hashing. Any other form (a
formula, a boolean or error, attributes in another order, a namespace prefix, a comment)
makes ``read`` return None and the XML goes to calamine as before; both readings give the
same grid (tests/test_plain.py).

What only calamine knows stays with it (read.xlsx asks it once per distinct value): the
text of an inline string, and of a shared-string entry in any form but ``<t>text</t>``
(``shared_strings``); what a number in a date style is (a date, a time, a duration).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from wenming.read.measure import column_letters_at, leading_digits

_PAD = b"\0" * 32
_DIGIT = np.full(256, -1, np.int64)  # byte -> 0..9 for 0..9
_DIGIT[48:58] = np.arange(10)
_NUMBER_BYTE = np.zeros(256, bool)  # what a number's text may hold: both parsers read it alike
_NUMBER_BYTE[list(b"0123456789.eE+-")] = True
# The elements sheet data in the plain form holds, by the two bytes after their '<':
# <row, <c , <v>, and the closing </row>, </c>, </v>, </sheetData>. Anything else (a formula,
# an inline string, a comment, a namespace prefix, which calamine ignores) is left to calamine.
_PLAIN_TAG = np.zeros((256, 256), bool)
for _tag in (b"ro", b"c ", b"v>", b"/r", b"/c", b"/v", b"/s"):
    _PLAIN_TAG[_tag[0], _tag[1]] = True
NUMBER_WIDTH = 32  # a longer number text is left to calamine
COLUMNS = 16_384


@dataclass(frozen=True)
class Cells:
    """The valued cells of a part, in the order written (row by row, left to right).

    Cell i is a shared string when ``text[i]`` (``index[i]`` its entry), an inline string
    when ``inline[i] >= 0`` (its XML, between <is> and </is>, is ``raws[inline[i]]``), else a
    number, ``number[i]``, in style ``style[i]`` (-1: no s attribute). ``rows`` and
    ``columns``: the last row and column holding a cell, valued or blank (1-based, as guard
    measures them)."""

    row: np.ndarray  # 0-based
    column: np.ndarray  # 0-based
    text: np.ndarray
    index: np.ndarray
    inline: np.ndarray
    raws: list[bytes]
    number: np.ndarray
    style: np.ndarray
    rows: int
    columns: int

    @property
    def numeric(self) -> np.ndarray:
        return ~self.text & (self.inline < 0)


def read(xml: bytes) -> Cells | None:
    """The cells of ``xml`` (a worksheet document), or None when some cell is not in the plain form."""
    body, end = xml.find(b"<sheetData>"), xml.rfind(b"</sheetData>")
    if body < 0 or end < body:
        return None
    n = len(xml)
    a = np.frombuffer(xml + _PAD, np.uint8)
    lt = np.flatnonzero(a[:n] == 60)
    lt = lt[np.searchsorted(lt, body + 1) : np.searchsorted(lt, end + 1)]
    closes = np.zeros(0, np.int64)
    if b"<is>" in xml:
        found = _outside_inline(a, lt)
        if found is None:
            return None
        lt, closes = found
    second, third = a[lt + 1], a[lt + 2]
    if not _PLAIN_TAG[second, third].all():
        return None
    cell = np.flatnonzero((second == 99) & (third == 32))  # "<c ": its number among the '<'
    start = lt[cell]
    if not ((a[start + 3] == 114) & (a[start + 4] == 61) & (a[start + 5] == 34)).all():  # r="
        return None
    reference = _reference(a, start + 6)
    if reference is None:
        return None
    row, column, at = reference
    style = np.full(len(start), -1, np.int64)
    kind = np.zeros(len(start), np.uint8)  # 0: none, 1: t="s", 2: t="n", 3: t="inlineStr"
    for _ in range(2):  # s="…" and t="…", in either order
        at = _attribute(a, at, style, kind)
        if at is None:
            return None
    blank = ((a[at] == 47) & (a[at + 1] == 62)) | ((a[at] == 32) & (a[at + 1] == 47) & (a[at + 2] == 62))  # "/>", " />"
    valued = (a[at] == 62) & (a[at + 1] == 60) & (a[at + 2] == 118) & (a[at + 3] == 62)  # "><v>"
    inline = (a[at] == 62) & (a[at + 1] == 60) & (a[at + 2] == 105) & (a[at + 3] == 115) & (a[at + 4] == 62)
    if not (blank | (valued & (kind != 3)) | (inline & (kind == 3))).all():
        return None
    rows, columns = (int(row.max()), int(column.max())) if len(row) else (0, 0)
    keep = np.flatnonzero(~blank)
    row, column, style, kind, at, inline = row[keep], column[keep], style[keep], kind[keep], at[keep], inline[keep]
    cell = cell[keep]
    order = row * COLUMNS + column
    if len(order) > 1 and not (order[1:] > order[:-1]).all():
        return None  # cells out of order or written twice: calamine decides which one counts
    text = kind == 1
    index = np.zeros(len(row), np.int64)
    number = np.zeros(len(row), np.float64)
    first = at + 4
    last = np.append(lt, (n, n))[cell + 2]  # after <c …> and <v>: the '<' of "</v></c>"
    valued = ~inline
    if not (last[valued] > first[valued]).all() or not _followed(a, last[valued], b"</v></c>"):
        return None
    if text.any():
        digits = _digits(a, first[text], last[text], 9)
        if digits is None:
            return None
        index[text] = digits
    numeric = valued & ~text
    if numeric.any():
        parsed = _numbers(a, first[numeric], last[numeric])
        if parsed is None:
            return None
        number[numeric] = parsed
    keys = np.full(len(row), -1, np.int64)
    raws: list[bytes] = []
    if inline.any():
        first = at[inline] + 5
        last = closes[np.searchsorted(closes, first)]
        if not _followed(a, last, b"</is></c>"):
            return None
        keys[inline], raws = _distinct_spans(xml, first, last)
    return Cells(row - 1, column - 1, text, index, keys, raws, number, style, rows, columns)


def _outside_inline(a: np.ndarray, lt: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """The '<' of sheet data outside inline strings (<is>…</is>: rich text, any markup), and
    the position of each </is>; None when they do not pair up."""
    opens = lt[(a[lt + 1] == 105) & (a[lt + 2] == 115) & (a[lt + 3] == 62)]  # <is>
    closes = lt[(a[lt + 1] == 47) & (a[lt + 2] == 105) & (a[lt + 3] == 115) & (a[lt + 4] == 62)]  # </is>
    if not len(opens) and not len(closes):
        return lt, closes
    if len(opens) != len(closes) or not (opens < closes).all() or not (closes[:-1] < opens[1:]).all():
        return None
    pair = np.searchsorted(opens, lt, "right") - 1
    inside = (pair >= 0) & (lt <= closes[np.maximum(pair, 0)])
    return lt[~inside], closes


def _followed(a: np.ndarray, at: np.ndarray, expected: bytes) -> bool:
    """Whether ``expected`` stands at each position."""
    return all((a[at + i] == ch).all() for i, ch in enumerate(expected))


def _distinct_spans(xml: bytes, first: np.ndarray, last: np.ndarray) -> tuple[np.ndarray, list[bytes]]:
    """The distinct xml[first:last] (in Arrow, no Python object per cell) and each span's number."""
    coded = pc.dictionary_encode(_spans(xml, first, last))
    return coded.indices.to_numpy(zero_copy_only=False).astype(np.int64), coded.dictionary.to_pylist()


def _reference(a: np.ndarray, at: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Row and column (1-based) of each r="B7", and the position after its closing quote."""
    column, letters = column_letters_at(a, at)
    digits_at = at + letters
    row, end = _number_before_quote(a, digits_at, 7)
    if row is None or not ((letters >= 1) & (letters <= 3) & (column <= COLUMNS) & (a[digits_at] != 48)).all():
        return None
    return row, column, end + 1


def _attribute(a: np.ndarray, at: np.ndarray, style: np.ndarray, kind: np.ndarray) -> np.ndarray | None:
    """Read one ` s="3"` or ` t="s"` where a cell has one at ``at``; the position after it."""
    has = (a[at] == 32) & (a[at + 1] != 47)  # not the space of openpyxl's " />"
    if not has.any():
        return at
    name = a[at + 1]
    if not ((~has) | ((a[at + 2] == 61) & (a[at + 3] == 34) & ((name == 115) | (name == 116)))).all():
        return None
    after = at.copy()
    is_style = np.flatnonzero(has & (name == 115))
    if len(is_style):
        value, end = _number_before_quote(a, at[is_style] + 4, 6)
        if value is None:
            return None
        style[is_style] = value
        after[is_style] = end + 1
    is_type = np.flatnonzero(has & (name == 116))
    if len(is_type):
        first = at[is_type] + 4
        letter = a[first]
        one = (a[first + 1] == 34) & ((letter == 115) | (letter == 110))
        inline = np.all([a[first + i] == ch for i, ch in enumerate(b'inlineStr"')], axis=0)
        if not (one | inline).all():
            return None  # t="str", "b", "e", "d": calamine reads those
        kind[is_type] = np.where(inline, 3, np.where(letter == 115, 1, 2))
        after[is_type] = np.where(inline, first + 10, first + 2)
    return after


def _number_before_quote(a: np.ndarray, first: np.ndarray, most: int) -> tuple[np.ndarray | None, np.ndarray]:
    """The decimal number of 1..most digits at each position, closed by a quote, and the quote's position."""
    value, width = leading_digits(a, first, most)
    end = first + width
    if not ((width >= 1) & (a[end] == 34)).all():
        return None, end
    return value, end


def _digits(a: np.ndarray, first: np.ndarray, last: np.ndarray, most: int) -> np.ndarray | None:
    """The decimal number in a[first:last] for each cell, or None unless each is 1..most digits."""
    width = last - first
    if len(width) and not ((width >= 1) & (width <= most)).all():
        return None
    value = np.zeros(len(first), np.int64)
    for i in range(int(width.max()) if len(width) else 0):
        inside = i < width
        digit = _DIGIT[a[first + i]]
        if not ((digit >= 0) | ~inside).all():
            return None
        value = np.where(inside, value * 10 + digit, value)
    return value


def _numbers(a: np.ndarray, first: np.ndarray, last: np.ndarray) -> np.ndarray | None:
    """The number each cell's text holds, as calamine parses it (both round correctly)."""
    value, width = leading_digits(a, first, 15)  # 15 digits or fewer: the float is that integer, exactly
    whole = (width >= 1) & (width == last - first)
    if whole.all():
        return value.astype(np.float64)
    found = value.astype(np.float64)
    other = _fractions(a, first[~whole], last[~whole])
    if other is None:
        return None
    found[~whole] = other
    return found


def _fractions(a: np.ndarray, first: np.ndarray, last: np.ndarray) -> np.ndarray | None:
    """Numbers in any other form, parsed by numpy as by calamine (both round correctly)."""
    width = last - first
    if not (width <= NUMBER_WIDTH).all():
        return None
    span = int(width.max())
    grid = first[:, None] + np.arange(span)
    inside = np.arange(span) < width[:, None]
    chars = np.where(inside, a[grid], 0).astype(np.uint8)
    if not (_NUMBER_BYTE[chars] | ~inside).all():
        return None
    try:
        return np.ascontiguousarray(chars).view(f"S{span}").ravel().astype(np.float64)
    except ValueError:  # "1-2", "e5", "..": calamine's to judge
        return None


_PRESERVE = b'<t xml:space="preserve">'
_XML_SPACE = np.zeros(256, bool)  # what calamine trims from a text not marked xml:space="preserve"
_XML_SPACE[list(b" \t\r\n")] = True


def shared_strings(xml: bytes) -> tuple[list[str | None], list[int], list[bytes]] | None:
    """The shared-string table: each entry's text where it is plain (``<si><t>text</t></si>``, the
    text without an entity, a carriage return, an ``_x…_`` escape or white space calamine would
    trim), else None; the numbers of the other entries and their XML, for calamine to read.
    None when the table itself is in another form (prefixed, entries with attributes or empty)."""
    n = len(xml)
    a = np.frombuffer(xml + _PAD, np.uint8)
    lt = np.flatnonzero(a[:n] == 60)
    second, third, fourth = a[lt + 1], a[lt + 2], a[lt + 3]
    entry = (second == 115) & (third == 105)  # "<si"
    opens = np.flatnonzero(entry & (fourth == 62))  # "<si>", as numbers among the '<'
    if len(opens) != int(entry.sum()) or not len(opens):
        return None
    closes = np.flatnonzero((second == 47) & (third == 115) & (fourth == 105) & (a[lt + 4] == 62))  # "</si>"
    if len(closes) != len(opens) or not (opens < closes).all() or not (closes[:-1] < opens[1:]).all():
        return None
    start, end = lt[opens] + 4, lt[closes]
    simple = closes - opens == 3  # <si>, <t…>, </t> and </si>: one run of text
    tag = lt[np.minimum(opens + 1, len(lt) - 1)]
    bare = (tag == start) & (a[tag + 1] == 116) & (a[tag + 2] == 62)
    preserve = (tag == start) & np.all([a[tag + i] == ch for i, ch in enumerate(_PRESERVE)], axis=0)
    first = np.where(bare, tag + 3, tag + len(_PRESERVE))
    last = lt[np.minimum(opens + 2, len(lt) - 1)]
    simple &= (bare | preserve) & (last + 4 == end) & _ends(a, last, b"</t>") & (last >= first)
    filled = last > first
    simple &= preserve | ~filled | ~(_XML_SPACE[a[first]] | _XML_SPACE[a[np.maximum(last - 1, 0)]])
    odd = np.flatnonzero((a[:n] == 38) | (a[:n] == 13) | ((a[:n] == 95) & (a[1 : n + 1] == 120)))  # & \r _x
    if len(odd):
        simple[np.searchsorted(start, odd, "right") - 1] = False
    texts: list[str | None] = [None] * len(start)
    at = np.flatnonzero(simple)
    if len(at):
        try:
            found = _spans(xml, first[at], last[at]).cast(pa.large_string()).to_pylist()
        except pa.ArrowInvalid:  # not UTF-8: calamine's to read
            return None
        for i, text in zip(at.tolist(), found, strict=True):
            texts[i] = text
    rest = np.flatnonzero(~simple).tolist()
    return texts, rest, [xml[start[i] : end[i]] for i in rest]


def _ends(a: np.ndarray, at: np.ndarray, expected: bytes) -> np.ndarray:
    return np.all([a[at + i] == ch for i, ch in enumerate(expected)], axis=0)


def _spans(xml: bytes, first: np.ndarray, last: np.ndarray) -> pa.LargeBinaryArray:
    """xml[first:last] for each span, in Arrow."""
    bounds = np.empty(2 * len(first), np.int64)
    bounds[0::2], bounds[1::2] = first, last
    spans = pa.LargeBinaryArray.from_buffers(
        pa.large_binary(), len(bounds) - 1, [None, pa.py_buffer(bounds), pa.py_buffer(xml)]
    )  # each span, then the markup up to the next one
    return spans.take(pa.array(np.arange(0, len(bounds), 2)))
