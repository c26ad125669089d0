"""A saved news page (HTML bytes) -> the fields of one Article, each with where it came from.

Steps:
1. `decode_html`: the bytes are believed over the page's `<meta charset>` (pages that
   declare iso-8859-1 are often UTF-8): strict UTF-8 first, then the declared charset,
   then cp1252.
2. `parse_tree`: lxml tree with a space put where block and inline elements meet
   (`<p>dari</p><a>Antara</a>` must not become "dariAntara"), scripts kept for JSON-LD.
3. `page_facts`: what the page says about itself: JSON-LD `NewsArticle` objects, `<meta>`
   tags (`og:*`, `article:published_time`, `pubdate`, `author`, ...), `<title>`, `<h1>`s,
   `<html lang>`, canonical link.
4. `extract_main_text`: trafilatura's main text (favor_precision, no comments, no
   tables), then the line rules of `html_rules` (related-article blocks, ad markers,
   photo captions) before the common body cleaning of `make_article`.
5. Fields, first source that has them: title (`html_meta.choose_title`), date
   (`html_meta.choose_date`: JSON-LD, article meta, the byline in the page text, then
   trafilatura's guess, the URL, the WARC date), author, site name, language.
6. `classify_page`: a tag or index page, or a photo page whose text is a caption,
   is not an article: `NotAnArticle` names why.

`extract_page` returns `(fields, field_sources)`; `make_html_article` turns them into
an Article. Both are pure functions of the bytes (and the URL / WARC date when known).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import lxml.etree
import lxml.html

from carinews.ingest import html_meta, html_rules
from carinews.ingest.articles import Article, make_article
from carinews.errors import CarinewsError

MIN_ARTICLE_WORDS = 40          # less main text than this is not an article
CAPTION_WORDS = 150             # a photo page with no more text than this is a caption

_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)


class NotAnArticle(CarinewsError):
    """A page that is not a news article (tag page, index, photo caption); `reason` says why."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


# 1. bytes -> text --------------------------------------------------------------------

def decode_html(data: bytes) -> tuple[str, str]:
    """(text, encoding used). Valid UTF-8 is UTF-8 whatever the page declares."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = _DECLARED_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii", "replace").lower()
        if name in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"):
            name = "cp1252"          # what browsers do with these labels
        try:
            return data.decode(name, errors="replace"), name
        except LookupError:
            pass
    return data.decode("cp1252", errors="replace"), "cp1252"


# 2. tree -----------------------------------------------------------------------------

BLOCK_TAGS = frozenset("""address article aside blockquote br dd div dl dt figcaption figure
footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody td tfoot th
thead tr ul""".split())


def parse_tree(text: str):
    """The page as an lxml tree, or None when it has no HTML at all."""
    try:
        tree = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError):
        return None
    _space_blocks(tree)
    return tree


def _space_blocks(tree) -> None:
    """A space before and after every block element, so text on both sides never joins."""
    for element in tree.iter(*BLOCK_TAGS):
        element.tail = " " + element.tail if element.tail else " "
        if element.text and not element.text[:1].isspace():
            element.text = " " + element.text
        previous = element.getprevious()
        if previous is not None:
            if previous.tail and not previous.tail[-1:].isspace():
                previous.tail += " "
        else:
            parent = element.getparent()
            if parent is not None and parent.text and not parent.text[-1:].isspace():
                parent.text += " "


# 4. main text --------------------------------------------------------------------------

def extract_main_text(tree, url: str | None = None):
    """trafilatura's Document for the page (main text plus its own metadata guesses)."""
    import trafilatura

    return trafilatura.bare_extraction(
        tree, url=url, favor_precision=True, include_comments=False, include_tables=False,
        include_images=False, with_metadata=True, deduplicate=False)


# 5. fields ---------------------------------------------------------------------------

@dataclass
class PageFields:
    fields: dict            # for make_article: title, body, url, author, source, ...
    sources: dict           # field -> where it came from ("meta:og:title", "json-ld:headline")
    date: datetime | None = None
    date_source: str | None = None


