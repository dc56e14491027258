"""The bench's browser part (wenming.devtools.pagebench) on the samples: the real app in chromium, each page's
time to its last chart drawn, the next slide's time in 演示模式, the app's peak memory and the task list's queries.

Marked ``browser`` like the other real-browser tests: skipped without chromium unless WENMING_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
from pathlib import Path

import pytest

from wenming.devtools import bench, pagebench
from wenming.store import Store

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 11, 20)  # the sample trackers' 截至 date


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("pagebench") / "samples.duckdb"
    store = Store.open(db)
    for file in sorted((ROOT / "data" / "sample").glob("*.xlsx")):
        store.import_file(file.read_bytes(), file.name, user="示例数据")
    store.close()
    return db


def test_pages_and_slides_are_timed_in_chromium(samples: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not pagebench.CHROMIUM.exists() and os.environ.get("WENMING_REQUIRE_BROWSER") != "1":
        pytest.skip(f"no chromium at {pagebench.CHROMIUM}")
    monkeypatch.setattr(pagebench, "TIMEOUT_MS", 180_000)  # a page or slide that never shows fails, not hangs
    monkeypatch.setattr(pagebench, "SLIDE_TRANSITIONS", 3)
    lines: list[str] = []
    found = pagebench.measure(samples, AS_OF, repeat=2, echo=lines.append, pages=("", "tasks"))
    assert lines == ["  browser: /", "  browser: /tasks", "  browser: 演示模式"]
    assert set(found["pages"]) == {"overview", "tasks"}
    for page in found["pages"].values():
        assert len(page["runs_ms"]) == 3 and all(0 < ms < 180_000 for ms in page["runs_ms"])
        assert page["cold_ms"] == page["runs_ms"][0] and page["warm_ms"] == statistics.median(page["runs_ms"][1:])
    # 总览 → 任务推进, and 任务推进 → 总览, by the page's link in the sidebar, timed from the click event
    for page in found["pages"].values():
        assert len(page["clicks_ms"]) == 2 and all(0 < ms < 180_000 for ms in page["clicks_ms"])
        assert page["click_ms"] == statistics.median(page["clicks_ms"])
    assert len(found["slides"]["runs_ms"]) == 3 and 0 < found["slides"]["median_ms"] < 180_000
    assert 100 < found["app_peak_mb"] < 4096  # the app process's own high-water mark, read from /proc
    report = "\n".join(pagebench.report({"browser": {"121": found}}, bench._table))
    assert "Browser at 121 tasks" in report and "Next slide in 演示模式" in report and "tasks" in report
    assert "from a click in the sidebar ms" in report


def test_the_task_list_queries_are_timed(samples: Path) -> None:
    found = pagebench.list_queries(samples, AS_OF, repeat=2)
    assert list(found) == ["count", "page 1", "page 2", "search", "search count", "by deadline"]
    assert all(ms > 0 for ms in found.values())


def test_without_a_browser_the_bench_says_so(samples: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pagebench, "CHROMIUM", Path("/nonexistent/chromium"))
    with pytest.raises(pagebench.Unavailable, match="no chromium"):
        pagebench.measure(samples, AS_OF)
    report = "\n".join(pagebench.report({"browser": {"100000": {"error": "no chromium at /x"}}}, bench._table))
    assert "Browser at 100,000 tasks: skipped, no chromium at /x" in report


def test_the_browser_runs_at_100k_when_the_pages_do_unless_told() -> None:
    from wenming.cli import _browser_sizes

    assert _browser_sizes(None, (100_000, 1_000_000)) == (100_000,) and _browser_sizes(None, ()) == ()
    assert _browser_sizes("10k", ()) == (10_000,) and _browser_sizes("none", (100_000,)) == ()
