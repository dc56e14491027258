"""The rows of the sample 活动登记表: the year's activities (``data/activities.toml``) and their turnout."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from wenming.sample.common import AS_OF, HEADCOUNT, SEED, YEAR, P, _weighted, load_table

VOLUNTEER, LEI_FENG, MORAL, FESTIVAL, SPORTS, THEORY = (
    "志愿服务",
    "学雷锋活动",
    "道德讲堂",
    "我们的节日",
    "文体活动",
    "理论学习",
)
SERVICE_TYPES = (VOLUNTEER, LEI_FENG)  # the types with 人均服务时长

_activities = load_table("activities")
ACTIVITY_NAMES: dict[str, tuple[str, ...]] = {kind: tuple(names) for kind, names in _activities["names"].items()}
# (day of the festival, names of its activities); events are held in the days before it.
FESTIVALS: tuple[tuple[dt.date, tuple[str, ...]], ...] = tuple(
    (festival["day"], tuple(festival["names"])) for festival in _activities["festivals"]
)
SPECIAL_EVENTS: tuple[tuple[dt.date, str, str, str], ...] = tuple(
    (event["on"], event["name"], event["type"], event["department"]) for event in _activities["special_events"]
)
# Who organises each type (weights), and the turnout range at a mine.
ORGANISERS: dict[str, tuple[tuple[str, float], ...]] = {
    kind: tuple(weights.items()) for kind, weights in _activities["organisers"].items()
}
MINE_TURNOUT: dict[str, tuple[int, int]] = {kind: tuple(span) for kind, span in _activities["turnout"].items()}
# How many activities of each type are spread over the year (besides festivals and special events).
YEARLY: dict[str, int] = _activities["yearly"]
LEI_FENG_MONTH: int = _activities["lei_feng_month"]  # extra 学雷锋 activities in March


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
