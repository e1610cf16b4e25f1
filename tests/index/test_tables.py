"""Facts from the sample's tables: right table, row label, column and value — PDF and text alike."""

from __future__ import annotations

import pytest

from index.tables import classify, parse_amount, parse_quantity


def _find(report, table, row, column=None, code=None):
    hits = [
        f
        for f in report.facts
        if f.source == "table"
        and (f.table == table or table in f.table_title)
        and f.row == row
        and (column is None or f.column == column)
        and (code is None or f.code == code)
    ]
    assert len(hits) == 1, f"{table} / {row} / {column}: {len(hits)} facts"
    return hits[0]


# (table, row, column, code, value, unit, page)
CELLS = [
    ("公开01表", "一、一般公共预算财政拨款收入", "收入 › 决算数", "", 809.69, "万元", 10),
    ("公开01表", "八、社会保障和就业支出", "支出 › 决算数", "", 53.78, "万元", 10),
    # The table crosses a page break: these rows are on the second page, with no repeated title.
    ("公开01表", "本年支出合计", "支出 › 决算数", "", 809.69, "万元", 11),
    ("公开01表", "总计", "收入 › 决算数", "", 809.69, "万元", 11),
    ("公开02表", "事业运行", "本年收入合计", "2010350", 467.88, "万元", 12),
    ("公开03表", "事业运行", "项目支出", "2010350", 15.45, "万元", 13),
    ("公开03表", "合计", "基本支出", "", 531.51, "万元", 13),
    ("公开04表", "一、一般公共服务支出", "支出 › 一般公共预算财政拨款", "", 728.92, "万元", 14),
    ("公开04表", "总计", "支出 › 合计", "", 809.69, "万元", 15),
    ("公开05表", "其他政府办公厅(室)及相关机构事务支出", "本年支出 › 项目支出", "2010399", 261.04, "万元", 16),
    ("公开05表", "住房公积金", "本年支出 › 小计", "2210201", 16.19, "万元", 16),
    # 公开06表: three code/name/value groups side by side, over two pages.
    ("公开06表", "基本工资", "人员经费 › 决算数", "30101", 27.71, "万元", 18),
    ("公开06表", "办公费", "公用经费 › 决算数", "30201", 1.95, "万元", 18),
    ("公开06表", "住房公积金", "人员经费 › 决算数", "30113", 37.47, "万元", 18),
    ("公开06表", "奖励金", "人员经费 › 决算数", "30309", 180.96, "万元", 19),
    ("公开06表", "福利费", "公用经费 › 决算数", "30229", 2.2, "万元", 19),
    ("公开06表", "人员经费合计", "人员经费 › 决算数", "", 525.6, "万元", 19),
    ("公开06表", "公用经费合计", "公用经费 › 决算数", "", 5.91, "万元", 19),
    ("公开09表", "公务接待费", "预算数 › 公务接待费", "", 0.0, "万元", 22),
    ("政企云沟通畅联平台建设经费", "年度财政资金总额", "预算数(A)", "", 92.0, "万元", 41),
    ("政企云沟通畅联平台建设经费", "年度财政资金总额", "执行数(B)", "", 79.4, "万元", 41),
    ("政企云沟通畅联平台建设经费", "年度财政资金总额", "执行率(B/A)", "", 86.3, "%", 41),
    ("行政事业单位缴纳残保金", "年度财政资金总额", "执行率(B/A)", "", 67.6, "%", 32),
    ("党建、文明创建、综治、档案、普法、工会及老干经费", "退休老干人数", "年初目标值(A)", "", 71.0, "人", 33),
]


@pytest.mark.parametrize("table,row,column,code,value,unit,page", CELLS)
def test_cells_from_pdf(qifu_pdf, table, row, column, code, value, unit, page):
    fact = _find(qifu_pdf, table, row, column)
    assert (fact.code, fact.value, fact.unit, fact.page) == (code, value, unit, page)


@pytest.mark.parametrize("table,row,column,code,value,unit,page", CELLS)
def test_cells_from_text(qifu_txt, table, row, column, code, value, unit, page):
    fact = _find(qifu_txt, table, row, column)
    assert (fact.code, fact.value, fact.unit, fact.page) == (code, value, unit, None)


