"""The sample 问卷调查: respondents and rates per department, written the ways a clerk writes a percentage."""

from __future__ import annotations

import random
from dataclasses import dataclass

from wenming.sample.common import DEPARTMENTS, HEADCOUNT, LAG, SEED, Fmt, _weighted

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
