"""An independent count of ``@`` blocks, for checking the BibTeX reader accounts for all of them.

BibTeX scans text outside entries for ``@``; an ``@`` followed (after optional
white space) by an identifier and ``{`` or ``(`` starts a block, which ends at
the matching delimiter (braces nest; in ``(...)`` blocks a ``)`` inside a
quoted string does not count). One rule goes beyond BibTeX, as every
recovering parser does: a line that starts with ``@type{`` while a block is
still open ends that (broken) block and starts a new one.
"""
from __future__ import annotations

import re

_START = re.compile(r"@[ \t]*([^\s\"#%'(),={}@]+)[ \t]*([{(])")
_LINE_START = re.compile(r"\n[ \t]*(?=@[ \t]*[^\s\"#%'(),={}@]+[ \t]*[{(])")


_DELIMS = re.compile(r'[{}()"]')


def at_blocks(text: str) -> list[tuple[int, str]]:
    """(1-based line, lower-case block type) of every ``@`` block, in order."""
    blocks: list[tuple[int, str]] = []
    pos, n = 0, len(text)
    line, line_pos = 1, 0
    while True:
        m = _START.search(text, pos)
        if m is None:
            return blocks
        line += text.count("\n", line_pos, m.start())
        line_pos = m.start()
        blocks.append((line, m.group(1).lower()))
        closer = "}" if m.group(2) == "{" else ")"
        depth, in_quote = 0, False
        next_line_block = _LINE_START.search(text, m.end())
        limit = next_line_block.start() if next_line_block else n
        end = limit
        for d in _DELIMS.finditer(text, m.end(), limit):
            c = d.group()
            if c == "{":
                depth += 1
            elif c == "}":
                if depth == 0 and closer == "}":
                    end = d.start() + 1
                    break
                depth = max(0, depth - 1)
            elif c == '"' and depth == 0 and closer == ")":
                in_quote = not in_quote
            elif c == ")" and closer == ")" and depth == 0 and not in_quote:
                end = d.start() + 1
                break
        pos = end
