"""Text analysis for Indonesian news: ICU words -> folded surface -> stem.

Modules, in pipeline order: ``tokenize`` (ICU word boundaries, ``str`` offsets, hyphen
compounds), ``filters`` (case and diacritic folding), ``stem`` (Sastrawi/Snowball/none with
overrides and name protection), ``terms`` (``analyze``: the index terms of a text), then
``names`` (proper names) and ``sketches`` (near-duplicate sketches).
``build_lexicon`` rebuilds the name lexicon in ``carinews/data``.

``ANALYSIS_VERSION`` changes whenever terms could change: our rules, ICU/Unicode, the
stemmer libraries or the data files. The index records it to detect a mismatch.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import icu

from carinews.analysis.filters import fold
from carinews.analysis.stem import DEFAULT_STEMMER, STEMMERS, data_digest, stem_word
from carinews.analysis.tokenize import Word, tokenize

__all__ = [
    "ANALYSIS_VERSION",
    "RULES_VERSION",
    "DEFAULT_STEMMER",
    "STEMMERS",
    "Term",
    "Word",
    "analyze",
    "analyze_many",
    "positions_many",
    "fold",
    "stem_word",
    "tokenize",
]

# Bump when the code's rules change (tokenisation, folding, compounds, stemming order).
RULES_VERSION = "2"      # 2: glued words split (carinews.analysis.glued)


def _package_version(name: str) -> str:
    """The installed version of distribution `name`, read from its `.dist-info` folder name
    on sys.path (what importlib.metadata finds first, without loading importlib.metadata and
    the email package, which every `carinews search` process would pay for at open)."""
    wanted = re.compile(re.escape(re.sub(r"[-_.]+", "_", name)) + r"-([^-]+)\.dist-info",
                        re.IGNORECASE)
    for entry in sys.path:
        try:
            names = sorted(p.name for p in Path(entry or ".").iterdir())
        except OSError:
            continue
        for found in names:
            match = wanted.fullmatch(found)
            if match:
                return match.group(1)
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


def _analysis_version() -> str:
    parts = [
        f"carinews-analysis/{RULES_VERSION}",
        f"icu/{icu.ICU_VERSION}",
        f"unicode/{icu.UNICODE_VERSION}",
        f"pysastrawi/{_package_version('PySastrawi')}",
        f"pystemmer/{_package_version('PyStemmer')}",
        f"data/{data_digest()}",
    ]
    return " ".join(parts)


ANALYSIS_VERSION = _analysis_version()

_TERMS_NAMES = frozenset({"Term", "analyze", "analyze_many", "positions_many"})


def __getattr__(name: str):
    """Import the analysis pipeline on first use, so ``carinews.cli`` can read ``STEMMERS``
    without loading it."""
    if name in _TERMS_NAMES:
        from carinews.analysis import terms

        return getattr(terms, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
