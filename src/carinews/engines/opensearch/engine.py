"""The OpenSearch engine's `Engine` object: an aliased carinews index on a cluster.

A carinews index called `name` (`news`) is an alias on the cluster pointing at one concrete
article index, `<name>-<UTC time>-<random>`, beside which lives its lexicon index
(`<concrete>-lexicon`, lexicon.py). Lifecycle (class methods; `url` takes the place of the
embedded engines' folder, and defaults to `CARINEWS_OPENSEARCH_URL`):

- `create(url, name, stemmer, shards=, replicas=, switch=True)`: a new empty concrete
  index; with `switch` the alias `name` points at it at once (refused when `name` exists),
  without it (a rebuild) the alias is left alone until `publish()` switches it atomically
  (one `_aliases` request) and deletes the indexes it pointed at before;
- `open(url, name)`: the index the alias points at, refused (SchemaMismatchError) when its
  mapping or analysis version is not this carinews's, or when it is red;
- `exists`, `remove` (the alias and its indexes, or one concrete index: a dropped rebuild),
  `remove_leftovers(url, keep, name)` (concrete indexes of `name` no alias points at: a
  rebuild that was killed).

Reading goes to the concrete index, found again through the alias if a rebuild elsewhere
switched it and removed the old one. A search that a shard failed to answer (HTTP 500
`search_phase_execution_exception`: a node died while the request was on its way, and its
copies are being promoted elsewhere) is asked again, after `SHARD_RETRY_PAUSES`. Every call
turns connection errors, and a search some shard still cannot answer, into
`ClusterUnavailableError` naming the URL.
"""

from __future__ import annotations

import re
import secrets
import time

from opensearchpy.exceptions import NotFoundError, TransportError

from carinews.engines.base import Engine, Ranked
from carinews.engines.opensearch.cluster import (
    check_health, cluster_url, connect, describe, one_line, talking,
)
from carinews.engines.opensearch.lexicon import lexicon_body, lexicon_name
from carinews.engines.opensearch.mapping import (
    KEYWORD_FIELDS, MAPPING_VERSION, TEXT_FIELDS, WORD_FIELDS, decode_term, encode_term, index_body,
)
from carinews.engines.opensearch.search import aware, facet_aggregation, facet_counts, search_plan
from carinews.errors import (
    CarinewsError, ClusterSettingError, ClusterUnavailableError, IndexExistsError,
    IndexNotFoundError, IndexUnreadableError, SchemaMismatchError,
)

DEFAULT_NAME = "news"
DEFAULT_SHARDS = 1
DEFAULT_REPLICAS = 1
_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]{0,150}\Z")
STORED_FIELDS = ["key", "id", "hash", "dup", "sketch", "doc", "date", "raw", "state"]
LOOKUP_PAGE = 5000        # values per `existing` request, term counts per `_msearch`
VOCABULARY_PAGE = 10_000  # terms per page of the vocabulary's composite aggregation
CREATE_WAIT = 45          # seconds; the server waits up to its default 30 s for yellow


def check_name(name: str) -> str:
    if not _NAME.match(name) or name.endswith("-lexicon"):
        raise ClusterSettingError("index name", name, (
            f"index name {name!r} is not usable on OpenSearch: use lower-case letters, digits, "
            f"'_', '-' and '.', starting with a letter or digit, not ending in -lexicon"))
    return name


