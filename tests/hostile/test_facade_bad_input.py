"""Bad input to the public facade: only documented outcomes, never a hang.

Every callable of :data:`wlsocket.names.TABLES` is called (hypothesis) with
arguments of the wrong type and odd values: None, booleans, negative and
huge integers, NaN and infinities, bytes, bytearray, lists, dicts, bare
objects, timedeltas, empty and very long strings, strings holding NUL, lone
surrogates or characters that have no ANSI code, and a wrong number of
arguments.  The socket functions get both unknown names and the sockets of
each kind, made afresh for each example on 127.0.0.1: a TCP listener, a
client and the channel accepted for it, a UDP socket and, when the example
asks for them, a SocketWebSocket channel with its WebSocketClientConnecte
client (handshake done).

Allowed outcomes, nothing else:

(a) :class:`WLangageError` (fatal) with a code of ``errors.MESSAGES`` and a
    message;
(b) the function's failure value (``False``, ``""``, or ``None`` for
    SocketFerme) with ErreurDétectée true and ``ErreurInfo(errCode)`` a code
    of ``errors.MESSAGES``;
(c) a success value of the documented type, ErreurDétectée false (SocketLit
    may return a message with the documented SOCKET_LIT_MARQUEUR_FIN warning).

Also checked: the call returns within :data:`CALL_BOUND_S` (it runs in a
thread joined with that timeout, so a hang fails the test instead of
blocking the suite); a failed call registers no name and leaves no
descriptor open; a successful creation registers exactly its name.

Chosen: Python's own ``TypeError`` for a wrong *number* of arguments is
accepted (that is how Python reports it, as the WLangage compiler would);
it is accepted only when ``inspect.signature(f).bind(*args)`` fails too, so
a TypeError from inside the package still fails the test.

Values that would legitimately wait forever or go elsewhere are never
drawn: SocketLit is never asked for an infinite wait (its ``wait`` is False,
0 or not a boolean) and its timeouts are a few milliseconds (either sign: a
negative one counts as its opposite) or invalid;
SocketAttendConnexion gets no 0 or negative timeout (they mean "forever");
SocketEcrit is not sent to the listening socket (the simplified server waits
for its client, as documented).  Ports are the example's own (in use, or
free and closed) or invalid (0, -1, 70000...); addresses are 127.0.0.1 or
strings that cannot resolve (NUL, lone surrogate, IDNA-invalid) so no DNS
query leaves the machine; WebSocket and TLS clients only target the closed
port (a TLS or WebSocket handshake against the plain listener would wait its
whole timeout).

The WLangage helpers (strings, buffers, hashes, Trace/Info/Erreur on
strict UTF-8 streams as on a terminal) get any arguments and may only raise
WLangageError or Python's arity TypeError; ThreadExécute, ThreadAttend and
Multitâche are left to their own tests (:data:`NOT_FUZZED` says why).

Runtime: 100 examples per function (about 10 s for the file); the "long"
hypothesis profile (WLSOCKET_HYPOTHESIS_PROFILE=long) gives 1000 (about 80 s).
"""

from __future__ import annotations

import contextlib
import datetime
import inspect
import io
import math
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from typing import Any

import pytest
import trustme
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wlsocket
from tests.conftest import LOOPBACK, free_port, open_fds
from wlsocket import names
from wlsocket.api import websocket as websocket_api
from wlsocket.errors import MESSAGES, WLangageError
from wlsocket.registry import REGISTRY
from wlsocket.transports import certificates
from wlsocket.transports.wsserver import WebSocketOptions
from wlsocket.values import Buffer

