"""Writes that lose nothing: modes, stale temps, locks, the unchanged-file check, encodings.

Each test here was written against the faults of issue 13 (and failed before
the fix): new files were 0600 whatever the umask; a killed writer's backup
temp survived the next write; nothing locked a file being rewritten or
noticed that it had changed since it was read; a cp1252 file holding the
five bytes cp1252 leaves undefined could not be written back; one bad byte
turned a UTF-8 file into cp1252 mojibake, without a warning.
"""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bibtools.diagnostics import Severity
from bibtools.textio import (
    FileBusy,
    FileChanged,
    atomic_write,
    decode,
    encode,
    file_lock,
    fingerprint,
)
from conftest import CORPORA, PROJECT

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX modes and umask")


# -- permissions --------------------------------------------------------------------------


@posix_only
@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_a_new_file_follows_the_umask(tmp_path: Path, umask: int, mode: int) -> None:
    old = os.umask(umask)
    try:
        atomic_write(tmp_path / "new.bib", "@misc{a}\n")
    finally:
        os.umask(old)
    assert (tmp_path / "new.bib").stat().st_mode & 0o777 == mode


@posix_only
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o664])
def test_a_rewritten_file_keeps_its_mode(tmp_path: Path, mode: int) -> None:
    target = tmp_path / "refs.bib"
    target.write_text("old\n")
    target.chmod(mode)
    old = os.umask(0o077)  # a strict umask must not narrow an existing file
    try:
        atomic_write(target, "new\n", backup=True)
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == mode
    assert (tmp_path / "refs.bib.bak").read_text() == "old\n"


# -- temps a killed writer left ---------------------------------------------------------------


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_the_next_write_cleans_every_temp_of_a_killed_writer(tmp_path: Path) -> None:
    """What the SIGKILL test saw 2 times in 4: a writer killed between creating the
    backup's temp and renaming it left ``.NAME.bak.PID.*.tmp``; the next write of
    NAME, without ``backup``, did not remove it."""
    target = tmp_path / "refs.bib"
    target.write_text("old\n")
    pid = _dead_pid()
    left = [tmp_path / f".refs.bib.{pid}.abc.tmp", tmp_path / f".refs.bib.bak.{pid}.def.tmp", tmp_path / ".refs.bib.lock"]
    for path in left:
        path.write_text("partial")
    alive = tmp_path / f".refs.bib.{os.getppid()}.xyz.tmp"  # a live process's temp is not ours to remove
    alive.write_text("in progress")
    atomic_write(target, "new\n")
    assert target.read_text() == "new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["refs.bib", alive.name])


# -- the unchanged-file check and the lock --------------------------------------------------


