"""Every page and every slide in chromium at four screen sizes, with the internet cut off.

At 1920×1080, 1366×768, 1024×768 (a projector) and 390×844 (a phone) each page and each
screen of 演示模式 is checked for chart text that is clipped by its chart or overlaps its
neighbour, a chart narrower or wider than its column, cards cut short with "…", English
words in the Chinese UI (outside an allow-list of proper names), Chinese punctuation in
the English one and any Chinese there but the data's own names (tests/test_one_language.py);
every request that leaves 127.0.0.1 is blocked and fails the test. Screenshots go to
test-results/screenshots/ (kept by CI); with WENMING_README_SCREENSHOTS=1 the
1366×768 ones are also written to docs/screenshots/ for the README.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import plotly
import pytest

from tests.test_browser import AS_OF, IDLE, PAGES, ROOT, browser, reference, server  # noqa: F401 - fixtures
from tests.test_one_language import chinese_outside_data, data_runs
from wenming.store import Store

pytestmark = pytest.mark.browser

SIZES = [(1920, 1080), (1366, 768), (1024, 768), (390, 844)]
SHOTS = ROOT / "test-results" / "screenshots"
README_SHOTS = ROOT / "docs" / "screenshots"
# Names that stay as they are in the Chinese UI: the language switch (语言 / Language, on purpose
# bilingual, for a reader of the other language), file formats, product and standard names.
ENGLISH_ALLOWED = {"Language", "English", "Excel", "xlsx", "HTML", "PDF", "SHA", "OIDC", "Esc", "CSV", "csv", "PPT"}
# the names of file formats and encodings the upload page lists (issue 13): proper names, as written on the files
ENGLISH_ALLOWED |= {"xls", "xlsm", "xlsb", "et", "ods", "WPS", "OpenDocument", "UTF", "GBK", "Word", "PowerPoint"}
# 佐证材料: the file size unit, the bundle's file type, a link's scheme, and an empty date box's format mask
ENGLISH_ALLOWED |= {"MB", "zip", "https", "http", "YYYY", "MM", "DD", "yyyy", "mm", "dd"}
CHINESE_PUNCTUATION = re.compile(r"[、，。：；（）！？“”]")

# Chart text outside its chart, or over another text of the same chart; cards cut short.
LAYOUT_PROBLEMS = """() => {
  const out = [];
  const visible = el => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden' || parseFloat(s.opacity) === 0) return false;
    }
    return true;
  };
  const rotated = el => /rotate\\((?!0)/.test(el.getAttribute('transform') || '');
  for (const plot of document.querySelectorAll('.js-plotly-plot')) {
    const frame = plot.getBoundingClientRect();
    if (!frame.width) continue;
    const texts = [...plot.querySelectorAll('svg text')]
      .filter(el => el.textContent.trim() && !el.closest('.hoverlayer') && visible(el))
      .map(el => ({el, text: el.textContent.trim(), box: el.getBoundingClientRect(), rot: rotated(el)}))
      .filter(x => x.box.width > 0 && x.box.height > 0);
    for (const x of texts) {
      if (x.box.left < frame.left - 1 || x.box.right > frame.right + 1 ||
          x.box.top < frame.top - 1 || x.box.bottom > frame.bottom + 1)
        out.push('clipped: ' + x.text);
    }
    for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
      const a = texts[i], b = texts[j];
      if (a.rot || b.rot) continue;
      const w = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
      const h = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
      if (w > 2 && h > 2) out.push('overlap: ' + a.text + ' / ' + b.text);
    }
  }
  // a chart fills its column: drawn for a narrower one (a fixed 340 px) it leaves the rest empty, wider it is cut
  for (const chart of document.querySelectorAll('[data-testid="stPlotlyChart"]')) {
    const svg = chart.querySelector('.main-svg');
    const column = chart.closest('[data-testid="stVerticalBlock"]');
    if (!svg || !column || !visible(chart)) continue;
    const drawn = svg.getBoundingClientRect().width, room = column.getBoundingClientRect().width;
    const title = (chart.querySelector('.gtitle') || {}).textContent || 'chart';
    if (drawn > room + 1) out.push(`chart wider than its column: ${title} ${Math.round(drawn)} > ${Math.round(room)} px`);
    else if (drawn < 0.9 * room) out.push(`chart narrower than its column: ${title} ${Math.round(drawn)} of ${Math.round(room)} px`);
  }
  for (const el of document.querySelectorAll(
      '[data-testid="stMetricValue"] *, [data-testid="stMetricDelta"] *, [data-testid="stMetricLabel"] *')) {
    if (visible(el) && el.scrollWidth > el.clientWidth + 1) out.push('card cut: ' + el.textContent.trim());
  }
  return out;
}"""
# What a reader sees: the text of the page, without the data's own cells (tables are canvases).
VISIBLE_TEXT = """() => {
  const out = [];
  for (const root of document.querySelectorAll('[data-testid="stMain"], [data-testid="stSidebar"]')) {
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const el = n.parentElement;
      if (!n.textContent.trim() || el.closest('[translate="no"], style, script')) continue;  // icons by name
      if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
      out.push(n.textContent);
    }
  }
  const inputs = [...document.querySelectorAll('input[placeholder], textarea[placeholder]')].map(i => i.placeholder);
  return out.concat(inputs).join('\\n');
}"""


# The check's own test: a chart that fits, then one drawn 340 px wide in a wide column, one whose bar label runs
# past the chart's edge and two labels drawn over each other (plotly.js from the plotly package: no request leaves).
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
CHECKED_CHARTS = """<div data-testid="stVerticalBlock" style="width: 1800px">
  <div data-testid="stPlotlyChart"><div id="fits"></div></div>
  <div data-testid="stPlotlyChart"><div id="narrow"></div></div>
  <div data-testid="stPlotlyChart"><div id="clipped"></div></div>
