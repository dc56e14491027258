"""佐证材料 in a real browser: a staff user attaches a PDF and a photo; both preview; coverage follows."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_browser import ARGS, CHROMIUM, IDLE, click_download, unavailable
from tests.test_concurrency import sample_db, start_server
from wenming.store import Store, auth, evidence_sample

pytestmark = pytest.mark.browser

AS_OF = dt.date(2026, 11, 20)
STAFF, PASSWORD = "李娜", "browser-pass-1"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any, Path]]:
    if not CHROMIUM.exists():
        unavailable(f"no chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed")
    folder = tmp_path_factory.mktemp("evidence")
    db = sample_db(folder / "evidence.duckdb")
    store = Store.open(db)
    auth.add_user(store, "管理员", "admin", password=PASSWORD)
    auth.add_user(store, STAFF, "staff", ["党委宣传部"], password=PASSWORD)
    store.close()
    (folder / "纪要.pdf").write_bytes(evidence_sample.pdf(["道德讲堂 会议纪要", "2026-09-15"]))
    (folder / "照片.png").write_bytes(evidence_sample.png(3))
    process, url = start_server(db, folder, "server")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
            context.set_default_timeout(60_000)  # two cores shared with other work
            yield url, context, folder
            context.close()
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=15)


def metric(page: Any, label: str) -> str:
    card = page.locator('[data-testid="stMetric"]', has_text=label).first
    return card.locator('[data-testid="stMetricValue"]').inner_text().strip()


def attach(page: Any, title: str, file: Path) -> None:
    form = page.locator('[data-testid="stForm"]')
    form.get_by_label("材料标题").fill(title)
    form.locator('input[type="file"]').set_input_files(str(file))
    page.wait_for_timeout(500)
    form.get_by_role("button", name="保存").click()
    page.locator('[data-testid="stAlert"]', has_text="已保存为").wait_for()
    page.wait_for_selector(IDLE)


def test_staff_attaches_files_that_preview_and_count(served: tuple[str, Any, Path]) -> None:
    url, context, folder = served
    page = context.new_page()
    page.goto(f"{url}/evidence?as_of={AS_OF}")
    page.get_by_label("用户名").fill(STAFF)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.locator("h1", has_text="佐证材料").wait_for()
    page.wait_for_selector(IDLE)
    assert metric(page, "已有佐证") == "0"
    items = int(metric(page, "测评内容"))
    attach(page, "道德讲堂会议纪要", folder / "纪要.pdf")
    attach(page, "活动现场照片", folder / "照片.png")
    assert metric(page, "已有佐证") == "1" and metric(page, "文件") == "2"
    assert metric(page, "佐证材料齐全率") == f"{1 / items:.1%}"
    frame = page.locator('iframe[title="PDF"]')
    frame.wait_for()
    source = frame.get_attribute("src")
    assert "/media/" in source and source.endswith(".pdf")
    response = page.request.get(source if source.startswith("http") else url + source)
    assert response.headers["content-type"] == "application/pdf" and response.body().startswith(b"%PDF-")
    picture = page.locator('[data-testid="stImage"] img').first
    picture.wait_for()
    assert picture.evaluate("img => img.naturalWidth") == 240  # the photo itself, drawn as a picture
    with zipfile.ZipFile(click_download(page, "下载迎检材料包").path()) as bundle:
        names = bundle.namelist()
    assert [n.rsplit("/", 1)[-1] for n in names] == [
        "01_道德讲堂会议纪要.pdf",
        "02_活动现场照片.png",
        "佐证材料目录.xlsx",
        "index.html",
    ]
    page.close()
