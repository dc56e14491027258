"""大屏 wall screen: the headline charts and the current review, one screen at a time, for a screen in the office.

Opened by a URL with a read-only token an admin created (``/wall?token=…``, see
wenming.store.wall): no sign-in, no keyboard, no sidebar, no other page. Every ``every``
seconds (the URL's ``?every=N``, else the token's) a fragment runs again: it checks the
token (a revoked one ends the wall at once), reads the data as it is now, on today's
default date (figures.at.default_date: the as-of date moves when the day changes), and
shows the screen the clock points at, so a reload or a second screen shows the same one.
``?screen=N`` pins one screen.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import plotly.graph_objects as go
import streamlit as st

from wenming import text, web
from wenming.figures import at, headline
from wenming.render import audit, charts, deck, report, safe, slides
from wenming.store import ROOT, auth
from wenming.store import wall as walls
from wenming.text import t
from wenming.web import data, signin, targets
from wenming.web import review as review_ui
from wenming.web.filters import Filters
from wenming.web.scores import veto_banner

TOKEN, PATH = walls.TOKEN, walls.PATH
EVERY, SCREEN = "every", "screen"  # the URL's other parameters
PAGE = ROOT / "pages" / "wall.py"
MIN_FONT_PX = 20
CHART_HEIGHT = 600  # px: fits a 768-high screen under the title, with the foot line
ROOM_MARGINS = 230  # px of a chart's height outside its rows: title, axis, legend
MIN_CHART_FONT = 14  # px: a chart of many rows rather than names over each other

CSS = f"""
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"] {{ display: none !important; }}
[data-testid="stMainBlockContainer"], .block-container {{
  padding: 1.5vh 3vw 0 3vw !important; max-width: 100% !important; }}
