"""逾期督办: overdue and due-soon tasks by department, aging, the ranking for the 通报, the issue ledger."""

import streamlit as st

from wenming import web
from wenming.render import charts
from wenming.text import t
from wenming.web import edits

TASK_COLUMNS = [
    "task",
    "department",
    "owner",
    "category",
    "deadline_text",
    "days_overdue",
    "state",
    "status_text",
    "sheet",
    "row_no",
]
SOON_COLUMNS = ["task", "department", "owner", "deadline_text", "days_left", "state"]
RANK_COLUMNS = ["rank", "department", "overdue_tasks", "max_days_overdue", "overdue_issues"]
ISSUE_COLUMNS = [
    "problem",
    "department",
    "source",
    "found_on",
    "deadline_text",
    "is_closed",
    "days_overdue",
    "status_text",
    "closed_on",
    "sheet",
    "row_no",
]

f, present = web.page("page.overdue", ("tasks", "issues"))
if not present & {"tasks", "issues"}:
    web.empty("tasks")
    st.stop()

tasks = web.query("tasks_summary", f).iloc[0]
issues = web.query("issues_summary", f).iloc[0]
for column, (key, value) in zip(
    st.columns(4),
    [
        ("overdue", tasks.overdue),
        ("due_soon", tasks.due_soon),
        ("open", issues.open),
        ("issues_overdue", issues.overdue),
    ],
    strict=True,
):
    column.metric(t(f"overdue.{key}"), f"{value:,.0f}", border=True)

left, right = st.columns(2)
with left:
    chart = charts.overdue_by_department(web.query("tasks_by_department", f))
    clicked = web.picked(web.plot(chart, "overdue_departments", select=True))
with right:
    clicked += web.picked(web.plot(charts.aging(web.query("overdue_aging", f)), "overdue_aging", select=True))

ranking = web.narrow(web.query("overdue_ranking", f), clicked)
overdue = web.narrow(web.query("tasks_overdue", f), clicked)
soon = web.narrow(web.query("tasks_due_soon", f), clicked)
st.subheader(t("overdue.ranking"))
web.table(ranking, RANK_COLUMNS, key="overdue_ranking")
st.subheader(t("overdue.tasks"))
web.table(overdue, TASK_COLUMNS, key="overdue_tasks")
st.subheader(t("overdue.due_soon_list"))
web.table(soon, SOON_COLUMNS, key="overdue_soon")

st.header(t("overdue.ledger"))
if "issues" not in present:
    web.empty("issues")
    st.stop()
st.metric(t("label.closing_rate"), f"{issues.closing_rate:.1%}" if issues.total else "—")
ledger_chart = charts.issues_by_department(web.query("issues_by_department", f))
picked_issues = web.picked(web.plot(ledger_chart, "overdue_ledger", select=True))
ledger = web.narrow(web.query("issues_list", f), picked_issues or clicked)
web.table(ledger, ISSUE_COLUMNS, key="overdue_ledger_table")
web.download(
    t("overdue.download"),
    {
        t("overdue.ranking"): (ranking, RANK_COLUMNS),
        t("overdue.tasks"): (overdue, TASK_COLUMNS),
        t("overdue.due_soon_list"): (soon, SOON_COLUMNS),
        t("overdue.ledger"): (ledger, ISSUE_COLUMNS),
    },
    f"逾期督办_{f.as_of}.xlsx",
    "overdue_download",
)
edits.editor("issues")
