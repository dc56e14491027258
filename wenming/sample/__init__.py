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
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import random
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = ROOT / "data" / "sample"
TEMPLATE_DIR = ROOT / "data" / "templates"

ORG = "华晋能源集团有限公司"
YEAR = 2026
AS_OF = dt.date(2026, 11, 20)
AS_OF_LINE = "（截至2026年11月20日）"
SEED = 20261120
ZIP_TIME = (2026, 11, 20, 9, 0, 0)
CORE_TIME = "2026-11-20T09:00:00Z"

MINES = ("五阳煤矿", "常村煤矿", "漳村煤矿")
UNITS = (*MINES, "化工公司")
DEPARTMENTS = ("集团办公室", "党委宣传部", "人力资源部", "工会", "团委", "安全环保部", *UNITS)

HEADCOUNT = {
    "集团办公室": 46,
    "党委宣传部": 18,
    "人力资源部": 24,
    "工会": 16,
    "团委": 15,
    "安全环保部": 38,
    "五阳煤矿": 2360,
    "常村煤矿": 1985,
    "漳村煤矿": 1540,
    "化工公司": 870,
}

# How far behind each department runs: higher means more late and unfinished work.
LAG = {
    "团委": 0.0,
    "党委宣传部": 0.1,
    "集团办公室": 0.15,
    "漳村煤矿": 0.25,
    "人力资源部": 0.3,
    "工会": 0.3,
    "常村煤矿": 0.45,
    "化工公司": 0.6,
    "安全环保部": 0.7,
    "五阳煤矿": 0.9,
}

OWNERS = {
    "集团办公室": ("李文斌", "赵丽娟"),
    "党委宣传部": ("王建华", "刘晓燕", "陈志刚"),
    "人力资源部": ("张海涛", "郭雅琴"),
    "工会": ("杨国庆", "侯美玲"),
    "团委": ("段鹏飞", "申晓霞"),
    "安全环保部": ("牛振军", "秦立新"),
    "五阳煤矿": ("韩志勇", "李红梅"),
    "常村煤矿": ("冯建军", "武晓东"),
    "漳村煤矿": ("程永刚", "贾丽萍"),
    "化工公司": ("乔卫东", "田晓芳"),
}


class Fmt(NamedTuple):
    """A cell value with the number format it is written with (percentages, dates)."""

    value: object
    number_format: str


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _weighted(rng: random.Random, options: Sequence[tuple[object, float]]) -> object:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


# ---------------------------------------------------------------- the evaluation system


@dataclass(frozen=True)
class Item:
    """One 测评内容 of the 2012 《全国文明单位测评体系》, its self-assessment and its tasks."""

    category: str
    text: str
    points: int
    method: str
    department: str  # 责任部门 of the item
    leads: tuple[str, ...]  # plausible lead departments of its tasks
    tasks: tuple[str, ...]
    lost: float = 0.0  # points lost in the self-assessment
    reason: str = ""  # 失分原因
    unscored: bool = False  # not yet assessed (blank 自评得分)
    written: float | None = None  # a score written by mistake instead of points - lost

    @property
    def score(self) -> float | None:
        """The self-assessed score as the engine should read it (None: unscored or invalid)."""
        if self.unscored or (self.written is not None and self.written > self.points):
            return None
        return self.points - self.lost if self.written is None else self.written

    @property
    def score_cell(self) -> float | None:
        """What the clerk wrote in 自评得分."""
        if self.unscored:
            return None
        return self.written if self.written is not None else self.points - self.lost


BASE_CLASS = "基本指标"
BONUS_CLASS = "特色指标（加分项）"
P, G = "党委宣传部", "工会"  # the two departments that lead most items

