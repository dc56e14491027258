"""任务推进: tasks by state per department and category, the 路线图 of deadlines, by 责任领导 where given, the task list
(searched, filtered, sorted and paged in SQL: wenming.web.listing)."""

import streamlit as st

from wenming import web
from wenming.render import charts
from wenming.text import t
from wenming.web import edits, listing

COLUMNS = [
    "task",
    "department",
    "helpers",
    "category",
    "item",
    "owner",
    "deadline_text",
    "state",
    "progress",
    "done_on",
    "days_overdue",
    "status_text",
    "sheet",
    "row_no",
]
STATES = ["done", "in_progress", "not_started", "ongoing"]
LEADER_COLUMNS = ["leader", "total", "done", "in_progress", "not_started", "ongoing", "overdue", "completion_rate"]

f, present = web.page("page.tasks", ("tasks",))
if "tasks" not in present:
    web.empty("tasks")
    st.stop()

order = web.department_order()
left, right = st.columns(2)
with left:
    by_department = web.query("tasks_by_department", f)
    clicked = web.picked(
        web.plot(charts.status_stack(by_department, "department", order), "tasks_departments", select=True)
    )
with right:
    by_category = web.query("tasks_by_category", f)
    categories = web.picked(web.plot(charts.status_stack(by_category, "category"), "tasks_categories", select=True))

web.plot(charts.roadmap(web.query("tasks_roadmap", f), order), "tasks_roadmap")

by_leader = web.query("tasks_by_leader", f)
if by_leader["leader"].ne("").any():  # the tasks name a 责任领导: the same figures by leader
    st.subheader(t("tasks.by_leader"))
    named = by_leader.assign(leader=by_leader["leader"].replace("", t("no_leader")))
    web.table(named, LEADER_COLUMNS, key="tasks_leaders")

st.subheader(t("tasks.list"))
states = st.pills(
    t("tasks.states"), STATES, selection_mode="multi", format_func=lambda s: t(f"state.{s}"), key="tasks_states"
)
words_column, order_column = st.columns([3, 1])
with words_column:
    words = listing.search_box("tasks_search", t("tasks.search"), t("tasks.search_hint"))
with order_column:
    order = listing.order_box("tasks_order")
narrowing = listing.Narrowing(clicked, categories, states or (), words, order).params()
params = {**f.params(), **narrowing}
counts = web.query("tasks_list_count", **params).iloc[0]
st.caption(t("tasks.count", shown=f"{counts.shown:,}", total=f"{counts.total:,}"))
limit, offset = listing.pager("tasks_list", int(counts.shown), narrowing)
web.table(web.query("tasks_list_page", **params, limit=limit, offset=offset), COLUMNS, key="tasks_table")
listing.download(
    t("tasks.download"),
    "tasks_list_page",
    params,
    COLUMNS,
    t("page.tasks"),
    f"任务清单_{f.as_of}.xlsx",
    "tasks_download",
)
edits.editor("tasks")
