"""Question → Query: subjects, measures, operation, scope and open slots (no numbers)."""

from __future__ import annotations

import pytest

from assistant.lookup import ReportFacts
from assistant.query import parse
from assistant.schema import build_schema


@pytest.fixture(scope="module")
def schema(qifu_pdf):
    return build_schema(ReportFacts.of(qifu_pdf))


@pytest.mark.parametrize(
    "question,subjects,measures,operation",
    [
        ("卫生健康支出里基本支出有多少", ["210"], ["basic"], "value"),
        ("事业运行这一款的项目支出", ["2010350"], ["project"], "value"),
        ("社会保障和就业支出跟住房保障支出相差多少", ["208", "221"], [], "difference"),
        ("住房保障支出占多大比重", ["221"], [], "share"),
        ("项目支出合计多少", [], ["project"], "value"),
        ("死亡抚恤和抚恤金加在一起是多少", ["2080801", "30304"], [], "sum"),
        ("残保金的执行率", ["p:行政事业单位缴纳残保金"], ["rate"], "rate"),
        ("卫生健康支出完成全年预算的百分之几", ["210"], ["rate"], "rate"),
        ("社会保障和就业支出决算比年初预算多多少", ["208"], ["actual", "initial_budget"], "difference"),
        ("哪个项目执行率最高", [], ["rate"], "unsupported"),
        ("比上年增加了多少", [], [], "change"),
        ("上年的三公经费是多少", ["三公经费"], [], "unsupported"),
    ],
)
def test_parse(schema, question, subjects, measures, operation):
    query = parse(question, schema)
    assert [k for m in query.subjects for k in m.keys[:1]] == subjects
    assert list(query.measures) == measures
    assert query.operation == operation


def test_department_name_is_not_a_subject(schema):
    """'企业服务中心' names the department; no row whose label shares its words is meant."""
    query = parse("汉阳区企业服务中心2023年的工资福利支出", schema)
    assert [m.keys for m in query.subjects] == [("301",)]
    assert query.years == (2023,)


def test_alias_does_not_cut_into_a_measure_word(schema):
    assert parse("基本支出合计是多少", schema).measures == ("basic",)


def test_share_whole_is_named_after_zhan(schema):
    query = parse("津贴补贴占工资福利支出的比例", schema)
    assert query.subjects[0].keys == ("30102",) and query.denominator.keys == ("301",)


def test_fund_words_set_scope(schema):
    query = parse("一般公共预算财政拨款全年预算数是多少", schema)
    assert (query.measures, query.scope) == (("budget",), "fiscal")


def test_one_name_two_rows(schema):
    assert set(parse("住房公积金花了多少", schema).subjects[0].keys) == {"2210201", "30113"}


@pytest.mark.parametrize("question,slots", [("执行率呢", ("subject",)), ("绩效工资是多少", ("measure",)), ("那津贴补贴呢", ("measure",))])
def test_open_slots(schema, question, slots):
    assert parse(question, schema).open_slots == slots
