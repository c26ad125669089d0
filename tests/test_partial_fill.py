"""Short result lists are filled with articles that have most of the words (issue 17).

A query of plain words matches articles with all of them; when that gives fewer
than a page, the list continues with articles lacking one word, then two, each
group ranked below the one before, every hit saying how many words it has.
Explicit operators, quotes, fields and dates stay strict. Fixture: six short
articles in the style of Indonesian flood, market and fire reports.
"""

from __future__ import annotations

import orjson
import pytest

from carinews.archive import Archive
from carinews.ingest.articles import Article
from carinews.query import plan
from carinews.query.parse import parse_query
from carinews.query.partial import at_least, levels, near_may_match
from carinews.results.render import render_result
from conftest import article, indexed

FLOODS = [
    article("rob-semarang", "Banjir rob rendam kawasan pelabuhan Semarang",
            "Banjir rob kembali merendam kawasan Pelabuhan Tanjung Emas, Semarang, Senin pagi. "
            "Air laut pasang setinggi 60 sentimeter masuk ke permukiman warga.",
            date="2025-05-26T08:00", source="detik.com"),
    article("rob-semarang-2", "Warga Semarang utara mengungsi akibat banjir rob",
            "Ratusan warga Semarang Utara mengungsi setelah banjir rob menggenangi rumah mereka. "
            "Pemerintah kota menyiapkan dapur umum.",
            date="2025-05-27T09:00", source="kompas.com"),
    article("rob-demak", "Banjir rob di pesisir Demak belum surut",
            "Banjir rob di pesisir Demak belum surut setelah tiga hari. "
            "Jalur pantura Demak-Semarang tersendat karena genangan.",
            date="2025-05-28T10:00", source="antaranews.com"),
    article("banjir-jakarta", "Banjir rendam lima kelurahan di Jakarta Timur",
            "Hujan deras sejak dini hari menyebabkan banjir di lima kelurahan di Jakarta Timur. "
            "Ketinggian air mencapai satu meter.",
            date="2025-03-04T07:00", source="detik.com"),
    article("pasar-semarang", "Harga cabai di pasar Semarang naik",
            "Harga cabai rawit di pasar tradisional Semarang naik menjadi Rp 70.000 per kilogram.",
            date="2025-04-01T07:00", source="kompas.com"),
    article("kebakaran", "Kebakaran gudang di Medan",
            "Sebuah gudang terbakar di Medan. Petugas pemadam memadamkan api selama dua jam.",
            date="2025-02-01T07:00", source="detik.com"),
]
FOUR = "banjir rob Semarang pelabuhan"


@pytest.fixture
def floods(tmp_path, engine_name):
    with Archive.create(tmp_path / "index", engine=engine_name) as arch:
        arch.add([Article(**a.__dict__) for a in FLOODS])
        yield arch


def groups(result) -> list[tuple[set[str], int, int]]:
    """Hits as consecutive (ids, matched, of) groups, in rank order."""
    out: list[tuple[set[str], int, int]] = []
    for hit in result.hits:
        if out and out[-1][1:] == (hit.matched, hit.of):
            out[-1][0].add(hit.id)
        else:
            out.append(({hit.id}, hit.matched, hit.of))
    return out


def test_short_list_continues_with_most_of_the_words_then_any(floods):
    result = floods.search(FOUR, limit=10, collapse=False)
    assert result.total == 1
    assert result.partial == 4
    assert result.relaxed is False
    assert groups(result) == [({"rob-semarang"}, 4, 4),
                              ({"rob-semarang-2", "rob-demak"}, 3, 4),
                              ({"pasar-semarang", "banjir-jakarta"}, 1, 4)]
    assert result.notes == ["only 1 article has all 4 words; then articles with 1 to 3 of the 4 "
                            "(4 in all), ranked below them"]


@pytest.mark.parametrize("k", [2, 3])
def test_each_engine_scores_at_least_k_as_the_or_of_the_k_word_ands(floods, k):
    """plan.AtLeast is each engine's minimum-should-match: the same articles as the OR of
    every k-word AND, and for an article with exactly k of the words the same score."""
    from itertools import combinations

    words = parse_query(FOUR).words
    ors = plan.Or(tuple(plan.And(group) for group in combinations(words, k)))
    ours = {m.doc: m.score for m in floods.engine.search(plan.AtLeast(words, k), limit=10).matches}
    theirs = {m.doc: m.score for m in floods.engine.search(ors, limit=10).matches}
    more = {m.doc for m in floods.engine.search(at_least(words, k + 1), limit=10).matches}
    assert set(ours) == set(theirs)
    assert len(ours) == {2: 3, 3: 3}[k] and len(set(ours) - more) == {2: 0, 3: 2}[k]
    assert {d: round(ours[d], 5) for d in set(ours) - more} == \
        {d: round(theirs[d], 5) for d in set(ours) - more}


