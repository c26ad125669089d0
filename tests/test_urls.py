"""urls.py: identity keys, outlets, ids, near-duplicate keys."""

import pytest

from carinews.ingest.urls import make_article_id, make_dup_key, normalise_url, outlet_source, registrable_domain

SAME = [
    ("https://nasional.kompas.com/read/2025/06/18/21353591/pakar?utm_source=ABC&utm_medium=rss",
     "https://nasional.kompas.com/read/2025/06/18/21353591/pakar"),
    ("http://www.liputan6.com/news/read/6055946/x/", "https://liputan6.com/news/read/6055946/x"),
    ("https://m.detik.com/news/d-1/x#comments", "https://detik.com/news/d-1/x"),
    ("https://amp.kompas.com/read/2025/06/18/1/x", "https://kompas.com/read/2025/06/18/1/x"),
    ("https://www.tribunnews.com/amp/nasional/2025/06/10/x", "https://tribunnews.com/nasional/2025/06/10/x"),
    ("https://www.suara.com/news/2025/06/10/x?amp=1&fbclid=abc&gclid=1", "https://suara.com/news/2025/06/10/x"),
    ("https://nasional.kompas.com/read/2025/06/18/1/x?page=all", "https://nasional.kompas.com/read/2025/06/18/1/x"),
    ("https://www.okezone.com/x?ICID=HP_HN_1", "https://okezone.com/x"),
]


@pytest.mark.parametrize("url, key", SAME)
def test_normalise_url(url, key):
    assert normalise_url(url) == key


def test_page_two_is_another_key():
    assert normalise_url("https://kompas.com/read/1/x?page=2") == "https://kompas.com/read/1/x?page=2"


@pytest.mark.parametrize("url", [None, "", "not a url", "ftp://x.com/a", "mailto:a@b.c"])
def test_not_a_url(url):
    assert normalise_url(url) is None


@pytest.mark.parametrize("host, domain", [("nasional.kompas.com", "kompas.com"),
                                          ("rejabar.republika.co.id", "republika.co.id"),
                                          ("www.posmetro.co", "posmetro.co"), ("hot.detik.com", "detik.com"),
                                          ("aceh.tribunnews.com", "tribunnews.com"), ("localhost", None)])
def test_registrable_domain(host, domain):
    assert registrable_domain(host) == domain


def test_outlet_source():
    assert outlet_source("cnn indonesia", "https://www.cnnindonesia.com/nasional/1-2-3/x/") == "cnnindonesia.com"
    assert outlet_source("cnn indonesia") == "cnnindonesia.com"
    assert outlet_source("hot.detik.com") == "detik.com"
    assert outlet_source(None, None, "serambinews.com") == "serambinews.com"
    assert outlet_source("Koran Lokal") == "koran lokal"
    assert outlet_source(None) is None


def test_article_id():
    assert make_article_id("indosum:1", "https://x.com/a") == "indosum:1"
    assert make_article_id(None, "https://x.com/a") == make_article_id("", "https://x.com/a")
    assert make_article_id(None, "https://x.com/a").startswith("u")
    assert make_article_id(None, None, "T", "B").startswith("c")
    assert make_article_id(None, None, "T", "B") != make_article_id(None, None, "T", "C")


LEAD = ("Putra sulung Ahmad Dhani, Al Ghazali akan segera menikah. Al Ghazali siap mempersunting Alyssa Daguise. "
        "Pernikahan pasangan ini direncanakan digelar pertengahan bulan ini. Bagaimana persiapan keduanya? "
        "Pasangan Al Ghazali dan Alyssa Daguise tak lama lagi akan menikah. "
        "Sederet acara jelang pernikahan pun akan digelar salah satunya siraman di rumah budaya.")


def test_dup_key_groups_syndicated_copies():
    a = make_dup_key("SERAMBINEWS.COM - " + LEAD + " Paragraf penutup A.", dateline_length=18)
    b = make_dup_key("TRIBUNJAKARTA.COM - " + LEAD + " Paragraf lain sama sekali.", dateline_length=20)
    assert a == b


def test_dup_key_separates_same_topic_articles():
    other = ("Al Ghazali dan Alyssa Daguise akhirnya resmi menikah di Jakarta pada Senin, disaksikan keluarga besar "
             "Ahmad Dhani dan Maia Estianty yang datang bersama kerabat dekat serta sejumlah artis ibu kota.")
    assert make_dup_key(LEAD) != make_dup_key(other)


def test_dup_key_of_empty_body():
    assert make_dup_key("") is None


def test_dup_key_skips_standing_notice():
    notice = ("Informasi dalam artikel ini tidak ditujukan untuk menginspirasi siapa pun untuk melakukan tindakan "
              "serupa. Bila Anda merasakan gejala depresi, segera konsultasikan persoalan Anda ke psikolog.\n\n")
    assert make_dup_key(notice + LEAD) == make_dup_key(LEAD)


def test_dup_key_reads_only_the_head_it_needs():
    # make_dup_key normalises a 500-character head first; the key must be the one
    # the whole 2,000-character lead gives, whatever word or accent the cut falls in
    import hashlib

    from carinews.ingest.urls import DUP_MIN_WORDS, DUP_WORDS, _OUTLET_WORDS, content_words

    def reference(body):
        words = content_words(body[:2000])
        while words and words[0] in _OUTLET_WORDS:
            words.pop(0)
        lead = words[:DUP_WORDS]
        if len(lead) < DUP_MIN_WORDS:
            lead = ["|"] + lead
        return "d" + hashlib.blake2b(" ".join(lead).encode(), digest_size=8).hexdigest() if words else None

    for filler in ("Café ", "RÉSUMÉ ", "x" * 37 + " ", "a ", "Ünïcödé-ﬁx ", "com co id ", "x" * 499 + " "):
        for shift in range(12):
            body = "KOMPAS.com " + "é" * shift + " " + filler * 60
            assert make_dup_key(body) == reference(body), (filler, shift)
            body = "KOMPAS.com " + "é" * shift + " " + filler * 10
            assert make_dup_key(body) == reference(body), (filler, shift)


def test_content_words_fold_case_and_drop_accents():
    from carinews.ingest.urls import content_words

    assert content_words("Café RÉSUMÉ di Jakarta, 2024!") == ["cafe", "re", "sume", "di", "jakarta", "2024"]


def test_no_word_character_is_a_combining_mark():
    # content_words relies on it: a combining mark left by NFKD never starts or joins a word
    import re
    import unicodedata

    word = re.compile(r"\w")
    assert [c for c in range(0x110000) if unicodedata.combining(chr(c)) and word.match(chr(c))] == []
