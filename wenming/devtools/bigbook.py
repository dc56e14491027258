"""Large 任务分解表 trackers for the benchmark, written fast by streaming the sheet XML.

openpyxl needs minutes and gigabytes for a million rows; this writer streams one
row at a time into the zip, with a shared string table, date cells carrying a
date style, percent cells, merged 测评项目/测评内容 cells and the title, 合计 and
footer rows of a real tracker. The content comes from ``sample.task_rows``.
"""

from __future__ import annotations

import datetime as dt
import random
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from wenming import sample
from wenming.read import values
from wenming.read.reader import column_letter

FORMAT = 2  # in the cached file names: bump when the files written change
REAL_FORMAT = 1  # the same for the realistic shape
SHEET = "任务分解"
TITLES = (f"{sample.ORG}创建全国文明单位工作任务分解表", sample.AS_OF_LINE)
HEADER_ROW = len(TITLES) + 1  # Excel row of the header
FIRST_ROW = HEADER_ROW + 1  # Excel row of the first task
WIDTH = len(sample.TASKS_LAYOUT.header)
CATEGORY_COL, ITEM_COL, DEADLINE_COL = 1, 2, 7  # 0-based: 测评项目, 测评内容, 完成时限
FOOTERS = (
    "填表人：刘晓燕        审核：王建华",
    "联系电话：0355-6208316",
    "注：完成时限为“长期坚持”的任务按月报告进展。",
)
# The fastexcel trap: a 完成时限 column of date cells that turns into text after row 1,000.
TRAP_DATE = dt.date(2025, 6, 30)
TRAP_TEXT = "2025年6月底"
BAD_DEADLINES = ("另行通知", "见附件", "根据进度", "随时")  # no rule reads these

STYLE_DATE, STYLE_PERCENT = 1, 2  # indexes into cellXfs below
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="1"><font><sz val="10.5"/><name val="宋体"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="9" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    f'<sheets><sheet name="{SHEET}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
_LETTERS = [column_letter(i) for i in range(26)]


