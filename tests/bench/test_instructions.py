"""``python -m bench --instructions``: instruction counts of the hot calls
under callgrind, run here on the tiny sizes.  No count is asserted against a
target (docs/benchmarks.md holds them); what is checked is that the markers
bracket the loops (counts of the right order, raw syscalls cheaper than any
framing) and that the counts are steady from one repetition to the next."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

from tests.conftest import ROOT, require_peer

WORKLOADS = (
    "Instructions: TCP 100 B SocketEcrit + SocketLit",
    "Instructions: TCP 100 B SocketEcrit alone",
    "Instructions: TCP 64 KiB SocketEcrit + SocketLit",
    "Instructions: end tag buffer, SocketLit per 32 B line",
)


def figures(line: str) -> tuple[float, float, str]:
    """wlsocket, reference and spread cell of one printed row."""
    cells = line.split()
    numbers = [cell for cell in cells if re.fullmatch(r"[\d,]+", cell)]
    spread = next(cell for cell in cells if cell.startswith("±"))
    return float(numbers[-2].replace(",", "")), float(numbers[-1].replace(",", "")), spread


def test_tiny_instruction_counts(tmp_path):
    require_peer(shutil.which("valgrind") is not None, "valgrind (apt-get install valgrind)")
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--instructions", "--tiny", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    lines = done.stdout.splitlines()
    printed = {w: line[len(w) :] for line in lines for w in WORKLOADS if line.startswith(w)}
    assert sorted(printed) == sorted(WORKLOADS), done.stdout
    websocket = "Instructions: WS client 100 B text SocketEcrit + SocketLit"
    websocket_row = next((line[len(websocket) :] for line in lines if line.startswith(websocket)), None)
    assert websocket_row is not None, done.stdout
    for workload, rest in [*printed.items(), (websocket, websocket_row)]:
        ours, reference, spread = figures(rest)
        if workload == websocket:  # against another client (not a bare loop): either may do more
            assert 1_000 < ours < 10_000_000 and 1_000 < reference < 10_000_000, (workload, rest)
        else:
            assert 1_000 < reference < ours < 10_000_000, (workload, rest)  # wlsocket does more than the bare loop
        assert float(spread.lstrip("±")) <= 0.02, f"{workload}: instruction counts moved between repetitions: {rest}"
    page = (tmp_path / "benchmarks.md").read_text(encoding="utf-8")
    note = re.search(r"raw sendall \+ recv alone: ([\d,]+) instructions; above them wlsocket spends ([-\d,]+) "
                     r"and hand framing ([-\d,]+)", page)
    assert note, page
    raw, above_wlsocket, above_framing = (int(group.replace(",", "")) for group in note.groups())
    assert raw > 500 and 0 < above_framing < above_wlsocket, note.group(0)
    assert "| workload | wlsocket | reference | unit | reference is | ratio | spread |" in page
    assert "Instructions per SocketEcrit + SocketLit round trip <= 2 x hand framing" in page


def test_instructions_refuses_another_module():
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--instructions", "--only", "tcp_bench"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "--instructions runs bench/instructions_bench.py alone" in done.stderr