ITEMS: tuple[Item, ...] = (
    Item(
        "学雷锋活动",
        "广泛开展学雷锋活动，形成常态化工作机制",
        5,
        "材料审核",
        P,
        (P, P, "团委"),
        (
            "制定2026年度学雷锋活动实施方案，明确活动主题和时间安排",
            "组织“学雷锋纪念日”集中宣传服务活动",
            "建立学雷锋活动月报制度，每月汇总各单位活动开展情况",
            "评选表彰年度“学雷锋标兵”和“最美职工”",
        ),
        lost=0.5,
        reason="部分基层单位活动记录不完整",
    ),
    Item(
        "学雷锋活动",
        "设立学雷锋岗位、学雷锋小组，发挥示范带动作用",
        5,
        "实地考察",
        "团委",
        ("团委", *UNITS),
        (
            "在区队班组设立学雷锋示范岗并统一挂牌",
            "组建青年学雷锋志愿服务小组，每矿不少于2个",
            "开展“学雷锋示范岗”星级评定",
            "建立学雷锋岗位服务记录本，定期检查",
        ),
    ),
    Item(
        "学雷锋活动",
        "职工对雷锋精神知晓认同，积极参与学雷锋活动",
        4,
        "问卷调查",
        "团委",
        ("团委", P),
        (
            "开展雷锋精神主题宣讲进区队、进班组活动",
            "利用班前会宣讲雷锋故事和身边好人事迹",
            "组织职工观看雷锋精神主题教育影片",
            "开展“学雷锋”主题征文和摄影作品征集",
        ),
        unscored=True,
    ),
    Item(
        "志愿服务活动",
        "建立志愿服务组织，职工注册志愿者比例达到要求",
        4,
        "材料审核",
        "团委",
        ("团委", "团委", "人力资源部"),
        (
            "成立集团志愿服务总队和各单位志愿服务分队",
            "组织职工在“志愿山西”平台实名注册，注册率达到职工总数10%以上",
            "完善志愿者招募、培训、激励制度",
            "举办志愿者骨干培训班",
        ),
        lost=1.5,
        reason="职工注册志愿者比例为7.8%，未达到10%的要求",
    ),
    Item(
        "志愿服务活动",
        "定期开展志愿服务活动，志愿服务记录制度健全",
        3,
        "材料审核",
        "团委",
        ("团委", *UNITS),
        (
            "每月至少开展1次志愿服务活动并做好记录",
            "建立志愿服务时长登记台账，按季度统计上报",
            "开展“志愿服务月”集中服务活动",
            "打造“矿工之家”志愿服务品牌项目",
        ),
        lost=1.0,
        reason="志愿服务时长记录不全，部分活动缺少台账",
    ),
    Item(
        "志愿服务活动",
        "参与社区和农村志愿服务，结对帮扶困难群众",
        3,
        "实地考察",
        G,
        (G, "团委", *MINES),
        (
            "组织志愿者进社区开展环境整治和便民服务",
            "开展关爱留守儿童和空巢老人志愿服务",
            "对困难职工家庭开展“一对一”结对帮扶",
            "开展无偿献血志愿服务活动",
        ),
    ),
    Item(
        "道德讲堂建设",
        "建设道德讲堂，有固定场所、有标识、有制度",
        3,
        "实地考察",
        P,
        (P, *MINES),
        (
            "在集团本部和各矿建成标准化道德讲堂",
            "统一制作道德讲堂标识和“五个一”流程展板",
            "制定道德讲堂管理制度和年度活动计划",
        ),
    ),
    Item(
        "道德讲堂建设",
        "按照“五个一”流程定期开展道德讲堂活动",
        3,
        "材料审核",
        P,
        (P, *UNITS),
        (
            "每季度至少举办1期道德讲堂活动",
            "邀请道德模范、身边好人走上讲堂现身说法",
            "建立道德讲堂活动档案，留存影像资料",
            "开展道德讲堂“进区队、进班组”巡讲",
        ),
    ),
    Item(
        "道德讲堂建设",
        "宣传身边好人事迹，组织职工评议道德模范",
        2,
        "问卷调查",
        P,
        (P, G),
        (
            "开展“华晋好人”评选推荐活动",
            "编印《身边好人故事汇》",
            "在厂区宣传栏设立“好人榜”",
            "推荐申报市级“好人榜”人选",
        ),
    ),
    Item(
        "学习型单位建设",
        "开展社会主义核心价值观学习教育，建立学习制度",
        3,
        "材料审核",
        P,
        (P, "集团办公室"),
        (
            "将社会主义核心价值观纳入党委理论学习中心组学习内容",
            "组织中层以上干部开展专题学习研讨",
            "开展社会主义核心价值观知识竞赛",
            "建立职工学习积分制度",
        ),
        lost=0.5,
    ),
    Item(
        "学习型单位建设",
        "建设职工书屋，开展读书活动",
        3,
        "实地考察",
        G,
        (G, *MINES),
        (
            "完成各矿职工书屋提档升级，新增图书2000册",
            "开展“书香华晋”全民阅读活动",
            "举办读书分享会和征文比赛",
            "建立职工书屋图书借阅登记制度",
        ),
        lost=0.5,
        reason="漳村煤矿职工书屋借阅记录不全",
    ),
    Item(
        "学习型单位建设",
        "开展岗位练兵和技能培训，提升职工素质",
        2,
        "材料审核",
        "人力资源部",
        ("人力资源部", "人力资源部", *UNITS),
        (
            "制定年度职工教育培训计划",
            "组织开展职业技能大赛",
            "开展“师带徒”传帮带活动",
            "完成特殊工种持证上岗培训",
        ),
    ),
    Item(
        "文明有礼培育",
        "开展文明礼仪教育培训，职工掌握基本礼仪规范",
        4,
        "问卷调查",
        "集团办公室",
        ("集团办公室", "人力资源部"),
        (
            "举办文明礼仪专题讲座",
            "编发《职工文明礼仪手册》",
            "将文明礼仪纳入新入职员工培训内容",
            "开展“文明礼仪伴我行”主题活动",
        ),
    ),
    Item(
        "文明有礼培育",
        "窗口岗位文明用语、规范服务",
        2,
        "实地考察",
        "集团办公室",
        ("集团办公室", "化工公司"),
        (
            "规范接待室、调度室、收发室等窗口岗位服务用语",
            "开展窗口岗位服务明星评选",
            "设置文明服务监督电话和意见箱",
            "对窗口岗位人员开展服务礼仪培训",
        ),
    ),
    Item(
        "文明有礼培育",
        "职工遵守社会公德，无不文明行为",
        2,
        "实地考察",
        "安全环保部",
        ("安全环保部", *MINES),
        (
            "开展“文明交通”宣传和劝导活动",
            "整治厂区内吸烟、乱扔垃圾等不文明行为",
            "开展“文明家庭”“文明职工”评选",
            "设立不文明行为曝光台",
        ),
    ),
    Item(
        "勤俭节约活动",
        "开展节约粮食“光盘行动”，杜绝餐饮浪费",
        3,
        "实地考察",
        G,
        (G, *MINES),
        (
            "在职工食堂张贴“光盘行动”提示标识",
            "推行职工食堂小份菜、半份菜",
            "开展“光盘行动”监督检查",
            "开展“节约用餐”主题宣传周",
        ),
    ),
    Item(
        "勤俭节约活动",
        "落实节能降耗措施，节约用水用电用纸",
        3,
        "材料审核",
        "安全环保部",
        ("安全环保部", "安全环保部", "化工公司", *MINES),
        (
            "制定节能降耗实施方案，分解能耗指标",
            "推行无纸化办公，减少纸张使用",
            "开展节能宣传周和低碳日活动",
            "对高耗能设备进行节能改造",
        ),
        lost=1.0,
        reason="化工公司单位产值能耗未完成年度下降目标",
    ),
    Item(
        "道德经典诵读",
        "组织职工诵读道德经典，开展经典诵读活动",
        3,
        "材料审核",
        P,
        (P, G, "团委"),
        (
            "举办“诵读经典·传承文明”经典诵读比赛",
            "在班前会开展“每日一句”经典诵读",
            "组织青年职工开展红色经典诵读",
        ),
    ),
    Item(
        "道德经典诵读",
        "职工对中华优秀传统文化经典的知晓率",
        2,
        "问卷调查",
        P,
        (P,),
        (
            "编印《道德经典诵读读本》发放到班组",
            "开展传统文化知识网上答题活动",
            "开展传统文化经典知晓率问卷调查",
        ),
        unscored=True,
    ),
    Item(
        "“我们的节日”活动",
        "围绕春节、元宵、清明、端午、中秋、重阳等传统节日开展主题活动",
        3,
        "材料审核",
        G,
        (G, G, *MINES),
        (
            "制定“我们的节日”年度活动安排",
            "春节期间开展“送福进班组”活动",
            "清明节组织网上祭英烈活动",
            "中秋节、重阳节开展走访慰问离退休职工活动",
        ),
    ),
    Item(
        "“我们的节日”活动",
        "节日活动内容丰富、职工参与面广",
        3,
        "问卷调查",
        G,
        (G, "团委"),
        (
            "端午节举办包粽子比赛等民俗活动",
            "元宵节举办猜灯谜活动",
            "中秋节举办“月圆华晋”职工联谊会",
            "统计节日活动职工参与情况并形成总结",
        ),
        unscored=True,
    ),
    Item(
        "文明风尚传播",
        "设置公益广告和社会主义核心价值观宣传阵地",
        3,
        "实地考察",
        P,
        (P, *UNITS),
        (
            "在厂区主干道、井口、食堂设置公益广告",
            "更新宣传栏、电子显示屏核心价值观宣传内容",
            "对破损公益广告进行排查更换",
            "建设文明创建主题文化长廊",
        ),
        lost=1.0,
        reason="部分公益广告破损、褪色未及时更换",
    ),
    Item(
        "文明风尚传播",
        "运用网站、微信公众号等宣传文明创建工作",
        3,
        "材料审核",
        P,
        (P,),
        (
            "在集团网站开设“文明创建”专栏",
            "微信公众号每周至少发布1篇创建信息",
            "向省市主流媒体报送创建工作信息",
            "制作文明创建专题宣传片",
        ),
        lost=1.0,
        reason="微信公众号创建信息更新频次不足",
    ),
    Item(
        "文明风尚传播",
        "开展移风易俗宣传，倡导文明新风",
        2,
        "材料审核",
        P,
        (P, G),
        (
            "倡导婚事新办、丧事简办，组织职工签订移风易俗承诺书",
            "开展文明祭扫宣传",
            "发出“文明餐桌”倡议书",
        ),
    ),
    Item(
        "文化体育活动",
        "建有职工文体活动场所，设施完好并正常开放",
        3,
        "实地考察",
        G,
        (G, *MINES),
        (
            "完成职工活动中心健身器材更新",
            "制定文体活动场所开放和管理制度",
            "维修各矿灯光篮球场",
            "在各矿建设职工健身房",
        ),
    ),
    Item(
        "文化体育活动",
        "经常性开展职工文化体育活动",
        3,
        "材料审核",
        G,
        (G, "团委", *UNITS),
        (
            "举办职工篮球赛、乒乓球赛",
            "举办“迎新春”职工文艺汇演",
            "组织职工健步走活动",
            "成立职工文体协会并定期开展活动",
        ),
        lost=0.5,
    ),
    Item(
        "参与帮扶共建",
        "开展结对帮扶、助力乡村振兴工作",
        3,
        "材料审核",
        G,
        (G, "集团办公室"),
        (
            "落实驻村工作队帮扶责任，实施产业帮扶项目",
            "开展消费帮扶，采购帮扶村农产品",
            "组织党员干部到帮扶村走访慰问",
        ),
        lost=0.5,
    ),
    Item(
        "参与帮扶共建",
        "参与文明村镇、文明社区共建活动",
        3,
        "实地考察",
        P,
        (P, *MINES),
        (
            "与周边村（社区）签订文明共建协议",
            "开展“文明共建”联建活动",
            "组织职工到共建社区开展志愿服务",
        ),
    ),
    Item(
        "优质服务状况",
        "建立服务承诺、首问负责等制度，服务规范",
        4,
        "材料审核",
        "集团办公室",
        ("集团办公室", "化工公司"),
        (
            "修订完善服务承诺、首问负责、限时办结制度",
            "公开服务事项和办理流程",
            "开展服务规范化专项检查",
        ),
        written=5,  # the clerk's mistake: 5 on a 4-point item
    ),
    Item(
        "优质服务状况",
        "职工群众对服务质量满意",
        4,
        "问卷调查",
        "集团办公室",
        ("集团办公室", "化工公司", G),
        (
            "开展职工群众满意度测评",
            "建立职工诉求办理台账，做到件件有回音",
            "开展客户走访和服务质量回访",
            "开展服务窗口“好差评”工作",
        ),
        unscored=True,
    ),
    Item(
        "优美环境建设",
        "办公区、生产区、生活区环境整洁有序",
        4,
        "实地考察",
        "安全环保部",
        ("安全环保部", *UNITS),
        (
            "开展厂区环境卫生集中整治",
            "落实卫生责任区划分和日常保洁制度",
            "整治生活区乱搭乱建、乱停乱放",
            "推进煤场封闭和粉尘治理",
        ),
        lost=1.5,
        reason="五阳煤矿生活区存在乱堆乱放现象",
    ),
    Item(
        "优美环境建设",
        "绿化美化达标，无乱堆乱放、乱贴乱画",
        3,
        "实地考察",
        "安全环保部",
        ("安全环保部", *MINES),
        (
            "实施矿区绿化补植工程",
            "清理办公楼楼道杂物和乱贴乱画",
            "对厂区围墙进行美化粉刷",
            "在井口、厂区大门设置绿化景观小品",
        ),
        lost=0.5,
    ),
)

