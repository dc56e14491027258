"""The five sample workbooks of ``data/sample/``, one writer per file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl.worksheet.worksheet import Worksheet

from wenming.sample.activities import Activity, sample_activities
from wenming.sample.common import AS_OF_LINE, HEADCOUNT, ORG, YEAR
from wenming.sample.issues import Issue, sample_issues
from wenming.sample.items import BASE_CLASS, BONUS_CLASS, BONUS_ITEMS, ITEMS, Item
from wenming.sample.sheets import (
    ACTIVITIES_LAYOUT,
    BODY_FONT,
    HEADCOUNT_LAYOUT,
    HEADER_FONT,
    ISSUES_LAYOUT,
    SCORES_LAYOUT,
    SURVEYS_LAYOUT,
    TASKS_LAYOUT,
    merge_runs,
    new_book,
    save,
    total_row,
    write_footer,
    write_header,
    write_rows,
    write_titles,
)
from wenming.sample.surveys import Survey, sample_surveys
from wenming.sample.tasks import Task, task_rows

INSTRUCTIONS = (
    "填表说明",
    "1. 本表由各牵头部门按月更新，每月25日前报创建办。",
    "2. “完成时限”请填写具体日期（如2026-06-30），或“6月底前”“年底前”“长期坚持”等。",
    "3. “完成情况”请填写：已完成、推进中、未启动，或填写完成百分比。",
    "4. 已完成的任务请填写“完成日期”，并注明佐证材料名称。",
    "5. 一项任务由多个部门承担的，排在第一位的为牵头部门。",
    "6. 请勿修改表头，如需增加任务请在表格末尾插入行。",
)


def task_cells(no: int, task: Task) -> tuple[object, ...]:
    return (
        no,
        task.category,
        task.item,
        task.text,
        task.lead_cell,
        task.helpers,
        task.owner,
        task.deadline,
        task.status,
        task.done_cell,
        task.evidence,
        task.note,
    )


def write_tasks_sheet(ws: Worksheet, tasks: Sequence[Task], titles: Sequence[str]) -> None:
    """A 任务分解表: titles, header, tasks with 测评项目/测评内容 merged, 合计 and footer rows."""
    layout = TASKS_LAYOUT
    write_titles(ws, titles, len(layout.header))
    header_row = len(titles) + 1
    write_header(ws, header_row, layout)
    first = header_row + 1
    end = write_rows(ws, first, [task_cells(i, t) for i, t in enumerate(tasks, start=1)], layout)
    merge_runs(ws, 2, first, [t.category for t in tasks])
    merge_runs(ws, 3, first, [(t.category, t.item) for t in tasks])
    done = sum(t.done for t in tasks)
    total_row(ws, end, layout, {4: f"共{len(tasks)}项任务，已完成{done}项"})
    write_footer(
        ws,
        end + 1,
        (
            "填表人：刘晓燕        审核：王建华",
            "联系电话：0355-6208316",
            "注：完成时限为“长期坚持”的任务按月报告进展。",
        ),
    )


def write_tasks_workbook(path: Path, tasks: Sequence[Task]) -> Path:
    """01_创建任务分解表: the tasks sheet and a 填表说明 sheet (no header: skipped on import)."""
    book = new_book()
    write_tasks_sheet(book.create_sheet("任务分解"), tasks, (f"{ORG}创建全国文明单位工作任务分解表", AS_OF_LINE))
    notes = book.create_sheet("填表说明")
    for row, line in enumerate(INSTRUCTIONS, start=1):
        notes.cell(row=row, column=1, value=line).font = HEADER_FONT if row == 1 else BODY_FONT
    notes.column_dimensions["A"].width = 90
    return save(book, path)


def _score_number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _score_block(items: Sequence[Item], klass: str) -> tuple[list[tuple[object, ...]], list[int]]:
    """Rows of one class: each category's items then its 小计; returns rows and the 小计 offsets."""
    rows: list[tuple[object, ...]] = []
    subtotals: list[int] = []
    for category in dict.fromkeys(item.category for item in items):
        members = [item for item in items if item.category == category]
        for item in members:
            rows.append(
                (
                    klass,
                    category,
                    item.text,
                    item.method,
                    item.points,
                    _score_number(item.score_cell),
                    item.reason,
                    item.department,
                )
            )
        written = sum(item.score_cell or 0 for item in members)
        subtotals.append(len(rows))
        rows.append((klass, "小计", "", "", sum(item.points for item in members), _score_number(written), "", ""))
    return rows, subtotals


