"""Old import path of the Whoosh analyzers, kept because indexes pickle it.

Indexes written before the stage packages name ``carinews.analysis.analyzers.StemmedAnalyzer``
and ``ExactAnalyzer`` in their schema; unpickling them imports this module. New code imports
``carinews.analysis.terms`` (the analysis) or the Whoosh engine's analyzers.
"""

from carinews.engines.whoosh.analyzers import ExactAnalyzer, StemmedAnalyzer  # noqa: F401
from carinews.analysis.terms import Term, analyze, analyze_many, positions_many  # noqa: F401
