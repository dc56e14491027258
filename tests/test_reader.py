"""Reading tracker workbooks as WORKBOOKS.md §2–§4 define it, from tiny workbooks built in code."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import pytest

from tests.workbooks import Formatted, workbook
from wenming.read import contract, reader, values
from wenming.read.guard import Refused
from wenming.read.reader import ParsedSheet, ParsedWorkbook, read_workbook

AS_OF = dt.date(2025, 7, 15)
D = dt.date

# A task sheet: columns A..L; 完成时限 is column H, as in "任务分解!H17".
TASKS = [
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
]
SCORES = ["测评类别", "测评项目", "测评内容", "分值", "得分", "失分原因"]
ISSUES = ["序号", "存在问题", "责任部门", "整改措施", "整改时限", "整改情况", "销号时间"]
ACTIVITIES = ["活动名称", "组织部门", "活动日期", "参加人数", "应参加人数", "人均服务时长"]
HEADCOUNT = ["部门", "在职人数"]
SURVEYS = ["部门", "知晓率", "参与率", "支持率", "满意度", "有效问卷"]


def line(header: Sequence[str], cells: dict[str, object]) -> list[object]:
    """One sheet row with ``cells`` placed under the header names they are keyed by."""
    unknown = set(cells) - set(header)
    assert not unknown, unknown
    return [cells.get(name, "") for name in header]


def task(text: str, department: str = "办公室", **cells: object) -> list[object]:
    """A task row; keyword names are the English roles of TASKS' columns."""
    names = dict(
        zip(
            (
                "no",
                "category",
                "item",
                "task",
                "department",
                "helpers",
                "owner",
                "deadline",
                "status",
                "done_on",
                "evidence",
                "note",
            ),
            TASKS,
            strict=True,
        )
    )
    return line(
        TASKS, {names["task"]: text, names["department"]: department, **{names[k]: v for k, v in cells.items()}}
    )


def read(*sheets: tuple, name: str = "台账.xlsx", **kwargs: object) -> ParsedWorkbook:
    return read_workbook(workbook(*sheets, hidden=kwargs.pop("hidden", ())), name, as_of=AS_OF, **kwargs)


def only(book: ParsedWorkbook) -> ParsedSheet:
    assert len(book.sheets) == 1, [s.name for s in book.sheets]
    return book.sheets[0]


def column(sheet: ParsedSheet, name: str) -> list[object]:
    return sheet.table.column(name).to_pylist()


def codes(book: ParsedWorkbook) -> list[tuple[str, str]]:
    """(ref, code) of every warning, e.g. ("任务分解!H17", "date")."""
    return [(w.ref, w.code) for w in book.warnings]


# ---------------------------------------------------------------- header row (§2)


@pytest.mark.parametrize("header_row", range(1, 16))
def test_header_row_is_found_in_the_first_15_rows(header_row: int) -> None:
    titles = [["2025年全国文明单位创建工作任务分解表"], ["填报单位：办公室"]] + [[""]] * 13
    rows = [*titles[: header_row - 1], TASKS, task("开展学雷锋志愿服务")]
    sheet = only(read(("任务", rows)))
    assert sheet.kind == "tasks"
    assert sheet.header_row == header_row
    assert column(sheet, "row_no") == [header_row + 1]
    assert column(sheet, "task") == ["开展学雷锋志愿服务"]


def test_header_on_row_16_is_not_found() -> None:
    rows = [["标题"]] * 15 + [TASKS, task("开展学雷锋志愿服务")]
    with pytest.raises(Refused) as refused:
        read(("任务", rows))
    assert refused.value.code == "no_known_sheet"
    book = read(("任务", rows), ("人数", [HEADCOUNT, ["办公室", 12]]))
    assert [s.name for s in book.sheets] == ["人数"]
    assert codes(book) == [("任务", "sheet_skipped")]


def test_a_sheet_with_content_only_below_row_16_is_reported() -> None:
    rows = [[""]] * 19 + [TASKS, task("开展学雷锋志愿服务")]
    book = read(("人数", [HEADCOUNT, ["办公室", 12]]), ("旧任务", rows))
    assert codes(book) == [("旧任务", "sheet_skipped")]
    with pytest.raises(Refused) as refused:
        read(("旧任务", rows))
    assert refused.value.code == "no_known_sheet"


