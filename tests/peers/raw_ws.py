"""A deliberately bare WebSocket client over a plain socket, for tests that
must send exactly the bytes they want (bad requests, hostile frames) or
stop reading at a precise point.  Every read is bounded by a timeout."""

from __future__ import annotations

import base64
import os
import socket
import struct

TIMEOUT_S = 10.0


def connect_raw(port: int, timeout: float = TIMEOUT_S) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def request(path: str = "/", key: str | None = None, version: str = "13", extra: str = "",
            upgrade: bool = True) -> bytes:
    """An opening handshake request; ``key=""`` leaves the key out."""
    key = base64.b64encode(os.urandom(16)).decode() if key is None else key
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1"]
    if upgrade:
        lines += ["Upgrade: websocket", "Connection: Upgrade"]
    if key:
        lines.append(f"Sec-WebSocket-Key: {key}")
    if version:
        lines.append(f"Sec-WebSocket-Version: {version}")
    text = "\r\n".join(lines) + "\r\n" + extra + "\r\n"
    return text.encode("latin-1")


def read_response(sock: socket.socket) -> tuple[int, dict[str, str], bytes, bytes]:
    """(status, headers with lower-case names, body read so far, bytes after the head)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError(f"closed before the response head ended: {data!r}")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    body = b""
    if status != 101:
        length = int(headers.get("content-length", "0"))
        body = rest
        while len(body) < length:
            chunk = sock.recv(4096)
            if not chunk:
                break
            body += chunk
        rest = b""
    return status, headers, body, rest


def open_websocket(port: int, path: str = "/") -> tuple[socket.socket, bytes]:
    sock = connect_raw(port)
    sock.sendall(request(path))
    status, _, _, rest = read_response(sock)
    assert status == 101, status
    return sock, rest


def frame(opcode: int, payload: bytes = b"", fin: bool = True, mask: bool = True, length: int | None = None,
          rsv: int = 0) -> bytes:
    """A client frame; ``length`` announces another payload length than the real one."""
    n = len(payload) if length is None else length
    head = bytes([(0x80 if fin else 0) | rsv << 4 | opcode])
    bit = 0x80 if mask else 0
    if n < 126:
        head += bytes([bit | n])
    elif n < 1 << 16:
        head += bytes([bit | 126]) + struct.pack("!H", n)
    else:
        head += bytes([bit | 127]) + struct.pack("!Q", n)
    if not mask:
        return head + payload
    key = os.urandom(4)
    masked = (int.from_bytes(payload, "big") ^ int.from_bytes((key * (len(payload) // 4 + 1))[: len(payload)], "big"))
    return head + key + masked.to_bytes(len(payload), "big")


class FrameReader:
    """Reads the server's (unmasked) frames from a socket."""

    def __init__(self, sock: socket.socket, already: bytes = b"") -> None:
        self.sock = sock
        self.buffer = bytearray(already)

    def fill(self, n: int) -> None:
        """Buffer at least ``n`` bytes without consuming them."""
        while len(self.buffer) < n:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise ConnectionError("closed by the server")
            self.buffer += chunk

    def _need(self, n: int) -> bytes:
        self.fill(n)
        data = bytes(self.buffer[:n])
        del self.buffer[:n]
        return data

    def next(self) -> tuple[int, bytes]:
        """(opcode, payload) of the next frame."""
        first, second = self._need(2)
        n = second & 0x7F
        if n == 126:
            (n,) = struct.unpack("!H", self._need(2))
        elif n == 127:
            (n,) = struct.unpack("!Q", self._need(8))
        return first & 0x0F, self._need(n)

    def until_eof(self) -> bytes:
        """Everything left until the server closes (bounded by the socket timeout)."""
        data = bytes(self.buffer)
        self.buffer.clear()
        while True:
            chunk = self.sock.recv(65536)
            if not chunk:
                return data
            data += chunk


def close_code(payload: bytes) -> int:
    return struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
