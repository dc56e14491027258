"""The pure chart functions plot what their frame holds; web.picked reads a chart click."""

from __future__ import annotations

import html
from types import SimpleNamespace

import pandas as pd
import pytest

from wenming import text, web
from wenming.render import charts, slides


def trace_by_name(fig, name: str):
    (found,) = [tr for tr in fig.data if tr.name == name]
    return found


def test_completion_by_department_best_at_the_top() -> None:
    frame = pd.DataFrame(
        {
            "department": ["办公室", "研究室", None],
            "total": [4, 5, 2],
            "done": [3, 1, 2],
            "completion_rate": [0.75, 0.2, 1.0],
        }
    )
    fig = charts.completion_by_department(frame)
    (bar,) = fig.data
    # plotly draws the first bar at the bottom: lowest rate first
    assert list(bar.y) == ["研究室", "办公室", "未填部门"]
    assert list(bar.x) == [0.2, 0.75, 1.0]
    assert list(bar.customdata) == ["研究室", "办公室", "未填部门"]
    assert list(bar.text) == ["20.0%（1/5）", "75.0%（3/4）", "100.0%（2/2）"]
    assert bar.marker.color == charts.MAIN  # one colour: departments are told apart by their order and label
    assert fig.layout.title.text == "各部门任务完成率"


def test_status_stack_in_the_organisations_order() -> None:
    frame = pd.DataFrame(
        {
            "department": ["研究室", "办公室"],
            "done": [1, 2],
            "in_progress": [0, 1],
            "not_started": [3, 0],
            "ongoing": [1, 0],
        }
    )
    fig = charts.status_stack(frame, "department", ["办公室", "研究室"])
    assert [tr.name for tr in fig.data] == ["已完成", "推进中", "未启动", "长期坚持"]
    done = trace_by_name(fig, "已完成")
    assert list(done.y) == ["研究室", "办公室"]  # 办公室 first in the order: at the top
    assert list(done.x) == [1, 2]
    assert list(trace_by_name(fig, "推进中").text) == ["", "1"]  # zeros unlabelled
    assert fig.layout.barmode == "stack"


def test_a_missing_category_is_uncategorised_not_a_missing_department() -> None:
    frame = pd.DataFrame(
        {"category": ["学雷锋", None], "done": [1, 1], "in_progress": [0, 0], "not_started": [0, 2], "ongoing": [0, 0]}
    )
    fig = charts.status_stack(frame, "category")
    assert sorted(fig.data[0].y) == sorted(["学雷锋", "未分类"])
    assert set(fig.data[0].customdata) == {"学雷锋", "未分类"}
    by_class = pd.DataFrame({"class": [None], "max": [8.0], "score": [6.0], "attainment": [0.75]})
    assert list(charts.attainment(by_class, "class", "t").data[0].y) == ["未分类"]


def test_overdue_by_department_leaves_out_departments_with_nothing_late() -> None:
    frame = pd.DataFrame({"department": ["办公室", "研究室", "法工委"], "overdue": [1, 0, 2], "due_soon": [0, 0, 1]})
    fig = charts.overdue_by_department(frame)
    late = trace_by_name(fig, "逾期")
    assert list(late.y) == ["办公室", "法工委"] and list(late.x) == [1, 2]
    assert list(trace_by_name(fig, "7日内到期").x) == [0, 1]


def test_aging_buckets_in_order_with_zeros() -> None:
    frame = pd.DataFrame(
        {"department": ["办公室", "法工委", "办公室"], "bucket": ["8-30", ">90", "1-7"], "tasks": [1, 1, 2]}
    )
    fig = charts.aging(frame)
    # plotly reads tags in names, so a name is HTML text: "&gt;90 天" shows as ">90 天"
    assert [html.unescape(tr.name) for tr in fig.data] == ["1-7 天", "8-30 天", "31-90 天", ">90 天"]
    totals = {name: sum(tr.x[i] for tr in fig.data) for i, name in enumerate(fig.data[0].y)}
    assert totals == {"法工委": 1, "办公室": 3}
    assert list(trace_by_name(fig, "31-90 天").x) == [0, 0]