BONUS_ITEMS: tuple[Item, ...] = (
    Item("特色创建", "打造“太行文明矿山”创建品牌，形成特色经验", 4, "材料审核", P, (P,), (), lost=1.0),
    Item("特色创建", "先进典型获得省级以上表彰", 3, "材料审核", "人力资源部", ("人力资源部",), ()),
    Item(
        "特色创建",
        "创建工作经验被省级以上媒体宣传推广",
        3,
        "材料审核",
        P,
        (P,),
        (),
        lost=1.0,
        reason="仅有1篇经验材料被省级媒体刊发",
    ),
)

CATEGORIES: tuple[str, ...] = tuple(dict.fromkeys(item.category for item in ITEMS))


# ---------------------------------------------------------------- tasks


@dataclass
class Task:
    """One row of the 任务分解表: the values as written and what they mean."""

    category: str
    item: str
    text: str
    lead: str  # the lead department (what the engine should read)
    lead_cell: str  # as written: may list two departments or hold stray spaces
    helpers: str
    owner: str
    deadline: object  # the 完成时限 cell as written
    due: dt.date | None  # None: ongoing or unknown
    ongoing: bool
    status: object  # the 完成情况 cell as written (text, number or Fmt)
    done: bool
    done_on: dt.date | None
    done_cell: object
    evidence: str = ""
    note: str = ""

    @property
    def overdue(self) -> bool:
        return not self.done and self.due is not None and self.due < AS_OF

    @property
    def due_soon(self) -> bool:
        return not self.done and self.due is not None and AS_OF <= self.due <= AS_OF + dt.timedelta(days=7)


