"""The opening handshake policy of the WebSocket core (wlsocket.ws.handshake
and wlsocket.ws.deflate), without sockets: the server's accept, refusals,
origins, subprotocols and permessage-deflate negotiation; the client's
checks of the server's response."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wlsocket.ws import deflate
from wlsocket.ws.handshake import (
    MAX_REQUEST_HEAD,
    Accepted,
    HandshakeFailure,
    Refusal,
    ServerHandshake,
    WebSocketOptions,
    accept_key,
    check_server_response,
)

KEY = "dGhlIHNhbXBsZSBub25jZQ=="  # RFC 6455 section 1.3


def request(extra: str = "", target: str = "/chat") -> bytes:
    return (
        f"GET {target} HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {KEY}\r\nSec-WebSocket-Version: 13\r\n{extra}\r\n"
    ).encode()


def outcome(data: bytes, **options) -> Accepted | Refusal | None:
    handshake = ServerHandshake(WebSocketOptions(**options))
    handshake.receive_data(data)
    return handshake.outcome()


def test_rfc_example_key():
    assert accept_key(KEY) == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="


def test_accept_gives_the_101_path_headers_and_leftover():
    handshake = ServerHandshake(WebSocketOptions())
    data = request("Origin: http://example.com\r\nX-Custom: a\r\nx-custom: b\r\n")
    handshake.receive_data(data[:10])
    assert handshake.outcome() is None
    handshake.receive_data(data[10:] + b"\x81\x80first frame")
    accepted = handshake.outcome()
    assert isinstance(accepted, Accepted)
    assert accepted.response.startswith(b"HTTP/1.1 101 Switching Protocols\r\n")
    assert b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n" in accepted.response
    assert accepted.path == "/chat" and accepted.header("x-custom") == "a, b"
    assert ("X-Custom", "a") in accepted.headers  # names as the client wrote them
    assert handshake.leftover == b"\x81\x80first frame"


@pytest.mark.parametrize(
    "options, offered, chosen",
    [({}, "chat, superchat", "chat"), ({"subprotocols": ("superchat", "chat")}, "chat, superchat", "superchat"),
     ({"subprotocols": ()}, "chat", ""), ({"subprotocols": ("xml",)}, "chat", ""), ({}, None, "")],
)
def test_subprotocol_choice(options, offered, chosen):
    accepted = outcome(request(f"Sec-WebSocket-Protocol: {offered}\r\n" if offered else ""), **options)
    assert isinstance(accepted, Accepted) and accepted.subprotocol == chosen
    assert (b"Sec-WebSocket-Protocol: " + chosen.encode() in accepted.response) is bool(chosen)


@pytest.mark.parametrize(
    "data, status, words",
    [
        (request().replace(b"Connection: Upgrade", b"Connection: keep-alive"), 400, "Connection: Upgrade"),
        (request().replace(b"Version: 13", b"Version: 8"), 426, "Sec-WebSocket-Version"),
        (request().replace(b"Upgrade: websocket", b"Upgrade: h2c"), 400, "Upgrade: websocket"),
        (request().replace(KEY.encode(), b"c2hvcnQ="), 400, "16 bytes"),
        (request().replace(b"Host: server.example.com\r\n", b""), 400, "Host"),
        (request("Origin: http://evil.example\r\n"), 403, "not allowed"),
        (request("no colon here\r\n"), 400, "malformed request"),
        (request("X: " + "z" * MAX_REQUEST_HEAD + "\r\n"), 431, "16384"),
        (b"PUT / HTTP/1.1\r\n\r\n", 400, "GET"),
        (b"\x16\x03\x01\x00\r\n\r\n", 400, "not an HTTP request"),
    ],
)
def test_refusals(data, status, words):
    refusal = outcome(data, origins=("http://good.example",))
    assert isinstance(refusal, Refusal) and refusal.status == status and words in refusal.reason
    response = refusal.response()
    assert response.startswith(f"HTTP/1.1 {status} ".encode()) and words.encode() in response
    if status == 426:
        assert b"Sec-WebSocket-Version: 13\r\n" in response


def test_a_head_that_never_ends_is_refused_past_the_limit():
    handshake = ServerHandshake(WebSocketOptions())
    handshake.receive_data(b"GET / HTTP/1.1\r\n" + b"X: y\r\n" * (MAX_REQUEST_HEAD // 6))
    refusal = handshake.outcome()
    assert isinstance(refusal, Refusal) and refusal.status == 431


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_random_requests_give_an_answer_never_an_exception(data):
    result = outcome(data + b"\r\n\r\n")
    assert isinstance(result, (Accepted, Refusal))


@pytest.mark.parametrize(
    "offers, response",
    [
        (["permessage-deflate"], "permessage-deflate"),
        (["permessage-deflate; client_max_window_bits"], "permessage-deflate"),
        (["permessage-deflate; server_no_context_takeover; client_no_context_takeover"],
         "permessage-deflate; server_no_context_takeover; client_no_context_takeover"),
        (["permessage-deflate; server_max_window_bits=10"], "permessage-deflate; server_max_window_bits=10"),
        # 8 bits cannot be honoured by zlib: that offer is declined, the next taken
        (["permessage-deflate; server_max_window_bits=8", "permessage-deflate"], "permessage-deflate"),
        (["permessage-deflate; server_max_window_bits=16"], None),
        (["permessage-deflate; unknown=1"], None),
        (["permessage-deflate; server_no_context_takeover; server_no_context_takeover"], None),
        (["x-webkit-deflate-frame"], None),
    ],
)
def test_deflate_negotiation(offers, response):
    agreed = deflate.negotiate(offers)
    assert (agreed[0] if agreed else None) == response


def test_compression_off_never_answers_an_offer():
    accepted = outcome(request("Sec-WebSocket-Extensions: permessage-deflate\r\n"), compression=False)
    assert isinstance(accepted, Accepted) and accepted.deflate is None
    assert b"Sec-WebSocket-Extensions" not in accepted.response


def test_client_checks_of_the_response():
    assert check_server_response({"sec-websocket-protocol": "chat"}, ("chat", "xml")) == "chat"
    assert check_server_response({}, ("chat",)) == ""
    with pytest.raises(HandshakeFailure, match="not offered"):
        check_server_response({"sec-websocket-protocol": "soap"}, ("chat",))
    with pytest.raises(HandshakeFailure, match="extensions"):
        check_server_response({"sec-websocket-extensions": "permessage-deflate"}, ())
