"""Running an example server from a terminal (shared by the example scripts; not a WLangage example)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable


def serve_until_interrupted(
    start: Callable[[int, str], bool], stop: Callable[[], object], port: int, address: str
) -> int:
    """start(port, address), then wait for Ctrl+C, then stop(); the exit status."""
    if not start(port, address):
        return 1
    print(f"WebSocket server on ws://{address}:{port} (Ctrl+C to stop)")
    with contextlib.suppress(KeyboardInterrupt):
        threading.Event().wait()
    stop()
    return 0
