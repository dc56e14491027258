"""Writing a sheet: the styles, the header of each sheet kind, and saving with fixed timestamps."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from wenming.sample.common import CORE_TIME, ZIP_TIME, Fmt
from wenming.sample.surveys import RATE_NAMES

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TITLE_FONT = Font(name="宋体", size=16, bold=True)
SUBTITLE_FONT = Font(name="宋体", size=11)
HEADER_FONT = Font(name="宋体", size=11, bold=True)
BODY_FONT = Font(name="宋体", size=10.5)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
DATE_FORMAT = "yyyy-mm-dd"


@dataclass(frozen=True)
class Layout:
    """The header of one sheet kind: column names, widths and which columns hold long text."""

    header: tuple[str, ...]
    widths: tuple[float, ...]
    wrap: tuple[int, ...] = ()  # 1-based columns aligned left and wrapped


TASKS_LAYOUT = Layout(
    (
        "序号",
        "测评项目",
        "测评内容",
        "工作任务",
        "牵头部门",
        "配合部门",
        "责任人",
        "完成时限",
        "完成情况",
        "完成日期",
        "佐证材料",
        "备注",
    ),
    (6, 14, 30, 40, 14, 18, 9, 14, 10, 12, 18, 16),
    (3, 4, 6, 11, 12),
)
SCORES_LAYOUT = Layout(
    ("测评类别", "测评项目", "测评内容", "测评方法", "分值", "自评得分", "失分原因", "责任部门"),
    (12, 16, 44, 10, 7, 9, 30, 12),
    (3, 7),
)
ISSUES_LAYOUT = Layout(
    ("序号", "督查时间", "问题来源", "存在问题", "责任部门", "整改措施", "整改时限", "整改情况", "销号时间"),
    (6, 12, 10, 40, 12, 32, 12, 10, 12),
    (4, 6),
)
ACTIVITIES_LAYOUT = Layout(
    ("序号", "活动日期", "活动名称", "活动类型", "组织部门", "应参加人数", "参加人数", "人均服务时长"),
    (6, 13, 34, 12, 12, 11, 10, 12),
    (3,),
)
HEADCOUNT_LAYOUT = Layout(("部门", "在职人数"), (16, 12))
SURVEYS_LAYOUT = Layout(("部门", "有效问卷", *RATE_NAMES), (16, 10, 10, 10, 10, 10))


def put(ws: Worksheet, row: int, column: int, value: object) -> None:
    """Write one value; dates get a date format, Fmt values their own format."""
    if value is None or value == "":
        return
    cell = ws.cell(row=row, column=column)
    if isinstance(value, Fmt):
        cell.value, cell.number_format = value.value, value.number_format
    else:
        cell.value = value
        if isinstance(value, dt.date):
            cell.number_format = DATE_FORMAT


def write_titles(ws: Worksheet, titles: Sequence[str], width: int) -> None:
    """Title rows merged across the table, the first one large."""
    for row, title in enumerate(titles, start=1):
        cell = ws.cell(row=row, column=1, value=title)
        cell.font = TITLE_FONT if row == 1 else SUBTITLE_FONT
        cell.alignment = Alignment(horizontal="center", vertical="center")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    ws.row_dimensions[1].height = 30


def write_header(ws: Worksheet, row: int, layout: Layout) -> None:
    """A bold, filled header row with column widths, frozen so it stays visible."""
    for column, (name, width) in enumerate(zip(layout.header, layout.widths, strict=True), start=1):
        cell = ws.cell(row=row, column=column, value=name)
        cell.font, cell.fill, cell.border, cell.alignment = HEADER_FONT, HEADER_FILL, BORDER, CENTER
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = ws.cell(row=row + 1, column=1)


def write_rows(ws: Worksheet, first: int, rows: Sequence[Sequence[object]], layout: Layout) -> int:
    """Data rows with borders; returns the row after the last."""
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            put(ws, first + offset, column, value)
    style_block(ws, first, first + len(rows) - 1, layout)
    return first + len(rows)


def style_block(ws: Worksheet, first: int, last: int, layout: Layout) -> None:
    for row in ws.iter_rows(min_row=first, max_row=last, max_col=len(layout.header)):
        for cell in row:
            cell.border, cell.font = BORDER, BODY_FONT
            cell.alignment = LEFT if cell.column in layout.wrap else CENTER


def merge_runs(ws: Worksheet, column: int, first: int, keys: Sequence[object]) -> None:
    """Merge vertically each run of equal keys in ``column`` (the top cell keeps the value)."""
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            if i - start > 1:
                ws.merge_cells(start_row=first + start, start_column=column, end_row=first + i - 1, end_column=column)
            start = i


def write_footer(ws: Worksheet, row: int, lines: Sequence[str]) -> None:
    """Lines under the table (填表人, 联系电话, 注), after one empty row."""
    for offset, line in enumerate(lines, start=1):
        ws.cell(row=row + offset, column=1, value=line).alignment = Alignment(horizontal="left")


def total_row(ws: Worksheet, row: int, layout: Layout, values: dict[int, object], label_span: int = 1) -> None:
    """A 合计 row: the label in column A (merged over ``label_span`` columns) and some totals."""
    ws.cell(row=row, column=1, value="合计")
    for column, value in values.items():
        put(ws, row, column, value)
    style_block(ws, row, row, layout)
    for cell in ws[row][: len(layout.header)]:
        cell.font = HEADER_FONT
    if label_span > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=label_span)


def save(book: Workbook, path: Path) -> Path:
    """Save with fixed timestamps, so the same content always gives the same bytes."""
    book.properties.creator = book.properties.last_modified_by = "华晋能源集团创建办"
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(_fixed_zip(buffer.getvalue()))
    return path


def _fixed_zip(data: bytes) -> bytes:
    stamp = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = stamp.sub(rb"\g<1>" + CORE_TIME.encode() + rb"\g<3>", content)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=ZIP_TIME), content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def new_book() -> Workbook:
    book = Workbook()
    book.remove(book.active)
    return book
