"""An author or editor segment of a formatted reference to names.

Reference lists write names in every order: "Romero, C., Paunesku, D., & Dweck, C."
(family, initials), "Pérez-Higueras JJ, Arias A" (Vancouver), "S. E. Han, G. Chen"
(given first), "Lee, L. L., W. E. Howard, and R. E. Marsh" (first inverted only).
Commas both separate names and invert them, so the pieces between commas are
paired here (a family part followed by a piece that is only given names); each
name is then split by bibtools' own name rules (particles, suffixes, initials).
"""
from __future__ import annotations

import re

from ...model import Name
from ...text.names import PARTICLES, SUFFIXES, parse_name

_ET_AL = re.compile(r"[,;]?\s*(?:\bet\s*al\b\.?|\bu\.\s*a\.|\band others\b|\bet coll?\.|…|\.\.\.)\s*", re.I)
_ROLE = re.compile(
    r"\(\s*(?:eds?|hrsg|dir|coord|org|comps?|trans|transl)\.?\s*\)|\b(?:edited|translated)\s+by\b|"
    r"(?<!\w)(?:eds?|hrsg|editors?|herausgeber|trans|transl|trad|übers|coords?|dirs?|comps?)\.?(?!\w)",
    re.I)
_ELLIPSIS = re.compile(r"\s*,?\s*(?:…|\.\.\.)\s*(?=\S)")
_TRAILING_ROLE = re.compile(r"[,;]?\s*\(?\b(?:eds?|editors?|hrsg|coords?|dirs?|orgs?|comps?)\.?\)?[.,:]?\s*$", re.I)
_LEADING_IN = re.compile(r"^\s*(?:in|dans|en|im)\s*:?\s+", re.I)
_AND = re.compile(r"\s*(?:\band\b|&|\bund\b|\bet\b|\by\b|\be\b)\s+", re.I)
_INITIALS = re.compile(r"^(?:[^\W\d_]\.?-?){1,3}\.?$")  # "J.", "JJ", "J.-P.", "D.I."


def _initials_only(piece: str) -> bool:
    tokens = piece.replace(".", ". ").split()
    return bool(tokens) and all(_INITIALS.match(t) and (t.endswith(".") or t.isupper()) for t in tokens)


def _trailing_particles(piece: str) -> tuple[str, str]:
    """ "A. B. da" -> ("A. B.", "da"): Portuguese and Dutch lists put the particle after the given names."""
    tokens = piece.split()
    cut = len(tokens)
    while cut > 1 and tokens[cut - 1].lower() in PARTICLES:
        cut -= 1
    return " ".join(tokens[:cut]), " ".join(tokens[cut:])


def _given_like(piece: str) -> bool:
    """Only given names: initials, or capitalised words and initials ("Nicholson B.", "John P. A.")."""
    tokens = _trailing_particles(piece)[0].split()
    if not tokens or len(tokens) > 4:
        return False
    if _initials_only(" ".join(tokens)):
        return True
    words = [t for t in tokens if not _initials_only(t)]
    return len(words) <= 2 and all(t[:1].isupper() and (t.rstrip(".").isalpha() or "-" in t) for t in words) \
        and not any(w.lower().strip(".,") in _CORPORATE for w in words)


def _family_only(piece: str) -> bool:
    """One family name, maybe after particles or before a suffix ("van der Berg", "Daumé III")."""
    tokens = piece.split()
    # "Smith III", not "Michel V": a one-letter numeral after a family name is Vancouver's initial
    if len(tokens) > 1 and tokens[-1].lower() in SUFFIXES and len(tokens[-1].rstrip(".")) > 1:
        tokens = tokens[:-1]
    while len(tokens) > 1 and tokens[0].lower() in PARTICLES:
        tokens = tokens[1:]
    return len(tokens) == 1 and not _initials_only(tokens[0]) and tokens[0].lower() not in SUFFIXES


def _spelled_initials(given: str) -> str:
    """ "JJ", "D.I.", "J.-P." -> "J. J.", "D. I.", "J.-P." (bibtools' name rules read "OA" as a word)."""
    if not _initials_only(given):
        return given
    out: list[str] = []
    for token in given.replace(".", ". ").split():
        if "-" in token:
            out.append(token if token.endswith(".") else token + ".")
        else:
            out.extend(f"{c}." for c in token if c.isalpha())
    return " ".join(out)


def _inverted(family: str, given: str, suffix: str | None = None) -> Name:
    given, particle = _trailing_particles(given)
    if particle:
        family = f"{particle} {family}"
    name = parse_name(f"{family}, {_spelled_initials(given)}")
    if suffix:
        name.suffix = suffix
    return name


