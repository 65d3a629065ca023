"""Scoring candidates: each kind of evidence, and how they combine."""
from __future__ import annotations

from bibtools.matching import UNIDENTIFIED_CAP, abstract_similarity, author_similarity, normalize_text, same_work, score, title_similarity
from bibtools.model import Date, Item, Name

ABSTRACT = (
    "Convolutional neural networks (CNN) exhibit unmatched performance in a multitude of computer vision tasks. However, the "
    "advantage of using convolutional networks over fully-connected networks is not understood from a theoretical perspective. "
    "In this work, we show how convolutional networks can leverage locality in the data, and thus achieve a computational "
    "advantage over fully-connected networks."
)


def test_normalize_strips_markup_tex_and_accents():
    assert normalize_text("We \\emph{prove} that <i>Göbel</i>'s bound \\citep{x2020} holds, $O(n)$.") == "we prove that gobel s bound holds o n"


def test_title_similarity():
    assert title_similarity("Computational Separation Between Convolutional and Fully-Connected Networks", "Computational separation between convolutional and fully connected networks.") == 1.0
    assert title_similarity("Less is More: Selective Layer Finetuning with SubTuning", "Less is More: Sparse Finetuning of Pretrained Networks") < 0.8


def test_author_similarity_ignores_order_accents_and_given_names():
    a = [Name(family="Baydin", given="Atılım Güneş"), Name(family="Mindermann", given="Sören")]
    b = [Name(family="Mindermann", given="S."), Name(literal="Atilim Gunes Baydin")]
    assert author_similarity(a, b) == 1.0
    assert author_similarity(a, [Name(family="Mindermann")]) == 0.25 * 2 / 3 + 0.75
    assert author_similarity(a, [Name(family="Doe")]) == 0.0


def test_abstract_containment_rewards_fragments_not_shared_openings():
    fragment = " ".join(ABSTRACT.split()[:30])
    assert abstract_similarity(fragment, ABSTRACT) == 1.0
    other = ABSTRACT.split(". ")[0] + ". We study instead recurrent networks on speech data and report word error rates on three benchmarks of spoken English."
    assert abstract_similarity(ABSTRACT, other) < 0.6
    assert abstract_similarity("too short", ABSTRACT) is None


def test_authors_and_year_alone_never_make_a_confident_match():
    names = [Name(family="Malach"), Name(family="Shalev-Shwartz")]
    record = Item("r", "article", {"author": names, "issued": Date(parts=((2021,),))})
    other_paper = Item("c", "article-journal", {"author": names, "issued": Date(parts=((2021,),)), "title": "Something else"})
    result = score(record, other_paper)
    assert result.confidence <= UNIDENTIFIED_CAP and "no title or abstract" in result.note


def test_abstract_and_authors_identify_a_titleless_record():
    names = [Name(family="Malach"), Name(family="Shalev-Shwartz")]
    record = Item("r", "article", {"author": names, "abstract": ABSTRACT})
    right = Item("c", "paper-conference", {"author": names, "abstract": "<jats:p>" + ABSTRACT + "</jats:p>", "title": "Computational Separation"})
    same_authors = Item("d", "paper-conference", {"author": names, "abstract": "We study depth separation for learning with gradient descent in neural networks with one hidden layer, and prove lower bounds.", "title": "Other"})
    assert score(record, right).confidence >= 0.95
    assert score(record, same_authors).confidence < 0.6


def test_same_work_groups_versions_not_namesakes():
    a = Item("a", "article", {"title": "Deep Learning", "author": [Name(family="LeCun"), Name(family="Bengio"), Name(family="Hinton")]})
    b = Item("b", "article-journal", {"title": "Deep learning.", "author": [Name(family="LeCun"), Name(family="Bengio"), Name(family="Hinton")]})
    c = Item("c", "book", {"title": "Deep Learning", "author": [Name(family="Goodfellow"), Name(family="Bengio"), Name(family="Courville")]})
    assert same_work(a, b)
    assert not same_work(a, c)
    assert same_work(Item("x", "article", {"DOI": "10.5555/A"}), Item("y", "article", {"DOI": "10.5555/a"}))
