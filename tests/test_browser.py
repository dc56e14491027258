"""The dashboard in a real browser: `streamlit run app.py` driven through Playwright and Debian's chromium.

Skipped when /usr/bin/chromium (or Playwright) is missing, unless WENMING_REQUIRE_BROWSER=1
(CI), which turns the skip into a failure. Screenshots go to the test's tmp folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.workbooks import workbook
from wenming.figures import summary
from wenming.store import Store

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright
except ImportError:  # the tests say so when they run
    PlaywrightTimeout, sync_playwright = TimeoutError, None

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AS_OF = dt.date(2026, 11, 20)  # the sample trackers' 截至 date
PAGES = {  # path -> (title, charts at least)
    "": ("总览", 2),
    "tasks": ("任务推进", 3),
    "overdue": ("逾期督办", 3),
    "scores": ("测评得分", 4),
    "participation": ("参与情况", 6),
    "review": ("月度例会", 3),
    "evidence": ("佐证材料", 1),
    "upload": ("数据导入", 0),
    "history": ("导入记录", 0),
    "admin": ("用户与设置", 0),
}
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def unavailable(reason: str) -> None:
    if os.environ.get("WENMING_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}, and WENMING_REQUIRE_BROWSER=1 asks for the browser tests")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        unavailable(f"no chromium at {CHROMIUM} (apt-get install chromium)")
    if sync_playwright is None:
        unavailable("the playwright package is not installed")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        # one context for every tab: the app's scripts load once (each tab is still its own session)
        context = launched.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        context.set_default_timeout(30_000)
        yield context
        context.close()
        launched.close()


def click_download(page: Any, name: str) -> Any:
    """The download behind a button, clicked again once if the first click found the page mid-run."""
    try:
        with page.expect_download(timeout=30_000) as download:
            page.get_by_role("button", name=name).click()
        return download.value
    except Exception:  # playwright's TimeoutError: the page was rerunning; wait, then click again
        page.wait_for_selector(IDLE)
    with page.expect_download() as download:
        page.get_by_role("button", name=name).click()
    return download.value


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    url: str
    folder: Path
    first: dict[str, Any] = field(default_factory=dict)  # what the very first request showed


def open_page(browser: Any, url: str) -> Any:
    page = browser.new_page()
    page.goto(url)
    return page


def settle(page: Any, title: str) -> None:
    """Wait for the page's title and for its script run to finish."""
    page.locator("h1", has_text=title).first.wait_for()
    page.wait_for_selector(IDLE)


