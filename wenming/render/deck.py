"""The review as one deck for the projector: every screen drawn once, moved through in the browser.

The deck is an HTML fragment holding all screens of ``slides.screens`` (the same
``Review``, so the same figures as the page), the charts as plotly JSON and a
small script: ← → PageUp PageDown space, a click on the slide and the buttons
move between screens without asking the server, the screen number is written into
the URL (``?screen=3``) so a reload stays there, and Esc presses the page's own
leave button (``LEAVE_KEY``). plotly.js is loaded from the dashboard itself
(``plotly_src``), never from the internet.
"""

from __future__ import annotations

import json

import plotly.graph_objects as go
import plotly.io as pio

from wenming.figures.review import Review
from wenming.render import charts, report, safe, slides
from wenming.text import t

MIN_FONT_PX = 20  # the smallest text on a room's screen (1024×768 and up); the browser test holds us to it
PHONE_FONT_PX = 15  # the text of a slide on a phone (under 600 px wide)
LEAVE_KEY = "present_leave"  # the Streamlit button that leaves 演示模式 (Esc and the deck's own button press it)


def screen_css(scope: str, table_font: str) -> str:
    """The look of a screen's content (subtitles, tables, cards, the summary) under ``scope``: 演示模式 and the wall."""
    return f"""{scope} h3 {{ font-size: clamp(22px, 3.2vh, 40px); margin: 0 0 1vh 0; }}
{scope} table {{ border-collapse: collapse; width: 100%; }}
{scope} th, {scope} td {{ border: 1px solid #bbb; padding: 0.4vh 0.6vw; text-align: left;
  font-size: {table_font}; white-space: nowrap; }}
{scope} td.long {{ white-space: normal; overflow-wrap: anywhere; }}
{scope} th {{ background: #1F4E79; color: #fff; }}
{scope} td.num {{ text-align: right; }}
{scope} .cards {{ display: grid; grid-template-columns: repeat(3, 1fr); gap: 1.2vh 1.2vw; }}
{scope} .card {{ border: 2px solid #ccc; border-radius: 8px; padding: 0.8vh 1vw; }}
{scope} .card .label {{ font-size: clamp({MIN_FONT_PX}px, 2.3vh, 28px); color: #333; }}
{scope} .card .value {{ font-size: clamp(28px, 5vh, 64px); font-weight: 700; }}
{scope} .card .delta {{ font-size: clamp({MIN_FONT_PX}px, 2.1vh, 26px); }}
{scope} .summary {{ margin-top: 1.5vh; border-left: 6px solid #0072B2; padding: 0.5vh 1vw; background: #f4f8fb; }}
"""


CSS = f"""
.deck {{ position: fixed; inset: 0; z-index: 999990; background: #fff; color: #1a1a1a;
  display: flex; flex-direction: column;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
  --text: clamp({MIN_FONT_PX}px, 2.4vh, 30px); font-size: var(--text); line-height: 1.4; }}
.deck .screens {{ position: relative; flex: 1; min-height: 0; }}
.deck .screen {{ position: absolute; inset: 0; padding: 1.5vh 3vw 0 3vw; visibility: hidden;
  display: flex; flex-direction: column; overflow: hidden; cursor: pointer; }}
.deck .screen.current {{ visibility: visible; }}
.deck h1 {{ font-size: clamp(30px, 5vh, 60px); margin: 0 0 1.5vh 0; padding: 0; line-height: 1.25; font-weight: 700; }}
.deck .body {{ flex: 1; min-height: 0; overflow: auto; }}
{screen_css(".deck", "var(--text)")}.deck .empty {{ color: #555; }}
.deck .chart {{ flex: 1; min-height: 0; }}
.deck nav {{ display: flex; align-items: center; gap: 1vw; padding: 1vh 3vw; border-top: 1px solid #ddd; }}
.deck nav .where {{ flex: 1; text-align: center; }}
.deck nav button {{ font: inherit; min-height: clamp(40px, 6vh, 72px); padding: 0 1.5vw; border-radius: 8px;
  border: 1px solid #bbb; background: #fff; color: inherit; cursor: pointer; }}
.deck nav button.next {{ background: #0072B2; border-color: #0072B2; color: #fff; }}
.deck nav button:disabled {{ opacity: 0.4; cursor: default; }}
@media (max-width: 600px) {{
  .deck {{ --text: {PHONE_FONT_PX}px; }}
  .deck .screen {{ padding: 1vh 3vw 0 3vw; }}
  .deck h1 {{ font-size: 22px; }}
  .deck h3, .deck .card .label, .deck .card .delta {{ font-size: {PHONE_FONT_PX}px; }}
  .deck .cards {{ grid-template-columns: repeat(2, 1fr); gap: 1vh 2vw; }}
  .deck .card .value {{ font-size: 26px; }}
  .deck th, .deck td {{ padding: 0.3vh 1.5vw; }}
  .deck td.long {{ min-width: 9em; }}
  .deck nav {{ gap: 2vw; }}
  .deck nav .period {{ display: none; }}
}}
"""

