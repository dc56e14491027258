"""Bounded load tests on loopback: 20 viewers for 60 s while two imports run; every viewer sees old or new figures.

``test_twenty_viewers_...``: 20 viewer threads in one process, each doing what a page run does (a read
snapshot, then the overview's headline queries through web's cached query path on a cursor of the
process's one connection), while a third of the process's threads imports two large trackers through
Store.import_file as a signed-up admin. On two cores this measures the server's side: in a browser
test, 20 chromium tabs spend the machine's CPU on drawing charts.

``test_viewers_in_chromium_...``: the same check through a real `streamlit run` and chromium tabs
(fewer and shorter, to stay within the time), with the imports uploaded on the 数据导入 page.

Every figure set a viewer reads must be one of the three states (before, after the first import, after
the second), worked out on a reference store; a viewer never goes back to an older state; nothing
fails. The figures are printed and written to load.json. Traffic stays on 127.0.0.1; runs are bounded.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_browser import ARGS, CHROMIUM, free_port, unavailable
from wenming import web
from wenming.devtools import bigbook
from wenming.figures import headline
from wenming.store import Store, auth
from wenming.web import data

pytestmark = pytest.mark.load

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "sample"
AS_OF = dt.date(2026, 11, 20)  # the sample trackers' 截至 date
VIEWERS, DURATION, IMPORTS_AT = 20, 60.0, (15.0, 35.0)  # viewers, seconds of viewing, imports (s into it)
TABS, TAB_DURATION, TAB_IMPORTS_AT = 5, 25.0, (6.0, 15.0)  # the same in chromium, smaller
SIZES = (3_000, 5_000)  # tasks in the two imported trackers
ADMIN, LEADER, PASSWORD = "管理员", "王局", "load-test-pass-1"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def seeded(path: Path) -> Store:
    store = Store.open(path)
    for file in sorted(SAMPLES.glob("*.xlsx")):
        store.import_file(file.read_bytes(), file.name, user="示例数据")
    return store


def shown(query: Any) -> tuple[str, ...]:
    """The overview's headline values as a viewer reads them (all departments)."""
    return tuple(figure.shown() for figure in headline.headlines(query, AS_OF, None))


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Two large trackers and the three states of the headline figures, worked out on a reference store."""
    folder = tmp_path_factory.mktemp("load")
    trackers = [bigbook.write_tracker(folder / f"大台账{n}.xlsx", n, seed=seed) for seed, n in enumerate(SIZES, 1)]
    reference = seeded(folder / "reference.duckdb")
    states = [shown(reference.query)]
    for tracker in trackers:
        reference.import_file(tracker.read_bytes(), tracker.name, user="a")
        states.append(shown(reference.query))
    reference.close()
    assert len(set(states)) == 3, states
    return {"folder": folder, "trackers": trackers, "states": states}


def served_db(folder: Path, name: str) -> Path:
    store = seeded(folder / name)
    auth.add_user(store, ADMIN, "admin", password=PASSWORD)
    auth.add_user(store, LEADER, "leader", password=PASSWORD, by=ADMIN)
    store.close()
    return folder / name


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(name: str, folder: Path, log: list[dict], imports: list[dict], states: list, **extra: Any) -> dict:
    seconds = [e["seconds"] for e in log if not e.get("initial")]
    observed = [e for e in log if "figures" in e]
    figures = {
        **extra,
        "page_runs": len(seconds),
        "errors": sum(e["errors"] for e in log),
        "latency_p50_s": round(statistics.median(seconds), 3),
        "latency_p90_s": round(percentile(seconds, 0.9), 3),
        "latency_p99_s": round(percentile(seconds, 0.99), 3),
        "latency_max_s": round(max(seconds), 3),
        "imports": [{k: round(v, 2) if isinstance(v, float) else v for k, v in d.items()} for d in imports],
        "states_seen": [sum(1 for e in observed if e["figures"] == state) for state in states],
    }
    (folder / f"{name}.json").write_text(json.dumps(figures, ensure_ascii=False, indent=2))
    print(f"\n{name}:", json.dumps(figures, ensure_ascii=False))
    return figures


def check(figures: dict, log: list[dict], states: list, viewers: int) -> None:
    observed = [e for e in log if "figures" in e]
    assert figures["errors"] == 0
    assert len(figures["imports"]) == 2
    unknown = [e["figures"] for e in observed if e["figures"] not in states]
    assert not unknown, (unknown[:3], states)  # every figure set is the old or a new state, never a mix
    for me in {e["viewer"] for e in observed}:  # and a viewer never goes back to older figures
        seen = [states.index(e["figures"]) for e in observed if e["viewer"] == me]
        assert seen == sorted(seen), seen
    assert figures["states_seen"][0] > 0 and figures["states_seen"][2] > 0
    assert len({e["viewer"] for e in observed}) == viewers


# ---------------------------------------------------------------- 20 viewers in one process


def page_run(base: Store) -> tuple[str, ...]:
    """What a page run of the overview does with the data: one snapshot, the headline queries, cached by version."""
    reader = base.cursor()
    reader.con.begin()
    token = data._SNAPSHOT.set(data.Snapshot(reader, reader.snapshot_version()))
    try:
        return shown(web.query)
    finally:
        data._SNAPSHOT.reset(token)
        reader.con.rollback()
        reader.close()


def test_twenty_viewers_for_a_minute_while_two_imports_run(prepared: dict[str, Any]) -> None:
    base = Store.open(served_db(prepared["folder"], "threads.duckdb"))  # the process's one connection
    log: list[dict] = []
    imports: list[dict] = []
    start = time.monotonic()
    stop = start + DURATION

    def viewer(me: int) -> None:
        while time.monotonic() < stop:
            began = time.monotonic()
            entry: dict[str, Any] = {"viewer": me, "errors": 0}
            try:
                entry["figures"] = page_run(base)
            except Exception as error:  # counted, and shown by the assertion
                entry["errors"], entry["error"] = 1, repr(error)
            entry["seconds"] = time.monotonic() - began
            log.append(entry)

    def importer() -> None:
        for at, tracker in zip(IMPORTS_AT, prepared["trackers"], strict=True):
            time.sleep(max(0.0, start + at - time.monotonic()))
            began = time.monotonic()
            result = base.cursor().import_file(tracker.read_bytes(), tracker.name, user=ADMIN)
            imports.append(
                {
                    "file": tracker.name,
                    "rows": result.rows["tasks"],
                    "seconds": time.monotonic() - began,
                    "at_s": began - start,
                }
            )

    threads = [threading.Thread(target=viewer, args=(i,)) for i in range(VIEWERS)]
    threads.append(threading.Thread(target=importer))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(DURATION + 60)
    base.close()
    figures = report(
        "load_threads", prepared["folder"], log, imports, prepared["states"], viewers=VIEWERS, seconds=DURATION
    )
    assert not [e["error"] for e in log if e["errors"]]
    check(figures, log, prepared["states"], VIEWERS)


# ---------------------------------------------------------------- the same through a real server and chromium


@pytest.fixture(scope="module")
def server(prepared: dict[str, Any]) -> Iterator[str]:
    if not CHROMIUM.exists():
        unavailable(f"no chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        unavailable("the playwright package is not installed")
    folder = prepared["folder"]
    port = free_port()
    env = {**os.environ, "WENMING_DB": str(served_db(folder, "served.duckdb")), "WENMING_SAMPLES": "0"}
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    with (folder / "server.log").open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read()
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, (folder / "server.log").read_text()
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def settle(page: Any, title: str) -> None:
    await page.locator("h1", has_text=title).first.wait_for()
    await page.wait_for_selector(IDLE)


async def signed_in(context: Any, url: str, name: str, path: str = "") -> Any:
    page = await context.new_page()
    await page.goto(f"{url}/{path}?as_of={AS_OF}")
    await page.get_by_label("用户名").fill(name)
    await page.get_by_label("密码").fill(PASSWORD)
    await page.get_by_role("button", name="登录").click()
    return page


async def tab(context: Any, url: str, clock: dict[str, Any], log: list[dict]) -> None:
    """Sign in, then 测评得分 ↔ 总览 through the sidebar until the end, reading the headline figures."""
    page = await signed_in(context, url, LEADER)
    await settle(page, "总览")
    me = id(page)
    values = page.locator('[data-testid="stMetricValue"]')
    await values.nth(4).wait_for()
    first = tuple(v.strip() for v in await values.all_inner_texts())  # the figures on signing in: before any import
    clock["ready"] += 1
    await clock["start"].wait()
    log.append({"viewer": me, "page": "总览", "seconds": 0.0, "errors": 0, "figures": first, "initial": True})
    nav = page.locator('[data-testid="stSidebarNav"]')
    while time.monotonic() < clock["stop"]:
        for title in ("测评得分", "总览"):
            began = time.monotonic()
            await nav.get_by_text(title, exact=True).click()
            await settle(page, title)
            entry: dict[str, Any] = {"viewer": me, "page": title, "seconds": time.monotonic() - began}
            entry["errors"] = await page.locator('[data-testid="stException"]').count()
            if title == "总览":
                values = page.locator('[data-testid="stMetricValue"]')
                await values.nth(4).wait_for()
                entry["figures"] = tuple(v.strip() for v in await values.all_inner_texts())
            log.append(entry)
    await page.close()


async def uploader(context: Any, url: str, clock: dict[str, Any], trackers: list[Path]) -> list[dict]:
    """The admin on the 数据导入 page: one tracker at each of TAB_IMPORTS_AT."""
    page = await signed_in(context, url, ADMIN, "upload")
    await settle(page, "数据导入")
    clock["ready"] += 1
    await clock["start"].wait()
    done = []
    for at, tracker in zip(TAB_IMPORTS_AT, trackers, strict=True):
        await asyncio.sleep(max(0.0, clock["began"] + at - time.monotonic()))
        clicked = time.monotonic()
        await page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
            files=[{"name": tracker.name, "mimeType": XLSX, "buffer": tracker.read_bytes()}]
        )
        confirm = page.get_by_role("button", name="确认导入 1 个文件")
        await confirm.wait_for()
        await page.wait_for_selector(IDLE)
        await confirm.click()
        await page.get_by_text(f"已导入 {tracker.name}").wait_for()
        done.append({"file": tracker.name, "seconds": time.monotonic() - clicked, "at_s": clicked - clock["began"]})
    await page.close()
    return done


async def browse(url: str, trackers: list[Path]) -> tuple[list[dict], list[dict]]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = await browser.new_context(viewport={"width": 1000, "height": 700}, locale="zh-CN")
        context.set_default_timeout(60_000)
        clock: dict[str, Any] = {"ready": 0, "start": asyncio.Event(), "began": 0.0, "stop": 0.0}
        log: list[dict] = []
        tabs = [asyncio.create_task(tab(context, url, clock, log)) for _ in range(TABS)]
        imports = asyncio.create_task(uploader(context, url, clock, trackers))
        deadline = time.monotonic() + 90
        while clock["ready"] < TABS + 1:  # everyone signed in
            assert time.monotonic() < deadline, f"{clock['ready']} of {TABS + 1} signed in"
            await asyncio.sleep(0.1)
        clock["began"] = time.monotonic()
        clock["stop"] = clock["began"] + TAB_DURATION
        clock["start"].set()
        await asyncio.gather(*tabs)
        done = await imports
        await context.close()
        await browser.close()
        return log, done


@pytest.mark.browser
def test_viewers_in_chromium_see_old_or_new_figures_while_two_uploads_run(
    server: str, prepared: dict[str, Any]
) -> None:
    log, imports = asyncio.run(browse(server, prepared["trackers"]))
    figures = report(
        "load_browser", prepared["folder"], log, imports, prepared["states"], viewers=TABS, seconds=TAB_DURATION
    )
    assert "Traceback" not in (prepared["folder"] / "server.log").read_text(errors="replace")
    check(figures, log, prepared["states"], TABS)
