"""read.texts gives exactly what the Python functions it stands in for give: values.clean_text and
contract.normalize_word of every distinct value, and the footer/subtotal prefixes they start with."""

from __future__ import annotations

import datetime as dt
import unicodedata

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from wenming.read import contract, texts, values
from wenming.read.grid import Column

CORPUS: list[object] = [
    "",
    " ",
    "合计",
    "合 计",
    "　小　计　",  # ideographic spaces
    "小计：",
    "合计。",
    "合计；;.",
    "填表人：刘晓燕        审核：王建华",
    "注：完成时限为“长期坚持”的任务按月报告进展。",
    "组织开展学雷锋活动，覆盖职工1200人次以上（3月份完成5场）",
    "ＡＢＣ１２３，（全角）",
    "㈱①⑵ｶﾞ㍻ﬁ",  # compatibility characters
    "e\u0301 a\u0308",  # combining marks
    "\u00a8 \u00b4",  # NFKC gives a leading space
    "办\t公\n室\r",
    "\u00a0集团办公室\u2003",
    "\x1c分隔\x1f",
    "\u200b零宽\ufeff",
    "\U000105c9 unassigned here",  # a character this Python does not know
    "한국어 가",
    "6月底前",
    "√",
    1.0,
    2.5,
    0,
    True,
    None,
    dt.date(2026, 6, 30),
    dt.datetime(2026, 6, 30, 8, 0),
]


def test_forms_equal_clean_text() -> None:
    codes = [i for i, value in enumerate(CORPUS) if value.__class__ is str]
    forms = texts.forms(CORPUS, codes)
    assert forms.clean.to_pylist() == [values.clean_text(value) for value in CORPUS]
    assert forms.is_text.tolist() == [value.__class__ is str for value in CORPUS]
    words = forms.words(CORPUS).to_pylist()
    assert [words[i] for i in codes] == [contract.normalize_word(CORPUS[i]) for i in codes]
    assert forms.nonblank().tolist() == [values.clean_text(value) != "" for value in CORPUS]
    assert forms.equal("合计").tolist() == [values.clean_text(value) == "合计" for value in CORPUS]


def test_words_equal_normalize_word() -> None:
    strings = [value for value in CORPUS if isinstance(value, str)]
    assert texts.words(strings).to_pylist() == [contract.normalize_word(s) for s in strings]
    assert texts.words([]).to_pylist() == []


def test_starts_with_is_startswith_of_a_tuple() -> None:
    strings = [contract.normalize_word(value) for value in CORPUS if isinstance(value, str)]
    for prefixes in (contract.FOOTER_PREFIXES, contract.SUBTOTAL_PREFIXES, ("6月",), ()):
        found = texts.starts_with(pa.array(strings, pa.string()), prefixes)
        assert found.tolist() == [s.startswith(tuple(prefixes)) for s in strings]


def test_every_printable_character_normalises_as_python_does() -> None:
    """The ground of the Arrow path: on every printable code point Arrow's NFKC is Python's, the only
    white space NFKC leaves is " ", and combining classes agree (a mark after the character is not
    moved differently)."""
    chars = [chr(code) for code in range(0x110000) if chr(code).isprintable()]
    arrow = pc.utf8_normalize(pa.array(chars, pa.string()), "NFKC").to_pylist()
    python = [unicodedata.normalize("NFKC", ch) for ch in chars]
    assert [c for c, a, p in zip(chars, arrow, python, strict=True) if a != p] == []
    assert [c for c, p in zip(chars, python, strict=True) if any(x.isspace() and x != " " for x in p)] == []
    probes = ["a\u0301" + ch + "\u0316" for ch in chars]
    arrow = pc.utf8_normalize(pa.array(probes, pa.string()), "NFD").to_pylist()
    assert [p for p, a in zip(probes, arrow, strict=True) if a != unicodedata.normalize("NFD", p)] == []