# Plain ES5, and no "<" before a letter or "/": st.html's sanitiser drops a script whose text has one.
SCRIPT = """
(function () {
  var deck = document.currentScript.closest('.deck');
  var screens = Array.prototype.slice.call(deck.querySelectorAll('.screen'));
  var figures = JSON.parse(deck.querySelector('.figures').textContent);
  var back = deck.querySelector('nav .back'), next = deck.querySelector('nav .next');
  var where = deck.querySelector('nav .number');
  var roomFont = parseFloat(deck.dataset.roomFont);
  var current = 0;
  function show(i) {
    current = Math.max(0, Math.min(screens.length - 1, i));
    screens.forEach(function (s, k) { s.classList.toggle('current', k === current); });
    where.textContent = (current + 1) + ' / ' + screens.length;
    back.disabled = current === 0;
    next.disabled = current === screens.length - 1;
    deck.dataset.screen = String(current + 1);
    var url = new URL(window.location.href);
    url.searchParams.set('screen', String(current + 1));
    window.history.replaceState(window.history.state, '', url.toString());
  }
  function leave() {
    var button = document.querySelector('.st-key-' + deck.dataset.leave + ' button');
    if (button) { button.click(); }
  }
  function onKey(e) {
    if (!deck.isConnected) { document.removeEventListener('keydown', onKey, true); return; }
    if (e.altKey || e.ctrlKey || e.metaKey) { return; }
    if (e.key === 'ArrowRight' || e.key === 'PageDown' || e.key === ' ') { show(current + 1); }
    else if (e.key === 'ArrowLeft' || e.key === 'PageUp') { show(current - 1); }
    else if (e.key === 'Home') { show(0); }
    else if (e.key === 'End') { show(screens.length - 1); }
    else if (e.key === 'Escape') { leave(); }
    else { return; }
    e.preventDefault();
    e.stopPropagation();
  }
  document.addEventListener('keydown', onKey, true);
  back.addEventListener('click', function () { show(current - 1); });
  next.addEventListener('click', function () { show(current + 1); });
  deck.querySelector('nav .leave').addEventListener('click', leave);
  screens.forEach(function (s) {
    s.addEventListener('click', function () { if (!window.getSelection().toString()) { show(current + 1); } });
  });
  function scaled(node, factor) {
    if (Array.isArray(node)) { node.forEach(function (n) { scaled(n, factor); }); return; }
    if (!node || typeof node !== 'object') { return; }
    Object.keys(node).forEach(function (key) {
      var value = node[key];
      if (/font$/i.test(key) && value && typeof value.size === 'number') {
        value.size = Math.round(value.size * factor);
      }
      scaled(value, factor);
    });
  }
  function draw() {
    var text = parseFloat(window.getComputedStyle(deck).fontSize);
    var done = [];
    deck.querySelectorAll('.chart').forEach(function (div) {
      var figure = JSON.parse(JSON.stringify(figures[div.dataset.figure]));
      scaled(figure, text / roomFont);  /* chart text as large as the table text of this screen size */
      done.push(window.Plotly.react(div, figure.data, figure.layout,
        {displayModeBar: false, staticPlot: true, responsive: true}));
    });
    Promise.all(done).then(function () { deck.dataset.drawn = '1'; });
  }
  var timer = null;
  window.addEventListener('resize', function () {
    if (!deck.isConnected || !window.Plotly) { return; }
    clearTimeout(timer);
    timer = setTimeout(draw, 150);
  });
  show(parseInt(deck.dataset.start, 10) - 1);
  if (window.Plotly) { draw(); }
  else if (deck.querySelector('.chart')) {
    var script = document.createElement('script');
    script.src = deck.dataset.plotly;
    script.onload = draw;
    document.head.appendChild(script);
  } else { deck.dataset.drawn = '1'; }
})();
"""

