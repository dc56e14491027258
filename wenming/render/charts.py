"""Pure chart functions: a DataFrame from a query in, a plotly Figure out.

One look everywhere: Okabe–Ito colours for meanings (done, overdue, …) and Paul
Tol's colour-blind-safe palette for departments, large type for a projector,
percentages as percentages, department colours fixed by the organisation's order.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from wenming.render import safe
from wenming.text import t

FONT_FAMILY = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
FONT_SIZE = 18
TITLE_SIZE = 22
ROW_HEIGHT = 46

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
AGING_BUCKETS = ("1-7", "8-30", "31-90", ">90")
AGING_COLORS = ("#FDBE85", "#FD8D3C", "#D94701", "#8C2D04")  # one hue, darker = older
TYPE_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
# Paul Tol "muted": nine colours safe for colour-blind viewers, then his "light" set.
DEPARTMENT_PALETTE = (
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
    "#77AADD",
    "#EE8866",
    "#EEDD88",
    "#FFAABB",
    "#99DDFF",
    "#44BB99",
    "#BBCC33",
    "#AAAA00",
)
RATE_COLUMNS = ("awareness_rate", "participation_rate", "support_rate", "satisfaction_rate")


def department_colors(departments: Sequence[str]) -> dict[str, str]:
    """A fixed colour per department, by the organisation's order, the same on every page."""
    return {d: DEPARTMENT_PALETTE[i % len(DEPARTMENT_PALETTE)] for i, d in enumerate(departments)}


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
            "pad": {"t": 12},
        },
        "legend": {
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.01,
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
    return safe.plotly(value) if isinstance(value, str) else value


def _layout(fig: go.Figure, title: str | None = None, height: int | None = None) -> go.Figure:
    _as_text(fig)
    layout = fig.layout
    layout.template = TEMPLATE
    layout.title.text = title
    layout.height = height
    layout.margin = {"l": 10, "r": 40, "t": (60 if title else 10) + (45 if len(fig.data) > 1 else 0), "b": 10}
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


def _bar_height(rows: int) -> int:
    return max(260, 150 + ROW_HEIGHT * rows)


def _rate_bars(
    names: list[str], rates: pd.Series, parts: pd.Series, wholes: pd.Series, colors: dict[str, str], label: str
) -> go.Figure:
    """Horizontal bars of a rate labelled "75.0%（3/4）"; a bar's customdata is its name."""
    return go.Figure(
        go.Bar(
            x=rates,
            y=names,
            orientation="h",
            marker_color=[colors.get(n, MAIN) for n in names],
            text=[f"{r:.1%}（{p:g}/{w:g}）" for r, p, w in zip(rates, parts, wholes, strict=True)],
            textposition="outside",
            cliponaxis=False,
            customdata=names,
            hovertemplate="%{y}<br>" + label + " %{x:.1%}<extra></extra>",
        )
    )


def completion_by_department(frame: pd.DataFrame, colors: dict[str, str]) -> go.Figure:
    """Completion rate by lead department, best at the top; a bar's customdata is its department."""
    data = frame.sort_values(["completion_rate", "department"], ascending=[True, False])
    names = [_label(d) for d in data["department"]]
    fig = _rate_bars(names, data["completion_rate"], data["done"], data["total"], colors, t("label.completion_rate"))
    fig.update_xaxes(range=[0, 1.18], tickformat=".0%")
    return _layout(fig, t("chart.completion_by_department"), _bar_height(len(data)))


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
    """路线图: tasks due per department and month, overdue ones in brackets."""
    data = frame.assign(month_label=pd.to_datetime(frame["month"]).dt.strftime("%Y-%m"))
    data["_name"] = [_label(v) for v in data["department"]]
    months = sorted(data["month_label"].unique())
    names = [n for n in order if n in set(data["_name"])] + sorted(set(data["_name"]) - set(order))
    due = data.pivot_table(index="_name", columns="month_label", values="due", aggfunc="sum").reindex(
        index=names, columns=months
    )
    late = data.pivot_table(index="_name", columns="month_label", values="overdue", aggfunc="sum").reindex(
        index=names, columns=months
    )
    labels = [
        [
            ("" if pd.isna(d) else f"{int(d)}" + (f"（{int(o)}）" if o and o == o else ""))
            for d, o in zip(drow, orow, strict=True)
        ]
        for drow, orow in zip(due.to_numpy(), late.to_numpy(), strict=True)
    ]
    fig = go.Figure(
        go.Heatmap(
            z=due.to_numpy(),
            x=months,
            y=names,
            text=labels,
            texttemplate="%{text}",
            textfont={"size": 16},
            colorscale="Blues",
            showscale=False,
            xgap=3,
            ygap=3,
            hovertemplate="%{y} %{x}<br>" + t("chart.due") + " %{z}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(showgrid=False, side="top", type="category")
    return _layout(fig, t("chart.roadmap"), _bar_height(len(names)))


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


def attainment(frame: pd.DataFrame, by: str, title: str, colors: dict[str, str] | None = None) -> go.Figure:
    """Score attainment (score / max of scored items) per category, class or department."""
    data = frame[frame["max"] > 0].sort_values("attainment", ascending=True)
    names = [_label(v, by) for v in data[by]]
    fig = _rate_bars(names, data["attainment"], data["score"], data["max"], colors or {}, t("label.attainment"))
    fig.update_xaxes(range=[0, 1.25], tickformat=".0%")
    return _layout(fig, title, _bar_height(len(data)))


def points_lost(frame: pd.DataFrame, top: int = 15) -> go.Figure:
    """The items losing the most points, where to gain points first (对标找差)."""
    data = frame[frame["lost"] > 0].nlargest(top, "lost").iloc[::-1]
    # a missing category is None or NaN (DuckDB gives NaN in a text column that also holds names)
    names = [f"{c} · {i}" if pd.notna(c) and c else str(i) for c, i in zip(data["category"], data["item"], strict=True)]
    names = [n if len(n) <= 28 else n[:27] + "…" for n in names]
    fig = go.Figure(
        go.Bar(
            x=data["lost"],
            y=names,
            orientation="h",
            marker_color=OVERDUE,
            text=[f"-{v:g}" for v in data["lost"]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}<br>" + t("label.lost") + " %{x:g}<extra></extra>",
        )
    )
    return _layout(fig, t("chart.points_lost", top=top), _bar_height(len(data)))


def per_department(frame: pd.DataFrame, column: str, title: str, colors: dict[str, str], fmt: str = ".2f") -> go.Figure:
    """One figure per department (per-head figures, attendance), the highest at the top."""
    data = frame[frame[column].notna()].sort_values(column)
    names = [_label(v) for v in data["department"]]
    percent = fmt.endswith("%")
    fig = go.Figure(
        go.Bar(
            x=data[column],
            y=names,
            orientation="h",
            marker_color=[colors.get(n, MAIN) for n in names],
            text=[format(v, fmt) for v in data[column]],
            textposition="outside",
            cliponaxis=False,
            customdata=names,
        )
    )
    if percent:
        fig.update_xaxes(tickformat=".0%", range=[0, 1.15])
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
    return _layout(fig, t("chart.survey_rates"), _bar_height(len(data)))
