"""Where a sheet's table starts and how its merged cells spread: header detection and merges (WORKBOOKS.md §2, §3)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from wenming.read import contract, grid
from wenming.read.grid import Cell, Grid, Merge


@dataclass(frozen=True)
class Header:
    row: int  # 0-based index into the sheet's rows
    kind: contract.Kind
    columns: dict[str, int]  # role -> 0-based column index
    cells: tuple[str, ...] = ()  # the header row's cells as text, "" where blank

    def roles_by_column(self) -> dict[int, str]:
        return {index: role for role, index in self.columns.items()}


def _cell_role(header: str, synonyms: list[tuple[str, str]]) -> str | None:
    for synonym, role in synonyms:
        if header.startswith(synonym):
            return role
    return None


def match_roles(cells: Sequence[Cell], kind: contract.Kind, hidden: frozenset[int] = frozenset()) -> dict[str, int]:
    """Map each role of ``kind`` to the first header cell that starts with one of its synonyms;
    a visible cell comes before a ``hidden`` column's (an old 完成情况 hidden beside the new one).

    A role found in two columns whose higher role (``kind.promote``) is missing gives its
    first column to that role: in 测评项目 | 测评指标 | 测评标准 the three are class, category
    and item.
    """
    synonyms = kind.synonyms()
    found: dict[str, list[int]] = {}
    for index, cell in enumerate(cells):
        if not isinstance(cell, str) or not cell.strip():
            continue
        role = _cell_role(contract.normalize_header(cell), synonyms)
        if role is not None:
            found.setdefault(role, []).append(index)
    for indexes in found.values():
        indexes.sort(key=lambda index: index in hidden)
    for role, higher in kind.promote.items():
        if higher not in found and len(found.get(role, ())) >= 2:
            found[higher] = [found[role].pop(0)]
    return {role: indexes[0] for role, indexes in found.items()}


def find_header(
    rows: list[list[Cell]], kinds: dict[str, contract.Kind] | None = None, hidden: frozenset[int] = frozenset()
) -> Header | None:
    """The first row within the first 15 that holds the required roles of some kind; for a
    two-level header, the lower row with the upper titles merged down into it. Columns in
    ``hidden`` give way to visible ones of the same role."""
    found = _find_header(rows, kinds, hidden)
    if found is None or found.row + 1 >= len(rows):
        return found
    upper, lower = rows[found.row], rows[found.row + 1]
    text_col = found.columns[found.kind.text_role]
    if text_col >= len(lower) or lower[text_col] != upper[text_col]:
        return found  # the text column is not merged down: a one-level header
    combined = [low if isinstance(low, str) and low.strip() else up for up, low in zip(upper, lower, strict=False)]
    if combined == list(upper[: len(combined)]):
        return found
    return _best(found.row + 1, combined, kinds, hidden) or found


def _find_header(
    rows: list[list[Cell]], kinds: dict[str, contract.Kind] | None, hidden: frozenset[int]
) -> Header | None:
    for index, cells in enumerate(rows[: contract.HEADER_SCAN_ROWS]):
        best = _best(index, cells, kinds, hidden)
        if best:
            return best
    return None


def _best(
    index: int, cells: Sequence[Cell], kinds: dict[str, contract.Kind] | None, hidden: frozenset[int] = frozenset()
) -> Header | None:
    """The kind whose required roles ``cells`` hold: the one with more required roles, then more roles."""
    best: Header | None = None
    for kind in (kinds or contract.SHEET_KINDS).values():
        columns = match_roles(cells, kind, hidden)
        if not all(role in columns for role in kind.required):
            continue
        if kind.any_of and not any(role in columns for role in kind.any_of):
            continue
        if best is None or (len(kind.required), len(columns)) > (len(best.kind.required), len(best.columns)):
            best = Header(index, kind, columns, tuple(_header_text(c) for c in cells))
    return best


def closest_kind(
    rows: list[list[Cell]], kinds: dict[str, contract.Kind] | None = None
) -> tuple[Header, list[str]] | None:
    """The header row that comes closest to a kind without holding all its required roles:
    the row and kind missing the fewest required roles (with a required role and another role found),
    and those missing.
    It lets a refusal say which column is missing and how to map it."""
    best: tuple[tuple[int, int], Header, list[str]] | None = None
    for index, cells in enumerate(rows[: contract.HEADER_SCAN_ROWS]):
        for kind in (kinds or contract.SHEET_KINDS).values():
            columns = match_roles(cells, kind)
            found = [role for role in kind.required if role in columns]
            if not found or len(columns) < 2:
                continue
            missing = [role for role in kind.required if role not in columns]
            rank = (len(missing), -len(columns))
            if best is None or rank < best[0]:
                best = (rank, Header(index, kind, columns, tuple(_header_text(c) for c in cells)), missing)
    return None if best is None else (best[1], best[2])


def _header_text(cell: Cell) -> str:
    return "" if cell is None else " ".join(str(cell).split())


def apply_merges(cells: Grid, merges: np.ndarray) -> list[Merge]:
    """Give every cell of a merged range the range's value; return the horizontal merges.

    ``merges`` holds one range per row: first row, first column, last row, last column
    (0-based). Horizontal merges later tell section headings ("一、学雷锋活动" across the
    whole row) from data.
    """
    height = cells.height
    merges = merges[merges[:, 0] < height]
    if not len(merges):
        return []
    merges = merges.copy()
    merges[:, 2] = np.minimum(merges[:, 2], height - 1)
    cells.widen(int(merges[:, 3].max()) + 1)
    wide = merges[:, 3] > merges[:, 1]
    horizontal = [((r0, c0), (r1, c1)) for r0, c0, r1, c1 in merges[wide].tolist()]
    if grid.merges_overlap(merges):
        # Overlapping ranges (never written by Excel): one after the other, as listed.
        for r0, c0, r1, c1 in merges.tolist():
            _fill_range(cells, r0, c0, r1, c1)
        return horizontal
    for r0, c0, r1, c1 in merges[wide].tolist():
        _fill_range(cells, r0, c0, r1, c1)
    vertical = merges[~wide]
    for c in np.unique(vertical[:, 1]).tolist():
        # Each row inside a range takes the code of the range's first row, all at once.
        tops, ends = vertical[vertical[:, 1] == c][:, [0, 2]].T
        column = cells.columns[c]
        delta = np.zeros(height + 1, dtype=np.int64)
        np.add.at(delta, tops + 1, 1)
        np.add.at(delta, ends + 1, -1)
        inside = np.cumsum(delta[:height]) > 0
        top = np.full(height, -1, dtype=np.int64)
        top[tops] = tops
        top = np.maximum.accumulate(top)
        column.codes = np.where(inside, column.codes[np.maximum(top, 0)], column.codes)
    return horizontal


def _fill_range(cells: Grid, r0: int, c0: int, r1: int, c1: int) -> None:
    value = cells.cell(r0, c0)
    for c in range(c0, c1 + 1):
        column = cells.columns[c]
        column.codes[r0 : r1 + 1] = column.code(value)
