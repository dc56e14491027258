"""Imports: a workbook read, checked against the importer's rights and stored all or nothing, replacing rows by scope; restores."""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from wenming import text
from wenming.read.guard import DEFAULT_LIMITS, Limits, Refused
from wenming.read.reader import ParsedWorkbook, SheetWarning, read_workbook
from wenming.store import auth, words
from wenming.store.db import Database, audit, kind_table, query_text

FEWER_SHARE = 0.5  # a sheet keeping under this share of the rows it replaces …
FEWER_ROWS = 10  # … and at least this many fewer is confirmed first (a wrong or cut-down file)


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


class Store(Database):
    """A database that takes imports: all or nothing, replacing rows by scope, kept in the history."""

    # -- writing

    def parse(
        self, data: bytes, file_name: str, *, as_of: dt.date | None = None, limits: Limits = DEFAULT_LIMITS
    ) -> ParsedWorkbook:
        """Read a workbook with this store's department aliases and taught words (and its headcount,
        for 全体干部职工); changes nothing; raises Refused."""
        headcount = self._scalar("select sum(people) from headcount_at(null)")
        return read_workbook(
            data,
            file_name,
            as_of=as_of or dt.date.today(),
            aliases=self.aliases(),
            limits=limits,
            words=words.load(self),
            headcount=float(headcount) if headcount is not None else None,
        )

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
                    "taught": sheet.taught,  # the organisation's own words this sheet was read with
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
        con.execute(f"insert into {kind_table(kind)} by name select * from incoming_rows")
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
                # grouped (WORKBOOKS.md §8): the count, the first cells and the distinct values read badly
                "params": [json.dumps(w.record(), ensure_ascii=False, default=str) for w in warnings],
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
                    f"select * exclude (load_id) from {kind_table(load_kind)}"
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
            audit(con, restorer.name, "restore", source=source, import_id=import_id, kind=kind, department=department)
        return import_id


class _Duplicate(Exception):
    """Raised inside a write to roll it back when the file was imported before."""

    def __init__(self, import_id: int) -> None:
        super().__init__(import_id)
        self.import_id = import_id


# ---------------------------------------------------------------- queries
