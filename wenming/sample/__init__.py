"""The embedded demo: sample trackers of a fictional 集团 and the blank templates, one per sheet kind.

``write_all()`` writes the five sample workbooks of ``data/sample/`` (imported in
file-name order into an empty database when the dashboard starts unconfigured)
and the six templates of ``data/templates/``. The samples look like what a real
创建办 collects, in the messy shapes WORKBOOKS.md describes: title rows with a
截至 date, merged 测评项目 cells, deadlines written a dozen ways, statuses as
words, ticks and percentages, subtotal and footer rows, one unreadable deadline
(待定), one unknown status (基本完成) and one score above its maximum.

Everything is deterministic: a fixed seed, fixed dates, and the .xlsx files are
written with fixed timestamps so regenerating them changes no byte. The record
builders (``task_rows``, ``sample_issues``, …) are public so tests can derive the
expected figures, and ``task_rows(n)`` can produce a tracker of any size for a
benchmark.

The tables of names, items and tasks are data, not code: ``wenming/sample/data/*.toml``,
read at import into tuples, dataclasses and dicts. The modules: ``common`` (dates, seed,
the 集团 and the reader of the data files), ``items``, ``tasks``, ``issues``,
``activities`` and ``surveys`` (the records), ``sheets`` (styles, headers and saving
with fixed timestamps), ``workbooks`` and ``templates`` (the files). Their public names
are all re-exported here, so ``sample.task_rows`` and the like work as before.
"""

from __future__ import annotations

from pathlib import Path

from wenming.sample.activities import (
    ACTIVITY_NAMES,
    FESTIVAL,
    FESTIVALS,
    LEI_FENG,
    LEI_FENG_MONTH,
    MINE_TURNOUT,
    MORAL,
    ORGANISERS,
    SERVICE_TYPES,
    SPECIAL_EVENTS,
    SPORTS,
    THEORY,
    VOLUNTEER,
    YEARLY,
    Activity,
    sample_activities,
)
from wenming.sample.common import (
    AS_OF,
    AS_OF_LINE,
    CORE_TIME,
    DEPARTMENTS,
    HEADCOUNT,
    LAG,
    MINES,
    ORG,
    OWNERS,
    ROOT,
    SAMPLE_DIR,
    SEED,
    TEMPLATE_DIR,
    UNITS,
    YEAR,
    ZIP_TIME,
    Fmt,
    G,
    P,
    month_end,
)
from wenming.sample.issues import (
    INSPECTIONS,
    PROBLEMS,
    QUARTERLY_MONTHS,
    TEXT_FOUND_MONTH,
    Issue,
    Problem,
    sample_issues,
)
from wenming.sample.items import BASE_CLASS, BONUS_CLASS, BONUS_ITEMS, CATEGORIES, ITEMS, Item
from wenming.sample.sheets import (
    ACTIVITIES_LAYOUT,
    BODY_FONT,
    BORDER,
    CENTER,
    DATE_FORMAT,
    HEADCOUNT_LAYOUT,
    HEADER_FILL,
    HEADER_FONT,
    ISSUES_LAYOUT,
    LEFT,
    SCORES_LAYOUT,
    SUBTITLE_FONT,
    SURVEYS_LAYOUT,
    TASKS_LAYOUT,
    THIN,
    TITLE_FONT,
    Layout,
    merge_runs,
    new_book,
    put,
    save,
    style_block,
    total_row,
    write_footer,
    write_header,
    write_rows,
    write_titles,
)
from wenming.sample.surveys import RATE_NAMES, RATE_RANGES, Survey, sample_surveys
from wenming.sample.tasks import (
    DONE_MONTH_WEIGHTS,
    EVIDENCE,
    ONGOING_DEADLINES,
    OPEN_DUES,
    OVERDUE_NOTES,
    QUARTER_WORDS,
    SHOWCASE_DEADLINES,
    UNKNOWN_DEADLINE,
    UNKNOWN_STATUS,
    Task,
    deadline_cell,
    task_rows,
)
from wenming.sample.templates import TEMPLATES, Template, write_template, write_templates
from wenming.sample.workbooks import (
    INSTRUCTIONS,
    SAMPLE_FILES,
    task_cells,
    write_activities_workbook,
    write_issues_workbook,
    write_people_workbook,
    write_samples,
    write_scores_workbook,
    write_tasks_sheet,
    write_tasks_workbook,
)

