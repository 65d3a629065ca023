"""One fast BibTeX scanner with bibtexparser 2's splitting semantics (issue 14).

``scan(text)`` returns a ``bibtexparser.Library`` holding the very blocks
``bibtexparser.splitter.Splitter(text).split()`` gives (same classes, raw
text, start lines, keys, fields, failures), so the reader can use either.
Each block also carries its place in ``text``: ``parser_metadata["start"]``
and ``["end"]`` (character offsets, ``text[start:end] == block.raw``) and
``["end_line"]`` (0-based, counted the way start lines are).

How it works: the splitter walks every "mark" (unescaped ``{ } " , = \\n``,
``)`` in ``(``-blocks, and ``@type`` before ``{``/``(``) one by one. Here
well-formed ``{``-entries are matched field by field with one possessive
regex each (no backtracking); anything that regex does not vouch for -- an
``@type{`` inside a value, ``{"}`` in quotes, deep nesting, an error --
makes the whole block go through a mark-by-mark model of the splitter.
Line numbers come from counting unescaped newlines between offsets (the
splitter does not count a newline after a backslash either).
"""
from __future__ import annotations

import gc
import re
from collections.abc import Callable
from dataclasses import dataclass

import bibtexparser.model as bm
from bibtexparser import Library
from bibtexparser.exceptions import BlockAbortedException

__all__ = ["scan"]

_AT = r"@\w*[ \t]*(?=[{(])"
_BLOCK_START = re.compile(_AT)
# Marks other than newlines (lines are counted separately), per closing delimiter.
_MARKS = {
    "}": re.compile(r'(?<!\\)[{}",=]|' + _AT),
    ")": re.compile(r'(?<!\\)[{}",=)]|' + _AT),
}
_NOT_BLOCK_AT = r"@(?![\w]*[ \t]*[{(])"  # an "@" that is not a mark

# Fast path, "{"-entries only. Key regions hold no mark (and, to stay simple,
# no "@" or backslash at all).
_KEY = r'[^{}",=@\\]*+'
_ENTRY_KEY = re.compile(_KEY + ",")


def _balanced(depth: int) -> str:
    """Inside of a {...} group nested at most ``depth`` levels: braces after a backslash are no marks."""
    inner = r"(?:[^{}@\\]++|\\[{}]?|" + _NOT_BLOCK_AT + ")"
    body = inner + "*+"
    for _ in range(depth - 1):
        body = r"(?:[^{}@\\]++|\\[{}]?|" + _NOT_BLOCK_AT + r"|\{" + body + r"\})*+"
    return body


_GROUP = r"\{" + _balanced(8) + r"\}"
# A quoted string: braces do not count there; a closing quote must not look like {"}.
_QUOTED = r'"(?:[^"@\\]++|\\"?|' + _NOT_BLOCK_AT + r')*+(?:(?<!\{)"|"(?!\}))'
_PLAIN = r'(?:[^{}"@\\,]++|\\[{}",]?|' + _NOT_BLOCK_AT + ")"
_FIELD = re.compile(
    "(" + _KEY + ")=((?:" + _PLAIN + "|" + _GROUP + "|" + _QUOTED + r")*+)([,}])"
)
_FIELD_BODY = _KEY + "=(?:" + _PLAIN + "|" + _GROUP + "|" + _QUOTED + ")*+"
# A whole entry from after its "{": key, fields, an optional trailing comma, "}".
_ENTRY = re.compile("(" + _KEY + ",)(?:" + _FIELD_BODY + ",)*+(?:" + _FIELD_BODY + r"|\s*+)\}")


class _Abort(Exception):
    """The splitter's BlockAbortedException plus where its mark walk stopped."""

    def __init__(self, reason: str, end_index: int, last: int, put_back: int | None) -> None:
        self.reason = reason
        self.end_index = end_index
        self.last = last  # start of the last mark taken
        self.put_back = put_back  # start of a mark handed back to the top level


class _NoFastPath(Exception):
    pass