def test_every_numeric_cell_of_public_tables_and_project_money_rows(qifu_pdf):
    """The sample has 193 non-empty numeric cells in 公开01–06表 plus the 9 projects' money rows."""
    public = [f for f in qifu_pdf.facts if f.table in {f"公开0{n}表" for n in range(1, 7)}]
    money = [
        f
        for f in qifu_pdf.facts
        if f.source == "table" and "项目" in f.table_title and f.row == "年度财政资金总额"
    ]
    assert len(public) == 166
    assert len(money) == 27
    assert {f.table: 0 for f in public}.keys() == {f"公开0{n}表" for n in range(1, 7)}


def test_pdf_and_text_give_the_same_facts(qifu_pdf, qifu_txt):
    def key(report):
        return sorted(
            (f.table, f.row, f.code, f.column, f.value, f.unit) for f in report.facts if f.source == "table"
        )

    assert key(qifu_pdf) == key(qifu_txt)


def test_classifications(qifu_pdf):
    assert _find(qifu_pdf, "公开05表", "住房公积金", "本年支出 › 小计").classification == "功能分类"
    assert _find(qifu_pdf, "公开06表", "住房公积金").classification == "经济分类"
    assert _find(qifu_pdf, "公开05表", "一般公共服务支出", "本年支出 › 小计").level == "类"
    assert _find(qifu_pdf, "公开05表", "事业运行", "本年支出 › 小计").level == "项"


def test_second_report_thousands_separators_yuan_and_fund_table(scjgj_pdf):
    assert _find(scjgj_pdf, "公开01表", "一、一般公共预算财政拨款收入").value == 4816.74
    three = _find(scjgj_pdf, "公开09表", "公务用车运行费", "决算数 › 公务用车购置及运行费 › 公务用车运行费")
    assert (three.value, three.unit) == (236800.2, "元")
    fund = _find(scjgj_pdf, "公开07表", "合计", "年末结转和结余")
    assert fund.value == 3.14
    assert _find(scjgj_pdf, "公开06表", "办公设备购置").value == 13.28


def test_tables_are_matched_by_title():
    assert classify("2023 年度一般公共预算财政拨款基本支出决算明细表") == "basic_expenditure_detail"
    assert classify("2023 年度财政拨款收入支出决算总表") == "fiscal_total"
    assert classify("2023 年度收入支出决算总表") == "income_expenditure_total"
    assert classify("2023 年度“维稳解困金”项目自评表") == "project_performance"
    assert classify("某某统计表") == "other"


@pytest.mark.parametrize(
    "cell,expected",
    [("4,816.74", (4816.74, "")), ("86.3%", (86.3, "%")), ("531.51万元", (531.51, "万元")), ("0.00", (0.0, "")),
     ("-9.08%", (-9.08, "%")), ("完成", None), ("", None), ("2个", None)],
)
def test_parse_amount(cell, expected):
    assert parse_amount(cell) == expected


@pytest.mark.parametrize(
    "cell,expected", [("71人", (71.0, "人")), ("≥98%", (98.0, "%")), ("95%以上", (95.0, "%")), ("全覆盖", None)]
)
def test_parse_quantity(cell, expected):
    assert parse_quantity(cell) == expected


