"""Changes that read right (issue 12): one rule for sign, arrow and colour, in every output; the boards' rules."""

from __future__ import annotations

import copy
import io
import re

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.test_review import TODAY, history  # noqa: F401 - the fixture is used by name
from wenming.figures import changes, review
from wenming.figures.review import Period, Review
from wenming.render import export, report, safe, slides
from wenming.store import Store

GOOD, BAD = changes.COLOURS["good"], changes.COLOURS["bad"]


@pytest.mark.parametrize(("key", "good"), sorted(changes.UP_IS_GOOD.items()))
def test_each_figure_rises_and_falls_by_its_meaning(key: str, good: bool | None) -> None:
    rate = key in {"completion_rate", "attainment", "closing_rate"}
    step = 0.055 if rate else 3
    up, down, flat = (changes.change(key, d, rate) for d in (step, -step, step / 1000))
    assert (up.arrow, down.arrow, flat.arrow) == ("↑", "↓", "")
    expected = {True: ("good", "bad"), False: ("bad", "good"), None: ("neutral", "neutral")}[good]
    assert (up.tone, down.tone, flat.tone) == (*expected, "flat")
    assert flat.shown() == "持平" and changes.change(key, None, rate).shown() == "—"
    assert up.shown() == ("↑ +5.5 个百分点" if rate else "↑ +3")
    assert down.shown() == ("↓ -5.5 个百分点" if rate else "↓ -3")


def test_every_headline_figure_has_a_meaning() -> None:
    from wenming.figures import headline

    assert set(headline.FIGURES) | set(review.FIGURES) <= set(changes.UP_IS_GOOD)


# A review whose month changes are: completion up (good), closing rate down (bad), overdue up (bad),
# open problems down (good), person-times unchanged.
CHANGED = {
    "completion_rate": (0.75, 0.70, True),
    "closing_rate": (0.70, 0.755, True),
    "overdue": (12, 10, False),
    "issues_open": (8, 10, False),
    "person_times": (1229, 1229, False),
}
EXPECTED = {
    "completion_rate": ("↑", "good"),
    "closing_rate": ("↓", "bad"),
    "overdue": ("↑", "bad"),
    "issues_open": ("↓", "good"),
    "person_times": ("", "flat"),
}


@pytest.fixture
def changed(history: Store) -> Review:  # noqa: F811
    built = copy.copy(review.build(history.query, Period.parse("2025-10"), TODAY))
    rows = [
        {
            "key": key,
            "rate": rate,
            "now": now,
            "month_before": before,
            "quarter_before": before,
            "delta_month": now - before,
            "delta_quarter": now - before,
        }
        for key, (now, before, rate) in CHANGED.items()
    ]
    steady = [  # the other figures of the review, unchanged
        {"key": key, "rate": rate, "now": 1.0, "month_before": 1.0, "quarter_before": 1.0}
        for key, (_, _, rate) in review.FIGURES.items()
        if key not in CHANGED
    ]
    built.headline = pd.DataFrame(rows + steady).fillna({"delta_month": 0.0, "delta_quarter": 0.0})
    return built


def test_the_slides_cards(changed: Review) -> None:
    cards = {card.label: card for card in slides.cards(changed)}
    for key, (arrow, tone) in EXPECTED.items():
        card = cards[review.t(f"review.figure.{key}")]
        assert (card.month.arrow, card.tone) == (arrow, tone), key
    label = {key: review.t(f"review.figure.{key}") for key in CHANGED}
    assert cards[label["completion_rate"]].delta == "较上月 ↑ +5.0 个百分点；较三个月前 ↑ +5.0 个百分点"
    assert cards[label["closing_rate"]].delta.startswith("较上月 ↓ -5.5 个百分点")
    assert cards[label["person_times"]].delta == "较上月 持平；较三个月前 持平"


def test_the_html_report_and_the_presentation(changed: Review) -> None:
    page = report.headline_html(changed)  # the presentation mode draws the same cards
    found = re.findall(r'<span class="change (\w+)" style="color: (#\w+)">([^<]*)</span>', page)
    spans = {text: (tone, colour) for tone, colour, text in found}
    assert spans["↓ -5.5 个百分点"] == ("bad", BAD)  # a falling 销号率 is red, never green
    assert spans["↑ +5.0 个百分点"] == ("good", GOOD)
    assert spans["↑ +2"] == ("bad", BAD)  # more overdue tasks
    assert spans["↓ -2"] == ("good", GOOD)  # fewer open problems
    assert spans["持平"] == ("flat", changes.COLOURS["flat"])
    assert safe.html(review.t("review.board_rule")) in report.render(changed)  # the boards' rule, stated


def test_the_review_pages_metrics(changed: Review) -> None:
    def script() -> None:
        import streamlit as st

        from wenming.figures import changes
        from wenming.web.page import metric

        for key, delta, rate in st.session_state["cases"]:
            change = changes.change(key, delta, rate)
            metric(st, key, "x", change, change.amount())

    cases = [(key, now - before, rate) for key, (now, before, rate) in CHANGED.items()]
    test = AppTest.from_function(script, default_timeout=30)
    test.session_state["cases"] = cases
    test.run()
    assert not test.exception
    shown = {m.label: m.proto for m in test.metric}
    direction = {"↑": "UP", "↓": "DOWN", "": "NONE"}
    colour = {"good": "GREEN", "bad": "RED", "flat": "GRAY"}
    for key, (arrow, tone) in EXPECTED.items():
        proto = shown[key]
        assert (
            proto.DESCRIPTOR.enum_types_by_name["MetricDirection"].values_by_number[proto.direction].name
            == (direction[arrow])
        ), key
        assert proto.DESCRIPTOR.enum_types_by_name["MetricColor"].values_by_number[proto.color].name == colour[tone]
    assert shown["person_times"].delta == "持平"


