"""A consistent copy of the database and its archive of originals: `python -m wenming backup|restore DIR`.

The backup checkpoints the database (so every committed import is in the file, none
left in the write-ahead log) and copies the file while holding it open, so no other
process can write to it meanwhile; then it checks that the copy opens and holds the
same imports, and copies the originals, each checked against its SHA-256 (its name).
A manifest records what was copied, with the copy's own SHA-256.

A backup folder:

    wenming-backup.json     the manifest
    wenming.duckdb          the database, checkpointed
    wenming.files/          the imported originals, named <sha256>.xlsx

Restoring checks the copy against the manifest, refuses a database that another
process has open, asks for ``force`` before replacing one that holds data, swaps the
file in with one rename and brings back every original the backup holds (originals
of later imports stay: they are content-addressed and harmless).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from wenming import text
from wenming.store import Store, StoreLocked

MANIFEST = "wenming-backup.json"
FORMAT = 1
CHUNK = 4 * 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go ahead, with the reason as a message code (cli.backup_* / cli.restore_*)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params

    def message(self, lang: str | None = None) -> str:
        return text.t(f"cli.{self.code}", lang, **self.params)


@dataclass(frozen=True)
class Outcome:
    folder: Path
    database: Path
    imports: int  # rows of the import log
    last_import: int  # the newest import id (0: none)
    originals: int  # originals copied or present
    size: int  # bytes of the database file
    created_at: str  # when the backup was made
    missing: tuple[str, ...] = ()  # originals the import log names but the archive lacks or holds damaged


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _archive(database: Path) -> Path:
    return database.parent / f"{database.stem}.files"


def _counts(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    count, last = con.execute("select count(*), coalesce(max(import_id), 0) from imports").fetchone()  # type: ignore[misc]
    return int(count), int(last)


def _rows(con: duckdb.DuckDBPyConnection) -> int:
    """Rows in every table: zero for a database that holds nothing yet."""
    tables = [r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()]
    return sum(int(con.execute(f'select count(*) from "{t}"').fetchone()[0]) for t in tables)  # type: ignore[index]


def _intact(path: Path) -> bool:
    """An original whose content still hashes to its name."""
    return path.stem == sha256(path)


def _copy(source: Path, target: Path) -> None:
    """A copy written beside its target and renamed into place, flushed to disk."""
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    partial.touch(mode=0o600)  # owner-only, whatever the umask: a copy of password hashes and every original
    with source.open("rb") as read, partial.open("wb") as write:
        shutil.copyfileobj(read, write, CHUNK)
        write.flush()
        os.fsync(write.fileno())
    partial.replace(target)


def backup(database: Path, folder: Path) -> Outcome:
    """Copy ``database`` and its originals into ``folder`` (new, or empty)."""
    if not database.is_file():
        raise BackupError("backup_no_db", db=database)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BackupError("backup_not_empty", folder=folder)
    store = Store.open(database)  # the lock: no other process writes while the file is copied
    try:
        store.con.execute("checkpoint")
        imports, last = _counts(store.con)
        stored = [r[0] for r in store.con.execute("select distinct stored_as from imports").fetchall() if r[0]]
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        copy = folder / database.name
        _copy(database, copy)
    finally:
        store.close()
    check = duckdb.connect(str(copy), read_only=True)
    try:
        if _counts(check) != (imports, last):
            raise BackupError("backup_inconsistent", db=database)
    finally:
        check.close()
    source, target = _archive(database), folder / f"{database.stem}.files"
    target.mkdir(mode=0o700, exist_ok=True)
    originals, missing = [], []
    for name in sorted(
        set(stored) | {p.name for p in source.glob("*") if p.is_file() and not p.name.endswith(".part")}
    ):
        original = source / name
        if not original.is_file() or not _intact(original):
            missing.append(name)
            continue
        _copy(original, target / name)
        originals.append(name)
    created = dt.datetime.now().isoformat(timespec="seconds")
    manifest = {
        "format": FORMAT,
        "created_at": created,
        "source": str(database.resolve()),
        "database": database.name,
        "sha256": sha256(copy),
        "size": copy.stat().st_size,
        "duckdb": duckdb.__version__,
        "imports": imports,
        "last_import": last,
        "originals": originals,
        "missing": missing,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    (folder / MANIFEST).chmod(0o600)
    return Outcome(folder, copy, imports, last, len(originals), copy.stat().st_size, created, tuple(missing))


def read_manifest(folder: Path) -> dict[str, object]:
    """The manifest of a backup folder, checked against the files beside it."""
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError("restore_not_backup", folder=folder, missing=MANIFEST)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        name = str(manifest["database"])
        originals = [str(o) for o in manifest["originals"]]
    except (ValueError, KeyError, TypeError):
        raise BackupError("restore_not_backup", folder=folder, missing=MANIFEST) from None
    copy = folder / Path(name).name
    if not copy.is_file():
        raise BackupError("restore_not_backup", folder=folder, missing=copy.name)
    if sha256(copy) != manifest.get("sha256"):
        raise BackupError("restore_damaged", folder=folder, file=copy.name)
    archive = folder / f"{copy.stem}.files"
    for original in originals:
        if not (archive / original).is_file() or not _intact(archive / original):
            raise BackupError("restore_damaged", folder=folder, file=f"{archive.name}/{original}")
    return manifest


def restore(folder: Path, database: Path, *, force: bool = False) -> Outcome:
    """Replace ``database`` by the backup in ``folder`` and bring back its originals."""
    manifest = read_manifest(folder)
    copy = folder / Path(str(manifest["database"])).name
    if database.exists():
        store = Store.open(database)  # refuses a database another process has open
        try:
            held, (imports, _) = _rows(store.con), _counts(store.con)
            if held and not force:
                raise BackupError("restore_need_force", db=database, imports=imports)
            store.con.execute("checkpoint")
        finally:
            store.close()
    database.parent.mkdir(parents=True, exist_ok=True)
    incoming = database.with_name(database.name + ".restoring")
    _copy(copy, incoming)
    if database.exists():
        try:  # taken by another process since the check above: leave it alone
            duckdb.connect(str(database)).close()
        except duckdb.IOException as error:
            incoming.unlink()
            if "lock" in str(error).lower():
                raise StoreLocked(database) from None
            raise
    wal = database.with_name(database.name + ".wal")
    if wal.exists():
        wal.unlink()  # a log of the database being replaced must not be replayed into the backup
    incoming.replace(database)
    source, archive = folder / f"{copy.stem}.files", _archive(database)
    archive.mkdir(parents=True, exist_ok=True)
    originals = [str(o) for o in manifest["originals"]]  # type: ignore[union-attr]
    for name in originals:
        target = archive / name
        if not target.is_file() or target.stat().st_size != (source / name).stat().st_size:
            _copy(source / name, target)
    store = Store.open(database)
    try:
        imports, last = _counts(store.con)
    finally:
        store.close()
    if (imports, last) != (manifest["imports"], manifest["last_import"]):
        raise BackupError("backup_inconsistent", db=database)
    return Outcome(
        folder, database, imports, last, len(originals), database.stat().st_size, str(manifest["created_at"])
    )
