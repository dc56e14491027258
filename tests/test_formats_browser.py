"""Trackers in other formats through the upload page in chromium: an .xls from WPS and a GBK CSV."""

from __future__ import annotations

from typing import Any

import pytest

from tests.test_browser import AS_OF, IDLE, browser, open_page, server, settle, tasks_shown  # noqa: F401 - fixtures
from tests.workbooks import workbook
from wenming.devtools import saved_as

pytestmark = pytest.mark.browser

ROWS = [
    ["测评项目", "工作任务", "牵头部门", "完成时限", "完成情况"],
    ["学雷锋活动", "格式测试任务一", "格式测试部", "长期坚持", ""],
    ["", "格式测试任务二", "格式测试部", "2099-12-31", "推进中"],
]


def test_an_et_and_a_gbk_csv_through_the_page(server: Any, browser: Any) -> None:  # noqa: F811
    """The page says which formats it reads; a WPS .et and a GBK CSV are previewed and imported, and
    the task list grows by their rows; a web page saved as .xls is one sentence."""
    et = saved_as.xls(workbook(("任务", ROWS)))
    other = [ROWS[0], *([c.replace("格式测试部", "格式测试二部") for c in row] for row in ROWS[1:])]
    csv = saved_as.csv_sheets(workbook(("任务", other)), "gbk")["任务"]  # another department: added, not replacing
    page = open_page(browser, f"{server.url}/tasks?as_of={AS_OF}")
    try:
        settle(page, "任务推进")
        before = int(tasks_shown(page).split("/")[-1].split()[0])
        page.goto(f"{server.url}/upload?as_of={AS_OF}")
        settle(page, "数据导入")
        page.get_by_text("WPS 表格（.et）", exact=False).wait_for()
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
            files=[
                {"name": "格式测试部.et", "mimeType": "application/octet-stream", "buffer": et},
                {"name": "格式测试部.csv", "mimeType": "text/csv", "buffer": csv},
                {"name": "网页.xls", "mimeType": "application/vnd.ms-excel", "buffer": b"<html><table></table></html>"},
            ]
        )
        page.get_by_text("格式测试部.csv 识别结果").wait_for()
        page.get_by_text("格式测试部.et 识别结果").wait_for()
        error = page.locator('[data-testid="stAlertContentError"]')
        assert "网页.xls：文件内容是网页（HTML）" in error.inner_text()  # after the icon's name
        page.get_by_label("导入人").fill("浏览器测试")
        page.get_by_label("导入人").press("Enter")
        confirm = page.get_by_role("button", name="确认导入 2 个文件")
        confirm.wait_for()
        page.wait_for_selector(IDLE)
        confirm.click()
        page.get_by_text("已导入 格式测试部.csv").wait_for()
        page.screenshot(path=server.folder / "formats.png", full_page=False)
        assert page.locator('[data-testid="stException"]').count() == 0
        page.goto(f"{server.url}/tasks?as_of={AS_OF}")
        settle(page, "任务推进")
        assert tasks_shown(page) == f"显示 {before + 4} / {before + 4} 项"
    finally:
        page.close()
