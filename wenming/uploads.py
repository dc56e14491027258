"""The upload page's work: read each uploaded file once, preview it, then import what was previewed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from wenming import web
from wenming.guard import Refused
from wenming.reader import ParsedWorkbook
from wenming.store import ImportResult
from wenming.text import t


@dataclass
class Preview:
    file_name: str
    data: bytes
    parsed: ParsedWorkbook | None = None
    refused: str | None = None  # the one sentence saying why the file cannot be imported

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
                    else "、".join(d or t("no_department") for d in s.departments),
                }
                for s in self.parsed.sheets
            ]
        )

    def warnings(self) -> pd.DataFrame:
        assert self.parsed is not None
        return pd.DataFrame([{"cell": w.ref, "message": w.message()} for w in self.parsed.warnings])


def preview(uploaded: Any) -> Preview:
    """Read an uploaded file (once per session and content) without touching the database."""
    data = uploaded.getvalue()
    key = (uploaded.name, hashlib.sha256(data).hexdigest())
    cache = st.session_state.setdefault("_previews", {})
    if key not in cache:
        result = Preview(uploaded.name, data)
        try:
            result.parsed = web.store().parse(data, uploaded.name)
        except Refused as refused:
            result.refused = refused.message()
        cache.clear()  # keep only what is on screen
        cache[key] = result
    return cache[key]


def import_all(previews: list[Preview], user: str) -> list[ImportResult]:
    """Import each previewed file (each all or nothing), showing progress as it goes."""
    results = []
    progress = st.progress(0.0, text=t("upload.importing"))
    for done, item in enumerate(previews):
        progress.progress(done / len(previews), text=t("upload.importing_file", file=item.file_name))
        assert item.parsed is not None
        results.append(web.store().import_parsed(item.parsed, item.data, user=user))
    progress.progress(1.0, text=t("upload.imported_all"))
    st.session_state.pop("_previews", None)
    return results


def describe(result: ImportResult) -> str:
    """One line per imported file, as the command line prints it."""
    if result.duplicate_of is not None:
        return t("warn.duplicate_file", file=result.file_name, import_id=result.duplicate_of)
    rows = "，".join(t("upload.rows", kind=t(f"kind.{k}"), rows=n) for k, n in result.rows.items())
    return t("upload.done", file=result.file_name, import_id=result.import_id, rows=rows, warnings=len(result.warnings))
