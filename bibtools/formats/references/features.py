"""Tokens of one reference string and the features the labeller sees for each.

Tokens are the whitespace-separated words, punctuation attached: a segment
boundary in a formatted reference is nearly always a space, and the attached
punctuation ("Smith,", "(2011).", "45(3):") is the strongest evidence there is.
"""
from __future__ import annotations

import re

from ...text.dates import MONTH_NAMES
from ...text.names import PARTICLES

_EDGE = re.compile(r"^[^\w]+|[^\w]+$")
_YEAR = re.compile(r"^\(?\[?(1[5-9]\d\d|20\d\d)[a-z]?\)?\]?[.,;:]?\)?$")
_RANGE = re.compile(r"\d+\s*[-–—]+\s*\d+")
_INITIAL = re.compile(r"^(?:[A-Z]\.-?){1,3},?$|^[A-Z]{1,3},?$")
_DOI = re.compile(r"10\.\d{4,9}/", re.I)
_URL = re.compile(r"https?://|www\.", re.I)
_ISBN = re.compile(r"^(?:97[89][-–]?)?\d{1,5}[-–]\d+[-–]\d+[-–][\dX]$|^\d{9}[\dX]$|^97[89]\d{10}$")

# Small closed lexicons: words that name a kind of segment in any discipline.
_JOURNAL_WORDS = frozenset("""journal j. j review rev. letters lett. proceedings proc. transactions trans.
    annals ann. bulletin bull. quarterly magazine acta revue zeitschrift zeitschr. rivista revista
    archives arch. research res. science sci. studies stud. international int. american am.
    society soc. physics phys. chemistry chem. medicine med. clinical clin. nature""".split())
_PUBLISHER_WORDS = frozenset("""press university univ. publishers publisher publishing verlag books
    editions éditions editorial editora inc. inc ltd. ltd co. company gmbh wiley springer elsevier
    routledge sage academic institute""".split())
_CONFERENCE_WORDS = frozenset("""conference conf. symposium workshop congress meeting colloquium
    proceedings proc. annual""".split())
_EDITOR_WORDS = frozenset("""ed. eds. ed eds editor editors edited hrsg. hrsg (ed.) (eds.) (ed) (eds)
    (hrsg.) dir. coord. org.""".split())
_TRANSLATOR_WORDS = frozenset("trans. transl. translated übers. trad. traducción translator".split())
_VOLUME_WORDS = frozenset("vol. vol volume bd. bd tome t. jg. jahrgang band".split())
_ISSUE_WORDS = frozenset("no. no nr. nr issue heft n°".split())
_PAGE_WORDS = frozenset("pp. pp p. p s. pages págs. pág. seiten".split())
_THESIS_WORDS = frozenset("""thesis dissertation phd ph.d. doctoral master's masters diss. tesis thèse
    doktorarbeit report technical tech. working paper preprint""".split())
_IN_WORDS = frozenset("in in: dans en im".split())
_AND_WORDS = frozenset("and & und et y e".split())
_EDITION_WORDS = frozenset("ed. edn. edition aufl. auflage éd. edición".split())


# Vancouver glues date, volume, issue and pages: "2014;40(9):1477-81." is three tokens.
_GLUED = re.compile(r"(?<=[\d)])([;:])(?=[A-Za-z]?\d)")


def tokenize(text: str) -> list[str]:
    return _GLUED.sub(r"\1 ", text).split()


def _shape(word: str) -> str:
    out: list[str] = []
    for c in word[:12]:
        k = "X" if c.isupper() else "x" if c.isalpha() else "d" if c.isdigit() else c
        if not out or out[-1] != k:
            out.append(k)
    return "".join(out)


def _token_features(token: str) -> list[str]:
    low = token.lower()
    core = _EDGE.sub("", low)
    lead = token[:1] if not token[:1].isalnum() else ""
    trail = token[-1:] if not token[-1:].isalnum() else ""
    f = [f"w={core}", f"sh={_shape(token)}", f"p2={core[:2]}", f"p4={core[:4]}", f"s2={core[-2:]}",
         f"s4={core[-4:]}", f"lead={lead}", f"trail={trail}", f"len={min(len(core), 10)}"]
    letters = [c for c in token if c.isalpha()]
    if letters:
        if all(c.isupper() for c in letters):
            f.append("caps=all")
        elif letters[0].isupper():
            f.append("caps=first")
        else:
            f.append("caps=lower")
    if any(c.isdigit() for c in token):
        f.append("digit")
        if core.isdigit():
            f.append(f"num={min(len(core), 5)}")
    if _YEAR.match(token):
        f.append("year")
    if _RANGE.search(token):
        f.append("range")
    if _INITIAL.match(token):
        f.append("initial")
    if _DOI.search(token):
        f.append("doi")
    if _URL.search(token):
        f.append("url")
    if _ISBN.match(core.replace(" ", "")):
        f.append("isbn")
    if "(" in token or ")" in token:
        f.append("paren")
    if any(q in token for q in "\"“”«»„‘’'"):
        f.append("quote")
    for name, lexicon in (("journal", _JOURNAL_WORDS), ("publisher", _PUBLISHER_WORDS),
                          ("conference", _CONFERENCE_WORDS), ("editor", _EDITOR_WORDS),
                          ("translator", _TRANSLATOR_WORDS), ("volword", _VOLUME_WORDS),
                          ("issueword", _ISSUE_WORDS), ("pageword", _PAGE_WORDS),
                          ("thesis", _THESIS_WORDS), ("in", _IN_WORDS), ("and", _AND_WORDS),
                          ("edition", _EDITION_WORDS)):
        if low in lexicon or core in lexicon:
            f.append(f"lex={name}")
    if core in MONTH_NAMES:
        f.append("lex=month")
    if core in PARTICLES:
        f.append("lex=particle")
    if core in ("et", "al", "al.", "others"):
        f.append("lex=etal")
    return f


def sequence_features(tokens: list[str]) -> list[list[str]]:
    """Features per token: its own, its neighbours' and where it stands in the reference."""
    own = [_token_features(t) for t in tokens]
    n = len(tokens)
    out: list[list[str]] = []
    quote_open = False
    paren_depth = 0
    seen_year = False
    for i, token in enumerate(tokens):
        f = list(own[i])
        f.append(f"pos={int(10 * i / n)}")
        if i == 0:
            f.append("first")
        if i == n - 1:
            f.append("last")
        f.append(f"inquote={quote_open}")
        f.append(f"inparen={paren_depth > 0}")
        f.append(f"afteryear={seen_year}")
        for offset in (-2, -1, 1, 2):
            j = i + offset
            if 0 <= j < n:
                for feat in own[j]:
                    if feat.startswith(("w=", "sh=", "trail=", "lex=", "year", "initial", "caps=")):
                        f.append(f"{offset}:{feat}")
            else:
                f.append(f"{offset}:none")
        out.append(f)
        for c in token:  # the state after this token, for the next one
            if c in "“«„":
                quote_open = True
            elif c in "”»":
                quote_open = False
            elif c == '"':
                quote_open = not quote_open
            elif c in "([":
                paren_depth += 1
            elif c in ")]" and paren_depth:
                paren_depth -= 1
        if "year" in own[i]:
            seen_year = True
    return out
