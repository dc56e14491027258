"""Page furniture: routing through app.py, the title and data provenance, tables, downloads, charts.

Pages call ``page`` (title, provenance, filters), ``table`` and ``download`` here,
read figures through wenming.web.data and draw charts from wenming.render.charts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.scriptrunner_utils.script_run_context import ThreadState

from wenming import sample
from wenming.figures import changes
from wenming.render import audit, charts, export, plain, safe, slides
from wenming.store import ROOT, db_path
from wenming.text import t
from wenming.web import filters, look, signin
from wenming.web.data import _SNAPSHOT, Snapshot, _open, data_until, sources
from wenming.web.filters import Filters

APP = ROOT / "app.py"
ICON = Path(__file__).with_name("assets") / "icon.png"  # the favicon, served by the app itself
TEMPLATES = ROOT / "data" / "templates"
MAX_ROWS = 1_000  # rows drawn in one on-screen table: more is neither read nor drawn quickly
DECIMAL_COLUMNS = {"person_times_per_head", "volunteer_hours_per_head", "volunteer_hours", "max", "score", "lost"}
DECIMALS = {"person_times_per_head": 2, "volunteer_hours_per_head": 2}  # others: one place, as the workbooks give them
ID_COLUMNS = {"import_id", "restored_from", "row_no", "header_row", "rank", "followup_id"}  # numbers without separators
DATETIME_COLUMNS = {
    "imported_at",
    "updated_at",
    "created_at",
    "last_sign_in",
    "attempted_at",
    "happened_at",
    "frozen_at",
}
TRACE_COLUMNS = ("sha256", "sheet", "row_no")  # where a row came from: on 导入记录 for admins; downloads keep them
PERCENT_COLUMNS = {
    "completion_rate",
    "attainment",
    "closing_rate",
    "attendance_rate",
    "awareness_rate",
    "participation_rate",
    "support_rate",
    "satisfaction_rate",
}
DATE_COLUMNS = {"deadline", "done_on", "found_on", "closed_on", "date", "effective_on", "month", "day"}


_ROUTED: ContextVar[bool] = ContextVar("wenming_routed", default=False)


def run_page(navigation: Any) -> None:
    """Run the page st.navigation chose (app.py's last line), marked as routed through app.py.

    The page reads one snapshot of the database: a read transaction on a cursor of its
    own, begun here and ended when the page's run ends, however it ends.
    """
    token = _ROUTED.set(True)
    reader = _open(str(db_path())).cursor()
    reader.con.begin()
    snapshot = _SNAPSHOT.set(Snapshot(reader, reader.snapshot_version()))
    try:
        navigation.run()
    finally:
        _SNAPSHOT.reset(snapshot)
        _ROUTED.reset(token)
        reader.con.rollback()  # it only read
        reader.close()


def route() -> None:
    """Make sure this run goes through app.py, the router, as Streamlit's own entry point.

    Called first in app.py and by every page. Until some session has called
    st.navigation (the first request of a fresh server, and every AppTest run),
    Streamlit runs in its legacy pages-folder mode: a file of pages/ runs alone
    (no sidebar, file names as page titles), and app.py runs as a page of its own,
    so the sidebar's widgets get other ids than in later runs and the user's first
    change to them is lost. Here the legacy mode is switched off and app.py runs
    again in place, as the entry point; the legacy run then stops. Not st.rerun():
    a rerun forgets this run's button presses (the upload's confirm). A page run
    on its own as the main script (a test) is left alone.
    """
    ctx = get_script_run_ctx()
    if ctx is None or _ROUTED.get() or Path(ctx.main_script_path).resolve() != APP:
        return
    main = ctx.pages_manager.main_script_hash
    if ThreadState.get().active_script_hash == main:
        return  # app.py itself, run as the entry point
    PagesManager.uses_pages_directory = False
    code = ctx.pages_manager.get_page_script_byte_code(str(APP))
    with ctx.run_with_active_hash(main):
        exec(code, {"__name__": "__main__", "__file__": str(APP)})
    st.stop()


def page(title_key: str, kinds: Iterable[str], *, need: str | None = None) -> tuple[Filters, set[str]]:
    """Title and data provenance of a page; returns the filters and the kinds that hold data.

    ``need``: "import" or "admin", the right the page needs; a page run without it stops
    here (app.py lists only the pages the user's role may use; this holds when it is run another way).
    """
    route()
    signin.require(need)
    f = filters.current(data_until())
    look.apply()
    st.title(t(title_key))
    found = sources(f.as_of)  # the reports the figures of f.as_of are read from
    present = set(found["kind"])
    lines = [_provenance_line(kind, found[found["kind"] == kind]) for kind in kinds if kind in present]
    if lines:
        full = [_provenance_line(kind, found[found["kind"] == kind], shown=None) for kind in kinds if kind in present]
        st.caption(
            t("page.source") + t("sep.clause").join(lines), help="  \n".join(full) if full != lines else None
        )  # lines: escaped
    if f.departments:
        st.caption(safe.say("page.filtered", departments=t("sep.list").join(f.departments), as_of=f.as_of.isoformat()))
    return f, present


def _provenance_line(kind: str, rows: pd.DataFrame, shown: int | None = 4) -> str:
    """Where a kind's figures come from: one file, or per department the import in force.

    One import: "任务分解 ← file（user when 导入，截至 date）". Several department trackers:
    "任务分解 ← 办公室 11月3日 张伟 上传、研究室、工会 11月5日 李娜 上传 等 N 个部门", one part per
    import; ``shown`` parts at most (None: all).
    """
    label = f"{t(f'kind.{kind}')} ← "
    groups = list(rows.groupby("import_id", sort=False))
    if len(groups) == 1:
        r = next(rows.itertuples())
        when = pd.Timestamp(r.imported_at).strftime("%Y-%m-%d %H:%M")
        as_of = pd.Timestamp(r.effective_on).date().isoformat()
        return label + safe.say(
            "page.source_item", file=r.file_name, user=audit.operator(r.user_name), when=when, as_of=as_of
        )
    parts = []
    for _, group in groups[:shown]:
        r = next(group.itertuples())
        at = pd.Timestamp(r.imported_at)
        names = dict.fromkeys(d if isinstance(d, str) else t("upload.scope_all") for d in group["department"])
        parts.append(
            safe.say(
                "page.source_dept",
                departments=t("sep.list").join(names),
                when=t("page.source_when", month=at.month, day=at.day),
                user=audit.operator(r.user_name),
                action=t(f"page.source_action.{r.action}"),
            )
        )
    line = label + t("sep.list").join(parts)
    if shown is not None and len(groups) > shown:
        rest = sum(group["department"].nunique(dropna=False) for _, group in groups[shown:])
        line += " " + t("page.source_dept_more", count=rest)
    return line


def empty(kind: str) -> None:
    """The empty state: what to upload to fill this part of the page."""
    st.info(t("empty.hint", kind=t(f"kind.{kind}")), icon=":material/upload_file:")


def picked(event: Any) -> list[str]:
    """Departments (or categories) the user clicked in a chart: each bar carries its name as customdata."""
    try:
        points = event.selection.points
    except (AttributeError, KeyError, TypeError):
        return []
    names = []
    for point in points or []:
        value = point.get("customdata")
        if isinstance(value, list):
            value = value[0] if value else None
        if value:
            names.append(str(value))
    return list(dict.fromkeys(names))


def narrow(frame: pd.DataFrame, names: list[str], column: str = "department") -> pd.DataFrame:
    """Rows of the clicked departments only (all rows when nothing is clicked)."""
    if not names:
        return frame
    labels = frame[column].fillna(charts.missing_label(column))
    return frame[labels.isin(names)]


def labels(columns: Iterable[str]) -> dict[str, str]:
    return {c: t(f"col.{c}") for c in columns}


def _column_config(frame: pd.DataFrame) -> dict[str, Any]:
    """Headers in the page's language; rates as 93.2%, counts as 12,314, hours as 1,622.5 or 2, dates as 2026-07-15."""
    config: dict[str, Any] = {}
    for column in frame.columns:
        label = t(f"col.{column}")
        numeric = pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column])
        if column == "progress":
            config[column] = st.column_config.ProgressColumn(label, min_value=0, max_value=1, format="percent")
        elif column in PERCENT_COLUMNS:
            config[column] = st.column_config.NumberColumn(label, format="%.1f%%")  # shown ×100: see _on_screen
        elif column in DATE_COLUMNS:
            config[column] = st.column_config.DateColumn(label, format="YYYY-MM-DD")
        elif column in DATETIME_COLUMNS:
            config[column] = st.column_config.DatetimeColumn(label, format="YYYY-MM-DD HH:mm")
        elif numeric and column not in ID_COLUMNS:
            config[column] = st.column_config.NumberColumn(label, format="localized")
        else:
            config[column] = st.column_config.Column(label)
    return config


