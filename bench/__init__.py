"""wlsocket's benchmarks: each workload against its reference, in the same run.

``python -m bench`` runs every workload module present, prints the table and
writes docs/benchmarks.md and docs/benchmarks.png; ``--quick`` is the short
version (under two minutes), ``--tiny`` the smoke run the test suite uses.

A workload module is a module of this package with a function
``run(quick: bool) -> list[dict]`` (it may also accept ``tiny: bool``; the
environment variable ``WLSOCKET_BENCH_TINY=1`` says the same to modules that
do not).  Every module returns rows of ONE format, made with :func:`row`:

===================  =========================================================
key                  meaning
===================  =========================================================
workload             what was measured, e.g. "TCP size prefix: 100 B round trips"
wlsocket             wlsocket's figure (float)
reference            the reference's figure from the same run, or None
unit                 unit of both figures ("round trips/s", "MiB/s", ...)
reference_name       (optional) what the reference is ("plain socket")
higher_is_better     (optional, default True) False for costs such as memory
target               (optional) minimum ratio; else :data:`TARGETS` decides
met                  (optional) verdict of a target that is not a ratio
target_text          (optional) how such a target reads ("10,000 held")
note                 (optional) one short remark printed under the table
spread               (optional) run-to-run spread of the ratio, ± in ratio
                     units; :func:`row` works it out itself when both
                     figures come from :func:`interleaved`
===================  =========================================================

The ratio is ``wlsocket / reference`` (``reference / wlsocket`` when lower
is better), so above 1 always means wlsocket does better.

Absolute figures move with the machine's load; only ratios of the same run
compare.  :func:`interleaved` therefore alternates the two sides repetition
by repetition and keeps medians (each a :class:`Measured`, which remembers
its samples, so a row shows how far the ratio moved from one repetition to
the next), and :class:`ServerProcess` puts every server in its own process.

``python -m bench --instructions`` counts instructions instead of timing
(callgrind, see :mod:`bench.instructions_bench`): deterministic, so the
effect of a change shows without the run-to-run noise.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import re
import socket
import statistics
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

__all__ = [
    "row",
    "ratio",
    "target_of",
    "is_met",
    "matching_target",
    "TARGETS",
    "WORKLOAD_MODULES",
    "interleaved",
    "Measured",
    "ratio_spread",
    "ServerProcess",
    "tiny_requested",
    "timed",
    "pinned",
    "pin_thread",
    "separate_cpus",
    "free_port",
    "wlsocket_listener",
    "serve_channels",
    "accept_connections",
    "LOOPBACK",
]

#: Workload modules, in the order of the table.  Missing ones are reported
#: as "not present" (they are written by different people at different times).
WORKLOAD_MODULES = (
    "tcp_bench",
    "ws_client_bench",
    "ws_server_bench",
    "scale_bench",
    "instructions_bench",
    "cli_bench",
    "webdev_bench",
    "translate_bench",
)

#: Targets from issues 7 and 16: (module, pattern matched against the workload
#: name, minimum ratio or None when the row says itself whether it is met,
#: the target in words).  The first match wins; a row's own ``target`` key
#: overrides.  Targets of modules not present are listed as not measured.
TARGETS: list[tuple[str, str, float | None, str]] = [
    (
        "tcp_bench",
        r"^TCP .*round trips, echo server in this process",
        0.85,
        "TCP 100 B round trips, echo server in the client's process >= 0.85 x hand framing (issue 16)",
    ),
    ("tcp_bench", r"^TCP .*round trips", 0.9, "TCP size prefix round trips >= 0.9 x plain socket"),
    ("tcp_bench", r"^TCP .*throughput", 0.8, "TCP size prefix 1 MiB throughput >= 0.8 x plain socket"),
    (
        "tcp_bench",
        r"^Str in the reference too: TCP",
        0.9,
        "TCP 1 MiB throughput and 64 KiB round trips >= 0.9 x hand framing with str conversion (issue 16)",
    ),
    ("tcp_bench", r"^End tag buffer", 0.5, "End tag with buffer, 32 B lines >= 0.5 x bytes.find loop (issue 16)"),
    ("ws_client_bench", r"^WS client.*100 B", 1.2, "WS client 100 B round trips >= 1.2 x websocket-client"),
    ("ws_client_bench", r"^WS client.*1 MiB text", 20.0, "WS client 1 MiB text >= 20 x websocket-client default"),
    ("ws_server_bench", r"^WS server.*100 B", 1.0, "WS server 100 B round trips >= 1.0 x websockets.sync.server"),
    ("ws_server_bench", r"^WS server.*1 MiB binary", 1.0, "WS server 1 MiB binary >= 1.0 x websockets.sync.server"),
    ("ws_server_bench", r"^WS server.*1 MiB text", 1.0, "WS server 1 MiB text >= 1.0 x websockets.sync.server"),
    (
        "scale_bench",
        r"^Scale: [\d,]+ idle",
        None,
        "10,000 idle connections held by one server process, RSS per connection",
    ),
    ("scale_bench", r"^Scale: [\d,]+ connections echoing", None, "1,000 connections echoing at once, none lost"),
    (
        "scale_bench",
        r"^Scale: teardown",
        None,
        "10,000 idle connections dropped at once: threads ended and descriptors released in < 10 s (issue 16)",
    ),
    (
        "instructions_bench",
        r"^Instructions: TCP 100 B SocketEcrit \+ SocketLit",
        0.5,
        "Instructions per SocketEcrit + SocketLit round trip <= 2 x hand framing (issue 16)",
    ),
    ("cli_bench", r"^Trace relay: 100 B round trips through", 1 / 1.1,
     "wlsocket trace adds < 10 % to the round trip of 100 B messages"),
]


def row(
    workload: str,
    wlsocket: float,
    reference: float | None,
    unit: str,
    **extra: Any,
) -> dict:
    """One line of the table (see the module docstring for the keys)."""
    known = {"reference_name", "higher_is_better", "target", "met", "target_text", "note", "spread"}
    unknown = set(extra) - known
    if unknown:
        raise TypeError(f"unknown row keys: {sorted(unknown)}")
    line = {"workload": workload, "wlsocket": wlsocket, "reference": reference, "unit": unit, **extra}
    if "spread" not in line:
        spread = ratio_spread(wlsocket, reference, extra.get("higher_is_better", True))
        if spread is not None:
            line["spread"] = spread
    return {key: float(value) if isinstance(value, Measured) else value for key, value in line.items()}


def ratio_spread(wlsocket: object, reference: object, higher_is_better: bool = True) -> float | None:
    """Half the range of the per-repetition ratios, when both figures are
    :class:`Measured` with paired samples (repetition i of one side ran next
    to repetition i of the other); None otherwise."""
    if not (isinstance(wlsocket, Measured) and isinstance(reference, Measured)):
        return None
    pairs = list(zip(wlsocket.samples, reference.samples, strict=False))
    if len(pairs) < 2 or len(wlsocket.samples) != len(reference.samples) or not all(a and b for a, b in pairs):
        return None
    ratios = [ours / theirs if higher_is_better else theirs / ours for ours, theirs in pairs]
    return (max(ratios) - min(ratios)) / 2


def ratio(line: dict) -> float | None:
    """How much better wlsocket does than the reference (None: no reference)."""
    ours, theirs = line.get("wlsocket"), line.get("reference")
    if not ours or not theirs:
        return None
    return ours / theirs if line.get("higher_is_better", True) else theirs / ours


def target_of(line: dict) -> float | None:
    """The minimum ratio this row must reach, if it has one."""
    if line.get("target") is not None:
        return float(line["target"])
    found = matching_target(line["workload"])
    return None if found is None else found[2]


def matching_target(workload: str) -> tuple[str, str, float | None, str] | None:
    """The entry of :data:`TARGETS` that applies to a workload name."""
    for entry in TARGETS:
        if re.search(entry[1], workload, re.IGNORECASE):
            return entry
    return None


def is_met(line: dict) -> bool | None:
    """True/False when the row has a target, None when it has none."""
    if line.get("met") is not None:
        return bool(line["met"])
    minimum, measured = target_of(line), ratio(line)
    if minimum is None or measured is None:
        return None
    return measured >= minimum


def tiny_requested() -> bool:
    """True in the test suite's smoke run: use the smallest sizes there are."""
    return os.environ.get("WLSOCKET_BENCH_TINY") == "1"


