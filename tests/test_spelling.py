"""Spelling variants (analysis/spelling.py) and aliases (query/aliases.py): the rules, the
guard list, the alias table and its files, highlights, --explain and the switches.

The golden rows (exact id sets on every engine) are in tests/golden/operators.tsv; the
fixture articles v1-v7 and a1-a13 of tests/golden/operators_articles.jsonl are read here too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from carinews.analysis.spelling import guard, modern, spellings, variant_forms
from carinews.archive import Archive
from carinews.errors import AliasFileError
from carinews.query.aliases import load_table, parse_rows
from carinews.query.parse import parse_query
from conftest import ENGINES_UNDER_TEST
from test_query_golden import read_fixture_articles

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module", params=ENGINES_UNDER_TEST)
def fixture_archive(tmp_path_factory, request):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("test_query_golden.ARTICLES", GOLDEN / "operators_articles.jsonl")
        articles = read_fixture_articles()
    path = tmp_path_factory.mktemp("spelling-index")
    with Archive.create(path, engine=request.param) as archive:
        archive.add(articles)
    with Archive.open(path) as archive:
        yield archive


def ids(result) -> list[str]:
    return sorted(hit.id for hit in result.hits)


# -- the rules -------------------------------------------------------------------------

@pytest.mark.parametrize("old, new", [
    ("soeharto", "suharto"), ("djakarta", "jakarta"), ("tjokroaminoto", "cokroaminoto"),
    ("njonja", "nyonya"), ("sjahrir", "syahrir"), ("achmad", "akhmad"),
    ("soedjono", "sujono"), ("djojohadikusumo", "joyohadikusumo"), ("soerabaja", "surabaya"),
    ("mendjadi", "menjadi"), ("sudjatmoko", "sujatmoko"),
])
def test_old_spellings_get_their_modern_form(old, new):
    assert modern(old) == new


@pytest.mark.parametrize("word", [
    "jakarta", "saja", "banjir", "menjadi", "masjid", "jang", "jogjakarta",  # no unambiguous marker
    "djokovic", "michael", "chelsea", "tjahaja",                            # guarded
    "dj", "joe", "poe",                                                     # under 4 letters
])
def test_modern_words_guarded_words_and_short_words_stay(word):
    assert modern(word) == word


def test_spellings_of_a_key_are_the_forms_that_map_back_to_it():
    assert spellings("suharto") == ["suharto", "soeharto"]
    assert spellings("Soeharto".lower()) == ["suharto", "soeharto"]
    assert spellings("cahaya") == ["cahaya", "tjahaya"]   # tjahaja is guarded (Ahok)
    assert spellings("saya") == ["saya"]          # old "saja" is also modern "saja": never linked
    assert spellings("yang") == ["yang"]


def test_guard_list_is_data_and_names_the_brief_examples():
    assert {"djokovic", "michael", "chelsea", "john", "jeff"} <= guard()
    text = (Path(__file__).parents[1] / "src/carinews/data/spelling_guard.txt").read_text()
    assert "How it was made" in text


def test_variant_forms_without_an_engine_are_the_modern_form_and_the_curated_group():
    assert variant_forms("soeharto") == [("suharto", "old spelling")]
    assert variant_forms("suharto") == []
    assert variant_forms("jogja") == [("yogyakarta", "variant"), ("jogjakarta", "variant"),
                                      ("yogya", "variant"), ("djokjakarta", "variant"),
                                      ("djogjakarta", "variant")]
    assert variant_forms("djokovic") == []


def test_variant_forms_keep_only_what_the_index_holds(fixture_archive):
    engine = fixture_archive.engine
    assert variant_forms("suharto", engine) == [("soeharto", "old spelling")]
    assert variant_forms("jakarta", engine) == [("djakarta", "old spelling")]
    assert variant_forms("yogyakarta", engine) == [("jogja", "variant")]
    assert variant_forms("mikhael", engine) == []


# -- highlights and --explain -----------------------------------------------------------------

def test_highlights_mark_the_variant_as_written(fixture_archive):
    result = fixture_archive.search("Suharto", limit=10, collapse=False)
    hits = {hit.id: hit for hit in result.hits}
    old = hits["v1"]
    assert [old.title[s:e] for s, e in old.title_highlights] == ["Soeharto"]
    assert [old.snippet[s:e] for s, e in old.highlights] == ["Soeharto"]
    assert [hits["v2"].snippet[s:e] for s, e in hits["v2"].highlights] == ["Suharto"]
    article = fixture_archive.get("v1")
    title, body = fixture_archive.highlight(article, "Suharto")
    assert [article.body[s:e] for s, e in body] == ["Soeharto"]


def test_highlights_mark_alias_phrases(fixture_archive):
    result = fixture_archive.search("Jokowi", limit=10, collapse=False)
    marked = {hit.id: [hit.snippet[s:e] for s, e in hit.highlights] for hit in result.hits}
    assert marked == {"a5": ["Jokowi", "Jokowi"], "a6": ["Joko Widodo"]}


def test_explain_names_variants_and_aliases(fixture_archive):
    result = fixture_archive.search("Soeharto Jokowi", explain=True)
    assert result.explanation.splitlines()[:6] == [
        "query: Soeharto Jokowi",
        "match all of:",
        '  word "Soeharto" -> stem "soeharto" (any form) in title, body; also "Suharto" (old spelling)',
        '  "Jokowi" or its alias (Wikipedia: Joko Widodo; --no-aliases searches only what was written):',
        '    word "Jokowi" -> stem "jokowi" (any form) in title, body',
        '    alias "Joko Widodo" -> stems "joko" "widodo" side by side in title, body',
    ]
    result = fixture_archive.search("Jogja", explain=True)
    assert result.explanation.splitlines()[2] == (
        '  word "Jogja" -> stem "jogja" (any form) in title, body; also "Yogyakarta" (variant)')


def test_parse_query_without_tables_expands_nothing():
    parsed = parse_query("Soeharto Jokowi")
    assert parsed.explain().splitlines()[2:] == [
        '  word "Soeharto" -> stem "soeharto" (any form) in title, body',
        '  word "Jokowi" -> stem "jokowi" (any form) in title, body',
        "if fewer than a page of articles have all 2 words: then articles with 1 of the 2, and so "
        "on down to 1, each group below the one before",
    ]


# -- aliases: the switch, capitals, user files ------------------------------------------------

@pytest.mark.parametrize("query, with_aliases, without", [
    ("Jokowi", ["a5", "a6"], ["a5"]),
    ("Ahok", ["a1", "a2"], ["a2"]),
    ("Gus Dur", ["a10", "a9"], ["a9"]),
    ("Abdurrahman Wahid", ["a10", "a9"], ["a10"]),
    ("BI", ["a11", "a12"], ["a11"]),
    ("nama:Jokowi", ["a5", "a6"], ["a5"]),
    ("Soeharto", ["v1", "v2"], ["v1", "v2"]),      # spelling variants are not aliases
])
def test_aliases_switch_off(fixture_archive, query, with_aliases, without):
    assert ids(fixture_archive.search(query, limit=50, collapse=False)) == with_aliases
    assert ids(fixture_archive.search(query, limit=50, collapse=False, aliases=False)) == without


def test_capitals_only_forms_and_targets():
    table = load_table()
    assert table.match(["BI"])[1] == ("Bank Indonesia",)
    assert table.match(["bi"]) is None and table.match(["Bi"]) is None
    assert table.match(["kpk"])[1] == ("Komisi Pemberantasan Korupsi",)   # not a common word
    assert table.match(["Bank", "Indonesia"]) is None   # BI is never searched for
    assert table.match(["Megawati"]) is None            # it already finds Megawati Soekarnoputri
    assert table.match(["Megawati", "Soekarnoputri"])[1] == ("Megawati Sukarnoputri", "Megawati")


def test_shipped_table_has_sources_and_40_to_80_rows():
    text = (Path(__file__).parents[1] / "src/carinews/data/aliases.tsv").read_text(encoding="utf-8")
    rows = parse_rows(text, "aliases.tsv", need_source=True)
    assert 40 <= len(rows) <= 80
    assert all(source.startswith("Wikipedia: ") for _, source in rows)


def test_user_alias_file_extends_the_table(fixture_archive, tmp_path, monkeypatch):
    mine = tmp_path / "mine.tsv"
    mine.write_text("name\taliases\tsource\n# tennis\nNovak Djokovic\tNole\n", encoding="utf-8")
    assert ids(fixture_archive.search("Nole", alias_files=[str(mine)])) == ["v5"]
    assert ids(fixture_archive.search("Nole")) == []
    monkeypatch.setenv("CARINEWS_ALIASES", str(mine))
    assert ids(fixture_archive.search("Nole")) == ["v5"]
    assert ids(fixture_archive.search("Nole", aliases=False)) == []


@pytest.mark.parametrize("content, message", [
    ("Novak Djokovic\n", "alias file {}:1: expected name<TAB>aliases[<TAB>source], the aliases separated by ';'"),
    ("name\taliases\n\nA\tB\tC\tD\n", "alias file {}:3: 4 tab-separated columns; expected at most 3 (name, aliases, source)"),
    ("Novak Djokovic\tNole; ...\n", "alias file {}:1: empty or unsearchable form '...'"),
])
def test_bad_alias_lines_name_file_and_line(tmp_path, content, message):
    bad = tmp_path / "bad.tsv"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(AliasFileError) as caught:
        load_table([str(bad)])
    assert str(caught.value) == message.format(bad)


# -- the CLI ------------------------------------------------------------------------------

@pytest.fixture
def cli_index(tmp_path, engine_name):
    from carinews.cli import cli

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("test_query_golden.ARTICLES", GOLDEN / "operators_articles.jsonl")
        articles = [a for a in read_fixture_articles() if a.id in ("a5", "a6", "a7")]
    with Archive.create(tmp_path / "index", engine=engine_name) as archive:
        archive.add(articles)

    def invoke(*args):
        return CliRunner().invoke(cli, ["search", "--index", str(tmp_path / "index"), *args],
                                  catch_exceptions=False)

    return invoke


def test_cli_no_aliases(cli_index):
    import orjson

    found = orjson.loads(cli_index("--json", "Jokowi").output)
    assert sorted(h["id"] for h in found["hits"]) == ["a5", "a6"]
    found = orjson.loads(cli_index("--json", "--no-aliases", "Jokowi").output)
    assert [h["id"] for h in found["hits"]] == ["a5"]


def test_cli_bad_alias_file(cli_index, tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("name\taliases\tsource\nPak Beye\n", encoding="utf-8")
    result = cli_index("--aliases", str(bad), "Jokowi")
    assert result.exit_code == 1
    assert result.output == (f"Error: alias file {bad}:2: expected name<TAB>aliases[<TAB>source],"
                             " the aliases separated by ';'\n")
    missing = tmp_path / "none.tsv"
    result = cli_index("--aliases", str(missing), "Jokowi")
    assert (result.exit_code, result.output) == (
        1, f"Error: alias file {missing}: cannot read it (No such file or directory)\n")


def test_web_api_aliases_switch(fixture_archive):
    import httpx
    import orjson

    from web_server import running_server

    with running_server(fixture_archive.path) as base, httpx.Client(base_url=base, timeout=30) as http:
        on = orjson.loads(http.get("/api/search", params={"q": "Jokowi"}).content)
        off = orjson.loads(http.get("/api/search", params={"q": "Jokowi", "aliases": "false"}).content)
    assert sorted(h["id"] for h in on["hits"]) == ["a5", "a6"]
    assert [h["id"] for h in off["hits"]] == ["a5"]

# -- OpenSearch: the same golden rows, through Engine.document_frequencies's default ----------

@pytest.mark.opensearch
def test_opensearch_golden_spelling_and_alias_rows():
    import os
    import uuid

    import orjson

    from carinews.engines.opensearch.engine import OpenSearchEngine
    from carinews.engines.opensearch.writer import load_articles
    from carinews.search import rank
    from test_operators_golden import read_table

    url = os.environ.get("CARINEWS_OPENSEARCH_URL", "").rstrip("/")
    if not url:
        pytest.skip("CARINEWS_OPENSEARCH_URL not set (start a cluster with `make opensearch`)")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("test_query_golden.ARTICLES", GOLDEN / "operators_articles.jsonl")
        articles = read_fixture_articles()
    engine = OpenSearchEngine.create(url, f"carinews-test-spelling-{uuid.uuid4().hex[:8]}",
                                     shards=1, replicas=0)
    try:
        assert [o.error for o in load_articles(engine, articles, workers=0) if o.error] == []
        rows = read_table()
        start = next(i for i, (q, _) in enumerate(rows) if q == "Soeharto")
        mismatches = []
        for query, want in rows[start:]:
            parsed = parse_query(query, variants=lambda w: variant_forms(w, engine),
                                 aliases=load_table())
            if parsed.checks:
                continue                 # the operators are checked in the stored text by search.py
            got = sorted(orjson.loads(m.doc)["id"] for m in rank(engine, parsed, 100)[0].matches)
            if got != want:
                mismatches.append(f"{query!r}: expected {want}, got {got}")
        assert not mismatches, "\n".join(mismatches)
    finally:
        OpenSearchEngine.remove(url, engine.alias)
