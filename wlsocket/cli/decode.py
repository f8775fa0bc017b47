"""One direction of a conversation, decoded message by message for display.

:class:`DirectionDecoder` is fed the chunks that went one way (whatever the
network gave) and prints each whole message through the :class:`Printer`,
with the codecs of :mod:`wlsocket.codecs` (the same decoders SocketLit
uses).  Bytes that do not decode in the chosen mode are flagged once, with
what they look like (:func:`.sniff.guess_mode`), and the rest of that
direction is shown as raw chunks: the display never loses a byte and never
stops the relay.
"""

from __future__ import annotations

from .. import codecs
from .options import CONSTANTS, mode_number
from .output import Printer
from .sniff import guess_mode

_SIZE_LINE_BYTES = frozenset(b"0123456789 \t\r")
_SNIFF_BYTES = 4096
# Start-of-stream checks look at this much at most (they copy what is held).
_CHECK_AT_MOST = 64 * 1024
#: A message still coming is reported each time this many more bytes of it came.
PROGRESS_STEP = 4 * 1024 * 1024


class ShownDirection:
    """What the decoders of one direction share: where it is printed, and how
    bytes that do not fit the mode are flagged and then shown raw."""

    def __init__(self, printer: Printer, direction: str, peer: str, mode: str, marker: bytes, kind: str) -> None:
        self.printer = printer
        self.direction = direction
        self.peer = peer
        self.mode = mode
        self.marker = marker
        self.kind = kind

    def show_raw(self, data: bytes) -> None:
        if data:
            self.printer.payload("chunk", self.direction, self.peer, data, self.kind)

    def flag(self, why: str, held: bytes, then_raw: bool = True) -> None:
        """Warn that ``held`` does not fit the mode, naming what it looks like."""
        guess = guess_mode(held[:_SNIFF_BYTES], self.marker)
        rest = "; the rest of this direction is shown raw" if then_raw else ""
        self.printer.warning(self.direction, f"{why}; {guess.describe()}{rest}", expected=self.mode,
                             looks_like=guess.mode, peer=self.peer)


class DirectionDecoder(ShownDirection):
    """Decodes and prints what goes one way in a WINDEV mode (not websocket)."""

    def __init__(
        self,
        printer: Printer,
        direction: str,
        peer: str,
        mode: str,
        marker: bytes = codecs.DEFAULT_MARKER,
        max_size: int = codecs.DEFAULT_MAX_MESSAGE_SIZE,
        kind: str = "in",
    ) -> None:
        super().__init__(printer, direction, peer, mode, marker, kind)
        self._decoder: codecs.Decoder | None = None
        if mode != "brut":
            self._decoder = codecs.make_decoder(mode_number(mode), marker, max_size)
        self._decoded = 0  # messages decoded so far
        self._progress_at = PROGRESS_STEP  # bytes of the message held when progress is shown next
        self._suspected = False  # a "looks like another mode" warning was given

    @property
    def failed(self) -> bool:
        """True once the bytes stopped decoding in the chosen mode."""
        return self._decoder is None and self.mode != "brut"

    def feed(self, chunk: bytes | bytearray | memoryview) -> list[bytes]:
        """Print the messages ``chunk`` completes; return them too.

        In ``brut`` mode every chunk is a message, as SocketLit returns what
        came; after a framing error chunks are shown but are no messages."""
        decoder = self._decoder
        if decoder is None:
            data = bytes(chunk)
            self.show_raw(data)
            return [data] if data and self.mode == "brut" else []
        decoder.feed(chunk)
        messages: list[bytes] = []
        try:
            while True:
                message = decoder.next_message(0)
                if message is None:
                    break
                message = message.encode("ascii") if isinstance(message, str) else bytes(message)  # str: text=True only
                self._decoded += 1
                self._progress_at = PROGRESS_STEP
                messages.append(message)
                self.printer.payload("message", self.direction, self.peer, message, self.kind)
            if not self._decoded:
                self._check_start(decoder)
            self._show_progress(decoder)
        except codecs.FramingError as error:
            self._give_up(f"{error.code}: {error.detail}")
        return messages

    def close(self) -> None:
        """The direction ended: report bytes held in an unfinished message."""
        if self._decoder is None:
            return
        held = self._decoder.pending()
        self._decoder = None
        if held:
            self.flag(f"{len(held)} bytes left without a whole {self.mode} message at the end", held, False)
            self.show_raw(held)

    def _show_progress(self, decoder: codecs.Decoder) -> None:
        """A large message on its way: say how much came, every PROGRESS_STEP bytes."""
        held = decoder.buffered()
        if held < self._progress_at:
            return
        wanted = decoder.bytes_wanted()
        self._progress_at = (held // PROGRESS_STEP + 1) * PROGRESS_STEP
        self.printer.progress(self.direction, self.peer, held, held + wanted if wanted else None)

    # --- wrong mode ---------------------------------------------------------------------

    def _check_start(self, decoder: codecs.Decoder) -> None:
        """Nothing decoded yet: are the bytes held already impossible in this mode?"""
        held_count = decoder.buffered()
        if not held_count or held_count > _CHECK_AT_MOST or self._suspected:
            return  # the first bytes were checked when they came
        if self.mode == "taille" and decoder.bytes_wanted():
            return  # a valid size line was read: the payload is arbitrary bytes
        held = decoder.pending()
        decoder.feed(held)
        if self.mode == "taille":
            line_end = held.find(b"\n")
            size_line = held if line_end < 0 else held[:line_end]
            if any(byte not in _SIZE_LINE_BYTES for byte in size_line[:24]):
                raise codecs.FramingError("TRAME_INVALIDE", f"size line {size_line[:24]!r}")
            return
        if guess_mode(held[:_SNIFF_BYTES], self.marker).mode not in (self.mode, "brut", "marqueur", "marqueur-buffer"):
            self._suspected = True
            self.flag(f"no {self.marker!r} end marker yet in {len(held)} bytes", held, then_raw=False)

    def _give_up(self, why: str) -> None:
        decoder = self._decoder
        assert decoder is not None
        held = decoder.pending()
        self._decoder = None
        self.flag(f"not a {self.mode} frame ({CONSTANTS[self.mode]}): {why}", held)
        self.show_raw(held)
