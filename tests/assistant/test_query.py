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
        ("哪个项目执行率最高", [], ["rate"], "rank"),
        ("比上年增加了多少", [], [], "change"),
        ("上年的三公经费是多少", ["三公经费"], [], "prior"),
    ],
)
def test_parse(schema, question, subjects, measures, operation):
    query = parse(question, schema)
    assert [k for m in query.subjects for k in m.keys[:1]] == subjects
    assert list(query.measures) == measures
    assert query.operation == operation


@pytest.mark.parametrize(
    "question,operation,unit,years",
    [
        ("支出合计相较于2022年度多了多少", "change", "", ()),  # last year named by its number: the base, not a year asked
        ("与上年度相比收入合计变化了多少", "change", "", ()),
        ("收入合计的增幅是多少", "change", "%", ()),  # no base named: the change words ask it
        ("一般公共预算财政拨款支出增长了百分之几", "change", "%", ()),
        ("社会保障和就业支出决算比年初预算下降了多少", "difference", "", ()),  # a base of the question's own
        ("2022年的基本支出", "value", "", (2022,)),  # a year asked, not a base
    ],
)
def test_change_questions_as_a_class(schema, question, operation, unit, years):
    query = parse(question, schema)
    assert (query.operation, query.asked_unit, query.years) == (operation, unit, years)


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


# --- how readers name a row: places, levels, containers, glosses (issue 12) ---------------------------------


@pytest.fixture(scope="module")
def putuo_schema(putuo_pdf):
    return build_schema(ReportFacts.of(putuo_pdf))


@pytest.fixture(scope="module")
def scjgj_schema(scjgj_pdf):
    return build_schema(ReportFacts.of(scjgj_pdf))


def test_place_names_of_the_department_name_no_row(putuo_schema, scjgj_schema):
    """'上海普陀区…', '汉阳区…': the district in a department's name is the department, not something unknown."""
    for schema, question in ((putuo_schema, "普陀区规自局的住房保障支出多少"), (scjgj_schema, "武汉市汉阳区市场监管局卫生健康支出是多少")):
        query = parse(question, schema)
        assert query.leftover == "" and len(query.subjects) == 1


def test_a_level_written_after_a_name_picks_that_level(putuo_schema):
    """'城乡社区规划与管理' is a 款 and a 项; '（款）' / '(项)' after it says which."""
    assert parse("城乡社区规划与管理（款）的基本支出", putuo_schema).subjects[0].keys == ("21202",)
    assert parse("城乡社区规划与管理(项)的基本支出", putuo_schema).subjects[0].keys == ("2120201",)
    assert len(parse("城乡社区规划与管理的基本支出", putuo_schema).subjects[0].keys) == 2


@pytest.mark.parametrize("question,key", [
    ("社会保障和就业支出中的机关事业单位基本养老保险缴费是多少", "2080505"),  # the 功能分类 项, not 经济分类 30108
    ("工资福利支出里机关事业单位基本养老保险缴费有多少", "30108"),  # the 经济分类 row, not the 项
    ("三公经费当中公务用车运行维护费花了多少", "公务用车运行维护费"),  # the 三公 row, not 经济分类 30231
    ("商品和服务支出中公务接待费多少", "30217"),
])
def test_a_row_named_inside_another_is_its_part(putuo_schema, question, key):
    query = parse(question, putuo_schema)
    assert [m.keys for m in query.subjects] == [(key,)] and query.leftover == ""


def test_comparing_a_row_with_its_container_keeps_both(scjgj_schema):
    query = parse("行政运行比一般公共服务支出少多少", scjgj_schema)
    assert query.operation == "difference" and len(query.subjects) == 2


@pytest.mark.parametrize("question", [
    "基本支出明细表里办公费是多少", "政府性基金（彩票公益金）支出是多少", "到年底彩票公益金还剩多少",
])
def test_table_fund_and_time_words_are_not_unknown_rows(scjgj_schema, question):
    query = parse(question, scjgj_schema)
    assert query.subjects and query.leftover == ""


# --- issue 12: counts and filters as one plan (conditions of any wording, the rows the words name) ---------------

from assistant.query import condition, is_filter  # noqa: E402