def test_issues_by_department_splits_open_into_in_time_and_overdue() -> None:
    frame = pd.DataFrame({"department": ["办公室"], "closed": [1], "open": [3], "overdue": [1]})
    fig = charts.issues_by_department(frame)
    assert [(tr.name, list(tr.x)) for tr in fig.data] == [("已销号", [1]), ("整改中", [2]), ("超期未整改", [1])]


def test_attainment_leaves_out_categories_without_scored_points() -> None:
    frame = pd.DataFrame(
        {
            "category": ["学雷锋", "道德讲堂", "特色创建"],
            "max": [8.0, 0.0, 10.0],
            "score": [7.0, 0.0, 6.0],
            "attainment": [0.875, None, 0.6],
        }
    )
    (bar,) = charts.attainment(frame, "category", "得分率").data
    assert list(bar.y) == ["特色创建", "学雷锋"] and list(bar.x) == [0.6, 0.875]
    assert list(bar.text) == ["60.0%（6/10）", "87.5%（7/8）"]


def test_points_lost_the_most_first_at_the_top() -> None:
    frame = pd.DataFrame({"category": ["学雷锋", "学雷锋", None], "item": ["a", "b", "c"], "lost": [1.0, 0.0, 2.5]})
    (bar,) = charts.points_lost(frame).data
    assert list(bar.y) == ["学雷锋<br>a", "c"] and list(bar.x) == [1.0, 2.5]  # the category on a line of its own
    assert list(bar.text) == ["-1", "-2.5"]


def test_per_department_as_percent() -> None:
    frame = pd.DataFrame({"department": ["办公室", "研究室"], "attendance_rate": [0.875, None]})
    fig = charts.per_department(frame, "attendance_rate", "到场率", fmt=".1%")
    (bar,) = fig.data
    assert list(bar.y) == ["办公室"] and list(bar.text) == ["87.5%"]
    assert fig.layout.xaxis.tickformat == ".0%"


def test_by_month_and_type_stacks_types() -> None:
    frame = pd.DataFrame(
        {
            "month": pd.to_datetime(["2025-03-01", "2025-03-01", "2025-04-01"]),
            "type": ["志愿服务", None, "志愿服务"],
            "activities": [2, 1, 1],
            "person_times": [30, 5, 20],
        }
    )
    fig = charts.by_month_and_type(frame, "person_times", "人次")
    assert sorted(tr.name for tr in fig.data) == sorted(["志愿服务", "未分类"])
    assert list(trace_by_name(fig, "志愿服务").y) == [30, 20]
    assert sum(sum(tr.y) for tr in fig.data) == 55


def test_survey_rates_only_the_rates_given() -> None:
    frame = pd.DataFrame(
        {
            "department": ["研究室", "办公室"],
            "respondents": [10, 20],
            "awareness_rate": [0.95, 0.925],
            "participation_rate": [None, None],
            "support_rate": [None, None],
            "satisfaction_rate": [0.88, 0.9],
        }
    )
    (heat,) = charts.survey_rates(frame, ["办公室", "研究室"]).data
    assert list(heat.x) == ["知晓率", "满意度"] and list(heat.y) == ["办公室", "研究室"]
    assert heat.z.tolist() == [[0.925, 0.9], [0.95, 0.88]]
    assert heat.text[0] == ["92.5%", "90.0%"]


