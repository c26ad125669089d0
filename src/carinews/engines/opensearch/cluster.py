"""Talking to the cluster: the client, its JSON, health checks and errors that name the URL.

Steps: `cluster_url(url)` picks the URL (the parameter, else `CARINEWS_OPENSEARCH_URL`);
`connect(url)` makes an opensearch-py client that encodes and decodes JSON with orjson
(responses carry whole stored articles); `talking(url)` turns the client's connection
errors and timeouts into `ClusterUnavailableError` with a one-line reason;
`check_health(client, url, index)` refuses a red cluster (or a red index), naming what is
unassigned.
"""

from __future__ import annotations

import os
from contextlib import contextmanager

import orjson
from opensearchpy import OpenSearch
from opensearchpy.exceptions import ConnectionError as ClientConnectionError
from opensearchpy.exceptions import ConnectionTimeout, SerializationError, TransportError
from opensearchpy.serializer import JSONSerializer

from carinews.errors import ClusterSettingError, ClusterUnavailableError

URL_VARIABLE = "CARINEWS_OPENSEARCH_URL"
REQUEST_TIMEOUT = 60      # seconds per request (bulk requests and searches included)
HEALTH_TIMEOUT = 10       # seconds the cluster may take to report its health


def cluster_url(url: str | None = None) -> str:
    url = (url or os.environ.get(URL_VARIABLE) or "").strip().rstrip("/")
    if not url:
        raise ClusterSettingError("url", "", f"no OpenSearch URL: pass --url or set {URL_VARIABLE}")
    return url


class OrjsonSerializer(JSONSerializer):
    """opensearch-py's serializer with orjson: strings pass through (the writer sends
    documents serialised in its workers), everything else is encoded and decoded by orjson."""

    def dumps(self, data):
        if isinstance(data, str):
            return data
        try:
            return orjson.dumps(data).decode()
        except TypeError as exc:
            raise SerializationError(data, exc) from exc

    def loads(self, s):
        try:
            return orjson.loads(s)
        except orjson.JSONDecodeError as exc:
            raise SerializationError(s, exc) from exc


def connect(url: str | None = None, timeout: float = REQUEST_TIMEOUT) -> tuple[OpenSearch, str]:
    """A client for the cluster at `url` and the URL it talks to."""
    url = cluster_url(url)
    client = OpenSearch(hosts=[url], timeout=timeout, max_retries=2, retry_on_timeout=True,
                        serializer=OrjsonSerializer())
    return client, url


def one_line(text) -> str:
    return " ".join(str(text).split())[:500]


def describe(error: Exception) -> str:
    """A short reason for a client error: the server's error type and reason when it sent one."""
    if isinstance(error, TransportError) and isinstance(error.info, dict):
        cause = error.info.get("error")
        if isinstance(cause, dict):
            return one_line(f"HTTP {error.status_code} {cause.get('type')}: {cause.get('reason')}")
    if isinstance(error, (ClientConnectionError, ConnectionTimeout)):
        inner = error.info if isinstance(error.info, Exception) else error.error
        return one_line(f"cannot connect ({type(inner).__name__ if isinstance(inner, Exception) else inner})")
    return one_line(f"{type(error).__name__}: {error}")


@contextmanager
def talking(url: str):
    """Connection errors and timeouts from the client -> ClusterUnavailableError(url)."""
    try:
        yield
    except (ClientConnectionError, ConnectionTimeout) as exc:
        raise ClusterUnavailableError(url, f"unreachable: {describe(exc)}; start it, or check "
                                           f"--url / {URL_VARIABLE}") from None


def check_health(client: OpenSearch, url: str, index: str | None = None) -> dict:
    """The health of the cluster (or of `index`); ClusterUnavailableError when it is red."""
    with talking(url):
        health = client.cluster.health(index=index, params={"request_timeout": HEALTH_TIMEOUT})
    if health.get("status") == "red":
        what = f"index {index}" if index else "the cluster"
        raise ClusterUnavailableError(
            url, f"{what} is red ({health.get('unassigned_shards', '?')} unassigned shards, "
                 f"{health.get('active_primary_shards', '?')} active primaries, "
                 f"{health.get('number_of_nodes', '?')} nodes); wait for its nodes to return, "
                 f"or ask its operator")
    return health