#: A call still running after this is a hang.
CALL_BOUND_S = 5.0
#: Examples per function; the "long" hypothesis profile (docs/reliability.md) gives 1000.
EXAMPLES = max(100, settings().max_examples // 20)

# --- symbolic arguments, resolved once the example's sockets exist ------------


@dataclass(frozen=True)
class Ref:
    """A socket name, port or path that exists only inside the example."""

    key: str

    def __repr__(self) -> str:
        return f"<{self.key}>"


LISTENER, CLIENT, CHANNEL, UDP = Ref("listener"), Ref("client"), Ref("channel"), Ref("udp")
WS_CHANNEL, WS_CLIENT = Ref("ws_channel"), Ref("ws_client")
LISTENER_PORT, CLOSED_PORT, UDP_PORT = Ref("listener_port"), Ref("closed_port"), Ref("udp_port")
WS_URL, WSS_URL, CERT_FILE = Ref("ws_url"), Ref("wss_url"), Ref("cert_file")
NEW_NAME = "bi_new"
WEBSOCKET_REFS = {WS_CHANNEL, WS_CLIENT}
EXISTING = [LISTENER, CLIENT, CHANNEL, UDP, WS_CHANNEL, WS_CLIENT]

# --- values --------------------------------------------------------------------

ODD_STRINGS = [
    "", " ", "\x00", "a\x00b", "\ud800", "x\udfff", "€", "é", "中文", "😀", "²", "٣",
    "x" * 5000, "é" * 300, "nan", "inf", "-1", "0", "1e400", "a..b", "\r\n", "<EOF>", "9" * 5000,
]
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=12)
NOT_STRINGS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, -1, 70000, 2**31, 2**63, 10**30, -(10**30)]),
    st.floats(),
    st.sampled_from([math.nan, math.inf, -math.inf, -0.0, 1e300]),
    st.binary(max_size=8),
    st.binary(max_size=8).map(bytearray),
    st.lists(st.integers(-3, 3), max_size=3),
    st.tuples(st.integers(-3, 3)),
    st.dictionaries(st.text(max_size=3), st.integers(-3, 3), max_size=2),
    st.builds(object),
    st.timedeltas(),
)
#: Anything: what a confused caller may pass.
JUNK = st.one_of(NOT_STRINGS, st.sampled_from(ODD_STRINGS), ANY_TEXT)


def weighted(common: st.SearchStrategy, weight: int, rare: st.SearchStrategy) -> st.SearchStrategy:
    """``common`` about ``weight`` times as often as ``rare`` (one_of would
    flatten a nested one_of and weigh its branches one by one)."""
    return st.integers(0, weight).flatmap(lambda pick: common if pick < weight else rare)


#: Mostly the example's sockets (so the other arguments get checked), else anything.
NAMES = weighted(
    st.sampled_from(EXISTING), 4, st.one_of(st.just(NEW_NAME), NOT_STRINGS, st.sampled_from(ODD_STRINGS), ANY_TEXT)
)
#: For the functions that create a socket: mostly a free name.
NEW_NAMES = weighted(st.just(NEW_NAME), 3, NAMES)
#: Never a valid port that is not the example's own (it could be someone else's).
BAD_PORTS = st.one_of(
    st.sampled_from([0, -1, 70000, 65536, 2**63, "0", "70000", "²", "", " ", "9" * 5000]),
    NOT_STRINGS.filter(lambda v: not (isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 65535)),
)
#: Invalid ports, or this example's own.
PORTS = weighted(st.sampled_from([LISTENER_PORT, CLOSED_PORT, UDP_PORT]), 1, BAD_PORTS)
#: Ports a TLS or WebSocket client may target without waiting its timeout.
CLOSED_PORTS = weighted(st.just(CLOSED_PORT), 1, BAD_PORTS)
UNRESOLVABLE = ["\x00", "a\x00b", "\ud800", "x" * 300, "é" * 100, "a..b", "..", "\udc80.example"]
#: Where a server may bind: 127.0.0.1, unresolvable strings, or not a string.
BIND_ADDRESSES = st.one_of(
    st.sampled_from([LOOPBACK, *UNRESOLVABLE]), NOT_STRINGS.filter(lambda v: v is not None)
)
#: Where a client may connect: as BIND_ADDRESSES, or the default (this computer).
TARGET_ADDRESSES = st.one_of(BIND_ADDRESSES, st.sampled_from([None, ""]))
#: Timeouts that are invalid or last a few milliseconds (never "forever").
SHORT_TIMEOUTS = st.one_of(
    st.sampled_from(
        [math.nan, math.inf, -math.inf, 1e300, 10**30, 2**31, "soon", "²", "", " ", "\x00", "1e400 s", "9" * 5000,
         "5 ms", "0,005 s", "5", None, True, False, [], {}, b"5", datetime.timedelta(milliseconds=5),
         datetime.timedelta.max, "99999999999999999999 j"]
    ),
    st.integers(1, 15),
    st.floats(1.0, 15.0),
    st.builds(object),
)
#: SocketLit also takes 0 (no wait) and negative timeouts (their opposite, as WINDEV).
READ_TIMEOUTS = st.one_of(
    SHORT_TIMEOUTS, st.integers(-15, 10), st.sampled_from([-math.inf, "-5", -(2**40), -(10**30), -1e300])
)
#: SocketLit's <attente infinie>: never a true value (it would wait forever).
NO_WAIT = weighted(
    st.sampled_from([False, 0]),
    2,
    st.one_of(NOT_STRINGS.filter(lambda v: not isinstance(v, (bool, int))), st.sampled_from(ODD_STRINGS)),
)
MESSAGES_TO_SEND = st.one_of(JUNK, st.just(Buffer(b"\x00\xff")), st.just(memoryview(b"mv")))
MODES = st.one_of(st.sampled_from([0, 1, 2, 3, 100, 1.0, 4, -1]), JUNK)
WS_OPTIONS = st.one_of(
    JUNK,
    st.builds(WebSocketOptions, JUNK, JUNK, JUNK, JUNK, JUNK),  # SocketOptionsWebSocket: takes any value
    st.dictionaries(
        st.sampled_from(["subprotocols", "origins", "compression", "max_message_size", "handshake_timeout", "bogus"]),
        JUNK,
        max_size=3,
    ),
)
TLS_OPTIONS = st.one_of(st.sampled_from([0, 1, 2, 4, 8, 16, 32, 64, 128, 1 << 20, -1]), JUNK)

