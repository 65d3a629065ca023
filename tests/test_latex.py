import pytest

from bibtools.text.latex import escape_text, latex_to_rich, latex_to_text, rich_to_latex

NC = '<span class="nocase">'


@pytest.mark.parametrize("latex, text", [
    (r"G{\"u}nther", "Günther"),
    (r'G\"unther', "Günther"),
    (r"\c{c}a", "ça"),
    (r"{\c c}a", "ça"),
    (r"At{\i}l{\i}m", "Atılım"),
    (r"\'{\i}", "í"),
    (r"{\L}ukasz {\o}re {\ss}", "Łukasz øre ß"),
    (r"\v{S}koda \H{o} \k{e} \r{a} \~n \=a \.z", "Škoda ő ę å ñ ā ż"),
    (r"a\&b\%c\$d\#e\_f", "a&b%c$d#e_f"),
    (r"\textasciitilde{}\textasciicircum{}\textbackslash{}", "~^\\"),
    ("pages--and---dashes", "pages\u2013and\u2014dashes"),
    ("``quoted''", "\u201cquoted\u201d"),
    (r"\ElsevierGlyph{2014}", "\u2014"),
])
def test_accents_and_symbols_become_unicode(latex, text):
    assert latex_to_text(latex) == text


@pytest.mark.parametrize("latex, rich", [
    (r"\emph{x} and \textit{y}", "<i>x</i> and <i>y</i>"),
    (r"\textbf{b}", "<b>b</b>"),
    (r"\textsc{Sc}", '<span style="font-variant:small-caps;">Sc</span>'),
    (r"H\textsubscript{2}O x\textsuperscript{2}", "H<sub>2</sub>O x<sup>2</sup>"),
    (r"a {\it b {\bf c}}", "a <i>b <b>c</b></i>"),
    (r"The {DNA} of {E. coli}", f"The {NC}DNA</span> of {NC}E. coli</span>"),
    ("{{Whole Title}}", f"{NC}Whole Title</span>"),
    (r"{\"U}ber", "Über"),  # a special character is not case-protected (BibTeX's rule)
    (r"Energy $E=mc^2$ and {$x_i$}", f"Energy {NC}$E=mc^2$</span> and {NC}$x_i$</span>"),
    (r"\unknowncommand{arg}", f"\\unknowncommand{NC}arg</span>"),
])
def test_commands_become_rich_text(latex, rich):
    assert latex_to_rich(latex) == rich


def test_plain_values_take_the_fast_path_unchanged():
    value = "A plain title, with punctuation: and 100% ASCII? No: ümlauts too."
    assert latex_to_rich(value) == value


@pytest.mark.parametrize("rich", [
    "Güneş Atılım",
    f"The {NC}DNA</span> of <i>E. coli</i>",
    "50% of a&b cost $5 #1 under_score ~tilde^ back\\slash {braces}",
    f"{NC}<i>protected italic</i></span>",
    f"{NC}$\\alpha$</span> math",
    "dashes -- and --- kept, quotes `` ''",
    "\\unknown command",
])
@pytest.mark.parametrize("ascii", [False, True])
def test_rich_text_survives_latex_both_ways(rich, ascii):
    latex = rich_to_latex(rich, ascii=ascii)
    assert latex_to_rich(latex) == rich
    if ascii:
        assert latex.isascii()


def test_writer_escapes_specials():
    assert escape_text("a & b % c # d _ e $ f") == r"a \& b \% c \# d \_ e \$ f"
    assert rich_to_latex(f"{NC}DNA</span>") == "{DNA}"
    assert rich_to_latex("<i>x</i><b>y</b>") == r"\textit{x}\textbf{y}"
    assert rich_to_latex("Gödel", ascii=True) == r'G{\"{o}}del'
    assert rich_to_latex("Łukasz", ascii=True) == r"{\L}ukasz"
