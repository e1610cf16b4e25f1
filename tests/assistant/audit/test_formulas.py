"""Check formulas printed under the tables: a planted figure breaks exactly one."""

from __future__ import annotations

from tests.assistant.audit.helpers import altered, new_findings
from tests.conftest import PUTUO_TXT, QIFU_TXT


def test_a_changed_table_cell_breaks_its_formula(qifu_baseline, tmp_path):
    findings = altered(tmp_path, QIFU_TXT, ("基本工资\t27.71", "基本工资\t28.71"))
    assert new_findings(findings, qifu_baseline) == [
        ("error", "table_formula", "公开06表“工资福利支出”人员经费 › 决算数", 273.48, 274.48)
    ]
    assert len(findings) == len(qifu_baseline) + 1
    finding = next(f for f in findings if f.check == "table_formula")
    assert "273.48" in finding.message and "274.48" in finding.message
    assert finding.stated_at[0].quote.startswith("301 工资福利支出 273.48")


def test_a_hierarchy_sum_in_a_table_without_printed_formulas(putuo_baseline, tmp_path):
    # 上海's tables print no check formula; the 类 = Σ款 hierarchy still catches a planted figure.
    findings = altered(tmp_path, PUTUO_TXT, ("30101\t基本工资\t537.64", "30101\t基本工资\t547.64"))
    assert new_findings(findings, putuo_baseline) == [
        ("error", "table_formula", "一般公共预算财政拨款基本支出决算表“工资福利支出”决算数", 4816.14, 4826.14)
    ]
    assert len(findings) == len(putuo_baseline) + 1


def test_a_one_cent_difference_is_a_rounding_note(putuo_baseline):
    rounding = [f for f in putuo_baseline if f.check == "table_formula"]
    assert [(f.severity, f.stated, f.computed, f.note) for f in rounding] == [
        ("rounding", 440.9, 440.88, "相差 0.02"), ("rounding", 4884.09, 4884.1, "相差 0.01"),
    ]
