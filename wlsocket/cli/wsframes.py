"""One direction of a traced WebSocket conversation, shown frame by frame.

The opening handshake is shown as its HTTP head; then every frame with its
opcode, FIN bit, mask and payload (unmasked for display; the relay forwards
the bytes as they came).  Frame headers are read by the package's one
parser, :func:`wlsocket.ws.frames.parse_header`, and unmasked with
:func:`wlsocket.ws.frames.apply_mask`: nothing here parses a frame of its
own.  Bytes that are no HTTP head or no WebSocket frame are flagged with
the mode they look like, and the rest of the direction is shown raw.
"""

from __future__ import annotations

from .. import codecs
from ..ws import frames
from .decode import ShownDirection
from .output import Printer

_MAX_HEAD = 16 * 1024
_OPCODES = {0x0: "continuation", 0x1: "text", 0x2: "binary", 0x8: "close", 0x9: "ping", 0xA: "pong"}
_COMPACT_AT = 64 * 1024


class WebSocketDirection(ShownDirection):
    """Prints the handshake head, then each frame that went one way."""

    def __init__(
        self, printer: Printer, direction: str, peer: str, from_client: bool,
        max_size: int = codecs.DEFAULT_MAX_MESSAGE_SIZE, kind: str = "in",
    ) -> None:
        super().__init__(printer, direction, peer, "websocket", codecs.DEFAULT_MARKER, kind)
        self.from_client = from_client
        self.max_size = max_size
        self._buf = bytearray()
        self._pos = 0
        self._in_frames = False
        self._raw = False

    def feed(self, chunk: bytes) -> list[bytes]:
        if self._raw:
            self.show_raw(bytes(chunk))
            return []
        self._buf += chunk
        if not self._in_frames and not self._head():
            return []
        payloads: list[bytes] = []
        while not self._raw:
            payload = self._frame()
            if payload is None:
                break
            payloads.append(payload)
        if self._pos >= _COMPACT_AT:
            del self._buf[: self._pos]
            self._pos = 0
        return payloads

    def close(self) -> None:
        held = bytes(self._buf[self._pos :])
        self._buf.clear()
        self._pos = 0
        if held and not self._raw:
            what = "frame" if self._in_frames else "handshake"
            self.flag(f"{len(held)} bytes of an unfinished WebSocket {what} at the end", held, then_raw=False)
            self.show_raw(held)

    # --- the opening handshake ------------------------------------------------------------

    def _head(self) -> bool:
        """True once the HTTP head went by (and frames follow)."""
        start = b"GET " if self.from_client else b"HTTP/1.1 "
        held = bytes(self._buf[: len(start)])
        if not start.startswith(held):
            self._give_up("not a WebSocket opening handshake")
            return False
        end = self._buf.find(b"\r\n\r\n")
        if end < 0:
            if len(self._buf) > _MAX_HEAD:
                self._give_up(f"no end of the HTTP head in {len(self._buf)} bytes")
            return False
        head = bytes(self._buf[: end + 4])
        self._pos = end + 4
        self.printer.handshake(self.direction, self.peer, head, self.kind)
        if not self.from_client and not head.startswith(b"HTTP/1.1 101"):
            self._raw = True  # refused: an HTTP body may follow, no frames
            rest = bytes(self._buf[self._pos :])
            self._buf.clear()
            self._pos = 0
            self.show_raw(rest)
            return False
        self._in_frames = True
        return True

    # --- frames -----------------------------------------------------------------------------

    def _frame(self) -> bytes | None:
        with memoryview(self._buf) as view:
            header = frames.parse_header(view[self._pos :])
        if header is None:
            return None
        opcode = _OPCODES.get(header.opcode)
        if opcode is None or header.length > self.max_size or (header.opcode >= 8 and header.length > 125):
            self._give_up(f"not a WebSocket frame (opcode {header.opcode:#x}, length {header.length})")
            return None
        end = self._pos + header.size + header.length
        if len(self._buf) < end:
            return None
        payload = bytes(self._buf[self._pos + header.size : end])
        self._pos = end
        if header.mask_key is not None:
            payload = bytes(frames.apply_mask(payload, header.mask_key))
        details: dict[str, object] = {"opcode": opcode, "fin": header.fin, "masked": header.mask_key is not None}
        if header.rsv & 0b100:
            details["compressed"] = True
        if header.opcode == 0x8 and len(payload) >= 2:
            details["close_code"] = int.from_bytes(payload[:2], "big")
        text = header.opcode == 0x1 and not header.rsv & 0b100  # a text frame not compressed: UTF-8
        self.printer.payload("frame", self.direction, self.peer, payload, self.kind, utf8=text, **details)
        if self.from_client != (header.mask_key is not None):
            side = "client" if self.from_client else "server"
            self.printer.warning(self.direction, f"a {side} frame {'un' if self.from_client else ''}masked "
                                 "(RFC 6455 5.1: only client frames are masked)", peer=self.peer)
        return payload

    def _give_up(self, why: str) -> None:
        held = bytes(self._buf[self._pos :])
        self._buf.clear()
        self._pos = 0
        self._raw = True
        self.flag(why, held)
        self.show_raw(held)
