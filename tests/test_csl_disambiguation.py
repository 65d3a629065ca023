"""CSL disambiguation against citeproc-js (the reference processor).

Every expected string below is what citeproc-js 2.4.63 printed for the same
style and items (all items registered, each cited alone, then the bibliography),
recorded by running it through ``benchmarks/csl_oracle_js.js``: never bibtools'
own output. The small style varies only its disambiguation attributes; the items
are made to need each method: cites alike until a second name (Abadi), a given
name and then a second name (D. Wang), a given name alone (Smith), nothing but
a year-suffix or the ``disambiguate`` condition (Doe & Roe), and a family name
shared by different people elsewhere in the list (Lee).
"""
from __future__ import annotations

import json

import pytest

from bibtools.csl import CslEngine
from bibtools.csl.conformance import style_source

from conftest import CORPORA

STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
  <citation et-al-min="3" et-al-use-first="1" ATTRS>
    <layout prefix="(" suffix=")" delimiter="; ">
      <group delimiter=" ">
        <names variable="author"><name form="short" and="symbol" delimiter=", " initialize-with=". "/></names>
        <date variable="issued"><date-part name="year"/></date>
      </group>CONDITION
    </layout>
  </citation>
  <bibliography et-al-min="3" et-al-use-first="1" subsequent-author-substitute="---">
    <sort><key macro="author"/><key variable="issued"/></sort>
    <layout suffix=".">
      <group delimiter=". ">
        <text macro="author"/>
        <date variable="issued"><date-part name="year"/></date>
        <text variable="title"/>
      </group>
    </layout>
  </bibliography>
  <macro name="author"><names variable="author"><name name-as-sort-order="first" and="text" delimiter=", " initialize-with=". "/></names></macro>
