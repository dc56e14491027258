"""测评得分: attainment by class and category, points lost by item (对标找差), by department, points at risk."""

import streamlit as st

from wenming import web
from wenming.figures import scoring
from wenming.render import charts
from wenming.text import t
from wenming.web import targets
from wenming.web.scores import veto_banner

ITEM_COLUMNS = [
    "class",
    "category",
    "item",
    "department",
    "method",
    "max",
    "score",
    "lost",
    "reason",
    "sheet",
    "row_no",
]
RISK_COLUMNS = ["category", "item", "max", "score", "overdue_tasks", "task_departments"]

f, present = web.page("page.scores", ("scores", "tasks"))
if "scores" not in present:
    web.empty("scores")
    st.stop()

veto_banner(f)
totals = web.query("scores_summary", f).iloc[0]
at_risk = web.query("scores_at_risk", f)
for column, (label, value) in zip(st.columns(6), scoring.headline(totals, at_risk), strict=True):
    column.metric(t(label), value, border=True, help=t(f"{label}.help", max=f"{totals['max']:g}"))
extra = scoring.adjustments(totals)
if extra:
    for column, (label, value) in zip(st.columns(len(extra)), extra, strict=True):
        column.metric(t(label), value, border=True, help=t(f"{label}.help"))

by_category = web.query("scores_by_category", f)
left, right = st.columns(2)
with left:
    pass_line = targets.current().get("attainment")
    chart = charts.attainment(by_category, "category", t("chart.attainment_by_category"), target=pass_line)
    web.plot(chart, "scores_categories")
with right:
    by_class = web.query("scores_by_class", f)
    if by_class["class"].notna().sum() > 1:
        web.plot(charts.attainment(by_class, "class", t("chart.attainment_by_class")), "scores_classes")
    by_department = web.query("scores_by_department", f)
    web.plot(
        charts.attainment(by_department, "department", t("chart.attainment_by_department"), target=pass_line),
        "scores_departments",
    )

items = web.query("scores_items", f)
web.plot(charts.points_lost(items), "scores_lost")
st.subheader(t("scores.items"))
web.table(items[~items["unscored"]], ITEM_COLUMNS, key="scores_items")
web.download(
    t("scores.download"), {t("scores.items"): (items, ITEM_COLUMNS)}, f"对标找差_{f.as_of}.xlsx", "scores_download"
)

st.subheader(t("scores.at_risk"))
if at_risk.empty:
    st.success(t("scores.no_risk"))
else:
    web.table(at_risk, RISK_COLUMNS, key="scores_risk")
deductions = web.query("scores_deductions", f)
if len(deductions):
    st.subheader(t("scores.deductions"))
    web.table(deductions, ["category", "item", "department", "points", "score_text", "reason"], key="scores_deductions")
vetoes = web.query("scores_vetoes", f)
if len(vetoes):
    st.subheader(t("scores.vetoes"))
    web.table(vetoes, ["category", "item", "triggered", "score_text", "reason"], key="scores_vetoes")
st.subheader(t("scores.unscored"))
web.table(
    items[items["unscored"]],
    ["class", "category", "item", "department", "max", "sheet", "row_no"],
    key="scores_unscored",
)
