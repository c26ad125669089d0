"""sources.py: formats, hostile files, errors yielded per record, strict mode."""

import gzip
import io
import json
import os
import sys
from pathlib import Path

import pytest

from carinews.ingest.articles import Article
from carinews.errors import SourceError, SourceWarning
from carinews.ingest import sources
from carinews.ingest.sources import read_articles, sniff_delimiter

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
BODY = "JAKARTA, KOMPAS.com - Warga memadati alun-alun sejak pagi, Senin (9/6/2025)."


def split(items):
    items = list(items)
    return ([i for i in items if isinstance(i, Article)],
            [i for i in items if isinstance(i, SourceError) and not isinstance(i, SourceWarning)],
            [i for i in items if isinstance(i, SourceWarning)])


def jsonl(*records):
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def test_jsonl_good_and_bad_lines(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(jsonl({"id": "x1", "title": "Satu", "body": BODY, "date": "2025-06-09"},
                          '{"title": "broken",', "", "[1, 2]",
                          {"judul": "Dua", "isi_berita": BODY, "tanggal": "Selasa, 10 Juni 2025 08:52 WITA"}),
                    encoding="utf-8")
    articles, errors, _ = split(read_articles([path]))
    assert [a.title for a in articles] == ["Satu", "Dua"]
    assert [(e.line, e.reason.split(":")[0]) for e in errors] == [(2, "malformed JSON"), (4, "expected a JSON object, got list")]
    assert articles[1].date.isoformat() == "2025-06-10T08:52:00+08:00"
    assert articles[0].origin == f"{path}:1"


def test_jsonl_meta_raw_date_used_when_date_is_null(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(jsonl({"title": "T", "body": BODY, "date": None, "url": "https://kompas.com/read/x",
                           "meta": {"raw_date": "Kompas.com- 18/06/2025, 21:35 WIB", "origin_file": "f.xlsx"},
                           "rubrik_lain": "z"}), encoding="utf-8")
    (article,), _, _ = split(read_articles([path]))
    assert (article.date.isoformat(), article.date_source, article.date_inferred) == (
        "2025-06-18T21:35:00+07:00", "field:meta.raw_date", False)
    assert article.extra["origin_file"] == "f.xlsx" and article.extra["rubrik_lain"] == "z"


def test_strict_raises_first_error(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(jsonl({"title": "T", "body": BODY}, "{bad"), encoding="utf-8")
    with pytest.raises(SourceError) as info:
        list(read_articles([path], strict=True))
    assert info.value.line == 2


def test_json_array_and_single_object(tmp_path):
    array = tmp_path / "a.json"
    array.write_text(json.dumps([{"title": "A", "body": BODY}, {"title": "B", "body": BODY + " [x] {y}"},
                                 {"title": "C"}], indent=1), encoding="utf-8")
    one = tmp_path / "b.json"
    one.write_text(json.dumps({"title": "D", "content": BODY}), encoding="utf-8")
    articles, errors, _ = split(read_articles([array, one]))
    assert [a.title for a in articles] == ["A", "B", "D"]
    assert [e.reason for e in errors] == ["record has no body"]


def test_json_truncated(tmp_path):
    path = tmp_path / "a.json"
    path.write_text('[{"title": "A", "body": "' + BODY + '"}, {"title": "B", "bo', encoding="utf-8")
    articles, errors, _ = split(read_articles([path]))
    assert [a.title for a in articles] == ["A"] and "truncated" in errors[0].reason


def test_csv_semicolon_bom_multiline_and_missing_body(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes("\ufeffjudul;isi_berita;tanggal_publikasi;url\n"
                     "Satu;\"Baris satu.\nBaris; dua.\";Diperbarui 18 Jun 2025, 14:05 WIB;https://www.liputan6.com/a\n"
                     "Dua;;18 Juni 2025;\n".encode("utf-8"))
    articles, errors, _ = split(read_articles([path]))
    assert [(a.title, a.body, a.date.isoformat(), a.source) for a in articles] == [
        ("Satu", "Baris satu.\n\nBaris; dua.", "2025-06-18T14:05:00+07:00", "liputan6.com")]
    assert [(e.line, e.reason) for e in errors] == [(4, "row has no body")]


def test_csv_date_and_time_columns(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("title,source,date,time,category,sub-category,content,url,author\n"
                    f"T,hot.detik.com,06 Jun 2025,21:02,Movie,,\"{BODY}\",https://hot.detik.com/movie/d-1/t,A\n",
                    encoding="utf-8")
    (article,), _, _ = split(read_articles([path]))
    assert (article.date.isoformat(), article.date_source, article.section, article.source) == (
        "2025-06-06T21:02:00+07:00", "field:date+time", "Movie", "detik.com")


@pytest.mark.parametrize("header, delimiter", [("a,b,c", ","), ("a;b;c", ";"), ("a\tb\tc", "\t"),
                                               ("judul;isi, berita;url", ";")])
def test_sniff_delimiter(header, delimiter):
    assert sniff_delimiter(header + "\n") == delimiter


def test_gzip_and_truncated_gzip(tmp_path):
    good = tmp_path / "a.jsonl.gz"
    data = jsonl(*({"title": f"T{i}", "body": BODY + f" Nomor {i} " + "kata " * 50} for i in range(200)))
    good.write_bytes(gzip.compress(data.encode("utf-8")))
    bad = tmp_path / "b.jsonl.gz"
    bad.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    articles, errors, _ = split(read_articles([good]))
    assert len(articles) == 200 and not errors
    articles, errors, _ = split(read_articles([bad]))
    assert 0 < len(articles) < 200
    assert len(errors) == 1 and errors[0].path == str(bad) and "truncated" in errors[0].reason


def test_empty_and_binary_files(tmp_path):
    empty = tmp_path / "a.jsonl"
    empty.write_bytes(b"")
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR")
    _, errors, _ = split(read_articles([empty, binary]))
    assert [(Path(e.path).name, e.reason.split(" (")[0]) for e in errors] == [("a.jsonl", "empty file"),
                                                                              ("b.csv", "binary file")]


def test_cp1252_fallback_warns_and_keeps_record(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"title": "Caf\xe9", "body": "Harga naik \x93tajam\x94 hari ini."}\n')
    articles, errors, warnings = split(read_articles([path]))
    assert articles[0].title == "Café" and "“tajam”" in articles[0].body
    assert not errors and len(warnings) == 1 and warnings[0].path == str(path)


def test_oversized_record_is_skipped(tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "MAX_RECORD_BYTES", 1000)
    path = tmp_path / "a.jsonl"
    path.write_text(jsonl({"title": "big", "body": "x" * 5000}, {"title": "small", "body": BODY}), encoding="utf-8")
    articles, errors, _ = split(read_articles([path]))
    assert [a.title for a in articles] == ["small"]
    assert errors[0].line == 1 and "larger than" in errors[0].reason


def test_directory_recursion_sorted_hidden_skipped_symlink_loop(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.jsonl").write_text(jsonl({"title": "B2", "body": BODY}), encoding="utf-8")
    (tmp_path / "a.jsonl").write_text(jsonl({"title": "A", "body": BODY}), encoding="utf-8")
    (tmp_path / ".hidden.jsonl").write_text(jsonl({"title": "H", "body": BODY}), encoding="utf-8")
    (tmp_path / "notes.md").write_text("not an archive", encoding="utf-8")
    os.symlink(tmp_path, tmp_path / "b" / "loop")
    articles, errors, _ = split(read_articles([tmp_path]))
    assert [a.title for a in articles] == ["A", "B2"]
    assert all("symlink loop" in e.reason for e in errors)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(jsonl({"title": "A", "body": BODY}), encoding="utf-8")
    path.chmod(0)
    _, errors, _ = split(read_articles([path]))
    assert len(errors) == 1


def test_missing_and_unsupported_paths(tmp_path):
    other = tmp_path / "x.pdf"
    other.write_bytes(b"%PDF")
    _, errors, _ = split(read_articles([tmp_path / "nope.jsonl", other]))
    assert ["no such" in errors[0].reason, "unsupported" in errors[1].reason] == [True, True]


def test_stdin(monkeypatch):
    data = jsonl({"title": "S", "body": BODY}).encode("utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(data))))
    articles, _, _ = split(read_articles(["-"]))
    assert [(a.title, a.origin) for a in articles] == [("S", "-:1")]


def test_txt_page(tmp_path):
    path = tmp_path / "p.txt"
    path.write_text("Nasional\n\nJudul Berita Hari Ini\n\nEditor: Budi\n\nKOTA.COM, BANDUNG - Warga datang, "
                    "Senin (9/6/2025).\n\nBaca juga: Berita Lain\n\nMereka pulang sore.\n", encoding="utf-8")
    (article,), _, _ = split(read_articles([path]))
    assert (article.title, article.section, article.author, article.source, article.dateline) == (
        "Judul Berita Hari Ini", "Nasional", "Budi", "kota.com", "BANDUNG")
    assert article.body == "KOTA.COM, BANDUNG - Warga datang, Senin (9/6/2025).\n\nMereka pulang sore."
    assert (article.date.isoformat(), article.date_inferred) == ("2025-06-09T00:00:00+07:00", True)


@pytest.mark.skipif(not SHARED.exists(), reason="../shared corpus not present")
def test_shared_csvs_read_without_file_errors():
    articles, errors, warnings = split(read_articles([SHARED / "raw" / "csv"]))
    assert len(articles) > 2700 and not warnings
    assert {e.reason for e in errors} <= {"row has no body", "row has only boilerplate, no article text"}


# -- line ends, csv.Error ------------------------------------------------------

@pytest.mark.parametrize("newline", [b"\r", b"\r\n", b"\n"])
def test_csv_any_line_ends(tmp_path, newline):
    path = tmp_path / "a.csv"
    rows = [b"judul,isi", b'Satu,"Baris satu.' + newline + b'Baris dua."', b"Dua,Isi dua.", b""]
    path.write_bytes(newline.join(rows))
    articles, errors, _ = split(read_articles([path]))
    assert [(a.title, a.body, a.origin) for a in articles] == [
        ("Satu", "Baris satu.\n\nBaris dua.", f"{path}:2"), ("Dua", "Isi dua.", f"{path}:4")]
    assert errors == []


def test_csv_mixed_line_ends(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"judul,isi\rSatu,Isi satu.\r\nDua,Isi dua.\nTiga,Isi tiga.")
    articles, errors, _ = split(read_articles([path]))
    assert [(a.title, a.origin) for a in articles] == [("Satu", f"{path}:2"), ("Dua", f"{path}:3"),
                                                        ("Tiga", f"{path}:4")]
    assert errors == []


def test_csv_error_in_header_is_reported_and_the_next_file_read(tmp_path, monkeypatch):
    import csv

    bad = tmp_path / "a.csv"
    bad.write_text("judul_yang_panjang,isi\nSatu,Isi satu.\n", encoding="utf-8")
    other = tmp_path / "b.jsonl"
    other.write_text(jsonl({"title": "B", "body": BODY}), encoding="utf-8")
    real_limit = csv.field_size_limit
    old = real_limit(5)                          # so the header's first field is over the limit
    monkeypatch.setattr(csv, "field_size_limit", lambda limit=None: 5)
    try:
        articles, errors, _ = split(read_articles([bad, other]))
    finally:
        real_limit(old)
    assert [(e.path, e.line, e.reason) for e in errors] == [
        (str(bad), 1, "bad CSV header: field larger than field limit (5); file skipped")]
    assert [a.title for a in articles] == ["B"]


def test_csv_row_with_nul_is_one_error(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"judul,isi\nSatu,Isi \x00 satu.\nDua,Isi dua.\n")
    articles, errors, _ = split(read_articles([path]))
    assert [a.title for a in articles] == ["Dua"]
    assert [(e.line, e.reason) for e in errors] == [(2, "row contains NUL bytes (binary data?)")]


# -- non-regular files ---------------------------------------------------------

def read_with_deadline(paths, seconds=10):
    """read_articles in a thread, so a blocking open fails the test instead of hanging it."""
    import threading

    box = []
    thread = threading.Thread(target=lambda: box.append(split(read_articles(paths))), daemon=True)
    thread.start()
    thread.join(seconds)
    assert box, f"reading {paths} blocked"
    return box[0]


def test_fifo_in_a_folder_and_given_directly(tmp_path):
    (tmp_path / "a.jsonl").write_text(jsonl({"title": "A", "body": BODY}), encoding="utf-8")
    os.mkfifo(tmp_path / "b.jsonl")
    articles, errors, _ = read_with_deadline([tmp_path, tmp_path / "b.jsonl"])
    assert [a.title for a in articles] == ["A"]
    assert [(e.path, e.line, e.reason) for e in errors] == [
        (str(tmp_path / "b.jsonl"), None, "not a regular file (named pipe); skipped")] * 2


def test_character_device_is_refused(tmp_path):
    os.symlink("/dev/zero", tmp_path / "nol.jsonl")
    _, errors, _ = read_with_deadline([tmp_path / "nol.jsonl"])
    assert [e.reason for e in errors] == ["not a regular file (character device); skipped"]


# -- binary sniff ----------------------------------------------------------------

def seeded_bytes(n, seed=0):
    import random

    return random.Random(seed).randbytes(n)


TEXT = jsonl(*({"title": f"T{i}", "body": BODY} for i in range(40))).encode("utf-8")


@pytest.mark.parametrize("head, binary", [
    (TEXT, False),
    (TEXT[:200] + b"\x00" + TEXT[200:], False),                # one stray NUL
    (TEXT[:1000] + b"\x00" * 300 + TEXT[1000:], False),        # a run of NUL padding
    (seeded_bytes(4096).replace(b"\x00", b"\x01"), False),      # no NUL: left to the records
    (b"\x00" + seeded_bytes(4095), True),                       # random data
    (b"\x00" * 4096, True),                                     # NUL-filled
    (TEXT.decode().encode("utf-16-le"), True),                  # UTF-16 without BOM
    (b"\xff\xfe" + TEXT.decode().encode("utf-16-le"), True),
    (b"PK\x03\x04" + TEXT, True),                               # zip, even with stored text
    (b"\x89PNG\r\n\x1a\n", True),
    (b"%PDF-1.7\n" + TEXT, True),
])
def test_looks_binary(head, binary):
    assert sources.looks_binary(head[:sources.SNIFF_BYTES]) is binary


def test_jsonl_with_an_early_nul_line(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"title": "A", "body": "' + BODY.encode() + b'"}\n'
                     b'{"title": "nol", "body": "ada \x00 byte"}\n'
                     b'{"title": "B", "body": "' + BODY.encode() + b'"}\n')
    articles, errors, _ = split(read_articles([path]))
    assert [a.title for a in articles] == ["A", "B"]
    assert [(e.line, e.reason) for e in errors] == [
        (2, "malformed JSON: unexpected control character in string: line 1 column 31 (char 30)")]


def test_page_with_nul_is_binary(tmp_path):
    path = tmp_path / "p.txt"
    path.write_bytes(b"Judul\n\nIsi berita \x00 di sini.\n")
    _, errors, _ = split(read_articles([path]))
    assert [(e.line, e.reason) for e in errors] == [(None, "binary file (NUL bytes); expected UTF-8 text")]


# -- JSON arrays -----------------------------------------------------------------

@pytest.mark.parametrize("chunk", [sources.CHUNK_BYTES, 100])   # element within one chunk / across chunks
def test_json_oversized_element_is_skipped(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(sources, "MAX_RECORD_BYTES", 1000)
    monkeypatch.setattr(sources, "CHUNK_BYTES", chunk)
    path = tmp_path / "a.json"
    path.write_text(json.dumps([{"title": "A", "body": BODY}, {"title": "big", "body": "x" * 5000},
                                {"title": "B", "body": BODY}, 3], indent=1), encoding="utf-8")
    articles, errors, _ = split(read_articles([path]))
    assert [a.title for a in articles] == ["A", "B"]
    assert [(e.line, e.reason) for e in errors] == [(6, "element 2 larger than 1000 bytes; skipped"),
                                                    (14, "expected a JSON object, got int")]


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64])
def test_json_split_anywhere(tmp_path, monkeypatch, chunk):
    """Escapes, brackets and commas inside strings survive any chunk boundary."""
    monkeypatch.setattr(sources, "CHUNK_BYTES", chunk)
    records = [{"title": 'Kutip \\"] }, [ {', "body": BODY + ' \\\\ "x" \\u00e9 ]'},
               {"title": "Dua", "body": BODY, "meta": {"tags": ["a", "b"], "n": [1, [2]]}}]
    path = tmp_path / "a.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    articles, errors, _ = split(read_articles([path]))
    assert [(a.title, a.body) for a in articles] == [(r["title"], r["body"]) for r in records]
    assert errors == []


# -- stdin, hostile nesting and names --------------------------------------------

def test_stdin_without_peek(monkeypatch):
    class Stdin:                                   # like click's CliRunner: .buffer is a BytesIO
        buffer = io.BytesIO(jsonl({"title": "S", "body": BODY}).encode("utf-8"))

    monkeypatch.setattr(sys, "stdin", Stdin())
    articles, errors, _ = split(read_articles(["-"]))
    assert [(a.title, a.origin) for a in articles] == [("S", "-:1")] and errors == []


def nested(depth):
    value = {}
    for _ in range(depth):
        value = {"lagi": value}
    return value


def depth_of(value):
    depth = 0
    while isinstance(value, dict) and "lagi" in value:
        value, depth = value["lagi"], depth + 1
    return depth, value


def test_deep_meta_is_cut_with_a_warning(tmp_path):
    import orjson

    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"title": "A", "body": "' + BODY.encode() + b'", "meta": ' + b'{"lagi": ' * 300
                     + b"{}" + b"}" * 300 + b', "body_list": ' + b"[" * 900 + b"]" * 900 + b"}\n")
    articles, errors, warnings = split(read_articles([path]))
    assert errors == []
    assert [(w.line, w.reason) for w in warnings] == [
        (1, "values nested deeper than 20 levels replaced by '(nested too deeply)'")]
    (article,) = articles
    assert depth_of(article.extra["lagi"]) == (18, "(nested too deeply)")
    assert article.extra["nesting_cut"] == 20
    orjson.dumps(article.to_dict())                # no RecursionError, no encoding error


def test_deep_body_list_does_not_recurse(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"title": "A", "body": [' + b'"' + BODY.encode() + b'", ' + b"[" * 900 + b"]" * 900
                     + b"]}\n")
    articles, errors, warnings = split(read_articles([path]))
    assert errors == [] and len(warnings) == 1
    assert articles[0].body.startswith(BODY)


def test_shallow_records_are_not_touched(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(jsonl({"title": "A", "body": BODY, "meta": nested(18)}), encoding="utf-8")
    (article,), errors, warnings = split(read_articles([path]))
    assert (errors, warnings) == ([], [])
    assert depth_of(article.extra["lagi"]) == (17, {}) and "nesting_cut" not in article.extra


def test_origin_of_a_non_utf8_file_name_is_display_safe(tmp_path):
    import orjson

    path = os.path.join(os.fsdecode(tmp_path), os.fsdecode(b"nama \xff\xfe.jsonl"))
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(jsonl({"title": "A", "body": BODY}))
    (article,), _, _ = split(read_articles([path]))
    assert article.origin == f"{tmp_path}/nama \\xff\\xfe.jsonl:1"
    assert orjson.loads(orjson.dumps(article.to_dict()))["origin"] == article.origin
