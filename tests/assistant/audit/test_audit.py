"""The audit of whole reports: each shared report's findings are exactly its real inconsistencies."""

from __future__ import annotations

import json

import pytest

from assistant.audit import audit_answer_text, audit_report, render_findings
from assistant.errors import UnknownReport
from index.store import FactStore
from tests.assistant.audit.helpers import audit_of, summary
from tests.conftest import QIFU_TXT

# The three, plus two more the report really has: 278.18 / 809.69 = 34.36% is printed 34.3%
# (forced so that 65.7 + 34.3 = 100), and 公开04表's note prints "57行=(33+…+58)行" for 59行.
QIFU_FINDINGS = [
    ("error", "narrative_sum", "一般公共预算财政拨款支出全年预算数", 930.38, 930.58),
    ("rounding", "narrative_share", "基本支出占比", 65.7, 65.64),
    ("rounding", "narrative_share", "项目支出占比", 34.3, 34.36),
    ("rounding", "narrative_share", "社会保障和就业支出占比", 6.7, 6.64),
    # Two words printed twice in the report's narrative: "有效促进促进区经济…", "…微信小程序建设建设；".
    ("warning", "wording", "正文中的重复用词", None, None),
    ("warning", "wording", "正文中的重复用词", None, None),
    ("info", "printed_formula", "公开04表注中的校验公式", None, None),
]

# Checked by hand against the PDF: section 六 restates 支出决算表's 基本支出 (5377.64, all funds) as the
# general budget's, and its 人员经费 as 5377.64 − 480.66; the tables say 5364.75 and 4884.09. The rest
# are one-cent differences between printed figures (the 上海 tables print no check formula: the general
# budget table's 合计 column is one cent off 基本支出 + 项目支出 in four rows, and 人员经费合计 one cent off
# 工资福利支出 + 对个人和家庭的补助), a share and a rate truncated
# instead of rounded, 政府采购金额 2319.21 against its three parts' 2319.22, the department once written
# 规划与 for 规划和, and the template's "下降（增长）".
PUTUO_FINDINGS = [
    ("error", "narrative_amount", "一般公共预算财政拨款基本支出", 5377.64, 5364.75),
    ("error", "narrative_amount", "人员经费", 4896.98, 4884.09),
    ("rounding", "table_formula", "一般公共预算财政拨款基本支出决算表“商品和服务支出”决算数", 440.9, 440.88),
    ("rounding", "table_formula", "一般公共预算财政拨款基本支出决算表“人员经费合计”决算数", 4884.09, 4884.1),
    ("rounding", "cross_table", "卫生健康支出（支出决算表与收入支出决算总表）", 236.64, 236.63),
    ("rounding", "cross_table", "城乡社区支出（支出决算表与收入支出决算总表）", 3845.24, 3845.25),
    ("rounding", "cross_table", "卫生健康支出（一般公共预算财政拨款支出决算表与财政拨款收入支出决算总表）", 236.64, 236.63),
    ("rounding", "cross_table", "“城乡社区支出”行合计与各栏之和（一般公共预算财政拨款支出决算表）", 3832.36, 3832.35),
    ("rounding", "cross_table", "“城乡社区管理事务”行合计与各栏之和（一般公共预算财政拨款支出决算表）", 1092.8, 1092.79),
    ("rounding", "cross_table", "“行政运行”行合计与各栏之和（一般公共预算财政拨款支出决算表）", 1092.8, 1092.79),
    ("rounding", "cross_table", "“合计”行合计与各栏之和（一般公共预算财政拨款支出决算表）", 9746.5, 9746.49),
    ("rounding", "narrative_share", "一般公共预算财政拨款支出占比", 99.86, 99.87),
    ("rounding", "narrative_amount", "卫生健康支出", 236.63, 236.64),
    ("rounding", "narrative_rate", "一般公共预算财政拨款支出完成预算的比例", 95.45, 95.46),
    ("rounding", "narrative_sum", "政府采购金额与其中所列各项之和", 2319.21, 2319.22),
    ("warning", "name", "正文中的单位名称", None, None),
    ("warning", "name", "正文中的模板备选用语", None, None),
    # 五(三) describes 2080599 as "机关事业单位退休人员活动费支出" and 2200199 as "其他国土资源事务支出"; the
    # table names them 其他行政事业单位养老支出 and 其他自然资源事务支出.
    ("warning", "narrative_item", "“其他行政事业单位养老支出”（2080599）未在具体情况中说明", None, None),
    ("warning", "narrative_item", "“其他自然资源事务支出”（2200199）未在具体情况中说明", None, None),
]


def test_sample_findings_are_the_known_discrepancies(qifu_pdf, tmp_path):
    findings = audit_of(qifu_pdf, tmp_path)
    assert summary(findings) == QIFU_FINDINGS
    # Both sides are cited with table or section, row, page and the printed words.
    total, share = findings[0], findings[3]
    assert [(s.row, s.page, s.value) for s in total.stated_at] == [("全年预算数为930.38万元", 24, 930.38)]
    assert [s.value for s in total.computed_from] == [845.44, 54.79, 10.8, 19.55]
    assert total.formula == "845.44 + 54.79 + 10.8 + 19.55 = 930.58"
    assert [(s.table.split(" ")[0], s.row, s.page, s.value, s.quote) for s in share.computed_from] == [
        ("公开05表", "社会保障和就业支出", 16, 53.78, "208 社会保障和就业支出 53.78 52.09 1.69"),
        ("公开05表", "合计", 16, 809.69, "合计 809.69 531.51 278.18"),
    ]
    assert [(s.row, s.page) for s in share.stated_at] == [("社会保障和就业支出53.78万元,占6.7%", 24)]
    assert share.formula == "53.78 ÷ 809.69 = 6.64%"
    assert {f.report for f in findings} == {qifu_pdf.report_id}