# ---------------------------------------------------------------- header synonyms (§2)

SAMPLE = {
    "task": "开展学雷锋志愿服务",
    "problem": "公共区域卫生死角",
    "activity": "道德讲堂",
    "item": "建立学雷锋志愿服务队",
    "department": "办公室",
    "max": 4,
    "score": 3,
    "people": 35,
    "awareness_rate": "90%",
    "participation_rate": "80%",
    "support_rate": "95%",
    "satisfaction_rate": "92%",
}


def synonym_cases() -> list[tuple[str, str, str]]:
    return [
        (kind.name, role, synonym)
        for kind in contract.SHEET_KINDS.values()
        for role, synonyms in kind.roles.items()
        for synonym in synonyms
    ]


def header_with(kind: contract.Kind, role: str, text: str) -> dict[str, str]:
    """role -> header text: the required roles under their first synonym, ``role`` under ``text``."""
    roles = {r: kind.roles[r][0] for r in (*kind.required, *kind.any_of[:1])}
    roles[role] = text
    return roles


FORMS: dict[str, Callable[[str], str]] = {
    "as_listed": lambda s: s,
    "spaced": lambda s: " ".join(s) + " ",
    "full_width_brackets": lambda s: s + "（日期）",
    "half_width_brackets": lambda s: s + "(日期)",
    "line_break": lambda s: s[:1] + "\n" + s[1:] + "\n（必填）",
    "required_mark": lambda s: "＊" + s,
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("kind_name", "role", "synonym"), synonym_cases())
def test_every_header_synonym(kind_name: str, role: str, synonym: str, form: str) -> None:
    kind = contract.SHEET_KINDS[kind_name]
    roles = header_with(kind, role, FORMS[form](synonym))
    header = ["序号", *roles.values()]
    data = [1, *(SAMPLE.get(r, "2025-06-30" if r in contract.DATE_ROLES else "x") for r in roles)]
    sheet = only(read(("Sheet1", [header, data])))
    assert sheet.kind == kind_name
    assert sheet.columns[role] == reader.column_letter(1 + list(roles).index(role))
    assert sheet.table.num_rows == 1


@pytest.mark.parametrize(
    "text", ["完成 时限", "完成时限（日期）", "完成时限(日期)", "完 成 时 限（具体到日）", "完成时限\n(日期)"]
)
def test_deadline_header_forms(text: str) -> None:
    header = [*TASKS[:7], text, *TASKS[8:]]
    sheet = only(read(("任务", [header, task("开展学雷锋志愿服务", deadline="2025-06-30")])))
    assert sheet.columns["deadline"] == "H"
    assert column(sheet, "deadline") == [D(2025, 6, 30)]


def test_the_most_specific_prefix_wins() -> None:
    """问题来源 is the source, not the problem; 实际完成时间 is done_on, not the deadline."""
    issues = only(read(("问题", [["问题来源", "存在问题", "责任部门"], ["省级测评", "卫生死角", "办公室"]])))
    assert issues.columns == {"source": "A", "problem": "B", "department": "C"}
    header = ["工作任务", "牵头部门", "实际完成时间", "完成时间"]
    tasks = only(read(("任务", [header, ["任务一", "办公室", "2025-06-01", "2025-06-30"]])))
    assert tasks.columns == {"task": "A", "department": "B", "done_on": "C", "deadline": "D"}


# ---------------------------------------------------------------- sheet kinds (§2)


def test_kind_comes_from_the_header_never_from_the_names() -> None:
    book = read(("问题整改台账", [TASKS, task("开展学雷锋志愿服务")]), name="活动登记表.xlsx")
    assert only(book).kind == "tasks"
    with pytest.raises(Refused) as refused:
        read(("任务分解表", [["序号", "内容", "部门"], [1, "开展学雷锋志愿服务", "办公室"]]), name="任务分解表.xlsx")
    assert refused.value.code == "no_known_sheet"


