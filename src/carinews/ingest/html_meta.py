"""What a news page says about itself: title, date, author, site name and language, with
the source of each.

Steps:
1. `page_facts`: JSON-LD article objects (also inside `@graph`), `<meta>` tags by
   name/property/itemprop, `<title>`, `<h1>`s, `<html lang>`, canonical link, breadcrumb
   section.
2. `choose_title`: the headline without the outlet's name around it ("X - Kompas.com",
   "KapanLagi.com: X", "X | Republika Online"); a candidate confirmed by an `<h1>` wins.
3. `choose_date`: JSON-LD `datePublished`, then article meta tags, then the byline date
   in the page text, then trafilatura's guess, then the URL. A `Z` time that the byline
   shows as the same clock time in WIB (detik's `pubdate`) is read as WIB.
4. `choose_author`, `choose_site_name`, `choose_language` (a page that says `lang="en"`
   but is written in Indonesian is Indonesian).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from carinews.ingest import dates
from carinews.errors import CarinewsError

# date_source prefixes that mean the date was guessed, not stated by the page's metadata
INFERRED = frozenset({"text", "url", "trafilatura", "warc"})

_ARTICLE_TYPES = re.compile(r"(?:News|Reportage|Analysis|Opinion|Review|Report|Blog)?Article|"
                            r"BlogPosting|LiveBlogPosting|NewsArticle", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


@dataclass
class PageFacts:
    meta: dict[str, list[str]] = field(default_factory=dict)   # lower-case key -> values
    json_ld: list[dict] = field(default_factory=list)          # article objects
    titles: list[str] = field(default_factory=list)            # <title>
    h1s: list[str] = field(default_factory=list)
    lang: str | None = None
    canonical: tuple[str | None, str | None] = (None, None)
    section: tuple[str, str] | None = None

    def meta_first(self, *keys: str) -> tuple[str | None, str | None]:
        """(value, "meta:KEY") of the first key that has a non-empty value."""
        for key in keys:
            for value in self.meta.get(key, ()):
                if value.strip():
                    return _squash(value), "meta:" + key
        return None, None

    def json_ld_first(self, key: str):
        for obj in self.json_ld:
            value = obj.get(key)
            if value:
                return value, "json-ld:" + key
        return None, None


# 1. facts --------------------------------------------------------------------------

def page_facts(tree) -> PageFacts:
    facts = PageFacts()
    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or element.get("itemprop")
               or element.get("http-equiv") or "").strip().lower()
        content = element.get("content")
        if key and content is not None:
            facts.meta.setdefault(key, []).append(content)
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() == "application/ld+json":
            facts.json_ld.extend(_article_objects(script.text or ""))
    facts.titles = [_squash(t.text_content()) for t in tree.iter("title")][:1]
    facts.h1s = [_squash(h.text_content()) for h in tree.iter("h1")]
    facts.lang = (tree.get("lang") or tree.get("xml:lang") or "").strip() or None
    for link in tree.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            facts.canonical = (link.get("href").strip(), "link:canonical")
            break
    section, source = facts.meta_first("article:section")
    if section:
        facts.section = (section, source)
    return facts


def _article_objects(text: str) -> list[dict]:
    try:
        data = json.loads(text.strip().rstrip(";"))
    except ValueError:
        return []
    found: list[dict] = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            kind = item.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(isinstance(k, str) and _ARTICLE_TYPES.fullmatch(k) for k in kinds):
                found.append(item)
            if "@graph" in item:
                stack.append(item["@graph"])
    return found


def _squash(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


# 2. title ----------------------------------------------------------------------------

_SEPARATORS = re.compile(r"\s+(?:-|–|—|\||::|:|»|·)\s+|\s*\|\s*|:\s+")
_DOMAIN_LIKE = re.compile(r"\b[\w-]+\.(?:com|co\.id|co|id|net|org|tv|news)\b", re.IGNORECASE)


def choose_title(facts: PageFacts, document) -> tuple[str, str | None]:
    """(headline, source). Candidates in order: JSON-LD headline, og:title, twitter:title,
    <title>, trafilatura; each without the outlet's name. The first one an <h1> repeats
    wins, else an <h1> that a candidate ends with, else the first candidate."""
    names = _site_names(facts)
    candidates: list[tuple[str, str]] = []
    headline, source = facts.json_ld_first("headline")
    if isinstance(headline, str):
        candidates.append((headline, source))
    for key in ("og:title", "twitter:title"):
        value, source = facts.meta_first(key)
        if value:
            candidates.append((value, source))
    if facts.titles and facts.titles[0]:
        candidates.append((facts.titles[0], "html:title"))
    if document is not None and document.title:
        candidates.append((document.title, "trafilatura"))
    cleaned = [(strip_site_name(_squash(text), names), source) for text, source in candidates]
    cleaned = [(text, source) for text, source in cleaned if text]
    h1s = {h.casefold(): h for h in facts.h1s if len(h.split()) >= 3}
    for text, source in cleaned:
        if text.casefold() in h1s:
            return text, source + "+h1"
    for text, source in cleaned:
        for folded, h1 in h1s.items():
            if text.casefold().endswith(folded):
                return h1, "html:h1"
    return cleaned[0] if cleaned else ("", None)


def _site_names(facts: PageFacts) -> list[str]:
    names = [v for k in ("og:site_name", "application-name", "twitter:site") for v in facts.meta.get(k, ())]
    publisher, _ = facts.json_ld_first("publisher")
    if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
        names.append(publisher["name"])
    url = facts.canonical[0] or facts.meta_first("og:url")[0]
    if url:
        host = urlsplit(url).hostname or ""
        labels = [label for label in host.split(".") if label not in ("www", "m", "co", "id", "com", "net")]
        names.extend(labels[-1:])
    return [n.strip().lstrip("@").lower() for n in names if n and n.strip()]


def strip_site_name(title: str, names: list[str]) -> str:
    """The title without a leading or trailing part that names the outlet (its site name,
    host label or a domain-like word); the part must be short (five words at most)."""
    for _ in range(2):                       # "X - Health :: Okezone Lifestyle"
        parts = _SEPARATORS.split(title)
        if len(parts) < 2:
            break
        if _names_outlet(parts[-1], names):
            title = title[:_last_separator(title).start()].strip()
        elif _names_outlet(parts[0], names):
            title = title[_first_separator(title).end():].strip()
        else:
            break
    return title


def _names_outlet(part: str, names: list[str]) -> bool:
    if len(part.split()) > 5:
        return False
    folded = re.sub(r"[\s.]", "", part.lower())
    if _DOMAIN_LIKE.search(part):
        return True
    return any(name and re.sub(r"[\s.]", "", name) in folded for name in names if len(name) >= 4)


def _last_separator(title: str):
    return list(_SEPARATORS.finditer(title))[-1]


def _first_separator(title: str):
    return _SEPARATORS.search(title)


# 3. date -----------------------------------------------------------------------------

DATE_META_KEYS = ("article:published_time", "datepublished", "pubdate", "publishdate",
                  "publish-date", "dc.date.issued", "dc.date", "date", "og:published_time",
                  "content_publisheddate", "dtk:publishdate", "article:published", "sailthru.date",
                  "parsely-pub-date", "datecreated")
_LOOSE_ISO = re.compile(r"(\d{4}-\d\d-\d\d)\s+T")
_BYLINE_DATE_CHARS = 4000
_BYLINE_NEAR = 600           # characters around the headline searched for the byline
_LIST_GAP = 200              # dates closer than this to another date are a list


def choose_date(facts: PageFacts, document, page_text: str, url: str | None, title: str = ""):
    """(datetime, source) or (None, None); see the module docstring for the order."""
    byline = _byline_dates(page_text, title)
    value, source = facts.json_ld_first("datePublished")
    if not isinstance(value, str):
        value, source = facts.meta_first(*DATE_META_KEYS)
    parsed = _parse(value) if value else None
    if parsed is not None:
        return _local_z_time(value, parsed, byline, url), source
    if byline:
        return byline[0].value, "byline:" + byline[0].text
    if document is not None and document.date:
        parsed = _parse(document.date)
        if parsed is not None:
            return parsed, "trafilatura:" + document.date
    found = dates.find_date_in_url(url)
    if found:
        return found.value, "url:" + found.text
    return None, None


def _parse(value: str) -> datetime | None:
    try:
        parsed, precision = dates.parse_partial_date(_LOOSE_ISO.sub(r"\1T", value))
    except CarinewsError:
        return None
    return parsed if precision in ("day", "minute") else None


# Sites whose meta times end in "Z" although they are Jakarta time (their pages show the
# same clock time with "WIB"); used when the page text has no byline to compare with.
LOCAL_TIME_Z_HOSTS = ("detik.com",)


def _local_z_time(raw: str, parsed: datetime, byline: list, url: str | None) -> datetime:
    if parsed.tzinfo != timezone.utc or not raw.rstrip().endswith("Z"):
        return parsed
    wall = parsed.replace(tzinfo=dates.WIB)
    if any(m.value == wall for m in byline):
        return wall
    if not byline and url and (urlsplit(url).hostname or "").endswith(LOCAL_TIME_Z_HOSTS):
        return wall
    return parsed


def _byline_dates(page_text: str, title: str = "") -> list:
    """Dates with a time near the headline in the page text ("Selasa, 16 Februari 2016 |
    14:38 WIB"), nearest first: the byline. Dates inside sentences ("Selasa (15/3)") have
    no time; dates in a run (another within LIST_GAP characters) are the time stamps of a
    list of links, not a byline."""
    head = page_text[:_BYLINE_DATE_CHARS + _BYLINE_NEAR]
    found = [m for m in dates.find_dates_in_text(head) if m.value.hour or m.value.minute]
    where = [head.find(m.text) for m in found]
    lone = [(at, m) for i, (at, m) in enumerate(zip(where, found))
            if all(abs(at - other) > _LIST_GAP for j, other in enumerate(where) if j != i)]
    anchors = [m.start() for m in re.finditer(re.escape(title), head)] if title else []
    if not anchors:
        return [m for _, m in lone]
    near = [(min(abs(at - a) for a in anchors), m) for at, m in lone]
    return [m for distance, m in sorted(near, key=lambda x: x[0]) if distance <= _BYLINE_NEAR]


def visible_text(tree) -> str:
    """The body's text in reading order, without scripts and styles (for the byline)."""
    parts: list[str] = []

    def walk(element):
        if not isinstance(element.tag, str) or element.tag in ("script", "style", "noscript", "head"):
            return
        if element.text:
            parts.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    body = tree.find("body")
    walk(body if body is not None else tree)
    return _squash(" ".join(parts))


# 4. author, site, language -----------------------------------------------------------

_NOT_A_PERSON = re.compile(r"https?://|www\.|\.com\b|\.co\.id\b|\b(?:PT|Media|Cyber|Developer|"
                           r"Design|Redaksi|Team|Tim|News|Online|Admin)\b", re.IGNORECASE)
_ROLE_PREFIX = re.compile(r"^(?:Pewarta|Penulis|Reporter|Editor|Oleh|By|Laporan)\s*:?\s+", re.IGNORECASE)


def choose_author(facts: PageFacts, document, body: str) -> tuple[str | None, str | None]:
    author, source = facts.json_ld_first("author")
    candidates = []
    for item in author if isinstance(author, list) else [author]:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str):
            candidates.append((name, source))
    for key in ("author", "article:author", "dc.creator", "content_author", "byl"):
        value, source = facts.meta_first(key)
        if value:
            candidates.append((value, source))
    if document is not None and document.author:
        candidates.append((document.author, "trafilatura"))
    for name, source in candidates:
        name = _ROLE_PREFIX.sub("", _squash(name))
        if name and not _NOT_A_PERSON.search(name) and len(name.split()) <= 6:
            return name, source
    return None, None