def for_reader(columns: list[str], trace: bool = False) -> list[str]:
    """The columns a reader sees: a row's SHA-256, sheet and row number only on 导入记录 (``trace``), for admins.

    A sheet named without a row (an upload's preview, a warning's cell) is what the table is about, and stays.
    """
    user = signin.current() if trace else None
    if user is not None and user.is_admin:
        return columns
    hidden = {"sha256"} | ({"sheet", "row_no"} if "row_no" in columns else set())
    return [c for c in columns if c not in hidden]


def _on_screen(frame: pd.DataFrame) -> pd.DataFrame:
    """Rates in percent (the column format adds the %), decimals rounded to what they mean."""
    out = frame.copy()
    for column in out.columns:
        if column in PERCENT_COLUMNS:
            out[column] = out[column].astype(float) * 100
        elif column in DECIMAL_COLUMNS:
            out[column] = out[column].astype(float).round(DECIMALS.get(column, 1))
    return out


def table(
    frame: pd.DataFrame,
    columns: list[str],
    *,
    key: str | None = None,
    height: int | str = "auto",
    trace: bool = False,
) -> None:
    """A read-only table with headers in the page's language, numbers and dates formatted, progress as bars.

    At a province's scale a list can hold a million rows; the screen shows the first
    MAX_ROWS (the download holds them all) and says so. ``trace``: the page is 导入记录,
    where admins see where each row came from.
    """
    shown = _on_screen(_readable(capped(frame)[for_reader(columns, trace)]))
    st.dataframe(
        shown,
        hide_index=True,
        column_config=_column_config(shown),
        key=key,
        height=height,
        placeholder="—",
    )