class _Strings:
    """The shared string table: each distinct text once, cells refer to it by index."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.uses = 0

    def ref(self, value: str) -> int:
        self.uses += 1
        found = self.index.get(value)
        if found is None:
            found = self.index[value] = len(self.index)
        return found

    def xml(self) -> Iterator[str]:
        yield (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{self.uses}" uniqueCount="{len(self.index)}">'
        )
        for value in self.index:
            space = ' xml:space="preserve"' if value != value.strip() or "\n" in value else ""
            yield f"<si><t{space}>{escape(value)}</t></si>"
        yield "</sst>"


def _cell(ref: str, value: object, strings: _Strings) -> str:
    """One <c> element; empty for a blank cell."""
    if value is None or value == "":
        return ""
    if isinstance(value, sample.Fmt):
        return f'<c r="{ref}" s="{STYLE_PERCENT}"><v>{value.value!r}</v></c>'
    if isinstance(value, str):
        return f'<c r="{ref}" t="s"><v>{strings.ref(value)}</v></c>'
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="{STYLE_DATE}"><v>{(value - values.EXCEL_EPOCH).days}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    return f'<c r="{ref}"><v>{value!r}</v></c>'


def _row(number: int, values: Sequence[object], strings: _Strings) -> str:
    cells = "".join(_cell(f"{_LETTERS[i]}{number}", v, strings) for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


def _runs(keys: Sequence[object], rng: random.Random) -> Iterator[tuple[int, int]]:
    """(start, end) of runs of equal keys, cut into the blocks of 2–8 rows a clerk merges."""
    start, limit = 0, rng.randint(2, 8)
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start] or i - start == limit:
            yield start, i - 1
            start, limit = i, rng.randint(2, 8)


def layout(tasks: Sequence[sample.Task], seed: int) -> tuple[list[list[object]], list[str]]:
    """The task rows as written (blank below a merge's first cell) and the merged ranges.

    About four runs in five are merged; the others leave the cells below blank, which
    the reader fills down ("as above").
    """
    rng = random.Random(seed)
    rows = [list(sample.task_cells(i, t)) for i, t in enumerate(tasks, start=1)]
    merges: list[str] = []
    for column, keys in (
        (CATEGORY_COL, [t.category for t in tasks]),
        (ITEM_COL, [(t.category, t.item) for t in tasks]),
    ):
        letter = _LETTERS[column]
        for start, end in _runs(keys, rng):
            for r in range(start + 1, end + 1):
                rows[r][column] = None
            if end > start and rng.random() < 0.8:
                merges.append(f"{letter}{FIRST_ROW + start}:{letter}{FIRST_ROW + end}")
    return rows, merges


def write_tracker(
    path: Path, n: int, seed: int = sample.SEED, *, trap_after: int | None = None, bad_column: bool = False
) -> Path:
    """A 任务分解表 of ``n`` tasks; with ``trap_after``, 完成时限 is a date cell (2025-06-30)
    in the first ``trap_after`` rows and the text 2025年6月底 below; with ``bad_column``, every
    完成时限 is a text no rule reads (另行通知 and a few like it: WORKBOOKS.md §8's bad column)."""
    tasks = sample.task_rows(n, seed)
    rows, merges = layout(tasks, seed)
    if trap_after is not None:
        for i, row in enumerate(rows):
            row[DEADLINE_COL] = TRAP_DATE if i < trap_after else TRAP_TEXT
    if bad_column:
        for i, row in enumerate(rows):
            row[DEADLINE_COL] = BAD_DEADLINES[i % len(BAD_DEADLINES)]
    done = sum(t.done for t in tasks)
    return write_book(path, sample.TASKS_LAYOUT.header, rows, merges, lambda: f"共{n}项任务，已完成{done}项")


def write_book(
    path: Path,
    header: Sequence[str],
    body: Iterable[Sequence[object]],
    merges: list[str],
    total: Callable[[], str],
    *,
    body_rows: int | None = None,
) -> Path:
    """Titles, ``header``, the ``body`` rows (streamed: ``merges`` may grow while they are written),
    the 合计 row (its text from ``total``, asked once the body is written) and the footers, as one
    .xlsx written without holding the sheet."""
    width = len(header)
    letters = _LETTERS[:width]
    count = len(body) if body_rows is None and isinstance(body, Sequence) else body_rows
    if count is None:
        raise ValueError("body_rows is needed for a streamed body")
    last = FIRST_ROW + count + 1 + len(FOOTERS)
    strings = _Strings()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("xl/workbook.xml", _WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        book.writestr("xl/styles.xml", _STYLES)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            head = (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                f'<dimension ref="A1:{letters[-1]}{last}"/><sheetData>'
            )
            sheet.write(head.encode())
            lines = [_row(r, [title], strings) for r, title in enumerate(TITLES, start=1)]
            lines.append(_row(HEADER_ROW, header, strings))
            sheet.write("".join(lines).encode())
            chunk: list[str] = []
            number = FIRST_ROW
            for row in body:
                chunk.append(_row(number, row, strings))
                number += 1
                if len(chunk) == 5000:
                    sheet.write("".join(chunk).encode())
                    chunk = []
            sheet.write("".join(chunk).encode())
            if number != FIRST_ROW + count:
                raise ValueError(f"the body has {number - FIRST_ROW} rows, not {count}")
            ends = [_row(number, ["合计", None, None, total()], strings)]
            ends += [_row(number + 1 + k, [line], strings) for k, line in enumerate(FOOTERS, start=1)]
            ranges = [f"A{r}:{letters[-1]}{r}" for r in range(1, HEADER_ROW)] + merges
            merge_xml = "".join(f'<mergeCell ref="{ref}"/>' for ref in ranges)
            ends.append(f'</sheetData><mergeCells count="{len(ranges)}">{merge_xml}</mergeCells></worksheet>')
            sheet.write("".join(ends).encode())
        with book.open("xl/sharedStrings.xml", "w", force_zip64=True) as sst:
            for part in strings.xml():
                sst.write(part.encode())
    partial.replace(path)
    return path


# ---------------------------------------------------------------- the realistic shape

SHAPES = ("repeating", "realistic")
REAL_HEADER = (
    "序号",
    "测评项目",
    "测评内容",
    "工作任务",
    "责任部门",
    "责任人",
    "完成时限",
    "完成情况",
    "完成日期",
    "备注",
)
_VERBS = (
    "组织开展", "深入推进", "持续开展", "制定印发", "全面落实", "扎实推进", "广泛开展", "认真组织", "统筹推进",
    "积极开展", "建立健全", "集中开展", "规范开展", "牵头组织", "督促指导", "协调推动", "精心筹办", "常态化开展",
)  # fmt: skip
_PLACES = (
    "集团机关", "各基层单位", "职工食堂", "生活区", "办公楼", "井口区域", "文化广场", "职工书屋", "家属区",
    "选煤厂", "洗浴中心", "职工之家", "会议中心", "新时代文明实践站", "矿区", "单身公寓", "党员活动室",
)  # fmt: skip
_THEMES = (
    "学雷锋志愿服务活动", "道德讲堂宣讲", "文明餐桌行动", "“我们的节日”主题活动", "职工读书分享会",
    "安全生产月宣传教育", "垃圾分类宣传引导", "文明交通劝导", "家风家训教育", "诚信建设宣传",
    "社会主义核心价值观宣讲", "职工健身运动会", "环境卫生综合整治", "窗口服务规范提升", "网络文明传播",
    "移风易俗宣传", "先进典型选树", "困难职工帮扶走访", "结对共建帮扶", "劳动竞赛", "文明科室评选",
    "“道德模范”事迹报告会", "廉洁文化进基层", "节约用水用电倡议", "心理健康讲座", "消防应急演练",
)  # fmt: skip
_MEASURES = (
    "，覆盖干部职工{a}人次以上", "，全年不少于{k}次", "，形成典型经验材料{k}篇", "，每季度报送信息{k}条",
    "（{m}月份完成{k}场）", "，由{name}同志具体负责", "，投入资金{x}万元", "，建成示范点{k}个",
    "，在{paper}刊发稿件{k}篇", "，参与志愿者{a}名", "，整改问题{k}项", "，发放宣传资料{a}份",
    "，{m}月{d}日前报送总结", "，评选表彰先进个人{k}名", "，开展专题培训{k}期", "，征集意见建议{k}条",
)  # fmt: skip
_PAPERS = ("集团报", "集团微信公众号", "市文明网", "省级媒体", "内部简报", "学习强国平台")
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力晓燕志海峰波宁鹏斌凯"
_NOTES = ("已报送佐证材料", "需协调资金", "受天气影响延期", "已列入下月例会督办", "照片已归档", "待上级验收")
_DONE = (("已完成", 6), ("√", 2), ("完成", 1), ("", 1))  # blank, with a 完成日期: done
_OPEN = (("推进中", 4), ("部分完成", 1), ("未启动", 2), ("", 1), ("pct", 2))
_ONGOING = (("长期坚持", 4), ("每季度", 2), ("常态化", 2), ("每月", 1))


@dataclass(frozen=True)
class _Block:
    """A run of tasks under one 测评内容, with a 小计 row below it or not."""

    category: str
    item: str
    size: int
    subtotal: bool


def _blocks(n: int, rng: random.Random) -> list[_Block]:
    """Blocks of 3–12 tasks cycling through the 测评内容 of the catalogue; about one in six has a 小计 row."""
    blocks: list[_Block] = []
    left, index = n, 0
    while left:
        item = sample.ITEMS[index % len(sample.ITEMS)]
        size = min(left, rng.randint(3, 12))
        blocks.append(_Block(item.category, item.text, size, rng.random() < 0.16))
        left -= size
        index += 1
    return blocks


def _sentence(rng: random.Random, seen: set[str]) -> str:
    """A task of 20–80 characters, unlike every task before it."""
    while True:
        text = rng.choice(_VERBS) + rng.choice(_PLACES) + rng.choice(_THEMES)
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            text += rng.choice(_MEASURES).format(
                a=rng.randint(20, 3000),
                k=rng.randint(1, 60),
                m=rng.randint(1, 12),
                d=rng.randint(1, 28),
                x=rng.randint(1, 200) / 2,
                name=_name(rng),
                paper=rng.choice(_PAPERS),
            )
        if 20 <= len(text) <= 80 and text not in seen:
            seen.add(text)
            return text


def _name(rng: random.Random) -> str:
    given = rng.choice(_GIVEN) + (rng.choice(_GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(_SURNAMES) + given


def _department(rng: random.Random) -> tuple[str, str]:
    """(the lead, the cell as written): one department, two joined by 、, rarely with a stray space."""
    lead = rng.choice(sample.DEPARTMENTS)
    r = rng.random()
    if r < 0.15:
        return lead, f"{lead}、{rng.choice([d for d in sample.DEPARTMENTS if d != lead])}"
    if r < 0.17:
        return lead, f"{lead[:2]} {lead[2:]}"
    return lead, lead


def _deadline(due: dt.date, rng: random.Random) -> object:
    """A due date as clerks write it: a date cell, 6月底前, 2026年9月30日, 2026.9.30, 11月上旬, …"""
    y, m, d = due.year, due.month, due.day
    forms: list[tuple[object, float]] = [(due, 4), (f"{y}年{m}月{d}日", 2), (f"{y}.{m}.{d}", 1)]
    if due == sample.month_end(y, m):
        forms += [(f"{m}月底前", 3), (f"{y}年{m}月底", 1), (f"{m}月下旬", 1)]
        if m in sample.QUARTER_WORDS:
            forms.append((sample.QUARTER_WORDS[m], 1))
        if m == 12:
            forms += [("年底前", 2), ("全年", 1), ("下半年", 1)]
    elif d in (10, 20):
        forms.append((f"{m}月{'上' if d == 10 else '中'}旬", 2))
    return _weighted(rng, forms)


def _weighted(rng: random.Random, options: Sequence[tuple[object, float]]) -> object:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def _due(rng: random.Random) -> dt.date:
    month = rng.randint(1, 12)
    if rng.random() < 0.6:
        return sample.month_end(sample.YEAR, month)
    return dt.date(sample.YEAR, month, rng.choice((10, 20, rng.randint(1, 28))))


def _task(no: int, rng: random.Random, seen: set[str]) -> tuple[list[object], bool]:
    """One task row (序号 … 备注, 测评项目 and 测评内容 left to the block) and whether it is done."""
    lead, cell = _department(rng)
    ongoing = rng.random() < 0.12
    due = _due(rng)
    deadline = _weighted(rng, _ONGOING) if ongoing else _deadline(due, rng)
    done = rng.random() < (0.7 if due < sample.AS_OF or ongoing else 0.35)
    done_cell: object = None
    if done:
        status = _weighted(rng, _DONE)
        on = min(due, sample.AS_OF) - dt.timedelta(days=rng.randint(0, 40))
        done_cell = f"{on.year}年{on.month}月{on.day}日" if rng.random() < 0.1 else on
    else:
        status = _weighted(rng, (("持续推进", 2), ("推进中", 2))) if ongoing else _weighted(rng, _OPEN)
        if status == "pct":
            share = rng.choice((20, 30, 40, 50, 60, 70, 80, 90))
            status = f"{share}%" if rng.random() < 0.5 else sample.Fmt(share / 100, "0%")
    note = rng.choice(_NOTES) if rng.random() < 0.15 else None
    person = rng.choice(sample.OWNERS[lead]) if rng.random() < 0.5 else _name(rng)
    return [no, None, None, _sentence(rng, seen), cell, person, deadline, status, done_cell, note], done


def realistic_rows(n: int, seed: int = sample.SEED) -> tuple[int, Iterator[list[object]], list[str], list[int]]:
    """The body of a realistic tracker of ``n`` tasks: (rows including 小计 rows, the rows one by one,
    the merged ranges, filled in as the rows are drawn, and the done count, filled in at the end)."""
    rng = random.Random(seed)
    blocks = _blocks(n, rng)
    merges: list[str] = []
    done: list[int] = []

    def rows() -> Iterator[list[object]]:
        seen: set[str] = set()
        number, no, finished = FIRST_ROW, 1, 0
        for block in blocks:
            block_done = 0
            for k in range(block.size):
                row, is_done = _task(no, rng, seen)
                block_done += is_done
                if k == 0 or rng.random() < 0.3:  # 测评内容 written again now and then
                    row[ITEM_COL] = block.item
                if k == 0:
                    row[CATEGORY_COL] = block.category
                yield row
                no += 1
            if block.size > 1 and rng.random() < 0.85:
                merges.append(f"B{number}:B{number + block.size - 1}")
            number += block.size
            finished += block_done
            if block.subtotal:
                yield [None, "小计", None, f"本项共{block.size}项任务，已完成{block_done}项"]
                number += 1
        done.append(finished)

    count = n + sum(block.subtotal for block in blocks)
    return count, rows(), merges, done


def write_realistic(path: Path, n: int, seed: int = sample.SEED) -> Path:
    """A 任务分解表 of ``n`` tasks as offices write them: every task its own sentence, 10 columns,
    joint departments, Chinese deadline forms, 小计 rows, merged 测评项目 cells, titles and footers."""
    count, body, merges, done = realistic_rows(n, seed)
    return write_book(path, REAL_HEADER, body, merges, lambda: f"共{n}项任务，已完成{done[0]}项", body_rows=count)


def cached_tracker(
    folder: Path, n: int, seed: int = sample.SEED, *, trap_after: int | None = None, shape: str = "repeating"
) -> Path:
    """The tracker of ``n`` tasks in ``shape`` from ``folder``, written first if it is not there yet."""
    trap = f"-trap{trap_after}" if trap_after is not None else ""
    if shape == "realistic":
        path = Path(folder) / f"tasks-realistic-{n}-{seed}-v{REAL_FORMAT}.xlsx"
        return path if path.is_file() else write_realistic(path, n, seed)
    if shape != "repeating":
        raise ValueError(f"unknown tracker shape: {shape!r}")
    path = Path(folder) / f"tasks-{n}-{seed}{trap}-v{FORMAT}.xlsx"
    return path if path.is_file() else write_tracker(path, n, seed, trap_after=trap_after)
