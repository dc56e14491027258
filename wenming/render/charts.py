"""Pure chart functions: a DataFrame from a query in, a plotly Figure out.

One look everywhere: Okabe–Ito colours for meanings (done, overdue, …) and Paul
Tol's colour-blind-safe palette for departments, large type for a projector,
percentages as percentages, department colours fixed by the organisation's order.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from wenming.render import safe
from wenming.text import t

FONT_FAMILY = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
FONT_SIZE = 16
TITLE_SIZE = 22
SUBTITLE_SIZE = 16
ROOM_FONT = 22  # px of chart text on a slide, above the slide's table text (20 px at 1024×768)
ROW_HEIGHT = 46
LEGEND_HEIGHT = 90  # room under a chart for a legend of up to three lines on a phone

# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency.
STATE_COLORS = {
    "done": "#0072B2",
    "in_progress": "#E69F00",
    "not_started": "#BBBBBB",
    "ongoing": "#56B4E9",
}
OVERDUE = "#D55E00"
DUE_SOON = "#CC79A7"
CLOSED = "#009E73"
OPEN = "#E69F00"
MAIN = "#0072B2"
REACHED, BEHIND = "#0072B2", "#E69F00"  # against a target: Okabe–Ito blue and orange
LATE_SCALE = [[0, "#F6C9A8"], [1, "#D55E00"]]  # months with overdue tasks: light to dark orange
AGING_BUCKETS = ("1-7", "8-30", "31-90", ">90")
AGING_COLORS = ("#FDBE85", "#FD8D3C", "#D94701", "#8C2D04")  # one hue, darker = older
TYPE_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
# Paul Tol "muted": nine colours safe for colour-blind viewers, then his "light" set.
RATE_COLUMNS = ("awareness_rate", "participation_rate", "support_rate", "satisfaction_rate")


def missing_label(column: str) -> str:
    """How an empty name shows in a chart or table: 未填部门 for departments, 未分类 for categories and classes."""
    return t("no_department" if column == "department" else "no_category")


def _label(value: object, column: str = "department") -> str:
    return missing_label(column) if value is None or value != value else str(value)


# The look every chart shares, as a plotly template: set once per figure in a few milliseconds,
# where update_layout's validation of the same keys took ~18 ms a figure. A chart's own settings
# (an axis format, a grid) override it.
TEMPLATE = go.layout.Template(
    layout={
        "font": {"family": FONT_FAMILY, "size": FONT_SIZE, "color": "#1A1A1A"},
        "title": {
            "font": {"size": TITLE_SIZE},
            "x": 0,
            "xanchor": "left",
            "yref": "container",
            "y": 1,
            "yanchor": "top",
            "pad": {"t": 12, "b": 8},
            "automargin": True,  # inside the figure and clear of the plot and a top axis's labels
            "subtitle": {"font": {"size": SUBTITLE_SIZE, "color": "#555555"}},
        },
        "legend": {  # under the chart, so a legend that wraps onto more lines never covers the title
            "orientation": "h",
            "yref": "container",
            "yanchor": "bottom",
            "y": 0,
            "x": 0,
            "title": {"text": ""},
            "font": {"size": 16},
            "traceorder": "normal",
        },
        "hoverlabel": {"font": {"size": 16, "family": FONT_FAMILY}},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "bargap": 0.25,
        "separators": ".,",
        "xaxis": {
            "showgrid": True,
            "gridcolor": "#E5E5E5",
            "zeroline": False,
            "tickfont": {"size": 16},
            "automargin": True,
        },
        "yaxis": {"showgrid": False, "tickfont": {"size": 16}, "automargin": True},
    },
    data={"bar": [go.Bar(textangle=0)]},
)


def _as_text(fig: go.Figure) -> None:
    """Plotly reads tags in every label it draws: the names and texts of the traces become plain text.

    customdata keeps the names as they are: a click on a bar filters by it.
    """
    for trace in fig.data:
        for attribute in ("x", "y", "text", "hovertext"):
            values = getattr(trace, attribute, None)
            if values is None or isinstance(values, str):
                continue
            if any(isinstance(v, (list, tuple)) for v in values):  # a heatmap's text: rows of cells
                setattr(trace, attribute, [[_plain(v) for v in row] for row in values])
            elif any(isinstance(v, str) for v in values):
                setattr(trace, attribute, [_plain(v) for v in values])
        if isinstance(trace.name, str):
            trace.name = safe.plotly(trace.name)


def _plain(value: object) -> object:
    """A label as plain text; the one tag kept is the line break that two_lines puts into long names."""
    return safe.plotly(value).replace("&lt;br&gt;", "<br>") if isinstance(value, str) else value


def split_title(title: str) -> tuple[str, str]:
    """A title and its bracketed remark, the remark shown as a subtitle: "失分最多的 15 项（优先补短板）"."""
    for open_, close in (("（", "）"), (" (", ")")):
        if title.endswith(close) and open_ in title:
            head, _, remark = title.rpartition(open_)
            return head.rstrip(), remark[: -len(close)]
    return title, ""


def _layout(fig: go.Figure, title: str | None = None, height: int | None = None) -> go.Figure:
    _as_text(fig)
    layout = fig.layout
    layout.template = TEMPLATE
    head, remark = split_title(title or "")
    layout.title.text = head or None
    layout.title.subtitle.text = remark or None
    layout.height = height
    top = (60 + (SUBTITLE_SIZE + 8 if remark else 0)) if title else 10
    legend = sum(1 for trace in fig.data if trace.showlegend is not False and trace.name) > 1
    layout.margin = {"l": 10, "r": 24, "t": top, "b": 10 + (LEGEND_HEIGHT if legend else 0)}
    return fig


def _counts(values: pd.Series) -> list[str]:
    """Bar labels: the count, or nothing for a zero."""
    return [f"{v:g}" if v and v == v else "" for v in values]


def _count_bars(
    fig: go.Figure, name: str, values: pd.Series, names: Sequence[str], color: str, text_at: str, **extra: str
) -> None:
    """One series of horizontal bars labelled with their counts; a bar's customdata is its name (for clicks)."""
    fig.add_bar(
        name=name,
        x=values,
        y=names,
        orientation="h",
        marker_color=color,
        text=_counts(values),
        textposition=text_at,
        customdata=list(names),
        **extra,
    )


