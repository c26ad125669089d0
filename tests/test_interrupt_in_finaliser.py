"""A Ctrl-C that lands in a finaliser (cli.keep_interrupts): Python would print "Exception
ignored ... Traceback" and drop the interrupt (seen once in test_crash's SIGINT test, in
Whoosh's `LockBase.__del__`); `carinews` delivers it again, so the command stops as for any
Ctrl-C and prints no traceback."""

from __future__ import annotations

import gc
import signal
import sys
import time

import pytest

from carinews.cli import keep_interrupts


class InterruptedWhileCollected:
    def __del__(self):
        raise KeyboardInterrupt


def _collect_one(wait: float = 0.0):
    InterruptedWhileCollected()      # dropped at once: its __del__ runs here
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:   # the command running on
        pass


def test_an_interrupt_in_a_finaliser_is_delivered_again(monkeypatch, capsys):
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    monkeypatch.setattr(sys, "unraisablehook", keep_interrupts)
    with pytest.raises(KeyboardInterrupt):
        _collect_one(wait=5.0)
    assert capsys.readouterr().err == ""


def test_without_it_python_drops_the_interrupt(monkeypatch, capsys):
    monkeypatch.setattr(sys, "unraisablehook", sys.__unraisablehook__)
    _collect_one(wait=0.2)           # no KeyboardInterrupt: the interrupt is lost
    err = capsys.readouterr().err
    assert err.startswith("Exception ignored in: <function InterruptedWhileCollected.__del__")
    assert "Traceback" in err and err.rstrip().endswith("KeyboardInterrupt:")


def test_other_finaliser_errors_are_reported_as_python_does(monkeypatch, capsys):
    class Broken:
        def __del__(self):
            raise ValueError("rusak")

    monkeypatch.setattr(sys, "unraisablehook", keep_interrupts)
    Broken()
    gc.collect()
    err = capsys.readouterr().err
    assert err.startswith("Exception ignored in: <function")
    assert err.rstrip().endswith("ValueError: rusak")
