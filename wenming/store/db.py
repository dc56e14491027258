"""The DuckDB database: one file, its schema and macros (sql/), the process's write lock, the data version, queries.

Everything else in wenming.store builds on ``Database``: the imports and their
history (imports.py), users and rights (auth.py), backups (backup.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import logging
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

import duckdb
import pandas as pd
import pyarrow as pa

from wenming import text
from wenming.read import contract
from wenming.read.guard import Refused

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ROOT / "queries"
SQL = Path(__file__).resolve().parent / "sql"
DEFAULT_DB = ROOT / "data" / "wenming.duckdb"
CATALOG = "store"  # the database file, attached under this name
# Rows per row group of the file. DuckDB writes the row groups a transaction fills straight to the
# file as they fill ("optimistic writes"); a smaller group than its 122,880 lets an import of 100,000
# tasks be written once, at the insert, instead of going through a checkpoint at the commit
# (0.23 s instead of 0.34 s for the insert and commit; the file is the same size).
ROW_GROUP_ROWS = 65_536
_VERSIONS: dict[str, int] = {}  # database file -> its data_version, see Store.version
_LOCKS: dict[str, threading.RLock] = {}  # database file -> the process's write lock, see Store.writing
_LOCKS_GUARD = threading.Lock()
WAIT_SECONDS = 120.0  # how long a write waits for another one of this process before it gives up
OWNER_ONLY = 0o077  # the permission bits of group and others: none on anything we create
log = logging.getLogger(__name__)


def _key(path: Path) -> str:
    return str(Path(path).resolve())


_ATTACHED: dict[str, list[Any]] = {}  # file -> [the connection it is attached on, stores open on it]
_ATTACHING = threading.Lock()


def _attach(target: Path) -> duckdb.DuckDBPyConnection:
    """A cursor on the database file, attached with ROW_GROUP_ROWS. A file is attached once per
    process (DuckDB refuses a second attachment), shared by every store opened on it, and
    detached when the last of them closes (as duckdb.connect(path) shares and releases it)."""
    key = _key(target)
    with _ATTACHING:
        found = _ATTACHED.get(key)
        if found is None:
            root = duckdb.connect()
            try:
                quoted = str(target).replace("'", "''")
                root.execute(f"attach '{quoted}' as {CATALOG} (row_group_size {ROW_GROUP_ROWS})")
            except duckdb.IOException as error:
                root.close()
                if "lock" in str(error).lower():
                    raise StoreLocked(target) from None
                raise
            found = _ATTACHED[key] = [root, 0]
        cursor = found[0].cursor()
        cursor.execute(f"use {CATALOG}")
        found[1] += 1
        return cursor


def _detach(target: Path) -> None:
    with _ATTACHING:
        found = _ATTACHED.get(_key(target))
        if found is None:
            return
        found[1] -= 1
        if found[1] <= 0:
            del _ATTACHED[_key(target)]
            found[0].close()


def _lock(path: Path) -> threading.RLock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(_key(path), threading.RLock())


class Busy(Refused):
    """Another import or restore of this process did not finish within WAIT_SECONDS; nothing was stored."""

    def __init__(self, subject: str, seconds: float) -> None:
        super().__init__(subject, "busy", seconds=f"{seconds:g}")


class StoreLocked(Exception):
    """Another process holds the database file open for writing."""

    def __init__(self, path: Path) -> None:
        super().__init__(text.t("refused.locked", db=str(path)))
        self.path = path


def owner_only() -> None:
    """From now on this process creates files and folders only its own user can open (umask 077).

    The database holds password hashes and who signed in; its WAL, the originals beside it,
    backups and logs hold the same data. Called whenever a database is opened.
    """
    os.umask(os.umask(OWNER_ONLY) | OWNER_ONLY)


def exposed(path: Path) -> list[Path]:
    """The database's files and folders that another local user could read: the file, its WAL and log,
    the folder of originals and the originals in it."""
    archive = path.parent / f"{path.stem}.files"
    candidates = [path, path.with_name(path.name + ".wal"), path.with_suffix(".log"), archive]
    if archive.is_dir():
        candidates += sorted(archive.iterdir())
    return [p for p in candidates if p.exists() and p.stat().st_mode & OWNER_ONLY]


def exposed_message(path: Path, found: list[Path]) -> str:
    """One sentence: how many of the database's files others can read, which, and the command that fixes it."""
    archive = path.parent / f"{path.stem}.files"
    tops = list(dict.fromkeys(archive if p.parent == archive else p for p in found))
    return text.t(
        "store.exposed",
        count=len(found),
        files=", ".join(map(str, found[:3])) + (" …" if len(found) > 3 else ""),
        command="chmod -R go-rwx " + " ".join(map(str, tops)),
    )


