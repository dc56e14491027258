"""Text work on a column's distinct values at once, in Arrow: ``values.clean_text`` (NFKC,
trimmed) and ``contract.normalize_word`` (NFKC, no white space, no closing 。.;；) of every
distinct value, and which of them start with given words (footers, subtotals).

A tracker with a sentence of its own per task has as many distinct texts as rows, so a Python
call per text is what an import spent its time on; ``pyarrow.compute`` does the same work on a
whole array in a few calls. The results equal the Python functions' exactly (tests/test_texts.py
checks every code point):

- Arrow's NFKC (utf8proc) may know a newer Unicode than this Python. Normalisation is stable for
  assigned characters, so the two differ only on characters this Python does not know, which
  are not printable (``str.isprintable``). A text with any character that is not printable
  (unassigned, a control character, white space other than " ") is done by Python instead; such
  texts are few.
- In a printable text after NFKC the only white space is " " (measured over every printable code
  point), so trimming " " is Python's ``strip()`` and removing " " its ``"".join(split())``.
- Values that are not text (numbers, dates) go through ``values.clean_text`` one by one: a
  column holds few of them, or they are the 序号 column, which no text rule reads.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from wenming.read import contract, values

WORD_END = "。.;；"  # what normalize_word strips from the end
TWO_THREADS = 20_000  # texts from which NFKC runs on two threads


@dataclass(frozen=True)
class Forms:
    """The text forms of a column's distinct values, aligned with them."""

    clean: pa.Array  # values.clean_text of every value
    is_text: np.ndarray  # the value is a str
    odd: np.ndarray  # a text with a character that is not printable: done by Python

    def words(self, uniques: Sequence[object]) -> pa.Array:
        """contract.normalize_word of every text (what the clean text gives where not text)."""
        return _words(self.clean, self.odd, uniques)

    def nonblank(self) -> np.ndarray:
        """Whether each value's clean text is not empty."""
        return pc.not_equal(self.clean, "").to_numpy(zero_copy_only=False)

    def equal(self, text: str) -> np.ndarray:
        return pc.equal(self.clean, text).to_numpy(zero_copy_only=False)


def _words(clean: pa.Array, odd: np.ndarray, texts: Sequence[object]) -> pa.Array:
    found = pc.utf8_rtrim(pc.replace_substring(clean, " ", ""), characters=WORD_END)
    if odd.any():
        patch = pa.array([contract.normalize_word(texts[i]) for i in np.flatnonzero(odd).tolist()], pa.string())
        found = pc.replace_with_mask(found, pa.array(odd), patch)
    return found


def _clean_texts(texts: Sequence[str]) -> tuple[pa.Array, np.ndarray]:
    """clean_text of each text, and which are odd (not printable: done by Python)."""
    printable = np.array([t.isprintable() for t in texts], dtype=bool)
    clean = _trimmed_nfkc(pa.array(texts, pa.string()))
    if not printable.all():
        patch = pa.array([values.clean_text(texts[i]) for i in np.flatnonzero(~printable).tolist()], pa.string())
        clean = pc.replace_with_mask(clean, pa.array(~printable), patch)
    return clean, ~printable


def _trimmed_nfkc(texts: pa.Array) -> pa.Array:
    """NFKC of each text, " " trimmed. Many texts are done in two halves on two threads: NFKC is
    most of the time a column of distinct sentences takes, and Arrow lets go of the GIL."""
    if len(texts) < TWO_THREADS:
        return _trimmed_nfkc_here(texts)
    half = len(texts) // 2
    with ThreadPoolExecutor(1) as pool:
        second = pool.submit(_trimmed_nfkc_here, texts[half:])
        first = _trimmed_nfkc_here(texts[:half])
        return pa.concat_arrays([first, second.result()])


def _trimmed_nfkc_here(texts: pa.Array) -> pa.Array:
    return pc.utf8_trim(pc.utf8_normalize(texts, "NFKC"), characters=" ")


def words(texts: Sequence[str]) -> pa.Array:
    """contract.normalize_word of each text."""
    clean, odd = _clean_texts(texts)
    return _words(clean, odd, texts)


def forms(uniques: Sequence[object], text_codes: Sequence[int]) -> Forms:
    """The forms of ``uniques``, whose texts are at ``text_codes``: the texts in a few Arrow calls,
    the few other values one by one."""
    n = len(uniques)
    text_at = np.asarray(text_codes, dtype=np.int64)
    is_text = np.zeros(n, dtype=bool)
    is_text[text_at] = True
    other_at = np.flatnonzero(~is_text)
    clean, odd_texts = _clean_texts([uniques[i] for i in text_codes])
    odd = np.zeros(n, dtype=bool)
    odd[text_at[odd_texts]] = True
    if len(other_at):
        others = pa.array([values.clean_text(uniques[i]) for i in other_at.tolist()], pa.string())
        positions = np.empty(n, dtype=np.int64)
        positions[text_at] = np.arange(len(text_at))
        positions[other_at] = len(text_at) + np.arange(len(other_at))
        clean = pa.concat_arrays([clean, others]).take(pa.array(positions))
    return Forms(clean, is_text, odd)


def starts_with(
    forms: pa.Array, prefixes: Sequence[str], suffixes: Sequence[str] = (), bounded: Sequence[str] = ()
) -> np.ndarray:
    """Whether each text starts with one of ``prefixes``, ends with one of ``suffixes``, or is one of
    ``bounded`` alone or followed by :, ( or 人 (the word forms of ：, （)."""
    found = np.zeros(len(forms), dtype=bool)
    for prefix in prefixes:
        found |= pc.starts_with(forms, prefix).to_numpy(zero_copy_only=False)
    for suffix in suffixes:
        found |= pc.ends_with(forms, suffix).to_numpy(zero_copy_only=False)
    for word in bounded:
        pattern = f"^{re.escape(word)}(?:$|[:(人])"
        found |= pc.match_substring_regex(forms, pattern).to_numpy(zero_copy_only=False)
    return found
