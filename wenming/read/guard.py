"""Checks a zip must pass before any parser reads it (WORKBOOKS.md §6); the limits of every format.

What a file is, whatever its name, is told by ``read.formats``. For any zip (.xlsx,
.xlsb, .ods) ``check_package`` looks at the directory (a few milliseconds): the
declared size and compression ratio of every member, member names (a backslash read as
a slash) and local headers that agree with the directory, and no member overlapping
another. For an .xlsx, ``check_workbook`` then follows the package's relationships
to the workbook and its sheets and decompresses every member except the
worksheets, never past the size the directory declares, and refuses a member whose
stream is longer or shorter than declared, whose checksum is wrong or that declares
a DTD.

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
import weakref
import zipfile
import zlib
from dataclasses import dataclass

from defusedxml import ElementTree as SafeTree
from zlib_ng import zlib_ng

from wenming import text

MB = 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
MAX_COLUMNS = 16_384  # Excel's last column, XFD

# zlib-ng inflates about three times as fast as zlib (a 27 MB sheet: 22 ms against 67 ms); what either raises.
INFLATE_ERRORS = (zlib.error, zlib_ng.error)


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
    # The parsing sandbox (read.sandbox) for .xls/.xlsb/.ods/.csv, whose size shows only once parsed:
    parse_memory_bytes: int = 1024 * MB  # the child's address space, and the most it may write back
    parse_cpu_seconds: int = 60  # the child's CPU time
    parse_seconds: int = 60  # wall-clock time before the child is killed


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


# ---------------------------------------------------------------- the zip


_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_LOCAL = struct.Struct("<4s5H3L2H")  # a local file header: signature ... name length, extra length
_PROLOG_END = re.compile(rb"<[A-Za-z_]")
FIXED_MEMBERS = (  # never a worksheet: not measured when calamine looks for a sheet itself
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


def open_zip(data: bytes) -> zipfile.ZipFile:
    """The zip with member names as Excel writes them: some Chinese systems write ``\\`` between
    folders (docProps\\app.xml); such a name is read with ``/`` (check_package then checks the names
    as read: unique, relative, no '..')."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    if any("\\" in info.filename for info in archive.infolist()):
        for info in archive.infolist():
            info.filename = info.filename.replace("\\", "/")
        archive.NameToInfo = {info.filename: info for info in archive.infolist()}
    return archive


def check_package(data: bytes, file_name: str, limits: Limits = DEFAULT_LIMITS) -> zipfile.ZipFile:
    """Refuse a zip that is not honest and reasonably sized, from its directory alone (no member is
    decompressed): the member count, names, declared sizes and ratios, encryption, overlaps.
    Returns the zip, opened with open_zip."""
    count = member_count(data)
    if count is not None and count > limits.members:
        raise Refused(file_name, "too_many_members", count=count, limit=limits.members)
    try:
        archive = open_zip(data)
        infos = archive.infolist()
        check_names(infos, file_name)
        check_members(data, infos, file_name, limits)
        return archive
    except Refused:
        raise
    except (zipfile.BadZipFile, *INFLATE_ERRORS, KeyError, EOFError, ValueError, OSError, struct.error):
        raise Refused(file_name, "corrupt") from None


