"""Shared fixtures: a few hand-written articles, a tmp_path index, the shared corpus."""

from __future__ import annotations

import os
import signal
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from carinews.ingest.articles import Article

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "corpus"
WIB = timezone(timedelta(hours=7))

# The interrupt tests send SIGINT to this process and to `carinews index` children. A
# shell that starts the suite in the background (`make test &`) starts it with SIGINT
# ignored, which Python keeps and children inherit; restore Python's own handler.
signal.signal(signal.SIGINT, signal.default_int_handler)


def shared_path(*parts: str) -> Path:
    """A path under ../shared/corpus, or skip the test when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not present (shared corpus absent)")
    return path


def article(id: str, title: str, body: str, *, date: str | None = None, source: str = "contoh.id",
            url: str | None = None, **extra) -> Article:
    return Article(
        id=id, title=title, body=body, source=source,
        url=url or f"https://{source}/{id}", url_key=f"{source}/{id}",
        date=datetime.fromisoformat(date).replace(tzinfo=WIB) if date else None,
        date_source="field:date" if date else None, **extra,
    )


# Real sentences from Indonesian news (the seed page and IndoSum), shortened.
ARTICLES = [
    article("kremlin", "Rusia Bantah Minta Bantuan Militer China Untuk Memperkuat Serangan ke Ukraina",
            "Pemerintah Rusia membantah telah meminta bantuan militer China untuk menggempur Ukraina. "
            "Juru bicara Kremlin Dmitry Peskov mengatakan laporan media itu tidak benar.\n\n"
            "Penasihat presiden Ukraina Mykhailo Podolyak mengatakan pembicaraan dengan Rusia "
            "akan dilanjutkan pada Selasa (15/3/2022).",
            date="2022-03-14T20:00", source="serambinews.com"),
    article("kpk", "KPK tangkap bupati dalam operasi tangkap tangan",
            "Komisi Pemberantasan Korupsi (KPK) melakukan operasi tangkap tangan terhadap seorang "
            "bupati di Jawa Timur. Penangkapan itu terkait dugaan suap proyek jalan.",
            date="2019-07-02T10:00", source="kompas.com"),
    article("menangkap", "Polisi menangkap pengedar narkoba di Medan",
            "Polisi menangkap dua pengedar narkoba di Medan. Keduanya ditangkap saat membawa sabu.",
            date="2019-07-03T09:00", source="detik.com"),
    article("anak", "Anak-anak belajar di tenda darurat",
            "Anak-anak korban banjir di kota-kota pesisir belajar di tenda darurat. "
            "Pemerintah kota menyiapkan 2.000 paket buku dan vaksin Covid-19.",
            date="2021-01-15", source="antaranews.com"),
    article("undated", "Harga cabai naik menjelang Lebaran",
            "Harga cabai rawit di pasar tradisional naik hingga Rp 80.000 per kilogram.",
            source="kompas.com"),
]


@pytest.fixture
def articles() -> list[Article]:
    return [Article(**a.__dict__) for a in ARTICLES]


# The engines every engine-neutral behaviour is tested on (the golden tables, the seed page,
# snippets and highlights through search, names, hostile queries, the CLI): OpenSearch too
# when CARINEWS_OPENSEARCH_URL names a cluster (`make opensearch`; CI starts one).
OPENSEARCH_URL = os.environ.get("CARINEWS_OPENSEARCH_URL", "").rstrip("/")
ENGINES_UNDER_TEST = ("whoosh", "tantivy") + (("opensearch",) if OPENSEARCH_URL else ())
OPENSEARCH_PREFIX = f"carinews-test-{uuid.uuid4().hex[:8]}"   # every index this run makes
_opensearch_made: list[str] = []


@pytest.fixture(scope="session", autouse=True)
def opensearch_index_names():
    """With a cluster: every OpenSearch archive a test makes without naming its index gets a
    name of its own (`<OPENSEARCH_PREFIX>-N`, never the shared default `news`), so tests
    never join each other's indexes; whatever is left is deleted at the end of the run."""
    if not OPENSEARCH_URL:
        yield
        return
    from carinews.engines.opensearch.engine import OpenSearchEngine

    original = OpenSearchEngine.settings_for.__func__

    def unique(cls, options):
        if not options.get("index_name"):
            options = {**options, "index_name": f"{OPENSEARCH_PREFIX}-{len(_opensearch_made) + 1}"}
            _opensearch_made.append(options["index_name"])
        return original(cls, options)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(OpenSearchEngine, "settings_for", classmethod(unique))
        yield
    _delete_opensearch_indexes([f"{OPENSEARCH_PREFIX}-*"])


def _delete_opensearch_indexes(names: list[str]) -> None:
    from carinews.engines.opensearch.cluster import connect

    client, _ = connect(OPENSEARCH_URL)
    for name in names:
        client.indices.delete(index=f"{name},{name}-*", params={"ignore_unavailable": "true",
                                                               "allow_no_indices": "true"})


@pytest.fixture(params=ENGINES_UNDER_TEST)
def engine_name(request) -> str:
    """Each engine in turn; on OpenSearch the indexes the test made are deleted after it."""
    made_before = len(_opensearch_made)
    yield request.param
    if request.param == "opensearch" and len(_opensearch_made) > made_before:
        _delete_opensearch_indexes(_opensearch_made[made_before:])


def indexed(path: Path, engine_name: str, articles) -> "Archive":
    """A new archive at `path` on `engine_name` holding copies of `articles`, reopened for
    reading (what a later `carinews search` sees); the caller closes it."""
    from carinews.archive import Archive

    with Archive.create(path, engine=engine_name) as arch:
        arch.add([Article(**a.__dict__) for a in articles])
    return Archive.open(path)


@pytest.fixture
def archive(tmp_path, articles, engine_name):
    from carinews.archive import Archive

    with Archive.create(tmp_path / "index", engine=engine_name) as arch:
        arch.add(articles)
        yield arch


@pytest.fixture(scope="session")
def segmented_sample(tmp_path_factory):
    """The bundled sample in three segments (200 + 92 articles, then every seventh article
    replaced: deletions in the first two); terms in most of the first segment's articles
    span two blocks of postings. Read-only: tests must not add to it."""
    import carinews
    from carinews.archive import Archive

    items = [a for a in carinews.read_articles(carinews.sample_paths()) if isinstance(a, Article)]
    with Archive.create(tmp_path_factory.mktemp("segmented") / "index") as arch:
        arch.add(items, batch_size=200, workers=0)
        for item in items[::7]:
            item.body += " Ralat: berita ini diperbarui."
        report = arch.add(items[::7], workers=0)
        assert report.replaced == 42
        yield arch
