"""`python -m wenming bench`: import and page speed on generated trackers of 1k–1M tasks.

For each size the benchmark writes (once, cached under bench/cache/) a 任务分解表 in
the messy shapes of WORKBOOKS.md, in two shapes (``bigbook.SHAPES``): "repeating", whose
task texts cycle through the sample's catalogue (a few hundred distinct texts), and
"realistic", where every task is a sentence of its own as in offices' trackers. For each
shape and size it measures, as medians of several runs:

- the import (read + validate + store) through ``Store.import_file``, against the
  naive path a user would write: ``pandas.read_excel`` with openpyxl, then the frame
  into DuckDB; the ratio naive / ours, and the figures both paths agree on (task
  rows and done tasks) to show they read the same workbook;
- the peak memory of each import (every run is a fresh process);
- at the page sizes: the time of each page's queries, a warm rerun of each page
  through AppTest, the first page of a fresh app process and that process's peak
  memory.

It prints a table and writes every figure to a JSON file.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wenming import sample
from wenming.devtools import bigbook, pagebench

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "bench" / "cache"
RESULTS = ROOT / "bench" / "results"
SIZES = (1_000, 10_000, 100_000, 1_000_000)
PAGE_SIZES = (100_000, 1_000_000)
REPEAT = 3
AS_OF = sample.AS_OF
WARM_UP_ROWS = 50
OTHER_SAMPLES = sample.SAMPLE_FILES[1:]  # scores, issues, activities, headcount and surveys for every page
HEADER = sample.TASKS_LAYOUT.header
# The naive path's figures, computed on the frame pandas read: a task row has a number in 序号;
# a task is done when 完成情况 says so, or is blank with a 完成日期 (WORKBOOKS.md §4).
DONE_WORDS = ", ".join(f"'{w}'" for w in ("已完成", "完成", "√", "100%"))
NAIVE_FIGURES = f"""
select
    count(*) as tasks,
    count(*) filter (where "完成情况" in ({DONE_WORDS}) or ("完成情况" is null and "完成日期" is not null)) as done
from naive
where try_cast("序号" as double) is not null
"""
FAST_FIGURES = "select count(*) as tasks, count(*) filter (where status = 'done') as done from tasks"

Echo = Callable[[str], None]


@dataclass(frozen=True)
class Options:
    sizes: tuple[int, ...] = SIZES
    page_sizes: tuple[int, ...] = PAGE_SIZES
    repeat: int = REPEAT
    naive: bool = True
    shapes: tuple[str, ...] = bigbook.SHAPES
    out: Path | None = None
    cache: Path = CACHE
    seed: int = sample.SEED
    page_timeout: float = 300  # seconds for one page's app process
    page_memory_mb: float = field(default_factory=lambda: _memory_limit_mb())  # a page past this is stopped
    browser_sizes: tuple[int, ...] = ()  # sizes of the real app in chromium (pagebench)


def _memory_limit_mb() -> float:
    """6 GB, or 40% of this machine's memory if that is less, so the machine keeps working."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            total = int(meminfo.readline().split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        return 6144
    return min(6144, 0.4 * total)


def parse_size(text: str) -> int:
    """1k -> 1000, 1M -> 1000000, 2500 -> 2500."""
    text = text.strip().lower().replace("_", "")
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    number = text[:-1] if scale > 1 else text
    value = float(number) * scale
    if value < 1 or not value.is_integer():
        raise ValueError(f"not a number of rows: {text!r}")
    return int(value)


def parse_sizes(text: str) -> tuple[int, ...]:
    """ "1k,10k" -> (1000, 10000); "none" or "" -> ()."""
    if text.strip().lower() in ("", "none", "0"):
        return ()
    return tuple(parse_size(part) for part in text.split(",") if part.strip())


def size_label(n: int) -> str:
    for unit, scale in (("M", 1_000_000), ("k", 1_000)):
        if n >= scale and n % scale == 0:
            return f"{n // scale}{unit}"
    return str(n)


# ---------------------------------------------------------------- one run in a fresh process


