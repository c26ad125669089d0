"""URLs -> identity keys, outlet hosts, ids and near-duplicate keys.

Steps:
1. `normalise_url`: the identity of an article's URL (`Article.url_key`):
   https, lower-case host without `www.`/`m.`/`mobile.`/`amp.`, no `/amp`
   path segment, no trailing slash, no fragment, no tracking parameters
   (`utm_*`, `fbclid`, `gclid`, `ICID`, `amp`...), `page=all`/`page=1` dropped
   but `page=2` kept (another part of the text), remaining parameters sorted;
2. `registrable_domain`: "nasional.kompas.com" -> "kompas.com",
   "rejabar.republika.co.id" -> "republika.co.id" (small suffix table, no
   dependency on the public suffix list);
3. `outlet_source`: the outlet host for `Article.source` from the URL, a
   source field ("hot.detik.com", "cnn indonesia") or a dateline outlet;
4. `make_article_id`: record id, else a short hash of the URL key, else of the content;
5. `make_dup_key`: near-duplicate group key (see the function for the choice).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# 1. identity -------------------------------------------------------------

HOST_PREFIXES = ("www.", "m.", "mobile.", "amp.", "www.m.")
TRACKING_PARAMS = {"fbclid", "gclid", "dclid", "msclkid", "icid", "ref", "ref_src", "amp",
                   "_ga", "_gl", "mc_cid", "mc_eid", "yclid", "igshid", "outputtype", "src"}


def normalise_url(url: str | None) -> str | None:
    """The identity key of a URL, or None when it is not an http(s) URL."""
    if not url or not isinstance(url, str):
        return None
    url = url.strip()
    if "://" not in url and re.match(r"^[\w-]+(\.[\w-]+)+/", url):
        url = "https://" + url
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return urlunsplit(("https", _strip_host(host), _clean_path(parts.path), _clean_query(parts.query), ""))


def _strip_host(host: str) -> str:
    for prefix in HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") >= 2:
            return host[len(prefix):]
    return host


def _clean_path(path: str) -> str:
    segments = [s for s in path.split("/") if s and s.lower() != "amp"]
    return "/" + "/".join(segments) if segments else ""


def _clean_query(query: str) -> str:
    kept = []
    for name, value in parse_qsl(query, keep_blank_values=True):
        low = name.lower()
        if low.startswith("utm_") or low in TRACKING_PARAMS:
            continue
        if low == "page" and value.lower() in ("all", "1", "0", ""):
            continue
        kept.append((name, value))
    return urlencode(sorted(kept))


# 2. registrable domain ---------------------------------------------------

SECOND_LEVEL = {"co.id", "or.id", "go.id", "ac.id", "web.id", "my.id", "sch.id", "net.id",
                "mil.id", "biz.id", "ponpes.id", "desa.id", "co.uk", "org.uk", "com.au",
                "com.my", "com.sg", "co.jp", "com.cn"}


def registrable_domain(host: str | None) -> str | None:
    """"nasional.kompas.com" -> "kompas.com", "rejabar.republika.co.id" -> "republika.co.id"."""
    if not host:
        return None
    host = host.lower().strip().rstrip(".")
    if "://" in host:
        host = urlsplit(host).hostname or ""
    host = host.split("/")[0].split(":")[0]
    labels = [label for label in host.split(".") if label]
    if len(labels) < 2:
        return None
    size = 3 if ".".join(labels[-2:]) in SECOND_LEVEL and len(labels) >= 3 else 2
    return ".".join(labels[-size:])


# 3. outlet ---------------------------------------------------------------

# Free-text outlet names seen in the shared corpora -> host.
OUTLET_NAMES = {"cnn indonesia": "cnnindonesia.com", "antaranews": "antaranews.com",
                "antara": "antaranews.com", "kumparan": "kumparan.com", "merdeka": "merdeka.com",
                "suara": "suara.com", "goal indonesia": "goal.com", "rimanews": "rimanews.com",
                "poskotanews": "poskotanews.com", "tribunnews": "tribunnews.com",
                "detik": "detik.com", "kompas": "kompas.com", "tempo": "tempo.co",
                "republika": "republika.co.id", "liputan6": "liputan6.com", "okezone": "okezone.com",
                "sindonews": "sindonews.com", "kapanlagi": "kapanlagi.com", "juara": "juara.net"}
_HOSTLIKE = re.compile(r"^(?:https?://)?[a-z0-9-]+(?:\.[a-z0-9-]+)+/?$", re.IGNORECASE)


def outlet_source(source: str | None = None, url: str | None = None,
                  dateline_outlet: str | None = None) -> str | None:
    """The outlet host: the URL's registrable domain first (what the reader
    visited), then a host-like or known source name, then the dateline outlet
    ("SERAMBINEWS.COM"); an unknown free-text name is kept lower-cased."""
    from_url = _domain_of_url(url)
    if from_url:
        return from_url
    for candidate in (source, dateline_outlet):
        host = _host_of_name(candidate)
        if host:
            return host
    return " ".join(source.lower().split()) if source and source.strip() else None


def _domain_of_url(url: str | None) -> str | None:
    if not url:
        return None
    try:
        return registrable_domain(urlsplit(url.strip()).hostname)
    except ValueError:
        return None


def _host_of_name(name: str | None) -> str | None:
    if not name or not name.strip():
        return None
    text = " ".join(name.lower().split())
    if _HOSTLIKE.match(text):
        return registrable_domain(text)
    return OUTLET_NAMES.get(text)


# 4. ids ------------------------------------------------------------------

def short_hash(text: str, size: int = 8) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=size).hexdigest()


def make_article_id(record_id=None, url_key: str | None = None, title: str = "", body: str = "") -> str:
    """The record's own id, else "u" + hash of the URL key, else "c" + hash of the content."""
    if record_id is not None and str(record_id).strip():
        return str(record_id).strip()
    if url_key:
        return "u" + short_hash(url_key)
    return "c" + short_hash(title.strip() + "\x1f" + body.strip())