ONGOING_DEADLINES = (("长期坚持", 5), ("常态化", 3), ("每月", 2), ("每季度", 1))
QUARTER_WORDS = {3: "一季度末", 6: "二季度末", 9: "三季度末", 12: "四季度末"}
DONE_MONTH_WEIGHTS = (3, 3, 9, 6, 7, 12, 6, 7, 11, 8, 5)  # Jan..Nov: peaks at 学雷锋月, 6月底, 9月底
# Forms every sample shows at least once (rewriting a task due that day; the meaning is unchanged).
SHOWCASE_DEADLINES = {
    "6月底前": dt.date(2026, 6, 30),
    "2026年9月底": dt.date(2026, 9, 30),
    "一季度末": dt.date(2026, 3, 31),
    "年底前": dt.date(2026, 12, 31),
    "2026.8.31": dt.date(2026, 8, 31),
    "2026年11月30日前": dt.date(2026, 11, 30),
}
UNKNOWN_DEADLINE = "待定"
UNKNOWN_STATUS = "基本完成"
EVIDENCE = (
    "工作方案、活动照片",
    "会议记录、签到表",
    "新闻报道链接",
    "制度文件",
    "工作台账",
    "活动总结、照片",
    "通知文件、影像资料",
)
OVERDUE_NOTES = ("已申请延期至12月底", "受资金影响进度滞后", "已列入月度督查通报", "", "")


def deadline_cell(due: dt.date, rng: random.Random) -> object:
    """One of the ways a clerk writes a due date; each parses back to ``due``."""
    y, m, d = due.year, due.month, due.day
    forms: list[tuple[object, float]] = [(due, 6), (f"{y}.{m}.{d}", 1), (f"{y}年{m}月{d}日前", 1)]
    if due == month_end(y, m):
        forms += [(f"{m}月底前", 3), (f"{y}年{m}月底", 2)]
        if m in QUARTER_WORDS:
            forms.append((QUARTER_WORDS[m], 2))
        if m == 12:
            forms.append(("年底前", 5))
    return _weighted(rng, forms)


def _percent(rng: random.Random) -> object:
    """A progress percentage: text "60%" or a percent-formatted number cell."""
    share = rng.choice((20, 30, 40, 50, 60, 70, 80, 90))
    return f"{share}%" if rng.random() < 0.5 else Fmt(share / 100, "0%")


def _done_date(rng: random.Random) -> dt.date:
    month = rng.choices(range(1, 12), weights=DONE_MONTH_WEIGHTS)[0]
    last = AS_OF.day - 1 if month == AS_OF.month else 28
    return dt.date(YEAR, month, rng.randint(1, last))


def _done_due(done_on: dt.date, rng: random.Random) -> dt.date | None:
    """The deadline of a finished task: mostly on or after the day it was done."""
    r = rng.random()
    if r < 0.12:
        return None  # ongoing
    if r < 0.2 and done_on.month > 1:
        return month_end(YEAR, done_on.month - 1)  # finished late
    if r < 0.45:
        return min(done_on + dt.timedelta(days=rng.randint(3, 40)), dt.date(YEAR, 12, 31))
    return month_end(YEAR, min(done_on.month + rng.choice((0, 0, 1, 1, 2, 3)), 12))


def _overdue_due(rng: random.Random) -> dt.date:
    month = rng.choices(range(3, 12), weights=(1, 1, 1, 2, 1, 1, 2, 3, 3))[0]
    if month == AS_OF.month:
        return dt.date(YEAR, month, rng.randint(5, AS_OF.day - 1))
    if rng.random() < 0.6:
        return month_end(YEAR, month)
    return dt.date(YEAR, month, rng.randint(10, 25))


OPEN_DUES = (
    (dt.date(2026, 11, 20), 1),
    (dt.date(2026, 11, 24), 1),
    (dt.date(2026, 11, 26), 1),
    (dt.date(2026, 11, 30), 2),
    (dt.date(2026, 12, 15), 1),
    (dt.date(2026, 12, 20), 1),
    (dt.date(2026, 12, 31), 5),
)


def _states(leads: list[str], n: int, rng: random.Random) -> list[str]:
    """done / overdue / open for each task: exact shares, the late ones among lagging departments."""
    overdue_n = max(1, round(n * 0.085))
    open_n = n - round(n * 0.70) - overdue_n
    states = ["done"] * n
    late = sorted(range(n), key=lambda i: -(LAG[leads[i]] + rng.gauss(0, 0.3)))
    for i in late[:overdue_n]:
        states[i] = "overdue"
    rest = sorted(late[overdue_n:], key=lambda i: -(LAG[leads[i]] * 0.5 + rng.gauss(0, 0.4)))
    for i in rest[:open_n]:
        states[i] = "open"
    return states


def _helpers(lead: str, rng: random.Random) -> str:
    if rng.random() < 0.12:
        return "各基层单位"
    others = [d for d in DEPARTMENTS if d != lead]
    return "、".join(rng.sample(others, rng.choice((0, 1, 1, 2))))


