"""What the example tests share: where the examples are, how to load or run
one, a fixture joining the threads an example starts, a plain peer socket."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import socket
import sys
import threading
from collections.abc import Iterator
from types import ModuleType

import pytest

from tests.conftest import ROOT, join_threads_started_since

EXAMPLES = ROOT / "examples"


def script_env() -> dict[str, str]:
    """The environment for running an example as a script: this checkout's package first."""
    paths = [str(EXAMPLES.parent)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


def load_example(name: str) -> ModuleType:
    """Import examples/<name>.py as a module (the examples are scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(f"examples_{name}", EXAMPLES / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def join_new_threads():
    """Join, at the end of the test, every thread the test started (bounded)."""
    before = set(threading.enumerate())
    yield
    join_threads_started_since(before)



@contextlib.contextmanager
def connected_peer(example: ModuleType, name: str) -> Iterator[socket.socket]:
    """SocketConnecte(name) to a plain listening socket; yields the peer's side, closes both."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        assert example.SocketConnecte(name, listener.getsockname()[1], "127.0.0.1")
        peer, _ = listener.accept()
        with peer:
            peer.settimeout(5)
            try:
                yield peer
            finally:
                example.SocketFerme(name)


def read_exactly(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        assert chunk, f"peer closed after {data!r}"
        data += chunk
    return data
