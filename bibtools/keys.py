"""Citation keys from patterns, in the spirit of Better BibTeX and JabRef.

A pattern is literal text plus fields in brackets, each with optional
modifiers: ``[auth:lower][year][shorttitle:1]`` (the default) gives
``lecun2015Deep``.

Fields
    ``[auth]`` first author's family name (with its particle: ``vandeMeent``);
    ``[authEtAl]`` ``Smith``, ``SmithAndJones``, or ``SmithEtAl``;
    ``[authors]`` every author's family name; ``[authorsN]`` the first N,
    then ``EtAl`` if there are more; ``[authorsAlpha]`` BibTeX ``alpha``
    style (``Knu``, ``KLM``, ``KLM+``); ``[year]``; ``[title]`` every
    significant title word; ``[shorttitle]`` / ``[shorttitle:N]`` the first
    3 / N significant words; ``[veryshorttitle]`` the first one;
    ``[journal]`` the journal's short title, or its title; ``[firstpage]``,
    ``[lastpage]``, ``[volume]``.
Modifiers
    ``:lower``, ``:upper``, ``:abbr`` (first letter of each word), and a
    number (``:2``) for the title fields.

Title words skip function words ("a", "the", "of", "und", "le"...) and are
capitalised, so several words stay readable (``DeepResidualLearning``).

Choices (documented, tested):
- Everything becomes ASCII with ``anyascii``, whatever the script (Cyrillic
  ``Иванов`` -> ``Ivanov``, Greek, CJK ``张`` -> ``Zhang``). German umlauts
  become ``ae``/``oe``/``ue`` only when the item says it is German
  (``language`` de/ger/german, or BibLaTeX ``langid``); otherwise ``ü`` is
  ``u``, which is right for Turkish, Hungarian, Spanish... names.
- Missing parts degrade to something readable, never to a bare number: no
  author -> editor, then any other name, then ``anon``; no title -> the first
  significant words of the abstract (skipping "we", "paper", "propose"...);
  no year -> nothing (``baydinAutomatic``).
- Collisions get ``a``, ``b``, ... ``z``, ``aa``... in input order; keys that
  already exist never change unless ``rekey=True``.
- Nothing depends on hash seeds, locale or dict order of anything but the
  input, so the same input gives the same keys on every machine.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .diagnostics import Diagnostic, info, warning
from .model import Date, Item, Library, Name
from .registry import lookup

DEFAULT_PATTERN = "[auth:lower][year][shorttitle:1]"

FUNCTION_WORDS: frozenset[str] = frozenset(
    """a about above across after against along among an and around as at before behind
    below beneath beside between beyond but by down during for from in inside into like
    near nor of off on onto or out over past since so than that the through to toward
    towards under until up upon via vs versus with within without yet is are be its
    der die das den dem des ein eine einer und oder mit von zu zur zum im am auf aus bei
    le la les un une des du de et en au aux el los las del il lo gli di da""".split()
)
# Extra words skipped when the abstract stands in for a missing title.
ABSTRACT_FILLER: frozenset[str] = frozenset(
    """we our us this these here paper article study work present presents propose proposes
    show shows introduce introduces describe describes report reports novel new approach
    method in recent years it has been""".split()
)
_GERMAN = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
_GERMAN_LANGS = {"de", "ger", "deu", "german", "deutsch", "ngerman", "austrian", "naustrian", "swissgerman", "nswissgerman"}
_CJK = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")  # Han: one word per character
_MARKUP = re.compile(r"<[^>]*>")
_KEY_CHARS = re.compile(r"[^A-Za-z0-9_\-:.+/]")
_REFERENCE_FIELDS = ("crossref", "xref", "xdata", "related", "entryset", "set")


class KeyPatternError(ValueError):
    """A pattern names an unknown field or modifier."""


@dataclass(frozen=True)
class _Field:
    name: str
    count: int | None
    modifiers: tuple[str, ...]


# -- text to ASCII words -----------------------------------------------------------


def is_german(item: Item) -> bool:
    langs = [item.fields.get("language"), item.extra.get("langid"), item.extra.get("language")]
    for lang in langs:
        if isinstance(lang, str) and lang.strip():
            code = lang.strip().lower().replace("_", "-")
            if code in _GERMAN_LANGS or code.split("-")[0] in ("de", "ger", "deu"):
                return True
    return False


def to_ascii(text: str, *, german: bool = False, split_cjk: bool = False) -> str:
    """``text`` (CSL rich text) as plain ASCII, the same on every machine."""
    text = _MARKUP.sub("", text)
    text = re.sub(r"\\[A-Za-z]+", " ", text).replace("$", "")  # TeX commands in math
    if german:
        text = "".join(_GERMAN.get(ch, ch) for ch in text)
    text = re.sub("[οΟ][υΥ]", lambda mt: "Ou" if mt.group(0)[0] == "Ο" else "ou", text)  # Greek "ou"
    if split_cjk:
        text = _CJK.sub(r" \1 ", text)
    from anyascii import anyascii  # 10 ms to import: only commands that make keys pay it

    return anyascii(text)


def words(text: str, *, german: bool = False, split_cjk: bool = False) -> list[str]:
    plain = re.sub(r"['\u2019`]", "", to_ascii(text, german=german, split_cjk=split_cjk))
    return re.findall(r"[A-Za-z0-9]+", plain)


def _capital(word: str) -> str:
    return word[:1].upper() + word[1:]


# -- field values ----------------------------------------------------------------


def _creators(item: Item) -> list[Name]:
    for var in ("author", "editor"):
        names = item.fields.get(var)
        if isinstance(names, list) and names:
            return names
    for var in sorted(item.fields):  # any other names, in a fixed order
        names = item.fields[var]
        if isinstance(names, list) and names and all(isinstance(n, Name) for n in names):
            return names
    return []


def _unshout(text: str) -> str:
    """ALL-CAPS text (a database habit) in lower case, so capitalising reads well."""
    return text.lower() if not re.search(r"[a-z]", text) and re.search(r"[A-Z]{2}", text) else text


def _family_words(name: Name, german: bool) -> list[str]:
    if name.literal is not None:
        return [_capital(w) for w in words(_unshout(name.literal), german=german)]
    family = name.full_family or name.given or ""
    found = words(family, german=german)
    return [_capital(w.lower()) if w.isupper() and len(w) > 1 else w for w in found]


def _families(item: Item) -> list[list[str]]:
    german = is_german(item)
    return [w for w in (_family_words(n, german) for n in _creators(item)) if w]


def _significant(text: str, item: Item, skip: frozenset[str] = FUNCTION_WORDS) -> list[str]:
    found = words(_unshout(text), german=is_german(item), split_cjk=True)
    return [_capital(w) for w in found if w.lower() not in skip]


def _title_words(item: Item) -> list[str]:
    for var in ("title", "title-short"):
        value = item.fields.get(var)
        if isinstance(value, str) and value.strip():
            found = _significant(value, item)
            if found:
                return found
    abstract = item.fields.get("abstract")
    if isinstance(abstract, str):
        return _significant(abstract, item, FUNCTION_WORDS | ABSTRACT_FILLER)
    return []


def _year(item: Item) -> list[str]:
    issued = item.fields.get("issued")
    if isinstance(issued, Date):
        if issued.year is not None:
            return [str(issued.year)]
        found = re.search(r"\b(\d{4})\b", issued.literal or issued.raw or "")
        if found:
            return [found.group(1)]
    return []


def _pages(item: Item) -> list[str]:
    page = item.fields.get("page")
    if not isinstance(page, str):
        return []
    return [p for p in (re.sub(r"[^A-Za-z0-9]", "", part) for part in re.split(r"[-\u2010-\u2015,]+", page)) if p]


def _authors_alpha(item: Item) -> list[str]:
    families = ["".join(f) for f in _families(item)]
    if not families:
        return []
    if len(families) == 1:
        return [families[0][:3]]
    if len(families) <= 4:
        return ["".join(f[:1] for f in families)]
    return ["".join(f[:1] for f in families[:3]) + "+"]


def _auth_et_al(item: Item) -> list[str]:
    families = ["".join(f) for f in _families(item)]
    if len(families) > 2:
        return [families[0], "EtAl"]
    if len(families) == 2:
        return [families[0], "And", families[1]]
    return families[:1]


def _authors(limit: int | None) -> Callable[[Item], list[str]]:
    def resolve(item: Item) -> list[str]:
        families = ["".join(f) for f in _families(item)]
        if limit is not None and len(families) > limit:
            return families[:limit] + ["EtAl"]
        return families

    return resolve


def _journal(item: Item) -> list[str]:
    for var in ("container-title-short", "container-title"):
        value = item.fields.get(var)
        if isinstance(value, str) and value.strip():
            return _significant(value, item)
    return []


def _auth(item: Item) -> list[str]:
    families = _families(item)
    return families[0] if families else ["anon"]


_SIMPLE: dict[str, Callable[[Item], list[str]]] = {
    "auth": _auth,
    "authetal": _auth_et_al,
    "authors": _authors(None),
    "authorsalpha": _authors_alpha,
    "year": _year,
    "journal": _journal,
    "firstpage": lambda item: _pages(item)[:1],
    "lastpage": lambda item: _pages(item)[-1:],
    "volume": lambda item: re.findall(r"[A-Za-z0-9]+", str(item.fields.get("volume", ""))),
}
_TITLES = {"title": None, "shorttitle": 3, "veryshorttitle": 1}
_MODIFIERS = ("lower", "upper", "abbr")


# -- patterns ----------------------------------------------------------------------


def parse_pattern(pattern: str) -> list[str | _Field]:
    """Split a pattern into literal text and fields; unknown names raise ``KeyPatternError``."""
    parts: list[str | _Field] = []
    position = 0
    for found in re.finditer(r"\[([^\[\]]*)\]", pattern):
        if found.start() > position:
            parts.append(pattern[position : found.start()])
        position = found.end()
        name, *mods = [p.strip() for p in found.group(1).split(":")]
        key = name.lower()
        count: int | None = None
        authors_n = re.fullmatch(r"authors(\d+)", key)
        if key not in _SIMPLE and key not in _TITLES and not authors_n:
            raise KeyPatternError(f"unknown key field [{name}] in pattern {pattern!r}")
        modifiers: list[str] = []
        for mod in mods:
            if mod.isdigit() and key in _TITLES:
                count = int(mod)
            elif mod.lower() in _MODIFIERS:
                modifiers.append(mod.lower())
            else:
                raise KeyPatternError(f"unknown modifier :{mod} on [{name}] in pattern {pattern!r}")
        if authors_n:
            key, count = "authors", int(authors_n.group(1))
        parts.append(_Field(key, count, tuple(modifiers)))
    if position < len(pattern):
        parts.append(pattern[position:])
    if not any(isinstance(p, _Field) for p in parts):
        raise KeyPatternError(f"pattern {pattern!r} has no [field]")
    return parts


def _render_field(item: Item, fld: _Field) -> str:
    if fld.name in _TITLES:
        found = _title_words(item)
        limit = fld.count if fld.count is not None else _TITLES[fld.name]
        values = found[:limit] if limit is not None else found
    elif fld.name == "authors":
        values = _authors(fld.count)(item)
    else:
        values = _SIMPLE[fld.name](item)
    for mod in fld.modifiers:
        if mod == "abbr":
            values = ["".join(v[:1] for v in values)]
        elif mod == "lower":
            values = [v.lower() for v in values]
        elif mod == "upper":
            values = [v.upper() for v in values]
    return "".join(values)


def generate_key(item: Item, pattern: str = DEFAULT_PATTERN) -> str:
    """The key ``pattern`` gives ``item`` (before collisions are resolved)."""
    rendered = "".join(p if isinstance(p, str) else _render_field(item, p) for p in parse_pattern(pattern))
    key = _KEY_CHARS.sub("", rendered)
    return key if re.search(r"[A-Za-z0-9]", key) else "anon"


def _suffix(index: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa, ..."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def unique_key(stem: str, taken: set[str] | frozenset[str]) -> str:
    """``stem``, or ``stem`` + a, b, ... z, aa, ... : the first one not in ``taken``."""
    key, attempt = stem, 0
    while key in taken:
        key = stem + _suffix(attempt)
        attempt += 1
    return key


def assign_keys(library: Library, pattern: str = DEFAULT_PATTERN, rekey: bool = False) -> dict[str, str]:
    """Give keys to the items without one (every item with ``rekey``), in input order.

    Returns ``{old key: new key}`` for items whose existing key changed (only
    with ``rekey``; for repeated old keys, the first item's new key).
    References to renamed keys in ``crossref``/``xref``/``xdata``/``related``
    fields (kept in ``extra``) follow the rename.
    """
    parse_pattern(pattern)  # fail before touching anything
    taken: set[str] = set() if rekey else {item.id for item in library.items if item.id}
    renamed: dict[str, str] = {}
    for item in library.items:
        if item.id and not rekey:
            continue
        key = unique_key(generate_key(item, pattern), taken)
        taken.add(key)
        if item.id and item.id != key:
            renamed.setdefault(item.id, key)
        item.id = key
    if renamed:
        _follow_renames(library.items, renamed)
    library._index = None
    return renamed


def _follow_renames(items: Iterable[Item], renamed: dict[str, str]) -> None:
    for item in items:
        for name, value in list(item.extra.items()):
            if name.lower() in _REFERENCE_FIELDS and isinstance(value, str):
                keys = [k.strip() for k in value.split(",")]
                item.extra[name] = ",".join(renamed.get(k, k) for k in keys)


# -- keys as BibTeX takes them -----------------------------------------------------

# What may not appear in a .bib entry key (checked against BibTeX 0.99d, biber 2.19 and
# bibtexparser 2, tests/test_key_validity.py): white space and "," end the key (BibTeX
# stops there); "=", "{", "}", '"', "#", "%", "(" and ")" are syntax errors to biber, and
# "=", "{", '"' cost the entry in bibtexparser and in bibtools' own reader; "\\" and "'"
# make biber cut the key short; "~" (active), "%" (a comment), "#" and "\\" break \\cite
# in LaTeX. Control characters are never part of a key.
_BIBTEX_KEY_BAD = re.compile(r"""[\s,={}()"#%'\\~\x00-\x1f\x7f]+""")
# The subset that no .bib reader takes back: a key read from a .bib cannot hold them.
_UNREADABLE = re.compile(r"""[\s,={}"\x00-\x1f\x7f]""")


def is_bibtex_key(key: str) -> bool:
    """Whether ``key`` can be written as a .bib entry key and read back unchanged."""
    return bool(key) and _BIBTEX_KEY_BAD.search(key) is None


def bibtex_key(key: str) -> str:
    """``key`` as a valid .bib entry key: each run of characters BibTeX or biber reject
    or mis-read becomes one ``_`` (``"Smith 2020"`` -> ``Smith_2020``); empty -> ``item``."""
    if is_bibtex_key(key):
        return key
    return _BIBTEX_KEY_BAD.sub("_", key).strip("_") or "item"


def written_key(item: Item) -> tuple[str, str | None]:
    """The key a .bib write uses for ``item`` and, when it is not the item's own, why not.

    A key read from a .bib is the user's: ``\\cite`` commands in their documents use it, so it
    is written as it was read and only a warning names the tool that will stumble on it
    (biber cuts ``Dobrovol'skii`` at the ``'``; BibTeX takes it). Keys from other sources
    (CSL-JSON ids, RIS ``ID``) are made valid by ``bibtex_key``."""
    key = item.id
    if _user_keyed(item) and key and not _UNREADABLE.search(key):
        if is_bibtex_key(key):
            return key, None
        return key, (f"the key {key!r} holds characters biber or LaTeX's \\cite may reject "
                     f"({''.join(dict.fromkeys(_BIBTEX_KEY_BAD.findall(key)))}); kept as written")
    safe = bibtex_key(key)
    return safe, (None if safe == key else f"the key {key!r} is not a valid BibTeX key; written as {safe!r}")


def _user_keyed(item: Item) -> bool:
    """Whether the item's key was written by the user in its file (``Format.user_keys``)."""
    if item.origin is None:
        return False
    found = lookup(item.origin.format)
    return found is not None and found.user_keys


def resolve_repeated_keys(library: Library) -> list[Diagnostic]:
    """Give every repeat of a key (a second ``smith2020``) a unique key; one warning per repeat.

    The first item keeps its key; a repeat gets ``unique_key``'s next free
    suffix, clear of every key in the library, so no other item's key changes.
    Better BibTeX CSL-JSON exports repeat ids; two entries with one key would
    leave BibTeX and biber only one of them. A key written in a .bib is the
    user's own and is kept as written (the BibTeX reader and ``lint`` BT002
    report the repeat); ids from every other source are made unique.
    """
    taken = {item.id for item in library.items if item.id}
    if len(taken) == sum(1 for item in library.items if item.id):
        return []
    first: dict[str, Item] = {}
    for item in library.items:  # keys from a .bib are claimed first: they never move
        if item.id and _user_keyed(item):
            first.setdefault(item.id, item)
    problems: list[Diagnostic] = []
    for item in library.items:
        if not item.id or _user_keyed(item):
            continue
        earlier = first.get(item.id)
        if earlier is None:
            first[item.id] = item
            continue
        new = unique_key(item.id, taken)
        taken.add(new)
        origin, before = item.origin, earlier.origin
        where = f" (line {before.line})" if before and before.line and before.source == (origin.source if origin else None) else ""
        problems.append(warning(
            "keys.repeated", f"key {item.id!r} is already used by another entry{where}; this one is keyed {new!r}",
            source=origin.source if origin else None, line=origin.line if origin else None, key=new))
        item.id = new
    library._index = None
    library.diagnostics.extend(problems)
    return problems


def assign_missing_keys(library: Library) -> None:
    """Pass: name every item whose key is empty (RIS records, CSL-JSON items without id...)."""
    missing = sum(1 for item in library.items if not item.id)
    if not missing:
        return
    assign_keys(library, DEFAULT_PATTERN, rekey=False)
    library.diagnostics.append(
        info("keys.generated", f"{missing} item(s) had no citation key; generated with {DEFAULT_PATTERN}")
    )


__all__ = ["DEFAULT_PATTERN", "KeyPatternError", "assign_keys", "assign_missing_keys", "generate_key", "parse_pattern",
           "resolve_repeated_keys", "unique_key", "bibtex_key", "is_bibtex_key", "written_key"]
