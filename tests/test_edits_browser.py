"""A staff user changes a task's status on 任务推进 in a real browser; 总览 follows; the history can undo it.

The expected figures come from the same edit applied through wenming.store.updates to a copy of
the database made before the server starts (the server holds the file while it runs).
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.test_browser import ARGS, CHROMIUM, IDLE, click_download, unavailable
from tests.test_concurrency import sample_db, start_server
from wenming.figures import summary
from wenming.store import Store, auth
from wenming.store.updates import Edit, save

pytestmark = pytest.mark.browser

AS_OF = dt.date(2026, 11, 20)
STAFF, PASSWORD, DEPARTMENT = "张伟", "browser-pass-1", "工会"


def first_rows(db: Path) -> list[int]:
    store = Store.open(db)
    try:
        return store.query("edit_tasks", departments=[DEPARTMENT])["row_no"].tolist()
    finally:
        store.close()


def first_open_task(db: Path) -> tuple[int, int]:
    """(position in the editor, row_no) of the department's first task not done."""
    store = Store.open(db)
    try:
        rows = store.query("edit_tasks", departments=[DEPARTMENT])
    finally:
        store.close()
    position = int((rows["status"] != "done").to_numpy().nonzero()[0][0])
    return position, int(rows.iloc[position]["row_no"])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any, Path, Path]]:
    if not CHROMIUM.exists():
        unavailable(f"no chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed")
    folder = tmp_path_factory.mktemp("edits")
    db = sample_db(folder / "edits.duckdb")
    store = Store.open(db)
    auth.add_user(store, "管理员", "admin", password=PASSWORD)
    auth.add_user(store, STAFF, "staff", [DEPARTMENT], password=PASSWORD)
    store.close()
    expected = folder / "expected.duckdb"
    shutil.copy(db, expected)
    process, url = start_server(db, folder, "server")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
            context.set_default_timeout(60_000)  # two cores shared with other work
            yield url, context, db, expected
            context.close()
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=15)


def choose_done(page: Any, grid: Any, position: int) -> None:
    """In the editor's grid: the row's 状态 cell (行号, 工作任务, 状态), open it, pick 已完成."""
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 30, box["y"] + 35 + 17)  # the first row's 行号 cell
    for _ in range(position):
        page.keyboard.press("ArrowDown")
    for _ in range(2):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)  # the cell's dropdown opens
    page.keyboard.type("已完成")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)


def metric(page: Any, label: str) -> str:
    card = page.locator('[data-testid="stMetric"]', has_text=label).first
    return card.locator('[data-testid="stMetricValue"]').inner_text().strip()


def test_staff_edits_a_status_and_the_overview_follows(served: tuple[str, Any, Path, Path]) -> None:
    url, context, db, expected_db = served
    position, row_no = first_open_task(expected_db)
    store = Store.open(expected_db)
    try:
        before = summary.build(store, AS_OF)["tasks"]
        save(store, [Edit("tasks", DEPARTMENT, row_no, {"status": "done"})], user=STAFF)
        after = summary.build(store, AS_OF)["tasks"]
    finally:
        store.close()
    assert after["done"] == before["done"] + 1

    page = context.new_page()
    page.goto(f"{url}/tasks?as_of={AS_OF}")
    page.get_by_label("用户名").fill(STAFF)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.locator("h1", has_text="任务推进").wait_for()
    page.wait_for_selector(IDLE)
    page.get_by_text("修改本部门任务的完成情况").click()
    page.get_by_role("button", name="保存修改").wait_for()
    page.wait_for_selector(IDLE)
    page.get_by_text(DEPARTMENT, exact=True).last.wait_for()  # a staff user's own department is chosen
    grid = page.locator('[data-testid="stDataFrame"]').last
    grid.scroll_into_view_if_needed()
    status = grid.locator(f'[data-testid="glide-cell-2-{position}"]')  # 行号, 工作任务, 状态
    assert status.inner_text() in ("in_progress", "not_started")  # the cell's value; the grid draws its word
    page.wait_for_timeout(500)  # the page settles after scrolling
    for _ in range(3):  # the grid is drawn on a canvas: keyboard, and again if a key went astray
        choose_done(page, grid, position)
        if status.inner_text() == "done":
            break
        page.keyboard.press("Escape")
    assert status.inner_text() == "done"
    page.wait_for_timeout(1000)  # the edit's own rerun starts ...
    page.wait_for_selector(IDLE)  # ... and ends before the save
    saved = page.locator('[data-testid="stAlert"]', has_text="已保存 1 行的修改")
    page.get_by_role("button", name="保存修改").click()
    try:
        saved.wait_for(timeout=30_000)
    except Exception:  # playwright's TimeoutError: the click fell in the edit's own rerun; the grid keeps the edit
        page.wait_for_selector(IDLE)
        if not saved.count():  # not a slow save: a lost click
            assert status.inner_text() == "done"
            page.get_by_role("button", name="保存修改").click()
            saved.wait_for()
    # The notice is drawn first in the save's rerun; the download button after it is registered anew,
    # and a click on the previous run's button asks for a file the server has replaced.
    page.wait_for_timeout(500)
    page.wait_for_selector(IDLE)

    download = click_download(page, "下载本部门台账")  # the department's tracker, with the edit, for Excel
    assert download.suggested_filename == f"{DEPARTMENT}_创建任务分解表.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    written = [r for r in sheet.iter_rows(min_row=4, values_only=True) if r[3] is not None]
    assert sheet.title == "任务分解" and len(written) == len(first_rows(expected_db))
    assert sheet.cell(row=row_no, column=9).value == "已完成"  # 完成情况, at the task's own row
    page.locator('[data-testid="stSidebarNav"] a', has_text="总览").click()
    page.locator("h1", has_text="总览").wait_for()
    page.wait_for_selector(IDLE)
    assert metric(page, "任务完成率") == f"{after['completion_rate']:.1%}"
    assert metric(page, "逾期任务") == str(after["overdue"])
    page.close()


def test_the_edit_is_in_the_history_and_restoring_undoes_it(served: tuple[str, Any, Path, Path]) -> None:
    url, context, db, expected_db = served
    page = context.new_page()
    page.goto(f"{url}/history?as_of={AS_OF}")
    page.get_by_label("用户名").fill("管理员")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.locator("h1", has_text="导入记录").wait_for()
    page.wait_for_selector(IDLE)
    # the newest entry, in the log and chosen by default: two changes (status and progress)
    page.locator("td", has_text=f"页面修改：{DEPARTMENT}（2 处）").first.wait_for(state="attached")
    page.get_by_text("逐行改动（2 处）").wait_for()
    wanted = {"推进中", "已完成", "100%"}  # old -> new, as words
    for _ in range(50):  # the changes' grid draws its cells after its caption
        cells = set(page.locator('[data-testid^="glide-cell"]').all_inner_texts())
        if wanted <= cells:
            break
        page.wait_for_timeout(200)
    assert wanted <= cells
    page.close()
