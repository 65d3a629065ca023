"""Training references rendered by bibtools' own CSL formatter, labelled by the variables behind them.

Every element of a style that prints a variable (``<text variable>``, ``<names>``, ``<date>``,
``<number>``, ``<label>`` beside them) is wrapped in a group whose affixes are private-use
markers naming the variable. The rendered string is then cut at the markers: each token takes
the label of the variable its letters came from. Words the style itself writes ("In:", "pp.",
"Available from") join the segment they introduce or close. Used by the training script only.
"""
from __future__ import annotations

import dataclasses
import random
import re
from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from ...model import Date, Item
from .features import tokenize
from .text import normalize

CSL_NS = "http://purl.org/net/xbiblio/csl"
_Q = f"{{{CSL_NS}}}"

# Styles of many families: author-date, numeric, note, humanities, several languages.
STYLES = (
    "apa", "chicago-author-date", "chicago-note-bibliography", "modern-language-association", "ieee",
    "vancouver", "nature", "american-medical-association", "harvard-cite-them-right", "elsevier-harvard",
    "springer-basic-author-date", "acm-sig-proceedings", "american-chemical-society", "american-physics-society",
    "american-sociological-association", "american-political-science-association", "science",
    "cell", "plos", "bmj", "the-lancet", "royal-society-of-chemistry", "taylor-and-francis-chicago-author-date",
    "springer-lecture-notes-in-computer-science", "springer-basic-brackets", "elsevier-with-titles",
    "elsevier-vancouver", "council-of-science-editors", "turabian-fullnote-bibliography", "mhra",
    "oxford-university-press-humsoc", "din-1505-2", "iso690-author-date-en", "iso690-numeric-en",
    "associacao-brasileira-de-normas-tecnicas", "apa-fr-provost", "harvard-anglia-ruskin-university",
    "annual-reviews", "current-biology", "ecology", "pnas", "angewandte-chemie", "sage-harvard",
    "wiley-vch-books", "unified-style-sheet-for-linguistics", "chicago-fullnote-bibliography",
)
LOCALES = (None, None, None, "de-DE", "fr-FR", "es-ES", "pt-BR", "it-IT", "nl-NL")

# CSL variable -> label (the label set of the hand-labelled data).
VARIABLE_LABELS = {
    "author": "author", "editor": "editor", "container-author": "editor", "collection-editor": "editor",
    "translator": "translator", "director": "author", "composer": "author", "interviewer": "author",
    "title": "title", "title-short": "title", "container-title": "container-title",
    "container-title-short": "container-title", "collection-title": "collection-title",
    "event": "container-title", "event-title": "container-title", "issued": "date", "original-date": "date",
    "volume": "volume", "issue": "volume", "number-of-volumes": "volume", "page": "pages", "page-first": "pages",
    "number-of-pages": "note", "publisher": "publisher", "original-publisher": "publisher",
    "publisher-place": "location", "event-place": "location", "original-publisher-place": "location",
    "edition": "edition", "genre": "genre", "medium": "genre", "DOI": "doi", "URL": "url", "ISBN": "isbn",
    "ISSN": "note", "PMID": "note", "PMCID": "note", "note": "note", "accessed": "note", "number": "note",
    "citation-number": "citation-number", "archive": "note", "archive_location": "note", "section": "note",
    "chapter-number": "note", "collection-number": "collection-title", "version": "edition", "status": "note",
    "references": "note", "source": "note", "locator": "note",
}
_JOURNAL_TYPES = {"article-journal", "article-magazine", "article-newspaper", "review", "review-book"}
_LABEL_CODES = sorted({*VARIABLE_LABELS.values(), "journal"})
# Plane-16 private use: bibtools' CSL layer keeps U+E000.. and plane 15 for its own marks.
_OPEN = {label: chr(0x100000 + i) for i, label in enumerate(_LABEL_CODES)}
_CLOSE = "\U0010fffd"
_BY_CODE = {code: label for label, code in _OPEN.items()}
# Words a style writes before a segment ("In:", "pp.", "Vol.", "doi:") or after one ("(Eds.)").
_BEFORE = re.compile(r"^(?:in:?|em:?|en:?|dans:?|im:?|nel:?|pp?\.|vol\.|no\.|nos?\.|s\.|bd\.|doi:?|https?://doi\.org/|available|from:?|at:?|"
                     r"retrieved|accessed|online|url:?|isbn:?|[\[(]?internet[\])]?\.?)$", re.I)
