"""Variables that must not print twice: what ``cs:substitute`` used is suppressed
for the rest of the entry (CSL "substitution"). State lives in the layout's
per-entry ``repressed`` dict, which the layout resets for every cite and entry.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .cptypes import Element

_SUPPRESSED = "_suppressed_variables"
_RECORDING = "_recording_variables"


def _state(element: Element) -> dict[str, Any] | None:
    layout = element.__dict__.get("_layout", False)
    if layout is False:
        try:
            found = element.xpath_search("./ancestor-or-self::cs:layout[1]")
        except Exception:
            found = []
        layout = found[0] if found else None
        element.__dict__["_layout"] = layout
    if layout is None:
        return None
    repressed = layout.__dict__.get("repressed")
    if repressed is None:
        repressed = layout.__dict__["repressed"] = {}
    return repressed


def is_suppressed(element: Element, variable: str | None) -> bool:
    state = _state(element)
    return bool(variable and state and variable in state.get(_SUPPRESSED, ()))


def record(element: Element, variable: str | None) -> None:
    state = _state(element)
    if variable and state is not None and _RECORDING in state:
        for recording in state[_RECORDING]:
            recording.add(variable)


def record_printed(element: Element, variable: str | None) -> None:
    """A names variable printed: inside a substitute it is suppressed at once, so the
    substituting macro does not print it a second time (citeproc-js)."""
    record(element, variable)
    state = _state(element)
    if variable and state is not None and state.get(_RECORDING):
        state.setdefault(_SUPPRESSED, set()).add(variable)


def recording(element: Element) -> bool:
    """Whether a cs:substitute is noting the variables its child calls."""
    state = _state(element)
    return bool(state and state.get(_RECORDING))


def start_recording(element: Element) -> set[str]:
    recording: set[str] = set()
    state = _state(element)
    if state is not None:
        state.setdefault(_RECORDING, []).append(recording)
    return recording


def stop_recording(element: Element, recording: set[str]) -> set[str]:
    state = _state(element)
    if state is not None and recording in state.get(_RECORDING, []):
        state[_RECORDING].remove(recording)
    return recording


def suppress(element: Element, variables: set[str]) -> None:
    state = _state(element)
    if state is not None:
        state.setdefault(_SUPPRESSED, set()).update(variables)


def snapshot(element: Element) -> set[str]:
    state = _state(element)
    return set(state.get(_SUPPRESSED, ())) if state is not None else set()


def restore(element: Element, suppressed: set[str]) -> None:
    state = _state(element)
    if state is not None:
        state[_SUPPRESSED] = set(suppressed)
