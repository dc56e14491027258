"""佐证材料: files and links attached to a 测评内容, checked by content, kept by SHA-256, removed only by mark.

A file is checked before anything else looks at it: its name (no path, no control
characters), its size, and what its bytes really are (PDF, PNG/JPEG/GIF/WebP, an
Office document: OOXML zip or an old OLE file), which must agree with its suffix.
An OOXML document's zip goes through the import's own checks (wenming.read.guard:
honest member names, declared sizes and ratios, no overlapping members, every member
decompressed under its declared size). A file is never executed, parsed beyond that,
or rendered as HTML; it is archived as ``<sha256><suffix>`` beside the database,
under no name the user gave. Rights are checked here, as for imports: staff attach
for their departments, leaders only read, admins remove (a mark with who, when and
why; the file stays). Every change is in the audit log and bumps the data version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from wenming import text
from wenming.read import guard
from wenming.read.formats import IMAGES, OLE_MAGIC
from wenming.read.guard import MB, ZIP_MAGIC, Limits, Refused
from wenming.store import auth
from wenming.store.db import Database, audit

MAX_BYTES = 50 * MB  # a scanned PDF of a year's meeting minutes; the upload widget allows 100 MB
ZIP_LIMITS = Limits(file_bytes=MAX_BYTES, unpacked_bytes=512 * MB)
MAX_NAME = 200  # characters of a file name
MAX_TITLE = 200

# suffix -> the kind its content must be
SUFFIXES = {
    ".pdf": "pdf",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".gif": "image",
    ".webp": "image",
    ".docx": "word",
    ".xlsx": "excel",
    ".pptx": "powerpoint",
    ".doc": "word",
    ".xls": "excel",
    ".ppt": "powerpoint",
}
KINDS = ("pdf", "image", "word", "excel", "powerpoint", "link")
_OOXML = {"word/document.xml": "word", "xl/workbook.xml": "excel", "ppt/presentation.xml": "powerpoint"}
_EXECUTABLE = (b"MZ", b"\x7fELF", b"#!", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"\xfe\xed\xfa")
_MARKUP = ("<!doctype", "<html", "<head", "<body", "<script", "<svg", "<?xml", "<iframe", "<table", "<div")
_BAD_NAME = re.compile(r"[/\\\x00-\x1f\x7f<>:\"|?*]")


@dataclass(frozen=True)
class Added:
    evidence_id: int
    duplicate: bool = False  # the same file was already attached to this item: nothing new was stored


# ---------------------------------------------------------------- what a file is


def check_name(file_name: str) -> str:
    """The suffix of a plain file name; refuses a path (``../x.pdf``), control characters or a hidden name."""
    shown = guard.shown(file_name) or "?"
    name = file_name.strip()
    if not name or len(name) > MAX_NAME or _BAD_NAME.search(name) or name.startswith(".") or ".." in name:
        raise Refused(shown, "evidence_name")
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise Refused(shown, "evidence_type")
    return suffix


def content_kind(data: bytes) -> str:
    """What the bytes are, whatever the name says: pdf, image, ole, zip, html, executable or unknown."""
    head = data[:1024]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(IMAGES) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "image"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(_EXECUTABLE):
        return "executable"
    lowered = head.decode("utf-8", "replace").lstrip("\ufeff \t\r\n").lower()
    if lowered.startswith(_MARKUP) or "<html" in lowered or "<script" in lowered:
        return "html"
    return "unknown"


def check_file(data: bytes, file_name: str) -> tuple[str, str]:
    """(kind, suffix) of an acceptable attachment; raises Refused with one sentence otherwise."""
    suffix = check_name(file_name)
    if not data:
        raise Refused(file_name, "evidence_empty")
    if len(data) > MAX_BYTES:
        raise Refused(file_name, "evidence_too_large", limit_mb=MAX_BYTES // MB)
    expected = SUFFIXES[suffix]
    found = content_kind(data)
    if found in ("html", "executable"):
        raise Refused(file_name, f"evidence_{found}")
    if found == "ole":
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00" in data:
            raise Refused(file_name, "evidence_encrypted")
        found = expected if suffix in (".doc", ".xls", ".ppt") else "ole"
    elif found == "zip":
        found = _office_zip(data, file_name)
        if suffix in (".doc", ".xls", ".ppt"):
            found = "zip"  # an OOXML document under an old suffix: ask for the right one
    if found != expected:
        if found == "unknown":
            raise Refused(file_name, "evidence_type")
        raise Refused(file_name, "evidence_mismatch", suffix=suffix, actual=_kind_word(found))
    return expected, suffix


def _kind_word(kind: str) -> str:
    return text.t(f"evidence.kind.{kind}") if kind in (*KINDS, "zip", "ole") else text.t("evidence.kind.other")


def _office_zip(data: bytes, file_name: str) -> str:
    """The Office kind of an OOXML zip, after the import's zip checks (bombs, lying sizes, overlaps)."""
    count = guard.member_count(data)
    if count is not None and count > ZIP_LIMITS.members:
        raise Refused(file_name, "evidence_bomb")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            guard.check_names(infos, file_name)
            guard.check_members(data, infos, file_name, ZIP_LIMITS)
            for info in infos:
                if not info.is_dir():
                    guard.verify_member(archive, info)
    except Refused as refused:
        codes = {"bomb": "evidence_bomb", "unpacked_too_large": "evidence_bomb", "encrypted": "evidence_encrypted"}
        raise Refused(file_name, codes.get(refused.code, "evidence_damaged")) from None
    except (guard.Rejected, zipfile.BadZipFile, *guard.INFLATE_ERRORS, KeyError, EOFError, ValueError, OSError):
        raise Refused(file_name, "evidence_damaged") from None
    names = {info.filename for info in infos}
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise Refused(file_name, "evidence_macro")  # a document with macros: never needed as evidence
    if "[Content_Types].xml" not in names:
        return "unknown"
    return next((kind for member, kind in _OOXML.items() if member in names), "unknown")