@pytest.fixture(scope="module")
def server(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A fresh `streamlit run app.py` seeded with the samples; its first request is a bookmark."""
    folder = tmp_path_factory.mktemp("browser")
    port = free_port()
    env = {**os.environ, "WENMING_DB": str(folder / "wenming.duckdb"), "WENMING_SAMPLES": "1"}
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    with (folder / "server.log").open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("the app did not start:\n" + (folder / "server.log").read_text(errors="replace"))
                time.sleep(0.2)
        started = Server(url, folder)
        # The very first page request of this server: a bookmarked page with filters in its URL.
        page = open_page(browser, f"{url}/tasks?dept={quote('工会')}&as_of=2026-10-31")
        settle(page, "任务推进")
        sidebar = page.locator('[data-testid="stSidebar"]')
        tags = sidebar.locator('[data-testid="stMultiSelect"] [data-tag]')
        with contextlib.suppress(PlaywrightTimeout):
            tags.first.wait_for(timeout=10_000)  # drawn a moment after the run ends
        started.first = {
            "title": page.locator("h1").first.inner_text(),
            "as_of": sidebar.locator('[data-testid="stDateInput"] input').input_value(),
            "departments": sorted({tag.get_attribute("aria-label") for tag in tags.all()}),
            "pages": [
                link.inner_text().splitlines()[-1].strip()
                for link in page.locator('[data-testid="stSidebarNavLink"]').all()
            ],
            "exceptions": page.locator('[data-testid="stException"]').count(),
            "url": page.url,
        }
        page.screenshot(path=folder / "first_request.png", full_page=False)
        page.close()
        yield started
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The same samples in a store of our own (the server's file is locked by its process)."""
    store = Store.open(tmp_path_factory.mktemp("reference") / "reference.duckdb")
    for file in sorted((ROOT / "data" / "sample").glob("*.xlsx")):
        store.import_file(file.read_bytes(), file.name, user="示例数据")
    yield store
    store.close()


def test_bookmark_as_the_first_request_of_a_fresh_server(server: Server) -> None:
    first = server.first
    assert first["exceptions"] == 0
    assert first["title"] == "任务推进"
    assert first["as_of"] == "2026-10-31"
    assert first["departments"] == ["工会"]
    assert first["pages"] == [
        "总览",
        "任务推进",
        "逾期督办",
        "测评得分",
        "参与情况",
        "月度例会",
        "佐证材料",
        "数据导入",
        "导入记录",
        "用户与设置",
    ]
    assert "dept=" in first["url"] and "as_of=2026-10-31" in first["url"]


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_renders(server: Server, browser: Any, path: str) -> None:
    title, charts = PAGES[path]
    page = open_page(browser, f"{server.url}/{path}?as_of={AS_OF}")
    try:
        settle(page, title)
        page.screenshot(path=server.folder / f"page_{path or 'overview'}.png", full_page=False)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.locator("h1").first.inner_text() == title
        if charts:
            page.locator(".js-plotly-plot").nth(charts - 1).wait_for()
        assert page.locator('[data-testid="stPlotlyChart"]').count() >= charts
        assert page.locator(".js-plotly-plot").count() >= charts
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert all(name in nav for name, _ in PAGES.values())
    finally:
        page.close()


def tasks_shown(page: Any) -> str:
    return page.locator('[data-testid="stCaptionContainer"]', has_text="显示").inner_text()


def test_changes_read_right_and_a_later_date_says_where_the_data_ends(
    server: Server, browser: Any, reference: Store
) -> None:
    """The overview's change arrows follow the number, their colour its meaning (issue 12)."""
    from wenming.figures import changes, headline
    from wenming.text import t

    page = open_page(browser, f"{server.url}/?as_of=2026-11-30")
    try:
        settle(page, "总览")
        sidebar = page.locator('[data-testid="stSidebar"]')
        assert "数据截至 11月20日" in sidebar.inner_text()
        expected = {
            t(f"headline.{h.key}", "zh"): h.change
            for h in headline.headlines(reference.query, dt.date(2026, 11, 30), None)
        }
        page.locator('[data-testid="stMetric"]').nth(2).wait_for()  # the cards come after the title
        seen = 0
        for card in page.locator('[data-testid="stMetric"]').all():
            label = card.locator('[data-testid="stMetricLabel"]').inner_text().strip()
            change = expected[label]
            delta = card.locator('[data-testid="stMetricDelta"]')
            if change.direction is None:
                assert delta.count() == 0
                continue
            colour = delta.evaluate("element => getComputedStyle(element).color")
            assert _tone_of(colour) == changes.STREAMLIT_COLOURS[change.tone], (label, colour)
            arrow = delta.locator("svg, [data-testid='stIconMaterial']").count() > 0
            assert arrow == (change.direction != "flat"), label
            seen += 1
        assert seen >= 3
        page.screenshot(path=server.folder / "changes.png", full_page=False)
    finally:
        page.close()


def test_upload_through_the_page_changes_the_task_count(server: Server, browser: Any) -> None:
    page = open_page(browser, f"{server.url}/tasks?as_of={AS_OF}")
    try:
        settle(page, "任务推进")
        before = int(tasks_shown(page).split("/")[-1].split()[0])
        # three tasks of a new department, none overdue: the other departments' rows stay
        data = workbook(
            (
                "任务",
                [
                    ["测评项目", "工作任务", "牵头部门", "完成时限", "完成情况"],
                    ["学雷锋活动", "浏览器测试任务一", "测试部", "长期坚持", ""],
                    ["", "浏览器测试任务二", "测试部", "2099-12-31", "推进中"],
                    ["", "浏览器测试任务三", "测试部", "2099-12-31", "已完成"],
                ],
            )
        )
        page.goto(f"{server.url}/upload?as_of={AS_OF}")
        settle(page, "数据导入")
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
            files=[{"name": "测试部任务.xlsx", "mimeType": XLSX, "buffer": data}]
        )
        page.get_by_text("测试部任务.xlsx 识别结果").wait_for()
        page.get_by_label("导入人").fill("浏览器测试")
        page.get_by_label("导入人").press("Enter")
        confirm = page.get_by_role("button", name="确认导入 1 个文件")
        confirm.wait_for()
        page.wait_for_selector(IDLE)
        confirm.click()
        page.get_by_text("已导入 测试部任务.xlsx").wait_for()
        page.screenshot(path=server.folder / "uploaded.png", full_page=False)
        assert page.locator('[data-testid="stException"]').count() == 0
        page.goto(f"{server.url}/tasks?as_of={AS_OF}")
        settle(page, "任务推进")
        assert tasks_shown(page) == f"显示 {before + 3} / {before + 3} 项"
    finally:
        page.close()


