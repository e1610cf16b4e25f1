"""Layout traits of real reports from other regions, each on a small text fixture of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.ingest import parse_report
from index.structure import parse_identity
from index.model import Line
from index.vocabulary import kind_of, table_numbering

LAYOUTS = Path(__file__).resolve().parent.parent / "data" / "layouts"


@pytest.fixture(scope="module")
def university():
    return parse_report(LAYOUTS / "university-2024.txt")


def _facts(report, key: str) -> list:
    return [f for f in report.facts if f.table == key and f.source == "table"]


@pytest.mark.parametrize(
    "title,kind,key",
    [
        ("表1:高等学校收支决算总表", "income_expenditure_total", "表1"),
        ("表4：高等学校财政拨款收支决算总表", "fiscal_total", "表4"),
        ("公开05表 一般公共预算财政拨款支出决算表", "general_budget_expenditure", "公开05表"),
        ("2023 年度一般公共预算财政拨款基本支出决算表（公开06表）", "basic_expenditure_detail", "公开06表"),
        ("一般公共预算财政拨款基本支出决算表", "basic_expenditure_detail", None),
        ("财政拨款“三公”经费支出决算表", "three_public", None),
        ("2024 年度“智慧城管”项目绩效自评表", "project_performance", None),
    ],
)
def test_titles_are_matched_by_kind_with_or_without_numbers(title, kind, key):
    assert kind_of(title).id == kind
    numbering = table_numbering(title)
    assert (numbering.key if numbering else None) == key


def test_university_tables_keep_their_own_numbers_and_units(university):
    tables = {t.key: t for t in university.tables}
    assert {k: t.kind for k, t in tables.items()} == {
        "表1": "income_expenditure_total",
        "表3": "expenditure",
        "表4": "fiscal_total",
    }
    assert tables["表1"].label == "表1 高等学校收支决算总表"
    assert (tables["表1"].unit, tables["表4"].unit) == ("万元", "元")
    total = [f for f in _facts(university, "表1") if f.row == "本年收入合计"]
    assert [(f.value, f.unit, f.row_number) for f in total] == [(237100.0, "万元", 10)]  # thousands separators


def test_codes_split_over_class_columns_are_codes_not_amounts(university):
    codes = {f.code: f.row for f in _facts(university, "表3") if f.code}
    assert codes == {"205": "教育支出", "20505": "高等教育", "2050501": "高等学校(本科)",
                     "206": "科学技术支出", "20602": "基础研究", "2060201": "机构运行"}
    assert university.failed_checks == []


def test_split_codes_without_a_class_axis_row_are_still_codes():
    report = parse_report(LAYOUTS / "university-codes-no-axis.txt")
    assert {f.code for f in _facts(report, "表3") if f.code} == {"205", "20505", "2050501", "206", "20602", "2060201"}
    assert all(f.value >= 1000 for f in _facts(report, "表3") if f.column == "本年支出合计")


def test_a_printed_formula_that_fails_names_table_row_column_page_and_both_figures(tmp_path):
    text = (LAYOUTS / "university-2024.txt").read_text(encoding="utf-8")
    altered = tmp_path / "altered.txt"
    altered.write_text(text.replace("5,000.00\t\t5,000.00\n\t02", "5,000.00\t\t4,000.00\n\t02"), encoding="utf-8")
    report = parse_report(altered)
    failed = {(c.table, c.row, c.column, c.page, c.stated, c.computed) for c in report.failed_checks}
    assert ("表3", "科学技术支出", "本年支出合计", 4, 5000.0, 4000.0) in failed
    assert all(c.table == "表3" for c in report.failed_checks)


@pytest.mark.parametrize(
    "lines,department,year",
    [
        (["上海市普陀区规划和自然", "资源局", "2024 年度部门决算"], "上海市普陀区规划和自然资源局", 2024),
        (["2023 年度武汉市汉阳区企业服务中心 部门决算"], "武汉市汉阳区企业服务中心", 2023),
        (["中共上海市普陀区委社会工作部", "2024年度部门决算"], "中共上海市普陀区委社会工作部", 2024),
    ],
)
def test_department_from_a_cover_split_over_lines(lines, department, year):
    identity = parse_identity([Line(1, text) for text in lines])
    assert (identity.department, identity.year) == (department, year)


def test_a_part_heading_is_never_the_cover():
    blocks = [Line(2, "目录"), Line(2, "第二部分 上海市普陀区财政局 2024 年度部门决算表"), Line(3, "第二部分"),
              Line(3, "上海市普陀区财政局 2024 年度部门决算表")]
    assert parse_identity(blocks) is None


def test_shanghai_layout_one_row_table_names_its_items(putuo_txt, putuo_pdf):
    for report in (putuo_txt, putuo_pdf):
        three = {(f.row, f.column.split(" › ")[-1]): f.value for f in report.facts if f.table_kind == "three_public"}
        assert three[("公务接待费", "决算数")] == 0.39
        assert three[("“三公”经费合计", "预算数")] == 2.85
        assert three[("公务用车购置及运行维护费小计", "决算数")] == 0.0


def test_shanghai_layout_rows_with_only_a_label_stay_in_their_table(putuo_txt):
    fiscal = [f for f in putuo_txt.facts if f.table_kind == "fiscal_total" and f.row == "总计"]
    assert sorted(f.column for f in fiscal) == ["支出 › 一般公共预算财政拨款", "支出 › 合计", "收入 › 决算数"]
    assert {f.page for f in fiscal} == {13}  # page markers of the text export


def test_shanghai_checks_report_rounding_as_notes_not_errors(putuo_pdf, putuo_txt):
    for report in (putuo_pdf, putuo_txt):
        assert report.failed_checks == []
        notes = {(c.formula, c.stated, c.computed) for c in report.rounding_notes}
        assert ("人员经费合计 = 301 + 303", 4884.09, 4884.1) in notes


@pytest.fixture(scope="module")
def fragments():
    return parse_report(LAYOUTS / "header-fragments.txt")


def test_a_header_broken_over_two_rows_is_one_column(fragments):
    columns = {f.column for f in fragments.facts if f.table_kind == "expenditure"}
    assert columns == {"本年支出合计", "基本支出", "项目支出"}


def test_template_instructions_in_an_empty_table_are_no_facts_and_no_warning(fragments):
    assert "government_fund" in {t.kind for t in fragments.tables}
    assert not [f for f in fragments.facts if f.table_kind == "government_fund"]
    assert not [w for w in fragments.warnings if "政府性基金" in w]


def test_zeros_printed_in_a_table_that_may_be_empty_are_facts_without_a_warning(fragments):
    three = [f for f in fragments.facts if f.table_kind == "three_public"]
    assert len(three) == 6 and not any(f.value for f in three)
    assert not [w for w in fragments.warnings if "全为 0" in w]


def test_a_spending_table_read_as_all_zeros_is_a_warning_about_the_table(tmp_path):
    text = (LAYOUTS / "header-fragments.txt").read_text(encoding="utf-8")
    zeros = text.replace("1,234.50", "0.00").replace("1,000.00", "0.00").replace("234.50", "0.00")
    path = tmp_path / "zeros.txt"
    path.write_text(zeros, encoding="utf-8")
    report = parse_report(path)
    assert [w for w in report.warnings if "全为 0" in w] == ["表格“支出决算表”读到的数字全为 0，可能未能正确读取，请核对原表"]


def test_a_report_whose_tables_cannot_be_read_keeps_its_narrative_with_a_warning(tmp_path):
    text = (LAYOUTS / "university-2024.txt").read_text(encoding="utf-8")
    narrative_only = "\n".join(line for line in text.splitlines() if "\t" not in line and not line.startswith("表"))
    path = tmp_path / "no-tables.txt"
    path.write_text(narrative_only, encoding="utf-8")
    report = parse_report(path)
    assert report.identity.department == "某某大学" and report.sections and not report.tables
    assert any("未能读取任何决算表" in w for w in report.warnings)


def test_labels_wrapped_over_lines_join_the_coded_row_they_belong_to():
    # "机关事业单位基本 / 2080505 (code on the middle line) / 养老保险缴费支出"; "…职业 / 年金缴费支出" below its code
    report = parse_report(LAYOUTS / "wrapped-labels.txt")
    labels = {f.code: f.row for f in report.facts if f.code}
    assert labels["2080505"] == "机关事业单位基本养老保险缴费支出"
    assert labels["2080506"] == "机关事业单位职业年金缴费支出"
    assert {f.row for f in report.facts if not f.code and f.source == "table"} == {"合计"}


# --- the layout registry: one module per family ---

from index.layouts import layout_for, layout_of, layouts, register, unregister  # noqa: E402
from tests.conftest import PUTUO_TXT, QIFU_TXT, UNIVERSITY_TXT  # noqa: E402


def test_every_family_is_registered_once():
    ids = [layout.id for layout in layouts()]
    assert {"wuhan", "shanghai", "central"} <= set(ids) and len(ids) == len(set(ids))


@pytest.mark.parametrize(
    "fixture,family",
    [
        (QIFU_TXT, "wuhan"),  # "公开01表 …"
        (PUTUO_TXT, "shanghai"),  # bare titles
        (UNIVERSITY_TXT, "central"),  # "表 1：高等学校收支决算总表"
        (LAYOUTS / "university-2024.txt", "central"),
        (LAYOUTS / "university-codes-no-axis.txt", "central"),
    ],
)
def test_each_family_module_is_picked_for_its_fixtures(fixture, family):
    assert layout_of(parse_report(fixture).tables).id == family


def test_a_family_picks_titles_by_numbering_or_title_words():
    assert layout_for(["公开05表 一般公共预算财政拨款支出决算表", "公开01表 收入支出决算总表"]).id == "wuhan"
    assert layout_for(["收入支出决算总表", "支出决算表"]).id == "shanghai"
    assert layout_for(["表1:高等学校收支决算总表"]).id == "central"


def test_the_central_family_knows_its_own_fiscal_table_and_what_the_fiscal_scope_means():
    assert kind_of("表4:高等学校财政拨款支出决算表").id == "fiscal_expenditure"
    assert kind_of("一般公共预算财政拨款支出决算表").id == "general_budget_expenditure"  # a 武汉 table stays its kind
    central = next(layout for layout in layouts() if layout.id == "central")
    assert central.scope_kinds["fiscal"] == ("fiscal_expenditure",)


@pytest.fixture
def fubiao_layout():
    """The made-up "附表N" family (tests/data/layouts/fubiao_layout.py), registered for one test."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("fubiao_layout", LAYOUTS / "fubiao_layout.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    register(module.LAYOUT)
    yield module.LAYOUT
    unregister(module.LAYOUT.id)


def test_an_unknown_numbering_is_no_table_number_until_its_family_is_registered():
    assert table_numbering("附表3 支出决算表") is None
    assert kind_of("科研仪器设备购置情况表").id == "other"


def test_a_new_family_is_one_module_its_vocabulary_and_a_fixture(fubiao_layout):
    assert table_numbering("附表3 支出决算表").key == "附表3"
    report = parse_report(LAYOUTS / "fubiao-2025.txt")
    assert layout_of(report.tables).id == "fubiao"
    assert [(t.key, t.kind) for t in report.tables] == [
        ("附表1", "income_expenditure_total"), ("附表3", "expenditure"), ("附表7", "instrument_purchase"),
    ]
    spending = {f.code: f.value for f in _facts(report, "附表3") if f.column == "本年支出合计" and f.code}
    assert spending == {"206": 3900.0, "20602": 3900.0, "2060201": 2600.0, "2060203": 1300.0, "221": 150.0}
    assert {f.row: f.value for f in _facts(report, "附表7") if f.column == "金额"}["合计"] == 520.0
    assert report.failed_checks == []
