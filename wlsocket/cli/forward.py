"""Both directions of one relayed connection, forwarded by one thread.

``wlsocket trace`` must add as little as it can to a round trip, and show
every chunk after forwarding it, in the order the chunks came.  One thread
waits on both sockets at once (``select.poll``; ``selectors`` where there
is no poll, as on Windows: 1.2 µs more a call here), so a message
and its answer cost one wake-up each and no hand-over between threads;
each chunk is read into one preallocated buffer, sent on at once, and only
then copied for the display.  What is shown is handed over in batches
(:class:`Shown`) when both sockets are quiet (or the batch is large), so
decoding and printing run while the peers think, not between a chunk and
its forward, and a batch costs one write of the output, not one a line.

A target that cannot take all of a chunk (its peer reads slowly) stops the
reading of that direction only, never the other one; the chunk is shown
once all of it went.  The end of a direction (or a failed read) is passed
on as a half-close.
"""

from __future__ import annotations

import contextlib
import select
import selectors
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

# 64 KiB: one read of a large message; the buffer is allocated once per connection.
_RECV_SIZE = 64 * 1024
# A batch is shown before the sockets are quiet once it holds this much.
_BATCH_BYTES = 1 << 20
_BATCH_EVENTS = 256
_IN = getattr(select, "POLLIN", 1)
_OUT = getattr(select, "POLLOUT", 4)
# Reported whatever was asked: the next recv or send says what happened.
_BROKEN = getattr(select, "POLLHUP", 16) | getattr(select, "POLLERR", 8)


class _Poll(Protocol):
    def register(self, fd: int, eventmask: int) -> None: ...

    def modify(self, fd: int, eventmask: int) -> None: ...

    def unregister(self, fd: int) -> None: ...

    def poll(self, timeout: float | None = None) -> list[tuple[int, int]]: ...


class _SelectorPoll:
    """``select.poll``'s calls over :mod:`selectors`, where poll is missing."""

    def __init__(self) -> None:
        self._selector = selectors.DefaultSelector()

    @staticmethod
    def _events(mask: int) -> int:
        return (selectors.EVENT_READ if mask & _IN else 0) | (selectors.EVENT_WRITE if mask & _OUT else 0)

    def register(self, fd: int, eventmask: int) -> None:
        self._selector.register(fd, self._events(eventmask))

    def modify(self, fd: int, eventmask: int) -> None:
        self._selector.modify(fd, self._events(eventmask))

    def unregister(self, fd: int) -> None:
        self._selector.unregister(fd)

    def poll(self, timeout: float | None = None) -> list[tuple[int, int]]:
        seconds = None if timeout is None else timeout / 1000
        return [(key.fd, (_IN if ready & selectors.EVENT_READ else 0) | (_OUT if ready & selectors.EVENT_WRITE else 0))
                for key, ready in self._selector.select(seconds)]

    def close(self) -> None:
        self._selector.close()


def _poller() -> contextlib.AbstractContextManager[_Poll]:
    if hasattr(select, "poll"):
        return contextlib.nullcontext(select.poll())
    return contextlib.closing(_SelectorPoll())


@dataclass(slots=True)
class Shown:
    """One thing to show, in its turn: a chunk forwarded (``data``), the end
    of a direction (``end``), or a forward that failed (``error``)."""

    direction: str
    data: bytes = b""
    end: bool = False
    error: str = ""
    ready: bool = True  # False while part of the chunk still waits to be sent


class _Leg:
    """One direction: bytes read from ``source`` go to ``target``."""

    __slots__ = ("source", "target", "direction", "pending", "waiting", "reading")

    def __init__(self, source: socket.socket, target: socket.socket, direction: str) -> None:
        self.source = source
        self.target = target
        self.direction = direction
        self.pending = memoryview(b"")  # what the target did not take yet
        self.waiting: Shown | None = None  # the chunk ``pending`` belongs to
        self.reading = True


