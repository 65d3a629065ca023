"""A small bibliographic world served on 127.0.0.1 for the enrich tests.

* The recorded Crossref ``/works/{doi}`` answers and arXiv ``id_list`` feeds
  from ``../shared/corpora`` are served at the paths the real services use.
* The nine papers of ``../shared/corpora/listings/paper-index-author-page.txt``
  are known to a Crossref-shaped search (``/works?query.bibliographic=``), with
  their real titles and years, and with look-alike candidates (same authors,
  other papers; same title, other authors; an abstract that copies the
  opening sentences) that must never be chosen. Abstracts of the true papers
  are taken from the listing at test time (not copied into the repository);
  the look-alikes' abstracts are invented for these tests.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from localserver import LocalServer, Reply

TEST_PREFIX = "10.5555"  # Crossref's documented test prefix: these DOIs are ours


@dataclass
class Paper:
    title: str
    year: int
    authors: list[tuple[str, str]]  # (given, family)
    abstract: str
    doi: str
    kind: str = "posted-content"
    venue: str | None = None
    volume: str | None = None
    wrong: bool = False  # a look-alike: enrichment must never pick it

    def work(self) -> dict:
        work: dict = {
            "DOI": self.doi,
            "type": self.kind,
            "title": [self.title],
            "author": [{"given": g, "family": f, "sequence": "first" if i == 0 else "additional"} for i, (g, f) in enumerate(self.authors)],
            "issued": {"date-parts": [[self.year]]},
            "published": {"date-parts": [[self.year]]},
            "abstract": "<jats:title>Abstract</jats:title><jats:p>" + _jats(self.abstract) + "</jats:p>",
            "publisher": "Test Publisher",
            "URL": f"https://doi.org/{self.doi}",
        }
        if self.venue:
            work["container-title"] = [self.venue]
        if self.volume:
            work["volume"] = self.volume
        return work


def _jats(text: str) -> str:
    """The abstract the way Crossref carries it: JATS markup instead of TeX."""
    return re.sub(r"\\emph\{([^}]*)\}", r"<jats:italic>\1</jats:italic>", text)


# -- the listing ----------------------------------------------------------------
@dataclass
class ListingRecord:
    authors: list[str]
    abstract: str


def read_listing(path: Path) -> list[ListingRecord]:
    """The listing page's records: an authors line, the abstract, a closing ``Via``."""
    text = path.read_text(encoding="utf-8")
    records = []
    for block in re.split(r"^Via\s*$", text, flags=re.MULTILINE):
        paras = [p.strip() for p in re.split(r"\n\s*\n", block) if p.strip()]
        if len(paras) < 2:
            continue
        authors_line, abstract = paras[-2], paras[-1]
        records.append(ListingRecord([a.strip() for a in authors_line.split(",")], abstract))
    return records


def split_name(full: str) -> tuple[str, str]:
    given, _, family = full.rpartition(" ")
    return given, family


# What the real papers are (titles found from their abstracts), in listing order.
TRUE_PAPERS = [
    ("Managing AI Risks in an Era of Rapid Progress", 2023, "posted-content", None, None),
    ("Less is More: Selective Layer Finetuning with SubTuning", 2023, "posted-content", None, None),
    (
        "MRKL Systems: A modular, neuro-symbolic architecture that combines large language models, "
        "external knowledge sources and discrete reasoning",
        2022,
        "posted-content",
        None,
        None,
    ),
    ("Standing on the Shoulders of Giant Frozen Language Models", 2022, "posted-content", None, None),
    ("Knowledge Distillation: Bad Models Can Be Good Role Models", 2022, "proceedings-article", "Advances in Neural Information Processing Systems", "35"),
    (
        "The Connection Between Approximation, Depth Separation and Learnability in Neural Networks",
        2021,
        "proceedings-article",
        "Proceedings of the Thirty Fourth Conference on Learning Theory",
        None,
    ),
    ("Computational Separation Between Convolutional and Fully-Connected Networks", 2021, "proceedings-article", "International Conference on Learning Representations", None),
    ("When Hardness of Approximation Meets Hardness of Learning", 2022, "journal-article", "Journal of Machine Learning Research", "23"),
    ("On the Ethics of Building AI in a Responsible Manner", 2020, "posted-content", None, None),
]