def _cpu_model() -> str:
    """The processor's name, from /proc/cpuinfo where there is one."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _child_import(path: str, naive: bool, warm_up: str) -> dict[str, Any]:
    """One import of ``path`` (ours or the naive one) into a new database, after a warm-up."""
    import duckdb
    import pandas as pd

    from wenming.store import Store

    def ours(file: Path, folder: Path) -> dict[str, Any]:
        store = Store.open(folder / "bench.duckdb")
        data = file.read_bytes()
        started = time.perf_counter()
        parsed = store.parse(data, file.name, as_of=AS_OF)
        read = time.perf_counter()
        store.import_parsed(parsed, data, user="bench", as_of=AS_OF)
        done = time.perf_counter()
        figures = dict(zip(("tasks", "done"), store.con.execute(FAST_FIGURES).fetchone(), strict=True))
        store.close()
        return {"seconds": done - started, "read": read - started, "store": done - read, "figures": figures}

    def theirs(file: Path, folder: Path) -> dict[str, Any]:
        started = time.perf_counter()
        frame = pd.read_excel(file, header=bigbook.HEADER_ROW - 1, engine="openpyxl")
        con = duckdb.connect(str(folder / "naive.duckdb"))
        # DuckDB types a column of Python objects from its first 1,000 rows: 序号 would be an integer
        # and the 合计 row below fail to convert; looking at every row keeps it text.
        con.execute(f"set pandas_analyze_sample = {max(len(frame), 1000)}")
        con.register("incoming", frame)
        con.execute("create table naive as select * from incoming")
        done = time.perf_counter()
        figures = dict(zip(("tasks", "done"), con.execute(NAIVE_FIGURES).fetchone(), strict=True))
        con.close()
        return {"seconds": done - started, "figures": figures}

    run = theirs if naive else ours
    with tempfile.TemporaryDirectory() as warm:
        run(Path(warm_up), Path(warm))
    base = _rss_mb()
    with tempfile.TemporaryDirectory() as folder:
        result = run(Path(path), Path(folder))
    return {**result, "base_mb": base, "peak_mb": _peak_mb()}


def child_main(argv: Sequence[str]) -> int:
    """Entry of the measuring processes: one JSON argument in, one JSON line out."""
    task = json.loads(argv[0])
    if task["task"] == "import":
        result = _child_import(task["path"], task["naive"], task["warm_up"])
    else:
        from wenming.web.timing import page_times  # the one part of the bench that runs Streamlit

        result = page_times(task["db"], task["page"], task["repeat"], AS_OF)
        result["peak_mb"] = _peak_mb()
    print(json.dumps(result, default=str))
    return 0


class ChildFailed(Exception):
    """A measuring process failed, ran out of time or grew past the memory limit."""


def _in_child(task: dict[str, Any], timeout: float = 3600, memory_mb: float = 8192) -> dict[str, Any]:
    """Run one measurement in a fresh process, killed past ``timeout`` seconds or ``memory_mb`` MB."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen(
            [sys.executable, "-m", "wenming.devtools.bench", json.dumps(task)],
            stdout=out,
            stderr=err,
            cwd=ROOT,
            env=env,
        )
        started, peak = time.monotonic(), 0.0
        while child.poll() is None:
            peak = max(peak, _child_rss_mb(child.pid))
            if time.monotonic() - started > timeout or peak > memory_mb:
                child.kill()
                child.wait()
                reason = f"over {timeout:.0f} s" if peak <= memory_mb else f"over {memory_mb:.0f} MB"
                raise ChildFailed(f"stopped: {reason}")
            time.sleep(0.2)
        out.seek(0)
        err.seek(0)
        lines = [line for line in out.read().splitlines() if line.startswith("{")]
        if child.returncode != 0 or not lines:
            raise ChildFailed(f"failed: {err.read().strip()[-1500:]}")
        return json.loads(lines[-1])


def _child_rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


# ---------------------------------------------------------------- the benchmark


def tracker(options: Options, n: int, shape: str = "repeating") -> Path:
    return bigbook.cached_tracker(options.cache, n, options.seed, shape=shape)


def parse_shapes(text: str) -> tuple[str, ...]:
    """ "realistic" -> ("realistic",); "all" -> both shapes."""
    if text.strip().lower() == "all":
        return bigbook.SHAPES
    shapes = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [shape for shape in shapes if shape not in bigbook.SHAPES]
    if unknown or not shapes:
        raise ValueError(f"tracker shapes are {', '.join(bigbook.SHAPES)}, not {text!r}")
    return shapes


