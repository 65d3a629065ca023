"""Bytes in, text out (encoding detection) and atomic writes.

Real bibliographies arrive as UTF-8 with or without BOM, UTF-16 with or
without BOM, and Windows-1252/Latin-1 (often declared in a JabRef
``% Encoding:`` header). Detection never fails: the last resort, cp1252 with
Latin-1 for its five undefined bytes, decodes any byte string.
"""
from __future__ import annotations

import codecs
import io
import os
import re
import threading
import time
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
    bom: bool = False  # the file started with a byte-order mark (written back with one)


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
    """Decode ``data``; ``encoding`` forces one, otherwise it is detected.

    Nothing is decoded silently wrong: bytes that had to be replaced are
    reported one diagnostic per run with its line, and an encoding that was
    guessed (no byte-order mark, no declaration, not valid UTF-8) is a warning.
    """
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ValueError(f"unknown encoding {encoding!r}") from None
        return _decode_or_replace(data, encoding, source)
    for bom, name in _BOMS:
        if data.startswith(bom):
            decoded = _decode_or_replace(data[len(bom) :], name, source)
            decoded.bom = True
            return decoded
    guessed = _utf16_without_bom(data)
    if guessed:
        try:
            return Decoded(data.decode(guessed), guessed, [_guessed(f"read as {guessed}: no byte-order mark, but NUL bytes in every other place", source)])
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
            text = _cp1252_or_latin1(data) if codecs.lookup(name).name == "cp1252" else data.decode(name)
            return Decoded(text, name, [info("encoding.declared", f"read as {name}, as the file's own encoding declaration says", source=source)])
        except (LookupError, UnicodeDecodeError):
            pass
    mostly = _mostly_utf8(data, source)
    if mostly is not None:
        return mostly
    return Decoded(
        _cp1252_or_latin1(data),
        "cp1252",
        [_guessed(f"not valid UTF-8 (first bad byte on line {first_bad_line}); guessed Windows-1252/Latin-1", source, line=first_bad_line)],
    )


def _guessed(message: str, source: str | None, **kw: object) -> Diagnostic:
    """A guessed encoding is a warning, not a note: a wrong guess garbles every accent."""
    if "guess" not in message:
        message += " (guessed)"
    return warning("encoding.guessed", message, source=source, **kw)


def _decode_or_replace(data: bytes, encoding: str, source: str | None) -> Decoded:
    """``data`` in a known ``encoding``; bytes invalid in it become U+FFFD, each run reported."""
    try:
        return Decoded(data.decode(encoding), encoding)
    except UnicodeDecodeError:
        pass
    if codecs.lookup(encoding).name == "utf-8":
        text, bad = _utf8_with_replacements(data)
        return Decoded(text, encoding, _bad_byte_reports(bad, encoding, source))
    text = data.decode(encoding, errors="replace")
    lines = sorted({text.count("\n", 0, m.start()) + 1 for m in re.finditer("\ufffd", text)})
    return Decoded(text, encoding, [_replaced(encoding, source, line) for line in lines[:MAX_BAD_BYTE_REPORTS]])


# Invalid UTF-8 bytes, as ``surrogateescape`` shows them (one lone surrogate per byte).
_ESCAPED = re.compile("[\udc80-\udcff]+")
_NON_ASCII = re.compile("[^\x00-\x7f]")
MAX_BAD_BYTE_REPORTS = 50
# "Mostly UTF-8": at least this many valid multi-byte characters per invalid byte run.
# Measured: every UTF-8 .bib of ../shared/corpora with accents, encoded as cp1252, shows
# at most 0.5 accidental valid sequences per invalid run; UTF-8 with a few bad bytes, hundreds.
UTF8_EVIDENCE = 3


def _utf8_with_replacements(data: bytes) -> tuple[str, list[tuple[int, int]]]:
    """The text with each invalid byte replaced by U+FFFD, and (line, bytes) of every bad run."""
    escaped = data.decode("utf-8", errors="surrogateescape")
    bad: list[tuple[int, int]] = []
    line, last = 1, 0
    for m in _ESCAPED.finditer(escaped):
        line += escaped.count("\n", last, m.start())
        last = m.start()
        bad.append((line, len(m.group())))
    return _ESCAPED.sub(lambda m: "\ufffd" * len(m.group()), escaped), bad


