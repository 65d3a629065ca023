"""BibTeX name lists: splitting by BibTeX's rules, and formatting back.

Rules (Patashnik's "BibTeXing" and "Tame the BeaST", ch. 4):
- names are separated by ``and`` surrounded by white space at brace depth 0,
  in any letter case (``AND`` too);
- a name is ``First von Last``, ``von Last, First`` or ``von Last, Jr, First``;
  the von part is the run of words starting with a lower-case letter (a
  word's case is that of its first letter at depth 0; ``{\\"u}ber`` counts as
  lower case, a word that opens with a plain brace group has no case);
- a name that is one brace group, ``{World Health Organization}``, is a
  literal (corporate) name;
- BibLaTeX's extended form ``family=Smith, given=John, prefix=van`` is read too.

``and others`` is not a name: CSL has none. ``split_names`` reports it as a
flag, the reader records which fields had it in ``Item.extra[AND_OTHERS_KEY]``
(space-separated BibTeX field names), and the BibTeX writer turns that back
into ``and others``. Other writers see an ordinary extra field.
The von part is read as CSL's non-dropping particle (BibTeX keeps it with
the family name when sorting under the default styles).
"""
from __future__ import annotations

import re
from collections.abc import Callable

from ..model import Name
from .latex import latex_to_text

AND_OTHERS_KEY = "and-others"

_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_ANY_KEY = re.compile(r"^\s*[a-z][a-z-]*\s*=", re.I)
_EXTENDED_KEY = re.compile(r"^\s*(family|given|prefix|suffix|useprefix|sortingnamekeytemplatename|"
                           r"given-i|family-i|prefix-i|suffix-i|id|hash|[a-z]+-i)\s*=", re.I)


def _depth0_split(text: str, pattern: re.Pattern[str]) -> list[str]:
    """Split ``text`` where ``pattern`` matches at brace depth 0."""
    if "{" not in text:
        return pattern.split(text)
    parts: list[str] = []
    depth = 0
    start = 0
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(0, depth - 1)
        elif depth == 0:
            m = pattern.match(text, i)
            if m and m.end() > i:
                parts.append(text[start:i])
                start = i = m.end()
                continue
        i += 1
    parts.append(text[start:])
    return parts


_WS = re.compile(r"(?:\s|(?<!\\)~)+")  # "~" ties words, "\~" is an accent
_ENVIRONMENT = re.compile(r"\\(begin|end)\s*\{[^{}]*\}")
_COMMA = re.compile(r"\s*,\s*")


def split_name_list(value: str) -> tuple[list[str], bool]:
    """Raw name strings, and whether the list ended with ``and others``."""
    value = value.strip()
    if not value:
        return [], False
    if "\\begin" in value:  # an environment protects its content like a brace group
        value = _ENVIRONMENT.sub(lambda m: "{" if m.group(1) == "begin" else "}", value)
    raw = [p.strip() for p in _depth0_split(value, _AND)]
    others = False
    if raw and raw[-1].lower() == "others":
        raw.pop()
        others = True
    return [r for r in raw if r.strip(" ,")], others


def _word_case(word: str) -> str:
    """'l' (lower), 'u' (upper) or '' (caseless), the way BibTeX decides."""
    first = word[:1]
    if first.isalpha():
        return "l" if first.islower() else "u"
    i, n = 0, len(word)
    while i < n:
        c = word[i]
        if c == "{":
            if i + 1 < n and word[i + 1] == "\\":
                # a special character: the case of the letter it prints ({\"u} is lower, {\AA} upper)
                end = _closing_brace(word, i)
                printed = latex_to_text(word[i:end + 1] if end > 0 else word[i:])
                for ch in printed:
                    if ch.isalpha():
                        return "l" if ch.islower() else "u"
                return ""
            return ""  # a plain brace group has no case
        if c.isalpha():
            return "l" if c.islower() else "u"
        if c == "\\" and i + 1 < n:  # \"u outside braces
            m = re.match(r"\\(?:[A-Za-z]+|.)\s*\{?([A-Za-z])", word[i:])
            if m:
                return "l" if m.group(1).islower() else "u"
        i += 1
    return ""


