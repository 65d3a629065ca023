"""Putting formatted references on the system clipboard with the tools a platform has.

Where a tool can hold several kinds at once (macOS through ``osascript``), the
clipboard gets HTML and plain text, so italics survive a paste into a word
processor and a plain-text paste still works. ``wl-copy`` and ``xclip`` hold one
kind per call: HTML when the output is HTML, plain text otherwise. ``pbcopy``,
``xsel`` and Windows ``clip`` take plain text only.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys


class ClipboardUnavailable(RuntimeError):
    pass


def _run(args: list[str], data: bytes) -> bool:
    try:
        done = subprocess.run(args, input=data, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def _applescript_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def holds_html_and_text() -> bool:
    """Whether this platform's clipboard tool takes HTML and plain text together."""
    return sys.platform == "darwin" and shutil.which("osascript") is not None


def copy(text: str, html: str | None = None) -> str:
    """Copy ``text`` (and ``html`` where the tool can hold it); return what was done, in words.

    Raises ``ClipboardUnavailable`` with a clear message when no tool is found or all fail.
    """
    tried: list[str] = []
    if sys.platform == "darwin":
        if html is not None and shutil.which("osascript"):
            script = f"set the clipboard to {{«class HTML»:«data HTML{html.encode('utf-8').hex().upper()}», string:{_applescript_string(text)}}}"
            tried.append("osascript")
            if _run(["osascript", "-e", script], b""):
                return "copied to the clipboard as HTML and plain text (osascript)"
        if shutil.which("pbcopy"):
            tried.append("pbcopy")
            if _run(["pbcopy"], text.encode("utf-8")):
                return "copied to the clipboard as plain text (pbcopy)"
    if os.name == "nt" and shutil.which("clip"):
        tried.append("clip")
        if _run(["clip"], b"\xff\xfe" + text.encode("utf-16-le")):
            return "copied to the clipboard as plain text (clip)"
    # one kind per call: HTML only when the output itself is HTML
    data, kind = (text, "text/html") if html is not None and html == text else (text, "text/plain")
    if os.environ.get("WAYLAND_DISPLAY") and shutil.which("wl-copy"):
        tried.append("wl-copy")
        if _run(["wl-copy", "--type", kind], data.encode("utf-8")):
            return f"copied to the clipboard as {kind} (wl-copy)"
    if shutil.which("xclip"):
        tried.append("xclip")
        if _run(["xclip", "-selection", "clipboard", "-t", kind], data.encode("utf-8")):
            return f"copied to the clipboard as {kind} (xclip)"
    if shutil.which("xsel"):
        tried.append("xsel")
        if _run(["xsel", "--clipboard", "--input"], text.encode("utf-8")):
            return "copied to the clipboard as plain text (xsel)"
    if tried:
        raise ClipboardUnavailable(f"could not copy to the clipboard ({', '.join(tried)} failed); the result was still written")
    raise ClipboardUnavailable(
        "no clipboard tool found (install wl-clipboard, xclip or xsel; macOS has pbcopy, Windows clip); the result was still written"
    )
