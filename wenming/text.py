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
    # ------------------------------------------------------------ dashboard
    "page.overview": ("总览", "Overview"),
    "page.tasks": ("任务推进", "Tasks"),
    "page.overdue": ("逾期督办", "Overdue"),
    "page.scores": ("测评得分", "Scores"),
    "page.participation": ("参与情况", "Participation"),
    "page.upload": ("数据导入", "Upload"),
    "page.source": ("数据来源：", "Source: "),
    "page.source_item": (
        "{file}（{user} {when} 导入，截至 {as_of}）",
        "{file} (imported by {user} at {when}, as of {as_of})",
    ),
    "page.source_more": (" 等 {count} 个文件", " and {count} more files"),
    "page.filtered": ("已筛选部门：{departments}；截至 {as_of}", "Departments: {departments}; as of {as_of}"),
    "page.clicked": (
        "已选中：{names}（再次点击图表空白处取消）",
        "Selected: {names} (click an empty part of the chart to clear)",
    ),
    "filter.as_of": ("统计截至日期", "As of"),
    "filter.departments": ("部门", "Departments"),
    "filter.all_departments": ("全部部门", "All departments"),
    "sample.user": ("示例数据", "sample data"),
    "empty.hint": (
        "还没有{kind}数据。请到“数据导入”页上传台账（可下载空白模板，按模板表头填写）。",
        "There is no {kind} data yet. Upload a tracker on the Upload page (blank templates are there).",
    ),
    "delta.points": ("较上月末 {value} 个百分点", "{value} pts vs last month end"),
    "delta.count": ("较上月末 {value}", "{value} vs last month end"),
    "headline.completion_rate": ("任务完成率", "Task completion"),
    "headline.overdue": ("逾期任务", "Overdue tasks"),
    "headline.attainment": ("测评得分率", "Score attainment"),
    "headline.open": ("未销号问题", "Open problems"),
    "headline.person_times": ("参与人次", "Person-times"),
    "headline.help": (
        "与上月末相比：上月末的数字按当时在用的台账和完成日期计算。",
        "Against the end of last month: computed from the trackers in force then and the completion dates.",
    ),
    "overview.most_overdue": ("逾期最久的 5 项任务", "The five most overdue tasks"),
    "overview.none_overdue": ("没有逾期任务。", "No task is overdue."),
    "tasks.list": ("任务清单", "Task list"),
    "tasks.states": ("按状态筛选", "Filter by state"),
    "tasks.search": ("搜索", "Search"),
    "tasks.search_hint": ("任务、部门、责任人……", "task, department, owner…"),
    "tasks.count": ("显示 {shown} / {total} 项", "Showing {shown} of {total}"),
    "tasks.download": ("下载任务清单（Excel）", "Download the task list (Excel)"),
    "overdue.overdue": ("逾期任务", "Overdue tasks"),
    "overdue.due_soon": ("7 日内到期", "Due in 7 days"),
    "overdue.open": ("未销号问题", "Open problems"),
    "overdue.issues_overdue": ("超期未整改问题", "Problems past deadline"),
    "overdue.ranking": ("逾期通报排名", "Ranking for the notice"),
    "overdue.tasks": ("逾期任务清单", "Overdue tasks"),
    "overdue.due_soon_list": ("7 日内到期任务", "Tasks due in 7 days"),
    "overdue.ledger": ("问题整改台账（挂账销号）", "Issue ledger"),
    "overdue.download": ("下载督办清单（Excel）", "Download the supervision lists (Excel)"),
    "scores.score": ("自评得分", "Score"),
    "scores.full_max": ("满分", "Full points"),
    "scores.full_max.help": (
        "测评体系的全部分值，加号后为特色（加分）指标；已评分项目合计 {max} 分。",
        "All points of the evaluation system, bonus items after the plus; scored items hold {max} points.",
    ),
    "scores.score.help": (
        "已评分项目的自评得分，加号后为加分项得分。",
        "Self-assessed score of scored items; bonus after the plus.",
    ),
    "label.attainment.help": (
        "得分 ÷ 已评分项目分值（未评分项目不计为 0 分）。",
        "Score ÷ points of scored items (unscored items are not zeros).",
    ),
    "label.lost.help": ("已评分项目的分值 − 得分。", "Points of scored items − score."),
    "label.unscored.help": ("尚未填写得分（或得分超出分值）的测评内容。", "Items without a valid score yet."),
    "scores.points_at_risk.help": (
        "有逾期任务的测评内容的分值合计（任务按测评内容对应，无对应时按测评项目）。",
        "Points of items with overdue tasks (matched on item, else on category).",
    ),
    "scores.points_at_risk": ("风险分值", "Points at risk"),
    "scores.items": ("失分项目（对标找差）", "Points lost by item"),
    "scores.download": ("下载对标找差清单（Excel）", "Download points lost (Excel)"),
    "scores.at_risk": ("因任务逾期而有失分风险的测评内容", "Items at risk from overdue tasks"),
    "scores.no_risk": ("没有因任务逾期而有风险的测评内容。", "No item is at risk from overdue tasks."),
    "scores.unscored": ("尚未评分的测评内容", "Items not yet scored"),
    "participation.surveys": ("问卷调查", "Surveys"),
    "upload.intro": (
        "上传各部门的 Excel 台账（.xlsx）。系统按表头识别任务分解、测评自评、问题整改、活动登记、部门人数、问卷调查六类工作表，"
        "导入前先预览；每个文件要么全部导入，要么完全不导入。同一部门再次上传会替换该部门原有数据，原数据保留在导入记录中。",
        "Upload each department's Excel tracker (.xlsx). Sheets are recognised by their header row; each file is previewed, "
        "then imported all or nothing. A department's new upload replaces its earlier rows, which stay in the history.",
    ),
    "upload.user": ("导入人", "Imported by"),
    "upload.user_hint": ("填写姓名，记入导入记录", "your name, kept in the import log"),
    "upload.files": ("选择 Excel 台账（可多选）", "Choose Excel trackers (several at once)"),
    "upload.recognised": ("**{file}** 识别结果：", "**{file}**, what was recognised:"),
    "upload.warnings": ("需要核对的单元格 {count} 处（导入后仍可修改原表重新上传）", "{count} cells to check"),
    "upload.need_user": ("请先填写导入人。", "Fill in your name first."),
    "upload.confirm": ("确认导入 {count} 个文件", "Import {count} files"),
    "upload.importing": ("正在导入……", "Importing…"),
    "upload.importing_file": ("正在导入 {file}……", "Importing {file}…"),
    "upload.imported_all": ("导入完成", "Done"),
    "upload.rows": ("{kind} {rows} 行", "{kind} {rows} rows"),
    "upload.done": (
        "已导入 {file}（第 {import_id} 次导入）：{rows}；需核对 {warnings} 处。",
        "Imported {file} (import {import_id}): {rows}; {warnings} cells to check.",
    ),
    "upload.scope_all": ("全部（无部门列）", "all (no department column)"),
    "upload.history": ("导入记录", "Import history"),
    "upload.templates": ("空白模板", "Blank templates"),
    # charts
    "chart.completion_by_department": ("各部门任务完成率", "Completion rate by department"),
    "chart.completion_trend": ("任务完成率月度走势", "Completion rate by month"),
    "chart.status_by_department": ("各部门任务推进情况", "Task states by department"),
    "chart.status_by_category": ("各测评项目任务推进情况", "Task states by category"),
    "chart.roadmap": (
        "路线图：各部门每月到期任务数（括号内为逾期）",
        "Roadmap: tasks due per month (overdue in brackets)",
    ),
    "chart.due": ("到期", "due"),
    "chart.overdue_by_department": ("各部门逾期与 7 日内到期任务", "Overdue and due-soon tasks by department"),
    "chart.aging": ("逾期时长分布", "How long tasks have been overdue"),
    "chart.days": ("{days} 天", "{days} days"),
    "chart.issues_by_department": ("各部门问题整改情况", "Ledger problems by department"),
    "chart.open_in_time": ("整改中", "open, in time"),
    "chart.open_overdue": ("超期未整改", "open, past deadline"),
    "chart.attainment_by_category": ("各测评项目得分率", "Attainment by category"),
    "chart.attainment_by_class": ("各测评类别得分率", "Attainment by class"),
    "chart.attainment_by_department": ("各责任部门得分率", "Attainment by department"),
    "chart.points_lost": ("失分最多的 {top} 项（优先补短板）", "The {top} items losing most points"),
    "chart.activities_by_month": ("每月活动次数", "Activities per month"),
    "chart.person_times_by_month": ("每月参与人次", "Person-times per month"),
    "chart.person_times_per_head": ("各部门人均参与人次", "Person-times per head"),
    "chart.hours_per_head": ("各部门人均志愿服务时长（小时）", "Volunteer hours per head"),
    "chart.attendance": ("各部门活动到场率", "Attendance rate by department"),
    "chart.survey_rates": ("问卷调查结果", "Survey results"),
    "chart.no_type": ("未分类", "other"),
    "label.lost": ("失分", "points lost"),
    "label.attendance_rate": ("到场率", "attendance"),
    "label.awareness_rate": ("知晓率", "awareness"),
    "label.participation_rate": ("参与率", "participation"),
    "label.support_rate": ("支持率", "support"),
    "label.satisfaction_rate": ("满意度", "satisfaction"),
    # table columns: one label per column name, the same in every table and Excel download
    "col.task": ("工作任务", "task"),
    "col.department": ("部门", "department"),
    "col.helpers": ("配合部门", "helpers"),
    "col.category": ("测评项目", "category"),
    "col.item": ("测评内容", "item"),
    "col.class": ("测评类别", "class"),
    "col.owner": ("责任人", "owner"),
    "col.deadline": ("完成时限", "deadline"),
    "col.deadline_text": ("完成时限", "deadline"),
    "col.state": ("状态", "state"),
    "col.status_text": ("完成情况（原文）", "status as written"),
    "col.progress": ("进度", "progress"),
    "col.done_on": ("完成日期", "done on"),
    "col.days_overdue": ("逾期天数", "days overdue"),
    "col.days_left": ("剩余天数", "days left"),
    "col.evidence": ("佐证材料", "evidence"),
    "col.note": ("备注", "note"),
    "col.sheet": ("工作表", "sheet"),
    "col.row_no": ("行号", "row"),
    "col.rank": ("排名", "rank"),
    "col.overdue_tasks": ("逾期任务", "overdue tasks"),
    "col.max_days_overdue": ("最长逾期天数", "most days overdue"),
    "col.overdue_issues": ("超期问题", "problems past deadline"),
    "col.problem": ("存在问题", "problem"),
    "col.source": ("问题来源", "source"),
    "col.found_on": ("督查时间", "found on"),
    "col.measure": ("整改措施", "measure"),
    "col.is_closed": ("整改情况", "status"),
    "col.closed_on": ("销号时间", "closed on"),
    "col.method": ("测评方法", "method"),
    "col.max": ("分值", "points"),
    "col.score": ("得分", "score"),
    "col.lost": ("失分", "lost"),
    "col.reason": ("失分原因", "reason"),
    "col.task_departments": ("逾期任务所属部门", "departments of the overdue tasks"),
    "col.activities": ("活动次数", "activities"),
    "col.person_times": ("参与人次", "person-times"),
    "col.volunteer_hours": ("志愿服务时长", "volunteer hours"),
    "col.headcount": ("人数", "headcount"),
    "col.person_times_per_head": ("人均参与人次", "person-times per head"),
    "col.volunteer_hours_per_head": ("人均服务时长", "hours per head"),
    "col.attendance_rate": ("到场率", "attendance"),
    "col.respondents": ("有效问卷", "respondents"),
    "col.awareness_rate": ("知晓率", "awareness"),
    "col.participation_rate": ("参与率", "participation"),
    "col.support_rate": ("支持率", "support"),
    "col.satisfaction_rate": ("满意度", "satisfaction"),
    "col.import_id": ("导入编号", "import"),
    "col.imported_at": ("导入时间", "imported at"),
    "col.user_name": ("导入人", "by"),
    "col.action": ("操作", "action"),
    "col.file_name": ("文件名", "file"),
    "col.rows": ("导入行数", "rows"),
    "action.import": ("导入", "import"),
    "action.restore": ("恢复", "restore"),
    "col.warning_count": ("需核对", "warnings"),
    "col.sha256": ("SHA-256", "SHA-256"),
    "col.kind": ("类别", "kind"),
    "col.header_row": ("表头行", "header row"),
    "col.ref_date": ("截至日期", "as of"),
    "col.scope": ("替换范围（部门）", "replaces (departments)"),
    "col.cell": ("单元格", "cell"),
    "col.message": ("说明", "message"),
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