def test_text_export_gives_the_same_findings(qifu_baseline):
    assert summary(qifu_baseline) == QIFU_FINDINGS


@pytest.mark.parametrize("fixture", ["scjgj_pdf", "scjgj_txt"])
def test_no_false_alarms_on_a_consistent_report(fixture, request, tmp_path):
    # One note, no error or doubt: "3.公务接待费 2.44 万元，与 2022 年度 2.68 万元相比减少 0.24 万元，下降 8.96%。
    # 主要用于…" gives no reason for the decrease (the peer rule "增减变化应说明原因").
    findings = audit_of(request.getfixturevalue(fixture), tmp_path)
    assert [(f.severity, f.check) for f in findings] == [("info", "narrative_reason")]
    assert "相比减少0.24万元" in findings[0].stated_at[0].row


@pytest.mark.parametrize("fixture", ["putuo_pdf", "putuo_txt"])
def test_a_shanghai_report_without_table_numbers(fixture, request, tmp_path):
    findings = audit_of(request.getfixturevalue(fixture), tmp_path)
    assert summary(findings) == PUTUO_FINDINGS
    basic = findings[0]
    assert basic.stated_at[0].page == 24 and basic.computed_from[0].table == "一般公共预算财政拨款支出决算表"
    assert "规划与自然资源局" in findings[-4].note and "下降(增长)" in findings[-3].note


def test_renderings(qifu_pdf, tmp_path):
    findings = audit_of(qifu_pdf, tmp_path)
    text = render_findings(findings)
    assert text.startswith("发现 1 处错误、3 处舍入差异、2 处存疑、1 条提示：")
    assert "【错误】" in text and "【舍入差异】" in text and "【提示】" in text
    assert "算式：53.78 ÷ 809.69 = 6.64%" in text
    assert "依据：公开05表 2023 年度一般公共预算财政拨款支出决算表“社会保障和就业支出” 本年支出 › 小计，第16页" in text
    answer = audit_answer_text(findings)
    assert "930.38" in answer and "930.58" in answer and "第24页" in answer
    assert audit_answer_text([]).endswith("没有发现不一致，数据都能对上。")
    assert render_findings([]).startswith("核对完毕，未发现不一致")
    record = json.loads(json.dumps([f.to_dict() for f in findings], ensure_ascii=False))
    assert record[0]["severity"] == "error" and record[0]["severity_label"] == "错误"
    assert record[0]["stated_at"][0]["page"] == 24 and record[0]["page"] == 24
    assert record[0]["report"] == qifu_pdf.report_id
    assert record[3]["computed_from"][0] == {
        "table": "公开05表 2023 年度一般公共预算财政拨款支出决算表", "row": "社会保障和就业支出",
        "column": "本年支出 › 小计", "page": 16, "value": 53.78, "quote": "208 社会保障和就业支出 53.78 52.09 1.69",
    }


def test_unknown_report_is_an_error_not_a_clean_bill(tmp_path):
    store = FactStore(tmp_path / "facts.sqlite3")
    with pytest.raises(UnknownReport, match="找不到报告"):
        audit_report(store, "r2023-nonexistent")


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


def test_an_error_resting_on_a_table_read_from_word_positions_is_a_doubt():
    from assistant.audit import Finding, Source, _as_read

    cell = Source("支出决算表", "合计", "本年支出合计", 10, 9759.38)
    error = Finding("error", "cross_table", "本年支出合计", 9759.38, 9769.38, "万元", "", (cell,), (), note="相差 10.00")
    assert _as_read(error, {}) == error
    doubt = _as_read(error, {"支出决算表": "所涉表格没有框线，按文字位置读取，可能是读取误差，请对照原表核实"})
    assert doubt.severity == "warning" and doubt.note.startswith("相差 10.00；所涉表格没有框线")


def test_a_table_with_figures_read_under_a_label_column_is_unsure(scjgj_txt):
    from dataclasses import replace as swap

    from assistant.audit.view import ReportView

    r = scjgj_txt
    view = ReportView(r.report_id, r.identity, r.facts, r.sections, r.tables, r.path)
    assert view.unsure_labels() == {}
    # A header row read as data ('199,015.13' under 科目编码, as a university PDF is read now): that table's
    # disagreements are doubts, not errors.
    t05 = next(t for t in r.tables if t.kind == "general_budget_expenditure")
    facts = [swap(f, column="项目 › 科目编码") if f.table == t05.key and f.row == "合计" else f for f in r.facts]
    view = ReportView(r.report_id, r.identity, facts, r.sections, r.tables, r.path)
    assert list(view.unsure_labels()) == [t05.label] and "栏位可能错位" in view.unsure_labels()[t05.label]
