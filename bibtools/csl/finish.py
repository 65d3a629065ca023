"""Output finishing: typographic rules applied to a rendered citation or entry."""
from __future__ import annotations

import re
from typing import Any

_TAGS = r"(?:</?[a-z][^>]*>)*"
# quotes the style adds (quotes="true") are marked while rendering, so finishing
# moves punctuation only into those, never into quotes typed in the data
QUOTE_OPEN = "\ue000"
QUOTE_CLOSE = "\ue001"


class Finisher:
    """What the style's locale says about punctuation next to quotes."""

    def __init__(self, root: Any) -> None:
        option = root.get_locale_option("punctuation-in-quote") or "false"
        self.punctuation_in_quote = str(option).lower() == "true"
        closes = {str(root.get_single_term("close-quote")), str(root.get_single_term("close-inner-quote"))}
        closes.discard("")
        self._close = "".join(re.escape(c) for c in closes)
        if self._close:
            # a period or comma after a closing quote moves inside it ("word”," -> "word,”")
            self._move_in = re.compile(rf"((?:[{self._close}]{QUOTE_CLOSE})+)({_TAGS})([.,])")
            # ... and is dropped when the quoted text already ends with punctuation
            self._doubled = re.compile(rf"([.!?])([.,])((?:[{self._close}]{QUOTE_CLOSE}{_TAGS})+)")

    def __call__(self, text: str) -> str:
        if self.punctuation_in_quote and self._close and text:
            text = self._move_in.sub(lambda m: m.group(3) + m.group(1) + m.group(2), text)
            text = self._doubled.sub(r"\1\3", text)
        return text.replace(QUOTE_OPEN, "").replace(QUOTE_CLOSE, "")
