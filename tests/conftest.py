"""Shared fixtures: free loopback ports, cleanup, and peers required in CI."""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

import pytest
from hypothesis import settings

import wlsocket
from wlsocket.registry import REGISTRY

LOOPBACK = "127.0.0.1"
#: The repository's root and its tests folder, wherever a test file sits below it.
ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"

# Hypothesis: "ci" keeps the default example count without the per-example
# deadline (the CI machine is loaded); "long" is for a deliberate long run,
# see docs/reliability.md.  Tests with their own @settings keep their counts.
settings.register_profile("ci", deadline=None)
settings.register_profile("long", deadline=None, max_examples=20_000)
settings.load_profile(os.environ.get("WLSOCKET_HYPOTHESIS_PROFILE", "ci"))


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture(autouse=True)
def _fresh_state():
    """Each test starts and ends with no named socket, in English, with no
    certificate folder set by a program (SocketDossierCertificats is global)."""
    wlsocket.set_language("en")
    yield
    leftover = REGISTRY.names()
    REGISTRY.close_all()
    wlsocket.set_language("fr")
    wlsocket.set_string_encoding("ansi")
    wlsocket.SocketDossierCertificats("")
    assert not leftover, f"test left sockets open: {leftover}"


def relative_to_tests(test_file: str) -> str:
    """A test file's path relative to tests/, as docs/errors.md names it."""
    return Path(test_file).resolve().relative_to(TESTS).as_posix()


def require_peer(available: bool, what: str) -> None:
    """Skip locally when a peer program is missing; fail in CI (CI is set)."""
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required in CI but missing")
    pytest.skip(f"{what} not installed (set CI to make this a failure)")


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def join_threads_started_since(before: set[threading.Thread], timeout: float = 10) -> None:
    """Join every thread started since ``before`` (bounded) and check it ended.
    The parking lot's thread (wlsocket/transports/parking.py) is left out: it
    is started by the first reader that parks and lasts for the process."""
    for thread in set(threading.enumerate()) - before:
        if thread.name == "wlsocket-parking":
            continue
        thread.join(timeout)
        assert not thread.is_alive(), f"thread {thread.name} still running"


def run_thread(target, *args) -> threading.Thread:
    thread = threading.Thread(target=target, args=args, daemon=True)
    thread.start()
    return thread


def wait_until_inside(thread: threading.Thread, function_name: str, timeout: float = 10) -> None:
    """Wait until ``thread`` is executing ``function_name`` (blocked in it).

    Looks at the thread's stack, so a test can act on a thread that is truly
    blocked in the package rather than guessing with a sleep.
    """
    import sys
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        frame = sys._current_frames().get(thread.ident or -1)
        while frame is not None:
            if frame.f_code.co_name == function_name:
                return
            frame = frame.f_back
        time.sleep(0.005)
    raise AssertionError(f"{thread.name} never entered {function_name}")
