"""The Whoosh engine's `Engine` object: the read side over the Archive's live searcher."""

from __future__ import annotations

from carinews.engines.base import Engine, Ranked


class WhooshEngine(Engine):
    name = "whoosh"

    def __init__(self, searcher):
        self._searcher = searcher        # callable: the newest committed Whoosh searcher

    def search(self, query, **options) -> Ranked:
        from carinews.engines.whoosh.search import search_plan

        return search_plan(self._searcher(), query, **options)

    def document(self, field: str, value: str) -> dict | None:
        return self._searcher().document(**{field: value})

    def doc_count(self) -> int:
        return self._searcher().doc_count()

    def field_counts(self, field: str) -> dict[str, int]:
        reader = self._searcher().reader()
        if field not in reader.indexed_field_names():
            return {}
        return {term.decode(): reader.doc_frequency(field, term) for term in reader.lexicon(field)}