def test_several_sheets_of_different_kinds() -> None:
    book = read(
        ("填表说明", [["本工作簿共六张表"], ["请按模板填写"]]),
        ("任务", [TASKS, task("开展学雷锋志愿服务")]),
        ("自评", [SCORES, ["", "学雷锋活动", "建立志愿服务队", 4, 4]]),
        ("问题", [ISSUES, [1, "卫生死角", "后勤处"]]),
        ("活动", [ACTIVITIES, ["道德讲堂", "宣传部", "2025-06-12", 35]]),
        ("人数", [HEADCOUNT, ["办公室", 12]]),
        ("问卷", [SURVEYS, ["办公室", "90%"]]),
    )
    assert [(s.name, s.kind) for s in book.sheets] == [
        ("任务", "tasks"),
        ("自评", "scores"),
        ("问题", "issues"),
        ("活动", "activities"),
        ("人数", "headcount"),
        ("问卷", "surveys"),
    ]
    assert book.rows_by_kind() == dict.fromkeys(contract.KINDS, 1)
    assert codes(book) == [("填表说明", "sheet_skipped")]
    assert "填表说明" in book.warnings[0].message("zh")
    assert "填表说明" in book.warnings[0].message("en")


def test_a_workbook_with_no_known_sheet_is_refused() -> None:
    with pytest.raises(Refused) as refused:
        read(("Sheet1", [["姓名", "电话"], ["张三", "123"]]), ("Sheet2", [["备忘"]]))
    assert refused.value.code == "no_known_sheet"
    assert "Sheet1" in refused.value.message() and "Sheet2" in refused.value.message()


@pytest.mark.parametrize("sheets", [[("Sheet1", [])], [("Sheet1", []), ("Sheet2", [[""]])]])
def test_an_empty_workbook_is_refused(sheets: list[tuple]) -> None:
    with pytest.raises(Refused) as refused:
        read(*sheets)
    assert refused.value.code == "no_sheets"


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(Refused) as refused:
        read_workbook(b"", "台账.xlsx", as_of=AS_OF)
    assert refused.value.code == "empty_file"


def test_a_header_without_rows_is_read_and_reported() -> None:
    book = read(("任务", [["任务分解表"], TASKS]), ("自评", [SCORES, ["合计", "", "", 100, 90]]))
    assert [(s.kind, s.table.num_rows) for s in book.sheets] == [("tasks", 0), ("scores", 0)]
    assert codes(book) == [("任务", "sheet_empty"), ("自评", "sheet_empty")]


def test_empty_sheets_beside_a_known_one_are_ignored_quietly() -> None:
    book = read(("任务", [TASKS, task("开展学雷锋志愿服务")]), ("Sheet2", []), ("Sheet3", []))
    assert [s.name for s in book.sheets] == ["任务"]
    assert book.warnings == []


def test_hidden_sheets_are_skipped_with_a_warning() -> None:
    book = read(
        ("任务", [TASKS, task("开展学雷锋志愿服务")]),
        ("旧任务", [TASKS, task("去年的任务")]),
        hidden=["旧任务"],
    )
    assert [s.name for s in book.sheets] == ["任务"]
    assert codes(book) == [("旧任务", "sheet_hidden")]
    with pytest.raises(Refused):
        read(("旧任务", [TASKS, task("去年的任务")]), ("Sheet1", []), hidden=["旧任务"])


# ---------------------------------------------------------------- merged cells and fill-down (§3)


def test_merged_cells_give_their_value_to_every_cell() -> None:
    rows = [
        ["2025年任务分解表"],
        TASKS,
        task("任务一", category="学雷锋活动", item="建立志愿服务队", deadline="6月底"),
        task("任务二", department=""),
        task("任务三", department=""),
    ]
    sheet = only(read(("任务", rows, ["A1:L1", "B3:B5", "C3:C4", "E3:E5", "H3:H5"])))
    assert sheet.header_row == 2
    assert column(sheet, "department") == ["办公室"] * 3
    assert column(sheet, "category") == ["学雷锋活动"] * 3
    assert column(sheet, "item") == ["建立志愿服务队"] * 3  # C5 is filled down from C4
    assert column(sheet, "deadline") == [D(2025, 6, 30)] * 3


def test_a_merged_task_cell_makes_every_row_of_the_range_data() -> None:
    rows = [TASKS, task("任务一", department="办公室"), task("", department="宣传部")]
    sheet = only(read(("任务", rows, ["D2:D3"])))
    assert column(sheet, "task") == ["任务一", "任务一"]
    assert column(sheet, "department") == ["办公室", "宣传部"]