def test_roadmap_counts_due_and_overdue_by_month() -> None:
    frame = pd.DataFrame(
        {
            "department": ["办公室", "办公室", "研究室"],
            "month": pd.to_datetime(["2025-10-01", "2025-11-01", "2025-10-01"]),
            "due": [2, 1, 1],
            "done": [0, 0, 1],
            "overdue": [1, 0, 0],
        }
    )
    on_time, late = charts.roadmap(frame, ["研究室", "办公室"]).data
    assert list(on_time.x) == ["2025-10", "2025-11"] and list(on_time.y) == ["研究室", "办公室"]
    # the count in each cell; a month with an overdue task in the orange layer, its overdue count in the hover
    assert [list(row) for row in on_time.text] == [["1", ""], ["", "1"]]
    assert [list(row) for row in late.text] == [["", ""], ["2", ""]]
    assert [list(row) for row in late.hovertext] == [["0", "0"], ["1", "0"]]


def test_rate_trend_labels_the_latest_point() -> None:
    frame = pd.DataFrame(
        {"day": pd.to_datetime(["2025-09-30", "2025-10-31", "2025-11-20"]), "completion_rate": [0.5, 0.6, 0.7]}
    )
    (line,) = charts.rate_trend(frame, "completion_rate", "走势").data
    assert list(line.x) == ["2025-09", "2025-10", "11-20"]
    assert list(line.y) == [0.5, 0.6, 0.7] and list(line.text) == ["", "", "70.0%"]


def test_departments_share_one_colour_and_colour_means_reached_or_behind() -> None:
    frame = pd.DataFrame({"department": ["办公室", "研究室", "工会"], "value": [3.0, 1.5, 2.0]})
    (bar,) = charts.per_department(frame, "value", "人均参与人次").data
    assert bar.marker.color == charts.MAIN and list(bar.y) == ["研究室", "工会", "办公室"]
    rates = frame.assign(total=[4, 5, 2], done=[4, 1, 2], completion_rate=[1.0, 0.2, 1.0])
    assert charts.completion_by_department(rates).data[0].marker.color == charts.MAIN
    assert set(charts.completion_by_department(rates, target=0.9).data[0].marker.color) == {
        charts.REACHED,
        charts.BEHIND,
    }


# ---------------------------------------------------------------- clicks


def event(*points: dict) -> SimpleNamespace:
    """What st.plotly_chart(on_select="rerun") returns: .selection.points, one dict per clicked point."""
    return SimpleNamespace(selection=SimpleNamespace(points=list(points)))


@pytest.mark.parametrize(
    ("clicked", "names"),
    [
        (event({"curve_number": 0, "point_index": 2, "x": 0.75, "y": "工会", "customdata": "工会"}), ["工会"]),
        (event({"customdata": ["团委"]}, {"customdata": ["工会"]}, {"customdata": "团委"}), ["团委", "工会"]),
        (event({"x": 1, "y": "无 customdata"}), []),
        (event(), []),
        (SimpleNamespace(selection=SimpleNamespace(points=None)), []),
        (None, []),  # a chart drawn without on_select
    ],
)
def test_picked_reads_customdata(clicked: object, names: list[str]) -> None:
    assert web.picked(clicked) == names


def test_narrow_to_the_clicked_departments() -> None:
    frame = pd.DataFrame({"department": ["办公室", None, "研究室"], "category": [None, "学雷锋", "学雷锋"]})
    assert len(web.narrow(frame, [])) == 3
    assert web.narrow(frame, ["未填部门", "研究室"]).index.tolist() == [1, 2]
    assert web.narrow(frame, ["未分类"], "category").index.tolist() == [0]


def test_rate_axes_end_at_100_percent_unless_a_bonus_passes_it() -> None:
    frame = pd.DataFrame({"department": ["办公室", "研究室"], "total": [4, 2], "done": [3, 2]})
    frame["completion_rate"] = frame["done"] / frame["total"]
    assert list(charts.completion_by_department(frame).layout.xaxis.range) == [0, 1.0]
    bonus = pd.DataFrame({"category": ["特色创建", "学雷锋"], "score": [11.0, 8.0], "max": [10.0, 10.0]})
    bonus["attainment"] = bonus["score"] / bonus["max"]
    assert list(charts.attainment(bonus, "category", "得分率").layout.xaxis.range) == [0, 1.1]


