"""Search engines behind one interface (base.py): each sub-package writes and reads its own
index, and only it imports its engine's library. `engine_class(name)` imports one on demand."""

from __future__ import annotations

import importlib

ENGINES = {
    "whoosh": "carinews.engines.whoosh.engine:WhooshEngine",
    "tantivy": "carinews.engines.tantivy.engine:TantivyEngine",
    "opensearch": "carinews.engines.opensearch.engine:OpenSearchEngine",
}


def engine_class(name: str):
    """The Engine class called `name`; UnknownEngineError for another name."""
    from carinews.errors import UnknownEngineError

    target = ENGINES.get(name)
    if target is None:
        raise UnknownEngineError(name, tuple(ENGINES))
    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute)
