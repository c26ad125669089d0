"""The Whoosh engine (embedded, pure Python): the only package that imports whoosh.

Several modules here read whoosh-reloaded internals (segment files, block postings,
matchers, span checks) to write and search faster than Whoosh's public API allows; they
are tested against `WHOOSH_VERSION` only, which pyproject.toml pins and a test checks.
"""

WHOOSH_VERSION = "2.7.5"