# --- the facade, function by function ------------------------------------------


def is_true(value: object) -> bool:
    return value is True


def is_bool(value: object) -> bool:
    return isinstance(value, bool)


def is_text(value: object) -> bool:
    return isinstance(value, str)


def is_message(value: object) -> bool:
    return isinstance(value, (str, Buffer))


@dataclass
class Spec:
    """How to call one facade function with bad input, and what it may return."""

    positional: list[st.SearchStrategy]
    failure: Any
    ok: Callable[[object], bool]
    #: fewest positional arguments that cannot wait forever
    fewest: int = 0
    keywords: dict[str, st.SearchStrategy] = field(default_factory=dict)
    creates: bool = False  # a success registers the name given first
    variadic: bool = False  # WebSocketClientConnecte(SSL): the second strategy draws *arguments

    def calls(self) -> st.SearchStrategy:
        """(positional arguments, keyword arguments): all of them, fewer (down
        to ``fewest``), or all and one or two more."""
        full = len(self.positional)
        junk_tuples = st.lists(JUNK, min_size=1, max_size=2).map(tuple)
        extra = st.just(()) if self.variadic else weighted(st.just(()), 6, junk_tuples)
        return st.builds(
            # extra arguments only after all the others: never in a slot whose values are chosen with care
            lambda args, count, more, kwargs: (tuple(args[:count]) + (more if count == full else ()), kwargs),
            st.tuples(*self.positional),
            weighted(st.just(full), 6, st.integers(self.fewest, full)),
            extra,
            st.fixed_dictionaries({}, optional=self.keywords),
        )


def ws_client_arguments(secure: bool) -> st.SearchStrategy:
    """<adresse> [, <port> [, <chemin> [, <protocoles> [, <options SSL>] [, <délai>]]]] as a list."""
    address = st.one_of(TARGET_ADDRESSES, st.sampled_from([WS_URL, WSS_URL, "ws://\ud800/", "ws://", "wss://a\x00b/"]))
    port = CLOSED_PORTS.filter(lambda v: v not in (None, 0, "", False))
    path = st.one_of(st.sampled_from(["/", "chat", None, "", "/a b", "/\ud800"]), JUNK)
    protocols = st.one_of(st.sampled_from(["chat", "a, b", ["x"], None, "", "a b", "é"]), JUNK)
    parts = [address, port, path, protocols] + ([TLS_OPTIONS] if secure else []) + [SHORT_TIMEOUTS]
    procedure = st.sampled_from([lambda: None, lambda a, b, c: None, len])  # none has the two parameters
    return st.tuples(
        st.one_of(st.just(()), procedure.map(lambda p: (p,))),
        st.tuples(*parts),
        st.integers(0, len(parts)),
        st.lists(JUNK, max_size=1).map(tuple),  # one too many, only when all are there
    ).map(lambda t: t[0] + tuple(t[1][: t[2]]) + (t[3] if t[2] == len(parts) else ()))


