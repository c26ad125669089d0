"""Choosing the engine: recorded in the settings file, kept by an existing index, typed errors."""

import orjson
import pytest
from click.testing import CliRunner

import carinews
from carinews.cli import cli
from carinews.engines import ENGINES, engine_class
from carinews.errors import EngineMismatchError, UnknownEngineError


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_a_new_index_records_its_engine(tmp_path):
    index = tmp_path / "ix"
    assert run("index", "--index", str(index), "--sample").exit_code == 0
    assert orjson.loads((index / "carinews.json").read_bytes())["engine"] == "whoosh"
    assert "engine:    whoosh\n" in run("stats", "--index", str(index)).output


def test_an_index_without_an_engine_entry_is_a_whoosh_index(tmp_path):
    """Indexes written before engines were recorded keep opening."""
    index = tmp_path / "ix"
    run("index", "--index", str(index), "--sample")
    settings = orjson.loads((index / "carinews.json").read_bytes())
    del settings["engine"]
    (index / "carinews.json").write_bytes(orjson.dumps(settings))
    with carinews.Archive.open(index) as archive:
        assert archive.engine_name == "whoosh" and len(archive) == 292


def test_unknown_engine_is_a_typed_error(tmp_path):
    with pytest.raises(UnknownEngineError) as caught:
        carinews.Archive.create(tmp_path / "ix", engine="lucene")
    assert caught.value.engine == "lucene" and caught.value.choices == tuple(ENGINES)
    assert not (tmp_path / "ix").exists()
    with pytest.raises(UnknownEngineError):
        engine_class("lucene")


@pytest.mark.parametrize("other", [name for name in ENGINES if name != "whoosh"])
def test_another_engine_on_an_existing_index_is_refused(tmp_path, other):
    index = tmp_path / "ix"
    run("index", "--index", str(index), "--sample")
    before = (index / "carinews.json").read_bytes()
    with pytest.raises(EngineMismatchError) as caught:
        carinews.Archive.create(index, engine=other)
    assert (caught.value.found, caught.value.asked) == ("whoosh", other)
    result = CliRunner().invoke(cli, ["index", "--index", str(index), "--engine", other, "--sample"])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f"Error: index at {index} is a whoosh index, not {other}; leave out --engine to add to it, "
        f"or run `carinews index --rebuild --engine {other} --index {index} PATH...` to rebuild it "
        f"with {other}")
    assert (index / "carinews.json").read_bytes() == before
