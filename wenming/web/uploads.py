"""The upload page's work: read each uploaded file once, preview it, then import what was previewed."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import streamlit as st

from wenming import web
from wenming.figures import at
from wenming.read.guard import Refused
from wenming.read.reader import ParsedWorkbook
from wenming.render import safe
from wenming.store import Fewer, ImportResult, auth
from wenming.text import t
from wenming.web import signin

log = logging.getLogger(__name__)


@dataclass
class Preview:
    file_name: str
    data: bytes
    parsed: ParsedWorkbook | None = None
    refused: str | None = None  # the one sentence saying why the file cannot be imported
    fewer: list[Fewer] = field(default_factory=list)  # sheets replacing far more rows than they hold
    missing: dict[str, object] = field(default_factory=dict)  # a refusal for a missing column: role, headers

    def sheets(self) -> pd.DataFrame:
        """What was recognised: one row per sheet."""
        assert self.parsed is not None
        return pd.DataFrame(
            [
                {
                    "sheet": s.name,
                    "kind": t(f"kind.{s.kind}"),
                    "rows": s.table.num_rows,
                    "header_row": s.header_row,
                    "ref_date": s.ref_date,
                    "scope": t("upload.scope_all")
                    if s.whole
                    else t("sep.list").join(d or t("no_department") for d in s.departments),
                }
                for s in self.parsed.sheets
            ]
        )

    def undated(self) -> list[str]:
        """One line per sheet whose done tasks (closed problems) have no date: from when they count."""
        assert self.parsed is not None
        return [
            safe.say(f"upload.undated_{u.kind}", sheet=u.sheet, count=u.count, date=u.counts_from.isoformat())
            for u in at.undated(self.parsed)
        ]

    def risks(self) -> list[str]:
        """The sentences naming the active content of the workbook (macros, links, DDE, OLE)."""
        assert self.parsed is not None
        return [w.message() for w in self.parsed.warnings if w.code.startswith("risk_")]

    def warnings(self) -> pd.DataFrame:
        """One row per warning, grouped per sheet, column and reason (WORKBOOKS.md §8)."""
        assert self.parsed is not None
        return pd.DataFrame(
            [
                {"cell": w.ref, "header": w.column, "count": w.count, "message": w.message()}
                for w in self.parsed.warnings
            ]
        )

    def headers(self) -> pd.DataFrame:
        """Every header cell of every sheet with the role it is read as, or 未使用 (WORKBOOKS.md §8)."""
        assert self.parsed is not None
        return pd.DataFrame(
            [
                {
                    "sheet": s.name,
                    "column": letter,
                    "header": header,
                    "role": t(f"colrole.{role}") if role else t("preview.not_used"),
                }
                for s in self.parsed.sheets
                for letter, header, role in s.headers
            ]
        )


def previews(files: list[Any]) -> list[Preview]:
    """Read the uploaded files, each once per session and content, without touching the database.

    Only the files on screen stay cached, all of them (several files are read once each,
    not again on every rerun).
    """
    cached: dict[tuple[str, str], Preview] = st.session_state.get("_previews", {})
    shown: dict[tuple[str, str], Preview] = {}
    keys = []
    for uploaded in files:
        data = uploaded.getvalue()
        key = (uploaded.name, hashlib.sha256(data).hexdigest())
        shown[key] = shown.get(key) or cached.get(key) or _read(uploaded.name, data)
        keys.append(key)
    st.session_state["_previews"] = shown
    return [shown[key] for key in keys]


def _read(file_name: str, data: bytes) -> Preview:
    """Read a file and check it against the user's rights, so a refusal shows before the confirm."""
    result = Preview(file_name, data)
    try:
        parsed = web.store().parse(data, file_name)
        user = signin.current()
        if user is not None:
            auth.check_import(web.store(), user, parsed)
        result.fewer = web.store().fewer_rows(parsed)
        result.parsed = parsed
    except Refused as refused:
        result.refused = refused.message()
        if refused.code == "missing_role":
            result.missing = dict(refused.params)
    except Exception as error:  # a bug, not the user's file: one sentence here, the traceback in the log
        log.exception("reading %s failed", file_name)
        result.refused = internal_error(file_name, error)
    return result


def internal_error(file_name: str, error: Exception) -> str:
    reason = t("upload.internal_error", error=type(error).__name__)
    return t("refused.sentence", file=file_name, reason=reason)


def import_all(
    previews: list[Preview], user: str | auth.User, accepted: Collection[str] = ()
) -> list[tuple[bool, str]]:
    """Import each previewed file (each all or nothing), showing progress; (imported, one line) per file.

    The store checks ``user``'s rights again and refuses what they do not allow. ``accepted``:
    the files whose far fewer rows the user confirmed (see Preview.fewer); a file that has
    become far fewer since its preview, by another import, is refused and previewed again.
    """
    results = []
    progress = st.progress(0.0, text=t("upload.importing"))
    for done, item in enumerate(previews):
        progress.progress(done / len(previews), text=t("upload.importing_file", file=item.file_name))
        assert item.parsed is not None
        try:
            confirmed = bool(item.fewer) and item.file_name in accepted
            imported = web.store().import_parsed(item.parsed, item.data, user=user, accept_fewer=confirmed)
            results.append((True, describe(imported)))
        except Refused as refused:  # the user's rights, or another import that did not finish in time
            results.append((False, refused.message()))
        except Exception as error:  # the store rolled back: nothing of this file was kept
            log.exception("importing %s failed", item.file_name)
            results.append((False, internal_error(item.file_name, error)))
    progress.progress(1.0, text=t("upload.imported_all"))
    st.session_state.pop("_previews", None)
    return results


def describe(result: ImportResult) -> str:
    """One line per imported file, as the command line prints it."""
    if result.duplicate_of is not None:
        return t("warn.duplicate_file", file=result.file_name, import_id=result.duplicate_of)
    rows = t("sep.comma").join(t("upload.rows", kind=t(f"kind.{k}"), rows=n) for k, n in result.rows.items())
    return t("upload.done", file=result.file_name, import_id=result.import_id, rows=rows, warnings=len(result.warnings))
