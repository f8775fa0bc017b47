"""The Autobahn test cases (kosoku's fuzzing server) against a client driven
only through WLangage functions: SocketConnecte with a ws:// URL, the
procedure, SocketEcrit (echo) and SocketFerme.  Families 1-7 and 10 (247
cases) must all pass; this runs in every test run.

    python -m tests.ws.test_client_autobahn                # the 247 cases, table printed
    python -m tests.ws.test_client_autobahn --reference --write-docs
                                                          # + websocket-client (WebSocketApp, and a
                                                          #   recv loop) and the websockets client on
                                                          #   the same cases, table written to
                                                          #   docs/autobahn-client.md
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import platform
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.peers.autobahn import CORE_CASES as CASES
from tests.peers.autobahn import CORE_COUNT as CASE_COUNT
from tests.peers.autobahn import FAMILIES, failures, summary
from wlsocket import SocketConnecte, SocketEcrit, SocketFerme, SocketFermeture, SocketMessage

AGENT = "wlsocket"
DOCS = ROOT / "docs" / "autobahn-client.md"
BEGIN = "<!-- BEGIN AUTOBAHN CLIENT RESULTS (python -m tests.ws.test_client_autobahn --reference --write-docs) -->"
END = "<!-- END AUTOBAHN CLIENT RESULTS -->"
CASE_TIMEOUT_S = 30


# --- the clients under test: each runs one URL to its end -------------------------------------


def wlsocket_session(url: str) -> list[Any]:
    """PROCEDURE ProcRetour(nEvénement, sMessage): echo each message;
    returns what came (for /getCaseCount)."""
    received: list[Any] = []
    over = threading.Event()

    def procedure(event: int, message: Any) -> None:
        if event == SocketMessage:
            received.append(message)
            SocketEcrit("autobahn", message)
        elif event == SocketFermeture:
            over.set()

    assert SocketConnecte("autobahn", url, procedure)
    try:
        assert over.wait(CASE_TIMEOUT_S), f"{url}: no SocketFermeture within {CASE_TIMEOUT_S} s"
    finally:
        SocketFerme("autobahn")
    return received


def websocket_client_session(url: str) -> list[Any]:
    """The reference: bare websocket-client (WebSocketApp, defaults), echoing."""
    import websocket

    received: list[Any] = []

    def on_message(app: Any, message: Any) -> None:
        received.append(message)
        app.send(message, websocket.ABNF.OPCODE_TEXT if isinstance(message, str) else websocket.ABNF.OPCODE_BINARY)

    app = websocket.WebSocketApp(url, on_message=on_message)
    runner = threading.Thread(target=app.run_forever, daemon=True)
    runner.start()
    runner.join(CASE_TIMEOUT_S)
    if runner.is_alive():
        app.close()
        runner.join(CASE_TIMEOUT_S)
    return received


def websocket_client_loop_session(url: str) -> list[Any]:
    """The reference at its best: websocket-client's WebSocket in a recv
    loop that closes with 1002 / 1007 itself when the library raises."""
    import websocket

    received: list[Any] = []
    client = websocket.WebSocket()
    try:
        client.connect(url, timeout=CASE_TIMEOUT_S)
        while True:
            try:
                opcode, data = client.recv_data()
            except websocket.WebSocketPayloadException:
                client.close(websocket.STATUS_INVALID_PAYLOAD)
                break
            except websocket.WebSocketProtocolException:
                client.close(websocket.STATUS_PROTOCOL_ERROR)
                break
            if opcode not in (websocket.ABNF.OPCODE_TEXT, websocket.ABNF.OPCODE_BINARY):
                break  # a close: recv_data has answered it
            # it lets a truncated UTF-8 ending through: keep the bytes, echo them as they came
            received.append(data.decode("utf-8", "replace") if opcode == websocket.ABNF.OPCODE_TEXT else data)
            client.send(data, opcode)
    except (websocket.WebSocketException, OSError):
        pass
    finally:
        client.shutdown()
    return received


def websockets_session(url: str) -> list[Any]:
    """The reference: the `websockets` package's synchronous client, echoing."""
    from websockets.exceptions import ConnectionClosed, InvalidHandshake
    from websockets.sync.client import connect

    received: list[Any] = []
    try:
        with connect(url, max_size=None, compression=None, open_timeout=CASE_TIMEOUT_S) as connection:
            for message in connection:
                received.append(message)
                connection.send(message)
    except (ConnectionClosed, InvalidHandshake, OSError):
        pass
    return received


Session = Callable[[str], list[Any]]