def measure_import(options: Options, n: int, echo: Echo, shape: str = "repeating") -> dict[str, Any]:
    path = tracker(options, n, shape)
    warm_up = str(tracker(options, WARM_UP_ROWS, shape))
    out: dict[str, Any] = {"shape": shape, "rows": n, "file_mb": path.stat().st_size / 2**20}
    for key, naive in (("fast", False), ("naive", True)):
        if naive and not options.naive:
            continue
        runs = []
        for i in range(options.repeat):
            echo(f"  {shape} {size_label(n)} {'naive' if naive else 'import'} {i + 1}/{options.repeat}")
            runs.append(_in_child({"task": "import", "path": str(path), "naive": naive, "warm_up": warm_up}))
        out[key] = {
            "seconds": statistics.median(r["seconds"] for r in runs),
            "runs": [r["seconds"] for r in runs],
            "peak_mb": max(r["peak_mb"] for r in runs),
            "base_mb": statistics.median(r["base_mb"] for r in runs),
            "figures": runs[0]["figures"],
        }
        if not naive:
            out[key]["read_s"] = statistics.median(r["read"] for r in runs)
            out[key]["store_s"] = statistics.median(r["store"] for r in runs)
    if "naive" in out:
        out["ratio"] = out["naive"]["seconds"] / out["fast"]["seconds"]
        out["figures_equal"] = out["naive"]["figures"] == out["fast"]["figures"]
    return out


def page_database(options: Options, n: int, folder: Path) -> Path:
    """A database holding the tracker of ``n`` tasks and the sample's other trackers."""
    from wenming.store import Store

    samples = sample.SAMPLE_DIR
    if not all((samples / name).is_file() for name in OTHER_SAMPLES):
        samples = options.cache / "samples"
        samples.mkdir(parents=True, exist_ok=True)
        sample.write_samples(samples)
    db = folder / f"pages-{n}.duckdb"
    store = Store.open(db)
    path = tracker(options, n)
    store.import_file(path.read_bytes(), path.name, user="bench", as_of=AS_OF)
    for name in OTHER_SAMPLES:
        store.import_file((samples / name).read_bytes(), name, user="bench", as_of=AS_OF)
    store.close()
    return db


def measure_pages(options: Options, n: int, echo: Echo) -> dict[str, Any]:
    """Each page in a fresh app process: the app's first page, then the page cold and warm."""
    out: dict[str, Any] = {"tasks": n, "pages": {}, "errors": {}, "first_page_runs": [], "peak_mb": 0.0}
    with tempfile.TemporaryDirectory() as folder:
        db = page_database(options, n, Path(folder))
        for page in sorted(path.stem for path in (ROOT / "pages").glob("*.py") if path.stem != "wall"):
            echo(f"  {size_label(n)} page {page}")
            task = {"task": "page", "db": str(db), "page": page, "repeat": options.repeat}
            try:
                found = _in_child(task, timeout=options.page_timeout, memory_mb=options.page_memory_mb)
            except ChildFailed as error:
                out["errors"][page] = [str(error)]
                continue
            out["pages"][page] = found["page"]
            out["first_page_runs"].append(found["first_page_s"])
            out["peak_mb"] = max(out["peak_mb"], found["peak_mb"])
            out["base_mb"] = found["base_mb"]
            if found["errors"]:
                out["errors"][page] = found["errors"]
        out["task_list_ms"] = pagebench.list_queries(db, AS_OF, options.repeat)  # issue 14
    out["first_page_s"] = statistics.median(out["first_page_runs"]) if out["first_page_runs"] else None
    return out


def measure_browser(options: Options, n: int, echo: Echo) -> dict[str, Any]:
    """Pages and slides in chromium on a fresh app (pagebench); an error in place of figures without a browser."""
    with tempfile.TemporaryDirectory() as folder:
        try:
            return pagebench.measure(page_database(options, n, Path(folder)), AS_OF, options.repeat, echo)
        except (pagebench.Unavailable, RuntimeError) as error:
            return {"error": str(error)}