def check_zip(data: bytes, file_name: str, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse an .xlsx/.xlsm that is not an honest, reasonably sized workbook, before any parser reads it."""
    with check_package(data, file_name, limits) as archive:
        check_workbook(archive, file_name)


def check_workbook(archive: zipfile.ZipFile, file_name: str) -> Package:
    """Every member of a checked package (check_package) but the worksheets, decompressed with
    MemberReader's checks: the package and workbook relationships and the workbook first, to find
    the worksheets, which the reader decompresses itself. The shared-string table's bytes are kept
    for the reader (``member_bytes``): it is as large as the sheet on a tracker of unique texts.
    Returns where the parts are."""
    try:
        first = [archive.getinfo(name) for name in _package_parts(archive)]
        for info in first:
            verify_member(archive, info)
        package = read_package(archive)
        sheets = {sheet.path for sheet in package.sheets if sheet.kind == "worksheet"}
        table = package.by_type.get("sharedStrings")
        for info in archive.infolist():
            if info.filename == table and info not in first:
                _KEPT.setdefault(archive, {})[info.filename] = read_member(archive, info)
            elif info.filename not in sheets and info not in first and not info.is_dir():
                verify_member(archive, info)
        return package
    except Refused:
        raise
    except Rejected as rejected:
        raise rejected.refused(file_name) from None
    except (
        zipfile.BadZipFile,
        *INFLATE_ERRORS,
        KeyError,
        EOFError,
        ValueError,
        OSError,
        struct.error,
        SafeTree.ParseError,
    ):
        raise Refused(file_name, "corrupt") from None


def shown(member: str) -> str:
    """A member's name as a log line may show it (refusals never quote one): nothing but letters,
    digits and . / _ - [ ], and at most 80 characters."""
    return re.sub(r"[^\w./\[\]-]", "?", member)[:80]


def check_names(infos: list[zipfile.ZipInfo], file_name: str) -> None:
    """Member names Excel would write: unique, relative, no '..' (``\\`` is read as ``/`` first)."""
    seen: set[str] = set()
    for info in infos:
        name = info.filename
        parts = name.split("/")
        if name in seen or name.startswith("/") or "\x00" in name or ".." in parts or re.match(r"^[A-Za-z]:", name):
            raise Refused(file_name, "malformed", member=shown(name))
        seen.add(name)


def check_members(data: bytes, infos: list[zipfile.ZipInfo], file_name: str, limits: Limits) -> None:
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
        self._inflate = zlib_ng.decompressobj(-zlib.MAX_WBITS) if info.compress_type == zipfile.ZIP_DEFLATED else None
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
        self._crc = zlib_ng.crc32(data, self._crc)
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


_KEPT: weakref.WeakKeyDictionary[zipfile.ZipFile, dict[str, bytes]] = weakref.WeakKeyDictionary()


def member_bytes(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A member's bytes as check_workbook kept them, else read_member's."""
    kept = _KEPT.get(archive, {}).pop(info.filename, None)
    return kept if kept is not None else read_member(archive, info)


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


_OFFICE_DOCUMENT = "/officeDocument"  # the relationship type's end, in transitional and strict OOXML
_SHEET_KINDS = {"worksheet": "worksheet", "xlMacrosheet": "macro", "xlIntlMacrosheet": "macro", "dialogsheet": "dialog"}


@dataclass(frozen=True)
class SheetEntry:
    """A sheet as the workbook lists it."""

    name: str
    path: str  # its member ("" when its relationship leads nowhere)
    kind: str  # worksheet, macro, dialog, or other (a chart sheet)
    visible: bool


@dataclass(frozen=True)
class Package:
    """Where a workbook's parts are, from the package's relationships (never assumed)."""

    workbook: str  # the workbook part, found from _rels/.rels
    sheets: list[SheetEntry]
    by_type: dict[str, str]  # relationship type (its last word: styles, sharedStrings) -> member
    date1904: bool


def _rels_of(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _targets(archive: zipfile.ZipFile, part: str) -> list[tuple[str, str, str]]:
    """(Id, type, member) of a part's relationships; targets resolved against the part's folder."""
    rels = _rels_of(part)
    if rels not in archive.NameToInfo:
        return []
    found = []
    for rel in SafeTree.fromstring(read_member(archive, archive.getinfo(rels)), forbid_dtd=True):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "").replace("\\", "/")
        base = posixpath.dirname(part)
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
        found.append((rel.get("Id", ""), rel.get("Type", ""), path))
    return found


def workbook_part(archive: zipfile.ZipFile) -> str | None:
    """The workbook's member, as _rels/.rels says (xl/workbook.xml or .bin where a package has no such file)."""
    for _, kind, path in _targets(archive, ""):
        if kind.endswith(_OFFICE_DOCUMENT) and path in archive.NameToInfo:
            return path
    return next((name for name in ("xl/workbook.xml", "xl/workbook.bin") if name in archive.NameToInfo), None)


def _package_parts(archive: zipfile.ZipFile) -> list[str]:
    """The members read to find the sheets: the package's relationships, the workbook and its relationships."""
    names = archive.NameToInfo
    parts = [name for name in ("[Content_Types].xml", "_rels/.rels") if name in names]
    workbook = workbook_part(archive)
    if workbook is not None:
        parts += [name for name in (workbook, _rels_of(workbook)) if name in names]
    return parts


_PACKAGES: weakref.WeakKeyDictionary[zipfile.ZipFile, Package] = weakref.WeakKeyDictionary()


def read_package(archive: zipfile.ZipFile) -> Package:
    """The workbook's sheets and parts, parsed with defusedxml (no DTD, no entities); once per archive."""
    found = _PACKAGES.get(archive)
    if found is None:
        found = _PACKAGES[archive] = _read_package(archive)
    return found


def _read_package(archive: zipfile.ZipFile) -> Package:
    workbook = workbook_part(archive)
    if workbook is None:
        raise KeyError("no workbook part")
    by_id: dict[str, tuple[str, str]] = {}
    by_type: dict[str, str] = {}
    for rid, kind, path in _targets(archive, workbook):
        word = kind.rsplit("/", 1)[-1]
        by_id[rid] = (word, path)
        by_type[word] = path
    root = SafeTree.fromstring(read_member(archive, archive.getinfo(workbook)), forbid_dtd=True)
    sheets = []
    date1904 = False
    for element in root.iter():
        name = local_name(element.tag)
        if name == "workbookPr":
            date1904 = element.get("date1904", "").lower() in ("1", "true")
        elif name == "sheet":
            rid = next((v for k, v in element.attrib.items() if local_name(k) == "id"), "")
            word, path = by_id.get(rid, ("worksheet", ""))
            visible = element.get("state", "visible") == "visible"
            path = path if path in archive.NameToInfo else ""
            sheets.append(SheetEntry(element.get("name", ""), path, _SHEET_KINDS.get(word, "other"), visible))
    return Package(workbook, sheets, by_type, date1904)


def sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet name -> member; empty when the workbook's relationships cannot be read."""
    try:
        package = read_package(archive)
    except (KeyError, SafeTree.ParseError, ValueError):
        return {}
    return {sheet.name: sheet.path for sheet in package.sheets if sheet.kind == "worksheet" and sheet.path}
