"""What a file really is, whatever its name says, and its sheets in one form for the reader.

``identify`` looks only at the bytes: a zip is an .xlsx/.xlsm (its package
relationships lead to a workbook), an .xlsb (a binary workbook part), an .ods (its
mimetype) or something else (a Word, PowerPoint or Numbers file); an OLE2 compound
file is an .xls or a WPS .et (both BIFF8 workbooks), a password-protected workbook, or
a Word or PowerPoint file; text is CSV, or a web page or XML spreadsheet that some
systems save as "Excel". What cannot be read is refused with one sentence saying what
it is and what to do.

``open_book`` gives every format the same list of sheets: an .xlsx is read here, each
sheet measured before calamine parses it (``read.xlsx``); the other formats cannot be
measured before parsing and are parsed in the sandbox (``read.sandbox``).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from python_calamine import CalamineSheet, CalamineWorkbook

from wenming.read import guard, sandbox, xlsx
from wenming.read.grid import Grid
from wenming.read.guard import MB, ZIP_MAGIC, Limits, Refused
from wenming.read.measure import SheetShape

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
NOTES = {"macro": "sheet_macro", "dialog": "sheet_dialog"}  # sheets skipped with a note (warn.*)

Read = Callable[[], tuple[Grid, np.ndarray, SheetShape]]


@dataclass
class SheetSource:
    """A sheet of any format: ``read`` gives its cells, merged ranges and measured shape."""

    name: str
    visible: bool
    note: str | None  # a sheet skipped with this note (a macro or dialog sheet); None: a worksheet
    read: Read


# ---------------------------------------------------------------- what the file is


def identify(data: bytes, file_name: str, limits: Limits) -> tuple[str, zipfile.ZipFile | None]:
    """The format to read the file as (xlsx, xlsb, ods, xls or csv), and for an .xlsx its checked
    package, opened; raises Refused for what cannot be read."""
    if len(data) == 0:
        raise Refused(file_name, "empty_file")
    if len(data) > limits.file_bytes:
        raise Refused(file_name, "too_large", limit_mb=limits.file_bytes // MB)
    if data.startswith(OLE_MAGIC):
        return _ole(data, file_name), None
    if data.startswith(ZIP_MAGIC):
        return _package(data, file_name, limits)
    code = _not_a_zip(data, file_name)
    if code != "csv":
        raise Refused(file_name, code)
    return "csv", None


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _ole(data: bytes, file_name: str) -> str:
    """An OLE2 compound file by the stream names in its directory (UTF-16 names; no chain is followed)."""
    if _utf16("EncryptedPackage") in data:
        raise Refused(file_name, "encrypted")  # an .xlsx with an open password
    if _utf16("Workbook") in data or _utf16("Book") in data:
        return "xls"  # Excel 97-2003 and WPS .et: BIFF8 (Book: BIFF5, Excel 5/95)
    if _utf16("WordDocument") in data:
        raise Refused(file_name, "word")
    if _utf16("PowerPoint Document") in data:
        raise Refused(file_name, "powerpoint")
    return "xls"  # no stream name found: most likely an .xls cut short, which the parser will say


def _package(data: bytes, file_name: str, limits: Limits) -> tuple[str, zipfile.ZipFile | None]:
    """A zip: checked from its directory first (guard.check_package), then named by its parts; an
    .xlsx is checked whole (guard.check_workbook) and returned open."""
    archive = guard.check_package(data, file_name, limits)
    try:
        names = archive.NameToInfo
        for name in ("_rels/.rels", "mimetype"):
            if name in names:
                guard.verify_member(archive, names[name])
        workbook = guard.workbook_part(archive)
        if workbook is not None and workbook.lower().endswith(".bin"):
            return "xlsb", None
        if workbook is not None:
            guard.check_workbook(archive, file_name)
            return "xlsx", archive
        if "mimetype" in names and b"opendocument.spreadsheet" in archive.read("mimetype")[:200]:
            return "ods", None
    except Refused:
        raise
    except guard.Rejected as rejected:
        raise rejected.refused(file_name) from None
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, guard.SafeTree.ParseError):
        raise Refused(file_name, "corrupt") from None
    raise Refused(file_name, _other_package(set(names)))


def _other_package(names: set[str]) -> str:
    """The refusal code of a zip that is no spreadsheet we read."""
    if "word/document.xml" in names:
        return "word"
    if "ppt/presentation.xml" in names:
        return "powerpoint"
    if any(name.startswith("Index/") and name.endswith(".iwa") for name in names) or "Index.zip" in names:
        return "numbers"
    if "mimetype" in names:
        return "opendocument"  # an OpenDocument text or presentation
    return "not_excel"


IMAGES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")


TEXT_SUFFIXES = (".csv", ".txt", ".tsv")


def _not_a_zip(data: bytes, file_name: str) -> str:
    """csv for text a spreadsheet program would read as CSV (named as text, or with a comma or tab in
    its first line); else the refusal code of what it is."""
    if data.startswith(IMAGES) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return "image"
    if data.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if data.startswith(b"{\\rtf"):
        return "rtf"
    head = _text_head(data[:65_536])
    named_text = file_name.lower().endswith(TEXT_SUFFIXES)
    if head is None:  # text in an encoding CSV does not come in: read.csvfile says so in its words
        return "csv" if named_text and _printable(data[:65_536]) else "not_excel"
    lowered = head.lstrip().lower()
    if lowered.startswith("mime-version:") or "content-type: multipart/related" in lowered[:2048]:
        return "html"  # a single-file web page (.mht), as Excel's "save as web page" writes it
    if lowered.startswith(("<html", "<!doctype html", "<table")) or "<html" in lowered[:1024]:
        return "html"  # many systems export a web page and call it an Excel file
    if lowered.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in lowered[:4096]:
        return "xml_spreadsheet"  # Excel 2003's XML Spreadsheet
    if lowered.startswith("<"):
        return "not_excel"
    first = next((line for line in head.splitlines() if line.strip()), "")
    return "csv" if named_text or any(sep in first for sep in ",\t，") else "not_excel"


def _text_head(head: bytes) -> str | None:
    """The start of the file as text, if it is text in an encoding CSV comes in (None: binary)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = head[: len(head) // 2 * 2].decode("utf-16")
        except UnicodeDecodeError:
            return None
    else:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = head.decode(encoding)
                break
            except UnicodeDecodeError as error:
                if error.start >= len(head) - 4:  # a character cut at the end of the sample
                    text = head[: error.start].decode(encoding)
                    break
        else:
            return None
    controls = sum(1 for ch in text if ch < " " and ch not in "\t\r\n")
    return None if "\x00" in text or controls > len(text) // 100 else text


def _printable(head: bytes) -> bool:
    """Bytes that look like text in some 8-bit encoding: no NUL, hardly any control bytes."""
    controls = sum(head.count(bytes([byte])) for byte in range(32) if byte not in (9, 10, 13))
    return b"\x00" not in head and controls <= len(head) // 100


# ---------------------------------------------------------------- the sheets


def open_book(data: bytes, file_name: str, limits: Limits) -> list[SheetSource]:
    """The sheets of the file in workbook order; raises Refused for a file that cannot be read."""
    fmt, archive = identify(data, file_name, limits)
    if archive is None:
        return [_sandboxed(sheet) for sheet in sandbox.parse(data, fmt, file_name, limits)]
    return _xlsx(data, archive, limits)


def _sandboxed(sheet: sandbox.Sheet) -> SheetSource:
    cells, merges = sheet.cells, sheet.merges
    note = None if sheet.type == "worksheet" else NOTES.get(sheet.type, "")
    return SheetSource(sheet.name, sheet.visible, note, lambda: (cells, merges, SheetShape()))


def _xlsx(data: bytes, archive: zipfile.ZipFile, limits: Limits) -> list[SheetSource]:
    """An .xlsx/.xlsm's sheets from its own relationships: calamine opens the whole file only for a
    worksheet whose relationship leads nowhere (it then finds the sheet itself)."""
    book = _LazyBook(data)
    sources = []
    for entry in guard.read_package(archive).sheets:
        if entry.kind == "other":
            continue  # a chart sheet holds no cells
        note = NOTES.get(entry.kind)
        sources.append(SheetSource(entry.name, entry.visible, note, _reader(book, archive, entry.name, limits)))
    return sources


def _reader(book: _LazyBook, archive: zipfile.ZipFile, name: str, limits: Limits) -> Read:
    return lambda: xlsx.read_checked(book, archive, name, limits)


class _LazyBook:
    """calamine's reading of the whole file, opened on first use only."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._book: CalamineWorkbook | None = None

    def get_sheet_by_name(self, name: str) -> CalamineSheet:
        if self._book is None:
            self._book = CalamineWorkbook.from_filelike(io.BytesIO(self._data))
        return self._book.get_sheet_by_name(name)