def run(options: Options, echo: Echo = print) -> dict[str, Any]:
    """Measure everything the options ask for; write the JSON file; return the figures."""
    import duckdb

    started = dt.datetime.now()
    results: dict[str, Any] = {
        "started": started.isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "duckdb": duckdb.__version__,
            "python_calamine": importlib.metadata.version("python-calamine"),  # the module has no __version__
            "cpu": _cpu_model(),
        },
        "options": {
            "sizes": list(options.sizes),
            "page_sizes": list(options.page_sizes),
            "repeat": options.repeat,
            "naive": options.naive,
            "shapes": list(options.shapes),
        },
        "import": {},
        "pages": {},
    }
    for n in sorted(set(options.page_sizes)):
        echo(f"tracker of {n:,} tasks: {tracker(options, n)}")
    for shape in options.shapes:
        for n in options.sizes:
            echo(f"{shape} tracker of {n:,} tasks: {tracker(options, n, shape)}")
    for shape in options.shapes:
        found = results["import"][shape] = {}  # shape -> size -> figures
        for n in options.sizes:
            found[str(n)] = measure_import(options, n, echo, shape)
    for n in options.page_sizes:
        results["pages"][str(n)] = measure_pages(options, n, echo)
    for n in options.browser_sizes:  # the real app in chromium (issue 14)
        results.setdefault("browser", {})[str(n)] = measure_browser(options, n, echo)
    results["seconds"] = (dt.datetime.now() - started).total_seconds()
    out = options.out or RESULTS / f"bench-{started:%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    results["out"] = str(out)
    return results


# ---------------------------------------------------------------- the table


def _width(value: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in value)


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(_width(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    lines = []
    for row in [headers, *rows]:
        cells = [
            " " * (widths[i] - _width(c)) + c if i else c + " " * (widths[i] - _width(c)) for i, c in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _s(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value * 1000:.0f}" if value >= 0.01 else f"{value * 1000:.1f}"


def _import_cells(found: dict[str, Any]) -> list[str]:
    """One import row of the table, after its shape and size."""
    fast, naive = found["fast"], found.get("naive")
    return [
        f"{found['file_mb']:.1f}",
        _s(fast["read_s"]),
        _s(fast["store_s"]),
        _s(fast["seconds"]),
        f"{fast['peak_mb']:.0f}",
        _s(naive["seconds"]) if naive else "—",
        f"{naive['peak_mb']:.0f}" if naive else "—",
        f"{found['ratio']:.1f}×" if naive else "—",
        ("yes" if found["figures_equal"] else "NO") if naive else "—",
    ]


def report(results: dict[str, Any]) -> str:
    """The figures as plain tables."""
    repeat = results["options"]["repeat"]
    parts = [f"Import: read + validate + store; median of {repeat} runs, each in a fresh process."]
    rows = []
    for shape, sizes in results["import"].items():
        for n, found in sizes.items():
            rows.append([shape, f"{int(n):,}", *_import_cells(found)])
    headers = ["shape", "rows", "file MB", "read s", "store s", "import s", "peak MB"]
    headers += ["naive s", "naive MB", "naive/ours", "same figures"]
    parts.append(_table(headers, rows))
    parts.append(
        "repeating = task texts from the sample's catalogue; realistic = every task its own sentence.\n"
        "naive = pandas.read_excel(openpyxl) then DuckDB; peak MB = whole process (RSS high-water mark)."
    )
    for n, found in results["pages"].items():
        parts.append("")
        parts.append(
            f"Pages at {int(n):,} tasks: first page of a fresh app {_s(found['first_page_s'])} s "
            f"(median of {len(found['first_page_runs'])} app starts), app process peak {found['peak_mb']:.0f} MB."
        )
        rows = [
            [
                name,
                str(page["queries"]),
                _ms(page["query_s"]),
                f"{page['slowest_query']} {_ms(page['slowest_query_s'])}",
                _ms(page["rerun_s"]),
                _ms(page["cold_s"]),
            ]
            for name, page in found["pages"].items()
        ]
        parts.append(_table(["page", "queries", "query ms", "slowest query ms", "warm rerun ms", "cold ms"], rows))
        for name, errors in found.get("errors", {}).items():
            parts.append(f"  {name}: {'; '.join(errors)}")
        if "task_list_ms" in found:
            parts.append(
                "Task list queries, ms: " + ", ".join(f"{k} {v:.0f}" for k, v in found["task_list_ms"].items())
            )
    parts += pagebench.report(results, _table)
    if "out" in results:
        parts.append("")
        parts.append(f"Figures written to {results['out']}")
    return "\n".join(parts)


if __name__ == "__main__":
    sys.exit(child_main(sys.argv[1:]))
