"""The table, the machine description, docs/benchmarks.md and the chart."""

from __future__ import annotations

import datetime
import math
import os
import platform
import subprocess
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

from . import TARGETS, is_met, matching_target, ratio, target_of

PACKAGES = ("websocket-client", "websockets", "wsproto", "matplotlib")


# --- figures as text ----------------------------------------------------------------------


def number(value: float | None) -> str:
    """A figure with three significant digits and thousands separators."""
    if value is None:
        return "—"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def ratio_text(line: dict) -> str:
    measured = ratio(line)
    # Rounded down, so that 0.7996 against a target of 0.8 never reads "0.80 NO".
    return "—" if measured is None else f"{math.floor(measured * 100) / 100:.2f}"


def spread_text(line: dict) -> str:
    """The ratio's run-to-run spread, in ratio units, rounded up: "±0.04",
    or one significant digit below 0.01 ("±0.002", instruction counts)."""
    spread = line.get("spread")
    if spread is None or ratio(line) is None:
        return "—"
    if spread >= 0.01:
        return f"±{math.ceil(spread * 100) / 100:.2f}"
    if spread == 0:
        return "±0"
    digit = 10 ** math.floor(math.log10(spread))
    return f"±{math.ceil(spread / digit) * digit:.1g}"


def target_text(line: dict) -> str:
    if line.get("target_text"):
        return str(line["target_text"])
    minimum = target_of(line)
    return "—" if minimum is None else f">= {minimum:g}"


def met_text(line: dict) -> str:
    verdict = is_met(line)
    return "—" if verdict is None else "yes" if verdict else "NO"


COLUMNS = ("workload", "wlsocket", "reference", "unit", "ratio", "spread", "target", "met?")


def table_cells(rows: Sequence[dict]) -> list[list[str]]:
    return [
        [
            line["workload"],
            number(line.get("wlsocket")),
            number(line.get("reference")),
            line["unit"],
            ratio_text(line),
            spread_text(line),
            target_text(line),
            met_text(line),
        ]
        for line in rows
    ]


def text_table(rows: Sequence[dict]) -> str:
    """The table for a terminal."""
    cells = [list(COLUMNS)] + table_cells(rows)
    widths = [max(len(row[i]) for row in cells) for i in range(len(COLUMNS))]
    numeric = {1, 2, 4, 5}
    lines = []
    for index, row in enumerate(cells):
        lines.append(
            "  ".join(cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i]) for i, cell in enumerate(row))
        )
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def markdown_table(rows: Sequence[dict]) -> str:
    header = list(COLUMNS[:4]) + ["reference is"] + list(COLUMNS[4:])
    alignments = ["---", "--:", "--:", "---", "---", "--:", "--:", "---", "---"]
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(alignments) + "|"]
    for line, cells in zip(rows, table_cells(rows), strict=True):
        cells.insert(4, str(line.get("reference_name", "")))
        if cells[-1] == "NO":
            cells[-1] = "**NO**"
        out.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(out)


# --- the machine ----------------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=Path(__file__).resolve().parent.parent,
            capture_output=True,
            text=True,
            timeout=10,
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", "wlsocket"],
            cwd=Path(__file__).resolve().parent.parent,
            capture_output=True,
            text=True,
            timeout=10,
        )
        if out.returncode == 0:
            return out.stdout.strip() + (" (wlsocket/ with uncommitted changes)" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        pass
    return "unknown"


def machine_info() -> dict[str, str]:
    import wlsocket

    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    info = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "CPU": _cpu_model(),
        "cores": f"{os.cpu_count()} ({cpus} usable by this process)",
        "memory": _memory(),
        "system": platform.platform(),
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "wlsocket": f"{wlsocket.__version__}, commit {_git_commit()}",
    }
    for package in PACKAGES:
        info[package] = _version(package)
    return info


def load_average() -> str:
    try:
        return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    except OSError:
        return "unknown"


# --- the Markdown page and the chart ----------------------------------------------------------


def targets_section(rows: Sequence[dict], present: Sequence[str]) -> list[str]:
    out = ["| target (issue 7) | measured | met? |", "|---|---|---|"]
    for module, _pattern, _minimum, words in TARGETS:
        matched = [line for line in rows if matching_target(line["workload"]) == (module, _pattern, _minimum, words)]
        if not matched:
            why = "not measured" if module in present else f"not measured: bench/{module}.py not present"
            out.append(f"| {words} | {why} | — |")
            continue
        for line in matched:
            verdict = met_text(line)
            measured = ratio_text(line) if ratio(line) is not None else f"{number(line['wlsocket'])} {line['unit']}"
            out.append(f"| {words} | {line['workload']}: {measured} | {'**NO**' if verdict == 'NO' else verdict} |")
    return out


