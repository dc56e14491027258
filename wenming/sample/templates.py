"""The six blank templates of ``data/templates/``: a title, the header and one example row per sheet kind."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from wenming.sample.common import Fmt
from wenming.sample.sheets import (
    ACTIVITIES_LAYOUT,
    HEADCOUNT_LAYOUT,
    ISSUES_LAYOUT,
    SCORES_LAYOUT,
    SURVEYS_LAYOUT,
    TASKS_LAYOUT,
    Layout,
    new_book,
    save,
    write_header,
    write_rows,
    write_titles,
)


@dataclass(frozen=True)
class Template:
    """A blank workbook of one kind: a title row, the header row and one example row."""

    file_name: str
    sheet: str
    kind: str
    title: str
    layout: Layout
    example: tuple[object, ...]
    choices: dict[str, str] | None = None  # header -> comma-separated list for a drop-down


TEMPLATES: tuple[Template, ...] = (
    Template(
        "任务分解表.xlsx",
        "任务分解",
        "tasks",
        "XX单位创建全国文明单位工作任务分解表（截至    年  月  日）",
        TASKS_LAYOUT,
        (
            1,
            "学雷锋活动",
            "广泛开展学雷锋活动，形成常态化工作机制",
            "制定年度学雷锋活动实施方案（示例，填写时请删除本行）",
            "党委宣传部",
            "团委、工会",
            "张三",
            dt.date(2026, 3, 31),
            "已完成",
            dt.date(2026, 3, 5),
            "活动方案、照片",
            "",
        ),
        choices={"完成情况": "已完成,推进中,未启动"},
    ),
    Template(
        "测评体系自评表.xlsx",
        "自评得分",
        "scores",
        "XX单位全国文明单位测评体系自评表（截至    年  月  日）",
        SCORES_LAYOUT,
        (
            "基本指标",
            "学雷锋活动",
            "广泛开展学雷锋活动，形成常态化工作机制",
            "材料审核",
            5,
            4.5,
            "部分活动记录不完整",
            "党委宣传部",
        ),
    ),
    Template(
        "问题整改台账.xlsx",
        "问题整改台账",
        "issues",
        "XX单位创建全国文明单位问题整改台账（截至    年  月  日）",
        ISSUES_LAYOUT,
        (
            1,
            dt.date(2026, 3, 18),
            "月度督查",
            "宣传栏内容更新不及时（示例，填写时请删除本行）",
            "党委宣传部",
            "更新宣传栏内容，建立每月更新制度",
            dt.date(2026, 3, 31),
            "已销号",
            dt.date(2026, 3, 28),
        ),
    ),
    Template(
        "活动登记表.xlsx",
        "活动登记",
        "activities",
        "XX单位精神文明活动登记表（截至    年  月  日）",
        ACTIVITIES_LAYOUT,
        (1, dt.date(2026, 3, 5), "学雷锋志愿服务进社区（示例）", "学雷锋活动", "团委", 40, 35, 2),
    ),
    Template(
        "部门人数.xlsx",
        "部门人数",
        "headcount",
        "XX单位各部门在职人数统计表",
        HEADCOUNT_LAYOUT,
        ("党委宣传部", 18),
    ),
    Template(
        "问卷调查结果.xlsx",
        "问卷调查",
        "surveys",
        "XX单位创建全国文明单位问卷调查结果统计表",
        SURVEYS_LAYOUT,
        ("党委宣传部", 18, Fmt(0.95, "0.0%"), Fmt(0.9, "0.0%"), Fmt(0.98, "0.0%"), Fmt(0.93, "0.0%")),
    ),
)


def write_template(template: Template, folder: Path) -> Path:
    layout = template.layout
    book = new_book()
    ws = book.create_sheet(template.sheet)
    write_titles(ws, (template.title,), len(layout.header))
    write_header(ws, 2, layout)
    write_rows(ws, 3, [template.example], layout)
    for name, choices in (template.choices or {}).items():
        letter = get_column_letter(layout.header.index(name) + 1)
        check = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
        check.error, check.errorTitle = f"请从下拉列表中选择：{choices}", "完成情况"
        ws.add_data_validation(check)
        check.add(f"{letter}3:{letter}2000")
    return save(book, folder / template.file_name)


def write_templates(folder: Path) -> list[Path]:
    return [write_template(template, folder) for template in TEMPLATES]
