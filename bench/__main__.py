"""``python -m bench [--quick | --tiny] [--only NAME,...] [--instructions] [--out DIR]``

Runs every workload module present, prints the table and writes
``DIR/benchmarks.md`` and ``DIR/benchmarks.png`` (DIR: docs/ of the
repository).  ``--instructions`` runs only the instruction counts
(bench/instructions_bench.py, under valgrind) and prints them, writing
nothing unless ``--out`` is given.  Exits 1 when a workload module present
failed to run.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import inspect
import os
import sys
import time
import traceback
from pathlib import Path

from . import WORKLOAD_MODULES, report


def _run_module(name: str, quick: bool, tiny: bool) -> list[dict]:
    module = importlib.import_module(f"bench.{name}")
    if "tiny" in inspect.signature(module.run).parameters:
        return module.run(quick, tiny=tiny)
    return module.run(quick)


def _method(name: str) -> str:
    module = sys.modules.get(f"bench.{name}")
    return (module.__doc__ or "").strip() if module is not None else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="shorter runs (under two minutes)")
    size.add_argument("--tiny", action="store_true", help="smallest sizes: checks the benchmarks run (test suite)")
    parser.add_argument("--only", default="", help="comma-separated workload modules, e.g. tcp_bench")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="instruction counts of the hot calls only (callgrind), printed; written only with --out",
    )
    parser.add_argument("--out", type=Path, default=None, help="where to write the page (default: docs/)")
    args = parser.parse_args(argv)
    if args.instructions:
        if args.only and args.only != "instructions_bench":
            parser.error("--instructions runs bench/instructions_bench.py alone: drop --only")
        args.only = "instructions_bench"
    write = args.out is not None or not args.instructions
    out = args.out or Path(__file__).resolve().parent.parent / "docs"

    if args.tiny:
        os.environ["WLSOCKET_BENCH_TINY"] = "1"
    quick = args.quick or args.tiny
    mode = "tiny" if args.tiny else "quick" if args.quick else "full"
    wanted = [name.strip() for name in args.only.split(",") if name.strip()] or list(WORKLOAD_MODULES)
    unknown = set(wanted) - set(WORKLOAD_MODULES)
    if unknown:
        parser.error(f"unknown workload modules: {', '.join(sorted(unknown))}")

    started, load_before = time.monotonic(), report.load_average()
    rows: list[dict] = []
    statuses: dict[str, str] = {}
    failed = False
    for name in wanted:
        if importlib.util.find_spec(f"bench.{name}") is None:
            statuses[name] = "not present"
            print(f"[bench] {name}: not present", flush=True)
            continue
        print(f"[bench] {name}: running ({mode})", flush=True)
        module_start = time.monotonic()
        try:
            produced = _run_module(name, quick, args.tiny)
        except Exception:  # one broken workload must not hide the others
            traceback.print_exc()
            statuses[name] = "FAILED"
            failed = True
            continue
        statuses[name] = "ran"
        rows.extend(produced)
        print(f"[bench] {name}: {len(produced)} rows in {time.monotonic() - module_start:.0f} s", flush=True)

    print()
    print(report.text_table(rows))
    if not write:
        return 1 if failed else 0
    out.mkdir(parents=True, exist_ok=True)
    chart = out / "benchmarks.png"
    if not report.write_chart(chart, rows):
        print("[bench] no chart: no ratio to draw, or matplotlib is not installed (pip install '.[bench]')")
        chart = None
    markdown = out / "benchmarks.md"
    report.write_markdown(
        markdown,
        rows,
        report.machine_info(),
        mode=mode,
        duration_s=time.monotonic() - started,
        loads=(load_before, report.load_average()),
        chart=chart,
        modules=statuses,
        methods={name: _method(name) for name, status in statuses.items() if status == "ran"},
    )
    print(f"\n[bench] wrote {markdown}" + (f" and {chart}" if chart else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
