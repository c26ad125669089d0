"""Proper-name extraction (people, places, organisations) at index time.

Steps, in file order:

1. `scan_tokens`: a regex pass (see `_CAP_RE`) gives word tokens with `str`
   offsets, whether each is capitalised, and whether a sentence (or a quote, or
   a line) starts before it.
2. `find_runs`: consecutive capitalised tokens joined only by spaces (or by a
   name connector such as "bin", "van", "de") form a run. Lines set in Title
   Case ("Baca juga: Roket Rusia Hantam ...", headlines) are marked.
3. `filter_runs`: a token that is capitalised only because of its position
   (sentence start, Title Case line) must be corroborated by a mid-sentence
   capitalised use elsewhere in the text; stop words (days, months, "Baca",
   "WIB") cut a run.
4. `split_run`: titles ("Presiden", "Juru", "Pak") and the role words after
   them are stripped from the front; a leading place or acronym is split off
   a following person ("Kremlin Dmitry Peskov" -> "Kremlin", "Dmitry Peskov").
   Organisation names keep their head ("Kementerian Luar Negeri").
5. `top_names`: count names, folding a shorter name into the longer one that
   contains it ("Peskov" -> "Dmitry Peskov").

Common-word knowledge comes from Sastrawi's root-word list (a word, or its
Sastrawi stem, being a dictionary root means "probably not a name").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Callable, Iterable, NamedTuple


class NameSpan(NamedTuple):
    """A proper name as written: `text == source[start:end]`."""

    text: str
    start: int
    end: int


@dataclass(slots=True)
class _Token:
    text: str
    start: int
    end: int
    cap: bool        # starts with an upper-case letter (or is an acronym)
    initial: bool    # first word of a sentence, quote or line
    gap: str         # the characters between the previous token and this one
    titlecase: bool = False  # on a headline-like line (Title Case or ALL CAPS)
    shout: bool = False      # on a line set in ALL CAPS


# ---------------------------------------------------------------------------
# word lists

def _words(s: str) -> frozenset[str]:
    return frozenset(s.split())


# Capitalised words that are not names (or not on their own).
STOP_WORDS = _words("""
Senin Selasa Rabu Kamis Jumat Jum'at Sabtu Minggu Ahad
Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember
Jan Feb Mar Apr Jun Jul Agu Agt Ags Sep Okt Nov Des
Baca Juga Lihat Simak Tonton Klik Foto Video Editor Penulis Reporter Sumber Laporan Wartawan
Breaking News Berita Terkini Terpopuler Advertisement Scroll Iklan Halaman Selengkapnya
Rp WIB WITA WIT TV HP SMS BBM PNS ASN PDB GDP PPN PPh USD IDR UU PP RT RW KTP NIK SIM
OTT APBN APBD LPG CCTV COVID Covid PSBB PPKM BLT SD SMP SMA SMK AM PM OK WNI WNA
Tuhan Allah SWT SAW Ramadan Ramadhan Lebaran Idul Fitri Natal Imlek
Pukul Tahun Bulan Hari Minggu Ya Tidak Tapi Namun Kami Kita Saya Anda Dia Ia Mereka
SCROLL TO CONTINUE WITH CONTENT ADVERTISEMENT Gambas Dok
GB MB KB TB GHz MHz RAM OS HD LED ABS AVOD US SDA SDM GPS USB PIN LCD
""")

# Titles and generic heads stripped from the front of a person (or place) name.
TITLES = _words("""
Presiden Wapres Wakil Menteri Menko Wamen Mendagri Menlu Menkeu Menhan Mensos Menkes
Juru Bicara Jubir Pak Bu Bapak Ibu Mbak Mas Bang Kak Om Tante Cak Ning Bung Saudara Saudari
Tuan Nyonya Nona Sang Mantan Eks Almarhum Almarhumah Alm Kepala Ketua Ketum Wakil Sekretaris Sekjen
Direktur Dirut Direktorat Utama Gubernur Wagub Bupati Wabup Wali Walikota Wawali Camat Lurah Kades
Kapolri Wakapolri Kapolda Wakapolda Kapolres Kapolsek Kasat Kanit Kabid Kasubdit Kadis Kabag
Kapuspen Kadiv Karo Kajari Kajati Jaksa Agung Hakim Panitera Pengacara Kuasa Advokat
Panglima Komandan Kolonel Jenderal Letjen Mayjen Brigjen Letnan Kapten Mayor Sersan Kopral
Irjen Komjen Kombes AKBP AKP Kompol Iptu Ipda Aiptu Bripka Brigadir Laksamana Marsekal
Dr Prof Ir Drs Dra Hj KH Haji Hajjah Ustaz Ustadz Kiai Kyai Habib Syekh Pendeta Romo Paus Imam
Raja Ratu Pangeran Putri Kaisar Perdana Kanselir Dubes Duta Senator Anggota Penasihat Staf
Pelatih Kapten Manajer Pemain Striker Gelandang Bek Kiper Penyerang Pebulu Petenis Pebalap
Pengamat Ekonom Peneliti Analis Dosen Guru Rektor Dekan Pakar Ahli Aktivis Tersangka Terdakwa
Pemerintah Pemimpin Pimpinan Pejabat Warga Rakyat Bangsa Negara Koordinator Plt Pj Pjs Kabareskrim
CEO Founder Co-founder Chairman Sekda Sekdes Pimpinan Kabag Kasi Kasie Kasubag Komisaris
Dirjen Irjen Inspektur Jenderal Menpora Mendikbud Mendag Mentan Menperin Menaker Menag Menkumham
Menpan Menparekraf Mendes Menhub Menko Polhukam Menkopolhukam Menkomarves
Co Pendiri Dato Datuk Tun Tan Pangkostrad Pangdam Danrem Dandim Kasad Kasal Kasau Ketum
""")

# Lower-case words allowed inside a name, between two capitalised words.
_CONNECTORS_STRICT = _words("bin binti van von der den de da del della al el ibn")

# Heads of organisation names: a run starting with one keeps its role words and
# may continue across "dan" ("Kementerian Pendidikan dan Kebudayaan").
ORG_HEADS = _words("""
Kementerian Kementrian Kemenko Badan Komisi Dewan Majelis Lembaga Dinas Direktorat Biro Bagian
Pusat Balai Kantor Yayasan Ikatan Asosiasi Himpunan Persatuan Perkumpulan Gabungan Federasi
Universitas Institut Sekolah Akademi Politeknik Fakultas Partai Mahkamah Pengadilan Kejaksaan
Kepolisian Polda Polres Polsek Kodam Korem Kodim Pemprov Pemkot Pemkab Perusahaan Bank Rumah
Gerakan Front Koalisi Serikat Forum Perhimpunan Kamar Otoritas Satuan Tim Panitia Pasukan
Kabinet Komite Divisi Masjid Gereja Stadion Gedung Lapangan Sirkuit Pengurus Persatuan Timnas Klub
""")

# Role words that may follow a title before the person's name ("Menteri [Luar Negeri] Retno").
ROLE_WORDS = _words("""
Luar Dalam Negeri Umum Besar Utama Muda Madya Bidang Koordinator Bicara Pusat Daerah Jenderal
Tinggi Agung Negara Sosial Agama Hukum HAM Politik Kota Desa Provinsi Kabupaten Wilayah Harian
Eksekutif Operasional Pelaksana Tugas Divisi Humas Bagian Biro Dinas Badan Komisi Direktorat
Pariwisata Perindustrian Pertanian Energi Sumber Daya Mineral Lingkungan Hidup Riset Teknologi
Informatika Digital Maritim Investasi Koperasi UKM Pemuda Olahraga Tata Ruang Agraria Transmigrasi
Dewan Komisioner Staf Khusus Ahli Senior Regional Nasional Internasional Operasi Polisi
Otonomi Bina Jaksa Kepolisian Militer Angkatan Darat Laut Udara
""")

# Places, so that "Presiden Rusia Vladimir Putin" splits into "Rusia" + "Vladimir Putin".
PLACES = frozenset(line.strip() for line in """
Indonesia|Malaysia|Singapura|Brunei|Thailand|Filipina|Vietnam|Kamboja|Laos|Myanmar|Timor Leste
China|Tiongkok|Cina|Jepang|Korea|Korea Selatan|Korea Utara|Taiwan|Hong Kong|Mongolia|India
Pakistan|Bangladesh|Sri Lanka|Nepal|Afghanistan|Iran|Irak|Suriah|Lebanon|Yordania|Israel
Palestina|Gaza|Tepi Barat|Arab Saudi|Saudi|Yaman|Oman|Qatar|Kuwait|Bahrain|Uni Emirat Arab|UEA
Turki|Mesir|Libya|Tunisia|Aljazair|Maroko|Sudan|Ethiopia|Kenya|Nigeria|Afrika Selatan|Somalia
Rusia|Ukraina|Belarusia|Polandia|Jerman|Prancis|Perancis|Inggris|Britania Raya|Irlandia|Skotlandia
Spanyol|Portugal|Italia|Belanda|Belgia|Swiss|Austria|Swedia|Norwegia|Finlandia|Denmark|Yunani
Hungaria|Ceko|Rumania|Bulgaria|Serbia|Kroasia|Georgia|Armenia|Azerbaijan|Kazakhstan|Uzbekistan
Amerika|Amerika Serikat|AS|Kanada|Meksiko|Brasil|Argentina|Chile|Kolombia|Venezuela|Peru|Kuba
Australia|Selandia Baru|Papua Nugini|Fiji|Eropa|Asia|Afrika|Timur Tengah|Asia Tenggara|Uni Eropa
Kremlin|Gedung Putih|Pentagon|Vatikan|Washington|Moskow|Beijing|Tokyo|London|Paris|Kiev|Kyiv
Jakarta|Bandung|Surabaya|Semarang|Yogyakarta|Medan|Makassar|Palembang|Denpasar|Bali|Aceh|Papua
Jawa|Jawa Barat|Jawa Tengah|Jawa Timur|Sumatera|Sumatra|Sumatera Utara|Sumatera Barat
Sumatera Selatan|Kalimantan|Sulawesi|Maluku|Nusa Tenggara|NTT|NTB|Riau|Jambi|Bengkulu|Lampung
Banten|Gorontalo|Sulawesi Selatan|Sulawesi Utara|Kalimantan Timur|Kalimantan Barat|DKI|DKI Jakarta
DIY|Bogor|Depok|Tangerang|Bekasi|Malang|Solo|Surakarta|Batam|Pekanbaru|Padang|Manado|Kupang
Balikpapan|Samarinda|Pontianak|Banjarmasin|Mataram|Jayapura|Ambon|Cirebon|Tasikmalaya|Sukabumi
Istana|Senayan|Monas|Nusantara|IKN|RI|NKRI
""".replace("|", "\n").splitlines() if line.strip())
_PLACE_MAX = max(len(p.split()) for p in PLACES)
_PLACE_FIRST_WORDS = frozenset(p.split()[0] for p in PLACES)
# Titles that are not also organisation heads ("Direktorat", "Pimpinan" are both).
_BARE_TITLES = TITLES - ORG_HEADS

# Acronym-shaped words that are not organisations, beyond STOP_WORDS.
_ACRONYM_RE = re.compile(r"[A-Z][A-Z0-9&]{1,5}(?:-[A-Z0-9]{1,4})?$")
# Single-word organisation short forms that behave like acronyms ("Kemendagri Sumarsono").
_ORG_WORD_RE = re.compile(r"(?:Kemen[a-z]\w+|Kemlu|Kejagung|Kejati|Kejari|Polri|Polda|Polres\w*|Polsek\w*"
                          r"|Pemprov|Pemkot|Pemkab|Bareskrim|Bappenas|Bawaslu|Basarnas|Kodam|Kostrad|Kopassus)$")
# Capitalised tokens that are numbers or codes, not names ("U-23", "Rp2").
_NOT_NAME_RE = re.compile(r"(?:Rp|US|U-?|No)\d|\d")
# Outlet names used as datelines ("Merdeka.com -", "TRIBUNNEWSBOGOR.COM -").
_DOMAIN_RE = re.compile(r".+\.(?:com|co|net|id|org|tv|co\.id)$", re.IGNORECASE)


# ---------------------------------------------------------------------------
# dictionary ("is this an ordinary Indonesian word?")

@lru_cache(maxsize=1)
def _roots() -> frozenset[str]:
    try:
        text = (resources.files("Sastrawi") / "Stemmer" / "data" / "kata-dasar.txt").read_text("utf-8")
    except (OSError, ModuleNotFoundError):  # pragma: no cover - Sastrawi is a dependency
        return frozenset()
    return frozenset(text.split())      # split() drops the whitespace and empty entries


def _stemmer():
    """Bare Sastrawi (no overrides, no name lexicon: this asks whether a word is an affixed
    form of a dictionary root), sharing the analysis module's loaded instance."""
    from carinews.analysis.stem import algorithm

    return algorithm("sastrawi")


