"""Presentation mode for the projector: one screen of the review at a time, large type, no sidebar.

← → (or the buttons) move between screens, Esc leaves; the screen number lives
in the URL (``?present=1&screen=3``) so a reload stays on the same screen.
Everything is served by the dashboard itself: no font, script or style from
the internet.
"""

from __future__ import annotations

import streamlit as st

from wenming.figures.review import Review
from wenming.render import charts, report, safe, slides
from wenming.text import t
from wenming.web import targets

MIN_FONT_PX = 20  # the smallest text on a screen; the browser test holds us to it
CHART_HEIGHT = 470  # fits a 1024×768 projector under the title and the buttons

CSS = f"""
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] {{ display: none !important; }}
[data-testid="stMainBlockContainer"], .block-container {{
  padding: 1.5vh 3vw 0 3vw !important; max-width: 100% !important; }}
.screen {{ font-size: clamp({MIN_FONT_PX}px, 2.6vh, 32px); line-height: 1.4; }}
.screen h1 {{ font-size: clamp(30px, 5vh, 60px); margin: 0 0 1.5vh 0; padding: 0; }}
.screen h3 {{ font-size: clamp(22px, 3.2vh, 40px); margin: 0 0 1vh 0; }}
.screen table {{ border-collapse: collapse; width: 100%; table-layout: auto; }}
.screen th, .screen td {{ border: 1px solid #bbb; padding: 0.4vh 0.6vw; text-align: left;
  font-size: clamp({MIN_FONT_PX}px, 2.4vh, 30px); white-space: nowrap; }}
.screen td.long {{ white-space: normal; overflow-wrap: anywhere; }}
.screen th {{ background: #1F4E79; color: #fff; }}
.screen td.num {{ text-align: right; white-space: nowrap; }}
.screen .cards {{ display: grid; grid-template-columns: repeat(3, 1fr); gap: 1.2vh 1.2vw; }}
.screen .card {{ border: 2px solid #ccc; border-radius: 8px; padding: 0.8vh 1vw; }}
.screen .card .label {{ font-size: clamp({MIN_FONT_PX}px, 2.3vh, 28px); color: #333; }}
.screen .card .value {{ font-size: clamp(28px, 5vh, 64px); font-weight: 700; }}
.screen .card .delta {{ font-size: clamp({MIN_FONT_PX}px, 2.1vh, 26px); }}
.screen .summary {{ font-size: clamp({MIN_FONT_PX}px, 2.4vh, 30px); margin-top: 1.5vh;
  border-left: 6px solid #0072B2; padding: 0.5vh 1vw; background: #f4f8fb; }}
.screen .empty {{ color: #555; }}
[data-testid="stButton"] button {{ min-height: clamp(40px, 6vh, 72px); }}
[data-testid="stButton"] button p, [data-testid="stMarkdownContainer"] p {{
  font-size: clamp({MIN_FONT_PX}px, 2.4vh, 30px) !important; }}
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


def _go(number: int) -> None:
    st.query_params["screen"] = str(number)
    st.rerun()


def leave() -> None:
    for key in ("present", "screen", "by_department"):
        if key in st.query_params:
            del st.query_params[key]
    st.rerun()


def show(review: Review, per_department: bool) -> None:
    """Draw one screen of the review and the buttons to move on."""
    st.html(CSS)
    screens = slides.screens(review, per_department, targets=targets.current())
    number = _screen_number(len(screens))
    screen = screens[number - 1]
    if screen.cards:
        body = report.cards_html(review)
    elif screen.summary:
        body = report.summary_html(review)
    elif screen.table is not None:
        body = report.table_html(*screen.table)
    else:
        body = ""
    st.html(f'<div class="screen"><h1>{safe.html(screen.title)}</h1>{body}</div>')
    if screen.figure is not None:
        figure = charts.for_room(screen.figure, height=CHART_HEIGHT)
        st.plotly_chart(figure, theme=None, key=f"present_{number}", config={"displayModeBar": False})
    back, where, forward, close = st.columns([1, 2, 1, 1], vertical_alignment="center")
    if back.button(t("present.back"), shortcut="Left", disabled=number == 1, key="present_back", width="stretch"):
        _go(number - 1)
    where.markdown(f"**{number} / {len(screens)}** · {review.period.label()}")
    if forward.button(
        t("present.next"),
        shortcut="Right",
        disabled=number == len(screens),
        key="present_next",
        width="stretch",
        type="primary",
    ):
        _go(number + 1)
    if close.button(t("present.leave"), shortcut="Esc", key="present_leave", width="stretch"):
        leave()