def _words(part: str) -> list[str]:
    part = part.strip()
    if "{" not in part and "~" not in part:
        return part.split()
    return [w for w in _depth0_split(part, _WS) if w]


_NEEDS_LATEX = re.compile(r"[\\{}$~]")


def _clean(words: list[str]) -> str | None:
    text = " ".join(words).strip()
    if not text:
        return None
    if not _NEEDS_LATEX.search(text):
        return text
    return " ".join(latex_to_text(text).replace("{", "").replace("}", "").split()) or None


def _extended(parts: list[str]) -> Name:
    values: dict[str, str] = {}
    for part in parts:
        key, _, value = part.partition("=")
        value = value.strip()
        if value.startswith("{") and value.endswith("}"):
            value = value[1:-1]
        values[key.strip().lower()] = value
    return Name(
        family=_clean([values["family"]]) if "family" in values else None,
        given=_clean([values["given"]]) if "given" in values else None,
        non_dropping_particle=_clean([values["prefix"]]) if "prefix" in values else None,
        suffix=_clean([values["suffix"]]) if "suffix" in values else None,
    )


_PLAIN_NAME = re.compile(r"^[^{}\\~$=]*$")


def _fast_parse(raw: str) -> Name | None:
    """Names without braces, commands or ties (most of them), without the general machinery."""
    if "," not in raw:  # "Given von Family", the usual spelling: one split, plain loops (hot path)
        words = raw.split()
        if not words:
            return None
        for w in words:
            if not w[0].isalpha():
                return None
        parts = [raw]
    else:
        parts = [p.strip() for p in raw.split(",")]
        if len(parts) > 3 or not all(w[:1].isalpha() for p in parts for w in p.split()):
            return None
    if len(parts) == 1:
        lower = [i for i, w in enumerate(words[:-1]) if w[0].islower()]
        if lower:
            first, von, last = words[:lower[0]], words[lower[0]:lower[-1] + 1], words[lower[-1] + 1:]
        else:
            first, von, last = words[:-1], [], words[-1:]
        jr: list[str] = []
    else:
        von_last = parts[0].split()
        jr, first = (parts[1].split(), parts[2].split()) if len(parts) == 3 else ([], parts[1].split())
        von, last = [], von_last
        if len(von_last) > 1 and von_last[0][0].islower():
            lower = [i for i, w in enumerate(von_last[:-1]) if w[0].islower()]
            von, last = von_last[:lower[-1] + 1], von_last[lower[-1] + 1:]
    return Name(
        family=" ".join(last) or None,
        given=" ".join(first) or None,
        non_dropping_particle=" ".join(von) or None,
        suffix=" ".join(jr) or None,
    )


def parse_name(raw: str) -> Name:
    """One BibTeX name -> ``Name``."""
    raw = raw.strip()
    if _PLAIN_NAME.match(raw):
        fast = _fast_parse(raw)
        if fast is not None:
            return fast
    if raw.startswith("{") and _closing_brace(raw, 0) == len(raw) - 1 and not raw.startswith("{\\") and not _family_only(raw):
        return Name(literal=_clean([raw[1:-1]]) or "")
    parts = [p for p in _depth0_split(raw, _COMMA)]
    if len(parts) > 1 and all(_ANY_KEY.match(p) for p in parts if p.strip()) and any(_EXTENDED_KEY.match(p) for p in parts):
        # extended name format; keys of a style's own (biblatex-chicago's "cjk=") are skipped
        return _extended([p for p in parts if p.strip() and _EXTENDED_KEY.match(p)])
    if len(parts) == 1:
        words = _words(parts[0])
        if not words:
            return Name()
        cases = [_word_case(w) for w in words[:-1]]
        lower = [i for i, c in enumerate(cases) if c == "l"]
        if lower:
            first_von, last_von = lower[0], lower[-1]
            first, von, last = words[:first_von], words[first_von:last_von + 1], words[last_von + 1:]
        else:
            first, von, last = words[:-1], [], words[-1:]
        jr: list[str] = []
    else:
        von_last = _words(parts[0])
        if len(parts) == 2:
            jr, first = [], _words(parts[1])
        else:
            jr, first = _words(parts[1]), _words(", ".join(parts[2:]))
        von, last = [], von_last
        if len(von_last) > 1:
            cases = [_word_case(w) for w in von_last[:-1]]
            lower = [i for i, c in enumerate(cases) if c == "l"]
            if lower and lower[0] == 0:
                von, last = von_last[:lower[-1] + 1], von_last[lower[-1] + 1:]
    return Name(
        family=_clean(last),
        given=_clean(first),
        non_dropping_particle=_clean(von),
        suffix=_clean(jr),
    )


