"""Running an example server from a terminal (shared by the example scripts; not a WLangage example)."""

from __future__ import annotations

import threading
from typing import Callable


def serve_until_interrupted(start: Callable[[int, str], bool], stop: Callable[[], object], port: int, address: str) -> int:
    """start(port, address), then wait for Ctrl+C, then stop(); the exit status."""
    if not start(port, address):
        return 1
    print(f"WebSocket server on ws://{address}:{port} (Ctrl+C to stop)")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    stop()
    return 0