def write_scores_workbook(path: Path) -> Path:
    """02_测评体系自评表: 13 categories worth 100 points, a bonus class worth 10, 小计 and 合计 rows."""
    layout = SCORES_LAYOUT
    book = new_book()
    ws = book.create_sheet("自评得分")
    write_titles(ws, (f"{ORG}全国文明单位测评体系自评表", AS_OF_LINE), len(layout.header))
    write_header(ws, 3, layout)
    row = 4
    for items, klass in ((ITEMS, BASE_CLASS), (BONUS_ITEMS, BONUS_CLASS)):
        rows, subtotals = _score_block(items, klass)
        write_rows(ws, row, rows, layout)
        ws.merge_cells(start_row=row, start_column=1, end_row=row + len(rows) - 1, end_column=1)
        start = 0
        for sub in subtotals:
            ws.merge_cells(start_row=row + start, start_column=2, end_row=row + sub - 1, end_column=2)
            ws.merge_cells(start_row=row + sub, start_column=2, end_row=row + sub, end_column=4)
            for cell in ws[row + sub][: len(layout.header)]:
                cell.font = HEADER_FONT
            start = sub + 1
        row += len(rows)
    points = sum(item.points for item in ITEMS + BONUS_ITEMS)
    written = sum(item.score_cell or 0 for item in ITEMS + BONUS_ITEMS)
    total_row(ws, row, layout, {5: points, 6: _score_number(written)}, label_span=4)
    write_footer(ws, row + 1, ("填表人：陈志刚        审核：王建华", "注：未评分项待问卷调查结束后补填。"))
    return save(book, path)


def _issue_cells(no: int, issue: Issue) -> tuple[object, ...]:
    return (
        no,
        issue.found_cell,
        issue.source,
        issue.problem.text,
        issue.problem.department,
        issue.problem.measure,
        issue.deadline,
        issue.status,
        issue.closed_on,
    )


def write_issues_workbook(path: Path, issues: Sequence[Issue]) -> Path:
    """03_问题整改台账: problems of the monthly inspections, struck off (销号) once fixed."""
    layout = ISSUES_LAYOUT
    book = new_book()
    ws = book.create_sheet("问题整改台账")
    write_titles(ws, (f"{ORG}创建全国文明单位问题整改台账", AS_OF_LINE), len(layout.header))
    write_header(ws, 3, layout)
    end = write_rows(ws, 4, [_issue_cells(i, x) for i, x in enumerate(issues, start=1)], layout)
    closed = sum(x.closed for x in issues)
    total_row(ws, end, layout, {4: f"共{len(issues)}个问题，已销号{closed}个，未销号{len(issues) - closed}个"})
    write_footer(ws, end + 1, ("填表人：刘晓燕        审核：王建华", "联系电话：0355-6208316"))
    return save(book, path)


def _activity_cells(no: int, activity: Activity) -> tuple[object, ...]:
    return (
        no,
        activity.date_cell,
        activity.name,
        activity.type,
        activity.department,
        activity.expected,
        activity.people_cell,
        activity.hours_cell,
    )


def write_activities_workbook(path: Path, activities: Sequence[Activity]) -> Path:
    """04_活动登记表: every activity of the year with its turnout."""
    layout = ACTIVITIES_LAYOUT
    book = new_book()
    ws = book.create_sheet("活动登记")
    write_titles(ws, (f"{ORG}{YEAR}年精神文明活动登记表", AS_OF_LINE), len(layout.header))
    write_header(ws, 3, layout)
    end = write_rows(ws, 4, [_activity_cells(i, a) for i, a in enumerate(activities, start=1)], layout)
    total_row(ws, end, layout, {7: sum(a.people for a in activities)})
    write_footer(ws, end + 1, ("填表人：申晓霞        审核：段鹏飞",))
    return save(book, path)


def write_people_workbook(path: Path, surveys: Sequence[Survey]) -> Path:
    """05_部门人数及问卷调查: headcount per department and the survey rates."""
    book = new_book()
    ws = book.create_sheet("部门人数")
    write_titles(ws, (f"{ORG}各部门（单位）在职人数统计表", AS_OF_LINE), len(HEADCOUNT_LAYOUT.header))
    write_header(ws, 3, HEADCOUNT_LAYOUT)
    end = write_rows(ws, 4, list(HEADCOUNT.items()), HEADCOUNT_LAYOUT)
    total_row(ws, end, HEADCOUNT_LAYOUT, {2: sum(HEADCOUNT.values())})

    ws = book.create_sheet("问卷调查")
    width = len(SURVEYS_LAYOUT.header)
    write_titles(ws, (f"{YEAR}年度创建全国文明单位问卷调查结果统计表", AS_OF_LINE), width)
    write_header(ws, 3, SURVEYS_LAYOUT)
    end = write_rows(ws, 4, [(s.department, s.respondents, *s.cells) for s in surveys], SURVEYS_LAYOUT)
    total_row(ws, end, SURVEYS_LAYOUT, {2: sum(s.respondents for s in surveys)})
    write_footer(ws, end + 1, ("注：各项比率按有效问卷统计。",))
    return save(book, path)


SAMPLE_FILES = (
    "01_创建任务分解表.xlsx",
    "02_测评体系自评表.xlsx",
    "03_问题整改台账.xlsx",
    "04_活动登记表.xlsx",
    "05_部门人数及问卷调查.xlsx",
)


def write_samples(out: Path) -> list[Path]:
    tasks, scores, issues, activities, people = (out / name for name in SAMPLE_FILES)
    return [
        write_tasks_workbook(tasks, task_rows()),
        write_scores_workbook(scores),
        write_issues_workbook(issues, sample_issues()),
        write_activities_workbook(activities, sample_activities()),
        write_people_workbook(people, sample_surveys()),
    ]
