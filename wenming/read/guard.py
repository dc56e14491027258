"""Checks a file must pass before any parser reads it (WORKBOOKS.md §6).

``check_file`` looks at the bytes and the zip's directory (a few milliseconds):
the file's name and size, what the content really is (a renamed CSV, picture,
PDF, Word or OpenDocument file, an old .xls, a password-protected workbook),
the declared size and compression ratio of every zip member, member names and
local headers that agree with the directory, and no member overlapping
another. It then decompresses every member except the worksheets, never past
the size the directory declares, and refuses a member whose stream is longer or
shorter than declared, whose checksum is wrong or that declares a DTD.

Worksheets are decompressed by the reader itself through ``MemberReader``, with
the same cap and the same end checks, and each piece of sheet XML is measured by
``measure_sheet`` (last row, last column, formulas without a cached value) before
calamine parses it: calamine lays a sheet out as a dense grid, so two cells at A1
and XFD1048576 would ask it for half a terabyte.

A failed check raises ``Refused`` with a message code; ``wenming.text`` turns it
into one sentence naming the file, what is wrong and what to do. Checks that do
not know the file's name raise ``Rejected``, which the reader turns into ``Refused``.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass

from defusedxml import ElementTree as SafeTree

from wenming import text

MB = 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
MAX_COLUMNS = 16_384  # Excel's last column, XFD


@dataclass(frozen=True)
class Limits:
    """Limits for one uploaded file; the defaults fit a province's largest tracker.

    A tracker of a million tasks (the benchmark's largest) is a 53 MB file whose
    sheet unpacks to 330 MB of XML and spans A1:L1000008 (12.6 million cells); real
    sheets compress 5–10 times, shared strings 3–5 times. See docs/RULES.md §6.
    """

    file_bytes: int = 100 * MB  # .streamlit/config.toml's server.maxUploadSize says the same
    unpacked_bytes: int = 1024 * MB  # all zip members together, as declared
    member_ratio: int = 200  # unpacked / packed, for any member over RATIO_FROM bytes
    members: int = 10_000  # zip members
    sheets: int = 1_000  # per workbook: each is read, and a directory may name one member a thousand times
    rows: int = 1_048_576  # per sheet: Excel's own last row
    cells: int = 20_000_000  # per sheet: rows × columns of its used range, from A1


DEFAULT_LIMITS = Limits()
RATIO_FROM = 1 * MB  # small members (a styles.xml of spaces) may compress better than any sheet


class Refused(Exception):
    """A file the import will not read, with the reason as a message code and its parameters."""

    def __init__(self, file_name: str, code: str, **params: object) -> None:
        super().__init__(file_name, code)
        self.file_name = file_name
        self.code = code
        self.params = params

    def message(self, lang: str | None = None) -> str:
        reason = text.t(f"refused.{self.code}", lang, **self.params)
        return text.t("refused.sentence", lang, file=self.file_name, reason=reason)

    def __str__(self) -> str:
        return self.message()


class Rejected(Exception):
    """A refusal found below the file level (a zip member, a piece of sheet XML); the reader adds the file name."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params

    def refused(self, file_name: str) -> Refused:
        return Refused(file_name, self.code, **self.params)


# ---------------------------------------------------------------- the file


def check_file(data: bytes, file_name: str, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse what is not a readable, reasonably sized .xlsx/.xlsm workbook."""
    lower = file_name.lower()
    if lower.endswith(".xls"):
        raise Refused(file_name, "xls")
    if lower.endswith(".ods"):
        raise Refused(file_name, "ods")
    if not lower.endswith(EXCEL_SUFFIXES):
        raise Refused(file_name, "suffix")
    if len(data) == 0:
        raise Refused(file_name, "empty_file")
    if len(data) > limits.file_bytes:
        raise Refused(file_name, "too_large", limit_mb=limits.file_bytes // MB)
    if data.startswith(OLE_MAGIC):
        # An OLE container is either a password-protected OOXML file or a legacy .xls.
        code = "encrypted" if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00" in data else "xls"
        raise Refused(file_name, code)
    if not data.startswith(ZIP_MAGIC):
        raise Refused(file_name, sniff(data))
    check_zip(data, file_name, limits)


_IMAGES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")


def sniff(data: bytes) -> str:
    """The refusal code for content that is not a zip: a picture, a PDF, a web page, CSV text or unknown."""
    if data.startswith(_IMAGES) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return "image"
    if data.lstrip()[:5] == b"%PDF-":
        return "pdf"
    head = data[:65536]
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            sample = head.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return "not_excel"
    if "\x00" in sample:
        return "not_excel"
    lowered = sample.lstrip().lower()
    if lowered.startswith(("<html", "<!doctype html", "<table")) or "<html" in lowered[:1024]:
        return "html"  # many systems export a web page and call it an Excel file
    lines = [line for line in sample.splitlines() if line.strip()]
    if lines and any(sep in lines[0] for sep in (",", "\t", "，")) and len(lines) >= 2:
        return "csv"
    return "not_excel"


# ---------------------------------------------------------------- the zip


_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_LOCAL = struct.Struct("<4s5H3L2H")  # a local file header: signature ... name length, extra length
_PROLOG_END = re.compile(rb"<[A-Za-z_]")
FIXED_MEMBERS = (  # read by calamine when it opens a workbook, whatever the relationships say
    "[Content_Types].xml",
    "_rels/.rels",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/sharedStrings.xml",
    "xl/styles.xml",
)


def member_count(data: bytes) -> int | None:
    """The number of members the end of central directory record declares (None: no record)."""
    at = data.rfind(_EOCD, max(0, len(data) - 65_536 - 22))
    if at < 0 or at + 22 > len(data):
        return None
    count = struct.unpack_from("<H", data, at + 10)[0]
    locator = at - 20
    if count == 0xFFFF and locator >= 0 and data[locator : locator + 4] == _EOCD64_LOCATOR:
        offset = struct.unpack_from("<Q", data, locator + 8)[0]
        if offset + 56 <= len(data) and data[offset : offset + 4] == b"PK\x06\x06":
            count = struct.unpack_from("<Q", data, offset + 32)[0]
    return count


def check_zip(data: bytes, file_name: str, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a zip that is not an honest, reasonably sized workbook, before any parser reads it."""
    count = member_count(data)
    if count is not None and count > limits.members:
        raise Refused(file_name, "too_many_members", count=count, limit=limits.members)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            _check_names(infos, file_name)
            names = {info.filename for info in infos}
            if "xl/workbook.xml" not in names:
                raise Refused(file_name, _other_package(archive, names))
            _check_members(data, infos, file_name, limits)
            fixed = [archive.getinfo(name) for name in FIXED_MEMBERS if name in names]
            for info in fixed:  # the workbook and its relationships, read next to find the sheets
                verify_member(archive, info)
            sheets = set(sheet_paths(archive).values()) - set(FIXED_MEMBERS)
            for info in infos:
                if info.filename not in sheets and info not in fixed and not info.is_dir():
                    verify_member(archive, info)
    except Refused:
        raise
    except Rejected as rejected:
        raise rejected.refused(file_name) from None
    except (zipfile.BadZipFile, zlib.error, KeyError, EOFError, ValueError, OSError, struct.error):
        raise Refused(file_name, "corrupt") from None


def shown(member: str) -> str:
    """A member's name as a message may show it: pages render messages as Markdown, so nothing
    but letters, digits and . / _ - [ ] passes, and at most 80 characters."""
    return re.sub(r"[^\w./\[\]-]", "?", member)[:80]


def _check_names(infos: list[zipfile.ZipInfo], file_name: str) -> None:
    """Member names Excel would write: unique, relative, forward slashes, no '..'."""
    seen: set[str] = set()
    for info in infos:
        name = info.filename
        parts = name.split("/")
        if (
            name in seen
            or name.startswith("/")
            or "\\" in name
            or "\x00" in name
            or ".." in parts
            or re.match(r"^[A-Za-z]:", name)
        ):
            raise Refused(file_name, "malformed", member=shown(name))
        seen.add(name)


def _other_package(archive: zipfile.ZipFile, names: set[str]) -> str:
    """The refusal code of a zip that is not a workbook: a Word file, an OpenDocument sheet, or unknown."""
    if "word/document.xml" in names:
        return "word"
    if "ppt/presentation.xml" in names:
        return "powerpoint"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "mimetype" in names:
        info = archive.getinfo("mimetype")
        if info.file_size < 200 and b"opendocument.spreadsheet" in archive.read(info):
            return "ods"
    return "not_excel"


def _check_members(data: bytes, infos: list[zipfile.ZipInfo], file_name: str, limits: Limits) -> None:
    """Declared sizes within the limits, no encryption, deflate or stored only, local headers that
    agree with the directory, and no member's data overlapping another's (the overlap zip bomb)."""
    total = 0
    spans = []
    for info in infos:
        if info.flag_bits & 0x1:
            raise Refused(file_name, "encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise Refused(file_name, "malformed", member=shown(info.filename))
        total += info.file_size
        packed = max(info.compress_size, 1)
        if info.file_size > RATIO_FROM and info.file_size / packed > limits.member_ratio:
            raise Refused(file_name, "bomb", member=shown(info.filename))
        start = data_start(data, info)
        spans.append((info.header_offset, start + info.compress_size, info.filename))
    if total > limits.unpacked_bytes:
        raise Refused(file_name, "unpacked_too_large", size_mb=total // MB, limit_mb=limits.unpacked_bytes // MB)
    spans.sort()
    for (_, end, name), (next_start, _, _) in zip(spans, spans[1:], strict=False):
        if end > next_start:
            raise Refused(file_name, "malformed", member=shown(name))


def data_start(data: bytes | memoryview, info: zipfile.ZipInfo) -> int:
    """Where a member's compressed bytes begin, after a local header that must name the same member."""
    offset = info.header_offset
    if offset + _LOCAL.size > len(data):
        raise zipfile.BadZipFile("local header past the end")
    fields = _LOCAL.unpack_from(data, offset)
    if fields[0] != ZIP_MAGIC:
        raise zipfile.BadZipFile("no local header")
    name_length, extra_length = fields[-2], fields[-1]
    start = offset + _LOCAL.size
    raw_name = bytes(data[start : start + name_length])
    expected = info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437", errors="replace")
    if raw_name != expected and raw_name.decode("utf-8", "replace") != info.orig_filename:
        raise zipfile.BadZipFile("local header names another member")
    end = start + name_length + extra_length + info.compress_size
    if end > len(data):
        raise zipfile.BadZipFile("member past the end")
    return start + name_length + extra_length


def _raw(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> memoryview:
    """A member's compressed bytes, straight from the archive's file."""
    fp = archive.fp
    if isinstance(fp, io.BytesIO):
        whole = memoryview(fp.getvalue())  # the bytes the archive was opened on, not a copy
        start = data_start(whole, info)
        return whole[start : start + info.compress_size]
    assert fp is not None
    fp.seek(info.header_offset)
    head = fp.read(_LOCAL.size)
    if len(head) < _LOCAL.size or head[:4] != ZIP_MAGIC:
        raise zipfile.BadZipFile("no local header")
    fields = _LOCAL.unpack(head)
    fp.seek(fields[-2] + fields[-1], io.SEEK_CUR)
    raw = fp.read(info.compress_size)
    if len(raw) < info.compress_size:
        raise zipfile.BadZipFile("member past the end")
    return memoryview(raw)


class MemberReader:
    """A zip member decompressed here, never past the size the directory declares.

    When the declared size is reached, the deflate stream must end there; a stream that
    goes on (a member lying about its size), ends early, or fails its CRC is rejected.
    For an XML member the prolog is checked: a DTD is refused, so no entity is ever
    declared, let alone expanded.
    """

    CHUNK = 1 << 20  # compressed bytes fed at a time

    def __init__(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, xml: bool = True) -> None:
        self.name = shown(info.filename)
        self._raw = _raw(archive, info)
        self._pos = 0
        self._left = info.file_size
        self._crc = 0
        self._expected_crc = info.CRC
        self._inflate = zlib.decompressobj(-zlib.MAX_WBITS) if info.compress_type == zipfile.ZIP_DEFLATED else None
        self._tail = b""
        self._xml = xml
        self._first = True
        self._finished = False
        if self._inflate is None and info.compress_size != info.file_size:
            raise Rejected("size_mismatch", member=self.name)

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            pieces = []
            while piece := self.read(16 * self.CHUNK):
                pieces.append(piece)
            return b"".join(pieces)
        want = min(size, self._left)
        pieces = []
        got = 0
        while got < want:
            piece = self._inflated(want - got)
            if not piece:
                break
            pieces.append(piece)
            got += len(piece)
        data = pieces[0] if len(pieces) == 1 else b"".join(pieces)
        self._left -= len(data)
        self._crc = zlib.crc32(data, self._crc)
        if self._first and data:
            self._first = False
            if self._xml:
                check_prolog(data, self.name)
        if got < want:  # the stream ended before the declared size, or was cut short
            if self._inflate is not None and not self._inflate.eof:
                raise zlib.error("deflate stream cut short")
            raise Rejected("size_mismatch", member=self.name)
        if self._left == 0 and not self._finished:
            self._finish()
        return data

    def _inflated(self, limit: int) -> bytes:
        if self._inflate is None:
            piece = bytes(self._raw[self._pos : self._pos + limit])
            self._pos += len(piece)
            return piece
        while True:
            if not self._tail:
                if self._pos >= len(self._raw):
                    return b""
                self._tail = self._raw[self._pos : self._pos + self.CHUNK]
                self._pos += len(self._tail)
            piece = self._inflate.decompress(self._tail, limit)
            self._tail = self._inflate.unconsumed_tail
            if piece or self._inflate.eof:
                return piece

    def _finish(self) -> None:
        """The declared size is reached: nothing may follow, and the checksum must match."""
        self._finished = True
        if self._inflate is not None:
            if not self._inflate.eof and self._inflated(1):
                raise Rejected("size_mismatch", member=self.name)
            if not self._inflate.eof:
                raise zlib.error("deflate stream does not end")
        if self._crc & 0xFFFFFFFF != self._expected_crc:
            raise zipfile.BadZipFile(f"bad CRC-32 for {self.name}")


def verify_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Decompress a member to nowhere, with MemberReader's cap and checks."""
    xml = info.filename.lower().endswith((".xml", ".rels", ".vml"))
    reader = MemberReader(archive, info, xml=xml)
    while reader.read(4 * MemberReader.CHUNK):
        pass
    reader.read(1)  # a member of 0 bytes is finished here


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A whole member's bytes, read with MemberReader's cap and checks."""
    reader = MemberReader(archive, info)
    data = reader.read()
    reader.read(1)
    return data


def check_prolog(head: bytes, member: str) -> None:
    """Refuse XML that declares a DTD (Excel never writes one; entities are how XML bombs and XXE work)."""
    found = _PROLOG_END.search(head)
    prolog = head[: found.start()] if found else head
    if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
        raise Rejected("dtd", member=member)


# ---------------------------------------------------------------- where the sheets are


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def package_targets(archive: zipfile.ZipFile) -> tuple[dict[str, str], dict[str, str]]:
    """(sheet name -> member, relationship type -> member) from the workbook's relationships,
    parsed with defusedxml (no DTD, no entities)."""
    rels = SafeTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"), forbid_dtd=True)
    by_id: dict[str, str] = {}
    by_type: dict[str, str] = {}
    for rel in rels:
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        by_id[rel.get("Id", "")] = path
        by_type[rel.get("Type", "").rsplit("/", 1)[-1]] = path
    workbook = SafeTree.fromstring(archive.read("xl/workbook.xml"), forbid_dtd=True)
    sheets = {}
    for element in workbook.iter():
        if local_name(element.tag) == "sheet":
            rid = next((v for k, v in element.attrib.items() if local_name(k) == "id"), "")
            if rid in by_id:
                sheets[element.get("name", "")] = by_id[rid]
    return sheets, by_type


def sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> member; empty when the workbook's relationships cannot be read."""
    try:
        sheets, _ = package_targets(archive)
    except (KeyError, SafeTree.ParseError, ValueError):
        return {}
    names = set(archive.namelist())
    return {name: path for name, path in sheets.items() if path in names}
