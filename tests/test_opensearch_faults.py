"""Faults against the real 3-node test cluster, with the OpenSearch engine writing.

- One of three nodes SIGKILLed in the middle of a bulk load into an index with 1 replica:
  the load finishes (retrying what the dead node dropped), every article is there exactly
  once, and searches run beside the load are answered throughout, never with too few hits.
- A node holding a primary of an index without replicas SIGKILLed: the batch that cannot
  be written raises BulkWriteError naming it and exactly the articles not written; after the
  node returns, the same load again gives the exact count.
- The loading process itself SIGKILLed mid-load: the same load again gives the exact count.

Each test restarts the node it killed (`cluster/opensearch.sh start-node N`) and waits for
green. Runs only when CARINEWS_OPENSEARCH_URL names a cluster started by cluster/opensearch.sh.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import orjson
import pytest

import carinews
from carinews.engines.opensearch.engine import OpenSearchEngine
from carinews.engines.opensearch.mapping import doc_id
from carinews.engines.opensearch.writer import load_articles
from carinews.errors import BulkWriteError
from carinews.ingest.articles import Article
from carinews.query.parse import parse_query
from conftest import REPO
from test_opensearch_cluster import CLUSTER_SCRIPT, URL, WORK, call, own_node_pid, victim, wait_gone
from test_opensearch_engine import index_name

pytestmark = [
    pytest.mark.opensearch,
    pytest.mark.skipif(not URL, reason="CARINEWS_OPENSEARCH_URL not set (start a cluster with `make opensearch`)"),
]

EVERY = parse_query("-zzzz").query          # every article


@pytest.fixture(scope="module")
def sample() -> list[Article]:
    return [a for a in carinews.read_articles(carinews.sample_paths()) if isinstance(a, Article)]


def fresh(articles) -> list[Article]:
    return [Article(**a.__dict__) for a in articles]


def restart(name: str) -> None:
    done = subprocess.run(["bash", str(CLUSTER_SCRIPT), "start-node", name.split("-")[1]],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    state = call("GET", "/_cluster/health?wait_for_status=green&wait_for_nodes=3&timeout=120s")
    assert (state["status"], state["number_of_nodes"]) == ("green", 3)


def ensure_running(name: str) -> None:
    """Start node `name` again if its launcher is not running."""
    pid = int((WORK / name / "node.pid").read_text() or 0) if (WORK / name / "node.pid").exists() else 0
    cmdline = Path(f"/proc/{pid}/cmdline")
    if not (pid and cmdline.exists() and b"carinews-test-node.jar" in cmdline.read_bytes()):
        restart(name)


def all_ids(engine) -> list[str]:
    return [orjson.loads(m.doc)["id"] for m in engine.search(EVERY, limit=10_000).matches]


class Searcher(threading.Thread):
    """Searches every article again and again until stopped; keeps each total or error."""

    def __init__(self, engine):
        super().__init__(daemon=True)
        self.engine, self.totals, self.errors = engine, [], []
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            try:
                self.totals.append(self.engine.search(EVERY, limit=5).total)
            except Exception as exc:  # noqa: BLE001 - recorded and asserted on
                self.errors.append(repr(exc))
            time.sleep(0.02)


def test_sigkill_one_of_three_nodes_mid_load_with_a_replica(sample):
    engine = OpenSearchEngine.create(URL, index_name("kill"), shards=3, replicas=1)
    articles = fresh(sample)
    name, pid = victim()
    killed = threading.Event()
    searcher = Searcher(engine)

    writer_retries = [0]

    def progress(writer):
        writer_retries[0] = writer.retried
        if writer.batches == 3 and not killed.is_set():
            # a moment later the next batch is on its way: kill during its bulk requests
            threading.Timer(0.05, lambda: (os.kill(pid, signal.SIGKILL), killed.set())).start()

    try:
        searcher.start()
        outcomes = load_articles(engine, articles, batch_size=20, progress=progress)
        searcher.stop.set()
        searcher.join()
        assert killed.is_set()
        wait_gone(pid)
        state = call("GET", f"/_cluster/health/{engine.index},{engine.lexicon}")
        assert (state["number_of_nodes"], state["status"]) == (2, "yellow")
        assert [o.error for o in outcomes if o.error] == []
        ids = all_ids(engine)
        assert engine.doc_count() == len(ids) == len(set(ids)) == 292
        assert sorted(ids) == sorted(a.id for a in sample)
        assert searcher.errors == []
        # (not monotonic: a search may meet one shard copy refreshed and another not yet)
        assert len(searcher.totals) > 10 and max(searcher.totals) <= 292
        assert engine.search(EVERY).total == 292
        print(f"\nkilled {name} during batch 4 of 15; {len(searcher.totals)} searches answered "
              f"during the load, none failed; {writer_retries[0]} items sent again")
    finally:
        searcher.stop.set()
        ensure_running(name)
        OpenSearchEngine.remove(URL, engine.alias)


def primary_holder(engine, coordinator_port: str) -> tuple[str, int]:
    """A node that holds a primary of the article index, but not the lexicon's shard, and
    is not the coordinating node; and its pid."""
    shards = call("GET", f"/_cat/shards/{engine.index}?format=json")
    lexicon = {s["node"] for s in call("GET", f"/_cat/shards/{engine.lexicon}?format=json")}
    nodes = call("GET", "/_nodes/http")["nodes"].values()
    spared = lexicon | {n["name"] for n in nodes
                        if n["http"]["publish_address"].endswith(":" + coordinator_port)}
    name = sorted(s["node"] for s in shards if s["prirep"] == "p" and s["node"] not in spared)[0]
    return name, own_node_pid(name)


def test_batch_that_cannot_be_written_is_named_and_a_rerun_completes(sample):
    engine = OpenSearchEngine.create(URL, index_name("red"), shards=3, replicas=0)
    articles = fresh(sample)
    name, pid = primary_holder(engine, URL.rsplit(":", 1)[1])

    def progress(writer):
        if writer.batches == 2:
            os.kill(pid, signal.SIGKILL)
            wait_gone(pid)

    try:
        with pytest.raises(BulkWriteError) as caught:
            load_articles(engine, articles, batch_size=50, progress=progress,
                          attempts=2, backoff=0.1, shard_wait="2s")
        error = caught.value
        batch = articles[100:150]
        on_lost = sorted(a.key for a in batch if not live_copies(engine.index, a.key))
        assert (error.batch, error.keys) == (3, on_lost) and 0 < len(on_lost) < 50
        assert str(error).startswith(f"OpenSearch at {URL} did not take batch 3 of index {engine.index} "
                                     f"({len(on_lost)} articles not written, first {on_lost[0]}): ")
        assert "\n" not in str(error)
        restart(name)
        load_articles(engine, fresh(sample), batch_size=50)
        ids = all_ids(engine)
        assert engine.doc_count() == len(ids) == len(set(ids)) == 292
    finally:
        ensure_running(name)
        OpenSearchEngine.remove(URL, engine.alias)


def live_copies(index: str, key: str) -> list:
    """The live copies of the shard OpenSearch routes the document of `key` to (none when
    that shard's only copy was on the killed node)."""
    answer = call("GET", f"/{index}/_search_shards?routing={_quote(doc_id(key))}")
    return [copy for group in answer["shards"] for copy in group]


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


LOADER = """
import sys
import carinews
from carinews.engines.opensearch.engine import OpenSearchEngine
from carinews.engines.opensearch.writer import load_articles
from carinews.ingest.articles import Article

engine = OpenSearchEngine.open(sys.argv[1], sys.argv[2])
articles = [a for a in carinews.read_articles(carinews.sample_paths()) if isinstance(a, Article)]
load_articles(engine, articles, batch_size=20,
              progress=lambda writer: print(writer.batches, flush=True))
print("done", flush=True)
"""


def test_loader_killed_mid_load_then_run_again_exact_count(sample):
    engine = OpenSearchEngine.create(URL, index_name("rerun"), shards=3, replicas=1)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    try:
        loader = subprocess.Popen([sys.executable, "-c", LOADER, URL, engine.alias], env=env,
                                  stdout=subprocess.PIPE, text=True)
        assert loader.stdout.readline().strip() == "1"
        assert loader.stdout.readline().strip() == "2"
        loader.send_signal(signal.SIGKILL)
        loader.wait(timeout=30)
        partial = engine.doc_count()
        assert 40 <= partial < 292
        again = subprocess.run([sys.executable, "-c", LOADER, URL, engine.alias], env=env,
                               capture_output=True, text=True, timeout=300)
        assert again.returncode == 0, again.stderr
        assert again.stdout.split()[-1] == "done"
        ids = all_ids(engine)
        assert engine.doc_count() == len(ids) == len(set(ids)) == 292
    finally:
        OpenSearchEngine.remove(URL, engine.alias)
