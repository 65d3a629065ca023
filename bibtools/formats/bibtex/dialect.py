"""The ``Format`` of one .bib dialect: BibTeX and BibLaTeX share the reader, the editor, the
streaming and lint's raw view, and differ in name, sniffing and the writer's dialect."""
from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, Callable

from ...model import Library
from ...registry import Format
from .reader import read as read_bib
from .streaming import BibBatchReader, BibItemWriter
from .writer import WRITE_OPTIONS, write_bibtex

if TYPE_CHECKING:
    from ...lint.core import Unit
    from ...merge import MergeResult


def _edit(text: str, base: Library, result: MergeResult, *, format: str, **options: object) -> str:
    from .editor import apply_merge  # imported when a file is edited, not by every read

    return apply_merge(text, base, result, format=format, **options)


def _raw_records(text: str, file: str | None, strings: dict[str, str] | None = None) -> tuple[Unit, dict[str, Any]]:
    from .lintview import lint_records  # pulls in lint's rule engine: only lint asks for it

    return lint_records(text, file, strings)


def dialect_format(name: str, description: str, *, suffixes: tuple[str, ...], sniff: Callable[[str], float],
                   options: dict[str, str], aliases: tuple[str, ...] = ()) -> Format:
    def read(text: str, *, source: str | None = None, **read_options: Any) -> Library:
        read_options.pop("format_name", None)
        return read_bib(text, source=source, format_name=name, **read_options)

    def write(library: Library, **write_options: Any) -> str:
        write_options.pop("dialect", None)
        return write_bibtex(library, dialect=name, **write_options)

    return Format(
        name=name,
        description=description,
        suffixes=suffixes,
        sniff=sniff,
        read=read,
        write=write,
        aliases=aliases,
        options={**options, **WRITE_OPTIONS},
        edit=partial(_edit, format=name),
        iter_read=partial(BibBatchReader, dialect=name),
        item_writer=partial(BibItemWriter, write),
        raw_records=_raw_records,
        tex_text=True,
        user_keys=True,
        writes_as_read=True,
    )