#: The functions that close a socket and free its name.
CLOSERS = ("SocketFerme", "SocketWebSocketFerme")

SPECS: dict[str, Spec] = {
    "SocketCrée": Spec([NEW_NAMES, PORTS, BIND_ADDRESSES], False, is_true, creates=True),
    "SocketCréeUDP": Spec([NEW_NAMES, PORTS, BIND_ADDRESSES], False, is_true, creates=True),
    "SocketCréeSSL": Spec(
        [NEW_NAMES, PORTS, st.one_of(st.just(CERT_FILE), JUNK), TLS_OPTIONS, BIND_ADDRESSES],
        False,
        is_true,
        creates=True,
        keywords={
            "client_ca_file": st.one_of(st.just(CERT_FILE), JUNK),
            "handshake_timeout": SHORT_TIMEOUTS,
            "legacy_tls": JUNK,
        },
    ),
    "SocketConnecte": Spec(
        [NEW_NAMES, st.one_of(PORTS, st.sampled_from([WS_URL, "ws://\ud800/"])), TARGET_ADDRESSES, JUNK],
        False,
        is_true,
        creates=True,
    ),
    "SocketConnecteSSL": Spec(
        [NEW_NAMES, CLOSED_PORTS, TARGET_ADDRESSES, TLS_OPTIONS, SHORT_TIMEOUTS, st.one_of(st.just(CERT_FILE), JUNK)],
        False,
        is_true,
        creates=True,
        keywords={"ca_file": st.one_of(st.just(CERT_FILE), JUNK), "verify": JUNK, "legacy_tls": JUNK},
    ),
    "SocketAttendConnexion": Spec([NAMES, SHORT_TIMEOUTS], False, is_bool, fewest=2),
    "SocketAccepte": Spec([NAMES], "", lambda v: is_text(v) and v in REGISTRY.names()),
    "SocketRefuse": Spec([NAMES], False, is_true),
    "SocketLit": Spec(
        [NAMES, NO_WAIT, READ_TIMEOUTS, st.one_of(st.integers(-5, 2**40), JUNK), JUNK], "", is_message, fewest=3
    ),
    "SocketEcrit": Spec(
        [NAMES.filter(lambda n: n != LISTENER), MESSAGES_TO_SEND, TARGET_ADDRESSES, PORTS],
        False,
        is_true,
    ),
    "SocketExiste": Spec([NAMES], None, is_bool),
    "SocketFerme": Spec([NAMES], None, lambda v: v is None),
    "SocketChangeModeTransmission": Spec([NAMES, MODES, WS_OPTIONS], False, is_true),
    "SocketClientInfo": Spec(
        [NAMES, st.one_of(st.sampled_from([1, 2, 1.0, 0, 3, 101, 102, 103, 104, True]), JUNK)], "", is_text
    ),
    "SocketTailleMaxMessage": Spec([NAMES, st.one_of(st.integers(-5, 2**40), JUNK)], False, is_true),
    "SocketDossierCertificats": Spec([st.one_of(st.sampled_from(ODD_STRINGS), ANY_TEXT, JUNK)], None, is_text),
    "SocketWebSocketEntête": Spec(
        [NAMES, st.one_of(st.sampled_from(["Host", "cookie", "Sec-WebSocket-Key"]), JUNK)], "", is_text
    ),
    "SocketWebSocketFerme": Spec(
        [NAMES, st.one_of(st.sampled_from([1000, 1001, 1008, 4000, 999, 1005, 1015, 5000, True]), JUNK),
         st.one_of(st.sampled_from(["", "bye", "é" * 62, "\ud800"]), JUNK)],
        None,
        lambda v: v is None,
    ),
    "SocketOptionsWebSocket": Spec(
        [JUNK, JUNK, JUNK, JUNK, JUNK], None, lambda v: isinstance(v, WebSocketOptions)
    ),
    "WebSocketClientConnecte": Spec(
        [NEW_NAMES, ws_client_arguments(False)], False, is_true, creates=True, variadic=True
    ),
    "WebSocketClientConnecteSSL": Spec(
        [NEW_NAMES, ws_client_arguments(True)],
        False,
        is_true,
        creates=True,
        variadic=True,
        keywords={"ca_file": st.one_of(st.just(CERT_FILE), JUNK), "verify": JUNK, "legacy_tls": JUNK},
    ),
    "WebSocketIntervallePing": Spec([NAMES, st.one_of(SHORT_TIMEOUTS, JUNK)], False, is_true),
    "ErreurInfo": Spec([JUNK], None, lambda v: isinstance(v, (str, int))),
}

