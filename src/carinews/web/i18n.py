"""The page's words in Bahasa Indonesia and English, and which one a browser gets.

Steps: `choose_language` reads `?lang=` (a shared link can force one) and then the
Accept-Language header (q-values honoured): English when the browser prefers it
to Indonesian, Indonesian otherwise. `MESSAGES[lang]` holds every string of the
templates; `format_date` writes a date in WIB the way each language does.
"""

from __future__ import annotations

from datetime import datetime

from carinews.ingest.dates import WIB

LANGUAGES = ("id", "en")
DEFAULT = "id"
_ALIASES = {"id": "id", "in": "id", "en": "en"}   # "in": the old code for Indonesian

MONTHS = {
    "id": ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}


def choose_language(accept_language: str | None, override: str | None = None) -> str:
    if override in LANGUAGES:
        return override
    best, best_q = DEFAULT, 0.0
    for part in (accept_language or "")[:500].split(","):
        tag, _, params = part.strip().partition(";")
        lang = _ALIASES.get(tag.strip().lower().split("-")[0])
        if lang is None:
            continue
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                continue
        if q > best_q or (q == best_q and lang == DEFAULT):
            best, best_q = lang, q
    return best


def format_date(date: datetime, lang: str, with_time: bool = True) -> str:
    """`14 Mar 2022 20.00 WIB` / `14 Mar 2022 20:00 WIB` (the date in WIB)."""
    local = date.astimezone(WIB)
    day = f"{local.day} {MONTHS[lang][local.month - 1]} {local.year}"
    if not with_time:
        return day
    sep = "." if lang == "id" else ":"
    return f"{day} {local.hour:02d}{sep}{local.minute:02d} WIB"


def format_count(n: int, lang: str) -> str:
    """12.345 (Indonesian) / 12,345 (English)."""
    text = f"{n:,}"
    return text.replace(",", ".") if lang == "id" else text


