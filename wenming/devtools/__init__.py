"""Tools for developers, not part of the dashboard: the benchmark (``bench``) and its large-tracker writer
(``bigbook``); the samples saved in other formats (``saved_as``), hostile files of those formats (``hostile``)
and the benchmark of reading them (``formats``).

They may import any layer; the benchmark's page timings run Streamlit through
wenming.web.timing, in a child process of their own.
"""
