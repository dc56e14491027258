"""The score figures a page shows before anything else: a triggered veto (一票否决, WORKBOOKS.md §7)."""

from __future__ import annotations

import streamlit as st

from wenming.text import t
from wenming.web.data import query
from wenming.web.filters import Filters


def veto_banner(f: Filters) -> None:
    """A red line naming every triggered veto item; nothing when none is triggered."""
    vetoes = query("scores_vetoes", f)
    triggered = vetoes[vetoes["triggered"]] if len(vetoes) else vetoes
    if len(triggered):
        items = t("sep.list").join(str(item) for item in triggered["item"])
        st.error(t("veto.triggered", count=len(triggered), items=items), icon=":material/block:")
