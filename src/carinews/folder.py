"""The index folder: its settings file, durable writes, and its size.

`carinews.json` names the engine (`whoosh`, `tantivy`, `opensearch`), the
engine's index inside the folder that is live (`index_name`), the stemmer and
the schema and analysis versions it was written with. It is replaced
atomically and fsynced, so switching to a rebuilt index is one rename. An
index written by another schema or analysis version is refused
(SchemaMismatchError naming `--rebuild`), never read with wrong results.
"""

from __future__ import annotations

import os
from pathlib import Path

import orjson

from carinews.errors import IndexUnreadableError, SchemaMismatchError

SETTINGS_FILE = "carinews.json"
DEFAULT_ENGINE = "whoosh"     # indexes written before engines were recorded are Whoosh ones


def new_settings(engine, stemmer: str, index_name: str, **extra) -> dict:
    """The settings this carinews writes for a new index of `engine` (an Engine class)."""
    from carinews.analysis import ANALYSIS_VERSION

    return {"engine": engine.name, "schema_version": engine.SCHEMA_VERSION,
            "analysis_version": ANALYSIS_VERSION, "stemmer": stemmer, "index_name": index_name,
            **extra}


def engine_name(settings: dict) -> str:
    return settings.get("engine", DEFAULT_ENGINE)


def check_versions(path: Path, settings: dict, engine) -> None:
    """SchemaMismatchError unless the index was written with this schema and analysis."""
    expected = new_settings(engine, settings.get("stemmer", "sastrawi"), "")
    for key in ("schema_version", "analysis_version"):
        if settings.get(key) != expected[key]:
            raise SchemaMismatchError(str(path), f"{key} {settings.get(key)}", f"{expected[key]}")


def read_settings(path: Path, *, missing_ok: bool = False, broken_ok: bool = False) -> dict | None:
    try:
        with open(path / SETTINGS_FILE, "rb") as handle:
            settings = orjson.loads(handle.read())
        if not isinstance(settings, dict):
            raise orjson.JSONDecodeError("not an object", "", 0)
        return settings
    except FileNotFoundError:
        if missing_ok:
            return None
        raise SchemaMismatchError(str(path), "no carinews.json", "a carinews index") from None
    except (orjson.JSONDecodeError, OSError) as exc:
        if broken_ok:
            return None
        raise IndexUnreadableError(str(path), str(path / SETTINGS_FILE), f"unreadable settings ({exc})") from exc


def write_settings(path: Path, settings: dict) -> None:
    tmp = path / (SETTINGS_FILE + ".tmp")
    with open(tmp, "wb") as handle:
        handle.write(orjson.dumps(settings, option=orjson.OPT_INDENT_2))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path / SETTINGS_FILE)
    fsync_folder(path)


def fsync_folder(folder) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass   # some file systems cannot fsync a directory
    finally:
        os.close(fd)


def folder_size(path: Path) -> int:
    """Bytes of every file under `path` (engines keep their index in sub-folders or beside)."""
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.stat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total