_AFTER = re.compile(r"^\(?(?:eds?|hrsg|dir|coord|trans|edited|editors?|ed\.|éd\.|(?:\d+\w*)?\s*ed)\.?\)?[.,:;]?$", re.I)


def _label_of(variable: str, in_journal: bool) -> str | None:
    for name in variable.split():
        label = VARIABLE_LABELS.get(name)
        if label == "container-title" and in_journal:
            return "journal"
        if label:
            return label
    return None


def marked_style(xml: bytes, *, journal: bool) -> bytes:
    """The style with every variable-printing element wrapped in marker affixes."""
    root = etree.fromstring(xml)
    bibliography = root.find(f"{_Q}bibliography")
    if bibliography is None:
        raise ValueError("style has no bibliography")
    targets = []
    for element in root.iter(f"{_Q}text", f"{_Q}names", f"{_Q}date", f"{_Q}number"):
        variable = element.get("variable")
        if not variable or any(a.tag == f"{_Q}substitute" for a in element.iterancestors()):
            continue
        label = _label_of(variable, journal)
        if label:
            targets.append((element, label))
    for element, label in targets:
        group = etree.Element(f"{_Q}group", prefix=_OPEN[label], suffix=_CLOSE)
        parent = element.getparent()
        parent.replace(element, group)
        group.append(element)
    return etree.tostring(root)


def _labels_from_marked(marked: str) -> tuple[list[str], list[str]] | None:
    """Tokens of the rendered string without markers, and each one's label (None: not usable)."""
    text: list[str] = []
    owner: list[str | None] = []
    stack: list[str] = []
    for c in marked:
        if c == _CLOSE:
            if stack:
                stack.pop()
        elif c in _BY_CODE:
            stack.append(_BY_CODE[c])
        else:
            text.append(c)
            owner.append(stack[0] if stack else None)  # the outermost variable owns nested ones
    plain = "".join(text)
    tokens = tokenize(plain)
    labels: list[str | None] = []
    position = 0
    for token in tokens:
        start = plain.index(token, position)
        position = start + len(token)
        votes = [owner[i] for i in range(start, position) if plain[i].isalnum() and owner[i]]
        # most characters win; a tie goes to the variable the token starts in (a set's order
        # changes from run to run with string hashing: the training data would too)
        labels.append(max(dict.fromkeys(votes), key=votes.count) if votes else None)
    if all(lab is None for lab in labels):
        return None
    for i, token in enumerate(tokens):  # words of the style itself
        if labels[i] is not None:
            continue
        after = next((labels[j] for j in range(i + 1, len(tokens)) if labels[j] is not None), None)
        before = next((labels[j] for j in range(i - 1, -1, -1) if labels[j] is not None), None)
        word = token.lstrip("([«“‘\"")
        if not any(c.isalnum() for c in token):  # a quote or bracket alone: opens the next, closes the last
            labels[i] = after if token[:1] in "([«“‘\"„" and after is not None else before or after
        elif _AFTER.match(word) and before is not None:
            labels[i] = before
        elif _BEFORE.match(word) and after is not None:
            labels[i] = after
        else:
            labels[i] = "note" if token.lower().strip(".:,") in ("available", "retrieved", "accessed") else (before or after)
    return tokens, [lab or "note" for lab in labels]


def _clean(marked: str) -> str:
    """citeproc text output with the markup it leaves, and doubled punctuation the markers kept apart."""
    marked = normalize(marked)
    marked = re.sub("([.,;:])([\U00100000-\U0010fffd]+)\\1", r"\1\2", marked)
    return marked


def label_rendered(marked: str) -> tuple[list[str], list[str]] | None:
    """One entry rendered with a ``marked_style``: its tokens and their labels."""
    return _labels_from_marked(_clean(marked))