class Measured(float):
    """A median that keeps the samples it was taken from.

    It is a ``float`` everywhere a figure is expected; :func:`row` reads the
    samples to record the ratio's spread.  Scaling by a number (``rate *
    lines``) scales the samples too, so the spread survives unit changes.
    """

    samples: tuple[float, ...]

    def __new__(cls, samples: Sequence[float]) -> Measured:
        measured = super().__new__(cls, statistics.median(samples))
        measured.samples = tuple(samples)
        return measured

    def __mul__(self, other: object) -> Any:
        if isinstance(other, (int, float)) and not isinstance(other, Measured):
            return Measured([sample * other for sample in self.samples])
        return float(self) * other  # type: ignore[operator]

    __rmul__ = __mul__

    def __truediv__(self, other: object) -> Any:
        if isinstance(other, (int, float)) and not isinstance(other, Measured) and other:
            return Measured([sample / other for sample in self.samples])
        return float(self) / other  # type: ignore[operator]


def interleaved(sides: dict[str, Callable[[], float]], repetitions: int) -> dict[str, Measured]:
    """Run each side ``repetitions`` times, alternating the order every
    repetition (A B, B A, ...) so slow phases of the machine hit both sides
    alike; the median of each side's results is returned (with its samples,
    in repetition order, see :class:`Measured`)."""
    names = list(sides)
    results: dict[str, list[float]] = {name: [] for name in names}
    for repetition in range(repetitions):
        for name in names if repetition % 2 == 0 else reversed(names):
            results[name].append(sides[name]())
    return {name: Measured(values) for name, values in results.items()}


