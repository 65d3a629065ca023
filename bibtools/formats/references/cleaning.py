"""Labelled text to a value: edge punctuation, quotes and bracketed annotations off."""
from __future__ import annotations

import re

EDGE_PUNCT = " \t,;:.([{)]}"
QUOTES = "\"“”„«»‘’'"
LAST_SENTENCE = re.compile(r"(?<=[^\s.]{2}[.,])\s+([^.]+\.?)\s*$")  # a text's last sentence, after ". " or ", "

_ENDINGS = "org|com|net|edu|gov|int|info|io|dev|app|ai|co|uk|de|fr|eu|ca|au|ch|nl|jp"
_DOMAIN = re.compile(rf"^(?:www\.)?[a-z0-9][\w-]*(?:\.[\w-]+)*\.(?:{_ENDINGS})$", re.I)


def is_domain_name(text: str) -> bool:
    """ "CitationStyles.org", "nytimes.com": a website's name (a closed list of endings: "Phys.Rev" is not one)."""
    return bool(_DOMAIN.match(text))


_ANNOTATION = re.compile(r"(?:\s*\[[^\]]{1,40}\])+[\s.,;:]*$")  # "[Internet]", "[Preprint]", "[PhD thesis]"


_LEADING_ANNOTATION = re.compile(r"^(?:\s*\[[^\]]{1,40}\][\s.,;:]*)+")


def strip_value(text: str) -> str:
    text = _LEADING_ANNOTATION.sub("", _ANNOTATION.sub("", text))
    core = text.strip(EDGE_PUNCT)
    end = text.find(core) + len(core)
    if core.count("(") > core.count(")") and text[end:end + 1] == ")":
        core += ")"  # "Volume 1 (Long Papers).": the bracket closes one opened inside
    text = core
    if text[:1] in QUOTES or text[-1:] in QUOTES:
        text = text.strip(QUOTES).strip(EDGE_PUNCT)
    # a bracket closed inside ("(Vol. 3, Part A") keeps its partner only when both are there
    if text.count("(") < text.count(")"):
        text = text.rstrip(")")
    if text.count("(") > text.count(")"):
        text = text.lstrip("(")
    return text.strip()
