"""carinews serve: a read-only search page, JSON API, exports and feeds over an index.

    from carinews.web import create_app, run_server
    run_server("index", host="127.0.0.1", port=8080)

`create_app` builds the ASGI app (app.py); `run_server` serves it with uvicorn.
Imports stay lazy so that `carinews --help` does not load the web stack.
"""

from __future__ import annotations

from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080


def create_app(index: str | Path, *, loopback_only: bool = True, cache_size: int | None = None):
    from carinews.web.app import create_app as build
    from carinews.web.holder import CACHE_ENTRIES

    return build(index, loopback_only=loopback_only,
                 cache_size=CACHE_ENTRIES if cache_size is None else cache_size)


def is_loopback(host: str) -> bool:
    from carinews.web.app import is_loopback as check

    return check(host)


def run_server(index: str | Path, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
               access_log: bool = False, cache_size: int | None = None) -> None:
    """Serve `index` until interrupted. On a loopback host only loopback Host names are
    answered; on any other host every name is (the server is then reachable from others)."""
    import uvicorn

    app = create_app(index, loopback_only=is_loopback(host), cache_size=cache_size)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=access_log,
                server_header=False)
