"""Running the real TeX programs on a written .bib: pdflatex + bibtex, or pdflatex + biber.

Each run happens in a fresh temporary directory with a ``\\nocite{*}`` document and
returns the error and warning counts of every program, with the messages, so a test
can assert "0 errors" and report the warnings.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

BIBTEX_PROGRAMS = ("pdflatex", "bibtex")
BIBER_PROGRAMS = ("pdflatex", "biber")

# The document a classic-BibTeX user has: pdflatex, inputenc utf8, fontenc T1 (what
# ``mappings.pdflatex`` was measured with), url (plainnat writes \url and \doi).
_BIBTEX_DOC = r"""\documentclass{article}
\usepackage[utf8]{inputenc}
\usepackage[T1]{fontenc}
\usepackage{url}
%(packages)s
%(extra)s
\begin{document}
%(body)s
\nocite{*}
\bibliographystyle{%(style)s}
\bibliography{refs}
\end{document}
"""
_BIBER_DOC = r"""\documentclass{article}
\usepackage[utf8]{inputenc}
\usepackage[T1]{fontenc}
\usepackage[backend=biber]{biblatex}
\addbibresource{refs.bib}
%(extra)s
\begin{document}
\nocite{*}
\printbibliography
\end{document}
"""
_STYLE_PACKAGES = {"plainnat": r"\usepackage{natbib}"}


def missing(programs: tuple[str, ...]) -> list[str]:
    return [p for p in programs if shutil.which(p) is None]


@dataclass
class Run:
    """What each program said: ``errors``/``warnings`` are message lists per program."""

    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=dict)

    def error_count(self) -> int:
        return sum(len(v) for v in self.errors.values())

    def warning_counts(self) -> dict[str, int]:
        return {k: len(v) for k, v in self.warnings.items()}

    def summary(self) -> str:
        return "; ".join(f"{p}: {len(self.errors.get(p, []))} errors, {len(self.warnings.get(p, []))} warnings"
                         for p in self.errors)


# pdflatex: "! ..." lines are errors, "LaTeX Warning"/"Package x Warning" lines warnings.
_TEX_ERROR = re.compile(r"^! (.*)$", re.M)
_TEX_WARNING = re.compile(r"^(?:LaTeX|Package \w+|Class \w+) Warning: (.*)$", re.M)
_TEX_LINE = re.compile(r"^l\.(\d+) (.*)$", re.M)
# bibtex's .blg: "I was expecting...---line N of file refs.bib" style errors, "Warning--" warnings.
_BLG_COUNT = re.compile(r"\(There (?:was|were) (\d+) error messages?\)")
_BLG_WARNINGS = re.compile(r"^Warning--(.*)$", re.M)
_BLG_ERROR_LINE = re.compile(r"^(.*)---line (\d+) of file (.*)$", re.M)
# biber: "ERROR - ..." / "WARN - ..." lines.
_BIBER_ERROR = re.compile(r"^ERROR - (.*)$", re.M)
_BIBER_WARN = re.compile(r"^WARN - (.*)$", re.M)


def _run(cmd: list[str], cwd: Path, timeout: float = 240) -> str:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
    return proc.stdout.decode("utf-8", "replace") + proc.stderr.decode("utf-8", "replace")


def _latex(run: Run, cwd: Path, label: str) -> None:
    _run(["pdflatex", "-interaction=nonstopmode", "doc.tex"], cwd)
    log = (cwd / "doc.log").read_text("utf-8", "replace")
    errors = []
    for m in _TEX_ERROR.finditer(log):
        where = _TEX_LINE.search(log, m.end())
        errors.append(m.group(1) + (f" (l.{where.group(1)}: {where.group(2)})" if where else ""))
    run.errors[label] = errors
    run.warnings[label] = [w for w in _TEX_WARNING.findall(log)
                           if "Rerun" not in w and "undefined references" not in w and "may have changed" not in w]


def declare_characters(chars: str) -> str:
    """Preamble lines giving each character a stand-in, so the characters a test already knows
    the document's fonts lack do not hide the errors it looks for."""
    return "\n".join(f"\\DeclareUnicodeCharacter{{{ord(c):04X}}}{{?}}" for c in chars if ord(c) >= 0x80)


def compile_bibtex(bib: str, style: str = "plain", extra: str = "", body: str = "") -> Run:
    """pdflatex, bibtex, pdflatex on ``bib`` with ``style`` (plain, plainnat...)."""
    run = Run()
    with tempfile.TemporaryDirectory(prefix="bibtools-tex-") as tmp:
        cwd = Path(tmp)
        (cwd / "refs.bib").write_text(bib, "utf-8")
        (cwd / "doc.tex").write_text(_BIBTEX_DOC % {"style": style, "packages": _STYLE_PACKAGES.get(style, ""), "extra": extra, "body": body}, "utf-8")
        _run(["pdflatex", "-interaction=nonstopmode", "doc.tex"], cwd)
        _run(["bibtex", "doc"], cwd)
        blg = (cwd / "doc.blg").read_text("utf-8", "replace") if (cwd / "doc.blg").exists() else ""
        count = _BLG_COUNT.search(blg)
        run.errors["bibtex"] = [f"{m.group(1)} (line {m.group(2)})" for m in _BLG_ERROR_LINE.finditer(blg)]
        if count and int(count.group(1)) > len(run.errors["bibtex"]):
            run.errors["bibtex"] += [f"(bibtex reported {count.group(1)} errors)"] * (int(count.group(1)) - len(run.errors["bibtex"]))
        if not blg:
            run.errors["bibtex"] = ["bibtex wrote no .blg"]
        run.warnings["bibtex"] = _BLG_WARNINGS.findall(blg)
        _latex(run, cwd, "pdflatex")
    return run


def compile_biber(bib: str, extra: str = "") -> Run:
    """pdflatex, biber, pdflatex on ``bib`` with biblatex's standard style."""
    run = Run()
    with tempfile.TemporaryDirectory(prefix="bibtools-biber-") as tmp:
        cwd = Path(tmp)
        (cwd / "refs.bib").write_text(bib, "utf-8")
        (cwd / "doc.tex").write_text(_BIBER_DOC % {"extra": extra}, "utf-8")
        _run(["pdflatex", "-interaction=nonstopmode", "doc.tex"], cwd)
        out = _run(["biber", "--nolog", "doc"], cwd)
        run.errors["biber"] = _BIBER_ERROR.findall(out)
        run.warnings["biber"] = _BIBER_WARN.findall(out)
        if not (cwd / "doc.bbl").exists() and not run.errors["biber"]:
            run.errors["biber"] = ["biber wrote no .bbl: " + out[-300:]]
        _latex(run, cwd, "pdflatex")
    return run
