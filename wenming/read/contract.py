"""The data contract of WORKBOOKS.md: sheet kinds, column roles, header synonyms, value words.

Everything the reader recognises by name lives here, so the contract can be read
(and changed) in one place. Parsing of values lives in ``wenming.read.values``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

KINDS = ("tasks", "scores", "issues", "activities", "headcount", "surveys")

DEPARTMENT_SYNONYMS = (
    "牵头部门",
    "牵头单位",
    "牵头委室",
    "责任部门",
    "责任单位",
    "责任委室",
    "责任科室",
)

SURVEY_RATES = {
    "awareness_rate": ("知晓率",),
    "participation_rate": ("参与率",),
    "support_rate": ("支持率",),
    "satisfaction_rate": ("满意度",),
}


@dataclass(frozen=True)
class Kind:
    """One sheet kind: its roles (column names in the store) and which are required."""

    name: str
    roles: dict[str, tuple[str, ...]]  # role -> header synonyms, compared by prefix
    required: tuple[str, ...]
    text_role: str  # the role whose non-empty value makes a row data
    any_of: tuple[str, ...] = ()  # at least one of these must be present too
    fill_down: tuple[str, ...] = ()  # blank means "as above"

    def synonyms(self) -> list[tuple[str, str]]:
        """(normalised synonym, role), longest first, so the most specific prefix wins."""
        pairs = [(normalize_header(s), role) for role, syns in self.roles.items() for s in syns]
        return sorted(pairs, key=lambda p: -len(p[0]))


SHEET_KINDS: dict[str, Kind] = {
    "tasks": Kind(
        name="tasks",
        roles={
            "task": ("工作任务", "具体任务", "工作措施", "具体措施", "任务内容", "重点任务"),
            "department": DEPARTMENT_SYNONYMS,
            "category": ("测评项目", "项目", "类别"),
            "item": ("测评内容", "测评指标", "指标"),
            "helpers": ("配合部门", "配合单位", "配合委室"),
            "owner": ("责任人", "联系人"),
            "deadline": ("完成时限", "完成时间", "时间节点", "截止时间"),
            "status": ("完成情况", "进展情况", "推进情况", "工作进度", "进度", "状态"),
            "done_on": ("完成日期", "实际完成时间"),
            "evidence": ("佐证材料", "佐证资料"),
            "note": ("备注",),
        },
        required=("task", "department"),
        text_role="task",
        fill_down=("category", "item"),
    ),
    "scores": Kind(
        name="scores",
        roles={
            "item": ("测评内容", "测评标准", "三级指标", "考核内容"),
            "max": ("分值", "标准分", "标准分值", "满分"),
            "score": ("得分", "自评分", "自评得分", "考核得分", "实得分"),
            "class": ("测评类别", "一级指标"),
            "category": ("测评项目", "测评指标", "二级指标", "项目"),
            "department": ("责任部门", "责任单位"),
            "method": ("测评方法", "测评方式"),
            "reason": ("失分说明", "失分原因", "扣分原因"),
        },
        required=("item", "max", "score"),
        text_role="item",
        fill_down=("class", "category", "item"),
    ),
    "issues": Kind(
        name="issues",
        roles={
            "problem": ("存在问题", "问题描述", "问题", "发现问题"),
            "department": DEPARTMENT_SYNONYMS,
            "found_on": ("督查时间", "发现时间", "检查时间"),
            "source": ("问题来源", "督查类别"),
            "measure": ("整改措施",),
            "deadline": ("整改时限", "整改期限"),
            "status": ("整改情况", "整改状态", "销号情况"),
            "closed_on": ("销号时间", "整改完成时间"),
        },
        required=("problem", "department"),
        text_role="problem",
    ),
    "activities": Kind(
        name="activities",
        roles={
            "activity": ("活动名称", "活动主题", "活动内容"),
            "department": ("组织部门", "组织单位", "参与部门", "部门", "单位"),
            "people": ("参加人数", "参与人数", "参与人次"),
            "date": ("活动日期", "活动时间", "日期"),
            "type": ("活动类型", "类型", "类别"),
            "expected": ("应参加人数", "应到人数"),
            "hours_each": ("人均服务时长", "服务时长", "志愿服务时长"),
            "hours_total": ("总时长", "累计时长"),
        },
        required=("activity", "department", "people"),
        text_role="activity",
    ),
    "headcount": Kind(
        name="headcount",
        roles={
            "department": ("部门", "单位", "委室"),
            "people": ("在职人数", "职工人数", "人数", "干部职工数"),
        },
        required=("department", "people"),
        text_role="department",
    ),
    "surveys": Kind(
        name="surveys",
        roles={
            "department": ("部门", "单位", "委室", *DEPARTMENT_SYNONYMS),
            **SURVEY_RATES,
            "respondents": ("有效问卷", "样本数"),
        },
        required=("department",),
        text_role="department",
        any_of=tuple(SURVEY_RATES),
    ),
}

# Roles whose values are parsed rather than kept as text.
DATE_ROLES = ("deadline", "done_on", "found_on", "closed_on", "date")
NUMBER_ROLES = ("max", "score", "people", "expected", "hours_each", "hours_total", "respondents")
RATE_ROLES = tuple(SURVEY_RATES)

# Rows whose first non-empty cell starts with one of these are subtotals or footers.
# A subtotal is also recognised in a known column up to the text column ("小计" beside a merged 测评项目).
SUBTOTAL_PREFIXES = ("合计", "小计", "总计")
FOOTER_PREFIXES = (*SUBTOTAL_PREFIXES, "填表人", "审核", "制表", "联系电话", "注:", "说明")

# Where several departments share one cell, the first is the lead; a line break (Alt+Enter) also separates.
DEPARTMENT_SEPARATORS = "、,，;；/／|\n"

TASK_DONE = ("已完成", "完成", "已办结", "办结", "已落实", "√", "✓", "✔", "是", "100%")
TASK_IN_PROGRESS = ("推进中", "正在推进", "进行中", "部分完成", "持续推进")
TASK_NOT_STARTED = ("", "未启动", "未开始", "尚未开展", "未完成", "0%")

ISSUE_CLOSED = ("已销号", "销号", "已整改", "整改完成", "已完成", "完成", "√")

ONGOING_WORDS = ("长期坚持", "长期", "持续推进", "常态化", "每月", "每季度", "每年", "定期")
DEADLINE_SUFFIXES = ("之前", "以前", "前", "止")

BONUS_MARKERS = ("特色", "加分")

HEADER_SCAN_ROWS = 15


def normalize_header(value: object) -> str:
    """NFKC, all white space removed, marks of required columns dropped."""
    text = unicodedata.normalize("NFKC", str(value))
    return "".join(text.split()).lstrip("*★☆")


def normalize_word(value: object) -> str:
    """The form in which status words and footer prefixes are compared."""
    return "".join(unicodedata.normalize("NFKC", str(value)).split()).rstrip("。.;；")
