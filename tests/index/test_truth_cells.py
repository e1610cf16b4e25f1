"""Extraction against the hand-verified truth of every numeric cell of real reports (上海, 高等学校)."""

from __future__ import annotations

import json

import pytest

from index.normalize import compact
from index.vocabulary import kind_of
from tests.conftest import PUTUO_CELLS, UNIVERSITY_CELLS, UNIVERSITY_TXT

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


def _without_ruling_lines(source, target) -> None:
    """The same PDF with every path-drawing operator removed: its tables lose their ruling lines."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ContentStream, NameObject

    drawing = {b"re", b"m", b"l", b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"n", b"h", b"c", b"v", b"y"}
    reader, writer = PdfReader(str(source)), PdfWriter()
    for page in reader.pages:
        content = ContentStream(page.get_contents(), reader)
        content.operations = [(operands, op) for operands, op in content.operations if op not in drawing]
        page[NameObject("/Contents")] = writer._add_object(content)
        writer.add_page(page)
    with open(target, "wb") as out:
        writer.write(out)


def test_tables_printed_without_ruling_lines_are_read_from_word_positions(tmp_path):
    from index.ingest import parse_report
    from tests.conftest import PUTUO_PDF

    unruled = tmp_path / "unruled.pdf"
    _without_ruling_lines(PUTUO_PDF, unruled)
    report = parse_report(unruled)
    facts = [f for f in report.facts if f.source == "table"]
    found = [t for t in TRUTH if _found(t, facts)]
    assert len(found) >= 0.9 * len(TRUTH)  # 285 of 308 when written; column names are the hard part
    assert report.failed_checks == []


# --- 西南大学 2023 (高等学校 / central format: "表N", column trees, a continuation page without header) ---

UNIVERSITY_TRUTH = [json.loads(line) for line in UNIVERSITY_CELLS.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module", params=["pdf", "txt"])
def university(request):
    from index.ingest import parse_report

    return request.getfixturevalue("university_pdf") if request.param == "pdf" else parse_report(UNIVERSITY_TXT)


def test_university_truth_cells_are_facts(university):
    facts = [f for f in university.facts if f.source == "table"]
    missing = [t for t in UNIVERSITY_TRUTH if not _found(t, facts)]
    assert len(UNIVERSITY_TRUTH) == 220
    assert len(missing) <= len(UNIVERSITY_TRUTH) // 100, missing[:5]


def test_university_tables_are_the_four_and_no_heading_is_a_table(university):
    """The contents list and the narrative's "(三)高等学校支出决算表" heading open no table."""
    assert [(t.key, t.kind) for t in university.tables] == [
        ("表1", "income_expenditure_total"), ("表2", "income"), ("表3", "expenditure"), ("表4", "fiscal_expenditure"),
    ]
    assert not any("没有读到任何数字" in w for w in university.warnings)


def test_university_continuation_page_keeps_codes_out_of_amounts(university):
    """表4 runs on to a page with merged code columns: its codes stay codes, its 合计 only the printed one."""
    fiscal = [f for f in university.facts if f.table == "表4"]
    on_15 = {f.code: f.value for f in fiscal if f.page == 15 and f.column == "本年支出 › 合计"}
    assert on_15["221"] == 7629.03 and on_15["2080505"] == 8897.19
    assert all(f.value >= 100 for f in fiscal)  # no code part read as an amount
    totals = {f.value for f in fiscal if f.row == "合计" and f.column == "本年支出 › 合计"}
    assert totals == {237100.0}  # "类 款 项 | 合计" names the axis, not the row


def test_university_checks_fail_only_where_the_report_does(university):
    """-checks.txt lists only ±0.01 rounding differences: none is a failed check."""
    assert university.failed_checks == []
