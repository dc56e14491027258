"""The 大屏 wall screen in chromium: created on 用户与设置, it advances by itself, picks up an import
without a touch, survives a reload, stops when revoked, fits three screen sizes and stays offline.

Uses the server and checks of tests/test_browser.py and tests/test_screens_browser.py (every request
off this machine is blocked and fails the test). Screenshots go to test-results/screenshots/; with
WENMING_README_SCREENSHOTS=1 the 1920×1080 one of the first screen also to docs/screenshots/wall.png.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.test_browser import AS_OF, IDLE, XLSX, browser, server, settle  # noqa: F401 - fixtures
from tests.test_screens_browser import README_SHOTS, SHOTS, SIZES, check, drawn, external_links, sized
from tests.workbooks import workbook

pytestmark = pytest.mark.browser

FOOT = ".wall-foot"


def create_wall(browser: Any, server: Any, label: str) -> str:  # noqa: F811
    """An admin's new wall URL, from 用户与设置 (the local mode: this machine is the admin)."""
    page = browser.new_page()
    try:
        page.goto(f"{server.url}/admin")
        settle(page, "用户与设置")
        page.get_by_label("名称", exact=True).fill(label)
        page.get_by_role("button", name="生成大屏网址").click()
        shown = page.locator("code", has_text="/wall?token=").first
        shown.wait_for()
        address = shown.inner_text().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/wall\?token=[A-Za-z0-9_-]+", address), address
        return address
    finally:
        page.close()


def revoke_wall(browser: Any, server: Any, label: str) -> None:  # noqa: F811
    """Revoke the newest wall URL in use, ``label``, on 用户与设置."""
    page = browser.new_page()
    try:
        page.goto(f"{server.url}/admin")
        settle(page, "用户与设置")
        # the newest wall URL in use is the one chosen at first; the sentence after names it
        page.get_by_role("button", name="撤销", exact=True).click()
        page.get_by_text(f"已撤销大屏网址“{label}”").wait_for()
    finally:
        page.close()


def foot(page: Any) -> tuple[int, int]:
    """(the screen shown, the screens) from the wall's foot line."""
    page.locator(FOOT).first.wait_for()
    found = re.search(r"第 (\d+) / (\d+) 屏", page.locator(FOOT).first.inner_text())
    assert found
    return int(found[1]), int(found[2])


def cards(page: Any) -> dict[str, str]:
    page.locator('[data-testid="stMetricValue"]').first.wait_for()
    labels = page.locator('[data-testid="stMetricLabel"]').all_inner_texts()
    values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    return dict(zip([x.strip() for x in labels], [v.strip() for v in values], strict=True))


def test_the_wall_advances_picks_up_an_import_survives_a_reload_and_stops_when_revoked(
    server: Any,
    browser: Any,  # noqa: F811
) -> None:
    address = create_wall(browser, server, "浏览器大屏")
    leaks: list[str] = []
    wall = sized(browser, 1920, 1080, leaks)
    other = browser.new_page()
    try:
        wall.goto(f"{address}&every=2")
        first, count = foot(wall)
        assert count > 8
        assert not wall.locator('[data-testid="stSidebar"]').is_visible()
        assert not wall.locator('[data-testid="stHeader"]').is_visible()
        # it moves on by itself, no key pressed, nothing clicked
        wall.wait_for_function(
            """([selector, first]) => {
                const m = (document.querySelector(selector) || {}).textContent || '';
                return m && !m.includes('第 ' + first + ' /');
            }""",
            arg=[FOOT, first],
            timeout=20_000,
        )
        # a reload shows the wall again, where the clock is, without a sign-in
        wall.reload()
        number, again = foot(wall)
        assert again == count and 1 <= number <= count
        assert wall.locator('[data-testid="stForm"]').count() == 0
        # pinned to the cards: a new import shows up without touching the page
        wall.goto(f"{address}&every=2&screen=1")
        before = cards(wall)
        data = workbook(
            (
                "任务",
                [
                    ["截至2026年11月20日"],
                    ["工作任务", "牵头部门", "完成时限", "完成情况"],
                    ["大屏测试任务一", "大屏测试部", "2026-03-31", "推进中"],
                    ["大屏测试任务二", "大屏测试部", "2026-06-30", ""],
                ],
            )
        )
        other.goto(f"{server.url}/upload")
        settle(other, "数据导入")
        other.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
            files=[{"name": "大屏测试部.xlsx", "mimeType": XLSX, "buffer": data}]
        )
        other.get_by_text("大屏测试部.xlsx 识别结果").wait_for()
        other.get_by_label("导入人").fill("浏览器测试")
        other.get_by_label("导入人").press("Enter")
        confirm = other.get_by_role("button", name="确认导入 1 个文件")
        confirm.wait_for()
        other.wait_for_selector(IDLE)
        confirm.click()
        other.get_by_text("已导入 大屏测试部.xlsx").wait_for()
        overdue = int(before["逾期任务"].replace(",", ""))
        wall.wait_for_function(
            """(expected) => [...document.querySelectorAll('[data-testid="stMetricValue"]')]
                               .some(e => e.textContent.trim() === expected)""",
            arg=str(overdue + 2),
            timeout=20_000,
        )
        after = cards(wall)
        other.goto(f"{server.url}/")  # 总览 on its default date, as the wall
        settle(other, "总览")
        assert cards(other) == after != before
        assert f"截至 {AS_OF.isoformat()}" in wall.locator(FOOT).first.inner_text()
        shot = SHOTS / "wall_1920x1080.png"
        shot.parent.mkdir(parents=True, exist_ok=True)
        wall.screenshot(path=shot)
        if os.environ.get("WENMING_README_SCREENSHOTS") == "1":
            README_SHOTS.mkdir(parents=True, exist_ok=True)
            wall.screenshot(path=README_SHOTS / "wall.png")
        assert not external_links(wall)
        # revoked on 用户与设置: the screen says so at its next tick, and shows nothing else
        revoke_wall(browser, server, "浏览器大屏")
        wall.get_by_text("这个大屏网址无效或已被撤销").wait_for(timeout=20_000)
        assert wall.locator('[data-testid="stMetricValue"]').count() == 0
    finally:
        wall.close()
        other.close()
    assert not leaks, leaks


ROOMS = SIZES[:3]  # a wall screen hangs in a room: no phone


@pytest.mark.parametrize(("width", "height"), ROOMS, ids=[f"{w}x{h}" for w, h in ROOMS])
def test_every_wall_screen_fits_and_stays_offline(
    server: Any,
    browser: Any,  # noqa: F811
    width: int,
    height: int,
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    address = create_wall(browser, server, f"尺寸{width}")
    leaks: list[str] = []
    page = sized(browser, width, height, leaks)
    problems: list[str] = []
    try:
        page.goto(f"{address}&screen=1")
        drawn(page)
        _, count = foot(page)
        for number in range(1, count + 1):
            if number > 1:
                page.goto(f"{address}&screen={number}")
                drawn(page)
            assert foot(page)[0] == number
            page.screenshot(path=Path(SHOTS) / f"wall_{number:02d}_{width}x{height}.png")
            problems += check(page, f"wall screen {number} {width}x{height}")
            fits = page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
            if not fits:
                problems.append(f"wall screen {number} {width}x{height}: wider than the window")
    finally:
        page.close()
    problems += [f"blocked {u}" for u in leaks]
    assert not problems, "\n".join(problems)
