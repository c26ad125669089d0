"""The local OpenSearch test cluster (cluster/opensearch.sh, `make opensearch`) does what the
OpenSearch engine will rely on: 3 nodes on loopback, green; an index of 3 shards with 1 replica
takes a bulk load of real Indonesian articles; phrases over carinews-analysed tokens sent to
whitespace-analysed fields find exactly the articles whose token sequence holds them; `_analyze`
gives back the positions carinews assigned, stacked compound parts included; and with one node
SIGKILLed the cluster turns yellow and keeps answering with the same results.

Runs only when CARINEWS_OPENSEARCH_URL names a cluster (`make opensearch` prints it); the kill
test also needs the pid files of a cluster that cluster/opensearch.sh started, and restarts the
node it killed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

import carinews
from carinews.analysis.terms import analyze
from carinews.ingest.articles import Article
from conftest import REPO

URL = os.environ.get("CARINEWS_OPENSEARCH_URL", "").rstrip("/")
CLUSTER_SCRIPT = REPO / "cluster" / "opensearch.sh"
WORK = Path(os.environ.get("CARINEWS_OPENSEARCH_WORK", REPO / "cluster" / "work"))
REQUEST_TIMEOUT = 90  # seconds; health waits below ask the server for less

pytestmark = [
    pytest.mark.opensearch,
    pytest.mark.skipif(not URL, reason="CARINEWS_OPENSEARCH_URL not set (start a cluster with `make opensearch`)"),
]

# Compound parts stand at their compound's position (carinews.analysis.terms, step 4). A
# whitespace tokenizer gives every token its own position, so a stack of terms is sent as one
# token joined by STACK and split back into terms at one position by pattern_capture.
STACK = "|"
INDEX_SETTINGS = {
    "number_of_shards": 3,
    "number_of_replicas": 1,
    "analysis": {
        "filter": {"carinews_unstack": {"type": "pattern_capture", "preserve_original": False,
                                        "patterns": [f"([^{STACK}]+)"]}},
        "analyzer": {"carinews_stacked": {"type": "custom", "tokenizer": "whitespace",
                                          "filter": ["carinews_unstack"]}},
    },
}
MAPPINGS = {
    "dynamic": "strict",
    "properties": {
        "source": {"type": "keyword"},
        "title": {"type": "text", "analyzer": "whitespace"},
        "body": {"type": "text", "analyzer": "whitespace"},
    },
}


# HTTP ----------------------------------------------------------------------------------------


def call(method: str, path: str, body=None, *, ndjson: list | None = None) -> dict:
    """One request to the cluster; the JSON answer, or an AssertionError with the server's."""
    if ndjson is not None:
        data = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in ndjson).encode()
        content_type = "application/x-ndjson"
    else:
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
        content_type = "application/json"
    request = urllib.request.Request(URL + path, data=data, method=method,
                                     headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        raise AssertionError(f"{method} {path}: HTTP {error.code}: {error.read().decode()[:2000]}") from None


def health(query: str = "") -> dict:
    return call("GET", "/_cluster/health" + query)


# Documents: the bundled IndoSum sample, analysed by carinews ---------------------------------


def query_terms(text: str) -> list[str]:
    """carinews' query-mode terms: one per position, as a phrase query sees them."""
    return [term.text for term in analyze(text, mode="query")]


def stacked_tokens(text: str) -> list[str]:
    """carinews' index-mode terms, one token per position, a position's terms joined by STACK."""
    by_position: dict[int, list[str]] = {}
    for term in analyze(text):
        by_position.setdefault(term.pos, []).append(term.text)
    return [STACK.join(terms) for _, terms in sorted(by_position.items())]


@pytest.fixture(scope="module")
def sample() -> list[Article]:
    return [a for a in carinews.read_articles(carinews.sample_paths()) if isinstance(a, Article)]


@pytest.fixture(scope="module")
def body_terms(sample) -> dict[str, list[str]]:
    return {a.id: query_terms(a.body) for a in sample}


def make_index(**extra_settings) -> str:
    name = f"carinews-cluster-test-{uuid.uuid4().hex[:8]}"
    call("PUT", f"/{name}", {"settings": {**INDEX_SETTINGS, **extra_settings}, "mappings": MAPPINGS})
    assert health(f"/{name}?wait_for_status=green&timeout=60s")["status"] == "green"
    return name


def bulk_load(index: str, sample: list[Article], body_terms: dict[str, list[str]]) -> dict:
    lines: list = []
    for a in sample:
        lines.append({"index": {"_index": index, "_id": a.id}})
        lines.append({"source": a.source, "title": " ".join(query_terms(a.title)),
                      "body": " ".join(body_terms[a.id])})
    return call("POST", "/_bulk?refresh=wait_for", ndjson=lines)


@pytest.fixture
def loaded(sample, body_terms):
    """The sample in a new index; a killed node's copies stay unassigned (yellow) until it returns."""
    index = make_index(**{"unassigned.node_left.delayed_timeout": "10m"})
    result = bulk_load(index, sample, body_terms)
    assert result["errors"] is False
    yield index
    call("DELETE", f"/{index}")


def phrase_ids(index: str, phrase: list[str]) -> tuple[set[str], int, dict]:
    """The ids that match_phrase on body finds (all of them), the total and the shard counts."""
    answer = call("POST", f"/{index}/_search", {
        "query": {"match_phrase": {"body": " ".join(phrase)}},
        "size": 1000, "track_total_hits": True, "_source": False,
    })
    return {hit["_id"] for hit in answer["hits"]["hits"]}, answer["hits"]["total"]["value"], answer["_shards"]


def contains(terms: list[str], phrase: list[str]) -> bool:
    n = len(phrase)
    return any(terms[i:i + n] == phrase for i in range(len(terms) - n + 1))


def expected_ids(body_terms: dict[str, list[str]], phrase: list[str]) -> set[str]:
    return {doc_id for doc_id, terms in body_terms.items() if contains(terms, phrase)}


def frequent_bigram(body_terms: dict[str, list[str]]) -> list[str]:
    """The two-term phrase found in the most articles (ties: the first in sorted order)."""
    counts: dict[tuple[str, str], int] = {}
    for terms in body_terms.values():
        for pair in set(zip(terms, terms[1:])):
            counts[pair] = counts.get(pair, 0) + 1
    best = min(counts, key=lambda pair: (-counts[pair], pair))
    return list(best)


@pytest.fixture(scope="module")
def phrases(sample, body_terms) -> list[list[str]]:
    """A frequent bigram (many articles) and three-term phrases from the middle of two bodies."""
    picked = [frequent_bigram(body_terms)]
    for a in (sample[7], sample[150]):
        terms = body_terms[a.id]
        middle = len(terms) // 2
        picked.append(terms[middle:middle + 3])
    return picked


# The cluster ---------------------------------------------------------------------------------


def test_three_nodes_green_on_loopback_only():
    state = health()
    assert (state["status"], state["number_of_nodes"], state["number_of_data_nodes"]) == ("green", 3, 3)
    nodes = call("GET", "/_nodes/http,transport")["nodes"].values()
    for node in nodes:
        for layer in ("http", "transport"):
            bound = node[layer]["bound_address"]
            assert bound and all(a.startswith(("127.0.0.1:", "[::ffff:127.0.0.1]:")) for a in bound), bound
    assert sorted(node["name"] for node in nodes) == ["node-0", "node-1", "node-2"]


def test_whitespace_analyze_keeps_our_positions():
    text = "Juru bicara Kremlin Dmitry Peskov mengatakan laporan media itu tidak benar."
    sent = query_terms(text)
    answer = call("POST", "/_analyze", {"analyzer": "whitespace", "text": " ".join(sent)})
    assert [(t["token"], t["position"]) for t in answer["tokens"]] == [
        (term.text, term.pos) for term in analyze(text, mode="query")]


def test_stacked_analyzer_keeps_compound_parts_at_their_position():
    text = "Warga antre e-KTP dan vaksin Covid-19 di kota-kota pesisir pro-Rusia."
    index = make_index()
    try:
        answer = call("POST", f"/{index}/_analyze", {"analyzer": "carinews_stacked",
                                                     "text": " ".join(stacked_tokens(text))})
    finally:
        call("DELETE", f"/{index}")
    got = [(t["token"], t["position"]) for t in answer["tokens"]]
    assert got == [(term.text, term.pos) for term in analyze(text)]
    assert ("ktp", 2) in got and ("e-ktp", 2) in got  # the sentence does have stacked parts


def test_bulk_load_then_phrases_find_exactly_the_articles_holding_them(sample, body_terms, phrases, loaded):
    # the cluster may still be moving a copy to balance the nodes: wait until it is placed
    call("GET", f"/_cluster/health/{loaded}?wait_for_no_relocating_shards=true&wait_for_status=green&timeout=60s")
    shards = call("GET", f"/_cat/shards/{loaded}?format=json")
    assert sorted((s["prirep"], s["state"]) for s in shards) == [("p", "STARTED")] * 3 + [("r", "STARTED")] * 3
    assert call("GET", f"/{loaded}/_count")["count"] == len(sample) == 292
    assert len(expected_ids(body_terms, phrases[0])) > 1
    for phrase in phrases:
        want = expected_ids(body_terms, phrase)
        ids, total, _ = phrase_ids(loaded, phrase)
        assert (ids, total) == (want, len(want)), phrase


# A node killed -------------------------------------------------------------------------------


def own_node_pid(name: str) -> int:
    """The pid that cluster/opensearch.sh recorded for node NAME; skip if it did not start it."""
    pid_file = WORK / name / "node.pid"
    if not pid_file.exists():
        pytest.skip(f"{pid_file} absent: the cluster at {URL} was not started by cluster/opensearch.sh")
    pid = int(pid_file.read_text())
    assert "carinews-test-node.jar" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    return pid


def victim() -> tuple[str, int]:
    """A node other than the one CARINEWS_OPENSEARCH_URL talks to, and its pid."""
    port = URL.rsplit(":", 1)[1]
    nodes = call("GET", "/_nodes/http,process")["nodes"].values()
    others = sorted(n["name"] for n in nodes if not n["http"]["publish_address"].endswith(":" + port))
    name = others[-1]
    [reported] = [n["process"]["id"] for n in nodes if n["name"] == name]
    pid = own_node_pid(name)
    assert pid == reported
    return name, pid


def wait_gone(pid: int) -> None:
    deadline = time.monotonic() + 30
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not Path(f"/proc/{pid}").exists()


def test_sigkill_one_node_yellow_and_searches_still_answer(body_terms, phrases, loaded):
    name, pid = victim()
    wanted = [expected_ids(body_terms, phrase) for phrase in phrases]
    on_victim = [s for s in call("GET", f"/_cat/shards/{loaded}?format=json") if s["node"] == name]
    assert on_victim  # 6 shard copies over 3 nodes: the victim holds some
    os.kill(pid, signal.SIGKILL)
    try:
        wait_gone(pid)
        right_after = [phrase_ids(loaded, phrase)[0] for phrase in phrases]
        state = health(f"/{loaded}?wait_for_nodes=2&wait_for_status=yellow&timeout=60s")
        assert (state["status"], state["number_of_nodes"], state["timed_out"]) == ("yellow", 2, False)
        assert (state["active_primary_shards"], state["unassigned_shards"]) == (3, len(on_victim))
        after = [phrase_ids(loaded, phrase) for phrase in phrases]
    finally:
        restart = subprocess.run(["bash", str(CLUSTER_SCRIPT), "start-node", name.split("-")[1]],
                                 capture_output=True, text=True, timeout=300)
    assert restart.returncode == 0, restart.stderr
    assert right_after == wanted
    assert [ids for ids, _, _ in after] == wanted
    assert all(shards["failed"] == 0 and shards["successful"] == 3 for _, _, shards in after)
    state = health(f"/{loaded}?wait_for_status=green&wait_for_nodes=3&timeout=60s")
    assert (state["status"], state["number_of_nodes"]) == ("green", 3)