class OpenSearchEngine(Engine):
    name = "opensearch"
    SCHEMA_VERSION = MAPPING_VERSION
    DEFAULT_NAME = DEFAULT_NAME
    OPTION_KEYS = ("url", "index_name", "shards", "replicas")
    SHARED = True

    def __init__(self, client, url: str, alias: str, index: str, stemmer: str):
        self.client, self.url, self.alias, self.stemmer = client, url, alias, stemmer
        self.index, self.lexicon = index, lexicon_name(index)

    # -- lifecycle ---------------------------------------------------------------------------

    @classmethod
    def create(cls, url: str | None = None, name: str = DEFAULT_NAME, stemmer: str = "sastrawi", *,
               shards: int = DEFAULT_SHARDS, replicas: int = DEFAULT_REPLICAS,
               switch: bool = True) -> "OpenSearchEngine":
        client, url = connect(url)
        check_name(name)
        check_health(client, url)
        with talking(url):
            if switch and _exists(client, name):
                raise IndexExistsError(f"{url}/{name}")
            index = f"{name}-{time.strftime('%Y%m%d%H%M%S', time.gmtime())}-{secrets.token_hex(3)}"
            client.indices.create(index=lexicon_name(index), body=lexicon_body(replicas, stemmer, name))
            client.indices.create(index=index, body=index_body(shards, replicas, stemmer, name))
            client.cluster.health(index=f"{index},{lexicon_name(index)}",
                                  params={"wait_for_status": "yellow", "request_timeout": CREATE_WAIT})
            if switch:
                client.indices.update_aliases(body={"actions": [{"add": {"index": index, "alias": name}}]})
        return cls(client, url, name, index, stemmer)

    @classmethod
    def open(cls, url: str | None = None, name: str = DEFAULT_NAME,
             stemmer: str | None = None) -> "OpenSearchEngine":
        """The index `name`, with the stemmer it was built with (`stemmer` is not consulted:
        an index's stemmer is fixed when it is created)."""
        client, url = connect(url)
        with talking(url):
            index = _resolve(client, url, name)
            meta = _meta(client, index)
        found = f"mapping {meta.get('mapping_version')}, analysis {meta.get('analysis_version')}"
        expected = f"mapping {MAPPING_VERSION}, analysis {_analysis_version()}"
        if found != expected:
            raise SchemaMismatchError(f"{url}/{name}", found, expected)
        check_health(client, url, f"{index},{lexicon_name(index)}")
        return cls(client, url, name, index, meta.get("stemmer", "sastrawi"))

    @classmethod
    def exists(cls, url: str | None = None, name: str = DEFAULT_NAME) -> bool:
        client, url = connect(url)
        with talking(url):
            return _exists(client, name)

    @classmethod
    def count(cls, url: str | None = None, name: str = DEFAULT_NAME) -> int | None:
        """Live articles of the index `name`; None when it cannot be read."""
        client, url = connect(url)
        try:
            with talking(url):
                return client.count(index=_resolve(client, url, name))["count"]
        except (CarinewsError, TransportError):
            return None

    @classmethod
    def remove(cls, url: str | None = None, name: str = DEFAULT_NAME) -> None:
        """Delete the alias `name` and the indexes behind it, or the concrete index `name`."""
        client, url = connect(url)
        with talking(url):
            indexes = _aliased(client, name) or ([name] if client.indices.exists(index=name) else [])
            _delete(client, indexes)

    @classmethod
    def remove_leftovers(cls, url: str | None = None, keep: set[str] = frozenset(),
                         name: str | None = None) -> None:
        """Delete the concrete indexes made for `name` (default: for each alias `keep`
        names, as the Archive facade calls it) that its alias does not point at and `keep`
        does not name (rebuilds that never finished)."""
        client, url = connect(url)
        with talking(url):
            for alias in [name] if name else sorted(keep):
                live = set(_aliased(client, alias)) | set(keep)
                found = client.indices.get_mapping(index=f"{alias}-*", params={"allow_no_indices": "true"})
                ours = [index for index, body in found.items()
                        if body["mappings"].get("_meta", {}).get("carinews", {}).get("alias") == alias
                        and body["mappings"]["_meta"]["carinews"].get("role") == "articles"]
                _delete(client, [index for index in ours if index not in live])

    # -- the Archive facade's view: carinews.json holds the URL and the index name ------------

    @classmethod
    def settings_for(cls, options: dict) -> dict:
        """`url` (default `CARINEWS_OPENSEARCH_URL`), `index_name` (the alias, default
        `news`), `shards` and `replicas` for carinews.json; ClusterSettingError for a
        missing URL, an unusable name or a count out of range."""
        return {"url": cluster_url(options.get("url")),
                "index_name": check_name(options.get("index_name") or DEFAULT_NAME),
                "shards": _count_setting("shards", options.get("shards", DEFAULT_SHARDS), 1),
                "replicas": _count_setting("replicas", options.get("replicas", DEFAULT_REPLICAS), 0)}

    @classmethod
    def location(cls, folder, settings: dict) -> str:
        """The cluster URL carinews.json names (the folder itself holds no index)."""
        return cluster_url(settings.get("url"))

    @classmethod
    def creation_options(cls, settings: dict) -> dict:
        return {"shards": settings.get("shards", DEFAULT_SHARDS),
                "replicas": settings.get("replicas", DEFAULT_REPLICAS)}

    @classmethod
    def create_rebuild(cls, where, name: str, replaces: bool, stemmer: str,
                       **options) -> tuple["OpenSearchEngine", str]:
        """A new concrete index for the alias `name`, which keeps pointing at the live index
        until `publish_rebuild` (a new alias `name` must not exist yet)."""
        if not replaces and cls.exists(where, name):
            raise IndexExistsError(f"{cluster_url(where)}/{name}")
        return cls.create(where, name, stemmer, switch=False, **options), name

    def rebuilt_count(self, where, name: str) -> int | None:
        try:
            return self.doc_count()
        except CarinewsError:
            return None

    def publish_rebuild(self) -> None:
        self.publish()

    def drop(self, where, name: str) -> None:
        """Delete this rebuild's concrete index (the alias still points at the live one)."""
        type(self).remove(self.url, self.index)

    def clean_leftovers(self, where, keep: set[str]) -> None:
        type(self).remove_leftovers(self.url, set(keep) | {self.index}, name=self.alias)

    def store_bytes(self, folder) -> int:
        """Primary store of the article index and its lexicon (replicas not counted)."""
        def run():
            stats = self.client.indices.stats(index=f"{self.index},{self.lexicon}", metric="store")
            return stats["_all"]["primaries"]["store"]["size_in_bytes"]

        return self._call(run)

    def publish(self) -> list[str]:
        """Point the alias at this (rebuilt) index in one atomic step, then delete the
        indexes it pointed at before; returns their names."""
        with talking(self.url):
            old = [index for index in _aliased(self.client, self.alias) if index != self.index]
            actions = [{"remove": {"index": index, "alias": self.alias}} for index in old]
            actions.append({"add": {"index": self.index, "alias": self.alias}})
            self.client.indices.update_aliases(body={"actions": actions})
            _delete(self.client, old)
        return old

    # -- writing -----------------------------------------------------------------------------

    def writer(self, workers: int | None = None, **options):
        """A batch writer (writer.py; `options`: attempts, backoff, shard_wait)."""
        from carinews.engines.opensearch.writer import OpenSearchBatchWriter

        check_health(self.client, self.url, f"{self.index},{self.lexicon}")
        return OpenSearchBatchWriter(self.client, self.url, self.index, self.lexicon,
                                     self.stemmer, workers, **options)

    def has(self, field: str, value: str) -> bool:
        return self._first(field, value, []) is not None

    def existing(self, field: str, values) -> set[str]:
        """The `values` that some live article has in the keyword `field` (one request a
        batch, where `has` would make one an article)."""
        values = sorted(set(values))
        found: set[str] = set()
        for start in range(0, len(values), LOOKUP_PAGE):
            page = values[start:start + LOOKUP_PAGE]
            answer = self._call(lambda: self.client.search(index=self.index, body={
                "query": {"terms": {field: page}}, "size": 0, "track_total_hits": False,
                "aggs": {"found": {"terms": {"field": field, "size": len(page)}}}}))
            found.update(b["key"] for b in answer["aggregations"]["found"]["buckets"])
        return found

    def lookup_raw(self, raw_digest: str, exclusive: bool = False) -> tuple[str, str] | None:
        """(key, date state) of the article read from a record with this digest (`exclusive`
        changes nothing: the cluster is asked each time)."""
        found = self._first("raw", raw_digest, ["key", "state"])
        return (found["key"], found["state"]) if found is not None else None

    # -- reading -----------------------------------------------------------------------------

    def search(self, query, **options) -> Ranked:
        return self._call(lambda: search_plan(self.client, self.index, self.lexicon, query, **options))

    def document(self, field: str, value: str) -> dict | None:
        found = self._first(field, value, STORED_FIELDS)
        if found is not None and found.get("date"):
            found["date"] = aware(found["date"])
        return found

    def doc_count(self) -> int:
        return self._call(lambda: self.client.count(index=self.index)["count"])

    def field_counts(self, field: str) -> dict[str, int]:
        if field not in KEYWORD_FIELDS:
            return {}
        query = {"match_all": {}}

        def run():
            answer = self.client.search(index=self.index, body={
                "query": query, "size": 0, "track_total_hits": False,
                "aggs": {field: facet_aggregation(field)}})
            return facet_counts(self.client, self.index, query, field, answer["aggregations"][field])

        return self._call(run)

    def vocabulary(self, field: str):
        """(term, live articles holding it) of `title_exact` / `body_exact`, from a paged
        composite terms aggregation over the field's doc-values copy (mapping.WORD_FIELDS)."""
        words = WORD_FIELDS.get(field)
        if words is None:
            return iter(())
        return self._call(lambda: list(self._terms_with_counts(words)))

    def _terms_with_counts(self, words: str):
        after = None
        while True:
            composite = {"size": VOCABULARY_PAGE, "sources": [{"term": {"terms": {"field": words}}}]}
            if after is not None:
                composite["after"] = after
            answer = self.client.search(index=self.index, body={
                "size": 0, "track_total_hits": False, "aggs": {"words": {"composite": composite}}})
            found = answer["aggregations"]["words"]
            for bucket in found["buckets"]:
                yield decode_term(bucket["key"]["term"]), bucket["doc_count"]
            after = found.get("after_key")
            if not found["buckets"] or after is None:
                return

    def document_frequencies(self, field: str, terms) -> dict[str, int]:
        """term -> live articles whose `field` holds it: one `_msearch` of counting term
        queries (where the base class makes one search a term)."""
        terms = list(dict.fromkeys(terms))
        if field not in TEXT_FIELDS + KEYWORD_FIELDS or not terms:
            return {t: 0 for t in terms}

        def run():
            counts = {}
            for start in range(0, len(terms), LOOKUP_PAGE):
                page = terms[start:start + LOOKUP_PAGE]
                lines = []
                for term in page:
                    value = encode_term(term) if field in TEXT_FIELDS else term
                    lines += [{"index": self.index},
                              {"size": 0, "track_total_hits": True, "query": {"term": {field: value}}}]
                answers = self.client.msearch(body=lines)["responses"]
                for term, answer in zip(page, answers):
                    if "error" in answer:
                        raise ClusterUnavailableError(self.url, f"cannot count {field}:{term}: "
                                                                f"{one_line(answer['error'])}")
                    counts[term] = answer["hits"]["total"]["value"]
            return counts

        return self._call(run)

    def version(self) -> str:
        """`<concrete index>:<commits>`: the writer counts its commits in the mapping's
        `_meta`, and a rebuild's concrete index has a name never used before."""
        return self._call(lambda: f"{self.index}:{_meta(self.client, self.index).get('commits', 0)}")

    def refresh(self) -> None:
        """Nothing to forget: every answer comes from the cluster."""

    def close(self) -> None:
        self.client.close()

    def _first(self, field: str, value: str, source) -> dict | None:
        """The `_source` fields `source` of one live article with `field` = `value`, or None."""
        def run():
            answer = self.client.search(index=self.index, body={
                "query": {"term": {field: value}}, "size": 1, "_source": source,
                "track_total_hits": False})
            hits = answer["hits"]["hits"]
            return (hits[0].get("_source") or {}) if hits else None

        return self._call(run)

    def _call(self, run):
        """`run()` against the current concrete index; once more after following the alias
        when a rebuild elsewhere removed it; again after each pause of SHARD_RETRY_PAUSES
        when a shard failed to answer. Every call here only reads."""
        with talking(self.url):
            for pause in (*SHARD_RETRY_PAUSES, None):
                try:
                    return self._following_alias(run)
                except TransportError as exc:
                    if isinstance(exc.status_code, int) and exc.status_code < 500:
                        raise
                    if pause is None or not _shard_failure(exc):
                        raise ClusterUnavailableError(self.url, f"cannot answer: {describe(exc)}") from None
                time.sleep(pause)

    def _following_alias(self, run):
        try:
            return run()
        except NotFoundError:
            index = _resolve(self.client, self.url, self.alias)
            if index == self.index:
                raise
            self.index, self.lexicon = index, lexicon_name(index)
            return run()