def test_a_cut_down_tracker_shows_the_difference_and_waits_for_a_tick(server: Server, browser: Any) -> None:
    """团委 has 13 tasks in the samples; a tracker of 2 asks first. Nothing is imported here."""
    data = workbook(("任务", [["工作任务", "牵头部门"], ["只剩一项", "团委"], ["另一项", "团委"]]))
    page = open_page(browser, f"{server.url}/upload?as_of={AS_OF}")
    try:
        settle(page, "数据导入")
        page.get_by_label("导入人").fill("浏览器测试")
        page.get_by_label("导入人").press("Enter")
        page.wait_for_selector(IDLE)
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
            files=[{"name": "团委台账.xlsx", "mimeType": XLSX, "buffer": data}]
        )
        warning = page.locator('[data-testid="stAlertContentWarning"]')
        warning.wait_for()
        assert "任务（任务分解）现有 13 行，本文件 2 行" in warning.inner_text()
        page.wait_for_selector(IDLE)
        assert page.get_by_role("button", name="确认导入 1 个文件").count() == 0
        page.get_by_text("已核对，仍用 团委台账.xlsx 替换现有数据").click()
        page.get_by_role("button", name="确认导入 1 个文件").wait_for()
        page.screenshot(path=server.folder / "fewer.png", full_page=False)
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        page.close()


def test_clicking_a_bar_narrows_the_table_below(server: Server, browser: Any, reference: Store) -> None:
    overdue = summary.build(reference, AS_OF)["tasks"]["by_department"]["工会"]["overdue"]
    assert overdue >= 1
    page = open_page(browser, f"{server.url}/?as_of={AS_OF}")
    try:
        settle(page, "总览")
        table = page.locator('[data-testid="stDataFrame"]').first
        assert table.locator('[role="grid"]').get_attribute("aria-rowcount") == "6"  # header + 5 most overdue
        chart = page.locator('[data-testid="stPlotlyChart"]').first
        names = chart.locator(".js-plotly-plot").evaluate("plot => plot.data[0].customdata")
        bar = chart.locator(".bars .point").nth(list(names).index("工会"))
        bar.scroll_into_view_if_needed()
        box = bar.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.get_by_text("已选中：工会").wait_for()
        page.wait_for_selector(IDLE)
        page.screenshot(path=server.folder / "clicked.png", full_page=False)
        table = page.locator('[data-testid="stDataFrame"]').first
        assert table.locator('[role="grid"]').get_attribute("aria-rowcount") == str(min(overdue, 5) + 1)
        departments = table.locator('td[aria-colindex="2"]').all_text_contents()
        assert departments == ["工会"] * min(overdue, 5)
    finally:
        page.close()


def _tone_of(rgb: str) -> str:
    """green, red or gray, from a CSS rgb(…) colour."""
    r, g, b = (int(v) for v in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3])
    if abs(r - g) < 40 and abs(g - b) < 40:
        return "gray"
    return "green" if g > r else "red"
