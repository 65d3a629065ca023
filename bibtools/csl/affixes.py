"""Prefixes and suffixes typed by the author of a citation (cite-item affixes).

They are rich text like item fields, but citeproc-js leaves punctuation after
quotes typed in them where it was (``, "Hello there".`` keeps its period outside
even in US English): their closing quotes get their own marker, which finishing
writes like any closing quote but never moves punctuation across.
"""
from __future__ import annotations

from typing import Any

from citeproc.string import MixedString, String

from . import richtext
from .finish import AFFIX_QUOTE_CLOSE, QUOTE_CLOSE
from .formatters import Formatter


def parse_affix(value: object, formatter: Formatter) -> MixedString | String:
    parsed = richtext.parse(value, formatter)
    if isinstance(parsed, MixedString):
        if not any(QUOTE_CLOSE in str(segment) for segment in parsed):
            return parsed
        return MixedString(
            [type(s)(str(s).replace(QUOTE_CLOSE, AFFIX_QUOTE_CLOSE)) if QUOTE_CLOSE in str(s) else s for s in parsed]
        )
    if QUOTE_CLOSE in parsed:
        return String(str(parsed).replace(QUOTE_CLOSE, AFFIX_QUOTE_CLOSE))
    return parsed
