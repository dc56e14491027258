"""Excel downloads of the tables users see: formatted headers, safe cells, one sheet per table.

Numbers stay numbers: rates as percentages and changes as signed numbers, each with a number
format (a change's arrow and colour by changes.Change). Text stays text: a cell starting with
= is written as a string, never a formula, so it needs no leading apostrophe.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from wenming.figures import changes
from wenming.figures.review import Review
from wenming.render import slides
from wenming.text import t

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
RATE_FORMAT = "0.0%"
COUNT_FORMAT = "#,##0"
DATE_FORMAT, TIME_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm"
# Excel's palette: Color10 is dark green, Color16 grey; the sections are rise;fall;zero
EXCEL_TONES = {"good": "[Color10]", "bad": "[Red]", "neutral": "[Color16]", None: "[Color16]"}
Formats = Mapping[str, str | Sequence[str | None]]  # column -> one number format, or one per row


def safe_cell(value: object) -> object:
    """A plain Python value for openpyxl: dates as dates, numpy numbers as numbers, blanks as None."""
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date() if value == value.normalize() else value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, (str, bytes, dt.date)):
        return value.item()
    return value


def append(sheet, values: Sequence[object]) -> None:
    """A row of cells; text is always a string cell (openpyxl would make "=…" a formula).

    A date reads 2026-07-15 and a time 2026-07-15 08:00 (openpyxl's default shows a datetime's seconds).
    """
    sheet.append([safe_cell(v) for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.data_type == "f":
            cell.data_type = "s"
        elif isinstance(cell.value, dt.datetime):
            cell.number_format = TIME_FORMAT
        elif isinstance(cell.value, dt.date):
            cell.number_format = DATE_FORMAT


def change_format(key: str, rate: bool) -> str:
    """The number format of a change of figure ``key``: ↑/↓ by the sign, coloured by the figure's meaning."""
    good = changes.UP_IS_GOOD[key]
    rise = "good" if good else ("bad" if good is False else "neutral")
    fall = "bad" if good else ("good" if good is False else "neutral")
    unit = f'" {t("delta.points_unit")}"' if rate else ""
    number = "0.0" if rate else "#,##0"
    flat = t("delta.flat")
    return f'{EXCEL_TONES[rise]}"↑ "+{number}{unit};{EXCEL_TONES[fall]}"↓ "-{number}{unit};{EXCEL_TONES[None]}"{flat}"'


def change_value(key: str, delta: object, rate: bool) -> float | None:
    """A change as the number its format shows: 个百分点 for rates, rounded as changes.Change rounds."""
    value = None if delta is None or pd.isna(delta) else float(delta)  # type: ignore[arg-type]
    return changes.change(key, value, rate).rounded


def workbook_bytes(
    tables: Mapping[str, pd.DataFrame], labels: Mapping[str, str] | None = None, formats: Formats | None = None
) -> bytes:
    """An .xlsx with one sheet per table; column names are replaced by their labels."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, frame in tables.items():
        sheet = book.create_sheet(title[:31])
        headers = [(labels or {}).get(str(c), str(c)) for c in frame.columns]
        sheet.append(headers)
        for record in frame.itertuples(index=False):
            append(sheet, record)
        _format(sheet, headers, frame)
        _number_formats(sheet, frame, {**_rate_formats(frame), **(formats or {})})
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _format(sheet, headers: list[str], frame: pd.DataFrame) -> None:
    for index, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        column = frame.iloc[:, index - 1]
        longest = max([len(str(header))] + [len(str(v)) for v in column.head(200)])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(8, longest * 1.8), 60)
    sheet.freeze_panes = "A2"
    if len(frame):
        sheet.auto_filter.ref = sheet.dimensions


def _rate_formats(frame: pd.DataFrame) -> dict[str, str]:
    """Rates (0.75) shown as percentages (75.0%), whichever table they are in."""
    rates = slides.RATE_COLUMNS | {"progress"}
    return {str(c): RATE_FORMAT for c in frame.columns if c in rates and pd.api.types.is_numeric_dtype(frame[c].dtype)}


def _number_formats(sheet, frame: pd.DataFrame, formats: Formats) -> None:
    for index, column in enumerate(frame.columns, start=1):
        wanted = formats.get(str(column))
        if wanted is None:
            continue
        per_row = [wanted] * len(frame) if isinstance(wanted, str) else list(wanted)
        for row, number_format in enumerate(per_row, start=2):
            if number_format:
                sheet.cell(row=row, column=index).number_format = number_format


def review_workbook(review: Review) -> bytes:
    """The tables behind a review, one sheet each, ready to attach to the 通报; numbers stay numbers."""
    tables = {
        t("review.slide.departments"): (review.departments, slides.DEPARTMENT_COLUMNS),
        t("review.red"): (review.red, slides.BOARD_COLUMNS),
        t("review.black"): (review.black, slides.BOARD_COLUMNS),
        t("overdue.tasks"): (review.overdue_tasks, slides.OVERDUE_COLUMNS),
        t("review.slide.ledger"): (review.overdue_issues, slides.ISSUE_COLUMNS),
        t("review.logged", count=len(review.logged)): (review.logged, slides.LOGGED_COLUMNS),
        t("review.struck_off", count=len(review.struck_off)): (review.struck_off, slides.STRUCK_COLUMNS),
        t("review.score_gaps"): (review.score_gaps, slides.GAP_COLUMNS),
        t("review.slide.participation"): (review.participation, slides.PARTICIPATION_COLUMNS),
    }
    headline, headline_formats = _headline_table(review)
    frames: dict[str, pd.DataFrame] = {t("review.slide.headline"): headline}
    formats: dict[str, str | list[str | None]] = {**headline_formats}
    for title, (frame, columns) in tables.items():
        shown, shown_formats = _numbers_kept(frame[[c for c in columns if c in frame]])
        frames[title] = shown
        formats |= shown_formats
    names = {c for _, columns in tables.values() for c in columns} | set(headline.columns)
    return workbook_bytes(frames, {c: t(f"col.{c}") for c in names}, formats)


def _numbers_kept(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str | list[str | None]]]:
    """A review table for Excel: codes as words, rates and changes as numbers with their formats."""
    out = slides.readable(frame)
    formats: dict[str, str | list[str | None]] = {}
    for column in frame.columns:
        if column in slides.RATE_COLUMNS:
            out[column], formats[column] = frame[column], RATE_FORMAT
        elif column in slides.CHANGE_COLUMNS:
            key, rate = slides.CHANGE_COLUMNS[column]
            out[column] = [change_value(key, v, rate) for v in frame[column]]
            formats[column] = change_format(key, rate)
    if "board" in frame:
        out["value"], formats["value"] = _board_values(frame)
    return out, formats


def _board_values(frame: pd.DataFrame) -> tuple[list[float | None], list[str | None]]:
    """A board's value: a rate for 完成率最高, a change of the rate for the change lists, else a count."""
    values: list[float | None] = []
    number_formats: list[str | None] = []
    for board, value in zip(frame["board"], frame["value"], strict=True):
        if board == "best":
            values.append(safe_cell(value))  # type: ignore[arg-type]
            number_formats.append(RATE_FORMAT)
        elif board in slides.BOARD_RATES:
            values.append(change_value("completion_rate", value, True))
            number_formats.append(change_format("completion_rate", True))
        else:
            values.append(safe_cell(value))  # type: ignore[arg-type]
            number_formats.append(COUNT_FORMAT)
    return values, number_formats