@lru_cache(maxsize=65536)
def is_common_word(word: str) -> bool:
    """True if `word` (any case) is a Sastrawi root or an affixed form of one."""
    w = word.lower()
    roots = _roots()
    if w in roots:
        return True
    if len(w) < 5 or not w.isalpha():
        return False
    stem = _stemmer()(w)
    return stem != w and stem in roots


def is_acronym(word: str) -> bool:
    return bool(_ACRONYM_RE.match(word)) and word not in STOP_WORDS


def is_org_word(word: str) -> bool:
    """An acronym (KPK) or a one-word short form (Kemendagri, Polda)."""
    return is_acronym(word) or bool(_ORG_WORD_RE.match(word))


def is_role_word(word: str) -> bool:
    """A word that describes a post rather than naming a person (Luar, Negeri, Keuangan)."""
    if word in ROLE_WORDS:
        return True
    w = word.lower()
    if len(w) < 7 or not w.isalpha() or w in _roots():
        return False
    return is_common_word(word)  # an affixed form: Keuangan, Pertahanan, Perekonomian


# ---------------------------------------------------------------------------
# 1. tokens (only the capitalised ones: most words are lower case and never looked at)

# The words looked at are those of the single regex
#   (?<![\w'’.\-])(?:[^\W\d_a-z]\w*|[a-z]\w*?[A-Z]\w*|(?:al|el|as|ad|an|ar|at|az)-[A-Z]\w*)(?:[.'’\-]\w+)*
# a capitalised word, a word with a capital glued on ("kePersebaya"), or "al-Baghdadi";
# its matches never overlap, as none can start inside or just after another. That regex
# tries every position of the text; it is split in two so that most positions are skipped:
# _CAP_RE starts with a capital (its look-behind put after that letter, so the regex engine
# can skip to the next capital), and _GLUED_RE is tried only at the start of a word with a
# capital A-Z inside it after a letter or digit, or after a hyphen (_GLUE_HINT_RE).
_CAP_RE = re.compile(r"[^\W\d_a-z](?<![\w'’.\-][^\W\d_a-z])\w*(?:[.'’\-]\w+)*")
_GLUED_RE = re.compile(r"(?<![\w'’.\-])(?:[a-z][^\WA-Z]*+[A-Z]\w*|(?:al|el|as|ad|an|ar|at|az)-[A-Z]\w*)"
                       r"(?:[.'’\-]\w+)*")