def look_alikes(listing: list[ListingRecord]) -> list[Paper]:
    """Wrong candidates that share authors, titles or opening sentences with the true papers."""
    first_sentences = lambda n, k: " ".join(re.split(r"(?<=\.)\s+", listing[n].abstract)[:k])  # noqa: E731
    ms = [("Eran", "Malach"), ("Shai", "Shalev-Shwartz")]
    return [
        Paper(
            "Managing AI Risks in an Era of Rapid Progress",
            2024,
            [("Jane", "Roe"), ("John", "Doe")],
            "We respond to a recent consensus statement on risks from frontier models. We question whether the proposed "
            "research and governance priorities can be implemented by national regulators, and we sketch an alternative "
            "agenda based on liability, auditing and incident reporting for deployed systems.",
            f"{TEST_PREFIX}/wrong.ai-risks-reply",
            "journal-article",
            "Journal of Policy Commentary",
            wrong=True,
        ),
        Paper(
            "Less is More: Sparse Finetuning of Pretrained Networks",
            2023,
            [("Gal", "Kaplun"), ("Eran", "Malach")],
            first_sentences(1, 1)
            + " We propose to update only a random sparse mask of the weights and show that the mask can be chosen once "
            "and reused across tasks, which saves memory during training on edge devices with small batches.",
            f"{TEST_PREFIX}/wrong.sparse-finetuning",
            wrong=True,
        ),
        Paper(
            "Jurassic-X: Routing Requests Between Language Models and Tools",
            2022,
            [("Yoav", "Levine"), ("Opher", "Lieber"), ("Barak", "Lenz"), ("Yoav", "Shoham"), ("Amnon", "Shashua")],
            "We present a router that decides, for each user request, whether a large language model should answer directly "
            "or call a calculator, a database or a search engine, and we report latency and accuracy on a set of "
            "arithmetic and lookup benchmarks collected from production traffic.",
            f"{TEST_PREFIX}/wrong.jurassic-x",
            wrong=True,
        ),
        Paper(
            "Is Deeper Better only when Shallow is Good?",
            2019,
            ms,
            "We study the power of depth in networks whose target function is a fractal. We show that when the fractal "
            "cannot be approximated by a shallow network, gradient methods also fail to learn it with a deep one, and "
            "discuss what this means for the expressivity of depth.",
            f"{TEST_PREFIX}/wrong.deeper-better",
            "proceedings-article",
            "Advances in Neural Information Processing Systems",
            wrong=True,
        ),
        Paper(
            "The Implications of Local Correlation on Learning Some Deep Functions",
            2020,
            ms,
            "It is known that learning deep functions is hard in general. We identify a property of the input distribution, "
            "local correlation between the label and parts of the input, under which a family of tree-structured boolean "
            "circuits becomes learnable by layer-wise training.",
            f"{TEST_PREFIX}/wrong.local-correlation",
            "proceedings-article",
            "Advances in Neural Information Processing Systems",
            wrong=True,
        ),
        Paper(
            "A Note on Depth Separation and Learnability",
            2021,
            [("Alex", "Student"), ("Blair", "Advisor")],
            first_sentences(5, 3),  # copies the opening of the true abstract, by other people
            f"{TEST_PREFIX}/wrong.depth-note",
            wrong=True,
        ),
        Paper(
            "On a Formal Model of Safe and Scalable Self-driving Cars",
            2017,
            [("Shai", "Shalev-Shwartz"), ("Shaked", "Shammah"), ("Amnon", "Shashua")],
            "We propose a white-box, interpretable, mathematical model for safety assurance of autonomous vehicles, which "
            "formalizes what it means for a car to drive responsibly, and a design of a planning system that scales to "
            "millions of cars.",
            f"{TEST_PREFIX}/wrong.safe-driving",
            wrong=True,
        ),
        Paper(
            "Distributional Generalization: A New Kind of Generalization",
            2020,
            [("Preetum", "Nakkiran"), ("Yamini", "Bansal")],
            "We introduce a formal notion of distributional generalization, under which the outputs of a classifier at train "
            "and test time are close as distributions rather than only in average error, and we give experimental evidence "
            "for it across neural networks, kernel machines and decision trees.",
            f"{TEST_PREFIX}/wrong.distributional",
            wrong=True,
        ),
    ]


def build_papers(listing: list[ListingRecord]) -> list[Paper]:
    papers = []
    for n, (record, (title, year, kind, venue, volume)) in enumerate(zip(listing, TRUE_PAPERS)):
        abstract = record.abstract
        if n % 2:  # the publisher's version of the abstract often lacks a sentence or has another
            sentences = re.split(r"(?<=\.)\s+", abstract)
            abstract = " ".join(sentences[:-1]) if len(sentences) > 2 else abstract + " Code is available online."
        papers.append(
            Paper(title, year, [split_name(a) for a in record.authors], abstract, f"{TEST_PREFIX}/true.{n + 1}", kind, venue, volume)
        )
    return papers + look_alikes(listing)


