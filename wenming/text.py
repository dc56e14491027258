"""Every user-facing string, Chinese first, English second.

``t("key", **params)`` formats a string in the current language, which is set
per Streamlit session or command-line run with ``use(lang)``.
"""

from __future__ import annotations

import os
from contextvars import ContextVar

LANGS = ("zh", "en")

_DEFAULT_LANG = os.environ.get("WENMING_LANG", "zh")
_lang: ContextVar[str] = ContextVar("lang", default=_DEFAULT_LANG)  # noqa: B039 (a str is immutable)

# key -> (Chinese, English)
STRINGS: dict[str, tuple[str, str]] = {
    "app.title": ("文明创建工作看板", "Civilized Unit Campaign Dashboard"),
    # sheet kinds
    "kind.tasks": ("任务分解", "tasks"),
    "kind.scores": ("测评自评", "scores"),
    "kind.issues": ("问题整改", "issues"),
    "kind.activities": ("活动登记", "activities"),
    "kind.headcount": ("部门人数", "headcount"),
    "kind.surveys": ("问卷调查", "surveys"),
    # task states
    "state.done": ("已完成", "done"),
    "state.in_progress": ("推进中", "in progress"),
    "state.not_started": ("未启动", "not started"),
    "state.other": ("其他", "other"),
    "state.ongoing": ("长期坚持", "ongoing"),
    "state.open": ("未销号", "open"),
    "state.closed": ("已销号", "closed"),
    "no_department": ("未填部门", "no department"),
    "no_category": ("未分类", "uncategorised"),
    # refusals: one sentence = file + reason + what to do
    "refused.sentence": ("{file}：{reason}", "{file}: {reason}"),
    "refused.xls": (
        "这是旧版 .xls 格式，无法读取；请在 Excel 中“另存为” .xlsx 后再导入。",
        "this is the old .xls format; open it in Excel, save it as .xlsx and import that.",
    ),
    "refused.suffix": (
        "不是 Excel 工作簿（只接受 .xlsx 或 .xlsm）；请上传 Excel 台账或使用模板。",
        "not an Excel workbook (only .xlsx or .xlsm are read); upload the Excel tracker or use a template.",
    ),
    "refused.not_excel": (
        "文件内容不是 Excel 工作簿（可能是改了扩展名的其他文件）；请用 Excel 打开后另存为 .xlsx 再导入。",
        "the content is not an Excel workbook (perhaps another file renamed); open it in Excel, save as .xlsx and import that.",
    ),
    "refused.empty_file": (
        "文件是空的（0 字节）；请重新导出台账后再导入。",
        "the file is empty (0 bytes); export the tracker again and import that.",
    ),
    "refused.too_large": (
        "文件超过 {limit_mb} MB 的上限；请拆分为多个工作簿后分别导入。",
        "the file exceeds the {limit_mb} MB limit; split it into several workbooks and import each.",
    ),
    "refused.encrypted": (
        "工作簿设置了打开密码，无法读取；请在 Excel 中取消密码（文件→信息→保护工作簿）后再导入。",
        "the workbook is password-protected; remove the password in Excel (File > Info > Protect Workbook) and import again.",
    ),
    "refused.corrupt": (
        "文件已损坏或不完整（可能下载或复制中断）；请重新获取原文件后再导入。",
        "the file is damaged or incomplete (perhaps a broken download or copy); get the original file again and import that.",
    ),
    "refused.bomb": (
        "文件解压后异常巨大（{member}），疑似恶意文件，已拒绝；请用 Excel 重新保存后再导入。",
        "the file unpacks to an abnormal size ({member}) and looks malicious; re-save it in Excel and import again.",
    ),
    "refused.too_many_rows": (
        "工作表“{sheet}”有 {rows} 行，超过 {limit} 行的上限；请拆分后再导入。",
        "sheet '{sheet}' has {rows} rows, over the {limit}-row limit; split it and import the parts.",
    ),
    "refused.no_sheets": (
        "工作簿是空的，没有任何内容；请填写台账后再导入。",
        "the workbook is empty; fill in the tracker and import again.",
    ),
    "refused.no_known_sheet": (
        "没有可识别的工作表（{sheets}）：前 15 行中找不到表头（如“工作任务”“牵头部门”）；请按模板填写表头后再导入。",
        "no sheet of a known kind ({sheets}): no header row (such as 工作任务, 牵头部门) in the first 15 rows; use a template's header row and import again.",
    ),
    "refused.locked": (
        "数据库文件 {db} 正被另一个程序使用（例如正在运行的看板）；请在看板的“数据导入”页上传，或先停止看板再运行命令。",
        "the database {db} is in use by another program (such as the running dashboard); upload on the dashboard's import page, or stop the dashboard first.",
    ),
    # warnings about one cell or row: "{ref}" is like 任务分解!H17
    "warn.date": (
        "{ref}：无法识别的日期“{value}”，已按原文保存；请改为 2025-06-30、6月底 或 长期坚持 等写法。",
        "{ref}: date '{value}' not understood, kept as text; write it as 2025-06-30, 6月底 or 长期坚持.",
    ),
    "warn.status": (
        "{ref}：无法识别的完成情况“{value}”，按未完成统计；请填写 已完成、推进中、未启动 或百分比。",
        "{ref}: status '{value}' not understood, counted as not done; write 已完成, 推进中, 未启动 or a percentage.",
    ),
    "warn.number": (
        "{ref}：无法识别的数字“{value}”，已留空；请填写数字，如 35 或 35人。",
        "{ref}: number '{value}' not understood, left empty; write a number such as 35 or 35人.",
    ),
    "warn.rate": (
        "{ref}：无法识别的比率“{value}”，已留空；请填写 0 到 100% 之间的数。",
        "{ref}: rate '{value}' not understood, left empty; write a value between 0 and 100%.",
    ),
    "warn.score_above_max": (
        "{ref}：得分 {score} 高于分值 {max}，该项得分已留空；请核对得分。",
        "{ref}: score {score} is above the maximum {max}, so it is left empty; check the score.",
    ),
    "warn.score_negative": (
        "{ref}：得分 {score} 小于 0，该项得分已留空；请核对得分。",
        "{ref}: score {score} is below zero, so it is left empty; check the score.",
    ),
    "warn.max_missing": (
        "{ref}：缺少分值，该项不计入总分；请填写分值。",
        "{ref}: no maximum, so the item is not counted; fill in its points.",
    ),
    "warn.no_department": (
        "{ref}：缺少部门，计入“未填部门”；请填写部门。",
        "{ref}: no department, counted under 'no department'; fill in the department.",
    ),
    "warn.row_without_text": (
        "{ref}：第 {row} 行有内容但“{header}”为空，未导入该行；请补填“{header}”。",
        "{ref}: row {row} has values but '{header}' is empty, so it was not imported; fill in '{header}'.",
    ),
    "warn.sheet_skipped": (
        "工作表“{sheet}”不是可识别的台账（前 15 行中没有表头），已跳过。",
        "sheet '{sheet}' is not a known tracker (no header row in its first 15 rows) and was skipped.",
    ),
    "warn.sheet_hidden": (
        "工作表“{sheet}”是隐藏的，已跳过；如需导入请先取消隐藏。",
        "sheet '{sheet}' is hidden and was skipped; unhide it to import it.",
    ),
    "warn.sheet_empty": (
        "工作表“{sheet}”表头下没有数据行。",
        "sheet '{sheet}' has no data rows under its header.",
    ),
    "warn.duplicate_file": (
        "{file} 与第 {import_id} 次导入的文件完全相同，未重复导入。",
        "{file} is identical to the file of import {import_id}; nothing was imported again.",
    ),
    "warn.older_snapshot": (
        "工作表“{sheet}”截至 {ref_date}，早于已有数据，已作为历史记录保存，当前数据不变。",
        "sheet '{sheet}' is as of {ref_date}, older than the stored data: kept as history, current figures unchanged.",
    ),
    # command line
    "cli.imported": (
        "已导入 {file}（第 {import_id} 次导入，用时 {seconds:.2f} 秒）",
        "imported {file} (import {import_id}, {seconds:.2f} s)",
    ),
    "cli.sheet": ("  工作表“{sheet}” → {kind}：{rows} 行{ref}", "  sheet '{sheet}' -> {kind}: {rows} rows{ref}"),
    "cli.sheet_ref": ("，截至 {date}", ", as of {date}"),
    "cli.warnings": ("  警告 {count} 条：", "  {count} warnings:"),
    "cli.more_warnings": ("  ……另有 {count} 条警告", "  ... and {count} more warnings"),
    "cli.summary_title": ("截至 {as_of} 的汇总", "Summary as of {as_of}"),
    "cli.restored": (
        "已恢复第 {source} 次导入的数据（第 {import_id} 次导入）",
        "restored the data of import {source} (import {import_id})",
    ),
    "cli.no_such_import": ("没有第 {import_id} 次导入。", "there is no import {import_id}."),
    "cli.bad_date": ("日期“{value}”格式不对，请写成 YYYY-MM-DD。", "date '{value}' is not in the form YYYY-MM-DD."),
    "cli.internal_error": (
        "处理时发生内部错误（{error}），数据库未改动；详情已写入 {log}，请将该文件发给管理员。",
        "an internal error occurred ({error}); the database was not changed; details are in {log}, send that file to the administrator.",
    ),
    "cli.no_file": ("{file}：找不到这个文件；请检查路径。", "{file}: no such file; check the path."),
    # summary table labels
    "label.total": ("总数", "total"),
    "label.done": ("已完成", "done"),
    "label.overdue": ("逾期", "overdue"),
    "label.ongoing": ("长期坚持", "ongoing"),
    "label.due_soon": ("7日内到期", "due in 7 days"),
    "label.completion_rate": ("完成率", "completion rate"),
    "label.max": ("应得分", "max"),
    "label.score": ("得分", "score"),
    "label.attainment": ("得分率", "attainment"),
    "label.unscored": ("未评分项", "unscored"),
    "label.bonus": ("加分", "bonus"),
    "label.closed": ("已销号", "closed"),
    "label.open": ("未销号", "open"),
    "label.closing_rate": ("销号率", "closing rate"),
    "label.activities": ("活动次数", "activities"),
    "label.person_times": ("参与人次", "person-times"),
    "label.volunteer_hours": ("志愿服务时长", "volunteer hours"),
    "label.headcount": ("人数", "headcount"),
    "label.person_times_per_head": ("人均参与人次", "person-times per head"),
    "label.department": ("部门", "department"),
    "label.category": ("测评项目", "category"),
    "section.tasks": ("任务推进", "Tasks"),
    "section.scores": ("测评得分", "Scores"),
    "section.issues": ("问题整改", "Issues"),
    "section.participation": ("参与情况", "Participation"),
}


def use(lang: str) -> None:
    """Set the language for this thread of work (a Streamlit run or a CLI call)."""
    _lang.set(lang if lang in LANGS else "zh")


def lang() -> str:
    return _lang.get()


def t(key: str, lang: str | None = None, **params: object) -> str:
    """The string ``key`` in ``lang`` (default: the current language), formatted with params."""
    zh, en = STRINGS[key]
    template = en if (lang or _lang.get()) == "en" else zh
    return template.format(**params) if params else template
