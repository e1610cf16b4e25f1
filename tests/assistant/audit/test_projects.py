"""Project self-evaluations: 执行率 in the table and narrative, and Σ 执行数 = 项目支出."""

from __future__ import annotations

import pytest

from tests.assistant.audit.helpers import altered, audit_text, new_findings, summary
from tests.assistant.audit.test_audit import QIFU_FINDINGS
from tests.conftest import QIFU_TXT


@pytest.mark.parametrize(
    "replacements, expected",
    [
        pytest.param(
            [("114\t93.33\t81.9%", "114\t93.33\t88.9%")],
            ("error", "project_rate", "“第二砖瓦厂等5家改制企业工作经费”执行率", 88.9, 81.87),
            id="project-rate-in-table",
        ),
        pytest.param(
            [("完成预算的 81.9%", "完成预算的 88.9%")],
            ("error", "narrative_rate", "第二砖瓦厂等5家改制企业工作经费完成预算的比例", 88.9, 81.87),
            id="project-rate-in-narrative",
        ),
        pytest.param(
            [("执行数为 93.33 万元", "执行数为 95.33 万元")],
            ("error", "project_amount", "“第二砖瓦厂等5家改制企业工作经费”执行数", 95.33, 93.33),
            id="project-amount-in-narrative",
        ),
    ],
)
def test_one_alteration_gives_exactly_one_finding(replacements, expected, qifu_baseline, tmp_path):
    findings = altered(tmp_path, QIFU_TXT, *replacements)
    assert new_findings(findings, qifu_baseline) == [expected]
    assert len(findings) == len(qifu_baseline) + 1


def test_project_total_must_equal_project_expenditure(qifu_baseline, tmp_path):
    # Table and narrative agree on the new figure, so only Σ 执行数 = 项目支出 breaks.
    findings = altered(
        tmp_path, QIFU_TXT,
        ("年度财政资金总额\t10\t9.71\t97.1%", "年度财政资金总额\t10\t9.91\t99.1%"),
        ("执行数为 9.71 万元， 完成预算的 97.1%", "执行数为 9.91 万元， 完成预算的 99.1%"),
    )
    assert new_findings(findings, qifu_baseline) == [("error", "project_total", "各项目执行数之和与项目支出", 278.38, 278.18)]
    total = next(f for f in findings if f.check == "project_total")
    assert len(total.stated_at) == 9 and total.computed_from[0].table.startswith("公开03表")


def test_project_total_from_the_narrative_when_the_tables_are_missing(tmp_path):
    text = QIFU_TXT.read_text(encoding="utf-8")
    without_tables = text[: text.index("二、2023年度项目绩效自评表")]
    assert summary(audit_text(tmp_path, "no-project-tables.txt", without_tables)) == QIFU_FINDINGS
    altered_text = without_tables.replace("执行数为 9.71 万元， 完成预算的 97.1%", "执行数为 9.91 万元， 完成预算的 99.1%")
    findings = audit_text(tmp_path / "altered", "no-project-tables.txt", altered_text)
    total = ("error", "project_total", "各项目执行数之和与项目支出", 278.38, 278.18)
    assert summary(findings) == [QIFU_FINDINGS[0], total, *QIFU_FINDINGS[1:]]
    assert [s.table.split(" › ")[-1] for s in findings[1].stated_at][:2] == [
        "1. 行政事业单位缴纳残保金项目绩效自评综述", "2. 党建、文明创建、综治、档案、普法、工会及老干经费项目绩效自评综述",
    ]
