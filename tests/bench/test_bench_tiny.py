"""The benchmarks keep working: ``python -m bench --tiny`` runs every
workload module present on the smallest sizes and writes the table.  Speed
is not asserted here (docs/benchmarks.md holds the measured ratios).  The
instruction counts (under valgrind, the slowest tiny module) are left to
tests/bench/test_instructions.py, which runs them once."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from bench import TARGETS, WORKLOAD_MODULES, is_met, ratio, row, target_of
from tests.conftest import ROOT


def test_tiny_run_prints_and_writes_the_table(tmp_path):
    modules = ",".join(module for module in WORKLOAD_MODULES if module != "instructions_bench")
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--tiny", "--only", modules, "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    header = next(line for line in done.stdout.splitlines() if line.startswith("workload"))
    assert header.split() == ["workload", "wlsocket", "reference", "unit", "ratio", "spread", "target", "met?"]
    for workload in (
        "TCP size prefix: 100 B round trips",
        "TCP size prefix: 1 MiB one-way throughput",
        "End tag buffer: 32 B lines, 2048 per segment",
        "TCP size prefix: 100 B round trips, echo server in this process",
    ):
        line = next(line for line in done.stdout.splitlines() if line.startswith(workload))
        figures = line[len(workload) :].split()
        assert float(figures[0].replace(",", "")) > 0 and float(figures[1].replace(",", "")) > 0, line

    page = (tmp_path / "benchmarks.md").read_text(encoding="utf-8")
    assert "| workload | wlsocket | reference |" in page
    assert "TCP size prefix: 64 KiB round trips" in page
    assert "## Machine and run" in page and "| Python |" in page
    for _module, _pattern, _minimum, words in TARGETS:  # every target of issue 7 is listed
        assert words in page
    if importlib.util.find_spec("matplotlib") is not None:
        assert (tmp_path / "benchmarks.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert "(benchmarks.png)" in page


def test_ratio_is_above_one_when_wlsocket_does_better_whatever_the_unit():
    faster = row("TCP size prefix: 100 B round trips", 200.0, 100.0, "round trips/s")
    lighter = row("Scale: memory", 50.0, 100.0, "KiB/connection", higher_is_better=False)
    assert ratio(faster) == 2.0 and ratio(lighter) == 2.0
    assert ratio(row("Scale: idle held", 10_000, None, "connections")) is None


def test_targets_come_from_the_issue_table_unless_the_row_brings_its_own():
    assert target_of(row("TCP size prefix: 64 KiB round trips", 1, 1, "round trips/s")) == 0.9
    assert target_of(row("One core, TCP size prefix: 100 B round trips", 1, 1, "round trips/s")) is None
    # issue 16's figures
    assert target_of(row("TCP size prefix: 100 B round trips, echo server in this process", 1, 1, "x")) == 0.85
    assert target_of(row("Str in the reference too: TCP 64 KiB round trips", 1, 1, "round trips/s")) == 0.9
    assert target_of(row("Str in the reference too: TCP 1 MiB one-way throughput", 1, 1, "MiB/s")) == 0.9
    assert target_of(row("End tag buffer: 32 B lines, 2048 per segment", 1, 1, "messages/s")) == 0.5
    assert is_met(row("WS server 1 MiB binary echo", 90.0, 100.0, "MiB/s")) is False
    assert is_met(row("WS server 1 MiB binary echo", 110.0, 100.0, "MiB/s")) is True
    assert is_met(row("anything", 1.0, 2.0, "x", target=0.4)) is True
    assert is_met(row("Scale: 10,000 idle connections", 10_000, None, "connections", met=False)) is False


def test_rows_with_unknown_keys_are_refused():
    with pytest.raises(TypeError):
        row("x", 1.0, 1.0, "x", ratio=3)
