"""Many sessions, one process, one database file: imports one at a time, never half-written, one writer process.

- Two imports of one scope at once: the second waits for the first (at most store.WAIT_SECONDS) and
  then runs; both are in the history and the later one is in force, never a mix of the two.
- Past the wait, the second import gets one sentence and nothing of it is stored.
- A process killed in the middle of an import leaves the database as it was before the import.
- A second process on the same file fails at once with one sentence; the first goes on.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.access import AS_OF, tasks_book
from tests.conftest import dump
from wenming.devtools import bigbook
from wenming.figures import summary
from wenming.store import Busy, ImportResult, Store
from wenming.store import db as store_mod
from wenming.text import t

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "sample"


def zh(key: str, **params: object) -> str:
    return t(key, "zh", **params)


def current_tasks(store: Store) -> list[tuple[str, str]]:
    return sorted(store.con.execute("select department, task from tasks_at(null)").fetchall())


FIRST = tasks_book(*[[f"甲{i}", "办公室", "", ""] for i in range(50)])
SECOND = tasks_book(*[[f"乙{i}", "办公室", "", ""] for i in range(30)])


def slow_first_import(monkeypatch: pytest.MonkeyPatch, seconds: float) -> threading.Event:
    """Make the import of FIRST hold the write lock for ``seconds`` after its rows are in; returns 'it is inside'."""
    inside = threading.Event()
    original = Store._insert_warnings

    def slow(self: Store, con: object, import_id: int, warnings: list) -> None:
        original(self, con, import_id, warnings)
        if threading.current_thread().name == "first":
            inside.set()
            time.sleep(seconds)

    monkeypatch.setattr(Store, "_insert_warnings", slow)
    return inside


def in_thread(store: Store, data: bytes, name: str, results: dict[str, object]) -> threading.Thread:
    def work() -> None:
        try:
            results[name] = store.cursor().import_file(data, f"{name}.xlsx", user="某人", as_of=AS_OF)
        except Exception as error:  # the test looks at it
            results[name] = error

    thread = threading.Thread(target=work, name=name)
    thread.start()
    return thread


def test_two_imports_of_one_scope_at_once_run_one_after_the_other(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    inside = slow_first_import(monkeypatch, 0.8)
    results: dict[str, object] = {}
    first = in_thread(store, FIRST, "first", results)
    assert inside.wait(10)
    # the first import's rows are written but not committed: readers still see nothing
    assert current_tasks(store) == []
    started = time.perf_counter()
    second = in_thread(store, SECOND, "second", results)
    first.join(20)
    second.join(20)
    waited = time.perf_counter() - started
    a, b = results["first"], results["second"]
    assert isinstance(a, ImportResult) and isinstance(b, ImportResult), results
    assert (a.import_id, b.import_id) == (1, 2)
    assert waited >= 0.5  # the second waited for the first's commit
    # one winner, entirely: the later import's 30 rows, none of the first's
    assert current_tasks(store) == sorted(("办公室", f"乙{i}") for i in range(30))
    assert store.imports()["file_name"].tolist() == ["second.xlsx", "first.xlsx"]


def test_an_import_that_waits_too_long_gets_one_sentence(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    inside = slow_first_import(monkeypatch, 1.5)
    monkeypatch.setattr(store_mod, "WAIT_SECONDS", 0.3)
    results: dict[str, object] = {}
    first = in_thread(store, FIRST, "first", results)
    assert inside.wait(10)
    second = in_thread(store, SECOND, "second", results)
    second.join(20)
    first.join(20)
    refused = results["second"]
    assert isinstance(refused, Busy)
    assert refused.message("zh") == zh("refused.sentence", file="second.xlsx", reason=zh("refused.busy", seconds="0.3"))
    assert isinstance(results["first"], ImportResult)
    assert current_tasks(store) == sorted(("办公室", f"甲{i}") for i in range(50))
    assert store.imports()["file_name"].tolist() == ["first.xlsx"]
    assert [p.name for p in store.archive.iterdir()] == [store.imports().iloc[0]["sha256"] + ".xlsx"]


def test_one_file_uploaded_twice_at_once_is_imported_once(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    inside = slow_first_import(monkeypatch, 0.5)
    results: dict[str, object] = {}
    first = in_thread(store, FIRST, "first", results)
    assert inside.wait(10)
    again = in_thread(store, FIRST, "again", results)
    first.join(20)
    again.join(20)
    assert results["first"].import_id == 1
    assert results["again"].import_id is None and results["again"].duplicate_of == 1
    assert len(store.imports()) == 1


def test_readers_see_the_data_before_or_after_an_import_never_between(store: Store) -> None:
    """A read transaction (one page run) keeps its snapshot while an import commits."""
    store.import_file(FIRST, "first.xlsx", user="a", as_of=AS_OF)
    reader = store.cursor()
    reader.con.begin()
    version = reader.snapshot_version()
    before = current_tasks(reader)
    store.import_file(SECOND, "second.xlsx", user="a", as_of=AS_OF)
    assert current_tasks(reader) == before and reader.snapshot_version() == version
    reader.con.rollback()
    assert current_tasks(reader) == sorted(("办公室", f"乙{i}") for i in range(30))
    assert reader.snapshot_version() == version + 1 == store.version()


# ---------------------------------------------------------------- killed in the middle of an import

KILLED_IMPORT = """
import sys, time
from wenming import cli
from wenming.store import Store

