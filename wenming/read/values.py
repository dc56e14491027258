"""Parsing of cell values as WORKBOOKS.md §4 defines them: dates, statuses, numbers, departments.

Each parser takes one raw cell value (as python-calamine returns it: str, int,
float, bool, date or datetime) and returns a small result; ``ok=False`` means the
value was not understood and the caller warns, naming the cell.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from typing import NamedTuple

from wenming.read import contract

EXCEL_EPOCH = dt.date(1899, 12, 30)
SERIAL_MIN, SERIAL_MAX = 20000, 80000  # 1954-10-03 .. 2119-01-11
YEAR_MIN, YEAR_MAX = 1990, 2100

CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


class DateValue(NamedTuple):
    date: dt.date | None
    ongoing: bool = False
    ok: bool = True
    at_once: bool = False  # 立行立改: due at once (an issue's found_on, a task's reference date)
    pending: bool = False  # 待定, 按上级要求: no due date, with a warning
    within: int | None = None  # 15日内: due that many days after the problem was found


class TaskStatus(NamedTuple):
    state: str  # done | in_progress | not_started | other
    progress: float | None
    ok: bool = True
    note: str = ""  # nearly_done (基本完成): in progress, with a warning


class Number(NamedTuple):
    value: float | None
    ok: bool = True
    note: str = ""  # approximate (近70人) | all_staff (全体干部职工) | range_middle (2-3小时)


BLANK_DATE = DateValue(None)
UNKNOWN_DATE = DateValue(None, ok=False)


def clean_text(value: object) -> str:
    """A cell as text: NFKC, trimmed; empty for blank cells."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def compact(value: object) -> str:
    """NFKC with every white space removed ("办 公 室 " -> "办公室")."""
    return "".join(clean_text(value).split())


def is_blank(value: object) -> bool:
    return clean_text(value) == ""


# ---------------------------------------------------------------- departments


_DEPARTMENT_SPLIT = re.compile(f"[{re.escape(contract.DEPARTMENT_SEPARATORS)}]")
_MARKS = "|".join(map(re.escape, (*contract.LEAD_MARKS, *contract.HELPER_MARKS)))
# "(牵头)研究室", "牵头:安监处", "研究室(牵头)", "宣传科牵头" (after NFKC): the mark and the name
_MARKED = re.compile(rf"^(?:\(({_MARKS})\)|({_MARKS}):)?(.*?)(?:\(({_MARKS})\)|({_MARKS}))?$")


def _marked(name: str) -> tuple[str, str]:
    """A department name without its 牵头/配合 mark, and the mark ("" when unmarked)."""
    m = _MARKED.match(name)
    if m is None or not m[3]:
        return name, ""
    return m[3], m[1] or m[2] or m[4] or m[5] or ""


def department(value: object, aliases: dict[str, str] | None = None) -> str | None:
    """The lead department named in a cell, white space removed: the one marked 牵头, else the
    first not marked 配合, else the first.

    Names are separated by 、 , ; / | or a line break; spaces inside a name are dropped
    ("办 公 室" is 办公室); a mark is not part of the name ("研究室（牵头）" is 研究室).
    """
    names = [_marked(compact(name)) for name in _DEPARTMENT_SPLIT.split(clean_text(value))]
    names = [(name, mark) for name, mark in names if name]
    if not names:
        return None
    lead = next(
        (name for name, mark in names if mark in contract.LEAD_MARKS),
        next((name for name, mark in names if mark not in contract.HELPER_MARKS), names[0][0]),
    )
    return (aliases or {}).get(lead, lead)


# ---------------------------------------------------------------- dates

