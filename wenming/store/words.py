"""An organisation's own words (WORKBOOKS.md §8): a header mapped to a role, or a value mapped to a
meaning, taught once (import page, admin page or `python -m wenming words`), kept in the ``words``
table with who taught it and when, and applied to every later import."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pandas as pd

from wenming import text
from wenming.read import contract
from wenming.store.db import Database, audit

WORD_KINDS = ("header", "value")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


class WordError(ValueError):
    """A mapping that cannot be taught, with one sentence saying why and what to write."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def message(self, lang: str | None = None) -> str:
        return text.t(f"words.error.{self.code}", lang, **self.params)


def roles() -> list[str]:
    """Every role a header can be mapped to, in the order of the kinds."""
    found: dict[str, None] = {}
    for kind in contract.SHEET_KINDS.values():
        found.update(dict.fromkeys(kind.roles))
    return list(found)


def normalized(kind: str, word: str) -> str:
    """The form a word is kept and matched in: headers as header cells are compared, values as values."""
    return contract.normalize_header(word) if kind == "header" else contract.normalize_word(word.strip())


def check(kind: str, word: str, meaning: str) -> tuple[str, str]:
    """(word, meaning) as stored; raises WordError for an unknown role or meaning."""
    if kind not in WORD_KINDS:
        raise WordError("kind", kind=kind)
    key = normalized(kind, word)
    if not key:
        raise WordError("empty")
    meaning = meaning.strip()
    if kind == "header" and meaning not in roles():
        raise WordError("role", role=meaning, roles="、".join(roles()))
    if kind == "value" and meaning not in contract.VALUE_MEANINGS and not _NUMBER.match(meaning):
        try:
            dt.date.fromisoformat(meaning)
        except ValueError:
            raise WordError("meaning", meaning=meaning, meanings="、".join(contract.VALUE_MEANINGS)) from None
    return key, meaning


def load(db: Database) -> contract.Words:
    """The words in force, for the reader."""
    rows = db.con.execute("select kind, word, meaning from words").fetchall()
    return contract.Words(
        headers={word: meaning for kind, word, meaning in rows if kind == "header"},
        values={word: meaning for kind, word, meaning in rows if kind == "value"},
    )


def listing(db: Database) -> pd.DataFrame:
    """Every taught word with who taught it and when, headers first."""
    return db.con.execute(
        "select kind, word, meaning, created_by, created_at from words order by kind, created_at, word"
    ).df()


def add(db: Database, kind: str, word: str, meaning: str, *, by: str) -> tuple[str, str]:
    """Teach a word (replacing what it meant before); logged in the audit log."""
    key, meaning = check(kind, word, meaning)
    with db.writing(key, data=False) as con:
        con.execute(
            "insert or replace into words values (?, ?, ?, ?, ?)", [kind, key, meaning, by or "", dt.datetime.now()]
        )
        audit(con, by, "word_add", kind=kind, word=key, meaning=meaning)
    return key, meaning


def remove(db: Database, kind: str, word: str, *, by: str) -> bool:
    """Forget a taught word; False when it was not taught."""
    key = normalized(kind, word)
    with db.writing(key, data=False) as con:
        found: Any = con.execute("select count(*) from words where kind = ? and word = ?", [kind, key]).fetchone()
        con.execute("delete from words where kind = ? and word = ?", [kind, key])
        if found[0]:
            audit(con, by, "word_remove", kind=kind, word=key)
    return bool(found[0])
