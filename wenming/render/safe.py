"""Text from a workbook or a form is data, never markup: one escape per kind of output.

Sheet names, file names, department names, cell texts, user names and anything else a
user typed reach four kinds of output, each with markup of its own:

- ``markdown``: Streamlit's st.markdown, st.caption, st.info/warning/error/success,
  st.subheader, widget labels and help texts (CommonMark with GFM autolinks, LaTeX
  between ``$``, ``:color[…]`` directives);
- ``html``: the offline report, the slides and st.html;
- ``plotly``: every text a chart draws (axis labels, bar texts, legend, hover labels),
  where plotly renders a subset of HTML (``<a href>``, ``<b>``, ``<span style>``…);
- ``cell``: a cell of an Excel or CSV download, where a leading ``=`` makes a formula.

The interface's own strings (the catalogs) are trusted; ``say`` formats one with every
parameter escaped for Markdown. Tables drawn with st.dataframe need nothing: the grid
paints text on a canvas and never reads it as markup.
"""

from __future__ import annotations

import html as _html
import re

from wenming.text import t

# The marks that make Markdown out of text, each backslash-escaped (CommonMark: then it is only itself):
# links and images [ ] ( ) !, raw HTML and autolinks < >, emphasis and code * _ ~ `, math $, entities &,
# tables |, headings # and a list or heading at the start. Dots, dashes and colons stay: file names, dates.
_MARKDOWN = re.compile(r"[\\`*_~\[\]()!<>$&|#]|^[-+=]")
# GFM's bare autolinks (http://…, www.…, a@b.cn) are found in the text after escapes are resolved, so a
# backslash does not stop them: a word joiner (U+2060, invisible) inside breaks the pattern instead.
_AUTOLINK = re.compile(r"(?<=http)(?=s?://)|(?<=www)(?=\.)|(?<=@)(?=[\w-])", re.I)
JOINER = "\u2060"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def markdown(value: object) -> str:
    """User text for Streamlit's Markdown: the marks of Markdown escaped, line breaks as spaces."""
    escaped = _MARKDOWN.sub(lambda mark: "\\" + mark[0], _text(value).replace("\r", " ").replace("\n", " "))
    return _AUTOLINK.sub(JOINER, escaped)


def say(key: str, **params: object) -> str:
    """The catalog's string ``key`` (trusted Markdown) with every parameter escaped for Markdown."""
    return t(key, **{name: markdown(value) for name, value in params.items()})


def html(value: object) -> str:
    """User text for an HTML page: <, >, &, " and ' as entities."""
    return _html.escape(_text(value))


def plotly(value: object) -> str:
    """User text for a plotly label: plotly reads tags in it, and shows the entities &lt; &gt; &amp; as text."""
    return _html.escape(_text(value), quote=False)


def cell(value: object) -> object:
    """A value for an Excel or CSV cell: text that Excel would run as a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
