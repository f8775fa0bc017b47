"""Autobahn (kosoku's fuzzing client) against an echo server written only
with wlsocket functions, one thread per channel (tests/peers/ws_echo_server.py).

Families 1-7 and 10 (247 cases) run in every test run.  The whole suite with
compression (517 cases, several minutes) runs when WLSOCKET_AUTOBAHN_FULL=1,
or as ``python -m tests.peers.autobahn --full`` (docs/autobahn-server.md).
"""

from __future__ import annotations

import os

import pytest

from tests.peers import autobahn


def _check(results: list, expected_count: int) -> None:
    assert len(results) == expected_count, f"kosoku ran {len(results)} cases, expected {expected_count}"
    wrong = autobahn.failures(results)
    assert not wrong, "\n".join(wrong)


@pytest.mark.timeout(600)
def test_autobahn_core_families_all_pass(port):
    results, _ = autobahn.run_against_wlsocket(autobahn.CORE_CASES, port)
    _check(results, autobahn.CORE_COUNT)


@pytest.mark.timeout(3600)
@pytest.mark.skipif(not os.environ.get("WLSOCKET_AUTOBAHN_FULL"), reason="long run: set WLSOCKET_AUTOBAHN_FULL=1")
def test_autobahn_full_suite_with_compression_all_pass(port):
    results, _ = autobahn.run_against_wlsocket(autobahn.FULL_CASES, port)
    _check(results, autobahn.FULL_COUNT)
