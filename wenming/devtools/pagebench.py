"""Page and slide speed in a real browser, and the task list's queries, for `python -m wenming bench`.

``measure`` starts the real app (`streamlit run app.py`, headless) on a database, drives
Debian's chromium through Playwright and times, per page, the navigation until the last
chart is drawn: the app idle (Streamlit's running indicator off), a title, every plotly
chart with its SVG and every table with its canvas; the first visit after the app starts
(cold: the queries run) and the median of the next visits (warm), each in a new tab (the
browser boots Streamlit's front end each time: a one-line Streamlit app takes about 0.8 s
so on this machine); and the median time from a click on the page's link in the sidebar
to its last chart drawn (how people move between pages): from 总览 (to 总览: from 任务推进),
after a reader's pause on it, timed in the page from the click event itself, so neither
Playwright's own checks before it clicks nor the page left still settling are counted. Then the slide-to-slide
time of 演示模式: a press of → until the next slide's title is visible, found by its text,
so the measure holds for a deck drawn by the server or navigated in the browser. It also
reports the app process's peak memory. ``list_queries`` times the task list's queries.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
PAGES = ("", "tasks", "overdue", "scores", "participation", "review", "evidence")  # URL paths; "" is 总览
SLIDE_TRANSITIONS = 6  # key presses timed in 演示模式
TIMEOUT_MS = 300_000  # the longest wait for a page or a slide before the bench gives up
# Drawn: the script run over, a title, every chart with its SVG, every table with its canvas.
DRAWN = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (!document.querySelector('h1')) return false;
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
  if (charts.some(c => !c.querySelector('.js-plotly-plot .main-svg'))) return false;
  const tables = [...document.querySelectorAll('[data-testid="stDataFrame"]')];
  if (tables.some(t => !t.querySelector('canvas'))) return false;
  return performance.now();
}"""
# 演示模式 is one deck moved through in the browser: from a key press to the next screen's title visible,
# timed in the page (performance.now), so Playwright's own round trip is not counted.
SLIDE_TIMER = """() => {
  window.slideTimes = [];
  window.addEventListener('keydown', () => {
    const start = performance.now();
    const deck = document.querySelector('.deck');
    const wanted = String(Number(deck.dataset.screen) + 1);
    const look = () => {
      const title = deck.querySelector('.screen[data-screen="' + wanted + '"] h1');
      if (title && title.checkVisibility({visibilityProperty: true})) window.slideTimes.push(performance.now() - start);
      else requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  }, true);
}"""
DECK_DRAWN = '.deck[data-drawn="1"]'

Echo = Callable[[str], None]


class Unavailable(Exception):
    """No chromium or no Playwright on this machine: the browser part is skipped, and says so."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _peak_mb(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM)."""
    with contextlib.suppress(OSError), open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


@contextlib.contextmanager
def app(db: Path, timeout: float = 120) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`streamlit run app.py` on ``db``, headless on a free local port: its URL and process."""
    port = _free_port()
    env = {**os.environ, "WENMING_DB": str(db), "WENMING_SAMPLES": "0"}
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            url, deadline = f"http://127.0.0.1:{port}", time.monotonic() + timeout
            while True:
                try:
                    urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read()
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        log.seek(0)
                        raise RuntimeError(
                            "the app did not start: " + log.read().decode(errors="replace")[-1500:]
                        ) from None
                    time.sleep(0.2)
            yield url, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _drawn_ms(context: Any, url: str, timeout_ms: float) -> float:
    """Open ``url`` in a new tab: milliseconds from the navigation to the last chart and table drawn."""
    tab = context.new_page()
    try:
        tab.goto(url, wait_until="commit")
        return float(tab.wait_for_function(DRAWN, timeout=timeout_ms, polling="raf").json_value())
    finally:
        tab.close()


# Drawn after a click in the sidebar: the page's own title shown, the run over, every chart and table drawn.
CLICKED = (
    "title => { const h = document.querySelector('h1'); if (!h || h.innerText.trim() !== title) return false;"
    " return (" + DRAWN + ")(); }"
)
# The moment the click reaches the page (the capture phase of its first listener), in performance.now() time.
MARK_CLICK = """() => { window.clickedAt = undefined;
  document.addEventListener('click', () => { window.clickedAt = performance.now(); }, {capture: true, once: true}); }"""
READ_PAUSE_MS = 1000  # a reader's look at the page before clicking on: the page left has settled


def _clicked_ms(context: Any, url: str, path: str, repeat: int, timeout_ms: float) -> list[float]:
    """``repeat`` clicks on the page's link in the sidebar, from 总览 (to 总览: from 任务推进): ms from
    each click, as the page receives it, to the page drawn."""
    start = f"{url}/tasks" if not path else url
    tab = context.new_page()
    try:
        tab.goto(f"{url}/{path}")
        tab.wait_for_function(DRAWN, timeout=timeout_ms, polling="raf")
        title = tab.locator("h1").first.inner_text().strip()
        runs = []
        for _ in range(repeat):
            tab.goto(start)
            tab.wait_for_function(DRAWN, timeout=timeout_ms, polling="raf")
            tab.wait_for_timeout(READ_PAUSE_MS)
            tab.evaluate(MARK_CLICK)
            tab.locator(f'[data-testid="stSidebarNav"] a[href$="/{path}"]').first.click()
            drawn = tab.wait_for_function(CLICKED, arg=title, timeout=timeout_ms, polling="raf").json_value()
            runs.append(float(drawn) - float(tab.evaluate("window.clickedAt")))
        return runs
    finally:
        tab.close()


def _slide_ms(context: Any, url: str, timeout_ms: float) -> list[float]:
    """→ pressed on each screen of the deck (up to SLIDE_TRANSITIONS): ms until the next screen's title shows."""
    tab = context.new_page()
    try:
        tab.goto(url)
        tab.wait_for_selector(DECK_DRAWN, timeout=timeout_ms)
        tab.evaluate(SLIDE_TIMER)
        presses = min(int(tab.locator(".deck").get_attribute("data-count")) - 1, SLIDE_TRANSITIONS)
        for done in range(1, presses + 1):
            tab.wait_for_timeout(300)  # a speaker's pause
            tab.keyboard.press("ArrowRight")
            tab.wait_for_function(f"() => window.slideTimes.length >= {done}", timeout=timeout_ms)
        return [float(ms) for ms in tab.evaluate("window.slideTimes")]
    finally:
        tab.close()