def check_url(url: str, subject: str) -> str:
    url = url.strip()
    if not re.match(r"^https?://[^\s/$.?#][^\s]*$", url, re.IGNORECASE) or len(url) > 2000:
        raise Refused(subject, "evidence_url", url=guard.shown(url[:80]))
    return url


# ---------------------------------------------------------------- which item, whose rights


def find_item(store: Database, item: str, category: str | None = None) -> tuple[str | None, str]:
    """(测评项目, 测评内容) of a scoring item in force; raises Refused for an unknown or ambiguous one."""
    item = item.strip()
    rows = store.con.execute(
        "select distinct category, item from scores_at(null::date) where item = ? and (? is null or category = ?)",
        [item, category, category],
    ).fetchall()
    if not rows:
        raise Refused(item or "?", "evidence_item", item=item)
    if len(rows) > 1:
        raise Refused(item, "evidence_item_ambiguous", categories="、".join(str(r[0]) for r in rows))
    return rows[0][0], rows[0][1]


def check_rights(store: Database, user: auth.User, department: str | None, subject: str) -> None:
    """Staff attach for their own departments only; leaders only read (checked here, not by the page)."""
    if user.local or user.is_admin:
        return
    if not user.may_import:
        raise auth.Forbidden(subject, "evidence_leader", user=user.name)
    allowed = auth.writable(store, user) or set()
    if department is None or department not in allowed:
        raise auth.Forbidden(
            subject,
            "evidence_departments",
            user=user.name,
            allowed="、".join(user.departments),
            department=department or "—",
        )


def _department(user: auth.User, department: str | None) -> str | None:
    """The department a file is for: as given, else a staff user's only department."""
    department = re.sub(r"\s+", "", department or "") or None
    if department is None and len(user.departments) == 1:
        return user.departments[0]
    return department


# ---------------------------------------------------------------- writing


def add_file(
    store: Database,
    data: bytes,
    file_name: str,
    *,
    item: str,
    title: str,
    user: str | auth.User,
    category: str | None = None,
    department: str | None = None,
    dated: dt.date | None = None,
    linked_to: str | None = None,
) -> Added:
    """Attach a file to a 测评内容, all or nothing; raises Refused (file, item) or Forbidden (rights)."""
    who = auth.actor(store, user)
    kind, suffix = check_file(data, file_name)
    title = _title(title, file_name)
    category, item = find_item(store, item, category)
    department = _department(who, department)
    check_rights(store, who, department, file_name)
    digest = hashlib.sha256(data).hexdigest()
    try:
        return Added(_store_file(store, data, file_name, digest + suffix, who.name, kind, title, category, item,
                                 department, dated, linked_to))  # fmt: skip
    except _Duplicate as duplicate:
        return Added(duplicate.evidence_id, duplicate=True)


