"""Generated hostile input in every format: readers and lint return, never raise or hang."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fuzz_harness import FUZZ, read_and_lint, readable_formats
from fuzz_strategies import arxiv_text, bibtex_file, crossref_text, csl_json_text, listing_text, ris_text


@FUZZ
@given(bibtex_file())
def test_generated_bibtex(text: str) -> None:
    read_and_lint(text.encode("utf-8", "surrogatepass"), "fuzz.bib")


@FUZZ
@given(csl_json_text())
def test_generated_csl_json(text: str) -> None:
    read_and_lint(text.encode("utf-8", "surrogatepass"), "fuzz.json")


@FUZZ
@given(ris_text())
def test_generated_ris(text: str) -> None:
    read_and_lint(text.encode("utf-8", "surrogatepass"), "fuzz.ris")


@FUZZ
@given(listing_text())
def test_generated_listing(text: str) -> None:
    read_and_lint(text.encode("utf-8", "surrogatepass"), "fuzz.txt")


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from(["fuzz.bib", "fuzz.json", "fuzz.ris", "fuzz.txt", "fuzz"]))
def test_random_bytes(data: bytes, name: str) -> None:
    read_and_lint(data, name)


@FUZZ
@given(crossref_text())
def test_generated_crossref(text: str) -> None:
    for fmt in readable_formats("crossref", "openalex", "semanticscholar"):
        read_and_lint(text.encode("utf-8", "surrogatepass"), "fuzz.json", fmt)


@FUZZ
@given(arxiv_text())
def test_generated_arxiv_atom(text: str) -> None:
    for fmt in readable_formats("arxiv"):
        read_and_lint(text.encode("utf-8", "surrogatepass"), "fuzz.xml", fmt)


@FUZZ
@given(ris_text())
def test_generated_ris_read_as_wos(text: str) -> None:
    wos = "FN Clarivate Analytics Web of Science\nVR 1.0\n" + text.replace("  - ", " ").replace("ER ", "ER\n") + "\nEF"
    for fmt in readable_formats("wos"):
        read_and_lint(wos.encode("utf-8", "surrogatepass"), "fuzz.txt", fmt)
