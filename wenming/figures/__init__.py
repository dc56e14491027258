"""The figures layer: what a date's figures are, by one rule (WORKBOOKS.md §5).

Owns the summary the command line prints (``summary``), the headline cards with
their deltas (``headline``), month-end series (``trend``), score helpers
(``scoring``), the monthly and quarterly review (``review``) and what a meeting
leaves behind: frozen reviews and follow-ups (``meetings``). Figures are computed
from the SQL in queries/ through wenming.store; it may import store, read and
text, never render or web, and never Streamlit.
"""