HEADLINE_COLUMNS = ["figure", "now", "month_before", "quarter_before", "delta_month", "delta_quarter"]


def _headline_table(review: Review) -> tuple[pd.DataFrame, dict[str, list[str | None]]]:
    """Headline figures as numbers (rates with a percentage format) and their changes as signed numbers."""
    rows, formats = [], {column: [] for column in HEADLINE_COLUMNS[1:]}
    for row in review.headline.itertuples():
        rate = bool(row.rate)
        rows.append(
            {
                "figure": t(f"review.figure.{row.key}"),
                "now": safe_cell(row.now),
                "month_before": safe_cell(row.month_before),
                "quarter_before": safe_cell(row.quarter_before),
                "delta_month": change_value(row.key, row.delta_month, rate),
                "delta_quarter": change_value(row.key, row.delta_quarter, rate),
            }
        )
        for column in ("now", "month_before", "quarter_before"):
            formats[column].append(RATE_FORMAT if rate else COUNT_FORMAT)
        for column in ("delta_month", "delta_quarter"):
            formats[column].append(change_format(row.key, rate))
    return pd.DataFrame(rows, columns=HEADLINE_COLUMNS), formats


def supervision_sheet(review: Review, department: str) -> bytes:
    """督办单: one department's overdue and due-soon tasks and open problems, on one printable sheet."""
    own = review.departments[review.departments["department"] == department]
    figures = own.iloc[0] if len(own) else None
    sections = [
        (
            t("supervision.overdue_tasks"),
            review.overdue_tasks[review.overdue_tasks["department"] == department],
            slides.OVERDUE_COLUMNS[1:],
        ),
        (
            t("overdue.due_soon_list"),
            review.due_soon[review.due_soon["department"] == department],
            ["task", "owner", "deadline_text", "days_left", "state"],
        ),
        (
            t("supervision.open_issues"),
            review.open_issues[review.open_issues["department"] == department],
            ["problem", "source", "found_on", "deadline_text", "days_overdue", "status_text"],
        ),
    ]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = t("supervision.title")[:31]
    sheet.append([t("supervision.heading", department=department, period=review.period.label())])
    sheet["A1"].font = Font(bold=True, size=16)
    sheet.append([t("supervision.as_of", as_of=review.as_of.isoformat())])
    if figures is not None:
        sheet.append(
            [
                t(
                    "supervision.figures",
                    total=int(figures["total"]),
                    done=int(figures["done"]),
                    rate=f"{figures['completion_rate']:.1%}"
                    if figures["completion_rate"] == figures["completion_rate"]
                    else "—",
                    overdue=int(figures["overdue"]),
                )
            ]
        )
    widths: dict[int, int] = {}
    for title, frame, columns in sections:
        sheet.append([])
        sheet.append([f"{title}（{len(frame)}）"])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, size=13)
        sheet.append([t(f"col.{c}") for c in columns])
        for index in range(1, len(columns) + 1):
            cell = sheet.cell(row=sheet.max_row, column=index)
            cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        for record in slides.readable(frame[columns]).itertuples(index=False):
            append(sheet, record)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, (dt.date, dt.datetime)):
                    cell.number_format = "yyyy-mm-dd"
        for index, column in enumerate(columns, start=1):
            longest = max([len(t(f"col.{column}"))] + [len(str(v)) for v in frame[column].head(100)])
            widths[index] = max(widths.get(index, 8), min(longest * 2, 50))
    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append([])
    sheet.append([t("supervision.sign")])
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