_GLUE_HINT_RE = re.compile(r"[A-Z](?<=[^\WA-Z][A-Z]|-[A-Z])")
_WORD_RE = re.compile(r"\w+(?:[.'’\-]\w+)*")
_LINE_RE = re.compile(r"[^\n]+")
_ASCII_LOWER_RE = re.compile(r"[a-z]")
_SENTENCE_END_CHARS = frozenset(".!?…:;\n\"“”‘([")
_DASHES = frozenset("-–—")
# Words glued to a name where a link was stripped: "kePersebaya", "RencananyaJorge", "Hamzahmenyampaikan".
_GLUED_HEAD_RE = re.compile(r"([a-z]\w*?[a-z])([A-Z][a-z]\w*)$")
_GLUED_TAIL_WORDS = _words("""
yang dan untuk akan belum usai akhir dalam dengan pada dari sebagai bahwa karena tetapi namun
juga sudah telah masih bisa kini saat ketika setelah sebelum tersebut menjadi sejak hingga atau
""")
_INITIAL_ABBREVS = frozenset("A B C D E F G H I J K L M N O P Q R S T U V W X Y Z Dr Prof Ir Drs St Jl Moh Muh".split())
_HEADLINE_MAX_CHARS = 250


def _is_cap(word: str) -> bool:
    if word[0].isupper():
        # ALL-CAPS words longer than an acronym are shouting (KOMENTAR, MOSKOW), not names;
        # _NOT_NAME_RE can match a capitalised word only at "Rp", "US", "U" or "No"
        return (not (len(word) > 6 and word.isupper() and word.isalpha())
                and not (word[0] in "RUN" and _NOT_NAME_RE.match(word)))
    return bool(_PREFIXED_RE.match(word))


