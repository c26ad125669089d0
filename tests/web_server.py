"""A real `carinews serve` for tests: uvicorn on a free loopback port in a thread, over
a real on-disk index, and the hostile articles the web tests index beside the sample.

`running_server(index)` yields the base URL and stops the server afterwards.
`web_index(path, engine)` builds an index of the bundled IndoSum sample plus HOSTILE
and UNICODE articles (all carrying the word HOSTILE_WORD, so one search finds them).
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from pathlib import Path

import carinews
from carinews.archive import Archive
from carinews.ingest.articles import Article
from conftest import article

HOSTILE_WORD = "zzhostile"
SCRIPT = '<script>window.__xss = 1; alert("xss")</script>'
IMG = '"><img src=x onerror="window.__xss=2">'

HOSTILE = [
    article("h-script", f"{SCRIPT} Jakarta {HOSTILE_WORD}",
            f"Berita {HOSTILE_WORD} di Jakarta. {SCRIPT} Lalu {IMG} dan selesai.",
            date="2024-05-01T10:00", source="contoh.id"),
    article("h-img", f'{IMG} judul {HOSTILE_WORD}',
            f"Isi {HOSTILE_WORD} dengan {IMG} di tengah kalimat.",
            date="2024-05-02T10:00", source="contoh.id", url="javascript:window.__xss=3"),
    article("h-url", f"Tautan berbahaya {HOSTILE_WORD}", f"Isi {HOSTILE_WORD} dengan tautan data.",
            date="2024-05-03T10:00", source="contoh.id",
            url=" JaVaScRiPt:window.__xss=4"),
    article("h-data", f"Tautan data {HOSTILE_WORD}", f"Isi {HOSTILE_WORD} lagi.",
            date="2024-05-04T10:00", source="contoh.id", url="data:text/html,<script>alert(1)</script>"),
    article("h-rtl", f"Berkas \u202egpj.exe {HOSTILE_WORD} \u2067isolasi", 
            f"Teks \u202ebalik arah {HOSTILE_WORD} dan \u2066isolasi\u2069 selesai.",
            date="2024-05-05T10:00", source="contoh.id"),
    article("h-ansi", f"\x1b[31mMERAH\x1b[0m {HOSTILE_WORD} \x1b]0;judul\x07",
            f"Terminal \x1b[2J\x1b[H{HOSTILE_WORD} \x1b[31mmerah\x1b[0m dan \x07 bel.",
            date="2024-05-06T10:00", source="contoh.id"),
    article("h-formula", f'=HYPERLINK("http://contoh.invalid","klik") {HOSTILE_WORD}',
            f"+62 812 {HOSTILE_WORD} dan -1 serta @SUM(A1).", date="2024-05-07T10:00",
            source="contoh.id"),
    article("h/../<b>id</b>?x=1#frag", f"Id aneh {HOSTILE_WORD}", f"Isi {HOSTILE_WORD} id aneh.",
            date="2024-05-08T10:00", source='evil"><img src=x onerror=alert(5)>.com'),
]
UNICODE_TITLE = "Jalan Soekarno–Hatta “dibuka” lagi, kafé & ꦲꦏ꧀ꦱꦫ"
UNICODE = [article("h-unicode", f"{UNICODE_TITLE} {HOSTILE_WORD}",
                   f"Warga menyambut ‘jalan baru’ senilai Rp 80.000 per meter — {HOSTILE_WORD}.",
                   date="2024-05-09T10:00", source="contoh.id")]


def sample_articles() -> list[Article]:
    return [a for a in carinews.read_articles(carinews.sample_paths()) if isinstance(a, Article)]


def web_index(path: Path, engine: str | None = None) -> Path:
    with Archive.create(path, engine=engine) as archive:
        archive.add(sample_articles() + [Article(**a.__dict__) for a in HOSTILE + UNICODE])
    return path


@contextmanager
def running_server(index: Path, *, loopback_only: bool = True):
    import uvicorn

    from carinews.web import create_app

    config = uvicorn.Config(create_app(index, loopback_only=loopback_only), host="127.0.0.1",
                            port=0, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
