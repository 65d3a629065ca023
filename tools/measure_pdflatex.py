"""Measure which characters pdflatex can typeset, and regenerate ``bibtools/mappings/pdflatex.py``.

The document is the one a classic BibTeX user has: ``article``, ``inputenc`` utf8,
``fontenc`` T1. Every candidate character is typeset alone in its own paragraph,
first as UTF-8, then (when that fails) as the LaTeX command ``char_to_latex`` gives;
the log's ``l.N`` lines say which paragraphs failed. Run from the project root:

    python tools/measure_pdflatex.py        # needs pdflatex; about 10 s
"""
from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bibtools.text.latex import char_to_latex  # noqa: E402

# Latin, IPA, spacing marks, Greek, Cyrillic, Latin extended additional, punctuation,
# super/subscripts, currency, letterlike, arrows, math operators, technical, shapes, CJK samples.
RANGES = [(0xA0, 0x530), (0x1E00, 0x1F00), (0x2000, 0x2400), (0x25A0, 0x2600), (0x3000, 0x3010),
          (0x4E00, 0x4E10), (0xAC00, 0xAC08), (0xFB00, 0xFB07), (0xFFFD, 0xFFFE)]
HEADER = "\\documentclass{article}\n\\usepackage[utf8]{inputenc}\n\\usepackage[T1]{fontenc}\n\\begin{document}\n"
FIRST_LINE = HEADER.count("\n") + 1


def candidates() -> list[str]:
    out = []
    for a, b in RANGES:
        for cp in range(a, b):
            cat = unicodedata.category(chr(cp))
            if not (cat.startswith("C") or cat in ("Zl", "Zp", "Mn")):
                out.append(chr(cp))
    return out


def failing(texts: list[str]) -> set[int]:
    """Indices of the texts pdflatex reports an error for."""
    with tempfile.TemporaryDirectory() as tmp:
        doc = Path(tmp) / "m.tex"
        doc.write_text(HEADER + "".join(f"X{t}X\n\n" for t in texts) + "\\end{document}\n", "utf-8")
        subprocess.run(["pdflatex", "-interaction=nonstopmode", "m.tex"], cwd=tmp, capture_output=True, timeout=600)
        log = (Path(tmp) / "m.log").read_text("latin-1")
    lines = {int(n) for n in re.findall(r"^l\.(\d+)", log, re.M)}
    return {i for i in range(len(texts)) if FIRST_LINE + 2 * i in lines}


def ranges(chars: list[str]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for cp in sorted(ord(c) for c in chars):
        if out and out[-1][1] == cp - 1:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return [(a, b) for a, b in out]


def main() -> None:
    chars = candidates()
    bad_raw = failing(chars)
    raw_ok = [c for i, c in enumerate(chars) if i not in bad_raw]
    rest = [c for i, c in enumerate(chars) if i in bad_raw and char_to_latex(c) != c]
    bad_cmd = failing([char_to_latex(c) for c in rest])
    cmd_ok = [c for i, c in enumerate(rest) if i not in bad_cmd]
    target = Path(__file__).resolve().parents[1] / "bibtools" / "mappings" / "pdflatex.py"
    text = target.read_text("utf-8")
    for name, found in (("RAW_RANGES", raw_ok), ("COMMAND_RANGES", cmd_ok)):
        body = "".join(f"    (0x{a:04X}, 0x{b:04X}),\n" for a, b in ranges(found))
        text = re.sub(rf"^{name}: tuple\[tuple\[int, int\], \.\.\.\] = \(\n.*?^\)\n",
                      f"{name}: tuple[tuple[int, int], ...] = (\n{body})\n", text, flags=re.S | re.M)
    target.write_text(text, "utf-8")
    print(f"{len(chars)} characters measured: {len(raw_ok)} typeset as UTF-8, {len(cmd_ok)} more as a command, "
          f"{len(chars) - len(raw_ok) - len(cmd_ok)} not at all")


if __name__ == "__main__":
    main()
