"""The interface every engine implements, and the records it returns.

An engine owns one index's files (or, for a cluster, its index) and answers in
plan terms (query/plan.py): it never parses query text, builds snippets or
collapses copies; carinews does that the same way for every engine. The read
side, used by search.py and the Archive facade:

- `search(query, ...)` -> `Ranked`: the best `limit` matches of a compiled plan,
  ranked by BM25F (title weighted above body) plus optional bonus clauses that
  only reorder matches (`bonus`: exact forms; `near`: proximity, added to the
  best `RESCORE_WINDOW` hits only), or sorted by date; the exact match count; and
  value counts over all matches (not only the `limit` returned) for each facet
  `facets` names (see Facets below);
- `document(field, value)` -> the stored record of the live article whose
  `field` (`key`, `id`, `url`, `hash`) is `value`;
- `doc_count()`, `field_counts(field)` (value -> live article count: `outlet`,
  `month`), `vocabulary(field)` ((term, document frequency) of a text field),
  `document_frequencies(field, terms)` (term -> articles holding it, for
  the idf of related articles; the base class counts with `search`, an engine
  with a term dictionary reads it there).

The write side, used by the Archive facade (archive.py) under the folder's write
lock, one batch at a time: `writer(workers)` returns a `BatchWriter` whose
`submit` hands a batch of (Article, content hash) to worker processes that
extract names and analyse the texts (carinews's own analysis, analysis/terms.py,
so every engine indexes the same terms at the same positions), `collect` waits
for a batch's outcomes (an article whose analysis failed carries its error),
and `commit` deletes the articles the batch replaces and makes the batch
durable and visible in one step: a process killed at any moment leaves the last
commit. `has(field, value)` and `lookup_raw(digest)` let the facade skip
unchanged records. Lifecycle class methods work on one named index inside the
index folder (`create`, `open`, `exists`, `remove`, `remove_leftovers`), so the
facade can build a rebuild beside the live index and switch by settings file.

Facets: `search(..., facets=names)` returns `Ranked.groups[name]`, value -> the
number of matching articles with that value, counted over every match. A match
without a value is left out (no None or "" key), so the counts of a facet may
sum to less than `total`. The names, and the values every engine gives alike:

- FACET_FIELDS, keyword values stored at indexing: `outlet` (the source host,
  lower-cased), `month` (`YYYY-MM` of the WIB date, engines/prepare.py
  `month_of`), `section` (the section as indexed, lower-cased);
- DATE_FACETS, asked for one at a time by the search page's coverage chart:
  `day` and `week`, `YYYY-MM-DD` labels of each dated match's WIB calendar day
  and of the Monday of that day's week (engines/prepare.py `day_of`,
  `week_of`). They are computed at query time from the `date` column, not
  stored as keyword values: no schema holds them, and adding them would make
  every existing index need a rebuild for a chart. Inferred dates count like
  given ones; undated matches are left out. An engine with a date histogram
  may bucket by day at the fixed WIB offset (+07:00, no daylight saving) and
  fold days into weeks with `week_of`; the labels must equal those functions'.

`version()` names the committed state searches see: a value that changes with
every commit and rebuild (the web layer keys its caches of results by it).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from carinews.query import plan

SORTS = ("relevance", "date", "-date")  # undated articles last in both date orders
RESCORE_WINDOW = 200     # best hits that get the proximity bonus, however many are asked for
FACET_FIELDS = ("outlet", "month", "section")
DATE_FACETS = ("day", "week")   # facets over the `date` field: the WIB day, the Monday of its week


class IndexRace(Exception):
    """Files an engine was opening were removed by a commit or a rebuild meanwhile: retry."""


@dataclass
class Match:
    """One ranked article as an engine returns it: what search.py needs to show it."""

    doc: bytes | str                    # the stored Article, as JSON
    dup: str                            # exact-lead duplicate key
    sketch: list[int]                   # near-duplicate sketch (analysis/sketches.py)
    date: datetime | None               # aware UTC
    score: float | None                 # None when sorted by date
    matched: int | None = None          # set by search.fill: how many query words a partial match has


@dataclass
class Ranked:
    matches: list[Match]
    total: int                                          # every matching article
    groups: dict[str, dict[str, int]] = field(default_factory=dict)   # facet field -> value -> count


@dataclass
class Prepared:
    """One article's outcome in a batch: written, or the error that stopped it."""

    key: str
    digest: str
    error: Exception | None = None
    made_safe: bool = False             # stored with characters or nesting JSON cannot hold replaced
    article: object | None = None       # kept when the facade needs it back (errors, made_safe)


