"""The read layer: a workbook's bytes in, typed Arrow tables of known kinds out.

Owns the contract of words a workbook may say (``contract``: header synonyms, kinds
and roles), value parsing (``values``: dates, statuses, numbers, departments; ``scorecells``:
score, max, deduction and veto cells), the
guards a file passes before any parser sees it (``guard``, ``measure``), the cell
grid read with python-calamine (``grid``), header detection (``layout``) and the
sheet reader (``reader``). It imports only wenming.text: no DuckDB, no Streamlit.
"""