_PREFIXED_RE = re.compile(r"(?:al|el|as|ad|an|ar|at|az)-[A-Z]")


def _unglue(word: str, start: int) -> tuple[str, int]:
    """Cut a lower-case word glued to the front or back of a name; returns (word, start)."""
    if word[0].islower():
        if _PREFIXED_RE.match(word):
            return word, start
        m = _GLUED_HEAD_RE.match(word)
        if m and (m.group(1) in _GLUED_TAIL_WORDS or m.group(1) in ("ke", "di") or is_common_word(m.group(1))):
            return m.group(2), start + m.start(2)
        if word[:2] in ("ke", "di") and len(word) > 3 and word[2].isupper():
            return word[2:], start + 2
        return "", start
    if word.isalpha() and not word.isupper() and len(word) > 7 and not is_common_word(word):
        # "Hamzahmenyampaikan" -> "Hamzah": a common word glued at the end
        lower = word.lower()
        for cut in range(3, len(word) - 3):
            tail = lower[cut:]
            if word[cut].islower() and (tail in _GLUED_TAIL_WORDS or (
                    len(tail) >= 7 and tail[:2] in ("me", "di", "be", "te") and is_common_word(tail))):
                return word[:cut], start
    return word, start


def _is_initial(text: str, start: int) -> bool:
    """Is the word at `start` the first of a sentence, quote, bracket, line or dateline?"""
    j = start - 1
    while j >= 0 and text[j] in " \t\r\xa0":
        j -= 1
    if j < 0:
        return True
    c = text[j]
    if c in _DASHES:
        return j == 0 or text[j - 1].isspace()  # "MOSKOW - Pemerintah"
    if c not in _SENTENCE_END_CHARS:
        return False
    if c == "." and j == start - 2:
        # "M. Choirul", "Dr. Ahmad": an initial or abbreviation does not end a sentence
        k = j
        while k > 0 and text[k - 1].isalpha():
            k -= 1
        return text[k:j] not in _INITIAL_ABBREVS
    return True