@pytest.mark.parametrize("text,expected", [
    ("执行率是100%的", ("=", 100.0, "%")),
    ("执行率为99.5%", ("=", 99.5, "%")),
    ("等于100%", ("=", 100.0, "%")),
    ("达到90%", (">=", 90.0, "%")),
    ("未达到95%", ("<", 95.0, "%")),
    ("没达到95%", ("<", 95.0, "%")),
    ("不到90%", ("<", 90.0, "%")),
    ("不足90%", ("<", 90.0, "%")),
    ("不超过10万元", ("<=", 10.0, "万元")),
    ("不低于20万", (">=", 20.0, "万元")),
    ("超过500万元", (">", 500.0, "万元")),
    ("高于3000000元", (">", 3000000.0, "元")),
    ("在95%以上", (">=", 95.0, "%")),
    ("100万元以下", ("<=", 100.0, "万元")),
    ("低于百分之九十五", ("<", 95.0, "%")),
    ("超过五百万元", (">", 500.0, "万元")),
    ("是2024年的", None),  # an equality word needs its unit
    ("执行率是多少", None),
])
def test_condition_words(text, expected):
    assert condition(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("执行率是100%的项目有几个", True),
    ("哪些项目的执行率不到90%", True),  # the group before the condition
    ("预算执行率达到100%的项目", True),  # no list word: the rows named after the condition
    ("年初预算在1000万元以上的项级科目", True),
    ("执行率低于90%的原因有哪些", False),  # a reason, answered by a passage
    ("一般公共服务支出（类）超过500万元了吗", False),  # one row, yes or no
    ("执行率是多少", False),
])
def test_what_reads_as_a_filter(text, expected):
    assert is_filter(text) is expected


@pytest.mark.parametrize("report,question,group_name,size,measure", [
    ("qifu", "执行率为100%的项目有哪些", "项目", 9, "rate"),
    ("qifu", "预算执行率达到100%的项目", "项目", 9, "rate"),  # 预算执行率 is the measure, not 整体绩效's row
    ("qifu", "项目支出超过10万元的款有哪些", "款级科目", 6, "project"),  # 项目支出 names a measure, not projects
    ("putuo", "情况说明里完成年初预算低于95%的项级科目有几个", "项级科目", 13, "rate"),
    ("putuo", "支出超过500万元的款有哪些", "款级科目", 6, ""),
    ("putuo", "哪些经济分类支出超过400万元", "经济分类科目", 4, ""),
    ("putuo", "城乡社区支出里决算不到2000万元的项有几个", "城乡社区支出下的项级科目", 2, "actual"),
    ("scjgj", "完成全年预算低于95%的类有哪些", "类级科目", 5, "rate"),
])
def test_a_filter_ranges_over_the_rows_the_words_name(request, report, question, group_name, size, measure):
    schema = build_schema(ReportFacts.of(request.getfixturevalue(f"{report}_pdf")))
    query = parse(question, schema)
    assert (query.operation, query.group_name, len(query.group)) == ("filter", group_name, size)
    assert query.measures[:1] == ((measure,) if measure else ())


@pytest.mark.parametrize("question,measure,value", [
    ("政府性基金的年末结转和结余是多少", "carry_end", 3.14),  # the fund table's total row, not the 总表's all-funds row
    ("政府性基金预算年初结转多少", "carry_start", 4.5),  # "…基金预算" names the fund, not a budget column
])
def test_a_fund_named_with_a_measure_is_its_tables_total(scjgj_schema, question, measure, value):
    from assistant.execute import execute

    query = parse(question, scjgj_schema)
    assert [m.keys for m in query.subjects] == [("政府性基金预算财政拨款支出",)] and query.measures == (measure,)
    assert execute(query, scjgj_schema).value == value


def test_the_department_named_with_another_conjunction(putuo_schema):
    """The Shanghai report writes both 规划和自然资源局 and 规划与自然资源局: either names the department."""
    query = parse("上海市普陀区规划与自然资源局2024年购房补贴多少", putuo_schema)
    assert query.leftover == "" and query.subjects[0].keys == ("2210203",)


def test_a_total_named_after_another_funds_name_is_not_the_general_budgets(putuo_schema):
    """'国有资本经营预算财政拨款支出': its '财政拨款支出' is not the 一般公共预算财政拨款支出 total's alias here."""
    query = parse("国有资本经营预算财政拨款支出是多少", putuo_schema)
    assert all("一般公共预算财政拨款支出" not in m.keys for m in query.subjects)


def test_income_of_a_class_reads_the_income_table(scjgj_schema):
    from assistant.execute import execute

    query = parse("彩票公益金安排的收入有多少", scjgj_schema)
    assert query.scope == "income" and execute(query, scjgj_schema).value == 20.0  # not the 21.36 spent


@pytest.mark.parametrize("question,key,scope", [
    ("城乡社区管理事务（款）的本年支出合计是多少", "21201", ""),  # the row's 合计 column, not the department total
    ("卫生健康支出的本年收入合计", "210", "income"),
])
def test_a_table_total_after_a_row_is_its_column(putuo_schema, question, key, scope):
    query = parse(question, putuo_schema)
    assert [m.keys for m in query.subjects] == [(key,)] and query.scope == scope


@pytest.mark.parametrize("question,key", [
    ("局里花在印刷上的钱有多少", "30202"),  # an 经济分类 "X费" row named by X
    ("事业单位离退休取得的财政拨款收入", "2080502"),  # "取得的" says how money came, not which row
])
def test_plain_names_of_rows(putuo_schema, question, key):
    query = parse(question, putuo_schema)
    assert query.leftover == "" and query.subjects[0].keys == (key,)
