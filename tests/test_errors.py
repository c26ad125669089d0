"""Every error raised to the user is a named subclass of CarinewsError, with its data
in attributes, exported from `carinews`."""

from __future__ import annotations

import ast
import inspect

import pytest

import carinews
from carinews import errors
from conftest import REPO

ERRORS = [cls for _, cls in inspect.getmembers(errors, inspect.isclass)
          if issubclass(cls, errors.CarinewsError)]


def test_no_bare_carinews_error_is_raised():
    bare = []
    for path in sorted((REPO / "src" / "carinews").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) \
                    and getattr(node.exc.func, "id", getattr(node.exc.func, "attr", None)) == "CarinewsError":
                bare.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert bare == []


def test_every_error_is_exported():
    assert len(ERRORS) > 15
    for cls in ERRORS:
        assert cls.__name__ in carinews.__all__, cls.__name__
        assert getattr(carinews, cls.__name__) is cls
        assert cls.__doc__, cls.__name__


def test_library_errors_carry_their_data(tmp_path, archive):
    with pytest.raises(carinews.UnknownStemmerError) as caught:
        carinews.Archive.create(tmp_path / "x", stemmer="porter")
    assert caught.value.stemmer == "porter" and "sastrawi" in caught.value.choices
    assert str(caught.value) == "unknown stemmer 'porter'; choose one of sastrawi, snowball, none"
    for options, option in (({"sort": "judul"}, "sort"), ({"limit": 0}, "limit"),
                            ({"ranking": "tfidf"}, "ranking")):
        with pytest.raises(carinews.SearchOptionError) as caught:
            archive.search("banjir", **options)
        assert caught.value.option == option and caught.value.value == options[option]
    assert caught.value.choices and "full" in caught.value.choices


def test_worker_died_error_names_batch_and_signal():
    error = errors.WorkerDiedError(3, 9, pid=41).with_state("idx", "the index keeps batches 1-2")
    assert (error.batch, error.signal, error.signal_name, error.pid, error.path) == (3, 9, "SIGKILL", 41, "idx")
    assert str(error) == ("a worker process (pid 41) was killed by SIGKILL while writing batch 3; "
                          "the index keeps batches 1-2")
    assert str(errors.WorkerDiedError(None, None, 1)) == \
        "a worker process exited unexpectedly with status 1 while merging segments"


def test_show_of_a_missing_article_is_typed(tmp_path, archive):
    from click.testing import CliRunner

    from carinews.cli import cli

    result = CliRunner().invoke(cli, ["show", "--index", str(archive.path), "nope"])
    assert result.exit_code == 1
    assert result.output == f"Error: no article with id 'nope' in {archive.path}\n"
