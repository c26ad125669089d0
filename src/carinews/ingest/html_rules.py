"""Line rules for the main text trafilatura takes out of a news page.

Steps:
1. `clean_main_text`: lines that are page furniture rather than article go: ad markers
   ("ADVERTISEMENT", "SCROLL TO CONTINUE WITH CONTENT"), related-article blocks ("Baca
   juga", "Simak juga", "Lihat juga" with the headlines under them), photo captions and
   credits ("(Foto: ...)", "Foto: ...", a short line naming a photographer), share and
   follow prompts. What remains goes through the common body cleaning (`pages.clean_body`
   and `inline_boilerplate`) in `make_article`, as every other body does.
2. `recover_lead`: trafilatura drops text that sits directly in the article's container
   before its first `<p>` ("<strong>VIVA.co.id</strong> - Pianis cilik ...", a lead
   between `<br>`s): the sentences of that container before the first extracted
   paragraph are put back in front.
3. `is_link_list`: text that is a run of short headlines (an index or tag page).

`prune_furniture` runs on the tree before trafilatura: blocks whose class or id names
related articles, recommendations, popular lists, share bars or comments, and list items
that are teaser cards (a picture and a link), unless they hold most of the page's
paragraph text (the article itself).
"""

from __future__ import annotations

import re
from bisect import bisect_right

_FURNITURE = re.compile("|".join("(?:" + p + ")" for p in (
    r"advertisement",
    r"scroll\s+(?:to|down)\s+(?:continue|to\s+continue)(?:\s+with\s+content)?",
    r"lanjutkan\s+membaca|lanjut\s+baca|baca\s+berikutnya",
    r"(?:share|bagikan)(?:\s+(?:this|artikel|berita))?\s*:?",
    r"(?:tags?|topik|kata\s+kunci)\s*:.{0,200}",
    r"(?:foto|photo|sumber\s+foto|ilustrasi|caption|keterangan\s+foto)\s*[:(].{0,200}",
    r"\(?(?:foto|photo|ilustrasi)\s*:[^)]{0,120}\)?",
    r"loading\.{0,3}|memuat\.{0,3}",
)), re.IGNORECASE)
_CREDIT_END = re.compile(r"\((?:foto|photo|ant|antara\s+foto|dok|dokumentasi|istimewa|ist|"
                         r"instagram|twitter)[^)]{0,80}\)\s*$", re.IGNORECASE)
_RELATED_HEAD = re.compile(r"^(?:baca|simak|lihat|tonton)\s+(?:juga|pula|selengkapnya)\b", re.IGNORECASE)
_SENTENCE_END = (".", "!", "?", '"', "”", "’")


_FURNITURE_CLASS = re.compile(r"(?:^|[\s_-])(?:related|terkait|rekomendasi|recommend\w*|populer|"
                              r"terpopuler|popular|trending|baca-?juga|bacajuga|read-?also|also-?read|"
                              r"berita-?lain(?:nya)?|more-?news|share|social|sosmed|comments?|komentar|"
                              r"breadcrumbs?|newsletter)(?:$|[\s_-])", re.IGNORECASE)


def prune_furniture(tree) -> None:
    """Remove related-article blocks, teaser cards, share bars and comments from the tree."""
    paragraphs = sum(len(p.text_content()) for p in tree.iter("p")) or 1
    doomed = []
    for element in tree.iter("div", "section", "aside", "ul", "ol", "li", "nav", "span"):
        names = " ".join(filter(None, (element.get("class"), element.get("id"))))
        teaser = element.tag == "li" and element.find(".//img") is not None and element.find(".//a") is not None
        if (teaser or (names and _FURNITURE_CLASS.search(names))) and not _holds_article(element, paragraphs):
            doomed.append(element)
    for element in doomed:
        parent = element.getparent()
        if parent is not None and not any(d is not element and _inside(element, d) for d in doomed[:0]):
            element.drop_tree()


def _holds_article(element, paragraphs: int) -> bool:
    return sum(len(p.text_content()) for p in element.iter("p")) * 2 >= paragraphs


def clean_main_text(text: str) -> str:
    """The article's lines of trafilatura's text (paragraphs stay one per line)."""
    lines = [line.strip() for line in text.replace("\r", "").split("\n")]
    kept: list[str] = []
    in_related = False
    for line in lines:
        if not line:
            in_related = False
            continue
        if _FURNITURE.fullmatch(line):
            continue
        if _RELATED_HEAD.match(line):
            in_related = not _ends_sentence(line) and len(line) < 40   # a bare "Baca juga:" heading
            continue
        if in_related and _is_headline(line):
            continue
        in_related = False
        if _is_caption(line) or _is_date_only(line) or not _LETTER.search(line):
            continue
        kept.append(line)
    return "\n".join(kept)


