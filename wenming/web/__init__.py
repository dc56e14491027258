"""The web layer: everything that imports Streamlit.

Owns the session's view of the data (``data``: one store per process, a cursor per
session, a snapshot per page run, cached queries), the page furniture (``page``:
routing, title and provenance, tables, downloads, charts), the sidebar filters,
sign-in, uploads, presentation mode and the bodies of the admin, history and review
pages. It may import every layer below (render, figures, store, read, text); nothing
below imports it. Pages use it as ``from wenming import web``: ``web.query``,
``web.page``, ``web.table`` and the rest are re-exported here.
"""

from wenming.render.plain import rows_text
from wenming.store import Store
from wenming.web.data import (
    clear_caches,
    data_key,
    data_until,
    department_order,
    query,
    series,
    sources,
    store,
)
from wenming.web.page import (
    ICON,
    TEMPLATES,
    capped,
    download,
    empty,
    labels,
    metric,
    narrow,
    page,
    picked,
    plot,
    route,
    run_page,
    table,
    templates,
)

__all__ = [
    "ICON",
    "TEMPLATES",
    "Store",
    "capped",
    "clear_caches",
    "data_key",
    "data_until",
    "department_order",
    "download",
    "empty",
    "labels",
    "metric",
    "narrow",
    "page",
    "picked",
    "plot",
    "query",
    "route",
    "rows_text",
    "run_page",
    "series",
    "sources",
    "store",
    "table",
    "templates",
]