</style>"""
CONDITION = '<choose><if disambiguate="true"><text variable="title" prefix=", "/></if></choose>'

def _person(family: str, given: str) -> dict[str, str]:
    return {"family": family, "given": given}

ITEMS = [
    {"id": 'wang1', "type": "book", "title": 'Vision one', "issued": {"date-parts": [[2016]]}, "author": [_person('Wang', 'Dan'), _person('Khosla', 'Aditya'), _person('Gargeya', 'Rishi')]},
    {"id": 'wang2', "type": "book", "title": 'Vision two', "issued": {"date-parts": [[2016]]}, "author": [_person('Wang', 'Dan'), _person('Irshad', 'Humayun'), _person('Beck', 'Andrew')]},
    {"id": 'wang3', "type": "book", "title": 'Vision three', "issued": {"date-parts": [[2016]]}, "author": [_person('Wang', 'Yu'), _person('Khosla', 'Aditya'), _person('Beck', 'Andrew')]},
    {"id": 'abadi1', "type": "book", "title": 'TensorFlow', "issued": {"date-parts": [[2016]]}, "author": [_person('Abadi', 'Martín'), _person('Agarwal', 'Ashish'), _person('Barham', 'Paul')]},
    {"id": 'abadi2', "type": "book", "title": 'Privacy', "issued": {"date-parts": [[2016]]}, "author": [_person('Abadi', 'Martín'), _person('Chu', 'Andy'), _person('Goodfellow', 'Ian')]},
    {"id": 'smith1', "type": "book", "title": 'Alpha', "issued": {"date-parts": [[2000]]}, "author": [_person('Smith', 'John')]},
    {"id": 'smith2', "type": "book", "title": 'Beta', "issued": {"date-parts": [[2000]]}, "author": [_person('Smith', 'Jane')]},
    {"id": 'smith3', "type": "book", "title": 'Gamma', "issued": {"date-parts": [[2000]]}, "author": [_person('Smith', 'Adam')]},
    {"id": 'doe1', "type": "book", "title": 'Same one', "issued": {"date-parts": [[1990]]}, "author": [_person('Doe', 'Ann'), _person('Roe', 'Bo')]},
    {"id": 'doe2', "type": "book", "title": 'Same two', "issued": {"date-parts": [[1990]]}, "author": [_person('Doe', 'Ann'), _person('Roe', 'Bo')]},
    {"id": 'lee1', "type": "book", "title": 'Co-author', "issued": {"date-parts": [[2010]]}, "author": [_person('Park', 'Min'), _person('Lee', 'Kim')]},
    {"id": 'lee2', "type": "book", "title": 'Lead', "issued": {"date-parts": [[2012]]}, "author": [_person('Lee', 'Sun')]},
]

# attributes of cs:citation -> (citations by id, bibliography in order), as citeproc-js printed them
CASES = {
    'by-cite': (
        'disambiguate-add-names="true" disambiguate-add-givenname="true"',
        {
            'wang1': '(D. Wang, Khosla, et al. 2016)',
            'wang2': '(D. Wang, Irshad, et al. 2016)',
            'wang3': '(Y. Wang et al. 2016)',
            'abadi1': '(Abadi, Agarwal, et al. 2016)',
            'abadi2': '(Abadi, Chu, et al. 2016)',
            'smith1': '(John Smith 2000)',
            'smith2': '(Jane Smith 2000)',
            'smith3': '(A. Smith 2000)',
            'doe1': '(Doe & Roe 1990)',
            'doe2': '(Doe & Roe 1990)',
            'lee1': '(Park & Lee 2010)',
            'lee2': '(Lee 2012)',
        },
        [
            ('abadi1', 'Abadi, M., A. Agarwal, et al. 2016. TensorFlow.'),
            ('abadi2', 'Abadi, M., A. Chu, et al. 2016. Privacy.'),
            ('doe1', 'Doe, A. and B. Roe. 1990. Same one.'),
            ('doe2', '---. 1990. Same two.'),
            ('lee2', 'Lee, S. 2012. Lead.'),
            ('lee1', 'Park, M. and K. Lee. 2010. Co-author.'),
            ('smith3', 'Smith, A. 2000. Gamma.'),
            ('smith1', 'Smith, John. 2000. Alpha.'),
            ('smith2', 'Smith, Jane. 2000. Beta.'),
            ('wang1', 'Wang, D., A. Khosla, et al. 2016. Vision one.'),
            ('wang2', 'Wang, D., H. Irshad, et al. 2016. Vision two.'),
            ('wang3', 'Wang, Y. et al. 2016. Vision three.'),
        ],
    ),
    'by-cite-suffix': (
        'disambiguate-add-names="true" disambiguate-add-givenname="true" disambiguate-add-year-suffix="true"',
        {
            'wang1': '(D. Wang, Khosla, et al. 2016)',
            'wang2': '(D. Wang, Irshad, et al. 2016)',
            'wang3': '(Y. Wang et al. 2016)',
            'abadi1': '(Abadi, Agarwal, et al. 2016)',
            'abadi2': '(Abadi, Chu, et al. 2016)',
            'smith1': '(John Smith 2000)',
            'smith2': '(Jane Smith 2000)',
            'smith3': '(A. Smith 2000)',
            'doe1': '(Doe & Roe 1990a)',
            'doe2': '(Doe & Roe 1990b)',
            'lee1': '(Park & Lee 2010)',
            'lee2': '(Lee 2012)',
        },
        [
            ('abadi1', 'Abadi, M., A. Agarwal, et al. 2016. TensorFlow.'),
            ('abadi2', 'Abadi, M., A. Chu, et al. 2016. Privacy.'),
            ('doe1', 'Doe, A. and B. Roe. 1990a. Same one.'),
            ('doe2', '---. 1990b. Same two.'),
            ('lee2', 'Lee, S. 2012. Lead.'),
            ('lee1', 'Park, M. and K. Lee. 2010. Co-author.'),
            ('smith3', 'Smith, A. 2000. Gamma.'),
            ('smith1', 'Smith, John. 2000. Alpha.'),
            ('smith2', 'Smith, Jane. 2000. Beta.'),
            ('wang1', 'Wang, D., A. Khosla, et al. 2016. Vision one.'),
            ('wang2', 'Wang, D., H. Irshad, et al. 2016. Vision two.'),
            ('wang3', 'Wang, Y. et al. 2016. Vision three.'),
        ],
    ),
    'all-names': (
        'disambiguate-add-givenname="true" givenname-disambiguation-rule="all-names"',
        {
            'wang1': '(D. Wang et al. 2016)',
            'wang2': '(D. Wang et al. 2016)',
            'wang3': '(Y. Wang et al. 2016)',
            'abadi1': '(Abadi et al. 2016)',
            'abadi2': '(Abadi et al. 2016)',
            'smith1': '(John Smith 2000)',
            'smith2': '(Jane Smith 2000)',
            'smith3': '(A. Smith 2000)',
            'doe1': '(Doe & Roe 1990)',
            'doe2': '(Doe & Roe 1990)',
            'lee1': '(Park & K. Lee 2010)',
            'lee2': '(S. Lee 2012)',
        },
        [
            ('abadi1', 'Abadi, M. et al. 2016. TensorFlow.'),
            ('abadi2', '---. 2016. Privacy.'),
            ('doe1', 'Doe, A. and B. Roe. 1990. Same one.'),
            ('doe2', '---. 1990. Same two.'),
            ('lee2', 'Lee, S. 2012. Lead.'),
            ('lee1', 'Park, M. and K. Lee. 2010. Co-author.'),
            ('smith3', 'Smith, A. 2000. Gamma.'),
            ('smith2', 'Smith, Jane. 2000. Beta.'),
            ('smith1', 'Smith, John. 2000. Alpha.'),
            ('wang1', 'Wang, D. et al. 2016. Vision one.'),
            ('wang2', '---. 2016. Vision two.'),
            ('wang3', 'Wang, Y. et al. 2016. Vision three.'),
        ],
    ),
    'all-names-with-initials': (
        'disambiguate-add-givenname="true" givenname-disambiguation-rule="all-names-with-initials"',
        {
            'wang1': '(D. Wang et al. 2016)',
            'wang2': '(D. Wang et al. 2016)',
            'wang3': '(Y. Wang et al. 2016)',
            'abadi1': '(Abadi et al. 2016)',
            'abadi2': '(Abadi et al. 2016)',
            'smith1': '(J. Smith 2000)',
            'smith2': '(J. Smith 2000)',
            'smith3': '(A. Smith 2000)',
            'doe1': '(Doe & Roe 1990)',
            'doe2': '(Doe & Roe 1990)',
            'lee1': '(Park & K. Lee 2010)',
            'lee2': '(S. Lee 2012)',
        },
        [
            ('abadi1', 'Abadi, M. et al. 2016. TensorFlow.'),
            ('abadi2', '---. 2016. Privacy.'),
            ('doe1', 'Doe, A. and B. Roe. 1990. Same one.'),
            ('doe2', '---. 1990. Same two.'),
            ('lee2', 'Lee, S. 2012. Lead.'),
            ('lee1', 'Park, M. and K. Lee. 2010. Co-author.'),
            ('smith3', 'Smith, A. 2000. Gamma.'),
            ('smith1', 'Smith, J. 2000. Alpha.'),
            ('smith2', 'Smith, J. 2000. Beta.'),
            ('wang1', 'Wang, D. et al. 2016. Vision one.'),
            ('wang2', '---. 2016. Vision two.'),
            ('wang3', 'Wang, Y. et al. 2016. Vision three.'),
        ],
    ),
    'primary-name': (
        'disambiguate-add-givenname="true" givenname-disambiguation-rule="primary-name"',
        {
            'wang1': '(D. Wang et al. 2016)',
            'wang2': '(D. Wang et al. 2016)',
            'wang3': '(Y. Wang et al. 2016)',
            'abadi1': '(Abadi et al. 2016)',
            'abadi2': '(Abadi et al. 2016)',
            'smith1': '(John Smith 2000)',
            'smith2': '(Jane Smith 2000)',
            'smith3': '(A. Smith 2000)',
            'doe1': '(Doe & Roe 1990)',
            'doe2': '(Doe & Roe 1990)',
            'lee1': '(Park & Lee 2010)',
            'lee2': '(Lee 2012)',
        },
        [
            ('abadi1', 'Abadi, M. et al. 2016. TensorFlow.'),
            ('abadi2', '---. 2016. Privacy.'),
            ('doe1', 'Doe, A. and B. Roe. 1990. Same one.'),
            ('doe2', '---. 1990. Same two.'),
            ('lee2', 'Lee, S. 2012. Lead.'),
            ('lee1', 'Park, M. and K. Lee. 2010. Co-author.'),
            ('smith3', 'Smith, A. 2000. Gamma.'),
            ('smith2', 'Smith, Jane. 2000. Beta.'),
            ('smith1', 'Smith, John. 2000. Alpha.'),
            ('wang1', 'Wang, D. et al. 2016. Vision one.'),
            ('wang2', '---. 2016. Vision two.'),
            ('wang3', 'Wang, Y. et al. 2016. Vision three.'),
        ],
    ),
    'primary-name-with-initials': (
        'disambiguate-add-givenname="true" givenname-disambiguation-rule="primary-name-with-initials"',
        {
            'wang1': '(D. Wang et al. 2016)',
            'wang2': '(D. Wang et al. 2016)',
            'wang3': '(Y. Wang et al. 2016)',
            'abadi1': '(Abadi et al. 2016)',
            'abadi2': '(Abadi et al. 2016)',
            'smith1': '(J. Smith 2000)',
            'smith2': '(J. Smith 2000)',
            'smith3': '(A. Smith 2000)',
            'doe1': '(Doe & Roe 1990)',
            'doe2': '(Doe & Roe 1990)',
            'lee1': '(Park & Lee 2010)',
            'lee2': '(Lee 2012)',
        },
        [
            ('abadi1', 'Abadi, M. et al. 2016. TensorFlow.'),
            ('abadi2', '---. 2016. Privacy.'),
            ('doe1', 'Doe, A. and B. Roe. 1990. Same one.'),
            ('doe2', '---. 1990. Same two.'),
            ('lee2', 'Lee, S. 2012. Lead.'),
            ('lee1', 'Park, M. and K. Lee. 2010. Co-author.'),
            ('smith3', 'Smith, A. 2000. Gamma.'),
            ('smith1', 'Smith, J. 2000. Alpha.'),
            ('smith2', 'Smith, J. 2000. Beta.'),
            ('wang1', 'Wang, D. et al. 2016. Vision one.'),
            ('wang2', '---. 2016. Vision two.'),
            ('wang3', 'Wang, Y. et al. 2016. Vision three.'),
        ],
    ),
    'names-only': (
        'disambiguate-add-names="true"',
        {
            'wang1': '(Wang, Khosla, & Gargeya 2016)',
            'wang2': '(Wang, Irshad, et al. 2016)',
            'wang3': '(Wang, Khosla, & Beck 2016)',
            'abadi1': '(Abadi, Agarwal, et al. 2016)',
            'abadi2': '(Abadi, Chu, et al. 2016)',
            'smith1': '(Smith 2000)',
            'smith2': '(Smith 2000)',
            'smith3': '(Smith 2000)',
            'doe1': '(Doe & Roe 1990)',
            'doe2': '(Doe & Roe 1990)',
            'lee1': '(Park & Lee 2010)',
            'lee2': '(Lee 2012)',
        },
        [
            ('abadi1', 'Abadi, M. et al. 2016. TensorFlow.'),
            ('abadi2', '---. 2016. Privacy.'),
            ('doe1', 'Doe, A. and B. Roe. 1990. Same one.'),
            ('doe2', '---. 1990. Same two.'),
            ('lee2', 'Lee, S. 2012. Lead.'),
            ('lee1', 'Park, M. and K. Lee. 2010. Co-author.'),
            ('smith3', 'Smith, A. 2000. Gamma.'),
            ('smith1', 'Smith, J. 2000. Alpha.'),
            ('smith2', 'Smith, J. 2000. Beta.'),
            ('wang1', 'Wang, D. et al. 2016. Vision one.'),
            ('wang2', '---. 2016. Vision two.'),
            ('wang3', 'Wang, Y. et al. 2016. Vision three.'),
        ],
    ),
    'suffix-only': (
        'disambiguate-add-year-suffix="true"',
        {
            'wang1': '(Wang et al. 2016a)',
            'wang2': '(Wang et al. 2016b)',
            'wang3': '(Wang et al. 2016c)',
            'abadi1': '(Abadi et al. 2016a)',
            'abadi2': '(Abadi et al. 2016b)',
            'smith1': '(Smith 2000b)',
            'smith2': '(Smith 2000c)',
            'smith3': '(Smith 2000a)',
            'doe1': '(Doe & Roe 1990a)',
            'doe2': '(Doe & Roe 1990b)',
            'lee1': '(Park & Lee 2010)',
            'lee2': '(Lee 2012)',
        },
        [
            ('abadi1', 'Abadi, M. et al. 2016a. TensorFlow.'),
            ('abadi2', '---. 2016b. Privacy.'),
            ('doe1', 'Doe, A. and B. Roe. 1990a. Same one.'),
            ('doe2', '---. 1990b. Same two.'),
            ('lee2', 'Lee, S. 2012. Lead.'),
            ('lee1', 'Park, M. and K. Lee. 2010. Co-author.'),
            ('smith3', 'Smith, A. 2000a. Gamma.'),
            ('smith1', 'Smith, J. 2000b. Alpha.'),
            ('smith2', 'Smith, J. 2000c. Beta.'),
            ('wang1', 'Wang, D. et al. 2016a. Vision one.'),
            ('wang2', '---. 2016b. Vision two.'),
            ('wang3', 'Wang, Y. et al. 2016c. Vision three.'),
        ],
    ),
    'condition': (
        'disambiguate-add-names="true"',
        {
            'wang1': '(Wang, Khosla, & Gargeya 2016)',
            'wang2': '(Wang, Irshad, et al. 2016)',
            'wang3': '(Wang, Khosla, & Beck 2016)',
            'abadi1': '(Abadi, Agarwal, et al. 2016)',
            'abadi2': '(Abadi, Chu, et al. 2016)',
            'smith1': '(Smith 2000, Alpha)',
            'smith2': '(Smith 2000, Beta)',
            'smith3': '(Smith 2000, Gamma)',
            'doe1': '(Doe & Roe 1990, Same one)',
            'doe2': '(Doe & Roe 1990, Same two)',
            'lee1': '(Park & Lee 2010)',
            'lee2': '(Lee 2012)',
        },
        [
            ('abadi1', 'Abadi, M. et al. 2016. TensorFlow.'),
            ('abadi2', '---. 2016. Privacy.'),
            ('doe1', 'Doe, A. and B. Roe. 1990. Same one.'),
            ('doe2', '---. 1990. Same two.'),
            ('lee2', 'Lee, S. 2012. Lead.'),
            ('lee1', 'Park, M. and K. Lee. 2010. Co-author.'),
            ('smith3', 'Smith, A. 2000. Gamma.'),
            ('smith1', 'Smith, J. 2000. Alpha.'),
            ('smith2', 'Smith, J. 2000. Beta.'),
            ('wang1', 'Wang, D. et al. 2016. Vision one.'),
            ('wang2', '---. 2016. Vision two.'),
            ('wang3', 'Wang, Y. et al. 2016. Vision three.'),
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_disambiguation_as_citeproc_js(case: str) -> None:
    attributes, citations, bibliography = CASES[case]
    style = STYLE.replace("ATTRS", attributes).replace("CONDITION", CONDITION if case == "condition" else "")
    engine = CslEngine(style.encode("utf-8"), ITEMS, output="text")
    got = {item["id"]: engine.cite([{"id": item["id"]}], note_index=n) for n, item in enumerate(ITEMS, 1)}
    assert got == citations
    assert engine.bibliography() == bibliography


def test_settings_reach_the_bibliography_only_with_added_given_names() -> None:
    # citeproc-js carries the names added to a cite into its bibliography entry
    # when the style adds given names too; adding names alone leaves the entry as it was
    by_cite, names_only = CASES["by-cite"][2], CASES["names-only"][2]
    assert dict(by_cite)["abadi2"] == "Abadi, M., A. Chu, et al. 2016. Privacy."
    assert dict(names_only)["abadi2"] == "---. 2016. Privacy."


# Real references: the Manubot Metaboverse manuscript, all registered, each cited alone.
METABOVERSE = CORPORA / "csl-json" / "manubot-metaboverse-references.json"
REAL = {
    'modern-language-association': (
        {
            '8tmqg1gt': '(de Anda-Jáuregui, Alcalá-Corona, et al.)',
            '9IFMjnOQ': '(de Anda-Jáuregui, Guo, et al.)',
            'w09c7vaT': '(Jonathan G. Van Vranken et al.)',
            'a2ZcMh2p': '(Jonathan G Van Vranken et al.)',
            'DdChGH39': '(L. Cottret et al.)',
            'Fe0QzlwH': '(Ludovic Cottret et al.)',
            'MFhHC3Pf': '(X. Gao et al.)',
            '10dcGTce4': '(J. Gao et al.)',
        },
        {
            '8tmqg1gt': 'de Anda-Jáuregui, Guillermo, Sergio Antonio Alcalá-Corona, et al. “Functional and Transcriptional Connectivity of Communities in Breast Cancer Co-Expression Networks.” Applied Network Science, vol. 4, no. 1, May 2019. Crossref, https://doi.org/10.1007/s41109-019-0129-0.',
            '9IFMjnOQ': 'de Anda-Jáuregui, Guillermo, Kai Guo, et al. “Pathway Crosstalk Perturbation Network Modeling for Identification of Connectivity Changes Induced by Diabetic Neuropathy and Pioglitazone.” BMC Systems Biology, vol. 13, no. 1, Jan. 2019. Crossref, https://doi.org/10.1186/s12918-018-0674-7.',
            'w09c7vaT': 'Van Vranken, Jonathan G., et al. “ACP Acylation Is an Acetyl-CoA-Dependent Modification Required for Electron Transport Chain Assembly.” Molecular Cell, vol. 71, no. 4, Aug. 2018, pp. 567-580.e4. Crossref, https://doi.org/10.1016/j.molcel.2018.06.039.',
            'a2ZcMh2p': 'Van Vranken, Jonathan G, et al. “The Mitochondrial Acyl Carrier Protein (ACP) Coordinates Mitochondrial Fatty Acid Synthesis with Iron Sulfur Cluster Biogenesis.” eLife, vol. 5, Aug. 2016. Crossref, https://doi.org/10.7554/elife.17828.',
            'DdChGH39': 'Cottret, L., et al. “MetExplore: A Web Server to Link Metabolomic Experiments and Genome-Scale Metabolic Networks.” Nucleic Acids Research, vol. 38, no. Web Server, May 2010, pp. W132–37. Crossref, https://doi.org/10.1093/nar/gkq312.',
            'Fe0QzlwH': 'Cottret, Ludovic, et al. “MetExplore: Collaborative Edition and Exploration of Metabolic Networks.” Nucleic Acids Research, vol. 46, no. W1, Apr. 2018, pp. W495–502. Crossref, https://doi.org/10.1093/nar/gky301.',
            'MFhHC3Pf': 'Gao, Xia, et al. “Dietary Methionine Influences Therapy in Mouse Cancer Models and Alters Human Metabolism.” Nature, vol. 572, no. 7769, July 2019, pp. 397–401. Crossref, https://doi.org/10.1038/s41586-019-1437-3.',
            '10dcGTce4': 'Gao, Jing, et al. “Metscape: A Cytoscape Plug-in for Visualizing and Interpreting Metabolomic Data in the Context of Human Metabolic Networks.” Bioinformatics, vol. 26, no. 7, Feb. 2010, pp. 971–73. Crossref, https://doi.org/10.1093/bioinformatics/btq048.',
        },
    ),
    'apa': (
        {
            '8tmqg1gt': '(de Anda-Jáuregui, Alcalá-Corona, et al., 2019)',
            '9IFMjnOQ': '(de Anda-Jáuregui, Guo, et al., 2019)',
            'w09c7vaT': '(Van Vranken et al., 2018)',
            'a2ZcMh2p': '(Van Vranken et al., 2016)',
            'DdChGH39': '(Cottret et al., 2010)',
            'Fe0QzlwH': '(Cottret et al., 2018)',
            'MFhHC3Pf': '(X. Gao et al., 2019)',
            '10dcGTce4': '(J. Gao et al., 2010)',
        },
        {
            '8tmqg1gt': 'de Anda-Jáuregui, G., Alcalá-Corona, S. A., Espinal-Enríquez, J., & Hernández-Lemus, E. (2019). Functional and transcriptional connectivity of communities in breast cancer co-expression networks. Applied Network Science, 4(1). https://doi.org/10.1007/s41109-019-0129-0',
            '9IFMjnOQ': 'de Anda-Jáuregui, G., Guo, K., McGregor, B. A., Feldman, E. L., & Hur, J. (2019). Pathway crosstalk perturbation network modeling for identification of connectivity changes induced by diabetic neuropathy and pioglitazone. BMC Systems Biology, 13(1). https://doi.org/10.1186/s12918-018-0674-7',
            'w09c7vaT': 'Van Vranken, J. G., Nowinski, S. M., Clowers, K. J., Jeong, M.-Y., Ouyang, Y., Berg, J. A., Gygi, J. P., Gygi, S. P., Winge, D. R., & Rutter, J. (2018). ACP Acylation Is an Acetyl-CoA-Dependent Modification Required for Electron Transport Chain Assembly. Molecular Cell, 71(4), 567-580.e4. https://doi.org/10.1016/j.molcel.2018.06.039',
            'a2ZcMh2p': 'Van Vranken, J. G., Jeong, M.-Y., Wei, P., Chen, Y.-C., Gygi, S. P., Winge, D. R., & Rutter, J. (2016). The mitochondrial acyl carrier protein (ACP) coordinates mitochondrial fatty acid synthesis with iron sulfur cluster biogenesis. eLife, 5. https://doi.org/10.7554/elife.17828',
            'Fe0QzlwH': 'Cottret, L., Frainay, C., Chazalviel, M., Cabanettes, F., Gloaguen, Y., Camenen, E., Merlet, B., Heux, S., Portais, J.-C., Poupin, N., Vinson, F., & Jourdan, F. (2018). MetExplore: collaborative edition and exploration of metabolic networks. Nucleic Acids Research, 46(W1), W495–W502. https://doi.org/10.1093/nar/gky301',
            'MFhHC3Pf': 'Gao, X., Sanderson, S. M., Dai, Z., Reid, M. A., Cooper, D. E., Lu, M., Richie, J. P., Jr, Ciccarella, A., Calcagnotto, A., Mikhael, P. G., Mentch, S. J., Liu, J., Ables, G., Kirsch, D. G., Hsu, D. S., Nichenametla, S. N., & Locasale, J. W. (2019). Dietary methionine influences therapy in mouse cancer models and alters human metabolism. Nature, 572(7769), 397–401. https://doi.org/10.1038/s41586-019-1437-3',
            '10dcGTce4': 'Gao, J., Tarcea, V. G., Karnovsky, A., Mirel, B. R., Weymouth, T. E., Beecher, C. W., Cavalcoli, J. D., Athey, B. D., Omenn, G. S., Burant, C. F., & Jagadish, H. V. (2010). Metscape: a Cytoscape plug-in for visualizing and interpreting metabolomic data in the context of human metabolic networks. Bioinformatics, 26(7), 971–973. https://doi.org/10.1093/bioinformatics/btq048',
        },
    ),
    'chicago-author-date': (
        {
            '8tmqg1gt': '(de Anda-Jáuregui, Alcalá-Corona, et al. 2019)',
            '9IFMjnOQ': '(de Anda-Jáuregui, Guo, et al. 2019)',
            'w09c7vaT': '(Van Vranken et al. 2018)',
            'a2ZcMh2p': '(Van Vranken et al. 2016)',
            'DdChGH39': '(L. Cottret et al. 2010)',
            'Fe0QzlwH': '(Ludovic Cottret et al. 2018)',
            'MFhHC3Pf': '(X. Gao et al. 2019)',
            '10dcGTce4': '(J. Gao et al. 2010)',
        },
        {
            '8tmqg1gt': 'Anda-Jáuregui, Guillermo de, Sergio Antonio Alcalá-Corona, Jesús Espinal-Enríquez, and Enrique Hernández-Lemus. 2019. “Functional and Transcriptional Connectivity of Communities in Breast Cancer Co-Expression Networks.” Applied Network Science 4 (1). https://doi.org/10.1007/s41109-019-0129-0.',
            '9IFMjnOQ': 'Anda-Jáuregui, Guillermo de, Kai Guo, Brett A. McGregor, Eva L. Feldman, and Junguk Hur. 2019. “Pathway Crosstalk Perturbation Network Modeling for Identification of Connectivity Changes Induced by Diabetic Neuropathy and Pioglitazone.” BMC Systems Biology 13 (1). https://doi.org/10.1186/s12918-018-0674-7.',
            'w09c7vaT': 'Van Vranken, Jonathan G., Sara M. Nowinski, Katie J. Clowers, et al. 2018. “ACP Acylation Is an Acetyl-CoA-Dependent Modification Required for Electron Transport Chain Assembly.” Molecular Cell 71 (4): 567-580.e4. https://doi.org/10.1016/j.molcel.2018.06.039.',
            'a2ZcMh2p': 'Van Vranken, Jonathan G., Mi-Young Jeong, Peng Wei, et al. 2016. “The Mitochondrial Acyl Carrier Protein (ACP) Coordinates Mitochondrial Fatty Acid Synthesis with Iron Sulfur Cluster Biogenesis.” eLife 5 (August). https://doi.org/10.7554/elife.17828.',
            'DdChGH39': 'Cottret, L., D. Wildridge, F. Vinson, et al. 2010. “MetExplore: A Web Server to Link Metabolomic Experiments and Genome-Scale Metabolic Networks.” Nucleic Acids Research 38 (Web Server): W132–37. https://doi.org/10.1093/nar/gkq312.',
            'Fe0QzlwH': 'Cottret, Ludovic, Clément Frainay, Maxime Chazalviel, et al. 2018. “MetExplore: Collaborative Edition and Exploration of Metabolic Networks.” Nucleic Acids Research 46 (W1): W495–502. https://doi.org/10.1093/nar/gky301.',
            'MFhHC3Pf': 'Gao, Xia, Sydney M. Sanderson, Ziwei Dai, et al. 2019. “Dietary Methionine Influences Therapy in Mouse Cancer Models and Alters Human Metabolism.” Nature 572 (7769): 397–401. https://doi.org/10.1038/s41586-019-1437-3.',
            '10dcGTce4': 'Gao, Jing, V. Glenn Tarcea, Alla Karnovsky, et al. 2010. “Metscape: A Cytoscape Plug-in for Visualizing and Interpreting Metabolomic Data in the Context of Human Metabolic Networks.” Bioinformatics 26 (7): 971–73. https://doi.org/10.1093/bioinformatics/btq048.',
        },
    ),
}


@pytest.mark.corpus
@pytest.mark.parametrize("style", sorted(REAL))
def test_real_references_disambiguated_as_citeproc_js(style: str) -> None:
    citations, bibliography = REAL[style]
    refs = json.loads(METABOVERSE.read_text(encoding="utf-8"))
    for ref in refs:
        ref.setdefault("type", "article")
    path, locale = style_source(style)
    engine = CslEngine(path, refs, locale=locale, output="text")
    got = {ref["id"]: engine.cite([{"id": ref["id"]}], note_index=n) for n, ref in enumerate(refs, 1)}
    assert {key: got[key] for key in citations} == citations
    entries = dict(engine.bibliography())
    assert {key: entries[key] for key in bibliography} == bibliography


# Year-suffixes on date ranges: after the last year of a range of years; a range
# within one year, shown as its year, is that year (citeproc-js 2.4.63 output).
RANGES = [
    {"id": "range1", "type": "book", "title": "First", "issued": {"date-parts": [[2014], [2015]]}, "author": [_person("Adams", "Ann")]},
    {"id": "range2", "type": "book", "title": "Second", "issued": {"date-parts": [[2014], [2015]]}, "author": [_person("Adams", "Ann")]},
    {"id": "range3", "type": "book", "title": "Third", "issued": {"date-parts": [[2014, 5], [2014, 6]]}, "author": [_person("Baker", "Bo")]},
    {"id": "range4", "type": "book", "title": "Fourth", "issued": {"date-parts": [[2014, 5], [2014, 6]]}, "author": [_person("Baker", "Bo")]},
]


def test_year_suffix_on_date_ranges() -> None:
    style = STYLE.replace("ATTRS", 'disambiguate-add-year-suffix="true"').replace("CONDITION", "")
    engine = CslEngine(style.encode("utf-8"), RANGES, output="text")
    got = [engine.cite([{"id": item["id"]}], note_index=n) for n, item in enumerate(RANGES, 1)]
    assert got == ["(Adams 2014–2015a)", "(Adams 2014–2015b)", "(Baker 2014a)", "(Baker 2014b)"]
    assert engine.bibliography() == [
        ("range1", "Adams, A. 2014–2015a. First."),
        ("range2", "---. 2014–2015b. Second."),
        ("range3", "Baker, B. 2014a. Third."),
        ("range4", "---. 2014b. Fourth."),
    ]


# by-cite (the default rule) still tells apart people of one family within one
# item wherever the style shows given names: Jane Lee and J. Lee share initials,
# so the entry spells Jane out; Jane and Jean-Paul Smith differ by their initials;
# John Lee, in another item, keeps his (citeproc-js 2.4.63 output).
WITHIN = [
    {"id": "within1", "type": "book", "title": "Same family", "issued": {"date-parts": [[2001]]}, "author": [_person("Lee", "Jane"), _person("Garcia", "Ann"), _person("Lee", "J.")]},
    {"id": "within2", "type": "book", "title": "Other initials", "issued": {"date-parts": [[2001]]}, "author": [_person("Smith", "Jane"), _person("Smith", "Jean-Paul")]},
    {"id": "within3", "type": "book", "title": "Alone", "issued": {"date-parts": [[2003]]}, "author": [_person("Lee", "John")]},
]


@pytest.mark.parametrize(
    ("style", "entries"),
    [
        ("harvard-cite-them-right", [
            ("within3", "Lee, J. (2003) Alone."),
            ("within1", "Lee, Jane, Garcia, A. and Lee, J. (2001) Same family."),
            ("within2", "Smith, J. and Smith, J.-P. (2001) Other initials."),
        ]),
        ("elsevier-harvard", [
            ("within3", "Lee, J., 2003. Alone."),
            ("within1", "Lee, Jane, Garcia, A., Lee, J., 2001. Same family."),
            ("within2", "Smith, J., Smith, J.-P., 2001. Other initials."),
        ]),
    ],
)
def test_by_cite_tells_apart_one_family_within_an_item(style: str, entries: list[tuple[str, str]]) -> None:
    path, locale = style_source(style)
    engine = CslEngine(path, WITHIN, locale=locale, output="text")
    for n, item in enumerate(WITHIN, 1):
        engine.cite([{"id": item["id"]}], note_index=n)
    assert engine.bibliography() == entries


# Groups are formed as citeproc-js registers the items, before the document-wide
# rules have seen every name: in APA (primary-name-with-initials) these six
# "Wang et al., 2002" cites form one group, so those told apart by initials still
# get the names the truly ambiguous pair needed (citeproc-js 2.4.63 output).
WANGS = [
    {"id": 'item8', "type": "book", "title": 'Beta 1', "issued": {"date-parts": [[2002]]}, "author": [_person('Wang', 'Yu'), _person('Lee', 'Anna Beth'), _person('Smith', 'D.'), _person('Garcia', 'Yu')]},
    {"id": 'item26', "type": "book", "title": 'Beta 5', "issued": {"date-parts": [[2002]]}, "author": [_person('Wang', 'D.'), _person('Smith', 'J.'), _person('Müller', 'Ann'), _person('Smith', 'A. B.'), _person('Doe', 'Anna Beth'), _person('Lee', 'Dan'), _person('Kim', 'John')]},
    {"id": 'item34', "type": "book", "title": 'Alpha 6', "issued": {"date-parts": [[2002]]}, "author": [_person('Wang', 'J.'), _person('Doe', 'J.'), _person('Kim', 'J.'), _person('Smith', 'Jean-Paul'), _person('Wang', 'John'), _person('Doe', 'Jane'), _person('Garcia', 'Ann')]},
    {"id": 'item39', "type": "book", "title": 'Beta 4', "issued": {"date-parts": [[2002]]}, "author": [_person('Wang', 'Ann'), _person('Kim', 'A. B.'), _person('Lee', 'Jane'), _person('Müller', 'Anna Beth'), _person('Smith', 'Anna Beth'), _person('Garcia', 'Ann'), _person('Smith', 'J.')]},
    {"id": 'item45', "type": "book", "title": 'Beta 3', "issued": {"date-parts": [[2002]]}, "author": [_person('Wang', 'A. B.'), _person('Lee', 'D.'), _person('Smith', 'A. B.')]},
    {"id": 'item59', "type": "book", "title": 'Gamma 3', "issued": {"date-parts": [[2002]]}, "author": [_person('Wang', 'Yu'), _person('Lee', 'John'), _person('Wang', 'Jean-Paul'), _person('Doe', 'J.')]},
]


def test_groups_formed_before_the_document_wide_rules() -> None:
    path, locale = style_source("apa")
    engine = CslEngine(path, WANGS, locale=locale, output="text")
    got = [engine.cite([{"id": item["id"]}], note_index=n) for n, item in enumerate(WANGS, 1)]
    assert got == [
        "(Y. Wang, Lee, Smith, et al., 2002)",
        "(D. Wang, Smith, Müller, et al., 2002)",
        "(J. Wang, Doe, Kim, et al., 2002)",
        "(A. Wang, Kim, Lee, et al., 2002)",
        "(A. B. Wang et al., 2002)",
        "(Y. Wang, Lee, Wang, et al., 2002)",
    ]


# A cite with fewer names than the step asks for lowers the shared count (citeproc-js):
# the seven-author cite ends with three names, not four.
MULLERS = [
    {"id": 'item7', "type": "book", "title": 'Delta 0', "issued": {"date-parts": [[2000]]}, "author": [_person('Müller', 'A. B.'), _person('Smith', 'Jean-Paul'), _person('Garcia', 'Yu')]},
    {"id": 'item21', "type": "book", "title": 'Gamma 0', "issued": {"date-parts": [[2000]]}, "author": [_person('Müller', 'Ann'), _person('Müller', 'Jane'), _person('Garcia', 'Anna Beth')]},
    {"id": 'item37', "type": "book", "title": 'Delta 2', "issued": {"date-parts": [[2000]]}, "author": [_person('Müller', 'D.'), _person('Doe', 'J.'), _person('Müller', 'Dan')]},
    {"id": 'item72', "type": "book", "title": 'Beta 2', "issued": {"date-parts": [[2000]]}, "author": [_person('Müller', 'D.'), _person('Müller', 'Jean-Paul'), _person('Smith', 'J.')]},
    {"id": 'item77', "type": "book", "title": 'Gamma 0', "issued": {"date-parts": [[2000]]}, "author": [_person('Müller', 'Jane'), _person('Smith', 'Dan'), _person('Garcia', 'J.'), _person('Smith', 'Jane'), _person('Lee', 'J.'), _person('Lee', 'Jean-Paul'), _person('Müller', 'Jane')]},
]


def test_a_shorter_cite_lowers_the_names_count() -> None:
    style = STYLE.replace("ATTRS", 'disambiguate-add-names="true"').replace("CONDITION", "")
    engine = CslEngine(style.encode("utf-8"), MULLERS, output="text")
    got = [engine.cite([{"id": item["id"]}], note_index=n) for n, item in enumerate(MULLERS, 1)]
    assert got == [
        "(Müller, Smith, & Garcia 2000)",
        "(Müller, Müller, & Garcia 2000)",
        "(Müller, Doe, & Müller 2000)",
        "(Müller, Müller, & Smith 2000)",
        "(Müller, Smith, Garcia, et al. 2000)",
    ]


def test_cites_that_print_nothing_get_year_suffixes_on_their_first_date() -> None:
    # citeproc-js: undated, authorless pages whose cites print nothing read alike, and the
    # year-suffix lands on the first year printed, here the accessed date
    style = b"""<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><id/><title/><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation disambiguate-add-year-suffix="true"><layout>
    <names variable="author"><name/></names>
    <date variable="issued"><date-part name="year"/></date>
  </layout></citation>
  <bibliography><layout><group delimiter=". ">
    <text variable="title"/>
    <date variable="accessed"><date-part name="day" suffix=" "/><date-part name="year"/></date>
  </group></layout></bibliography>
</style>"""
    items = [
        {"id": "a", "type": "webpage", "title": "Electron", "accessed": {"date-parts": [[2020, 6, 25]]}},
        {"id": "b", "type": "webpage", "title": "Python", "accessed": {"date-parts": [[2020, 6, 25]]}},
    ]
    engine = CslEngine(style, items, output="text")
    assert [text for _key, text in engine.bibliography()] == ["Electron. 25 2020a", "Python. 25 2020b"]
