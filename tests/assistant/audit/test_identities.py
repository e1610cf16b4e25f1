"""Identities between tables: declared as data over table kinds, never compared with what was not read."""

from __future__ import annotations

from assistant.audit.identities import EACH_CLASS, EACH_SUBJECT, IDENTITIES
from index.vocabulary import TABLE_KINDS
from tests.assistant.audit.helpers import altered, audit_text, blanked, new_findings, replaced
from tests.conftest import PUTUO_TXT, QIFU_TXT, SCJGJ_TXT


def test_identities_are_declared_over_table_kinds():
    kinds = {k.id for k in TABLE_KINDS}
    cells = [c for identity in IDENTITIES for c in (*identity.left, *identity.right)]
    assert {c.kind for c in cells} <= kinds
    assert not any("公开" in c.row or any("公开" in p for p in c.column) for c in cells)
    assert {i.relation for i in IDENTITIES} == {"=", "≤", "fiscal"}
    assert any(i.name == EACH_CLASS for i in IDENTITIES) and any(i.name == EACH_SUBJECT for i in IDENTITIES)


def test_consistent_change_across_a_table_breaks_only_the_cross_table_identity(qifu_baseline, tmp_path):
    # 公开06表 still adds up, but its 人员经费 no longer matches 公开05表's 基本支出 nor the narrative.
    findings = altered(
        tmp_path, QIFU_TXT,
        ("基本工资\t27.71", "基本工资\t28.71"),
        ("工资福利支出\t273.48", "工资福利支出\t274.48"),
        ("人员经费合计\t\t525.60", "人员经费合计\t\t526.60"),
    )
    assert new_findings(findings, qifu_baseline) == [
        ("error", "cross_table", "基本支出（公开06表与公开05表）", 532.51, 531.51),
        ("error", "narrative_amount", "人员经费", 525.6, 526.6),
    ]


def test_a_class_changed_in_one_summary_table(scjgj_baseline, tmp_path):
    text = replaced(SCJGJ_TXT, ("八、社会保障和就业支出\t40\t617.96\t617.96", "八、社会保障和就业支出\t40\t618.06\t618.06"))
    findings = audit_text(tmp_path, SCJGJ_TXT.name, text)
    new = new_findings(findings, scjgj_baseline)
    assert ("error", "cross_table", "社会保障和就业支出（公开05表与公开04表）", 617.96, 618.06) in new


def test_a_blanked_table_is_one_warning_not_a_finding_per_row(qifu_baseline, tmp_path):
    findings = audit_text(tmp_path, QIFU_TXT.name, blanked(QIFU_TXT, "2023 年度一般公共预算财政拨款支出决算表"))
    assert new_findings(findings, qifu_baseline) == [("warning", "table_unread", "公开05表“合计”", 0.0, 809.69)]
    assert len(findings) == len(qifu_baseline) + 1
    warning = next(f for f in findings if f.check == "table_unread")
    assert "0 万元" in warning.message and "809.69" in warning.message
    assert warning.computed_from[0].table.startswith("公开04表")


def test_a_blanked_table_the_narrative_speaks_of(scjgj_baseline, tmp_path):
    findings = audit_text(
        tmp_path, SCJGJ_TXT.name, blanked(SCJGJ_TXT, "2023 年度一般公共预算财政拨款“三公”经费支出决算表")
    )
    assert new_findings(findings, scjgj_baseline) == [("warning", "table_unread", "公开09表", 0.0, 28.0)]
    assert len(findings) == len(scjgj_baseline) + 1


def test_an_empty_table_the_report_calls_empty_is_fine(qifu_baseline):
    # 公开07/08表 print only a blank 合计 row, and say "本单位当年无…": no finding.
    assert not [f for f in qifu_baseline if f.check in ("table_unread", "cross_table")]


def test_a_changed_group_total_is_one_formula_finding_plus_what_restates_it(qifu_baseline, tmp_path):
    findings = altered(tmp_path, QIFU_TXT, ("人员经费合计\t\t525.60", "人员经费合计\t\t526.60"))
    assert [s[:3] for s in new_findings(findings, qifu_baseline)] == [
        ("error", "table_formula", "公开06表“人员经费合计”人员经费 › 决算数"),
        ("error", "cross_table", "基本支出（公开06表与公开05表）"),
        ("error", "narrative_amount", "人员经费"),
    ]


