"""duplicates.py: sketches find edited syndicated copies, not same-template articles."""

from __future__ import annotations

from carinews.archive import Archive
from carinews.analysis.sketches import make_sketch, similar, similarity
from conftest import article

STORY = ("Presiden Prabowo Subianto menargetkan persoalan sampah di seluruh Indonesia tuntas pada "
         "2029. Target itu disampaikan saat meninjau tempat pengolahan sampah terpadu di Bekasi, "
         "Jawa Barat, Selasa. Menurut Presiden, pemerintah daerah harus membangun fasilitas "
         "pengolahan yang mengubah sampah menjadi energi listrik dan pupuk. Ia meminta kementerian "
         "terkait mempercepat perizinan agar investor swasta dapat ikut membangun fasilitas itu. "
         "Menteri Lingkungan Hidup mengatakan saat ini baru sebagian kecil sampah yang diolah.")
EDITED = ("JAKARTA - " + STORY.replace("Selasa", "Selasa (10/6/2025)")
          + " Pemerintah juga akan menertibkan tempat pembuangan terbuka di berbagai kota.")
TEMPLATE_A = ("Berikut kunci jawaban soal nomor satu sampai lima untuk latihan siswa kelas empat "
              "sekolah dasar. Soal pertama meminta siswa menghitung luas persegi panjang dengan "
              "panjang delapan dan lebar tiga sentimeter sehingga jawabannya dua puluh empat.")
TEMPLATE_B = ("Berikut kunci jawaban soal nomor satu sampai lima untuk latihan siswa kelas empat "
              "sekolah dasar. Soal kedua meminta siswa menuliskan nama ibu kota provinsi Jawa "
              "Timur dan Sumatera Utara beserta letak geografisnya di peta Indonesia hari ini.")


def test_edited_copy_is_similar():
    assert similarity(make_sketch(STORY), make_sketch(EDITED)) >= 0.5
    assert similarity(make_sketch(STORY), make_sketch(STORY)) == 1.0


def test_same_template_different_content_is_not_similar():
    assert similarity(make_sketch(TEMPLATE_A), make_sketch(TEMPLATE_B)) < 0.5


def test_short_bodies_have_no_sketch():
    assert make_sketch("Banjir merendam tiga desa.") == []
    assert similarity([], make_sketch(STORY)) == 0.0


def test_similar():
    story, edited, a, b = (make_sketch(t) for t in (STORY, EDITED, TEMPLATE_A, TEMPLATE_B))
    assert similar(story, edited) and similar(edited, story)
    assert not similar(a, b) and not similar(story, a) and not similar([], [])


def test_search_collapses_edited_copies_not_templates(tmp_path):
    docs = [article("okezone", "Prabowo targetkan masalah sampah tuntas 2029", STORY,
                    source="okezone.com", date="2025-06-10T10:00"),
            article("sindonews", "Presiden Prabowo Targetkan Masalah Sampah Tuntas 2029", EDITED,
                    source="sindonews.com", date="2025-06-10T11:00"),
            article("kunci-a", "Kunci jawaban soal sampah kelas 4", TEMPLATE_A + " Sampah.",
                    source="tribunnews.com"),
            article("kunci-b", "Kunci jawaban soal sampah kelas 4 bagian 2", TEMPLATE_B + " Sampah.",
                    source="tribunnews.com")]
    for doc in docs[2:]:
        doc.dup_key = "same-template-lead"
    with Archive.create(tmp_path / "ix") as arch:
        arch.add(docs)
        result = arch.search("sampah")
        groups = {hit.id: sorted(d.id for d in hit.duplicates) for hit in result.hits}
        assert result.total == 4
        assert len(groups) == 3
        prabowo = groups.get("okezone", groups.get("sindonews"))
        assert prabowo in (["sindonews"], ["okezone"])
        assert groups["kunci-a"] == [] and groups["kunci-b"] == []
