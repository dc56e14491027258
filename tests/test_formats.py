"""Every format offices save trackers in (docs/RULES.md §7): the samples saved as .xls, WPS .et, .ods and
CSV give exactly the figures of the .xlsx samples; a file is read by its content, whatever its name."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests import saved_as
from tests.conftest import ROOT
from wenming.cli import main
from wenming.read.reader import read_workbook

SAMPLES = sorted((ROOT / "data" / "sample").glob("*.xlsx"))
AS_OF = "2026-11-20"


def _figures(files: dict[str, bytes], folder: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    """Import the files into a new database, then `summary --json` of it."""
    folder.mkdir()
    paths = []
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        paths.append(str(path))
    db = str(folder / "figures.duckdb")
    assert main(["import", *paths, "--db", db, "--as-of", AS_OF]) == 0, capsys.readouterr().err
    capsys.readouterr()
    assert main(["summary", "--db", db, "--as-of", AS_OF, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _recognised(data: bytes, name: str) -> set[str]:
    """The sheets of a sample the reader imports (a CSV of 填表说明 would be refused on its own)."""
    return {sheet.name for sheet in read_workbook(data, name, as_of=dt.date(2026, 11, 20)).sheets}


def _workbooks(convert: Callable[[bytes], bytes], suffix: str) -> dict[str, bytes]:
    return {sample.stem + suffix: convert(sample.read_bytes()) for sample in SAMPLES}


def _csv_files(encoding: str, delimiter: str, suffix: str = ".csv") -> dict[str, bytes]:
    files = {}
    for sample in SAMPLES:
        data = sample.read_bytes()
        keep = _recognised(data, sample.name)
        for sheet, text in saved_as.csv_sheets(data, encoding, delimiter).items():
            if sheet in keep:
                files[f"{sample.stem}_{sheet}{suffix}"] = text
    return files


SAVED_AS: dict[str, Callable[[], dict[str, bytes]]] = {
    ".xls": lambda: _workbooks(saved_as.xls, ".xls"),
    "WPS .et": lambda: _workbooks(saved_as.xls, ".et"),
    ".ods": lambda: _workbooks(saved_as.ods, ".ods"),
    "CSV UTF-8": lambda: _csv_files("utf-8", ","),
    "CSV UTF-8 with BOM": lambda: _csv_files("utf-8-sig", ","),
    "CSV GBK": lambda: _csv_files("gbk", ","),
    "CSV GB18030, tab separated": lambda: _csv_files("gb18030", "\t", ".txt"),
    ".xls named .xlsx": lambda: _workbooks(saved_as.xls, ".xlsx"),
    ".ods named .xls": lambda: _workbooks(saved_as.ods, ".xls"),
}


@pytest.fixture(scope="module")
def xlsx_figures(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("xlsx")
    db = str(folder / "xlsx.duckdb")
    assert main(["import", *map(str, SAMPLES), "--db", db, "--as-of", AS_OF]) == 0
    return db


@pytest.mark.parametrize("fmt", SAVED_AS, ids=list(SAVED_AS))
def test_the_samples_saved_as_give_the_same_figures(
    fmt: str, xlsx_figures: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["summary", "--db", xlsx_figures, "--as-of", AS_OF, "--json"]) == 0
    expected = json.loads(capsys.readouterr().out)
    assert expected["tasks"]["total"] > 100 and expected["participation"]["activities"] > 100
    assert _figures(SAVED_AS[fmt](), tmp_path / "saved", capsys) == expected
