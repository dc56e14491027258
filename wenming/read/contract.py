"""The data contract of WORKBOOKS.md: sheet kinds, column roles, header synonyms, value words.

The words themselves are data, in ``words.toml`` beside this module: the one place a newcomer
reads or extends them. This module loads them into the shapes the reader uses. Parsing of
values lives in ``wenming.read.values``; an organisation's own words (taught on the import
page) come from the database as ``Words`` and are added on top.
"""

from __future__ import annotations

import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

WORDS_FILE = Path(__file__).with_name("words.toml")
_WORDS: dict[str, Any] = tomllib.loads(WORDS_FILE.read_text(encoding="utf-8"))

KINDS = ("tasks", "scores", "issues", "activities", "headcount", "surveys")


def normalize_header(value: object) -> str:
    """NFKC, all white space removed, marks of required columns dropped."""
    text = unicodedata.normalize("NFKC", str(value))
    return "".join(text.split()).lstrip("*★☆")


def normalize_word(value: object) -> str:
    """The form in which status words and footer prefixes are compared."""
    return "".join(unicodedata.normalize("NFKC", str(value)).split()).rstrip("。.;；")


@dataclass(frozen=True)
class Kind:
    """One sheet kind: its roles (column names in the store) and which are required."""

    name: str
    roles: dict[str, tuple[str, ...]]  # role -> header synonyms, compared by prefix
    required: tuple[str, ...]
    text_role: str  # the role whose non-empty value makes a row data
    any_of: tuple[str, ...] = ()  # at least one of these must be present too
    fill_down: tuple[str, ...] = ()  # blank means "as above"
    promote: dict[str, str] = field(default_factory=dict)  # role found twice -> the role above it
    default: dict[str, str] = field(default_factory=dict)  # role -> value when its column is missing

    def synonyms(self) -> list[tuple[str, str]]:
        """(normalised synonym, role), longest first, so the most specific prefix wins."""
        pairs = [(normalize_header(s), role) for role, syns in self.roles.items() for s in syns]
        return sorted(pairs, key=lambda p: -len(p[0]))

    def with_headers(self, taught: dict[str, str]) -> Kind:
        """This kind with an organisation's own headers (header -> role) added to its roles."""
        mine = {normalize_header(header): role for header, role in taught.items() if role in self.roles}
        if not mine:
            return self
        # a taught header wins over the same word of another role (进度 taught as progress)
        roles = {
            role: (
                *(s for s in syns if mine.get(normalize_header(s), role) == role),
                *(h for h, r in mine.items() if r == role),
            )
            for role, syns in self.roles.items()
        }
        return Kind(
            self.name, roles, self.required, self.text_role, self.any_of, self.fill_down, self.promote, self.default
        )


def _kind(name: str, spec: dict[str, Any]) -> Kind:
    return Kind(
        name=name,
        roles={role: tuple(words) for role, words in spec["roles"].items()},
        required=tuple(spec["required"]),
        text_role=spec["text_role"],
        any_of=tuple(spec.get("any_of", ())),
        fill_down=tuple(spec.get("fill_down", ())),
        promote=dict(spec.get("promote", {})),
        default=dict(spec.get("default", {})),
    )


SHEET_KINDS: dict[str, Kind] = {name: _kind(name, _WORDS["kinds"][name]) for name in KINDS}
SURVEY_RATES = {role: SHEET_KINDS["surveys"].roles[role] for role in SHEET_KINDS["surveys"].any_of}

# Roles whose values are parsed rather than kept as text.
DATE_ROLES = ("deadline", "done_on", "found_on", "closed_on", "date")
NUMBER_ROLES = ("max", "score", "people", "expected", "respondents", "deduction")
HOURS_ROLES = ("hours_each", "hours_total")
RATE_ROLES = tuple(SURVEY_RATES)
# Roles read together with others (status with decision, progress, recheck; see the reader).
COMBINED_ROLES = ("status", "decision", "progress", "recheck")

