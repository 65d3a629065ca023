"""Citation keys: patterns, modifiers, transliteration, collisions, stability, the key pass."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

import bibtools
from bibtools.cli import main
from bibtools.keys import DEFAULT_PATTERN, KeyPatternError, assign_keys, assign_missing_keys, generate_key
from bibtools.model import Date, Item, Library, Name

from conftest import CORPORA, PROJECT


def paper(family="LeCun", given="Yann", title="Deep learning", year=2015, **fields) -> Item:
    item = Item("", "article-journal", {"author": [Name(family=family, given=given)], "title": title})
    if year:
        item.fields["issued"] = Date(parts=((year,),))
    item.fields.update(fields)
    return item


def test_default_pattern():
    assert DEFAULT_PATTERN == "[auth:lower][year][shorttitle:1]"
    assert generate_key(paper()) == "lecun2015Deep"


def test_function_words_are_skipped_in_title_parts():
    item = paper(title="The Art of Computer Programming")
    assert generate_key(item, "[shorttitle]") == "ArtComputerProgramming"
    assert generate_key(item, "[veryshorttitle]") == "Art"
    assert generate_key(item, "[shorttitle:2]") == "ArtComputer"
    assert generate_key(item, "[title:abbr]") == "ACP"
    assert generate_key(paper(title="On the <i>E. coli</i> genome"), "[shorttitle:2]") == "EColi"


def test_author_fields():
    three = Item("", "book", {"author": [Name(family="Smith"), Name(family="Jones"), Name(family="Brown")]})
    assert generate_key(three, "[auth]") == "Smith"
    assert generate_key(three, "[authors2]") == "SmithJonesEtAl"
    assert generate_key(three, "[authors]") == "SmithJonesBrown"
    assert generate_key(three, "[authEtAl]") == "SmithEtAl"
    assert generate_key(three, "[authorsAlpha]") == "SJB"
    one = Item("", "book", {"author": [Name(family="Knuth", given="Donald")]})
    assert generate_key(one, "[authorsAlpha]") == "Knu"
    five = Item("", "book", {"author": [Name(family=f) for f in ("Ab", "Cd", "Ef", "Gh", "Ij")]})
    assert generate_key(five, "[authorsAlpha]") == "ACE+"
    particle = Item("", "book", {"author": [Name(family="Meent", given="Jan-Willem", non_dropping_particle="van de")]})
    assert generate_key(particle, "[auth]") == "vandeMeent"
    assert generate_key(particle, "[auth:abbr]") == "vdM"
    assert generate_key(particle, "[auth:upper]") == "VANDEMEENT"


def test_journal_pages_and_literal_text():
    item = paper(**{"container-title": "Journal of Machine Learning Research", "page": "123–130"})
    assert generate_key(item, "[journal:abbr]") == "JMLR"
    assert generate_key(item, "[journal]") == "JournalMachineLearningResearch"
    assert generate_key(item, "[firstpage]-[lastpage]") == "123-130"
    assert generate_key(item, "[auth:lower]_[year]") == "lecun_2015"
    item.fields["container-title-short"] = "J. Mach. Learn. Res."
    assert generate_key(item, "[journal]") == "JMachLearnRes"


def test_unknown_fields_and_modifiers_are_errors():
    for bad in ("[nope]", "[auth:sideways]", "[auth:3]", "no fields"):
        with pytest.raises(KeyPatternError):
            generate_key(paper(), bad)


def test_transliteration_of_any_script():
    german = paper(family="Müller", title="Über Straßen", language="de")
    assert generate_key(german) == "mueller2015Ueber"
    assert generate_key(paper(family="Müller", title="Über alles")) == "muller2015Uber"  # not marked German
    assert generate_key(paper(family="Güneş Baydin", title="x")) == "gunesbaydin2015X"
    assert generate_key(paper(family="Иванов", title="Теория чисел")) == "ivanov2015Teoriya"
    assert generate_key(paper(family="Παπαδόπουλος", title="Θεωρία")) == "papadopoulos2015Theoria"
    assert generate_key(paper(family="张", given="伟", title="深度学习")) == "zhang2015Shen"
    assert generate_key(paper(family="山田", title="やまだ")) == "shantian2015Yamada"
    literal = Item("", "report", {"author": [Name(literal="World Health Organization")], "title": "Report"})
    assert generate_key(literal, "[auth]") == "WorldHealthOrganization"


def test_all_caps_from_databases_reads_as_words():
    item = paper(family="CASTOE", title="RAPID IDENTIFICATION OF LOCI")
    assert generate_key(item, "[auth][shorttitle:2]") == "CastoeRapidIdentification"


def test_records_without_year_title_or_author_still_get_readable_keys():
    listing = Item("", "article", {
        "author": [Name(family="Baydin", given="Atılım Güneş")],
        "abstract": "We present a new method for automatic differentiation in machine learning.",
    })
    assert generate_key(listing) == "baydinAutomatic"
    editor_only = Item("", "book", {"editor": [Name(family="Knuth")], "title": "Selected Papers"})
    assert generate_key(editor_only) == "knuthSelected"
    nothing = Item("", "document")
    library = Library([nothing, Item("", "document")])
    assign_keys(library)
    assert library.keys() == ["anon", "anona"]


def test_collisions_get_letters_in_input_order():
    library = Library([paper(), paper(), paper(), paper(title="Deep nets")])
    assign_keys(library)
    assert library.keys() == ["lecun2015Deep", "lecun2015Deepa", "lecun2015Deepb", "lecun2015Deepc"]
    assert library["lecun2015Deepc"].title == "Deep nets"


def test_existing_keys_never_change_unless_rekey():
    kept = paper()
    kept.id = "lecun2015Deep"
    other = paper(title="Backpropagation", year=1989)
    other.id = "LeCun89"
    child = paper(title="Chapter")
    child.extra["crossref"] = "LeCun89"
    library = Library([paper(), kept, other, child])
    assert assign_keys(library) == {}
    assert library.keys() == ["lecun2015Deepa", "lecun2015Deep", "LeCun89", "lecun2015Chapter"]
    renamed = assign_keys(library, "[auth][year]", rekey=True)
    assert library.keys() == ["LeCun2015", "LeCun2015a", "LeCun1989", "LeCun2015b"]
    assert renamed["LeCun89"] == "LeCun1989" and renamed["lecun2015Deep"] == "LeCun2015a"
    assert child.extra["crossref"] == "LeCun1989"


_STABILITY_SCRIPT = """
import json, sys
sys.path.insert(0, sys.argv[1])
import bibtools
from bibtools.keys import assign_keys
library = bibtools.load_file(sys.argv[2], "ris", passes=())
library.extend(bibtools.load_string(sys.argv[3], "csljson", passes=()))
assign_keys(library)
print(json.dumps(library.keys()))
"""
_MULTISCRIPT = json.dumps([
    {"type": "book", "title": "Über Straßen", "author": [{"family": "Müller"}], "language": "de"},
    {"type": "book", "title": "Теория", "author": [{"family": "Иванов"}]},
    {"type": "book", "title": "深度学习", "author": [{"family": "张"}]},
    {"type": "book", "title": "Θεωρία", "author": [{"family": "Παπαδόπουλος"}]},
    {"type": "book", "title": "Θεωρία", "author": [{"family": "Παπαδόπουλος"}]},
])


@pytest.mark.corpus
def test_keys_are_the_same_across_hash_seeds_and_locales():
    source = CORPORA / "ris" / "asysd-wos-test.ris"
    outputs = set()
    for seed, locale in (("0", "C"), ("1", "C.UTF-8"), ("12345", "tr_TR.UTF-8"), ("random", "de_DE.UTF-8")):
        env = dict(os.environ, PYTHONHASHSEED=seed, LC_ALL=locale, LANG=locale)
        run = subprocess.run(
            [sys.executable, "-c", _STABILITY_SCRIPT, str(PROJECT), str(source), _MULTISCRIPT],
            env=env, capture_output=True, text=True, check=True,
        )
        outputs.add(run.stdout)
    assert len(outputs) == 1
    keys = json.loads(outputs.pop())
    assert len(keys) == len(set(keys)) == 55
    assert keys[-5:] == ["muellerUeber", "ivanovTeoriya", "zhangShen", "papadopoulosTheoria", "papadopoulosTheoriaa"]


def test_the_key_pass_names_only_keyless_items():
    csl = '[{"id": "mine", "type": "book", "title": "A"}, {"type": "book", "title": "Deep learning", "author": [{"family": "LeCun"}], "issued": {"date-parts": [[2015]]}}]'
    library = bibtools.load_string(csl, "csljson")
    assert library.keys() == ["mine", "lecun2015Deep"]
    assert [d.code for d in library.diagnostics if d.code == "csljson.no-id"] == ["csljson.no-id"]
    raw = bibtools.load_string(csl, "csljson", passes=())
    assert raw.keys() == ["mine", ""]
    assign_missing_keys(raw)
    assert raw.keys() == ["mine", "lecun2015Deep"]


def test_keys_command(tmp_path):
    source = tmp_path / "in.ris"
    source.write_text("TY  - JOUR\nAU  - Harrison, Warren\nTI  - Open Source\nPY  - 2001\nER  - \n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["keys", str(source), "--pattern", "[auth][year]", "--to", "csljson"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["id"] == "Harrison2001"
    out = tmp_path / "out.ris"
    result = runner.invoke(main, ["keys", str(source), "-o", str(out)])
    assert result.exit_code == 0
    assert "ID  - harrison2001Open" in out.read_text(encoding="utf-8").splitlines()
    bad = runner.invoke(main, ["keys", str(source), "--pattern", "[nope]"])
    assert bad.exit_code == 2


def test_keys_generated_for_several_inputs_never_collide(tmp_path):
    record = "TY  - JOUR\nAU  - Smith, J\nTI  - Deep things\nPY  - 2020\nER  - \n"
    (tmp_path / "a.ris").write_text(record, encoding="utf-8")
    (tmp_path / "b.ris").write_text(record, encoding="utf-8")
    result = CliRunner().invoke(main, ["convert", str(tmp_path / "a.ris"), str(tmp_path / "b.ris"), "--to", "csljson"])
    assert result.exit_code == 0, result.output
    assert [i["id"] for i in json.loads(result.stdout)] == ["smith2020Deep", "smith2020Deepa"]
