"""Workload 5: how many WebSocket connections one server process holds, in
the thread-per-channel style of WLangage programs.

The wlsocket server is SocketCrée + SocketChangeModeTransmission(server,
SocketWebSocket) + SocketAttendConnexion/SocketAccepte, one thread per
channel doing SocketLit/SocketEcrit (echo).  The reference is
``websockets.sync.server`` (also a thread per connection) with the same
echo.  Both processes raise their soft file-descriptor limit to the hard
one and start their threads with a 512 KiB stack (the 8 MiB default is
only address space, but 10,000 of them is 80 GiB of it).

* Idle: one client process opens the connections (a minimal hand-written
  RFC 6455 client over plain sockets, the same for both servers, handshakes
  pipelined by batches of 100) and keeps them open; the server's resident
  memory (VmRSS) grows by the figure reported per connection.  wlsocket
  holds 10,000 (2,000 in the quick run, which does not judge the targets).
  ``websockets.sync.server`` is measured with 4,000 (1,000 in the quick
  run): it takes four descriptors and two threads per connection, so
  10,000 would pass the hard limit of 20,000 descriptors of the machine
  measured.  Its keepalive pings are off (the idle client never answers
  them, and wlsocket sends none).
* Teardown: then the client drops every connection at once; the time
  until the server has ended its channel threads and released their
  descriptors.  Thousands of threads woken at the same instant all want
  the GIL, and CPython's waiters each wake every switch interval, so the
  time grew faster than the count (wlsocket before its parking lot:
  14.5 s for 4,000, 123 s for 10,000); wlsocket's idle readers wait in
  ``transports/parking.py``, which wakes them a few at a time.
* TCP teardown: the same drop with plain TCP channels in the default mode
  (SocketTailleDébut), 10,000 of them (2,000 in the quick run): a wlsocket
  server whose channel threads loop on SocketLit against a plain-socket
  server whose threads loop on ``recv``.  A wlsocket channel blocked in
  SocketLit parks after a while too (``io.IdleParking``).
* Echoing: on 1,000 of those connections at once the client sends a
  100-byte text message on each, then reads every reply and checks it
  (three rounds); a reply missing after 60 s or different counts as lost.
* Set-up rate (measured first, on fresh servers): connect, opening
  handshake, one 100-byte echo, close, one connection after the other:
  wlsocket's WebSocketClientConnecte against the wlsocket server,
  websocket-client against the ``websockets`` server, alternated by batches.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import resource
import socket
import threading
import time
from typing import Any

from . import (
    LOOPBACK,
    ServerProcess,
    accept_connections,
    interleaved,
    row,
    serve_channels,
    timed,
    tiny_requested,
    wlsocket_listener,
)

STACK_SIZE = 512 * 1024
IDLE_TARGET = 10_000
ECHO_TARGET = 1_000
ECHO_ROUNDS = 3
REPLY_TIMEOUT_S = 60.0
TEARDOWN_LIMIT_S = 600.0
TEARDOWN_TARGET_S = 10.0
#: Threads, and descriptors, a server may keep after its connections are
#: gone: wlsocket's parking lot (transports/parking.py) and its epoll set,
#: made when the first idle reader parks.
LASTING = 1
_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

# Idle connections (wlsocket, reference), echoing connections, set-up:
# connections per batch and batches.  websockets.sync.server takes four
# descriptors and two threads per connection: 10,000 would pass the hard
# limit of 20,000 descriptors of the machine measured, so its memory per
# connection is measured with fewer (it grows linearly).
SIZES: dict[str, dict[str, Any]] = {
    "full": {"idle": (IDLE_TARGET, 4_000), "echo": ECHO_TARGET, "setup": (300, 7)},
    "quick": {"idle": (2_000, 1_000), "echo": ECHO_TARGET, "setup": (100, 5)},
    "tiny": {"idle": (40, 40), "echo": 20, "setup": (5, 2)},
}


def _raise_fd_limit() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def rss_kib(pid: int) -> int:
    """Resident memory of a process (Linux /proc)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


# --- the servers ---------------------------------------------------------------------------


def _wlsocket_channel(channel: str) -> None:
    from wlsocket import ErreurDetectee, SocketEcrit, SocketExiste, SocketFerme, SocketLit

    while True:
        message = SocketLit(channel)
        if ErreurDetectee:
            break
        SocketEcrit(channel, message)
    if SocketExiste(channel):  # at exit the program may have closed every socket already
        SocketFerme(channel)