def load_records(corpora: Path, per_file: int = 1500) -> list[Item]:
    """Records of the corpora with a title and an author or editor: CSL-JSON, Crossref, BibTeX."""
    from ... import api

    paths = [*sorted((corpora / "csl-json").glob("*.json")), *sorted((corpora / "crossref").glob("*.json")),
             *sorted((corpora / "large").glob("*.bib")), *sorted((corpora / "reference").glob("*.bib"))]
    items: list[Item] = []
    for path in paths:
        if "processor-tests" in path.name:
            continue
        try:
            library = api.load_file(path)
        except Exception:  # a file no reader takes is no training data
            continue
        usable = [i for i in library if i.title and (i.authors or i.fields.get("editor")) and i.year
                  and not any(any(c.isdigit() for c in (n.family or "") + (n.given or "")) for n in i.authors)]
        items.extend(_balanced(usable, per_file))
    return items


def _balanced(items: list[Item], limit: int) -> list[Item]:
    """At most ``limit`` records of one file, each type with an equal share (rare types whole)."""
    if len(items) <= limit:
        return items
    by_type: dict[str, list[Item]] = {}
    for item in items:
        by_type.setdefault(item.type, []).append(item)
    share = max(1, limit // len(by_type))
    out: list[Item] = []
    for group in by_type.values():
        out.extend(group[::max(1, len(group) // share)][:share])
    return out


def _with_fuller_date(item: Item, rng: random.Random) -> Item:
    """Most corpus records give a year only; styles that print "2015 May 28;" need days and months too."""
    issued = item.issued
    if issued is None or not issued.parts or len(issued.parts[0]) != 1 or rng.random() > 0.35:
        return item
    month = rng.randint(1, 12)
    parts = (issued.parts[0][0], month, rng.randint(1, 28)) if rng.random() < 0.6 else (issued.parts[0][0], month)
    return dataclasses.replace(item, fields={**item.fields, "issued": Date(parts=(parts,))})


def _title_key(item: Item) -> str:
    return re.sub(r"\W+", "", (item.title or "").lower())


def rendered_sequences(corpora: Path, count: int, rng: random.Random, *,
                       exclude_titles: Iterable[str] = ()) -> tuple[list[tuple[list[str], list[str]]], dict[str, str]]:
    """``count`` labelled references and the inputs they were made from."""
    from ...csl.api import StyleError, format_bibliography
    from ...csl.styles import resolve_style

    excluded = set(exclude_titles)
    records = [r for r in load_records(corpora) if _title_key(r) not in excluded]
    rng.shuffle(records)
    by_title: dict[str, Item] = {}
    for record in records:  # one version of each work
        by_title.setdefault(_title_key(record), record)
    records = list(by_title.values())
    styles = []
    for name in STYLES:
        try:
            resolved = resolve_style(name)
        except Exception:
            continue
        styles.append((name, Path(resolved.path).read_bytes(), resolved.locale))
    out: list[tuple[list[str], list[str]]] = []
    per_batch = 20
    batch_index = 0
    while len(out) < count and styles:
        name, xml, style_locale = styles[batch_index % len(styles)]
        start = (batch_index * per_batch) % max(1, len(records))
        batch = records[start:start + per_batch]
        batch_index += 1
        locale = rng.choice(LOCALES) or style_locale
        batch = [_with_fuller_date(r, rng) for r in batch]
        for journal in (True, False):
            chosen = [r for r in batch if (r.type in _JOURNAL_TYPES) is journal]
            if not chosen:
                continue
            try:
                entries = format_bibliography(chosen, marked_style(xml, journal=journal), locale=locale)
            except (StyleError, ValueError):
                continue
            except Exception:  # a style the engine cannot render in this locale: skip it
                continue
            for entry in entries:
                labelled = label_rendered(entry.text)
                if labelled and len(labelled[0]) >= 4:
                    out.append(labelled)
        if batch_index > 20 * len(styles) + count:
            break
    used = {"synthetic/records": str(len(records)), "synthetic/styles": ",".join(n for n, _, _ in styles)}
    return out[:count], used
