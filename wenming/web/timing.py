"""Page timings for the benchmark: a fresh app on a database through AppTest, its queries timed one by one.

Run by ``python -m wenming bench`` in a child process of its own (see
wenming.devtools.bench); the one part of the benchmark that runs Streamlit.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import time
from typing import Any

from streamlit.testing.v1 import AppTest

from wenming.store import ROOT, Store
from wenming.web import data
from wenming.web import review as review_ui


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def page_times(db: str, page: str, repeat: int, as_of: dt.date) -> dict[str, Any]:
    """A fresh app on ``db`` through AppTest: its first page, then ``page``'s queries and warm reruns."""
    os.environ["WENMING_DB"] = db
    os.environ["WENMING_SAMPLES"] = "0"
    calls: list[tuple[str, dict[str, Any]]] = []
    query = Store.query

    def recording(self: Store, name: str, **params: Any) -> Any:
        calls.append((name, params))
        return query(self, name, **params)

    base = _rss_mb()
    started = time.perf_counter()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=3600)
    at.query_params["as_of"] = as_of.isoformat()
    at.run()
    first = time.perf_counter() - started
    errors = [f"app: {e.value}" for e in at.exception]
    data.clear_caches()  # the page's own queries run (and are recorded) on its first run
    review_ui.clear_cache()
    Store.query = recording  # type: ignore[method-assign]
    started = time.perf_counter()
    at.switch_page(f"pages/{page}.py").run()
    cold = time.perf_counter() - started
    Store.query = query  # type: ignore[method-assign]
    reruns = []
    for _ in range(repeat):
        started = time.perf_counter()
        at.run()
        reruns.append(time.perf_counter() - started)
    errors += [str(e.value) for e in at.exception]
    cursor = data._open(db).cursor()
    distinct = {(q, json.dumps(p, default=str, sort_keys=True)): (q, p) for q, p in calls}
    timed = []
    for q, params in distinct.values():
        runs = []
        for _ in range(repeat):
            began = time.perf_counter()
            cursor.query(q, **params)
            runs.append(time.perf_counter() - began)
        timed.append((q, statistics.median(runs)))
    cursor.close()
    slowest = max(timed, key=lambda item: item[1], default=("", 0.0))
    by_name: dict[str, float] = {}
    for q, seconds in timed:
        by_name[q] = max(by_name.get(q, 0.0), seconds)
    return {
        "first_page_s": first,
        "page": {
            "cold_s": cold,
            "rerun_s": statistics.median(reruns),
            "rerun_runs": reruns,
            "queries": len(timed),
            "query_s": sum(seconds for _, seconds in timed),
            "slowest_query": slowest[0],
            "slowest_query_s": slowest[1],
            "query_times": by_name,  # the slowest run of each query file (a page may run one several times)
        },
        "errors": errors,
        "base_mb": base,
    }
