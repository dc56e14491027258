"""The store layer: the DuckDB database and everything kept in it.

Owns the schema and macros (``sql/``), the connection, the write lock and the
data version (``db``), imports and their history with restores (``imports``),
users, roles, sign-in attempts and the audit log (``auth``), and backups
(``backup``). It may import wenming.read (to read a workbook it imports) and
wenming.text; never figures, render or web, and never Streamlit.
"""

from wenming.store.db import DEFAULT_DB, ROOT, Busy, StoreLocked, db_path
from wenming.store.imports import Fewer, ImportResult, Store

__all__ = ["DEFAULT_DB", "ROOT", "Busy", "Fewer", "ImportResult", "Store", "StoreLocked", "db_path"]