SHARD_RETRY_PAUSES = (0.2, 1.0)   # seconds; a dead node's copies are promoted within about a second


def _shard_failure(error: TransportError) -> bool:
    """A search some shard failed to answer (the transport already retries 502-504)."""
    cause = error.info.get("error") if isinstance(error.info, dict) else None
    return error.status_code == 500 and isinstance(cause, dict) and \
        cause.get("type") == "search_phase_execution_exception"


def _count_setting(setting: str, value, least: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = least - 1
    if number < least or number > 1024:
        raise ClusterSettingError(setting, str(value), f"{setting} must be a whole number from "
                                                       f"{least} to 1024, not {value!r}")
    return number


def _analysis_version() -> str:
    from carinews.analysis import ANALYSIS_VERSION

    return ANALYSIS_VERSION


def _exists(client, name: str) -> bool:
    return bool(client.indices.exists_alias(name=name)) or bool(client.indices.exists(index=name))


def _aliased(client, alias: str) -> list[str]:
    """The concrete indexes `alias` points at (none when it is not an alias)."""
    if not client.indices.exists_alias(name=alias):
        return []
    return sorted(client.indices.get_alias(name=alias))


def _resolve(client, url: str, name: str) -> str:
    """The concrete article index behind `name` (an alias, or a concrete index itself)."""
    indexes = _aliased(client, name)
    if len(indexes) == 1:
        return indexes[0]
    if not indexes and client.indices.exists(index=name):
        return name
    if indexes:
        raise IndexUnreadableError(f"{url}/{name}", f"OpenSearch at {url}: alias {name}",
                                   f"it points at {len(indexes)} indexes ({', '.join(indexes)}), not one")
    raise IndexNotFoundError(f"{url}/{name}")


def _meta(client, index: str) -> dict:
    mapping = client.indices.get_mapping(index=index)[index]["mappings"]
    return mapping.get("_meta", {}).get("carinews", {})


def _delete(client, indexes: list[str]) -> None:
    names = [n for index in indexes for n in (index, lexicon_name(index))]
    if names:
        client.indices.delete(index=",".join(names), params={"ignore_unavailable": "true"})