def capped(frame: pd.DataFrame) -> pd.DataFrame:
    """The first MAX_ROWS rows of a list, saying so above it when there are more."""
    if len(frame) <= MAX_ROWS:
        return frame
    st.caption(t("table.capped", shown=f"{MAX_ROWS:,}", total=f"{len(frame):,}"))
    return frame.head(MAX_ROWS)


def _readable(frame: pd.DataFrame) -> pd.DataFrame:
    """State codes and flags as words in the current language."""
    out = slides.coded_as_words(frame.copy())
    if "action" in out:
        out["action"] = slides.words(out["action"], lambda a: t(f"action.{a}"))
    for column in audit.USER_COLUMNS & set(out.columns):
        out[column] = out[column].map(lambda who: audit.operator(who) if isinstance(who, str) else who)
    if "rows" in out and out["rows"].map(lambda r: isinstance(r, str)).all():
        out["rows"] = out["rows"].map(plain.rows_text)
    return out


def download(label: str, tables: Mapping[str, tuple[pd.DataFrame, list[str]]], file_name: str, key: str) -> None:
    """A button that downloads the given tables as one formatted Excel workbook, built only when clicked."""
    names = {c for _, columns in tables.values() for c in columns}

    def build() -> bytes:
        frames = {title: _readable(frame[columns]) for title, (frame, columns) in tables.items()}
        return export.workbook_bytes(frames, labels(names))

    excel_button(label, build, file_name, key)


def excel_button(label: str, build: Callable[[], bytes], file_name: str, key: str) -> None:
    """A download button for an Excel workbook that ``build`` makes on the click, for a signed-in session only."""
    st.download_button(
        label,
        data=signin.guarded(build),
        file_name=file_name,
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
        key=key,
    )


def templates() -> list[tuple[str, Path]]:
    """The blank templates and their buttons' labels, in the page's language (the files keep their Chinese names)."""
    kinds = {template.file_name: template.kind for template in sample.TEMPLATES}
    return [
        (t(f"upload.template.{kinds[path.name]}"), path)
        for path in sorted(TEMPLATES.glob("*.xlsx"))
        if path.name in kinds
    ]


def plot(figure: Any, key: str, *, select: bool = False) -> Any:
    """Draw a chart in our own theme, as wide as its column; with ``select`` a click on a bar reruns with it.

    The figure sets no width: it fills the column on every screen and is redrawn when the window resizes
    (``responsive``); its height follows its rows (charts.py).
    """
    options = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"], "responsive": True}
    shown = {"key": key, "theme": None, "config": options, "width": "stretch"}
    if select:
        return st.plotly_chart(figure, on_select="rerun", selection_mode="points", **shown)
    return st.plotly_chart(figure, **shown)


def metric(where: Any, label: str, value: str, change: changes.Change, delta: str | None, **options: Any) -> None:
    """A metric whose arrow follows the number and whose colour follows its meaning (changes.Change)."""
    arrows = {"up": "up", "down": "down"}
    where.metric(
        label,
        value,
        delta,
        delta_color=changes.STREAMLIT_COLOURS[change.tone or "flat"],
        delta_arrow=arrows.get(change.direction or "flat", "off"),
        **options,
    )
