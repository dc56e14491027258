"""The lines the organisation sets (a completion target, an attainment pass line): read by pages, set by admins."""

from __future__ import annotations

import streamlit as st

from wenming.text import t
from wenming.web import data


def current() -> dict[str, float]:
    """{"completion": 0.9, "attainment": 0.95}; a line no admin has set is absent."""
    return data.store().targets()


def form(by: str) -> None:
    """The admin's form: each line as a percentage, empty for none."""
    st.subheader(t("admin.targets"))
    st.caption(t("admin.targets_help"))
    now = current()
    with st.form("admin_targets", border=True):
        left, right = st.columns(2)
        values = {
            key: column.number_input(
                t(f"admin.target_{key}"),
                min_value=1.0,
                max_value=100.0,
                step=1.0,
                value=round(now[key] * 100, 1) if key in now else None,
                placeholder="—",
                key=f"admin_target_{key}",
            )
            for key, column in (("completion", left), ("attainment", right))
        }
        if st.form_submit_button(t("admin.targets_save")):
            for key, percent in values.items():
                rate = None if percent is None else percent / 100
                if now.get(key) != rate:
                    data.store().set_target(key, rate, by=by)
            st.success(t("admin.targets_saved"))