# 5. near-duplicate key ---------------------------------------------------
#
# Choice: the key is a hash of the first DUP_WORDS content words of the cleaned
# body, after the dateline ("SERAMBINEWS.COM, MOSKOW -") and outlet names are
# dropped, case-folded and accent-stripped. Syndicated copies across a network's
# regional sites share the lead even when the dateline, the boilerplate or the
# last paragraphs differ; two different articles on the same topic do not share
# their first 40 words. A single exact key is what the index and the search
# collapse need (a SimHash needs bucket probing to find neighbours). Bodies
# shorter than DUP_MIN_WORDS words add the title so two captions with the same
# stock sentence do not collapse.

DUP_WORDS = 40
DUP_MIN_WORDS = 25
_WORD = re.compile(r"\w+", re.UNICODE)
_OUTLET_WORDS = {"com", "co", "id", "net", "www", "cnn", "indonesia"} | {
    part for name in OUTLET_NAMES for part in re.split(r"\W+", name)}


def content_words(text: str) -> list[str]:
    """Case-folded words of `text` with accents decomposed away (NFKD); the combining
    marks are not word characters, so they split words and are never part of one
    (tests/test_urls.py checks that no word character has a combining class)."""
    return _WORD.findall(unicodedata.normalize("NFKD", text.casefold()))


# Standing notices that open many unrelated articles (detik's suicide-prevention note).
DUP_SKIP_LEADS = re.compile(r"^\s*Informasi dalam artikel ini tidak ditujukan untuk menginspirasi[^\n]*\n*")


DUP_LEAD_CHARS = 2000   # 40 words fit many times over
DUP_HEAD_CHARS = 500    # tried first: 40 words of news text mostly fit in it


def make_dup_key(body: str, title: str = "", dateline_length: int = 0) -> str | None:
    """Near-duplicate group key "d" + 16 hex digits, or None for an empty body."""
    # Only the lead matters: normalising the whole body cost a third of reading time.
    lead_text = DUP_SKIP_LEADS.sub("", body[dateline_length:dateline_length + DUP_LEAD_CHARS * 2],
                                   count=1)[:DUP_LEAD_CHARS]
    words = _lead_words(lead_text)
    if not words:
        return None
    lead = words[:DUP_WORDS]
    if len(lead) < DUP_MIN_WORDS:
        lead = content_words(title) + ["|"] + lead
    return "d" + short_hash(" ".join(lead))


def _lead_words(lead_text: str) -> list[str]:
    """content_words(lead_text) without leading outlet words, or a prefix of that
    list holding more than DUP_WORDS words (all make_dup_key reads).

    Case folding and NFKD work character by character (NFKD only reorders
    combining marks, which are never word characters), so the words of a head
    of the text are the first words of the whole text, except the last, which
    the cut may shorten. With more than DUP_WORDS words in the head, the first
    DUP_WORDS are exact; otherwise the whole text is read. Normalising and
    matching 2,000 characters for 40 words cost a sixth of make_article."""
    head = lead_text[:DUP_HEAD_CHARS]
    words = _without_outlet_words(content_words(head))
    if len(words) > DUP_WORDS or len(head) == len(lead_text):
        return words
    return _without_outlet_words(content_words(lead_text))


def _without_outlet_words(words: list[str]) -> list[str]:
    while words and words[0] in _OUTLET_WORDS:
        words.pop(0)
    return words
