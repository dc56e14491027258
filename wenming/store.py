"""The DuckDB store: schema, all-or-nothing imports replacing rows by scope, history, queries."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from wenming import auth, contract, text
from wenming.guard import DEFAULT_LIMITS, Limits, Refused
from wenming.reader import ParsedWorkbook, SheetWarning, read_workbook

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "queries"
SQL = Path(__file__).resolve().parent / "sql"
DEFAULT_DB = ROOT / "data" / "wenming.duckdb"
_VERSIONS: dict[str, int] = {}  # database file -> its data_version, see Store.version
_LOCKS: dict[str, threading.RLock] = {}  # database file -> the process's write lock, see Store.writing
_LOCKS_GUARD = threading.Lock()
WAIT_SECONDS = 120.0  # how long a write waits for another one of this process before it gives up
FEWER_SHARE = 0.5  # a sheet keeping under this share of the rows it replaces …
FEWER_ROWS = 10  # … and at least this many fewer is confirmed first (a wrong or cut-down file)


def _key(path: Path) -> str:
    return str(Path(path).resolve())


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


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--db, else $WENMING_DB, else data/wenming.duckdb."""
    return Path(explicit or os.environ.get("WENMING_DB") or DEFAULT_DB)


@dataclass
class ImportResult:
    import_id: int | None  # None when the file was a duplicate
    file_name: str
    sheets: list[dict[str, object]]
    warnings: list[SheetWarning]
    seconds: float
    duplicate_of: int | None = None

    @property
    def rows(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for sheet in self.sheets:
            counts[str(sheet["kind"])] = counts.get(str(sheet["kind"]), 0) + int(sheet["rows"])  # type: ignore[arg-type]
        return counts


@dataclass(frozen=True)
class Fewer:
    """A sheet that would replace the rows in force for its scope with far fewer rows."""

    sheet: str
    kind: str
    before: int  # rows in force now for the sheet's scope
    after: int  # rows in the sheet

    def describe(self, lang: str | None = None) -> str:
        kind = text.t(f"kind.{self.kind}", lang)
        return text.t("fewer.sheet", lang, sheet=self.sheet, kind=kind, before=self.before, after=self.after)


@dataclass
class Store:
    """One DuckDB database file and the folder beside it holding every imported original."""

    path: Path
    con: duckdb.DuckDBPyConnection = field(repr=False)

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None) -> Store:
        target = db_path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            con = duckdb.connect(str(target))
        except duckdb.IOException as error:
            if "lock" in str(error).lower():
                raise StoreLocked(target) from None
            raise
        con.execute("set enable_progress_bar = false")  # DuckDB would draw one on stdout for long queries
        for name in ("schema.sql", "meetings.sql", "macros.sql"):
            con.execute(_sql(name))
        _VERSIONS.pop(_key(target), None)
        return cls(target, con)

    def cursor(self) -> Store:
        """The same database through a new cursor, for another thread or session."""
        return Store(self.path, self.con.cursor())

    def close(self) -> None:
        self.con.close()

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
            con = self.con.cursor()
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
            auth._audit(con, by, "alias_set", alias=alias, department=department)

    def delete_alias(self, alias: str, *, by: str = "") -> None:
        with self.writing(alias, data=False) as con:
            con.execute("delete from aliases where alias = ?", [alias])
            auth._audit(con, by, "alias_delete", alias=alias)

    def sources(self) -> pd.DataFrame:
        """One row per kind, department and import whose rows are in force (department NULL: a whole-kind sheet)."""
        return self.query("provenance")

    def unknown_departments(self) -> pd.DataFrame:
        """Departments in the current data that are neither on the headcount sheet nor an alias's target."""
        return self.query("unknown_departments")

    # -- writing

    def parse(
        self, data: bytes, file_name: str, *, as_of: dt.date | None = None, limits: Limits = DEFAULT_LIMITS
    ) -> ParsedWorkbook:
        """Read a workbook with this store's department aliases; changes nothing; raises Refused."""
        return read_workbook(data, file_name, as_of=as_of or dt.date.today(), aliases=self.aliases(), limits=limits)

    def import_file(
        self,
        data: bytes,
        file_name: str,
        *,
        user: str | auth.User,
        as_of: dt.date | None = None,
        limits: Limits = DEFAULT_LIMITS,
        accept_fewer: bool = False,
    ) -> ImportResult:
        """Read and store one workbook, all or nothing; raises Refused for a bad file, Forbidden past the user's rights."""
        started = time.perf_counter()
        importer = auth.actor(self, user)
        parsed = self.parse(data, file_name, as_of=as_of, limits=limits)
        return self.import_parsed(parsed, data, user=importer, as_of=as_of, started=started, accept_fewer=accept_fewer)

    def import_parsed(
        self,
        parsed: ParsedWorkbook,
        data: bytes,
        *,
        user: str | auth.User,
        as_of: dt.date | None = None,
        started: float | None = None,
        accept_fewer: bool = False,
    ) -> ImportResult:
        """Store a workbook read by ``parse`` (the upload page previews it first), all or nothing.

        ``user`` is who imports: with users configured, an enabled user whose role and
        departments allow every row of the file (auth.check_import), else Forbidden and
        nothing is stored. Imports of one process run one at a time (see ``writing``).
        A sheet replacing its scope with far fewer rows (see ``fewer_rows``) is refused
        unless ``accept_fewer``: the user saw the difference and confirmed it.
        """
        started = started or time.perf_counter()
        importer = auth.actor(self, user)
        auth.check_import(self, importer, parsed)
        try:
            with self.writing(parsed.file_name) as con:
                # checked under the lock: of two uploads of one file at once, the second is this no-op
                duplicate = con.execute(
                    "select min(import_id) from imports where sha256 = ? and action = 'import'", [parsed.sha256]
                ).fetchall()[0][0]
                if duplicate is not None:
                    raise _Duplicate(duplicate)
                fewer = self.fewer_rows(parsed, as_of=as_of, con=con)
                if fewer and not accept_fewer:
                    detail = "；".join(f.describe() for f in fewer)
                    raise Refused(parsed.file_name, "fewer_rows", detail=detail)
                import_id, sheets, warnings = self._store(
                    con, parsed, data, user=importer.name, as_of=as_of or dt.date.today()
                )
        except _Duplicate as duplicate:
            seconds = time.perf_counter() - started
            return ImportResult(None, parsed.file_name, [], [], seconds, duplicate_of=duplicate.import_id)
        return ImportResult(import_id, parsed.file_name, sheets, warnings, time.perf_counter() - started)

    def fewer_rows(self, parsed: ParsedWorkbook, *, as_of: dt.date | None = None, con: Any = None) -> list[Fewer]:
        """The sheets that would replace the rows in force for their scope (the whole kind, or
        their departments) with under FEWER_SHARE of them and at least FEWER_ROWS fewer.

        A sheet dated before the stored data of its scope replaces nothing now and is left out.
        """
        con = con or self.con
        in_force: dict[tuple[str, str | None], int] = {
            (kind, department): int(rows)
            for kind, department, rows in con.execute(query_text("rows_in_force")).fetchall()
        }
        found = []
        for sheet in parsed.sheets:
            effective = sheet.ref_date or as_of or dt.date.today()
            if self._older_than_stored(con, sheet.name, sheet.kind, sheet.departments, sheet.whole, effective):
                continue
            scope = None if sheet.whole else set(sheet.departments)
            before = sum(n for (k, d), n in in_force.items() if k == sheet.kind and (scope is None or d in scope))
            after = sheet.table.num_rows
            if after < before * FEWER_SHARE and before - after >= FEWER_ROWS:
                found.append(Fewer(sheet.name, sheet.kind, before, after))
        return found

    def _store(
        self, con: Any, parsed: ParsedWorkbook, data: bytes, *, user: str, as_of: dt.date
    ) -> tuple[int, list[dict[str, object]], list[SheetWarning]]:
        suffix = Path(parsed.file_name).suffix.lower()
        stored_as = f"{parsed.sha256}{suffix}"
        self.archive.mkdir(parents=True, exist_ok=True)
        target = self.archive / stored_as
        if not target.exists():
            partial = target.with_suffix(".part")
            partial.write_bytes(data)
            partial.replace(target)
        warnings = list(parsed.warnings)
        import_id = con.execute("select nextval('import_ids')").fetchall()[0][0]
        sheets_log = []
        for sheet in parsed.sheets:
            effective = sheet.ref_date or as_of
            warnings += self._older_than_stored(con, sheet.name, sheet.kind, sheet.departments, sheet.whole, effective)
            self._insert_load(
                con, import_id, sheet.kind, sheet.name, sheet.whole, effective, sheet.departments, sheet.table
            )
            sheets_log.append(
                {
                    "sheet": sheet.name,
                    "kind": sheet.kind,
                    "rows": sheet.table.num_rows,
                    "header_row": sheet.header_row,
                    "ref_date": sheet.ref_date.isoformat() if sheet.ref_date else None,
                    "effective_on": effective.isoformat(),
                }
            )
        con.execute(
            "insert into imports values (?, ?, ?, ?, ?, ?, ?, 'import', null, ?, ?, ?)",
            [
                import_id,
                dt.datetime.now(),
                user,
                parsed.file_name,
                parsed.sha256,
                parsed.size,
                stored_as,
                json.dumps(sheets_log, ensure_ascii=False),
                json.dumps(parsed.rows_by_kind()),
                len(warnings),
            ],
        )
        self._insert_warnings(con, import_id, warnings)
        return import_id, sheets_log, warnings

    @staticmethod
    def _insert_load(
        con: Any,
        import_id: int,
        kind: str,
        sheet: str,
        whole: bool,
        effective: dt.date,
        departments: list[str | None],
        table: pa.Table,
    ) -> int:
        load_id = con.execute("select nextval('load_ids')").fetchall()[0][0]
        con.execute("insert into loads values (?, ?, ?, ?, ?, ?)", [load_id, import_id, kind, sheet, whole, effective])
        scope = [None] if whole else departments  # a department sheet with no rows replaces nothing
        scopes = pa.table(
            {
                "load_id": pa.array([load_id] * len(scope), pa.int32()),
                "department": pa.array(scope, pa.string()),
            }
        )
        con.register("incoming_scopes", scopes)
        con.execute("insert into load_scopes select * from incoming_scopes")
        con.unregister("incoming_scopes")
        rows = table.append_column("load_id", pa.repeat(pa.scalar(load_id, pa.int32()), table.num_rows))
        con.register("incoming_rows", rows)
        con.execute(f"insert into {_kind_table(kind)} by name select * from incoming_rows")
        con.unregister("incoming_rows")
        return load_id

    @staticmethod
    def _older_than_stored(
        con: Any, sheet: str, kind: str, departments: list[str | None], whole: bool, effective: dt.date
    ) -> list[SheetWarning]:
        """A sheet dated before the stored data of its scope is kept as history only."""
        newest = con.execute(
            """
            select max(l.effective_on) from loads l join load_scopes s using (load_id)
            where l.kind = ? and (? or l.whole or list_contains(?, s.department))
            """,
            [kind, whole, [d for d in departments if d is not None]],
        ).fetchall()[0][0]
        if newest is not None and effective < newest:
            return [SheetWarning(sheet, "", "older_snapshot", {"ref_date": effective.isoformat()})]
        return []

    def _insert_warnings(self, con: Any, import_id: int, warnings: list[SheetWarning]) -> None:
        if not warnings:
            return
        table = pa.table(
            {
                "import_id": pa.array([import_id] * len(warnings), pa.int32()),
                "sheet": [w.sheet for w in warnings],
                "cell": [w.cell for w in warnings],
                "code": [w.code for w in warnings],
                "params": [json.dumps(w.params, ensure_ascii=False, default=str) for w in warnings],
                "message": [w.message("zh") for w in warnings],
            }
        )
        con.register("incoming_warnings", table)
        con.execute("insert into import_warnings select * from incoming_warnings")
        con.unregister("incoming_warnings")

    def restore(
        self,
        source: int,
        *,
        user: str | auth.User,
        kind: str | None = None,
        department: str | None = None,
    ) -> int:
        """Bring back the rows of an earlier import (optionally one kind/department) as a new import.

        Admins only (when users are configured). With a department, only the sheets of the
        import that spoke for that department (or for their whole kind) are brought back,
        so a department is never emptied by restoring an import that did not hold it.
        Raises KeyError for an unknown import, ValueError when it holds nothing to restore.
        """
        found = self._row("select file_name, sha256, size_bytes, stored_as from imports where import_id = ?", [source])
        if found is None:
            raise KeyError(source)
        restorer = auth.actor(self, user)
        auth.check_restore(restorer, found[0])
        loads = self.con.execute(
            """
            select l.load_id, l.kind, l.sheet, l.whole, l.effective_on from loads l
            where l.import_id = $source and ($kind is null or l.kind = $kind)
              and ($department is null or l.whole
                   or exists (select 1 from load_scopes s where s.load_id = l.load_id and s.department = $department))
            order by l.load_id
            """,
            {"source": source, "kind": kind, "department": department},
        ).fetchall()
        if not loads:
            raise ValueError(source)
        with self.writing(found[0]) as con:
            import_id = con.execute("select nextval('import_ids')").fetchall()[0][0]
            sheets_log, rows_by_kind = [], {}
            for old_load, load_kind, sheet, whole, effective in loads:
                table = con.sql(
                    f"select * exclude (load_id) from {_kind_table(load_kind)}"
                    " where load_id = $load and ($department is null or department = $department)",
                    params={"load": old_load, "department": department},
                ).to_arrow_table()
                if department is not None:
                    departments: list[str | None] = [department]
                    whole = False
                else:
                    departments = [
                        r[0]
                        for r in con.execute(
                            "select department from load_scopes where load_id = ?", [old_load]
                        ).fetchall()
                    ]
                newest = con.execute("select max(effective_on) from loads where kind = ?", [load_kind]).fetchall()[0][0]
                effective_now = max(effective, newest) if newest else effective
                self._insert_load(con, import_id, load_kind, sheet, whole, effective_now, departments, table)
                sheets_log.append(
                    {
                        "sheet": sheet,
                        "kind": load_kind,
                        "rows": table.num_rows,
                        "effective_on": effective_now.isoformat(),
                        "department": department,
                    }
                )
                rows_by_kind[load_kind] = rows_by_kind.get(load_kind, 0) + table.num_rows
            con.execute(
                "insert into imports values (?, ?, ?, ?, ?, ?, ?, 'restore', ?, ?, ?, 0)",
                [
                    import_id,
                    dt.datetime.now(),
                    restorer.name,
                    found[0],
                    found[1],
                    found[2],
                    found[3],
                    source,
                    json.dumps(sheets_log, ensure_ascii=False),
                    json.dumps(rows_by_kind),
                ],
            )
            auth._audit(
                con, restorer.name, "restore", source=source, import_id=import_id, kind=kind, department=department
            )
        return import_id


class _Duplicate(Exception):
    """Raised inside a write to roll it back when the file was imported before."""

    def __init__(self, import_id: int) -> None:
        super().__init__(import_id)
        self.import_id = import_id


# ---------------------------------------------------------------- queries

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


def _kind_table(kind: str) -> str:
    if kind not in contract.KINDS:
        raise ValueError(kind)
    return kind


__all__ = ["DEFAULT_DB", "Busy", "ImportResult", "Refused", "Store", "StoreLocked", "db_path"]