def drive(session: Session, base: str, agent: str) -> None:
    """The Autobahn client protocol: /getCaseCount, each /runCase, /updateReports."""
    count = int(str(session(f"{base}/getCaseCount")[0]))
    for case in range(1, count + 1):
        session(f"{base}/runCase?case={case}&agent={agent}")
    session(f"{base}/updateReports?agent={agent}")


def run(session: Session, agent: str = AGENT, cases: list[str] | None = None) -> tuple[list, float]:
    """kosoku's fuzzing server on 127.0.0.1 and ``session`` driven against it."""
    import kosoku

    async def main() -> list:
        async with kosoku.run_fuzzingserver(cases or CASES, host="127.0.0.1", port=0) as server:
            await asyncio.to_thread(drive, session, f"ws://127.0.0.1:{server.port}", agent)
            try:
                return list(await server.get_result())
            except kosoku.FailureError as failure:
                return list(failure.results)

    started = time.monotonic()
    results = asyncio.run(main())
    return results, time.monotonic() - started


@pytest.mark.timeout(900)
def test_autobahn_client_families_1_to_7_and_10_all_pass():
    results, _ = run(wlsocket_session)
    assert len(results) == CASE_COUNT, f"kosoku ran {len(results)} cases, expected {CASE_COUNT}"
    wrong = failures(results)
    assert not wrong, "\n".join(wrong)


# --- the table in docs/autobahn-client.md ---------------------------------------------------------


def markdown(runs: dict[str, tuple[list, float]]) -> str:
    names = list(runs)
    tables = {name: summary(results) for name, (results, _) in runs.items()}
    ours = tables[AGENT]
    header = "| family | what | cases | " + " | ".join(f"{name} passed" for name in names)
    header += " | wlsocket OK / NON-STRICT / INFORMATIONAL |"
    lines = [
        BEGIN,
        "",
        f"Run of {time.strftime('%Y-%m-%d')} on {platform.python_implementation()} {platform.python_version()},"
        " kosoku fuzzing server, one case at a time, 127.0.0.1.",
        "",
        header,
        "|---|---|---|" + "---|" * len(names) + "---|",
    ]
    for key in sorted(ours, key=int):
        counts = ours[key]
        passed = " | ".join(str(tables[name].get(key, {}).get("passed", 0)) for name in names)
        detail = f"{counts['OK']} / {counts['NON-STRICT']} / {counts['INFORMATIONAL']}"
        lines.append(f"| {key} | {FAMILIES.get(key, '')} | {counts['cases']} | {passed} | {detail} |")
    totals = " | ".join(f"**{sum(c['passed'] for c in tables[name].values())}**" for name in names)
    lines.append(f"| **all** | | **{len(runs[AGENT][0])}** | {totals} | |")
    lines += ["", "Duration: " + ", ".join(f"{name} {seconds:.0f} s" for name, (_, seconds) in runs.items()) + "."]
    for name, (results, _) in runs.items():
        wrong = failures(results)
        lines += ["", f"Cases {name} did not pass: " + ("none." if not wrong else "")]
        if len(wrong) <= 12:
            lines += [f"- {line}" for line in wrong]
            continue
        verdicts = collections.Counter(
            f"{r.behavior.value} / {r.behavior_close.value}: {r.result_close}" for r in results if not r.passed
        )
        lines += [f"- {count} cases {verdict}" for verdict, count in verdicts.most_common()]
    lines += ["", END]
    return "\n".join(lines)



def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reference", action="store_true", help="also run websocket-client and websockets")
    parser.add_argument("--write-docs", action="store_true", help="write the table into docs/autobahn-client.md")
    args = parser.parse_args(argv)
    runs = {AGENT: run(wlsocket_session)}
    if args.reference:
        runs["websocket-client"] = run(websocket_client_session, "websocket-client")
        runs["websocket-client (recv loop)"] = run(websocket_client_loop_session, "websocket-client-loop")
        runs["websockets"] = run(websockets_session, "websockets")
    for name, (results, seconds) in runs.items():
        print(f"{name}: {sum(r.passed for r in results)}/{len(results)} passed in {seconds:.0f} s", flush=True)
    table = markdown(runs)
    print(table)
    if args.write_docs:
        text = DOCS.read_text(encoding="utf-8")
        DOCS.write_text(text[: text.index(BEGIN)] + table + text[text.index(END) + len(END) :], encoding="utf-8")
    return 0 if all(r.passed for r in runs[AGENT][0]) else 1


if __name__ == "__main__":
    sys.exit(main())