def write_markdown(
    path: Path,
    rows: Sequence[dict],
    machine: dict[str, str],
    *,
    mode: str,
    duration_s: float,
    loads: tuple[str, str],
    chart: Path | None,
    modules: dict[str, str],
    methods: dict[str, str],
) -> None:
    lines = [
        "# Benchmarks",
        "",
        "wlsocket against the reference of each workload, both measured in the same run,",
        "alternating repetition by repetition (medians kept). **Ratio** is wlsocket / reference",
        "(reference / wlsocket for costs): above 1 wlsocket does better. **Spread** is half the",
        "range of the ratios of single repetitions (each next to its pair of the other side): a",
        "change of the ratio smaller than that is noise. Absolute figures move with the",
        "machine's load; compare ratios. Instruction counts (callgrind) barely move at all.",
        "Produced by `python -m bench"
        + (" --quick" if mode == "quick" else " --tiny" if mode == "tiny" else "")
        + "` (see [Reproduce](#reproduce)).",
        "",
    ]
    if chart is not None:
        lines += [f"![ratio of each workload against its target]({chart.name})", ""]
    lines += [markdown_table(rows), ""]
    notes = [f"- {line['workload']}: {line['note']}" for line in rows if line.get("note")]
    if notes:
        lines += ["Notes:", ""] + notes + [""]
    lines += ["## Targets", ""] + targets_section(rows, [m for m, s in modules.items() if s == "ran"]) + [""]
    lines += ["## Machine and run", "", "| | |", "|---|---|"]
    lines += [f"| {key} | {value} |" for key, value in machine.items()]
    lines += [
        f"| mode | {mode} |",
        f"| duration | {duration_s:.0f} s |",
        f"| load average (1, 5, 15 min) at start / end | {loads[0]} / {loads[1]} |",
        "",
        "Workload modules: " + ", ".join(f"`{name}` ({status})" for name, status in modules.items()) + ".",
        "",
        "## How each workload is measured",
        "",
    ]
    for name, doc in methods.items():
        lines += [f"### bench/{name}.py", "", doc.strip(), ""]
    lines += [
        "## Reproduce",
        "",
        "```",
        'pip install ".[bench]"     # matplotlib, for the chart',
        "python -m bench            # full run (several minutes); --quick: under two minutes",
        "python -m bench --instructions   # instruction counts only (valgrind), printed",
        "```",
        "",
        "The chart is left out when matplotlib is not installed. To see where the time goes,",
        "profile the client side (the bench process) or a server process by its pid with py-spy:",
        "",
        "```",
        "pip install py-spy",
        "py-spy record -o client.svg -- python -m bench --quick --only tcp_bench",
        "py-spy record -o server.svg --pid <server pid>",
        "```",
        "",
        "What follows the marker line below, if any, is written by hand; generating the page",
        "again keeps it.",
        "",
    ]
    path.write_text("\n".join(lines) + kept_by_hand(path), encoding="utf-8")


#: Where the hand-written part of docs/benchmarks.md begins: everything from
#: this line on is kept when the page is generated again.
HAND_WRITTEN = "<!-- written by hand from here on: kept when this page is generated again -->"


def kept_by_hand(path: Path) -> str:
    """The hand-written end of the page ``path`` holds now ("" if none)."""
    try:
        old = path.read_text(encoding="utf-8")
    except OSError:
        return ""
    start = old.find(HAND_WRITTEN)
    return "" if start < 0 else "\n" + old[start:]


def write_chart(path: Path, rows: Sequence[dict]) -> bool:
    """Horizontal bars of each ratio with its target; False without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    shown = [line for line in rows if ratio(line) is not None]
    if not shown:
        return False
    labels = [line["workload"] for line in shown]
    ratios = [ratio(line) for line in shown]
    colours = {True: "#2e8b57", False: "#c0392b", None: "#8c8c8c"}
    fig_height = 1.8 + 0.42 * len(shown)
    fig, axis = plt.subplots(figsize=(10, fig_height), dpi=110)
    positions = list(range(len(shown)))[::-1]
    spreads = [line.get("spread") or 0.0 for line in shown]
    axis.barh(
        positions,
        ratios,
        xerr=[[min(s, r * 0.99) for s, r in zip(spreads, ratios, strict=True)], spreads],
        color=[colours[is_met(line)] for line in shown],
        height=0.62,
        zorder=2,
        error_kw={"elinewidth": 1, "capsize": 2, "ecolor": "#333333"},
    )
    for y, line, value in zip(positions, shown, ratios, strict=True):
        minimum = target_of(line)
        if minimum is not None:
            axis.plot([minimum, minimum], [y - 0.42, y + 0.42], color="black", linewidth=2.4, zorder=3)
        # The figure goes right of the bar and of its target mark, never on them.
        axis.text(max(value, minimum or 0) * 1.06, y, ratio_text(line), va="center", fontsize=8, zorder=4)
    axis.axvline(1.0, color="#555555", linestyle="--", linewidth=1, zorder=1)
    axis.set_xscale("log")
    low = min(min(ratios), *(target_of(line) or 1 for line in shown)) / 1.6
    high = max(max(ratios), *(target_of(line) or 1 for line in shown)) * 1.9
    axis.set_xlim(low, high)
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    ticks = [t for t in (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100) if low <= t <= high]
    axis.xaxis.set_major_locator(FixedLocator(ticks))
    axis.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    axis.xaxis.set_minor_locator(NullLocator())
    axis.set_yticks(positions)
    axis.set_yticklabels(labels, fontsize=8)
    axis.set_xlabel("wlsocket / reference, same run (log scale; > 1: wlsocket does better)")
    axis.grid(axis="x", which="both", alpha=0.25, zorder=0)
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    fig.legend(
        handles=[
            Patch(color=colours[True], label="target met"),
            Patch(color=colours[False], label="target not met"),
            Patch(color=colours[None], label="no target (informative)"),
            Line2D([0], [0], color="black", linewidth=2.4, label="target"),
        ],
        fontsize=8,
        loc="lower center",
        ncol=4,
        frameon=False,
    )
    axis.set_title("wlsocket against its references", fontsize=10)
    fig.tight_layout(rect=(0, 0.45 / fig_height, 1, 1))
    fig.savefig(path)
    plt.close(fig)
    return True
