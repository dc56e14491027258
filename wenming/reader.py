"""Reading tracker workbooks into typed Arrow tables, one per recognised sheet (WORKBOOKS.md §2–4).

Cells are read once with python-calamine. Work is done column by column and
every parser runs once per distinct value, so a 100k-row tracker with a few
hundred distinct deadlines parses a few hundred deadlines.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from wenming import contract, text, values
from wenming.guard import DEFAULT_LIMITS, Limits, Refused, check_file

Cell = object
Merge = tuple[tuple[int, int], tuple[int, int]]


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
        return sorted(set(self.table.column("department").to_pylist()), key=lambda d: (d is None, d or ""))


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
    """Read every sheet of a known kind; raise Refused for a file that cannot be imported."""
    check_file(data, file_name, limits)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        metas = book.sheets_metadata
    except Exception:  # calamine raises several error types for damaged files
        raise Refused(file_name, "corrupt") from None
    sheets: list[ParsedSheet] = []
    warnings: list[SheetWarning] = []
    names_with_content: list[str] = []
    for meta in metas:
        if meta.typ != SheetTypeEnum.WorkSheet:
            continue
        try:
            sheet = book.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False)
            merges = sheet.merged_cell_ranges or []
        except Exception:
            raise Refused(file_name, "corrupt") from None
        if not any(any(v != "" for v in row) for row in rows):
            continue
        names_with_content.append(meta.name)
        if meta.visible != SheetVisibleEnum.Visible:
            warnings.append(SheetWarning(meta.name, "", "sheet_hidden"))
            continue
        if len(rows) > limits.rows:
            raise Refused(file_name, "too_many_rows", sheet=meta.name, rows=len(rows), limit=limits.rows)
        parsed = read_sheet(meta.name, rows, merges, as_of=as_of, aliases=aliases)
        if parsed is None:
            warnings.append(SheetWarning(meta.name, "", "sheet_skipped"))
        else:
            sheets.append(parsed)
            warnings.extend(parsed.warnings)
    if not names_with_content:
        raise Refused(file_name, "no_sheets")
    if not sheets:
        raise Refused(file_name, "no_known_sheet", sheets="、".join(names_with_content))
    digest = hashlib.sha256(data).hexdigest()
    return ParsedWorkbook(file_name, digest, len(data), sheets, warnings)


# ---------------------------------------------------------------- header


@dataclass(frozen=True)
class Header:
    row: int  # 0-based index into the sheet's rows
    kind: contract.Kind
    columns: dict[str, int]  # role -> 0-based column index


def match_roles(cells: Sequence[Cell], kind: contract.Kind) -> dict[str, int]:
    """Map each role of ``kind`` to the first header cell that starts with one of its synonyms."""
    synonyms = kind.synonyms()
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        if not isinstance(cell, str) or not cell.strip():
            continue
        header = contract.normalize_header(cell)
        for synonym, role in synonyms:
            if header.startswith(synonym):
                found.setdefault(role, index)
                break
    return found


def find_header(rows: list[list[Cell]]) -> Header | None:
    """The first row within the first 15 that holds the required roles of some kind."""
    for index, cells in enumerate(rows[: contract.HEADER_SCAN_ROWS]):
        best: Header | None = None
        for kind in contract.SHEET_KINDS.values():
            columns = match_roles(cells, kind)
            if not all(role in columns for role in kind.required):
                continue
            if kind.any_of and not any(role in columns for role in kind.any_of):
                continue
            if best is None or (len(kind.required), len(columns)) > (
                len(best.kind.required),
                len(best.columns),
            ):
                best = Header(index, kind, columns)
        if best:
            return best
    return None


# ---------------------------------------------------------------- sheet


def apply_merges(rows: list[list[Cell]], merges: list[Merge]) -> list[Merge]:
    """Give every cell of a merged range the range's value; return the horizontal merges.

    Horizontal merges later tell section headings ("一、学雷锋活动" across the whole
    row) from data.
    """
    horizontal: list[Merge] = []
    width = max((len(row) for row in rows), default=0)
    for (r0, c0), (r1, c1) in merges:
        if r0 >= len(rows):
            continue
        value = rows[r0][c0] if c0 < len(rows[r0]) else ""
        if c1 + 1 > width:
            width = c1 + 1
            for row in rows:
                row.extend([""] * (width - len(row)))
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            rows[r][c0 : c1 + 1] = [value] * (c1 - c0 + 1)
        if c1 > c0:
            horizontal.append(((r0, c0), (r1, c1)))
    return horizontal


def read_sheet(
    name: str,
    rows: list[list[Cell]],
    merges: list[Merge],
    *,
    as_of: dt.date,
    aliases: dict[str, str] | None = None,
) -> ParsedSheet | None:
    """One sheet as a ParsedSheet, or None when it is of no known kind."""
    horizontal = apply_merges(rows, merges)
    header = find_header(rows)
    if header is None:
        return None
    ref_date = values.reference_date([str(v) for row in rows[: header.row] for v in row if isinstance(v, str) and v])
    body = rows[header.row + 1 :]
    sheet = _SheetReader(name, header, body, ref_date or as_of, aliases or {})
    labels, data = sheet.masks(rows[header.row], horizontal)
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


def _map_unique(column: np.ndarray, fn: Callable[[Cell], object]) -> np.ndarray:
    """``fn`` applied to every cell, computed once per distinct value."""
    if len(column) == 0:
        return np.array([], dtype=object)
    codes, uniques = pd.factorize(column, use_na_sentinel=False)
    mapped = np.empty(len(uniques), dtype=object)
    mapped[:] = [fn(u) for u in uniques]
    return mapped[codes]


class _SheetReader:
    """The column-wise work on one sheet's data rows (the rows below its header)."""

    def __init__(
        self,
        name: str,
        header: Header,
        body: list[list[Cell]],
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
        self.row_no = np.arange(self.first_row, self.first_row + len(body), dtype=np.int64)

    def raw(self, index: int) -> np.ndarray:
        column = np.empty(len(self.body), dtype=object)
        column[:] = [row[index] if index < len(row) else "" for row in self.body]
        return column

    def role(self, role: str) -> np.ndarray | None:
        index = self.header.columns.get(role)
        return None if index is None else self.raw(index)

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
        texts = _map_unique(self.raw(text_col), values.clean_text).astype(str)
        has_text = texts != ""
        footer = self._footer_rows(text_col)
        repeated = texts == values.clean_text(header_cells[text_col])
        section = self._section_rows(horizontal, text_col)
        labels = ~footer & ~repeated & ~section
        self._warn_rows_without_text(labels & ~has_text, text_col, header_cells)
        return labels, labels & has_text

    def _footer_rows(self, text_col: int) -> np.ndarray:
        """Rows whose first non-empty cell starts with 合计, 小计, 填表人, …, and rows with a
        subtotal label in a known column up to the text column (小计 beside a merged 测评项目)."""
        n = len(self.body)
        first = np.full(n, "", dtype=object)
        undecided = np.ones(n, dtype=bool)
        subtotal = np.zeros(n, dtype=bool)
        labels = {index for index in self.header.columns.values() if index <= text_col}
        width = max((len(row) for row in self.body), default=0)
        for index in range(width):
            column = self.raw(index)
            nonempty = undecided & (column != "")
            first[nonempty] = column[nonempty]
            undecided &= ~nonempty
            if index in labels:
                subtotal |= _map_unique(column, _is_subtotal).astype(bool)
            elif index > text_col and not undecided.any():
                break
        return subtotal | _map_unique(first, _is_footer).astype(bool)

    def _section_rows(self, horizontal: list[Merge], text_col: int) -> np.ndarray:
        """Rows of a heading merged across the text column and another known column, with no
        value in any known column outside the merge (a merged 测评项目/测评内容 with points is data)."""
        section = np.zeros(len(self.body), dtype=bool)
        known = set(self.header.columns.values()) - {text_col}
        offset = self.header.row + 1  # rows index of body[0]
        for (r0, c0), (r1, c1) in horizontal:
            if not (c0 <= text_col <= c1 and any(c0 <= k <= c1 for k in known)):
                continue
            outside = [k for k in known if not c0 <= k <= c1]
            for r in range(max(r0 - offset, 0), min(r1 - offset + 1, len(self.body))):
                row = self.body[r]
                section[r] = all(k >= len(row) or row[k] == "" for k in outside)
        return section

    def _warn_rows_without_text(self, candidates: np.ndarray, text_col: int, header_cells: list[Cell]) -> None:
        """A row with values but no task/problem/… is reported, never dropped silently."""
        if not candidates.any():
            return
        carrying = np.zeros(len(self.body), dtype=bool)
        for role, index in self.header.columns.items():
            if index == text_col or role in self.kind.fill_down:
                continue
            carrying |= self.raw(index) != ""
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
        filled = _fill_down({role: None if raw is None else raw[labels] for role, raw in levels.items()})
        filled = {role: column[data[labels]] for role, column in filled.items()}
        self.body = [row for row, keep in zip(self.body, data, strict=True) if keep]
        self.row_no = self.row_no[data]
        columns: dict[str, pa.Array] = {
            "sheet": pa.array([self.name] * len(self.body), pa.string()),
            "row_no": pa.array(self.row_no, pa.int64()),
        }
        for role in self.kind.roles:
            raw = filled[role] if role in filled else self.role(role)
            if raw is None:
                continue
            columns.update(self._typed(role, raw))
        if "department" not in columns:
            columns["department"] = pa.nulls(len(self.body), pa.string())
        if self.kind.name == "tasks":
            columns.update(self._task_status())
        elif self.kind.name == "issues":
            columns.update(self._issue_status())
        elif self.kind.name == "scores":
            columns.update(self._scores(columns))
        return pa.table(columns)

    def _typed(self, role: str, raw: np.ndarray) -> dict[str, pa.Array]:
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

    def _departments(self, raw: np.ndarray) -> dict[str, pa.Array]:
        lead = _map_unique(raw, lambda v: values.department(v, self.aliases))
        missing = np.array([v is None for v in lead], dtype=bool)
        if missing.any():
            self.warn("department", self.row_no[missing], "no_department")
        return {"department": pa.array(lead, pa.string()), "department_text": _text_array(raw)}

    def _dates(self, role: str, raw: np.ndarray) -> dict[str, pa.Array]:
        is_deadline = role == "deadline"
        parsed = _map_unique(raw, lambda v: values.parse_date(v, self.ref_year, deadline=is_deadline))
        bad = np.array([not p.ok for p in parsed], dtype=bool)
        texts = _text_array(raw, dates=True)
        if bad.any():
            self.warn(role, self.row_no[bad], "date", value=[values.clean_text(v) for v in raw[bad]])
        self.written[role] = np.array([p.date is not None or not p.ok for p in parsed], dtype=bool)
        out = {role: pa.array([p.date for p in parsed], pa.date32()), f"{role}_text": texts}
        if is_deadline:
            out["ongoing"] = pa.array([p.ongoing for p in parsed], pa.bool_())
        return out

    def _numbers(self, role: str, raw: np.ndarray, parse: Callable[[Cell], values.Number], code: str) -> pa.Array:
        parsed = _map_unique(raw, parse)
        bad = np.array([not p.ok for p in parsed], dtype=bool)
        if bad.any():
            self.warn(role, self.row_no[bad], code, value=[values.clean_text(v) for v in raw[bad]])
        return pa.array([p.value for p in parsed], pa.float64())

    def _task_status(self) -> dict[str, pa.Array]:
        raw = self.role("status")
        n = len(self.body)
        if raw is None:
            raw = np.full(n, "", dtype=object)
        done_filled = self.written.get("done_on", np.zeros(n, dtype=bool))
        keys = np.empty(n, dtype=object)
        keys[:] = list(zip(raw, done_filled, strict=True))
        parsed = _map_unique(keys, lambda key: values.task_status(key[0], bool(key[1])))
        bad = np.array([not p.ok for p in parsed], dtype=bool)
        if bad.any():
            self.warn("status", self.row_no[bad], "status", value=[values.clean_text(v) for v in raw[bad]])
        return {
            "status": pa.array([p.state for p in parsed], pa.string()),
            "status_text": _text_array(raw, percents=True),
            "progress": pa.array([p.progress for p in parsed], pa.float64()),
        }

    def _issue_status(self) -> dict[str, pa.Array]:
        raw = self.role("status")
        n = len(self.body)
        if raw is None:
            raw = np.full(n, "", dtype=object)
        closed_filled = self.written.get("closed_on", np.zeros(n, dtype=bool))
        keys = np.empty(n, dtype=object)
        keys[:] = list(zip(raw, closed_filled, strict=True))
        closed = _map_unique(keys, lambda key: values.issue_closed(key[0], bool(key[1])))
        return {
            "status": pa.array(["closed" if c else "open" for c in closed], pa.string()),
            "status_text": _text_array(raw),
        }

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
        labels = [columns[c].to_pylist() if c in columns else [None] * len(self.body) for c in ("class", "category")]
        bonus = [
            any(marker in (label or "") for label in pair for marker in contract.BONUS_MARKERS)
            for pair in zip(*labels, strict=True)
        ]
        return {"score": pa.array(scores, pa.float64(), from_pandas=True), "bonus": pa.array(bonus, pa.bool_())}


def _is_footer(value: Cell) -> bool:
    return isinstance(value, str) and contract.normalize_word(value).startswith(contract.FOOTER_PREFIXES)


def _is_subtotal(value: Cell) -> bool:
    return isinstance(value, str) and contract.normalize_word(value).startswith(contract.SUBTOTAL_PREFIXES)


def _fill_down(levels: dict[str, np.ndarray | None]) -> dict[str, np.ndarray]:
    """Blank class/category/item cells take the value above them ("as above").

    Levels are filled from the top (class, category, item); a lower level is only
    filled within a group of its higher level, so a new 测评项目 with a blank
    测评内容 does not inherit the previous category's item.
    """
    filled: dict[str, np.ndarray] = {}
    boundary: np.ndarray | None = None
    for role, raw in levels.items():
        if raw is None:
            continue
        n = len(raw)
        if boundary is None:
            boundary = np.zeros(n, dtype=bool)
        blank = _map_unique(raw, values.is_blank).astype(bool)
        groups = np.cumsum(boundary)
        series = pd.Series(raw, dtype=object).mask(blank)
        column = series.groupby(groups).ffill().fillna("").to_numpy(dtype=object)
        filled[role] = column
        changed = np.ones(n, dtype=bool)
        changed[1:] = column[1:] != column[:-1]
        boundary = boundary | changed
    return filled


def _text_array(raw: np.ndarray, *, dates: bool = False, percents: bool = False) -> pa.Array:
    """Cells as trimmed text (None for blank); dates in ISO form, percent cells (0.6) as 60%."""

    def as_text(value: Cell) -> str | None:
        if dates and isinstance(value, dt.date):
            return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
        if percents and isinstance(value, float) and 0 <= value <= 1:
            return f"{value * 100:g}%"
        return values.clean_text(value) or None

    return pa.array(_map_unique(raw, as_text), pa.string())


def _fmt(numbers: np.ndarray) -> list[str]:
    return [f"{x:g}" for x in numbers]
