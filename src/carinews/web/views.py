"""What the templates show, built from the library's results: every piece of article
text made safe here, once, so templates only place it.

Steps: `safe_text` replaces control characters (ANSI escapes included) and the
Unicode bidirectional overrides and isolates one-for-one (highlight offsets stay
valid), so no article can recolour a terminal or reorder the page around it;
`marked` escapes a text and wraps its highlight spans in <mark> (Markup for
Jinja2); `http_url` keeps a link only when it is http(s); `hit_view`,
`facet_views`, `pages_view` and `article_view` assemble what each template
shows, with the query each link would search for.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode, urlsplit

from markupsafe import Markup

from carinews.results.render import clean_for_terminal, mark, to_json
from carinews.web import refine
from carinews.web.i18n import MESSAGES, format_date

_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]")


def safe_text(text: str | None) -> str:
    return _BIDI.sub("\ufffd", clean_for_terminal(text or ""))


def marked(text: str | None, spans=()) -> Markup:
    return Markup(mark(safe_text(text), spans, "<mark>", "</mark>", html.escape))


def http_url(url: str | None) -> str | None:
    """The URL if it is a plain http(s) link (no script, data or other scheme)."""
    if not url or len(url) > 4000 or safe_text(url) != url or any(c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def search_url(query: str, **params) -> str:
    """`/?q=…` with the other state kept (sort, interval, lang…), empty values dropped."""
    items = {"q": query, **params}
    return "/?" + urlencode({k: v for k, v in items.items() if v not in (None, "", False)})


def article_url(article_id: str, query: str = "", lang: str | None = None) -> str:
    params = urlencode({k: v for k, v in {"q": query, "lang": lang}.items() if v})
    return "/articles/" + quote(article_id, safe="") + (f"?{params}" if params else "")


def date_label(date, inferred: bool, lang: str) -> str:
    words = MESSAGES[lang]
    if date is None:
        return words["undated"]
    if not inferred:
        return format_date(date, lang)
    # An inferred date at midnight came from a date without a time ("Selasa (15/3/2022)").
    midnight = (date.hour, date.minute, date.second) == (0, 0, 0)
    return f"{format_date(date, lang, with_time=not midnight)} ({words['inferred']})"


@dataclass
class Link:
    text: str
    href: str
    count: int | None = None
    active: bool = False
    title: str = ""


@dataclass
class HitView:
    id: str
    href: str
    title: Markup
    snippet: Markup
    source: str
    date: str
    undated: bool
    original: str | None
    names: list[Link]
    copies: list[Link] = field(default_factory=list)


def hit_view(hit, query: str, state: dict, lang: str) -> HitView:
    names = [Link(safe_text(n), search_url(refine.with_clause(query, refine.clause("nama", n)), **state))
             for n in hit.names[:5]]
    copies = [Link(safe_text(d.source or d.id), article_url(d.id, query, state.get("lang")),
                   title=safe_text(d.url or "")) for d in hit.duplicates]
    return HitView(id=hit.id, href=article_url(hit.id, query, state.get("lang")),
                   title=marked(hit.title, hit.title_highlights),
                   snippet=marked(hit.snippet, hit.highlights), source=safe_text(hit.source),
                   date=date_label(hit.date, hit.date_inferred, lang), undated=hit.date is None,
                   original=http_url(hit.url), names=names, copies=copies)


@dataclass
class CopyLink:
    """A copy found by the related-articles search, shaped as `Archive.copies` articles are."""

    id: str
    source: str | None
    title: str


@dataclass
class RelatedView:
    title: str
    href: str
    source: str
    why: str                    # the names and words it shares with the article shown


def related_view(hit, query: str, lang: str | None) -> RelatedView:
    return RelatedView(title=safe_text(hit.title), href=article_url(hit.id, query, lang),
                       source=safe_text(hit.source or hit.id),
                       why=safe_text(", ".join(hit.shared_names + hit.shared_words)))


def facet_links(query: str, field_name: str, counts: list[list], state: dict, limit: int) -> list[Link]:
    """One link per value: adds `field:value` to the query, or removes it when present."""
    links = []
    for value, count in counts[:limit]:
        text = refine.clause(field_name, str(value))
        active = refine.has_clause(query, text)
        target = refine.without_clause(query, text) if active else refine.with_clause(query, text)
        links.append(Link(safe_text(str(value)), search_url(target, **state) if target else "/",
                          count=count, active=active))
    return links


def pages_view(page: int, per_page: int, total: int, max_results: int, query: str,
               state: dict) -> dict:
    last = max(1, -(-min(total, max_results) // per_page))
    link = (lambda p: search_url(query, **{**state, "page": p if p > 1 else None}))
    return {"page": page, "pages": last,
            "prev": link(page - 1) if page > 1 else None,
            "next": link(page + 1) if page < last else None,
            "numbers": [(p, link(p)) for p in range(max(1, page - 3), min(last, page + 3) + 1)]}


METADATA_FIELDS = ("id", "title", "url", "source", "date", "date_source", "author", "section",
                   "dateline", "names", "dup_key", "url_key", "origin")


def metadata_rows(article, lang: str) -> list[tuple[str, str, str]]:
    """(field, value, where it came from) for every metadata field the article has; the
    fields the source record carried besides carinews' own come last. Where a field came
    from is the reader's own account (`Article.field_sources`: `meta:og:title`, ...) when
    it kept one, else what carinews knows of it."""
    words = MESSAGES[lang]
    sources = article.field_sources or {}
    came_from = {"date": _date_origin(article, words), "date_source": words["computed"],
                 "dateline": words["from_body"], "names": words["from_index"],
                 "dup_key": words["computed"], "url_key": words["computed"],
                 "origin": words["computed"]}
    rows = []
    for name in METADATA_FIELDS:
        value = getattr(article, name)
        if value in (None, "", []):
            continue
        if name == "date":
            value = date_label(value, article.date_inferred, lang) + f" ({value.isoformat()})"
        elif name == "names":
            value = ", ".join(value)
        origin = sources.get(name) if name != "date" else None
        rows.append((name, safe_text(str(value)),
                     safe_text(origin) if origin else came_from.get(name, words["from_record"])))
    for key, value in sorted((article.extra or {}).items(), key=lambda kv: str(kv[0]))[:50]:
        text = value if isinstance(value, str) else to_json(value)
        rows.append(("extra." + safe_text(str(key)), safe_text(text)[:2000], words["from_record"]))
    return rows


def _date_origin(article, words) -> str:
    source = safe_text(article.date_source or "")
    return f"{source} ({words['inferred']})" if article.date_inferred else source


def body_paragraphs(body: str, spans) -> list[Markup]:
    """The body as paragraphs (blank-line separated), every span marked."""
    text = safe_text(body)
    out, start = [], 0
    for m in list(re.finditer(r"\n\s*\n", text)) + [None]:
        end = m.start() if m else len(text)
        local = [(max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start]
        chunk = mark(text[start:end], local, "<mark>", "</mark>", html.escape)
        if chunk.strip():
            out.append(Markup(chunk.replace("\n", "<br>")))
        start = m.end() if m else end
    return out
