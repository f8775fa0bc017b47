"""permessage-deflate (RFC 7692): the server's negotiation and the codec.

Only the server side negotiates (the client does not offer compression).
Decompression is bounded: :meth:`PerMessageDeflate.decompress` never
produces more than the bytes asked for, so a small "zip bomb" frame cannot
allocate more than the message size limit before it is refused.
"""

from __future__ import annotations

import zlib

__all__ = ["EXTENSION_NAME", "PerMessageDeflate", "negotiate"]

EXTENSION_NAME = "permessage-deflate"
#: Appended to a message's compressed data before inflating (RFC 7692 7.2.2).
_TAIL = b"\x00\x00\xff\xff"
_MAX_BITS = 15
#: zlib cannot compress a raw stream with an 8-bit window (it uses 9): an
#: offer that asks the server for 8 is declined (the client's next offer,
#: if any, is taken).
_MIN_SERVER_BITS = 9


class PerMessageDeflate:
    """The negotiated codec of one connection: one compressor (the writer's)
    and one decompressor (the reader's), each kept across messages unless
    its side asked for no context takeover."""

    def __init__(self, compress_bits: int, reset_compressor: bool, reset_decompressor: bool) -> None:
        self.compress_bits = compress_bits
        self.reset_compressor = reset_compressor
        self.reset_decompressor = reset_decompressor
        self._compressor: zlib._Compress | None = None
        self._decompressor: zlib._Decompress | None = None

    def compress(self, data: bytes | bytearray | memoryview) -> bytes:
        """One whole message's payload, compressed (RFC 7692 7.2.1)."""
        compressor = self._compressor
        if compressor is None:
            compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -self.compress_bits)
            if not self.reset_compressor:
                self._compressor = compressor
        out = compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)
        return out[:-4] if out.endswith(_TAIL) else out

    def decompress(self, data: bytes | bytearray | memoryview, limit: int, last: bool) -> tuple[bytes, bool]:
        """Inflate one frame's payload of a compressed message: (bytes, True)
        or, when the output would exceed ``limit`` bytes, (partial, False).
        ``last``: the frame ends the message.  Raises zlib.error."""
        decompressor = self._decompressor
        if decompressor is None:
            decompressor = self._decompressor = zlib.decompressobj(-_MAX_BITS)
        limit = max(0, limit)  # (a max_length of 0 would mean "no limit" to zlib)
        out = decompressor.decompress(data, limit + 1)
        if len(out) > limit or decompressor.unconsumed_tail:
            return out, False
        if last:
            tail = decompressor.decompress(_TAIL, limit + 1 - len(out))
            out += tail
            if len(out) > limit or decompressor.unconsumed_tail:
                return out, False
            if self.reset_decompressor:
                self._decompressor = None
        return out, True


def _parse_offer(offer: str) -> tuple[str, dict[str, str | None]] | None:
    """``name; key; key=value`` -> (name, params); None for a repeated key."""
    name, *items = (item.strip() for item in offer.split(";"))
    params: dict[str, str | None] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip().lower()
        if key in params:
            return None
        params[key] = value.strip().strip('"') if sep else None
    return name.lower(), params


def _window_bits(value: str | None, minimum: int) -> int | None:
    if value is None or not value.isdigit() or len(value) > 2:
        return None
    bits = int(value)
    return bits if minimum <= bits <= _MAX_BITS else None


def negotiate(offers: list[str]) -> tuple[str, PerMessageDeflate] | None:
    """The server's answer to the client's Sec-WebSocket-Extensions offers
    (one item per comma-separated offer): the response header value and the
    codec, for the first acceptable permessage-deflate offer; None when none
    is (the connection then goes uncompressed)."""
    for offer in offers:
        parsed = _parse_offer(offer)
        if parsed is None or parsed[0] != EXTENSION_NAME:
            continue
        params = parsed[1]
        if set(params) - {
            "server_no_context_takeover",
            "client_no_context_takeover",
            "server_max_window_bits",
            "client_max_window_bits",
        }:
            continue
        if params.get("server_no_context_takeover", None) is not None:
            continue
        if params.get("client_no_context_takeover", None) is not None:
            continue
        response = [EXTENSION_NAME]
        compress_bits = _MAX_BITS
        if "server_max_window_bits" in params:
            bits = _window_bits(params["server_max_window_bits"], _MIN_SERVER_BITS)
            if bits is None:
                continue
            compress_bits = bits
            response.append(f"server_max_window_bits={bits}")
        if "client_max_window_bits" in params:
            client_bits = params["client_max_window_bits"]
            if client_bits is not None and _window_bits(client_bits, 8) is None:
                continue
            # the decompressor always uses the largest window: enough for any
        reset_compressor = "server_no_context_takeover" in params
        reset_decompressor = "client_no_context_takeover" in params
        if reset_compressor:
            response.append("server_no_context_takeover")
        if reset_decompressor:
            response.append("client_no_context_takeover")
        return "; ".join(response), PerMessageDeflate(compress_bits, reset_compressor, reset_decompressor)
    return None