MESSAGES = {
    "id": {
        "title": "Cari berita",
        "search": "Cari",
        "query_label": "Kueri",
        "skip": "Lewati ke hasil",
        "help": "Cara menulis kueri",
        "help_intro": "Satu kotak untuk seluruh bahasa kueri. Contoh:",
        "help_rows": [
            ("korupsi dana desa", "semua kata, dalam bentuk apa pun (menyerang = serangan)"),
            ('"operasi tangkap tangan"', "frasa persis"),
            ("Jokowi ijazah -sekolah", "tanpa kata sekolah"),
            ("Peskov OR Zelensky", "salah satu kata (juga ATAU)"),
            ('nama:"Sri Mulyani"', "nama orang, tempat, lembaga"),
            ("sumber:kompas.com", "media"),
            ("Peskov tanggal:2022-03", "tanggal (WIB): hari, bulan, tahun"),
            ("banjir tanggal:>=2024-01", "rentang tanggal (juga 2022-03-01..2022-03-15)"),
            ("korup*", "awalan: korupsi, koruptor"),
            ("Peskof~", "ejaan mirip: Peskov"),
        ],
        "sort": "Urutan",
        "sort_relevance": "Paling relevan",
        "sort_newest": "Terbaru",
        "sort_oldest": "Terlama",
        "since": "Dari tanggal",
        "until": "Sampai tanggal",
        "explain": "Tampilkan tafsiran kueri",
        "results": "{total} artikel",
        "showing": "{start}–{end} dari {total} artikel",
        "took": "{ms} md",
        "none": "Tidak ada artikel yang cocok.",
        "relaxed": "Tidak ada artikel yang memuat semua kata; menampilkan artikel yang memuat salah satunya.",
        "note": "Catatan",
        "did_you_mean": "Maksud Anda",
        "undated": "tanpa tanggal",
        "inferred": "tanggal diperkirakan",
        "similar": "+{n} serupa",
        "similar_title": "Salinan di media lain",
        "names": "Nama",
        "sources": "Sumber",
        "sections": "Rubrik",
        "chart": "Liputan dari waktu ke waktu",
        "chart_bar": "{label}: {count} artikel",
        "interval_day": "per hari",
        "interval_week": "per minggu",
        "interval_month": "per bulan",
        "interval_year": "per tahun",
        "remove": "hapus",
        "prev": "« Sebelumnya",
        "next": "Berikutnya »",
        "page": "Halaman {page} dari {pages}",
        "pages": "Halaman hasil",
        "export": "Unduh semua hasil",
        "export_note": "paling banyak {max} artikel",
        "feed": "Umpan Atom (artikel terbaru)",
        "save": "Simpan pencarian ini",
        "saved": "Pencarian tersimpan",
        "saved_none": "Belum ada. Simpan pencarian dari halaman hasil.",
        "saved_nojs": "Pencarian tersimpan disimpan di peramban ini dan memerlukan JavaScript.",
        "delete": "hapus",
        "stats": "{articles} artikel dari {sources} media, {first} s.d. {last}",
        "bad_query": "Kueri tidak dapat dibaca: {message}",
        "too_deep": "Halaman terlalu jauh: paling banyak {max} hasil. Persempit pencarian.",
        "bad_request": "Permintaan tidak valid.",
        "not_found": "Artikel tidak ditemukan.",
        "back": "« Kembali ke hasil",
        "home": "Beranda",
        "original": "Buka artikel asli",
        "metadata": "Metadata",
        "field": "Kolom",
        "value": "Nilai",
        "origin": "Asal",
        "from_record": "rekaman sumber",
        "from_index": "diekstrak saat pengindeksan",
        "from_body": "dari teks berita",
        "computed": "dihitung",
        "matches": "{n} kecocokan disorot",
        "copies": "Salinan di media lain",
        "no_copies": "Tidak ada salinan di media lain.",
        "related": "Berita terkait",
        "no_related": "Tidak ada berita terkait.",
        "shares": "sama-sama menyebut",
        "api": "API JSON",
        "lang_switch": "English",
    },
    "en": {
        "title": "Search the news",
        "search": "Search",
        "query_label": "Query",
        "skip": "Skip to results",
        "help": "How to write a query",
        "help_intro": "One box for the whole query language. Examples:",
        "help_rows": [
            ("korupsi dana desa", "all the words, in any inflected form (menyerang = serangan)"),
            ('"operasi tangkap tangan"', "exact phrase"),
            ("Jokowi ijazah -sekolah", "without the word sekolah"),
            ("Peskov OR Zelensky", "either word (also ATAU)"),
            ('nama:"Sri Mulyani"', "names of people, places, organisations"),
            ("sumber:kompas.com", "outlet"),
            ("Peskov tanggal:2022-03", "dates (WIB): day, month, year"),
            ("banjir tanggal:>=2024-01", "date ranges (also 2022-03-01..2022-03-15)"),
            ("korup*", "prefix: korupsi, koruptor"),
            ("Peskof~", "similar spelling: Peskov"),
        ],
        "sort": "Order",
        "sort_relevance": "Most relevant",
        "sort_newest": "Newest",
        "sort_oldest": "Oldest",
        "since": "From",
        "until": "To",
        "explain": "Show how the query was read",
        "results": "{total} articles",
        "showing": "{start}–{end} of {total} articles",
        "took": "{ms} ms",
        "none": "No matching articles.",
        "relaxed": "No article has all the words; showing articles with any of them.",
        "note": "Note",
        "did_you_mean": "Did you mean",
        "undated": "undated",
        "inferred": "date inferred",
        "similar": "+{n} similar",
        "similar_title": "Copies in other outlets",
        "names": "Names",
        "sources": "Outlets",
        "sections": "Sections",
        "chart": "Coverage over time",
        "chart_bar": "{label}: {count} articles",
        "interval_day": "per day",
        "interval_week": "per week",
        "interval_month": "per month",
        "interval_year": "per year",
        "remove": "remove",
        "prev": "« Previous",
        "next": "Next »",
        "page": "Page {page} of {pages}",
        "pages": "Result pages",
        "export": "Download all matches",
        "export_note": "at most {max} articles",
        "feed": "Atom feed (newest articles)",
        "save": "Save this search",
        "saved": "Saved searches",
        "saved_none": "None yet. Save a search from its results page.",
        "saved_nojs": "Saved searches are kept in this browser and need JavaScript.",
        "delete": "delete",
        "stats": "{articles} articles from {sources} outlets, {first} to {last}",
        "bad_query": "The query cannot be read: {message}",
        "too_deep": "Page too far: at most {max} results. Narrow the search.",
        "bad_request": "Invalid request.",
        "not_found": "Article not found.",
        "back": "« Back to results",
        "home": "Home",
        "original": "Open the original article",
        "metadata": "Metadata",
        "field": "Field",
        "value": "Value",
        "origin": "From",
        "from_record": "source record",
        "from_index": "extracted at indexing",
        "from_body": "from the article text",
        "computed": "computed",
        "matches": "{n} matches highlighted",
        "copies": "Copies in other outlets",
        "no_copies": "No copies in other outlets.",
        "related": "Related articles",
        "no_related": "No related articles.",
        "shares": "shares",
        "api": "JSON API",
        "lang_switch": "Bahasa Indonesia",
    },
}
