"""A clerk's audit: trackers in shapes none of the other fixtures has (人大机关 责任清单, a 集团's
煤矿 ledger, 测评项目 | 测评指标 | 测评标准 scores with subtotals, registers with approximate counts),
each imported through the store and checked against the figures a clerk works out by hand on AS_OF
(WORKBOOKS.md §2–§5, §7), and against §8: every value not read is said, grouped by column."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.workbooks import Formatted, workbook
from wenming import cli
from wenming.figures import summary
from wenming.read import scorecells, values
from wenming.read.reader import ParsedWorkbook, read_workbook
from wenming.store import Store

AS_OF = dt.date(2026, 11, 20)
Build = Callable[[], bytes]
Warned = list[tuple[str, str, int]]  # (code, cells, count) of each grouped warning
Reader = Callable[..., tuple[dict, Warned]]
SERIAL_JUNE_30 = 46203  # 2026-06-30 as an Excel serial, in a cell without a date format


def congress_duties() -> bytes:
    """A 人大机关 责任清单: a title row, a 截止到 line, merged 测评项目 cells, stray spaces in the
    headers, departments joined by 、 ， / and a line break or marked （牵头）, a 小计 row, a footer,
    a second sheet of no known kind and an empty sheet.

    Reference date 2026-10-31. By hand on 2026-11-20 (row: lead, deadline, status):
      4  办公室  2026年6月底前完成 = 06-30   已完成                 done
      5  研究室  每季度 = ongoing             常态化开展             in progress, ongoing
      6  法工委  全年 = 12-31                 正在推进               not yet due
      7  人事处  2026.6.30 = 06-30            未开展                 overdue
      8  财经委  20260630 = 06-30             已完成（6月28日召开）  done
      9  选联委  serial 46203 = 06-30         完成60%                overdue, in progress at 60%
      10 研究室  6月30日 = 06-30              √                      done
      11 办公室  11月25日前 = 11-25           推进中                 due soon
      12 (小计: not a task)
      13 机关党委 12.31 = 12-31 of 2026       未启动                 not yet due
      14 (填报单位/负责人/审核人 footer)
    Tasks 9, done 3, ongoing 1, overdue 2, due soon 1. Row 10 "办公室、研究室（牵头）" is led by
    研究室, the name marked 牵头; row 4 "办 公 室" is 办公室; row 8 "财经委⏎预算工委" is 财经委.
    By lead: 办公室 2 (1 done), 研究室 2 (1 done), 法工委 1, 人事处 1 (overdue), 财经委 1 (done),
    选联委 1 (overdue), 机关党委 1.
    """
    rows = [
        ["XX市人大常委会机关2026年创建全国文明单位工作责任清单"],
        ["截止到2026年10月31日"],
        ["序号", "测评项目", "工 作 任 务", "责任委室", "配合委室", "完成 时限", "完成情况", "备注"],
        [1, "思想道德建设", "制定年度学习计划", "办 公 室", "", "2026年6月底前完成", "已完成"],
        [2, "", "开展道德讲堂", "研究室（牵头）", "办公室", "每季度", "常态化开展"],
        [3, "", "学雷锋志愿服务", "法工委、办公室", "", "全年", "正在推进"],
        [4, "文明风尚", "更新宣传栏", "人事处/机关党委", "", "2026.6.30", "未开展"],
        [5, "", "文明餐桌行动", "财经委\n预算工委", "", 20260630, "已完成（6月28日召开）"],
        [6, "", "文明交通劝导", "选联委，办公室", "", SERIAL_JUNE_30, "完成60%"],
        [7, "", "编印创建简报", "办公室、研究室（牵头）", "", "6月30日", "√"],
        [8, "", "整理创建档案", "办公室", "研究室", "11月25日前", "推进中"],
        ["小计", "", "", "", "", "", "8项"],
        [9, "优美环境", "开展卫生大扫除", "机关党委", "", "12.31", "未启动"],
        ["填报单位：（盖章）", "", "", "负责人：王五", "", "审核人：赵六"],
    ]
    notes = [["填表说明"], ["1. 完成情况请填写 已完成、推进中 或 未启动。"], ["2. 每月25日前报送。"]]
    return workbook(("责任清单", rows, ["A1:H1", "B4:B6", "B7:B11"]), ("填表说明", notes), ("Sheet3", []))


def mine_issue_ledger() -> bytes:
    """A 集团's 问题整改台账 over its 煤矿 and 公司: a 填报日期 whose date sits in the next cell (an
    Excel date), 整改时限 立行立改, 是否销号, 复查情况 复查未通过, 销号时间 as an Excel serial and
    "2026.9.30", a 合计 row and 填报人/审核人 footers in separate cells.

    Reference date 2026-11-05 (填报日期 in B2). By hand on 2026-11-20 (row: lead, due, state):
      4  五阳煤矿  立行立改, found 10-08 = 10-08  已整改到位, 是否销号 是              closed
      5  漳村煤矿  2026.9.30 = 09-30              已销号, 复查未通过                    open, overdue
      6  物业公司  2026年11月底前 = 11-30         整改中, 否                            open
      7  五阳煤矿  立即 = found 11-02             (blank), 是否销号 blank, 销号时间 46331 closed (closed_on filled)
      8  机电公司  20261231 = 12-31               已销号, 是否销号 已销号               closed
      9  漳村煤矿  立行立改, no found date = 11-05 整改中, 否                            open, overdue
      10 (合计: not a problem)   11 (填报人/审核人 footer)
    Problems 6, closed 3, open 3, overdue 2, closing rate 50%.
    """
    rows = [
        ["XX能源集团创建全国文明单位问题整改台账"],
        ["填报日期：", dt.date(2026, 11, 5)],
        [
            "序号",
            "问题来源",
            "存在问题",
            "整改责任单位",
            "发现时间",
            "整改措施",
            "整改时限",
            "整改情况",
            "是否销号",
            "复查情况",
            "销号时间",
        ],
        [
            1,
            "集团督查",
            "井口区域卫生差",
            "五阳煤矿",
            dt.date(2026, 10, 8),
            "专人清扫",
            "立行立改",
            "已整改到位",
            "是",
            "复查通过",
        ],
        [
            2,
            "集团督查",
            "宣传栏破损",
            "漳村煤矿",
            dt.date(2026, 9, 1),
            "更换宣传栏",
            "2026.9.30",
            "已销号",
            "是",
            "复查未通过",
        ],
        [
            3,
            "市文明办",
            "小区垃圾分类不规范",
            "物业公司",
            dt.date(2026, 10, 20),
            "增设分类桶",
            "2026年11月底前",
            "整改中",
            "否",
        ],
        [4, "集团督查", "食堂浪费", "五阳煤矿", dt.date(2026, 11, 2), "张贴标语", "立即", "", "", "", 46331],
        [5, "自查", "志愿服务台账缺失", "机电公司", dt.date(2026, 10, 12), "补建台账", 20261231, "已销号", "已销号"],
        [6, "自查", "职工文明用语不规范", "漳村煤矿", "", "开展培训", "立行立改", "整改中", "否"],
        ["合计", "6个问题", "", "", "", "", "", "已销号3个"],
        ["填报人：李四", "", "", "审核人：张三", "", "", "联系电话：1234567"],
    ]
    return workbook(("问题整改台账", rows, ["A1:K1"]))


def self_assessment() -> bytes:
    """A 自评表 in the layout 测评项目 | 测评指标 | 测评标准 | 分值 | 得分, merged category cells, a
    小计 row under each 测评项目 and a 合计 row, scores written as text ("4", "３", "3.5分"), 不涉及,
    a 特色 bonus item, a 减分项 and 一票否决 items, and a 填报日期 line.

    By hand: base items 4 + 4 + 4 + 4 + 2 = 18 max (the 不涉及 item of 3 counts in neither),
    score 4 + 3 + 3.5 + 3 + 2 = 15.5 (满分 is 2), attainment 15.5 / 18; not applicable 1; bonus
    2 of 5; deductions −1 (扣1分) + 0 (无) = −1; total 15.5 + 2 − 1 = 16.5; vetoes 2, triggered 0
    (未发生, 无). Subtotals (7, 8.5) and the 合计 are never items.
    """
    rows = [
        ["2026年度全国文明单位测评自评表"],
        ["填报单位：XX区政协机关", "", "", "填报日期：2026年10月31日"],
        ["测评项目", "测评指标", "测评标准", "分 值", "自评得分", "扣分原因"],
        ["思想道德建设", "学雷锋活动", "建立学雷锋志愿服务队", 4, "4"],
        ["", "", "开展志愿服务活动", 4, "３", "次数不足"],
        ["", "小计", "", 8, 7],
        ["文明风尚", "道德讲堂", "每季度举办道德讲堂", 4, "3.5分"],
        ["", "", "道德讲堂阵地建设", 4, "扣1分", "阵地不规范"],
        ["", "优质服务", "窗口服务规范", 3, "不涉及"],
        ["", "优美环境", "垃圾分类", 2, "满分"],
        ["", "小计", "", 13, 8.5],
        ["特色工作", "创新", "获市级以上表彰", 5, 2],
        ["减分项", "负面清单", "被媒体曝光", "", "扣1分"],
        ["", "", "信访事项", "", "无"],
        ["一票否决", "一票否决", "严重违纪违法案件", "一票否决", "未发生"],
        ["", "", "重大安全责任事故", "一票否决", "无"],
        ["合计", "", "", 20, 18.5],
    ]
    return workbook(("自评表", rows, ["B4:B5", "A4:A6", "A7:A11"]))


def volunteer_register() -> bytes:
    """A 志愿服务登记表 of a 街道: a title, a 截至 line, counts as 近70人, 30余人, 二十人, "45人次",
    "约50名" and "12人（其中党员5人）" (the whole is 12), durations 半天, 2-3小时, "1.5小时", 90分钟 and "2小时/人",
    dates as 2026.6.30, 6月30日, 20260630 and a date cell, 应参加人数, departments with stray spaces,
    a 合计 row (never added) and a footer.

    By hand (people × hours each): 70 × 4 = 280; 30 × 2.5 = 75; 20 × 1.5 = 30; 45 × 1.5 = 67.5;
    50 × 2 = 100; 12 × 3 = 36. Activities 6, person-times 70 + 30 + 20 + 45 + 50 + 12 = 227,
    volunteer hours 588.5; attendance 227 / (80 + 40 + 20 + 50 + 60 + 15) = 227 / 265.
    Warnings: approximate (近70人, 30余人, 约50名) once for the column, range_middle (2-3小时) once.
    By department: 综治办 2 activities (70 + 12 = 82 person-times), 党政办 2 (30 + 45), 社区办 1 (20),
    团工委 1 (50).
    """
    rows = [
        ["XX街道2026年志愿服务活动登记表"],
        ["截至2026年10月31日"],
        ["序号", "活动名称", "组织部门", "活动日期", "应参加人数", "参加人数", "人均服务时长", "备注"],
        [1, "文明交通劝导", "综 治 办", "2026.6.30", 80, "近70人", "半天"],
        [2, "社区环境整治", "党政办", "6月30日", 40, "30余人", "2-3小时"],
        [3, "关爱空巢老人", "社区办", 20260630, 20, "二十人", "1.5小时"],
        [4, "文明礼仪宣讲", "党政办", dt.date(2026, 9, 18), 50, "45人次", "90分钟"],
        [5, "无偿献血", "团工委", "2026年10月15日", 60, "约50名", "2小时/人"],
        [6, "垃圾分类宣传", "综治办 ", "2026-10-20", 15, "12人（其中党员5人）", "3h"],
        ["合计", "", "", "", 265, 227],
        ["填报人：王五", "", "", "", "审核人：", ""],
    ]
    return workbook(("志愿服务登记表", rows, ["A1:H1", "A2:H2"]))


def staff_and_survey() -> bytes:
    """A 花名册汇总 with a two-level header (人员情况 over 编制数 | 实有人数 | 借调人数), numbers as
    text ("12人", "１０"), a 合计 row; beside it a 问卷统计 with "35/35", percents as text and as
    numbers, 满意率, 有效问卷（份）"35份", and an empty trailing sheet.

    Headcount (实有人数, never 编制数): 综治办 9, 党政办 10, 社区办 6, 团工委 3, 28 in all.
    Surveys: 党政办 awareness 1 (35/35), participation 0.9, support 0.95, satisfaction 0.985,
    respondents 35; 综治办 awareness 27/30 = 0.9, satisfaction 0.96, respondents 30.
    """
    staff = [
        ["截至2026年10月31日干部职工花名册汇总"],
        ["序号", "部  门", "人员情况", "", "", "备注"],
        ["", "", "编制数", "实有人数", "借调人数"],
        [1, "综治办", 10, "9人", 1],
        [2, "党政办", "12人", "１０", 0],
        [3, "社区办", 8, 6],
        [4, "团工委", 3, "3"],
        ["合计", "", 33, 28, 1],
    ]
    survey = [
        ["2026年度文明单位创建测评问卷统计"],
        ["部门", "有效问卷（份）", "知晓率", "参与率", "支持率", "满意率"],
        ["党政办", "35份", "35/35", "90%", 0.95, "98.5%"],
        ["综治办", 30, "27/30", "", "", 96],
    ]
    return workbook(("花名册汇总", staff, ["C2:E2", "A2:A3", "B2:B3", "F2:F3"]), ("问卷统计", survey), ("Sheet3", []))


def group_tasks() -> bytes:
    """A 集团's 任务分解表 over its 煤矿 and 公司: a two-row title, 牵头单位 cells marked 牵头：… ；配合：…,
    a 完成日期 column, status as a percent cell, 已启动, 已于…完成, and deadlines 6.30前, 12月中旬,
    第四季度, 2026年下半年, 待定, 每月25日前, 10月底前完成.

    Reference date 2026-10-31 (截至 in the second title row). By hand on 2026-11-20:
      4  五阳煤矿  6.30前 = 06-30     已于6月20日完成                       done
      5  安监处    10月底前完成 = 10-31 50% (a percent cell)                 overdue, at 50%
      6  机电公司  12月中旬 = 12-20   已启动                                 in progress (started is not done)
      7  漳村煤矿  第四季度 = 12-31   已完成, 完成日期 2026-11-25 (after D)  not done at D
      8  物业公司  2026年下半年 = 12-31  未完成                              not started
      9  宣传部    待定: no due date   推进中                                never overdue, warned
      10 工会      每月25日前: ongoing  持续推进                              ongoing
      11 五阳煤矿  2026/11/26 = 11-26 进行中                                 due soon (D ≤ 11-26 ≤ D + 7)
    Tasks 8; done 1 (row 7's 完成日期 is after D); overdue 1; ongoing 1; due soon 1.
    Row 5 "牵头：安监处；配合：机电公司" is led by 安监处.
    """
    rows = [
        ["XX能源集团2026年创建全国文明单位任务分解表"],
        ["（截至2026年10月31日）"],
        ["序号", "具体任务", "牵头单位", "完成时限", "完成情况", "完成日期"],
        [1, "创建文明班组", "五阳煤矿", "6.30前", "已于6月20日完成"],
        [2, "安全文化长廊", "牵头：安监处；配合：机电公司", "10月底前完成", Formatted(0.5, "0%")],
        [3, "职工书屋", "机电公司", "12月中旬", "已启动"],
        [4, "文明食堂", "漳村煤矿", "第四季度", "已完成", dt.date(2026, 11, 25)],
        [5, "小区绿化", "物业公司", "2026年下半年", "未完成"],
        [6, "先进典型宣传", "宣传部", "待定", "推进中"],
        [7, "职工志愿服务", "工会", "每月25日前", "持续推进"],
        [8, "井口文明岗", "五阳煤矿", "2026/11/26", "进行中"],
    ]
    return workbook(("任务分解表", rows, ["A1:F1", "A2:F2"]))


def cppcc_progress() -> bytes:
    """A 政协机关 推进台账 with headers in full-width brackets and stray spaces, a 截止时间 line, 责任科室
    cells "办公室（牵头）、研究室（配合）" and "（牵头）提案委", 是否完成 and 完成进度 columns, and
    "2026年12月31日止", "11月底", "2026-12-31".

    Reference date 2026-10-31 (截止时间). By hand on 2026-11-20:
      4  办公室  2026年12月31日止 = 12-31  已完成, 是否完成 是            done
      5  提案委  11月底 = 11-30            推进中, 完成进度 80%           in progress, due soon? no (11-30 > D + 7)
      6  研究室  2026年6月30日前 = 06-30   已启动, 是否完成 否            overdue
      7  学习委  2026-12-31                未启动                         not yet due
      8  办公室  11月22日 = 11-22          (blank), 完成进度 100%          done
    Tasks 5, done 2, overdue 1, due soon 0, ongoing 0. Leads: 办公室 2, 提案委 1, 研究室 1, 学习委 1.
    """
    rows = [
        ["XX市政协机关创建全国文明单位工作推进台账"],
        ["截止时间：2026年10月31日"],
        ["序号", "工作任务（具体措施）", "责任科室（单位）", "完成 时限", "完成情况", "是否完成", "完成进度（%）"],
        [1, "文明科室评选", "办公室（牵头）、研究室（配合）", "2026年12月31日止", "已完成", "是", ""],
        [2, "委员志愿服务", "（牵头）提案委", "11月底", "推进中", "", "80%"],
        [3, "机关文化墙", "研究室", "2026年6月30日前", "已启动", "否", ""],
        [4, "读书月活动", "学习委", "2026-12-31", "未启动", "", ""],
        [5, "文明餐桌", "办公室", "11月22日", "", "", 1],
    ]
    return workbook(("推进台账", rows, ["A1:G1"]))


def inspection_list() -> bytes:
    """A 督查问题清单 of a city bureau: 交办时间 as text "2026.10.8", 整改期限 即知即改 / 长期坚持 /
    10.31前, statuses 已完成整改, 已于10月20日清理完毕, 正在整改, 整改中, departments marked （牵头）,
    a 小计 row merged across, and a 注： footer.

    Reference date: none in the title, so the as-of date stands in (2026-11-20). By hand:
      4  办公室  即知即改, found 10-08 = 10-08  已完成整改              closed
      5  后勤科  10.31前 = 10-31              已于10月20日清理完毕    closed
      6  宣传科  长期坚持: ongoing, never overdue 正在整改             open
      7  后勤科  2026.10.15 = 10-15           整改中                  open, overdue
      8  (小计 merged across: not a problem)
      9  宣传科  2026年12月底 = 12-31         未整改                  open
    Problems 5, closed 2, open 3, overdue 1, closing rate 40%.
    """
    rows = [
        ["市文旅局创建全国文明单位督查问题清单"],
        ["序号", "交办时间", "发现问题", "责任部门", "整改期限", "整改情况"],
        [1, "2026.10.8", "大厅地面不洁", "办公室（牵头）", "即知即改", "已完成整改"],
        [2, "2026.10.9", "车棚堆放杂物", "后勤科、办公室", "10.31前", "已于10月20日清理完毕"],
        [3, "2026.10.9", "宣传氛围不浓", "宣传科", "长期坚持", "正在整改"],
        [4, "2026.10.10", "绿化带垃圾", "后勤科", "2026.10.15", "整改中"],
        ["小计：4个问题，已整改2个"],
        [5, "2026.11.2", "文明标语缺失", "宣传科", "2026年12月底", "未整改"],
        ["注：整改情况每周五前更新。"],
    ]
    return workbook(("督查问题清单", rows, ["A1:F1", "A7:F7", "A9:F9"]))


def unreadable_values() -> bytes:
    """Values no rule reads, across three sheets, to check §8: 第三周 and 13.45 as deadlines, 待研究
    as a status, 若干 as a count, 良好 as a rate. Each column gives one grouped warning naming its
    values and first cells; the rows are kept (3 tasks, 2 activities, 2 departments surveyed)."""
    tasks = [
        ["工作任务", "责任部门", "完成时限", "完成情况"],
        ["任务一", "办公室", "第三周", "待研究"],
        ["任务二", "办公室", "第三周", "待研究"],
        ["任务三", "宣传科", "13.45", "已完成"],
    ]
    register = [
        ["活动名称", "组织部门", "参加人数"],
        ["读书会", "办公室", "若干"],
        ["健步走", "宣传科", "若干"],
    ]
    survey = [
        ["部门", "满意度"],
        ["办公室", "良好"],
        ["宣传科", "95%"],
    ]
    return workbook(("任务", tasks), ("活动", register), ("问卷", survey))


# ---------------------------------------------------------------- through the store


def imported(tmp_path: Path, *builds: Build) -> tuple[Store, list[ParsedWorkbook]]:
    """A store holding each workbook, imported as the upload page does: parse, then store."""
    store = Store.open(tmp_path / "t.duckdb")
    books = []
    for build in builds:
        data = build()
        book = store.parse(data, f"{build.__name__}.xlsx", as_of=AS_OF)
        store.import_parsed(book, data, user="test", as_of=AS_OF)
        books.append(book)
    return store, books


@pytest.fixture
def read(tmp_path: Path) -> Iterator[Reader]:
    """read(build, ...) -> (the figures on AS_OF, the warnings as (code, cells, count))."""
    opened: list[Store] = []

    def run(*builds: Build) -> tuple[dict, Warned]:
        store, books = imported(tmp_path, *builds)
        opened.append(store)
        warnings = [(w.code, w.ref, w.count) for book in books for w in book.warnings]
        return summary.build(store, AS_OF), warnings

    yield run
    for store in opened:
        store.close()


def task_figures(figures: dict) -> tuple[int, ...]:
    tasks = figures["tasks"]
    return tasks["total"], tasks["done"], tasks["overdue"], tasks["ongoing"], tasks["due_soon"]


def by_department(figures: dict, kind: str, *fields: str) -> dict[str, tuple]:
    return {name: tuple(f[field] for field in fields) for name, f in figures[kind]["by_department"].items()}


def test_congress_duties(read: Reader) -> None:
    figures, warnings = read(congress_duties)
    assert task_figures(figures) == (9, 3, 2, 1, 1)
    assert by_department(figures, "tasks", "total", "done", "overdue") == {
        "办公室": (2, 1, 0),
        "研究室": (2, 1, 0),
        "法工委": (1, 0, 0),
        "人事处": (1, 0, 1),
        "财经委": (1, 1, 0),
        "选联委": (1, 0, 1),
        "机关党委": (1, 0, 0),
    }
    # the 小计 row and the 填报单位/负责人/审核人 footer are not tasks, and say nothing; the empty
    # Sheet3 is skipped silently, the 填表说明 sheet by name
    assert warnings == [("sheet_skipped", "填表说明", 1)]


def test_mine_issue_ledger(read: Reader) -> None:
    figures, warnings = read(mine_issue_ledger)
    issues = figures["issues"]
    assert (issues["total"], issues["closed"], issues["open"], issues["overdue"]) == (6, 3, 3, 2)
    assert issues["closing_rate"] == pytest.approx(0.5)
    assert by_department(figures, "issues", "total", "closed", "overdue") == {
        "五阳煤矿": (2, 2, 0),
        "漳村煤矿": (2, 0, 2),
        "物业公司": (1, 0, 0),
        "机电公司": (1, 1, 0),
    }
    assert warnings == []  # 填报人/审核人/联系电话 is a footer


def test_the_date_of_a_title_row_may_stand_in_the_next_cell(tmp_path: Path) -> None:
    """填报日期： in A2 and the date in B2: the reference date, so 立行立改 without a found date is due
    then (2026-11-05), and overdue on AS_OF."""
    store, (book,) = imported(tmp_path, mine_issue_ledger)
    assert book.sheets[0].ref_date == dt.date(2026, 11, 5)
    assert book.sheets[0].table.column("deadline").to_pylist()[-1] == dt.date(2026, 11, 5)
    store.close()


def test_self_assessment_with_subtotals(read: Reader) -> None:
    figures, warnings = read(self_assessment)
    scores = figures["scores"]
    assert (scores["max"], scores["score"], scores["unscored"], scores["not_applicable"]) == (18, 15.5, 0, 1)
    assert scores["attainment"] == pytest.approx(15.5 / 18)
    assert (scores["bonus_max"], scores["bonus_score"], scores["deductions"]) == (5, 2, -1)
    assert scores["total"] == pytest.approx(16.5)
    assert scores["veto"] == {"items": 2, "triggered": 0, "triggered_items": []}
    assert warnings == []


def test_volunteer_register(read: Reader) -> None:
    figures, warnings = read(volunteer_register)
    participation = figures["participation"]
    assert (participation["activities"], participation["person_times"]) == (6, 227)
    assert participation["volunteer_hours"] == pytest.approx(588.5)
    assert participation["attendance_rate"] == pytest.approx(227 / 265)
    assert by_department(figures, "participation", "activities", "person_times") == {
        "综治办": (2, 82),
        "党政办": (2, 75),
        "社区办": (1, 20),
        "团工委": (1, 50),
    }
    assert warnings == [
        ("approximate", "志愿服务登记表!F4、F5、F8", 3),
        ("range_middle", "志愿服务登记表!G5", 1),
    ]


def test_headcount_and_survey(read: Reader) -> None:
    figures, warnings = read(staff_and_survey, volunteer_register)
    assert by_department(figures, "participation", "headcount") == {
        "综治办": (9,),
        "党政办": (10,),
        "社区办": (6,),
        "团工委": (3,),
    }
    assert figures["participation"]["by_department"]["综治办"]["person_times_per_head"] == pytest.approx(82 / 9)
    surveys = figures["surveys"]["by_department"]
    assert surveys["党政办"] == pytest.approx(
        {
            "awareness_rate": 1,
            "participation_rate": 0.9,
            "support_rate": 0.95,
            "satisfaction_rate": 0.985,
            "respondents": 35,
        }
    )
    assert (surveys["综治办"]["awareness_rate"], surveys["综治办"]["satisfaction_rate"]) == pytest.approx((0.9, 0.96))
    assert [w for w in warnings if w[0] not in ("approximate", "range_middle")] == []


def test_group_tasks(read: Reader) -> None:
    figures, warnings = read(group_tasks)
    assert task_figures(figures) == (8, 1, 1, 1, 1)
    assert by_department(figures, "tasks", "total", "overdue")["安监处"] == (1, 1)
    assert warnings == [("date_pending", "任务分解表!D9", 1)]


def test_cppcc_progress(read: Reader) -> None:
    figures, warnings = read(cppcc_progress)
    assert task_figures(figures) == (5, 2, 1, 0, 0)
    assert by_department(figures, "tasks", "total", "done") == {
        "办公室": (2, 2),
        "提案委": (1, 0),
        "研究室": (1, 0),
        "学习委": (1, 0),
    }
    assert warnings == []


def test_inspection_list(read: Reader) -> None:
    figures, warnings = read(inspection_list)
    issues = figures["issues"]
    assert (issues["total"], issues["closed"], issues["open"], issues["overdue"]) == (5, 2, 3, 1)
    assert issues["closing_rate"] == pytest.approx(0.4)
    assert warnings == []


def test_nothing_unread_goes_unsaid(tmp_path: Path) -> None:
    """Each unreadable column gives one grouped warning with its count, values and first cells."""
    store, (book,) = imported(tmp_path, unreadable_values)
    said = {(w.code, w.ref, w.count, w.values) for w in book.warnings}
    assert said == {
        ("date", "任务!C2、C3、C4", 3, ("第三周", "13.45")),
        ("status", "任务!D2、D3", 2, ("待研究",)),
        ("number", "活动!C2、C3", 2, ("若干",)),
        ("rate", "问卷!B2", 1, ("良好",)),
    }
    assert [sheet.table.num_rows for sheet in book.sheets] == [3, 2, 2]
    store.close()


# ---------------------------------------------------------------- the rules the audit added


@pytest.mark.parametrize(
    ("cell", "lead"),
    [
        ("研究室（牵头）", "研究室"),
        ("办公室、研究室（牵头）", "研究室"),
        ("（牵头）提案委", "提案委"),
        ("牵头：安监处；配合：机电公司", "安监处"),
        ("（配合）办公室、研究室", "研究室"),
        ("办公室（机关党委）", "办公室(机关党委)"),  # a bracket that is no mark stays in the name
        ("办 公 室、研究室", "办公室"),
        ("各科室配合，宣传科牵头", "宣传科"),
        ("牵头", "牵头"),  # a mark alone is all the cell says
    ],
)
def test_the_department_marked_lead_leads(cell: str, lead: str) -> None:
    assert values.department(cell) == lead


@pytest.mark.parametrize(
    ("cell", "due"),
    [("6.30", dt.date(2026, 6, 30)), ("12.31前", dt.date(2026, 12, 31)), ("10.31前完成", dt.date(2026, 10, 31))],
)
def test_a_month_and_day_with_a_dot_is_a_date_of_the_reference_year(cell: str, due: dt.date) -> None:
    assert values.parse_date(cell, 2026, deadline=True).date == due


@pytest.mark.parametrize("cell", ["13.45", "6.32", 6.3])  # the number 6.3 may have been 6.30 or 6.3
def test_a_month_and_day_that_is_no_date_is_unknown(cell: object) -> None:
    assert not values.parse_date(cell, 2026, deadline=True).ok


@pytest.mark.parametrize(
    ("cell", "state"), [("已启动", "in_progress"), ("已启动前期调研", "other"), ("已开工", "in_progress")]
)
def test_started_is_not_done(cell: str, state: str) -> None:
    assert values.task_status(cell).state == state


@pytest.mark.parametrize(
    ("cell", "closed"),
    [
        ("已完成整改", True),
        ("已于10月20日清理完毕", True),
        ("已整改，待复查", True),
        ("已整改，未销号", False),
        ("已下发整改通知", False),
        ("正在整改", False),
        ("已完成80%", False),
    ],
)
def test_a_problem_closed_in_words(cell: str, closed: bool) -> None:
    assert values.issue_closed(cell) is closed


@pytest.mark.parametrize(
    "title",
    [
        ["截止时间：2026年10月31日"],
        ["填报日期：", dt.date(2026, 10, 31)],
        ["填报单位：办公室", "", "截至日期:2026.10.31"],
        ["统计时间：2026年1月1日至10月31日"],  # a period reports up to its end
        ["统计时间：2026.1.1-2026.10.31"],
    ],
)
def test_the_reference_date_of_a_title_row(title: list[object]) -> None:
    book = read_workbook(
        workbook(("台账", [title, ["工作任务", "责任部门"], ["任务一", "办公室"]])), "t.xlsx", as_of=AS_OF
    )
    assert book.sheets[0].ref_date == dt.date(2026, 10, 31)


@pytest.mark.parametrize("footer", ["填报人：李四", "经办人：王五", "统计人：赵六"])
def test_more_footer_words(footer: str) -> None:
    rows = [
        ["工作任务", "责任部门", "完成时限", "完成情况"],
        ["任务一", "办公室", "12月底", "推进中"],
        [footer, "审核人：张三"],
    ]
    book = read_workbook(workbook(("台账", rows)), "t.xlsx", as_of=AS_OF)
    assert (book.sheets[0].table.num_rows, book.warnings) == (1, [])


def bureau_headcount() -> bytes:
    """A 集团's headcount by unit with a subtotal per group named at its end (机关小计, 煤矿合计), a
    breakdown row (其中：借调) and a spaced 合 计: the people are 10 + 5 + 300 + 250 = 565, never the
    subtotals (15, 550, 565) nor the breakdown (2)."""
    rows = [
        ["序号", "单位", "职工人数"],
        [1, "办公室", 10],
        [2, "研究室", 5],
        ["", "机关小计", 15],
        ["", "其中：借调", 2],
        [3, "五阳煤矿", 300],
        [4, "漳村煤矿", 250],
        ["", "煤矿合计", 550],
        ["合 计", "", 565],
    ]
    return workbook(("职工人数", rows))


def test_subtotals_named_at_their_end_and_breakdowns_are_never_added(read: Reader) -> None:
    figures, warnings = read(bureau_headcount)
    assert by_department(figures, "participation", "headcount") == {
        "办公室": (10,),
        "研究室": (5,),
        "五阳煤矿": (300,),
        "漳村煤矿": (250,),
    }
    assert warnings == []


@pytest.mark.parametrize(
    ("cell", "state"),
    [
        ("全部完成", "done"),
        ("办理完毕", "done"),
        ("正在进行", "in_progress"),
        ("有序推进", "in_progress"),
        ("落实中", "in_progress"),
        ("筹备中", "in_progress"),
        ("暂未开展", "not_started"),
        ("待开展", "not_started"),
        ("尚未启动", "not_started"),
    ],
)
def test_more_status_words_a_clerk_reads(cell: str, state: str) -> None:
    assert values.task_status(cell) == values.TaskStatus(state, {"done": 1.0, "not_started": 0.0}.get(state))


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        ("3月15日上午", dt.date(2026, 3, 15)),
        ("2026年3月15日下午", dt.date(2026, 3, 15)),
        ("2026年3月15日14:30", dt.date(2026, 3, 15)),
        ("3月15日—16日", dt.date(2026, 3, 16)),
        ("2026年3月15-16日", dt.date(2026, 3, 16)),
        ("3月15日至16日", dt.date(2026, 3, 16)),
    ],
)
def test_an_activity_date_with_its_part_of_day_or_a_range_of_days(cell: str, day: dt.date) -> None:
    assert values.parse_date(cell, 2026).date == day


def relative_deadlines() -> bytes:
    """A 督查问题清单 whose 整改时限 counts from the 交办日期: on 2026-11-20, 甲 (11-02 + 15 = 11-17)
    is overdue, 乙 (11-15 + 7 = 11-22) is not; 丙 has no 交办日期, so no due date, with a warning;
    丁's 3个工作日内 is not read (working days need the holiday calendar), with a warning."""
    rows = [
        ["交办日期", "存在问题", "责任部门", "整改时限", "整改情况"],
        [dt.date(2026, 11, 2), "甲", "办公室", "15日内", "整改中"],
        [dt.date(2026, 11, 15), "乙", "办公室", "7天内完成", "整改中"],
        ["", "丙", "办公室", "限期10天内整改到位", "整改中"],
        [dt.date(2026, 11, 2), "丁", "办公室", "3个工作日内", "整改中"],
    ]
    return workbook(("督查问题清单", rows))


def test_a_deadline_within_days_counts_from_the_day_found(read: Reader) -> None:
    figures, warnings = read(relative_deadlines)
    assert (figures["issues"]["total"], figures["issues"]["overdue"]) == (4, 1)
    assert warnings == [("date", "督查问题清单!D5", 1), ("date_within", "督查问题清单!D4", 1)]


def superseded_column() -> bytes:
    """A 工作台账 where last month's 完成情况 (C) is hidden beside this month's (D), and the 备注 column
    (E) is hidden too, and so is row 3, as a filter on 办公室 leaves it. A clerk reads D and every
    row: 3 tasks, done 2 (甲, 丙); C says 未启动 throughout. Both hidden columns are said: C not read
    (D is), E read; the hidden row is data, said nothing of."""
    rows = [
        ["工作任务", "责任部门", "完成情况", "完成情况", "备注"],
        ["甲", "办公室", "未启动", "已完成"],
        ["乙", "团委", "未启动", "推进中", "延期"],
        ["丙", "团委", "未启动", "已完成"],
    ]
    return workbook(("工作台账", rows), hidden_columns={"工作台账": ["C", "E"]}, hidden_rows={"工作台账": [3]})


def test_a_hidden_column_gives_way_to_the_visible_one(read: Reader) -> None:
    figures, warnings = read(superseded_column)
    assert (figures["tasks"]["total"], figures["tasks"]["done"]) == (3, 2)
    assert warnings == [
        ("column_hidden_unused", "工作台账!C1", 1),
        ("column_hidden_read", "工作台账!E1", 1),
        ("no_deadline_tasks", "工作台账", 1),  # no 完成时限: none of its tasks can be overdue, and that is said
    ]


def provincial_scores() -> bytes:
    """A provincial 测评体系自评表 (测评类别 | 测评项目 | 测评内容 | 测评方法 | 分值 | 自评得分) with a
    merged section heading, points in the category name, maxes as "5分" and "４", a score "/" (not
    yet scored), a 加分项 with a cap "不超过5分", a 减分项 and a 否决项 class.

    By hand: scored base items 5 + 5 + 4 = 14 max, score 4.5 + 5 + 0 = 9.5, unscored 1 (举办讲堂);
    bonus max 10 + 5 = 15, bonus score 3 + 2 = 5; deductions −2 + 0 (0起) = −2; total 9.5 + 5 − 2 =
    12.5; vetoes 3, triggered 0 (否, 经自查，未发生此类情况, 无（未发生）: each says nothing happened).
    Nothing unread: the section heading is no item, "/" is unscored.
    """
    rows = [
        ["测评类别", "测评项目", "测评内容", "测评方法", "分值", "自评得分", "失分原因"],
        ["一、思想道德建设（30分）"],
        ["思想道德建设", "学雷锋（10分）", "开展学雷锋活动", "实地考察", "5分", "4.5"],
        ["", "", "建立队伍", "材料审核", "5分", "5分"],
        ["", "道德讲堂", "举办讲堂", "材料审核", "４", "/"],
        ["", "", "阵地建设", "材料审核", "4", "0", "未建"],
        ["加分项（10分）", "", "获省级表彰", "材料审核", "10", "3"],
        ["", "", "获市级表彰", "材料审核", "不超过5分", "2"],
        ["减分项", "", "被媒体曝光", "", "", "-2分"],
        ["", "", "信访事项", "", "", "0起"],
        ["否决项", "", "发生重大安全事故", "", "", "否"],
        ["", "", "严重违纪违法案件", "", "", "经自查，未发生此类情况"],
        ["", "", "重大刑事案件", "", "", "无（未发生）"],
    ]
    return workbook(("自评表", rows, ["A2:G2"]))


def test_provincial_scores_with_a_cap_and_a_veto_class(read: Reader) -> None:
    figures, warnings = read(provincial_scores)
    scores = figures["scores"]
    assert (scores["max"], scores["score"], scores["unscored"]) == (14, 9.5, 1)
    assert (scores["bonus_max"], scores["bonus_score"], scores["deductions"], scores["total"]) == (15, 5, -2, 12.5)
    assert scores["veto"] == {"items": 3, "triggered": 0, "triggered_items": []}
    assert warnings == []


@pytest.mark.parametrize(
    ("cell", "triggered"),
    [
        ("无（未发生）", False),
        ("0起", False),
        ("未发生此类情况", False),
        ("经自查，未发生", False),
        ("不存在此情况", False),
        ("发生1起", True),
        ("发生火灾1起，未造成伤亡", True),
        ("无证经营被查处", True),
        ("没有按规定落实安全责任被通报", True),
        ("没有发生", False),
    ],
)
def test_a_veto_cell_saying_nothing_happened_is_not_triggered(cell: str, triggered: bool) -> None:
    assert scorecells.veto_triggered(cell) is triggered


@pytest.mark.parametrize(
    ("cell", "number"),
    [("120人（其中志愿者30人）", 120), ("10(含借调2人)", 10), ("120（预计）", None), ("（其中30人）", None)],
)
def test_a_count_with_its_breakdown_is_the_whole(cell: str, number: float | None) -> None:
    assert values.parse_number(cell).value == number


def street_office() -> bytes:
    """A 街道's 工作台账 and 问题清单 in the wording of its own office: 主要任务 | 主责部门 | 完成期限 |
    工作进展, and 存在的问题 | 整改责任科室 | 整改完成时限 | 问题整改情况 (问题整改情况 is the status,
    never a second problem column). Reference date 2026-10-31. On 2026-11-20: tasks 3, done 1,
    overdue 1 (9月底); problems 2, closed 1, overdue 1 (10月底)."""
    tasks = [
        ["截至2026年10月31日"],
        ["序号", "主要任务", "主责部门", "具体责任人", "完成期限", "工作进展"],
        [1, "新时代文明实践站建设", "党政办", "王", "6月底", "已完成"],
        [2, "背街小巷整治", "城管科", "李", "9月底", "推进中"],
        [3, "文明家庭评选", "社区办", "张", "12月底", "未开展"],
    ]
    problems = [
        ["截至2026年10月31日"],
        ["序号", "存在的问题", "整改责任科室", "整改完成时限", "问题整改情况"],
        [1, "文化墙破损", "党政办", "10月底", "整改中"],
        [2, "垃圾桶满溢", "城管科", "11月底", "已整改"],
    ]
    return workbook(("工作台账", tasks), ("问题清单", problems))


def test_the_wording_of_a_street_office(read: Reader) -> None:
    figures, warnings = read(street_office)
    assert task_figures(figures) == (3, 1, 1, 0, 0)
    issues = figures["issues"]
    assert (issues["total"], issues["closed"], issues["overdue"]) == (2, 1, 1)
    assert warnings == []


@pytest.mark.parametrize(
    ("cell", "due"),
    [
        ("2026年10月31日前整改到位", dt.date(2026, 10, 31)),
        ("10月底前整改完毕", dt.date(2026, 10, 31)),
        ("11月底前办结", dt.date(2026, 11, 30)),
        ("12月底前完成整改", dt.date(2026, 12, 31)),
    ],
)
def test_a_ledger_deadline_with_its_closing_words(cell: str, due: dt.date) -> None:
    assert values.parse_date(cell, 2026, deadline=True).date == due


def test_immediately_rectify_is_due_at_once() -> None:
    assert values.parse_date("立即整改", 2026, deadline=True).at_once


@pytest.mark.parametrize(
    ("first", "footer"),
    [("审核：李四", True), ("审核", True), ("审核人", True), ("说明：请如实填写", True), ("审核把关网站信息", False)],
)
def test_a_task_beginning_like_a_footer_word_is_a_task(first: str, footer: bool) -> None:
    """审核 and 说明 mark a footer only alone or before ：, （ or 人: with no 序号 before it,
    审核把关网站信息 is still a task."""
    rows = [["工作任务", "责任部门"], ["任务一", "办公室"], [first, "宣传部"]]
    book = read_workbook(workbook(("台账", rows)), "t.xlsx", as_of=AS_OF)
    assert book.sheets[0].table.num_rows == (1 if footer else 2)


def unread_decisions() -> bytes:
    """A ledger whose 是否销号 says 是（10月20日销号） (yes, with a note: closed) and 待复查 (neither yes
    nor no: the status decides, 整改中 is open, and the cell is said)."""
    rows = [
        ["存在问题", "责任部门", "整改情况", "是否销号"],
        ["甲", "办公室", "整改中", "是（10月20日销号）"],
        ["乙", "办公室", "整改中", "待复查"],
    ]
    return workbook(("台账", rows))


def test_a_decision_with_a_note_is_read_and_one_neither_yes_nor_no_is_said(read: Reader) -> None:
    figures, warnings = read(unread_decisions)
    assert (figures["issues"]["closed"], figures["issues"]["open"]) == (1, 1)
    assert warnings == [("decision", "台账!D3", 1), ("no_deadline_issues", "台账", 1)]


def planned_and_actual() -> bytes:
    """A two-level header: 责任单位 over 牵头单位 | 配合单位, and 完成时间 over 计划完成时间 | 实际完成时间.
    The planned time is the deadline: on 2026-11-20 任务二 (9月底, 推进中) is overdue; 任务一 was done
    on 06-20. Tasks 2, done 1, overdue 1."""
    rows = [
        ["序号", "工作任务", "责任单位", "", "完成时间", "", "完成情况"],
        ["", "", "牵头单位", "配合单位", "计划完成时间", "实际完成时间", ""],
        [1, "任务一", "办公室", "研究室", "6月底", dt.date(2026, 6, 20), "已完成"],
        [2, "任务二", "研究室", "", "9月底", "", "推进中"],
    ]
    return workbook(("台账", rows, ["A1:A2", "B1:B2", "C1:D1", "E1:F1", "G1:G2"]))


def test_the_planned_time_of_a_two_level_header_is_the_deadline(read: Reader) -> None:
    figures, warnings = read(planned_and_actual)
    assert task_figures(figures) == (2, 1, 1, 0, 0)
    assert warnings == []


def test_summary_json_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The command line prints the same figures: the 人大 责任清单 and the 集团 ledger together."""
    store, _ = imported(tmp_path, congress_duties, mine_issue_ledger)
    store.close()
    assert cli.main(["summary", "--db", str(store.path), "--as-of", AS_OF.isoformat(), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert task_figures(printed) == (9, 3, 2, 1, 1)
    assert printed["tasks"]["by_department"]["研究室"]["total"] == 2
    assert (printed["issues"]["total"], printed["issues"]["closed"], printed["issues"]["overdue"]) == (6, 3, 2)


@pytest.mark.parametrize(("cell", "hours"), [("1天", 8), ("2天/人", 16), ("0.5天", 4), ("半小时", 0.5)])
def test_a_duration_in_days_is_a_day_of_eight_hours_each(cell: str, hours: float) -> None:
    assert values.parse_hours(cell) == values.Number(hours)


@pytest.mark.parametrize(
    ("cell", "number"),
    [
        ("1.1万人次", values.Number(11000)),
        ("3万余人", values.Number(30000, note="approximate")),
        ("共35人", values.Number(35)),
    ],
)
def test_counts_in_ten_thousands_and_after_a_total_word(cell: str, number: values.Number) -> None:
    assert values.parse_number(cell) == number


@pytest.mark.parametrize(
    ("cell", "due"),
    [
        ("2026年6月30日前（每月报送）", dt.date(2026, 6, 30)),
        ("2026年12月31日（长期坚持）", dt.date(2026, 12, 31)),
        ("2026年度", dt.date(2026, 12, 31)),
        ("2026年全年", dt.date(2026, 12, 31)),
        ("本年度内", dt.date(2026, 12, 31)),
    ],
)
def test_a_deadline_with_a_note_or_a_year_of_work(cell: str, due: dt.date) -> None:
    assert values.parse_date(cell, 2026, deadline=True).date == due


def survey_with_averages() -> bytes:
    """A survey with a 平均 row and a 全局平均值 row under the departments: two departments surveyed,
    never a department named 平均."""
    rows = [
        ["部门", "满意度", "有效问卷"],
        ["办公室", "98%", 35],
        ["宣传科", "96%", 30],
        ["平均", "97%", ""],
        ["全局平均值", "97%", 65],
    ]
    return workbook(("问卷", rows))


def test_a_row_of_averages_is_no_department(read: Reader) -> None:
    figures, warnings = read(survey_with_averages)
    assert sorted(figures["surveys"]["by_department"]) == ["办公室", "宣传科"]
    assert warnings == []
