"""总览: headline figures against last month, completion by department, the trend, the most overdue tasks."""

import streamlit as st

from wenming import web
from wenming.figures import headline
from wenming.render import charts, safe
from wenming.text import t
from wenming.web import targets
from wenming.web.scores import veto_banner

f, present = web.page("page.overview", ("tasks", "scores", "issues", "activities"))
if "tasks" not in present:
    web.empty("tasks")
    st.stop()

if "scores" in present:
    veto_banner(f)
figures = headline.headlines(web.query, f.as_of, list(f.departments) or None)
for column, figure in zip(st.columns(len(figures)), figures, strict=True):
    web.metric(
        column,
        t(f"headline.{figure.key}"),
        figure.shown(),
        figure.change,
        figure.shown_delta(),
        help=t("headline.help"),
        border=True,
    )

left, right = st.columns([3, 2])
with left:
    by_department = web.query("tasks_by_department", f)
    target = targets.current().get("completion")
    chart = charts.completion_by_department(by_department, target)
    clicked = web.picked(web.plot(chart, "overview_completion", select=True))
with right:
    trend = web.series("tasks_summary", f)
    web.plot(charts.rate_trend(trend, "completion_rate", t("chart.completion_trend")), "overview_trend")

st.subheader(t("overview.most_overdue"))
if clicked:
    st.caption(safe.say("page.clicked", names=t("sep.list").join(clicked)))
overdue = web.query("tasks_most_overdue", f, limit=5, **({"departments": clicked} if clicked else {}))
if overdue.empty:
    st.success(t("overview.none_overdue"))
else:
    web.table(
        overdue,
        ["task", "department", "owner", "deadline_text", "days_overdue", "state", "status_text"],
        key="overview_overdue",
    )
