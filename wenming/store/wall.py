"""大屏 wall screens: read-only tokens an admin creates for a screen in the office, and revokes.

A token is 32 random bytes (``secrets``), shown once in its URL (``/wall?token=…``); the
database keeps only its SHA-256, with a label, who created it and when, when it was last
used and when (and by whom) it was revoked. Creating and revoking are admins' work (anyone
in the local mode) and each is in the audit log. A token admits the wall screen and
nothing else; ``admit`` answers None for an unknown or revoked one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd

from wenming import text
from wenming.store import auth
from wenming.store.db import Busy, Database, audit

DEFAULT_SECONDS = 20  # each screen's time on the wall
MIN_SECONDS, MAX_SECONDS = 2, 3600
MAX_LABEL = 40  # characters
TOKEN_BYTES = 32
USED_EVERY = dt.timedelta(minutes=1)  # last_used is written at most this often per token
PATH, TOKEN = "wall", "token"  # the wall's URL: /wall?token=…
COLUMNS = ["wall_id", "label", "seconds", "created_by", "created_at", "last_used", "revoked_at", "revoked_by"]


class WallError(ValueError):
    """A label or an interval the wall cannot take; ``key`` names the sentence (text catalog wall.error.*)."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class Wall:
    """A token in force: which wall, its label and each screen's seconds."""

    wall_id: int
    label: str
    seconds: int


def url(base: str, token: str) -> str:
    """The wall's address on the server whose address is ``base`` (e.g. http://看板:8501)."""
    return f"{base.rstrip('/')}/{PATH}?{urlencode({TOKEN: token})}"


def digest(token: str) -> str:
    """What the database keeps of a token: its SHA-256 (a 256-bit random token needs no slow hash)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _admin(store: Database, user: str | auth.User) -> auth.User:
    admin = auth.actor(store, user)
    if not (admin.local or admin.is_admin):
        raise auth.Forbidden(text.t("page.wall"), "wall", user=admin.name)
    return admin


def checked_seconds(seconds: int) -> int:
    if not MIN_SECONDS <= seconds <= MAX_SECONDS:
        raise WallError("seconds", low=MIN_SECONDS, high=MAX_SECONDS, seconds=seconds)
    return seconds


def create(store: Database, label: str, *, by: str | auth.User, seconds: int = DEFAULT_SECONDS) -> tuple[int, str]:
    """A new token for the wall labelled ``label``: (its id, the token, to be shown once and never again)."""
    label = " ".join(label.split())
    if not label or len(label) > MAX_LABEL:
        raise WallError("label", most=MAX_LABEL)
    checked_seconds(seconds)
    admin = _admin(store, by)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with store.writing(label, data=False) as con:
        (wall_id,) = con.execute(
            "insert into wall_tokens (label, token_sha256, seconds, created_by, created_at) "
            "values (?, ?, ?, ?, ?) returning wall_id",
            [label, digest(token), seconds, admin.name, dt.datetime.now()],
        ).fetchall()[0]
        audit(con, admin.name, "wall_create", wall=int(wall_id), label=label)
    return int(wall_id), token


def listing(store: Database) -> pd.DataFrame:
    """Every wall token ever created, newest first; never the token or its hash."""
    return store.con.execute(f"select {', '.join(COLUMNS)} from wall_tokens order by wall_id desc").df()


def revoke(store: Database, wall_id: int, *, by: str | auth.User) -> bool:
    """Revoke token ``wall_id``; False if it was revoked already. KeyError for an unknown id."""
    found = store._row("select label, revoked_at from wall_tokens where wall_id = ?", [wall_id])
    if found is None:
        raise KeyError(wall_id)
    admin = _admin(store, by)
    if found[1] is not None:
        return False
    with store.writing(found[0], data=False) as con:
        con.execute(
            "update wall_tokens set revoked_at = ?, revoked_by = ? where wall_id = ? and revoked_at is null",
            [dt.datetime.now(), admin.name, wall_id],
        )
        audit(con, admin.name, "wall_revoke", wall=wall_id, label=found[0])
    return True


def admit(store: Database, token: str | None) -> Wall | None:
    """The wall a token opens, None for a missing, unknown or revoked one; notes when it was last used."""
    if not token:
        return None
    found = store._row(
        "select wall_id, label, seconds, last_used from wall_tokens where token_sha256 = ? and revoked_at is null",
        [digest(token)],
    )
    if found is None:
        return None
    wall_id, label, seconds, last_used = found
    now = dt.datetime.now()
    if last_used is None or now - last_used >= USED_EVERY:
        try:  # never kept waiting behind an import: the next poll notes it
            with store.writing(label, data=False, wait=0) as con:
                con.execute("update wall_tokens set last_used = ? where wall_id = ?", [now, wall_id])
        except Busy:
            pass
    return Wall(int(wall_id), str(label), int(seconds))
