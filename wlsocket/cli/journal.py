"""The conversation file of ``trace --journal`` and ``rejoue``: JSON lines.

The first line describes the trace::

    {"journal": "wlsocket-trace", "version": 1, "mode": "taille", "marker": "<EOF>", "server": "127.0.0.1:5001"}

then one line per chunk forwarded, in the order it was forwarded::

    {"t": 0.0123, "connection": 1, "direction": "client->server", "data": "<base64>"}

``t`` is seconds since the trace started; ``data`` the bytes exactly as
they crossed the relay (base64), so a replay sends the very same bytes.
A line ``{"t": ..., "connection": 1, "direction": "client->server", "end": true}``
marks a side that closed.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

KIND = "wlsocket-trace"
VERSION = 1
CLIENT_TO_SERVER = "client->server"
SERVER_TO_CLIENT = "server->client"


class JournalError(Exception):
    """The file is not a journal; the text says where (file:line)."""


class JournalWriter:
    """Appends records from several relay threads, one whole line each."""

    def __init__(self, path: Path, header: dict[str, Any]) -> None:
        self._file: IO[str] = path.open("w", encoding="utf-8")
        self._lock = threading.Lock()
        self._start = time.monotonic()
        self._write({"journal": KIND, "version": VERSION, **header})

    def _write(self, record: dict[str, Any], flush: bool = True) -> None:
        with self._lock:
            if not self._file.closed:
                self._file.write(json.dumps(record) + "\n")
                if flush:
                    self._file.flush()

    def flush(self) -> None:
        """Write out the records given with ``flush=False``."""
        with self._lock:
            if not self._file.closed:
                self._file.flush()

    def chunk(self, connection: int, direction: str, data: bytes, flush: bool = True) -> None:
        self._write({"t": round(time.monotonic() - self._start, 6), "connection": connection,
                     "direction": direction, "data": base64.b64encode(data).decode("ascii")}, flush)

    def end(self, connection: int, direction: str, flush: bool = True) -> None:
        self._write({"t": round(time.monotonic() - self._start, 6), "connection": connection,
                     "direction": direction, "end": True}, flush)

    def close(self) -> None:
        with self._lock:
            self._file.close()


@dataclass
class Record:
    t: float
    connection: int
    direction: str
    data: bytes = b""
    end: bool = False


@dataclass
class Journal:
    header: dict[str, Any]
    records: list[Record] = field(default_factory=list)

    def connections(self) -> list[int]:
        return sorted({record.connection for record in self.records})

    def of(self, connection: int) -> list[Record]:
        return [record for record in self.records if record.connection == connection]


def read_journal(path: Path) -> Journal:
    """Parse a journal; :class:`JournalError` names the line at fault."""
    journal: Journal | None = None
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            where = f"{path}:{number}"
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise JournalError(f"{where}:{error.colno}: not JSON ({error.msg})") from None
            if not isinstance(record, dict):
                raise JournalError(f"{where}:1: a record is a JSON object")
            if journal is None:
                if record.get("journal") != KIND:
                    raise JournalError(f"{where}:1: not a wlsocket trace journal (no \"journal\": \"{KIND}\")")
                journal = Journal(record)
                continue
            try:
                direction = record["direction"]
                if direction not in (CLIENT_TO_SERVER, SERVER_TO_CLIENT):
                    raise ValueError(f"unknown direction {direction!r}")
                journal.records.append(Record(
                    t=float(record["t"]),
                    connection=int(record["connection"]),
                    direction=direction,
                    data=base64.b64decode(record.get("data", ""), validate=True),
                    end=bool(record.get("end", False)),
                ))
            except (KeyError, ValueError, TypeError) as error:
                raise JournalError(f"{where}:1: bad record ({error})") from None
    if journal is None:
        raise JournalError(f"{path}:1:1: empty file, not a journal")
    return journal