def choose_site_name(facts: PageFacts, document) -> tuple[str | None, str | None]:
    value, source = facts.meta_first("og:site_name", "application-name")
    if value:
        return value, source
    publisher, source = facts.json_ld_first("publisher")
    if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
        return publisher["name"], source + ".name"
    if document is not None and document.sitename and not document.sitename.startswith("http"):
        return document.sitename, "trafilatura"
    return None, None


_INDONESIAN_WORDS = frozenset("yang dan di dengan untuk ini itu dari dalam tidak akan pada juga "
                              "ke ada kata adalah oleh karena tersebut telah bisa saat".split())


def choose_language(facts: PageFacts, body: str) -> tuple[str | None, str | None]:
    """The page's declared language, unless its text is plainly Indonesian."""
    declared, source = facts.lang, "html:lang"
    if not declared:
        declared, source = facts.meta_first("content-language", "language", "og:locale", "inlanguage")
    declared = declared.split("_")[0].split("-")[0].lower() if declared else None
    words = body.lower().split()[:400]
    if words and sum(w in _INDONESIAN_WORDS for w in words) * 10 >= len(words):
        return "id", "text" if declared != "id" else source
    return declared, source if declared else None


def to_wib(value: datetime) -> datetime:
    return value.astimezone(timezone(timedelta(hours=7)))
