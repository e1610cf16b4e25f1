"""Extraction against the hand-verified truth of every numeric cell of a real Shanghai report."""

from __future__ import annotations

import json

import pytest

from index.normalize import compact
from index.vocabulary import kind_of
from tests.conftest import PUTUO_CELLS

TRUTH = [json.loads(line) for line in PUTUO_CELLS.read_text(encoding="utf-8").splitlines() if line.strip()]


def _same_label(truth: dict, fact) -> bool:
    if truth["code"]:
        return fact.code == truth["code"]
    want, got = compact(truth["label"]), compact(fact.row)
    # A one-row table's 合计 is named after the table's subject ("“三公”经费合计").
    return want == got or (want in ("合计", "小计") and got.endswith(want))


def _found(truth: dict, facts) -> bool:
    kind = kind_of(truth["table"]).id
    column = compact(truth["column"])
    return any(
        f.table_kind == kind
        and abs(f.value - truth["value"]) < 1e-9
        and compact(f.column) == column
        and (f.page is None or f.page == truth["page"])
        and _same_label(truth, f)
        for f in facts
    )


@pytest.mark.parametrize("fixture", ["putuo_pdf", "putuo_txt"])
def test_at_least_99_percent_of_truth_cells_are_facts(fixture, request):
    report = request.getfixturevalue(fixture)
    facts = [f for f in report.facts if f.source == "table"]
    missing = [t for t in TRUTH if not _found(t, facts)]
    assert len(TRUTH) == 308
    assert len(missing) <= len(TRUTH) // 100, missing[:5]


@pytest.mark.parametrize("fixture", ["putuo_pdf", "putuo_txt"])
def test_department_every_table_and_pages(fixture, request):
    report = request.getfixturevalue(fixture)
    assert report.identity.department == "上海市普陀区规划和自然资源局"
    assert report.identity.year == 2024
    kinds = {t.kind for t in report.tables}
    assert {kind_of(t["table"]).id for t in TRUTH} <= kinds
    assert {"government_fund", "state_capital"} <= kinds  # present though empty ("故本表无数据")
    assert report.page_count == 0 or report.page_count == 30


def test_no_table_fact_without_a_table_kind(putuo_pdf):
    assert all(f.table_kind for f in putuo_pdf.facts if f.source == "table")