def _mostly_utf8(data: bytes, source: str | None) -> Decoded | None:
    """UTF-8 with a few damaged bytes, when the evidence says so (else ``None``)."""
    escaped = data.decode("utf-8", errors="surrogateescape")
    runs = len(_ESCAPED.findall(escaped))
    valid = len(_NON_ASCII.findall(escaped)) - sum(len(r) for r in _ESCAPED.findall(escaped))
    if runs == 0 or valid < UTF8_EVIDENCE * runs:
        return None
    text, bad = _utf8_with_replacements(data)
    return Decoded(text, "utf-8", _bad_byte_reports(bad, "utf-8", source))


def _replaced(encoding: str, source: str | None, line: int, count: int = 1) -> Diagnostic:
    what = "a byte that is" if count == 1 else f"{count} bytes that are"
    return warning("encoding.invalid", f"{what} not valid {encoding} replaced by U+FFFD", source=source, line=line)


def _bad_byte_reports(bad: list[tuple[int, int]], encoding: str, source: str | None) -> list[Diagnostic]:
    reports = [_replaced(encoding, source, line, count) for line, count in bad[:MAX_BAD_BYTE_REPORTS]]
    if len(bad) > MAX_BAD_BYTE_REPORTS:
        rest = len(bad) - MAX_BAD_BYTE_REPORTS
        reports.append(warning("encoding.invalid", f"{rest} more runs of invalid {encoding} bytes replaced by U+FFFD", source=source))
    return reports


# cp1252 leaves five bytes undefined; they are read as Latin-1 (U+0081...), and
# written back as the same bytes, so a cp1252 file round-trips whatever it holds.
_CP1252_HOLES = {chr(b): bytes([b]) for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}


def _cp1252_holes(err: UnicodeError) -> tuple[bytes | str, int]:
    if not isinstance(err, UnicodeEncodeError):
        raise err
    chunk = err.object[err.start : err.end]
    if all(c in _CP1252_HOLES for c in chunk):
        return b"".join(_CP1252_HOLES[c] for c in chunk), err.end
    raise err


codecs.register_error("bibtools_cp1252_holes", _cp1252_holes)


def encoding_errors(encoding: str) -> str:
    """The ``errors`` handler that writes back every character ``encoding`` was read into."""
    try:
        return "bibtools_cp1252_holes" if codecs.lookup(encoding).name == "cp1252" else "strict"
    except LookupError:
        return "strict"


def encode(text: str, encoding: str = "utf-8", *, bom: bool = False) -> bytes:
    """``text`` as the bytes of a file in ``encoding`` (the BOM first when asked).

    Raises ``UnicodeEncodeError`` for a character the encoding cannot hold.
    """
    return (("\ufeff" if bom else "") + text).encode(encoding, errors=encoding_errors(encoding))


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


def _temp_pattern(target: Path) -> re.Pattern[str]:
    """Temp names of ``target`` and of its backup: ``.NAME.PID.XXXX.tmp``, ``.NAME.bak.PID.XXXX.tmp``."""
    return re.compile(r"^\." + re.escape(target.name) + r"(?:\.bak)?\.(\d+)\.[^/]*\.tmp$")


def clean_stale_temps(path: str | os.PathLike[str]) -> list[Path]:
    """Remove temporary files interrupted writes of ``path`` (or of its ``.bak``) left behind.

    A writer killed between creating a temp and renaming it leaves the temp:
    that is the only trace a SIGKILL can leave, and the next write of the
    same path removes it. Temp names carry the writing process's id; only
    files whose process is gone are removed, so a concurrent writer is safe.
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    pattern = _temp_pattern(target)
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


# -- what was read: the unchanged-file check --------------------------------------------------


@dataclass(frozen=True)
class Fingerprint:
    """A file as it was read: its size, modification time and SHA-256 (``exists`` False: no file)."""

    exists: bool
    size: int = 0
    mtime_ns: int = 0
    sha256: str = ""

    @classmethod
    def of_bytes(cls, data: bytes, stat: os.stat_result) -> "Fingerprint":
        return cls(True, len(data), stat.st_mtime_ns, _sha256(data))

    def same_content(self, other: "Fingerprint") -> bool:
        """The bytes are the same. A changed mtime alone (``touch``, a sync tool) loses nothing."""
        return self.exists == other.exists and self.size == other.size and self.sha256 == other.sha256


def fingerprint(path: str | os.PathLike[str]) -> Fingerprint:
    try:
        with open(path, "rb") as handle:
            stat = os.fstat(handle.fileno())
            return Fingerprint.of_bytes(handle.read(), stat)
    except FileNotFoundError:
        return Fingerprint(False)


def read_bytes(path: str | os.PathLike[str]) -> tuple[bytes, Fingerprint]:
    """The file's bytes and the fingerprint a later ``atomic_write(..., expect=)`` checks."""
    try:
        with open(path, "rb") as handle:
            stat = os.fstat(handle.fileno())
            data = handle.read()
    except FileNotFoundError:
        return b"", Fingerprint(False)
    return data, Fingerprint.of_bytes(data, stat)