#: Callables of the helper tables left to their own tests, and why.
NOT_FUZZED = {
    "ThreadExécute": "runs a procedure in a thread",
    "ThreadAttend": "waits for a thread (0 or a negative delay waits forever)",
    "Multitâche": "a pause: a valid huge delay waits that long",
    "ThreadPause": "a pause: a valid huge delay waits that long",
    "Temporisation": "a pause: a valid huge delay waits that long",
    "ThreadArrête": "waits its delay for a thread",
    "ThreadAttendSignal": "waits for a signal (no delay: forever)",
    "SignalAttend": "waits for a signal (no delay: forever)",
    "SémaphoreDébut": "waits for a semaphore (no delay: forever)",
    "MutexDébut": "waits for a mutex (no delay: forever)",
    "ExécuteThreadPrincipal": "runs a procedure (from a worker: waits for the main thread)",
    "TimerSys": "starts a timer that calls a procedure",
    "thread_principal": "a decorator: returns a procedure",
    "Thread": "makes a thread handle for a procedure",
    "SectionCritiqueDébut": "holds a lock until SectionCritiqueFin (a later call would wait for it)",
    "FinProgramme": "ends the program (SystemExit)",
    "Ping": "knocks at a computer named by the drawn string (a DNS lookup each)",
    "fOuvre": "writes or deletes files (tests/wlangage/test_files_and_program.py)",
    "fEcrit": "writes or deletes files (tests/wlangage/test_files_and_program.py)",
    "fEcritLigne": "writes or deletes files (tests/wlangage/test_files_and_program.py)",
    "fSauveTexte": "writes or deletes files (tests/wlangage/test_files_and_program.py)",
    "fSupprime": "writes or deletes files (tests/wlangage/test_files_and_program.py)",
    "fRepCrée": "writes or deletes files (tests/wlangage/test_files_and_program.py)",
    "INIEcrit": "writes or deletes files (tests/wlangage/test_files_and_program.py)",
    "zipCrée": "writes or deletes files (tests/wlangage/test_files_and_program.py)",
    "zipAjouteFichier": "writes or deletes files (tests/wlangage/test_files_and_program.py)",
    "RegistreEcrit": "writes or deletes files (tests/wlangage/test_files_and_program.py)",
    "RegistreCréeClé": "writes or deletes files (tests/wlangage/test_files_and_program.py)",
    "RegistreSupprimeClé": "writes or deletes files (tests/wlangage/test_files_and_program.py)",
    "XMLSauve": "writes files (tests/wlangage/test_xmldoc.py)",
}

#: Only facade tables: the others hold constants and helpers.
SOCKET_TABLES = ["Sockets", "Errors", "Secure and UDP sockets", "WebSocket server", "WebSocket client"]


def facade_callables(tables: list[str]) -> dict[str, Callable]:
    return {french: obj for table in tables for french, _, obj in names.TABLES[table] if callable(obj)}


def test_every_socket_callable_is_fuzzed():
    """A function added to the socket tables must get a Spec here."""
    assert set(facade_callables(SOCKET_TABLES)) == set(SPECS)
    helpers = facade_callables([t for t in names.TABLES if t not in SOCKET_TABLES])
    assert set(NOT_FUZZED) <= set(helpers)


# --- the sockets of one example ------------------------------------------------


@pytest.fixture(scope="module")
def cert_file(tmp_path_factory) -> str:
    ca = trustme.CA()
    path = tmp_path_factory.mktemp("bad_input") / "server.pem"
    ca.issue_cert("localhost", "127.0.0.1").private_key_and_cert_chain_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture(autouse=True)
def _restore_settings():
    """Restore what a fuzzed call may change process-wide."""
    folder = certificates._folder[0]
    previous = websocket_api.set_defaults(close_timeout=300)  # a client's SocketFerme waits for no one here
    yield
    certificates.set_certificate_folder(folder)
    websocket_api.set_defaults(**previous)


