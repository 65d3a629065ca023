"""Control words that only typeset: the allow-list for TeX taken from .bib files.

A command from a TeX source passes live into written BibTeX only when it is
here, is one the LaTeX decoder interprets (accents, symbols, markup), or is
defined by the file's own ``@preamble``. Everything else (``\\input``,
``\\filedump``, ``\\iftrue``, ``\\outer``, any unknown word) is written as
text. Grouped by where they come from; tuned on every .bib under
``shared/corpora`` (see ``tests/test_tex_allowlist.py``).
"""
from __future__ import annotations

_FONTS = """
emph em textit textbf textsc textsl textup textmd textrm textsf texttt textnormal it bf sc sl rm sf tt
itshape bfseries scshape slshape upshape mdseries rmfamily sffamily ttfamily normalfont textsuperscript
textsubscript underline uline sout MakeUppercase MakeLowercase MakeTextUppercase MakeTextLowercase
tiny scriptsize footnotesize small normalsize large Large LARGE huge Huge textcolor color oldstylenums
textsw textsu fontencoding fontfamily selectfont textgreek textcyrillic foreignlanguage textlatin
selectlanguage hyphenation mbox hbox ensuremath protect relax
"""
_SPACING = """
thinspace enspace enskip quad qquad hspace space nobreakspace xspace allowbreak linebreak newline break
hyphen slash nobreakdash nolinebreak kern hskip hfill unskip ignorespaces par noindent strut
"""
_LINKS = "url href doi nolinkurl path urlprefix eprint arxiv"
# biblatex, natbib, jurabib, amsrefs and the classic styles
_BIBLIOGRAPHY = """
mkbibquote mkbibemph mkbibitalic mkbibbold mkbibparens mkbibbrackets mkbibsuperscript mkbibsubscript
mkbibacro mkbibordinal mkbibnamefamily mkbibnamegiven bibstring bibcpstring bibsstring biblstring
bibrangedash bibdatedash bibnamedash bibopenparen bibcloseparen bibopenbracket bibclosebracket
addspace addcomma addperiod adddot addcolon addsemicolon addnbspace addthinspace adddotspace
addabbrvspace addslash nopunct isdot autocap enquote
cite citep citet citealp citealt citeauthor citeyear citeyearpar citetitle textcite parencite autocite
fullcite footcite cites nocite noopsort noop SortNoop sortnoop natexlab etalchar btxandcomma
bibinfo bibfield BibitemOpen
"""
_LOGOS = """
TeX LaTeX LaTeXe BibTeX AmS AMS AmSTeX AMSTeX AmSLaTeX AMSLaTeX MF MP METAFONT METAPOST ConTeXt
XeTeX XeLaTeX LuaTeX LuaLaTeX pdfTeX pdfLaTeX eTeX ExTeX SliTeX PiCTeX PCTeX LAMSTeX MakeIndex
TUB TUG PS MiKTeX teTeX TeXLive LyX Omega OMEGA Aleph BibLaTeX biber XML XyMTeX
"""
_MATH = """
frac dfrac tfrac sqrt left right big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr mathrm mathit mathbf
mathsf mathtt mathcal mathbb mathfrak mathscr boldsymbol bm operatorname text overline widehat
widetilde hat tilde bar vec dot ddot breve check acute grave mathring sum prod int iint oint lim limsup
liminf sup inf max min log ln lg exp sin cos tan cot sec csc sinh cosh tanh det dim ker deg gcd arg
Pr hom mod bmod pmod infty partial nabla cdot cdots ldots vdots ddots times div pm mp leq geq neq le
ge ne ll gg approx sim simeq equiv propto subset supset subseteq supseteq in notin ni cup cap setminus
emptyset varnothing forall exists neg lnot wedge vee land lor to rightarrow leftarrow Rightarrow
Leftarrow leftrightarrow Leftrightarrow longrightarrow mapsto ell hbar Re Im prime circ bullet star
ast oplus otimes mid parallel perp angle triangle langle rangle lfloor rfloor lceil rceil lbrace
rbrace vert Vert backslash mathop limits nolimits displaystyle textstyle scriptstyle over choose
atop stackrel overset underset binom not varepsilon vartheta varphi varrho varsigma varpi varkappa
alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma tau upsilon phi
chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega mathring underbrace overbrace
"""
_SYMBOLS = """
textregistered texttrademark textcopyright textdegree textperthousand textsection S P dag ddag
copyright pounds euro texteuro textbullet textperiodcentered textasciitilde textasciicircum
textbackslash textbar textless textgreater textunderscore textbraceleft textbraceright textdollar
textquotesingle textquotedbl textendash textemdash guillemotleft guillemotright guilsinglleft
guilsinglright quotedblbase quotesinglbase textexclamdown textquestiondown lq rq ldots dots
textellipsis textcommabelow textogonek textcircled i j o O l L ae AE oe OE aa AA ss SS dh DH th TH ng
NG dj DJ IJ ij textmu textohm textonehalf textonequarter textthreequarters textordfeminine
textordmasculine textpm texttimes textdiv textquoteleft textquoteright textquotedblleft
textquotedblright textcent textyen textflorin textnumero textdagger textdaggerdbl textparagraph
"""
# Logos and markup of TUGboat's tugboat.def/tugboat.cmn, which the TUGboat bibliography (Beebe) uses
# through ``@preamble{"\\input tugboat.def"}`` - a file we cannot see, so they are listed here.
_TUGBOAT = """
Dash acro pkg macro pgm cs cmd file env lib tubissue CTAN PDF VAX ssf cmslink TikZ AllTeX tug HTML SGML
DVI DVD NTS NTG CSTUG Xy XyM XYMTeX Xypic PreTeX TeXtures MacOSX TeXworks CSS Java La mtex manfnt slMF
WEB UNIX GNU Tib plain Thanh Abstract JTeX PiC DVItoVDU VorTeX TeXMaG BaSiX archiTeX uktug JemTeX LexiTeX
NexTeX CONTEXT NetBibTeX TeXML WARMreader warmreader FDNTeX GeX mathsPIC MTeX eOmega VnTeX AcroFLeX Bib
CS Xe pdf bibtexcpp dvitosvg origLaTeX gmLaTeXplain ringhalfrighti psqq slnine eightrm ninesmc sltt slc
smc SC SMC nth manual otr curve
"""
# The AAS journal abbreviations (aas_macros.sty), the usual way astronomy .bib files name journals.
_AAS_JOURNALS = """
aj actaa araa apj apjl apjs ao apss aap aapr aaps azh baas caa jrasc memras mnras na pra prb prc prd pre
prl pasa pasp pasj rmxaa qjras skytel solphys sovast ssr zap nat iaucirc aplett apspr bain fcp gca grl
jcp jgr jqsrt memsai nphysa physrep physscr planss procspie
"""
# More text and math commands seen in real files: counters, boxes, fonts, symbols, biblatex-gost.
_MORE = """
arabic roman Roman alph Alph symbol rlap llap smash sp sb varGamma varDelta varTheta varLambda varXi
varPi varSigma varUpsilon varPhi varPsi varOmega Diamond Box ding onethird twothirds
textinterrobangdown textinterrobang cyrchar textzh discretionary looseness verb item midsentence
headlessfullcite partedit parteditandtrans bibstring et
"""
# TeX's control symbols that print or space (``\\@`` ends a sentence, ``\\/`` is italic correction).
_CONTROL_WORDS_AS_SYMBOLS = "@"

TYPOGRAPHIC_COMMANDS: frozenset[str] = frozenset(
    " ".join((_FONTS, _SPACING, _LINKS, _BIBLIOGRAPHY, _LOGOS, _MATH, _SYMBOLS, _TUGBOAT, _AAS_JOURNALS, _MORE,
              _CONTROL_WORDS_AS_SYMBOLS)).split()
)

# Commands that define other commands, as written in a @preamble: ``\\newcommand{\\noopsort}[1]{}``.
DEFINING_COMMANDS: tuple[str, ...] = (
    "newcommand", "renewcommand", "providecommand", "DeclareRobustCommand", "def", "gdef", "edef", "xdef",
    "let", "DeclareTextCommand", "DeclareMathOperator",
)
