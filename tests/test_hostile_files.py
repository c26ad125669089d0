"""Hostile files through `carinews index`: every bad file or record gets one line
`path[:line]: reason` on stderr, every good record around it is indexed, and
nothing shows a traceback.

One folder holds all the cases (so one index run covers them); each case names
the good records it contains (`baik-<case>-<n>`) and whether it must be flagged.
"""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from carinews.archive import Archive
from carinews.cli import cli

BIG = 50 * 1024 * 1024
SENTENCE = ("Pemerintah Provinsi DKI Jakarta menyiapkan pompa air untuk mengantisipasi banjir "
            "di kawasan utara kota menjelang musim hujan tahun ini.")


def good(case: str, n: int) -> dict:
    return {"id": f"baik-{case}-{n}", "title": f"Berita baik {case} {n}", "body": f"{SENTENCE} Nomor {n}.",
            "url": f"https://contoh.id/{case}/{n}"}


def line(record) -> bytes:
    return orjson.dumps(record) + b"\n"


def jsonl(case: str, *middle: bytes, before: int = 2, after: int = 2) -> bytes:
    return (b"".join(line(good(case, i)) for i in range(before)) + b"".join(middle)
            + b"".join(line(good(case, before + i)) for i in range(after)))


def csv_row(record: dict) -> bytes:
    return f'{record["id"]},{record["title"]},"{record["body"]}",{record["url"]}\n'.encode()