_CJK = re.compile(r"^[\u3400-\u9fff\uac00-\ud7af]{2,4}$")
# Words that make a name an organisation's: kept whole, as a literal.
_CORPORATE = frozenset("""organization organisation association society institute institut university
    universität université universidad committee council consortium group team developers project
    foundation agency department ministry office board commission network center centre inc. inc ltd.
    ltd corporation corp. company gmbh bureau collaboration collaborators working""".split())


def _is_suffix(token: str) -> bool:
    return token.lower().rstrip(".,") in _SUFFIX_WORDS


_SUFFIX_WORDS = frozenset(s.rstrip(".") for s in SUFFIXES)


def _corporate(piece: str) -> bool:
    words = [w.lower().strip(".,()") for w in piece.split()]
    return len(words) >= 2 and (words[0] == "the" or any(w in _CORPORATE for w in words))


def names_an_organisation(piece: str) -> bool:
    """A short phrase with a word only organisations carry ("World Health Organization",
    "The scikit-learn developers"); a leading "The" alone is not enough (titles start so too)."""
    words = [w.lower().strip(".,()") for w in piece.split()]
    return 2 <= len(words) <= 6 and any(w in _CORPORATE for w in words)


def _one_name(piece: str) -> Name:
    """A name without commas: given-first ("S. E. Han") or family-first ("Heidegger M.", "de la Macorra JC",
    "Brooks FP Jr", "Humboldt A von"); an organisation whole; CJK family name first."""
    if _CJK.match(piece):
        return Name(family=piece[0], given=piece[1:])
    if _corporate(piece):
        return Name(literal=piece.strip(" .,"))
    tokens = piece.split()
    suffix = tokens.pop() if len(tokens) > 2 and _is_suffix(tokens[-1]) else None
    particles: list[str] = []
    while len(tokens) > 2 and tokens[-1].lower() in PARTICLES and _initials_only(tokens[-2]):
        particles.insert(0, tokens.pop())
    cut = len(tokens)
    while cut > 0 and _initials_only(tokens[cut - 1]) and (tokens[cut - 1].isupper() or tokens[cut - 1].endswith(".")):
        cut -= 1
    if 0 < cut < len(tokens) and not any(_initials_only(t) for t in tokens[:cut]):
        family = " ".join([*particles, *tokens[:cut]])
        return _inverted(family, " ".join(tokens[cut:]), suffix)
    name = parse_name(" ".join([*tokens, *particles]), given_first=True)
    if suffix:
        name.suffix = suffix
    return name


def clean_role(text: str) -> str:
    """The names of an editor/translator segment without "In", "(Eds.)", "edited by"."""
    text = _LEADING_IN.sub("", text)
    return _ROLE.sub(" ", text)


def parse_segment_names(text: str) -> tuple[list[Name], bool]:
    """Names of a segment, and whether the list was cut short ("et al.")."""
    text = _TRAILING_ROLE.sub("", text)
    others = bool(_ET_AL.search(text))
    # APA's "..., Peterson, P., … Oliphant, T. E.": names left out before the last one
    text = _ELLIPSIS.sub(", ", text)
    text = _ET_AL.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip(" ,;:.()[]") if text.strip(" .") else ""
    if text and text[-1:].isalpha() and re.search(r"\b[^\W\d_]$", text):
        text += "."  # the stripped dot of a final initial ("Dweck, C")
    if not text:
        return [], others
    if ";" in text:
        pieces = [p.strip() for p in text.split(";")]
        return [_inverted_or_one(p) for p in pieces if p], others
    chunks: list[str] = []
    for chunk in text.split(","):
        chunks.extend(p.strip() for p in _AND.split(chunk))
    chunks = [c for c in chunks if c]
    names: list[Name] = []
    i = 0
    while i < len(chunks):
        chunk = chunks[i]
        following = chunks[i + 1] if i + 1 < len(chunks) else None
        if following is not None and _is_suffix(following):  # "Daumé, III, H." / "Hal Daumé, III"
            chunk, following = f"{chunk} {following}", chunks[i + 2] if i + 2 < len(chunks) else None
            i += 1
        paired = following is not None and not _corporate(chunk) and (
            (_family_only(chunk) and _given_like(following))
            # "García Lorca, F.": a family part of several words, then nothing but initials
            or (_initials_only(following) and not any(_initials_only(t) for t in chunk.split())))
        if paired:
            assert following is not None
            suffix = None
            if i + 2 < len(chunks) and _is_suffix(chunks[i + 2]):  # "Brooks, Frederick P., Jr."
                suffix = chunks[i + 2]
                i += 1
            tokens = chunk.split()
            if suffix is None and len(tokens) > 1 and _is_suffix(tokens[-1]):
                suffix, chunk = tokens[-1], " ".join(tokens[:-1])
            names.append(_inverted(chunk, following, suffix))
            i += 2
        else:
            names.append(_one_name(chunk))
            i += 1
    return names, others


def _inverted_or_one(piece: str) -> Name:
    return parse_name(piece) if "," in piece else _one_name(piece)
