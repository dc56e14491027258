"""Slides for the room: which departments get a slide of their own, compact tables, ten rows a screen."""

from __future__ import annotations

import json
import re

import pandas as pd
import plotly.graph_objects as go
import pytest

from tests.test_review import TODAY, history  # noqa: F401 - fixture
from wenming.figures import review
from wenming.figures.review import Period
from wenming.render import charts, deck, slides
from wenming.store import Store


def test_only_departments_with_something_to_say_get_a_slide(history: Store) -> None:  # noqa: F811
    r = review.build(history.query, Period.parse("2025-10"), TODAY)
    # October: 研究室 has H overdue, 法工委 has F overdue and P2 past its deadline; 办公室 has nothing late.
    assert sorted(slides.to_discuss(r)) == ["法工委", "研究室"]
    titles = [s.title for s in slides.slides(r, per_department=True)]
    assert "部门情况：法工委" in titles and "部门情况：办公室" not in titles


def test_a_department_slide_is_one_card_and_its_late_items(history: Store) -> None:  # noqa: F811
    r = review.build(history.query, Period.parse("2025-10"), TODAY)
    slide = slides.department_slide(r, "研究室")
    (_, card, columns), *rest = slide.tables
    assert columns == ["figure", "value"]
    values = dict(zip(card["figure"], card["value"], strict=True))
    # 研究室 on 31 Oct: D done, E ongoing, H overdue: 1 of 3 done.
    assert values["任务数"] == "3" and values["完成率"] == "33.3%" and values["逾期"] == "1"
    assert [caption for caption, _, _ in rest] == ["逾期未完成任务（1 项）"]  # no overdue problem: no empty table


def test_screens_hold_ten_rows_and_leave_empty_columns_off(history: Store) -> None:  # noqa: F811
    r = review.build(history.query, Period.parse("2025-10"), TODAY)
    frame = pd.DataFrame({"department": [f"部门{i}" for i in range(12)], "is_new": [False] * 12, "overdue": range(12)})
    assert slides.with_values(frame, ["department", "is_new", "overdue"]) == ["department", "overdue"]
    screens = slides.screens(r)
    assert screens[0].cards and screens[1].summary  # the 通报 paragraph has a screen of its own
    departments = next(s for s in screens if s.table is not None and s.key.startswith("departments"))
    assert departments.table[2] == [c for c in slides.SCREEN_DEPARTMENT_COLUMNS if c != "is_new"]
    assert all(len(s.table[1]) <= slides.ROWS_PER_SCREEN == 10 for s in screens if s.table is not None)


def test_slide_charts_are_set_for_the_room() -> None:
    frame = pd.DataFrame({"department": ["办公室"], "total": [4], "done": [3], "completion_rate": [0.75]})
    fig = charts.for_room(charts.completion_by_department(frame), height=470)
    assert fig.layout.font.size == charts.ROOM_FONT >= 20 and fig.layout.height == 470
    assert fig.layout.yaxis.tickfont.size == charts.ROOM_FONT and fig.data[0].textfont.size == charts.ROOM_FONT


def test_the_deck_holds_every_screen_once_with_the_reviews_figures(history: Store) -> None:  # noqa: F811
    r = review.build(history.query, Period.parse("2025-10"), TODAY)
    screens = slides.screens(r, per_department=True)
    html = deck.render(r, screens, start=3, plotly_src="component/x/plotly.min.js")
    titles = re.findall(r'<section class="screen[^"]*" data-screen="(\d+)"[^>]*><h1>([^<]+)</h1>', html)
    assert titles == [(str(n), s.title) for n, s in enumerate(screens, start=1)]
    assert html.count('class="screen current"') == 1 and 'class="screen current" data-screen="3"' in html
    assert f'data-start="3" data-count="{len(screens)}"' in html and 'data-plotly="component/x/plotly.min.js"' in html
    # the figures of the one Review the page shows: its completion card and its 通报 paragraph
    assert f"{r.figure('completion_rate'):.1%}</div>" in html and r.summary() in html
    figures = json.loads(re.search(r'<script type="application/json" class="figures">(.*?)</script>', html)[1])
    assert len(figures) == sum(s.figure is not None for s in screens) == html.count('class="chart"')
    assert all("height" not in f["layout"] for f in figures)  # a chart fills what its screen leaves