# A bar's label sits inside its end when it fits there, else just outside (a short bar leaves room).
VALUE_TEXT = {"textposition": "auto", "insidetextanchor": "end", "cliponaxis": False, "textangle": 0}
NAME_WIDTH = 7  # characters of a name on one line beside a bar; longer names take two lines
TOP_AXIS_ROOM = 40  # px for tick labels of an axis drawn at the top
CLOSING = "”’）)》」，、。：；"  # px above the plot for tick labels on a top axis, under the title


def rate_range(rates: Sequence[float]) -> list[float]:
    """A rate axis ends at 100%; only a rate above it (bonus points) carries the axis further."""
    return [0, max([1.0, *(float(r) for r in rates if r == r)])]


def rate_label(rate: float, part: float, whole: float) -> str:
    """A bar's label: 75.0%（3/4）, in English 75.0% (3/4)."""
    return t("chart.rate_label", rate=f"{rate:.1%}", part=f"{part:g}", whole=f"{whole:g}")


def _bar_height(rows: int) -> int:
    return max(260, 150 + ROW_HEIGHT * rows)


def _rate_bars(names: list[str], rates: pd.Series, parts: pd.Series, wholes: pd.Series, label: str) -> go.Figure:
    """Horizontal bars of a rate labelled "75.0%（3/4）"; a bar's customdata is its name."""
    return go.Figure(
        go.Bar(
            x=rates,
            y=[two_lines(n, NAME_WIDTH) for n in names],
            orientation="h",
            marker_color=MAIN,
            text=[rate_label(r, p, w) for r, p, w in zip(rates, parts, wholes, strict=True)],
            customdata=names,
            hovertext=names,  # escaped with every label; customdata keeps the name as written, for clicks
            **VALUE_TEXT,
            hovertemplate="%{hovertext}<br>" + label + " %{x:.1%}<extra></extra>",
        )
    )


def completion_by_department(frame: pd.DataFrame, target: float | None = None) -> go.Figure:
    """Completion rate by lead department, best at the top; a bar's customdata is its department.

    With a ``target`` (set by an admin) the bars say whether each department has reached it.
    """
    data = frame.sort_values(["completion_rate", "department"], ascending=[True, False])
    names = [_label(d) for d in data["department"]]
    fig = _rate_bars(names, data["completion_rate"], data["done"], data["total"], t("label.completion_rate"))
    fig.update_xaxes(range=rate_range(data["completion_rate"]), tickformat=".0%")
    _layout(fig, t("chart.completion_by_department"), _bar_height(len(data)))
    return target_line(fig, target, "chart.target_completion")


