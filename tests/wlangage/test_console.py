"""Trace, Info and Erreur in a console program: default streams, sinks, logging."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

import wlsocket
from wlsocket import WLangageError
from wlsocket.values import Buffer
from wlsocket.wlangage import console as c


@pytest.fixture(autouse=True)
def _default_sinks():
    yield
    c.set_trace_sink(None)
    c.set_info_sink(None)
    c.set_error_sink(None)


def test_names():
    assert wlsocket.Trace is c.trace and wlsocket.Info is c.info
    assert wlsocket.Erreur is wlsocket.Error is c.error


def test_trace_writes_one_line_on_stderr(capsys):
    c.trace("Sec-WebSocket-Key: abc")
    c.trace("n =", 5, True, Buffer(b"\xe9"), 2.0)
    captured = capsys.readouterr()
    assert captured.err == "Sec-WebSocket-Key: abc\nn =, 5, 1, é, 2\n"
    assert captured.out == ""


def test_trace_goes_to_the_logger_too(caplog):
    with caplog.at_level(logging.DEBUG, logger="wlsocket.trace"):
        c.trace("Break")
    assert [r.getMessage() for r in caplog.records if r.name == "wlsocket.trace"] == ["Break"]


def test_info_prints_on_stdout_one_argument_per_line(capsys):
    c.info("fermeture socket...")
    c.info("ligne 1", "ligne 2")
    assert capsys.readouterr().out == "fermeture socket...\nligne 1\nligne 2\n"


def test_error_prints_on_stderr_and_logs(capsys, caplog):
    with caplog.at_level(logging.WARNING, logger="wlsocket"):
        c.error("Erreur de création " + "Port déjà utilisé")
    assert capsys.readouterr().err == "Erreur de création Port déjà utilisé\n"
    assert any("Port déjà utilisé" in r.getMessage() for r in caplog.records)


def test_error_prints_once_when_logging_is_not_configured():
    """logging's last-resort handler must not print the message a second time."""
    done = subprocess.run(
        [sys.executable, "-c", "from wlsocket import *; Erreur('un', 'deux')"],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == "un\ndeux\n"


def test_sinks_receive_the_text(capsys):
    traces, infos, errors = [], [], []
    c.set_trace_sink(traces.append)
    c.set_info_sink(infos.append)
    c.set_error_sink(errors.append)
    c.trace("a", "b")
    c.info("x")
    c.error("boom")
    assert (traces, infos, errors) == (["a, b"], ["x"], ["boom"])
    assert capsys.readouterr() == ("", "")
    c.set_info_sink(None)
    c.info("back")
    assert capsys.readouterr().out == "back\n"


def test_a_sink_must_be_callable():
    with pytest.raises(WLangageError) as caught:
        c.set_trace_sink("stderr")
    assert caught.value.code == "TYPE_PARAMETRE_INVALIDE"