def deep_json(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def nested_meta(depth: int) -> bytes:
    """A good record whose `meta` nests `depth` deep (orjson reads 1024, writes 254)."""
    record = orjson.dumps(good("meta", 9))[:-1]
    return record + b', "meta": ' + b'{"lagi": ' * depth + b"{}" + b"}" * depth + b"}\n"


# name -> (content, good ids it holds, expected reason regex or None when it must not be flagged)
def cases(folder: Path) -> dict[str, tuple[bytes | None, list[str], str | None]]:
    big_body = b'{"title": "besar", "body": "' + b"a" * BIG + b'"}\n'
    gz_full = gzip.compress(b"".join(line(good("gz", i)) for i in range(400)))
    nul_late = jsonl("nul", *[line(good("nulpad", i)) for i in range(40)],
                     b'{"title": "nol", "body": "ada \x00 byte nol"}\n')
    rnd = os.urandom(4096)
    return {
        "invalid utf8.jsonl": (jsonl("utf8", b'{"title": "caf\xe9", "body": "Harga kopi di caf\xe9 '
                                              b'naik \xff\xfe lagi pekan ini."}\n'),
                               ids("utf8", 4) + ["?"], r"not UTF-8; read as cp1252"),
        "nul late.jsonl": (nul_late, ids("nul", 4) + ids("nulpad", 40), r"malformed JSON"),
        "nul escaped.jsonl": (jsonl("nulesc", line({**good("nulesc", 9), "body": SENTENCE + " \u0000 akhir"})),
                              ids("nulesc", 4) + ["baik-nulesc-9"], None),
        "huge line.jsonl": (jsonl("hugejsonl", big_body), ids("hugejsonl", 4), r"record larger than 20 MB"),
        "huge line.txt": (b"Judul\n\n" + b"kata " * (BIG // 5), [], r"page larger than 20 MB"),
        "huge line.csv": (b"id,title,body,url\n" + csv_row(good("hugecsv", 0)) + b'x,y,"' + b"b" * BIG
                          + b'",z\n' + csv_row(good("hugecsv", 1)), ids("hugecsv", 2), r"larger than 20 MB"),
        "truncated.jsonl.gz": (gz_full[: len(gz_full) * 2 // 3], ["some:gz"], r"truncated gzip"),
        "corrupt.jsonl.gz": (b"\x1f\x8b\x08\x00" + os.urandom(2000), [], r"gzip"),
        "plain but named.jsonl.gz": (jsonl("plaingz"), ids("plaingz", 4), None),
        "deep array.jsonl": (jsonl("deep", deep_json(100_000) + b"\n"), ids("deep", 4), r"malformed JSON"),
        "deep meta.jsonl": (jsonl("deepmeta", nested_meta(500)), ids("deepmeta", 4) + ["baik-meta-9"],
                            r"^values nested deeper than 20 levels replaced by '\(nested too deeply\)'$"),
        "deep.json": (b"[" + b",".join(orjson.dumps(good("deepjson", i)) for i in range(2)) + b","
                      + deep_json(50_000) + b"]", ids("deepjson", 2), r"malformed JSON|nest|depth"),
        "wide.csv": (b",".join([b"id", b"title", b"body", b"url"] + [f"kolom{i}".encode() for i in range(5000)])
                     + b"\n" + b"".join(csv_row(good("wide", i)).rstrip(b"\n") + b"," * 5000 + b"\n"
                                       for i in range(3)), ids("wide", 3), None),
        "random.jsonl": (b"\x00" + rnd, [], r"binary file"),
        "random no nul.jsonl": (jsonl("rndtext", rnd.replace(b"\x00", b"\x01").replace(b"\n", b" ") + b"\n"),
                                ids("rndtext", 4), r"not UTF-8|malformed JSON"),
        "empty.jsonl": (b"", [], r"empty file"),
        "empty.json": (b"", [], r"empty file"),
        "empty.csv": (b"", [], r"empty file"),
        "empty.txt": (b"", [], r"empty file"),
        "empty.jsonl.gz": (gzip.compress(b""), [], r"empty file"),
        "blank lines.jsonl": (b"\n\n   \n\t\n", [], None),
        "berita terbaru Ü 日本 (1).jsonl": (jsonl("unicode"), ids("unicode", 4), None),
        "no body.jsonl": (jsonl("nobody", line({"title": "tanpa isi"})), ids("nobody", 4), r"no body"),
    }


def ids(case: str, n: int) -> list[str]:
    return [f"baik-{case}-{i}" for i in range(n)]


def special_names(folder: Path) -> dict[str, str | None]:
    """Files whose names are hostile: name -> expected reason (None: must index fine)."""
    made = {}
    weird = os.fsdecode(b"nama bukan utf8 \xff\xfe.jsonl")
    (folder / weird).write_bytes(jsonl("badname"))
    made[weird] = None
    escape = "\x1b[31mmerah\x1b[0m.jsonl"
    (folder / escape).write_bytes(jsonl("escname", b"{bad json\n"))
    made[escape] = r"malformed JSON"
    newline = "baris\nbaru.jsonl"
    (folder / newline).write_bytes(jsonl("nlname", b"{bad json\n"))
    made[newline] = r"malformed JSON"
    return made


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile") / "arsip"
    folder.mkdir()
    table = cases(folder)
    for name, (content, _, _) in table.items():
        (folder / name).write_bytes(content)
    names = special_names(folder)
    # a directory tree with symlink loops and dangling links
    tree = folder / "pohon"
    (tree / "a" / "b").mkdir(parents=True)
    (tree / "a" / "b" / "balik").symlink_to(tree)          # loop back to the top
    (tree / "a" / "diri").symlink_to(tree / "a")           # loop to itself
    (tree / "a" / "berita.jsonl").write_bytes(jsonl("tree"))
    (tree / "lingkar.jsonl").symlink_to(tree / "lingkar.jsonl")
    (tree / "hilang.jsonl").symlink_to(tree / "tidak-ada.jsonl")
    index = tmp_path_factory.mktemp("index") / "index"
    started = time.perf_counter()
    result = CliRunner().invoke(cli, ["index", "--index", str(index), "--batch-size", "100", str(folder)],
                                catch_exceptions=False)
    seconds = time.perf_counter() - started
    return folder, table, names, index, result, seconds


def flagged(result, folder: Path) -> dict[str, list[str]]:
    """Error lines by file name (relative to the folder)."""
    out: dict[str, list[str]] = {}
    for text in result.stderr.splitlines():
        assert text.startswith(str(folder)), f"not a `path[:line]: reason` line: {text!r}"
        rest = text[len(str(folder)) + 1:]
        match = re.match(r"^(.*?\.(?:jsonl|json|csv|txt)(?:\.gz)?|pohon.*?)(?::(\d+))?: (.+)$", rest)
        assert match, text
        out.setdefault(match.group(1), []).append(match.group(3))
    return out


def test_no_traceback_and_one_line_per_problem(hostile):
    folder, table, names, index, result, seconds = hostile
    assert result.exit_code == 1           # rejected records make the exit code 1
    assert "Traceback" not in result.output
    for text in result.stderr.splitlines():
        assert "\x1b" not in text and "\r" not in text
    assert seconds < 120


CASE_NAMES = ["invalid utf8.jsonl", "nul late.jsonl", "nul escaped.jsonl", "huge line.jsonl", "huge line.txt",
              "huge line.csv", "truncated.jsonl.gz", "corrupt.jsonl.gz", "plain but named.jsonl.gz",
              "deep array.jsonl", "deep meta.jsonl", "deep.json", "wide.csv", "random.jsonl",
              "random no nul.jsonl", "empty.jsonl", "empty.json", "empty.csv", "empty.txt", "empty.jsonl.gz",
              "blank lines.jsonl", "berita terbaru Ü 日本 (1).jsonl", "no body.jsonl"]


def test_case_list_is_complete(hostile):
    assert sorted(hostile[1]) == sorted(CASE_NAMES)


@pytest.mark.parametrize("name", CASE_NAMES)
def test_each_case(hostile, name):
    folder, table, names, index, result, seconds = hostile
    _, good_ids, reason = table[name]
    problems = flagged(result, folder)
    if reason is None:
        assert name not in problems, problems.get(name)
    else:
        assert name in problems, f"{name} was not reported"
        if name == "random no nul.jsonl":      # a warning (cp1252) and the record's own error
            assert len(problems[name]) <= 2 and all(re.search(reason, p) for p in problems[name])
        else:
            assert len(problems[name]) == 1, problems[name]
            assert re.search(reason, problems[name][0]), problems[name]
    with Archive.open(index) as archive:
        for article_id in good_ids:
            if article_id == "?":
                continue
            if article_id == "some:gz":          # the records before the cut are indexed
                assert archive.get("baik-gz-0") is not None
                continue
            assert archive.get(article_id) is not None, f"{article_id} from {name} not indexed"


def test_hostile_file_names(hostile):
    folder, table, names, index, result, seconds = hostile
    lines = result.stderr.splitlines()
    assert not [t for t in lines if "merah" in t and "\x1b" in t]
    escaped = [t for t in lines if "merah" in t]
    assert len(escaped) == 1 and escaped[0].endswith(": malformed JSON: unexpected character: line 1 column 2 (char 1)") \
        or "malformed JSON" in escaped[0]
    newline = [t for t in lines if "baris" in t]
    assert len(newline) == 1 and "baris\\nbaru.jsonl:3: malformed JSON" in newline[0]
    with Archive.open(index) as archive:
        for case in ("badname", "escname", "nlname"):
            assert archive.get(f"baik-{case}-0") is not None
    result = CliRunner().invoke(cli, ["index", "--index", str(index), "--dry-run", "--json",
                                      str(folder / os.fsdecode(b"nama bukan utf8 \xff\xfe.jsonl"))])
    assert result.exit_code == 0 and orjson.loads(result.stdout)["added"] == 4


def test_symlink_loops_and_dangling_links(hostile):
    folder, table, names, index, result, seconds = hostile
    lines = [t for t in result.stderr.splitlines() if "/pohon" in t]
    assert any("symlink loop" in t for t in lines)
    assert any(t.startswith(f"{folder}/pohon/lingkar.jsonl: ") for t in lines)
    assert any(t.startswith(f"{folder}/pohon/hilang.jsonl: ") for t in lines)
    with Archive.open(index) as archive:
        assert archive.get("baik-tree-0") is not None


def test_search_after_hostile_input(hostile):
    folder, table, names, index, result, seconds = hostile
    for query in ("banjir", "kopi", "*", "besar"):
        run = CliRunner().invoke(cli, ["search", "--index", str(index), query])
        assert run.exit_code in (0, 2), run.output
        assert "Traceback" not in run.output


def test_binary_on_stdin(tmp_path):
    index = tmp_path / "index"
    noise = os.urandom(3000).replace(b"\n", b" ").replace(b"\x00", b"\x01")
    data = line(good("stdin", 0)) + noise + b"\n" + line(good("stdin", 1))
    result = subprocess.run([sys.executable, "-m", "carinews", "index", "--index", str(index), "-"],
                            input=data, capture_output=True, timeout=60)
    assert b"Traceback" not in result.stderr
    assert result.returncode == 1
    assert result.stderr.decode().splitlines()[-1].startswith("-:2: malformed JSON")
    with Archive.open(index) as archive:
        assert archive.get("baik-stdin-0") is not None and archive.get("baik-stdin-1") is not None


def index_run(args, **kwargs):
    return subprocess.run([sys.executable, "-m", "carinews", "index", *map(str, args)],
                          capture_output=True, text=True, timeout=60, **kwargs)


def test_csv_with_carriage_returns(tmp_path):
    """Classic-Mac (bare CR) line ends, also in the header, are line ends."""
    path = tmp_path / "mac.csv"
    path.write_bytes(b"judul,isi\rx,y\r")
    result = index_run(["--index", tmp_path / "index", "--json", path])
    assert (result.returncode, result.stderr) == (0, "")
    assert orjson.loads(result.stdout)["added"] == 1


def test_csv_with_a_carriage_return_in_the_header_only(tmp_path):
    path = tmp_path / "mac.csv"
    path.write_bytes(b"judul\risi,url\nx,y,z\n")
    result = index_run(["--index", tmp_path / "index", path])
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert result.stderr == f"{path}:2: row has no body\n{path}:3: row has no body\n"


def test_nul_byte_early_in_a_jsonl_file(tmp_path):
    path = tmp_path / "nul awal.jsonl"
    path.write_bytes(jsonl("nulearly", b'{"title": "nol", "body": "ada \x00 byte"}\n'))
    result = CliRunner().invoke(cli, ["index", "--index", str(tmp_path / "index"), str(path)])
    assert result.exit_code == 1
    assert result.stderr == (f"{path}:3: malformed JSON: unexpected control character in string: "
                             "line 1 column 31 (char 30)\n")
    with Archive.open(tmp_path / "index") as archive:
        assert [archive.get(i) is not None for i in ids("nulearly", 4)] == [True] * 4


def test_real_binaries_are_one_error(tmp_path):
    import io
    import zipfile

    png = tmp_path / "gambar.jsonl"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(3000))
    archive_file = tmp_path / "arsip.jsonl"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:     # stored: the text shows through
        zf.writestr("a.jsonl", jsonl("zip"))
    archive_file.write_bytes(buffer.getvalue())
    utf16 = tmp_path / "utf16.jsonl"
    utf16.write_bytes(jsonl("utf16").decode().encode("utf-16-le"))
    result = CliRunner().invoke(cli, ["index", "--index", str(tmp_path / "index"), str(png), str(archive_file),
                                      str(utf16)])
    reason = "binary file (NUL or control bytes, UTF-16, or an archive or image); expected UTF-8 text"
    assert result.stderr.splitlines() == [f"{png}: {reason}", f"{archive_file}: {reason}", f"{utf16}: {reason}"]


def test_huge_element_in_a_json_array(tmp_path):
    path = tmp_path / "besar.json"
    path.write_bytes(b"[" + orjson.dumps(good("hugejson", 0)) + b', {"body": "' + b"a" * BIG + b'"}, '
                     + orjson.dumps(good("hugejson", 1)) + b"]")
    result = CliRunner().invoke(cli, ["index", "--index", str(tmp_path / "index"), str(path)])
    assert result.exit_code == 1
    assert result.stderr == f"{path}:1: element 2 larger than 20 MB; skipped\n"
    with Archive.open(tmp_path / "index") as archive:
        assert archive.get("baik-hugejson-0") is not None
        assert archive.get("baik-hugejson-1") is not None


def test_fifo_in_a_folder(tmp_path):
    folder = tmp_path / "arsip"
    folder.mkdir()
    (folder / "a.jsonl").write_bytes(jsonl("fifo"))
    os.mkfifo(folder / "pipa.jsonl")
    proc = index_run(["--index", tmp_path / "index", folder], preexec_fn=lambda: __import__("signal").alarm(30))
    assert proc.returncode == 1
    assert proc.stderr == f"{folder}/pipa.jsonl: not a regular file (named pipe); skipped\n"
    proc = index_run(["--index", tmp_path / "index", folder / "pipa.jsonl"],
                     preexec_fn=lambda: __import__("signal").alarm(30))
    assert proc.returncode == 1
    assert proc.stderr == f"{folder}/pipa.jsonl: not a regular file (named pipe); skipped\n"
    with Archive.open(tmp_path / "index") as archive:
        assert [archive.get(i) is not None for i in ids("fifo", 4)] == [True] * 4


def test_stdin_without_peek(tmp_path):
    """CliRunner's stdin is a BytesIO (no peek): it is read, not called empty."""
    result = CliRunner().invoke(cli, ["index", "--index", str(tmp_path / "index"), "--json", "-"],
                                input=jsonl("stdin"))
    assert result.exit_code == 0, result.output
    assert orjson.loads(result.stdout)["added"] == 4 and result.stderr == ""
