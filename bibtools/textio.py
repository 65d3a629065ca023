"""Bytes in, text out (encoding detection) and atomic writes.

Real bibliographies arrive as UTF-8 with or without BOM, UTF-16 with or
without BOM, and Windows-1252/Latin-1 (often declared in a JabRef
``% Encoding:`` header). Detection never fails: the last resort, cp1252 with
Latin-1 for its five undefined bytes, decodes any byte string.
"""
from __future__ import annotations

import codecs
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO
from pathlib import Path

from .diagnostics import Diagnostic, info, warning

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DECLARED = re.compile(rb"^%\s*Encoding:\s*([A-Za-z0-9_.:-]+)", re.MULTILINE)
# Emacs' file-variable line, as biber's test files carry: "% -*- coding: latin-2-unix -*-"
_EMACS = re.compile(rb"-\*-.*?coding:\s*([A-Za-z0-9_.-]+)")


def _codec_name(declared: str) -> str:
    """Emacs/JabRef spellings to Python codec names ("latin-2-unix" -> "latin2")."""
    name = re.sub(r"-(unix|dos|mac)$", "", declared.strip().lower())
    return re.sub(r"^latin-(\d+)$", r"latin\1", name)


@dataclass
class Decoded:
    text: str
    encoding: str
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text of mostly ASCII has a NUL in every other byte."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) / 2
    if odd_nuls > 0.3 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.3 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def _cp1252_or_latin1(data: bytes) -> str:
    """cp1252, except the five bytes it leaves undefined, read as Latin-1."""
    return data.decode("cp1252", errors="latin_1_fallback")


def _latin1_fallback(err: UnicodeDecodeError) -> tuple[str, int]:
    chunk = err.object[err.start : err.end]
    return bytes(chunk).decode("latin-1"), err.end


codecs.register_error("latin_1_fallback", _latin1_fallback)


def decode(data: bytes, encoding: str | None = None, source: str | None = None) -> Decoded:
    """Decode ``data``; ``encoding`` forces one, otherwise it is detected."""
    if encoding:
        try:
            return Decoded(data.decode(encoding), encoding)
        except LookupError:
            raise ValueError(f"unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as exc:
            text = data.decode(encoding, errors="replace")
            line = data[: exc.start].count(b"\n") + 1
            return Decoded(
                text,
                encoding,
                [warning("encoding.invalid", f"bytes that are not valid {encoding} were replaced by U+FFFD", source=source, line=line)],
            )
    for bom, name in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            try:
                return Decoded(body.decode(name), name)
            except UnicodeDecodeError:
                return Decoded(
                    body.decode(name, errors="replace"),
                    name,
                    [warning("encoding.invalid", f"file starts with a {name} byte-order mark but has invalid bytes; they were replaced", source=source)],
                )
    guessed = _utf16_without_bom(data)
    if guessed:
        try:
            return Decoded(data.decode(guessed), guessed, [info("encoding.detected", f"read as {guessed} (no byte-order mark)", source=source)])
        except UnicodeDecodeError:
            pass
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        first_bad_line = data[: exc.start].count(b"\n") + 1
    declared = _DECLARED.search(data[:2048]) or _EMACS.search(data[: data.find(b"\n", data.find(b"\n") + 1) + 1 or 2048])
    if declared:
        name = _codec_name(declared.group(1).decode("ascii", "replace"))
        try:
            return Decoded(data.decode(name), name, [info("encoding.declared", f"read as {name}, as the file's own encoding declaration says", source=source)])
        except (LookupError, UnicodeDecodeError):
            pass
    return Decoded(
        _cp1252_or_latin1(data),
        "cp1252",
        [
            info(
                "encoding.detected",
                f"not valid UTF-8 (first bad byte on line {first_bad_line}); read as Windows-1252/Latin-1",
                source=source,
                line=first_bad_line,
            )
        ],
    )


def read_text(path: str | os.PathLike[str], encoding: str | None = None) -> Decoded:
    data = Path(path).read_bytes()
    return decode(data, encoding, source=str(path))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process, or a platform that cannot tell: leave its file alone
    return True


def clean_stale_temps(path: str | os.PathLike[str]) -> list[Path]:
    """Remove temporary files an interrupted ``atomic_write`` of ``path`` left behind.

    Temp names carry the writing process's id (``.NAME.PID.XXXX.tmp``); only
    files whose process is gone are removed, so a concurrent writer is safe.
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    pattern = re.compile(r"^\." + re.escape(target.name) + r"\.(\d+)\.[^/]*\.tmp$")
    removed: list[Path] = []
    try:
        candidates = list(directory.iterdir())
    except OSError:
        return removed
    for candidate in candidates:
        m = pattern.match(candidate.name)
        if m and int(m.group(1)) != os.getpid() and not _pid_alive(int(m.group(1))):
            try:
                candidate.unlink()
                removed.append(candidate)
            except OSError:
                pass
    return removed


def atomic_write(path: str | os.PathLike[str], text: str, *, encoding: str = "utf-8", backup: bool = False) -> None:
    """Write ``text`` to ``path`` so a reader sees the old file or the new one, never a torn one.

    See ``atomic_writer``; with ``backup`` the previous file is kept as ``PATH.bak``.
    """
    with atomic_writer(path, encoding=encoding, backup=backup) as handle:
        handle.write(text)


@contextmanager
def atomic_writer(path: str | os.PathLike[str], *, encoding: str = "utf-8", backup: bool = False) -> Iterator[IO[str]]:
    """A text handle whose content replaces ``path`` atomically, and only if the block succeeds.

    The text goes to a temporary file in the same directory, is flushed and
    fsynced, then renamed over the target (atomic on POSIX and Windows), and
    the directory is fsynced so the rename survives a crash. With ``backup``
    the previous file is kept as ``PATH.bak`` (replaced atomically too). Temp
    files of writers that were killed are cleaned up by the next write of
    the same path. Streaming writers use it directly.
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    clean_stale_temps(target)
    if backup:
        clean_stale_temps(target.with_name(target.name + ".bak"))
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o7777)
            if backup:
                _backup(target, directory)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    _fsync_directory(directory)


def _fsync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable (where the platform allows it)."""
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def _backup(target: Path, directory: Path) -> None:
    """``PATH.bak`` := the current file, atomically (a hard link when possible, else a copy)."""
    bak = target.with_name(target.name + ".bak")
    fd, tmp = tempfile.mkstemp(prefix=f".{bak.name}.{os.getpid()}.", suffix=".tmp", dir=directory)
    os.close(fd)
    try:
        try:
            os.unlink(tmp)
            os.link(target, tmp)  # the old bytes, without a second copy
        except OSError:
            with open(tmp, "wb") as handle:
                handle.write(target.read_bytes())
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, bak)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