_ROWS = _WORDS["rows"]
SUBTOTAL_PREFIXES = tuple(_ROWS["subtotal"])
FOOTER_PREFIXES = (*SUBTOTAL_PREFIXES, *_ROWS["breakdown"], *_ROWS["footer"])
FOOTER_BOUNDED = tuple(_ROWS["footer_bounded"])
SUMMARY_SUFFIXES = (*SUBTOTAL_PREFIXES, *_ROWS["average"])  # 机关小计, 全局平均值: a summary row
REFERENCE_WORDS = tuple(_ROWS["reference"])
DEPARTMENT_SEPARATORS = _ROWS["department_separators"]
LEAD_MARKS = tuple(_ROWS["lead_marks"])
HELPER_MARKS = tuple(_ROWS["helper_marks"])

_TASK = _WORDS["task_status"]
TASK_DONE = tuple(_TASK["done"])
TASK_IN_PROGRESS = tuple(_TASK["in_progress"])
TASK_NOT_STARTED = tuple(_TASK["not_started"])
TASK_NEARLY_DONE = tuple(_TASK["nearly_done"])
TASK_DONE_PREFIXES = tuple(_TASK["done_prefixes"])
TASK_NARRATIVE_PREFIX = _TASK["narrative_prefix"]
TASK_NARRATIVE_NOT = tuple(_TASK["narrative_not"])
TASK_ONGOING = tuple(_TASK["ongoing"])

DECISION_YES = tuple(_WORDS["decision"]["yes"])
DECISION_NO = tuple(_WORDS["decision"]["no"])

ISSUE_CLOSED = tuple(_WORDS["issue_status"]["closed"])
ISSUE_CLOSED_ENDINGS = tuple(_WORDS["issue_status"]["closed_endings"])
RECHECK_FAILED = tuple(_WORDS["issue_status"]["recheck_failed"])

_DATES = _WORDS["dates"]
ONGOING_WORDS = tuple(_DATES["ongoing"])
DEADLINE_SUFFIXES = tuple(_DATES["suffixes"])
YEAR_END_WORDS = tuple(_DATES["year_end"])
AT_ONCE_WORDS = tuple(_DATES["at_once"])
PENDING_WORDS = tuple(_DATES["pending"])
DATE_PLACEHOLDERS = tuple(_DATES["placeholders"])

_NUMBERS = _WORDS["numbers"]
APPROX_BEFORE = tuple(_NUMBERS["approx_before"])
APPROX_AFTER = tuple(_NUMBERS["approx_after"])
ALL_STAFF_WORDS = tuple(_NUMBERS["all_staff"])
DURATION_WORDS: dict[str, float] = {word: float(hours) for word, hours in _NUMBERS["duration_words"].items()}

_SCORES = _WORDS["scores"]
SCORE_FULL = tuple(_SCORES["full"])
SCORE_CAP = tuple(_SCORES["cap"])
SCORE_ZERO = tuple(_SCORES["zero"])
NOT_APPLICABLE = tuple(_SCORES["not_applicable"])
BONUS_MARKERS = tuple(_SCORES["bonus"])
DEDUCTION_MARKERS = tuple(_SCORES["deduction"])
VETO_MARKERS = tuple(_SCORES["veto"])
VETO_NO = tuple(_SCORES["veto_no"])
DEDUCTION_NONE = tuple(_SCORES["deduction_none"])
NONE_PREFIXES = tuple(_SCORES["none_prefixes"])
LEAD_INS = tuple(_SCORES["lead_ins"])

HEADER_SCAN_ROWS = 15

# The meanings a value can be taught (words add VALUE=meaning): the task and issue states, and
# "a date", "a number" (the value is then given as the date or number it stands for).
VALUE_MEANINGS = ("done", "in_progress", "not_started", "ongoing", "closed", "open")


@dataclass(frozen=True)
class Words:
    """An organisation's own words, taught once: header -> role, value -> meaning.

    ``values`` maps a normalised cell text to a meaning of VALUE_MEANINGS, or to an ISO date
    ("2026-06-30") or a number ("35") written as text.
    """

    headers: dict[str, str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)

    def kinds(self) -> dict[str, Kind]:
        return {name: kind.with_headers(self.headers) for name, kind in SHEET_KINDS.items()}


NO_WORDS = Words()
