"""The Article record that flows from readers to the index.

Steps: a reader (`sources.py`) turns a file into raw field dicts; `make_article`
maps field names, cleans the body, resolves the date and the ids and returns an
`Article`; `Archive` analyses and indexes it.

Dates are timezone-aware and kept in the article's own zone (a time without a
zone is WIB, +07:00), so the day a reader sees is the day the site showed.

Hostile records stay harmless downstream: values nested deeper than MAX_NESTING
levels are replaced by the TOO_DEEP marker (and `extra[NESTING_CUT]` says so),
and `origin` is always encodable as UTF-8 (undecodable file-name bytes appear
as `\xff`).
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field, fields
from datetime import datetime

import orjson

from carinews.ingest import dates
from carinews.ingest import urls
from carinews.errors import CarinewsError
from carinews.ingest.pages import clean_body_and_credit, find_credit, split_dateline


@dataclass
class Article:
    id: str                         # the record's id, else derived from URL or content
    title: str
    body: str
    url: str | None = None          # as given (display); see `url_key` for identity
    url_key: str | None = None      # normalised URL: same key = same article
    source: str | None = None       # outlet host, e.g. "kompas.com"
    date: datetime | None = None    # tz-aware, in the article's own zone
    date_source: str | None = None  # where the date came from, e.g. "field:date", "url", "text:Selasa (15/3/2022)"
    date_inferred: bool = False     # True when not read from a date field/meta
    author: str | None = None
    section: str | None = None
    dateline: str | None = None     # "MOSKOW" from "SERAMBINEWS.COM, MOSKOW -"
    names: list[str] = field(default_factory=list)  # proper names (filled at index time)
    dup_key: str | None = None      # near-duplicate group key (syndicated copies share it)
    origin: str | None = None       # "path:line" the record came from
    extra: dict = field(default_factory=dict)  # anything else the source carried
    raw_hash: str | None = None     # `raw_digest` of the record it was made from
    field_sources: dict = field(default_factory=dict)  # field -> where it came from ("meta:og:title")

    @property
    def key(self) -> str:
        """Identity in the index: the normalised URL when known, else the id."""
        return self.url_key or ("id:" + self.id)

    def content_hash(self) -> str:
        """Hash of everything the index stores and shows of the article, `extra`
        included: an unchanged hash means an unchanged article, skipped on
        re-index. Left out: `names` (filled at index time from the title and body),
        and where the record was read (`origin`, `raw_hash`), so a moved file is
        not written again, as the raw-digest skip would not write it either."""
        d = self.to_dict()
        for name in _NOT_CONTENT:
            del d[name]
        try:
            data = orjson.dumps(d, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
        except (orjson.JSONEncodeError, TypeError, RecursionError):   # lone surrogates, huge ints
            data = _repr_bytes(d)
        return hashlib.blake2b(data, digest_size=16).hexdigest()

    def to_dict(self) -> dict:
        # Shallow, unlike dataclasses.asdict (which deep-copies `extra` and `names`
        # for every article indexed); callers serialise it and do not keep it.
        d = {name: getattr(self, name) for name in _ARTICLE_FIELDS}
        d["date"] = self.date.isoformat() if self.date else None
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Article":
        d = dict(d)
        if d.get("date"):
            d["date"] = datetime.fromisoformat(d["date"])
        return cls(**d)


_ARTICLE_FIELDS = tuple(f.name for f in fields(Article))
_NOT_CONTENT = ("names", "origin", "raw_hash")    # see Article.content_hash


def _repr_bytes(d: dict) -> bytes:
    """What content_hash digests when JSON cannot hold the article (a Python repr)."""
    try:
        text = repr(d)
    except RecursionError:               # `extra` nested beyond Python's own limit
        text = repr({**d, "extra": "(nested too deeply)"})
    return text.encode("utf-8", "surrogatepass")


# ---------------------------------------------------------------------------
# Re-indexing: records already indexed exactly as read are skipped before
# cleaning (cleaning is most of the cost of reading).

# Bump when make_article / pages.py change what a record becomes: indexed
# records then no longer match their raw digest and are cleaned again.
CLEANING_VERSION = "2"      # 2: inline boilerplate (inline_boilerplate.py)


def raw_digest(record: dict | bytes, kind: str) -> str | None:
    """Hash of a record as the reader found it (`kind`: jsonl, csv, page), or None
    when it cannot be serialised (such records are simply not skipped)."""
    try:
        data = record if isinstance(record, bytes) else orjson.dumps(
            record, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
    except (orjson.JSONEncodeError, TypeError):
        return None
    h = hashlib.blake2b(data, digest_size=16)
    h.update(f"\x1f{kind}\x1f{CLEANING_VERSION}".encode())
    return h.hexdigest()


@dataclass(frozen=True)
class Unchanged:
    """A record the index already holds exactly as read, skipped before cleaning.

    Readers yield it instead of an Article when their `known` callback (the
    archive's `known_record`) recognises the record's raw digest."""

    key: str
    dated: bool = False
    inferred: bool = False


# ---------------------------------------------------------------------------
# make_article: raw field dict -> Article
#
# Steps: 1. map field names (English/Indonesian) and keep the rest in `extra`;
# 2. clean the body (pages.clean_body) and read the dateline and a closing
# credit line; 3. resolve the date (date field [+ time field], then meta
# raw_date; else inferred from the URL, then from the text) ; 4. URL key,
# outlet, id and near-duplicate key.

FIELD_ALIASES = {
    "id": ("id", "doc_id", "article_id"),
    "title": ("title", "judul", "headline"),
    "body": ("body", "content", "text", "isi", "isi_berita", "konten", "article"),
    "date": ("date", "tanggal", "tanggal_publikasi", "published", "published_at", "pubdate", "waktu"),
    "time": ("time", "jam"),
    "source": ("source", "sumber", "outlet", "media"),
    "url": ("url", "link", "tautan"),
    "author": ("author", "penulis", "editor", "reporter", "pewarta"),
    "section": ("category", "kategori", "section", "rubrik", "sub-category", "subkategori", "sub_category"),
}
_ALIAS_OF = {alias: name for name, aliases in FIELD_ALIASES.items() for alias in aliases}

MAX_NESTING = 20                     # levels of dicts/lists kept in a record
TOO_DEEP = "(nested too deeply)"     # what replaces anything deeper
NESTING_CUT = "nesting_cut"          # extra key set (to MAX_NESTING) when something was replaced


def make_article(fields: dict, *, origin: str | None = None, clean: bool = True) -> Article:
    """One raw record -> Article. Raises ValueError when it has no body.

    Values nested deeper than MAX_NESTING levels become TOO_DEEP and
    `extra[NESTING_CUT]` is set; `origin` is made UTF-8 safe."""
    cut = _nested_deeper(fields, MAX_NESTING)
    if cut:
        fields = _cut_nesting(fields, MAX_NESTING)
    mapped, extra = map_fields(fields)
    if cut:
        extra[NESTING_CUT] = MAX_NESTING
    body = _text(mapped.get("body"))
    if not body.strip():
        raise ValueError("record has no body")
    if clean:
        body, inline_credit = clean_body_and_credit(body)
        credit, body = find_credit(body)
        credit = credit or inline_credit
        if credit and not mapped.get("author"):
            mapped["author"] = credit
    dateline_info = split_dateline(body)
    if not body.strip():
        raise ValueError("record has only boilerplate, no article text")
    url = _text(mapped.get("url")).strip() or None
    title = " ".join(_text(mapped.get("title")).split()) or _title_from_url(url, extra)
    date, date_source, inferred = resolve_date(mapped, extra, url, body, title)
    return _assemble(mapped, extra, title, body, url, date, date_source, inferred, dateline_info,
                     _display_safe(origin))


def map_fields(fields: dict) -> tuple[dict, dict]:
    """Known names (first alias wins) -> canonical fields; everything else and
    the JSONL `meta` dict -> extra."""
    mapped: dict = {}
    extra: dict = {}
    for key, value in fields.items():
        name = _ALIAS_OF.get(str(key).strip().lower().lstrip("\ufeff"))
        if key == "meta" and isinstance(value, dict):
            for meta_key, meta_value in value.items():
                extra.setdefault(meta_key if meta_key not in extra else "meta." + meta_key, meta_value)
        elif name and _present(value) and name not in mapped:
            mapped[name] = value
        elif name and name in mapped and name == "section" and _present(value):
            extra[str(key)] = value
        else:
            extra[str(key)] = value
    return mapped, {k: v for k, v in extra.items() if v is not None and v != ""}


def resolve_date(mapped: dict, extra: dict, url, body: str, title: str):
    """(date, date_source, inferred): fields first, then URL, then text; else None."""
    for label, raw in (("field:date", mapped.get("date")), ("field:meta.raw_date", extra.get("raw_date"))):
        if not _present(raw):
            continue
        try:
            value, precision = dates.parse_partial_date(str(raw))
        except CarinewsError:
            continue
        if precision in ("year", "month"):
            continue
        if label == "field:date" and _present(mapped.get("time")):
            value, new_precision = dates.combine_date_time(value, precision, str(mapped["time"]))
            label += "+time" if new_precision != precision else ""
        return value, label, False
    found = dates.find_date_in_url(url)
    if found:
        return found.value, "url:" + found.text, True
    for text in (body, title):
        match = pick_text_date(dates.find_dates_in_text(text))
        if match:
            return match.value, "text:" + match.text, True
    return None, None, False


def pick_text_date(matches: list) -> "dates.DateMatch | None":
    """News write the day of the reported event as "Senin (9/6/2025)": prefer
    dates with a weekday, and the latest of them (an article is published after
    what it reports; birthdays and history come earlier)."""
    with_weekday = [m for m in matches if m.text[:1].isalpha() and not m.text[:1].isdigit()
                    and m.text.split()[0].rstrip(",").lower() in dates.WEEKDAYS]
    candidates = with_weekday or matches
    return max(candidates, key=lambda m: m.value) if candidates else None


def _assemble(mapped, extra, title, body, url, date, date_source, inferred, dateline_info, origin):
    url_key = urls.normalise_url(url)
    source_field = _text(mapped.get("source")).strip() or None
    outlet = urls.outlet_source(source_field, url, dateline_info.outlet if dateline_info else None)
    if source_field and outlet != source_field.lower():
        extra.setdefault("source_name", source_field)
    author = " ".join(_text(mapped.get("author")).split()) or None
    section = " ".join(_text(mapped.get("section")).split()) or None
    return Article(
        id=urls.make_article_id(mapped.get("id"), url_key, title, body),
        title=title, body=body, url=url, url_key=url_key, source=outlet,
        date=date, date_source=date_source, date_inferred=inferred,
        author=author, section=section,
        dateline=(dateline_info.city if dateline_info else None) or mapped.get("dateline"),
        dup_key=urls.make_dup_key(body, title, dateline_info.length if dateline_info else 0),
        origin=origin, extra=extra)


def _title_from_url(url: str | None, extra: dict) -> str:
    """No title: the URL slug in words ("alasan-luna-maya" -> "Alasan luna maya")."""
    if not url:
        return ""
    slug = max(re.split(r"[/?#]", url.rstrip("/")), key=lambda part: part.count("-"), default="")
    slug = re.sub(r"\.\w+$", "", slug)
    words = [w for w in slug.split("-") if w and not re.fullmatch(r"[0-9a-f]{8,}|\d+", w)]
    if len(words) < 2:
        return ""
    extra["title_from"] = "url"
    return " ".join(words).capitalize()


def _nested_deeper(value, levels: int) -> bool:
    """True when dicts/lists nest more than `levels` deep (never recurses further)."""
    if not isinstance(value, (dict, list, tuple)):
        return False
    if levels == 0:
        return True
    children = value.values() if isinstance(value, dict) else value
    return any(_nested_deeper(child, levels - 1) for child in children)


def _cut_nesting(value, levels: int):
    """`value` with every dict/list more than `levels` deep replaced by TOO_DEEP."""
    if not isinstance(value, (dict, list, tuple)):
        return value
    if levels == 0:
        return TOO_DEEP
    if isinstance(value, dict):
        return {key: _cut_nesting(child, levels - 1) for key, child in value.items()}
    return [_cut_nesting(child, levels - 1) for child in value]


def _display_safe(origin: str | None) -> str | None:
    """`origin` encodable as UTF-8: file-name bytes that are not UTF-8 (kept by
    Python as surrogate escapes) shown as `\xff`, other lone surrogates as `\udc80`."""
    if origin is None:
        return None
    try:
        data = os.fsencode(origin)
    except UnicodeEncodeError:
        data = origin.encode("utf-8", "backslashreplace")
    return data.decode("utf-8", "backslashreplace")


def _present(value) -> bool:
    return value is not None and str(value).strip() != ""


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(str(v) for v in value if v is not None)
    return str(value)
