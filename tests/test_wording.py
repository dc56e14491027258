"""WORKBOOKS.md §7, the wording of real trackers: each rule on a small workbook built here."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.workbooks import workbook
from wenming.read import contract, values
from wenming.read.guard import Refused
from wenming.read.reader import ParsedSheet, ParsedWorkbook, read_workbook

AS_OF = dt.date(2026, 11, 20)
D = dt.date


def read(*sheets: tuple, **kwargs: object) -> ParsedWorkbook:
    return read_workbook(workbook(*sheets), "台账.xlsx", as_of=AS_OF, **kwargs)


def only(book: ParsedWorkbook) -> ParsedSheet:
    assert len(book.sheets) == 1, [s.name for s in book.sheets]
    return book.sheets[0]


def column(sheet: ParsedSheet, name: str) -> list[object]:
    return sheet.table.column(name).to_pylist()


def codes(book: ParsedWorkbook) -> list[tuple[str, str]]:
    return [(w.ref, w.code) for w in book.warnings]


# ---------------------------------------------------------------- words as data


def test_every_word_lives_in_the_words_file() -> None:
    """The kinds, roles and value words come from read/words.toml, one place a newcomer reads."""
    assert contract.WORDS_FILE.name == "words.toml"
    assert "牵头科室" in contract.SHEET_KINDS["tasks"].roles["department"]
    assert "已报送" in contract.TASK_DONE


# ---------------------------------------------------------------- headers


@pytest.mark.parametrize(
    ("kind", "header", "role"),
    [
        ("tasks", "督办事项", "task"),
        ("tasks", "重点工作", "task"),
        ("tasks", "牵头科室", "department"),
        ("tasks", "责任股室", "department"),
        ("tasks", "协办单位", "helpers"),
        ("tasks", "责任领导", "leader"),
        ("tasks", "包保领导", "leader"),
        ("tasks", "办结时限", "deadline"),
        ("tasks", "完成时间节点", "deadline"),
        ("tasks", "落实情况", "status"),
        ("tasks", "是否办结", "decision"),
        ("tasks", "完成进度", "progress"),
        ("tasks", "进度（%）", "progress"),
        ("scores", "要点分值", "max"),
        ("scores", "考评得分", "score"),
        ("scores", "考核项目", "category"),
        ("scores", "扣分", "deduction"),
        ("scores", "扣分原因", "reason"),
        ("scores", "考核方法", "method"),
        ("issues", "反馈问题", "problem"),
        ("issues", "整改责任单位", "department"),
        ("issues", "整改责任人", "owner"),
        ("issues", "整改进展", "status"),
        ("issues", "是否销号", "decision"),
        ("issues", "交办日期", "found_on"),
        ("issues", "复查情况", "recheck"),
        ("issues", "问题点位", "location"),
        ("activities", "服务项目", "activity"),
        ("activities", "主办单位", "department"),
        ("activities", "志愿者人数", "people"),
        ("activities", "开展时间", "date"),
        ("activities", "服务总时长", "hours_total"),
        ("headcount", "科室", "department"),
        ("headcount", "实有人数", "people"),
        ("surveys", "满意率", "satisfaction_rate"),
        ("surveys", "知晓度", "awareness_rate"),
        ("surveys", "样本量", "respondents"),
    ],
)
def test_new_header_words(kind: str, header: str, role: str) -> None:
    from wenming.read.layout import match_roles

    assert match_roles([header], contract.SHEET_KINDS[kind]) == {role: 0}


def test_a_problem_location_is_never_the_problem_text() -> None:
    rows = [["问题点位", "反馈问题", "整改责任单位"], ["3号楼", "楼道堆放杂物", "后勤科"]]
    sheet = only(read(("台账", rows)))
    assert column(sheet, "problem") == ["楼道堆放杂物"]
    assert column(sheet, "location") == ["3号楼"]


def test_three_levels_are_class_category_and_item() -> None:
    rows = [["测评项目", "测评指标", "测评标准", "分值", "得分"], ["思想道德建设", "学雷锋", "开展志愿服务", 4, 3]]
    sheet = only(read(("自评", rows)))
    assert (column(sheet, "class"), column(sheet, "category"), column(sheet, "item")) == (
        ["思想道德建设"],
        ["学雷锋"],
        ["开展志愿服务"],
    )


def test_a_two_level_header_takes_the_role_from_the_lower_cell() -> None:
    rows = [
        ["工作任务", "牵头科室", "推进情况", ""],
        ["", "", "完成进度", "落实情况"],
        ["任务一", "办公室", "50%", "按序时推进"],
    ]
    merges = ["A1:A2", "B1:B2", "C1:D1"]
    sheet = only(read(("任务", rows, merges)))
    assert sheet.header_row == 2
    assert sheet.columns == {"task": "A", "department": "B", "progress": "C", "status": "D"}
    assert column(sheet, "progress") == [0.5]


def test_a_register_without_department_is_the_whole_unit() -> None:
    rows = [["期数", "时间", "主题", "主讲人", "参加人数"], ["第一期", "2026-03-15", "爱岗敬业", "王老师", 40]]
    sheet = only(read(("道德讲堂", rows)))
    assert sheet.kind == "activities"
    assert column(sheet, "department") == ["全单位"]
    assert sheet.unit_wide and not sheet.whole


def test_authorised_posts_are_not_headcount() -> None:
    rows = [["科室", "编制数", "实有人数"], ["办公室", 12, 10]]
    sheet = only(read(("人数", rows)))
    assert column(sheet, "people") == [10]
    assert ("C", "编制数", None) not in sheet.headers and ("B", "编制数", None) in sheet.headers


@pytest.mark.parametrize("words", ["截止到", "截止日期", "统计截止时间", "统计时间", "填报日期"])
def test_more_reference_date_words(words: str) -> None:
    rows = [[f"{words}：2026年10月31日"], ["工作任务", "牵头部门"], ["任务一", "办公室"]]
    assert only(read(("任务", rows))).ref_date == D(2026, 10, 31)


@pytest.mark.parametrize(
    "footer", ["填报单位：办公室", "填报日期：2026年11月1日", "负责人：张三", "签字", "盖章", "审核人：李四"]
)
def test_more_footer_rows(footer: str) -> None:
    rows = [["工作任务", "牵头部门"], ["任务一", "办公室"], [footer, ""]]
    assert column(only(read(("任务", rows))), "task") == ["任务一"]


# ---------------------------------------------------------------- task status


TASKS = ["工作任务", "牵头科室", "办结时限", "落实情况", "是否办结", "完成进度"]


def tasks(*rows: list[object]) -> ParsedWorkbook:
    return read(("任务", [["统计截止时间：2026年10月31日"], TASKS, *rows]))


def test_the_decision_column_decides_over_the_words() -> None:
    book = tasks(
        ["甲", "办公室", "", "推进中", "是"],
        ["乙", "办公室", "", "已完成", "否"],
        ["丙", "办公室", "", "已完成", ""],
    )
    assert column(only(book), "status") == ["done", "in_progress", "done"]


def test_percentages_mean_progress() -> None:
    book = tasks(
        ["甲", "办公室", "", "", "", 1],
        ["乙", "办公室", "", "已完成80%", ""],
        ["丙", "办公室", "", "注册率92%", ""],
        ["丁", "办公室", "", "", "", "60%"],
    )
    sheet = only(book)
    assert column(sheet, "status") == ["done", "in_progress", "in_progress", "in_progress"]
    assert column(sheet, "progress") == pytest.approx([1.0, 0.8, 0.92, 0.6])


@pytest.mark.parametrize(
    ("status", "state"),
    [
        ("已完成，照片已归档", "done"),
        ("已完成（见官网截图）", "done"),
        ("完成，已归档", "done"),
        ("已报送", "done"),
        ("已建成", "done"),
        ("已开通", "done"),
        ("已印发", "done"),
        ("已制定", "done"),
        ("已于7月15日在官网发布倡议书", "done"),
        ("按序时推进", "in_progress"),
        ("按时序推进", "in_progress"),
        ("序时推进", "in_progress"),
        ("正在办理", "in_progress"),
        ("正在推进", "in_progress"),
        ("整改中", "in_progress"),
        ("持续整改", "in_progress"),
        ("未开展", "not_started"),
        ("尚未开展", "not_started"),
        ("未启动", "not_started"),
        ("已部分完成", "other"),
        ("已完成一半", "other"),
    ],
)
def test_status_words(status: str, state: str) -> None:
    assert values.task_status(status).state == state


def test_nearly_done_is_in_progress_with_a_warning() -> None:
    book = tasks(["甲", "办公室", "", "基本完成", ""])
    assert column(only(book), "status") == ["in_progress"]
    assert codes(book) == [("任务!D3", "nearly_done")]


def test_ongoing_words_of_an_ongoing_task_are_not_unknown() -> None:
    book = tasks(["甲", "办公室", "长期坚持", "常态化开展", ""], ["乙", "办公室", "2026年6月30日", "常态化开展", ""])
    assert column(only(book), "status") == ["in_progress", "other"]
    assert codes(book) == [("任务!D4", "status")]


# ---------------------------------------------------------------- issue status


ISSUES = ["反馈问题", "整改责任单位", "整改进展", "是否销号", "复查情况"]


def test_issue_words_decision_and_recheck() -> None:
    rows = [
        ISSUES,
        ["甲", "后勤科", "已整改到位", "", ""],
        ["乙", "后勤科", "已清理", "", ""],
        ["丙", "后勤科", "整改中", "是", ""],
        ["丁", "后勤科", "已整改到位", "否", ""],
        ["戊", "后勤科", "已整改到位", "是", "复查未通过"],
        ["己", "后勤科", "已办结", "", "问题反弹"],
        ["庚", "后勤科", "", "已销号", ""],
    ]
    sheet = only(read(("台账", rows)))
    assert column(sheet, "status") == ["closed", "closed", "closed", "open", "open", "open", "closed"]
    assert column(sheet, "recheck")[4] == "复查未通过"


# ---------------------------------------------------------------- deadlines

REF = 2026


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("全年", D(2026, 12, 31)),
        ("年内", D(2026, 12, 31)),
        ("本年度", D(2026, 12, 31)),
        ("下半年", D(2026, 12, 31)),
        ("上半年", D(2026, 6, 30)),
        ("2025年下半年", D(2025, 12, 31)),
        ("9月底前完成", D(2026, 9, 30)),
        ("2026年6月底完成时间", D(2026, 6, 30)),
        ("6月上旬", D(2026, 6, 10)),
        ("6月中旬", D(2026, 6, 20)),
        ("2月下旬", D(2026, 2, 28)),
        ("2026年9月下旬前", D(2026, 9, 30)),
    ],
)
def test_deadline_words(text: str, due: dt.date) -> None:
    assert values.parse_date(text, REF, deadline=True) == values.DateValue(due)


@pytest.mark.parametrize("text", ["每周", "每半年", "每两月", "按月", "按季度"])
def test_more_ongoing_words(text: str) -> None:
    assert values.parse_date(text, REF, deadline=True).ongoing


def test_at_once_is_due_on_the_day_found_or_the_reference_date() -> None:
    task_book = tasks(["甲", "办公室", "立行立改", "", ""])
    assert column(only(task_book), "deadline") == [D(2026, 10, 31)]
    ledger = [["交办日期", "主要问题", "整改责任部门", "完成时限"], [D(2026, 10, 12), "门前三包", "后勤科", "即知即改"]]
    assert column(only(read(("交办单", ledger))), "deadline") == [D(2026, 10, 12)]


@pytest.mark.parametrize("text", ["按上级要求", "待定", "视情况"])
def test_pending_deadlines_have_no_date_and_a_warning(text: str) -> None:
    book = tasks(["甲", "办公室", text, "", ""])
    assert column(only(book), "deadline") == [None]
    assert codes(book) == [("任务!C3", "date_pending")]


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "number"),
    [("近70人", 70), ("约50人", 50), ("30余人", 30), ("400余人", 400), ("300多名", 300), ("百余人", 100)],
)
def test_approximate_counts(text: str, number: float) -> None:
    assert values.parse_number(text) == values.Number(number, note="approximate")


def test_approximate_counts_warn_once_per_column() -> None:
    rows = [
        ["活动名称", "部门", "参加人数"],
        ["甲", "办公室", "近70人"],
        ["乙", "办公室", "30余人"],
        ["丙", "团委", 12],
    ]
    book = read(("活动", rows))
    assert column(only(book), "people") == [70, 30, 12]
    assert codes(book) == [("活动!C2、C3", "approximate")]


@pytest.mark.parametrize(("text", "number"), [("二十人", 20), ("十五人次", 15), ("一百二十人", 120), ("两千", 2000)])
def test_chinese_numerals(text: str, number: float) -> None:
    assert values.parse_number(text) == values.Number(number)


def test_all_staff_is_the_headcount_of_the_workbook_or_the_store() -> None:
    activity = ("活动", [["活动名称", "部门", "参加人数"], ["道德讲堂", "办公室", "全体干部职工"]])
    headcount = ("人数", [["科室", "实有人数"], ["办公室", 10], ["团委", 3]])
    with_sheet = read(activity, headcount)
    assert column(with_sheet.sheets[0], "people") == [13]
    assert [w.code for w in with_sheet.warnings] == ["all_staff"]
    assert column(read(activity, headcount=38.0).sheets[0], "people") == [38]
    unknown = read(activity)
    assert column(unknown.sheets[0], "people") == [None]
    assert [w.code for w in unknown.warnings] == ["all_staff_unknown"]


@pytest.mark.parametrize(
    ("text", "hours", "note"),
    [
        ("半天", 4, ""),
        ("一天", 8, ""),
        ("全天", 8, ""),
        ("2小时/人", 2, ""),
        ("2-3小时", 2.5, "range_middle"),
        ("3h", 3, ""),
        ("90分钟", 1.5, ""),
    ],
)
def test_durations(text: str, hours: float, note: str) -> None:
    assert values.parse_hours(text) == values.Number(hours, note=note)


def test_a_fraction_is_a_rate() -> None:
    assert values.parse_rate("35/35") == values.Number(1.0)
    assert values.parse_rate("28/30").value == pytest.approx(28 / 30)
    assert not values.parse_rate("36/35").ok


# ---------------------------------------------------------------- scores

SCORES = ["测评类别", "测评项目", "测评内容", "分值", "得分", "扣分"]


def scores(*rows: list[object]) -> ParsedSheet:
    return only(read(("自评", [SCORES, *rows])))


def test_score_words() -> None:
    sheet = scores(
        ["甲", "一", "满分项", 4, "满分"],
        ["甲", "一", "不得分项", 4, "不得分"],
        ["甲", "一", "扣分项", 4, "扣1分"],
        ["甲", "一", "写明满分", 5, "5（满分）"],
        ["甲", "一", "扣分列", 4, "", 1.5],
        ["甲", "一", "分值在文字中（4分）", "", 3],
        ["特色加分", "二", "加分项", 5, "加3分"],
    )
    assert column(sheet, "score") == [4, 0, 3, 5, 2.5, 3, 3]
    assert column(sheet, "max") == [4, 4, 4, 5, 4, 4, 5]
    assert column(sheet, "bonus") == [False] * 6 + [True]


def test_not_applicable_items_count_in_neither_max_nor_score() -> None:
    sheet = scores(
        ["甲", "一", "窗口服务", 5, "不涉及"], ["甲", "一", "食堂", 3, "不适用"], ["甲", "一", "宿舍", "无此项", ""]
    )
    assert column(sheet, "item_type") == ["not_applicable"] * 3
    assert column(sheet, "score") == [None] * 3


def test_deductions_are_zero_or_below_and_never_part_of_max() -> None:
    sheet = scores(
        ["减分项", "负面清单", "被曝光", "", "-2"],
        ["", "", "未报送", "", "扣1分"],
        ["", "", "信访", "", "无"],
        ["", "", "违规", "", "", 3],
        ["扣分项", "", "其他", "", "无此情形"],
    )
    assert column(sheet, "item_type") == ["deduction"] * 5
    assert column(sheet, "score") == [-2, -1, 0, -3, 0]


def test_vetoes_are_triggered_by_their_cell() -> None:
    sheet = scores(
        ["一票否决", "", "严重违纪", "", "无"],
        ["", "", "安全事故", "", "是"],
        ["", "", "刑事案件", "", "发生一起"],
        ["", "", "失信", "", ""],
        ["其他", "", "群体事件", "一票否决", "未发生"],
    )
    assert column(sheet, "item_type") == ["veto"] * 5
    assert column(sheet, "triggered") == [False, True, True, False, False]
    assert column(sheet, "max") == [None] * 5


# ---------------------------------------------------------------- nothing unread goes unsaid (§8)


def test_the_preview_lists_every_header_cell() -> None:
    rows = [["序号", "工作任务", "牵头科室", "督办人"], [1, "任务一", "办公室", "张三"]]
    assert only(read(("任务", rows))).headers == [
        ("A", "序号", None),
        ("B", "工作任务", "task"),
        ("C", "牵头科室", "department"),
        ("D", "督办人", None),
    ]


def test_bad_values_are_grouped_with_count_values_and_first_cells() -> None:
    rows = [
        ["工作任务", "牵头部门", "完成时限", "完成情况"],
        *[[f"任务{i}", "办公室", f"第{i % 12}周", "推进中"] for i in range(40)],
    ]
    book = read(("任务", rows))
    (warning,) = book.warnings
    assert (warning.code, warning.count, warning.column) == ("date", 40, "完成时限")
    assert warning.cells == ("C2", "C3", "C4", "C5", "C6")
    assert warning.values == tuple(f"第{i}周" for i in range(10))
    assert warning.message().startswith("任务!C2、C3、C4、C5、C6 等 40 处：无法识别的日期“第0周”“第1周”")


def test_a_sheet_missing_a_required_column_names_it_and_how_to_map_it() -> None:
    rows = [["工作任务", "牵头股", "完成时限"], ["任务一", "办公室", "6月底"]]
    with pytest.raises(Refused) as refused:
        read(("任务", rows))
    assert refused.value.code == "missing_role"
    message = refused.value.message()
    assert "牵头部门" in message and "“牵头股”" in message and "words add '牵头股=department'" in message


def test_taught_words_are_read() -> None:
    rows = [["工作任务", "牵头股", "落实情况", "完成时限"], ["任务一", "办公室", "按计划推进", "国庆前"]]
    taught = contract.Words(
        headers={"牵头股": "department"}, values={"按计划推进": "in_progress", "国庆前": "2026-09-30"}
    )
    sheet = only(read(("任务", rows), words=taught))
    assert column(sheet, "department") == ["办公室"]
    assert column(sheet, "status") == ["in_progress"]
    assert column(sheet, "deadline") == [D(2026, 9, 30)]
    assert sheet.taught == ["牵头股=department", "国庆前=2026-09-30", "按计划推进=in_progress"]


def test_a_generated_tracker_with_a_bad_column_gives_one_line(tmp_path) -> None:
    """The benchmark's bad column (bigbook, bad_column=True): every 完成时限 unreadable, one warning."""
    from wenming.devtools import bigbook

    path = bigbook.write_tracker(tmp_path / "bad.xlsx", 2_000, bad_column=True)
    book = read_workbook(path.read_bytes(), path.name, as_of=AS_OF)
    dates = [w for w in book.warnings if w.code == "date"]
    assert [(w.count, w.values) for w in dates] == [(2_000, bigbook.BAD_DEADLINES)]


