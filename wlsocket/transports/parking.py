"""Idle readers parked on one epoll thread and woken a few at a time.

Why it exists: a WLangage server runs a thread per channel, each blocked in
SocketLit.  When thousands of peers vanish at once (their process killed, a
link cut) every one of those threads returns from its system call at the
same instant and asks for the GIL.  CPython's GIL waiters each wake every
switch interval (5 ms) to ask the holder to let go; with thousands of them
the kernel spends its time waking waiters and the interpreter changes
threads every few bytecodes.  Measured with ``bench/scale_bench.py``'s idle
connections: 4,000 channel threads took 14.5 s to end, 10,000 took 123 s
(4,000 took 1.6 s with a 50 ms switch interval: the waiters are the cost).

So a reader that found nothing to read for :data:`PARK_AFTER_S` parks here:
its descriptor goes into the lot's epoll set (one-shot) and the thread waits
on a lock of its own, which costs the interpreter nothing while it waits.
The lot's thread takes the ready descriptors from epoll and releases their
readers one at a time, each time waiting (at most :data:`ADMIT_WAIT_S`)
until the reader has the interpreter, so only a few threads ever want the
GIL at once.  A busy reader never parks: the next message comes before
:data:`PARK_AFTER_S`, and it waits on its socket as before.

Two kinds of reader come here: a WebSocket server channel, which polls
before each read (``io.Waiter(park=True)``), and a plain TCP stream, which
blocks in ``recv`` itself and learns it has waited long enough from the
socket's receive timeout (``io.IdleParking``).

Only where ``select.epoll`` exists (Linux); elsewhere :func:`park` is never
reached (:data:`AVAILABLE` is False) and readers wait on their sockets.
"""

from __future__ import annotations

import contextlib
import os
import select
import threading

__all__ = ["AVAILABLE", "PARK_AFTER_S", "ADMIT_WAIT_S", "park", "unpark"]

#: A reader waits on its own socket this long before parking.
PARK_AFTER_S = 0.05
#: How long the lot waits for a woken reader to run before waking the next.
ADMIT_WAIT_S = 0.01

AVAILABLE = hasattr(select, "epoll")


class _Lot:
    """The epoll set, the parked readers' locks by descriptor, and the
    thread that wakes them."""

    def __init__(self) -> None:
        self._epoll = select.epoll()
        self._mutex = threading.Lock()  # guards _parked and the epoll registrations
        self._parked: dict[int, threading.Lock] = {}
        self._admitted = threading.Lock()  # released by a woken reader once it runs
        self._admitted.acquire()
        self._events = select.EPOLLIN | select.EPOLLRDHUP | select.EPOLLONESHOT
        try:
            threading.Thread(target=self._run, name="wlsocket-parking", daemon=True).start()
        except BaseException:  # no thread to be had (RuntimeError): no epoll descriptor kept either
            self._epoll.close()
            raise

    def park(self, fd: int, timeout_s: float | None) -> bool:
        gate = threading.Lock()
        gate.acquire()
        try:
            with self._mutex:
                if fd in self._parked:  # another reader parked on it: not ours to take over
                    return True
                try:
                    self._epoll.register(fd, self._events)
                except (OSError, ValueError):  # no longer a socket: the read reports it
                    return True
                self._parked[fd] = gate
            woken = gate.acquire(timeout=-1 if timeout_s is None else timeout_s)
        except BaseException:  # interrupted (KeyboardInterrupt in the main thread): leave no entry behind
            self._forget_if_parked(fd, gate)
            raise
        if not woken:
            if self._forget_if_parked(fd, gate):
                return False
            gate.acquire()  # the lot took it meanwhile and releases it now
        self._admit()
        return True

    def _forget_if_parked(self, fd: int, gate: threading.Lock) -> bool:
        """Take ``fd`` out of the lot if ``gate``'s reader is still parked on
        it (True); False: the lot took it already and releases ``gate``."""
        with self._mutex:
            parked = self._parked.get(fd) is gate
            if parked:
                self._forget(fd)
        return parked

    def unpark(self, fd: int) -> None:
        """Wake the reader parked on ``fd`` now (its socket is being closed:
        epoll forgets a closed descriptor, it would never report it)."""
        gate = self._take(fd)
        if gate is not None:
            gate.release()

    def _take(self, fd: int) -> threading.Lock | None:
        """The lock of the reader parked on ``fd``, now out of the lot."""
        with self._mutex:
            gate = self._parked.get(fd)
            if gate is not None:
                self._forget(fd)
        return gate

    def _forget(self, fd: int) -> None:
        """Caller holds _mutex."""
        del self._parked[fd]
        with contextlib.suppress(OSError, ValueError):  # closed already
            self._epoll.unregister(fd)

    def _admit(self) -> None:
        with contextlib.suppress(RuntimeError):  # released already: the lot stopped waiting for us
            self._admitted.release()

    def _run(self) -> None:
        while True:
            for fd, _ in self._epoll.poll():
                gate = self._take(fd)
                if gate is not None:
                    gate.release()
                    self._admitted.acquire(timeout=ADMIT_WAIT_S)


_lot: _Lot | None = None
_lot_lock = threading.Lock()


def _the_lot() -> _Lot:
    global _lot
    lot = _lot
    if lot is None:
        with _lot_lock:
            if _lot is None:
                _lot = _Lot()
            lot = _lot
    return lot


def park(fd: int, timeout_s: float | None) -> bool:
    """Wait until ``fd`` is readable (data, the end of the stream, an error)
    or :func:`unpark` (True), or ``timeout_s`` passes (False; None: never).
    Only one reader parks on a descriptor: a second one gets True at once.
    Raises OSError or RuntimeError when the lot cannot be made (no descriptor
    or no thread left): the caller then waits on its socket itself."""
    return _the_lot().park(fd, timeout_s)


def unpark(fd: int) -> None:
    """Release a reader parked on ``fd``, if any: call it before closing ``fd``."""
    lot = _lot
    if lot is not None:
        lot.unpark(fd)


def _after_fork_in_child() -> None:
    global _lot
    _lot = None  # the lot's thread and epoll set belong to the parent


if AVAILABLE:
    os.register_at_fork(after_in_child=_after_fork_in_child)
