"""The run-to-run spread of a ratio: interleaved() keeps each side's samples
(in repetition order), row() turns paired samples into the ratio's spread
and the report prints it beside the ratio."""

from __future__ import annotations

import pytest

from bench import Measured, interleaved, ratio, ratio_spread, row
from bench.report import COLUMNS, spread_text, table_cells


def test_interleaved_keeps_the_samples_in_repetition_order():
    calls: list[str] = []

    def side(name: str, values: list[float]):
        feed = iter(values)

        def measure() -> float:
            calls.append(name)
            return next(feed)

        return measure

    rates = interleaved({"wlsocket": side("w", [1.0, 5.0, 3.0]), "reference": side("r", [2.0, 2.0, 4.0])}, 3)
    assert calls == ["w", "r", "r", "w", "w", "r"]  # the order alternates
    assert rates["wlsocket"] == 3.0 and rates["wlsocket"].samples == (1.0, 5.0, 3.0)
    assert rates["reference"] == 2.0 and rates["reference"].samples == (2.0, 2.0, 4.0)


def test_row_records_half_the_range_of_the_paired_ratios():
    line = row("x", Measured([1.0, 5.0, 3.0]), Measured([2.0, 2.0, 4.0]), "ops/s")
    # paired ratios 0.5, 2.5, 0.75: half their range is 1.0
    assert line["spread"] == pytest.approx(1.0)
    assert type(line["wlsocket"]) is float and ratio(line) == 1.5
    costs = row("y", Measured([4.0, 2.0]), Measured([2.0, 2.0]), "µs", higher_is_better=False)
    assert costs["spread"] == pytest.approx((1.0 - 0.5) / 2)  # reference / wlsocket per repetition


def test_scaling_a_measured_figure_keeps_its_samples():
    scaled = Measured([1.0, 3.0]) * 2048
    assert isinstance(scaled, Measured) and scaled == 4096 and scaled.samples == (2048.0, 6144.0)
    assert (2 * Measured([1.0, 3.0])).samples == (2.0, 6.0)
    assert (Measured([2.0, 4.0]) / 2).samples == (1.0, 2.0)
    assert not isinstance(Measured([1.0]) + 1, Measured)  # a sum is a plain figure


def test_no_spread_without_paired_samples():
    assert ratio_spread(1.0, 2.0) is None
    assert ratio_spread(Measured([1.0]), Measured([2.0])) is None  # one repetition
    assert ratio_spread(Measured([1.0, 2.0]), Measured([1.0, 2.0, 3.0])) is None
    assert ratio_spread(Measured([0.0, 2.0]), Measured([1.0, 2.0])) is None
    assert "spread" not in row("z", 1.0, 2.0, "x")
    assert row("z", 1.0, 2.0, "x", spread=0.25)["spread"] == 0.25  # a module may give its own


def test_the_table_shows_the_spread_beside_the_ratio():
    assert COLUMNS.index("spread") == COLUMNS.index("ratio") + 1
    measured = row("x", Measured([1.0, 5.0, 3.0]), Measured([2.0, 2.0, 4.0]), "ops/s")
    cells = table_cells([measured, row("y", 1.0, None, "x")])
    assert cells[0][4:6] == ["1.50", "±1.00"] and cells[1][5] == "—"
    assert [spread_text({"wlsocket": 1, "reference": 1, "spread": s}) for s in (0, 0.0021, 0.0401)] == [
        "±0",
        "±0.003",
        "±0.05",
    ]


def test_regenerating_the_page_keeps_what_was_written_by_hand(tmp_path):
    from bench.report import HAND_WRITTEN, write_markdown

    page = tmp_path / "benchmarks.md"

    def generate(rows):
        write_markdown(page, rows, {"cpu": "x"}, mode="quick", duration_s=1.0, loads=("0", "0"), chart=None,
                       modules={"tcp_bench": "ran"}, methods={"tcp_bench": "doc"})

    generate([row("first", Measured([2.0]), Measured([1.0]), "ops/s")])
    assert "first" in page.read_text() and HAND_WRITTEN not in page.read_text()
    page.write_text(page.read_text() + f"{HAND_WRITTEN}\n\n## Before and after\n\nby hand\n")
    generate([row("second", Measured([3.0]), Measured([1.0]), "ops/s")])
    text = page.read_text()
    assert "second" in text and "first" not in text
    assert text.count(HAND_WRITTEN) == 1 and text.endswith("## Before and after\n\nby hand\n")