def _websocket_pair(values: dict) -> None:
    port = free_port()
    assert wlsocket.SocketCrée("bi_ws_listener", port, LOOPBACK)
    assert wlsocket.SocketChangeModeTransmission("bi_ws_listener", wlsocket.SocketWebSocket)
    result: list = []
    client = threading.Thread(
        target=lambda: result.append(wlsocket.WebSocketClientConnecte("bi_ws_client", LOOPBACK, port, "/", None, 3000)),
        daemon=True,
    )
    client.start()
    assert wlsocket.SocketAttendConnexion("bi_ws_listener", 3000)
    channel = wlsocket.SocketAccepte("bi_ws_listener")
    assert wlsocket.SocketWebSocketEntête(channel, "Host")  # runs the handshake
    client.join(5)
    assert result == [True], wlsocket.ErreurInfo()
    values.update({WS_CHANNEL: channel, WS_CLIENT: "bi_ws_client"})


def _close_everything() -> None:
    """SocketFerme on every name, the two ends of a WebSocket together (each
    waits for the other's close frame)."""
    closers = [threading.Thread(target=_quiet_close, args=(name,), daemon=True) for name in REGISTRY.names()]
    for closer in closers:
        closer.start()
    for closer in closers:
        closer.join(10)
    assert not any(closer.is_alive() for closer in closers), "SocketFerme hung"


def _quiet_close(name: str) -> None:
    with contextlib.suppress(WLangageError):  # closed meanwhile by the other thread's end
        wlsocket.SocketFerme(name)


@contextmanager
def example_sockets(cert: str, websocket: bool) -> Iterator[dict]:
    """The sockets of one example, all on 127.0.0.1, all closed afterwards."""
    values: dict = {CERT_FILE: cert}
    try:
        listener_port, closed_port = free_port(), free_port()
        assert wlsocket.SocketCrée("bi_listener", listener_port, LOOPBACK)
        assert wlsocket.SocketConnecte("bi_client", listener_port, LOOPBACK, 2000)
        assert wlsocket.SocketAttendConnexion("bi_listener", 2000)
        channel = wlsocket.SocketAccepte("bi_listener")
        assert channel
        udp_port = free_port()
        assert wlsocket.SocketCréeUDP("bi_udp", udp_port, LOOPBACK)
        # something to read everywhere: SocketLit and the mode changes meet real bytes
        assert wlsocket.SocketEcrit("bi_client", "to the channel")
        assert wlsocket.SocketEcrit(channel, "to the client")
        assert wlsocket.SocketEcrit("bi_udp", "to myself", LOOPBACK, udp_port)
        values.update(
            {
                LISTENER: "bi_listener", CLIENT: "bi_client", CHANNEL: channel, UDP: "bi_udp",
                WS_CHANNEL: "bi_no_ws_channel", WS_CLIENT: "bi_no_ws_client",
                LISTENER_PORT: listener_port, CLOSED_PORT: closed_port, UDP_PORT: udp_port,
                WS_URL: f"ws://{LOOPBACK}:{closed_port}/chat", WSS_URL: f"wss://{LOOPBACK}:{closed_port}/",
            }
        )
        if websocket:
            _websocket_pair(values)
        yield values
    finally:
        _close_everything()


def resolve(value: object, values: dict) -> object:
    if isinstance(value, Ref):
        return values[value]
    if isinstance(value, tuple) and any(isinstance(item, Ref) for item in value):
        return tuple(resolve(item, values) for item in value)
    return value


def uses_websocket(args: tuple, kwargs: dict) -> bool:
    flat = list(args) + list(kwargs.values())
    flat += [item for value in flat if isinstance(value, tuple) for item in value]
    return any(isinstance(value, Ref) and value in WEBSOCKET_REFS for value in flat)


# --- calling and judging -------------------------------------------------------


@dataclass
class Outcome:
    value: object = None
    error: BaseException | None = None
    detected: bool = False
    code: object = ""


def call_bounded(func: Callable, args: tuple, kwargs: dict) -> Outcome:
    """Call in a thread (ErreurInfo is per thread: read it there too)."""
    outcome = Outcome()

    def run() -> None:
        try:
            outcome.value = func(*args, **kwargs)
        except BaseException as exc:  # judged by the caller
            outcome.error = exc
        outcome.detected = bool(wlsocket.ErreurDétectée)
        outcome.code = wlsocket.ErreurInfo(wlsocket.errCode)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(CALL_BOUND_S)
    if thread.is_alive():
        pytest.fail(f"still running after {CALL_BOUND_S} s (a hang)")
    return outcome