def test_a_column_sum_in_a_table_without_printed_formulas(putuo_baseline, tmp_path):
    old = "2101102\t事业单位医疗\t196.29\t196.29\t0.00\n212\t城乡社区支出\t3832.36"
    text = replaced(PUTUO_TXT, (old, old.replace("196.29\t0.00", "196.29\t1.00")))
    findings = audit_text(tmp_path, PUTUO_TXT.name, text)
    new = new_findings(findings, putuo_baseline)
    assert ("error", "cross_table", "“事业单位医疗”行合计与各栏之和（一般公共预算财政拨款支出决算表）", 196.29, 197.29) in new


def _without_codes(text: str, title: str) -> str:
    """The table under `title` printed without its code column, as some layouts print it."""
    lines, inside = [], False
    for line in text.split("\n"):
        if line.strip() == title:
            inside = True
        elif inside and line.startswith("注"):
            inside = False
        cells = line.split("\t")
        if inside and any("科目编码" in c for c in cells):
            cells = [c for c in cells if "科目编码" not in c]
        elif inside and len(cells) > 2:
            if cells[0].strip().isdigit() or (not cells[0].strip() and cells[1].strip()):
                cells = cells[1:]
            elif cells[0].strip() and not cells[1].strip():
                cells = cells[:1] + cells[2:]
        lines.append("\t".join(cells))
    return "\n".join(lines)


def test_codes_printed_in_one_table_only_are_matched_by_label_path(putuo_baseline, tmp_path):
    # The 41 false errors: 支出决算表 without codes, 一般公共预算财政拨款支出决算表 with them. Its
    # rows are found by 类 › 款 › 项 ('行政运行' of 城乡社区管理事务, a 项 named like its 款 as in 21202 ›
    # 2120201 城乡社区规划与管理), and compared: no error, nothing left unverified.
    text = _without_codes(PUTUO_TXT.read_text(encoding="utf-8"), "支出决算表")
    assert "\n208\t" not in text.split("支出决算表\n", 2)[2].split("注")[0]
    findings = audit_text(tmp_path, PUTUO_TXT.name, text)
    assert new_findings(findings, putuo_baseline) == []
    # … and a difference in such a row is still found, cited by the row's printed words.
    old = "事业单位医疗\t196.29\t196.29\t0.00"
    text = text.replace(old, "事业单位医疗\t186.29\t186.29\t0.00", 1)
    findings = audit_text(tmp_path / "changed", PUTUO_TXT.name, text)
    errors = [f for f in findings if f.severity == "error" and "事业单位医疗" in f.subject]
    assert errors and all(s.quote for f in errors for s in (*f.stated_at, *f.computed_from))


def test_a_row_read_under_no_known_column_is_unverifiable_not_zero(tmp_path):
    from dataclasses import replace as swap

    from assistant.audit.identities import identity_findings
    from assistant.audit.view import ReportView
    from index.ingest import parse_report

    report = parse_report(SCJGJ_TXT)
    # The summary table's income side read without its "收入" header (as a layout the parser half-reads):
    # the rows are there, the column cannot be told, and the income identities cannot be checked.
    t01 = next(t for t in report.tables if t.kind == "income_expenditure_total")
    facts = [
        swap(f, column=f.column.replace("收入 › ", "").replace("收入", "金额")) if f.table == t01.key and "收入" in f.column.split(" › ")[0] else f
        for f in report.facts
    ]
    assert sum(a != b for a, b in zip(facts, report.facts)) >= 5  # the income side's rows
    view = ReportView(report.report_id, report.identity, facts, report.sections, report.tables, report.path)
    findings = identity_findings(view, report.checks)
    assert not [f for f in findings if f.severity == "error"]
    unverifiable = [f for f in findings if f.severity == "unverifiable"]
    assert any("本年收入合计" in f.subject and "公开01表" in f.note for f in unverifiable)
    assert all(f.note.startswith("未能核对：") for f in unverifiable)


def test_a_row_whose_path_cannot_be_followed_is_unverifiable_not_blank(putuo_baseline, tmp_path):
    # Without codes, and with an 款 printed under another name in that table only, its 项 '行政运行' cannot be
    # placed: the row prints 1092.80, so it is not taken as blank (0) — the check is 未能核对, no error.
    text = _without_codes(PUTUO_TXT.read_text(encoding="utf-8"), "支出决算表")
    head, table, rest = text.partition("\n支出决算表\n")
    rest = rest.replace("城乡社区管理事务\t", "城乡社区事务管理\t", 1)
    findings = audit_text(tmp_path, PUTUO_TXT.name, head + table + rest)
    new = [f for f in findings if (f.severity, f.check, f.subject) not in {(b.severity, b.check, b.subject) for b in putuo_baseline}]
    assert new and not [f for f in new if f.severity == "error"], [(f.severity, f.subject) for f in new]
    assert any(f.severity == "unverifiable" and "印有数字" in f.note for f in new)
