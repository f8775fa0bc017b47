"""Execution contexts, as WEBDEV's WebSocket server has them.

The server's global service and every connected client run in a context
of their own: a fresh instance of the project's module (its own global
variables), and a queue of work run one item at a time.  A client's
events and the WebSocketExécute calls aimed at it go into its context's
queue, in the order they come, so they never run at the same time nor see
another context's globals.

Who runs the queue: the client's reader thread runs the events it posts
itself, inline, when the context is idle (so a client that is busy in its
own procedure only slows itself); work posted by another context
(WebSocketExécute) runs on a small shared pool.  A procedure that raises
does not end the context: the failure is reported on stderr as
``file:line:column: <procedure> (<context>): <error>`` (the innermost
line of the project's own file) and the next item runs.
"""

from __future__ import annotations

import collections
import sys
import threading
import traceback
import types
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ..errors import WLangageError

__all__ = ["ExecutionContext", "current_context", "shared_pool"]

Task = tuple[str, Callable[..., Any], tuple[Any, ...]]

_current = threading.local()
_pool_lock = threading.Lock()
_pool: list[ThreadPoolExecutor] = []

#: Threads of the pool that runs the work posted to idle contexts by others.
POOL_THREADS = 8


def shared_pool() -> ThreadPoolExecutor:
    with _pool_lock:
        if not _pool:
            _pool.append(ThreadPoolExecutor(POOL_THREADS, thread_name_prefix="wlsocket-context"))
        return _pool[0]


def current_context() -> ExecutionContext | None:
    """The context whose work this thread is running, None outside any."""
    return getattr(_current, "context", None)


def describe_failure(exc: BaseException, project_file: str) -> str:
    """``file:line:column: Type: message`` at the innermost frame of the project."""
    frames = traceback.extract_tb(exc.__traceback__)
    inside = [frame for frame in frames if frame.filename == project_file] or frames[-1:]
    where = ""
    if inside:
        frame = inside[-1]
        column = (getattr(frame, "colno", None) or 0) + 1  # Python 3.11+
        where = f"{frame.filename}:{frame.lineno}:{column}: "
    kind = f"{exc.code}" if isinstance(exc, WLangageError) else type(exc).__name__
    return f"{where}{kind}: {exc}"


class ExecutionContext:
    """One context: a module instance and the work queued for it."""

    def __init__(self, label: str, module: types.ModuleType, project_file: str, owner: Any = None) -> None:
        self.label = label
        self.module = module
        #: the server the context belongs to (used by the WebSocket functions)
        self.owner = owner
        self._project_file = project_file
        self._queue: collections.deque[Task] = collections.deque()
        self._lock = threading.Lock()
        self._running = False
        self._closed = False
        self._idle = threading.Condition(self._lock)

    @property
    def closed(self) -> bool:
        return self._closed

    def post(self, what: str, function: Callable[..., Any], args: tuple[Any, ...], inline: bool = False) -> bool:
        """Queue ``function(*args)``; False when the context is closed.

        ``inline``: if the context is idle, run the queue in this thread
        (a reader thread with its own client's event); otherwise on the
        shared pool.  ``what`` names the work in failure reports.
        """
        with self._lock:
            if self._closed:
                return False
            self._queue.append((what, function, args))
            if self._running:
                return True
            self._running = True
        if inline:
            self._drain()
        else:
            shared_pool().submit(self._drain)
        return True

    def close(self) -> None:
        """Take no more work; what is queued still runs."""
        with self._lock:
            self._closed = True

    def wait_idle(self, timeout_s: float) -> bool:
        with self._idle:
            return self._idle.wait_for(lambda: not self._running, timeout_s)

    def _drain(self) -> None:
        previous = current_context()
        _current.context = self
        try:
            while True:
                with self._lock:
                    if not self._queue:
                        self._running = False
                        self._idle.notify_all()
                        return
                    what, function, args = self._queue.popleft()
                self._run(what, function, args)
        finally:
            _current.context = previous

    def _run(self, what: str, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
        try:
            function(*args)
        except Exception as exc:  # the program's failure: reported, the context goes on
            print(f"{describe_failure(exc, self._project_file)} (in {what}, context {self.label})",
                  file=sys.stderr, flush=True)