def test_codes_split_over_class_item_columns():
    """Other exports print 类 / 款 / 项 in three columns and leave out what the parent row printed."""
    from index.checks import check_table
    from index.model import Row
    from index.structure import RawTable
    from index.tables import build_table

    rows = [
        ["项目", "", "", "", "本年支出", "", ""],
        ["功能分类科目编码", "", "", "科目名称", "合计", "基本支出", "项目支出"],
        ["类", "款", "项", "栏次", "1", "2", "3"],
        ["", "", "", "合计", "809.69", "531.51", "278.18"],
        ["201", "", "", "一般公共服务支出", "728.92", "452.43", "276.49"],
        ["201", "03", "", "政府办公厅（室）及相关机构事务", "728.92", "452.43", "276.49"],
        ["201", "03", "50", "事业运行", "467.88", "452.43", "15.45"],
        ["", "", "99", "其他政府办公厅（室）及相关机构事务支出", "261.04", "", "261.04"],
        ["208", "", "", "社会保障和就业支出", "80.77", "79.08", "1.69"],
        ["", "05", "", "行政事业单位养老支出", "80.77", "79.08", "1.69"],
        ["", "", "05", "机关事业单位基本养老保险缴费支出", "80.77", "79.08", "1.69"],
    ]
    raw = RawTable(title="2023年度一般公共预算财政拨款支出决算表", number=5,
                   rows=[Row(1, tuple(r)) for r in rows], notes=["1栏各行=(2+3)栏各行"])
    table, facts, _ = build_table("r", raw)
    totals = {f.row: f.code for f in facts if f.column == "本年支出 › 合计"}
    assert totals == {
        "合计": "", "一般公共服务支出": "201", "政府办公厅（室）及相关机构事务": "20103", "事业运行": "2010350",
        "其他政府办公厅（室）及相关机构事务支出": "2010399", "社会保障和就业支出": "208",
        "行政事业单位养老支出": "20805", "机关事业单位基本养老保险缴费支出": "2080505",
    }
    assert not any(f.column.startswith("项目") for f in facts), "code parts are not values"
    checks, _ = check_table(table, facts)
    assert checks and all(c.passed for c in checks)


def test_a_continuation_page_with_merged_code_columns_takes_the_first_pages_columns():
    """Page 2 prints code | name | figures where page 1 printed 类 | 款 | 项 | name | figures, and repeats no header."""
    from index.checks import check_table
    from index.model import Row
    from index.structure import RawTable
    from index.tables import build_table

    first = [
        ["项目", "", "", "", "本年支出", "", ""],
        ["科目编码", "", "", "科目名称", "合计", "基本支出", "项目支出"],
        ["类", "款", "项", "合计", "1,500.00", "1,100.00", "400.00"],
        ["213", "", "", "农林水支出", "1,200.00", "800.00", "400.00"],
        ["21301", "", "", "农业农村", "1,200.00", "800.00", "400.00"],
    ]
    second = [
        ["2130101", "行政运行", "800.00", "800.00", "", ""],
        ["2130199", "其他农业农村支出", "400.00", "", "400.00", ""],
        ["221", "住房保障支出", "300.00", "300.00", "", ""],
        ["22102", "住房改革支出", "300.00", "300.00", "", ""],
        ["2210201", "住房公积金", "300.00", "300.00", "", ""],
    ]
    raw = RawTable(title="财政拨款支出决算表", rows=[Row(7, tuple(r)) for r in first] + [Row(8, tuple(r)) for r in second])
    table, facts, _ = build_table("r", raw)
    totals = {(f.code, f.row): f.value for f in facts if f.column == "本年支出 › 合计"}
    assert totals == {("", "合计"): 1500.0, ("213", "农林水支出"): 1200.0, ("21301", "农业农村"): 1200.0,
                      ("2130101", "行政运行"): 800.0, ("2130199", "其他农业农村支出"): 400.0,
                      ("221", "住房保障支出"): 300.0, ("22102", "住房改革支出"): 300.0, ("2210201", "住房公积金"): 300.0}
    assert {f.value for f in facts if f.code == "2130199" and f.column == "本年支出 › 项目支出"} == {400.0}
    checks, _ = check_table(table, facts)
    assert checks and all(c.passed for c in checks)


def test_a_continuation_page_that_repeats_the_header_adds_no_rows_of_it():
    from index.model import Row
    from index.structure import RawTable
    from index.tables import build_table

    header = [["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"]]
    page1 = header + [["213", "农林水支出", "1,200.00", "800.00", "400.00"]]
    page2 = header + [["221", "住房保障支出", "300.00", "300.00", ""], ["", "合计", "1,500.00", "1,100.00", "400.00"]]
    raw = RawTable(title="支出决算表", rows=[Row(3, tuple(r)) for r in page1] + [Row(4, tuple(r)) for r in page2])
    table, facts, warnings = build_table("r", raw)
    assert {(f.row, f.column, f.value) for f in facts if f.page == 4} == {
        ("住房保障支出", "本年支出合计", 300.0), ("住房保障支出", "基本支出", 300.0),
        ("合计", "本年支出合计", 1500.0), ("合计", "基本支出", 1100.0), ("合计", "项目支出", 400.0),
    }
    assert sum(1 for r in table.rows if r.cells[0] == "科目编码") == 1