# A character that, just before a space and a capitalised word, does not make that word
# sentence-initial (see _is_initial): the common case, decided without the call.
_NOT_INITIAL_BEFORE_SPACE = frozenset(" \t\r\xa0") | _SENTENCE_END_CHARS | _DASHES


def _cap_words(text: str) -> list[tuple[int, str]]:
    """(start, word) of the capitalised and glued words, in order (see _CAP_RE)."""
    words = [(m.start(), m.group()) for m in _CAP_RE.finditer(text)]
    tried: set[int] = set()
    glued = []
    for hint in _GLUE_HINT_RE.finditer(text):
        start = hint.start() - 1  # the letter or digit before the capital, or the hyphen
        if text[start] == "-":
            start -= 1
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):  # \w
            start -= 1  # back to the start of the word
        if start >= 0 and start not in tried:
            tried.add(start)
            m = _GLUED_RE.match(text, start)  # the look-behind sees text before `start`
            if m:
                glued.append((start, m.group()))
    return sorted(words + glued) if glued else words


def scan_tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    prev_end = 0
    for start, word in _cap_words(text):
        if (not word[0].isupper()) or (len(word) > 7 and word.isalpha()):
            word, start = _unglue(word, start)
            if not word:
                continue
        if not _is_cap(word):
            continue
        if start >= 2 and text[start - 1] == " " and text[start - 2] not in _NOT_INITIAL_BEFORE_SPACE:
            initial = False  # "... kata Retno": a word and a space before it
        else:
            initial = _is_initial(text, start)
        end = start + len(word)
        tokens.append(_Token(word, start, end, True, initial, text[prev_end:start]))
        prev_end = end
    _mark_headlines(text, tokens)
    return tokens


