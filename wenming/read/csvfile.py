"""CSV text as the rows of one sheet, read as Excel reads a CSV it opens.

Offices export CSV from other systems, usually in GBK (what Excel writes on a Chinese
Windows), sometimes UTF-8 with or without a byte-order mark, and Excel's "Unicode text"
is UTF-16 with tabs. The encoding is found from the bytes, the delimiter (comma or tab)
from the first lines. Each cell is then typed as Excel types it when it opens the file:
a plain number is a number, ``60%`` the fraction 0.6, ``2026-06-30`` or ``2026/6/30`` a
date, TRUE/FALSE a truth value, everything else text as written.

Only the standard library is used: this runs inside the parsing sandbox (``read.child``).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
from collections.abc import Iterator

FIELD_LIMIT = 1024 * 1024  # characters in one cell: Excel's own limit is 32,767
DELIMITERS = (",", "\t")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_PERCENT = re.compile(r"(-?(?:0|[1-9]\d*)(?:\.\d+)?)%")
_DATE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")


class CsvError(Exception):
    """CSV text that cannot be read: ``code`` is the refusal's message code."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def decode(data: bytes) -> str:
    """The text of the file: a byte-order mark decides, else UTF-8 if it is valid, else GB18030
    (a superset of GBK and GB2312); bytes valid in neither are refused."""
    if data.startswith(codecs.BOM_UTF8):
        encodings: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise CsvError("csv_encoding")


def delimiter(text: str) -> str:
    """Tab when the first lines hold more tabs than commas, else comma."""
    head = text[:65_536]
    return "\t" if head.count("\t") > head.count(",") else ","


def typed(cell: str) -> object:
    """A cell as Excel reads it from CSV text."""
    value = cell.strip()
    if not value:
        return ""
    if _NUMBER.fullmatch(value):
        return float(value)
    found = _PERCENT.fullmatch(value)
    if found:
        return float(found.group(1) + "e-2")  # as Excel reads "91.8%": 0.918, not 91.8 / 100 = 0.9179999…
    found = _DATE.fullmatch(value)
    if found:
        return _date(found) or cell
    upper = value.upper()
    if upper in ("TRUE", "FALSE"):
        return upper == "TRUE"
    return cell


def _date(found: re.Match[str]) -> dt.date | None:
    year, month, day, hour, minute, second = (int(g) if g else None for g in found.groups())
    try:
        if hour is None:
            return dt.date(year, month, day)  # type: ignore[arg-type]
        return dt.datetime(year, month, day, hour, minute or 0, second or 0)  # type: ignore[arg-type]
    except ValueError:
        return None


def rows(data: bytes) -> Iterator[list[str]]:
    """The rows of the file as written (``typed`` gives each cell's value); raises CsvError for text no
    spreadsheet would write. The text is fed to the csv module line by line, so no copy of it is made."""
    text = decode(data)
    csv.field_size_limit(FIELD_LIMIT)
    reader = csv.reader(_lines(text), delimiter=delimiter(text))
    try:
        yield from reader
    except csv.Error:
        raise CsvError("csv_field", row=reader.line_num, limit_kb=FIELD_LIMIT // 1024) from None


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their endings (a quoted cell may go on over several)."""
    start, end = 0, len(text)
    while start < end:
        stop = text.find("\n", start)
        stop = end if stop < 0 else stop + 1
        yield text[start:stop]
        start = stop
