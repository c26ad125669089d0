"""The tantivy schema: the fields of the Whoosh schema, with the same meaning.

Steps: `build_schema()` declares the fields; `create_index` / `open_index` make
the tantivy Index with carinews's tokenizer registered; `check_schema(folder)`
refuses an index whose fields differ. tantivy analyses nothing itself: text
fields are fed carinews's own terms (documents.py; the `carinews` tokenizer
only splits them at spaces and drops the filler that holds a pre-tokenised
term's place) and queries are built from exact terms (compile.py).

- `title`, `body` (stemmed) and `title_exact`, `body_exact`, `names`,
  `author` (exact): terms with frequencies and positions;
- `source` ("kompas.com kompas"), `section` (one lower-cased token, as Whoosh's
  comma keyword analyser makes it): terms with frequencies;
- `key`, `id`, `hash`, `raw`, `state`: one whole-value term; `url` only for the
  rare URL key that looks like an id key (`id:...`), as `url:` queries are
  answered from `key` (compile.py); `outlet` and `month` also as fast columns,
  for facets and counts;
- `date`: indexed and fast (windows, sorting);
- `doc` and `meta`: stored only (stored.py).
"""

from __future__ import annotations

from pathlib import Path

import orjson
import tantivy

from carinews.engines.tantivy.documents import FILLER, TOKENIZER
from carinews.engines.tantivy.stored import install_dictionary
from carinews.errors import SchemaMismatchError

SCHEMA_VERSION = "1"

POSITION_FIELDS = ("title", "body", "title_exact", "body_exact", "names", "author")
FREQ_FIELDS = ("source", "section")
KEYWORDS = ("key", "id", "hash", "state", "url", "raw")
COLUMNS = ("outlet", "month")
STORED = ("doc", "meta")
TITLE_FIELDS = frozenset({"title", "title_exact"})
TITLE_BOOST = 2.0


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in POSITION_FIELDS:
        builder.add_text_field(name, tokenizer_name=TOKENIZER, index_option="position")
    for name in FREQ_FIELDS:
        builder.add_text_field(name, tokenizer_name="raw", index_option="freq")
    for name in KEYWORDS:
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic")
    for name in COLUMNS:
        builder.add_text_field(name, fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_date_field("date", indexed=True, fast=True)
    for name in STORED:
        builder.add_bytes_field(name, stored=True)
    return builder.build()


def term_tokenizer() -> tantivy.TextAnalyzer:
    """Splits carinews's space-joined terms and drops FILLER (positions are kept)."""
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace())
            .filter(tantivy.Filter.custom_stopword([FILLER])).build())


def create_index(folder: Path) -> tantivy.Index:
    """A new empty index in `folder` (which must exist and be empty), with the dictionary
    its stored articles are compressed with."""
    install_dictionary(folder)
    index = tantivy.Index(build_schema(), path=str(folder), reuse=False)
    index.register_tokenizer(TOKENIZER, term_tokenizer())
    return index


def open_index(folder: Path) -> tantivy.Index:
    check_schema(folder)
    index = tantivy.Index.open(str(folder))
    index.register_tokenizer(TOKENIZER, term_tokenizer())
    return index


FIELD_NAMES = frozenset(POSITION_FIELDS + FREQ_FIELDS + KEYWORDS + COLUMNS + ("date",) + STORED)


def check_schema(folder: Path) -> None:
    """SchemaMismatchError unless the tantivy index in `folder` has exactly this schema's
    fields (the facade's settings file records SCHEMA_VERSION itself)."""
    try:
        meta = orjson.loads((folder / "meta.json").read_bytes())
        found = frozenset(entry["name"] for entry in meta["schema"])
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError) as exc:
        raise SchemaMismatchError(str(folder), f"an unreadable tantivy index ({exc})",
                                  f"tantivy schema {SCHEMA_VERSION}") from None
    if found != FIELD_NAMES:
        raise SchemaMismatchError(str(folder), "other tantivy fields", f"tantivy schema {SCHEMA_VERSION}")