def _mark_headlines(text: str, tokens: list[_Token]) -> None:
    """Mark tokens on headline-like lines: nearly every word capitalised and several of them
    ordinary words, no full stop at the end ("Roket Rusia Hantam Menara TV Antopol"), or the
    whole line in capitals."""
    k, n = 0, len(tokens)
    for m in _LINE_RE.finditer(text):
        start, end = m.span()
        while k < n and tokens[k].start < start:
            k += 1
        if k >= n:
            return
        if tokens[k].start >= end or end - start > _HEADLINE_MAX_CHARS:
            continue
        line = m.group()
        sentence = line.rstrip().endswith((".", '."', ".”", ",”", ',"'))
        if sentence and _ASCII_LOWER_RE.search(line):
            # most short lines: a sentence, which counts only in capitals, and a word with
            # a lower-case letter (every letter is in a word) is not in capitals
            continue
        words = [w for w in _WORD_RE.findall(line) if not w.isdigit()]
        if len(words) < 2:
            continue
        shout = all(w.isupper() for w in words)
        # the dictionary look-ups (which may stem a new word) last
        if shout or (not sentence and len(words) >= 3 and _is_headline(words)):
            while k < n and tokens[k].start < end:
                tokens[k].titlecase = True
                tokens[k].shout = shout
                k += 1


def _is_headline(words: list[str]) -> bool:
    """Title Case: at least 60% of the words capitalised, two of them ordinary words."""
    caps = [w for w in words if w[0].isupper()]
    if len(caps) / len(words) < 0.6:
        return False
    ordinary = 0
    for w in caps:
        if w not in PLACES and is_common_word(w):
            ordinary += 1
            if ordinary == 2:
                return True
    return False


# ---------------------------------------------------------------------------
# 2. runs

def find_runs(tokens: list[_Token]) -> list[list[_Token]]:
    """Group capitalised tokens that follow each other with only a space, an initial's
    dot, or a name connector ("bin", "van", "dan" inside an organisation) between them."""
    runs: list[list[_Token]] = []
    run: list[_Token] = []
    for tok in tokens:
        if run and tok.gap != " " and not _joins(tok.gap, run, tok):  # " " (most gaps) joins
            runs.append(run)
            run = []
        run.append(tok)
    if run:
        runs.append(run)
    return runs


def _joins(gap: str, run: list[_Token], nxt: _Token) -> bool:
    if gap == " ":
        return True
    if gap == ". ":
        return run[-1].text in _INITIAL_ABBREVS
    if not gap.startswith(" ") or not gap.endswith(" ") or "\n" in gap:
        return not gap.strip() and "\n" not in gap and gap != ""
    word = gap.strip()
    if word in _CONNECTORS_STRICT:
        return True
    return (word == "dan" and run[0].text in ORG_HEADS and is_common_word(nxt.text)
            and nxt.text not in TITLES and nxt.text not in ORG_HEADS)


# ---------------------------------------------------------------------------
# 3. filtering by position, corroboration and stop words

def _corroborated(tokens: list[_Token]) -> set[str]:
    """Words seen capitalised away from a sentence start and outside headline lines."""
    return {t.text for t in tokens if t.cap and not t.initial and not t.titlecase}


def filter_runs(runs: list[list[_Token]], seen: set[str]) -> list[list[_Token]]:
    out: list[list[_Token]] = []
    for run in runs:
        piece: list[_Token] = []
        for k, tok in enumerate(run):
            # _keep keeps every mid-sentence, non-headline word that is no stop word: ask
            # only about the others
            if (tok.initial or tok.titlecase or tok.text in STOP_WORDS) and not _keep(tok, k, run, seen):
                if piece:
                    out.append(piece)
                piece = []
                continue
            piece.append(tok)
        if piece:
            out.append(piece)
    return out