def extract_page(data: bytes, *, url: str | None = None, fallback_date: datetime | None = None,
                 fallback_date_source: str = "warc:WARC-Date") -> PageFields:
    """HTML bytes -> PageFields. Raises NotAnArticle for pages that are not articles."""
    text, encoding = decode_html(data)
    tree = parse_tree(text)
    if tree is None:
        raise NotAnArticle("no HTML content")
    facts = html_meta.page_facts(tree)
    sources: dict[str, str] = {"encoding": encoding}
    page_url, sources["url"] = _page_url(url, facts)
    page_text = html_meta.visible_text(tree)
    html_rules.prune_furniture(tree)
    document = extract_main_text(tree, page_url)
    main_text = document.text if document is not None and document.text else ""
    body = html_rules.clean_main_text(html_rules.recover_lead(tree, main_text))
    title, sources["title"] = html_meta.choose_title(facts, document)
    date, date_source = html_meta.choose_date(facts, document, page_text, page_url, title)
    if date is None and fallback_date is not None:
        date, date_source = fallback_date, fallback_date_source
    author, sources["author"] = html_meta.choose_author(facts, document, body)
    site, sources["site_name"] = html_meta.choose_site_name(facts, document)
    language, sources["language"] = html_meta.choose_language(facts, body)
    classify_page(body, page_url, title, facts)
    fields = {"title": title, "body": body, "url": page_url, "author": author,
              "site_name": site, "language": language}
    if facts.section:
        fields["section"], sources["section"] = facts.section
    if date is not None:
        sources["date"] = date_source
    sources["body"] = "trafilatura+rules"
    return PageFields({k: v for k, v in fields.items() if v}, {k: v for k, v in sources.items() if v},
                      date, date_source)


def _page_url(url: str | None, facts) -> tuple[str | None, str | None]:
    if url:
        return url, "warc:WARC-Target-URI"
    for value, source in (facts.canonical, facts.meta_first("og:url")):
        if value and value.startswith(("http://", "https://")):
            return value, source
    return None, None


# 6. what is not an article ------------------------------------------------------------

_INDEX_PATH = re.compile(r"/(?:tag|tags|topik|topic|indeks|index|kanal|search|cari|category|"
                         r"kategori|author|penulis)(?:/|\.html?$|$|\?)", re.IGNORECASE)
_PHOTO_PATH = re.compile(r"(?:^|[/.])(?:foto|photo|photos|readfoto|inpicture|galeri|gallery|"
                         r"fotografi)(?:[/.-]|$)", re.IGNORECASE)
_PHOTO_TITLE = re.compile(r"^(?:foto|in picture|galeri|gallery|photo)\s*:", re.IGNORECASE)


def classify_page(body: str, url: str | None, title: str, facts) -> None:
    """Raise NotAnArticle for an index or tag page, or a photo page that is only a caption."""
    words = len(body.split())
    path = urlsplit(url).path if url else ""
    if _INDEX_PATH.search(path) and words < 3 * CAPTION_WORDS:
        raise NotAnArticle(f"index or tag page ({path})")
    photo = bool(_PHOTO_PATH.search(_host_and_path(url)) or _PHOTO_TITLE.match(title or ""))
    if photo and words <= CAPTION_WORDS:
        raise NotAnArticle(f"photo page with a caption only ({words} words)")
    if words < MIN_ARTICLE_WORDS:
        raise NotAnArticle(f"no article text ({words} words of main text)")
    if html_rules.is_link_list(body):
        raise NotAnArticle("a list of headlines (index page)")


def _host_and_path(url: str | None) -> str:
    return re.sub(r"^https?://", "", url or "")


# ----------------------------------------------------------------------------------------

def make_html_article(data: bytes, *, origin: str, url: str | None = None,
                      fallback_date: datetime | None = None,
                      fallback_date_source: str = "warc:WARC-Date") -> Article:
    """HTML bytes -> Article (NotAnArticle for other pages; ValueError without text)."""
    page = extract_page(data, url=url, fallback_date=fallback_date,
                        fallback_date_source=fallback_date_source)
    fields = dict(page.fields)
    site = fields.pop("site_name", None)
    language = fields.pop("language", None)
    article = make_article(fields, origin=origin)
    article.date, article.date_source = page.date, page.date_source
    article.date_inferred = bool(page.date_source) and page.date_source.split(":")[0] in html_meta.INFERRED
    if site:
        article.extra["site_name"] = site
    if language:
        article.extra["language"] = language
    article.field_sources = page.sources
    return article
