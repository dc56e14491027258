"""Text work on a column's distinct texts at once, in Arrow: the forms of ``values.clean_text``
(NFKC, trimmed) and ``contract.normalize_word`` (NFKC, no white space, no closing 。.;；), and
which of them start with given words (footers, subtotals).

A tracker with a sentence of its own per task has as many distinct texts as rows, so a Python
call per text is what an import spends its time on; ``pyarrow.compute`` does the same work on
a whole array in a few calls. The results equal the Python functions' exactly (tests/test_texts.py):

- NFKC: Arrow's utf8proc may know a newer Unicode than this Python. Normalisation is stable for
  assigned characters, so the two differ only on characters this Python does not know (measured:
  every code point where they differ is unassigned here). Those are not printable
  (``str.isprintable``), so any text with a character that is not printable (unassigned, control,
  white space other than " ") is normalised by Python instead; such texts are few.
- White space is Python's (``str.isspace``: what ``strip`` and ``split`` remove), written out as
  a character class for Arrow's regular expressions.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_SPACE = "".join(f"\\x{{{code:04x}}}" for code in range(0x3001) if chr(code).isspace())  # none lies above U+3000
_TRIM = f"^[{_SPACE}]+|[{_SPACE}]+$"
_ALL_SPACE = f"[{_SPACE}]+"
_WORD_END = "[。.;；]+$"  # what normalize_word strips from the end


def _nfkc(texts: Sequence[str]) -> pa.Array:
    """``unicodedata.normalize("NFKC", t)`` of each text, as a string array."""
    try:
        array = pa.array(texts, pa.string())
    except (pa.ArrowException, UnicodeEncodeError):  # lone surrogates: Python does them all
        return pa.array([unicodedata.normalize("NFKC", t) for t in texts], pa.string())
    normal = pc.utf8_normalize(array, "NFKC")
    odd = [i for i, t in enumerate(texts) if not t.isprintable()]
    if not odd:
        return normal
    mask = np.zeros(len(texts), dtype=bool)
    mask[odd] = True
    patched = pa.array([unicodedata.normalize("NFKC", texts[i]) for i in odd], pa.string())
    return pc.replace_with_mask(normal, pa.array(mask), patched)


def clean(texts: Sequence[str]) -> pa.Array:
    """``values.clean_text`` of each text: NFKC, white space trimmed."""
    return pc.replace_substring_regex(_nfkc(texts), _TRIM, "")


def words(texts: Sequence[str]) -> pa.Array:
    """``contract.normalize_word`` of each text: NFKC, all white space removed, no closing 。.;；."""
    bare = pc.replace_substring_regex(_nfkc(texts), _ALL_SPACE, "")
    return pc.replace_substring_regex(bare, _WORD_END, "")


def starts_with(forms: pa.Array, prefixes: Sequence[str]) -> np.ndarray:
    """Whether each text starts with one of ``prefixes`` (``str.startswith`` of a tuple)."""
    found = np.zeros(len(forms), dtype=bool)
    for prefix in prefixes:
        found |= pc.starts_with(forms, prefix).to_numpy(zero_copy_only=False)
    return found
