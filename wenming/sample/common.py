"""What every part of the samples shares: the fixed dates and seed, the fictional 集团 (``data/org.toml``),
the reader of the data files and small helpers."""

from __future__ import annotations

import calendar
import datetime as dt
import random
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = ROOT / "data" / "sample"
TEMPLATE_DIR = ROOT / "data" / "templates"

TABLES = Path(__file__).resolve().parent / "data"  # the tables of names, items and tasks


def load_table(name: str) -> dict[str, Any]:
    """One data file of the package, ``data/<name>.toml``."""
    with (TABLES / f"{name}.toml").open("rb") as file:
        return tomllib.load(file)


_org = load_table("org")
ORG: str = _org["name"]
YEAR = 2026
AS_OF = dt.date(2026, 11, 20)
AS_OF_LINE = "（截至2026年11月20日）"
SEED = 20261120
ZIP_TIME = (2026, 11, 20, 9, 0, 0)
CORE_TIME = "2026-11-20T09:00:00Z"

MINES: tuple[str, ...] = tuple(_org["mines"])
UNITS: tuple[str, ...] = tuple(_org["units"])
DEPARTMENTS: tuple[str, ...] = (*_org["offices"], *UNITS)
HEADCOUNT: dict[str, int] = _org["headcount"]
# How far behind each department runs: higher means more late and unfinished work.
LAG: dict[str, float] = _org["lag"]
OWNERS: dict[str, tuple[str, ...]] = {department: tuple(names) for department, names in _org["owners"].items()}
P, G = "党委宣传部", "工会"  # the two departments that lead most items


class Fmt(NamedTuple):
    """A cell value with the number format it is written with (percentages, dates)."""

    value: object
    number_format: str


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _weighted(rng: random.Random, options: Sequence[tuple[object, float]]) -> object:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]