# -- serving -------------------------------------------------------------------
_WORD = re.compile(r"[a-z0-9]+")


def _tokens(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


@dataclass
class World:
    server: LocalServer
    papers: list[Paper] = field(default_factory=list)

    def search(self, query: dict[str, str]) -> Reply:
        """Crossref-like relevance: shared words with title, abstract and author names."""
        words = _tokens(query.get("query.bibliographic", "") + " " + query.get("query.author", ""))
        rows = int(query.get("rows", "20"))
        ranked = []
        for paper in self.papers:
            hay = _tokens(paper.title + " " + paper.abstract + " " + " ".join(f for _, f in paper.authors))
            hits = len(words & hay)
            if hits:
                ranked.append((hits, paper))
        ranked.sort(key=lambda pair: -pair[0])
        items = [p.work() for _, p in ranked[:rows]]
        body = {
            "status": "ok",
            "message-type": "work-list",
            "message-version": "1.0.0",
            "message": {"facets": {}, "total-results": len(ranked), "items": items, "items-per-page": rows, "query": {"start-index": 0, "search-terms": None}},
        }
        return Reply(200, json.dumps(body))

    def serve_papers(self) -> None:
        self.server.routes["/works"] = self.search
        for paper in self.papers:
            body = {"status": "ok", "message-type": "work", "message-version": "1.0.0", "message": paper.work()}
            self.server.routes[f"/works/{paper.doi}"] = Reply(200, json.dumps(body))


def serve_recorded_crossref(server: LocalServer, corpora: Path) -> dict[str, dict]:
    """``/works/{doi}`` for every recorded single-work answer; returns doi -> message."""
    known: dict[str, dict] = {}
    for name in ("habanero-crossref-works-single.json", "papis-crossref-works.json"):
        for record in json.loads((corpora / "crossref" / name).read_text(encoding="utf-8")):
            message = record["response"]["message"]
            doi = message["DOI"]
            known[doi] = message
            server.routes[f"/works/{doi}"] = Reply(200, json.dumps(record["response"]))
    return known


def serve_recorded_arxiv(server: LocalServer, corpora: Path, prefix: str = "/api") -> dict[str, str]:
    """``/api/query?id_list=`` answered from the recorded feeds; returns id_list -> feed text."""
    folder = corpora / "arxiv" / "arxiv.py-fixtures"
    feeds: dict[str, tuple[int, str]] = {}
    for entry in json.loads((folder / "index.json").read_text(encoding="utf-8")):
        match = re.search(r"[?&]id_list=([^&]+)", entry["url"])
        if match and entry["file"].startswith("id_"):
            from urllib.parse import unquote

            feeds[unquote(match.group(1))] = (entry["status_code"], (folder / entry["file"]).read_text(encoding="utf-8"))

    def answer(query: dict[str, str]) -> Reply:
        status, text = feeds.get(query.get("id_list", ""), (200, _EMPTY_FEED))
        return Reply(status, text, content_type="application/atom+xml")

    server.routes[f"{prefix}/query"] = answer
    return {k: v[1] for k, v in feeds.items()}


_EMPTY_FEED = (
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">'
    "<title>arXiv Query</title><opensearch:totalResults>0</opensearch:totalResults></feed>"
)


class ArxivSearch:
    """``/api/query?search_query=...`` over a recorded search feed, answering like arXiv:
    the ``max_results`` entries sharing the most words with the query, best first."""

    def __init__(self, feed: str) -> None:
        start = feed.index("<entry>")
        self.head, self.tail = feed[:start], "</feed>\n"
        self.entries = re.findall(r"<entry>.*?</entry>", feed, flags=re.S)
        self.words = [_tokens(re.sub(r"<[^>]+>", " ", e)) for e in self.entries]

    def __call__(self, query: dict[str, str]) -> Reply:
        wanted = _tokens(re.sub(r"\b(?:au|ti|abs|all|AND|OR)\b:?", " ", query.get("search_query", "")))
        rows = int(query.get("max_results", "10"))
        ranked = sorted(range(len(self.entries)), key=lambda i: -len(wanted & self.words[i]))[:rows]
        body = self.head + "\n".join(self.entries[i] for i in ranked) + self.tail
        return Reply(200, body, content_type="application/atom+xml")