def forward_both(
    client: socket.socket,
    server: socket.socket,
    directions: tuple[str, str],
    show: Callable[[list[Shown]], None],
) -> None:
    """Relay client <-> server until both directions ended; ``show`` is given
    every batch of :class:`Shown`, in the order the chunks were read."""
    legs = (_Leg(client, server, directions[0]), _Leg(server, client, directions[1]))
    reader = {client: legs[0], server: legs[1]}
    writer = {server: legs[0], client: legs[1]}
    buffer = bytearray(_RECV_SIZE)
    view = memoryview(buffer)
    queue: list[Shown] = []
    queued_bytes = 0
    masks = {client: 0, server: 0}
    by_fd = {client.fileno(): client, server.fileno(): server}
    with _poller() as poller:

        def update(sock: socket.socket) -> None:
            leg_in, leg_out = reader[sock], writer[sock]
            mask = _IN if leg_in.reading and not leg_in.pending else 0
            if leg_out.pending:
                mask |= _OUT
            if mask == masks[sock]:
                return
            if not masks[sock]:
                poller.register(sock.fileno(), mask)
            elif not mask:
                poller.unregister(sock.fileno())  # a mask of 0 would still report a hang-up
            else:
                poller.modify(sock.fileno(), mask)
            masks[sock] = mask

        def send_pending(leg: _Leg) -> None:
            try:
                sent = leg.target.send(leg.pending)
            except BlockingIOError:
                return
            except OSError as error:
                size = len(leg.waiting.data) if leg.waiting is not None else len(leg.pending)
                _end(leg, queue, f"could not forward {size} bytes: {error.strerror or error}")
                return
            leg.pending = leg.pending[sent:]
            if not leg.pending and leg.waiting is not None:
                leg.waiting.ready = True
                leg.waiting = None

        for sock in (client, server):
            sock.setblocking(False)
            update(sock)
        while legs[0].reading or legs[1].reading or legs[0].pending or legs[1].pending:
            events = poller.poll(0 if queue and queue[0].ready else None)
            if not events:
                show(_take_ready(queue))
                queued_bytes = sum(len(item.data) for item in queue)
                continue
            changed = False
            for fd, mask in events:
                sock = by_fd[fd]
                if mask & (_OUT | _BROKEN) and writer[sock].pending:
                    send_pending(writer[sock])
                    changed = True
                leg = reader[sock]
                if mask & (_IN | _BROKEN) and leg.reading and not leg.pending:
                    try:
                        count = sock.recv_into(buffer)
                    except BlockingIOError:
                        continue
                    except OSError:
                        count = 0
                    if not count:
                        _end(leg, queue)
                    elif forward(leg, view[:count], queue):
                        queued_bytes += count
                        continue  # all of it went: nothing to wait for changed
                    else:
                        queued_bytes += count
                changed = True
            if changed:
                for sock in (client, server):
                    update(sock)
            if queued_bytes >= _BATCH_BYTES or len(queue) >= _BATCH_EVENTS:
                ready = _take_ready(queue)
                if ready:
                    show(ready)
                    queued_bytes = sum(len(item.data) for item in queue)
    show(_take_ready(queue))


def forward(leg: _Leg, chunk: memoryview, queue: list[Shown]) -> bool:
    """Send ``chunk`` on at once; what the target does not take waits.
    True when all of it went."""
    try:
        sent = leg.target.send(chunk)
    except BlockingIOError:
        sent = 0
    except OSError as error:
        _end(leg, queue, f"could not forward {len(chunk)} bytes: {error.strerror or error}")
        return False
    item = Shown(leg.direction, bytes(chunk))  # the copy, after the forward
    queue.append(item)
    if sent == len(chunk):
        return True
    item.ready = False
    leg.pending = memoryview(item.data)[sent:]
    leg.waiting = item
    return False


def _end(leg: _Leg, queue: list[Shown], error: str = "") -> None:
    """The direction ended (or its forward failed): tell the target."""
    leg.reading = False
    if leg.waiting is not None:
        leg.waiting.ready = True  # shown although not all of it went: the warning says so
    leg.pending, leg.waiting = memoryview(b""), None
    if error:
        queue.append(Shown(leg.direction, error=error))
    with contextlib.suppress(OSError):
        leg.target.shutdown(socket.SHUT_WR)  # pass the end on, as the peer did
    queue.append(Shown(leg.direction, end=True))


def _take_ready(queue: list[Shown]) -> list[Shown]:
    """The items at the head of ``queue`` whose forward is done, removed."""
    count = 0
    for item in queue:
        if not item.ready:
            break
        count += 1
    taken = queue[:count]
    del queue[:count]
    return taken