def measure(
    db: Path, as_of: dt.date, repeat: int = 3, echo: Echo = print, pages: tuple[str, ...] = PAGES
) -> dict[str, Any]:
    """Every page's time to the last chart drawn (cold, then the median of ``repeat`` warm visits), the slide
    times and the app's peak memory, on a fresh app process."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as missing:
        raise Unavailable("the playwright package is not installed") from missing
    if not CHROMIUM.exists():
        raise Unavailable(f"no chromium at {CHROMIUM}")
    period = (as_of.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")  # the review's default: last month
    out: dict[str, Any] = {"pages": {}, "slides": {}, "repeat": repeat}
    timeout_ms = TIMEOUT_MS
    with app(db) as (url, process), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
        try:
            for path in pages:
                echo(f"  browser: /{path}")
                address = f"{url}/{path}?as_of={as_of.isoformat()}"
                runs = [_drawn_ms(context, address, timeout_ms) for _ in range(repeat + 1)]
                clicks = _clicked_ms(context, url, path, repeat, timeout_ms)
                out["pages"][path or "overview"] = {
                    "cold_ms": runs[0],
                    "warm_ms": statistics.median(runs[1:]),
                    "runs_ms": runs,
                    "click_ms": statistics.median(clicks) if clicks else None,
                    "clicks_ms": clicks,
                }
            echo("  browser: 演示模式")
            deck = f"{url}/review?as_of={as_of.isoformat()}&period={period}&present=1&screen=1"
            times = _slide_ms(context, deck, timeout_ms)
            out["slides"] = {"median_ms": statistics.median(times) if times else None, "runs_ms": times}
        finally:
            context.close()
            browser.close()
        out["app_peak_mb"] = _peak_mb(process.pid)
    return out


def list_queries(db: Path, as_of: dt.date, repeat: int = 3) -> dict[str, float]:
    """Milliseconds (median of ``repeat``) of the task list's queries: the count, pages 1 and 2, a search, a sort."""
    from wenming.figures import at
    from wenming.store import Store

    store = Store.open(db)
    base = {**at.params(as_of), "picked": None, "categories": None, "states": None, "words": None}
    page = {"order": "department", "limit": 50, "offset": 0}
    cases = {
        "count": ("tasks_list_count", {**base, "order": "department"}),
        "page 1": ("tasks_list_page", {**base, **page}),
        "page 2": ("tasks_list_page", {**base, **page, "offset": 50}),
        "search": ("tasks_list_page", {**base, **page, "words": ["志愿"]}),
        "search count": ("tasks_list_count", {**base, "words": ["志愿"], "order": "department"}),
        "by deadline": ("tasks_list_page", {**base, **page, "order": "deadline"}),
    }
    out = {}
    try:
        for label, (name, params) in cases.items():
            runs = []
            for _ in range(repeat):
                started = time.perf_counter()
                store.query(name, **params)
                runs.append((time.perf_counter() - started) * 1000)
            out[label] = statistics.median(runs)
    finally:
        store.close()
    return out


def report(results: dict[str, Any], table: Callable[[list[str], list[list[str]]], str]) -> list[str]:
    """The browser's figures as lines of the bench's report."""
    lines = []
    for n, found in results.get("browser", {}).items():
        if "error" in found:
            lines += ["", f"Browser at {int(n):,} tasks: skipped, {found['error']}"]
            continue
        rows = [
            [
                name,
                f"{page['cold_ms']:.0f}",
                f"{page['warm_ms']:.0f}",
                "—" if page.get("click_ms") is None else f"{page['click_ms']:.0f}",
            ]
            for name, page in found["pages"].items()
        ]
        slides = found["slides"].get("median_ms")
        lines += [
            "",
            f"Browser at {int(n):,} tasks (chromium, 1366×768): from navigation to the last chart drawn; "
            f"app process peak {found['app_peak_mb']:.0f} MB.",
            table(
                [
                    "page",
                    "first visit ms (new tab)",
                    f"later visits ms (new tab, median of {found['repeat']})",
                    "from a click in the sidebar ms",
                ],
                rows,
            ),
            f"Next slide in 演示模式: {'—' if slides is None else f'{slides:.0f}'} ms "
            f"(median of {len(found['slides']['runs_ms'])} presses of →, until the next slide's title shows).",
        ]
    return lines
