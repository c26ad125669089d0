"""Glued words: exact splits, brand forms kept, offsets into the stored text, search."""

from __future__ import annotations

import json
import re

import pytest

import carinews
from carinews.analysis.tokenize import split_words
from carinews.analysis.glued import find_glued, split_points
from conftest import shared_path


@pytest.mark.parametrize("word, parts", [
    ("dariAntara", ("dari", "Antara")),
    ("kepadaLiputan6", ("kepada", "Liputan6")),
    ("erupsiGunung", ("erupsi", "Gunung")),
    ("GayoungdanLee", ("Gayoung", "dan", "Lee")),
    ("MengutipAntara", ("Mengutip", "Antara")),
    ("hargaiPhone", ("harga", "iPhone")),
    ("gariskemiskinanyang", ("garis", "kemiskinan", "yang")),
    ("sebagaiplatformuntuk", ("sebagai", "platform", "untuk")),
])
def test_splits(word, parts):
    edges = [0, *split_points(word), len(word)]
    assert tuple(word[a:b] for a, b in zip(edges, edges[1:])) == parts


@pytest.mark.parametrize("word", [
    "iPhone", "TikTok", "KapanLagi", "TransJakarta", "NasDem", "AirAsia", "MediaTek", "detikNews", "detikcom", "kWh", "mAh", "tvOne", "eKTP", "YouTube", "McDonald", "KoreaMoon",
    "pemberantasan", "ketidakpastian", "pertanggungjawaban", "penyalahgunaan", "antiperadangan",
    "memperjuangkannya", "keanekaragaman",
])
def test_words_that_stay_whole(word):
    assert split_points(word) == ()


def test_offsets_point_at_the_original_characters():
    text = "Dikutip dariAntara, warga kepadaLiputan6 bercerita."
    words = [text[a:b] for a, b in split_words(text)]
    assert words == ["Dikutip", "dari", "Antara", "warga", "kepada", "Liputan6", "bercerita"]
    assert find_glued(text) == [("dariAntara", ("dari", "Antara")), ("kepadaLiputan6", ("kepada", "Liputan6"))]


def test_search_finds_a_glued_name_and_highlights_it_in_the_stored_body(tmp_path):
    body = ("Menurut laporan yang dikutip dariAntara, gunung itu kembali erupsi pada Selasa pagi. "
            "Warga di lereng diminta menjauh dari kawah sejauh tiga kilometer.")
    with carinews.Archive.create(tmp_path / "index") as archive:
        archive.add([carinews.make_article({"title": "Gunung kembali erupsi", "body": body})], workers=0)
        result = archive.search("Antara")
        assert result.total == 1
        [hit] = result.hits
        article = archive.get(hit.id)
        assert article.body == body                       # stored as the source wrote it
        assert [hit.snippet[a:b] for a, b in hit.highlights] == ["Antara"]
        assert archive.search('"dari Antara"').total == 1


def test_shared_articles_with_glued_antara_and_liputan6_are_found(tmp_path):
    path = shared_path("jsonl", "indonews_scrape_2025.jsonl")
    glued = re.compile(r"[a-z](Antara|Liputan6)\b")
    records = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if glued.search(record.get("body") or ""):
                records.append(record)
    assert len(records) >= 20
    articles = [carinews.make_article(r) for r in records]
    with carinews.Archive.create(tmp_path / "index") as archive:
        archive.add(articles)
        for name in ("Antara", "Liputan6"):
            found = {hit.id for hit in archive.search(name, limit=1000, collapse=False).hits}
            wanted = {a.id for a in articles if re.search(rf"[a-z]{name}\b", a.body)}
            assert wanted and wanted <= found
