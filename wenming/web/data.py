"""The data a session reads: one store per process, a cursor per session, a snapshot per page run, cached queries.

Everything here is Streamlit's caching and session state around wenming.store;
the figures themselves come from queries/ and wenming.figures.
"""

from __future__ import annotations

import datetime as dt
import os
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from wenming.figures import at, trend
from wenming.render import safe
from wenming.store import DEFAULT_DB, ROOT, Store, StoreLocked, auth, db_path, evidence_sample
from wenming.text import t
from wenming.web.filters import Filters

SAMPLES = ROOT / "data" / "sample"


def _seed_samples(path: Path) -> bool:
    """Load data/sample into an empty database: by default only for the default database file.

    Never once users are configured: their dashboard is for their own data.
    """
    flag = os.environ.get("WENMING_SAMPLES")
    return flag == "1" if flag is not None else path.resolve() == DEFAULT_DB.resolve()


@st.cache_resource(show_spinner=False)
def _open(path: str) -> Store:
    """The process's one connection (DuckDB lets one process write a file)."""
    store = Store.open(path)
    if store.is_empty() and _seed_samples(Path(path)) and not auth.has_users(store):
        for file in sorted(SAMPLES.glob("*.xlsx")):
            store.import_file(file.read_bytes(), file.name, user=t("sample.user"))
        evidence_sample.seed(store, t("sample.user"))
    return store


def store() -> Store:
    """This session's cursor on the process's store."""
    path = str(db_path())
    cursor = st.session_state.get("_store")
    if cursor is None or str(cursor.path) != path:
        try:
            cursor = _open(path).cursor()
        except StoreLocked as locked:
            st.error(safe.markdown(str(locked)))
            st.stop()
        st.session_state["_store"] = cursor
    return cursor


@dataclass(frozen=True)
class Snapshot:
    """One page run's view of the data: a read transaction and the data version it sees."""

    store: Store
    version: int


_SNAPSHOT: ContextVar[Snapshot | None] = ContextVar("wenming_snapshot", default=None)


def _reader() -> tuple[Store, int]:
    """The cursor and data version to read with: the page run's snapshot, else the session's cursor."""
    snapshot = _SNAPSHOT.get()
    if snapshot is not None:
        return snapshot.store, snapshot.version
    current = store()
    return current, current.version()


@st.cache_resource(show_spinner=False, max_entries=256, ttl=3600)
def _cached_query(
    path: str, version: int, name: str, params: tuple[tuple[str, Any], ...], _reader: Store
) -> pd.DataFrame:
    # computed on the reader that saw ``version``, so a figure is never cached under another version
    return _reader.query(name, **{k: list(v) if isinstance(v, tuple) else v for k, v in params})


def query(name: str, f: Filters | None = None, **params: Any) -> pd.DataFrame:
    """Run queries/<name>.sql with the filters' parameters; cached until the data changes.

    Within a page run every query reads one snapshot (see run_page), so a page shows the
    figures before an import or after it, never some of each.
    """
    reader, version = _reader()
    merged = {**(f.params() if f else {}), **params}
    key = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in merged.items()))
    # One frame shared by every session, not a pickled copy per hit (st.cache_data), which took
    # ~1 s per rerun for a million-row list. Each caller gets a shallow copy: under pandas'
    # copy-on-write, what it changes is copied then, never written into the shared frame.
    return _cached_query(str(reader.path), version, name, key, reader).copy(deep=False)


@st.cache_resource(show_spinner=False, max_entries=64, ttl=3600)
def _cached_sources(path: str, version: int, as_of: dt.date | None, _reader: Store) -> pd.DataFrame:
    return _reader.sources(as_of)


def sources(as_of: dt.date | None = None) -> pd.DataFrame:
    """The imports whose rows are in force on ``as_of`` (None: now), per kind and department
    (Store.sources), cached like a query."""
    reader, version = _reader()
    return _cached_sources(str(reader.path), version, as_of, reader).copy(deep=False)


def data_key() -> tuple[str, int]:
    """The database file and data version this run reads: the key of anything cached from its figures."""
    reader, version = _reader()
    return str(reader.path), version


def clear_caches() -> None:
    """Forget every cached figure (the connection stays): for measuring a page's cold run."""
    _cached_query.clear()
    _cached_sources.clear()


def series(name: str, f: Filters, months: int = 12) -> pd.DataFrame:
    """A query's figures at the end of each month up to the as-of date."""
    return trend.series(lambda n, **p: query(n, **p), name, f.as_of, list(f.departments) or None, months)


def data_until() -> dt.date | None:
    """The latest 截至 of the data in force: the default as-of date (figures.at)."""
    return at.data_until(lambda name, **params: query(name, **params))


def department_order() -> list[str]:
    return query("departments")["department"].tolist()
