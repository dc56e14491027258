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
from collections.abc import Iterator, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from wenming import sample
from wenming.read import values
from wenming.read.reader import column_letter

FORMAT = 2  # in the cached file names: bump when the files written change
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
_LETTERS = [column_letter(i) for i in range(WIDTH)]


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
    total = FIRST_ROW + n
    last = total + 1 + len(FOOTERS)
    strings = _Strings()
    merges = [f"A{r}:{_LETTERS[-1]}{r}" for r in range(1, HEADER_ROW)] + merges
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
                f'<dimension ref="A1:{_LETTERS[-1]}{last}"/><sheetData>'
            )
            sheet.write(head.encode())
            lines = [_row(r, [title], strings) for r, title in enumerate(TITLES, start=1)]
            lines.append(_row(HEADER_ROW, sample.TASKS_LAYOUT.header, strings))
            sheet.write("".join(lines).encode())
            chunk = 5000
            for start in range(0, n, chunk):
                text = "".join(_row(FIRST_ROW + i, rows[i], strings) for i in range(start, min(start + chunk, n)))
                sheet.write(text.encode())
            tail = [_row(total, ["合计", None, None, f"共{n}项任务，已完成{done}项"], strings)]
            tail += [_row(total + 1 + k, [line], strings) for k, line in enumerate(FOOTERS, start=1)]
            merge_xml = "".join(f'<mergeCell ref="{ref}"/>' for ref in merges)
            tail.append(f'</sheetData><mergeCells count="{len(merges)}">{merge_xml}</mergeCells></worksheet>')
            sheet.write("".join(tail).encode())
        with book.open("xl/sharedStrings.xml", "w", force_zip64=True) as sst:
            for part in strings.xml():
                sst.write(part.encode())
    partial.replace(path)
    return path


def cached_tracker(folder: Path, n: int, seed: int = sample.SEED, *, trap_after: int | None = None) -> Path:
    """The tracker of ``n`` tasks from ``folder``, written first if it is not there yet."""
    trap = f"-trap{trap_after}" if trap_after is not None else ""
    path = Path(folder) / f"tasks-{n}-{seed}{trap}-v{FORMAT}.xlsx"
    return path if path.is_file() else write_tracker(path, n, seed, trap_after=trap_after)