def test_category_and_item_are_filled_down_within_their_category() -> None:
    rows = [
        TASKS,
        task("任务一", category="学雷锋活动", item="志愿服务队"),
        task("任务二"),
        task("任务三", item="志愿服务站"),
        task("任务四", category="道德讲堂"),  # a new category: its item is not 志愿服务站
        task("任务五"),
        task("任务六", item="讲堂活动"),
    ]
    sheet = only(read(("任务", rows)))
    assert column(sheet, "category") == ["学雷锋活动"] * 3 + ["道德讲堂"] * 3
    assert column(sheet, "item") == ["志愿服务队", "志愿服务队", "志愿服务站", None, None, "讲堂活动"]


def test_a_category_row_without_a_task_heads_the_rows_below() -> None:
    rows = [
        TASKS,
        task("", department="", category="学雷锋活动"),
        task("任务一"),
        task("任务二"),
        task("", department="", category="道德讲堂"),
        task("任务三"),
    ]
    book = read(("任务", rows))
    sheet = only(book)
    assert column(sheet, "task") == ["任务一", "任务二", "任务三"]
    assert column(sheet, "category") == ["学雷锋活动", "学雷锋活动", "道德讲堂"]
    assert book.warnings == []


def test_class_and_category_are_filled_down_in_scores() -> None:
    rows = [
        SCORES,
        ["思想道德建设", "学雷锋活动", "志愿服务队", 4, 4],
        ["", "", "志愿服务站", 4, 3],
        ["", "道德讲堂", "讲堂建设", 5, 5],
        ["文明风尚", "", "文明餐桌", 3, 2],
    ]
    sheet = only(read(("自评", rows)))
    assert column(sheet, "class") == ["思想道德建设"] * 3 + ["文明风尚"]
    assert column(sheet, "category") == ["学雷锋活动", "学雷锋活动", "道德讲堂", None]


# ---------------------------------------------------------------- which rows are data (§3)


def test_a_row_is_data_only_with_its_text_role() -> None:
    rows = [
        TASKS,
        task("任务一"),
        task("", department=""),
        task("   ", department=""),
        line(TASKS, {"序号": 3}),  # a numbered but empty template row
        task("任务二"),
    ]
    book = read(("任务", rows))
    assert column(only(book), "task") == ["任务一", "任务二"]
    assert column(only(book), "row_no") == [2, 6]
    assert book.warnings == []


@pytest.mark.parametrize(
    ("kind_header", "row", "text_role"),
    [
        (TASKS, task("", department="办公室", deadline="6月底"), "D"),
        (ISSUES, line(ISSUES, {"责任部门": "后勤处", "整改时限": "6月底"}), "B"),
        (ACTIVITIES, line(ACTIVITIES, {"组织部门": "宣传部", "参加人数": 35}), "A"),
        (SCORES, line(SCORES, {"分值": 4, "得分": 3}), "C"),
        (HEADCOUNT, ["", 12], "A"),
        (SURVEYS, ["", "90%"], "A"),
    ],
)
def test_a_row_with_values_but_no_text_is_reported(kind_header: list[str], row: list[object], text_role: str) -> None:
    rows = [kind_header, row]
    book = read(("表", rows, []), ("人数", [HEADCOUNT, ["办公室", 1]]))
    sheet = book.sheets[0]
    assert sheet.table.num_rows == 0
    assert ("表!" + text_role + "2", "row_without_text") in codes(book)
    warning = next(w for w in book.warnings if w.code == "row_without_text")
    assert kind_header[ord(text_role) - 65] in warning.message("zh")


FOOTERS = [
    "合计",
    "合 计",
    "小计",
    "总计：",
    "填表人：张三",
    "审核：李四",
    "审核人：李四",
    "制表：王五",
    "制表人",
    "联系电话：0355-1234567",
    "注：本表每月5日前报送",
    "注:完成时限以通知为准",
    "说明：请如实填写",
]


@pytest.mark.parametrize("footer", FOOTERS)
def test_footer_rows_are_not_data(footer: str) -> None:
    rows = [TASKS, task("任务一"), [footer, "", "", "任务文本", "办公室"], task("任务二")]
    book = read(("任务", rows))
    assert column(only(book), "task") == ["任务一", "任务二"]
    assert book.warnings == []


@pytest.mark.parametrize("footer", ["合计", "小计", "总计", "填表人：张三", "说明：请如实填写"])
def test_footer_in_the_text_column_when_it_is_the_first_cell(footer: str) -> None:
    header = ["工作任务", "牵头部门", "完成时限"]
    book = read(("任务", [header, ["任务一", "办公室"], [footer, "", "", "办公室"]]))
    assert column(only(book), "task") == ["任务一"]