_FULL = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:日|号)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})(?:日|号)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
_YEAR_MONTH = re.compile(r"^(\d{4})(?:年|[-/.])(\d{1,2})(?:月(?:份)?)?(?:底|末|份)?$")
_MONTH_DAY = re.compile(r"^(\d{1,2})月(\d{1,2})(?:日|号)$")
_MONTH_DOT_DAY = re.compile(r"^(\d{1,2})\.(\d{1,2})$")  # "6.30" typed as text: 30 June
_MONTH = re.compile(r"^(\d{1,2})月(?:份)?(?:底|末)?$")
_YEAR_END = re.compile(r"^(?:(\d{4})年(?:年)?(?:底|末|度|全年)|年底|年末)$")
_QUARTER = re.compile(r"^(?:(\d{4})年)?(?:第)?([一二三四1-4])季度(?:末|底)?$")
_HALF = re.compile(r"^(?:(\d{4})年)?(上|下)半年(?:末|底)?$")
_RANGE = re.compile(r"[至~〜—–－]|--")
_TIME_OF_DAY = re.compile(r"(?:\s+|(?<=[日号]))\d{1,2}:\d{2}(?::\d{2})?$")  # "2026-03-15 14:30", "3月15日14:30"
_WITHIN = re.compile(r"^(?:限期?)?(\d{1,3})(?:日|天|个自然日)(?:内|以内)(?:整改到位|整改完成|整改|办结)?$")
_DAY_ONLY = re.compile(r"^\d{1,2}(?:日|号)$")
_UP_TO_MONTH = re.compile(r"^(?:\d{4}年)?\d{1,2}月")
_SERIAL_TEXT = re.compile(r"^\d{5}(?:\.\d+)?$")  # a serial typed into a text cell
_TEN_DAYS = re.compile(r"^(?:(\d{4})年)?(\d{1,2})月(上|中|下)旬$")
PLACEHOLDERS = contract.DATE_PLACEHOLDERS


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _valid(year: int, month: int, day: int) -> dt.date | None:
    if not (YEAR_MIN <= year <= YEAR_MAX):
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _strip_suffix(text: str) -> str:
    """Trailing words dropped, each at most once, the longest first: "9月底前完成" is 9月底."""
    for suffix in contract.DEADLINE_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
    return text


def _text_date(text: str, ref_year: int) -> dt.date | None:
    """A date written as text, or None when no form of the contract matches."""
    text = _strip_suffix(text)
    for pattern in _FULL:
        if m := pattern.match(text):
            return _valid(int(m[1]), int(m[2]), int(m[3]))
    if m := _YEAR_MONTH.match(text):
        year, month = int(m[1]), int(m[2])
        return _month_end(year, month) if 1 <= month <= 12 and YEAR_MIN <= year <= YEAR_MAX else None
    if m := _MONTH_DAY.match(text) or _MONTH_DOT_DAY.match(text):
        return _valid(ref_year, int(m[1]), int(m[2]))
    if m := _MONTH.match(text):
        month = int(m[1])
        return _month_end(ref_year, month) if 1 <= month <= 12 else None
    if m := _YEAR_END.match(text):
        return _valid(int(m[1] or ref_year), 12, 31)
    if m := _QUARTER.match(text):
        return _month_end(int(m[1] or ref_year), CN_DIGITS[m[2]] * 3)
    if m := _HALF.match(text):
        return _month_end(int(m[1] or ref_year), 6 if m[2] == "上" else 12)
    if m := _TEN_DAYS.match(text):
        year, month = int(m[1] or ref_year), int(m[2])
        if not 1 <= month <= 12:
            return None
        return (
            _valid(year, month, 10)
            if m[3] == "上"
            else _valid(year, month, 20)
            if m[3] == "中"
            else _month_end(year, month)
        )
    if text in contract.YEAR_END_WORDS:
        return _valid(ref_year, 12, 31)
    return None


def _number_date(number: float, ref_year: int) -> DateValue:
    """An Excel serial (20000..80000), or digits such as 20250630."""
    if SERIAL_MIN <= number <= SERIAL_MAX:
        return DateValue(EXCEL_EPOCH + dt.timedelta(days=int(number)))
    if float(number).is_integer():
        found = _text_date(str(int(number)), ref_year)
        return DateValue(found) if found else UNKNOWN_DATE
    return UNKNOWN_DATE


