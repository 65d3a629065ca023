"""What an entry lacks that its style asked for: a title, a date, a container title.

While a bibliography entry renders, every element that calls one of these variables on
the branches the style takes, for an item without a value, is noted; the engine reports
the entry (``csl.incomplete``) instead of printing ``Y. Bengio et al., .`` silently. A
variable the style only tests (``<if variable="issued">``, then "n.d.") is not asked for.
"""
from __future__ import annotations

from typing import Any

# CSL variable -> how a message names it
ESSENTIAL: dict[str, str] = {"title": "title", "issued": "date", "container-title": "container title"}
# types whose reference names the work they are part of (journal, book, proceedings...)
CONTAINED_TYPES: frozenset[str] = frozenset(
    """article-journal article-magazine article-newspaper chapter paper-conference entry-dictionary
    entry-encyclopedia review review-book""".split()
)
_KEY = "_missing_variables"


def start(item: Any) -> None:
    dict.__setitem__(item, _KEY, [])


def stop(item: Any) -> list[str]:
    """The variables noted since ``start``, as message words, in the order first asked for."""
    noted = dict.pop(item, _KEY, None) or []
    return [ESSENTIAL[v] for v in dict.fromkeys(noted)]


def active(item: Any) -> bool:
    """Whether an entry is being checked (between ``start`` and ``stop``)."""
    return dict.get(item, _KEY) is not None


def note_called(item: Any, variable: str | None) -> None:
    """``variable`` was called and printed nothing: noted if the item has no value for it."""
    noted = dict.get(item, _KEY)
    if noted is None or variable not in ESSENTIAL:
        return
    if variable == "container-title" and str(item.reference.type) not in CONTAINED_TYPES:
        return
    value = item.reference.get(variable.replace("-", "_"))
    if value is None or str(value).strip() == "":
        noted.append(variable)


def message(missing: list[str]) -> str:
    what = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
    return f"incomplete entry: no {what}, which the style prints"
