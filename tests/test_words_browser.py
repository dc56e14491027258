"""One mapping in a real browser (WORKBOOKS.md §8): a tracker whose department header no rule knows is
refused with a sentence, its header is mapped on the import page, and the file previews again."""

from __future__ import annotations

from typing import Any

import pytest

from tests.test_browser import AS_OF, XLSX, Server, browser, open_page, server, settle  # noqa: F401 (fixtures)
from tests.workbooks import workbook

pytestmark = pytest.mark.browser

TRACKER = workbook(
    (
        "督办",
        [
            ["工作任务", "承担股室", "落实情况"],
            ["浏览器映射任务一", "映射部", "已完成"],
            ["浏览器映射任务二", "映射部", ""],
        ],
    )
)


def test_a_header_is_mapped_on_the_import_page(server: Server, browser: Any) -> None:  # noqa: F811
    page = open_page(browser, f"{server.url}/upload?as_of={AS_OF}")
    try:
        settle(page, "数据导入")
        page.get_by_label("导入人").fill("映射测试")
        page.get_by_label("导入人").press("Enter")
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
            files=[{"name": "映射部督办.xlsx", "mimeType": XLSX, "buffer": TRACKER}]
        )
        page.get_by_text("缺少必需的“牵头部门”一列").wait_for()
        page.get_by_role("button", name="记住这个表头并重新预览").click()
        page.get_by_text("已记住：“承担股室”读作 department").wait_for()
        page.get_by_text("映射部督办.xlsx 识别结果").wait_for()
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
        page.screenshot(path=server.folder / "mapped.png", full_page=True)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.get_by_role("button", name="确认导入 1 个文件").is_visible()
    finally:
        page.close()
