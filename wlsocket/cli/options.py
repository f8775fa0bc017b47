"""What the subcommands share: transmission mode names, the string
encoding and the argparse options that spell them.

A mode is named on the command line as in the WLangage constant, in
French or English: ``taille`` (SocketTailleDébut, the default),
``marqueur`` (SocketMarqueurFin), ``marqueur-buffer``
(SocketMarqueurFinBuffer), ``brut`` (SocketSansMarqueurFin) and
``websocket`` (the wlsocket extension SocketWebSocket).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from .. import codecs
from ..values import ansi_decode, ansi_encode

#: The name each mode is printed with.
MODE_NAMES = {
    codecs.SIZE_PREFIX: "taille",
    codecs.END_TAG: "marqueur",
    codecs.END_TAG_BUFFER: "marqueur-buffer",
    codecs.NO_END_TAG: "brut",
}
WEBSOCKET = "websocket"

#: Every spelling accepted on the command line.
_MODE_SPELLINGS: dict[str, str] = {
    "taille": "taille",
    "size": "taille",
    "tailledebut": "taille",
    "marqueur": "marqueur",
    "end-tag": "marqueur",
    "marqueurfin": "marqueur",
    "marqueur-buffer": "marqueur-buffer",
    "end-tag-buffer": "marqueur-buffer",
    "marqueurfinbuffer": "marqueur-buffer",
    "brut": "brut",
    "raw": "brut",
    "sansmarqueurfin": "brut",
    "websocket": WEBSOCKET,
    "ws": WEBSOCKET,
}
_MODE_NUMBERS = {name: number for number, name in MODE_NAMES.items()}

#: What the WLangage constant of each mode is called (for messages).
CONSTANTS = {
    "taille": "SocketTailleDébut",
    "marqueur": "SocketMarqueurFin",
    "marqueur-buffer": "SocketMarqueurFinBuffer",
    "brut": "SocketSansMarqueurFin",
    WEBSOCKET: "SocketWebSocket",
}


def parse_mode(text: str) -> str:
    """A command-line mode spelling -> its canonical name (argparse type)."""
    key = text.strip().lower().replace("_", "-").replace("é", "e")
    try:
        return _MODE_SPELLINGS[key]
    except KeyError:
        choices = "taille, marqueur, marqueur-buffer, brut, websocket"
        raise argparse.ArgumentTypeError(f"unknown mode {text!r} (choose {choices})") from None


def mode_number(mode: str) -> int:
    """The codecs constant of a WINDEV mode name (not websocket)."""
    return _MODE_NUMBERS[mode]


@dataclass(frozen=True)
class Encoding:
    """How text typed on the command line becomes bytes, and back for display."""

    name: str

    def encode(self, text: str) -> bytes:
        if self.name == "utf-8":
            return text.encode("utf-8", "surrogateescape")
        return ansi_encode(text)

    def decode(self, data: bytes) -> str:
        if self.name == "utf-8":
            return data.decode("utf-8", "replace")
        return ansi_decode(data)


ANSI = Encoding("ansi")


def parse_encoding(text: str) -> Encoding:
    key = text.strip().lower().replace("_", "-")
    if key == "utf8":
        key = "utf-8"
    if key not in ("ansi", "utf-8"):
        raise argparse.ArgumentTypeError(f"unknown encoding {text!r} (choose ansi or utf-8)")
    return Encoding(key)


def add_mode_options(parser: argparse.ArgumentParser) -> None:
    """--mode, --marqueur and --encodage (with their English spellings)."""
    parser.add_argument(
        "--mode", type=parse_mode, default="taille",
        help="taille (default), marqueur, marqueur-buffer, brut or websocket; English: size, end-tag, "
        "end-tag-buffer, raw",
    )
    parser.add_argument(
        "--marqueur", "--marker", dest="marker", default="<EOF>",
        help="end marker of the marqueur modes (default <EOF>; \\r and \\n are understood)",
    )
    parser.add_argument(
        "--encodage", "--encoding", dest="encoding", type=parse_encoding, default=ANSI,
        help="how text is turned into bytes and shown: ansi (Windows-1252, default) or utf-8",
    )


def add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="one JSON object per line, for programs")
    parser.add_argument(
        "--couleur", "--color", dest="color", choices=("auto", "oui", "non", "always", "never"), default="auto",
        help="colours: auto (only on a terminal, default), oui/always, non/never",
    )
    parser.add_argument("--apercu", "--preview", dest="preview", type=count, default=256,
                        help="bytes of each message printed (default 256)")
    parser.add_argument("--silencieux", "--quiet", dest="quiet", action="store_true",
                        help="print no message, only connections, warnings and the summary")


def port(text: str) -> int:
    """A TCP port, 1 to 65535 (argparse type)."""
    if not text.strip().isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"invalid port {text!r} (1 to 65535)")
    return int(text)


def count(text: str) -> int:
    """A count of bytes or milliseconds, 0 or more (argparse type)."""
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"invalid number {text!r} (a whole number, 0 or more)")
    return int(text)


def text_bytes(text: str, encoding: Encoding) -> bytes:
    """Text typed on the command line as bytes; ValueError names a character
    that the encoding has no byte for."""
    try:
        return encoding.encode(text)
    except UnicodeEncodeError as error:
        bad = text[error.start : error.end]
        raise ValueError(f"{bad!r} has no byte in {encoding.name}: use --encodage utf-8, or @FILE") from None


def marker_bytes(text: str, encoding: Encoding) -> bytes:
    """The --marqueur value with the escapes \\r, \\n, \\t and \\\\ understood."""
    unescaped = text.replace("\\\\", "\0").replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t")
    return text_bytes(unescaped.replace("\0", "\\"), encoding)
