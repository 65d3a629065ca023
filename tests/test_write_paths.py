"""Writers touch only the path the user named (plus its .bak and temp files beside it).

An audit hook records every file opened for writing, created, renamed,
linked or removed while a command runs in-process.
"""
from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from bibtools.api import load_string, save
from bibtools.cli import main

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_recording: list[list[tuple[str, str]]] = []


def _hook(event: str, args: tuple) -> None:
    if not _recording:
        return
    log = _recording[-1]
    if event == "open":
        path, mode, flags = (list(args) + [None, None])[:3]
        if isinstance(path, int) or path is None:
            return
        writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & _WRITE_FLAGS)
        if writes:
            log.append((event, os.fsdecode(path)))
    elif event in ("os.rename", "os.replace", "os.link", "os.symlink"):
        log.append((event, os.fsdecode(args[1])))
    elif event in ("os.remove", "os.unlink", "os.rmdir", "os.mkdir", "os.chmod", "os.truncate", "shutil.rmtree"):
        if not isinstance(args[0], int):
            log.append((event, os.fsdecode(args[0])))


sys.addaudithook(_hook)


@contextmanager
def writes() -> Iterator[list[tuple[str, str]]]:
    log: list[tuple[str, str]] = []
    _recording.append(log)
    try:
        yield log
    finally:
        _recording.pop()


def _allowed(target: Path) -> Callable[[str], bool]:
    resolved = target.resolve()
    directory = resolved.parent

    def ok(path: str) -> bool:
        p = Path(path).resolve() if os.path.isabs(path) else (Path.cwd() / path).resolve()
        if p.parent != directory:
            return False
        name = p.name
        return name in (resolved.name, resolved.name + ".bak") or name.startswith(("." + resolved.name + ".",))

    return ok


SAMPLE = json.dumps([{"id": "a", "type": "book", "title": "T", "author": [{"family": "F"}], "issued": {"date-parts": [[2000]]}}])


def _check(log: list[tuple[str, str]], target: Path) -> None:
    ok = _allowed(target)
    outside = [(event, path) for event, path in log if not ok(path)]
    assert outside == [], outside
    assert any(Path(p).name == target.name for _, p in log), "the named file was written"


def _warm(runner: CliRunner, args: list[str]) -> None:
    runner.invoke(main, args)  # imports happen outside the recorded window (.pyc files are not ours)


@pytest.mark.parametrize("fmt", ["bibtex", "biblatex", "csljson", "ris"])
def test_save_writes_only_the_named_file(tmp_path: Path, fmt: str, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    library = load_string(SAMPLE, "csljson")
    target = tmp_path / "out" / f"refs.{fmt}"
    target.parent.mkdir()
    save(library, target, fmt)  # warm-up, and an existing file to replace
    with writes() as log:
        save(library, target, fmt)
    _check(log, target)


def test_convert_and_format_write_only_their_output(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    src = tmp_path / "in.json"
    src.write_text(SAMPLE)
    runner = CliRunner()
    for args, target in [
        (["convert", str(src), "--to", "bibtex", "-o", "{t}"], tmp_path / "o1" / "refs.bib"),
        (["convert", str(src), "-o", "{t}"], tmp_path / "o2" / "refs.ris"),
        (["format", str(src), "--style", "apa", "-o", "{t}"], tmp_path / "o3" / "refs.txt"),
    ]:
        target.parent.mkdir()
        argv = [a.replace("{t}", str(target)) for a in args]
        _warm(runner, argv)
        with writes() as log:
            result = runner.invoke(main, argv)
        assert result.exit_code in (0, 1), result.output
        _check(log, target)


def test_lint_writes_nothing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    bib = tmp_path / "refs.bib"
    bib.write_text("@article{a, title = {T & U}}\n@article{a, title = {T}}\n")
    runner = CliRunner()
    _warm(runner, ["lint", str(bib)])
    with writes() as log:
        result = runner.invoke(main, ["lint", str(bib), "--json"])
    assert result.exit_code == 1
    assert log == []
