"""Engine.version / Archive.version: the name of the committed state, the web cache's key."""

from __future__ import annotations

import pytest

from carinews.archive import Archive
from carinews.engines import engine_class
from carinews.engines.base import Engine
from conftest import article


def kremlin(i: int):
    return article(f"k{i}", f"Kremlin {i}", f"Juru bicara Kremlin membantah laporan ke-{i}.")


def versions(path, engine_name: str) -> list[str]:
    """The version after each of: a commit, a second commit, an add that changes nothing;
    then a reader's, and the same reader's after another process's commit and rebuild."""
    seen = []
    with Archive.create(path, engine=engine_name) as writer:
        writer.add([kremlin(1)], workers=0)
        seen.append(writer.version())
        assert writer.engine.version() == seen[-1]
        writer.add([kremlin(2)], workers=0)
        seen.append(writer.version())
        writer.add([kremlin(2)], workers=0)      # unchanged: nothing committed
        seen.append(writer.version())
    with Archive.open(path) as reader:
        seen.append(reader.version())
        with Archive.create(path) as writer:
            writer.add([kremlin(3)], workers=0)
        seen.append(reader.version())
        with Archive.create(path, rebuild=True) as writer:
            writer.add([kremlin(1), kremlin(2)], workers=0)
        seen.append(reader.version())
    return seen


def test_whoosh_version_is_the_index_name_and_toc_generation(tmp_path):
    assert versions(tmp_path / "ix", "whoosh") == [
        "carinews:1", "carinews:2", "carinews:2", "carinews:2", "carinews:3", "carinews-1:1"]


def test_version_changes_with_every_commit_and_only_then(tmp_path, engine_name):
    first, second, unchanged, reader, committed, rebuilt = versions(tmp_path / "ix", engine_name)
    assert len({first, second, committed, rebuilt}) == 4
    assert unchanged == reader == second
    if engine_name == "opensearch":     # <concrete index>:<commits>; a rebuild: a new concrete index
        with Archive.open(tmp_path / "ix") as archive:
            alias = archive.index_name
        assert len({v.split(":")[0] for v in (first, second, committed)}) == 1
        assert first.split(":")[0] != rebuilt.split(":")[0]
        assert all(v.startswith(f"{alias}-") for v in (first, rebuilt))
        return
    name = engine_class(engine_name).DEFAULT_NAME
    assert {v.split(":")[0] for v in (first, second, committed)} == {name}
    assert rebuilt.split(":")[0] == f"{name}-1"


class _Unversioned(Engine):
    """An engine that leaves out `version` (only the abstract read methods given)."""

    name = "unversioned"

    def search(self, query, **options):
        raise AssertionError("not called")

    def document(self, field, value):
        return None

    def doc_count(self):
        return 0

    def field_counts(self, field):
        return {}


def test_an_engine_without_version_says_which_and_why():
    with pytest.raises(NotImplementedError, match=r"the unversioned engine does not implement "
                                                  r"Engine\.version\(\).*carinews serve"):
        _Unversioned().version()