def parse_date(value: object, ref_year: int, *, deadline: bool = False) -> DateValue:
    """A date cell in any form of WORKBOOKS.md §4; ``deadline`` also accepts "ongoing" words."""
    if isinstance(value, dt.datetime):
        return DateValue(value.date())
    if isinstance(value, dt.date):
        return DateValue(value)
    if isinstance(value, bool):
        return UNKNOWN_DATE
    if isinstance(value, (int, float)):
        return _number_date(value, ref_year)
    text = compact(_TIME_OF_DAY.sub("", clean_text(value)))
    if text in PLACEHOLDERS or not text:
        return BLANK_DATE
    if _SERIAL_TEXT.match(text):
        return _number_date(float(text), ref_year)
    if deadline and text.startswith(contract.ONGOING_WORDS):
        return DateValue(None, ongoing=True)
    if deadline and text in contract.AT_ONCE_WORDS:
        return DateValue(None, at_once=True)
    if deadline and text.startswith(contract.PENDING_WORDS):
        return DateValue(None, pending=True)
    if deadline and (m := _WITHIN.match(_strip_suffix(text))):
        return DateValue(None, within=int(m[1]))
    found = _text_date(text, ref_year) or _range_end(text, ref_year)
    if found is None and (bare := TRAILING_NOTE.sub("", text)) != text and bare:
        return parse_date(bare, ref_year, deadline=deadline)  # "2026年6月30日前（每月报送）": the date
    return DateValue(found) if found else UNKNOWN_DATE


def _range_end(text: str, ref_year: int) -> dt.date | None:
    """The end of a range: "3月—6月", "2025.3.1至2025.6.30", "2025.3-2025.6"; a day alone at the
    end takes the start's month ("3月15日—16日", "2026年3月15-16日" end on 16 March)."""
    if _RANGE.search(text):
        parts = _RANGE.split(text)
        start, end, checked = parts[0], parts[-1], False
    elif text.count("-") == 1:
        (start, end), checked = text.split("-"), True
    else:
        return None
    if _DAY_ONLY.match(end) and (month := _UP_TO_MONTH.match(start)):
        return _text_date(month[0] + end, ref_year)
    if checked and not _text_date(start, ref_year):
        return None
    return _text_date(end, ref_year)


# ---------------------------------------------------------------- statuses

TRAILING_NOTE = re.compile(r"[(（][^)）]*[)）]$")  # "是（10月20日销号）": the note after an answer
_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)%$")
_PERCENT_INSIDE = re.compile(r"(?<![-\d.])(\d+(?:\.\d+)?)%")


def word_set(words: tuple[str, ...]) -> set[str]:
    return {contract.normalize_word(w) for w in words}


_TASK_WORDS = {
    **{contract.normalize_word(w): "done" for w in contract.TASK_DONE},
    **{contract.normalize_word(w): "in_progress" for w in contract.TASK_IN_PROGRESS},
    **{contract.normalize_word(w): "not_started" for w in contract.TASK_NOT_STARTED},
}
_NEARLY_DONE = word_set(contract.TASK_NEARLY_DONE)
_TASK_ONGOING = word_set(contract.TASK_ONGOING)
_ISSUE_CLOSED = word_set(contract.ISSUE_CLOSED)
_DECISION_YES = word_set(contract.DECISION_YES)
_DECISION_NO = word_set(contract.DECISION_NO)


def _from_fraction(fraction: float) -> TaskStatus:
    if fraction >= 1:
        return TaskStatus("done", 1.0)
    if fraction <= 0:
        return TaskStatus("not_started", 0.0)
    return TaskStatus("in_progress", fraction)


