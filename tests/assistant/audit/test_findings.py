"""How a figure is judged at its printed precision, and how findings read."""

from __future__ import annotations

import pytest

from assistant.audit.findings import Finding, Source, by_severity, judge_amount, judge_percent, judge_sum


@pytest.mark.parametrize(
    "stated, decimals, computed, severity",
    [
        (90.0, 0, 90.02, None),  # "占 90%": agrees at its own precision
        (2.0, 0, 1.9995, None),  # "占 2 %"
        (1.3, 1, 1.334, None),
        (29.6, 1, 29.59, None),
        (6.7, 1, 6.642, "rounding"),  # printed one decimal; 6.64 rounds to 6.6
        (65.7, 1, 65.643, "rounding"),
        (89.0, 0, 90.02, "rounding"),  # one unit off in the last printed digit
        (1.8, 1, 1.334, "error"),
        (99.24, 2, 99.2439, None),
        (99.3, 2, 99.2439, "rounding"),
        (98.37, 2, 99.37, "error"),
        (95.45, 2, 95.4572, "rounding"),  # truncated instead of rounded
    ],
)
def test_percentages_are_judged_at_their_printed_precision(stated, decimals, computed, severity):
    assert judge_percent(stated, decimals, computed) == severity


@pytest.mark.parametrize(
    "stated, decimals, table_value, severity",
    [
        (525.6, 1, 525.60, None), (10.8, 1, 10.8, None), (809.7, 1, 809.69, None), (809.8, 1, 809.69, "rounding"),
        (930.38, 2, 930.58, "error"), (40.0, 0, 40.0, None), (23.68, 2, 23.6800200, None),
        (236.63, 2, 236.64, "rounding"),  # one cent between two printed figures
        (5377.64, 2, 5364.75, "error"),
    ],
)
def test_amounts_are_judged_at_their_printed_precision(stated, decimals, table_value, severity):
    assert judge_amount(stated, decimals, table_value) == severity


@pytest.mark.parametrize(
    "stated, computed, slack, severity",
    [(100.0, 100.0, 0.015, None), (100.01, 100.0, 0.015, "rounding"), (100.02, 100.0, 0.015, "error")],
)
def test_sums_within_their_summands_rounding_are_rounding_notes(stated, computed, slack, severity):
    assert judge_sum(stated, computed, slack) == severity


def test_findings_sort_errors_first_and_read_without_figures():
    source = Source("目录", "七、政府性基金预算财政拨款收入支出决算表", page=2)
    note = Finding("info", "printed_formula", "注", None, None, "", "", (source,), (), note="公式有误")
    missing = Finding("error", "table_missing", "目录所列表", None, None, "", "", (source,), (), note="找不到这张表")
    assert by_severity([note, missing]) == [missing, note]
    assert missing.message == "目录所列表：找不到这张表" and missing.page == 2