_e = safe.html


def _json(value: object) -> str:
    """JSON inside HTML: no "<", ">" or "&" that a parser or a sanitiser could read as markup."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def figure_json(figure: go.Figure) -> dict[str, object]:
    """A slide's chart for the room, its height left to the screen (the chart fills what the title leaves)."""
    room = json.loads(pio.to_json(charts.for_room(figure), validate=False))
    layout = room.setdefault("layout", {})
    layout.pop("height", None)
    layout["autosize"] = True
    return {"data": room.get("data", []), "layout": layout}


def _body(review: Review, screen: slides.Screen, figures: list[dict[str, object]]) -> str:
    """A screen's HTML; a chart is added to ``figures`` instead, for the script to draw."""
    if screen.cards:
        return report.cards_html(review)
    if screen.summary:
        return report.summary_html(review)
    if screen.table is not None:
        return report.table_html(*screen.table)
    if screen.figure is not None:
        figures.append(figure_json(screen.figure))
    return ""


def render(
    review: Review,
    screens: list[slides.Screen],
    start: int = 1,
    plotly_src: str = "",
) -> str:
    """Every screen of the review in one fragment, ``start`` (from 1) on show; ``plotly_src``: where plotly.js is."""
    figures: list[dict[str, object]] = []
    sections = []
    for number, screen in enumerate(screens, start=1):
        body = _body(review, screen, figures)
        chart = f'<div class="chart" data-figure="{len(figures) - 1}"></div>' if screen.figure is not None else ""
        current = " current" if number == start else ""
        wrapped = f'<div class="body">{body}</div>' if body else ""
        sections.append(
            f'<section class="screen{current}" data-screen="{number}" data-key="{_e(screen.key)}">'
            f"<h1>{_e(screen.title)}</h1>{wrapped}{chart}</section>"
        )
    nav = (
        f'<nav><button type="button" class="back">{_e(t("present.back"))}</button>'
        f'<span class="where"><strong class="number">{start} / {len(screens)}</strong>'
        f'<span class="period"> · {_e(review.period.label())}</span></span>'
        f'<button type="button" class="next">{_e(t("present.next"))}</button>'
        f'<button type="button" class="leave">{_e(t("present.leave"))}</button></nav>'
    )
    return (
        f'<div class="deck" data-start="{start}" data-count="{len(screens)}" data-screen="{start}" '
        f'data-room-font="{charts.ROOM_FONT}" data-leave="{LEAVE_KEY}" data-plotly="{_e(plotly_src)}">'
        f"<style>{CSS}</style>"
        f'<div class="screens">{"".join(sections)}</div>{nav}'
        f'<script type="application/json" class="figures">{_json(figures)}</script>'
        f"<script>{SCRIPT}</script></div>"
    )