def timed(action: Callable[[], Any]) -> float:
    """Seconds ``action`` took (perf_counter)."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def wlsocket_listener(name: str) -> int:
    """``SocketCrée(name, <a free port>, "127.0.0.1")``; returns the port."""
    from wlsocket import ErreurInfo, SocketCree

    for _ in range(50):  # another process may take the port between probe and bind
        port = free_port()
        if SocketCree(name, port, LOOPBACK):
            return port
    raise RuntimeError(f"no free port for a wlsocket server: {ErreurInfo()}")


def serve_channels(name: str, stop: Any, serve_channel: Callable[[str], None]) -> None:
    """The server loop of a WLangage program: until ``stop`` is set, accept
    on the listening socket ``name`` and run ``serve_channel(channel)`` in a
    thread of its own; then SocketFerme(name)."""
    from wlsocket import SocketAccepte, SocketAttendConnexion, SocketFerme

    while not stop.is_set():
        if SocketAttendConnexion(name, 100):
            channel = SocketAccepte(name)
            if channel:
                threading.Thread(target=serve_channel, args=(channel,), daemon=True).start()
    SocketFerme(name)


def accept_connections(
    listener: socket.socket, stop: Any, serve_connection: Callable[[socket.socket], None], nodelay: bool = False
) -> None:
    """The plain-socket server loop of the references: until ``stop`` is set,
    accept on ``listener`` (polling ``stop`` every 0.1 s) and hand each
    connection, blocking, to ``serve_connection``, called in the accepting
    thread (start a thread there to serve connections at once)."""
    listener.settimeout(0.1)
    while not stop.is_set():
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            continue
        conn.settimeout(None)
        if nodelay:
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        serve_connection(conn)


def separate_cpus() -> tuple[int, int] | None:
    """Two CPUs this process may use (client, server), or None on one CPU."""
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    return (cpus[0], cpus[1]) if len(cpus) >= 2 else None


def pin_thread(cpu: int | None) -> None:
    """Keep the calling thread (and the threads it starts) on ``cpu``."""
    if cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {cpu})


@contextlib.contextmanager
def pinned(cpu: int | None) -> Iterator[None]:
    """Run the calling thread on ``cpu`` for the block, then as before.

    Round trips on loopback cost wildly different times depending on whether
    the scheduler puts client and server on one core or on two (a factor of
    five here): pinning makes the regime chosen, not drawn."""
    if cpu is None or not hasattr(os, "sched_setaffinity"):
        yield
        return
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {cpu})
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


class ServerProcess:
    """A server running ``target(ready, stop, *args)`` in a fresh process
    (``in_this_process``: in a thread of this one).

    ``target`` binds 127.0.0.1, calls ``ready.send(port)`` (or any picklable
    value), serves until ``stop.is_set()``, and returns.  Use as a context
    manager: the value sent is :attr:`info`; leaving stops and joins it.
    """

    START_TIMEOUT_S = 60.0
    STOP_TIMEOUT_S = 10.0

    def __init__(self, target: Callable[..., None], *args: Any, in_this_process: bool = False) -> None:
        context = multiprocessing.get_context("spawn")
        self._receive, send = context.Pipe(duplex=False)
        self._stop: Any
        self._process: Any
        if in_this_process:  # a thread of this process: the same server sharing the client's interpreter
            self._stop = threading.Event()
            self._process = threading.Thread(target=target, args=(send, self._stop, *args), daemon=True)
        else:
            self._stop = context.Event()
            self._process = context.Process(target=target, args=(send, self._stop, *args), daemon=True)
        self.info: Any = None

    def __enter__(self) -> ServerProcess:
        self._process.start()
        if not self._receive.poll(self.START_TIMEOUT_S):
            self._kill()
            raise RuntimeError(f"benchmark server {self._process.name} did not start")
        self.info = self._receive.recv()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._process.join(self.STOP_TIMEOUT_S)
        self._kill()
        self._receive.close()

    @property
    def pid(self) -> int | None:
        return getattr(self._process, "pid", os.getpid())

    def _kill(self) -> None:
        if self._process.is_alive() and isinstance(self._process, multiprocessing.process.BaseProcess):
            self._process.kill()
            self._process.join(self.STOP_TIMEOUT_S)