def test_a_write_refuses_when_the_file_changed_since_it_was_read(tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    target.write_text("@misc{a}\n")
    seen = fingerprint(target)
    target.write_text("@misc{a}\n@misc{b, note = {another program wrote this}}\n")  # not through bibtools
    with pytest.raises(FileChanged, match="changed since it was read"):
        atomic_write(target, "@misc{a, title = {T}}\n", expect=seen)
    assert "another program" in target.read_text()  # its work is kept
    assert [p.name for p in tmp_path.iterdir()] == ["refs.bib"]  # and no temp is left


def test_a_write_proceeds_when_only_the_mtime_changed(tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    target.write_text("@misc{a}\n")
    seen = fingerprint(target)
    os.utime(target, (time.time() + 5, time.time() + 5))  # touched, same bytes: nothing to lose
    atomic_write(target, "@misc{a, title = {T}}\n", expect=seen)
    assert "title" in target.read_text()


def test_a_file_that_appeared_since_it_was_read_is_not_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "new.bib"
    seen = fingerprint(target)
    assert not seen.exists
    target.write_text("@misc{mine}\n")
    with pytest.raises(FileChanged):
        atomic_write(target, "@misc{theirs}\n", expect=seen)
    assert target.read_text() == "@misc{mine}\n"


HOLDER = """
import sys, time
from bibtools.textio import file_lock
with file_lock(sys.argv[1], timeout=5):
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _hold_lock(target: Path, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(target), str(seconds)], cwd=PROJECT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def test_a_second_writer_waits_for_the_lock(tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    target.write_text("old\n")
    holder = _hold_lock(target, 1.0)
    try:
        atomic_write(target, "new\n", lock_timeout=30)  # waits until the holder is done
        assert holder.poll() is not None, "the write went ahead while another process held the lock"
    finally:
        holder.wait()
        holder.stdout.close()  # type: ignore[union-attr]
    assert target.read_text() == "new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["refs.bib"]  # the lock file is gone too


def test_a_second_writer_gives_up_with_a_clear_message(tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    target.write_text("old\n")
    holder = _hold_lock(target, 3.0)
    try:
        with pytest.raises(FileBusy, match=r"refs\.bib is being changed by another process"):
            atomic_write(target, "new\n", lock_timeout=0.2)
        assert target.read_text() == "old\n"
    finally:
        holder.wait()
        holder.stdout.close()  # type: ignore[union-attr]


def test_the_lock_is_reentrant_within_one_thread(tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    with file_lock(target, timeout=1):
        atomic_write(target, "inside\n", lock_timeout=1)  # the holder itself may write
    assert target.read_text() == "inside\n"


def test_threads_of_one_process_take_turns(tmp_path: Path) -> None:
    target = tmp_path / "count.txt"
    target.write_text("0")
    errors: list[BaseException] = []

    def bump() -> None:
        try:
            for _ in range(20):
                with file_lock(target, timeout=30):
                    n = int(target.read_text())
                    atomic_write(target, str(n + 1))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=bump) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert target.read_text() == "60"


# -- encodings --------------------------------------------------------------------------------

UNDEFINED_IN_CP1252 = bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D])


def test_cp1252_text_with_its_undefined_bytes_is_written_back_byte_for_byte() -> None:
    data = b"@misc{a, title = {Caf\xe9 \x80 " + UNDEFINED_IN_CP1252 + b"}}\n"
    decoded = decode(data)
    assert decoded.encoding == "cp1252"
    assert encode(decoded.text, decoded.encoding) == data


@pytest.mark.parametrize("bad", [b"\xe9", b"\xff", b"\xc3", b"\xed\xa0\x80"])
def test_a_few_bad_bytes_in_a_utf8_file_keep_it_utf8(bad: bytes) -> None:
    good = "@article{m, author = {Müller, Jürgen and Šimůnek, Čeněk}, title = {Über Vögel}}\n"
    data = (good + "% note " + "\n").encode() + b"@misc{x, note = {bad " + bad + b" byte}}\n" + good.encode()
    decoded = decode(data, source="mixed.bib")
    assert decoded.encoding == "utf-8"
    assert "Müller" in decoded.text and "Šimůnek" in decoded.text  # no mojibake anywhere
    assert "bad \ufffd byte" in decoded.text or "bad \ufffd\ufffd\ufffd byte" in decoded.text
    problems = [d for d in decoded.diagnostics if d.code == "encoding.invalid"]
    assert [(d.severity, d.line) for d in problems] == [(Severity.WARNING, 3)]


def test_every_bad_byte_run_is_reported_with_its_line() -> None:
    lines = [f"@misc{{k{i}, title = {{Ärger über {i}}}}}".encode() for i in range(40)]
    lines[5] += b" \xe9"
    lines[17] += b" \xff\xfe"
    lines[30] += b" \x80"
    decoded = decode(b"\n".join(lines) + b"\n")
    assert decoded.encoding == "utf-8"
    assert [d.line for d in decoded.diagnostics if d.code == "encoding.invalid"] == [6, 18, 31]


def test_a_guessed_encoding_is_a_warning() -> None:
    decoded = decode("@misc{a, title = {Caf\u00e9 au lait}}\n".encode("cp1252"))
    assert decoded.encoding == "cp1252"
    assert [d.severity for d in decoded.diagnostics] == [Severity.WARNING]
    assert "guessed" in decoded.diagnostics[0].message


@pytest.mark.corpus
@pytest.mark.parametrize("name", [
    "encoding-windows-1252-but-utf-8-declared--decoding-fails.bib",
    "encoding-windows-1252-with-header.bib",
    "encoding-windows-1252-without-header.bib",
])
def test_jabref_cp1252_files_are_still_read_as_cp1252(name: str) -> None:
    decoded = decode((CORPORA / "messy" / "jabref-encodings" / name).read_bytes())
    assert decoded.encoding in ("cp1252", "windows-1252")
    assert "\ufffd" not in decoded.text


def _utf8_corpus_files() -> list[Path]:
    found = []
    for path in sorted(CORPORA.rglob("*.bib")):
        try:
            text = path.read_bytes().decode("utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        if sum(1 for c in text if ord(c) > 127) >= 20:
            found.append(path)
    return found


@pytest.mark.corpus
def test_real_files_re_encoded_as_cp1252_are_never_taken_for_utf8() -> None:
    """The evidence for "mostly UTF-8": every UTF-8 .bib of the corpora with accents,
    encoded as cp1252, must still be read as cp1252 (its accents intact)."""
    files = _utf8_corpus_files()
    assert len(files) >= 10
    for path in files:
        text = path.read_bytes().decode("utf-8").lstrip("\ufeff")
        data = text.encode("cp1252", errors="ignore")
        if not any(b > 127 for b in data):
            continue
        decoded = decode(data)
        assert decoded.encoding == "cp1252", path.name
        assert "\ufffd" not in decoded.text and encode(decoded.text, decoded.encoding) == data, path.name


@pytest.mark.corpus
def test_real_utf8_files_with_three_bad_bytes_stay_utf8() -> None:
    import random

    rng = random.Random(13)
    for path in _utf8_corpus_files():
        data = bytearray(path.read_bytes())
        spots = sorted(rng.sample(range(len(data)), 3))
        for spot in reversed(spots):  # insert (not overwrite) so no good sequence is cut
            while spot < len(data) and 0x80 <= data[spot] < 0xC0:
                spot += 1
            data[spot:spot] = b"\xe9"
        decoded = decode(bytes(data))
        assert decoded.encoding == "utf-8", path.name
        assert len([d for d in decoded.diagnostics if d.code == "encoding.invalid"]) >= 1
