"""Voiding an import: the figures behave as if it had not happened; it stays in the history and can be un-voided.

For an import dated wrongly (a tracker titled 截至2020年1月1日 that is really November's), or
one a staff user should not have made. Admins only; every void and un-void is in the audit log.
"""

from __future__ import annotations

import datetime as dt

from wenming.store import auth
from wenming.store.db import Database, audit


def voided(store: Database) -> dict[int, tuple[dt.datetime, str]]:
    """import_id -> (when, by whom) for every import voided now."""
    rows = store.con.execute("select import_id, voided_at, voided_by from import_voids").fetchall()
    return {int(i): (at, by) for i, at, by in rows}


def void_import(store: Database, import_id: int, *, user: str | auth.User, undo: bool = False) -> bool:
    """Void import ``import_id`` (``undo``: count it again), in one transaction with its audit row.

    Returns False when there was nothing to change (already voided, or not voided for ``undo``).
    Raises KeyError for an unknown import and auth.Forbidden for anyone but an admin.
    """
    found = store._row("select file_name from imports where import_id = ?", [import_id])
    if found is None:
        raise KeyError(import_id)
    admin = auth.actor(store, user)
    if not (admin.local or admin.is_admin):
        raise auth.Forbidden(found[0], "void", user=admin.name)
    with store.writing(found[0]) as con:
        was_voided = bool(
            con.execute("select count(*) from import_voids where import_id = ?", [import_id]).fetchall()[0][0]
        )
        if was_voided != undo:
            return False
        if undo:
            con.execute("delete from import_voids where import_id = ?", [import_id])
        else:
            con.execute("insert into import_voids values (?, ?, ?)", [import_id, dt.datetime.now(), admin.name])
        audit(con, admin.name, "unvoid_import" if undo else "void_import", import_id=import_id, file=found[0])
    return True
