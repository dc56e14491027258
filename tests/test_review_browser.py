"""The monthly review in chromium: presentation mode on two projector sizes, and the offline HTML report."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.test_browser import AS_OF, IDLE, browser, open_page, reference, server, settle  # noqa: F401 - fixtures
from wenming.figures import review
from wenming.figures.review import Period
from wenming.render import report, slides
from wenming.store import Store
from wenming.web import present

pytestmark = pytest.mark.browser

OCTOBER = Period.parse("2026-10")
SIZES = [(1920, 1080), (1024, 768)]

# Every visible element of the screen and the buttons, measured against the window.
OVERFLOW = """() => {
  const out = [];
  for (const el of document.querySelectorAll('.screen, .screen *, [data-testid="stButton"], .js-plotly-plot')) {
    const r = el.getBoundingClientRect();
    if (r.width && (r.left < -1 || r.top < -1 || r.right > innerWidth + 1 || r.bottom > innerHeight + 1))
      out.push(el.tagName + '.' + el.className + ' ' + Math.round(r.right) + 'x' + Math.round(r.bottom));
  }
  const main = document.querySelector('[data-testid="stMain"]');
  if (main && main.scrollHeight > innerHeight + 1) out.push('page scrolls: ' + main.scrollHeight);
  return out;
}"""
SMALLEST_TEXT = """() => {
  let smallest = 1000;
  for (const el of document.querySelectorAll('.screen *')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (own) smallest = Math.min(smallest, parseFloat(getComputedStyle(el).fontSize));
  }
  return smallest;
}"""


def sized(context: Any, width: int, height: int) -> Any:
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": height})
    return page


@pytest.fixture(scope="module")
def october(reference: Store) -> review.Review:  # noqa: F811
    return review.build(reference.query, OCTOBER, AS_OF)


def screen_url(server: Any, number: int) -> str:  # noqa: F811
    return f"{server.url}/review?as_of={AS_OF}&period=2026-10&present=1&screen={number}"


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
            page.locator(".screen h1").wait_for()
            page.locator(IDLE).wait_for()
            if screens[number - 1].figure is not None:
                page.locator(".js-plotly-plot").wait_for()
            page.wait_for_timeout(300)
            page.screenshot(path=server.folder / f"present_{width}x{height}_{number}.png")
            assert page.locator('[data-testid="stException"]').count() == 0
            assert page.locator('[data-testid="stSidebar"]').is_hidden()
            assert page.evaluate(OVERFLOW) == [], f"screen {number} at {width}x{height}"
            assert page.evaluate(SMALLEST_TEXT) >= present.MIN_FONT_PX
        finally:
            page.close()


def test_the_arrow_keys_move_between_screens(server: Any, browser: Any) -> None:  # noqa: F811
    page = sized(browser, 1024, 768)
    try:
        page.goto(screen_url(server, 2))  # the 通报 paragraph, after the headline cards
        for key, title in (("ArrowRight", "二、红黑榜"), ("ArrowLeft", "一、主要指标")):
            page.locator(IDLE).wait_for()
            page.wait_for_timeout(500)  # the shortcuts are bound once the run has drawn its buttons
            page.keyboard.press(key)
            page.locator(".screen h1", has_text=title).wait_for()
        assert "screen=2" in page.url
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
