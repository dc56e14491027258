"""The monthly review in chromium: presentation mode on two projector sizes, and the offline HTML report."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.test_browser import AS_OF, IDLE, browser, open_page, reference, server, settle  # noqa: F401 - fixtures
from wenming.devtools import pagebench
from wenming.figures import review
from wenming.figures.review import Period
from wenming.render import deck, report, slides
from wenming.store import Store

pytestmark = pytest.mark.browser

OCTOBER = Period.parse("2026-10")
SIZES = [(1920, 1080), (1024, 768)]

DECK = '.deck[data-drawn="1"]'  # the deck is drawn and its charts with it
SHOWN = ".deck .screen.current h1"  # the title of the screen on show
# Every element of the screen on show and the deck's buttons, measured against the window; a screen never scrolls.
OVERFLOW = """() => {
  const out = [];
  for (const el of document.querySelectorAll('.deck .screen.current, .deck .screen.current *, .deck nav *')) {
    const r = el.getBoundingClientRect();
    if (r.width && (r.left < -1 || r.top < -1 || r.right > innerWidth + 1 || r.bottom > innerHeight + 1))
      out.push(el.tagName + '.' + el.className + ' ' + Math.round(r.right) + 'x' + Math.round(r.bottom));
  }
  for (const el of document.querySelectorAll('.deck .screen.current .body'))
    if (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)
      out.push('screen scrolls: ' + el.scrollWidth + 'x' + el.scrollHeight);
  return out;
}"""
SMALLEST_TEXT = """() => {
  let smallest = 1000;
  for (const el of document.querySelectorAll('.deck .screen.current *, .deck nav *')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (own) smallest = Math.min(smallest, parseFloat(getComputedStyle(el).fontSize));
  }
  for (const el of document.querySelectorAll('.deck .screen.current .js-plotly-plot svg text'))
    if (el.textContent.trim()) smallest = Math.min(smallest, parseFloat(getComputedStyle(el).fontSize));
  return smallest;
}"""
# From a key press to the first frame that shows the next screen's title, in ms, kept in window.slideTimes.
# the bench's in-page timer of the next slide, and a count of the app's script runs (a server round trip each)
TIMER = (
    pagebench.SLIDE_TIMER[: -len("}")]
    + """  window.runs = 0;
  const app = document.querySelector('[data-testid="stApp"]');
  new MutationObserver(() => { if (app.dataset.testScriptState === 'running') window.runs += 1; })
    .observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""
)


def sized(context: Any, width: int, height: int) -> Any:
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": height})
    return page


@pytest.fixture(scope="module")
def october(reference: Store) -> review.Review:  # noqa: F811
    return review.build(reference.query, OCTOBER, AS_OF)


def screen_url(server: Any, number: int) -> str:  # noqa: F811
    return f"{server.url}/review?as_of={AS_OF}&period=2026-10&present=1&screen={number}"


def shown(page: Any) -> str:
    return page.locator(SHOWN).inner_text()


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_screen_fits_the_projector(
    server: Any,
    browser: Any,
    october: review.Review,
    width: int,
    height: int,  # noqa: F811
) -> None:
    screens = slides.screens(october)
    charts = [n for n, s in enumerate(screens, start=1) if s.figure is not None]
    tables = [n for n, s in enumerate(screens, start=1) if s.table is not None]
    for number in [1, tables[0], max(tables, key=lambda n: len(screens[n - 1].table[1])), charts[0], len(screens)]:
        page = sized(browser, width, height)
        try:
            page.goto(screen_url(server, number))
            page.locator(DECK).wait_for()
            page.locator(IDLE).wait_for()
            assert shown(page) == screens[number - 1].title
            page.wait_for_timeout(300)
            page.screenshot(path=server.folder / f"present_{width}x{height}_{number}.png")
            assert page.locator('[data-testid="stException"]').count() == 0
            assert page.locator('[data-testid="stSidebar"]').is_hidden()
            assert page.evaluate(OVERFLOW) == [], f"screen {number} at {width}x{height}"
            assert page.evaluate(SMALLEST_TEXT) >= deck.MIN_FONT_PX
        finally:
            page.close()


