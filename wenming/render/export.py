"""Excel downloads of the tables users see: formatted headers, safe cells, one sheet per table."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from wenming.figures.review import Review
from wenming.render import safe, slides
from wenming.text import t

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")


def safe_cell(value: object) -> object:
    """A value Excel will show as written: no formulas smuggled in from a user's cell text."""
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date() if value == value.normalize() else value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, (str, bytes, dt.date)):
        return value.item()
    return safe.cell(value)


def workbook_bytes(tables: Mapping[str, pd.DataFrame], labels: Mapping[str, str] | None = None) -> bytes:
    """An .xlsx with one sheet per table; column names are replaced by their labels."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, frame in tables.items():
        sheet = book.create_sheet(title[:31])
        headers = [(labels or {}).get(str(c), str(c)) for c in frame.columns]
        sheet.append(headers)
        for record in frame.itertuples(index=False):
            sheet.append([safe_cell(v) for v in record])
        _format(sheet, headers, frame)
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
        if pd.api.types.is_datetime64_any_dtype(column):
            for row in range(2, len(frame) + 2):
                sheet.cell(row=row, column=index).number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    if len(frame):
        sheet.auto_filter.ref = sheet.dimensions


def review_workbook(review: Review) -> bytes:
    """The tables behind a review, one sheet each, ready to attach to the 通报."""
    tables = {
        t("review.slide.headline"): (_headline_table(review), ["figure", "now", "month_before", "quarter_before"]),
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
    frames = {
        title: slides.readable(frame[[c for c in columns if c in frame]]) for title, (frame, columns) in tables.items()
    }
    names = {c for _, columns in tables.values() for c in columns}
    return workbook_bytes(frames, {c: t(f"col.{c}") for c in names})


def _headline_table(review: Review) -> pd.DataFrame:
    """Headline figures as shown: rates as percentages, counts as numbers."""

    def shown(value: float, rate: bool) -> object:
        if value is None or value != value:
            return None
        return f"{value:.1%}" if rate else value

    return pd.DataFrame(
        [
            {
                "figure": t(f"review.figure.{row.key}"),
                "now": shown(row.now, row.rate),
                "month_before": shown(row.month_before, row.rate),
                "quarter_before": shown(row.quarter_before, row.rate),
            }
            for row in review.headline.itertuples()
        ]
    )


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
            sheet.append([safe_cell(v) for v in record])
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
