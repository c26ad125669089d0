"""`carinews serve` end to end: a real process, a real port, one line saying where."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from conftest import REPO

ENV = {**os.environ, "PYTHONPATH": str(REPO / "src")}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_binds_loopback_says_so_and_stops_on_ctrl_c(archive):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "carinews", "serve", "--index", str(archive.path),
                             "--port", str(port)], env=ENV, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        assert line == (f"carinews: serving {archive.path} at http://127.0.0.1:{port}/ "
                        f"(only this computer can reach it; Ctrl-C stops)\n")
        deadline = time.monotonic() + 20
        while True:
            try:
                reply = httpx.get(f"http://127.0.0.1:{port}/api/stats")
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        assert reply.json()["articles"] == 5
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 0


def test_serve_without_an_index_is_one_line(tmp_path: Path):
    result = subprocess.run([sys.executable, "-m", "carinews", "serve", "--index",
                             str(tmp_path / "nope")], env=ENV, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")