def test_the_keys_clicks_and_buttons_move_between_screens(server: Any, browser: Any) -> None:  # noqa: F811
    page = sized(browser, 1024, 768)
    try:
        page.goto(screen_url(server, 2))  # the 通报 paragraph, after the headline cards
        page.locator(DECK).wait_for()
        page.locator(IDLE).wait_for()
        assert shown(page) == "一、主要指标"
        for key, title in (("ArrowRight", "二、红黑榜"), ("ArrowLeft", "一、主要指标")):
            page.keyboard.press(key)
            page.locator(SHOWN, has_text=title).wait_for()
        for key, number in (("PageDown", "3"), ("Space", "4"), ("PageUp", "3"), ("End", None), ("Home", "1")):
            page.keyboard.press(key)
            if number:
                page.wait_for_function(f"() => document.querySelector('.deck').dataset.screen === '{number}'")
        assert "screen=1" in page.url and shown(page) == "一、主要指标"
        page.locator(".deck .screen.current").click()  # a click on the slide moves on
        page.locator(".deck nav .next").click()
        page.locator(SHOWN, has_text="二、红黑榜").wait_for()
        page.locator(".deck nav .back").click()
        page.wait_for_function("() => document.querySelector('.deck').dataset.screen === '2'")
        assert page.locator(".deck nav .number").inner_text() == "2 / " + page.locator(".deck").get_attribute(
            "data-count"
        )
        assert "screen=2" in page.url
        page.reload()  # the screen is in the URL: a reload stays on it
        page.locator(DECK).wait_for()
        assert page.locator(".deck").get_attribute("data-screen") == "2" and "screen=2" in page.url
        page.locator(IDLE).wait_for()
        page.keyboard.press("Escape")  # back to the review page
        page.get_by_role("button", name="演示模式").wait_for()
        assert "present" not in page.url and "screen" not in page.url and page.locator(".deck").count() == 0
        page.keyboard.press("ArrowRight")  # the deck's keys are gone with it
        assert "screen" not in page.url
    finally:
        page.close()


def test_the_next_slide_is_drawn_in_the_browser_without_the_server(server: Any, browser: Any) -> None:  # noqa: F811
    page = sized(browser, 1024, 768)
    sent: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda frame: sent.append(str(frame)[:40])))
    try:
        page.goto(screen_url(server, 1))
        page.locator(DECK).wait_for()
        page.locator(IDLE).wait_for()
        page.wait_for_timeout(500)
        page.evaluate(TIMER)
        before = len(sent)
        count = int(page.locator(".deck").get_attribute("data-count"))
        for number in range(2, count + 1):
            page.keyboard.press("ArrowRight")
            page.wait_for_function(f"() => window.slideTimes.length === {number - 1}")
        times = sorted(page.evaluate("window.slideTimes"))
        print(
            f"slide to slide over {len(times)} screens: median {times[len(times) // 2]:.1f} ms, max {times[-1]:.1f} ms"
        )
        assert len(times) == count - 1 and shown(page) == page.locator(".deck .screen").last.locator("h1").inner_text()
        assert sent[before:] == [] and page.evaluate("window.runs") == 0  # no message to the server, no rerun
        assert f"screen={count}" in page.url
    finally:
        page.close()


def test_the_html_report_opens_offline_with_its_charts(browser: Any, october: review.Review, tmp_path: Path) -> None:  # noqa: F811
    path = tmp_path / "report.html"
    path.write_text(report.render(october), encoding="utf-8")
    page = sized(browser, 1400, 900)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(path.as_uri())
        figures = sum(len(s.figures) for s in slides.slides(october))
        page.locator(".js-plotly-plot").nth(figures - 1).wait_for()
        assert page.locator(".js-plotly-plot").count() == figures
        assert [r for r in requests if not r.startswith("file:")] == []
        assert october.summary() in page.locator(".summary").inner_text()
        page.keyboard.press("p")
        assert "present" in page.evaluate("document.body.className")
        assert page.locator("section.current").count() == 1
        # Printed (or saved as PDF) it is an A4 document, a section per page at least, even from the slides.
        pdf = page.pdf(format="A4")
        assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= len(slides.slides(october))
        page.screenshot(path=tmp_path / "report.png")
    finally:
        page.close()
