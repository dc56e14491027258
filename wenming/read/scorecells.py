"""Score, max, deduction and veto cells of a self-assessment (WORKBOOKS.md §4, §7): 满分, 扣1分,
不涉及, "不超过5分", a deduction item's "-2", and whether a veto cell says something happened."""

from __future__ import annotations

import re
from typing import NamedTuple

from wenming.read import contract
from wenming.read.values import PLACEHOLDERS, TRAILING_NOTE, clean_text, parse_number, word_set


class ScoreCell(NamedTuple):
    """A score (or max) cell read as WORKBOOKS.md §7 says.

    ``form``: number (``value`` is the points), full (满分: the item's max), minus (扣N分: max − N),
    zero (不得分), not_applicable (不涉及), veto (a max cell saying 一票否决), blank, or other (unread).
    """

    form: str
    value: float | None = None
    text: str = ""

    @property
    def ok(self) -> bool:
        return self.form != "other"


_MINUS = re.compile(r"^(?:扣|减|扣除)(\d+(?:\.\d+)?)分?$")
_PLUS = re.compile(r"^(?:加|\+)(\d+(?:\.\d+)?)分?$")
_SCORE_FULL = word_set(contract.SCORE_FULL)
_SCORE_ZERO = word_set(contract.SCORE_ZERO)
_NOT_APPLICABLE = word_set(contract.NOT_APPLICABLE)
_VETO_NO = word_set(contract.VETO_NO)
_DEDUCTION_NONE = word_set(contract.DEDUCTION_NONE)
_POINTS_IN_TEXT = re.compile(r"[(（](\d+(?:\.\d+)?)分[)）]")


def parse_score(value: object) -> ScoreCell:
    """满分 -> full; 不得分 -> 0; 扣1分 -> minus 1; 加3分 -> 3; "5（满分）" -> 5; "不超过5分" -> 5; 不涉及 -> not_applicable;
    一票否决 (in a max cell) -> veto; numbers as parse_number reads them."""
    if value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
        return ScoreCell("blank") if value is None else ScoreCell("number", float(value))
    word = contract.normalize_word(clean_text(value))
    if word in PLACEHOLDERS[:4] or word == "":
        return ScoreCell("blank")
    if word in _NOT_APPLICABLE:
        return ScoreCell("not_applicable", text=word)
    if word in _SCORE_FULL:
        return ScoreCell("full")
    if word in _SCORE_ZERO:
        return ScoreCell("number", 0.0)
    if any(marker in word for marker in contract.VETO_MARKERS):
        return ScoreCell("veto", text=word)
    if m := _MINUS.match(word):
        return ScoreCell("minus", float(m[1]))
    if m := _PLUS.match(word):
        return ScoreCell("number", float(m[1]))
    stripped = TRAILING_NOTE.sub("", _uncapped(word))
    number = parse_number(stripped)
    if number.value is not None and number.note == "":
        return ScoreCell("number", number.value)
    return ScoreCell("other", text=word)


def _uncapped(word: str) -> str:
    """A score written as a cap without its cap word: "不超过5分" -> "5分"."""
    for cap in contract.SCORE_CAP:
        if word.startswith(cap) and len(word) > len(cap):
            return word[len(cap) :]
    return word


def deduction_points(value: object) -> ScoreCell:
    """A deduction item's cell (减分项): "-2", "扣2分" and 2 -> −2; 0, 无, 无此情形, blank -> 0."""
    cell = parse_score(value)
    if cell.form == "number" and cell.value is not None:
        return ScoreCell("number", -abs(cell.value))
    if cell.form == "minus":
        return ScoreCell("number", -abs(cell.value or 0.0))
    if cell.form in ("blank", "zero"):
        return ScoreCell("number", 0.0)
    word = contract.normalize_word(clean_text(value))
    if word in _DEDUCTION_NONE or cell.form == "not_applicable" or says_none(word):
        return ScoreCell("number", 0.0)
    return ScoreCell("other", text=word)


_ZERO_COUNT = re.compile(r"^0(?:起|次|件|例|项|个|人)?$")
_LEAD_IN = re.compile("^(?:" + "|".join(map(re.escape, contract.LEAD_INS)) + ")[,:]?")


def says_none(word: str) -> bool:
    """Whether a veto or deduction cell says nothing happened: 无（未发生）, 0起, 未发生此类情况,
    经自查，未发生…; never text describing an occurrence."""
    bare = _LEAD_IN.sub("", word)
    return (
        TRAILING_NOTE.sub("", word) in _VETO_NO
        or bool(_ZERO_COUNT.match(word))
        or bare.startswith(contract.NONE_PREFIXES)
    )


def veto_triggered(value: object) -> bool:
    """A veto item's cell: 是, 发生, 有, 否决, or any text describing an occurrence, triggers it;
    无, 未发生, 否, 0, blank and text saying nothing happened (says_none) do not."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value != 0
    word = contract.normalize_word(clean_text(value))
    return word not in _VETO_NO and not says_none(word)


def points_in_text(value: object) -> float | None:
    """Points written in an item's text ("…（4分）"), used when its max cell is blank."""
    found = _POINTS_IN_TEXT.findall(clean_text(value))
    return float(found[-1]) if found else None