def status_stack(frame: pd.DataFrame, by: str, order: Sequence[str] | None = None) -> go.Figure:
    """Tasks per state (done / in progress / not started / ongoing), stacked, by department or category."""
    data = frame.copy()
    data["_name"] = [_label(v, by) for v in data[by]]
    if order:
        rank = {name: i for i, name in enumerate(order)}
        data = data.sort_values("_name", key=lambda s: s.map(lambda n: rank.get(n, len(rank))))
    data = data.iloc[::-1]  # first at the top of a horizontal chart
    fig = go.Figure()
    for state, color in STATE_COLORS.items():
        _count_bars(
            fig,
            t(f"state.{state}"),
            data[state],
            data["_name"],
            color,
            "inside",
            hovertemplate="%{y}<br>" + t(f"state.{state}") + " %{x}<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    title = t("chart.status_by_department" if by == "department" else "chart.status_by_category")
    return _layout(fig, title, _bar_height(len(data)))


def point_label(day: pd.Timestamp, last: bool) -> str:
    """A month end as 2026-10; the last point (the as-of date) as 11-24."""
    return day.strftime("%m-%d") if last else day.strftime("%Y-%m")


def rate_trend(frame: pd.DataFrame, column: str, title: str) -> go.Figure:
    """A rate at the end of each month, then on the as-of date, as a thick line; the latest labelled."""
    days = pd.to_datetime(frame["day"])
    labels = [point_label(day, i == len(days) - 1) for i, day in enumerate(days)]
    values = frame[column].astype(float)
    fig = go.Figure(
        go.Scatter(
            x=labels,
            y=values,
            mode="lines+markers+text",
            line={"width": 4, "color": MAIN},
            marker={"size": 11},
            text=["" if i < len(values) - 1 or v != v else f"{v:.1%}" for i, v in enumerate(values)],
            textposition="top left",
            textfont={"size": 20},
            hovertemplate="%{x}<br>%{y:.1%}<extra></extra>",
        )
    )
    fig.update_yaxes(tickformat=".0%", range=[0, 1.1], showgrid=True, gridcolor="#E5E5E5")
    fig.update_xaxes(type="category", showgrid=False, tickangle=-45)
    return _layout(fig, title, 420)


def roadmap(frame: pd.DataFrame, order: Sequence[str]) -> go.Figure:
    """路线图: tasks due per department and month; a month with overdue tasks is orange, the count in its hover."""
    data = frame.assign(month_label=pd.to_datetime(frame["month"]).dt.strftime("%Y-%m"))
    data["_name"] = [_label(v) for v in data["department"]]
    months = sorted(data["month_label"].unique())
    names = [n for n in order if n in set(data["_name"])] + sorted(set(data["_name"]) - set(order))

    def grid(column: str) -> pd.DataFrame:
        wide = data.pivot_table(index="_name", columns="month_label", values=column, aggfunc="sum")
        return wide.reindex(index=names, columns=months)

    due, late = grid("due").to_numpy(dtype=float), grid("overdue").fillna(0).to_numpy()
    labels = [["" if d != d else f"{int(d)}" for d in row] for row in due]
    hover = "%{y} %{x}<br>" + t("chart.due") + " %{z}<br>" + t("label.overdue") + " %{hovertext}<extra></extra>"
    fig = go.Figure()
    for cells, colors in ((late == 0, "Blues"), (late > 0, LATE_SCALE)):  # on time in blue, late in orange
        fig.add_heatmap(
            z=np.where(cells, due, np.nan),
            x=months,
            y=names,
            text=[
                [label if keep else "" for label, keep in zip(row, kept, strict=True)]
                for row, kept in zip(labels, cells, strict=True)
            ],
            texttemplate="%{text}",
            textfont={"size": 14},
            hovertext=[[str(int(n)) for n in row] for row in late],
            colorscale=colors,
            zmin=0,
            zmax=float(np.nanmax(due)) if due.size else 1.0,
            showscale=False,
            xgap=3,
            ygap=3,
            hoverongaps=False,
            hovertemplate=hover,
        )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(showgrid=False, side="top", type="category")
    _layout(fig, t("chart.roadmap"), _bar_height(len(names)))
    fig.layout.margin.t += TOP_AXIS_ROOM  # the month or rate names under the title
    return fig


def overdue_by_department(frame: pd.DataFrame) -> go.Figure:
    """Overdue and due-soon tasks per department, the most overdue at the top."""
    data = frame[(frame["overdue"] > 0) | (frame["due_soon"] > 0)].sort_values(["overdue", "due_soon"])
    names = [_label(v) for v in data["department"]]
    fig = go.Figure()
    for column, color in (("overdue", OVERDUE), ("due_soon", DUE_SOON)):
        _count_bars(fig, t(f"label.{column}"), data[column], names, color, "outside")
    fig.update_layout(barmode="group")
    return _layout(fig, t("chart.overdue_by_department"), _bar_height(len(data)) + 40)


def aging(frame: pd.DataFrame) -> go.Figure:
    """Overdue tasks per department in aging buckets (1–7, 8–30, 31–90, >90 days)."""
    data = frame.assign(_name=[_label(v) for v in frame["department"]])
    wide = data.pivot_table(index="_name", columns="bucket", values="tasks", aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=list(AGING_BUCKETS), fill_value=0)
    wide = wide.assign(_total=wide.sum(axis=1)).sort_values("_total")
    fig = go.Figure()
    for bucket, color in zip(AGING_BUCKETS, AGING_COLORS, strict=True):
        _count_bars(fig, t("chart.days", days=bucket), wide[bucket], list(wide.index), color, "inside")
    fig.update_layout(barmode="stack")
    return _layout(fig, t("chart.aging"), _bar_height(len(wide)))


def issues_by_department(frame: pd.DataFrame) -> go.Figure:
    """Ledger problems per department: struck off, open, open and overdue."""
    data = frame.assign(open_in_time=frame["open"] - frame["overdue"]).sort_values(["overdue", "open"])
    names = [_label(v) for v in data["department"]]
    fig = go.Figure()
    for column, label, color in (
        ("closed", "state.closed", CLOSED),
        ("open_in_time", "chart.open_in_time", OPEN),
        ("overdue", "chart.open_overdue", OVERDUE),
    ):
        _count_bars(fig, t(label), data[column], names, color, "inside")
    fig.update_layout(barmode="stack")
    return _layout(fig, t("chart.issues_by_department"), _bar_height(len(data)))


def attainment(frame: pd.DataFrame, by: str, title: str, target: float | None = None) -> go.Figure:
    """Score attainment (score / max of scored items) per category, class or department; ``target``: the pass line."""
    data = frame[frame["max"] > 0].sort_values("attainment", ascending=True)
    names = [_label(v, by) for v in data[by]]
    fig = _rate_bars(names, data["attainment"], data["score"], data["max"], t("label.attainment"))
    fig.update_xaxes(range=rate_range(data["attainment"]), tickformat=".0%")
    _layout(fig, title, _bar_height(len(data)))
    return target_line(fig, target, "chart.target_attainment")


def target_line(fig: go.Figure, target: float | None, key: str) -> go.Figure:
    """A dashed line at the organisation's target; bars that reach it blue, bars behind it orange (colour-blind safe)."""
    if target is None:
        return fig
    (bars,) = fig.data
    bars.marker.color = [REACHED if r >= target - 1e-9 else BEHIND for r in bars.x]
    fig.add_vline(x=target, line={"color": "#1A1A1A", "width": 3, "dash": "dash"}, layer="below")  # under the labels
    fig.layout.title.subtitle.text = t(key, rate=f"{target:.0%}")
    fig.layout.margin.t += SUBTITLE_SIZE + 8
    return fig


def points_lost(frame: pd.DataFrame, top: int = 15) -> go.Figure:
    """The items losing the most points, where to gain points first (对标找差)."""
    data = frame[frame["lost"] > 0].nlargest(top, "lost").iloc[::-1]
    # a missing category is None or NaN (DuckDB gives NaN in a text column that also holds names)
    # the category on one line, the item under it (a missing category is None, or NaN from DuckDB)
    names = [
        short(c) + "<br>" + short(str(i)) if pd.notna(c) and c else two_lines(str(i))
        for c, i in zip(data["category"], data["item"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=data["lost"],
            y=names,
            orientation="h",
            marker_color=OVERDUE,
            text=[f"-{v:g}" for v in data["lost"]],
            **VALUE_TEXT,
            hovertemplate="%{y}<br>" + t("label.lost") + " %{x:g}<extra></extra>",
        )
    )
    return _layout(fig, t("chart.points_lost", top=top), _bar_height(len(data)))


def short(name: str, width: int = 10) -> str:
    """A name cut to ``width`` characters with "…"."""
    return name if len(name) <= width else name[: width - 1] + "…"


def two_lines(name: str, width: int = 10) -> str:
    """A name longer than ``width`` on two balanced lines, cut with "…" beyond two full lines (fits a phone)."""
    if len(name) <= width:
        return name
    cut = min(-(-len(name) // 2), width)
    cut += name[cut] in CLOSING  # a closing quote or bracket stays on the first line
    return name[:cut] + "<br>" + short(name[cut:], width) if name[cut:] else name


def amount(value: float) -> str:
    """A per-head figure or an amount as people write it: 2.5, 2, 1,622.5 (never 2.50 or 2.0)."""
    shown = f"{value:,.2f}"
    return shown.rstrip("0").rstrip(".")


def per_department(frame: pd.DataFrame, column: str, title: str, fmt: str = "") -> go.Figure:
    """One figure per department (per-head figures, attendance), the highest at the top; ``fmt`` ".1%" for rates."""
    data = frame[frame[column].notna()].sort_values(column)
    names = [_label(v) for v in data["department"]]
    percent = fmt.endswith("%")
    fig = go.Figure(
        go.Bar(
            x=data[column],
            y=names,
            orientation="h",
            marker_color=MAIN,
            text=[format(v, fmt) if fmt else amount(v) for v in data[column]],
            customdata=names,
            **VALUE_TEXT,
        )
    )
    if percent:
        fig.update_xaxes(tickformat=".0%", range=rate_range(data[column]))
    return _layout(fig, title, _bar_height(len(data)))


def by_month_and_type(frame: pd.DataFrame, column: str, title: str) -> go.Figure:
    """Activities or person-times per month, stacked by activity type."""
    data = frame.assign(type=frame["type"].fillna(t("chart.no_type")))
    fig = go.Figure()
    for i, (kind, part) in enumerate(data.groupby("type", sort=True)):
        fig.add_bar(
            name=str(kind),
            x=pd.to_datetime(part["month"]),
            y=part[column],
            marker_color=TYPE_COLORS[i % len(TYPE_COLORS)],
            hovertemplate="%{x|%Y-%m}<br>%{fullData.name} %{y:g}<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(tickformat="%Y-%m", dtick="M1", showgrid=False)
    fig.update_yaxes(showgrid=True, gridcolor="#E5E5E5")
    return _layout(fig, title, 420)


def survey_rates(frame: pd.DataFrame, order: Sequence[str]) -> go.Figure:
    """知晓率、参与率、支持率、满意度 by department, as a table of coloured cells."""
    columns = [c for c in RATE_COLUMNS if frame[c].notna().any()]
    data = frame.assign(_name=[_label(v) for v in frame["department"]])
    rank = {n: i for i, n in enumerate(order)}
    data = data.sort_values("_name", key=lambda s: s.map(lambda n: rank.get(n, len(rank))))
    z = data[columns].to_numpy(dtype=float)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[t(f"label.{c}") for c in columns],
            y=list(data["_name"]),
            text=[[("" if v != v else f"{v:.1%}") for v in row] for row in z],
            texttemplate="%{text}",
            textfont={"size": 16},
            colorscale="Blues",
            zmin=0.5,
            zmax=1,
            showscale=False,
            xgap=3,
            ygap=3,
            hovertemplate="%{y} %{x}<br>%{z:.1%}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(side="top", showgrid=False)
    _layout(fig, t("chart.survey_rates"), _bar_height(len(data)))
    fig.layout.margin.t += TOP_AXIS_ROOM  # the month or rate names under the title
    return fig


def for_room(fig: go.Figure, size: int = ROOM_FONT, height: int | None = None) -> go.Figure:
    """A chart for a projector: its text at least as large as the slide's tables, its title above."""
    fig.update_layout(
        font={"size": size},
        title={"font": {"size": size + 6}, "subtitle": {"font": {"size": size - 2}}},
        legend={"font": {"size": size}},
        hoverlabel={"font": {"size": size}},
        height=height or fig.layout.height,
    )
    fig.update_xaxes(tickfont={"size": size})
    fig.update_yaxes(tickfont={"size": size})
    fig.update_traces(textfont={"size": size}, selector={"type": "bar"})
    return fig