def serve_wlsocket(ready: Any, stop: Any) -> None:
    """SocketWebSocket mode on the listening socket, a thread per channel."""
    from wlsocket import SocketChangeModeTransmission, SocketWebSocket

    _raise_fd_limit()
    threading.stack_size(STACK_SIZE)
    port = wlsocket_listener("server")
    SocketChangeModeTransmission("server", SocketWebSocket)
    ready.send(port)
    serve_channels("server", stop, _wlsocket_channel)


def serve_websockets(ready: Any, stop: Any) -> None:
    """``websockets.sync.server`` echo, its own thread per connection."""
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.server import serve

    _raise_fd_limit()
    threading.stack_size(STACK_SIZE)

    def echo(connection: Any) -> None:
        try:
            for message in connection:
                connection.send(message)
        except ConnectionClosed:  # the scale client just drops its sockets
            pass

    # No keepalive pings (the idle client never answers them; wlsocket's
    # server sends none either) and no compression: the same work as wlsocket.
    with serve(echo, LOOPBACK, 0, compression=None, max_size=2**26, ping_interval=None) as server:
        ready.send(server.socket.getsockname()[1])
        serving = threading.Thread(target=server.serve_forever, daemon=True)
        serving.start()
        while not stop.wait(0.2):
            pass
        server.shutdown()
        serving.join(10)


def serve_wlsocket_tcp(ready: Any, stop: Any) -> None:
    """Default-mode TCP channels, a thread per channel looping on SocketLit."""
    _raise_fd_limit()
    threading.stack_size(STACK_SIZE)
    ready.send(wlsocket_listener("server"))
    serve_channels("server", stop, _wlsocket_channel)


def serve_plain_tcp(ready: Any, stop: Any) -> None:
    """The reference: a plain-socket thread per connection, looping on recv."""

    def drain(conn: socket.socket) -> None:
        with conn:
            while conn.recv(65536):
                pass

    _raise_fd_limit()
    threading.stack_size(STACK_SIZE)
    listener = socket.create_server((LOOPBACK, 0), backlog=1024)
    ready.send(listener.getsockname()[1])
    accept_connections(listener, stop, lambda conn: threading.Thread(target=drain, args=(conn,), daemon=True).start())
    listener.close()


def hold_tcp(port: int, count: int, orders: Any, results: Any) -> None:
    """Client process: opens ``count`` plain TCP connections, then drops them all."""
    _raise_fd_limit()
    socks: list[socket.socket] = []
    try:
        for _ in range(count):
            socks.append(socket.create_connection((LOOPBACK, port), timeout=REPLY_TIMEOUT_S))
        results.send(("opened", len(socks)))
    except Exception as exc:  # reported to the parent, which fails the workload
        results.send(("error", repr(exc)))
    finally:
        orders.recv()
        for sock in socks:
            sock.close()
        results.send(("closed",))


# --- a minimal client for holding many connections -------------------------------------------


