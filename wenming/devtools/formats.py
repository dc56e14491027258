"""How long reading takes in each format, what the parsing sandbox costs, and how much memory hostile
files take it to: ``python -m wenming.devtools.formats [--runs 3] [--tasks 100000]``.

Prints three tables: the five samples saved in each format (read_workbook, median of the runs); a
large tracker (bigbook) as .xlsx and as CSV, read through the sandbox and, for the CSV, parsed in this
process by the same code, so the difference is what the sandbox costs; and each hostile file of
wenming.devtools.hostile with the sandbox's time and peak memory.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import dataclasses
import datetime as dt
import io
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from python_calamine import CalamineWorkbook

from wenming.devtools import bigbook, hostile, saved_as
from wenming.read import child, sandbox
from wenming.read.guard import DEFAULT_LIMITS, Refused
from wenming.read.reader import read_workbook

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "data" / "sample").glob("*.xlsx"))
AS_OF = dt.date(2026, 11, 20)
MB = 1024 * 1024


def _timed(files: dict[str, bytes], runs: int) -> tuple[float, float, int]:
    """(median seconds to read all files, median seconds of that in the sandbox, the largest child peak)."""
    totals, children, peak = [], [], 0
    for _ in range(runs):
        started, in_child = time.perf_counter(), 0.0
        for name, data in files.items():
            sandbox.LAST_RUN.seconds = 0.0
            with contextlib.suppress(Refused):  # a CSV of 填表说明 is read, then refused, as on the page
                read_workbook(data, name, as_of=AS_OF)
            in_child += sandbox.LAST_RUN.seconds
            peak = max(peak, sandbox.LAST_RUN.peak_bytes)
        totals.append(time.perf_counter() - started)
        children.append(in_child)
    return statistics.median(totals), statistics.median(children), peak


def _per_sheet_csv(encoding: str) -> dict[str, bytes]:
    return {
        f"{sample.stem}_{sheet}.csv": text
        for sample in SAMPLES
        for sheet, text in saved_as.csv_sheets(sample.read_bytes(), encoding).items()
    }


FORMATS: dict[str, Callable[[], dict[str, bytes]]] = {
    ".xlsx": lambda: {sample.name: sample.read_bytes() for sample in SAMPLES},
    ".xls / .et": lambda: {f"{s.stem}.xls": saved_as.xls(s.read_bytes()) for s in SAMPLES},
    ".ods": lambda: {f"{s.stem}.ods": saved_as.ods(s.read_bytes()) for s in SAMPLES},
    ".xlsb": lambda: {f"{s.stem}.xlsb": saved_as.xlsb(s.read_bytes()) for s in SAMPLES},
    "CSV UTF-8": lambda: _per_sheet_csv("utf-8"),
    "CSV GBK": lambda: _per_sheet_csv("gbk"),
}


def samples(runs: int) -> None:
    print("| format | files | read (5 samples) | of which in the sandbox | child's peak memory |")
    print("|---|---|---|---|---|")
    for fmt, files in FORMATS.items():
        made = files()
        total, in_child, peak = _timed(made, runs)
        child_text = f"{in_child * 1000:.0f} ms" if in_child else "—"
        peak_text = f"{peak / MB:.0f} MB" if peak else "—"
        print(f"| {fmt} | {len(made)} | {total * 1000:.0f} ms | {child_text} | {peak_text} |")


def _as_csv(xlsx: Path) -> bytes:
    """The large tracker's sheet as CSV, dates and numbers as Excel shows them (close enough to time)."""
    rows = CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_name(bigbook.SHEET).to_python()
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    for row in rows:
        writer.writerow([f"{v:%Y/%m/%d}" if isinstance(v, dt.date) else ("" if v == "" else v) for v in row])
    return text.getvalue().encode("utf-8")


def large(tasks: int, runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        xlsx = bigbook.write_tracker(Path(folder) / "big.xlsx", tasks)
        data = xlsx.read_bytes()
        text = _as_csv(xlsx)
    limits = dataclasses.asdict(DEFAULT_LIMITS)
    print(f"\n| {tasks:,} tasks | read | in the sandbox | same parse in this process | sandbox cost | child's peak |")
    print("|---|---|---|---|---|---|")
    total, _, _ = _timed({"big.xlsx": data}, runs)
    print(f"| .xlsx ({len(data) / MB:.0f} MB) | {total:.2f} s | — | — | — | — |")
    total, in_child, peak = _timed({"big.csv": text}, runs)
    direct = []
    for _ in range(runs):
        started = time.perf_counter()
        [sandbox._sheet(entry) for entry in child.read_csv(text, "big", limits)]
        direct.append(time.perf_counter() - started)
    here = statistics.median(direct)
    print(
        f"| CSV ({len(text) / MB:.0f} MB) | {total:.2f} s | {in_child:.2f} s | {here:.2f} s "
        f"| {in_child - here:+.2f} s | {peak / MB:.0f} MB |"
    )


HOSTILE: dict[str, tuple[str, Callable[[], bytes]]] = {
    ".xls, sector chain running back on itself": ("a.xls", hostile.xls_sector_loop),
    ".xls, one cell asking for 3 GB": ("a.xls", hostile.xls_far_cell),
    ".xls with an open password": ("a.xls", hostile.xls_with_password),
    ".ods, a cell repeated 17 billion times": ("a.ods", lambda: hostile.ods_repeat(1_048_576, 16_384)),
    ".ods, a cell repeated 98 million times": ("a.ods", lambda: hostile.ods_repeat(6_000, 16_384)),
    ".xlsb, damaged": ("a.xlsb", hostile.xlsb),
    "CSV, a 2 MB line": ("a.csv", lambda: b"a,b\n" + b'"' + b"x" * 2 * MB + b"\n"),
    "CSV, 1,048,577 rows": ("a.csv", lambda: b"a\n" * 1_048_577),
}


def hostiles() -> None:
    print("\n| hostile file | bytes | refused as | time | child's peak memory |")
    print("|---|---|---|---|---|")
    for name, (file_name, make) in HOSTILE.items():
        data = make()
        started = time.perf_counter()
        try:
            read_workbook(data, file_name, as_of=AS_OF)
            code = "read"
        except Refused as refused:
            code = refused.code
        seconds = time.perf_counter() - started
        print(f"| {name} | {len(data):,} | {code} | {seconds:.2f} s | {sandbox.LAST_RUN.peak_bytes / MB:.0f} MB |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m wenming.devtools.formats", description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tasks", type=int, default=100_000)
    args = parser.parse_args(argv)
    samples(args.runs)
    large(args.tasks, args.runs)
    hostiles()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
