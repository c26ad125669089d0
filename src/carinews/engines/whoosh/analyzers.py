"""Whoosh analyzers: ``analyze`` (analysis/terms.py) under Whoosh's analyzer protocol.

The analyzers are one class each rather than a Whoosh ``Tokenizer | Filter`` chain: Whoosh
pickles analyzers into the index, and these pickle as just their settings
(``{"stemmer": "sastrawi"}``), so old indexes keep loading when the pipeline changes (the
index records ``ANALYSIS_VERSION`` to notice that). Indexes written before the stage packages
pickled them as ``carinews.analysis.terms``; that module re-exports these classes.
"""

from __future__ import annotations

from whoosh.analysis import Analyzer, Token

from carinews.analysis.stem import DEFAULT_STEMMER, check_stemmer
from carinews.analysis.terms import EXACT, analyze, analyze_one

__all__ = ["StemmedAnalyzer", "ExactAnalyzer"]

# Whoosh analyzers --------------------------------------------------------------------------


class _IndonesianAnalyzer(Analyzer):
    """Run ``analyze`` under Whoosh's analyzer protocol; holds only the stemmer name."""

    stemmer = EXACT

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        no_morph=False,
        **kwargs,
    ):
        stemmer = EXACT if no_morph else self.stemmer
        terms = analyze(value, stemmer, mode) if tokenize else analyze_one(value, stemmer)
        # Whoosh tokenizers yield one Token object, updated in place, to save allocations.
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for term in terms:
            token.text = term.text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = value[term.startchar : term.endchar]
            if positions:
                token.pos = start_pos + term.pos
            if chars:
                token.startchar = start_char + term.startchar
                token.endchar = start_char + term.endchar
            yield token

    def __repr__(self):
        return f"{type(self).__name__}()"


class StemmedAnalyzer(_IndonesianAnalyzer):
    """Case-folded, stemmed terms (protected names kept); for the default ``title``/``body``."""

    def __init__(self, stemmer: str = DEFAULT_STEMMER):
        self.stemmer = check_stemmer(stemmer)

    @property
    def is_morph(self) -> bool:
        """Whoosh asks this to know the field's terms are not surface words (spelling)."""
        return self.stemmer != EXACT

    def __repr__(self):
        return f"StemmedAnalyzer(stemmer={self.stemmer!r})"


class ExactAnalyzer(_IndonesianAnalyzer):
    """Case-folded surface terms, for quoted words and phrases (``*_exact`` fields, names)."""

    def __init__(self):
        pass