def test_deck_charts_are_set_for_the_room_without_a_fixed_height() -> None:
    frame = pd.DataFrame({"department": ["办公室"], "total": [4], "done": [3], "completion_rate": [0.75]})
    shown = deck.figure_json(charts.completion_by_department(frame))
    assert shown["layout"]["font"]["size"] == charts.ROOM_FONT and shown["layout"]["autosize"] is True
    assert shown["data"][0]["textfont"]["size"] == charts.ROOM_FONT and "height" not in shown["layout"]


def test_the_deck_survives_the_sanitiser_and_shows_markup_as_text(history: Store) -> None:  # noqa: F811
    r = review.build(history.query, Period.parse("2025-10"), TODAY)
    # st.html's sanitiser (DOMPurify) drops a script whose text holds "<" before a letter, "/" or "!"
    frame = pd.DataFrame({"department": ['<img src=x onerror="alert(1)">'], "overdue": [1]})
    markup = slides.Screen("x", "<b>标题</b>", table=("", frame, ["department", "overdue"]))
    chart = go.Figure(go.Bar(x=[1], y=["</script><b>部门</b>"]))
    html = deck.render(r, [markup, slides.Screen("y", "图", figure=chart)])
    assert "<img" not in html and "<b>" not in html and "&lt;b&gt;标题&lt;/b&gt;" in html
    for script in re.findall(r"<script[^>]*>(.*?)</script>", html, flags=re.S):
        assert not re.search(r"<[/\w!]", script)


def test_long_rows_take_more_of_a_screen() -> None:
    tasks = pd.DataFrame(
        {
            "department": ["办公室", "研究室", "法工委"],
            "task": ["开展活动", "规范接待室、调度室、收发室等窗口岗位服务用语并张贴上墙接受监督", "整理档案"],
            "days_overdue": [3, 40, 1],
        }
    )
    # 部门 (3 characters) and 逾期天数 (4), each with its padding, leave the task about 37 characters a line at
    # 1024×768: the 30-character task fits on one; beside a second long column each has about 18: two lines.
    assert slides.row_lines(tasks, ["department", "task", "days_overdue"]) == [1, 1, 1]
    both = tasks.assign(reason=tasks["task"])
    assert slides.row_lines(both, ["department", "task", "days_overdue", "reason"]) == [1, 2, 1]
    assert slides.pages([1] * 23) == [(0, 10), (10, 20), (20, 23)]  # ten one-line rows a screen
    # two-line rows: 8 × 2.25 = 18 lines fit in the 19 of a screen, a ninth would not
    assert slides.pages([2] * 10) == [(0, 8), (8, 10)] and slides.pages([]) == []


def test_a_long_table_stops_after_ten_screens_and_says_where_the_rest_is(  # noqa: F811
    history: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past SCREENS_PER_TABLE screens (8,698 overdue tasks at 100k made 870) the room is told that the
    report and the Excel hold the rest; here one screen of one row for October's two overdue tasks."""
    r = review.build(history.query, Period.parse("2025-10"), TODAY)
    assert len(r.overdue_tasks) == 2
    monkeypatch.setattr(slides, "SCREENS_PER_TABLE", 1)
    named = [s for s in slides.screens(r, rows=1) if s.table is not None and s.key.startswith("named")]
    caption, rows, _ = named[0].table
    assert len(rows) == 1 and caption == "逾期未完成任务（2 项） 此处为前 1 项，全部 2 项见例会报告和例会数据（Excel）"
    assert [s.table[0] for s in named[1:]] == ["超期未整改问题（1 个）"]  # the next table, whole
    monkeypatch.setattr(slides, "SCREENS_PER_TABLE", 2)
    whole = [s for s in slides.screens(r, rows=1) if s.table is not None and s.key.startswith("named")]
    assert [len(s.table[1]) for s in whole[:2]] == [1, 1] and whole[1].table[0] == "逾期未完成任务（2 项）"