def test_a_task_that_starts_like_a_footer_is_data_when_a_number_comes_first() -> None:
    """Only the first non-empty cell of a row marks a footer; 序号 3 comes before the task."""
    rows = [TASKS, line(TASKS, {"序号": 3, "工作任务": "审核把关网站信息", "牵头部门": "宣传部"})]
    assert column(only(read(("任务", rows))), "task") == ["审核把关网站信息"]


def test_subtotals_are_never_added_to_a_total() -> None:
    rows = [
        SCORES,
        ["思想道德建设", "学雷锋活动", "志愿服务队", 4, 4],
        ["", "", "志愿服务站", 10, 8],
        ["", "", "小计", 14, 12],
        ["", "道德讲堂", "讲堂建设", 5, 5],
        ["", "小计", "", 5, 5],
        ["合计", "", "", 19, 17],
    ]
    book = read(("自评", rows, ["A2:A6"]))
    sheet = only(book)
    assert column(sheet, "item") == ["志愿服务队", "志愿服务站", "讲堂建设"]
    assert sum(column(sheet, "max")) == 19
    assert sum(column(sheet, "score")) == 17
    assert book.warnings == []


def test_a_total_row_of_activities_is_not_counted() -> None:
    rows = [
        ACTIVITIES,
        ["道德讲堂", "宣传部", "2025-06-12", 35],
        ["志愿服务", "团委", "2025-06-20", 20],
        ["合计", "", "", 55],
    ]
    assert sum(column(only(read(("活动", rows))), "people")) == 55


def test_a_repeated_header_row_is_not_data() -> None:
    rows = [TASKS, task("任务一"), TASKS, task("任务二")]
    book = read(("任务", rows))
    assert column(only(book), "task") == ["任务一", "任务二"]
    assert book.warnings == []


def test_a_section_heading_across_the_row_is_not_data() -> None:
    rows = [TASKS, ["一、学雷锋活动"], task("任务一"), ["二、道德讲堂"], task("任务二")]
    book = read(("任务", rows, ["A2:L2", "A4:L4"]))
    assert column(only(book), "task") == ["任务一", "任务二"]
    assert book.warnings == []


def test_a_horizontally_merged_item_with_points_is_data() -> None:
    """In a scores sheet the category and item may share a merged cell; its points make it data."""
    rows = [SCORES, ["思想道德建设", "文明餐桌", "", 3, 2], ["", "道德讲堂", "讲堂建设", 5, 5]]
    book = read(("自评", rows, ["B2:C2"]))
    sheet = only(book)
    assert column(sheet, "item") == ["文明餐桌", "讲堂建设"]
    assert column(sheet, "score") == [2, 5]


# ---------------------------------------------------------------- where a row came from (§3)


def test_rows_keep_their_sheet_and_excel_row_and_warnings_name_the_cell() -> None:
    rows = [["2025年任务分解表"], ["（截至2025年6月30日）"], TASKS]
    rows += [task(f"任务{n}", deadline="6月底") for n in range(4, 17)]
    rows += [task("任务17", deadline="尽快")]
    book = read(("任务分解", rows))
    sheet = only(book)
    assert column(sheet, "sheet") == ["任务分解"] * 14
    assert column(sheet, "row_no") == list(range(4, 18))
    assert codes(book) == [("任务分解!H17", "date")]
    message = book.warnings[0].message("zh")
    assert message.startswith("任务分解!H17") and "尽快" in message
    assert book.warnings[0].message("en").startswith("任务分解!H17")


# ---------------------------------------------------------------- reference date (§2, §4)


def test_the_reference_date_in_the_title_rows_sets_the_year() -> None:
    rows = [["2024年文明创建任务推进表"], ["截至2024年5月31日"], TASKS, task("任务一", deadline="6月底")]
    sheet = only(read(("任务", rows)))
    assert sheet.ref_date == D(2024, 5, 31)
    assert column(sheet, "deadline") == [D(2024, 6, 30)]


def test_a_merged_title_holds_the_reference_date() -> None:
    rows = [["任务推进表（截至2024年12月31日）"], TASKS, task("任务一", deadline="一季度末")]
    sheet = only(read(("任务", rows, ["A1:L1"])))
    assert sheet.ref_date == D(2024, 12, 31)
    assert column(sheet, "deadline") == [D(2024, 3, 31)]


