"""Sign-in in a real browser: a bookmark survives it, a new tab asks again, an admin's download is logged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.test_browser import ARGS, CHROMIUM, IDLE, click_download, unavailable
from tests.test_concurrency import sample_db, start_server
from wenming.store import Store, auth

pytestmark = pytest.mark.browser

AS_OF = dt.date(2026, 11, 20)
ADMIN, LEADER, PASSWORD = "管理员", "王局", "browser-pass-1"


@pytest.fixture(scope="module")
def signed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    if not CHROMIUM.exists():
        unavailable(f"no chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed")
    folder = tmp_path_factory.mktemp("signin")
    db = sample_db(folder / "signin.duckdb")
    store = Store.open(db)
    auth.add_user(store, ADMIN, "admin", password=PASSWORD)
    auth.add_user(store, LEADER, "leader", password=PASSWORD, by=ADMIN)
    store.close()
    process, url = start_server(db, folder, "server")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
            context.set_default_timeout(30_000)
            yield url, context
            context.close()
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=15)


def sign_in(page: Any, name: str) -> None:
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_a_bookmark_opens_after_sign_in_and_a_new_tab_asks_again(signed_server: tuple[str, Any]) -> None:
    url, context = signed_server
    page = context.new_page()
    page.goto(f"{url}/tasks?dept={quote('工会')}&as_of=2026-10-30")  # not the data's default date
    page.locator("h1", has_text="登录").wait_for()
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0  # no page names before sign-in
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 0
    sign_in(page, LEADER)
    page.locator("h1", has_text="任务推进").wait_for()
    page.wait_for_selector(IDLE)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator("[data-tag]").first.wait_for()  # the sidebar may still be drawn after the page's title
    assert sidebar.locator('[data-testid="stDateInput"] input').input_value() == "2026-10-30"
    assert [t.get_attribute("aria-label") for t in sidebar.locator("[data-tag]").all()] == ["工会"]
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "数据导入" not in nav and "用户与设置" not in nav and "导入记录" in nav
    other = context.new_page()
    other.goto(f"{url}/?as_of={AS_OF}")
    other.locator("h1", has_text="登录").wait_for()
    page.close()
    other.close()


def test_an_admins_download_of_an_original_is_logged(signed_server: tuple[str, Any]) -> None:
    url, context = signed_server
    page = context.new_page()
    page.goto(f"{url}/history?as_of={AS_OF}")
    sign_in(page, ADMIN)
    page.locator("h1", has_text="导入记录").wait_for()
    page.wait_for_selector(IDLE)
    download = click_download(page, "下载原文件")
    saved = Path(download.path())
    store_file = next(p for p in (Path(__file__).resolve().parents[1] / "data" / "sample").glob("05_*.xlsx"))
    assert download.suggested_filename == store_file.name and saved.read_bytes() == store_file.read_bytes()
    page.goto(f"{url}/admin?as_of={AS_OF}")
    sign_in(page, ADMIN)  # a new page load is a new session
    page.locator("h1", has_text="用户与设置").wait_for()
    page.wait_for_selector(IDLE)
    page.locator("td", has_text="次导入的原文件").first.wait_for(state="attached")  # 操作记录: one sentence per action
    page.close()