def _task_words(word: str, ongoing: bool) -> TaskStatus:
    """A status written in words (WORKBOOKS.md §4, §7): exact words, percentages anywhere,
    "已完成…" and other narratives beginning with 已; ``other`` when none applies."""
    if word in _TASK_WORDS:
        state = _TASK_WORDS[word]
        return TaskStatus(state, {"done": 1.0, "not_started": 0.0}.get(state))
    if word in _NEARLY_DONE:
        return TaskStatus("in_progress", None, note="nearly_done")
    if ongoing and word in _TASK_ONGOING:
        return TaskStatus("in_progress", None)
    if m := _PERCENT.match(word):
        percent = float(m[1])
        return _from_fraction(percent / 100) if percent <= 100 else TaskStatus("other", None, ok=False)
    if m := _PERCENT_INSIDE.search(word):
        # "已完成80%", "注册率92%": in progress at that percentage; 100% anywhere is done.
        percent = float(m[1])
        if percent < 100:
            return _from_fraction(percent / 100)
        if percent == 100:
            return TaskStatus("done", 1.0)
    narrative = not any(w in word for w in contract.TASK_NARRATIVE_NOT)
    if narrative and word.startswith((*contract.TASK_DONE_PREFIXES, contract.TASK_NARRATIVE_PREFIX)):
        return TaskStatus("done", 1.0)
    return TaskStatus("other", None, ok=False)


def task_status(value: object, done_on_filled: bool = False, ongoing: bool = False) -> TaskStatus:
    """The state of a task from its status cell; a filled done_on with a blank status counts as
    done; for an ongoing task (deadline 长期坚持) 长期坚持/常态化开展 mean in progress."""
    if isinstance(value, bool):
        return TaskStatus("done", 1.0) if value else TaskStatus("not_started", 0.0)
    if isinstance(value, (int, float)):
        # A percent-formatted cell arrives as a fraction (0.5); a bare 50 means 50%.
        if 0 <= value <= 1:
            return _from_fraction(float(value))
        if 1 < value <= 100:
            return _from_fraction(value / 100)
        return TaskStatus("other", None, ok=False)
    word = contract.normalize_word(clean_text(value))
    if word == "" and done_on_filled:
        return TaskStatus("done", 1.0)
    return _task_words(word, ongoing)


def decision(value: object) -> bool | None:
    """A yes/no "finished" column (是否办结, 是否销号): True, False, or None (blank or unknown); a
    note after the answer is not part of it ("是（10月20日销号）")."""
    if isinstance(value, bool):
        return value
    word = contract.normalize_word(clean_text(value))
    word = TRAILING_NOTE.sub("", word) or word
    if word in _DECISION_YES:
        return True
    if word in _DECISION_NO:
        return False
    return None


def combine_task(status: TaskStatus, decided: bool | None, progress: float | None) -> TaskStatus:
    """A task's state from its status, decision (是否办结) and progress (完成进度) columns.

    The decision decides over the words: 是 is done; 否 is not done, so a status saying done
    counts in progress. Without a decision, a status the words do not read, a blank one or one
    saying not started gives way to the progress column (100% is done).
    """
    if decided is True:
        return TaskStatus("done", 1.0)
    if decided is False:
        if status.state == "done":
            return TaskStatus("in_progress", progress if progress is not None and progress < 1 else None)
        if status.state == "other" and progress is not None:
            return _from_fraction(min(progress, 0.99)) if progress > 0 else TaskStatus("not_started", 0.0)
        return status
    if progress is not None and status.state in ("other", "not_started"):
        return _from_fraction(progress)
    if progress is not None and status.state == "in_progress" and status.progress is None:
        return TaskStatus("in_progress", progress, note=status.note)
    return status


def progress(value: object) -> Number:
    """A progress cell (完成进度): a fraction 0..1; "80%", 0.8 and 80 all give 0.8."""
    parsed = parse_rate(value)
    return parsed