def test_without_a_reference_date_the_as_of_year_is_used() -> None:
    sheet = only(read(("任务", [["任务推进表"], TASKS, task("任务一", deadline="6月底")])))
    assert sheet.ref_date is None
    assert column(sheet, "deadline") == [D(AS_OF.year, 6, 30)]


def test_a_reference_date_below_the_header_is_not_one() -> None:
    rows = [TASKS, task("任务一", deadline="6月底", note="截至2024年5月31日已完成一半")]
    sheet = only(read(("任务", rows)))
    assert sheet.ref_date is None
    assert column(sheet, "deadline") == [D(AS_OF.year, 6, 30)]


# ---------------------------------------------------------------- values in sheets (§4)


def test_dates_in_a_task_sheet() -> None:
    rows = [
        TASKS,
        task("任务一", deadline=D(2025, 6, 30), done_on=Formatted(45830, "yyyy-mm-dd")),
        task("任务二", deadline=45838),
        task("任务三", deadline="长期坚持"),
        task("任务四", deadline="尽快"),
        task("任务五", deadline="2025年2月30日"),
        task("任务六", done_on="长期坚持"),
    ]
    book = read(("任务", rows))
    sheet = only(book)
    assert column(sheet, "deadline") == [D(2025, 6, 30), D(2025, 6, 30), None, None, None, None]
    assert column(sheet, "ongoing") == [False, False, True, False, False, False]
    assert column(sheet, "deadline_text") == ["2025-06-30", "45838", "长期坚持", "尽快", "2025年2月30日", None]
    assert column(sheet, "done_on") == [D(2025, 6, 22), None, None, None, None, None]
    assert column(sheet, "done_on_text")[5] == "长期坚持"
    # grouped per column and reason (WORKBOOKS.md §8): H5 and H6 are one warning
    assert codes(book) == [("任务!H5、H6", "date"), ("任务!J7", "date")]
    assert [w.values for w in book.warnings] == [("尽快", "2025年2月30日"), ("长期坚持",)]


def test_ongoing_words_are_ongoing_for_issue_deadlines_only() -> None:
    rows = [
        ISSUES,
        line(ISSUES, {"存在问题": "卫生死角", "责任部门": "后勤处", "整改时限": "常态化", "销号时间": "常态化"}),
    ]
    book = read(("问题", rows))
    assert column(only(book), "ongoing") == [True]
    assert codes(book) == [("问题!G2", "date")]


def test_task_statuses_in_a_sheet() -> None:
    rows = [
        TASKS,
        task("任务一", status="已完成"),
        task("任务二", status=Formatted(0.5, "0%")),
        task("任务三", status="30%"),
        task("任务四"),
        task("任务五", done_on="2025-06-20"),
        task("任务六", status="暂缓"),
        task("任务七", status="√"),
    ]
    book = read(("任务", rows))
    sheet = only(book)
    assert column(sheet, "status") == ["done", "in_progress", "in_progress", "not_started", "done", "other", "done"]
    assert column(sheet, "progress") == [1.0, 0.5, 0.3, 0.0, 1.0, None, 1.0]
    assert column(sheet, "status_text")[5] == "暂缓"
    assert codes(book) == [("任务!I7", "status")]


def test_a_written_done_on_counts_even_when_it_is_not_a_date() -> None:
    """Someone wrote in 完成日期: the task is done (and the odd date is reported); "/" means no date."""
    rows = [TASKS, task("任务一", done_on="已完成"), task("任务二", done_on="/"), task("任务三", done_on="6月中下")]
    book = read(("任务", rows))
    assert column(only(book), "status") == ["done", "not_started", "done"]
    assert codes(book) == [("任务!J2、J4", "date")]


def test_issue_statuses_in_a_sheet() -> None:
    rows = [
        ISSUES,
        [1, "卫生死角", "后勤处", "", "", "已销号"],
        [2, "宣传栏陈旧", "宣传部", "", "", "整改中"],
        [3, "垃圾分类不到位", "后勤处", "", "", "", "2025-06-10"],
        [4, "志愿者台账不全", "团委"],
        [5, "门前三包不落实", "后勤处", "", "", "", "无"],
    ]
    book = read(("问题", rows))
    assert column(only(book), "status") == ["closed", "open", "closed", "open", "open"]
    assert book.warnings == []