class WriteConflict(OSError):
    """Writing would lose another writer's work; nothing was written."""


class FileChanged(WriteConflict):
    pass


class FileBusy(WriteConflict):
    pass


def _check_unchanged(target: Path, expected: Fingerprint) -> None:
    now = fingerprint(target)
    if now.same_content(expected):
        return
    if not expected.exists:
        what = "was created by another program"
    elif not now.exists:
        what = "was removed"
    else:
        what = f"changed since it was read ({expected.size} -> {now.size} bytes)"
    raise FileChanged(f"{target} {what}; nothing was written, so that change is kept. Run the command again.")


# -- the lock -----------------------------------------------------------------------------------

LOCK_TIMEOUT = 60.0  # seconds a writer waits for another one to finish (BIBTOOLS_LOCK_TIMEOUT)
_held: dict[str, tuple[int, int]] = {}  # lock path -> (thread id, depth): re-entry by the holder
_held_guard = threading.Lock()
_thread_turns: dict[str, threading.Lock] = {}  # flock is per process: threads queue here first


def lock_path(path: str | os.PathLike[str]) -> Path:
    """The lock file beside ``path``: ``.NAME.lock`` (removed when the lock is released)."""
    target = Path(path)
    return target.with_name(f".{target.name}.lock")


def default_lock_timeout() -> float:
    try:
        return float(os.environ.get("BIBTOOLS_LOCK_TIMEOUT", LOCK_TIMEOUT))
    except ValueError:
        return LOCK_TIMEOUT


@contextmanager
def file_lock(path: str | os.PathLike[str], *, timeout: float | None = None) -> Iterator[None]:
    """Hold the advisory lock of ``path`` (another bibtools writer waits, up to ``timeout`` s).

    The lock is ``.NAME.lock`` beside the file, not the file itself: the file
    is replaced by a rename, and a lock on the old inode would protect nothing.
    After the lock is taken, the lock file must still be the one at that path
    (a holder removes it on release), otherwise it is taken again. Re-entrant
    for the thread that holds it; other threads of the process wait their turn.
    """
    lock = _real(Path(lock_path(path)))
    name = str(lock)
    me = threading.get_ident()
    with _held_guard:
        owner = _held.get(name)
        if owner and owner[0] == me:
            _held[name] = (me, owner[1] + 1)
            reentered = True
        else:
            reentered = False
            turn = _thread_turns.setdefault(name, threading.Lock())
    if reentered:
        try:
            yield
        finally:
            with _held_guard:
                _held[name] = (me, _held[name][1] - 1)
        return
    wait = default_lock_timeout() if timeout is None else timeout
    deadline = time.monotonic() + wait
    if not turn.acquire(timeout=max(wait, 0.0)):
        raise FileBusy(_busy_message(Path(path), wait, lock))
    try:
        fd = _acquire(lock, deadline, Path(path), wait)
        with _held_guard:
            _held[name] = (me, 1)
        try:
            yield
        finally:
            with _held_guard:
                _held.pop(name, None)
            _release(lock, fd)
    finally:
        turn.release()


def _real(path: Path) -> Path:
    """``path`` with its directory's symlinks resolved (one lock per real file)."""
    try:
        return path.parent.resolve() / path.name
    except OSError:
        return path


def _busy_message(target: Path, waited: float, lock: Path) -> str:
    holder = ""
    try:
        pid = lock.read_text(encoding="ascii").strip()
        holder = f" (process {pid})" if pid.isdigit() else ""
    except OSError:
        pass
    return (f"{target} is being changed by another process{holder}; waited {waited:g} s for it to finish "
            f"(BIBTOOLS_LOCK_TIMEOUT sets how long). Nothing was written.")


def _acquire(lock: Path, deadline: float, target: Path, waited: float) -> int:
    delay = 0.01
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            while not _try_lock(fd):
                if time.monotonic() >= deadline:
                    raise FileBusy(_busy_message(target, waited, lock))
                time.sleep(delay)
                delay = min(delay * 2, 0.1)
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(lock))
            except FileNotFoundError:
                same = False
            if same:  # not removed by the previous holder meanwhile
                os.ftruncate(fd, 0)
                os.write(fd, str(os.getpid()).encode("ascii"))
                return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)


