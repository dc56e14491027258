"""佐证材料 drawn and packed: the coverage chart, the bundle's index workbook and offline index page, the zip.

Everything a user typed (titles, names, links) is escaped text in the index page and
a safe cell in the workbook; the files themselves are copied as stored, never opened.
"""

from __future__ import annotations

import html
import io
import zipfile
from collections.abc import Callable, Iterator
from urllib.parse import quote

import openpyxl
import pandas as pd
import plotly.graph_objects as go

from wenming.figures.evidence import Bundle, Entry
from wenming.render import charts, export
from wenming.text import t

INDEX_XLSX = "佐证材料目录.xlsx"
INDEX_HTML = "index.html"
ENTRY_COLUMNS = ["number", "category", "item", "title", "evidence_kind", "department", "dated", "path", "sha256"]
ITEM_COLUMNS = ["category", "item", "files", "links", "owed_by", "missing_from"]


def coverage(frame: pd.DataFrame) -> go.Figure:
    """Coverage (佐证材料齐全率) per 测评项目, labelled "66.7%（2/3）", the sheet's first 测评项目 at the top."""
    data = frame.iloc[::-1]
    names = [charts._label(v, "category") for v in data["category"]]
    fig = charts._rate_bars(names, data["coverage"], data["with_evidence"], data["items"], t("label.coverage"))
    fig.update_xaxes(range=charts.rate_range(data["coverage"]), tickformat=".0%")
    return charts._layout(fig, t("chart.evidence_coverage"), charts._bar_height(len(data)))


def _entry_row(entry: Entry) -> dict[str, object]:
    return {
        "number": entry.number,
        "category": entry.category,
        "item": entry.item,
        "title": entry.title,
        "evidence_kind": t(f"evidence.kind.{entry.kind}"),
        "department": entry.department,
        "dated": entry.dated,
        "path": entry.path or entry.url,
        "sha256": entry.sha256,
    }


def entries_frame(bundle: Bundle) -> pd.DataFrame:
    return pd.DataFrame([_entry_row(e) for e in bundle.entries], columns=ENTRY_COLUMNS)


def index_workbook(bundle: Bundle) -> bytes:
    """The index workbook: every file and link (item, file, department, date, SHA-256), then every item's coverage."""
    labels = {c: t(f"col.{c}") for c in {*ENTRY_COLUMNS, *ITEM_COLUMNS}}
    items = bundle.items.reindex(columns=ITEM_COLUMNS)
    data = export.workbook_bytes(
        {t("evidence.index_files"): entries_frame(bundle), t("evidence.index_items"): items}, labels
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book[t("evidence.index_files")[:31]]
    for row, entry in enumerate(bundle.entries, start=2):  # a relative link opens the file beside the workbook
        if entry.path:
            cell = sheet.cell(row=row, column=ENTRY_COLUMNS.index("path") + 1)
            cell.hyperlink = entry.path
            cell.style = "Hyperlink"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _e(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    return html.escape(str(value))


def _link(entry: Entry) -> str:
    if entry.path:
        return f'<a href="{html.escape(quote(entry.path))}">{_e(entry.title)}</a>'
    if entry.url and entry.url.lower().startswith(("http://", "https://")):
        return f'<a href="{html.escape(entry.url)}" rel="noopener noreferrer">{_e(entry.title)}</a>'
    return _e(entry.title)


STYLE = """
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; border-bottom: 2px solid #1F4E79; padding-bottom: .2em; }
table { border-collapse: collapse; width: 100%; margin-bottom: 1.5em; }
th, td { border: 1px solid #ccc; padding: .35em .5em; text-align: left; vertical-align: top; }
th { background: #1F4E79; color: white; } td.missing { color: #B22222; } code { font-size: .8em; color: #666; }
@media print { a { color: black; text-decoration: none; } }
"""


def index_html(bundle: Bundle) -> str:
    """An offline index page: per 测评项目, each 测评内容 with its files (relative links) or what is missing."""
    entries: dict[tuple[str, str], list[Entry]] = {}
    for entry in bundle.entries:
        entries.setdefault((entry.category, entry.item), []).append(entry)
    parts = [
        f"<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'><title>{_e(t('evidence.bundle_title'))}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{_e(t('evidence.bundle_title'))}</h1>",
        f"<p>{_e(t('evidence.bundle_caption', as_of=bundle.as_of.isoformat(), files=len(bundle.files)))}</p>",
    ]
    head = "".join(f"<th>{_e(t(f'col.{c}'))}</th>" for c in ("item", "title", "department", "dated", "sha256"))
    for category, group in bundle.items.groupby("category", sort=False, dropna=False):
        parts.append(f"<h2>{_e(category)}</h2><table><thead><tr>{head}</tr></thead><tbody>")
        for row in group.itertuples():
            found = entries.get((_e_key(category), str(row.item)), [])
            if not found:
                missing = _e(t("evidence.missing_from", departments=row.missing_from or "—"))
                parts.append(f"<tr><td>{_e(row.item)}</td><td class='missing' colspan='4'>{missing}</td></tr>")
            for entry in found:
                parts.append(
                    f"<tr><td>{_e(row.item)}</td><td>{entry.number} {_link(entry)}</td><td>{_e(entry.department)}</td>"
                    f"<td>{_e(entry.dated)}</td><td><code>{_e(entry.sha256)}</code></td></tr>"
                )
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "".join(parts)


def _e_key(category: object) -> str:
    return "" if category is None or (isinstance(category, float) and category != category) else str(category)


def contents(bundle: Bundle, read: Callable[[str], bytes | None]) -> Iterator[tuple[str, bytes]]:
    """(path, bytes) of everything in the bundle: the files, then the two indexes. ``read``: stored_as -> bytes."""
    for entry in bundle.files:
        data = read(entry.stored_as or "")
        if data is not None:
            yield entry.path or "", data
    yield INDEX_XLSX, index_workbook(bundle)
    yield INDEX_HTML, index_html(bundle).encode("utf-8")


def zip_bytes(bundle: Bundle, read: Callable[[str], bytes | None]) -> bytes:
    """The bundle as one zip (UTF-8 names, which Windows' own unzip reads)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in contents(bundle, read):
            archive.writestr(path, data)
    return out.getvalue()