original = Store._insert_warnings

def pause(self, con, import_id, warnings):
    original(self, con, import_id, warnings)
    print("MIDWAY", flush=True)  # every row of the tracker is written, nothing committed
    time.sleep(120)

Store._insert_warnings = pause
sys.exit(cli.main(sys.argv[1:]))
"""


@pytest.fixture(scope="module")
def big_tracker(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bigbook.write_tracker(tmp_path_factory.mktemp("big") / "大台账.xlsx", 100_000)


def sample_db(path: Path) -> Path:
    store = Store.open(path)
    for file in sorted(SAMPLES.glob("*.xlsx")):
        store.import_file(file.read_bytes(), file.name, user="示例数据")
    store.close()
    return path


# The samples' and the big tracker's 截至: on that date the big tracker is in force (before it, the
# samples, imported first with the same date, stand in: WORKBOOKS.md §5, issue 12).
SAMPLES_DATE = dt.date(2026, 11, 20)


def figures(db: Path) -> tuple[dict, dict]:
    store = Store.open(db)
    try:
        return summary.build(store, SAMPLES_DATE), dump(store)
    finally:
        store.close()


@pytest.mark.slow
def test_killed_in_the_middle_of_an_import_the_database_is_as_before(big_tracker: Path, tmp_path: Path) -> None:
    db = sample_db(tmp_path / "killed.duckdb")
    before = figures(db)
    command = [sys.executable, "-c", KILLED_IMPORT, "import", str(big_tracker), "--db", str(db)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().strip() == "MIDWAY", process.stderr.read()
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(30)
    assert process.returncode == -signal.SIGKILL
    after = figures(db)
    assert after[0] == before[0]  # the same figures
    assert after[1] == before[1]  # and the same rows in every table
    # and the database takes the same import afterwards
    store = Store.open(db)
    result = store.import_file(big_tracker.read_bytes(), big_tracker.name, user="a")
    assert result.rows == {"tasks": 100_000}
    store.close()


@pytest.mark.slow
def test_killed_at_any_moment_of_a_real_import_the_figures_are_before_or_after(
    big_tracker: Path, tmp_path: Path
) -> None:
    """The real command line killed at six moments across its import: each time all of it or none of it."""
    pristine = sample_db(tmp_path / "pristine.duckdb")
    before = figures(pristine)[0]
    reference = Store.open(shutil.copy(pristine, tmp_path / "reference.duckdb"))
    reference.import_file(big_tracker.read_bytes(), big_tracker.name, user="a")
    after = summary.build(reference, SAMPLES_DATE)
    reference.close()
    assert after != before
    outcomes = []
    # the archived original appears just before the import's transaction begins: kill that long after it
    for delay in (0.0, 0.05, 0.15, 0.3, 0.5, 0.8):
        db = Path(shutil.copy(pristine, tmp_path / f"killed_{delay}.duckdb"))
        archive = tmp_path / f"killed_{delay}.files"
        command = [sys.executable, "-m", "wenming", "import", str(big_tracker), "--db", str(db)]
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while not list(archive.glob("*.xlsx")) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(delay)
        finished = process.poll() is not None
        process.send_signal(signal.SIGKILL)
        process.wait(30)
        found = figures(db)[0]
        assert found in (before, after), delay
        outcomes.append("finished" if finished else ("none of it" if found == before else "all of it"))
    print("killed 0, 0.05, 0.15, 0.3, 0.5, 0.8 s into the write:", outcomes)
    assert "none of it" in outcomes  # at least one kill landed inside the import's transaction


# ---------------------------------------------------------------- one writing process per database file


def test_a_second_process_on_the_same_file_fails_fast_while_the_first_goes_on(tmp_path: Path) -> None:
    db = sample_db(tmp_path / "busy.duckdb")
    first = Store.open(db)
    try:
        started = time.monotonic()
        run = subprocess.run(
            [sys.executable, "-m", "wenming", "summary", "--db", str(db)], capture_output=True, text=True, cwd=ROOT
        )
        elapsed = time.monotonic() - started
        assert run.returncode == 1 and run.stderr.strip() == zh("refused.locked", db=str(db))
        assert elapsed < 15
        first.import_file(tasks_book(["之后的任务", "办公室", "", ""]), "later.xlsx", user="a", as_of=AS_OF)
        assert ("办公室", "之后的任务") in current_tasks(first)
    finally:
        first.close()


def start_server(db: Path, folder: Path, name: str) -> tuple[subprocess.Popen, str]:
    from tests.test_browser import free_port

    port = free_port()
    env = {**os.environ, "WENMING_DB": str(db), "WENMING_SAMPLES": "0"}
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    with (folder / f"{name}.log").open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read()
            return process, url
        except OSError:
            assert process.poll() is None and time.monotonic() < deadline, (folder / f"{name}.log").read_text()
            time.sleep(0.2)


@pytest.mark.browser
def test_a_second_server_on_the_same_file_says_so_while_the_first_serves(tmp_path: Path) -> None:
    from tests.test_browser import ARGS, CHROMIUM, IDLE, unavailable

    if not CHROMIUM.exists():
        unavailable(f"no chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed")
    db = sample_db(tmp_path / "shared.duckdb")
    first, first_url = start_server(db, tmp_path, "first")
    second = None
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            page = browser.new_page()
            page.set_default_timeout(30_000)
            page.goto(f"{first_url}/?as_of={AS_OF}")
            page.wait_for_selector('[data-testid="stMetricValue"]')  # the first server now holds the file
            figures = page.locator('[data-testid="stMetricValue"]').all_inner_texts()

            started = time.monotonic()
            run = subprocess.run(
                [sys.executable, "-m", "wenming", "summary", "--db", str(db)], capture_output=True, text=True, cwd=ROOT
            )
            assert run.returncode == 1 and run.stderr.strip() == zh("refused.locked", db=str(db))
            assert time.monotonic() - started < 15

            second, second_url = start_server(db, tmp_path, "second")
            other = browser.new_page()
            other.set_default_timeout(30_000)
            other.goto(f"{second_url}/?as_of={AS_OF}")
            other.get_by_text(zh("refused.locked", db=str(db))).wait_for()
            other.wait_for_selector(IDLE)
            assert other.locator('[data-testid="stMetricValue"]').count() == 0
            assert other.locator('[data-testid="stException"]').count() == 0

            page.reload()
            page.wait_for_selector('[data-testid="stMetricValue"]')
            assert page.locator('[data-testid="stMetricValue"]').all_inner_texts() == figures
            browser.close()
    finally:
        for process in (first, second):
            if process is not None:
                process.terminate()
                process.wait(timeout=15)