def warn_if_exposed(path: Path) -> list[Path]:
    """Say in the log (the server's console) which of the database's files others can read, and the fix."""
    found = exposed(path)
    if found:
        log.warning(exposed_message(path, found))
    return found


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--db, else $WENMING_DB, else data/wenming.duckdb."""
    return Path(explicit or os.environ.get("WENMING_DB") or DEFAULT_DB)


@dataclass
class Database:
    """One DuckDB database file and the folder beside it holding every imported original.

    Reading, the write transaction (``writing``) and the data version; wenming.store.imports
    builds the imports and restores on it, wenming.store.auth the users and rights.
    """

    path: Path
    con: duckdb.DuckDBPyConnection = field(repr=False)
    owner: bool = field(default=False, repr=False)  # opened by open(): its close() may detach the file

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None) -> Self:
        target = db_path(path)
        owner_only()
        target.parent.mkdir(parents=True, exist_ok=True)
        warn_if_exposed(target)
        con = _attach(target)
        con.execute("set enable_progress_bar = false")  # DuckDB would draw one on stdout for long queries
        for name in ("schema.sql", "meetings.sql", "macros.sql", "evidence.sql", "wall.sql"):
            con.execute(_sql(name))
        _VERSIONS.pop(_key(target), None)
        return cls(target, con, owner=True)

    def cursor(self) -> Self:
        """The same database through a new cursor, for another thread or session."""
        return type(self)(self.path, self.new_cursor())

    def new_cursor(self) -> duckdb.DuckDBPyConnection:
        """A DuckDB cursor of its own on this database (a cursor starts in DuckDB's in-memory catalog)."""
        cursor = self.con.cursor()
        cursor.execute(f"use {CATALOG}")
        return cursor

    def close(self) -> None:
        self.con.close()
        if self.owner:
            self.owner = False
            _detach(self.path)

    @property
    def archive(self) -> Path:
        return self.path.parent / f"{self.path.stem}.files"

    # -- reading

    def _row(self, sql: str, params: list[object] | None = None) -> tuple | None:
        """The first row, with the result fully consumed (DuckDB 2 refuses new work on an open result)."""
        rows = self.con.execute(sql, params or []).fetchall()
        return rows[0] if rows else None

    def _scalar(self, sql: str, params: list[object] | None = None) -> object:
        row = self._row(sql, params)
        return None if row is None else row[0]

    def query(self, name: str, **params: object) -> pd.DataFrame:
        """Run queries/<name>.sql, binding the named parameters it uses."""
        sql, bound = bind(name, params)
        self.con.complete()  # a result left half-read by execute() would block the relation below
        return frame(self.con.sql(sql, params=bound).to_arrow_table(), self.con)

    def version(self) -> int:
        """Changes whenever data changes: the cache key of every figure.

        Every import and restore bumps the data_version row inside its own transaction.
        Pages ask for it before every cached query, so it is read from the database once
        and then kept in memory: a DuckDB file is written by one process at a time, and
        in this process every write goes through a Store, which updates it.
        """
        key = _key(self.path)
        found = _VERSIONS.get(key)
        if found is None:
            found = _VERSIONS[key] = self.snapshot_version()
        return found

    def snapshot_version(self) -> int:
        """The data version as this cursor sees it (inside a read transaction: that snapshot's)."""
        return int(self._scalar("select max(version) from data_version"))

    @contextlib.contextmanager
    def writing(self, subject: str, *, data: bool = True, wait: float | None = None) -> Iterator[Any]:
        """One transaction on a cursor of its own, under the process's write lock: one writer at a time.

        A second writer waits up to ``wait`` seconds (WAIT_SECONDS) for the first, then runs
        after it; past that it raises Busy and nothing is stored. ``data``: the figures change,
        so data_version is bumped in the same transaction. A killed process leaves the last
        committed state: DuckDB's write-ahead log drops an uncommitted transaction.
        """
        seconds = WAIT_SECONDS if wait is None else wait
        lock = _lock(self.path)
        if not lock.acquire(timeout=seconds):
            raise Busy(subject, seconds)
        try:
            con = self.new_cursor()
            try:
                con.begin()
                try:
                    yield con
                    if data:
                        con.execute("update data_version set version = version + 1")
                    con.commit()
                except BaseException:
                    con.rollback()
                    raise
                if data:
                    _VERSIONS[_key(self.path)] = int(
                        con.execute("select max(version) from data_version").fetchall()[0][0]
                    )
            finally:
                con.close()
        finally:
            lock.release()

    def is_empty(self) -> bool:
        return self._scalar("select count(*) from imports") == 0

    def imports(self) -> pd.DataFrame:
        return self.con.execute("select * from imports order by import_id desc").df()

    def import_warnings(self, import_id: int) -> pd.DataFrame:
        return self.con.execute(
            "select sheet, cell, message from import_warnings where import_id = ? order by rowid", [import_id]
        ).df()

    def import_risks(self, import_id: int) -> list[str]:
        """The active content the import's original holds (read.risky): macros, external_links, unc, dde, ole."""
        rows = self.con.execute(
            "select code from import_warnings where import_id = ? and code like 'risk\\_%' escape '\\' order by rowid",
            [import_id],
        ).fetchall()
        return [code.removeprefix("risk_") for (code,) in rows]

    def import_scopes(self, import_id: int) -> pd.DataFrame:
        """What an import can restore: one row per kind and department it spoke for (NULL: the whole kind)."""
        return self.con.execute(
            """
            select l.kind, s.department, bool_or(l.whole) as whole
            from loads l join load_scopes s using (load_id)
            where l.import_id = ? group by all order by min(l.load_id), s.department
            """,
            [import_id],
        ).df()

    def original(self, import_id: int) -> tuple[str, Path] | None:
        """The file name of an import's original and where it is archived (None if it is not there)."""
        found = self._row("select file_name, stored_as from imports where import_id = ?", [import_id])
        if found is None or not found[1] or not (self.archive / found[1]).is_file():
            return None
        return found[0], self.archive / found[1]

    def aliases(self) -> dict[str, str]:
        return dict(self.con.execute("select alias, department from aliases").fetchall())

    def set_alias(self, alias: str, department: str, *, by: str = "") -> None:
        """Read ``alias`` as ``department`` in imports from now on (names compared without white space)."""
        alias, department = re.sub(r"\s+", "", alias), re.sub(r"\s+", "", department)
        with self.writing(alias, data=False) as con:
            con.execute("insert or replace into aliases values (?, ?)", [alias, department])
            audit(con, by, "alias_set", alias=alias, department=department)

    def targets(self) -> dict[str, float]:
        """The lines admins set: {"completion": 0.9, "attainment": 0.95}; a line not set is absent."""
        return dict(self.con.execute("select target, rate from targets").fetchall())

    def set_target(self, target: str, rate: float | None, *, by: str = "") -> None:
        """Set (a rate from 0 to 1) or clear (None) the completion target or the attainment pass line."""
        if target not in TARGETS or (rate is not None and not 0 < rate <= 1):
            raise ValueError(f"target {target!r} takes a rate above 0 and at most 1, not {rate!r}")
        with self.writing(target, data=False) as con:
            con.execute("delete from targets where target = ?", [target])
            if rate is not None:
                con.execute("insert into targets values (?, ?)", [target, rate])
            audit(con, by, "target_set", target=target, rate=rate)

    def delete_alias(self, alias: str, *, by: str = "") -> None:
        with self.writing(alias, data=False) as con:
            con.execute("delete from aliases where alias = ?", [alias])
            audit(con, by, "alias_delete", alias=alias)

    def sources(self, as_of: dt.date | None = None) -> pd.DataFrame:
        """One row per kind, department and import whose rows are in force on ``as_of`` (None: now;
        department NULL: a whole-kind sheet)."""
        return self.query("provenance", as_of=as_of)

    def unknown_departments(self) -> pd.DataFrame:
        """Departments in the current data that are neither on the headcount sheet nor an alias's target."""
        return self.query("unknown_departments")


TARGETS = ("completion", "attainment")  # the lines an admin may set


def audit(con: Any, who: str, action: str, **detail: object) -> None:
    """One row of the audit log, written on ``con`` (inside the caller's transaction, if any)."""
    con.execute(
        "insert into audit_log values (?, ?, ?, ?)",
        [dt.datetime.now(), who, action, json.dumps(detail, ensure_ascii=False, default=str)],
    )


_NULLABLE = {
    pa.int8(): pd.Int8Dtype(),
    pa.int16(): pd.Int16Dtype(),
    pa.int32(): pd.Int32Dtype(),
    pa.int64(): pd.Int64Dtype(),
    pa.uint8(): pd.UInt8Dtype(),
    pa.uint16(): pd.UInt16Dtype(),
    pa.uint32(): pd.UInt32Dtype(),
    pa.uint64(): pd.UInt64Dtype(),
    pa.bool_(): pd.BooleanDtype(),
}


def _plain(kind: pa.DataType) -> bool:
    return (
        pa.types.is_string(kind)
        or pa.types.is_large_string(kind)
        or pa.types.is_integer(kind)
        or pa.types.is_floating(kind)
        or pa.types.is_boolean(kind)
        or pa.types.is_decimal(kind)
        or pa.types.is_date32(kind)
        or (pa.types.is_timestamp(kind) and kind.tz is None)
    )


def frame(table: pa.Table, con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """A query result as DuckDB's .df() gives it (dates as datetime64[us], integers and flags
    nullable only when a NULL is present, sums as floats), converted through Arrow: text stays
    Arrow-backed instead of becoming a Python object per cell (1M task rows: 3.8 s -> 0.7 s)."""
    if (
        table.num_rows == 0  # DuckDB gives text columns of an empty result the object dtype
        or not all(_plain(kind) for kind in table.schema.types)
        or len(set(table.column_names)) < table.num_columns
    ):
        return con.from_arrow(table).df()
    columns = {}
    for name, column in zip(table.column_names, table.columns, strict=True):
        kind = column.type
        if pa.types.is_decimal(kind):
            column = column.cast(pa.float64())
        elif pa.types.is_date32(kind):
            column = column.cast(pa.timestamp("us"))
        nullable = column.null_count > 0 and column.type in _NULLABLE
        columns[name] = column.to_pandas(types_mapper=_NULLABLE.get if nullable else None)
    return pd.DataFrame(columns, index=pd.RangeIndex(table.num_rows))


_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")


@functools.cache
def _sql(name: str) -> str:
    return (SQL / name).read_text(encoding="utf-8")


@functools.cache
def query_text(name: str) -> str:
    path = QUERIES / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"no query named {name!r} in {QUERIES}")
    return path.read_text(encoding="utf-8")


def query_names() -> list[str]:
    return sorted(p.stem for p in QUERIES.glob("*.sql"))


def query_params(name: str) -> set[str]:
    """The $names a query file uses (DuckDB rejects unused parameters, so we bind only these)."""
    sql = "\n".join(line.split("--")[0] for line in query_text(name).splitlines())
    return set(_PARAM.findall(sql))


def bind(name: str, params: dict[str, object]) -> tuple[str, dict[str, object]]:
    needed = query_params(name)
    missing = needed - params.keys()
    if missing:
        raise TypeError(f"query {name} needs parameters {sorted(missing)}")
    return query_text(name), {key: params[key] for key in needed}


def kind_table(kind: str) -> str:
    if kind not in contract.KINDS:
        raise ValueError(kind)
    return kind
