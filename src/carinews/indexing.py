"""Index files into an archive: the library function behind `carinews index`.

Steps: check the paths (a missing path, or nothing to read at all, raises
before the index is opened) -> read articles from them (sources.py) -> either
count them (dry run: nothing touches the index) or add them to the Archive in
committed batches -> return an IndexReport with what happened and a
date-coverage summary.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator

from carinews.archive import Archive, IndexReport
from carinews.ingest.articles import Article, Unchanged
from carinews.errors import RebuildRefusedError, SourceError


def run_index(index_dir, paths: list[str], *, stemmer: str | None = None, engine: str | None = None,
              rebuild: bool = False,
              force: bool = False, batch_size: int = 4000, strict: bool = False,
              dry_run: bool = False, wait: float = 0.0,
              on_error: Callable[[SourceError], None] | None = None,
              progress: Callable[[IndexReport], None] | None = None,
              engine_options: dict | None = None) -> IndexReport:
    """Index `paths` into the index at `index_dir`; see the module docstring.

    Raises NoInputError (PathNotFoundError for a missing path) before the index
    is opened. A `rebuild` is switched in only when it read at least one article
    and, unless `force`, holds at least half the articles of the index it
    replaces; otherwise RebuildRefusedError, and the old index stays live.
    `engine` chooses the engine of a new index (or of a rebuild); an existing
    index keeps its own, and naming another is EngineMismatchError. `engine_options`
    (the OpenSearch engine's `url`, `index_name`, `shards`, `replicas`) go to
    `Archive.create`.
    """
    from carinews.ingest.sources import check_paths, read_articles

    check_paths(paths)
    coverage = DateCoverage()
    if dry_run:
        report = _dry_run(coverage.watch(read_articles(paths, strict=strict)), strict, on_error)
    else:
        with Archive.create(index_dir, stemmer=stemmer, engine=engine, rebuild=rebuild, force=force,
                            wait=wait, engine_options=engine_options) as archive:
            # records already indexed as read are recognised before cleaning
            known = None if rebuild else archive.known_record
            items = coverage.watch(read_articles(paths, strict=strict, known=known))
            try:
                report = archive.add(items, batch_size=batch_size, strict=strict,
                                     progress=progress, on_error=on_error)
            except RebuildRefusedError as exc:
                exc.report.summary_lines = coverage.lines()
                raise
    report.summary_lines = coverage.lines()
    return report


def _dry_run(items: Iterable, strict: bool, on_error) -> IndexReport:
    report = IndexReport()
    start = time.perf_counter()
    seen: set[str] = set()
    for item in items:
        if isinstance(item, SourceError):
            report.count_error(item, strict, on_error)
            continue
        if item.key in seen:
            report.replaced += 1
        else:
            report.added += 1
            seen.add(item.key)
    report.seconds = time.perf_counter() - start
    return report


class DateCoverage:
    """Counts how articles got their dates, for the index summary."""

    def __init__(self):
        self.read = self.dated = self.inferred = 0

    def watch(self, items: Iterable[Article | SourceError]) -> Iterator[Article | SourceError]:
        for item in items:
            if isinstance(item, Article):
                self.read += 1
                self.dated += item.date is not None
                self.inferred += item.date is not None and item.date_inferred
            elif isinstance(item, Unchanged):
                self.read += 1
                self.dated += item.dated
                self.inferred += item.inferred
            yield item

    def lines(self) -> list[str]:
        if not self.read:
            return []
        undated = self.read - self.dated
        return [f"dates: {self.dated} of {self.read} articles dated "
                f"({self.inferred} inferred from URL or text), {undated} undated"]
