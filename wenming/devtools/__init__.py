"""Tools for developers, not part of the dashboard: the benchmark (``bench``) and its large-tracker writer (``bigbook``).

They may import any layer; the benchmark's page timings run Streamlit through
wenming.web.timing, in a child process of their own.
"""
