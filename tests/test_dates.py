"""dates.py: every format seen in the shared corpora -> exact ISO strings."""

import pytest

from carinews.ingest.dates import (MONTHS, WIB, combine_date_time, find_date_in_url, find_dates_in_text, parse_date,
                            parse_partial_date)
from carinews.errors import DateParseError

FULL = [
    ("Selasa (15/3/2022)", "2022-03-15T00:00:00+07:00"),
    ("Diperbarui 18 Jun 2025, 14:05 WIB", "2025-06-18T14:05:00+07:00"),
    ("Kompas.com - 10/06/2025, 21:23 WIB", "2025-06-10T21:23:00+07:00"),
    ("Kompas.com- Diperbarui 19/06/2025, 10:19 WIB", "2025-06-19T10:19:00+07:00"),
    ("Tayang: Selasa, 10 Juni 2025 08:52 WIB", "2025-06-10T08:52:00+07:00"),
    ("Tayang: Senin, 9 Juni 2025 16:35 WITA", "2025-06-09T16:35:00+08:00"),
    ("Tayang: Minggu, 8 Juni 2025 18:45 WIT", "2025-06-08T18:45:00+09:00"),
    ("06 Jun 2025", "2025-06-06T00:00:00+07:00"),
    ("18 Juni 2025 | 20.04 WIB", "2025-06-18T20:04:00+07:00"),
    ("Rabu, 18 Jun 2025 07:30 WIB", "2025-06-18T07:30:00+07:00"),
    ("Sabtu, 24 Mei  2025 16:40 WIB", "2025-05-24T16:40:00+07:00"),
    (",\xa0Jurnalis-Jum'at, 13 Juni 2025 |19:04 WIB", "2025-06-13T19:04:00+07:00"),
    ("03 Desember 2007 |00:07 WIB", "2007-12-03T00:07:00+07:00"),
    ("Rabu, 07 Juni 2023 - 19:08 WIB", "2023-06-07T19:08:00+07:00"),
    ("Rabu   18 Jun 2025  22:02 WIB", "2025-06-18T22:02:00+07:00"),
    ("Senin, 2 Juni 2025-  14:22 WIB", "2025-06-02T14:22:00+07:00"),
    ("Senin, 9 Jun 2025 - 10:01 WIB_x0000_", "2025-06-09T10:01:00+07:00"),
    ("10 Juni 2025 - 08:15 WIB", "2025-06-10T08:15:00+07:00"),
    ("30 Des 2015", "2015-12-30T00:00:00+07:00"),
    ("2025-06-18T14:05:00+07:00", "2025-06-18T14:05:00+07:00"),
    ("2015-05-08T14:10:54+07:00", "2015-05-08T14:10:54+07:00"),
    ("2015-12-30", "2015-12-30T00:00:00+07:00"),
    ("2025-06-18T07:05:00Z", "2025-06-18T07:05:00+00:00"),
    ("15 Mrt 2022", "2022-03-15T00:00:00+07:00"),
    ("17 Agt 1945", "1945-08-17T00:00:00+07:00"),
    ("1 Agu 2020", "2020-08-01T00:00:00+07:00"),
    ("3 Nop 2019", "2019-11-03T00:00:00+07:00"),
    ("24 Des 2024", "2024-12-24T00:00:00+07:00"),
    ("June 10, 2025", "2025-06-10T00:00:00+07:00"),
    ("10/21/2025 20:43", "2025-10-21T20:43:00+07:00"),   # detik_summ raw_date, month first (21 > 12)
    ("15/3/2022", "2022-03-15T00:00:00+07:00"),
]


@pytest.mark.parametrize("text, iso", FULL)
def test_parse_date(text, iso):
    assert parse_date(text).isoformat() == iso


PARTIAL = [
    ("2022", "2022-01-01T00:00:00+07:00", "year"),
    ("Maret 2022", "2022-03-01T00:00:00+07:00", "month"),
    ("2022-03", "2022-03-01T00:00:00+07:00", "month"),
    ("3/2022", "2022-03-01T00:00:00+07:00", "month"),
    ("15 Maret 2022", "2022-03-15T00:00:00+07:00", "day"),
    ("15/3/2022", "2022-03-15T00:00:00+07:00", "day"),
    ("Selasa, 10 Juni 2025 08:52 WIB", "2025-06-10T08:52:00+07:00", "minute"),
]


@pytest.mark.parametrize("text, iso, precision", PARTIAL)
def test_parse_partial_date(text, iso, precision):
    value, found = parse_partial_date(text)
    assert (value.isoformat(), found) == (iso, precision)


@pytest.mark.parametrize("text", ["Tidak Ditemukan", "", "Scroll ke bawah untuk membaca berita", "31/2/2022"])
def test_no_date_raises(text):
    with pytest.raises(DateParseError):
        parse_date(text)


def test_month_only_is_not_a_day():
    with pytest.raises(DateParseError):
        parse_date("Maret 2022")


def test_month_table_has_indonesian_and_english_abbreviations():
    assert {MONTHS[k] for k in ("mrt", "maret", "march", "mar")} == {3}
    assert {MONTHS[k] for k in ("agt", "agu", "agustus", "aug")} == {8}
    assert MONTHS["nop"] == MONTHS["nov"] == 11 and MONTHS["des"] == MONTHS["dec"] == 12
    assert MONTHS["mei"] == MONTHS["may"] == 5


def test_combine_time_column():
    value, precision = parse_partial_date("06 Jun 2025")
    combined, precision = combine_date_time(value, precision, "21:02")
    assert (combined.isoformat(), precision) == ("2025-06-06T21:02:00+07:00", "minute")


def test_find_dates_in_text_includes_weekday():
    found = find_dates_in_text("pembicaraan berakhir pada Senin, tetapi akan dilanjutkan pada Selasa (15/3/2022).")
    assert [(m.text, m.value.isoformat()) for m in found] == [("Selasa (15/3/2022)", "2022-03-15T00:00:00+07:00")]


def test_find_dates_in_text_needs_a_year():
    assert find_dates_in_text("ditangkap Minggu (8/6) dan diperiksa pada 1998") == []


URLS = [
    ("https://aceh.tribunnews.com/2025/06/10/saat-prosesi", "url:/2025/06/10/", "2025-06-10T00:00:00+07:00"),
    ("https://www.cnnindonesia.com/nasional/20150508141054-12-52076/perwira/", "url:/20150508141054",
     "2015-05-08T14:10:00+07:00"),
    ("https://bola.okezone.com/read/2016/07/12/3/1436222/x", "url:/2016/07/12/", "2016-07-12T00:00:00+07:00"),
]


@pytest.mark.parametrize("url, label, iso", URLS)
def test_find_date_in_url(url, label, iso):
    match = find_date_in_url(url)
    assert ("url:" + match.text, match.value.isoformat()) == (label, iso)


@pytest.mark.parametrize("url", ["https://www.posmetromedan.com/2025/06/malau/", "https://news.detik.com/d-7969191/x",
                                 None])
def test_no_day_in_url(url):
    assert find_date_in_url(url) is None


def test_default_tz_is_wib():
    assert parse_date("1 Juni 2025").tzinfo == WIB
