"""Narrative figures and comparison words against the tables: one planted change, one new finding."""

from __future__ import annotations

import pytest

from tests.assistant.audit.helpers import altered, new_findings, summary
from tests.conftest import PUTUO_TXT, QIFU_TXT, SCJGJ_TXT

QIFU_ALTERED = [
    pytest.param(
        [("卫生健康（类）支出 10.8 万元，占 1.3%", "卫生健康（类）支出 10.8 万元，占 1.8%")],
        ("error", "narrative_share", "卫生健康支出占比", 1.8, 1.33),
        id="narrative-share",
    ),
    pytest.param(
        [("收入合计增加 184.88 万元，增长 29.6%", "收入合计增加 184.88 万元，增长 39.6%")],
        ("error", "narrative_growth", "收入合计增幅", 39.6, 29.59),
        id="narrative-growth",
    ),
    pytest.param(
        [("人员经费525.6万元", "人员经费528.6万元")],
        ("error", "narrative_amount", "人员经费", 528.6, 525.6),
        id="narrative-amount",
    ),
    pytest.param(
        [("占 90%", "占 89%")],
        ("rounding", "narrative_share", "一般公共服务支出占比", 89.0, 90.02),
        id="integer-share-one-off",
    ),
    pytest.param(
        [("收入合计增加 184.88 万元，增长 29.6%", "收入合计增加 184.88 万元，下降 29.6%")],
        ("error", "comparison_word", "收入合计的增减", 184.88, 29.6),
        id="growth-word-against-change-word",
    ),
]


@pytest.mark.parametrize("replacements, expected", QIFU_ALTERED)
def test_one_alteration_gives_exactly_one_finding(replacements, expected, qifu_baseline, tmp_path):
    findings = altered(tmp_path, QIFU_TXT, *replacements)
    assert new_findings(findings, qifu_baseline) == [expected]
    assert len(findings) == len(qifu_baseline) + 1


def test_correcting_the_typo_clears_the_sum_finding(qifu_baseline, tmp_path):
    findings = altered(tmp_path, QIFU_TXT, ("全年预算数 54.79 万元", "全年预算数 54.59 万元"))
    assert [f.check for f in findings] == [f.check for f in qifu_baseline if f.check != "narrative_sum"]


@pytest.mark.parametrize(
    "replacements, expected",
    [
        pytest.param(
            [("下降 9.08%", "下降 9.8%")],
            [("error", "narrative_growth", "降幅", 9.8, 9.08)],
            id="decline-rate",
        ),
        pytest.param(
            [("减少 2.61 万元", "减少 2.71 万元")],
            [
                ("error", "narrative_growth", "三公经费财政拨款减少额", 2.71, 2.61),
                ("error", "narrative_growth", "降幅", 9.08, 9.43),
            ],
            id="decline-amount",
        ),
        pytest.param(
            [("完成全年预算的 99.37%", "完成全年预算的 98.37%")],
            [("error", "narrative_rate", "社会保障和就业支出完成预算的比例", 98.37, 99.37)],
            id="class-execution-rate",
        ),
        pytest.param(
            [("全年预算数 621.85 万元，支出决算为 617.96 万元，完成全年预算的 99.37%",
              "全年预算数 620.85 万元，支出决算为 617.96 万元，完成全年预算的 99.53%")],
            [("error", "narrative_sum", "一般公共预算财政拨款支出全年预算数", 4967.91, 4966.91)],
            id="class-budget-sum",
        ),
        pytest.param(
            [("公务接待费 2.44 万元", "公务接待费 2.54 万元")],
            [("error", "narrative_amount", "公务接待费", 2.54, 2.44)],
            id="three-public-in-yuan",
        ),
        pytest.param(
            [("2023 年度收、支总计 4,958.74 万元", "2023 年度收、支总计 4,968.74 万元")],
            [("error", "narrative_amount", "收支总计", 4968.74, 4958.74)],
            id="narrative-total",
        ),
        pytest.param(
            [("公务用车运行费 23.68 万元，", "公务用车运行费 23.68 万元，完成预算的 92.72%，")],
            [("error", "narrative_rate", "公务用车运行费完成预算的比例", 92.72, 94.72)],
            id="item-rate-from-the-three-public-table",
        ),
        pytest.param(
            [("占政府采购支出总额的 81.95%", "占政府采购支出总额的 82.95%")],
            [("error", "narrative_share", "授予中小企业合同金额占比", 82.95, 81.95)],
            id="share-of-a-stated-total",
        ),
        pytest.param(
            [("决算数小于预算数及支出下降", "决算数大于预算数及支出下降")],
            [("error", "comparison_word", "三公经费财政拨款决算数与预算数的比较", 26.12, 28.0)],
            id="budget-comparison-word",
        ),
        pytest.param(
            [("相比，减少 2.61 万元", "相比，增加 2.61 万元")],
            [("error", "comparison_word", "三公经费财政拨款的增减", 26.12, 28.73)],
            id="change-word-against-both-years-figures",
        ),
    ],
)
def test_alterations_of_the_second_sample(replacements, expected, scjgj_baseline, tmp_path):
    assert new_findings(altered(tmp_path, SCJGJ_TXT, *replacements), scjgj_baseline) == expected


