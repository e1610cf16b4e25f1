"""The report audit: the sample's three known discrepancies, no false alarms, and altered copies."""

from __future__ import annotations

import json
import time

import pytest

from assistant.audit import Finding, audit_answer_text, audit_report, render_findings
from assistant.audit.findings import judge_amount, judge_percent
from assistant.errors import UnknownReport
from index.ingest import parse_report
from index.model import ParsedReport
from index.store import FactStore
from tests.conftest import QIFU_TXT, SCJGJ_TXT


def _audit(report: ParsedReport, tmp_path) -> list[Finding]:
    store = FactStore(tmp_path / "facts.sqlite3")
    store.save(report)
    try:
        return audit_report(store, report.report_id)
    finally:
        store.close()


def _summary(findings: list[Finding]) -> list[tuple]:
    """What a finding says, without its citations: severity, check, subject, stated, computed."""
    return [
        (f.severity, f.check, f.subject, f.stated, None if f.computed is None else round(f.computed, 2))
        for f in findings
    ]


def _altered(tmp_path, source, *replacements: tuple[str, str]) -> list[Finding]:
    text = source.read_text(encoding="utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, f"{old!r} must occur exactly once"
        text = text.replace(old, new)
    copy = tmp_path / source.name
    copy.write_text(text, encoding="utf-8")
    return _audit(parse_report(copy), tmp_path)


# The three, plus two more the report really has: 278.18 / 809.69 = 34.36% is printed 34.3%
# (forced so that 65.7 + 34.3 = 100), and 公开04表's note prints "57行=(33+…+58)行" for 59行.
QIFU_FINDINGS = [
    ("error", "narrative_sum", "一般公共预算财政拨款支出全年预算数", 930.38, 930.58),
    ("rounding", "narrative_share", "基本支出占比", 65.7, 65.64),
    ("rounding", "narrative_share", "项目支出占比", 34.3, 34.36),
    ("rounding", "narrative_share", "社会保障和就业支出占比", 6.7, 6.64),
    ("info", "printed_formula", "公开04表注中的校验公式", None, None),
]


@pytest.fixture(scope="module")
def qifu_baseline(qifu_txt, tmp_path_factory) -> list[Finding]:
    return _audit(qifu_txt, tmp_path_factory.mktemp("baseline"))


def test_sample_findings_are_the_known_discrepancies(qifu_pdf, tmp_path):
    findings = _audit(qifu_pdf, tmp_path)
    assert _summary(findings) == QIFU_FINDINGS
    # Both sides are cited with table, row and page.
    total, share = findings[0], findings[3]
    assert [(s.row, s.page, s.value) for s in total.stated_at] == [("全年预算数为930.38万元", 24, 930.38)]
    assert [s.value for s in total.computed_from] == [845.44, 54.79, 10.8, 19.55]
    assert total.formula == "845.44 + 54.79 + 10.8 + 19.55 = 930.58"
    assert [(s.table.split(" ")[0], s.row, s.page, s.value) for s in share.computed_from] == [
        ("公开05表", "社会保障和就业支出", 16, 53.78),
        ("公开05表", "合计", 16, 809.69),
    ]
    assert [(s.row, s.page) for s in share.stated_at] == [("社会保障和就业支出53.78万元,占6.7%", 24)]
    assert share.formula == "53.78 ÷ 809.69 = 6.64%"


def test_text_export_gives_the_same_findings(qifu_baseline):
    assert _summary(qifu_baseline) == QIFU_FINDINGS


@pytest.mark.parametrize("fixture", ["scjgj_pdf", "scjgj_txt"])
def test_no_false_alarms_on_a_consistent_report(fixture, request, tmp_path):
    assert _audit(request.getfixturevalue(fixture), tmp_path) == []


ALTERED = [
    pytest.param(
        [("基本工资\t27.71", "基本工资\t28.71")],
        ("error", "table_formula", "公开06表“工资福利支出”人员经费 › 决算数", 273.48, 274.48),
        id="table-cell",
    ),
    pytest.param(
        [("卫生健康（类）支出 10.8 万元，占 1.3%", "卫生健康（类）支出 10.8 万元，占 1.8%")],
        ("error", "narrative_share", "卫生健康支出占比", 1.8, 1.33),
        id="narrative-share",
    ),
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
]


@pytest.mark.parametrize("replacements, expected", ALTERED)
def test_one_alteration_gives_exactly_one_finding(replacements, expected, qifu_baseline, tmp_path):
    findings = _altered(tmp_path, QIFU_TXT, *replacements)
    new = [f for f in findings if f not in qifu_baseline]
    assert _summary(new) == [expected]
    assert len(findings) == len(qifu_baseline) + 1


def test_project_total_must_equal_project_expenditure(qifu_baseline, tmp_path):
    # Table and narrative agree on the new figure, so only Σ 执行数 = 项目支出 breaks (and the rate).
    findings = _altered(
        tmp_path, QIFU_TXT,
        ("年度财政资金总额\t10\t9.71\t97.1%", "年度财政资金总额\t10\t9.91\t99.1%"),
        ("执行数为 9.71 万元， 完成预算的 97.1%", "执行数为 9.91 万元， 完成预算的 99.1%"),
    )
    new = [f for f in findings if f not in qifu_baseline]
    assert _summary(new) == [("error", "project_total", "各项目执行数之和与项目支出", 278.38, 278.18)]
    assert len(new[0].stated_at) == 9 and new[0].computed_from[0].table.startswith("公开03表")


def test_project_total_from_the_narrative_when_the_tables_are_missing(qifu_baseline, tmp_path):
    text = QIFU_TXT.read_text(encoding="utf-8")
    without_tables = text[: text.index("二、2023年度项目绩效自评表")]
    copy = tmp_path / "no-project-tables.txt"
    copy.write_text(without_tables, encoding="utf-8")
    assert _summary(_audit(parse_report(copy), tmp_path)) == QIFU_FINDINGS
    altered = without_tables.replace("执行数为 9.71 万元， 完成预算的 97.1%", "执行数为 9.91 万元， 完成预算的 99.1%")
    copy.write_text(altered, encoding="utf-8")
    findings = _audit(parse_report(copy), tmp_path / "altered")
    total = ("error", "project_total", "各项目执行数之和与项目支出", 278.38, 278.18)
    assert _summary(findings) == [QIFU_FINDINGS[0], total, *QIFU_FINDINGS[1:]]
    assert [s.table.split(" › ")[-1] for s in findings[1].stated_at][:2] == [
        "1. 行政事业单位缴纳残保金项目绩效自评综述", "2. 党建、文明创建、综治、档案、普法、工会及老干经费项目绩效自评综述",
    ]


def test_consistent_change_across_a_table_breaks_only_the_cross_table_identity(qifu_baseline, tmp_path):
    # 公开06表 still adds up, but its 人员经费 no longer matches 公开05表's 基本支出 nor the narrative.
    findings = _altered(
        tmp_path, QIFU_TXT,
        ("基本工资\t27.71", "基本工资\t28.71"),
        ("工资福利支出\t273.48", "工资福利支出\t274.48"),
        ("人员经费合计\t\t525.60", "人员经费合计\t\t526.60"),
    )
    new = [f for f in findings if f not in qifu_baseline]
    assert _summary(new) == [
        ("error", "cross_table", "基本支出（公开06表与公开05表）", 532.51, 531.51),
        ("error", "narrative_amount", "人员经费", 525.6, 526.6),
    ]


def test_correcting_the_typo_clears_the_sum_finding(qifu_baseline, tmp_path):
    findings = _altered(tmp_path, QIFU_TXT, ("全年预算数 54.79 万元", "全年预算数 54.59 万元"))
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
            id="item-rate-from-table-09",
        ),
        pytest.param(
            [("占政府采购支出总额的 81.95%", "占政府采购支出总额的 82.95%")],
            [("error", "narrative_share", "授予中小企业合同金额占比", 82.95, 81.95)],
            id="share-of-a-stated-total",
        ),
    ],
)
def test_alterations_of_the_second_sample(replacements, expected, tmp_path):
    assert _summary(_altered(tmp_path, SCJGJ_TXT, *replacements)) == expected


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
    ],
)
def test_other_wordings_raise_no_false_alarm(replacements, tmp_path):
    assert _altered(tmp_path, SCJGJ_TXT, *replacements) == []


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
    ],
)
def test_percentages_are_judged_at_their_printed_precision(stated, decimals, computed, severity):
    assert judge_percent(stated, decimals, computed) == severity


