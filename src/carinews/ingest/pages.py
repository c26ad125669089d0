"""Scraped news text -> title, section, author, outlet, dateline and a clean body.

Steps:
1. `split_lines`: NBSP and zero-width characters out, lines stripped;
2. `parse_page` (a `.txt` page): header (breaking-news banner, section, title,
   teaser, "Editor:" line, photo credit and caption) up to the dateline
   paragraph, then the body;
3. `clean_body` (also used for JSONL/CSV bodies): drop boilerplate lines
   ("Baca juga:", "SCROLL TO CONTINUE WITH CONTENT", "Advertisement", footers,
   photo credits), unnest scraper container lines (a line that starts with the
   next line and is longer), drop exact repeats of earlier paragraphs and a
   teaser that repeats the start of the text, drop headline runs after a footer;
4. `split_dateline`: "SERAMBINEWS.COM, MOSKOW - " -> outlet "serambinews.com",
   city "MOSKOW"; also "JAKARTA, KOMPAS.com -", "TEMPO.CO,Jakarta-", "BINTAN, Posmetro.co:".

The cleaning is conservative: a line is dropped only when it is boilerplate as a
whole and short. Boilerplate inside a line (a "Baca juga:" link, a copyright or
credit tail, share prompts) is cut by `inline_boilerplate.strip_inline` before the
line rules, by the shape of what follows the marker, so that sentences merely
mentioning those words stay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from carinews.ingest.inline_boilerplate import strip_inline

# 1. lines ----------------------------------------------------------------

_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
_SPACES = re.compile(r"[ \t]+")


def split_lines(text: str) -> list[str]:
    """Lines with NBSP -> space, zero-width characters removed, spaces collapsed."""
    text = text.replace("\xa0", " ").replace("\r\n", "\n").replace("\r", "\n")
    # The regexes below scan the whole body; cheap `in` tests skip them when
    # they could change nothing (most bodies have no zero-width characters).
    if not text.isascii() and any(ch in text for ch in _INVISIBLE_CHARS):
        text = _INVISIBLE.sub("", text)
    # Without a double space or a tab every run is one space and the sub would
    # change nothing; scanning with `in` is ~15x cheaper than the regex.
    if "  " in text or "\t" in text:
        text = _SPACES.sub(" ", text)
    return [line.strip() for line in text.split("\n")]


# 2. pages ----------------------------------------------------------------

@dataclass
class PageParts:
    title: str = ""
    body: str = ""
    section: str | None = None
    author: str | None = None
    outlet: str | None = None         # "serambinews.com"
    dateline: str | None = None       # "MOSKOW"
    extra: dict = field(default_factory=dict)  # teaser, photo credit and caption


AUTHOR_LINE = re.compile(r"^(?:Editor|Penulis|Pewarta|Reporter|Penyunting|Author)\s*:\s*(?P<name>.+)$",
                         re.IGNORECASE)
BANNER_LINE = re.compile(r"^(?:Breaking News|BREAKING NEWS|Berita Terkini|Live Update)\s*:?$")


def parse_page(text: str) -> PageParts:
    """One scraped page (like the seed page) -> its parts."""
    lines = split_lines(text)
    start = _find_dateline_line(lines)
    header = [line for line in lines[:start] if line and not BANNER_LINE.match(line)]
    parts = _parse_header(header) if start else PageParts()
    body_lines = lines[start:] if start else _headerless_body(lines, parts)
    teaser = parts.extra.pop("teaser", None)   # kept in the body unless it repeats the lead
    parts.body = clean_body("\n".join(([teaser] if teaser else []) + body_lines))
    dateline = split_dateline(parts.body)
    if dateline:
        parts.outlet, parts.dateline = dateline.outlet, dateline.city
    return parts


def _find_dateline_line(lines: list[str]) -> int:
    for index, line in enumerate(lines[:60]):
        if index and split_dateline(line):
            return index
    return 0


def _parse_header(header: list[str]) -> PageParts:
    parts = PageParts()
    author_at = next((i for i, line in enumerate(header) if AUTHOR_LINE.match(line)), len(header))
    if author_at < len(header):
        parts.author = AUTHOR_LINE.match(header[author_at])["name"].strip()
    before, after = header[:author_at], header[author_at + 1:]
    if len(before) >= 3 or (len(before) == 2 and _is_label(before[0]) and not _is_teaser(before[1])):
        parts.section, before = before[0], before[1:]
    if before:
        parts.title = before[0]
    if len(before) > 1:
        parts.extra["teaser"] = " ".join(before[1:])
    if after:
        parts.extra["photo_credit" if len(after) > 1 else "photo_caption"] = after[0]
    if len(after) > 1:
        parts.extra["photo_caption"] = " ".join(after[1:])
    return parts


def _is_label(line: str) -> bool:
    return len(line) <= 40 and not line.endswith((".", "!", "?"))


def _is_teaser(line: str) -> bool:
    """A lead-like line: long, or with a sentence end inside or at the end."""
    return len(line) > 120 or ". " in line or line.endswith((".", "!", "?"))


def _headerless_body(lines: list[str], parts: PageParts) -> list[str]:
    content = [line for line in lines if line and not BANNER_LINE.match(line)]
    if content:
        parts.title = content[0]
    rest = content[1:]
    author_at = next((i for i, line in enumerate(rest[:5]) if AUTHOR_LINE.match(line)), None)
    if author_at is not None:
        parts.author = AUTHOR_LINE.match(rest[author_at])["name"].strip()
        rest = rest[:author_at] + rest[author_at + 1:]
    return rest


# 3. body cleaning --------------------------------------------------------

# Whole lines that are boilerplate, whatever their position (one alternation,
# one match per line).
BOILERPLATE = re.compile("|".join("(?:" + p + ")" for p in (
    r"^(?:baca|lihat|simak)\s+juga(?:\s+video)?\s*:.{0,220}$",
    r"^baca\s+selengkapnya\s*:.{0,220}$",
    r"^(?:video|simak\s+video|tonton\s+juga)\s*:[^.!?]{0,200}$",
    r"^scroll\s+to\s+continue\s+with\s+content$",
    r"^scroll\s+ke\s+bawah\s+untuk\s+(?:membaca|melanjutkan).{0,40}$",
    r"^advertisement$",
    r"^iklan$",
    r"^\[gambas:[^\]]{0,80}\]$",
    r"^\W{0,3}ikuti\s+kami\s+di\b.{0,60}$",
    r"^ikuti\s+(?:whatsapp|wa)\s+channel\b.{0,60}$",
    r"^\(?ayo\s+ikuti\s+saluran\s+whatsapp.{0,200}\)?$",
    r"^simak\s+breaking\s+news\b.{0,300}$",
    r"^komentar$",
    r"^berita\s+(?:terkini|terkait|lainnya|populer)$",
    r"^(?:breaking\s+news|live\s+update)\s*:?$",
    r"^(?:©|\(c\)|copyright\b|hak\s+cipta\b).{0,160}$",
    r"^all\s+rights?\s+reserved.{0,80}$",
    r"^(?:foto|photo|sumber\s+foto|ilustrasi)\s*:.{0,160}$",
    r"^[^.!?]{0,120}\((?:image|foto|photo)\s*(?:by|:|/)[^)]{0,60}\)$",
)), re.IGNORECASE)
RELATED_MARKER = re.compile(r"^(?:baca|lihat|simak)\s+juga\s*:?$", re.IGNORECASE)
SIGNATURE = re.compile(r"^\([a-z]{2,4}(?:/[a-z]{2,4})+\)$|^\(\*\)$")
# End-of-line boilerplate glued to the last sentence of a paragraph.
GLUED_SUFFIX = re.compile(r"\s*Ikuti\s+(?:Whatsapp|WhatsApp)\s+Channel\s+\w+\s*$")
# A closing credit line: "Sumber: RandomEditor: Oki Budiman", "Editor: M Nur Pakar".
CREDIT_LINE = re.compile(r"^(?:(?:Sumber|Source)\s*:.{0,40}?)?(?:Editor|Penulis|Pewarta|Reporter|"
                         r"Penyunting)\s*:\s*(?P<name>[^.:]{2,60})$", re.IGNORECASE)
FOOTER_MARKERS = re.compile(r"^(?:\W{0,3}ikuti\s+kami\s+di\b.*|komentar|berita\s+terkini|berita\s+terkait|"
                            r"©.*|all\s+rights?\s+reserved.*)$", re.IGNORECASE)
_TERMINAL = (".", "!", "?", '"', "”", "’", ")", ":", "…", ";")
_CONTINUATION = re.compile(r"^[a-z,.;:)!?\-–—]")


def clean_body(text: str) -> str:
    """Boilerplate out, article sentences kept; paragraphs joined by a blank line."""
    return clean_body_and_credit(text)[0]


def clean_body_and_credit(text: str) -> tuple[str, str | None]:
    """`clean_body`, and the first name of an inline credit tail ("Pewarta: A Editor: B")."""
    lines, credit = [], None
    for line in split_lines(text):
        if line:
            line, removed, name = strip_inline(line)
            credit = credit or name
            if line:
                lines.append(line)
    lines = _drop_container_lines(lines)
    lines = _drop_after_footer(lines)
    lines = [GLUED_SUFFIX.sub("", line) if "Ikuti" in line else line for line in lines]
    lines = [line for line in _drop_related_runs(lines) if line and not is_boilerplate(line)]
    checked = set(lines)    # not boilerplate
    lines = _drop_trailing_tags(_reflow(lines))
    # Only lines _reflow joined can have become boilerplate; the rest were just checked.
    lines = _drop_repeats([line for line in lines if line in checked or not is_boilerplate(line)])
    lines = _drop_teaser(lines)
    return "\n\n".join(lines), credit


def is_boilerplate(line: str) -> bool:
    return BOILERPLATE.match(line) is not None


def _drop_related_runs(lines: list[str]) -> list[str]:
    """A lone "Baca juga" and the related headlines under it (Title Case, no
    closing punctuation, not continued by the next line) go."""
    kept, index = [], 0
    while index < len(lines):
        if RELATED_MARKER.match(lines[index]):
            index += 1
            while index < len(lines) and _is_related_headline(lines, index):
                index += 1
            continue
        kept.append(lines[index])
        index += 1
    return kept


def _is_related_headline(lines: list[str], index: int) -> bool:
    line = lines[index]
    following = lines[index + 1] if index + 1 < len(lines) else ""
    words = line.split()
    capitalised = sum(1 for w in words if w[:1].isupper() or w[:1].isdigit())
    return (_is_headline(line) and bool(words) and capitalised * 2 >= len(words)
            and (words[-1][:1].isupper() or words[-1][:1].isdigit())
            and not _CONTINUATION.match(following))


def _reflow(lines: list[str]) -> list[str]:
    """Rejoin sentences that link stripping split over lines ("Siti Aminah Tardi" /
    "mendesak agar ..."): a line without closing punctuation is joined to a next
    line that starts in lower case or with punctuation, or to a short next line
    (a link text) that is itself continued."""
    out: list[str] = []
    for index, line in enumerate(lines):
        if out and not out[-1].endswith(_TERMINAL) and _continues(lines, index):
            glue = "" if line[:1] in ",.;:)!?" else " "
            out[-1] = out[-1] + glue + line
        else:
            out.append(line)
    return out


def _continues(lines: list[str], index: int) -> bool:
    line = lines[index]
    if _CONTINUATION.match(line):
        return True
    following = lines[index + 1] if index + 1 < len(lines) else ""
    return len(line) <= 50 and not line.endswith(_TERMINAL) and bool(_CONTINUATION.match(following))


def _drop_trailing_tags(lines: list[str]) -> list[str]:
    """Lower-case keyword tags after the closing initials "(fbr/wes)" go."""
    for index, line in enumerate(lines):
        if SIGNATURE.match(line):
            tail = lines[index + 1:]
            if tail and all(len(t) <= 60 and t == t.lower() and not t.endswith(_TERMINAL) for t in tail):
                return lines[:index + 1]
    return lines


def find_credit(text: str) -> tuple[str | None, str]:
    """A trailing "Editor: X" credit line -> (name, text without it)."""
    lines = text.rstrip().split("\n")
    m = CREDIT_LINE.match(lines[-1].strip()) if lines else None
    if not m:
        return None, text
    return m["name"].strip(), "\n".join(lines[:-1]).rstrip()


def _drop_container_lines(lines: list[str]) -> list[str]:
    """Scrapers that walk nested <div>s emit "p1 p2 p3", "p1", "p2 p3", "p2", ...:
    a line that starts with the next line and is longer holds nothing new."""
    kept = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if len(following) >= 30 and len(line) > len(following) and line.startswith(following):
            continue
        kept.append(line)
    return kept


def _drop_after_footer(lines: list[str]) -> list[str]:
    """After a footer marker ("Ikuti kami di", "BERITA TERKINI") drop headline-like
    lines (short, no closing punctuation); sentences after it are kept."""
    for index, line in enumerate(lines):
        if FOOTER_MARKERS.match(line):
            tail = [t for t in lines[index:] if not FOOTER_MARKERS.match(t) and not _is_headline(t)]
            return lines[:index] + tail
    return lines


def _is_headline(line: str) -> bool:
    return len(line) <= 160 and not line.rstrip().endswith((".", "!", "?", '"', "”", ")", ":"))


def _drop_repeats(lines: list[str]) -> list[str]:
    """Exact repeats of an earlier paragraph (40+ characters) go; the first stays."""
    seen, kept = set(), []
    for line in lines:
        if len(line) >= 40 and line in seen:
            continue
        seen.add(line)
        kept.append(line)
    return kept


def _drop_teaser(lines: list[str]) -> list[str]:
    """A first line that repeats the start of what follows (the page teaser or a
    truncated lead) goes: it is a prefix of a later paragraph, or of the text
    after the dateline."""
    if len(lines) < 2 or len(lines[0]) < 30:
        return lines
    teaser = _squash(lines[0].rstrip(". …"))
    dateline = split_dateline(lines[1])
    after_dateline = " ".join([lines[1][dateline.length:] if dateline else lines[1]] + lines[2:])
    if _squashed_startswith(after_dateline, teaser) or any(_squashed_startswith(line, teaser)
                                                           for line in lines[1:]):
        return lines[1:]
    return lines


def _squash(text: str) -> str:
    return " ".join(text.split())


def _squashed_startswith(text: str, prefix: str) -> bool:
    """`_squash(text).startswith(prefix)`, squashing only a head of `text` when
    that decides it (squashing the whole body twice and every line once was a
    quarter of clean_body). The squashed head is a prefix of the squashed text
    (a cut word is a prefix of the whole word), so once it is as long as
    `prefix` it answers for the whole text. Most lines already differ in their
    first character."""
    if prefix and text.lstrip()[:1] != prefix[:1]:
        return False
    head = _squash(text[:len(prefix) + 64])
    if len(head) >= len(prefix) or len(text) <= len(prefix) + 64:
        return head.startswith(prefix)
    return _squash(text).startswith(prefix)


# 4. dateline -------------------------------------------------------------

@dataclass(frozen=True)
class Dateline:
    outlet: str | None   # "serambinews.com"
    city: str | None     # "MOSKOW"
    length: int          # characters of the body the dateline takes


_DOMAIN = r"[A-Za-z][A-Za-z0-9-]*(?:\.[A-Za-z]{2,4}){1,2}"
_CITY = r"[A-Z][A-Za-z'.]*(?:\s[A-Z][A-Za-z'.]*){0,2}"
_SEP = r"\s*(?:-{1,2}|–|—)\s*"
_NAMED_OUTLETS = r"CNN\s+Indonesia|ANTARA(?:\s+News)?|Antara|POSMETRO\s+MEDAN|Bisnis\.com|okezone"
DATELINE_FORMS = [re.compile(p) for p in (
    rf"^(?P<outlet>{_DOMAIN})\s*,\s*(?P<city>{_CITY}){_SEP}",          # SERAMBINEWS.COM, MOSKOW -
    rf"^(?P<city>{_CITY})\s*,\s*(?P<outlet>{_DOMAIN}|{_NAMED_OUTLETS})(?:{_SEP}|\s*:\s*)",  # JAKARTA, KOMPAS.com -
    rf"^(?P<outlet>{_DOMAIN}|{_NAMED_OUTLETS}){_SEP}",                  # Kapanlagi.com - / POSMETRO MEDAN–
    rf"^(?P<city>[A-Z]{{3,}}(?:\s[A-Z]{{3,}})?){_SEP}",                 # JAKARTA -
)]


def split_dateline(text: str) -> Dateline | None:
    """The dateline at the start of a body, if any."""
    head = text[:120]
    for pattern in DATELINE_FORMS:
        m = pattern.match(head)
        if m:
            groups = m.groupdict()
            outlet = _outlet_host(groups.get("outlet"))
            city = groups.get("city")
            return Dateline(outlet, city.upper() if city else None, m.end())
    return None


def _outlet_host(name: str | None) -> str | None:
    if not name:
        return None
    name = " ".join(name.split())
    if "." in name:
        return name.lower()
    return {"cnn indonesia": "cnnindonesia.com", "antara": "antaranews.com",
            "antara news": "antaranews.com", "posmetro medan": "posmetromedan.com",
            "okezone": "okezone.com"}.get(name.lower())
