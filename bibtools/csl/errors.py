"""The formatting API's errors, in a module of their own so both engines can raise them."""
from __future__ import annotations


class StyleError(ValueError):
    """A style that cannot be found or loaded; the message is one line."""
