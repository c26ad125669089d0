"""The OpenSearch engine through the `carinews` command: `index --engine opensearch --url URL
[--index-name NAME]` records the cluster in the folder's carinews.json, and every other
command reads it from there. Errors (a closed port, a red index, flags for another engine)
are one `Error:` line, exit 1, no traceback.

The closed-port and flag tests need no cluster; the others run only when
CARINEWS_OPENSEARCH_URL names one (`make opensearch`).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import orjson
import pytest

from carinews.archive import Archive
from carinews.engines.opensearch.cluster import connect
from carinews.engines.opensearch.engine import OpenSearchEngine

URL = os.environ.get("CARINEWS_OPENSEARCH_URL", "").rstrip("/")
SRC = Path(__file__).resolve().parents[1] / "src"
needs_cluster = [pytest.mark.opensearch,
                 pytest.mark.skipif(not URL, reason="CARINEWS_OPENSEARCH_URL not set (`make opensearch`)")]


def carinews_cli(*args, env_url: str | None = None) -> subprocess.CompletedProcess:
    """`python -m carinews ARGS` in a child process, as a user runs it."""
    env = {k: v for k, v in os.environ.items() if k not in ("CARINEWS_OPENSEARCH_URL", "CARINEWS_ENGINE")}
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    if env_url:
        env["CARINEWS_OPENSEARCH_URL"] = env_url
    return subprocess.run([sys.executable, "-m", "carinews", *args], capture_output=True, text=True,
                          env=env, timeout=300)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def unreachable(url: str) -> str:
    return (f"Error: OpenSearch at {url}: unreachable: cannot connect (NewConnectionError); start it, "
            f"or check --url / CARINEWS_OPENSEARCH_URL\n")


def test_index_into_a_closed_port_is_one_line_naming_the_url(tmp_path):
    url = f"http://127.0.0.1:{closed_port()}"
    done = carinews_cli("index", "--engine", "opensearch", "--url", url, "--index", str(tmp_path / "ix"),
                        "--sample")
    assert (done.returncode, done.stdout, done.stderr) == (1, "", unreachable(url))
    assert not (tmp_path / "ix" / "carinews.json").exists()


def test_every_command_on_a_folder_whose_cluster_is_gone_is_one_line(tmp_path):
    url = f"http://127.0.0.1:{closed_port()}"
    (tmp_path / "ix").mkdir()
    from carinews import folder
    from carinews.engines import engine_class

    kind = engine_class("opensearch")       # the settings file as carinews writes it
    folder.write_settings(tmp_path / "ix", folder.new_settings(
        kind, "sastrawi", "news", url=url, shards=1, replicas=1))
    for command in (["search", "korupsi"], ["stats"], ["names", "korupsi"], ["show", "x"],
                    ["related", "x"], ["index", "--sample"]):
        done = carinews_cli(command[0], "--index", str(tmp_path / "ix"), *command[1:])
        assert (command, done.returncode, done.stdout, done.stderr) == (command, 1, "", unreachable(url))


def test_cluster_flags_with_an_embedded_engine_are_refused(tmp_path):
    done = carinews_cli("index", "--url", "http://127.0.0.1:9200", "--shards", "3", "--index",
                        str(tmp_path / "ix"), "--sample")
    assert (done.returncode, done.stderr) == (1, "Error: --shards, --url go with --engine opensearch "
                                                 "(the whoosh engine keeps its index in the index folder)\n")


def test_no_url_anywhere_is_refused(tmp_path):
    done = carinews_cli("index", "--engine", "opensearch", "--index", str(tmp_path / "ix"), "--sample")
    assert (done.returncode, done.stderr) == (1, "Error: no OpenSearch URL: pass --url or set "
                                                 "CARINEWS_OPENSEARCH_URL\n")


@pytest.fixture
def alias():
    name = f"carinews-test-cli-{uuid.uuid4().hex[:8]}"
    yield name
    OpenSearchEngine.remove(URL, name)


def search_ids(index: Path, query: str) -> list[str]:
    done = carinews_cli("search", "--index", str(index), "--json", "--limit", "50", query)
    assert done.returncode == 0, done.stderr
    return sorted(hit["id"] for hit in orjson.loads(done.stdout)["hits"])


@pytest.mark.opensearch
@pytest.mark.skipif(not URL, reason="CARINEWS_OPENSEARCH_URL not set (`make opensearch`)")
def test_index_search_stats_rebuild_and_a_second_folder_end_to_end(tmp_path, alias):
    ours, embedded, other = tmp_path / "os", tmp_path / "whoosh", tmp_path / "second"
    done = carinews_cli("index", "--engine", "opensearch", "--index-name", alias, "--shards", "2",
                        "--index", str(ours), "--sample", env_url=URL)     # the URL from the variable
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("added 292, replaced 0, unchanged 0, rejected 0 in ")
    settings = orjson.loads((ours / "carinews.json").read_bytes())
    assert {k: settings[k] for k in ("engine", "index_name", "url", "shards", "replicas", "stemmer")} == {
        "engine": "opensearch", "index_name": alias, "url": URL, "shards": 2, "replicas": 1,
        "stemmer": "sastrawi"}
    assert sorted(p.name for p in ours.iterdir()) == ["carinews.json", "carinews.lock"]
    assert carinews_cli("index", "--index", str(embedded), "--sample").returncode == 0
    for query in ("korupsi", '"Bank Indonesia" tanggal:2017', "Jokowi -Prabowo", "sepak bola"):
        assert search_ids(ours, query) == search_ids(embedded, query), query

    stats = orjson.loads(carinews_cli("stats", "--index", str(ours), "--json").stdout)
    assert (stats["engine"], stats["articles"], stats["undated"]) == ("opensearch", 292, 0)
    first = search_ids(ours, "korupsi")[0]
    shown = carinews_cli("show", "--index", str(ours), first)
    assert (shown.returncode, shown.stdout.splitlines()[0]) == (0, f"id: {first}")

    again = carinews_cli("index", "--index", str(ours), "--sample")       # no URL needed now
    assert again.stdout.startswith("added 0, replaced 0, unchanged 292, rejected 0 in ")
    client, _ = connect(URL)
    before = sorted(client.indices.get_alias(name=alias))
    rebuilt = carinews_cli("index", "--index", str(ours), "--rebuild", "--sample")
    assert rebuilt.stdout.startswith("added 292, replaced 0, unchanged 0, rejected 0 in ")
    after = sorted(client.indices.get_alias(name=alias))
    assert len(before) == len(after) == 1 and before != after
    assert not client.indices.exists(index=before[0])                   # the old one is deleted
    assert orjson.loads((ours / "carinews.json").read_bytes())["index_name"] == alias

    joined = carinews_cli("index", "--engine", "opensearch", "--url", URL, "--index-name", alias,
                          "--index", str(other), "--sample")
    assert joined.stdout.startswith("added 0, replaced 0, unchanged 292, rejected 0 in ")
    assert search_ids(other, "korupsi") == search_ids(embedded, "korupsi")
    wrong = carinews_cli("index", "--url", f"{URL}/", "--index-name", "elsewhere", "--index", str(other),
                         "--sample")
    assert (wrong.returncode, wrong.stderr) == (1, (
        f"Error: index at {other} has index name {alias}, not elsewhere; leave out --index-name to "
        f"add to it, or rebuild it with --rebuild\n"))


@pytest.mark.opensearch
@pytest.mark.skipif(not URL, reason="CARINEWS_OPENSEARCH_URL not set (`make opensearch`)")
def test_a_red_index_stops_search_with_one_line(tmp_path, alias):
    with Archive.create(tmp_path / "ix", engine="opensearch",
                        engine_options={"url": URL, "index_name": alias, "replicas": 0}):
        pass
    client, _ = connect(URL)
    (concrete, body), = client.indices.get(index=alias).items()
    # the same index again, on no node: a new primary that nothing may hold stays red
    client.indices.delete(index=concrete)
    settings = {"number_of_shards": 1, "number_of_replicas": 0,
                "analysis": body["settings"]["index"]["analysis"],
                "routing": {"allocation": {"require": {"_name": "no-such-node"}}}}
    client.indices.create(index=concrete, body={"settings": settings, "mappings": body["mappings"],
                                                "aliases": {alias: {}}},
                          params={"wait_for_active_shards": "0"})
    for command in (["search", "korupsi"], ["stats"]):
        done = carinews_cli(command[0], "--index", str(tmp_path / "ix"), *command[1:])
        assert (done.returncode, done.stdout) == (1, "")
        assert done.stderr == (
            f"Error: OpenSearch at {URL}: index {concrete},{concrete}-lexicon is red (1 unassigned "
            f"shards, 1 active primaries, 3 nodes); wait for its nodes to return, or ask its operator\n")


@pytest.mark.opensearch
@pytest.mark.skipif(not URL, reason="CARINEWS_OPENSEARCH_URL not set (`make opensearch`)")
def test_carinews_index_killed_mid_load_then_run_again_gives_the_exact_count(tmp_path, alias):
    """`kill -9` of the `carinews index` process itself (the facade, its lock and its forked
    workers), then the same command again: every article once, none twice."""
    folder = tmp_path / "os"
    args = [sys.executable, "-m", "carinews", "index", "--engine", "opensearch", "--url", URL,
            "--index-name", alias, "--index", str(folder), "--batch-size", "10", "--sample"]
    env = {**os.environ, "PYTHONPATH": str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    loading = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True)
    client, _ = connect(URL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:       # each batch is refreshed when written
        if client.indices.exists_alias(name=alias) and client.count(index=alias)["count"] >= 10:
            break
        time.sleep(0.02)
    os.kill(loading.pid, signal.SIGKILL)
    loading.wait(timeout=30)
    try:
        os.killpg(loading.pid, signal.SIGKILL)   # the orphaned workers, as a crash leaves them
    except ProcessLookupError:
        pass
    client.indices.refresh(index=alias)
    partial = client.count(index=alias)["count"]
    assert loading.returncode == -signal.SIGKILL
    assert 10 <= partial < 292

    again = carinews_cli("index", "--index", str(folder), "--sample")
    assert again.returncode == 0
    assert again.stderr.startswith(f"note: the previous write (pid {loading.pid} on {socket.gethostname()}, since ")
    assert again.stderr.endswith(f" --batch-size 10 --sample)) stopped without finishing; its committed "
                                 "batches are kept and its leftovers were removed\n")
    assert again.stderr.count("\n") == 1
    assert again.stdout.startswith(f"added {292 - partial}, replaced 0, unchanged {partial}, rejected 0 in ")
    client.indices.refresh(index=alias)
    hits = client.search(index=alias, body={"query": {"match_all": {}}, "size": 1000, "_source": False})
    ids = [hit["_id"] for hit in hits["hits"]["hits"]]
    assert client.count(index=alias)["count"] == len(ids) == len(set(ids)) == 292
    stats = orjson.loads(carinews_cli("stats", "--index", str(folder), "--json").stdout)
    assert stats["articles"] == 292
    print(f"\nkilled carinews index with {partial} of 292 articles written; the run again added "
          f"{292 - partial}, kept {partial} unchanged")
