"""A query word also finds the other derivations of its root its stem misses (issue 17).

Sastrawi stems ``perampokan`` to ``ampo`` and ``penculikan`` to ``culi``, cutting them off
from ``dirampok``/``merampok`` and ``diculik`` (stem ``rampok``, ``culik``); query/derivation.py
puts the root back for pe(N)-an nouns. The typed form ranks first; capitalised words (names),
quoted words and `ranking="full-derivations"` are not expanded. Fixture: five short
Indonesian crime and building reports.
"""

from __future__ import annotations

import pytest

from carinews.archive import Archive
from carinews.ingest.articles import Article
from carinews.query.derivation import derivation_roots, nasal_prefix, pen_an_roots
from conftest import article

REPORTS = [
    article("rampok-toko", "Perampokan toko emas di Bekasi",
            "Perampokan toko emas terjadi Senin malam. Polisi memburu tiga pelaku perampokan itu.",
            date="2025-05-26T08:00", source="detik.com"),
    article("rampok-minimarket", "Dua pria merampok minimarket di Depok",
            "Dua pria bersenjata merampok sebuah minimarket. Kasir yang dirampok mengalami luka ringan.",
            date="2025-05-27T09:00", source="kompas.com"),
    article("culik-bogor", "Bocah diculik di Bogor ditemukan selamat",
            "Seorang bocah yang diculik orang tak dikenal ditemukan selamat di Bogor.",
            date="2025-05-28T10:00", source="antaranews.com"),
    article("bangun-jalan", "Pemerintah membangun jalan tol baru",
            "Jalan tol itu dibangun sepanjang 40 kilometer dan ditargetkan selesai tahun depan.",
            date="2025-03-04T07:00", source="detik.com"),
    article("pembangunan-pasar", "Pembangunan pasar rakyat dimulai",
            "Pembangunan pasar rakyat di Solo dimulai pekan ini.",
            date="2025-04-01T07:00", source="kompas.com"),
]


@pytest.fixture
def reports(tmp_path, engine_name):
    with Archive.create(tmp_path / "index", engine=engine_name) as arch:
        arch.add([Article(**a.__dict__) for a in REPORTS])
        yield arch


def ids(result) -> list[str]:
    return [hit.id for hit in result.hits]


def test_pen_an_roots_are_the_regular_nouns_only():
    assert pen_an_roots("perampokan") == {"rampok"}
    assert pen_an_roots("penembakan") == {"tembak", "nembak"}   # the dictionary keeps "tembak"
    assert nasal_prefix("tembak", "pe") == "penembak"
    assert nasal_prefix("sapu", "me") == "menyapu"
    assert pen_an_roots("mengatakan") == set()


def test_derivation_roots_add_only_what_the_stem_misses():
    assert derivation_roots("perampokan", "ampo") == ("rampok",)
    assert derivation_roots("penculikan", "culi") == ("culik",)
    assert derivation_roots("pembangunan", "bangun") == ()   # the stem already joins them
    assert derivation_roots("perhatian", "perhati") == ()    # per-an: not about "hati"
    assert derivation_roots("keuangan", "uang") == ()


def test_typed_form_first_then_the_other_derivation(reports):
    assert ids(reports.search("perampokan")) == ["rampok-toko", "rampok-minimarket"]
    assert ids(reports.search("penculikan")) == ["culik-bogor"]


def test_stem_already_joins_pembangunan_membangun_dibangun(reports):
    assert ids(reports.search("pembangunan")) == ["pembangunan-pasar", "bangun-jalan"]


def test_quoted_capitalised_and_ablation_are_not_expanded(reports):
    assert ids(reports.search('"perampokan"')) == ["rampok-toko"]
    assert ids(reports.search("Perampokan")) == ["rampok-toko"]
    assert ids(reports.search("perampokan", ranking="full-derivations")) == ["rampok-toko"]
    assert ids(reports.search("penculikan", ranking="full-derivations")) == []


def test_explain_names_the_added_root(reports):
    text = reports.search("perampokan", explain=True).explanation
    assert ('word "perampokan" -> stem "ampo" (any form), or the root "rampok" of its other'
            ' derivations, in title, body') in text
