"""Check formulas: the sample's all hold; an altered number shows up with its table and row."""

from __future__ import annotations

from index.checks import parse_formulas
from index.ingest import parse_report


def test_sample_checks_all_pass(qifu_pdf, scjgj_pdf):
    for report in (qifu_pdf, scjgj_pdf):
        assert report.checks, "no check ran"
        assert report.failed_checks == []


def test_stated_row_formulas_ran(qifu_pdf):
    formulas = {(c.table, c.formula) for c in qifu_pdf.checks}
    assert ("公开01表", "27行=(1+2+3+4+5+6+7+8)行") in formulas
    assert ("公开02表", "1栏各行=(2+3+4+5+6+7)栏各行") in formulas
    assert any(t == "公开06表" and f.startswith("人员经费合计 = 301 + 303") for t, f in formulas)


def test_self_contradictory_formula_is_a_warning_not_a_failure(qifu_pdf):
    assert any("57行=(33+34+...+58)行" in w for w in qifu_pdf.warnings)


def test_formula_parsing():
    formulas, warnings = parse_formulas(["6 栏各行 = (1+2-3) 栏各行;3 栏各行 = (4+5) 栏各行。", "58 行 = (32 + 33 + ... + 35) 行"])
    assert [(f.axis, f.lhs, f.terms) for f in formulas] == [
        ("栏", 6, ((1, 1), (2, 1), (3, -1))),
        ("栏", 3, ((4, 1), (5, 1))),
        ("行", 58, ((32, 1), (33, 1), (34, 1), (35, 1))),
    ]
    assert warnings == []


def test_altered_cell_fails_its_check(tmp_path, qifu_txt):
    from tests.conftest import QIFU_TXT

    text = QIFU_TXT.read_text(encoding="utf-8")
    # 公开05表 row 事业运行: 467.88 = 452.43 + 15.45; change the 小计.
    altered = text.replace("2010350\t\t事业运行\t467.88", "2010350\t\t事业运行\t468.88")
    assert altered != text
    copy = tmp_path / "altered.txt"
    copy.write_text(altered, encoding="utf-8")
    failed = parse_report(copy).failed_checks
    assert {(c.table, c.row, c.stated) for c in failed} == {
        ("公开05表", "事业运行", 468.88),  # 1栏 = 2+3栏
        ("公开05表", "政府办公厅(室)及相关机构事务", 728.92),  # 20103 = Σ 20103xx
    }
