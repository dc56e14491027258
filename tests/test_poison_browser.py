"""The poisoned workbook of test_poison in a real browser: on no page is there an element with an outside
href or src, and the browser asks no other host for anything (no tracking image, no phishing link)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.access import ADMIN, PASSWORD
from tests.test_browser import ARGS, CHROMIUM, IDLE, unavailable
from tests.test_concurrency import start_server
from tests.test_poison import AS_OF, FILE_NAME, GUESSED, HOST, poisoned_book
from wenming.store import Store, auth

pytestmark = pytest.mark.browser

PATHS = ("", "tasks", "overdue", "scores", "participation", "review", "upload", "history", "admin")
# every href, src and xlink:href on the page, in the document and in the charts' SVG
LINKS = """() => [...document.querySelectorAll('*')].flatMap(e =>
    ['href', 'src', 'xlink:href'].map(a => e.getAttribute(a)).filter(v => v))"""


@pytest.fixture(scope="module")
def poisoned_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any, list[str]]]:
    if not CHROMIUM.exists():
        unavailable(f"no chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed")
    folder = tmp_path_factory.mktemp("poison_browser")
    db = folder / "poison.duckdb"
    store = Store.open(db)
    auth.add_user(store, ADMIN, "admin", password=PASSWORD)
    store.import_file(poisoned_book(), FILE_NAME, user=ADMIN, as_of=AS_OF)
    for _ in range(auth.MAX_FAILURES):
        auth.sign_in(store, GUESSED, "guess", address="10.0.0.66")
    store.close()
    process, url = start_server(db, folder, "server")
    requests: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
            context.set_default_timeout(30_000)
            context.on("request", lambda request: requests.append(request.url))
            yield url, context, requests
            context.close()
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_no_page_links_to_or_loads_from_another_host(poisoned_server: tuple[str, Any, list[str]]) -> None:
    url, context, requests = poisoned_server
    page = context.new_page()
    page.goto(f"{url}/?as_of={AS_OF}")
    page.get_by_label("用户名").fill(ADMIN)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_selector('[data-testid="stSidebarNav"]')
    page.wait_for_selector(IDLE)
    seen = 0
    for path in PATHS:
        page.locator(f'[data-testid="stSidebarNav"] a[href$="/{path}"]').first.click()
        page.wait_for_timeout(300)
        page.wait_for_selector(IDLE)
        page.wait_for_timeout(500)  # charts draw after the script ends
        seen += page.content().count(HOST)
        outside = [link for link in page.evaluate(LINKS) if urlparse(link).hostname not in (None, "127.0.0.1")]
        assert outside == [], (path, outside)
    assert seen > len(PATHS)  # the poison was on the pages, as text
    assert [r for r in requests if urlparse(r).hostname not in ("127.0.0.1", None)] == []
    page.close()
