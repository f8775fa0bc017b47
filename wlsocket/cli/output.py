"""What the subcommands print: one line (or a few) per event for people,
one JSON object per line with ``--json`` for programs, and the per-direction
counts printed as a summary at the end.

Text output is coloured only when the stream is a terminal (and ``NO_COLOR``
is unset), unless ``--couleur`` says otherwise.  A payload is shown as text
when every byte is printable in the chosen encoding; otherwise as text with
escapes followed by a hex dump.  Long payloads are cut to a preview
(``--apercu``, 256 bytes by default); the size is always the whole size.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import hashlib
import json
import os
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO

from .options import ANSI, Encoding

#: Bytes of a payload shown by default.
DEFAULT_PREVIEW = 256
_RESET = "\x1b[0m"
_COLOURS = {
    "in": "\x1b[36m",  # cyan: what came to us / from the client
    "out": "\x1b[33m",  # yellow: what we sent / from the server
    "warn": "\x1b[1;31m",
    "info": "\x1b[2m",
    "summary": "\x1b[1m",
}
_PRINTABLE_CONTROLS = frozenset("\r\n\t")


def wants_colour(stream: TextIO, choice: str) -> bool:
    """--couleur auto|oui|non: auto means a terminal and NO_COLOR unset."""
    if choice in ("oui", "always"):
        return True
    if choice in ("non", "never"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("NO_COLOR")


def now() -> str:
    """Local time with milliseconds, as printed on each line."""
    moment = time.time()
    second = int(moment)
    if second != _clock[0]:  # the local time of a second is worked out once
        _clock[:] = [second, time.strftime("%H:%M:%S", time.localtime(second))]
    return f"{_clock[1]}.{int((moment - second) * 1000):03d}"


_clock: list[Any] = [None, ""]


def is_printable(text: str) -> bool:
    if text.isascii() and text.isprintable():  # the common case, in C
        return True
    return all(char.isprintable() or char in _PRINTABLE_CONTROLS for char in text)


# Backslash, CR, LF, tab and the C0/C1 controls: what escaped() rewrites.
_ESCAPES = {ord("\\"): "\\\\", ord("\r"): "\\r", ord("\n"): "\\n", ord("\t"): "\\t"}
_ESCAPES.update({code: f"\\x{code:02x}" for code in (*range(32), *range(127, 160)) if code not in _ESCAPES})


def escaped(text: str) -> str:
    """Text on one line: CR, LF, tab, backslash and unprintables escaped."""
    if text.isascii() and text.isprintable() and "\\" not in text:
        return text
    out = text.translate(_ESCAPES)
    if out.isprintable():
        return out
    return "".join(char if char.isprintable() else f"\\u{ord(char):04x}" for char in out)


def hex_dump(data: bytes, indent: str = "    ") -> list[str]:
    """16 bytes a line: offset, hex, and the ASCII column."""
    lines = []
    for offset in range(0, len(data), 16):
        piece = data[offset : offset + 16]
        hexes = " ".join(f"{byte:02x}" for byte in piece)
        column = "".join(chr(byte) if 32 <= byte < 127 else "." for byte in piece)
        lines.append(f"{indent}{offset:08x}  {hexes:<47}  {column}")
    return lines


@dataclass
class DirectionStats:
    messages: int = 0
    bytes: int = 0
    errors: int = 0


@dataclass
class Stats:
    """Counts per direction, updated from several threads."""

    directions: dict[str, DirectionStats] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, direction: str, messages: int = 0, size: int = 0, errors: int = 0) -> None:
        with self._lock:
            counts = self.directions.setdefault(direction, DirectionStats())
            counts.messages += messages
            counts.bytes += size
            counts.errors += errors

    def snapshot(self) -> dict[str, DirectionStats]:
        with self._lock:
            return {name: DirectionStats(c.messages, c.bytes, c.errors) for name, c in self.directions.items()}


class Printer:
    """Writes events to a stream, whole lines at a time, from any thread."""

    def __init__(
        self,
        stream: TextIO | None = None,
        as_json: bool = False,
        colour: str = "auto",
        encoding: Encoding = ANSI,
        preview: int = DEFAULT_PREVIEW,
        quiet: bool = False,
    ) -> None:
        self.stream = stream if stream is not None else sys.stdout
        self.quiet = quiet
        self.as_json = as_json
        self.colour = not as_json and wants_colour(self.stream, colour)
        self.encoding = encoding
        self.preview = preview
        self.stats = Stats()
        self._lock = threading.Lock()
        self._holding = 0  # writers inside held(): flushing waits for the last one

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Printer:
        """The printer the output options (:func:`.options.add_output_options`) ask for."""
        return cls(as_json=args.json, colour=args.color, encoding=args.encoding, preview=args.preview,
                   quiet=args.quiet)

    # --- low level ------------------------------------------------------------------------

    def _paint(self, kind: str, text: str) -> str:
        return f"{_COLOURS[kind]}{text}{_RESET}" if self.colour else text

    def _write(self, text: str) -> None:
        with self._lock:
            try:
                self.stream.write(text)
                if not self._holding:
                    self.stream.flush()
            except BrokenPipeError:  # `| head`: the reader has gone, nothing to tell it
                pass

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Lines written in the block are flushed once, at its end (a batch
        of messages costs one write to the stream, not one each)."""
        with self._lock:
            self._holding += 1
        try:
            yield
        finally:
            with self._lock:
                self._holding -= 1
                if not self._holding:
                    with contextlib.suppress(BrokenPipeError):
                        self.stream.flush()

    def _json(self, event: str, **fields: Any) -> None:
        record = {"event": event, "time": datetime.datetime.now().isoformat(timespec="milliseconds"), **fields}
        self._write(json.dumps(record, ensure_ascii=False) + "\n")

    # --- events ---------------------------------------------------------------------------

    def info(self, text: str, **fields: Any) -> None:
        """Something that happened (listening, connected, closed...)."""
        if self.as_json:
            self._json("info", message=text, **fields)
        else:
            self._write(self._paint("info", f"{now()} {text}") + "\n")

    def warning(self, direction: str, text: str, count: bool = True, **fields: Any) -> None:
        """A problem with what a peer sent (wrong mode, bad frame...)."""
        if count:
            self.stats.add(direction, errors=1)
        if self.as_json:
            self._json("warning", direction=direction, message=text, **fields)
        else:
            where = f"{direction} {fields['peer']}" if "peer" in fields else direction
            self._write(self._paint("warn", f"{now()} {where} !! {text}") + "\n")

    def payload(
        self, event: str, direction: str, peer: str, data: bytes, kind: str = "in", utf8: bool = False, **fields: Any
    ) -> None:
        """One message (``event`` "message") or chunk ("chunk") seen going
        ``direction``; ``utf8``: a WebSocket text message, shown as UTF-8
        whatever --encodage says."""
        self.stats.add(direction, messages=1, size=len(data))
        if self.quiet:
            return
        shown = data[: self.preview]
        text = shown.decode("utf-8", "replace") if utf8 else self.encoding.decode(shown)
        if self.as_json:
            self._json(
                event,
                direction=direction,
                peer=peer,
                size=len(data),
                text=text,
                hex=shown.hex(),
                truncated=len(shown) < len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                **fields,
            )
            return
        more = f" ... ({len(data) - len(shown)} more bytes)" if len(shown) < len(data) else ""
        extra = "".join(f" {key}={value}" for key, value in fields.items())
        head = f"{now()} {direction} {peer} {len(data)} B{extra}"
        lines = [self._paint(kind, head) + f"  \"{escaped(text)}\"{more}"]
        if not is_printable(text):
            lines.extend(hex_dump(shown))
        self._write("\n".join(lines) + "\n")

    def progress(self, direction: str, peer: str, received: int, total: int | None) -> None:
        """Part of a large message came (``total``: its announced size, if known)."""
        if self.quiet:
            return
        if self.as_json:
            self._json("progress", direction=direction, peer=peer, received=received, total=total)
            return
        mib = received / 1048576
        said = f"{mib:.1f} of {total / 1048576:.1f} MiB ({100 * received // total} %)" if total else f"{mib:.1f} MiB"
        self._write(self._paint("info", f"{now()} {direction} {peer} ... {said} of a message so far") + "\n")

    def handshake(self, direction: str, peer: str, head: bytes, kind: str = "in") -> None:
        """A WebSocket opening handshake (an HTTP head): one line per header.
        Not counted as a message; its bytes are counted."""
        self.stats.add(direction, size=len(head))
        if self.quiet:
            return
        lines = head.decode("latin-1").rstrip("\r\n").split("\r\n")
        if self.as_json:
            self._json("handshake", direction=direction, peer=peer, size=len(head), line=lines[0], headers=lines[1:])
            return
        text = [self._paint(kind, f"{now()} {direction} {peer} {len(head)} B handshake") + f"  {escaped(lines[0])}"]
        text.extend(f"    {escaped(line)}" for line in lines[1:])
        self._write("\n".join(text) + "\n")

    def summary(self) -> None:
        """The counts per direction (printed on exit, Ctrl+C included)."""
        counts = self.stats.snapshot()
        if self.as_json:
            self._json("summary", directions={name: vars(c) for name, c in counts.items()})
            return
        lines = [self._paint("summary", "summary:")]
        if not counts:
            lines.append("  nothing exchanged")
        for name, c in counts.items():
            lines.append(f"  {name}: messages {c.messages}, bytes {c.bytes}, errors {c.errors}")
        self._write("\n".join(lines) + "\n")