__all__ = [
    "ACTIVITIES_LAYOUT",
    "ACTIVITY_NAMES",
    "AS_OF",
    "AS_OF_LINE",
    "Activity",
    "BASE_CLASS",
    "BODY_FONT",
    "BONUS_CLASS",
    "BONUS_ITEMS",
    "BORDER",
    "CATEGORIES",
    "CENTER",
    "CORE_TIME",
    "DATE_FORMAT",
    "DEPARTMENTS",
    "DONE_MONTH_WEIGHTS",
    "EVIDENCE",
    "FESTIVAL",
    "FESTIVALS",
    "Fmt",
    "G",
    "HEADCOUNT",
    "HEADCOUNT_LAYOUT",
    "HEADER_FILL",
    "HEADER_FONT",
    "INSPECTIONS",
    "INSTRUCTIONS",
    "ISSUES_LAYOUT",
    "ITEMS",
    "Issue",
    "Item",
    "LAG",
    "LEFT",
    "LEI_FENG",
    "LEI_FENG_MONTH",
    "Layout",
    "MINES",
    "MINE_TURNOUT",
    "MORAL",
    "ONGOING_DEADLINES",
    "OPEN_DUES",
    "ORG",
    "ORGANISERS",
    "OVERDUE_NOTES",
    "OWNERS",
    "P",
    "PROBLEMS",
    "Problem",
    "QUARTERLY_MONTHS",
    "QUARTER_WORDS",
    "RATE_NAMES",
    "RATE_RANGES",
    "ROOT",
    "SAMPLE_DIR",
    "SAMPLE_FILES",
    "SCORES_LAYOUT",
    "SEED",
    "SERVICE_TYPES",
    "SHOWCASE_DEADLINES",
    "SPECIAL_EVENTS",
    "SPORTS",
    "SUBTITLE_FONT",
    "SURVEYS_LAYOUT",
    "Survey",
    "TASKS_LAYOUT",
    "TEMPLATES",
    "TEMPLATE_DIR",
    "TEXT_FOUND_MONTH",
    "THEORY",
    "THIN",
    "TITLE_FONT",
    "Task",
    "Template",
    "UNITS",
    "UNKNOWN_DEADLINE",
    "UNKNOWN_STATUS",
    "VOLUNTEER",
    "YEAR",
    "YEARLY",
    "ZIP_TIME",
    "deadline_cell",
    "merge_runs",
    "month_end",
    "new_book",
    "put",
    "sample_activities",
    "sample_issues",
    "sample_surveys",
    "save",
    "style_block",
    "task_cells",
    "task_rows",
    "total_row",
    "write_activities_workbook",
    "write_all",
    "write_footer",
    "write_header",
    "write_issues_workbook",
    "write_people_workbook",
    "write_rows",
    "write_samples",
    "write_scores_workbook",
    "write_tasks_sheet",
    "write_tasks_workbook",
    "write_template",
    "write_templates",
    "write_titles",
]


def write_all(out: Path | None = None, templates: Path | None = None) -> list[Path]:
    """Write the sample workbooks and the blank templates; return the files written."""
    out = Path(out) if out is not None else SAMPLE_DIR
    templates = Path(templates) if templates is not None else TEMPLATE_DIR
    out.mkdir(parents=True, exist_ok=True)
    templates.mkdir(parents=True, exist_ok=True)
    return write_samples(out) + write_templates(templates)