def test_a_full_page_is_not_filled(floods):
    result = floods.search(FOUR, limit=1, collapse=False)
    assert [(h.id, h.matched, h.of) for h in result.hits] == [("rob-semarang", 4, 4)]
    assert (result.total, result.partial, result.notes) == (1, 0, [])


def test_paging_through_the_filled_list(floods):
    whole = [h.id for h in floods.search(FOUR, limit=5, collapse=False).hits]
    page2 = [h.id for h in floods.search(FOUR, limit=2, offset=2, collapse=False).hits]
    assert page2 == whole[2:4]


def test_no_full_match_is_relaxed_with_counts(floods):
    result = floods.search("gudang Semarang", limit=10, collapse=False)
    assert (result.total, result.partial, result.relaxed) == (0, 5, True)
    assert groups(result) == [({"kebakaran", "pasar-semarang", "rob-semarang", "rob-semarang-2",
                                "rob-demak"}, 1, 2)]
    assert result.notes == ["no article has all the words; showing articles with any of them"]


@pytest.mark.parametrize("query, ids", [
    ("banjir AND rob AND Semarang AND pelabuhan", ["rob-semarang"]),
    ("banjir rob Semarang +pelabuhan", ["rob-semarang"]),
    ('"banjir rob" Semarang pelabuhan', ["rob-semarang"]),
    ("title:banjir rob Semarang pelabuhan", ["rob-semarang"]),
    ("banjir rob Semarang pelabuhan tanggal:2025-05", ["rob-semarang"]),
    ("banjir rob Semarang -Demak", ["rob-semarang", "rob-semarang-2"]),
    ("banjir rob Semar*", ["rob-demak", "rob-semarang", "rob-semarang-2"]),
])
def test_explicit_operators_stay_strict(floods, query, ids):
    result = floods.search(query, limit=10, collapse=False)
    assert sorted(h.id for h in result.hits) == ids
    assert [(h.matched, h.of) for h in result.hits] == [(None, None)] * len(ids)
    assert (result.total, result.partial) == (len(ids), 0)


def test_json_and_terminal_say_how_many_words(floods):
    result = floods.search(FOUR, limit=10, collapse=False)
    data = orjson.loads(render_result(result, "json", color=False))
    assert (data["total"], data["partial"]) == (1, 4)
    assert [(h["matched"], h["of"]) for h in data["hits"]] == [(4, 4), (3, 4), (3, 4), (1, 4), (1, 4)]
    text = render_result(result, "plain", color=False)
    assert text.splitlines()[0].startswith(f"1 articles for '{FOUR}' (+4 with some of the words) (")
    assert text.count("cocok 3 dari 4 kata") == 2
    assert text.count("cocok 1 dari 4 kata") == 2
    assert "cocok 4 dari 4" not in text


def test_explain_says_what_happens(floods):
    explanation = floods.search(FOUR, limit=10, explain=True).explanation
    assert ("if fewer than a page of articles have all 4 words: then articles with 3 of the 4, "
            "and so on down to 1, each group below the one before") in explanation.splitlines()
    strict = floods.search("banjir AND rob", explain=True).explanation
    assert "if fewer than a page" not in strict


def test_plain_words_only_get_words():
    assert len(parse_query("banjir rob Semarang").words) == 3
    for query in ("banjir AND rob", "+banjir rob", '"banjir rob" Semarang', "title:banjir rob",
                  "banjir rob tanggal:2025", "banjir -rob", "banjir OR rob", "(banjir rob)",
                  "banj* rob", "banjir"):
        assert parse_query(query).words == (), query


def test_at_least_plans():
    a, b, c = (plan.Term("body", w) for w in "abc")
    assert at_least((a, b, c), 1) == plan.Or((a, b, c))
    assert at_least((a, b, c), 2) == plan.AtLeast((a, b, c), 2)
    assert at_least((a, b, c), 3) == plan.And((a, b, c))
    assert [k for k, _ in levels((a, b, c))] == [2, 1]
    words = tuple(plan.Term("body", str(i)) for i in range(9))
    assert at_least(words, 4) is None                   # C(9, 4) = 126 ANDs: skipped
    assert [k for k, _ in levels(words)] == [8, 7, 2, 1]
    with pytest.raises(ValueError):
        at_least((a, b), 3)


