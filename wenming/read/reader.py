"""Reading tracker workbooks into typed Arrow tables, one per recognised sheet (WORKBOOKS.md §2–4).

Cells are read once (read.plain with numpy, else python-calamine) into a ``grid.Grid``: each column is a
code per row into the column's distinct values. Work is done column by column with
numpy and every parser runs once per distinct value, so a 100k-row tracker with a
few hundred distinct deadlines parses a few hundred deadlines; text columns leave as
dictionary-encoded Arrow arrays. The text work on a column's distinct texts (NFKC, trimming, the
footer and subtotal words) is done in Arrow all at once (read.texts), so a tracker whose every
task is a sentence of its own, 100k distinct texts, reads fast too. Large sheets are parsed in parts on two threads
(see wenming.read.xlsx): a 100k-row tracker reads in under a second. Before calamine sees a
sheet, its XML is measured against the row and cell limits and its formula cells
without a cached value are found (calamine reads them as blank): each becomes a warning.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from wenming.read import contract, formats, risky, values
from wenming.read.columns import ColumnParsers
from wenming.read.grid import Cell, Column, Grid, Merge
from wenming.read.guard import DEFAULT_LIMITS, Limits, Refused, Rejected
from wenming.read.layout import Header, apply_merges, closest_kind, find_header, match_roles
from wenming.read.notices import SheetWarning, grouped

__all__ = ["ParsedSheet", "ParsedWorkbook", "SheetWarning", "read_sheet", "read_workbook"]


@dataclass
class ParsedSheet:
    name: str
    kind: str
    header_row: int  # Excel row number of the header
    columns: dict[str, str]  # role -> column letter
    ref_date: dt.date | None  # the "截至" date of the title rows
    table: pa.Table  # one row per data row, columns named as in the store
    warnings: list[SheetWarning]
    headers: list[tuple[str, str, str | None]] = field(default_factory=list)  # (letter, header, role or None)
    unit_wide: bool = False  # no department column, read as the whole unit's (全单位): its scope
    all_staff: np.ndarray | None = None  # rows whose people are 全体干部职工 (filled in with the headcount)
    taught: list[str] = field(default_factory=list)  # the organisation's words used: "牵头股室=department"

    @property
    def whole(self) -> bool:
        """A sheet with no department column replaces its whole kind (unless read as 全单位's)."""
        return "department" not in self.columns and not self.unit_wide

    @property
    def departments(self) -> list[str | None]:
        """The departments this sheet speaks for (None: rows with no department)."""
        found = set(pc.unique(self.table.column("department")).to_pylist())
        return sorted(found, key=lambda d: (d is None, d or ""))


@dataclass
class ParsedWorkbook:
    file_name: str
    sha256: str
    size: int
    sheets: list[ParsedSheet]
    warnings: list[SheetWarning]  # sheet-level and cell-level, in sheet order

    def rows_by_kind(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for sheet in self.sheets:
            counts[sheet.kind] = counts.get(sheet.kind, 0) + sheet.table.num_rows
        return counts


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# ---------------------------------------------------------------- workbook


def read_workbook(
    data: bytes,
    file_name: str,
    *,
    as_of: dt.date,
    aliases: dict[str, str] | None = None,
    limits: Limits = DEFAULT_LIMITS,
    words: contract.Words = contract.NO_WORDS,
    headcount: float | None = None,
) -> ParsedWorkbook:
    """Read every sheet of a known kind; raise Refused for a file that cannot be imported.
    Any format read.formats knows (.xlsx/.xlsm, .xls/.et, .xlsb, .ods, CSV), told by content.

    ``words`` are the organisation's own (taught) words; ``headcount`` is the total headcount
    in force, for 全体干部职工 (a headcount sheet of the same workbook comes first)."""
    try:
        sources = formats.open_book(data, file_name, limits)
    except Refused:
        raise
    except BaseException as error:  # calamine raises several error types for damaged files, or panics
        raise _damaged(file_name, error) from None
    if len(sources) > limits.sheets:
        raise Refused(file_name, "too_many_sheets", count=len(sources), limit=limits.sheets)
    sheets: list[ParsedSheet] = []
    warnings: list[SheetWarning] = []
    names_with_content: list[str] = []
    hidden: list[str] = []
    for meta in sources:
        if meta.note is not None:
            if meta.note:
                warnings.append(SheetWarning(meta.name, "", meta.note))
            continue
        try:
            cells, merges, shape = meta.read()
        except Rejected as rejected:
            raise rejected.refused(file_name) from None
        except BaseException as error:
            raise _damaged(file_name, error) from None
        if not cells.has_content() and not shape.formulas:
            continue
        names_with_content.append(meta.name)
        if not meta.visible:
            hidden.append(meta.name)
            warnings.append(SheetWarning(meta.name, "", "sheet_hidden"))
            continue
        if cells.height > limits.rows:
            raise Refused(file_name, "too_many_rows", sheet=meta.name, rows=cells.height, limit=limits.rows)
        warnings.extend(formula_warnings(meta.name, shape.formulas))
        parsed = read_sheet(
            meta.name, cells, merges, as_of=as_of, aliases=aliases, words=words, hidden=shape.hidden_columns
        )
        if parsed is None:
            warnings.append(skipped(meta.name, cells, words))
        else:
            sheets.append(parsed)
            warnings.extend(parsed.warnings)
    if not names_with_content:
        raise Refused(file_name, "no_sheets")
    if not sheets and len(hidden) == len(names_with_content):
        raise Refused(file_name, "sheets_hidden", sheets="、".join(hidden))
    near = [w for w in warnings if w.code == "sheet_missing_role"]
    if not sheets and near:
        first = near[0]
        raise Refused(
            file_name,
            "missing_role",
            detail=first.message(),
            headers=first.params["headers"],
            role=first.params["role"],
        )
    if not sheets:
        raise Refused(file_name, "no_known_sheet", sheets="、".join(names_with_content))
    warnings[:0] = [SheetWarning("", "", f"risk_{code}") for code in risky.scan_file(data)]  # the whole workbook's
    warnings.extend(fill_all_staff(sheets, headcount))
    digest = hashlib.sha256(data).hexdigest()
    return ParsedWorkbook(file_name, digest, len(data), sheets, warnings)


def fill_all_staff(sheets: list[ParsedSheet], headcount: float | None) -> list[SheetWarning]:
    """People written as 全体干部职工 are the total headcount: the workbook's own headcount sheet,
    else the headcount in force; without either they stay unknown. One warning per column."""
    own = [s.table.column("people") for s in sheets if s.kind == "headcount"]
    total = sum(pc.sum(c).as_py() or 0 for c in own) if own else headcount
    found: list[SheetWarning] = []
    for sheet in sheets:
        if sheet.all_staff is None or not sheet.all_staff.any():
            continue
        rows = sheet.table.column("row_no").to_numpy()[sheet.all_staff]
        letter = sheet.columns["people"]
        if total is None:
            found.append(grouped(sheet.name, letter, rows, "all_staff_unknown"))
            continue
        people = pc.if_else(pa.array(sheet.all_staff), pa.scalar(float(total)), sheet.table.column("people"))
        sheet.table = sheet.table.set_column(sheet.table.schema.get_field_index("people"), "people", people)
        found.append(grouped(sheet.name, letter, rows, "all_staff", per_row={"people": [f"{total:g}"]}))
    return found


def skipped(name: str, cells: Grid, words: contract.Words) -> SheetWarning:
    """Why a sheet with content was not read: the kind its header comes closest to and the required
    column it lacks, with the header cells no role reads (one of them may be that column, to map);
    else that no header was found."""
    near = closest_kind(cells.rows(0, contract.HEADER_SCAN_ROWS), words.kinds())
    if near is None:
        return SheetWarning(name, "", "sheet_skipped")
    header, missing = near
    used = set(header.columns.values())
    unused = [text for i, text in enumerate(header.cells) if text and i not in used]
    return SheetWarning(
        name,
        "",
        "sheet_missing_role",
        {
            "kind": header.kind.name,
            "row": header.row + 1,
            "role": missing[0],
            "synonym": header.kind.roles[missing[0]][0],
            "unused": "、".join(f"“{u}”" for u in unused[:5]) or "—",
            "example": unused[0] if unused else header.kind.roles[missing[0]][0],
            "headers": unused,
        },
    )


def _damaged(file_name: str, error: BaseException) -> Refused:
    """The refusal of a file a parser failed on; a panic inside calamine arrives as pyo3's
    PanicException, a BaseException, and is a damaged file too. Interrupts go on."""
    if isinstance(error, (KeyboardInterrupt, SystemExit, GeneratorExit)):
        raise error
    return Refused(file_name, "corrupt")


def formula_warnings(sheet: str, cells: Sequence[tuple[int, int]]) -> list[SheetWarning]:
    """One warning per run of formula cells without a cached value down a column (H5:H9), in
    column then row order: calamine reads such a cell as blank, and a blank must not pass unseen."""
    found: list[SheetWarning] = []
    runs: list[list[int]] = []  # [column, first row, last row]
    for row, col in sorted(cells, key=lambda cell: (cell[1], cell[0])):
        if runs and runs[-1][0] == col and runs[-1][2] == row - 1:
            runs[-1][2] = row
        else:
            runs.append([col, row, row])
    for col, first, last in runs:
        letter = column_letter(col - 1)
        ref = f"{letter}{first}" if first == last else f"{letter}{first}:{letter}{last}"
        found.append(SheetWarning(sheet, ref, "formula_no_value"))
    return found


# ---------------------------------------------------------------- sheet


def read_sheet(
    name: str,
    cells: Grid,
    merges: np.ndarray,
    *,
    as_of: dt.date,
    aliases: dict[str, str] | None = None,
    words: contract.Words = contract.NO_WORDS,
    hidden: frozenset[int] = frozenset(),
) -> ParsedSheet | None:
    """One sheet as a ParsedSheet, or None when it is of no known kind. A ``hidden`` column gives
    way to a visible one of the same role, and is reported either way."""
    horizontal = apply_merges(cells, merges)
    head = cells.rows(0, contract.HEADER_SCAN_ROWS)
    header = find_header(head, words.kinds(), hidden)
    if header is None:
        return None
    ref_date = values.reference_date([_title_line(row) for row in head[: header.row]])
    sheet = _SheetReader(name, header, cells.below(header.row + 1), ref_date or as_of, aliases or {}, words)
    sheet.warnings.extend(hidden_column_warnings(name, header, hidden))
    labels, data = sheet.masks(head[header.row], horizontal)
    table = sheet.build(labels, data)
    if table.num_rows == 0:
        sheet.warnings.append(SheetWarning(name, "", "sheet_empty"))
    sheet.warnings.extend(missing_column_warnings(name, header, table.num_rows))
    roles = header.roles_by_column()
    return ParsedSheet(
        name=name,
        kind=header.kind.name,
        header_row=header.row + 1,
        columns={role: column_letter(i) for role, i in header.columns.items()},
        ref_date=ref_date,
        table=table,
        warnings=sheet.warnings,
        headers=[(column_letter(i), text, roles.get(i)) for i, text in enumerate(header.cells) if text or i in roles],
        unit_wide=sheet.unit_wide,
        all_staff=sheet.all_staff,
        taught=[*_taught_headers(header, words), *sorted(sheet.taught_used)],
    )


# The columns saying whether a row is finished: a sheet with none counts every row as open.
FINISHED_ROLES = {"tasks": ("status", "decision", "progress", "done_on"), "issues": ("status", "decision", "closed_on")}


def missing_column_warnings(name: str, header: Header, rows: int) -> list[SheetWarning]:
    """A task list or ledger without a column saying what is finished (every row counts as not done),
    or without a deadline (no row is ever overdue): the figures would show it only as zeros."""
    kind = header.kind.name
    if kind not in FINISHED_ROLES or not rows:
        return []
    found = []
    if not any(role in header.columns for role in FINISHED_ROLES[kind]):
        found.append(SheetWarning(name, "", f"no_finished_{kind}", {"rows": f"{rows:,}"}))
    if "deadline" not in header.columns:
        found.append(SheetWarning(name, "", f"no_deadline_{kind}", {"rows": f"{rows:,}"}))
    return found


def hidden_column_warnings(name: str, header: Header, hidden: frozenset[int]) -> list[SheetWarning]:
    """A hidden column whose header names a role: read (no visible column has the role), or not
    read (a visible one has it). A clerk does not see it, so neither passes unsaid."""
    found = []
    for index in sorted(hidden):
        text = header.cells[index] if index < len(header.cells) else ""
        roles = list(match_roles([text], header.kind)) if text else []
        if not roles:
            continue
        cell = f"{column_letter(index)}{header.row + 1}"
        used = header.columns[roles[0]]
        if used == index:
            found.append(SheetWarning(name, cell, "column_hidden_read", {"column": text}))
        else:
            params = {"column": text, "letter": column_letter(used), "visible": header.cells[used]}
            found.append(SheetWarning(name, cell, "column_hidden_unused", params))
    return found


def _title_line(cells: Sequence[Cell]) -> str:
    """A title row as one line: its texts, and its date cells in ISO form, so "填报日期：" with the
    date in the next cell reads as one."""
    parts = []
    for cell in cells:
        if isinstance(cell, dt.date):
            parts.append((cell.date() if isinstance(cell, dt.datetime) else cell).isoformat())
        elif isinstance(cell, str) and cell:
            parts.append(cell)
    return " ".join(parts)


def _taught_headers(header: Header, words: contract.Words) -> list[str]:
    """The header cells read by a taught header word: "牵头股室=department"."""
    used = []
    for role, index in header.columns.items():
        cell = contract.normalize_header(header.cells[index]) if index < len(header.cells) else ""
        for word, taught_role in words.headers.items():
            if taught_role == role and cell.startswith(contract.normalize_header(word)):
                used.append(f"{word}={role}")
                break
    return used


class _SheetReader(ColumnParsers):
    """The column-wise work on one sheet's data rows (the rows below its header)."""

    def __init__(
        self,
        name: str,
        header: Header,
        body: Grid,
        ref: dt.date,
        aliases: dict[str, str],
        words: contract.Words = contract.NO_WORDS,
    ) -> None:
        self.name = name
        self.header = header
        self.kind = header.kind
        self.body = body
        self.ref = ref
        self.ref_year = ref.year
        self.aliases = {values.compact(alias): values.compact(name) for alias, name in aliases.items()}
        self.taught = dict(words.values)
        self.taught_used: set[str] = set()
        self.first_row = header.row + 2  # Excel row number of body[0]
        self.warnings: list[SheetWarning] = []
        self.written: dict[str, np.ndarray] = {}  # date role -> cell holds a date or unknown text
        self.dates: dict[str, pa.Array] = {}
        self.ongoing = np.zeros(body.height, dtype=bool)
        self.row_no = np.arange(self.first_row, self.first_row + body.height, dtype=np.int64)
        self._nonempty: dict[int, np.ndarray] = {}
        self.unit_wide = False
        self.all_staff: np.ndarray | None = None

    @property
    def n(self) -> int:
        return self.body.height

    def raw(self, index: int) -> Column:
        return self.body.column(index)

    def role(self, role: str) -> Column | None:
        index = self.header.columns.get(role)
        return None if index is None else self.raw(index)

    def nonempty(self, index: int) -> np.ndarray:
        if index not in self._nonempty:
            self._nonempty[index] = self.raw(index).nonempty()
        return self._nonempty[index]

    def letter(self, role: str) -> str:
        return column_letter(self.header.columns[role])

    def header_text(self, role: str) -> str:
        index = self.header.columns[role]
        return self.header.cells[index] if index < len(self.header.cells) else ""

    # -- which rows are data

    def masks(self, header_cells: list[Cell], horizontal: list[Merge]) -> tuple[np.ndarray, np.ndarray]:
        """(label rows, data rows): label rows are all but footers, repeated headers and section
        headings, and feed the fill-down; data rows are label rows holding the text role."""
        text_col = self.header.columns[self.kind.text_role]
        column = self.raw(text_col)
        forms = column.forms()
        has_text = forms.nonblank()[column.codes]
        repeated = forms.equal(values.clean_text(header_cells[text_col]))[column.codes]
        footer = self._footer_rows(text_col)
        section = self._section_rows(horizontal, text_col)
        labels = ~footer & ~repeated & ~section
        self._warn_rows_without_text(labels & ~has_text, text_col, header_cells)
        return labels, labels & has_text

    def _footer_rows(self, text_col: int) -> np.ndarray:
        """Rows whose first non-empty cell starts with 合计, 小计, 其中, 填表人, …, and rows with a
        subtotal label in a known column up to the text column (小计 beside a merged 测评项目); a
        subtotal or average word may also end the label (机关小计, 煤矿合计, 全局平均值)."""
        footer = np.zeros(self.n, dtype=bool)
        undecided = np.ones(self.n, dtype=bool)
        subtotal = np.zeros(self.n, dtype=bool)
        labels = {index for index in self.header.columns.values() if index <= text_col}
        for index in range(self.body.width):
            column = self.raw(index)
            first = undecided & self.nonempty(index)
            if first.any():
                footer |= column.word_flags(
                    contract.FOOTER_PREFIXES, contract.SUMMARY_SUFFIXES, contract.FOOTER_BOUNDED, rows=first
                )
            undecided &= ~first
            if index in labels:
                subtotal |= column.word_flags(contract.SUBTOTAL_PREFIXES, contract.SUMMARY_SUFFIXES)
            elif index > text_col and not undecided.any():
                break
        return subtotal | footer

    def _section_rows(self, horizontal: list[Merge], text_col: int) -> np.ndarray:
        """Rows of a heading merged across the text column and another known column, with no
        value in any known column outside the merge (a merged 测评项目/测评内容 with points is data)."""
        section = np.zeros(self.n, dtype=bool)
        known = set(self.header.columns.values()) - {text_col}
        offset = self.header.row + 1  # rows index of body[0]
        for (r0, c0), (r1, c1) in horizontal:
            if not (c0 <= text_col <= c1 and any(c0 <= k <= c1 for k in known)):
                continue
            start, stop = max(r0 - offset, 0), min(r1 - offset + 1, self.n)
            if start >= stop:
                continue
            empty = np.ones(stop - start, dtype=bool)
            for k in known:
                if not c0 <= k <= c1:
                    empty &= ~self.nonempty(k)[start:stop]
            section[start:stop] = empty
        return section

    def _warn_rows_without_text(self, candidates: np.ndarray, text_col: int, header_cells: list[Cell]) -> None:
        """A row with values but no task/problem/… is reported, never dropped silently."""
        if not candidates.any():
            return
        carrying = np.zeros(self.n, dtype=bool)
        for role, index in self.header.columns.items():
            if index == text_col or role in self.kind.fill_down:
                continue
            carrying |= self.nonempty(index)
        rows = self.row_no[candidates & carrying]
        if not len(rows):
            return
        header_text = values.clean_text(header_cells[text_col])
        self.warnings.append(
            grouped(
                self.name,
                column_letter(text_col),
                rows,
                "row_without_text",
                per_row={"row": rows, "header": [header_text]},
            )
        )

    # -- typed columns

    def build(self, labels: np.ndarray, data: np.ndarray) -> pa.Table:
        levels = {role: self.role(role) for role in self.kind.fill_down}
        filled = _fill_down({role: None if raw is None else raw.take(labels) for role, raw in levels.items()})
        filled = {role: column.take(data[labels]) for role, column in filled.items()}
        self.body = self.body.take(data)
        self.row_no = self.row_no[data]
        self._nonempty = {}
        self.ongoing = np.zeros(self.n, dtype=bool)
        columns: dict[str, pa.Array] = {
            "sheet": pa.repeat(pa.scalar(self.name, pa.string()), self.n),
            "row_no": pa.array(self.row_no, pa.int64()),
        }
        for role in self.kind.roles:
            raw = filled[role] if role in filled else self.role(role)
            if raw is None:
                continue
            columns.update(self.typed(role, raw))
        if "department" not in columns:
            default = self.kind.default.get("department")
            self.unit_wide = default is not None
            columns["department"] = pa.repeat(pa.scalar(default, pa.string()), self.n)
        self._warn_duplicates(filled)
        if self.kind.name == "tasks":
            columns.update(self.task_status())
        elif self.kind.name == "issues":
            columns.update(self.issue_status())
        elif self.kind.name == "scores":
            columns.update(self.scores(columns))
        return pa.table(columns)

    def _warn_duplicates(self, filled: dict[str, Column]) -> None:
        """A row identical to an earlier one in every cell (fill-down applied) is kept, since the
        figures count what the sheet shows, and reported with the earlier row: it was entered twice.
        A row of its own 序号 was numbered as a row of its own, and is not reported."""
        if self.n < 2:
            return
        roles = {index: role for role, index in self.header.columns.items()}
        codes = [
            (filled[roles[index]] if roles.get(index) in filled else self.raw(index)).codes
            for index in range(self.body.width)
        ]
        key = np.zeros(self.n, np.uint64)
        with np.errstate(over="ignore"):
            for column in codes:
                key = key * np.uint64(0x100000001B3) + column.astype(np.uint64)
        groups, _ = pd.factorize(key, sort=False)
        if len(groups) == 0 or np.bincount(groups).max() < 2:
            return
        candidates = np.flatnonzero(np.bincount(groups)[groups] > 1)
        first: dict[tuple[int, ...], int] = {}
        repeats: list[tuple[int, int]] = []  # (row, its first)
        for i in candidates.tolist():
            row = tuple(int(column[i]) for column in codes)
            if row in first:
                repeats.append((int(self.row_no[i]), first[row]))
            else:
                first[row] = int(self.row_no[i])
        if repeats:
            rows = np.array([row for row, _ in repeats])
            letter = column_letter(self.header.columns[self.kind.text_role])
            self.warnings.append(
                grouped(self.name, letter, rows, "duplicate_row", per_row={"first": [f for _, f in repeats]})
            )


def _fill_down(levels: dict[str, Column | None]) -> dict[str, Column]:
    """Blank class/category/item cells take the value above them ("as above").

    Levels are filled from the top (class, category, item); a lower level is only
    filled within a group of its higher level, so a new 测评项目 with a blank
    测评内容 does not inherit the previous category's item.
    """
    filled: dict[str, Column] = {}
    boundary: np.ndarray | None = None
    for role, raw in levels.items():
        if raw is None:
            continue
        n = len(raw)
        if boundary is None:
            boundary = np.zeros(n, dtype=bool)
        rows = np.arange(n)
        blank = raw.flags(values.is_blank)
        last = np.maximum.accumulate(np.where(blank, -1, rows)) if n else rows  # last non-blank row so far
        group = np.maximum.accumulate(np.where(boundary, rows, 0)) if n else rows  # first row of the group
        source = np.where(last >= group, last, -1)
        empty = raw.code("")
        codes = np.where(source >= 0, raw.codes[np.maximum(source, 0)], empty).astype(np.int32)
        filled[role] = Column(codes, raw.uniques, sparse=True)
        changed = np.ones(n, dtype=bool)
        changed[1:] = codes[1:] != codes[:-1]
        boundary = boundary | changed
    return filled