if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _release(lock: Path, fd: int) -> None:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        finally:
            os.close(fd)
        try:  # fails while a waiter has it open; that waiter removes it later
            os.unlink(lock)
        except OSError:
            pass

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def _release(lock: Path, fd: int) -> None:
        try:  # removed while still held: a waiter then sees the inode is gone and retries
            os.unlink(lock)
        except OSError:
            pass
        os.close(fd)


# -- atomic writes ------------------------------------------------------------------------------


def atomic_write(
    path: str | os.PathLike[str],
    text: str,
    *,
    encoding: str = "utf-8",
    backup: bool = False,
    expect: Fingerprint | None = None,
    lock_timeout: float | None = None,
) -> None:
    """Write ``text`` to ``path`` so a reader sees the old file or the new one, never a torn one.

    See ``atomic_writer``; with ``backup`` the previous file is kept as ``PATH.bak``.
    """
    with atomic_writer(path, encoding=encoding, backup=backup, expect=expect, lock_timeout=lock_timeout) as handle:
        handle.write(text)


def atomic_write_bytes(
    path: str | os.PathLike[str],
    data: bytes,
    *,
    backup: bool = False,
    expect: Fingerprint | None = None,
    lock_timeout: float | None = None,
) -> None:
    with _atomic_binary(path, backup=backup, expect=expect, lock_timeout=lock_timeout) as handle:
        handle.write(data)


@contextmanager
def atomic_writer(
    path: str | os.PathLike[str],
    *,
    encoding: str = "utf-8",
    backup: bool = False,
    expect: Fingerprint | None = None,
    lock_timeout: float | None = None,
) -> Iterator[IO[str]]:
    """A text handle whose content replaces ``path`` atomically, and only if the block succeeds.

    The text goes to a temporary file in the same directory, is flushed and
    fsynced, then renamed over the target (atomic on POSIX and Windows), and
    the directory is fsynced so the rename survives a crash. While it runs,
    the target's lock (``file_lock``) is held, so two bibtools writers take
    turns. With ``expect`` (the fingerprint of what was read), the rename
    happens only if the file still holds those bytes, else ``FileChanged``.
    A rewritten file keeps its mode; a new one gets the umask's. With
    ``backup`` the previous file is kept as ``PATH.bak`` (replaced atomically
    too). Temp files of writers that were killed are removed by the next
    write of the same path. Streaming writers use it directly.
    """
    with _atomic_binary(path, backup=backup, expect=expect, lock_timeout=lock_timeout) as raw:
        handle = io.TextIOWrapper(raw, encoding=encoding, errors=encoding_errors(encoding), newline="", write_through=False)
        try:
            yield handle
            handle.flush()
        finally:
            handle.detach()


@contextmanager
def _atomic_binary(
    path: str | os.PathLike[str], *, backup: bool, expect: Fingerprint | None, lock_timeout: float | None
) -> Iterator[IO[bytes]]:
    target = _write_target(Path(path))
    directory = target.parent if str(target.parent) else Path(".")
    with file_lock(target, timeout=lock_timeout):
        clean_stale_temps(target)
        fd, tmp = _create_temp(directory, f".{target.name}.{os.getpid()}.")
        try:
            with os.fdopen(fd, "wb") as handle:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
            if expect is not None:
                _check_unchanged(target, expect)
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


def _write_target(path: Path) -> Path:
    """Writing through a symlink rewrites the file it points to, not the link."""
    if path.is_symlink():
        return Path(os.path.realpath(path))
    return path


def _create_temp(directory: Path, prefix: str) -> tuple[int, str]:
    """A new temp file, created with mode 0666 so the umask decides (``mkstemp`` forces 0600)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        name = os.path.join(directory, f"{prefix}{os.urandom(4).hex()}.tmp")
        try:
            return os.open(name, flags, 0o666), name
        except FileExistsError:
            continue
    raise FileExistsError(f"could not create a temporary file in {directory}")


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
    prefix = f".{bak.name}.{os.getpid()}."
    for _ in range(100):
        tmp = os.path.join(directory, f"{prefix}{os.urandom(4).hex()}.tmp")
        try:
            os.link(target, tmp)  # the old bytes, without a second copy
            break
        except FileExistsError:
            continue
        except OSError:
            fd, tmp = _create_temp(directory, prefix)
            with os.fdopen(fd, "wb") as handle:
                handle.write(target.read_bytes())
                handle.flush()
                os.fsync(handle.fileno())
            break
    try:
        os.replace(tmp, bak)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _sha256(data: bytes) -> str:
    import hashlib  # only where a snapshot is taken: most commands never hash

    return hashlib.sha256(data).hexdigest()