@pytest.mark.parametrize(
    "stated, decimals, table_value, severity",
    [(525.6, 1, 525.60, None), (10.8, 1, 10.8, None), (809.7, 1, 809.69, None), (809.8, 1, 809.69, "rounding"),
     (930.38, 2, 930.58, "error"), (40.0, 0, 40.0, None), (23.68, 2, 23.6800200, None)],
)
def test_amounts_are_judged_at_their_printed_precision(stated, decimals, table_value, severity):
    assert judge_amount(stated, decimals, table_value) == severity


def test_renderings(qifu_pdf, tmp_path):
    findings = _audit(qifu_pdf, tmp_path)
    text = render_findings(findings)
    assert text.startswith("发现 1 处错误、3 处舍入差异、1 条提示：")
    assert "【错误】" in text and "【舍入差异】" in text and "【提示】" in text
    assert "算式：53.78 ÷ 809.69 = 6.64%" in text
    assert "依据：公开05表 2023 年度一般公共预算财政拨款支出决算表“社会保障和就业支出” 本年支出 › 小计，第16页" in text
    answer = audit_answer_text(findings)
    assert "930.38" in answer and "930.58" in answer and "第24页" in answer
    assert audit_answer_text([]).endswith("没有发现不一致，数据都能对上。")
    assert render_findings([]).startswith("核对完毕，未发现不一致")
    record = json.loads(json.dumps([f.to_dict() for f in findings], ensure_ascii=False))
    assert record[0]["severity"] == "error" and record[0]["severity_label"] == "错误"
    assert record[0]["stated_at"][0]["page"] == 24
    assert record[3]["computed_from"][0] == {
        "table": "公开05表 2023 年度一般公共预算财政拨款支出决算表", "row": "社会保障和就业支出",
        "column": "本年支出 › 小计", "page": 16, "value": 53.78, "quote": "208 社会保障和就业支出 53.78 52.09 1.69",
    }


def test_unknown_report_is_an_error_not_a_clean_bill(tmp_path):
    store = FactStore(tmp_path / "facts.sqlite3")
    with pytest.raises(UnknownReport, match="找不到报告"):
        audit_report(store, "r2023-nonexistent")


def test_audit_is_fast(qifu_pdf, scjgj_pdf, tmp_path):
    for report in (qifu_pdf, scjgj_pdf):
        store = FactStore(tmp_path / f"{report.report_id}.sqlite3")
        store.save(report)
        started = time.perf_counter()
        audit_report(store, report.report_id)
        assert time.perf_counter() - started < 1.0


def test_cli_audit(tmp_path, monkeypatch, capsys):
    from assistant.cli import main

    monkeypatch.setenv("JUESUAN_DATA_DIR", str(tmp_path / "data"))
    assert main(["ingest", "--no-index", str(QIFU_TXT)]) == 0
    capsys.readouterr()
    assert main(["audit", str(QIFU_TXT), "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["check"] for r in records] == [c for _, c, *_ in QIFU_FINDINGS]
    assert main(["audit", str(QIFU_TXT)]) == 0
    assert "930.58" in capsys.readouterr().out
