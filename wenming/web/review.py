"""The 月度例会 page's work: choose the period, build or recall the review, freeze it, follow-ups, exports."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from wenming import web
from wenming.figures import meetings, review
from wenming.figures.review import Period, Review
from wenming.render import audit, export, plain, report, safe, slides
from wenming.text import t
from wenming.web import filters, signin
from wenming.web.filters import Filters

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def periods(today: dt.date) -> list[Period]:
    """The last twelve months and the last four quarters, newest first."""
    months, day = [], today
    for _ in range(12):
        months.append(Period.containing(day))
        day = day.replace(day=1) - dt.timedelta(days=1)
    quarters, day = [], today
    for _ in range(4):
        quarters.append(Period.containing(day, "quarter"))
        day = Period.containing(day, "quarter").start - dt.timedelta(days=1)
    return months + quarters


def _wanted(options: list[Period]) -> str:
    """The period in the URL; by default last month (meetings are held early in the month)."""
    return st.query_params.get("period") or options[1].code


def pick_period(today: dt.date) -> Period:
    """The period under review, chosen on the page and kept in the URL."""
    options = periods(today)
    codes = [p.code for p in options]
    wanted = _wanted(options)
    chosen = st.selectbox(
        t("review.pick"),
        codes,
        index=codes.index(wanted) if wanted in codes else 1,
        format_func=lambda code: Period.parse(code).label(),
        key="review_period",
        placeholder=t("widget.choose"),
    )
    st.query_params["period"] = chosen
    return Period.parse(chosen)


def build(period: Period, f: Filters) -> Review:
    """The review as the data stands on the sidebar's date, cached like its queries until the data changes."""
    path, version = web.data_key()
    return _built(path, version, period.code, f.as_of, tuple(f.departments))


def clear_cache() -> None:
    """Forget the built reviews (their queries stay cached: see web.clear_caches)."""
    _built.clear()


@st.cache_resource(show_spinner=False, max_entries=32, ttl=3600)
def _built(path: str, version: int, period: str, as_of: dt.date, departments: tuple[str, ...]) -> Review:
    # shared by the sessions, read only: the pages, slides and exports make new frames from it
    return review.build(web.query, Period.parse(period), as_of, list(departments) or None)


def for_presentation() -> tuple[Review, bool]:
    """The review to put on the projector: the period in the URL, frozen if it was frozen."""
    web.route()
    f = filters.current(web.data_until())
    try:
        period = Period.parse(_wanted(periods(f.as_of)))
    except ValueError:
        period = periods(f.as_of)[1]
    shown, _ = frozen_or_fresh(period, f)
    return shown, st.query_params.get("by_department") == "1"


def frozen_or_fresh(period: Period, f: Filters) -> tuple[Review, Review | None]:
    """The frozen review of the period if there is one (and the fresh one to compare), else the fresh one."""
    fresh = build(period, f)
    kept = meetings.frozen(web.store(), period)
    return (kept or fresh), (fresh if kept else None)


def clerk() -> str:
    """Who records freezes and follow-ups: the signed-in admin, or in the local mode the name typed in.

    Empty when the user may not (leaders and staff read the review; the 创建办 keeps it).
    """
    user = signin.current()
    if user is None:
        return ""
    if user.local:
        return st.text_input(t("review.clerk"), key="review_user", placeholder=t("upload.user_hint")).strip()
    if user.is_admin:
        return user.name
    st.caption(t("review.clerk_only_admin"))
    return ""


def frozen_notice(kept: Review, fresh: Review) -> None:
    frozen = kept.frozen
    when = plain.when(pd.Timestamp(frozen["frozen_at"]))
    st.info(safe.say("review.is_frozen", when=when, user=audit.operator(frozen["frozen_by"])), icon=":material/lock:")
    changes = meetings.changes_since(web.store(), kept, fresh)
    if changes.imports.empty and changes.figures.empty:
        st.caption(t("review.no_changes"))
        return
    with st.expander(t("review.changes", imports=len(changes.imports), figures=len(changes.figures))):
        figures = changes.figures.assign(key=changes.figures["key"].map(lambda k: t(f"review.figure.{k}")))
        st.dataframe(
            figures,
            hide_index=True,
            column_config={"key": t("col.figure"), "frozen": t("col.frozen_value"), "now": t("col.now_value")},
        )
        web.table(changes.imports, ["import_id", "imported_at", "user_name", "file_name"])


