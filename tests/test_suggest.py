""""Did you mean" (results/suggest.py): exact corrections from a fixture index's own
vocabulary, on every engine, through the library, the CLI and JSON."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from carinews.archive import Archive
from carinews.cli import cli
from carinews.results.suggest import distance, keep_case

from conftest import article

# Real sentences from Indonesian news, shortened: Jokowi, korupsi and Jakarta in two or
# more articles each, so they are in the vocabulary the suggestions come from.
SUGGEST_ARTICLES = [
    article("jokowi-kpk", "Jokowi minta KPK usut tuntas korupsi bansos",
            "Presiden Jokowi meminta Komisi Pemberantasan Korupsi mengusut tuntas kasus korupsi "
            "bantuan sosial di Jakarta.", date="2020-12-06", source="kompas.com"),
    article("jokowi-banjir", "Jokowi tinjau banjir di Jakarta Utara",
            "Presiden Jokowi meninjau lokasi banjir dan meminta warga mengungsi.",
            date="2021-02-20", source="detik.com"),
    article("korupsi-desa", "Kepala desa ditahan karena korupsi dana desa",
            "Kejaksaan menahan kepala desa yang diduga melakukan korupsi dana desa.",
            date="2021-03-01", source="antaranews.com"),
    article("soeharto", "Museum Soeharto ramai dikunjungi",
            "Museum mantan presiden Soeharto di Yogyakarta ramai dikunjungi wisatawan. "
            "Soeharto memimpin selama tiga puluh dua tahun.", date="2021-06-08", source="kompas.com"),
    article("suharto", "Keluarga Soeharto hadiri peringatan",
            "Keluarga Soeharto menghadiri peringatan di Jakarta.", date="2021-06-09",
            source="detik.com"),
]


@pytest.fixture
def speller_archive(tmp_path, engine_name):
    with Archive.create(tmp_path / "index", engine=engine_name) as arch:
        arch.add(list(SUGGEST_ARTICLES))
        yield arch


@pytest.mark.parametrize("query, expected", [
    ("Jokowii", "Jokowi"),
    ("korupssi", "korupsi"),
    ("KORUPSSI", "KORUPSI"),
    ("Jokowii korupssi", "Jokowi korupsi"),
    ("kroupsi dana desa", "korupsi dana desa"),       # transposition
    ("banjir Jakrta", "banjir Jakarta"),              # deletion
    ("Suharto", "Soeharto"),                          # old spelling
    ("Jokowi kurupsi", "Jokowi korupsi"),             # substitution
])
def test_suggestion_corrects_misspelt_words(speller_archive, query, expected):
    suggestion = speller_archive.suggest(query)
    assert suggestion.query == expected


@pytest.mark.parametrize("query", [
    "Jokowi korupsi",              # every word is in the index
    "Zelenskyy",                   # a name in the query only, near no indexed word
    "judul:korupssi",              # field operators are left alone
    "banjir -korupssi",            # negated words too
    "korupssi*", "Jokowii~",       # and patterns
    "k" + "o" * 5000 + "rupsi",    # a 5,000-letter "word" is no typo
    "dsa",                         # too short to guess
])
def test_no_suggestion(speller_archive, query):
    assert speller_archive.suggest(query) is None


def test_only_the_first_words_of_a_long_query_are_checked(speller_archive):
    query = " ".join(["banjir"] * 12 + ["korupssi"])
    assert speller_archive.suggest(query) is None
    assert speller_archive.suggest("korupssi " + query).words == [("korupssi", "korupsi")]


def test_search_attaches_suggestion_only_when_few_hits(speller_archive):
    found = speller_archive.search("Jokowii")
    assert found.total == 0
    assert found.suggestion.to_dict() == {
        "query": "Jokowi", "words": [{"word": "Jokowii", "suggestion": "Jokowi"}]}
    assert speller_archive.search("Jokowi").suggestion is None
    assert speller_archive.search("Jokowi").to_dict()["suggestion"] is None


def test_suggestion_follows_new_commits(speller_archive):
    assert speller_archive.suggest("Mykhailo Podolyakk") is None
    speller_archive.add([article(f"ukraina-{i}", "Podolyak: perundingan dengan Rusia berlanjut",
                                 "Penasihat presiden Ukraina Podolyak mengatakan perundingan "
                                 "berlanjut.", date="2022-03-15") for i in range(2)])
    assert speller_archive.suggest("Podolyakk").query == "Podolyak"


def test_cli_prints_and_json_carries_suggestion(speller_archive):
    path = str(speller_archive.path)
    speller_archive.close()
    runner = CliRunner()
    plain = runner.invoke(cli, ["search", "--index", path, "--format", "plain", "korupssi"])
    assert plain.exit_code == 0
    assert plain.output.splitlines()[1] == "Did you mean: korupsi"
    page = runner.invoke(cli, ["search", "--index", path, "--format", "html", "<b>korupssi</b>"])
    assert '<p class="suggestion">Did you mean: &lt;b&gt;korupsi&lt;/b&gt;</p>' in page.output
    data = json.loads(runner.invoke(cli, ["search", "--index", path, "--json", "korupssi"]).output)
    assert data["suggestion"] == {"query": "korupsi",
                                  "words": [{"word": "korupssi", "suggestion": "korupsi"}]}
    data = json.loads(runner.invoke(cli, ["search", "--index", path, "--json", "korupsi"]).output)
    assert data["suggestion"] is None


@pytest.mark.parametrize("a, b, cost", [
    ("korupssi", "korupsi", 0.5), ("jokowii", "jokowi", 0.5), ("kroupsi", "korupsi", 1),
    ("djakarta", "jakarta", 0.5), ("korupsi", "korupsi", 0), ("kurupsi", "korupsi", 1),
])
def test_distance(a, b, cost):
    assert distance(a, b) == cost


@pytest.mark.parametrize("original, fixed, shown", [
    ("Jokowii", "jokowi", "Jokowi"), ("JOKOWII", "jokowi", "JOKOWI"), ("jokowii", "jokowi", "jokowi"),
])
def test_keep_case(original, fixed, shown):
    assert keep_case(original, fixed) == shown


def test_an_engine_without_a_vocabulary_suggests_nothing():
    from carinews.results.suggest import Speller

    class Silent:
        name = "silent"

        def vocabulary(self, field):
            raise NotImplementedError

    assert Speller.from_engine(Silent()).correct("korupssi") is None