def test_a_taught_header_wins_over_the_same_word_of_another_role() -> None:
    rows = [["工作任务", "牵头部门", "进度"], ["任务一", "办公室", "60%"]]
    assert only(read(("任务", rows))).columns["status"] == "C"
    taught = only(read(("任务", rows), words=contract.Words(headers={"进度": "progress"})))
    assert "status" not in taught.columns and taught.columns["progress"] == "C"
    assert column(taught, "progress") == [0.6]


def test_a_list_without_the_columns_its_figures_need_says_so() -> None:
    """§8: a task list with no column saying what is finished counts every task as not done, and one
    with no deadline never counts one overdue; both are said, once per sheet, with the rows they hold."""
    bare = read(("任务", [["工作任务", "牵头部门"], ["甲", "办公室"], ["乙", "团委"]]))
    assert [(w.code, w.ref, w.params) for w in bare.warnings] == [
        ("no_finished_tasks", "任务", {"rows": "2"}),
        ("no_deadline_tasks", "任务", {"rows": "2"}),
    ]
    assert (
        bare.warnings[0]
        .message()
        .startswith("工作表“任务”没有完成情况列（完成情况、是否办结、完成进度或完成日期），其中 2 项")
    )
    dated = read(("任务", [["工作任务", "牵头部门", "完成日期", "完成时限"], ["甲", "办公室", "", "12月底"]]))
    assert dated.warnings == []  # a 完成日期 alone says which are finished
    ledger = read(("问题", [["存在问题", "责任部门", "是否销号"], ["甲", "办公室", "否"]]))
    assert [w.code for w in ledger.warnings] == ["no_deadline_issues"]
    assert [w.code for w in read(("问题", [["存在问题", "责任部门"]])).warnings] == ["sheet_empty"]
    activities = read(("活动", [["活动名称", "组织部门", "参加人数"], ["讲座", "办公室", 20]]))
    assert activities.warnings == []  # an activity is neither finished nor due
