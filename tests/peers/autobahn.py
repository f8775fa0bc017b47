"""The Autobahn test cases (kosoku's fuzzing client) against the wlsocket
echo server of tests/peers/ws_echo_server.py.

    python -m tests.peers.autobahn                 # families 1-7 and 10 (247 cases, what CI runs)
    python -m tests.peers.autobahn --full          # families 1-13 with compression (517 cases, minutes)
    python -m tests.peers.autobahn --full --reference --write-docs
                                                   # + the websockets server on the same cases,
                                                   #   table written to docs/autobahn-server.md

Exit status 0 when every case of the wlsocket server passed.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import platform
import sys
import threading
import time
from pathlib import Path

CORE_CASES = ["1.*", "2.*", "3.*", "4.*", "5.*", "6.*", "7.*", "10.*"]
FULL_CASES = ["*"]
CORE_COUNT = 247
FULL_COUNT = 517
DOCS = Path(__file__).resolve().parent.parent.parent / "docs" / "autobahn-server.md"
BEGIN = "<!-- BEGIN AUTOBAHN RESULTS (python -m tests.peers.autobahn --full --reference --write-docs) -->"
END = "<!-- END AUTOBAHN RESULTS -->"

FAMILIES = {
    "1": "framing (text and binary payloads)",
    "2": "pings and pongs",
    "3": "reserved bits",
    "4": "opcodes",
    "5": "fragmentation",
    "6": "UTF-8 handling",
    "7": "close handshake and close codes",
    "9": "limits and performance (up to 16 MiB messages)",
    "10": "auto-fragmentation",
    "12": "permessage-deflate, server compressing",
    "13": "permessage-deflate, client and server, all parameters",
}


def run_cases(url: str, cases: list[str], concurrency: int = 1) -> list:
    """kosoku's fuzzing client against ``url``; every case's result."""
    import kosoku

    try:
        return asyncio.run(kosoku.run_fuzzingclient(url, cases, concurrency=concurrency))
    except kosoku.FailureError as failure:
        return list(failure.results)


def run_against_wlsocket(cases: list[str], port: int) -> tuple[list, float]:
    from tests.peers.ws_echo_server import EchoServer

    with EchoServer(port):
        started = time.monotonic()
        results = run_cases(f"ws://127.0.0.1:{port}", cases)
        return results, time.monotonic() - started


def run_against_websockets(cases: list[str], port: int) -> tuple[list, float]:
    """The reference: the `websockets` package's threading server, echoing."""
    from websockets.sync.server import serve

    def echo(connection) -> None:
        for message in connection:
            connection.send(message)

    with serve(echo, "127.0.0.1", port, max_size=None, compression="deflate") as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        started = time.monotonic()
        try:
            results = run_cases(f"ws://127.0.0.1:{port}", cases)
        finally:
            server.shutdown()
            thread.join(30)
        return results, time.monotonic() - started


def family(case_id: str) -> str:
    return case_id.split(".")[0]


def summary(results: list) -> dict[str, collections.Counter]:
    """family -> Counter of verdicts ("passed", "failed", and each behavior)."""
    table: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for result in results:
        counts = table[family(result.case_id)]
        counts["cases"] += 1
        counts["passed" if result.passed else "failed"] += 1
        counts[result.behavior.value] += 1
    return table


def failures(results: list) -> list[str]:
    return [
        f"{r.case_id}: {r.behavior.value} / {r.behavior_close.value}: {r.result} {r.result_close}"
        for r in results
        if not r.passed
    ]


def markdown(ours: list, ours_s: float, reference: list | None, reference_s: float) -> str:
    mine, theirs = summary(ours), summary(reference or [])
    lines = [
        BEGIN,
        "",
        f"Run of {time.strftime('%Y-%m-%d')} on {platform.python_implementation()} {platform.python_version()},"
        f" kosoku fuzzing client, one case at a time, 127.0.0.1.",
        "",
        "| family | what | cases | wlsocket passed | wlsocket OK / NON-STRICT / INFORMATIONAL | websockets passed |",
        "|---|---|---|---|---|---|",
    ]
    for key in sorted(mine, key=lambda k: int(k)):
        counts = mine[key]
        detail = f"{counts['OK']} / {counts['NON-STRICT']} / {counts['INFORMATIONAL']}"
        other = theirs.get(key)
        lines.append(
            f"| {key} | {FAMILIES.get(key, '')} | {counts['cases']} | {counts['passed']} | {detail} |"
            f" {other['passed'] if other else '—'} |"
        )
    total = sum(c["passed"] for c in mine.values())
    other_total = sum(c["passed"] for c in theirs.values()) if reference else None
    lines += [
        f"| **all** | | **{len(ours)}** | **{total}** | | **{other_total if other_total is not None else '—'}** |",
        "",
        f"Duration: wlsocket {ours_s:.0f} s" + (f", websockets {reference_s:.0f} s." if reference else "."),
    ]
    wrong = failures(ours)
    lines += ["", "Cases the wlsocket server did not pass: " + ("none." if not wrong else "")]
    lines += [f"- {line}" for line in wrong]
    if reference:
        lines += ["", "Cases the websockets server did not pass (for comparison):"]
        lines += [f"- {line}" for line in failures(reference)] or ["- none"]
    lines += ["", END]
    return "\n".join(lines)


def write_docs(table: str) -> None:
    text = DOCS.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    DOCS.write_text(text[:start] + table + text[end:], encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    from tests.conftest import free_port

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--full", action="store_true", help="families 1-13 with compression (517 cases)")
    parser.add_argument("--reference", action="store_true", help="also run the websockets server")
    parser.add_argument("--write-docs", action="store_true", help="write the table into docs/autobahn-server.md")
    args = parser.parse_args(argv)
    cases = FULL_CASES if args.full else CORE_CASES
    ours, ours_s = run_against_wlsocket(cases, free_port())
    print(f"wlsocket: {sum(r.passed for r in ours)}/{len(ours)} passed in {ours_s:.0f} s", flush=True)
    reference, reference_s = None, 0.0
    if args.reference:
        reference, reference_s = run_against_websockets(cases, free_port())
        print(f"websockets: {sum(r.passed for r in reference)}/{len(reference)} passed in {reference_s:.0f} s")
    table = markdown(ours, ours_s, reference, reference_s)
    print(table)
    if args.write_docs:
        write_docs(table)
    return 0 if all(r.passed for r in ours) else 1


if __name__ == "__main__":
    sys.exit(main())