_LETTER = re.compile(r"[^\W\d_]")
_DATE_ONLY = re.compile(r"^[-•·*\s]*(?:\w+,?\s+)?\d{1,2}[/\s.-]+(?:\d{1,2}|\w+)[/\s.-]+\d{2,4}"
                        r"(?:[\s,|-]+(?:pukul\s+)?\d{1,2}[:.]\d\d(?::\d\d)?)?\s*(?:WIB|WITA|WIT)?$", re.IGNORECASE)


def _is_date_only(line: str) -> bool:
    """A line that is only a date and time (the time stamps of a related-links list)."""
    return len(line) <= 60 and bool(_DATE_ONLY.match(line))


def _ends_sentence(line: str) -> bool:
    return line.rstrip().endswith(_SENTENCE_END)


def _is_headline(line: str) -> bool:
    return len(line) <= 160 and not _ends_sentence(line)


def _is_caption(line: str) -> bool:
    """A photo caption: a short line that ends with a photo credit in brackets."""
    return len(line.split()) <= 60 and bool(_CREDIT_END.search(line))


_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "head", "title", "iframe", "select", "button"})
_BREAKS = frozenset({"br", "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption",
                     "table", "tr", "td", "ul", "ol", "section", "article", "blockquote", "header", "footer"})
_LEAD_HEAD_CHARS = 40
_LEAD_MAX_LINES = 4
_WS = re.compile(r"\s+")


def recover_lead(tree, text: str) -> str:
    """`text` with the sentences trafilatura left out before its first paragraph put back."""
    lines = text.split("\n")
    first = next((line for line in lines if len(line.split()) >= 8), None)
    if first is None:
        return text
    pieces, owners = _text_pieces(tree)
    flat, starts = _flatten(pieces)
    at = flat.find(_WS.sub(" ", first[:_LEAD_HEAD_CHARS]).strip())
    if at < 0:
        return text
    index = bisect_right(starts, at) - 1
    container = _container(owners[index], pieces, owners, index)
    start = next(i for i, owner in enumerate(owners) if _inside(owner, container))
    before = [line.strip() for line in "".join(pieces[start:index]).split("\n")]
    lead = [line for line in before if _is_sentence(line) and line not in text
            and not line.startswith(("...", "…"))][-_LEAD_MAX_LINES:]
    return "\n".join(lead + [text]) if lead else text


def _text_pieces(tree) -> tuple[list[str], list]:
    """The page's text in order, "\n" where a block or <br> starts or ends; each piece with
    the element it belongs to."""
    pieces, owners = [], []

    def walk(element):
        if not isinstance(element.tag, str) or element.tag in _SKIPPED_TAGS:
            return
        breaks = element.tag in _BREAKS
        if breaks:
            pieces.append("\n"), owners.append(element)
        if element.text:
            pieces.append(_WS.sub(" ", element.text)), owners.append(element)
        for child in element:
            walk(child)
            if child.tail:
                pieces.append(_WS.sub(" ", child.tail)), owners.append(element)
        if breaks:
            pieces.append("\n"), owners.append(element)

    body = tree.find("body")
    walk(body if body is not None else tree)
    return pieces, owners


def _flatten(pieces: list[str]) -> tuple[str, list[int]]:
    """The pieces joined with every run of white space one space, and where each starts."""
    out, starts, length, space = [], [], 0, True
    for piece in pieces:
        piece = piece.replace("\n", " ")
        if space and piece.startswith(" "):
            piece = piece[1:]
        starts.append(length)
        out.append(piece)
        length += len(piece)
        if piece:
            space = piece.endswith(" ")
    return "".join(out), starts


def _container(owner, pieces, owners, index):
    """The block around the first paragraph; one level up when the paragraph starts it
    (the lead is then a sibling before it)."""
    block = owner
    while block is not None and block.tag not in _BREAKS and block.getparent() is not None:
        block = block.getparent()
    first_of_block = next(i for i, o in enumerate(owners) if _inside(o, block))
    if not "".join(pieces[first_of_block:index]).strip() and block.getparent() is not None:
        block = block.getparent()
    return block


def _inside(element, container) -> bool:
    while element is not None:
        if element is container:
            return True
        element = element.getparent()
    return False


def _is_sentence(line: str) -> bool:
    return len(line.split()) >= 8 and (_ends_sentence(line) or ". " in line)


def is_link_list(text: str) -> bool:
    """Ten or more lines, four in five of them short headlines without a full stop: a
    list of links, not an article."""
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < 10:
        return False
    short = [line for line in lines if len(line.split()) <= 14 and not _ends_sentence(line)]
    words = sum(len(line.split()) for line in lines)
    return len(short) * 5 >= len(lines) * 4 and sum(len(line.split()) for line in short) * 5 >= words * 4
