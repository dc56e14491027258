"""The evaluation system of the samples: the 测评内容 with their self-assessment and tasks (``data/items.toml``)."""

from __future__ import annotations

from dataclasses import dataclass

from wenming.sample.common import load_table


@dataclass(frozen=True)
class Item:
    """One 测评内容 of the 2012 《全国文明单位测评体系》, its self-assessment and its tasks."""

    category: str
    text: str
    points: int
    method: str
    department: str  # 责任部门 of the item
    leads: tuple[str, ...]  # plausible lead departments of its tasks
    tasks: tuple[str, ...]
    lost: float = 0.0  # points lost in the self-assessment
    reason: str = ""  # 失分原因
    unscored: bool = False  # not yet assessed (blank 自评得分)
    written: float | None = None  # a score written by mistake instead of points - lost

    @property
    def score(self) -> float | None:
        """The self-assessed score as the engine should read it (None: unscored or invalid)."""
        if self.unscored or (self.written is not None and self.written > self.points):
            return None
        return self.points - self.lost if self.written is None else self.written

    @property
    def score_cell(self) -> float | None:
        """What the clerk wrote in 自评得分."""
        if self.unscored:
            return None
        return self.written if self.written is not None else self.points - self.lost


BASE_CLASS = "基本指标"
BONUS_CLASS = "特色指标（加分项）"


def _item(row: dict[str, object]) -> Item:
    return Item(**{key: tuple(value) if isinstance(value, list) else value for key, value in row.items()})


_items = load_table("items")
ITEMS: tuple[Item, ...] = tuple(_item(row) for row in _items["item"])
BONUS_ITEMS: tuple[Item, ...] = tuple(_item(row) for row in _items["bonus"])

CATEGORIES: tuple[str, ...] = tuple(dict.fromkeys(item.category for item in ITEMS))
