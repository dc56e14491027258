"""Shared fixtures: a store in a temporary folder and a dump to prove nothing changed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from wenming.store import Store

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2025, 10, 31)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(tmp_path / "test.duckdb")
    yield opened
    opened.close()


def dump(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table, sorted, so two dumps compare equal iff the data is the same."""
    tables = [r[0] for r in store.con.execute("select table_name from duckdb_tables() order by 1").fetchall()]
    return {table: sorted(store.con.execute(f"select * from {table}").fetchall(), key=repr) for table in tables}
