"""The render layer: figures turned into something to look at or hand on.

Owns the plotly charts and their shared look (``charts``), the review's slides
(``slides``), the offline HTML report (``report``) and the Excel exports
(``export``). Renderers are pure: figures in, a plotly Figure, HTML or bytes out.
It may import figures, store, read and text; never web, and never Streamlit.
"""
