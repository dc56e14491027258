"""Parsing in a child process with a memory, CPU-time and wall-clock limit (``guard.Limits``).

An .xls, .xlsb or .ods file cannot be measured before it is parsed the way an .xlsx
sheet can: its size is whatever the parser makes of records and repeat counts, and a
1 KB .xls has driven python-calamine to 2 GB. So these files, and CSV text, are parsed
by ``python -m wenming.read.child``, which limits its own address space and CPU time
before it reads a byte; this process waits at most the wall-clock limit, reads at most
the child's output limit, and unpickles only plain values (no class but the datetime
types can be named in the pickle). A child that is killed, runs out of memory or time,
or dies in the parser ends as one sentence: the file is too large or damaged.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from wenming.read.grid import Column, Grid
from wenming.read.guard import MB, Limits, Refused

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # where wenming/ is


@dataclass
class Sheet:
    """One sheet as the child read it."""

    name: str
    visible: bool
    type: str  # worksheet, macro, dialog, other
    cells: Grid | None = None  # worksheets only
    merges: np.ndarray = field(default_factory=lambda: np.zeros((0, 4), dtype=np.int64))


@dataclass
class Run:
    """What one sandboxed parse cost: wall-clock seconds and the child's peak memory (bytes)."""

    seconds: float = 0.0
    peak_bytes: int = 0
    exit_code: int = 0


LAST_RUN = Run()  # the latest parse in this process, for the benchmark and the closing note


class _PlainValues(pickle.Unpickler):
    """Unpickles builtins and the datetime types only: the child's output names no other class."""

    ALLOWED = {("datetime", "datetime"), ("datetime", "date"), ("datetime", "time"), ("datetime", "timedelta")}

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in self.ALLOWED:
            return getattr(dt, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a plain value")


def parse(data: bytes, fmt: str, file_name: str, limits: Limits) -> list[Sheet]:
    """The sheets of an .xls/.xlsb/.ods/.csv file, parsed in the sandbox; raises Refused."""
    settings = {key: value for key, value in dataclasses.asdict(limits).items() if isinstance(value, int)}
    command = [sys.executable, "-m", "wenming.read.child", fmt, json.dumps(settings), file_name.rsplit(".", 1)[0]]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [ROOT, os.environ.get("PYTHONPATH")]))}
    started = time.perf_counter()
    with tempfile.TemporaryFile() as output:
        try:
            process = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=output, stderr=subprocess.DEVNULL, env=env
            )
        except OSError:
            raise _failed(file_name, limits) from None
        finished = _feed_and_wait(process, data, started + limits.parse_seconds)
        LAST_RUN.seconds = time.perf_counter() - started
        LAST_RUN.exit_code = process.returncode
        size = output.seek(0, io.SEEK_END)
        if not finished or process.returncode != 0 or size == 0 or size > limits.parse_memory_bytes:
            raise _failed(file_name, limits)
        output.seek(0)
        try:
            result = _PlainValues(output).load()
        except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
            raise _failed(file_name, limits) from None
    LAST_RUN.peak_bytes = max(LAST_RUN.peak_bytes, int(result.get("peak_bytes", 0)))
    if "refused" in result:
        raise Refused(file_name, result["refused"], **result["params"])
    return [_sheet(entry) for entry in result["sheets"]]


def _failed(file_name: str, limits: Limits) -> Refused:
    """The one sentence for a child that did not finish: too large or damaged."""
    return Refused(file_name, "parse_failed", memory_mb=limits.parse_memory_bytes // MB, seconds=limits.parse_seconds)


def _feed_and_wait(process: subprocess.Popen[bytes], data: bytes, deadline: float) -> bool:
    """Give the child the file, then wait for it until the deadline (then kill it); False: killed.
    While it runs, its peak memory is read from /proc (LAST_RUN.peak_bytes: what the benchmark shows)."""
    assert process.stdin is not None
    try:
        process.stdin.write(data)
        process.stdin.close()
    except BrokenPipeError:  # the child died before it read everything: its exit status says why
        pass
    pause = 0.001
    LAST_RUN.peak_bytes = 0
    while True:
        pid, status = os.waitpid(process.pid, os.WNOHANG)
        if pid:
            break
        LAST_RUN.peak_bytes = _resident_peak(process.pid) or LAST_RUN.peak_bytes
        if time.perf_counter() >= deadline:
            process.kill()
            process.wait()
            return False
        time.sleep(pause)
        pause = min(pause * 2, 0.02)
    process.returncode = os.waitstatus_to_exitcode(status)
    return True


def _resident_peak(pid: int) -> int:
    """A running child's peak resident memory so far (VmHWM), 0 if it cannot be read."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _sheet(entry: dict[str, Any]) -> Sheet:
    sheet = Sheet(entry["name"], entry["visible"], entry["type"])
    if entry["type"] != "worksheet":
        return sheet
    height = entry["height"]
    columns: list[Column] = []
    for index, first_row, codes, uniques in entry["columns"]:
        while len(columns) < index:
            columns.append(Column.empty(height))
        array = np.zeros(height, dtype=np.int32)
        piece = np.frombuffer(codes, dtype=np.int32)
        array[first_row : first_row + len(piece)] = piece
        columns.append(Column(array, uniques, {value: code for code, value in enumerate(uniques)}))
    sheet.cells = Grid(columns, height)
    if entry["merges"]:
        sheet.merges = np.array(entry["merges"], dtype=np.int64).reshape(-1, 4)
    return sheet
