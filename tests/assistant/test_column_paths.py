"""Column trees of the 高等学校 / central format as typed measures, and what "财政拨款" means there."""

from __future__ import annotations

import pytest

from assistant.schema import FUND_PREFIX, build_schema, measure_of_column
from assistant.lookup import ReportFacts
from index.ingest import parse_report
from tests.conftest import UNIVERSITY_TXT


@pytest.mark.parametrize(
    "column,measure",
    [
        ("本年支出 › 项目支出 › 小计", "project"),  # a 小计 is the column above it
        ("本年支出 › 合计", "actual"),
        ("本年支出 › 项目支出 › 其中：基本建设资金支出", FUND_PREFIX + "基本建设资金支出"),
        ("事业收入 › 金额", FUND_PREFIX + "事业收入"),  # 金额 under a fund is that fund
        ("事业收入 › 其中：教育收费", FUND_PREFIX + "教育收费"),
        ("收入 › 决算数", "actual"),  # the side of a totals table is no fund
        ("收入 › 金额", "actual"),
        ("财政拨款收入", FUND_PREFIX + "财政拨款收入"),
    ],
)
def test_column_paths_are_typed_measures(column, measure):
    assert measure_of_column(column) == measure


@pytest.fixture(scope="module")
def schema():
    return build_schema(ReportFacts.of(parse_report(UNIVERSITY_TXT)))


def test_the_fiscal_scope_reads_the_layouts_own_fiscal_table(schema):
    assert schema.cell("2050202", "actual").value == 9256.09  # 支出决算表 (all funds) unless scoped
    assert schema.cell("2050202", "actual", scope="fiscal").value == 7970.38  # 财政拨款支出决算表
    assert schema.cell("本年支出合计", "project", scope="fiscal").value == 38084.87
    assert schema.cell("本年支出合计", "project").value == 97895.15


def test_sub_columns_are_named_by_their_words_their_path_and_the_layouts_aliases(schema):
    for measure in ("基本建设资金支出", "基建支出", "项目支出中的基本建设资金支出", "项目支出里的基建支出"):
        assert schema.cell("206", FUND_PREFIX + measure, scope="fiscal").value == 1357.93
    assert schema.cell("2050205", FUND_PREFIX + "事业收入中的教育收费").value == 72670.34
    assert schema.cell("2050205", FUND_PREFIX + "事业收入").value == 135246.59
    # aliases answer but are never listed as the row's columns
    assert not any("基建" in m or "中的" in m for m in schema.measures_of("206"))


def test_rows_printed_with_qualifiers_are_asked_without_them(schema):
    assert schema.cell("收入总计", "actual").value == 569496.54  # the totals table's 合计
    keys = dict(schema.alias_index)
    assert keys["捐赠收入"] and keys["使用非财政拨款结余"]
    assert keys["高中教育支出"] == ("2050204",)


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    from dataclasses import replace

    from assistant.service import Assistant
    from assistant.settings import load_settings

    root = tmp_path_factory.mktemp("column-paths")
    service = Assistant(settings=replace(load_settings(), data_dir=root / "data"), index_passages=False)
    service.ingest(UNIVERSITY_TXT)
    yield service
    service.close()


@pytest.mark.parametrize(
    "question,value",
    [
        ("小学教育花了多少财政拨款", 7970.38),
        ("科学技术支出里的基建支出是多少", 1357.93),
        ("高等教育的事业收入中的教育收费是多少", 72670.34),
        ("收支总计是多少", 569496.54),
        ("捐赠收入有多少", 44.2),
    ],
)
def test_questions_reach_the_column_paths(assistant, question, value):
    answer = assistant.ask(question)
    assert answer.kind == "number" and answer.value == pytest.approx(value, abs=0.005), answer.text