def test_numbers_and_rates_in_sheets() -> None:
    book = read(
        (
            "活动",
            [
                ACTIVITIES,
                ["道德讲堂", "宣传部", "2025-06-12", "35人", "40 人", "2.5小时"],
                ["志愿服务", "团委", "", "若干人"],
            ],
        ),
        ("问卷", [SURVEYS, ["办公室", "92.5%", 0.8, 95, "", "120份"], ["宣传部", "很高"]]),
    )
    activities, surveys = book.sheets
    assert column(activities, "people") == [35, None]
    assert column(activities, "expected") == [40, None]
    assert column(activities, "hours_each") == [2.5, None]
    assert column(surveys, "awareness_rate") == [pytest.approx(0.925), None]
    assert column(surveys, "participation_rate") == [0.8, None]
    assert column(surveys, "support_rate") == [0.95, None]
    assert column(surveys, "respondents") == [120, None]
    assert codes(book) == [("活动!D3", "number"), ("问卷!B3", "rate")]


def test_departments_in_a_sheet() -> None:
    rows = [
        TASKS,
        task("任务一", department="办 公 室 "),
        task("任务二", department="办公室、研究室"),
        task("任务三", department="五阳矿"),
        task("任务四", department=""),
    ]
    book = read(("任务", rows), aliases={"五阳矿": "五阳煤矿", "研 究 室": "研究室"})
    sheet = only(book)
    assert column(sheet, "department") == ["办公室", "办公室", "五阳煤矿", None]
    assert column(sheet, "department_text") == ["办 公 室", "办公室、研究室", "五阳矿", None]
    assert codes(book) == [("任务!E5", "no_department")]


def test_aliases_are_compared_without_white_space() -> None:
    book = read(("人数", [HEADCOUNT, ["五阳矿", 300]]), aliases={"五 阳 矿": "五阳 煤矿"})
    assert column(only(book), "department") == ["五阳煤矿"]


# ---------------------------------------------------------------- scores (§4, §5)


def test_a_score_above_its_max_or_below_zero_is_left_empty_with_a_warning() -> None:
    rows = [
        ["测评体系自评表"],
        SCORES,
        ["思想道德建设", "学雷锋活动", "志愿服务队", 4, 5],
        ["", "", "志愿服务站", 4, -1],
        ["", "", "学雷锋标兵", 4, 4],
        ["", "", "志愿服务时长", 4, ""],
    ]
    book = read(("得分表", rows))
    sheet = only(book)
    assert column(sheet, "item") == ["志愿服务队", "志愿服务站", "学雷锋标兵", "志愿服务时长"]
    assert column(sheet, "score") == [None, None, 4, None]
    assert column(sheet, "max") == [4, 4, 4, 4]
    assert codes(book) == [("得分表!E3", "score_above_max"), ("得分表!E4", "score_negative")]
    above, negative = (w.message("zh") for w in book.warnings)
    assert "5" in above and "4" in above
    assert "-1" in negative


def test_bonus_items_sit_under_a_class_or_category_holding_te_se_or_jia_fen() -> None:
    rows = [
        SCORES,
        ["思想道德建设", "学雷锋活动", "志愿服务队", 4, 4],
        ["特色指标", "创新工作", "特色品牌", 5, 5],
        ["", "", "经验推广", 3, 2],
        ["文明风尚", "加分项目", "获得表彰", 2, 2],
        ["", "文明餐桌", "光盘行动", 3, 3],
    ]
    sheet = only(read(("自评", rows)))
    assert column(sheet, "bonus") == [False, True, True, True, False]


# ---------------------------------------------------------------- speed


def test_each_distinct_value_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    parse = values.parse_date

    def counting(value: object, ref_year: int, *, deadline: bool = False) -> values.DateValue:
        calls.append(value)
        return parse(value, ref_year, deadline=deadline)

    monkeypatch.setattr(values, "parse_date", counting)
    rows = [TASKS] + [task(f"任务{n}", deadline=["6月底", "年底"][n % 2]) for n in range(40)]
    sheet = only(read(("任务", rows)))
    assert sheet.table.num_rows == 40
    assert sorted(calls) == ["", "6月底", "年底"]  # done_on: one blank value