def test_every_printable_character_cleans_as_python_does() -> None:
    chars = [chr(code) for code in range(0x110000) if chr(code).isprintable()]
    singles = [f" {ch}{ch}。 " for ch in chars]
    forms = texts.forms(singles, range(len(singles)))
    assert forms.clean.to_pylist() == [values.clean_text(s) for s in singles]
    assert forms.words(singles).to_pylist() == [contract.normalize_word(s) for s in singles]


def test_column_forms_follow_take_and_new_values() -> None:
    column = Column(np.array([0, 1, 2, 3, 1], dtype=np.int32), ["", " 合 计 ", 7.0, "任务　一"])
    assert column.forms().clean.to_pylist() == ["", "合 计", "7", "任务 一"]
    assert column.word_flags(contract.FOOTER_PREFIXES).tolist() == [False, True, False, False, True]
    assert column.nonempty().tolist() == [False, True, True, True, True]
    taken = column.take(np.array([False, True, False, True, False]))  # " 合 计 " and "任务　一"
    assert taken.forms().clean.to_pylist() == ["合 计", "任务 一"]  # values of no row dropped
    assert taken.word_flags(contract.SUBTOTAL_PREFIXES).tolist() == [True, False]  # 合计 is a subtotal word
    assert taken.nonempty().tolist() == [True, True]
    taken.code("小计")
    assert taken.forms().clean.to_pylist() == ["合 计", "任务 一", "小计"]
    numbers = Column(np.arange(4, dtype=np.int32), [1.0, 2.0, "合计", 3.0])
    assert numbers.word_flags(contract.FOOTER_PREFIXES).tolist() == [False, False, True, False]


def test_column_keeps_its_work_per_value_through_take() -> None:
    column = Column(np.array([0, 1, 2, 3, 1], dtype=np.int32), ["", "合计", 7.0, "任务"])
    assert column.word_flags(contract.FOOTER_PREFIXES).tolist() == [False, True, False, False, True]
    taken = column.take(np.array([False, False, True, True, False]))  # 7.0 and "任务": the words are filtered
    assert taken.word_flags(contract.FOOTER_PREFIXES).tolist() == [False, False]
    assert taken.text_flags(lambda text: text == "任务").tolist() == [False, True]
    shared = column.take(np.array([True, True, False, False, True]))
    column.code("小计")  # added to the list ``shared`` still shares: its words are for one value fewer
    assert shared.word_flags(contract.FOOTER_PREFIXES).tolist() == [False, True, True]
    assert shared.forms().clean.to_pylist() == ["", "合计"]


def test_column_finds_texts_without_its_index() -> None:
    column = Column(np.zeros(3, dtype=np.int32), ["", "甲", "乙"])
    assert [column.code("乙"), column.code("丙"), column.code("丙")] == [2, 3, 3]
    assert column.uniques == ["", "甲", "乙", "丙"]
    assert [column.code(text) for text in ("甲", "乙", "丙", "丁", "甲")] == [1, 2, 3, 4, 1]  # the index by now
    both = Column(np.zeros(3, dtype=np.int32), ["", True, 1.0])  # two values of a sheet, equal in Python
    assert both.code(True) == both.code(1.0) == 2  # the index's answer, as before


def test_word_flags_of_some_rows_search_only_their_texts() -> None:
    column = Column(np.array([1, 2, 3, 1, 4], dtype=np.int32), ["", "合计", "任务", 5.0, "填表人：王"])
    rows = np.array([True, False, True, False, True])
    found = column.word_flags(contract.FOOTER_PREFIXES, rows=rows)
    assert found.tolist() == [True, False, False, False, True]  # row 3's 合计 is not asked about
    assert found.tolist() == (column.word_flags(contract.FOOTER_PREFIXES) & rows).tolist()
    assert not column.word_flags(contract.FOOTER_PREFIXES, rows=np.zeros(5, dtype=bool)).any()


def test_nonempty_finds_the_empty_text_among_numbers() -> None:
    column = Column(np.array([0, 1, 2, 2], dtype=np.int32), [1.0, "甲", ""])
    assert column.nonempty().tolist() == [True, True, False, False]
    assert Column(np.array([0, 1], dtype=np.int32), [1.0, "甲"]).nonempty().tolist() == [True, True]