</div>"""
DRAW_FITTING = """async () => {
  const bar = text => [{type: 'bar', orientation: 'h', x: [1], y: ['办公室'], text: [text], textposition: 'outside',
                        cliponaxis: false}];
  window.bar = bar;
  await Plotly.newPlot('fits', bar('50.0%'), {title: {text: 'fits'}, height: 300, xaxis: {range: [0, 2]}});
}"""
DRAW_BROKEN = """async () => {
  await Plotly.newPlot('narrow', bar('50.0%'), {title: {text: 'narrow'}, width: 340, height: 300,
                                                xaxis: {range: [0, 2]}});
  await Plotly.newPlot('clipped', bar('100.0%（8/8）'), {
    title: {text: 'clipped'}, height: 300, margin: {r: 0}, xaxis: {range: [0, 1]},
    annotations: [{x: 0.5, y: 0, text: 'here', showarrow: false}, {x: 0.5, y: 0, text: 'there', showarrow: false}]});
}"""


def is_local(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in {"data", "blob", "about"} or parsed.hostname in {"127.0.0.1", "localhost"}


def cut_off(page: Any, leaks: list[str]) -> None:
    """Block every request that would leave this machine, and note it."""

    def handle(route: Any) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            leaks.append(route.request.url)
            route.abort()

    page.route("**/*", handle)


def external_links(page: Any) -> list[str]:
    """URLs the page would load outside our routes: the favicon, stylesheets, images, fonts."""
    urls = page.evaluate(
        """() => [...document.querySelectorAll('link[href], img[src], script[src], iframe[src], source[src]')]
                  .map(e => e.href || e.src)
                  .concat(performance.getEntriesByType('resource').map(r => r.name))"""
    )
    return sorted({u for u in urls if u and not is_local(u)})


def english_words(text: str) -> list[str]:
    words = re.findall(r"[A-Za-z]{2,}", text)
    return sorted({w for w in words if w not in ENGLISH_ALLOWED})


@pytest.fixture(scope="module")
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


def sized(context: Any, width: int, height: int, leaks: list[str]) -> Any:
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": height})
    cut_off(page, leaks)
    return page


def drawn(page: Any, title: str | None = None, charts: int = 0) -> None:
    """Wait for the run to end and every chart to be drawn (Streamlit loads plotly lazily, behind a skeleton)."""
    if title:
        page.locator("h1", has_text=title).first.wait_for()
    page.wait_for_selector(IDLE)
    if charts:
        page.locator(".js-plotly-plot").nth(charts - 1).wait_for()
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')")
    for chart in page.locator('[data-testid="stPlotlyChart"]').all():
        chart.locator(".main-svg").first.wait_for()
    page.wait_for_timeout(400)  # plotly's second layout pass (automargin)


def check(page: Any, where: str, lang: str = "zh") -> list[str]:
    """Everything wrong with what the page shows now, each problem named with ``where``."""
    found = [f"{where}: {p}" for p in page.evaluate(LAYOUT_PROBLEMS)]
    found += [f"{where}: request to {u}" for u in external_links(page)]
    found += [f"{where}: exception" for _ in range(page.locator('[data-testid="stException"]').count())]
    text = page.evaluate(VISIBLE_TEXT)
    if lang == "zh":
        found += [f"{where}: English word {w!r}" for w in english_words(text)]
    return found


def save(page: Any, folder: Path, name: str, width: int, height: int, readme: bool = True) -> None:
    page.screenshot(path=folder / f"{name}_{width}x{height}.png")
    if readme and (width, height) == (1366, 768) and os.environ.get("WENMING_README_SCREENSHOTS") == "1":
        README_SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=README_SHOTS / f"{name}.png")


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_page_fits_and_stays_offline(server: Any, browser: Any, shots: Path, width: int, height: int) -> None:
    leaks: list[str] = []
    page = sized(browser, width, height, leaks)
    problems: list[str] = []
    try:
        for path, (title, charts) in PAGES.items():
            page.goto(f"{server.url}/{path}?as_of={AS_OF}")
            drawn(page, title, charts)
            save(page, shots, path or "overview", width, height)
            problems += check(page, f"{path or 'overview'} {width}x{height}")
    finally:
        page.close()
    problems += [f"blocked {u}" for u in leaks]
    assert not problems, "\n".join(problems)


def test_the_layout_check_catches_clipped_overlapping_and_narrow_charts(browser: Any) -> None:  # noqa: F811
    leaks: list[str] = []
    page = sized(browser, 1920, 1080, leaks)
    try:
        page.set_content(CHECKED_CHARTS)
        page.add_script_tag(path=str(PLOTLY_JS))
        page.evaluate(DRAW_FITTING)
        assert page.evaluate(LAYOUT_PROBLEMS) == []  # a chart that fills its column, its text inside it
        page.evaluate(DRAW_BROKEN)
        problems = page.evaluate(LAYOUT_PROBLEMS)
    finally:
        page.close()
    assert any(p.startswith("chart narrower than its column: narrow 340 of 1800") for p in problems), problems
    assert "clipped: 100.0%（8/8）" in problems
    assert "overlap: here / there" in problems
    assert not [p for p in problems if "fits" in p] and not leaks


# A text of the slide on show that the reader cannot see whole: outside the window, or cut by its box, unless it
# sits in the slide's body and the body scrolls to it (a phone scrolls a wide table; a room's screen never scrolls).
SLIDE_CLIPPED = """(room) => {
  const out = [];
  const slide = document.querySelector('.deck .screen.current');
  const body = slide.querySelector('.body');
  if (room && body && (body.scrollHeight > body.clientHeight + 1 || body.scrollWidth > body.clientWidth + 1))
    out.push('slide scrolls: ' + slide.querySelector('h1').textContent);
  for (const el of [...slide.querySelectorAll('*'), ...document.querySelectorAll('.deck nav *')]) {
    if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    const r = el.getBoundingClientRect();
    const scrolled = !room && body && body.contains(el);
    if (!scrolled && (r.left < -1 || r.top < -1 || r.right > innerWidth + 1 || r.bottom > innerHeight + 1))
      out.push('outside the window: ' + el.textContent.trim().slice(0, 30));
    if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
      out.push('cut: ' + el.textContent.trim().slice(0, 30));
  }
  return out;
}"""


def deck_drawn(page: Any) -> int:
    """Wait for the deck and its charts to be drawn; its number of slides."""
    page.locator('.deck[data-drawn="1"]').wait_for()
    page.wait_for_selector(IDLE)
    page.wait_for_timeout(400)  # plotly's second layout pass (automargin)
    return int(page.locator(".deck").get_attribute("data-count"))


def slide_on_show(page: Any, number: int) -> None:
    """Wait until slide ``number`` is the one on show (moved in the browser, no rerun to wait for)."""
    page.wait_for_function(f"() => document.querySelector('.deck').dataset.screen === '{number}'")
    page.wait_for_timeout(100)


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_slide_fits_and_stays_offline(server: Any, browser: Any, shots: Path, width: int, height: int) -> None:
    leaks: list[str] = []
    page = sized(browser, width, height, leaks)
    problems: list[str] = []
    room = width >= 1024  # a projector or a monitor: every slide fits without scrolling; a phone may scroll a table
    try:
        page.goto(f"{server.url}/review?as_of={AS_OF}&period=2026-10&present=1&by_department=1&screen=1")
        count = deck_drawn(page)
        for number in range(1, count + 1):
            if number > 1:
                page.keyboard.press("ArrowRight")
                slide_on_show(page, number)
            save(page, shots, f"slide_{number:02d}", width, height, readme=False)
            where = f"slide {number} {width}x{height}"
            problems += check(page, where) + [f"{where}: {p}" for p in page.evaluate(SLIDE_CLIPPED, room)]
    finally:
        page.close()
    problems += [f"blocked {u}" for u in leaks]
    assert not problems, "\n".join(problems)


@pytest.fixture
def english(server: Any, browser: Any) -> Iterator[tuple[Any, list[str]]]:  # noqa: F811
    leaks: list[str] = []
    page = sized(browser, 1366, 768, leaks)
    yield page, leaks
    page.close()


def test_the_english_ui_uses_english_punctuation(
    server: Any,
    english: tuple[Any, list[str]],
    shots: Path,
    reference: Store,  # noqa: F811
) -> None:
    page, leaks = english
    data = data_runs(reference)
    problems: list[str] = []
    for path in PAGES:
        page.goto(f"{server.url}/{path}?as_of={AS_OF}&lang=en")
        drawn(page)
        save(page, shots, f"en_{path or 'overview'}", 1366, 768, readme=False)
        # cards, captions and headings are ours; a chart's text holds names from the workbooks, so there only
        # the labels we write (75.0% (3/4)) are checked
        labels = page.evaluate(
            """() => [...document.querySelectorAll(
                 '[data-testid="stMetric"], [data-testid="stCaptionContainer"], h1, h2, h3')].map(e => e.textContent)"""
        )
        problems += [f"{path}: {text!r}" for text in labels if CHINESE_PUNCTUATION.search(text)]
        chart_text = page.evaluate(
            "() => [...document.querySelectorAll('.js-plotly-plot svg text')].map(e => e.textContent)"
        )
        problems += [f"{path}: {text!r}" for text in chart_text if re.search(r"\d[（）：]|[（）]\d", text)]
        # every word of the page, charts and placeholders included, in English but for the data's own names
        shown = page.evaluate(VISIBLE_TEXT) + "\n" + page.title()
        problems += [f"{path}: Chinese {run!r}" for run in chinese_outside_data(shown, data)]
    problems += [f"blocked {u}" for u in leaks]
    assert not problems, "\n".join(problems)
