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


class TaskStatus(NamedTuple):
    state: str  # done | in_progress | not_started | other
    progress: float | None
    ok: bool = True


class Number(NamedTuple):
    value: float | None
    ok: bool = True


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


def department(value: object, aliases: dict[str, str] | None = None) -> str | None:
    """The lead department named in a cell: the first of several, white space removed.

    Names are separated by 、 , ; / | or a line break; spaces inside a name are dropped
    ("办 公 室" is 办公室).
    """
    names = (compact(name) for name in _DEPARTMENT_SPLIT.split(clean_text(value)))
    lead = next((name for name in names if name), None)
    if lead is None:
        return None
    return (aliases or {}).get(lead, lead)


# ---------------------------------------------------------------- dates

_FULL = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:日|号)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})(?:日|号)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
_YEAR_MONTH = re.compile(r"^(\d{4})(?:年|[-/.])(\d{1,2})(?:月(?:份)?)?(?:底|末|份)?$")
_MONTH_DAY = re.compile(r"^(\d{1,2})月(\d{1,2})(?:日|号)$")
_MONTH = re.compile(r"^(\d{1,2})月(?:份)?(?:底|末)?$")
_YEAR_END = re.compile(r"^(?:(\d{4})年(?:年)?(?:底|末)|年底|年末)$")
_QUARTER = re.compile(r"^(?:(\d{4})年)?(?:第)?([一二三四1-4])季度(?:末|底)?$")
_HALF = re.compile(r"^(?:(\d{4})年)?(上|下)半年(?:末|底)?$")
_RANGE = re.compile(r"[至~〜—–－]|--")
_TIME_OF_DAY = re.compile(r"\s+\d{1,2}:\d{2}(?::\d{2})?$")
_SERIAL_TEXT = re.compile(r"^\d{5}(?:\.\d+)?$")  # a serial typed into a text cell
PLACEHOLDERS = ("/", "-", "—", "--", "无", "N/A", "n/a")


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
    for suffix in contract.DEADLINE_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)]
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
    if m := _MONTH_DAY.match(text):
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
    found = _text_date(text, ref_year)
    if found is None and _RANGE.search(text):
        # "3月—6月", "2025.3.1至2025.6.30": the deadline is the end of the range.
        found = _text_date(_RANGE.split(text)[-1], ref_year)
    if found is None and text.count("-") == 1:
        start, end = text.split("-")
        if _text_date(start, ref_year):
            found = _text_date(end, ref_year)
    return DateValue(found) if found else UNKNOWN_DATE


# ---------------------------------------------------------------- statuses

_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)%$")
_TASK_WORDS = {
    **{contract.normalize_word(w): "done" for w in contract.TASK_DONE},
    **{contract.normalize_word(w): "in_progress" for w in contract.TASK_IN_PROGRESS},
    **{contract.normalize_word(w): "not_started" for w in contract.TASK_NOT_STARTED},
}
_ISSUE_CLOSED = {contract.normalize_word(w) for w in contract.ISSUE_CLOSED}


def _from_fraction(fraction: float) -> TaskStatus:
    if fraction >= 1:
        return TaskStatus("done", 1.0)
    if fraction <= 0:
        return TaskStatus("not_started", 0.0)
    return TaskStatus("in_progress", fraction)


def task_status(value: object, done_on_filled: bool = False) -> TaskStatus:
    """The state of a task; a filled done_on with a blank status counts as done."""
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
    if word in _TASK_WORDS:
        state = _TASK_WORDS[word]
        return TaskStatus(state, {"done": 1.0, "not_started": 0.0}.get(state))
    if m := _PERCENT.match(word):
        percent = float(m[1])
        return _from_fraction(percent / 100) if percent <= 100 else TaskStatus("other", None, ok=False)
    return TaskStatus("other", None, ok=False)


def issue_closed(value: object, closed_on_filled: bool = False) -> bool:
    """Whether a ledger problem is struck off (销号)."""
    word = contract.normalize_word(clean_text(value))
    if word == "":
        return closed_on_filled
    return word in _ISSUE_CLOSED


# ---------------------------------------------------------------- numbers

_NUMBER = re.compile(r"^([-+]?\d+(?:\.\d+)?)(%|人次|人|名|小时|个小时|h|H|分|次|个|份)?$")


def parse_number(value: object) -> Number:
    """ "35人", "35 人次", "2.5小时", "85%" -> 35, 35, 2.5, 0.85; blank -> None."""
    if isinstance(value, bool):
        return Number(None, ok=False)
    if isinstance(value, (int, float)):
        return Number(float(value))
    text = compact(value).replace(",", "")
    if text in PLACEHOLDERS or not text:
        return Number(None)
    if m := _NUMBER.match(text):
        number = float(m[1])
        return Number(number / 100 if m[2] == "%" else number)
    return Number(None, ok=False)


def parse_rate(value: object) -> Number:
    """A survey rate as a fraction: "92.5%", 0.925 and 92.5 all give 0.925."""
    number = parse_number(value)
    if number.value is None:
        return number
    percent = isinstance(value, str) and compact(value).endswith("%")  # already divided by 100
    rate = number.value / 100 if number.value > 1 and not percent else number.value
    return Number(rate) if 0 <= rate <= 1 else Number(None, ok=False)


# ---------------------------------------------------------------- reference date

_REFERENCE = re.compile(
    r"(?:截至|截止|截止到|截至到)[:：]?(\d{4}(?:年\d{1,2}月(?:\d{1,2}日|底|末)?|[-/.]\d{1,2}[-/.]\d{1,2}))"
)


def reference_date(texts: list[str]) -> dt.date | None:
    """The "截至…年…月…日" date written in a sheet's title rows, if any."""
    for text in texts:
        if m := _REFERENCE.search(compact(text)):
            found = _text_date(m[1], dt.date.today().year)
            if found:
                return found
    return None