def _store_file(
    store: Database,
    data: bytes,
    file_name: str,
    stored_as: str,
    user: str,
    kind: str,
    title: str,
    category: str | None,
    item: str,
    department: str | None,
    dated: dt.date | None,
    linked_to: str | None,
) -> int:
    """Archive the file and insert its record in one write; raises _Duplicate to roll back a repeat."""
    digest = stored_as.split(".", 1)[0]
    with store.writing(file_name) as con:
        same = con.execute(
            "select min(evidence_id) from evidence where sha256 = ? and item = ? and category is not distinct from ?"
            " and removed_at is null",
            [digest, item, category],
        ).fetchall()[0][0]
        if same is not None:
            raise _Duplicate(same)
        store.archive.mkdir(parents=True, exist_ok=True)
        target = store.archive / stored_as
        if not target.exists():
            partial = target.with_name(target.name + ".part")
            partial.write_bytes(data)
            partial.replace(target)
        evidence_id = _insert(
            con, category, item, department, title, dated, kind, user, linked_to,
            file_name=file_name, sha256=digest, size=len(data), stored_as=stored_as,
        )  # fmt: skip
        audit(con, user, "evidence_add", evidence_id=evidence_id, item=item, file=file_name, sha256=digest)
    return evidence_id


def add_link(
    store: Database,
    url: str,
    *,
    item: str,
    title: str,
    user: str | auth.User,
    category: str | None = None,
    department: str | None = None,
    dated: dt.date | None = None,
    linked_to: str | None = None,
) -> Added:
    """Attach a link (an http(s) address, kept as text, never fetched) to a 测评内容."""
    who = auth.actor(store, user)
    title = _title(title, url)
    url = check_url(url, title)
    category, item = find_item(store, item, category)
    department = _department(who, department)
    check_rights(store, who, department, title)
    with store.writing(title) as con:
        evidence_id = _insert(con, category, item, department, title, dated, "link", who.name, linked_to, url=url)
        audit(con, who.name, "evidence_add", evidence_id=evidence_id, item=item, url=url)
    return Added(evidence_id)


def remove(store: Database, evidence_id: int, *, user: str | auth.User, reason: str) -> None:
    """Mark a file or link removed (admins only; the reason is required); the file stays in the archive."""
    who = auth.actor(store, user)
    row = store._row("select title, removed_at from evidence where evidence_id = ?", [evidence_id])
    if row is None or row[1] is not None:
        raise Refused(str(evidence_id), "evidence_unknown", evidence_id=evidence_id)
    if not (who.local or who.is_admin):
        raise auth.Forbidden(row[0], "evidence_remove", user=who.name)
    if not reason.strip():
        raise Refused(row[0], "evidence_reason")
    with store.writing(row[0]) as con:
        con.execute(
            "update evidence set removed_at = ?, removed_by = ?, removed_why = ? where evidence_id = ?",
            [dt.datetime.now(), who.name, reason.strip(), evidence_id],
        )
        audit(con, who.name, "evidence_remove", evidence_id=evidence_id, title=row[0], reason=reason.strip())


def _title(title: str, fallback: str) -> str:
    title = re.sub(r"\s+", " ", title or "").strip() or Path(fallback).stem.strip()
    if not title:
        raise Refused(fallback or "?", "evidence_title")
    return title[:MAX_TITLE]


def _insert(
    con: object,
    category: str | None,
    item: str,
    department: str | None,
    title: str,
    dated: dt.date | None,
    kind: str,
    user: str,
    linked_to: str | None,
    *,
    file_name: str | None = None,
    sha256: str | None = None,
    size: int | None = None,
    stored_as: str | None = None,
    url: str | None = None,
) -> int:
    evidence_id = con.execute("select nextval('evidence_ids')").fetchall()[0][0]  # type: ignore[attr-defined]
    con.execute(  # type: ignore[attr-defined]
        "insert into evidence values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null, null, null)",
        [
            evidence_id, category, item, department, title, dated, kind, file_name, sha256, size, stored_as,
            url, (linked_to or "").strip() or None, dt.datetime.now(), user,
        ],
    )  # fmt: skip
    return int(evidence_id)


class _Duplicate(Exception):
    """Raised inside a write to roll it back when the same file is already attached to the item."""

    def __init__(self, evidence_id: int) -> None:
        super().__init__(evidence_id)
        self.evidence_id = evidence_id


# ---------------------------------------------------------------- reading


def records(store: Database, *, removed: bool = False) -> pd.DataFrame:
    """Every file and link (with ``removed``, the removed ones too), newest first."""
    where = "" if removed else "where removed_at is null"
    return store.con.execute(f"select * from evidence {where} order by evidence_id desc").df()


def file_path(store: Database, stored_as: str | None) -> Path | None:
    """Where an attachment is archived (None for a link or a file missing from the archive)."""
    if not stored_as or not re.fullmatch(r"[0-9a-f]{64}\.[a-z]{3,4}", stored_as):
        return None
    path = store.archive / stored_as
    return path if path.is_file() else None