def issue_closed(value: object, closed_on_filled: bool = False) -> bool:
    """Whether a ledger problem is struck off (销号): a closed word, or text beginning with one
    ("已完成整改") or with 已 and ending as done ("已于10月20日清理完毕"), holding no 未, 正在, …"""
    word = contract.normalize_word(clean_text(value))
    if word == "":
        return closed_on_filled
    if word in _ISSUE_CLOSED:
        return True
    if any(w in word for w in contract.TASK_NARRATIVE_NOT):
        return False
    narrative = word.startswith(contract.TASK_NARRATIVE_PREFIX) and word.endswith(contract.ISSUE_CLOSED_ENDINGS)
    return narrative or word.startswith(tuple(_ISSUE_CLOSED))


def recheck_failed(value: object) -> bool:
    """A recheck (复查情况) saying the problem came back or did not pass ("复查未通过", "问题反弹")."""
    word = contract.normalize_word(clean_text(value))
    return any(w in word for w in contract.RECHECK_FAILED)


# ---------------------------------------------------------------- numbers

_NUMBER = re.compile(r"^([-+]?\d+(?:\.\d+)?)(%|人次|人|名|位|小时|个小时|h|H|分|次|个|份|场|期)?$")
_TEN_THOUSANDS = re.compile(r"^(\d+(?:\.\d+)?)万(人次|人|名|位|次|个|份)?$")  # 1.2万人次
_TOTAL_WORDS = ("合计", "总计", "共计", "共", "计")  # 共35人: the count after them
_CN_NUMBER = re.compile(r"^([零〇一二两三四五六七八九十百千万]+)(人次|人|名|位|次|个|份|场|期)?$")
_CN_VALUES = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_BREAKDOWN_NOTE = re.compile(r"\((?:其中|含)[^)]*\)$")  # a breakdown after the count, after NFKC
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_UNIT_WORDS = ("人次", "人", "名", "位", "次", "个", "份", "场", "期")
_FRACTION = re.compile(r"^(\d+(?:\.\d+)?)/(\d+(?:\.\d+)?)$")
_HOURS = re.compile(r"^(\d+(?:\.\d+)?)(?:-|~|至|到)?(\d+(?:\.\d+)?)?(小时|个小时|h|H|分钟|min|天|日)(?:/人|每人)?$")
_PER_UNIT = {"分钟": 1 / 60, "min": 1 / 60}  # hours per unit, other than hours and days


def chinese_number(text: str) -> float | None:
    """二十 -> 20, 十五 -> 15, 一百二十 -> 120, 百 -> 100; None when not a Chinese numeral."""
    if not text or any(ch not in _CN_VALUES and ch not in _CN_UNITS for ch in text):
        return None
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _CN_VALUES:
            digit = _CN_VALUES[ch]
            continue
        unit = _CN_UNITS[ch]
        if unit == 10000:
            total += (section + (digit or 0)) * unit
            section, digit = 0, None
        else:
            section += (1 if digit is None else digit) * unit
            digit = None
    return float(total + section + (digit or 0))


def _approximate(text: str) -> str | None:
    """The count of an approximate word (近70人, 30余人, 300多名, 百余人), or None."""
    for before in contract.APPROX_BEFORE:
        if text.startswith(before) and len(text) > len(before):
            return text[len(before) :]
    for after in contract.APPROX_AFTER:
        head, found, tail = text.partition(after)
        if found and head and (tail == "" or tail in _UNIT_WORDS):
            return head
    return None


