"""Which CSL variables hold names and which hold dates, in citeproc-py's spelling
(``_`` for ``-``): shared by item preparation and the note-field reader."""
from __future__ import annotations

from citeproc import DATES, NAMES

# CSL 1.0.2 added variables citeproc-py 0.11.1 does not list; they are rendered all the same
_EXTRA_NAMES = {
    "chair", "compiler", "contributor", "curator", "director", "executive_producer", "guest",
    "host", "narrator", "organizer", "performer", "producer", "reviewed_author", "script_writer",
    "series_creator", "translator", "editorial_director", "container_author",
}
_EXTRA_DATES = {"available_date", "event_date", "original_date", "submitted", "accessed"}
NAME_VARS: frozenset[str] = frozenset(NAMES) | _EXTRA_NAMES
DATE_VARS: frozenset[str] = frozenset(DATES) | _EXTRA_DATES