def _keep(tok: _Token, k: int, run: list[_Token], seen: set[str]) -> bool:
    word = tok.text
    if word in STOP_WORDS:
        return False
    if tok.titlecase:
        return word in seen or (is_acronym(word) and not tok.shout)
    if tok.initial and k == 0 and word not in seen:
        # sentence-initial: names that are names anywhere, or a non-word followed by a capital
        if word in PLACES or is_org_word(word) or _DOMAIN_RE.match(word):
            return True
        followed = len(run) > 1 and run[1].cap
        return followed and (word in TITLES or word in ORG_HEADS or not is_common_word(word))
    return True


# ---------------------------------------------------------------------------
# 4. splitting a run into names

def _place_len(run: list[_Token], i: int) -> int:
    """Length of the longest place name starting at run[i] (0 if none)."""
    if run[i].text not in _PLACE_FIRST_WORDS:
        return 0  # most words start no place: no joins to look up
    for size in range(min(_PLACE_MAX, len(run) - i), 0, -1):
        if " ".join(t.text for t in run[i:i + size]) in PLACES:
            return size
    return 0


def _personlike(run: list[_Token]) -> bool:
    """Has a word that is neither a dictionary word, a place nor an acronym, and no org head."""
    if not run or run[0].text in ORG_HEADS or run[0].text in TITLES:
        return bool(run) and run[0].text in TITLES
    return any(not is_common_word(t.text) and t.text not in PLACES and not is_org_word(t.text)
               for t in run)


def split_run(run: list[_Token]) -> list[list[_Token]]:
    if len(run) == 1:
        # most runs are one word, which the loop below drops if it is a title and else
        # keeps whole (a place or organisation splits off only before another word)
        return [] if run[0].text in _BARE_TITLES else [run]
    names: list[list[_Token]] = []
    i, n = 0, len(run)
    titled = False
    while i < n:
        word = run[i].text
        rest = n - i
        if word in _BARE_TITLES:
            titled = True
            i += 1
            continue
        size = _place_len(run, i)
        if size and size < rest and (titled or _personlike(run[i + size:])):
            names.append(run[i:i + size])
            i += size
            continue
        if rest > 1 and is_org_word(word) and (titled or _personlike(run[i + 1:])):
            names.append(run[i:i + 1])
            i += 1
            continue
        if titled and rest > 1 and is_role_word(word):
            i += 1  # role words after a title: "Menteri [Luar Negeri] Retno Marsudi"
            continue
        break
    tail = run[i:]
    if tail and not (titled and tail[0].text not in ORG_HEADS and all(is_role_word(t.text) or is_common_word(t.text) for t in tail if t.cap)
                     and not any(t.text in PLACES or is_org_word(t.text) for t in tail)):
        names.append(tail)
    return names


def _is_ordinary(name: list[_Token], in_lower_case: Callable[[str], bool], counts: Counter) -> bool:
    """A capitalised phrase of ordinary words ("Kartu Kredit", "Pasal"), not a name: each
    word is a dictionary word and one of them also appears in lower case, or it is one
    such word seen only once."""
    caps = [t.text for t in name]
    if caps[0] in ORG_HEADS:
        return False
    for w in caps:  # a loop, not any(): most names are one word, and most stop at it
        # (the memoised dictionary test first: most name words are not dictionary words)
        if not is_common_word(w) or w in PLACES or is_org_word(w):
            return False
    if any(in_lower_case(w.lower()) for w in caps):
        return True
    return len(caps) == 1 and counts[caps[0]] < 2


# ---------------------------------------------------------------------------
# public API

