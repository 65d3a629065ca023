"""Personal names from free text into CSL parts (family, given, particle, suffix).

Handles "Given Family", "Family, Given", "Family, Suffix, Given" (the BibTeX
three-part form), lower-case particles ("Jan-Willem van de Meent"), suffixes
("Hal Daumé III"), initials with or without dots, ALL-CAPS names
("GUMLEY" -> "Gumley"), and two family-first guesses for text of unknown order:
a common Chinese surname followed by a hyphenated pinyin given name ("Li Fei-Fei")
and PubMed's "Kolter JZ". Where the source says its order (an author page writes
every name given-first), ``given_first=True`` turns the guesses off. Everything
here is a pure function of its input.
"""
from __future__ import annotations

import re

from ..model import Name

# Lower-case words that join a family name (kept with it: CSL non-dropping particle).
PARTICLES: frozenset[str] = frozenset(
    """van von der den de del della dei degli di da das dos do du des la le les lo ten ter
    zu zum zur af av bin ibn al el y st. 't van't d' l'""".split()
)
SUFFIXES: frozenset[str] = frozenset("jr jr. sr sr. ii iii iv v vi 2nd 3rd".split())

# Common Chinese surnames (pinyin), used only to read "Li Fei-Fei" family-first.
_CHINESE_SURNAMES: frozenset[str] = frozenset(
    """li wang zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin gao luo
    zheng liang xie song tang han feng deng cao peng zeng xiao tian dong pan yuan cai jiang
    yu du ye cheng wei su lu ding ren shen yao jin fu zhong cui tan qian""".split()
)
_PINYIN_SYLLABLE = re.compile(
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:iang|iong|uang|ang|eng|ing|ong|uan|ian|iao|uai|"
    r"ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ui|ue|er|a|e|i|o|u|v)(?:n|ng)?",
    re.IGNORECASE,
)
_VOWELS = set("aeiouyAEIOUYàáâäãåèéêëìíîïòóôöõùúûüýÀÁÂÄÃÅÈÉÊËÌÍÎÏÒÓÔÖÕÙÚÛÜÝıİøØæÆœŒ")
_INITIAL = re.compile(r"^(?:[^\W\d_]\.?-?)+$")  # "J.", "J", "J.-P.", "JZ"
_SPACES = re.compile(r"\s+")


def _is_pinyin_word(word: str) -> bool:
    return all(_PINYIN_SYLLABLE.fullmatch(part) for part in word.split("-")) and "-" in word


def _is_particle(token: str) -> bool:
    return token.lower() in PARTICLES and not token[:1].isupper()


def _is_suffix(token: str) -> bool:
    return token.lower().rstrip(",") in SUFFIXES


def fix_caps_word(word: str, *, family: bool = False) -> str:
    """"SHALEV-SHWARTZ" -> "Shalev-Shwartz", "O'BRIEN" -> "O'Brien"; initials ("JD") kept.

    In a family name a vowel-less word is a name too ("NG" -> "Ng").
    """
    if not word.isupper() or sum(c.isalpha() for c in word) < 2 or _is_suffix(word):
        return word
    if not family and not any(c in _VOWELS for c in word):  # "JD", "JRR": initials, not a word
        return word
    if word.lower() in PARTICLES:
        return word.lower()
    out = []
    for piece in re.split(r"([-'’])", word):
        if piece in ("-", "'", "’") or not piece:
            out.append(piece)
            continue
        fixed = piece[:1] + piece[1:].lower()
        if fixed.startswith("Mc") and len(fixed) > 2:
            fixed = "Mc" + fixed[2:].capitalize()
        out.append(fixed)
    return "".join(out)


def fix_caps(text: str, *, family: bool = False) -> str:
    """Fix ALL-CAPS words in a name part; mixed-case text is returned unchanged."""
    if not text or not any(c.isupper() for c in text) or any(c.islower() for c in text):
        return text
    return " ".join(fix_caps_word(w, family=family) for w in text.split(" "))


def _dot_initials(given: str) -> str:
    """"J Z" / "J.Z." -> "J. Z."; full given names are left alone."""
    tokens: list[str] = []
    for token in given.split():
        if re.fullmatch(r"(?:[A-Z]\.){2,}", token):  # "J.Z."
            tokens.extend(f"{c}." for c in token if c != ".")
        elif re.fullmatch(r"[A-Z]", token):
            tokens.append(token + ".")
        else:
            tokens.append(token)
    return " ".join(tokens)


_CAPITAL_PARTICLES = frozenset("van von de di da du le la del della der den ten ter".split())


def _split_von_last(tokens: list[str]) -> tuple[str | None, str]:
    """Particles at the start of the family part ("van de Meent", "Van Gogh")."""
    i = 0
    while i < len(tokens) - 1 and (_is_particle(tokens[i]) or tokens[i].lower() in _CAPITAL_PARTICLES):
        i += 1
    particle = " ".join(tokens[:i]) or None
    return particle, " ".join(tokens[i:])


