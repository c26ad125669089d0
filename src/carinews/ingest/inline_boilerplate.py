"""Boilerplate inside a line of flattened text: related-article links, copyright and credit
tails, anti-crawling notices and share prompts, wherever they sit in a paragraph.

Scrapers that flatten a page into long lines leave "… yang dimaksud.Baca juga: Hasil
Penyelidikan Tambang Nikel Raja Ampat Segera Dirilis “Kami tanya ke Minerba …" in the
middle of a paragraph, where the line rules of `pages.py` cannot see it.

Steps (`strip_inline`, one line at a time):
1. related links: "Baca juga:" / "Simak juga:" / "Lihat juga:" / "Baca Juga :" at a
   sentence boundary inside the line or glued to the word before it ("LainBaca Juga:"; one
   that starts the line is left to the line rules), or in brackets ("[Baca juga: X]"), then a headline in title case (capitalised words, short function
   words between them), running to where the next sentence starts: a capitalised word
   followed by an ordinary lower-case word ("Meski demikian"), else the last capitalised
   word followed by a function word ("Sesampainya di") when a comma came before that word
   (headlines do not end with one); a "!" or "?" before a capitalised word ends it too. Without a colon, or with fewer
   than three headline words, or with a lower-case word right after the colon, it is a
   sentence that mentions "baca juga" and stays.
2. whole boilerplate sentences inside the line: "Dilarang keras mengambil konten …",
   share and follow prompts ("Ikuti WhatsApp Channel X", "Baca berita X lainnya di
   Google News", "(Ayo ikuti saluran WhatsApp …)").
3. tails at the end of the line: "Copyright © 2025 X. All rights reserved.", "Hak cipta
   dilindungi undang-undang", "Pewarta: A Editor: B" (the first name is returned as a
   credit).

Each removal is reported (`Removal`: kind and text), so callers can count and sample them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARKER = re.compile(r"(?:(?<=^)|(?<=[.!?”\"')\]])|(?<=\s)|(?<=[a-z0-9]))(?:Baca|BACA|Simak|SIMAK|Lihat|LIHAT)\s+"
                     r"(?:juga|Juga|JUGA)(?:\s+(?:Video|video|VIDEO))?\s*:\s*")
_TOKEN = re.compile(r"\S+")
_BRACKETED = re.compile(r"[\[(]\s*(?:Baca|BACA|Simak|SIMAK|Lihat|LIHAT)\s+(?:juga|Juga|JUGA)\s*:"
                        r"[^\[\]()]{3,250}[\])]")
# lower-case words that title-case headlines keep in lower case
FUNCTION_WORDS = frozenset("""di ke dari dan yang untuk dengan pada atau vs hingga oleh dalam
jadi soal bagi usai tak tidak akan ini itu ala per via agar karena demi jelang sebagai
sampai kata""".split())
_WORD_CHARS = re.compile(r"[\w']+")
MIN_HEADLINE_WORDS = 3
_LIST_NUMBER = re.compile(r"^\d{1,2}[.)]$")

_SENTENCE_NOTICES = re.compile(
    r"Dilarang\s+keras\s+mengambil\s+konten[^.!?]{0,300}[.!?]?"
    r"|\((?:Ayo\s+)?(?:ikuti|Ikuti|simak|Simak)\s[^()]{0,300}\)"
    r"|(?:Ayo\s+)?(?:Ikuti|Simak|Baca|Cek|Update|Dapatkan|Klik|Gabung|Follow|Pantau|Jangan\s+lewatkan)"
    r"\b(?:[^.!?()]|\.(?=\w)){0,160}?\b(?:Google\s+News|WhatsApp\s+Channel|Whatsapp\s+Channel|"
    r"saluran\s+WhatsApp|Channel\s+WhatsApp|Grup\s+Telegram|Telegram\s+Channel)\b"
    r"(?:\s+(?:[A-Z][\w.]*\w|[a-z]+\.(?:com|co\.id|id)))?(?:\s*[.!?])?")
_COPYRIGHT_TAIL = re.compile(
    r"\s*(?:(?:Copyright|COPYRIGHT|Hak\s+Cipta|©|\(c\)|\(C\))\s*(?:©\s*)?(?:\d{4}|[A-Z])[^\n]{0,160}"
    r"|All\s+[Rr]ights\s+[Rr]eserved\.?[^\n]{0,60}"
    r"|Hak\s+cipta\s+dilindungi\s+undang-undang\.?)$")
_COPYRIGHT_HINT = re.compile(r"\d{4}|rights\s+reserved|\.com|\.co\b|\.id\b|dilindungi", re.IGNORECASE)
_ROLE = r"(?:Pewarta|Reporter|Penulis|Editor|Penyunting|Redaktur|Jurnalis)"
_NAME = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4}"
_CREDIT_TAIL = re.compile(rf"(?:(?<=[.!?”\")])|\s)\s*{_ROLE}\s*:\s*(?P<name>{_NAME})"
                          rf"(?:\s*[,/|]?\s*{_ROLE}\s*:\s*{_NAME})*\s*$")
_HINTS = ("juga", "JUGA", "Juga", "Dilarang", "News", "hannel", "WhatsApp", "Telegram", "opyright",
          "OPYRIGHT", "©", "(c)", "(C)", "ights", "ipta", ":")


@dataclass(frozen=True)
class Removal:
    kind: str        # "related link", "notice", "copyright", "credit"
    text: str


def strip_inline(line: str) -> tuple[str, list[Removal], str | None]:
    """(line without inline boilerplate, what was removed, a credited name or None)."""
    if not any(hint in line for hint in _HINTS):
        return line, [], None
    removed: list[Removal] = []
    line = _BRACKETED.sub(lambda m: _note(removed, "related link", m.group()), line)
    line = _strip_related_links(line, removed)
    line = _SENTENCE_NOTICES.sub(lambda m: _note(removed, "notice", m.group()), line)
    m = _COPYRIGHT_TAIL.search(line)
    if m and _COPYRIGHT_HINT.search(m.group()):
        removed.append(Removal("copyright", m.group().strip()))
        line = line[:m.start()]
    credit = None
    m = _CREDIT_TAIL.search(line)
    if m and len(line) - m.start() <= 160:
        credit = m.group("name").strip()
        removed.append(Removal("credit", m.group().strip()))
        line = line[:m.start()]
    if removed:
        line = re.sub(r"\s{2,}", " ", line).strip()
    return line, removed, credit


def _note(removed: list[Removal], kind: str, text: str) -> str:
    removed.append(Removal(kind, text.strip()))
    return " "


def _strip_related_links(line: str, removed: list[Removal]) -> str:
    out, position = [], 0
    for m in _MARKER.finditer(line):
        if m.start() < position or not line[:m.start()].strip():
            continue      # a link that starts the line is the line rules' (pages.py): its
                          # headline may go on over the next line
        end = _headline_end(line, m.end())
        if end is None:
            continue
        out.append(line[position:m.start()])
        removed.append(Removal("related link", line[m.start():end].strip()))
        out.append(" ")
        position = end
    if not out:
        return line
    out.append(line[position:])
    return "".join(out)


def _headline_end(line: str, start: int) -> int | None:
    """Where the headline after a marker ends (the next sentence's start), or None when
    what follows is not a title-case headline of MIN_HEADLINE_WORDS or more words."""
    tokens = [(t.start(), t.group()) for t in _TOKEN.finditer(line, start)]
    if not tokens or not _is_capitalised(tokens[0][1]):
        return None
    weak = None        # last capitalised token followed by a function word
    for index, (_, token) in enumerate(tokens):
        word = _bare(token)
        if _LIST_NUMBER.match(token) and index >= MIN_HEADLINE_WORDS:
            return tokens[index][0]         # "1. Moldova ...": a numbered item starts
        if (token.endswith(("!", "?")) and index + 1 >= MIN_HEADLINE_WORDS and index + 1 < len(tokens)
                and _starts_upper(tokens[index + 1][1])):
            return tokens[index + 1][0]        # "… di Suita! Vice President …": the headline ended
        if _is_capitalised(token) or not word:
            continue
        if word in FUNCTION_WORDS:
            if index and _starts_upper(tokens[index - 1][1]) and index - 1 >= MIN_HEADLINE_WORDS:
                weak = index - 1
            continue
        # an ordinary lower-case word: the sentence began at the word before it, if that
        # starts with a capital letter; a headline does not end with a comma, so after one
        # the sentence began earlier, at the last capitalised word before a function word
        if index and _starts_upper(tokens[index - 1][1]) and index - 1 >= MIN_HEADLINE_WORDS:
            if weak is not None and tokens[index - 2][1].endswith(","):
                return tokens[weak][0]
            return tokens[index - 1][0]
        if weak is not None:
            return tokens[weak][0]
        return None
    return len(line) if len(tokens) >= MIN_HEADLINE_WORDS else None


def _bare(token: str) -> str:
    m = _WORD_CHARS.search(token)
    return m.group() if m else ""


def _starts_upper(token: str) -> bool:
    stripped = token.lstrip("\"'“‘([")
    return bool(stripped) and stripped[0].isupper()


def _is_capitalised(token: str) -> bool:
    """Starts (after quotes and brackets) with a capital letter or a digit."""
    stripped = token.lstrip("\"'“‘([")
    return bool(stripped) and (stripped[0].isupper() or stripped[0].isdigit())