def test_comparison_findings_name_both_words_and_both_figures(tmp_path):
    (budget,) = [f for f in altered(tmp_path, SCJGJ_TXT, ("决算数小于预算数及支出下降", "决算数大于预算数及支出下降")) if f.severity != "info"]
    assert "决算数大于预算数" in budget.message and "小于" in budget.message
    assert "26.12" in budget.message and "28" in budget.message
    assert [s.value for s in budget.computed_from] == [26.12, 28.0]
    (change,) = [f for f in altered(tmp_path / "change", SCJGJ_TXT, ("相比，减少 2.61 万元", "相比，增加 2.61 万元")) if f.severity != "info"]
    assert "“增加”" in change.message and "减少" in change.message and "28.73" in change.message


def test_a_comparison_word_in_the_sentence_after_its_figures(putuo_baseline, tmp_path):
    # 上海: "年初预算为 452.40 万元，支出决算为 446.11 万元，…。决算数小于预算数的主要原因：…"
    findings = altered(tmp_path, PUTUO_TXT, ("完成年初预算的 98.61%。决算数小于", "完成年初预算的 98.61%。决算数大于"))
    new = new_findings(findings, putuo_baseline)
    assert [(s[0], s[1], s[3], s[4]) for s in new] == [("error", "comparison_word", 446.11, 452.4)]
    assert len(findings) == len(putuo_baseline) + 1


@pytest.mark.parametrize(
    "replacements",
    [
        pytest.param([("完成全年预算的 96.02%", "完成年初预算的 106.65%")], id="rate-of-the-initial-budget"),
        pytest.param(
            [("公务用车运行费 23.68 万元，", "公务用车运行费 23.68 万元，完成预算的 94.72%，")], id="item-rate-from-table-09"
        ),
        pytest.param([("占 77.32%", "占一般公共预算财政拨款支出的 77.32%")], id="named-share"),
        pytest.param([("收入合计增加 374.97 万元", "收入合计比上年增加 374.97 万元")], id="growth-against-last-year"),
        pytest.param([("占本年支出 80.23%", "占本年支出 80.2%")], id="fewer-decimals"),
        pytest.param([("占本年支出合计的 98.76%", "占本年支出 98.76%")], id="bare-total-in-the-general-budget-section"),
        pytest.param([("决算数小于预算数及支出下降", "决算数低于预算数及支出下降")], id="another-comparison-word"),
    ],
)
def test_other_wordings_raise_no_false_alarm(replacements, scjgj_baseline, tmp_path):
    assert new_findings(altered(tmp_path, SCJGJ_TXT, *replacements), scjgj_baseline) == []


@pytest.mark.parametrize(
    "old, new, expected",
    [
        pytest.param(
            "算为 0.39 万元，完成预算的 13.68%，其中", "算为 0.49 万元，完成预算的 13.68%，其中",
            ("error", "narrative_amount", "三公经费财政拨款支出决算数", 0.49, 0.39), id="three-public-actual",
        ),
        pytest.param(
            "“三公”经费财政拨款支出年初预算为 2.85 万元", "“三公”经费财政拨款支出年初预算为 2.95 万元",
            ("error", "narrative_amount", "三公经费财政拨款支出年初预算", 2.95, 2.85), id="three-public-budget",
        ),
    ],
)
def test_three_public_budget_and_actual_against_the_table(old, new, expected, putuo_baseline, tmp_path):
    findings = altered(tmp_path, PUTUO_TXT, (old, new))
    assert new_findings(findings, putuo_baseline) == [expected]
    assert len(findings) == len(putuo_baseline) + 1


def test_equal_budget_and_actual_stated_as_level(putuo_baseline):
    # "年初预算为 54.53 万元，支出决算为 54.53 万元 …。决算数同预算数持平。" holds: no finding.
    assert not [f for f in putuo_baseline if f.check == "comparison_word"]


def test_parts_listed_after_qizhong_never_exceed_their_total(putuo_baseline, tmp_path):
    findings = altered(tmp_path, PUTUO_TXT, ("货物采购金额 122.43", "货物采购金额 132.43"))
    assert new_findings(findings, putuo_baseline) == [
        ("error", "narrative_sum", "政府采购金额与其中所列各项之和", 2319.21, 2329.22)
    ]
    assert len(findings) == len(putuo_baseline)  # the one-cent note became this error
    finding = next(f for f in findings if f.check == "narrative_sum")
    assert finding.formula == "132.43 + 1387.72 + 809.07 = 2329.22" and "2319.21" in finding.message


def test_a_partial_list_after_qizhong_is_no_finding(qifu_baseline, tmp_path):
    # "采购支出总额73.44万元，其中：货物 1.94、工程 0、服务 71.5": dropping one part leaves a partial list.
    findings = altered(tmp_path, QIFU_TXT, ("、政府采购服务支出71.5万元", "。政府采购服务支出71.5万元"))
    assert new_findings(findings, qifu_baseline) == []
