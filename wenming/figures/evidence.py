"""The inspection bundle of 佐证材料: every file and link in force, ordered by 测评项目 and 测评内容,
with readable folder and file names, and every item (those without evidence too) for the index.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import pandas as pd

Query = Callable[..., pd.DataFrame]
MAX_PART = 40  # characters of one folder or file name (Windows paths stay well under 260)
_UNSAFE = re.compile(r"[\\/:*?\"<>|\x00-\x1f\x7f]+")


def safe_part(name: object, fallback: str = "_") -> str:
    """A name usable as one folder or file name on Windows, macOS and Linux, and in a zip."""
    cleaned = _UNSAFE.sub("_", str(name or "")).strip(" .")
    cleaned = re.sub(r"\.{2,}", ".", cleaned)[:MAX_PART].strip(" .")
    return cleaned or fallback


@dataclass(frozen=True)
class Entry:
    """One file or link of the bundle. ``path``: where the file goes in the bundle (None for a link)."""

    number: str  # 1.2.3: 测评项目, 测评内容, piece
    category: str
    item: str
    title: str
    kind: str
    department: str | None
    dated: dt.date | None
    sha256: str | None
    url: str | None
    stored_as: str | None
    path: str | None
    file_name: str | None = None


@dataclass
class Bundle:
    as_of: dt.date
    entries: list[Entry] = field(default_factory=list)
    items: pd.DataFrame = field(default_factory=pd.DataFrame)  # one row per 测评内容: evidence_items

    @property
    def files(self) -> list[Entry]:
        return [e for e in self.entries if e.path is not None]


def _text(value: object) -> str | None:
    return None if value is None or (isinstance(value, float) and value != value) or value is pd.NA else str(value)


def _date(value: object) -> dt.date | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    return pd.Timestamp(value).date()


def build(query: Query, as_of: dt.date, departments: list[str] | None = None) -> Bundle:
    """The bundle on ``as_of``: folders ``01_测评项目/02_测评内容/``, files ``03_标题.pdf``."""
    params = {"as_of": as_of, "snapshot": None, "departments": departments}
    items = query("evidence_items", **params)
    files = query("evidence_files", **params)
    numbers: dict[tuple[str, str], tuple[int, int]] = {}
    categories: dict[str, int] = {}
    counts: dict[str, int] = {}  # items numbered so far per 测评项目

    def number(category: str, item: str) -> tuple[int, int]:
        if (category, item) not in numbers:
            categories.setdefault(category, len(categories) + 1)
            counts[category] = counts.get(category, 0) + 1
            numbers[(category, item)] = (categories[category], counts[category])
        return numbers[(category, item)]

    for row in items.itertuples():
        number(_text(row.category) or "", str(row.item))
    bundle = Bundle(as_of, items=items)
    pieces: dict[tuple[str, str], int] = {}
    for row in files.itertuples():
        key = (_text(row.category) or "", str(row.item))
        c, i = number(*key)  # an item no longer on the scoring sheet in force is numbered last
        pieces[key] = pieces.get(key, 0) + 1
        n = pieces[key]
        path = None
        stored_as = _text(row.stored_as)
        if row.kind != "link" and stored_as:
            suffix = PurePosixPath(stored_as).suffix
            folder = f"{c:02d}_{safe_part(key[0])}/{i:02d}_{safe_part(key[1])}"
            path = f"{folder}/{n:02d}_{safe_part(row.title)}{suffix}"
        bundle.entries.append(
            Entry(
                number=f"{c}.{i}.{n}",
                category=key[0],
                item=key[1],
                title=str(row.title),
                kind=str(row.kind),
                department=_text(row.department),
                dated=_date(row.dated),
                sha256=_text(row.sha256),
                url=_text(row.url),
                stored_as=stored_as,
                path=path,
                file_name=_text(row.file_name),
            )
        )
    return bundle
