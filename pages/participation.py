"""参与情况: activities and person-times by month and type, per head by department, attendance, survey rates."""

import streamlit as st

from wenming import web
from wenming.render import charts, slides
from wenming.text import t

DEPARTMENT_COLUMNS = [
    "department",
    "activities",
    "person_times",
    "volunteer_hours",
    "headcount",
    "person_times_per_head",
    "volunteer_hours_per_head",
    "attendance_rate",
]
SURVEY_COLUMNS = [
    "department",
    "respondents",
    "awareness_rate",
    "participation_rate",
    "support_rate",
    "satisfaction_rate",
]

f, present = web.page("page.participation", ("activities", "headcount", "surveys"))
if not present & {"activities", "surveys"}:
    web.empty("activities")
    st.stop()

totals = web.query("participation_summary", f).iloc[0]
shown = [
    ("label.activities", f"{totals.activities:,.0f}"),
    ("label.person_times", f"{totals.person_times:,.0f}"),
    ("label.volunteer_hours", slides.number(totals.volunteer_hours, places=1)),
    (
        "label.attendance_rate",
        f"{totals.attendance_rate:.1%}" if totals.attendance_rate == totals.attendance_rate else "—",
    ),
]
for column, (label, value) in zip(st.columns(4), shown, strict=True):
    column.metric(t(label), value, border=True)

by_month = web.query("participation_by_month", f)
left, right = st.columns(2)
with left:
    web.plot(charts.by_month_and_type(by_month, "activities", t("chart.activities_by_month")), "part_activities")
with right:
    web.plot(charts.by_month_and_type(by_month, "person_times", t("chart.person_times_by_month")), "part_person_times")

by_department = web.query("participation_by_department", f)
left, right = st.columns(2)
with left:
    chart = charts.per_department(by_department, "person_times_per_head", t("chart.person_times_per_head"))
    clicked = web.picked(web.plot(chart, "part_per_head", select=True))
with right:
    chart = charts.per_department(by_department, "volunteer_hours_per_head", t("chart.hours_per_head"))
    clicked += web.picked(web.plot(chart, "part_hours", select=True))
if by_department["attendance_rate"].notna().any():
    chart = charts.per_department(by_department, "attendance_rate", t("chart.attendance"), fmt=".1%")
    web.plot(chart, "part_attendance")
web.table(web.narrow(by_department, clicked), DEPARTMENT_COLUMNS, key="part_departments")

st.subheader(t("participation.surveys"))
surveys = web.query("surveys_by_department", f)
if surveys.empty:
    web.empty("surveys")
else:
    web.plot(charts.survey_rates(surveys, web.department_order()), "part_surveys")
    web.table(surveys, SURVEY_COLUMNS, key="part_surveys_table")