def _masked_text_frame(payload: bytes) -> bytes:
    """A final text frame from a client (RFC 6455 5.2); payload < 126 bytes."""
    mask = os.urandom(4)
    key = (mask * (len(payload) // 4 + 1))[: len(payload)]
    masked = (int.from_bytes(payload, "big") ^ int.from_bytes(key, "big")).to_bytes(len(payload), "big")
    return bytes([0x81, 0x80 | len(payload)]) + mask + masked


def _read_exact(sock: socket.socket, count: int) -> bytes:
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise EOFError("server closed")
        data += chunk
    return data


def _read_frame(sock: socket.socket) -> tuple[int, bytes]:
    head = _read_exact(sock, 2)
    length = head[1] & 0x7F
    if length == 126:
        length = int.from_bytes(_read_exact(sock, 2), "big")
    elif length == 127:
        length = int.from_bytes(_read_exact(sock, 8), "big")
    return head[0] & 0x0F, _read_exact(sock, length)


class _Connections:
    """Many client connections opened with pipelined handshakes."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.socks: list[socket.socket] = []
        self.failures = 0

    def open(self, count: int, batch: int = 100) -> None:
        while len(self.socks) < count:
            pending = []
            for _ in range(min(batch, count - len(self.socks))):
                key = base64.b64encode(os.urandom(16))
                try:
                    sock = socket.create_connection((LOOPBACK, self.port), timeout=REPLY_TIMEOUT_S)
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    sock.sendall(
                        b"GET / HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        b"Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n"
                        % (LOOPBACK.encode(), self.port, key)
                    )
                except OSError:
                    self._failed(None)
                    continue
                pending.append((sock, key))
            for sock, key in pending:
                answer = b""
                try:
                    while b"\r\n\r\n" not in answer:
                        chunk = sock.recv(4096)
                        if not chunk:
                            break
                        answer += chunk
                except OSError:
                    pass
                accept = base64.b64encode(hashlib.sha1(key + _GUID).digest())
                if answer.startswith(b"HTTP/1.1 101") and accept in answer:
                    self.socks.append(sock)
                else:
                    self._failed(sock)

    def _failed(self, sock: socket.socket | None) -> None:
        self.failures += 1
        if sock is not None:
            sock.close()
        if self.failures > 100:
            raise RuntimeError(f"more than 100 handshakes failed after {len(self.socks)} connections")

    def echo_all(self, count: int, rounds: int) -> tuple[int, int, float]:
        """(replies right, replies lost or wrong, seconds) over ``rounds``."""
        payload = b"x" * 100
        frame = _masked_text_frame(payload)
        right = lost = 0
        start = time.perf_counter()
        for _ in range(rounds):
            for sock in self.socks[:count]:
                sock.sendall(frame)
            for sock in self.socks[:count]:
                try:
                    opcode, data = _read_frame(sock)
                except (OSError, EOFError):
                    lost += 1
                    continue
                if opcode == 1 and data == payload:
                    right += 1
                else:
                    lost += 1
        return right, lost, time.perf_counter() - start

    def close(self) -> None:
        for sock in self.socks:
            sock.close()
        self.socks.clear()


def hold_connections(port: int, idle: int, echo: int, orders: Any, results: Any) -> None:
    """Client process: opens ``idle`` connections, waits, echoes, closes."""
    _raise_fd_limit()
    connections = _Connections(port)
    started = time.perf_counter()
    try:
        connections.open(idle)
        results.send(("opened", len(connections.socks), connections.failures, time.perf_counter() - started))
        orders.recv()  # the server's memory has been measured
        results.send(("echoed", *connections.echo_all(echo, ECHO_ROUNDS)))
    except Exception as exc:  # reported to the parent, which fails the workload
        results.send(("error", repr(exc)))
    finally:
        orders.recv()
        connections.close()
        results.send(("closed",))


# --- set-up rate ---------------------------------------------------------------------------------


def _setup_wlsocket(port: int, count: int) -> None:
    from wlsocket import ErreurInfo, SocketEcrit, SocketFerme, SocketLit, WebSocketClientConnecte

    payload = "x" * 100
    for index in range(count):
        name = f"scale-setup-{index}"
        if not WebSocketClientConnecte(name, LOOPBACK, port):
            raise RuntimeError(f"WebSocketClientConnecte failed: {ErreurInfo()}")
        SocketEcrit(name, payload)
        if SocketLit(name) != payload:
            raise RuntimeError(f"wlsocket echo failed: {ErreurInfo()}")
        SocketFerme(name)


def _setup_websocket_client(port: int, count: int) -> None:
    import websocket

    payload = "x" * 100
    for _ in range(count):
        connection = websocket.create_connection(f"ws://{LOOPBACK}:{port}/")
        connection.send(payload)
        if connection.recv() != payload:
            raise RuntimeError("websocket-client echo failed")
        connection.close()


def _wlsocket_client_available() -> bool:
    import wlsocket

    return hasattr(wlsocket, "WebSocketClientConnecte")


# --- the workload ----------------------------------------------------------------------------------


def _hold(server: ServerProcess, idle: int, echo: int) -> dict[str, Any]:
    """Open ``idle`` connections to ``server`` from a client process, measure."""
    assert server.pid is not None
    before = rss_kib(server.pid)
    with _ScaleClient(server, hold_connections, idle, echo) as client:
        _, opened, failures, open_s = client.answer()
        time.sleep(0.5)  # let the last channel threads reach their first read
        after = rss_kib(server.pid)
        descriptors = _descriptors(server.pid)
        threads = _threads(server.pid)
        client.order("echo")
        _, right, lost, echo_s = client.answer()
        # Every channel thread wakes at once to see its peer gone: wait for
        # the server to be idle again before measuring anything else.
        dropped = client.drop()
    return {
        "opened": opened,
        "failures": failures,
        "open_rate": opened / open_s,
        "rss_per_connection_kib": (after - before) / max(1, opened),
        "rss_mib": after / 1024,
        "fds_per_connection": descriptors / max(1, opened),
        "threads_per_connection": threads / max(1, opened),
        "right": right,
        "lost": lost,
        "echo_rate": (right + lost) / echo_s,
        **dropped,
    }


def _teardown_tcp(server: ServerProcess, count: int) -> dict[str, Any]:
    """Seconds until ``server`` has ended the threads of ``count`` TCP
    connections dropped at once, and what it keeps after."""
    assert server.pid is not None
    pid = server.pid
    idle_threads, idle_epolls = _threads(pid), _epolls(pid)

    def channel_threads() -> int:
        # The parking lot's thread comes with its epoll descriptor: not a channel's.
        return _threads(pid) - idle_threads - (_epolls(pid) - idle_epolls)

    with _ScaleClient(server, hold_tcp, count) as client:
        client.answer()
        limit = time.monotonic() + 120
        while channel_threads() < count and time.monotonic() < limit:
            time.sleep(0.05)  # until every channel thread runs
        held = channel_threads()
        return {"held": held, **client.drop()}


class _ScaleClient:
    """A client process ``target(port, *args, orders, results)`` against
    ``server``: its reports (:meth:`answer`), the orders it waits for
    (:meth:`order`), and :meth:`drop`, which has it close every connection
    and measures the server's teardown.  Leaving the block ends it."""

    def __init__(self, server: ServerProcess, target: Any, *args: Any) -> None:
        import multiprocessing

        assert server.pid is not None
        self._pid = server.pid
        self._idle_threads, self._idle_fds = _threads(self._pid), _descriptors(self._pid)
        context = multiprocessing.get_context("spawn")
        orders_read, self._orders = context.Pipe(duplex=False)
        self._results, results_write = context.Pipe(duplex=False)
        self._process = context.Process(
            target=target, args=(server.info, *args, orders_read, results_write), daemon=True
        )

    def __enter__(self) -> _ScaleClient:
        self._process.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._process.join(60)
        if self._process.is_alive():
            self._process.kill()

    def answer(self, timeout: float = 600) -> tuple:
        """The client's next report; its failure raised here."""
        if not self._results.poll(timeout):
            raise RuntimeError("the scale client did not answer")
        answer = self._results.recv()
        if answer[0] == "error":
            raise RuntimeError(f"scale client: {answer[1]}")
        return answer

    def order(self, what: str) -> None:
        self._orders.send(what)

    def drop(self) -> dict[str, Any]:
        """Every connection closed at once: seconds until the server is back
        to its threads and descriptors of before the client came (plus
        :data:`LASTING`), and what it kept."""
        self.order("close")
        self.answer()
        teardown_s = _until_released(self._pid, self._idle_threads, self._idle_fds)
        return {
            "teardown_s": teardown_s,
            "threads_left": _threads(self._pid) - self._idle_threads,
            "fds_left": _descriptors(self._pid) - self._idle_fds,
        }


def _until_released(pid: int, idle_threads: int, idle_fds: int) -> float:
    """Seconds until the server ``pid`` is back to its idle threads and
    descriptors (plus :data:`LASTING`), at most :data:`TEARDOWN_LIMIT_S`."""
    closed_at = time.monotonic()
    while (
        _threads(pid) > idle_threads + LASTING or _descriptors(pid) > idle_fds + LASTING
    ) and time.monotonic() - closed_at < TEARDOWN_LIMIT_S:
        time.sleep(0.05)
    return time.monotonic() - closed_at


def _epolls(pid: int) -> int:
    """The epoll descriptors of process ``pid``."""
    count = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        with contextlib.suppress(OSError):  # closed meanwhile
            count += os.readlink(f"/proc/{pid}/fd/{fd}") == "anon_inode:[eventpoll]"
    return count


def _threads(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/task"))


def _descriptors(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def run(quick: bool, tiny: bool = False) -> list[dict]:
    sizes = SIZES["tiny" if tiny or tiny_requested() else "quick" if quick else "full"]
    (idle, reference_idle), echo = sizes["idle"], sizes["echo"]
    per_batch, batches = sizes["setup"]
    _raise_fd_limit()
    rows = []
    with ServerProcess(serve_wlsocket) as wls, ServerProcess(serve_websockets) as reference:
        # Set-up rate first, on fresh servers: the mass disconnect that ends
        # the idle test keeps a server busy for minutes.
        wlsocket_client = _wlsocket_client_available()
        ours_setup = _setup_wlsocket if wlsocket_client else _setup_websocket_client
        setup_rates = interleaved(
            {
                "wlsocket": lambda: per_batch / timed(lambda: ours_setup(wls.info, per_batch)),
                "reference": lambda: per_batch / timed(lambda: _setup_websocket_client(reference.info, per_batch)),
            },
            batches,
        )
        ours = _hold(wls, idle, echo)
        theirs = _hold(reference, reference_idle, echo)
        held_note = (
            f"wlsocket held {ours['opened']:,} of {idle:,} ({ours['failures']} handshakes failed), "
            f"server RSS {ours['rss_mib']:.0f} MiB, {ours['fds_per_connection']:.1f} descriptors and "
            f"{ours['threads_per_connection']:.1f} threads per connection; websockets measured with "
            f"{theirs['opened']:,}: {theirs['rss_mib']:.0f} MiB, {theirs['fds_per_connection']:.1f} descriptors "
            f"and {theirs['threads_per_connection']:.1f} threads per connection"
        )
        rows.append(
            row(
                f"Scale: {idle:,} idle WebSocket connections, server RSS per connection",
                ours["rss_per_connection_kib"],
                theirs["rss_per_connection_kib"],
                "KiB/connection",
                higher_is_better=False,
                reference_name="websockets.sync.server",
                met=ours["opened"] >= IDLE_TARGET and ours["failures"] == 0 if idle >= IDLE_TARGET else None,
                target_text=f"{IDLE_TARGET:,} held",
                note=held_note,
            )
        )
        released = ours["threads_left"] <= LASTING and ours["fds_left"] <= LASTING
        rows.append(
            row(
                f"Scale: teardown when the client drops {idle:,} idle connections at once",
                ours["teardown_s"],
                theirs["teardown_s"],
                "s",
                higher_is_better=False,
                reference_name=f"websockets.sync.server ({theirs['opened']:,} connections)",
                met=ours["teardown_s"] < TEARDOWN_TARGET_S and released if idle >= IDLE_TARGET else None,
                target_text=f"< {TEARDOWN_TARGET_S:.0f} s, all released",
                note=(
                    f"until every channel thread has ended and every descriptor is released: wlsocket "
                    f"{ours['threads_left']} thread(s) and {ours['fds_left']} descriptor(s) left (its parking lot's); "
                    f"websockets {theirs['threads_left']} and {theirs['fds_left']}. The reference holds fewer "
                    "connections (see the RSS row), so the ratio favours it"
                ),
            )
        )
        rows.append(
            row(
                f"Scale: {echo:,} connections echoing at once, 100 B",
                ours["echo_rate"],
                theirs["echo_rate"],
                "echoes/s",
                reference_name="websockets.sync.server",
                met=ours["lost"] == 0 and ours["right"] == echo * ECHO_ROUNDS if echo >= ECHO_TARGET else None,
                target_text="none lost",
                note=f"{ours['right']:,} echoes right, {ours['lost']} lost (websockets: {theirs['lost']} lost)",
            )
        )
        rows.append(
            row(
                "Scale: opening the idle connections (pipelined handshakes)",
                ours["open_rate"],
                theirs["open_rate"],
                "connections/s",
                reference_name="websockets.sync.server",
            )
        )
        rows.append(
            row(
                "Scale: connection set-up (connect, handshake, one echo, close)",
                setup_rates["wlsocket"],
                setup_rates["reference"],
                "connections/s",
                reference_name="websocket-client + websockets server",
                **(
                    {}
                    if wlsocket_client
                    else {"note": "websocket-client against the wlsocket server (WebSocketClientConnecte not present)"}
                ),
            )
        )
    with ServerProcess(serve_wlsocket_tcp) as wls, ServerProcess(serve_plain_tcp) as reference:
        ours, theirs = _teardown_tcp(wls, idle), _teardown_tcp(reference, idle)
    released = ours["threads_left"] <= LASTING and ours["fds_left"] <= LASTING
    rows.append(
        row(
            f"Scale: teardown when the client drops {idle:,} idle TCP channels at once",
            ours["teardown_s"],
            theirs["teardown_s"],
            "s",
            higher_is_better=False,
            reference_name="plain sockets, a thread per connection looping on recv",
            met=ours["teardown_s"] < TEARDOWN_TARGET_S and released and ours["held"] == idle
            if idle >= IDLE_TARGET
            else None,
            target_text=f"< {TEARDOWN_TARGET_S:.0f} s, all released",
            note=(
                f"default mode, channel threads looping on SocketLit; {ours['held']:,} channel threads running "
                f"before the drop (reference {theirs['held']:,}); "
                f"left after: wlsocket {ours['threads_left']} thread(s) and "
                f"{ours['fds_left']} descriptor(s) (its parking lot's), the reference {theirs['threads_left']} "
                f"and {theirs['fds_left']}"
            ),
        )
    )
    return rows