@pytest.mark.parametrize("text", ["banjir rob Semarang", "Dedi Mulyadi barak militer",
                                  "Covid-19 melonjak lagi", "tol Jakarta-Cikampek macet"])
def test_plain_words_give_the_near_bonus_a_term_each_so_partial_levels_skip_it(text):
    parsed = parse_query(text)
    near = parsed.bonus_queries(("near",))
    assert near
    assert near_may_match(parsed.words, near) is False


def test_near_may_match_follows_the_plan():
    stem = plan.Term("body", "banjir")
    title = plan.Term("title", "banjir")
    rob = plan.Or((plan.Term("title", "rob"), plan.Term("body", "rob")))
    near = [plan.Or((plan.Near("title", ("banjir", "rob"), 3), plan.Near("body", ("banjir", "rob"), 3)))]
    assert not near_may_match((plan.Or((title, stem)), rob), near)
    assert near_may_match((stem, rob), near)            # title:banjir without body:banjir
    assert not near_may_match((stem, rob), [plan.Near("body", ("banjir", "rob"), 3)])
    assert near_may_match((plan.Phrase("body", ("banjir", "rob")), rob), near)
    assert not near_may_match((stem,), [])


BARRACKS = [
    article("kdm-barak", "Dedi Mulyadi kirim siswa nakal ke barak militer",
            "Gubernur Jawa Barat Dedi Mulyadi mengirim puluhan siswa ke barak militer di Purwakarta.",
            date="2025-05-02T08:00", source="detik.com"),
    article("barak-militer", "Orang tua antar anak ke barak militer",
            "Puluhan orang tua mengantar anak mereka ke barak militer untuk pendidikan karakter.",
            date="2025-05-03T08:00", source="kompas.com"),
    article("kdm-jembatan", "Dedi Mulyadi resmikan jembatan, Dedi Mulyadi disambut warga",
            "Dedi Mulyadi meresmikan jembatan di Subang. Warga menyambut Dedi Mulyadi dengan meriah.",
            date="2025-04-01T08:00", source="detik.com"),
    article("sri-lanka", "Presiden Sri Lanka tinjau barak",
            "Presiden Sri Lanka meninjau barak pengungsi di Kolombo.",
            date="2025-04-02T08:00", source="antaranews.com"),
    article("dedi-lain", "Dedi Kurniawan juara catur",
            "Dedi Kurniawan dari Bandung menjuarai turnamen catur militer.",
            date="2025-04-03T08:00", source="kompas.com"),
]
NAMED = "Dedi Mulyadi barak militer"


@pytest.fixture
def barracks(tmp_path, engine_name):
    arch = indexed(tmp_path / "index", engine_name, BARRACKS)
    yield arch
    arch.close()


def test_a_name_typed_in_capitals_counts_as_one_word(barracks):
    result = barracks.search(NAMED, limit=10, collapse=False)
    assert (result.total, result.partial) == (1, 4)
    # the topic without the name comes before the name without the topic; half a name
    # (Dedi Kurniawan, Sri Lanka) is no part of the name
    assert groups(result) == [({"kdm-barak"}, 3, 3), ({"barak-militer"}, 2, 3),
                              ({"kdm-jembatan", "sri-lanka", "dedi-lain"}, 1, 3)]
    assert result.notes == ['only 1 article has all 3 words ("Dedi Mulyadi" counts as one); then '
                            'articles with 1 to 2 of the 3 (4 in all), ranked below them']
    assert ('if fewer than a page of articles have all 3 words ("Dedi Mulyadi" counts as one): '
            'then articles with 2 of the 3, and so on down to 1, each group below the one before'
            ) in barracks.search(NAMED, explain=True).explanation.splitlines()


def test_which_capitalised_words_make_a_name():
    assert len(parse_query("Dedi Mulyadi barak militer").words) == 3
    assert parse_query("Dedi Mulyadi barak militer").names == ("Dedi Mulyadi",)
    assert len(parse_query("dedi mulyadi barak militer").words) == 4    # lower case: words
    assert len(parse_query("OTT KPK bupati").words) == 3                 # acronyms: words
    assert len(parse_query("pendakian Gunung Rinjani").words) == 2
    assert parse_query("Sri Mulyani").names == ()                        # a name alone: its words
    assert len(parse_query("Sri Mulyani").words) == 2
