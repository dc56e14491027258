"""月度例会: the review of a month or quarter, a presentation mode for the projector, the report after."""

import streamlit as st

from wenming import web
from wenming.web import present
from wenming.web import review as review_ui
from wenming.web.scores import veto_banner

if present.active():
    present.show(*review_ui.for_presentation())
    st.stop()

f, available = web.page("page.review", ("tasks", "issues", "scores", "activities"))
if "tasks" not in available:
    web.empty("tasks")
    st.stop()

if "scores" in available:
    veto_banner(f)  # a triggered 一票否决 before anything else (WORKBOOKS.md §7)
period = review_ui.pick_period(f.as_of)
shown, fresh = review_ui.frozen_or_fresh(period, f)
user = review_ui.clerk()
if fresh is not None:
    review_ui.frozen_notice(shown, fresh)
review_ui.toolbar(shown, user)
review_ui.sections(shown)
review_ui.followups(period, user, web.department_order())
