"""Presentation mode for the projector: the review's deck, full window, moved through in the browser.

The whole deck is drawn once (``render.deck``) and ← → PageUp PageDown space, clicks
and the deck's buttons change the screen without a round trip to the server; the
screen number lives in the URL (``?present=1&screen=3``) so a reload stays on the same
screen. Esc (or 退出演示) presses the one Streamlit button here, which leaves. plotly.js
is served by the dashboard itself: no font, script or style from the internet.
"""

from __future__ import annotations

from pathlib import Path

import plotly
import streamlit as st
import streamlit.components.v1 as components

from wenming.figures.review import Review
from wenming.render import deck, slides
from wenming.text import t
from wenming.web import targets

# plotly's own folder (plotly.min.js): served by Streamlit at component/<name>/, so the deck loads it locally
PLOTLY_FOLDER = Path(plotly.__file__).resolve().parent / "package_data"

CSS = f"""
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], .st-key-{deck.LEAVE_KEY} {{ display: none !important; }}
</style>
"""


def active() -> bool:
    """Whether the URL asks for presentation mode (?present=1)."""
    return st.query_params.get("present") == "1"


def _screen_number(count: int) -> int:
    try:
        number = int(st.query_params.get("screen", "1"))
    except ValueError:
        number = 1
    return min(max(number, 1), count)


def leave() -> None:
    for key in ("present", "screen", "by_department"):
        if key in st.query_params:
            del st.query_params[key]
    st.rerun()


def plotly_src() -> str:
    """plotly.js at the dashboard's own address, relative to the page (so it also works under a base path)."""
    served = components.declare_component("plotlyjs", path=str(PLOTLY_FOLDER))
    return f"component/{served.name}/plotly.min.js"


def show(review: Review, per_department: bool) -> None:
    """Draw the whole deck, the screen in the URL on show, and the (hidden) button that leaves."""
    st.html(CSS)
    screens = slides.screens(review, per_department, targets=targets.current())
    number = _screen_number(len(screens))
    st.html(deck.render(review, screens, number, plotly_src()), unsafe_allow_javascript=True)
    if st.button(t("present.leave"), key=deck.LEAVE_KEY):
        leave()