def toolbar(shown: Review, user: str) -> None:
    """Present, freeze and download."""
    present, by_department, freeze = st.columns([1, 1, 1], vertical_alignment="bottom")
    per_department = by_department.toggle(t("review.by_department"), key="review_by_department")
    if present.button(t("review.present"), type="primary", icon=":material/slideshow:", width="stretch"):
        st.query_params["present"] = "1"
        st.query_params["screen"] = "1"
        if per_department:
            st.query_params["by_department"] = "1"
        st.rerun()
    if (
        user
        and not shown.frozen
        and freeze.button(t("review.freeze"), icon=":material/lock:", width="stretch", help=t("review.freeze_help"))
    ):
        meetings.freeze(web.store(), shown, user)
        st.rerun()
    name = shown.period.code
    html_col, xlsx_col, sheet_col = st.columns(3, vertical_alignment="bottom")
    html_col.download_button(
        t("review.download_html"),
        signin.guarded(lambda: report.render(shown)),
        f"例会报告_{name}.html",
        "text/html",
        icon=":material/description:",
        width="stretch",
    )
    xlsx_col.download_button(
        t("review.download_xlsx"),
        signin.guarded(lambda: export.review_workbook(shown)),
        f"例会数据_{name}.xlsx",
        XLSX,
        icon=":material/table:",
        width="stretch",
    )
    departments = shown.departments["department"].tolist()
    chosen = sheet_col.selectbox(
        t("review.supervision_for"), departments, key="review_sheet_department", placeholder=t("widget.choose")
    )
    if chosen:
        sheet_col.download_button(
            t("review.download_sheet"),
            signin.guarded(lambda: export.supervision_sheet(shown, chosen)),
            f"督办单_{chosen}_{name}.xlsx",
            XLSX,
            icon=":material/assignment:",
            width="stretch",
        )


def sections(shown: Review) -> None:
    """The review on the page, in the order of the meeting."""
    for slide in slides.slides(shown):
        st.subheader(safe.markdown(slide.title))
        if slide.key == "headline":
            for column, card in zip(st.columns(3) * 3, slides.cards(shown), strict=False):
                delta = t("review.deltas", month=card.month.amount(), quarter=card.quarter.shown())
                web.metric(column, card.label, card.value, card.month, delta, border=True)
            st.info(safe.markdown(shown.summary()), icon=":material/campaign:")
        if slide.note:
            st.caption(slide.note)
        for caption, frame, columns in slide.tables:
            if caption:
                st.markdown(f"**{safe.markdown(caption)}**")
            st.dataframe(
                plain.dates_as_text(slides.readable(web.capped(frame)[[c for c in columns if c in frame]])),
                hide_index=True,
                column_config=web.labels(columns),
                placeholder="—",
            )
        for number, figure in enumerate(slide.figures):
            web.plot(figure, f"review_{slide.key}_{number}")


def followups(period: Period, user: str, departments: list[str]) -> None:
    """The meetings' 督办事项; the clerk records them and strikes them off when done."""
    st.subheader(t("review.followups"))
    if user:
        _followup_form(period, user, departments)
    items = meetings.followups(web.store())
    if items.empty:
        st.caption(t("review.no_followups"))
        return
    web.table(
        items.assign(is_closed=items["closed_on"].notna()),
        ["followup_id", "period", "problem", "department", "deadline", "is_closed", "closed_on", "created_by"],
    )
    open_items = items[items["closed_on"].isna()]
    if user and not open_items.empty:
        pick, done = st.columns([3, 1], vertical_alignment="bottom")
        chosen = pick.selectbox(
            t("review.followup_close"),
            open_items["followup_id"].tolist(),
            format_func=lambda i: _followup_label(items, i),
            key="review_close",
            placeholder=t("widget.choose"),
        )
        if done.button(t("review.followup_struck"), width="stretch"):
            meetings.close_followup(web.store(), int(chosen), user=user)
            st.rerun()


def _followup_form(period: Period, user: str, departments: list[str]) -> None:
    with st.form("review_followup", clear_on_submit=True, border=True):
        what = st.text_input(t("review.followup_what"))
        left, right = st.columns(2)
        department = left.selectbox(
            t("col.department"), departments, index=None, accept_new_options=True, placeholder=t("widget.choose_or_add")
        )
        deadline = right.date_input(t("review.followup_deadline"), value=None, format="YYYY-MM-DD")
        if st.form_submit_button(t("review.followup_add")):
            try:
                meetings.add_followup(
                    web.store(), period, problem=what, department=department or "", deadline=deadline, user=user
                )
                st.rerun()
            except ValueError:
                st.error(t("review.followup_missing"))


def _followup_label(items: pd.DataFrame, followup_id: int) -> str:
    row = items.set_index("followup_id").loc[followup_id]
    return f"#{followup_id} {row['department']}{t('sep.label')}{row['problem']}"
