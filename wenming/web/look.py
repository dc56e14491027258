"""What Streamlit draws itself, made to fit and to speak the page's language.

Cards (st.metric) wrap their text onto a second line instead of cutting it with "…", and
cards and charts side by side move onto the next row when the page is too narrow for them (a chart under 340 px),
and the file uploader's own English words ("Upload", "100MB per file"), which no
parameter of st.file_uploader sets, are replaced with the catalog's through CSS.
Everything here is served with the page: no font or style is fetched from anywhere.
"""

from __future__ import annotations

import json

import streamlit as st

from wenming.text import t

CSS = """
<style>
[data-testid="stMetric"] .stMarkdownEllipsis, [data-testid="stMetric"] .stMarkdownEllipsis p {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
[data-testid="stHorizontalBlock"]:has([data-testid="stMetric"]),
[data-testid="stHorizontalBlock"]:has(.js-plotly-plot) { flex-wrap: wrap; }
[data-testid="stColumn"]:has([data-testid="stMetric"]) { min-width: 8.5rem; }
[data-testid="stColumn"]:has(.js-plotly-plot) { min-width: min(100%%, 340px); }
[data-testid="stMetricValue"] { font-size: clamp(1.5rem, 2.2vw, 2.25rem); }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p,
[data-testid="stFileUploaderDropzoneInstructions"] span { display: none; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]::after { content: %(upload)s; }
[data-testid="stFileUploaderDropzoneInstructions"] > div::after { content: %(limit)s; }
</style>
"""


def apply() -> None:
    """Add the page's look; call once per page run (st.html with only a style takes no room)."""
    limit = st.get_option("server.maxUploadSize")
    words = {"upload": t("widget.upload"), "limit": t("widget.upload_limit", mb=limit)}
    st.html(CSS % {key: json.dumps(value, ensure_ascii=False) for key, value in words.items()})