@dataclass
class _Done:
    block: bm.Block
    end: int  # end of raw (index into the padded text)
    last: int  # start of the last mark taken
    resume: int  # where the top level looks for the next block


class _Scanner:
    def __init__(self, text: str, fast: bool) -> None:
        # Like the splitter: a leading newline so that offset 0 is a line start.
        self.text = "\n" + text
        self.fast = fast
        self._line_pos = 0
        self._line = -1  # the splitter's count: -1 compensates the added newline

    # -- lines -------------------------------------------------------------
    def _newlines(self, a: int, b: int) -> int:
        """Newline marks in text[a:b] (a newline after a backslash is none)."""
        t = self.text
        return t.count("\n", a, b) - t.count("\\\n", max(a - 1, 0), b)

    def line(self, pos: int) -> int:
        """The splitter's current line when it stands on a mark at ``pos``."""
        if pos >= self._line_pos:
            self._line += self._newlines(self._line_pos, pos)
        else:
            self._line -= self._newlines(pos, self._line_pos)
        self._line_pos = pos
        return self._line

    def _at_line_start(self, pos: int) -> bool:
        t = self.text
        nl = t.rfind("\n", 0, pos)
        between = t[nl + 1 : pos]
        return not between or between.isspace()

    # -- top level ---------------------------------------------------------
    def run(self) -> Library:
        t = self.text
        library = Library()
        blocks = library.blocks
        comment_start, comment_line = 0, -1
        pos = 0
        while True:
            m = _BLOCK_START.search(t, pos)
            if m is None:
                break
            self._implicit_comment(comment_start, m.start(), comment_line, library)
            done = self._block(m)
            library.add(done.block, fail_on_duplicate_key=False)
            last_line = self.line(done.last)
            end_line = last_line if done.end - 1 == done.last else self.line(max(done.end - 1, m.start()))
            # blocks[-1], not done.block: the library may have wrapped a repeated key.
            self._place(blocks[-1], m.start(), max(done.end, m.start()), end_line)
            comment_start, comment_line = done.last + 1, last_line
            pos = done.resume
        self._implicit_comment(comment_start, len(t), comment_line, library)
        return library

    def _place(self, block: bm.Block, start: int, end: int, end_line: int) -> None:
        """Offsets into the caller's text (the padding newline taken off)."""
        meta = {"start": start - 1, "end": end - 1, "end_line": end_line}
        block.parser_metadata.update(meta)
        inner = getattr(block, "ignore_error_block", None)
        if inner is not None:
            inner.parser_metadata.update(meta)

    def _implicit_comment(self, start: int, end: int, line: int, library: Library) -> None:
        chunk = self.text[start:end]
        lead = chunk.lstrip()
        raw = lead.rstrip()
        if not raw:
            return
        skipped = len(chunk) - len(lead)
        first_line = line + chunk.count("\n", 0, skipped)
        library.add(bm.ImplicitComment(start_line=first_line, raw=raw, comment=raw), fail_on_duplicate_key=False)
        begin = start + skipped
        self._place(library.blocks[-1], begin, begin + len(raw), first_line + self._newlines(begin, begin + len(raw) - 1))

    def _block(self, m: re.Match) -> _Done:
        t = self.text
        kind = m.group(0).lower()
        start_line = self.line(m.start())
        opening = m.end()
        delim = ")" if t[opening] == "(" else "}"
        try:
            if kind.startswith("@comment"):
                return self._comment(m, delim, start_line)
            if kind.startswith("@preamble"):
                return self._preamble(m, delim, start_line)
            if kind.startswith("@string"):
                return self._string(m, delim, start_line)
            if self.fast and delim == "}":
                try:
                    return self._entry_fast(m, kind, start_line)
                except _NoFastPath:
                    pass
            return self._entry(m, kind, delim, start_line)
        except _Abort as e:
            failed = bm.ParsingFailedBlock(
                start_line=start_line,
                raw=t[m.start() : e.end_index],
                error=BlockAbortedException(abort_reason=e.reason, end_index=e.end_index),
            )
            resume = e.put_back if e.put_back is not None else e.last + 1
            return _Done(failed, e.end_index, e.last, resume)

    # -- the mark-by-mark model ----------------------------------------------
    def _mark(self, pos: int, delim: str) -> re.Match:
        m = _MARKS[delim].search(self.text, pos)
        if m is None:
            end = len(self.text)
            raise _Abort("Unexpectedly reached end of file.", end, end, None)
        return m

    def _to_closing(self, pos: int, delim: str, track_quotes: bool) -> int:
        """Start of the delimiter closing a comment, preamble or string block."""
        depth = 0
        quoted = False
        track_quotes = track_quotes and delim == ")"
        while True:
            m = self._mark(pos, delim)
            pos = m.end()
            c = m.group(0)
            if c == "{":
                depth += 1
            elif c == "}" and depth > 0:
                depth -= 1
            elif depth == 0 and c == '"' and track_quotes:
                quoted = not quoted
            elif depth == 0 and c == delim and not quoted:
                return m.start()
            elif c[0] == "@" and self._at_line_start(m.start()):
                raise _Abort(
                    f"Unexpected block start: `{c}`. Was still looking for closing bracket",
                    m.start() - 1, m.start(), m.start(),
                )

    def _comment(self, m: re.Match, delim: str, line: int) -> _Done:
        t = self.text
        end = self._to_closing(m.end() + 1, delim, track_quotes=False)
        block = bm.ExplicitComment(start_line=line, comment=t[m.end() + 1 : end].strip(), raw=t[m.start() : end + 1])
        return _Done(block, end + 1, end, end + 1)

    def _preamble(self, m: re.Match, delim: str, line: int) -> _Done:
        t = self.text
        end = self._to_closing(m.end() + 1, delim, track_quotes=True)
        block = bm.Preamble(start_line=line, value=t[m.end() + 1 : end], raw=t[m.start() : end + 1])
        return _Done(block, end + 1, end, end + 1)

    def _string(self, m: re.Match, delim: str, line: int) -> _Done:
        t = self.text
        eq = self._mark(m.end() + 1, delim)
        if eq.group(0) != "=":
            raise _Abort(
                f"Expected equals sign after field key, but found {eq.group(0)}", eq.end(), eq.start(), eq.start()
            )
        end = self._to_closing(eq.end(), delim, track_quotes=True)
        block = bm.String(
            start_line=line,
            key=t[m.end() + 1 : eq.start()].strip(),
            value=t[eq.end() : end].strip(),
            raw=t[m.start() : end + 1],
        )
        return _Done(block, end + 1, end, end + 1)

    def _entry(self, m: re.Match, kind: str, delim: str, line: int) -> _Done:
        t = self.text
        first = self._mark(m.end() + 1, delim)
        fields: list[bm.Field] = []
        duplicates: set[str] = set()
        key = t[m.end() + 1 : first.start()].strip()
        if first.group(0) == delim:
            end = first.end()
        elif first.group(0) != ",":
            raise _Abort(
                f"Expected comma after entry key, but found {first.group(0)}", first.end(), first.start(), first.start()
            )
        else:
            end = self._fields(first.end(), delim, fields, duplicates)
        return self._entry_done(m, kind, key, fields, duplicates, line, end)

    def _entry_done(self, m, kind, key, fields, duplicates, line, end) -> _Done:
        entry = bm.Entry(start_line=line, entry_type=kind[1:].strip(), key=key, fields=fields, raw=self.text[m.start() : end])
        block: bm.Block = bm.DuplicateFieldKeyBlock(duplicate_keys=duplicates, entry=entry) if duplicates else entry
        return _Done(block, end, end - 1, end)

    def _fields(self, key_start: int, delim: str, fields: list[bm.Field], duplicates: set[str]) -> int:
        """Read fields from ``key_start`` on; return the end of the entry (after its delimiter)."""
        t = self.text
        seen: set[str] = set()
        while True:
            eq = self._mark(key_start, delim)
            c = eq.group(0)
            if c == delim:
                dangling = t[key_start : eq.start()].strip()
                if dangling:
                    raise _Abort(
                        f"Expected a `=` after entry key `{dangling}`, but found the end of the entry (`{delim}`).",
                        eq.end(), eq.start(), None,
                    )
                return eq.end()
            if c != "=":
                raise _Abort(f"Expected a `=` after entry key, but found `{c}`.", eq.start(), eq.start(), eq.start())
            field_line = self.line(eq.start())
            value_end = self._value_end(eq.end(), delim)
            key = t[key_start : eq.start()].strip()
            if key in seen:
                duplicates.add(key)
            seen.add(key)
            fields.append(bm.Field(start_line=field_line, key=key, value=t[eq.end() : value_end].strip()))
            # The mark ending the value is a "," or the closing delimiter.
            key_start = value_end + 1 if t[value_end] == "," else value_end

    def _value_end(self, pos: int, delim: str) -> int:
        t = self.text
        quoted = False
        depth = 0
        while True:
            m = self._mark(pos, delim)
            pos = m.end()
            c = m.group(0)
            if c == '"' and depth == 0:
                at = m.start()
                if quoted and at + 2 < len(t) and t[at - 1] == "{" and t[at + 1] == "}":
                    continue  # {"} is a quote character inside a quoted value
                quoted = not quoted
            elif c == "{" and not quoted:
                depth += 1
            elif c == "}" and not quoted and depth > 0:
                depth -= 1
            elif (c == "," or c == delim) and not quoted and depth == 0:
                return m.start()
            elif c[0] == "@" and self._at_line_start(m.start()):
                if quoted:
                    wanted = '`"`'
                elif depth > 0:
                    wanted = "`}`"
                else:
                    wanted = f"`,` or `{delim}`"
                raise _Abort(
                    f"Unexpected block start: `{c}`. Was still looking for field-value closing {wanted} ",
                    m.start() - 1, m.start(), m.start(),
                )

    # -- the fast path -------------------------------------------------------
    def _entry_fast(self, m: re.Match, kind: str, line: int) -> _Done:
        """A well-formed ``{``-entry: one regex vouches for all of it; _NoFastPath when unsure."""
        t = self.text
        body = m.end() + 1
        whole = _ENTRY.match(t, body)
        if whole is None:
            raise _NoFastPath
        end = whole.end()
        if t.find("\\\n", m.start(), end) != -1:
            raise _NoFastPath  # newlines that are no marks: let the mark walk count lines
        comma = whole.end(1)
        key = t[body : comma - 1].strip()
        line_now = line + t.count("\n", m.start(), comma)
        fields: list[bm.Field] = []
        add = fields.append
        Field = bm.Field
        names: list[str] = []
        add_name = names.append
        # The whole match fixed the field boundaries; findall cuts the same ones.
        closing = ","
        for name, value, closing in _FIELD.findall(t, comma, end):
            line_now += name.count("\n")
            name = name.strip()
            add_name(name)
            add(Field(name, value.strip(), line_now))
            line_now += value.count("\n")
        if closing == "}":
            # The last value ended on the closing brace: leave the line cursor
            # there, where the top level asks next.
            self._line_pos, self._line = end - 1, line_now
        duplicates: set[str] = set()
        if len(set(names)) != len(names):
            seen: set[str] = set()
            for name in names:
                if name in seen:
                    duplicates.add(name)
                seen.add(name)
        return self._entry_done(m, kind, key, fields, duplicates, line, end)


def scan(text: str) -> Library:
    """Split BibTeX ``text`` into bibtexparser blocks exactly as bibtexparser's splitter does."""
    return _without_gc(_Scanner(text, fast=True).run)


def _without_gc(run: Callable[[], Library]) -> Library:
    """Run with the cyclic collector paused: the blocks hold no cycles, and the
    collector's passes over the growing heap of fresh objects cost about a third
    of the scan of a large file."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return run()
    finally:
        if was_enabled:
            gc.enable()


def _scan_marks_only(text: str) -> Library:
    """The same split with the fast path off: every block walked mark by mark (for tests)."""
    return _Scanner(text, fast=False).run()