def parse_name(text: str, *, given_first: bool = False) -> Name:
    """One personal name in any common written form -> ``Name``.

    A name in braces or one word ("Plato") gives a family-only name; an empty
    string gives ``Name(literal="")``. With ``given_first`` a name without a comma
    is read given names first, always ("Li Fei-Fei": given Li, family Fei-Fei).
    """
    text = _SPACES.sub(" ", text.strip().strip(","))
    if not text:
        return Name(literal="")
    if text.startswith("{") and text.endswith("}"):
        return Name(literal=text[1:-1])
    if "," in text:
        return _parse_comma_form([p.strip() for p in text.split(",")])
    tokens = text.split(" ")
    suffix = None
    if len(tokens) > 2 and _is_suffix(tokens[-1]):
        suffix = tokens.pop()
    if len(tokens) == 1:
        return Name(family=fix_caps(tokens[0], family=True), suffix=suffix)
    # PubMed style "Kolter JZ": family then run-together capital initials.
    if not given_first and len(tokens) == 2 and re.fullmatch(r"[A-Z]{1,3}", tokens[1]) and not tokens[0].isupper():
        return Name(family=fix_caps(tokens[0], family=True), given=" ".join(f"{c}." for c in tokens[1]), suffix=suffix)
    if (
        not given_first
        and len(tokens) == 2
        and tokens[0].lower() in _CHINESE_SURNAMES
        and _is_pinyin_word(tokens[1])
        and tokens[1].lower() not in _CHINESE_SURNAMES
    ):
        return Name(family=tokens[0], given=tokens[1], suffix=suffix)
    # The family part starts at the first lower-case particle, else it is the last word.
    start = len(tokens) - 1
    for i in range(1, len(tokens) - 1):
        if _is_particle(tokens[i]):
            start = i
            break
    else:  # "Vincent Van Gogh": a capitalised particle just before the family name
        if len(tokens) > 2 and tokens[-2].lower() in _CAPITAL_PARTICLES:
            start = len(tokens) - 2
    particle, family = _split_von_last(tokens[start:])
    given = _dot_initials(fix_caps(" ".join(tokens[:start])))
    return Name(family=fix_caps(family, family=True), given=given or None, non_dropping_particle=particle, suffix=suffix)


def _parse_comma_form(parts: list[str]) -> Name:
    """"van de Meent, Jan-Willem" and "Daumé, III, Hal"."""
    first = parts[0].split()
    suffix = None
    if len(first) > 1 and _is_suffix(first[-1]):  # "Daumé III, Hal"
        suffix = first.pop()
    particle, family = _split_von_last(first) if first else (None, "")
    given_parts = parts[1:]
    named_suffix = [p for p in given_parts if _is_suffix(p)]
    if named_suffix:  # "Daumé, Hal, III" or "Daumé, III, Hal": the suffix says which it is
        suffix = named_suffix[0]
        given_parts = [p for p in given_parts if p is not named_suffix[0]]
    elif len(given_parts) >= 2:  # BibTeX "Family, Jr, Given"
        suffix = given_parts[0] or None
        given_parts = given_parts[1:]
    given = _dot_initials(fix_caps(" ".join(p for p in given_parts if p)))
    return Name(family=fix_caps(family, family=True) or None, given=given or None, non_dropping_particle=particle, suffix=suffix)


_AND = re.compile(r"\s*(?:,\s*)?\band\b\s*|\s*&\s*", re.IGNORECASE)


def split_names(text: str) -> list[str]:
    """Split an authors line: "A B, C D and E F" / "A B, C D, and E F" / "A; B".

    Commas separate names here, so "Family, Given" pairs need ";" or " and ".
    """
    text = text.strip()
    if ";" in text:
        return [p.strip() for p in text.split(";") if p.strip()]
    if " and " in text.lower() and "," not in text:
        return [p.strip() for p in _AND.split(text) if p.strip()]
    pieces: list[str] = []
    for chunk in text.split(","):
        pieces.extend(p for p in _AND.split(chunk) if p.strip())
    # A lone suffix after a comma ("Hal Daumé, III") belongs to the name before it.
    out: list[str] = []
    for piece in (p.strip() for p in pieces):
        if out and _is_suffix(piece):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


def parse_names(text: str, *, given_first: bool = False) -> list[Name]:
    """An authors line to names, in order (``given_first``: see ``parse_name``)."""
    return [parse_name(piece, given_first=given_first) for piece in split_names(text)]


def fix_name_caps(name: Name) -> Name:
    """A copy of ``name`` with ALL-CAPS family/given parts fixed (Crossref, Scopus)."""
    if name.literal is not None:
        return name
    family = fix_caps(name.family, family=True) if name.family else name.family
    given = fix_caps(name.given) if name.given else name.given
    if family == name.family and given == name.given:
        return name
    return Name(
        family=family,
        given=given,
        dropping_particle=name.dropping_particle,
        non_dropping_particle=name.non_dropping_particle,
        suffix=name.suffix,
        comma_suffix=name.comma_suffix,
        static_ordering=name.static_ordering,
    )
