"""Reading tracker workbooks into typed Arrow tables, one per recognised sheet (WORKBOOKS.md §2–4).

Cells are read once with python-calamine into a ``grid.Grid``: each column is a
code per row into the column's distinct values. Work is done column by column with
numpy and every parser runs once per distinct value, so a 100k-row tracker with a
few hundred distinct deadlines parses a few hundred deadlines; text columns leave as
dictionary-encoded Arrow arrays. Large sheets are parsed in parts on two threads
(see wenming.read.grid): a 100k-row tracker reads in under a second. Before calamine sees a
sheet, its XML is measured against the row and cell limits and its formula cells
without a cached value are found (calamine reads them as blank): each becomes a warning.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from wenming import text
from wenming.read import contract, formats, risky, values
from wenming.read.grid import Cell, Column, Grid, Merge
from wenming.read.guard import DEFAULT_LIMITS, Limits, Refused, Rejected
from wenming.read.layout import Header, apply_merges, find_header


@dataclass(frozen=True)
class SheetWarning:
    """Something a user should fix, pointing at a sheet and, where it can, a cell."""

    sheet: str
    cell: str  # "H17"; empty when the warning is about the whole sheet
    code: str
    params: dict[str, object] = field(default_factory=dict)

    @property
    def ref(self) -> str:
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet

    def message(self, lang: str | None = None) -> str:
        return text.t(f"warn.{self.code}", lang, ref=self.ref, sheet=self.sheet, **self.params)


@dataclass
class ParsedSheet:
    name: str
    kind: str
    header_row: int  # Excel row number of the header
    columns: dict[str, str]  # role -> column letter
    ref_date: dt.date | None  # the "截至" date of the title rows
    table: pa.Table  # one row per data row, columns named as in the store
    warnings: list[SheetWarning]

    @property
    def whole(self) -> bool:
        """A sheet with no department column replaces its whole kind."""
        return "department" not in self.columns

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
) -> ParsedWorkbook:
    """Read every sheet of a known kind; raise Refused for a file that cannot be imported.
    Any format read.formats knows (.xlsx/.xlsm, .xls/.et, .xlsb, .ods, CSV), told by content."""
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
        parsed = read_sheet(meta.name, cells, merges, as_of=as_of, aliases=aliases)
        if parsed is None:
            warnings.append(SheetWarning(meta.name, "", "sheet_skipped"))
        else:
            sheets.append(parsed)
            warnings.extend(parsed.warnings)
    if not names_with_content:
        raise Refused(file_name, "no_sheets")
    if not sheets and len(hidden) == len(names_with_content):
        raise Refused(file_name, "sheets_hidden", sheets="、".join(hidden))
    if not sheets:
        raise Refused(file_name, "no_known_sheet", sheets="、".join(names_with_content))
    warnings[:0] = [SheetWarning("", "", f"risk_{code}") for code in risky.scan_file(data)]  # the whole workbook's
    digest = hashlib.sha256(data).hexdigest()
    return ParsedWorkbook(file_name, digest, len(data), sheets, warnings)


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
) -> ParsedSheet | None:
    """One sheet as a ParsedSheet, or None when it is of no known kind."""
    horizontal = apply_merges(cells, merges)
    head = cells.rows(0, contract.HEADER_SCAN_ROWS)
    header = find_header(head)
    if header is None:
        return None
    ref_date = values.reference_date([str(v) for row in head[: header.row] for v in row if isinstance(v, str) and v])
    sheet = _SheetReader(name, header, cells.below(header.row + 1), ref_date or as_of, aliases or {})
    labels, data = sheet.masks(head[header.row], horizontal)
    table = sheet.build(labels, data)
    if table.num_rows == 0:
        sheet.warnings.append(SheetWarning(name, "", "sheet_empty"))
    return ParsedSheet(
        name=name,
        kind=header.kind.name,
        header_row=header.row + 1,
        columns={role: column_letter(i) for role, i in header.columns.items()},
        ref_date=ref_date,
        table=table,
        warnings=sheet.warnings,
    )


def _per_row(column: Column, per_unique: Sequence[object], type_: pa.DataType) -> pa.Array:
    """A value per distinct value of ``column``, spread to its rows (None is null); text stays
    dictionary-encoded, so a million rows hold each distinct text once."""
    codes = pa.array(column.codes, pa.int32())
    if type_ == pa.string():
        return pa.DictionaryArray.from_arrays(codes, pa.array(per_unique, type_))
    return pa.array(per_unique, type_).take(codes)


def _flags(column: Column, per_unique: Sequence[object]) -> np.ndarray:
    return np.fromiter(per_unique, dtype=bool, count=len(per_unique))[column.codes]


class _SheetReader:
    """The column-wise work on one sheet's data rows (the rows below its header)."""

    def __init__(
        self,
        name: str,
        header: Header,
        body: Grid,
        ref: dt.date,
        aliases: dict[str, str],
    ) -> None:
        self.name = name
        self.header = header
        self.kind = header.kind
        self.body = body
        self.ref_year = ref.year
        self.aliases = {values.compact(alias): values.compact(name) for alias, name in aliases.items()}
        self.first_row = header.row + 2  # Excel row number of body[0]
        self.warnings: list[SheetWarning] = []
        self.written: dict[str, np.ndarray] = {}  # date role -> cell holds a date or unknown text
        self.row_no = np.arange(self.first_row, self.first_row + body.height, dtype=np.int64)
        self._nonempty: dict[int, np.ndarray] = {}

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

    def warn(self, role: str, rows: np.ndarray, code: str, **params: Sequence[object]) -> None:
        """One warning per row in ``rows`` (Excel row numbers); params give per-row values."""
        letter = column_letter(self.header.columns[role])
        for i, row in enumerate(rows):
            per_row = {key: value[i] for key, value in params.items()}
            self.warnings.append(SheetWarning(self.name, f"{letter}{row}", code, per_row))

    # -- which rows are data

    def masks(self, header_cells: list[Cell], horizontal: list[Merge]) -> tuple[np.ndarray, np.ndarray]:
        """(label rows, data rows): label rows are all but footers, repeated headers and section
        headings, and feed the fill-down; data rows are label rows holding the text role."""
        text_col = self.header.columns[self.kind.text_role]
        column = self.raw(text_col)
        texts = column.per_unique(values.clean_text)
        has_text = _flags(column, [t != "" for t in texts])
        header_text = values.clean_text(header_cells[text_col])
        repeated = _flags(column, [t == header_text for t in texts])
        footer = self._footer_rows(text_col)
        section = self._section_rows(horizontal, text_col)
        labels = ~footer & ~repeated & ~section
        self._warn_rows_without_text(labels & ~has_text, text_col, header_cells)
        return labels, labels & has_text

    def _footer_rows(self, text_col: int) -> np.ndarray:
        """Rows whose first non-empty cell starts with 合计, 小计, 填表人, …, and rows with a
        subtotal label in a known column up to the text column (小计 beside a merged 测评项目)."""
        footer = np.zeros(self.n, dtype=bool)
        undecided = np.ones(self.n, dtype=bool)
        subtotal = np.zeros(self.n, dtype=bool)
        labels = {index for index in self.header.columns.values() if index <= text_col}
        for index in range(self.body.width):
            column = self.raw(index)
            first = undecided & self.nonempty(index)
            if first.any():
                footer |= first & column.text_flags(_is_footer)
            undecided &= ~first
            if index in labels:
                subtotal |= column.text_flags(_is_subtotal)
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
        header_text = values.clean_text(header_cells[text_col])
        letter = column_letter(text_col)
        for row in rows:
            self.warnings.append(
                SheetWarning(self.name, f"{letter}{row}", "row_without_text", {"row": int(row), "header": header_text})
            )

    # -- typed columns

    def build(self, labels: np.ndarray, data: np.ndarray) -> pa.Table:
        levels = {role: self.role(role) for role in self.kind.fill_down}
        filled = _fill_down({role: None if raw is None else raw.take(labels) for role, raw in levels.items()})
        filled = {role: column.take(data[labels]) for role, column in filled.items()}
        self.body = self.body.take(data)
        self.row_no = self.row_no[data]
        self._nonempty = {}
        columns: dict[str, pa.Array] = {
            "sheet": pa.repeat(pa.scalar(self.name, pa.string()), self.n),
            "row_no": pa.array(self.row_no, pa.int64()),
        }
        for role in self.kind.roles:
            raw = filled[role] if role in filled else self.role(role)
            if raw is None:
                continue
            columns.update(self._typed(role, raw))
        if "department" not in columns:
            columns["department"] = pa.nulls(self.n, pa.string())
        self._warn_duplicates(filled)
        if self.kind.name == "tasks":
            columns.update(self._task_status())
        elif self.kind.name == "issues":
            columns.update(self._issue_status())
        elif self.kind.name == "scores":
            columns.update(self._scores(columns))
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
        letter = column_letter(self.header.columns[self.kind.text_role])
        for i in candidates.tolist():
            row = tuple(int(column[i]) for column in codes)
            if row in first:
                at = int(self.row_no[i])
                self.warnings.append(SheetWarning(self.name, f"{letter}{at}", "duplicate_row", {"first": first[row]}))
            else:
                first[row] = int(self.row_no[i])

    def _typed(self, role: str, raw: Column) -> dict[str, pa.Array]:
        if role in contract.DATE_ROLES:
            return self._dates(role, raw)
        if role in contract.NUMBER_ROLES:
            return {role: self._numbers(role, raw, values.parse_number, "number")}
        if role in contract.RATE_ROLES:
            return {role: self._numbers(role, raw, values.parse_rate, "rate")}
        if role == "department":
            return self._departments(raw)
        if role == "status":
            return {}  # needs other columns; see _task_status / _issue_status
        return {role: _text_array(raw)}

    def _departments(self, raw: Column) -> dict[str, pa.Array]:
        lead = raw.per_unique(lambda v: values.department(v, self.aliases))
        missing = _flags(raw, [d is None for d in lead])
        if missing.any():
            self.warn("department", self.row_no[missing], "no_department")
        return {"department": _per_row(raw, lead, pa.string()), "department_text": _text_array(raw)}

    def _bad(self, role: str, raw: Column, ok: list[bool], code: str) -> None:
        bad = _flags(raw, [not k for k in ok])
        if bad.any():
            self.warn(role, self.row_no[bad], code, value=[values.clean_text(v) for v in raw.values(bad)])

    def _dates(self, role: str, raw: Column) -> dict[str, pa.Array]:
        is_deadline = role == "deadline"
        parsed = raw.per_unique(lambda v: _in_years(values.parse_date(v, self.ref_year, deadline=is_deadline)))
        self._bad(role, raw, [p.ok for p in parsed], "date")
        self.written[role] = _flags(raw, [p.date is not None or not p.ok for p in parsed])
        out = {role: _per_row(raw, [p.date for p in parsed], pa.date32()), f"{role}_text": _text_array(raw, dates=True)}
        if is_deadline:
            out["ongoing"] = _per_row(raw, [p.ongoing for p in parsed], pa.bool_())
        return out

    def _numbers(self, role: str, raw: Column, parse: Callable[[Cell], values.Number], code: str) -> pa.Array:
        parsed = raw.per_unique(parse)
        self._bad(role, raw, [p.ok for p in parsed], code)
        return _per_row(raw, [p.value for p in parsed], pa.float64())

    def _status_keys(self, done_role: str) -> tuple[Column, Column]:
        """The status column, and a column of (status, done date written) pairs."""
        raw = self.role("status")
        if raw is None:
            raw = Column.empty(self.n)
        written = self.written.get(done_role, np.zeros(self.n, dtype=bool))
        codes, pairs = pd.factorize(raw.codes.astype(np.int64) * 2 + written, sort=False)
        uniques = [(raw.uniques[int(k) // 2], bool(k % 2)) for k in pairs]
        return raw, Column(codes.astype(np.int32), uniques, {})

    def _task_status(self) -> dict[str, pa.Array]:
        raw, keys = self._status_keys("done_on")
        parsed = keys.per_unique(lambda key: values.task_status(key[0], key[1]))
        bad = _flags(keys, [not p.ok for p in parsed])
        if bad.any():
            self.warn("status", self.row_no[bad], "status", value=[values.clean_text(v) for v in raw.values(bad)])
        return {
            "status": _per_row(keys, [p.state for p in parsed], pa.string()),
            "status_text": _text_array(raw, percents=True),
            "progress": _per_row(keys, [p.progress for p in parsed], pa.float64()),
        }

    def _issue_status(self) -> dict[str, pa.Array]:
        raw, keys = self._status_keys("closed_on")
        closed = keys.per_unique(lambda key: "closed" if values.issue_closed(key[0], key[1]) else "open")
        return {"status": _per_row(keys, closed, pa.string()), "status_text": _text_array(raw)}

    def _scores(self, columns: dict[str, pa.Array]) -> dict[str, pa.Array]:
        maxes = columns["max"].to_numpy(zero_copy_only=False)
        scores = columns["score"].to_numpy(zero_copy_only=False).copy()
        above = scores > maxes  # NaN compares False
        negative = scores < 0
        if above.any():
            self.warn("score", self.row_no[above], "score_above_max", score=_fmt(scores[above]), max=_fmt(maxes[above]))
        if negative.any():
            self.warn("score", self.row_no[negative], "score_negative", score=_fmt(scores[negative]))
        no_max = np.isnan(maxes)
        if no_max.any():
            self.warn("max", self.row_no[no_max], "max_missing")
        scores[above | negative] = np.nan
        bonus = np.zeros(self.n, dtype=bool)
        for level in ("class", "category"):
            if level in columns:
                labels = columns[level].cast(pa.string()).fill_null("")
                for marker in contract.BONUS_MARKERS:
                    bonus |= pc.match_substring(labels, marker).to_numpy(zero_copy_only=False)
        return {"score": pa.array(scores, pa.float64(), from_pandas=True), "bonus": pa.array(bonus, pa.bool_())}


def _in_years(parsed: values.DateValue) -> values.DateValue:
    """A date cell is held to the years text dates are (1990–2100): 1900-01-01 is what Excel shows
    for the number 1 in a date column, 2999 a slip of the keyboard; neither is a deadline."""
    if parsed.date is not None and not values.YEAR_MIN <= parsed.date.year <= values.YEAR_MAX:
        return values.UNKNOWN_DATE
    return parsed


def _is_footer(value: Cell) -> bool:
    return isinstance(value, str) and contract.normalize_word(value).startswith(contract.FOOTER_PREFIXES)


def _is_subtotal(value: Cell) -> bool:
    return isinstance(value, str) and contract.normalize_word(value).startswith(contract.SUBTOTAL_PREFIXES)


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


def _text_array(raw: Column, *, dates: bool = False, percents: bool = False) -> pa.Array:
    """Cells as trimmed text (None for blank); dates in ISO form, percent cells (0.6) as 60%."""

    def as_text(value: Cell) -> str | None:
        if dates and isinstance(value, dt.date):
            return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
        if percents and isinstance(value, float) and 0 <= value <= 1:
            return f"{value * 100:g}%"
        return values.clean_text(value) or None

    return _per_row(raw, raw.per_unique(as_text), pa.string())


def _fmt(numbers: np.ndarray) -> list[str]:
    return [f"{x:g}" for x in numbers]