def _family_only(raw: str) -> bool:
    """``{{UN DESA}}``: a family name alone, of several words (one brace group is a literal)."""
    return raw.startswith("{{") and _closing_brace(raw, 1) == len(raw) - 2


def _closing_brace(text: str, start: int) -> int:
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    return -1


def split_names(value: str) -> tuple[list[Name], bool]:
    """A BibTeX name-list field -> (names, ended with ``and others``)."""
    raws, others = split_name_list(value)
    names = [_parse_name_cached(r) for r in raws]
    return [n for n in names if n.family or n.given or n.literal], others


_NAME_CACHE: dict[str, tuple[str | None, ...]] = {}


def _parse_name_cached(raw: str) -> Name:
    """``parse_name`` remembered by its text: the same people recur across a bibliography.

    The cache holds the parts, not the ``Name`` (callers may change theirs).
    """
    parts = _NAME_CACHE.get(raw)
    if parts is None:
        name = parse_name(raw)
        # in Name's field order, for a positional call (keywords cost three times as much)
        parts = (name.family, name.given, None, name.non_dropping_particle, name.suffix, name.literal)
        if len(_NAME_CACHE) >= 100_000:  # bounded: streaming runs over huge files
            _NAME_CACHE.clear()
        _NAME_CACHE[raw] = parts
        if name.dropping_particle is not None or name.comma_suffix or name.static_ordering:
            _NAME_CACHE.pop(raw)  # parse_name never sets these; if it ever does, do not cache
            return name
    return Name(*parts)


# --------------------------------------------------------------------------- writing

_LOWER_WORD = re.compile(r"(?:^|\s)[^\w\s]*[a-z\u00df-\u00ff]")
_RISKY = re.compile(r",|(?:^|\s)and(?:\s|$)|^others$", re.I)


def _starts_lower(word: str) -> bool:
    for c in word:
        if c.isalpha():
            return c.islower()
    return False


def _brace_if(text: str, risky: bool) -> str:
    return "{" + text + "}" if risky else text


def format_name(name: Name, escape: Callable[[str], str]) -> str:
    """One ``Name`` -> BibTeX name text; ``escape`` escapes LaTeX specials in plain text."""
    if name.literal is not None:
        return "{" + escape(name.literal) + "}"
    family = name.family or ""
    particle = " ".join(p for p in (name.dropping_particle, name.non_dropping_particle) if p)
    if particle and not _starts_lower(particle):
        family, particle = f"{particle} {family}".strip(), ""  # BibTeX's von part must start lower case
    fam = escape(family)
    words = family.split()
    if _RISKY.search(family) or (len(words) > 1 and any(_starts_lower(w) for w in words)):
        fam = "{" + fam + "}"
    elif particle and _starts_lower(family):
        fam = "{" + fam + "}"  # a lower-case family name after a von part would join the von part
    von_last = f"{escape(particle)} {fam}".strip() if particle else fam
    given = escape(name.given) if name.given else ""
    if name.given and _RISKY.search(name.given):
        given = "{" + given + "}"
    if name.suffix:
        suffix = escape(name.suffix)
        return f"{von_last}, {_brace_if(suffix, ',' in name.suffix)}, {given}"
    if given:
        return f"{von_last}, {given}"
    if len(words) > 1 and not particle:
        # a family-only name of several words ("UN DESA"): "UN DESA," is a BibTeX error ("has a
        # comma at the end"), "UN DESA" splits into given + family, "{UN DESA}" reads as a literal
        return "{{" + escape(family) + "}}"
    return von_last


def format_names(names: list[Name], escape: Callable[[str], str], *, others: bool = False) -> str:
    text = " and ".join(format_name(n, escape) for n in names if n.family or n.given or n.literal)
    if others:
        text = f"{text} and others" if text else "others"
    return text