def parse_number(value: object) -> Number:
    """ "35人", "35 人次", "2.5小时", "85%", 二十人 -> 35, 35, 2.5, 0.85, 20; 近70人 and 30余人 are
    70 and 30, marked approximate; 全体干部职工 is marked all_staff (the reader puts in the total
    headcount); blank -> None."""
    if isinstance(value, bool):
        return Number(None, ok=False)
    if isinstance(value, (int, float)):
        return Number(float(value))
    text = compact(value).replace(",", "")
    if text in PLACEHOLDERS or not text:
        return Number(None)
    if m := _NUMBER.match(text):
        number = float(m[1])
        return Number(float(m[1] + "e-2") if m[2] == "%" else number)  # "91.8%": 0.918, as Excel reads it
    if m := _TEN_THOUSANDS.match(text):
        return Number(float(m[1] + "e4"))  # 1.1万 is 11000, not 11000.000000000002
    if text.startswith(_TOTAL_WORDS) and (rest := text.lstrip("".join(_TOTAL_WORDS))) and rest[0].isdigit():
        return parse_number(rest)
    if m := _CN_NUMBER.match(text):
        found = chinese_number(m[1])
        if found is not None:
            return Number(found)
    if text.startswith(contract.ALL_STAFF_WORDS):
        return Number(None, note="all_staff")
    if (inner := _approximate(text)) is not None:
        found = parse_number(inner)
        if found.value is not None and found.note == "":
            return Number(found.value, note="approximate")
        if (cn := chinese_number(inner)) is not None:
            return Number(cn, note="approximate")
    if (whole := _BREAKDOWN_NOTE.sub("", text)) != text and whole:
        return parse_number(whole)  # "120人（其中志愿者30人）": the whole is 120
    return Number(None, ok=False)


def parse_hours(value: object) -> Number:
    """A duration in hours: 半天 -> 4, 一天 -> 8, "2小时/人" -> 2, 3h -> 3, 90分钟 -> 1.5, "2天" -> 16
    (a day is 一天's hours), and "2-3小时" -> 2.5, the middle, marked range_middle."""
    if isinstance(value, (str,)):
        text = compact(value).replace(",", "")
        if text in contract.DURATION_WORDS:
            return Number(contract.DURATION_WORDS[text])
        if m := _HOURS.match(text):
            low = float(m[1])
            high = float(m[2]) if m[2] else low
            day = contract.DURATION_WORDS["一天"]
            hours = (low + high) / 2 * (day if m[3] in ("天", "日") else _PER_UNIT.get(m[3], 1))
            return Number(hours, note="range_middle" if m[2] else "")
    return parse_number(value)


def parse_rate(value: object) -> Number:
    """A survey rate as a fraction: "92.5%", 0.925 and 92.5 all give 0.925; "35/35" gives 1."""
    if isinstance(value, str) and (m := _FRACTION.match(compact(value))):
        part, whole = float(m[1]), float(m[2])
        return Number(part / whole) if whole > 0 and 0 <= part <= whole else Number(None, ok=False)
    number = parse_number(value)
    if number.value is None or number.note:
        return Number(None, ok=number.ok and not number.note)
    percent = isinstance(value, str) and compact(value).endswith("%")  # already divided by 100
    rate = float(f"{number.value!r}e-2") if number.value > 1 and not percent else number.value  # 91.8 -> 0.918
    return Number(rate) if 0 <= rate <= 1 else Number(None, ok=False)


# ---------------------------------------------------------------- reference date

_REFERENCE = re.compile(
    "(?:"
    + "|".join(map(re.escape, contract.REFERENCE_WORDS))
    + ")"
    + r"(?:时间|日期)?[:：]?(\d{4}(?:年\d{1,2}月(?:\d{1,2}日|底|末)?|[-/.]\d{1,2}[-/.]\d{1,2}))"
    # a period (统计时间：2026年1月1日至10月31日) reports up to its end
    + r"(?:(?:至|到|~|—|–|-)((?:\d{4}年)?\d{1,2}月(?:\d{1,2}日|底|末)?|\d{1,2}日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}))?"
)


def reference_date(texts: list[str]) -> dt.date | None:
    """The "截至…年…月…日" date written in a sheet's title rows, if any; of a period, its end."""
    for text in texts:
        if m := _REFERENCE.search(compact(text)):
            found = _text_date(m[1], dt.date.today().year)
            if found and m[2]:
                found = _range_end(f"{m[1]}至{m[2]}", found.year)
            if found:
                return found
    return None