def extract_names(text: str) -> list[NameSpan]:
    """Proper names in `text`, in order, as spans of the original string."""
    tokens = scan_tokens(text)
    runs = filter_runs(find_runs(tokens), _corroborated(tokens))
    names = [name for run in runs for name in split_run(run)]
    counts = Counter(name[0].text for name in names if len(name) == 1)
    seen_lower: dict[str, bool] = {}

    def in_lower_case(word: str) -> bool:
        if word not in seen_lower:
            seen_lower[word] = _has_lower_word(text, word)
        return seen_lower[word]

    spans: list[NameSpan] = []
    for name in names:
        if _is_ordinary(name, in_lower_case, counts) or _is_numeral_or_initial(name):
            continue
        start, end = name[0].start, name[-1].end
        spans.append(NameSpan(text[start:end], start, end))
    return spans


def _has_lower_word(text: str, word: str) -> bool:
    r"""Is `word` in `text` as a whole word of the letters a-z (the words that
    `(?<!\w)[a-z]+(?!\w)` finds)? An article asks about a handful of words: finding
    them is cheaper than collecting every lower-case word of the text."""
    if not (word.isascii() and word.isalpha() and word.islower()):
        return False
    size, i = len(word), text.find(word)
    while i >= 0:
        j = i + size
        # a word character, as `\w` has it, is alphanumeric or "_"
        if (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")) and \
                (j == len(text) or not (text[j].isalnum() or text[j] == "_")):
            return True
        i = text.find(word, i + 1)
    return False


# "Komisi II", "kuartal III", "M Prasetyo" split badly: a lone Roman numeral or a single
# letter is never a name on its own.
_NUMERAL_OR_INITIAL = re.compile(r"(?:[IVXLC]+|[A-Z])\.?$")


def _is_numeral_or_initial(name) -> bool:
    return len(name) == 1 and bool(_NUMERAL_OR_INITIAL.match(name[0].text))


def _normalise(name: str) -> str:
    return " ".join(name.split())


def top_names(spans: Iterable[NameSpan | str], n: int | None = 10) -> list[str]:
    """The `n` most frequent names (all if `n` is None); a short person name that is the
    first or last part of a longer one found in the same spans counts for the longer one
    ("Peskov" -> "Dmitry Peskov")."""
    # plain dicts rather than Counters: a Counter's missing key costs a Python-level call
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for k, span in enumerate(spans):
        name = _normalise(span if isinstance(span, str) else span.text)
        if name in counts:
            counts[name] += 1
        elif name:
            counts[name] = 1
            first[name] = k
    words = {name: name.split() for name in counts}  # split once, asked for thrice
    merged: dict[str, int] = {}
    ends: dict[tuple[str, ...], list[str]] = {}     # first/last 1-2 words -> longer names
    for name in sorted(counts, key=lambda s: -len(words[s])):
        target = _fold_target(name, words, merged, ends)
        if target:
            merged[target] += counts[name]
            first[target] = min(first[target], first[name])
        else:
            merged[name] = counts[name]  # each name comes once; a target came before
            _index_ends(name, words[name], ends)
    order = sorted(merged, key=lambda s: (-merged[s], first[s]))
    return order if n is None else order[:n]


def _fold_target(name: str, words: dict[str, list[str]], longer: dict[str, int], ends: dict) -> str | None:
    """The most frequent longer name (first found on a tie) that starts or ends with
    `name`, for a short person name; `ends` indexes the longer names by their ends, so
    an article's names are not compared pairwise; `words` holds each name's words."""
    own = words[name]
    if len(own) > 2 or any(w in PLACES or w in ORG_HEADS or is_org_word(w) for w in own) \
            or name in PLACES:
        return None
    best = None
    for cand in ends.get(tuple(own), ()):
        if len(words[cand]) > len(own) and (best is None or longer[cand] > longer[best]):
            best = cand
    return best


def _index_ends(name: str, words: list[str], ends: dict) -> None:
    """File a name that others may fold into under its first and last one and two words."""
    if words[0] in ORG_HEADS or any(w in PLACES for w in words):
        return
    if len(words) == 1:
        keys = {tuple(words)}  # most names: all four ends are the word itself
    else:
        keys = {tuple(words[:1]), tuple(words[-1:]), tuple(words[:2]), tuple(words[-2:])}
    for key in keys:
        ends.setdefault(key, []).append(name)
