"""Every user-facing string, Chinese first, English second.

The strings are data: one catalog per language beside this file, ``zh.toml`` and
``en.toml`` (flat ``"key" = "template"``), read once at import. ``t("key", **params)``
formats a string in the current language, which is set per Streamlit session or
command-line run with ``use(lang)``.
"""

from __future__ import annotations

import os
import tomllib
from contextvars import ContextVar
from pathlib import Path

LANGS = ("zh", "en")

_DEFAULT_LANG = os.environ.get("WENMING_LANG", "zh")
_lang: ContextVar[str] = ContextVar("lang", default=_DEFAULT_LANG)  # noqa: B039 (a str is immutable)


def _load(lang: str) -> dict[str, str]:
    path = Path(__file__).with_name(f"{lang}.toml")
    with path.open("rb") as f:
        catalog = tomllib.load(f)
    if bad := [key for key, value in catalog.items() if not isinstance(value, str)]:
        raise ValueError(f"{path.name}: not a string (quote dotted keys): {', '.join(bad)}")
    return catalog


# language -> key -> template
CATALOGS: dict[str, dict[str, str]] = {code: _load(code) for code in LANGS}
if CATALOGS["zh"].keys() != CATALOGS["en"].keys():
    raise ValueError(
        f"zh.toml and en.toml differ in: {', '.join(sorted(CATALOGS['zh'].keys() ^ CATALOGS['en'].keys()))}"
    )


def use(lang: str) -> None:
    """Set the language for this thread of work (a Streamlit run or a CLI call)."""
    _lang.set(lang if lang in LANGS else "zh")


def lang() -> str:
    return _lang.get()


def t(key: str, lang: str | None = None, **params: object) -> str:
    """The string ``key`` in ``lang`` (default: the current language), formatted with params."""
    template = CATALOGS["en" if (lang or _lang.get()) == "en" else "zh"][key]
    return template.format(**params) if params else template