def test_bar_labels_go_inside_a_long_bar_and_names_onto_two_lines() -> None:
    frame = pd.DataFrame({"category": ["“我们的节日”活动"], "score": [6.0], "max": [8.0]})
    frame["attainment"] = frame["score"] / frame["max"]
    (bar,) = charts.attainment(frame, "category", "得分率").data
    assert bar.textposition == "auto" and bar.insidetextanchor == "end" and bar.cliponaxis is False
    assert list(bar.y) == ["“我们的节<br>日”活动"] and list(bar.customdata) == ["“我们的节日”活动"]


def test_a_legend_sits_under_the_chart_and_a_remark_under_the_title() -> None:
    frame = pd.DataFrame({"department": ["办公室"], "overdue": [2], "due_soon": [1]})
    fig = charts.overdue_by_department(frame)
    legend = fig.layout.template.layout.legend
    assert legend.yref == "container" and legend.y == 0  # never over the title
    assert fig.layout.margin.b >= charts.LEGEND_HEIGHT
    assert charts.split_title("失分最多的 15 项（优先补短板）") == ("失分最多的 15 项", "优先补短板")
    assert charts.split_title("Days overdue (by department)") == ("Days overdue", "by department")
    assert charts.split_title("各部门任务完成率") == ("各部门任务完成率", "")


def test_english_rate_labels_use_english_brackets() -> None:
    text.use("en")
    try:
        assert charts.rate_label(0.75, 3, 4) == "75.0% (3/4)"
    finally:
        text.use("zh")
    assert charts.rate_label(0.75, 3, 4) == "75.0%（3/4）"


def test_numbers_as_people_write_them() -> None:
    assert slides.number(5900.0, places=1) == "5,900" and slides.number(1622.5) == "1,622.5"
    assert slides.number(2.5) == "2.5" and slides.number(2.0) == "2" and slides.cell(12314.0) == "12,314"


def test_a_target_line_colours_bars_by_whether_they_reach_it() -> None:
    frame = pd.DataFrame({"department": ["办公室", "研究室"], "total": [4, 5], "done": [4, 1]})
    frame["completion_rate"] = frame["done"] / frame["total"]
    fig = charts.completion_by_department(frame, target=0.9)
    (bar,) = fig.data  # 研究室 20% at the bottom, 办公室 100% at the top
    assert list(bar.marker.color) == [charts.BEHIND, charts.REACHED]
    (line,) = fig.layout.shapes
    assert (line.x0, line.x1, line.line.dash) == (0.9, 0.9, "dash")
    assert fig.layout.title.subtitle.text == "虚线：完成率目标 90%；蓝色已达到，橙色未达到"
    plain = charts.completion_by_department(frame)
    assert not plain.layout.shapes and plain.data[0].marker.color == charts.MAIN


def test_the_look_is_valid_css_with_the_catalogs_words(monkeypatch: pytest.MonkeyPatch) -> None:
    from wenming.web import look

    drawn: list[str] = []
    monkeypatch.setattr(look.st, "html", drawn.append)
    monkeypatch.setattr(look.st, "get_option", lambda name: 100)
    look.apply()
    (css,) = drawn
    assert 'content: "选择文件"' in css and 'content: "每个文件不超过 100 MB"' in css
    assert "min(100%, 340px)" in css and "%(" not in css


def test_per_head_figures_are_written_as_people_write_them() -> None:
    """2.5 and 2, not 2.50 and 2.00 (issue 15); thousands with a separator."""
    frame = pd.DataFrame({"department": ["办公室", "研究室", "工会"], "hours": [2.5, 2.0, 1622.5]})
    (bar,) = charts.per_department(frame, "hours", "人均志愿服务时长").data
    assert dict(zip(bar.y, bar.text, strict=True)) == {"研究室": "2", "办公室": "2.5", "工会": "1,622.5"}
    assert charts.amount(2.333) == "2.33" and charts.amount(40) == "40"
