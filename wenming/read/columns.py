"""Typed columns of a sheet (WORKBOOKS.md §4, §7): dates, numbers, rates, departments, the state of
a task or a problem from its status, decision, progress and recheck columns, and scores with their
not-applicable items, deductions and vetoes. Every parser runs once per distinct value (or per
distinct combination of the cells it reads together); unreadable values become grouped warnings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from wenming.read import contract, scorecells, values
from wenming.read.grid import Cell, Column
from wenming.read.layout import Header
from wenming.read.notices import SheetWarning, grouped


def per_row(column: Column, per_unique: Sequence[object], type_: pa.DataType) -> pa.Array:
    """A value per distinct value of ``column``, spread to its rows (None is null); text stays
    dictionary-encoded, so a million rows hold each distinct text once."""
    codes = pa.array(column.codes, pa.int32())
    if type_ == pa.string():
        return pa.DictionaryArray.from_arrays(codes, pa.array(per_unique, type_))
    return pa.array(per_unique, type_).take(codes)


def flags(column: Column, per_unique: Sequence[object]) -> np.ndarray:
    return np.fromiter((bool(x) for x in per_unique), dtype=bool, count=len(per_unique))[column.codes]


def text_array(raw: Column, *, dates: bool = False, percents: bool = False) -> pa.Array:
    """Cells as trimmed text (None for blank); dates in ISO form, percent cells (0.6) as 60%."""
    forms = raw.forms()  # clean_text of every distinct value, the texts at once
    texts = pc.if_else(pc.equal(forms.clean, ""), pa.scalar(None, pa.string()), forms.clean)
    if dates or percents:
        special = np.zeros(len(raw.uniques), dtype=bool)
        shown: list[str] = []
        for code, value in enumerate(raw.uniques):
            if dates and isinstance(value, dt.date):
                shown.append((value.date() if isinstance(value, dt.datetime) else value).isoformat())
            elif percents and isinstance(value, float) and 0 <= value <= 1:
                shown.append(f"{value * 100:g}%")
            else:
                continue
            special[code] = True
        if shown:
            texts = pc.replace_with_mask(texts, pa.array(special), pa.array(shown, pa.string()))
    return pa.DictionaryArray.from_arrays(pa.array(raw.codes, pa.int32()), texts)


def combined(columns: Sequence[Column], n: int) -> tuple[Column, list[tuple[Cell, ...]]]:
    """A column of the distinct combinations of several columns' cells, row by row, and the
    combinations (one tuple of cells each): what a rule reading several cells runs once on."""
    key = np.zeros(n, dtype=np.int64)
    for column in columns:
        column.per_unique(lambda v: None)  # drop distinct values of no row
        key, _ = pd.factorize(key * len(column.uniques) + column.codes, sort=False)
    firsts = np.unique(key, return_index=True)[1] if n else np.zeros(0, dtype=np.int64)
    combos = [tuple(column.uniques[column.codes[i]] for column in columns) for i in firsts.tolist()]
    return Column(key.astype(np.int32), combos, {}), combos


def _in_years(parsed: values.DateValue) -> values.DateValue:
    """A date cell is held to the years text dates are (1990–2100): 1900-01-01 is what Excel shows
    for the number 1 in a date column, 2999 a slip of the keyboard; neither is a deadline."""
    if parsed.date is not None and not values.YEAR_MIN <= parsed.date.year <= values.YEAR_MAX:
        return values.UNKNOWN_DATE
    return parsed


def _fmt(numbers: np.ndarray) -> list[str]:
    return [f"{x:g}" for x in numbers]


class ColumnParsers:
    """The typed columns of ``_SheetReader`` (reader.py), which provides the attributes below."""

    name: str
    kind: contract.Kind
    n: int
    row_no: np.ndarray
    ref: dt.date
    ref_year: int
    aliases: dict[str, str]
    taught: dict[str, str]
    taught_used: set[str]
    warnings: list[SheetWarning]
    written: dict[str, np.ndarray]
    all_staff: np.ndarray | None
    role: Callable[[str], Column | None]
    letter: Callable[[str], str]
    header_text: Callable[[str], str]
    header: Header
    dates: dict[str, pa.Array]
    ongoing: np.ndarray

    def warn(
        self, role: str, mask: np.ndarray, code: str, raw: Column | None = None, **per_row: Sequence[object]
    ) -> None:
        """One grouped warning for the rows in ``mask`` of ``role``'s column, with the distinct values
        of ``raw`` there (the first ten) and per-row params of the rows shown."""
        if not mask.any():
            return
        rows = self.row_no[mask]
        shown: list[str] = []
        if raw is not None:
            codes = pd.unique(raw.codes[mask])[:10]
            shown = [values.clean_text(raw.uniques[c]) for c in codes.tolist()]
        self.warnings.append(
            grouped(
                self.name, self.letter(role), rows, code, column=self.header_text(role), values=shown, per_row=per_row
            )
        )

    def _meaning(self, value: Cell) -> str | None:
        """The meaning an organisation taught for this value (words add), if any."""
        if not self.taught or value is None or value == "":
            return None
        word = contract.normalize_word(values.clean_text(value))
        meaning = self.taught.get(word)
        if meaning is not None:
            self.taught_used.add(f"{word}={meaning}")
        return meaning

    # -- single columns

    def typed(self, role: str, raw: Column) -> dict[str, pa.Array]:
        if self.kind.name == "scores" and role in ("max", "score", "deduction"):
            return {}  # read together in scores()
        if role in contract.DATE_ROLES:
            return self._dates(role, raw)
        if role in contract.NUMBER_ROLES:
            return {role: self._numbers(role, raw, values.parse_number)}
        if role in contract.HOURS_ROLES:
            return {role: self._numbers(role, raw, values.parse_hours)}
        if role in contract.RATE_ROLES:
            return {role: self._numbers(role, raw, values.parse_rate, "rate")}
        if role == "department":
            return self._departments(raw)
        if role in contract.COMBINED_ROLES:
            return {"recheck": text_array(raw)} if role == "recheck" else {}
        return {role: text_array(raw)}

    def _departments(self, raw: Column) -> dict[str, pa.Array]:
        lead = raw.per_unique(lambda v: values.department(v, self.aliases))
        self.warn("department", flags(raw, [d is None for d in lead]), "no_department")
        return {"department": per_row(raw, lead, pa.string()), "department_text": text_array(raw)}

    def _date(self, value: Cell, deadline: bool) -> values.DateValue:
        meaning = self._meaning(value)
        if meaning == "ongoing" and deadline:
            return values.DateValue(None, ongoing=True)
        if meaning is not None:
            try:
                return values.DateValue(dt.date.fromisoformat(meaning))
            except ValueError:
                pass
        return _in_years(values.parse_date(value, self.ref_year, deadline=deadline))

    def _dates(self, role: str, raw: Column) -> dict[str, pa.Array]:
        is_deadline = role == "deadline"
        parsed = raw.per_unique(lambda v: self._date(v, is_deadline))
        self.warn(role, flags(raw, [not p.ok for p in parsed]), "date", raw)
        self.warn(role, flags(raw, [p.pending for p in parsed]), "date_pending", raw)
        self.written[role] = flags(raw, [p.date is not None or not p.ok for p in parsed])
        dates = per_row(raw, [p.date for p in parsed], pa.date32())
        out = {role: dates, f"{role}_text": text_array(raw, dates=True)}
        if is_deadline:
            out["ongoing"] = per_row(raw, [p.ongoing for p in parsed], pa.bool_())
            self.ongoing = flags(raw, [p.ongoing for p in parsed])
            at_once = flags(raw, [p.at_once for p in parsed])
            if at_once.any():
                # 立行立改: due at once, on the day the problem was found, else on the sheet's date
                ref = pa.scalar(self.ref, pa.date32())
                due = pc.coalesce(self.dates["found_on"], ref) if "found_on" in self.dates else ref
                out[role] = pc.if_else(pa.array(at_once), due, dates)
            within = [p.within for p in parsed]
            if any(days is not None for days in within):
                out[role] = self._within(role, raw, within, out[role])
        self.dates[role] = out[role]
        return out

    def _within(self, role: str, raw: Column, within: list[int | None], dates: pa.Array) -> pa.Array:
        """15日内: due that many days after the problem was found (found_on, 交办日期); a row without
        that date has no due date, with a warning."""
        days = per_row(raw, within, pa.int32())
        found = self.dates.get("found_on")
        start = found.cast(pa.int32()) if found is not None else pa.nulls(self.n, pa.int32())
        due = pc.add(start, days).cast(pa.date32())
        relative = flags(raw, [days is not None for days in within])
        self.warn(role, relative & ~due.is_valid().to_numpy(zero_copy_only=False), "date_within", raw)
        return pc.if_else(pa.array(relative), due, dates)

    def _number(self, value: Cell, parse: Callable[[Cell], values.Number]) -> values.Number:
        meaning = self._meaning(value)
        if meaning is not None:
            try:
                return values.Number(float(meaning))
            except ValueError:
                pass
        return parse(value)

    def _numbers(
        self, role: str, raw: Column, parse: Callable[[Cell], values.Number], code: str = "number"
    ) -> pa.Array:
        parsed = raw.per_unique(lambda v: self._number(v, parse))
        self.warn(role, flags(raw, [not p.ok for p in parsed]), code, raw)
        self.warn(role, flags(raw, [p.note == "approximate" for p in parsed]), "approximate", raw)
        self.warn(role, flags(raw, [p.note == "range_middle" for p in parsed]), "range_middle", raw)
        if role == "people":
            # 全体干部职工: the total headcount, filled in once the workbook is read (fill_all_staff)
            self.all_staff = flags(raw, [p.note == "all_staff" for p in parsed])
        numbers = [p.value for p in parsed]
        return per_row(raw, numbers, pa.float64())

    # -- cells read together

    def _column_or_empty(self, role: str) -> Column:
        found = self.role(role)
        return found if found is not None else Column.empty(self.n)

    def _written(self, role: str) -> Column:
        flag = self.written.get(role, np.zeros(self.n, dtype=bool))
        return Column(flag.astype(np.int32), [False, True], {})

    def _ongoing(self) -> Column:
        return Column(self.ongoing.astype(np.int32), [False, True], {})

    def task_status(self) -> dict[str, pa.Array]:
        """State and progress from the status, 完成日期, 是否办结, 完成进度 and deadline cells."""
        status = self._column_or_empty("status")
        keys, combos = combined(
            [
                status,
                self._written("done_on"),
                self._column_or_empty("decision"),
                self._column_or_empty("progress"),
                self._ongoing(),
            ],
            self.n,
        )
        parsed = [self._task_state(*combo) for combo in combos]
        states = [state for state, _ in parsed]
        where = "status" if "status" in self.header.columns or "decision" not in self.header.columns else "decision"
        self.warn(where, flags(keys, [not s.ok for s in states]), "status", status)
        self.warn(where, flags(keys, [s.note == "nearly_done" for s in states]), "nearly_done", status)
        if "progress" in self.header.columns:
            self.warn("progress", flags(keys, [not ok for _, ok in parsed]), "rate", self.role("progress"))
        self._warn_decisions()
        return {
            "status": per_row(keys, [s.state for s in states], pa.string()),
            "status_text": text_array(status, percents=True),
            "progress": per_row(keys, [s.progress for s in states], pa.float64()),
        }

    def _task_state(
        self, status: Cell, done_on: bool, decided: Cell, progress: Cell, ongoing: bool
    ) -> tuple[values.TaskStatus, bool]:
        meaning = self._meaning(status)
        if meaning in ("done", "closed"):
            state = values.TaskStatus("done", 1.0)
        elif meaning in ("in_progress", "ongoing"):
            state = values.TaskStatus("in_progress", None)
        elif meaning in ("not_started", "open"):
            state = values.TaskStatus("not_started", 0.0)
        else:
            state = values.task_status(status, done_on, ongoing)
        share = values.progress(progress)
        return values.combine_task(state, values.decision(decided), share.value), share.ok

    def issue_status(self) -> dict[str, pa.Array]:
        """Closed or open from the status, 销号时间, 是否销号 and 复查情况 cells."""
        status = self._column_or_empty("status")
        keys, combos = combined(
            [status, self._written("closed_on"), self._column_or_empty("decision"), self._column_or_empty("recheck")],
            self.n,
        )
        closed = [self._issue_closed(*combo) for combo in combos]
        self._warn_decisions()
        return {
            "status": per_row(keys, ["closed" if c else "open" for c in closed], pa.string()),
            "status_text": text_array(status),
        }

    def _warn_decisions(self) -> None:
        """A 是否办结/是否销号 cell that says neither yes nor no is not read: the status decides, and
        the cell is said."""
        raw = self.role("decision")
        if raw is None:
            return
        unread = raw.per_unique(lambda v: not values.is_blank(v) and values.decision(v) is None)
        self.warn("decision", flags(raw, unread), "decision", raw)

    def _issue_closed(self, status: Cell, closed_on: bool, decided: Cell, recheck: Cell) -> bool:
        if values.recheck_failed(recheck):
            return False
        decision = values.decision(decided)
        if decision is not None:
            return decision
        meaning = self._meaning(status)
        if meaning is not None:
            return meaning in ("closed", "done")
        return values.issue_closed(status, closed_on)

    # -- scores

    def _labels(self, columns: dict[str, pa.Array], markers: tuple[str, ...], roles: Sequence[str]) -> np.ndarray:
        found = np.zeros(self.n, dtype=bool)
        for level in roles:
            if level in columns:
                labels = columns[level].cast(pa.string()).fill_null("")
                for marker in markers:
                    found |= pc.match_substring(labels, marker).to_numpy(zero_copy_only=False)
        return found

    def scores(self, columns: dict[str, pa.Array]) -> dict[str, pa.Array]:
        """Max, score and the item's type (item, not_applicable, deduction, veto) as §7 reads them."""
        max_raw, score_raw = self._column_or_empty("max"), self._column_or_empty("score")
        max_cells = max_raw.per_unique(scorecells.parse_score)
        score_cells = score_raw.per_unique(scorecells.parse_score)
        max_form = np.array([c.form for c in max_cells], dtype=object)[max_raw.codes]
        maxes = np.array([c.value if c.form == "number" else np.nan for c in max_cells], dtype=float)[max_raw.codes]
        if "item" in columns and np.isnan(maxes).any():
            in_text = self._column_or_empty("item").per_unique(scorecells.points_in_text)
            from_text = np.array([np.nan if p is None else p for p in in_text], dtype=float)[
                self._column_or_empty("item").codes
            ]
            maxes = np.where(np.isnan(maxes) & (max_form == "blank"), from_text, maxes)
        form = np.array([c.form for c in score_cells], dtype=object)[score_raw.codes]
        given = np.array([c.value if c.value is not None else np.nan for c in score_cells], dtype=float)[
            score_raw.codes
        ]
        deducted = self._deducted(columns)
        veto = self._labels(columns, contract.VETO_MARKERS, ("class", "category", "item")) | (max_form == "veto")
        deduction = self._labels(columns, contract.DEDUCTION_MARKERS, ("class", "category")) & ~veto
        not_applicable = ((form == "not_applicable") | (max_form == "not_applicable")) & ~veto & ~deduction
        plain = ~veto & ~deduction & ~not_applicable
        scores = np.select(
            [form == "number", form == "full", form == "minus", (form == "blank") & ~np.isnan(deducted)],
            [given, maxes, maxes - given, maxes - deducted],
            np.nan,
        )
        self.warn("score", plain & (form == "other"), "number", score_raw)
        self.warn("max", plain & (max_form == "other"), "number", max_raw)
        scores = np.where(deduction, self._deductions(score_raw, deducted), scores)
        self.warn("score", deduction & np.isnan(scores), "number", score_raw)
        scores = self._checked(scores, maxes, plain)
        scores[veto | not_applicable] = np.nan
        triggered = veto & score_raw.flags(scorecells.veto_triggered)
        item_type = np.select([veto, deduction, not_applicable], ["veto", "deduction", "not_applicable"], "item")
        return {
            "max": pa.array(np.where(veto, np.nan, maxes), pa.float64(), from_pandas=True),
            "score": pa.array(scores, pa.float64(), from_pandas=True),
            "bonus": pa.array(self._labels(columns, contract.BONUS_MARKERS, ("class", "category")) & plain, pa.bool_()),
            "item_type": pa.array(item_type, pa.string()),
            "triggered": pa.array(triggered, pa.bool_()),
            "score_text": text_array(score_raw),
        }

    def _deducted(self, columns: dict[str, pa.Array]) -> np.ndarray:
        """The 扣分 cell of each row as points (NaN where blank)."""
        raw = self.role("deduction")
        if raw is None:
            return np.full(self.n, np.nan)
        parsed = raw.per_unique(values.parse_number)
        self.warn("deduction", flags(raw, [not p.ok for p in parsed]), "number", raw)
        return np.array([np.nan if p.value is None else abs(p.value) for p in parsed], dtype=float)[raw.codes]

    def _deductions(self, score_raw: Column, deducted: np.ndarray) -> np.ndarray:
        """A deduction item's points, 0 or below: its score cell, else its 扣分 cell."""
        cells = score_raw.per_unique(scorecells.deduction_points)
        points = np.array([c.value if c.form == "number" else np.nan for c in cells], dtype=float)[score_raw.codes]
        blank = np.array([values.is_blank(v) for v in score_raw.uniques], dtype=bool)[score_raw.codes]
        return np.where(blank & ~np.isnan(deducted), -deducted, points)

    def _checked(self, scores: np.ndarray, maxes: np.ndarray, plain: np.ndarray) -> np.ndarray:
        """A score above its max or below zero is left empty, with a warning; so is a missing max."""
        scores = scores.copy()
        with np.errstate(invalid="ignore"):
            above = plain & (scores > maxes)
            negative = plain & (scores < 0)
        self.warn("score", above, "score_above_max", score=_fmt(scores[above]), max=_fmt(maxes[above]))
        self.warn("score", negative, "score_negative", score=_fmt(scores[negative]))
        self.warn("max", plain & np.isnan(maxes), "max_missing")
        scores[above | negative] = np.nan
        return scores
