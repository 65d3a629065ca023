"""Particles read out of a name given as plain family and given parts, the way citeproc-js
parses them: non-dropping ones from the front of the family name ("van der Meer",
"al-One", "d'Aubignac", "'t Hart"), dropping ones from the end of the given name
("Givenname de", "François Hédelin d'"). A particle is a word whose first letter
(past any leading apostrophe or hyphen) is lowercase; capitalised words ("La", "Di")
stay in the name.
"""
from __future__ import annotations

# what glues a particle to the family name with no space: "al-One", "d’Aubignac"
JOINERS = "-'\u2019\u02bb\u02bc"


def is_particle(word: str) -> bool:
    core = word.lstrip(JOINERS + " ")
    return bool(core) and core[0].upper() != core[0]  # (caseless scripts are never particles)


def _next_family_particle(text: str) -> str:
    """The first word of ``text`` with the space after it, else its head up to the last
    joiner ("al-" of "al-One"), provided something follows; "" when there is none."""
    head, space, rest = text.partition(" ")
    if space and rest.strip(" "):
        return text[: len(text) - len(rest.lstrip(" "))]
    for end in range(len(head) - 2, 0, -1):
        if head[end] in JOINERS:
            return text[: end + 1]
    return ""


def split_family(family: str) -> tuple[str, str]:
    """(non-dropping particle, family): "van der Meer" -> ("van der", "Meer"),
    "d' Aubignac" -> ("d' ", "Aubignac") (the space kept after an apostrophe)."""
    rest = family
    taken = ""
    while True:
        particle = _next_family_particle(rest)
        if not particle or not is_particle(particle):
            break
        taken += particle
        rest = rest[len(particle):]
    if not taken:
        return "", family
    particle = taken.strip(" ")
    if taken.endswith(" ") and particle[-1:] in JOINERS:
        particle += " "  # "d' Aubignac" keeps its space
    return particle, rest


def split_given(given: str) -> tuple[str, str]:
    """(given, dropping particle): "Givenname von der" -> ("Givenname", "von der")."""
    rest = given
    found: list[str] = []
    while True:
        head, space, word = rest.rpartition(" ")
        if not space or not head.strip(" ") or not word or not is_particle(word):
            break
        found.insert(0, word)
        rest = head.rstrip(" ")
    return rest, " ".join(found)