def arity_is_wrong(func: Callable, args: tuple, kwargs: dict) -> bool:
    try:
        inspect.signature(func).bind(*args, **kwargs)
    except TypeError:
        return True
    return False


def same_value(value: object, expected: object) -> bool:
    return type(value) is type(expected) and value == expected


def judge(wl_name: str, spec: Spec, func: Callable, args: tuple, kwargs: dict) -> bool:
    """Call and check the outcome; True when the call succeeded."""
    before_names, before_fds = set(REGISTRY.names()), open_fds()
    outcome = call_bounded(func, args, kwargs)
    added, removed = set(REGISTRY.names()) - before_names, before_names - set(REGISTRY.names())
    error = outcome.error
    failed = error is not None or outcome.detected
    if isinstance(error, WLangageError):
        assert error.code in MESSAGES and error.message, f"fatal error without a known code: {error.code!r}"
    elif isinstance(error, TypeError) and arity_is_wrong(func, args, kwargs):
        pass  # Python's own report of a wrong number of arguments
    elif error is not None:
        raise AssertionError(f"{type(error).__name__} escaped: {error}") from error
    elif outcome.detected:
        assert outcome.code in MESSAGES, f"ErreurInfo(errCode) is {outcome.code!r}, not a documented code"
        warning = wl_name == "SocketLit" and outcome.code == "SOCKET_LIT_MARQUEUR_FIN" and spec.ok(outcome.value)
        assert warning or same_value(outcome.value, spec.failure), (
            f"error {outcome.code} but returned {outcome.value!r}"
        )
    else:
        assert spec.ok(outcome.value), f"returned {outcome.value!r} without an error"
    if failed:
        assert not added, f"a failed call registered {added}"
        assert open_fds() <= before_fds, "a failed call left a descriptor open"
    elif spec.creates:
        assert added == {args[0]}, f"success registered {added}"
    elif wl_name == "SocketAccepte":
        assert added == {outcome.value}
    else:
        assert not added, f"registered {added}"
    if wl_name not in CLOSERS:  # SocketFerme frees the name even when the close itself fails
        assert not removed, f"the names {removed} disappeared"
    elif not failed:
        assert removed == {args[0]}
    return not failed


