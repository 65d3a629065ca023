"""Collation keys for CSL sort keys, compared as citeproc-js compares them.

citeproc-js compares sort keys with ``localeCompare`` in the style's locale at
base sensitivity, ignoring punctuation, with numeric collation, after writing
each space as a separator that sorts before any letter or digit. Here the same
comparison is made with ICU (PyICU; the ``pyicu-wheels`` package on PyPI) in
the CLDR order of the style's locale: ``Ørsted`` sorts with O, ``Łukasiewicz``
with L, ``:colon-title`` with C, ``item 9`` before ``item 10``.

Without ICU a plain approximation is used (accents and case dropped, a few
letters folded, punctuation ignored, digit runs by value), so bibtools still
sorts, less faithfully, where the wheel cannot be installed.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from html import unescape as unescape_html

try:  # pragma: no cover - which branch runs depends on the installation
    import icu
except ImportError:  # pragma: no cover
    icu = None

__all__ = ["HAVE_ICU", "collation_key", "sort_text"]

HAVE_ICU = icu is not None

# markup and the private-use markers bibtools' formatters put around rich text
_MARKUP = re.compile(r"<[^>]+>|[\ue000\ue001]")
# ICU ignores spaces with punctuation; citeproc-js keeps words apart with a
# symbol that sorts before letters and digits ("Smith, J" before "Smithson")
_WORD_SEPARATOR = "|"


def sort_text(value: object) -> str:
    """The plain text of a rendered sort key, words separated as citeproc-js separates them."""
    text = str(value)
    if "&" in text:  # markup typed in the data arrives escaped for HTML ("&#60;i&#62;")
        text = unescape_html(text)
    text = _MARKUP.sub("", text)
    return text.replace(" ", _WORD_SEPARATOR) + _WORD_SEPARATOR


def collation_key(value: object, locale: str | None = None) -> bytes | str:
    """A key whose order is the CLDR collation order of ``value`` (the rendered
    text of a sort key) in ``locale``, at the first level (base letters only)."""
    return _key_function(locale or "en-US")(sort_text(value))


@lru_cache(maxsize=16)
def _key_function(locale: str) -> Callable[[str], bytes | str]:
    if icu is None:  # pragma: no cover - exercised where PyICU is absent
        return _fallback_key
    collator = icu.Collator.createInstance(icu.Locale(locale.replace("-", "_")))
    collator.setStrength(icu.Collator.PRIMARY)
    collator.setAttribute(icu.UCollAttribute.ALTERNATE_HANDLING, icu.UCollAttributeValue.SHIFTED)
    collator.setAttribute(icu.UCollAttribute.NUMERIC_COLLATION, icu.UCollAttributeValue.ON)
    return collator.getSortKey  # type: ignore[no-any-return]


# letters that are not a base letter plus accents, folded as the CLDR root order
# files them at its first level (þ after z)
_FOLD = str.maketrans({
    "ø": "o", "ł": "l", "đ": "d", "ð": "d", "ħ": "h", "ŀ": "l", "ŧ": "t",
    "æ": "ae", "œ": "oe", "ß": "ss", "ĸ": "q", "ŋ": "n", "ı": "i\uffff", "þ": "z\uffff",
})
_DIGITS = re.compile(r"\d+")


def _fallback_key(text: str) -> str:
    # a digit run by its value: its length first, then its digits (before
    # punctuation goes: "2–3/2018" is 2, 3, 2018)
    text = _DIGITS.sub(_by_value, text.casefold())
    text = unicodedata.normalize("NFKD", text)
    # accents, punctuation, spaces and controls do not count; the word separator does
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] not in "MPZC")
    return text.translate(_FOLD).replace(_WORD_SEPARATOR, " ")


def _by_value(match: re.Match[str]) -> str:
    digits = match.group().lstrip("0")
    return f"{len(digits):03}{digits}"