def _fill_task(task: Task, state: str, rng: random.Random) -> None:
    """Deadline, status, done date and notes that fit the task's state."""
    if state == "done":
        task.done = True
        task.done_on = _done_date(rng)
        task.due = _done_due(task.done_on, rng)
        task.status = _weighted(rng, (("已完成", 7), ("√", 2), ("完成", 1)))
        task.evidence = rng.choice(EVIDENCE)
        if rng.random() < 0.06:
            task.done_on = None  # done, but nobody wrote down when
    elif state == "overdue":
        task.due = _overdue_due(rng)
        task.status = _weighted(rng, (("推进中", 4), ("部分完成", 2), ("未启动", 1), ("", 1), ("pct", 2)))
        task.note = rng.choice(OVERDUE_NOTES)
    else:
        if rng.random() < 0.45:
            task.due = None
            task.status = _weighted(rng, (("推进中", 4), ("持续推进", 2), ("部分完成", 1), ("pct", 1)))
        else:
            task.due = _weighted(rng, OPEN_DUES)
            task.status = _weighted(rng, (("推进中", 4), ("部分完成", 1), ("未启动", 2), ("", 2), ("pct", 3)))
    if task.status == "pct":
        task.status = _percent(rng)
    task.ongoing = task.due is None
    task.deadline = _weighted(rng, ONGOING_DEADLINES) if task.ongoing else deadline_cell(task.due, rng)
    if task.done_on is not None:
        task.done_cell = f"{YEAR}年{task.done_on.month}月{task.done_on.day}日" if rng.random() < 0.1 else task.done_on


def _spaced(name: str) -> str:
    """A department typed with stray spaces: 集团办公室 -> "集团 办公室 "."""
    return f"{name[:2]} {name[2:]} "