def make_test(wl_name: str):
    spec = SPECS[wl_name]
    func = getattr(wlsocket, wl_name)

    @settings(max_examples=EXAMPLES, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(call=spec.calls())
    def run(cert_file, call):
        symbolic_args, symbolic_kwargs = call
        if spec.variadic and len(symbolic_args) > 1:  # the drawn argument list is one positional slot
            symbolic_args = (symbolic_args[0], *symbolic_args[1], *symbolic_args[2:])
        with example_sockets(cert_file, uses_websocket(symbolic_args, symbolic_kwargs)) as values:
            args = tuple(resolve(arg, values) for arg in symbolic_args)
            kwargs = {key: resolve(value, values) for key, value in symbolic_kwargs.items()}
            with peer_reading(wl_name, args, values):
                succeeded = judge(wl_name, spec, func, args, kwargs)
            if succeeded and wl_name in FOLLOW_UP:
                FOLLOW_UP[wl_name](args, values)

    return run


@contextmanager
def peer_reading(wl_name: str, args: tuple, values: dict) -> Iterator[None]:
    """SocketFerme on one end of the WebSocket pair waits for the other's
    close frame: let the other end read meanwhile, as a live peer would."""
    ends = {values[WS_CHANNEL]: values[WS_CLIENT], values[WS_CLIENT]: values[WS_CHANNEL]}
    closing = wl_name in CLOSERS and len(args) >= 1 and isinstance(args[0], str)  # else nothing closes
    other = ends.get(args[0]) if closing else None
    if other is None or not REGISTRY.exists(other):
        yield
        return
    reader = threading.Thread(target=wlsocket.SocketLit, args=(other, False, 1000), daemon=True)
    reader.start()
    yield
    reader.join(5)
    assert not reader.is_alive()


def read_after_change(args: tuple, values: dict) -> None:
    """A changed socket must still read (or fail) as documented: the new
    settings are used only then.  On the listener, a new channel inherits them."""
    name = args[0]
    if name == values[LISTENER]:
        assert wlsocket.SocketConnecte("bi_late_client", values[LISTENER_PORT], LOOPBACK, 2000)
        assert wlsocket.SocketEcrit("bi_late_client", "GET / HTTP/1.1\r\n\r\n")
        assert wlsocket.SocketAttendConnexion(name, 2000)
        before = set(REGISTRY.names())
        if not judge("SocketAccepte", SPECS["SocketAccepte"], wlsocket.SocketAccepte, (name,), {}):
            return
        (name,) = set(REGISTRY.names()) - before  # the new channel
    judge("SocketLit", SPECS["SocketLit"], wlsocket.SocketLit, (name, False, 5), {})


#: What to call after a success to see the new setting at work.
FOLLOW_UP = {"SocketChangeModeTransmission": read_after_change, "SocketTailleMaxMessage": read_after_change}


@pytest.mark.parametrize("wl_name", sorted(SPECS))
def test_bad_input_gives_documented_outcomes(wl_name, cert_file):
    make_test(wl_name)(cert_file)


# --- the WLangage helpers: no exception but the fatal error ----------------------

HELPERS = facade_callables([table for table in names.TABLES if table not in SOCKET_TABLES])
HELPERS_UNDER_TEST = sorted(set(HELPERS) - set(NOT_FUZZED))
# EOT: ExtraitChaîne past the end; None: ChaîneVersTableau (it fills the list it is given);
# JSON/Variant: the constructors of those WLangage types (Tableau is a list);
# tuple: VérifieExpressionRégulière with variables (the match and its groups)
HELPER_RESULT_TYPES = (str, bytes, int, float, list, type(wlsocket.EOT), type(None), wlsocket.JSON,
                       wlsocket.SectionCritique, tuple,
                       wlsocket.xmlDocument)


@contextmanager
def terminal_streams() -> Iterator[None]:
    """stdout and stderr as strict UTF-8 text streams, as on a terminal
    (pytest's capture would replace what they cannot encode)."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace")  # Python's stderr
    with redirect_stdout(out), redirect_stderr(err):
        yield


@pytest.mark.parametrize("wl_name", HELPERS_UNDER_TEST)
def test_helpers_take_bad_input(wl_name):
    """Any arguments: the fatal WLangageError, Python's report of a wrong
    number of arguments, or a plain WLangage value; no other exception."""
    func = HELPERS[wl_name]

    @settings(max_examples=EXAMPLES // 2)
    @given(args=st.lists(weighted(st.sampled_from(ODD_STRINGS), 1, JUNK), max_size=4).map(tuple))
    def run(args):
        with terminal_streams():
            outcome = call_bounded(func, args, {})
        error = outcome.error
        if isinstance(error, WLangageError):
            assert error.code in MESSAGES and error.message
        elif error is not None and not (isinstance(error, TypeError) and arity_is_wrong(func, args, {})):
            raise AssertionError(f"{type(error).__name__} escaped: {error}") from error
        elif error is None:
            assert isinstance(outcome.value, HELPER_RESULT_TYPES), f"returned {outcome.value!r}"

    run()


def test_timeouts_stop_at_the_largest_wlangage_integer(port):
    """Chosen: a timeout is at most 2**31 - 1 ms (a WLangage 4-byte
    integer, about 24.8 days); beyond, poll() and lock waits would overflow,
    so it is the fatal DUREE_INVALIDE rather than an OverflowError."""
    from wlsocket.values import MAX_DURATION_MS

    assert MAX_DURATION_MS == 2**31 - 1
    assert wlsocket.SocketCrée("bi_limit", port, LOOPBACK)
    for too_long in (MAX_DURATION_MS + 1, -(MAX_DURATION_MS + 1), float(2**31), "25 j", math.inf, math.nan):
        for call in (
            lambda too_long=too_long: wlsocket.SocketAttendConnexion("bi_limit", too_long),
            lambda too_long=too_long: wlsocket.SocketLit("bi_limit", False, too_long),
        ):
            with pytest.raises(WLangageError) as info:
                call()
            assert info.value.code == "DUREE_INVALIDE"
    assert wlsocket.SocketAttendConnexion("bi_limit", "1 ms") is False  # the same socket still answers
    wlsocket.SocketFerme("bi_limit")
