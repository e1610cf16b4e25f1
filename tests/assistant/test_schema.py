"""The report schema: rows as entities with codes, parents and aliases; columns as typed measures."""

from __future__ import annotations

import pytest

from assistant.lookup import ReportFacts
from assistant.schema import build_schema, measure_of_column, unit_type


@pytest.fixture(scope="module")
def schema(qifu_pdf):
    return build_schema(ReportFacts.of(qifu_pdf))


@pytest.mark.parametrize(
    "column,measure",
    [
        ("本年支出 › 基本支出", "basic"), ("项目支出", "project"), ("执行率(B/A)", "rate"), ("预算数(A)", "budget"),
        ("执行数(B)", "executed"), ("支出 › 决算数", "actual"), ("本年支出 › 小计", "actual"), ("年初目标值(A)", "target"),
        ("支出 › 一般公共预算财政拨款", "fund:一般公共预算财政拨款"), ("年末结转和结余", "carry_end"), ("事业收入", "fund:事业收入"),
    ],
)
def test_columns_are_typed_measures(column, measure):
    assert measure_of_column(column) == measure


@pytest.mark.parametrize("unit,kind", [("万元", "money"), ("元", "money"), ("%", "percent"), ("辆", "count"), ("分", "score")])
def test_unit_types(unit, kind):
    assert unit_type(unit) == kind


def test_functional_rows_nest_by_code(schema):
    assert schema.entities["2210201"].parent == "22102"
    assert schema.entities["22102"].parent == "221"
    assert schema.entities["221"].parent == "本年支出合计"
    assert "2010350" in schema.descendants("201")


def test_economic_rows_nest_under_their_group(schema):
    assert schema.entities["30101"].parent == "301"
    assert schema.entities["301"].parent == "人员经费合计"
    assert schema.entities["302"].parent == "公用经费合计"


def test_one_row_across_tables_is_one_entity(schema):
    kinds = {f.table_kind for f in schema.cells[("201", "actual")]}
    assert {"expenditure", "general_budget_expenditure", "income_expenditure_total"} <= kinds
    assert schema.cell("201", "project").value == 276.49


def test_stated_budgets_join_their_row(schema):
    """'1. 一般公共服务支出(类) 年初预算为 680.17 万元，全年预算数 845.44 万元' are cells of row 201."""
    assert schema.cell("201", "initial_budget").value == 680.17
    assert schema.cell("201", "budget").value == 845.44


def test_projects_are_named_by_a_distinctive_part(schema):
    assert "政企云" in schema.entities["p:政企云沟通畅联平台建设经费"].aliases
    assert schema.cell("p:政企云沟通畅联平台建设经费", "rate").value == 86.3
    assert not any("工作经费" == a for e in schema.entities.values() for a in e.aliases if e.family == "project")


def test_three_public_items_come_from_columns(scjgj_pdf):
    schema = build_schema(ReportFacts.of(scjgj_pdf))
    assert schema.entities["公务用车运行费"].parent == "公务用车购置及运行费"
    assert schema.cell("公务用车运行费", "actual").unit == "元"


def test_nearby_rows_for_an_absent_subject(schema):
    assert "住房公积金" in schema.nearby("住房补贴") or "住房保障支出" in schema.nearby("住房补贴")
