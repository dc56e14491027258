"""文明创建工作看板: page config, sign-in, navigation by role and the shared sidebar; the pages live in pages/."""

import streamlit as st

from wenming import web
from wenming.text import t
from wenming.web import filters, signin, wall

web.route()
wall_screen = wall.requested()  # /wall?token=…: the wall screen alone, its token in place of a sign-in
if not wall_screen:
    filters.language()  # first: the tab's title too is in the reader's language
st.set_page_config(page_title=t("app.title"), page_icon=web.ICON, layout="wide")  # the icon: a bundled file
if wall_screen:
    wall.route()  # stops here
user = signin.gate()  # None until signed in
pages = [
    st.Page("pages/overview.py", title=t("page.overview"), icon=":material/dashboard:", default=True),
    st.Page("pages/tasks.py", title=t("page.tasks"), icon=":material/checklist:", url_path="tasks"),
    st.Page("pages/overdue.py", title=t("page.overdue"), icon=":material/alarm:", url_path="overdue"),
    st.Page("pages/scores.py", title=t("page.scores"), icon=":material/leaderboard:", url_path="scores"),
    st.Page(
        "pages/participation.py", title=t("page.participation"), icon=":material/groups:", url_path="participation"
    ),
    st.Page("pages/review.py", title=t("page.review"), icon=":material/co_present:", url_path="review"),
    st.Page("pages/evidence.py", title=t("page.evidence"), icon=":material/folder_special:", url_path="evidence"),
]
if user is None or user.may_import:  # before sign-in every page is listed, hidden, to keep the URL's page
    pages.append(st.Page("pages/upload.py", title=t("page.upload"), icon=":material/upload_file:", url_path="upload"))
pages.append(st.Page("pages/history.py", title=t("page.history"), icon=":material/history:", url_path="history"))
if user is None or user.is_admin:
    pages.append(
        st.Page("pages/admin.py", title=t("page.admin"), icon=":material/admin_panel_settings:", url_path="admin")
    )
navigation = st.navigation(pages, position="sidebar" if user else "hidden")
signin.required(user)  # before sign-in: the form, and the script stops here, before any query or filter
filters.sidebar(web.department_order(), web.data_until())
web.run_page(navigation)
