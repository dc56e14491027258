"""The string catalogs wenming/text/zh.toml and en.toml, and the keys the code asks them for."""

from __future__ import annotations

import re
import string
import tomllib
from pathlib import Path

import pytest

from wenming import text

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "wenming" / "text"


def _read(lang: str) -> dict[str, object]:
    """The catalog as the file says it, not through the loader (which refuses a broken one)."""
    with (FOLDER / f"{lang}.toml").open("rb") as f:
        return tomllib.load(f)


ZH, EN = _read("zh"), _read("en")

# t("key"), text.t('key', ...), t(f"kind.{kind}"), t("kind." + kind), t("a" if x else "b"):
# the quoted part and what follows it
CALL = re.compile(r"""\bt\(\s*(f?)(["'])((?:(?!\2)[^\n])*)\2\s*([,)+]|if\b)""")
# the other key of t("a" if x else "b")
ELSE = re.compile(r"""\bt\(\s*(["'])[^"'\n]*\1\s+if\b[^\n]*?\belse\s+(["'])([^"'\n]*)\2\s*\)""")


def _calls() -> list[tuple[str, str, bool]]:
    """(where, key or prefix, whether it is a whole key) for each t(...) with a string first in the code."""
    package = sorted(p for p in (ROOT / "wenming").rglob("*.py") if FOLDER not in p.parents)  # not the loader itself
    sources = package + sorted((ROOT / "pages").glob("*.py")) + [ROOT / "app.py"]
    found = []
    for path in sources:
        source = path.read_text(encoding="utf-8")
        for m in CALL.finditer(source):
            where = f"{path.relative_to(ROOT)}:{source.count(chr(10), 0, m.start()) + 1}"
            is_f, quoted, after = m[1], m[3], m[4]
            if is_f:
                found.append((where, quoted.split("{", 1)[0], False))
            else:
                found.append((where, quoted, after != "+"))
        for m in ELSE.finditer(source):
            found.append((f"{path.relative_to(ROOT)}:{source.count(chr(10), 0, m.start()) + 1}", m[3], True))
    return found


CALLS = _calls()


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_both_languages_have_the_same_keys_in_the_same_order() -> None:
    assert ZH, "zh.toml has strings"
    assert sorted(ZH.keys() - EN.keys()) == [], "only in zh.toml"
    assert sorted(EN.keys() - ZH.keys()) == [], "only in en.toml"
    assert list(ZH) == list(EN), "the two files list the keys in one order, so they read side by side"


@pytest.mark.parametrize("catalog", [ZH, EN], ids=["zh", "en"])
def test_every_value_is_a_non_empty_string(catalog: dict[str, object]) -> None:
    """A bare dotted key would make a table, not a string: keys are quoted."""
    assert [k for k, v in catalog.items() if not isinstance(v, str)] == []
    assert [k for k, v in catalog.items() if not v.strip()] == []


# keys whose languages word a value differently on purpose: the caller passes every placeholder of both
OWN_WORDING = {
    "review.period_quarter": ({"year", "cn"}, {"year", "number"}),  # 2025年第三季度, 2025 Q3
}


def test_placeholders_are_the_same_in_both_languages() -> None:
    differ = {k: (_fields(ZH[k]), _fields(EN[k])) for k in ZH if _fields(ZH[k]) != _fields(EN[k])}
    assert differ == OWN_WORDING


def test_the_loader_serves_the_files() -> None:
    assert text.CATALOGS == {"zh": ZH, "en": EN}


def test_the_code_asks_for_something() -> None:
    """The scan itself works: it finds plain keys and the prefixes of built ones."""
    whole = {key for _, key, is_whole in CALLS if is_whole}
    prefixes = {key for _, key, is_whole in CALLS if not is_whole}
    assert {"page.overview", "refused.sentence", "no_department", "no_category"} <= whole
    assert {"kind.", "refused.", "col."} <= prefixes


def test_every_key_in_the_code_is_in_the_catalogs() -> None:
    missing = [f"{where}: {key}" for where, key, is_whole in CALLS if is_whole and key not in ZH]
    assert missing == []


def test_every_built_key_has_a_prefix_in_the_catalogs() -> None:
    """t(f"kind.{kind}"): some key starts with "kind." (a prefix that is all placeholder is not checked)."""
    missing = [
        f"{where}: {prefix}…"
        for where, prefix, is_whole in CALLS
        if not is_whole and prefix and not any(k.startswith(prefix) for k in ZH)
    ]
    assert missing == []


def test_t_formats_falls_back_to_chinese_and_refuses_unknown_keys() -> None:
    assert text.t("refused.sentence", "en", file="a.xlsx", reason="empty") == "a.xlsx: empty"
    assert text.t("refused.sentence", "zh", file="a.xlsx", reason="空") == "a.xlsx：空"
    assert text.t("app.title", "fr") == ZH["app.title"]
    assert text.t("refused.sentence", "en") == "{file}: {reason}", "without params the template is returned as is"
    with pytest.raises(KeyError):
        text.t("no.such.key")
    with pytest.raises(KeyError):
        text.t("no.such.key", "en")


def test_use_sets_the_language_for_t() -> None:
    before = text.lang()
    try:
        text.use("en")
        assert text.lang() == "en"
        assert text.t("app.title") == EN["app.title"]
        text.use("fr")
        assert text.lang() == "zh"
        assert text.t("app.title") == ZH["app.title"]
    finally:
        text.use(before)
