"""What every engine's worker processes do to an article before indexing it.

Steps: `fill_names` extracts the article's proper names (analysis/names.py) once;
then `prepare_with` runs an engine's document builder on the article and, when the
stored record cannot be encoded (lone surrogates from undecodable file names,
`extra` nested too deep for JSON), on a JSON-safe copy (`json_safe`), saying so;
`worker_init` sets up a forked worker: it ignores SIGINT (the parent decides
what an interrupt means) and is killed with its parent (Linux
PR_SET_PDEATHSIG), so a killed `carinews index` never leaves a worker running
after the lock is released; and it closes the lock files it inherited
(`_close_inherited_locks`).

Also the keyword values every engine derives the same way from an Article
(`source_terms`, `date_state`, `stored_fields`, `month_of`) and the labels of the date
facets (`day_of`, `week_of`, computed at query time from the `date` column), so that a
field query or a facet means the same on each engine.
"""

from __future__ import annotations

import os
import signal
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import orjson

from carinews.ingest.dates import WIB

if TYPE_CHECKING:  # the ingest stage's Article loads only when an index is written
    from carinews.ingest.articles import Article

MAX_STORED_DEPTH = 100


def fill_names(article: Article) -> None:
    if article.names:
        return
    from carinews.analysis.names import extract_names, top_names

    spans = extract_names(article.title + "\n\n" + article.body)
    article.names = top_names(spans, 50)


def prepare_with(build, article: Article, *args):
    """`(build(article, *args), made_safe)`; on a record JSON cannot hold, `build` runs again
    on a JSON-safe copy and `made_safe` is True."""
    try:
        return build(article, *args), False
    except (orjson.JSONEncodeError, RecursionError):  # lone surrogates, deep `extra`
        return build(safe_copy(article), *args), True


def safe_copy(article: Article) -> Article:
    from carinews.ingest.articles import Article

    return Article(**{k: json_safe(v) for k, v in article.__dict__.items()})


def json_text(text: str) -> str:
    """`text` with lone surrogates (undecodable file names) made printable."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8") if isinstance(text, str) else text


def json_safe(value, depth: int = 0):
    if isinstance(value, str):
        return json_text(value)
    if depth > MAX_STORED_DEPTH and isinstance(value, (dict, list, tuple)):
        return "(nested too deeply to store)"
    if isinstance(value, dict):
        return {json_text(str(k)): json_safe(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v, depth + 1) for v in value]
    return value


# -- keyword values ------------------------------------------------------------------------

def source_terms(source: str | None) -> str:
    """`kompas.com` -> "kompas.com kompas" so `sumber:kompas` matches too."""
    if not source:
        return ""
    host = source.lower()
    return f"{host} {host.split('.')[0]}" if "." in host else host


def date_state(article: Article) -> str:
    if article.date is None:
        return "undated"
    return "inferred" if article.date_inferred else "dated"


def stored_fields(article: Article, content_hash: str) -> dict:
    """The fields stored for an article beside its analysed text: identity, copy detection
    (exact-lead key and sketch), the content hash, the date state and the Article as JSON."""
    from carinews.analysis.sketches import make_sketch

    return {
        "key": article.key,
        "id": article.id,
        "dup": article.dup_key or article.key,
        "sketch": make_sketch(article.body),
        "hash": content_hash,
        "state": date_state(article),
        "doc": orjson.dumps(article.to_dict()),
    }


def month_of(article: Article) -> str | None:
    """The article's month in WIB, `2022-03` (None when undated): the month facet."""
    return article.date.astimezone(WIB).strftime("%Y-%m") if article.date is not None else None


def day_of(when: datetime) -> str:
    """The WIB calendar day of an aware datetime, `2022-03-07`: the `day` facet's label."""
    return when.astimezone(WIB).strftime("%Y-%m-%d")


def week_of(when: datetime) -> str:
    """The Monday of `when`'s WIB week, `2022-03-07`: the `week` facet's label."""
    day = when.astimezone(WIB).date()
    return (day - timedelta(days=day.weekday())).isoformat()


# -- worker processes ----------------------------------------------------------------------

def worker_init() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent()
    _close_inherited_locks()


LOCK_SUFFIX = ".lock"       # carinews.lock, tantivy's .tantivy-meta.lock and .tantivy-writer.lock


def _close_inherited_locks() -> None:
    """Close this forked worker's copies of the parent's open lock files.

    A `flock` belongs to the open file, which a fork shares: if the fork happens while one
    of the parent's threads holds a lock (tantivy's segment updater holds
    `.tantivy-meta.lock` while it collects garbage), the parent's later release closes
    only its own descriptor, the idle worker keeps the lock, and the parent's next
    blocking lock waits for ever. The worker never uses these files; closing its copies
    leaves every lock the parent still holds in place (the parent's descriptor keeps it).
    Linux only (/proc); elsewhere nothing is closed."""
    try:
        fds = os.listdir("/proc/self/fd")
    except OSError:
        return
    for name in fds:
        fd = int(name)
        if fd <= 2:
            continue
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue                     # closed meanwhile, or the listing's own descriptor
        if target.endswith(LOCK_SUFFIX):
            try:
                os.close(fd)
            except OSError:
                pass


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this worker when its parent dies."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)      # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass                              # not Linux: workers exit when their pipe closes
    if os.getppid() == 1:
        os._exit(1)                       # the parent died before prctl


def worker_death(pool, processes: list, batch: int | None):
    """The WorkerDiedError for a broken process pool: which worker died, and how.

    Asked after the pool has shut down: its manager thread has then reaped every
    worker; it stops the survivors with SIGTERM, so the worker that died first is
    one with another exit status. `processes` are the pool's workers as forked.
    """
    from carinews.errors import WorkerDiedError

    pool.shutdown(wait=True)
    codes = [(process.pid, process.exitcode) for process in processes]
    dead = ([c for c in codes if c[1] not in (None, -signal.SIGTERM)]
            or [c for c in codes if c[1] == -signal.SIGTERM] or [(None, None)])
    pid, code = dead[0]
    if code is not None and code < 0:
        return WorkerDiedError(batch, -code, None, pid)
    return WorkerDiedError(batch, None, code, pid)
