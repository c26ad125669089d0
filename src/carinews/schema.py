"""Old import path of the Whoosh schema's field class, kept because indexes pickle it.

Indexes written before the stage packages name ``carinews.schema.AnalyzedText`` in their
schema; unpickling them imports this module.
"""

from carinews.engines.whoosh.schema import AnalyzedText  # noqa: F401