def test_the_excel_holds_signed_numbers_with_the_colour_of_their_meaning(changed: Review) -> None:
    book = openpyxl.load_workbook(io.BytesIO(export.review_workbook(changed)))
    sheet = book[review.t("review.slide.headline")]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    completion, closing, overdue, open_, person = (rows[review.t(f"review.figure.{k}")] for k in CHANGED)
    assert (completion[1].value, completion[1].number_format) == (0.75, "0.0%")
    assert (completion[4].value, closing[4].value, overdue[4].value, open_[4].value, person[4].value) == (
        5.0,
        -5.5,
        2,
        -2,
        0,
    )
    # the number format's sections are rise;fall;zero: colour by meaning, arrow by sign, 持平 grey
    good_up = completion[4].number_format.split(";")
    assert good_up[0].startswith('[Color10]"↑ "') and good_up[1].startswith('[Red]"↓ "')
    assert good_up[2] == '[Color16]"持平"' and "个百分点" in good_up[0]
    bad_up = overdue[4].number_format.split(";")
    assert bad_up[0].startswith('[Red]"↑ "') and bad_up[1].startswith('[Color10]"↓ "')
    assert closing[4].number_format == completion[4].number_format  # both: up is good
    assert not any(
        isinstance(c.value, str) and c.value.startswith("'") for ws in book for row in ws.iter_rows() for c in row
    )


def test_the_departments_sheet_keeps_rates_and_changes_as_numbers(history: Store) -> None:  # noqa: F811
    built = review.build(history.query, Period.parse("2025-10"), TODAY)
    sheet = openpyxl.load_workbook(io.BytesIO(export.review_workbook(built)))[review.t("review.slide.departments")]
    header = [c.value for c in sheet[1]]
    office = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "办公室")
    rate, delta = office[header.index("完成率")], office[header.index("较上月")]
    assert (rate.value, rate.number_format) == (1, "0.0%")
    assert delta.value == 33.3 and delta.number_format == export.change_format("completion_rate", True)


# ---------------------------------------------------------------- 红榜 and 黑榜


def departments(rows: list[tuple[str, int, int, float, float | None]]) -> pd.DataFrame:
    """(department, total, overdue, completion_rate, change since last month)."""
    frame = pd.DataFrame(rows, columns=["department", "total", "overdue", "completion_rate", "completion_delta_month"])
    return frame.assign(done=(frame["total"] * frame["completion_rate"]).round())


def boards(frame: pd.DataFrame) -> dict[str, list[str]]:
    red, black = review._boards(frame)
    both = pd.concat([red, black])
    return {b: group["department"].tolist() for b, group in both.groupby("board", sort=False)}


def test_a_department_is_on_one_list_only() -> None:
    frame = departments(
        [
            ("常村煤矿", 10, 0, 0.9, 0.0),  # best rate, no progress: praised, not named
            ("五阳煤矿", 10, 3, 0.2, -0.1),  # most overdue and falling: named once
            ("漳村煤矿", 10, 0, 0.5, 0.2),
            ("工会", 10, 1, 0.6, 0.0),
            ("团委", 10, 0, 0.4, 0.0),
        ]
    )
    found = boards(frame)
    assert found["most_overdue"] == ["五阳煤矿", "工会"]
    assert found["best"] == ["常村煤矿", "漳村煤矿", "团委"]
    assert "improved" not in found and "no_progress" not in found
    named = [d for names in found.values() for d in names]
    assert len(named) == len(set(named))


def test_ties_follow_the_stated_rule_or_are_all_shown() -> None:
    # five departments with one overdue task each: the lower completion rate first, then all tied are shown
    frame = departments(
        [(name, 10, 1, rate, 0.0) for name, rate in zip("甲乙丙丁戊", (0.5, 0.3, 0.5, 0.5, 0.7), strict=True)]
    )
    # 乙 (30%) first; then 丁, 丙 and 甲 at 50% (by name), 甲 tied with the third; 戊 (70%) is not
    assert boards(frame)["most_overdue"] == ["乙", "丁", "丙", "甲"]
    many = departments([(f"部门{n:02d}", 10, 1, 0.5, 0.0) for n in range(9)])
    red, black = review._boards(many)
    listed = black[black["board"] == "most_overdue"]
    assert listed["department"].tolist()[:3] == ["部门00", "部门01", "部门02"]
    assert listed["department"].iloc[-1] == "等 6 个部门并列" and listed["more"].iloc[-1] == 6
    assert review.listed(black, "most_overdue")["department"].tolist() == ["部门00", "部门01", "部门02"]


def test_a_page_download_keeps_rates_as_percentages() -> None:
    frame = pd.DataFrame({"department": ["=办公室"], "completion_rate": [0.625], "overdue": [2]})
    sheet = openpyxl.load_workbook(io.BytesIO(export.workbook_bytes({"表": frame}))).active
    name, rate, overdue = sheet[2]
    assert (name.value, name.data_type) == ("=办公室", "s")  # text stays text, as written
    assert (rate.value, rate.number_format) == (0.625, "0.0%")
    assert (overdue.value, overdue.number_format) == (2, "General")