.wall {{ font-size: clamp({MIN_FONT_PX}px, 2.6vh, 32px); line-height: 1.4; }}
.wall h1 {{ font-size: clamp(30px, 5vh, 60px); margin: 0 0 1vh 0; padding: 0; }}
{deck.screen_css(".wall", f"clamp({MIN_FONT_PX}px, 2.4vh, 30px)")}
.wall-foot {{ font-size: clamp(16px, 2vh, 24px); color: #444; margin-top: 1vh; }}
[data-testid="stMetricLabel"] p {{ font-size: clamp({MIN_FONT_PX}px, 2.6vh, 32px) !important; }}
[data-testid="stMetricValue"] {{ font-size: clamp(32px, 7vh, 84px) !important; }}
[data-testid="stMetricDelta"] {{ font-size: clamp(18px, 2.2vh, 28px) !important; }}
[data-testid="stAlert"] p {{ font-size: clamp({MIN_FONT_PX}px, 2.4vh, 30px) !important; }}
</style>
"""


clock = time.time  # seconds since the epoch: which screen is on (a test sets it)


@dataclass(frozen=True)
class Screen:
    """One screen of the wall: the page it comes from (its title on the wall) and what it draws."""

    title: str
    draw: Callable[[], None]


def requested() -> bool:
    """Whether the URL carries a wall token: then this run shows the wall screen and nothing else."""
    return TOKEN in st.query_params


def route() -> None:
    """Run the wall page as the only page of this run (app.py, before any sign-in), and stop.

    Any path with a token leads here: the token opens no other page, and the wall has no
    upload, download or edit. The session is hardened as the sign-in's gate does.
    """
    signin.harden()
    title = t("page.wall")
    root = st.Page(show, title=title, url_path="wall_home", default=True)  # the root URL (a default's path is "")
    shown = st.Page(PAGE, title=title, icon=":material/tv:", url_path=PATH)
    web.run_page(st.navigation([root, shown], position="hidden"))
    st.stop()


def show() -> None:
    """The wall (pages/wall.py): one sentence for a missing, unknown or revoked token, else the cycling screens."""
    web.route()
    _language()
    st.html(CSS)
    signin.refuse_open_without_users(data.store())
    wall = walls.admit(data.store(), st.query_params.get(TOKEN))
    if wall is None:
        st.error(t("wall.refused"), icon=":material/lock:")
        st.stop()
    seconds = _seconds(wall)
    st.fragment(run_every=seconds)(_run)(seconds)


def _language() -> str:
    """The URL's ?lang=en, else Chinese: a wall has no sidebar to switch it."""
    lang = st.query_params.get("lang")
    text.use(lang if lang in text.LANGS else "zh")
    return text.lang()


def _seconds(wall: walls.Wall) -> int:
    """Each screen's time: the URL's ?every=N (within the limits), else the token's."""
    try:
        return min(max(int(st.query_params.get(EVERY, "")), walls.MIN_SECONDS), walls.MAX_SECONDS)
    except ValueError:
        return wall.seconds


def _run(seconds: int) -> None:
    """One tick of the wall: the token again, the data as it is now, the screen the clock points at."""
    if walls.admit(data.store(), st.query_params.get(TOKEN)) is None:
        st.rerun()  # revoked meanwhile: the whole page says so and stops
    with _snapshot():
        f = Filters(at.default_date(web.data_until()), (), _language())
        screens = screens_of(f)
        number = _number(len(screens), seconds)
        screen = screens[number - 1]
        st.html(f'<div class="wall"><h1>{safe.html(screen.title)}</h1></div>')
        screen.draw()
        st.html(
            '<div class="wall-foot">'
            + safe.html(t("wall.foot", number=number, count=len(screens), as_of=f.as_of.isoformat()))
            + "</div>"
        )


def _number(count: int, seconds: int) -> int:
    """The screen to show, 1-based: the URL's ?screen=N, else the one the clock points at."""
    try:
        return min(max(int(st.query_params.get(SCREEN, "")), 1), count)
    except ValueError:
        return int(clock() // seconds) % count + 1


@contextlib.contextmanager
def _snapshot() -> Iterator[None]:
    """One read transaction for the tick, as web.run_page gives a page run: figures before an import or after."""
    reader = data._open(str(data.store().path)).cursor()
    reader.con.begin()
    token = data._SNAPSHOT.set(data.Snapshot(reader, reader.snapshot_version()))
    try:
        yield
    finally:
        data._SNAPSHOT.reset(token)
        reader.con.rollback()
        reader.close()


def screens_of(f: Filters) -> list[Screen]:
    """The headline screens of the pages whose data is there, then the current review's screens."""
    kinds = set(web.sources()["kind"])
    if "tasks" not in kinds:
        return [Screen(t("page.overview"), lambda: web.empty("tasks"))]
    found = [Screen(t("page.overview"), lambda: cards(f, "scores" in kinds))]
    found += [Screen(title, _chart(draw)) for title, draw in _headline_charts(f, kinds)]
    return found + _review_screens(f)


def cards(f: Filters, scores: bool) -> None:
    """总览's headline cards, the same figures on the same date (figures.headline), a triggered veto first."""
    if scores:
        veto_banner(f)
    figures = headline.headlines(web.query, f.as_of, None)
    rows = [figures[i : i + 3] for i in range(0, len(figures), 3)]
    for row in rows:
        for column, figure in zip(st.columns(3), row, strict=False):
            web.metric(
                column, t(f"headline.{figure.key}"), figure.shown(), figure.change, figure.shown_delta(), border=True
            )


def _headline_charts(f: Filters, kinds: set[str]) -> list[tuple[str, Callable[[], go.Figure]]]:
    """(the page's title, its chart) for each headline chart that reads from across a room."""
    lines = targets.current()
    found: list[tuple[str, Callable[[], go.Figure]]] = [
        (
            t("page.overview"),
            lambda: charts.completion_by_department(web.query("tasks_by_department", f), lines.get("completion")),
        ),
        (
            t("page.overview"),
            lambda: charts.rate_trend(web.series("tasks_summary", f), "completion_rate", t("chart.completion_trend")),
        ),
        (
            t("page.tasks"),
            lambda: charts.status_stack(web.query("tasks_by_department", f), "department", web.department_order()),
        ),
        (t("page.overdue"), lambda: charts.overdue_by_department(web.query("tasks_by_department", f))),
    ]
    if "scores" in kinds:
        found.append(
            (
                t("page.scores"),
                lambda: charts.attainment(
                    web.query("scores_by_category", f),
                    "category",
                    t("chart.attainment_by_category"),
                    target=lines.get("attainment"),
                ),
            )
        )
    if "activities" in kinds:
        found.append(
            (
                t("page.participation"),
                lambda: charts.by_month_and_type(
                    web.query("participation_by_month", f), "person_times", t("chart.person_times_by_month")
                ),
            )
        )
    return found


def room_font(figure: go.Figure, height: int = CHART_HEIGHT) -> int:
    """The largest chart text up to the room's that keeps a horizontal bar chart's names apart.

    A chart of many departments or categories would overlap its names at 22 px in a screen's
    height (a name of more than seven characters takes two lines): each name gets its row.
    """
    names = {
        str(y)
        for trace in figure.data
        if getattr(trace, "orientation", None) == "h"
        for y in (() if trace.y is None else trace.y)
    }
    if not names:
        return charts.ROOM_FONT
    lines = 2 if any("<br>" in name for name in names) else 1
    row = (height - ROOM_MARGINS) / len(names)
    return int(min(charts.ROOM_FONT, max(MIN_CHART_FONT, row / (1.25 * lines + 0.35))))


def _chart(build: Callable[[], go.Figure]) -> Callable[[], None]:
    def draw() -> None:
        figure = build()
        figure = charts.for_room(figure, size=room_font(figure), height=CHART_HEIGHT)
        st.plotly_chart(figure, theme=None, config={"displayModeBar": False, "staticPlot": True})

    return draw


def _review_screens(f: Filters) -> list[Screen]:
    """The screens of the current review (last month's, frozen if it was frozen), as 演示模式 cuts them."""
    period = review_ui.periods(f.as_of)[1]
    shown, _ = review_ui.frozen_or_fresh(period, f)
    title = t("wall.review", period=period.label())
    found = []
    for screen in slides.screens(shown, False, targets=targets.current()):
        if screen.figure is not None:
            found.append(Screen(f"{title} · {screen.title}", _chart(lambda figure=screen.figure: figure)))
        else:
            found.append(Screen(f"{title} · {screen.title}", _review_body(shown, screen)))
    return found


def _review_body(shown: object, screen: slides.Screen) -> Callable[[], None]:
    def draw() -> None:
        if screen.cards:
            body = report.cards_html(shown)
        elif screen.summary:
            body = report.summary_html(shown)
        elif screen.table is not None:
            body = report.table_html(*screen.table)
        else:
            body = ""
        st.html(f'<div class="wall">{body}</div>')

    return draw


# ---------------------------------------------------------------- 用户与设置: the admin's part

NOTICE = "_wall_notice"  # session state: the sentence of the last change and a new URL (shown once), after the rerun
LISTED = ["wall_id", "wall_label", "seconds", "wall_state", "wall_created_by", "created_at", "last_used", "revoked"]


def _when(value: object) -> str:
    return "" if value is None or value != value else value.strftime("%Y-%m-%d %H:%M")  # NaT != NaT


def _base() -> str:
    """This server's address as the admin's browser reaches it (scheme and host of the page's URL)."""
    parts = urlsplit(st.context.url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""


def admin(me: auth.User) -> None:
    """Create a wall URL (shown once), list every one with when it was last used, revoke one."""
    store = data.store()
    by = me.name or "admin"
    st.subheader(t("wall.admin"))
    st.caption(t("wall.admin_help"))
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        st.success(notice[0], icon=":material/check_circle:")
        if notice[1]:
            st.code(notice[1], language=None, wrap_lines=True)
    with st.form("wall_create", clear_on_submit=True):
        label = st.text_input(t("wall.label"), max_chars=walls.MAX_LABEL, placeholder=t("wall.label_hint"))
        seconds = st.number_input(
            t("wall.seconds"), min_value=walls.MIN_SECONDS, max_value=walls.MAX_SECONDS, value=walls.DEFAULT_SECONDS
        )
        if st.form_submit_button(t("wall.create"), type="primary"):
            try:
                _, token = walls.create(store, label, by=by, seconds=int(seconds))
            except walls.WallError as error:
                st.error(t(f"wall.error.{error.key}", **error.params))
            except auth.Forbidden as refused:
                st.error(safe.markdown(refused.message()))
            else:
                said = safe.say("wall.created", label=" ".join(label.split()))
                st.session_state[NOTICE] = (said, walls.url(_base(), token))
                st.rerun()
    listed = walls.listing(store)
    if listed.empty:
        st.caption(t("wall.none"))
        return
    shown = listed.assign(
        wall_label=listed["label"],
        wall_state=[t("wall.state_revoked" if _when(r) else "wall.state_active") for r in listed["revoked_at"]],
        wall_created_by=listed["created_by"].map(audit.operator),
        created_at=listed["created_at"].map(_when),
        last_used=listed["last_used"].map(_when),
        revoked=[
            t("wall.revoked_by", when=_when(r), user=audit.operator(u)) if _when(r) else ""
            for r, u in zip(listed["revoked_at"], listed["revoked_by"], strict=True)
        ],
    )
    web.table(shown, LISTED, key="wall_tokens")
    active = listed[listed["revoked_at"].isna()]
    if active.empty:
        return
    names = dict(zip(active["wall_id"], active["label"], strict=True))
    with st.form("wall_revoke"):
        chosen = st.selectbox(
            t("wall.revoke_pick"),
            list(names),
            format_func=lambda i: t("wall.choice", wall=i, label=names[i]),
            placeholder=t("widget.choose"),
        )
        if st.form_submit_button(t("wall.revoke")) and chosen is not None:
            walls.revoke(store, int(chosen), by=by)
            st.session_state[NOTICE] = (safe.say("wall.revoked", label=names[chosen]), None)
            st.rerun()
