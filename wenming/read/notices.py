"""What a user should fix, grouped (WORKBOOKS.md §8): one warning per sheet, column and reason,
with the count of cells, the distinct values (the first 10) and the first cells, never one line
per cell: a million-row sheet with one bad column gives one line, read and stored in moments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from wenming import text

SHOWN_CELLS = 5
SHOWN_VALUES = 10


@dataclass(frozen=True)
class SheetWarning:
    """Something a user should fix, pointing at a sheet and, where it can, its first cells."""

    sheet: str
    cell: str  # "H17" (the first cell); empty when the warning is about the whole sheet
    code: str
    params: dict[str, object] = field(default_factory=dict)
    count: int = 1  # cells (rows) the warning stands for
    cells: tuple[str, ...] = ()  # the first cells, cells[0] == cell
    values: tuple[str, ...] = ()  # the distinct values read badly, the first SHOWN_VALUES
    column: str = ""  # the column's header as written

    @property
    def ref(self) -> str:
        """任务!H17, or 任务!H5、H6 for a group (the message adds how many in all)."""
        if not self.cell:
            return self.sheet
        return f"{self.sheet}!{'、'.join(self.cells or (self.cell,))}"

    def message(self, lang: str | None = None) -> str:
        shown = len(self.cells or (self.cell,))
        ref = self.ref
        if self.cell and self.count > shown:
            ref += text.t("warn.more_cells", lang, count=f"{self.count:,}")
        params = dict(self.params)
        if "kind" in params:
            params.setdefault("kind_label", text.t(f"kind.{params['kind']}", lang))
        if self.values and "value" not in params:
            params["value"] = "”“".join(self.values)
        return text.t(f"warn.{self.code}", lang, ref=ref, sheet=self.sheet, **params)

    def record(self) -> dict[str, object]:
        """The grouped facts, as stored with an import (params of import_warnings)."""
        return {
            **self.params,
            "count": self.count,
            "cells": list(self.cells or ((self.cell,) if self.cell else ())),
            "values": list(self.values),
            "column": self.column,
        }


def grouped(
    sheet: str,
    letter: str,
    rows: np.ndarray,
    code: str,
    *,
    column: str = "",
    values: Sequence[str] = (),
    per_row: dict[str, Sequence[object]] | None = None,
) -> SheetWarning:
    """One warning for the Excel ``rows`` of column ``letter``; per-row params are joined over
    the cells shown (得分 5、6)."""
    shown = [int(row) for row in rows[:SHOWN_CELLS]]
    params = {key: "、".join(str(v) for v in list(value)[: len(shown)]) for key, value in (per_row or {}).items()}
    return SheetWarning(
        sheet,
        f"{letter}{shown[0]}",
        code,
        params,
        count=len(rows),
        cells=tuple(f"{letter}{row}" for row in shown),
        values=tuple(dict.fromkeys(values))[:SHOWN_VALUES],
        column=column,
    )
