"""Structure: tables listed in 目录 present, years and the department's name consistent, no template text."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.audit.structure import _heading_unit, read_front_matter
from tests.assistant.audit.helpers import altered, audit_text, new_findings, without
from tests.conftest import PUTUO_PDF, QIFU_TXT, SCJGJ_TXT


def test_front_matter_lists_the_tables(qifu_txt):
    front = read_front_matter(QIFU_TXT)
    assert front.cover[0] == "2023 年度武汉市汉阳区企业服务中心部门决算"
    assert "七、政府性基金预算财政拨款收入支出决算表" in front.contents
    assert front.contents[-1] == "第六部分附件"
    pdf = read_front_matter(PUTUO_PDF)
    assert pdf.contents_page == 2 and "九、国有资本经营预算财政拨款收入支出决算表" in pdf.contents
    assert read_front_matter(Path("/nonexistent/report.pdf")) is None


@pytest.mark.parametrize(
    "start, end, entry",
    [
        pytest.param(
            "2023 年度政府性基金预算财政拨款收入支出决算表\n", "2023 年度国有资本经营预算财政拨款支出决算表\n",
            "七、政府性基金预算财政拨款收入支出决算表", id="an-empty-table",
        ),
        pytest.param(
            "2023 年度一般公共预算财政拨款基本支出决算明细表\n", "2023 年度政府性基金预算财政拨款收入支出决算表\n",
            "六、一般公共预算财政拨款基本支出决算明细表", id="a-table-with-figures",
        ),
    ],
)
def test_a_removed_table_listed_in_the_contents(start, end, entry, qifu_baseline, tmp_path):
    findings = audit_text(tmp_path, QIFU_TXT.name, without(QIFU_TXT, start, end))
    assert new_findings(findings, qifu_baseline) == [("error", "table_missing", f"目录所列“{entry}”", None, None)]
    assert len(findings) == len(qifu_baseline) + 1


@pytest.mark.parametrize(
    "source, replacements, subject, found, expected",
    [
        pytest.param(QIFU_TXT, [("2023 年度收入决算表", "2022 年度收入决算表")], "表格标题的年份", 2022, 2023, id="table-title"),
        pytest.param(
            QIFU_TXT, [("截至2023年12月31日", "截至2022年12月31日")], "“截至”日期的年份", 2022, 2023, id="as-of-date"
        ),
        pytest.param(
            SCJGJ_TXT, [("与 2022 年度相比，收入合计增加", "与 2021 年度相比，收入合计增加")], "比较的上年的年份", 2021, 2022,
            id="prior-year",
        ),
        pytest.param(
            QIFU_TXT,
            [("第三部分 武汉市汉阳区企业服务中心 2023 年度 部门决算情况说明", "第三部分 武汉市汉阳区企业服务中心 2022 年度 部门决算情况说明")],
            "部分标题的年份", 2022, 2023, id="part-heading",
        ),
    ],
)
def test_a_planted_year(source, replacements, subject, found, expected, request, tmp_path):
    baseline = request.getfixturevalue("qifu_baseline" if source == QIFU_TXT else "scjgj_baseline")
    findings = altered(tmp_path, source, *replacements)
    assert new_findings(findings, baseline) == [("error", "year", subject, float(found), float(expected))]
    assert len(findings) == len(baseline) + 1
    finding = next(f for f in findings if f.check == "year")
    assert str(found) in finding.message and str(expected) in finding.message


@pytest.mark.parametrize(
    "replacements, expected, name",
    [
        pytest.param(
            [("第三部分 武汉市汉阳区企业服务中心 2023 年度 部门决算情况说明", "第三部分 武汉市汉阳区市场监督管理局 2023 年度 部门决算情况说明")],
            ("error", "name", "部分标题中的单位名称", None, None), "武汉市汉阳区市场监督管理局", id="another-unit-in-a-heading",
        ),
        pytest.param(
            [("截至2023年12月31日，武汉市汉阳区企业服务中心共有", "截至2023年12月31日，武汉市汉阳区市场监督管理局共有")],
            ("error", "name", "正文中的单位名称", None, None), "武汉市汉阳区市场监督管理局", id="another-unit-in-a-sentence",
        ),
        pytest.param(
            [("截至2023年12月31日，武汉市汉阳区企业服务中心共有", "截至2023年12月31日，武汉市汉阳区企业服务管理中心共有")],
            ("warning", "name", "正文中的单位名称", None, None), "武汉市汉阳区企业服务管理中心", id="a-variant-of-the-name",
        ),
        pytest.param(
            [("从单位构成看，武汉市汉阳区企业服务中心部门决算", "从单位构成看，XX部门决算")],
            ("error", "name", "正文中的占位符", None, None), "XX", id="placeholder",
        ),
    ],
)
def test_a_planted_name(replacements, expected, name, qifu_baseline, tmp_path):
    findings = altered(tmp_path, QIFU_TXT, *replacements)
    assert new_findings(findings, qifu_baseline) == [expected]
    assert len(findings) == len(qifu_baseline) + 1
    finding = next(f for f in findings if f.check == "name")
    assert name in finding.message and ("武汉市汉阳区企业服务中心" in finding.message or name == "XX")


def test_the_shared_reports_have_no_structure_errors(qifu_baseline, scjgj_baseline, putuo_baseline):
    checks = ("table_missing", "year", "name")
    assert not [f for f in (*qifu_baseline, *scjgj_baseline) if f.check in checks]
    assert [(f.severity, f.subject) for f in putuo_baseline if f.check in checks] == [
        ("warning", "正文中的单位名称"), ("warning", "正文中的模板备选用语"),
    ]


@pytest.mark.parametrize(
    "replacements",
    [
        pytest.param(
            [("截至2023年12月31日，武汉市汉阳区企业服务中心共有", "根据武汉市汉阳区财政局2023年度批复，截至2023年12月31日，武汉市汉阳区企业服务中心共有")],
            id="another-unit-named-as-a-source",
        ),
        pytest.param([("2023年度本部门无机关运行经费", "2023年度汉阳区企业服务中心无机关运行经费")], id="the-name-without-its-city"),
        pytest.param([("与 2022 年度相比，收、支总计各增加", "与上年相比，收、支总计各增加")], id="prior-year-in-words"),
    ],
)
def test_other_wordings_raise_no_false_alarm(replacements, qifu_baseline, tmp_path):
    assert new_findings(altered(tmp_path, QIFU_TXT, *replacements), qifu_baseline) == []


@pytest.mark.parametrize(
    "heading, unit",
    [
        ("第一部分 武汉市汉阳区企业服务中心概况", "武汉市汉阳区企业服务中心"),
        ("第三部分 上海市普陀区规划和自然资源局 2024 年度部门决算情况说明", "上海市普陀区规划和自然资源局"),
        ("第一部分 部门概况", ""),
        ("第二部分 2023年度部门决算表", ""),
        ("第四部分 名词解释", ""),
    ],
)
def test_the_unit_a_part_heading_names(heading, unit):
    assert _heading_unit(heading) == unit