def task_rows(n: int | None = None, seed: int = SEED) -> list[Task]:
    """The rows of a 任务分解表: the catalogue's tasks, or ``n`` rows cycling through it.

    Rows keep catalogue order (each 测评项目 and 测评内容 contiguous, so they can be
    merged). About 70% are done and 8.5% overdue on AS_OF, the late work falling on
    the lagging departments; exactly one deadline is 待定 and one status 基本完成.
    """
    rng = random.Random(seed)
    specs = [(item, text) for item in ITEMS for text in item.tasks]
    n = len(specs) if n is None else n
    picked = [specs[i * len(specs) // n] for i in range(n)]
    leads = [rng.choice(item.leads[:1] * 2 + item.leads) for item, _ in picked]  # the first lead most often
    states = _states(leads, n, rng)
    tasks: list[Task] = []
    for (item, text), lead, state in zip(picked, leads, states, strict=True):
        task = Task(
            category=item.category,
            item=item.text,
            text=text,
            lead=lead,
            lead_cell=lead,
            helpers=_helpers(lead, rng),
            owner=rng.choice(OWNERS[lead]),
            deadline=None,
            due=None,
            ongoing=False,
            status="",
            done=False,
            done_on=None,
            done_cell=None,
        )
        _fill_task(task, state, rng)
        tasks.append(task)
    _add_quirks(tasks, states, rng)
    return tasks


def _add_quirks(tasks: list[Task], states: list[str], rng: random.Random) -> None:
    """The irregular cells every real tracker has, each placed deterministically."""
    index = {state: [i for i, s in enumerate(states) if s == state] for state in ("done", "overdue", "open")}
    december = [i for i in index["open"] if tasks[i].due is not None and tasks[i].due.month == 12]
    tbd = tasks[rng.choice(december or index["open"] or index["overdue"])]
    tbd.deadline, tbd.due, tbd.ongoing = UNKNOWN_DEADLINE, None, False
    tasks[rng.choice(index["overdue"])].status = UNKNOWN_STATUS
    dated = [i for i in index["done"] if tasks[i].done_on is not None]
    for i in rng.sample(dated, min(len(dated), max(1, round(len(tasks) * 0.035)))):
        tasks[i].status = ""  # done, as the 完成日期 says
    for i in rng.sample(range(len(tasks)), min(len(tasks), max(1, round(len(tasks) * 0.04)))):
        partner = "工会" if tasks[i].lead != "工会" else "团委"
        tasks[i].lead_cell = f"{tasks[i].lead}、{partner}"
    for text, due in SHOWCASE_DEADLINES.items():
        same_day = [t for t in tasks if t.due == due]
        if same_day and not any(t.deadline == text for t in same_day):
            rng.choice(same_day).deadline = text
    office = [i for i, t in enumerate(tasks) if t.lead == "集团办公室" and t.lead_cell == t.lead]
    others = [i for i, t in enumerate(tasks) if t.lead != "集团办公室" and t.lead_cell == t.lead]
    for i in rng.sample(office, min(2, len(office))) + rng.sample(others, min(1, len(others))):
        tasks[i].lead_cell = _spaced(tasks[i].lead)


# ---------------------------------------------------------------- issues


@dataclass(frozen=True)
class Problem:
    text: str
    measure: str
    department: str
    source: str = ""  # "" means the month's inspection
    long_term: bool = False  # 整改时限 长期坚持


PROBLEMS: tuple[Problem, ...] = (
    Problem("宣传栏内容更新不及时，仍张贴2025年过期宣传资料", "立即更新宣传栏内容，建立每月更新制度", P),
    Problem("五阳煤矿井口公益广告牌破损褪色", "更换破损公益广告牌，纳入日常巡查", "五阳煤矿"),
    Problem("职工食堂存在剩饭剩菜浪费现象，“光盘行动”提示标识缺失", "补设提示标识，安排专人督导", G),
    Problem("志愿服务活动记录不完整，缺少服务时长登记", "完善志愿服务时长登记台账", "团委"),
    Problem("办公楼楼道堆放纸箱杂物", "清理杂物，落实楼层保洁责任", "集团办公室"),
    Problem("常村煤矿生活区垃圾清运不及时", "增加清运频次，设置分类垃圾桶", "常村煤矿"),
    Problem("道德讲堂活动缺少影像资料和签到记录", "补充活动影像资料，规范活动档案", P),
    Problem("部分职工对创建全国文明单位工作知晓率不高", "利用班前会开展创建应知应会宣讲", P, long_term=True),
    Problem("漳村煤矿职工书屋未按规定时间开放", "公示开放时间，安排专人管理", "漳村煤矿"),
    Problem("化工公司厂区存在吸烟现象", "设置吸烟区，加强巡查劝导", "化工公司", source="暗访"),
    Problem("集团网站“文明创建”专栏信息更新滞后", "明确专人负责，每周更新", P),
    Problem("学雷锋示范岗挂牌不统一", "统一制作示范岗标牌", "团委"),
    Problem("五阳煤矿生活区存在乱堆乱放现象", "集中清理，划定物品存放区", "五阳煤矿"),
    Problem("接待室服务用语不规范", "组织窗口人员开展礼仪培训", "集团办公室", source="暗访"),
    Problem("职工活动中心部分健身器材损坏", "维修更换损坏器材", G),
    Problem("注册志愿者比例偏低，未达到职工总数10%", "组织集中注册，纳入团组织考核", "团委"),
    Problem("常村煤矿道德讲堂标识未按标准设置", "按标准制作标识和流程展板", "常村煤矿"),
    Problem("未按要求报送节能降耗月报", "按月报送，建立报送提醒", "安全环保部"),
    Problem("化工公司厂区绿化带有垃圾", "落实绿化带保洁责任", "化工公司"),
    Problem("新入职员工培训未包含文明礼仪内容", "修订培训课程，增加文明礼仪课时", "人力资源部"),
    Problem("漳村煤矿食堂未推行小份菜", "推行小份菜、半份菜", "漳村煤矿"),
    Problem("部分班组学雷锋服务记录本填写不规范", "开展记录本规范填写培训", "五阳煤矿"),
    Problem("电子显示屏核心价值观宣传内容播放时长不足", "调整播放计划，保证每日播放时长", P),
    Problem("办公区存在长明灯、长流水现象", "加强巡查，张贴节约提示", "安全环保部"),
    Problem("困难职工帮扶台账信息不全", "逐户核实，完善帮扶台账", G),
    Problem("化工公司厂区道路车辆乱停乱放", "施划停车位，加强停车管理", "化工公司"),
    Problem("五阳煤矿区队宣传栏内容与创建主题不符", "统一更换创建主题宣传内容", "五阳煤矿"),
    Problem("常村煤矿生活区围墙有乱贴乱画", "清除小广告，粉刷围墙", "常村煤矿"),
    Problem("青年志愿服务队未按计划开展月度活动", "制定月度活动计划并按月开展", "团委"),
    Problem("五阳煤矿矿区道路扬尘较大", "增加洒水频次，硬化破损路面", "五阳煤矿", source="群众反映"),
    Problem("职工技能培训档案不完整", "完善培训档案，补齐培训记录", "人力资源部"),
    Problem("化工公司夜间设备噪声扰民", "对高噪声设备加装隔音设施", "化工公司", source="群众反映"),
    Problem("漳村煤矿公益广告数量不足", "在主要道路和井口增设公益广告", "漳村煤矿"),
    Problem("“我们的节日”活动总结材料未按时报送", "督促各单位按时报送活动总结", G),
    Problem("服务承诺未在办公场所公示", "制作服务承诺公示牌", "集团办公室"),
    Problem("常村煤矿井口浴室卫生较差", "落实专人保洁，每日检查", "常村煤矿"),
    Problem("化工公司中控室存在工作时间玩手机现象", "加强劳动纪律检查", "化工公司", source="暗访"),
    Problem("五阳煤矿煤场封闭工程进度滞后", "倒排工期，加快施工", "五阳煤矿"),
    Problem("部分单位微信公众号创建信息发布数量不足", "纳入月度考核通报", P, long_term=True),
    Problem("环境卫生责任区划分不清", "重新划分责任区，公示责任人", "安全环保部"),
    Problem("漳村煤矿职工对道德讲堂活动参与率低", "调整活动时间，安排倒班职工参加", "漳村煤矿"),
    Problem("集团本部会议室无人时空调未关闭", "张贴节能提示，落实专人管理", "集团办公室"),
    Problem("五阳煤矿门卫服务态度生硬", "开展门卫文明服务专题培训", "五阳煤矿", source="暗访"),
    Problem("化工公司危化品仓库周边杂草丛生", "清除杂草，定期维护", "化工公司"),
    Problem("职工对“我们的节日”活动参与率偏低", "丰富活动形式，扩大职工参与面", G),
)

# The monthly inspections (督查) and how many of PROBLEMS each found, in order.
INSPECTIONS: tuple[tuple[dt.date, int], ...] = (
    (dt.date(2026, 2, 26), 4),
    (dt.date(2026, 3, 18), 6),
    (dt.date(2026, 4, 15), 4),
    (dt.date(2026, 5, 20), 5),
    (dt.date(2026, 6, 17), 5),
    (dt.date(2026, 7, 15), 4),
    (dt.date(2026, 8, 19), 4),
    (dt.date(2026, 9, 16), 5),
    (dt.date(2026, 10, 21), 4),
    (dt.date(2026, 11, 12), 4),
)
QUARTERLY_MONTHS = (3, 6, 9)
TEXT_FOUND_MONTH = 4  # that month's inspection is written "2026年4月"


@dataclass
class Issue:
    """One row of the 问题整改台账."""

    problem: Problem
    found_on: dt.date
    found_cell: object
    source: str
    deadline: object
    due: dt.date | None
    status: str
    closed: bool
    closed_on: dt.date | None

    @property
    def overdue(self) -> bool:
        return not self.closed and self.due is not None and self.due < AS_OF


def _found(problem: Problem, inspection: dt.date, rng: random.Random) -> tuple[dt.date, object, str]:
    """When and how a problem was found: the month's inspection, or a complaint or a visit in between."""
    if problem.source:
        day = inspection - dt.timedelta(days=rng.randint(3, 12))
        return day, day, problem.source
    source = "季度测评" if inspection.month in QUARTERLY_MONTHS and rng.random() < 0.6 else "月度督查"
    if inspection.month == TEXT_FOUND_MONTH:
        return month_end(YEAR, inspection.month), f"{YEAR}年{inspection.month}月", source
    return inspection, inspection, source


def sample_issues(seed: int = SEED + 1) -> list[Issue]:
    """About 70% struck off; the open ones fall on recent inspections and lagging departments."""
    rng = random.Random(seed)
    found = []
    problems = iter(PROBLEMS)
    for inspection, count in INSPECTIONS:
        for _ in range(count):
            problem = next(problems)
            found.append((problem, *_found(problem, inspection, rng)))
    n = len(found)
    open_n = n - round(n * 0.70)
    recency = {p: i / n for i, (p, *_) in enumerate(found)}
    forced = [p for p, *_ in found if p.long_term]
    ranked = sorted(
        (p for p, *_ in found if not p.long_term),
        key=lambda p: -(recency[p] * 1.6 + LAG[p.department] * 0.6 + rng.gauss(0, 0.25)),
    )
    still_open = set(forced) | set(ranked[: open_n - len(forced)])
    return [_issue(p, on, cell, source, p not in still_open, rng) for p, on, cell, source in found]


def _issue(
    problem: Problem, found_on: dt.date, found_cell: object, source: str, closed: bool, rng: random.Random
) -> Issue:
    if problem.long_term:
        due, deadline = None, "长期坚持"
    else:
        due = found_on + dt.timedelta(days=rng.choice((10, 15, 15, 20, 30)))
        if rng.random() < 0.25:
            due = month_end(due.year, due.month)
            deadline = rng.choice((f"{YEAR}年{due.month}月底", f"{due.month}月底前"))
        else:
            deadline = due
    if closed:
        closed_on = min(found_on + dt.timedelta(days=rng.randint(4, 35)), AS_OF - dt.timedelta(days=1))
        status = _weighted(rng, (("已销号", 5), ("已整改", 3), ("√", 1), ("", 1)))
    else:
        closed_on = None
        status = _weighted(rng, (("整改中", 5), ("正在整改", 1), ("未整改", 1)))
    return Issue(problem, found_on, found_cell, source, deadline, due, status, closed, closed_on)


# ---------------------------------------------------------------- activities

VOLUNTEER, LEI_FENG, MORAL, FESTIVAL, SPORTS, THEORY = (
    "志愿服务",
    "学雷锋活动",
    "道德讲堂",
    "我们的节日",
    "文体活动",
    "理论学习",
)
SERVICE_TYPES = (VOLUNTEER, LEI_FENG)  # the types with 人均服务时长

ACTIVITY_NAMES: dict[str, tuple[str, ...]] = {
    VOLUNTEER: (
        "“情暖矿山”志愿服务进社区",
        "关爱留守儿童志愿服务",
        "无偿献血志愿服务",
        "文明交通劝导志愿服务",
        "义务植树志愿服务",
        "环境清洁志愿服务",
        "敬老院助老志愿服务",
        "“送清凉”志愿服务",
        "助农秋收志愿服务",
        "爱心义诊志愿服务",
        "垃圾分类宣传志愿服务",
        "“书香助学”志愿服务",
    ),
    LEI_FENG: (
        "“学雷锋·文明行”集中服务",
        "学雷锋便民服务日",
        "“雷锋岗”义务维修服务",
        "学雷锋进社区清洁家园",
        "雷锋精神主题宣讲",
        "学雷锋主题观影",
    ),
    MORAL: (
        "道德讲堂：孝老爱亲",
        "道德讲堂：诚实守信",
        "道德讲堂：敬业奉献",
        "道德讲堂：助人为乐",
        "道德讲堂：见义勇为",
        "道德讲堂：勤俭节约",
        "道德讲堂：文明礼仪",
    ),
    SPORTS: (
        "职工篮球赛",
        "职工乒乓球赛",
        "职工健步走",
        "拔河比赛",
        "书画摄影作品展",
        "职工趣味运动会",
        "羽毛球比赛",
        "职工歌咏比赛",
        "象棋围棋比赛",
    ),
    THEORY: (
        "社会主义核心价值观专题学习",
        "新时代文明实践专题学习",
        "职业道德专题学习会",
        "“书香华晋”读书分享会",
        "创建全国文明单位应知应会学习",
        "安全文化专题学习",
    ),
}

# (day of the festival, names of its activities); events are held in the days before it.
FESTIVALS: tuple[tuple[dt.date, tuple[str, ...]], ...] = (
    (dt.date(2026, 2, 17), ("我们的节日·春节 送福进班组", "“迎新春”写春联送福字")),
    (dt.date(2026, 3, 3), ("我们的节日·元宵 猜灯谜闹元宵",)),
    (dt.date(2026, 4, 5), ("我们的节日·清明 网上祭英烈", "清明文明祭扫宣传")),
    (dt.date(2026, 6, 19), ("我们的节日·端午 包粽子比赛",)),
    (dt.date(2026, 8, 19), ("我们的节日·七夕 青年联谊会",)),
    (dt.date(2026, 9, 25), ("我们的节日·中秋 诗词诵读会", "中秋走访慰问困难职工")),
    (dt.date(2026, 10, 18), ("我们的节日·重阳 走访慰问离退休职工",)),
)
SPECIAL_EVENTS = (
    (dt.date(2026, 1, 23), "“迎新春”职工文艺汇演", SPORTS, G),
    (dt.date(2026, 3, 5), "学雷锋志愿服务月启动仪式", LEI_FENG, "团委"),
    (dt.date(2026, 4, 29), "“五一”职工文艺演出", SPORTS, G),
    (dt.date(2026, 5, 4), "“五四”青年志愿服务", VOLUNTEER, "团委"),
    (dt.date(2026, 6, 5), "“六五”环境日志愿宣传", VOLUNTEER, "安全环保部"),
    (dt.date(2026, 6, 12), "“安全生产月”专题学习", THEORY, "安全环保部"),
    (dt.date(2026, 9, 29), "“迎国庆”职工歌咏比赛", SPORTS, G),
)

# Who organises each type (weights), and the turnout range at a mine.
ORGANISERS: dict[str, tuple[tuple[str, float], ...]] = {
    VOLUNTEER: (("团委", 1), ("五阳煤矿", 3), ("常村煤矿", 3), ("漳村煤矿", 3), ("化工公司", 2), (G, 1)),
    LEI_FENG: (("团委", 1), ("五阳煤矿", 3), ("常村煤矿", 3), ("漳村煤矿", 3), ("化工公司", 2), (P, 1)),
    MORAL: ((P, 1), ("五阳煤矿", 3), ("常村煤矿", 3), ("漳村煤矿", 3), ("化工公司", 2)),
    FESTIVAL: ((G, 2), ("五阳煤矿", 2), ("常村煤矿", 2), ("漳村煤矿", 2), ("化工公司", 2), ("团委", 1)),
    SPORTS: ((G, 2), ("五阳煤矿", 3), ("常村煤矿", 3), ("漳村煤矿", 3), ("化工公司", 2), ("团委", 1)),
    THEORY: (
        ("集团办公室", 2),
        ("人力资源部", 2),
        ("安全环保部", 2),
        ("五阳煤矿", 2),
        ("常村煤矿", 2),
        ("漳村煤矿", 2),
        ("化工公司", 2),
    ),
}
MINE_TURNOUT = {
    VOLUNTEER: (20, 60),
    LEI_FENG: (30, 120),
    MORAL: (60, 150),
    FESTIVAL: (80, 260),
    SPORTS: (80, 300),
    THEORY: (30, 90),
}
# How many activities of each type are spread over the year (besides festivals and special events).
YEARLY = {VOLUNTEER: 36, MORAL: 18, SPORTS: 20, THEORY: 16, LEI_FENG: 4}
LEI_FENG_MONTH = 16  # extra 学雷锋 activities in March


@dataclass
class Activity:
    """One row of the 活动登记表."""

    on: dt.date
    name: str
    type: str
    department: str
    people: int
    expected: int | None
    hours_each: float | None
    date_cell: object = None
    people_cell: object = None
    hours_cell: object = None


def _people(department: str, kind: str, rng: random.Random) -> int:
    """Turnout: most of a small department, a slice of a mine."""
    size = HEADCOUNT[department]
    if size < 100:
        return rng.randint(max(5, size * 4 // 10), size)
    low, high = MINE_TURNOUT[kind]
    scale = 0.6 if department == "化工公司" else 1.0
    return rng.randint(int(low * scale), int(high * scale))


def _random_day(rng: random.Random, start: dt.date = dt.date(YEAR, 1, 4), end: dt.date = AS_OF) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _plan(rng: random.Random) -> list[tuple[dt.date, str, str, str]]:
    """(date, name, type, department) of every activity of the year."""
    plan = list(SPECIAL_EVENTS)
    for festival, names in FESTIVALS:
        for department in rng.sample([d for d, _ in ORGANISERS[FESTIVAL]], rng.randint(3, 5)):
            plan.append((festival - dt.timedelta(days=rng.randint(0, 5)), rng.choice(names), FESTIVAL, department))
    for _ in range(LEI_FENG_MONTH):
        day = _random_day(rng, dt.date(YEAR, 3, 1), dt.date(YEAR, 3, 31))
        plan.append((day, rng.choice(ACTIVITY_NAMES[LEI_FENG]), LEI_FENG, _weighted(rng, ORGANISERS[LEI_FENG])))
    for kind, count in YEARLY.items():
        for _ in range(count):
            plan.append((_random_day(rng), rng.choice(ACTIVITY_NAMES[kind]), kind, _weighted(rng, ORGANISERS[kind])))
    for month in range(1, 12):
        day = min(dt.date(YEAR, month, 25), AS_OF - dt.timedelta(days=2))
        plan.append((day, "党委理论学习中心组学习", THEORY, P))
    return sorted(plan, key=lambda a: (a[0], a[3], a[1]))


def sample_activities(seed: int = SEED + 2) -> list[Activity]:
    """About 160 activities from January to AS_OF, crowded around 学雷锋月 and the festivals."""
    rng = random.Random(seed)
    activities = []
    for on, name, kind, department in _plan(rng):
        people = _people(department, kind, rng)
        expected = people + rng.randint(0, max(2, people // 8)) if rng.random() < 0.5 else None
        hours = rng.choice((1.5, 2, 2, 2.5, 3, 4)) if kind in SERVICE_TYPES else None
        activity = Activity(on, name, kind, department, people, expected, hours)
        activity.date_cell = f"{on.year}年{on.month}月{on.day}日" if rng.random() < 0.15 else on
        activity.people_cell = f"{people}人" if rng.random() < 0.4 else people
        if hours is not None:
            activity.hours_cell = f"{hours:g}小时" if rng.random() < 0.5 else hours
        activities.append(activity)
    return activities


# ---------------------------------------------------------------- headcount and surveys

RATE_NAMES = ("知晓率", "参与率", "支持率", "满意度")
RATE_RANGES = ((0.90, 0.99), (0.82, 0.96), (0.95, 0.995), (0.88, 0.97))


@dataclass
class Survey:
    department: str
    respondents: int
    rates: tuple[float, ...]  # in the order of RATE_NAMES, as fractions
    cells: tuple[object, ...]  # as written


def _rate_cell(rate: float, rng: random.Random) -> object:
    """ "92.5%" as text, 0.925 in a percent format, or 92.5 meaning 92.5%."""
    return _weighted(rng, ((f"{rate * 100:.1f}%", 2), (Fmt(rate, "0.0%"), 2), (round(rate * 100, 1), 1)))


def sample_surveys(seed: int = SEED + 3) -> list[Survey]:
    rng = random.Random(seed)
    rows = []
    for department in DEPARTMENTS:
        size = HEADCOUNT[department]
        respondents = size - rng.randint(0, 2) if size < 100 else rng.randint(size // 8, size // 5)
        drag = LAG[department] * 0.03
        rates = tuple(round(rng.uniform(low, high) - drag, 3) for low, high in RATE_RANGES)
        rows.append(Survey(department, respondents, rates, tuple(_rate_cell(r, rng) for r in rates)))
    return rows


# ---------------------------------------------------------------- writing sheets

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


# ---------------------------------------------------------------- the sample workbooks

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


# ---------------------------------------------------------------- templates


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


def write_all(out: Path | None = None, templates: Path | None = None) -> list[Path]:
    """Write the sample workbooks and the blank templates; return the files written."""
    out = Path(out) if out is not None else SAMPLE_DIR
    templates = Path(templates) if templates is not None else TEMPLATE_DIR
    out.mkdir(parents=True, exist_ok=True)
    templates.mkdir(parents=True, exist_ok=True)
    return write_samples(out) + write_templates(templates)