class BatchWriter(ABC):
    """Writes batches into one engine index; a context manager (closing stops its workers)."""

    @abstractmethod
    def submit(self, batch: list[tuple[object, str]]):
        """Start preparing (Article, content hash) pairs; returns a job for `collect`/`commit`."""

    @abstractmethod
    def collect(self, job) -> list[Prepared]:
        """Wait for `job`; every article's outcome, in batch order."""

    @abstractmethod
    def commit(self, job, replaced: list[str]) -> None:
        """Delete the live articles with keys `replaced` and add `job`'s written articles, in
        one durable commit."""

    def finish(self) -> None:
        """Wait for background work (merges) started by earlier commits and commit it."""

    def close(self) -> None:
        """Stop the workers; uncommitted work is dropped."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Engine(ABC):
    """One index of one engine kind (`name`, recorded in the index's settings file)."""

    name: ClassVar[str]
    SCHEMA_VERSION: ClassVar[str]       # recorded in the settings file; another one is refused
    DEFAULT_NAME: ClassVar[str]         # the first index's name in a new folder
    OPTION_KEYS: ClassVar[tuple[str, ...]] = ()   # settings-file keys `settings_for` makes
    SHARED: ClassVar[bool] = False      # its indexes outlive a folder (a cluster's): a new folder
                                        # naming an existing one joins it instead of failing

    # -- lifecycle (one named index inside the index folder) ----------------------------

    @classmethod
    def create(cls, folder, name: str, stemmer: str) -> "Engine":
        """A new empty index `name` in `folder`."""
        raise NotImplementedError

    @classmethod
    def open(cls, folder, name: str, stemmer: str) -> "Engine":
        """The index `name` in `folder`, at its last commit (IndexRace: try again)."""
        raise NotImplementedError

    @classmethod
    def exists(cls, folder, name: str) -> bool:
        """Whether `folder` holds a committed index `name`."""
        raise NotImplementedError

    @classmethod
    def remove(cls, folder, name: str) -> None:
        """Delete the index `name` (a dropped rebuild, or the old index after a switch)."""
        raise NotImplementedError

    @classmethod
    def remove_leftovers(cls, folder, keep: set[str]) -> None:
        """Delete what a killed writer left (unfinished files, indexes not in `keep`)."""

    @classmethod
    def next_name(cls, folder) -> str:
        """A name for a new index beside the ones in `folder` (a rebuild)."""
        raise NotImplementedError

    @classmethod
    def count(cls, folder, name: str) -> int | None:
        """Live articles of the committed index `name`; None when it cannot be read."""
        raise NotImplementedError

    # -- where an index lives (the Archive facade stays engine-neutral through these) -----

    @classmethod
    def settings_for(cls, options: dict) -> dict:
        """The keys this engine adds to a new index's settings file (carinews.json) from the
        user's `options` (the OpenSearch engine: `url`, `index_name`, `shards`,
        `replicas`); an embedded engine takes none and refuses any (ClusterSettingError)."""
        if options:
            from carinews.errors import ClusterSettingError

            given = ", ".join(f"--{key.replace('_', '-')}" for key in sorted(options))
            raise ClusterSettingError(sorted(options)[0], "", (
                f"{given} {'goes' if len(options) == 1 else 'go'} with --engine opensearch "
                f"(the {cls.name} engine keeps its index in the index folder)"))
        return {}

    @classmethod
    def location(cls, folder, settings: dict):
        """What the lifecycle class methods take as their first argument for the index the
        settings file describes: the index folder here, a cluster URL for OpenSearch."""
        return folder

    @classmethod
    def creation_options(cls, settings: dict) -> dict:
        """Keyword arguments `create` takes from the settings file (shards, replicas)."""
        return {}

    @classmethod
    def create_rebuild(cls, where, name: str, replaces: bool, stemmer: str,
                       **options) -> tuple["Engine", str]:
        """A new index beside the live one and its name for the settings file. `name` is
        the one the settings ask for, `replaces` whether the live index is this engine's
        `name` at `where`. Here a new name in the folder (`name` is only the default
        one), which the settings file switches to; an engine with aliases keeps `name`
        and switches in `publish_rebuild`."""
        name = cls.next_name(where)
        return cls.create(where, name, stemmer, **options), name

    def rebuilt_count(self, where, name: str) -> int | None:
        """Live articles of this (rebuilt, not yet published) index."""
        return type(self).count(where, name)

    def publish_rebuild(self) -> None:
        """Make this rebuilt index the live one once the settings file names it (nothing
        more here: the settings file's rename did it)."""

    def drop(self, where, name: str) -> None:
        """Delete this (rebuilt, unpublished) index: a dropped rebuild."""
        type(self).remove(where, name)

    def clean_leftovers(self, where, keep: set[str]) -> None:
        """`remove_leftovers`, keeping this engine's own index too."""
        type(self).remove_leftovers(where, keep)

    def store_bytes(self, folder) -> int:
        """Bytes this index takes (here the folder's files)."""
        from carinews.folder import folder_size

        return folder_size(folder)

    # -- writing -------------------------------------------------------------------------

    def writer(self, workers: int | None = None) -> BatchWriter:
        """A batch writer using `workers` processes for analysis (None: one per CPU)."""
        raise NotImplementedError

    def has(self, field: str, value: str) -> bool:
        """Whether a live article has `field` (`hash`, `key`) = `value`."""
        raise NotImplementedError

    def existing(self, field: str, values) -> set[str]:
        """The `values` some live article has in `field` (`hash`, `key`): `has` for each
        here; an engine served over a network answers a batch in one request."""
        return {value for value in values if self.has(field, value)}

    def lookup_raw(self, raw_digest: str, exclusive: bool = False) -> tuple[str, str] | None:
        """(key, date state) of the live article read from a record with this raw digest.
        `exclusive`: the caller holds the folder's write lock, so nobody else writes and the
        engine may answer from a table it reads once (and keeps current on its own commits)."""
        raise NotImplementedError

    # -- reading -------------------------------------------------------------------------

    @abstractmethod
    def search(self, query: plan.Node, *, query_text: str = "", bonus: list[plan.Node] = (),
               near: list[plan.Node] = (), limit: int = 10, sort: str = "relevance",
               facets: tuple[str, ...] = ()) -> Ranked:
        """The best `limit` matches of `query`; `facets` names fields of FACET_FIELDS and
        DATE_FACETS (see the module docstring)."""

    @abstractmethod
    def document(self, field: str, value: str) -> dict | None:
        """The stored fields (`doc`, `key`, `hash`, ...) of the live article with `field` = `value`."""

    @abstractmethod
    def doc_count(self) -> int:
        """Live articles."""

    @abstractmethod
    def field_counts(self, field: str) -> dict[str, int]:
        """Live articles per value of a keyword field (`outlet`, `month`)."""

    def vocabulary(self, field: str):
        """Iterate (term, document frequency) over every term of text field `field`
        (`title_exact`, `body_exact`) in the live articles: the "did you mean" vocabulary
        (results/suggest.py). Frequencies may still count deleted articles until a merge."""
        raise NotImplementedError(f"the {self.name} engine does not list its vocabulary")

    def document_frequencies(self, field: str, terms) -> dict[str, int]:
        """term -> the number of articles whose `field` holds it (terms in no article: 0).
        An engine may count deleted articles not yet merged away (an idf need not be exact);
        this default counts live matches of one `Term` plan per term."""
        return {t: self.search(plan.Term(field, t), limit=1).total for t in dict.fromkeys(terms)}

    def version(self) -> str:
        """A name for the committed state searches see now: it changes with every commit
        (and is never reused by a rebuild's new index), so results cached under it are
        stale once it changes. Engines must override it; carinews serve needs it."""
        raise NotImplementedError(
            f"the {self.name} engine does not implement Engine.version(), which names its "
            "committed state (carinews serve keys its result cache by it)")

    def refresh(self) -> None:
        """Forget tables read under an earlier write lock: others may have written since."""

    def close(self) -> None:
        """Release open readers."""
