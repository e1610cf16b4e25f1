"""The executor: row × measure cells, shares with steps, typed arithmetic, budgets, ambiguity."""

from __future__ import annotations

import pytest

from assistant.execute import execute
from assistant.lookup import ReportFacts
from assistant.query import parse
from assistant.schema import build_schema


@pytest.fixture(scope="module")
def schema(qifu_pdf):
    return build_schema(ReportFacts.of(qifu_pdf))


def run(schema, question):
    return execute(parse(question, schema), schema)


@pytest.mark.parametrize(
    "question,value,unit",
    [
        ("一般公共服务支出的项目支出", 276.49, "万元"),  # the row's cell, not the department's 278.18
        ("住房保障支出当中基本支出多少", 16.19, "万元"),
        ("2010399的支出", 261.04, "万元"),
        ("一般公共服务支出花了多少一般公共预算财政拨款", 728.92, "万元"),
    ],
)
def test_row_times_measure(schema, question, value, unit):
    result = run(schema, question)
    assert (result.kind, result.value, result.unit) == ("number", value, unit)


@pytest.mark.parametrize(
    "question,value",
    [
        ("社会保障和就业支出所占比重是多少", 6.64),  # a 类 of the department total: unstated as 6.64, stated as 6.7
        ("事业运行占比多少", 64.19),  # a 项 of its 款
        ("项目支出占比多少", 34.36),  # the README's example: of the total, beside the stated 34.3
        ("基本工资占工资福利支出的比例", 10.13),
    ],
)
def test_shares_are_computed_with_steps(schema, question, value):
    result = run(schema, question)
    assert result.value == pytest.approx(value, abs=0.01)
    assert "÷" in result.steps[0]


def test_share_keeps_the_stated_figure_beside(schema):
    result = run(schema, "项目支出占比多少")
    assert result.stated is not None and result.stated.value == 34.3


@pytest.mark.parametrize(
    "question,value,direction",
    [
        ("住房保障支出决算比年初预算多了多少", 3.36, "少"),  # actual − initial budget, signed by direction
        ("卫生健康支出比全年预算多多少", 0.0, "多"),
        ("一般公共服务支出和社会保障和就业支出相差多少", 675.14, "多"),
    ],
)
def test_differences(schema, question, value, direction):
    result = run(schema, question)
    assert (result.value, result.direction) == (pytest.approx(value, abs=0.005), direction)


@pytest.mark.parametrize(
    "question,value",
    [("一般公共服务支出的执行率", 86.22), ("社会保障和就业支出完成全年预算的百分之多少", 98.16), ("住房保障支出完成年初预算的比例", 82.81)],
)
def test_rate_is_actual_over_budget(schema, question, value):
    result = run(schema, question)
    assert (result.operation, result.unit) == ("rate", "%")
    assert result.value == pytest.approx(value, abs=0.01)


def test_stated_rate_with_its_check(schema):
    result = run(schema, "政企云执行率")
    assert result.value == 86.3 and "79.4 ÷ 92" in result.steps[0]


def test_money_sum_converts_units(scjgj_pdf):
    schema = build_schema(ReportFacts.of(scjgj_pdf))
    result = run(schema, "公务用车运行费和差旅费加起来")  # 元 (三公 table) + 万元 (基本支出明细)
    assert result.unit == "万元"
    assert result.value == pytest.approx(23.68 + schema.cell("30211", "actual").value, abs=0.01)


def test_different_values_under_one_name_are_readings(schema):
    result = run(schema, "住房公积金支出多少")
    assert result.kind == "clarify"
    assert {c.fact.value for c in result.readings} == {16.19, 37.47}


def test_same_value_under_several_codes_is_one_answer(schema):
    result = run(schema, "一般公共服务支出是多少")
    assert result.kind == "number" and result.value == 728.92


@pytest.mark.parametrize("question", ["上年的基本支出", "2022年的基本工资"])
def test_leaves_what_tables_cannot_answer(schema, question):
    assert run(schema, question) is None


@pytest.mark.parametrize(
    "question,count",
    [("执行率不足95%的项目有哪几个", 6), ("完成率达到100%的项目有几个", 2), ("决算超过20万元的类有哪些", 2)],
)
def test_filters_count_and_list(schema, question, count):
    result = run(schema, question)
    assert (result.operation, result.value, result.unit) == ("filter", count, "个")
    assert len(result.cells) == count


@pytest.mark.parametrize(
    "question,value,direction",
    [("收入合计与上年相比增加了多少", 184.88, "多"), ("总支出较上年多了多少", 184.88, "多")],
)
def test_change_against_last_year_is_the_stated_one(schema, question, value, direction):
    result = run(schema, question)
    assert (result.operation, result.value, result.direction) == ("change", value, direction)
    assert result.cells[0].fact.source == "text"


@pytest.mark.parametrize(
    "report,question,value,unit,direction",
    [
        ("scjgj", "公务用车运行费同比降低了多少", 2.37, "万元", "少"),  # its clause names it, after the 三公 item list
        ("scjgj", "公务接待费的降幅", 8.96, "%", "少"),
        ("scjgj", "政府性基金预算财政拨款支出与上年度相比增长了百分之几", 47.31, "%", "多"),
        ("scjgj", "收支总计相较于上年增加了多少", 383.54, "万元", "多"),  # "收、支总计" in the sentence
        ("scjgj", "财政拨款收支总计相较于上年增加了多少", 381.23, "万元", "多"),  # the 财政拨款 sentence's
        ("putuo", "三公经费同比降低百分之多少", 27.78, "%", "少"),  # "下降（增长）27.78%": the template's gloss
        ("putuo", "收入支出总计同比增加多少", 1062.85, "万元", "多"),
        ("putuo", "相比2023年度，财政拨款收入支出总计多了多少", 1193.20, "万元", "多"),
        ("putuo", "公务接待费较2023年度降了多少", 0.15, "万元", "少"),
    ],
)
def test_a_change_is_the_one_stated_for_that_row(request, report, question, value, unit, direction):
    schema = build_schema(ReportFacts.of(request.getfixturevalue(f"{report}_pdf")))
    result = run(schema, question)
    assert (result.operation, result.value, result.unit, result.direction) == ("change", value, unit, direction)
    assert result.cells[0].fact.source == "text"


@pytest.mark.parametrize(
    "report,question",
    [
        ("scjgj", "公务用车购置费比上年减少多少"),  # the next change in its sentence is 公务用车运行费's
        ("putuo", "公务用车购置及运行维护费比上年度减少了多少"),  # stated 持平; the 0.15 after it is 公务接待费's
        ("scjgj", "差旅费比上年度多了还是少了"),
    ],
)
def test_no_change_stated_for_a_row_is_no_answer(request, report, question):
    schema = build_schema(ReportFacts.of(request.getfixturevalue(f"{report}_pdf")))
    assert run(schema, question) is None


def test_a_printed_share_of_another_whole_is_not_claimed(putuo_pdf):
    """4.73% printed for 住房保障 is its share of 财政拨款 spending; of all spending it is 4.72%, unstated."""
    schema = build_schema(ReportFacts.of(putuo_pdf))
    result = run(schema, "住房保障支出占全部支出的比例")
    assert result.value == pytest.approx(4.72, abs=0.005) and result.stated is None


def test_rate_picks_the_reading_with_a_budget(putuo_pdf):
    """公务接待费 is a 基本支出 row and a 三公 item; only the 三公 item has a budget."""
    schema = build_schema(ReportFacts.of(putuo_pdf))
    result = run(schema, "公务接待费的预算完成率")
    assert result.value == pytest.approx(13.68, abs=0.005)


# --- budgets a layout states in sentences, item by item (Shanghai: "N、A（类）B（款）C（项）。…年初预算为…") ---


@pytest.fixture(scope="module")
def putuo(putuo_pdf):
    return build_schema(ReportFacts.of(putuo_pdf))


@pytest.mark.parametrize("question,value,unit", [
    ("购房补贴的年初预算是多少", 171.49, "万元"),  # stated under 住房保障支出(款) though the table calls it 住房改革支出
    ("事业单位医疗年初预算多少", 196.40, "万元"),
    ("行政单位医疗完成年初预算的百分之几", 94.43, "%"),  # as stated, not recomputed from another table
    ("事业运行比年初预算少了多少", 60.66, "万元"),  # 4477.33 − 4416.67
])
def test_budgets_stated_item_by_item(putuo, question, value, unit):
    result = run(putuo, question)
    assert (result.kind, round(result.value, 2), result.unit) == ("number", value, unit)
    assert any(c.fact.source == "text" for c in result.cells)


def test_a_stated_budget_is_compared_with_the_figures_of_its_section(putuo):
    """行政运行: all funds 1105.68, 一般公共预算财政拨款 1092.80; the sentence's 年初预算 1115.48 is of the latter."""
    result = run(putuo, "城乡社区管理事务的行政运行决算比年初预算少多少")
    assert round(result.value, 2) == 22.68 and result.direction == "少"


# --- rank and totals over a group of rows (issue 12: rank/extreme, aggregates) -----------------------------


@pytest.mark.parametrize("question,top,value", [
    ("执行率最低的是哪个项目", "行政事业单位缴纳残保金", 67.6),
    ("哪一项绩效自评项目的预算数最大", None, None),  # the largest budget, whichever it is
    ("住房保障支出、卫生健康支出……哪一类花钱最少", None, None),
    ("工资福利支出中哪一项最多", "津贴补贴", 93.74),  # the children of the row named as a container (奖励金 180.96 is 303)
])
def test_rank_over_a_group(schema, question, top, value):
    result = run(schema, question)
    assert result.kind == "number" and result.operation == "rank" and len(result.cells) >= 2
    values = [c.wanyuan if c.fact.unit in ("万元", "元") else c.fact.value for c in result.cells]
    assert values == sorted(values, reverse=result.direction != "min")  # ordered, the asked end first
    if top:
        assert (result.cells[0].label, result.value) == (top, value)


def test_rank_never_mixes_unit_types(schema):
    result = run(schema, "哪个项目的执行数最多")
    assert all(c.fact.unit == "万元" for c in result.cells)


def test_projects_in_total(schema):
    """A total over every project's 预算数; a rate over the group is summed 执行数 ÷ summed 预算数, never an average."""
    budgets = run(schema, "全部项目的预算数一共是多少")
    assert budgets.operation == "sum" and len(budgets.cells) >= 5 and all(c.measure == "budget" for c in budgets.cells)
    rate = run(schema, "各项目总体执行率是多少")
    spent = sum(c.wanyuan for c in rate.cells if c.measure == "executed")
    planned = sum(c.wanyuan for c in rate.cells if c.measure == "budget")
    assert rate.operation == "rate" and round(rate.value, 2) == round(spent / planned * 100, 2)


@pytest.fixture(scope="module")
def scjgj(scjgj_pdf):
    return build_schema(ReportFacts.of(scjgj_pdf))


@pytest.mark.parametrize("question,value,unit", [
    ("智慧市场监管信息化建设项目接入了多少家食品生产经营主体", 1860.0, "家"),
    ("养老机构专项整治经费发现了几条问题隐患", 57.0, "条"),
    ("特种设备安全及计量质量监督经费检定了多少台件计量器具", 3418.0, "台件"),
])
def test_a_projects_indicator_named_in_other_words(scjgj, question, value, unit):
    """'<项目><指标的说法>': the 自评表 row of that project whose label covers most of the question's other words."""
    result = run(scjgj, question)
    assert (result.kind, result.value, result.unit) == ("number", value, unit)


def test_a_project_with_no_indicator_like_the_words_is_not_guessed(scjgj):
    assert run(scjgj, "智慧市场监管信息化建设项目招了多少名外包工程师") is None


@pytest.mark.parametrize("question,value", [
    ("住房保障支出在本年支出合计中所占的比重", 2.0),  # the whole named before the share word
    ("津贴补贴在工资福利支出里的占比", 34.28),
    ("人员经费在基本支出中占多少", 98.89),
])
def test_a_whole_named_before_the_share_word(schema, question, value):
    result = run(schema, question)
    assert (result.operation, round(result.value, 2)) == ("share", value)


@pytest.mark.parametrize("question,value", [
    ("卫生健康支出的年初预算占比", 1.45),  # 10.8 ÷ 743.02: of the 财政拨款 budget the same section states
    ("一般公共服务支出全年预算占多少", 90.87),  # 845.44 ÷ 930.38
    ("决算数占全年预算数的百分比", 87.03),  # the department: 809.69 ÷ 930.38, both 一般公共预算财政拨款支出
])
def test_shares_of_budgets_stated_in_sentences(schema, question, value):
    result = run(schema, question)
    assert (result.operation, round(result.value, 2)) == ("share", value)
    assert any(c.fact.source == "text" for c in result.cells)  # the budget is the sentence's figure


@pytest.mark.parametrize("question,value", [
    ("普陀规自局事业运行的项目支出", 2077.09),  # the district said without 区
    ("局里给退休人员发放的退休费有多少", None),  # verbs of paying name no row
    ("到年末结转下年的钱一共多少", 100.0),  # the 总表's 年末结转和结余 row
    ("机关事业单位基本养老保险缴费、职业年金缴费这两项一共多少", None),
])
def test_words_around_a_row_do_not_hide_it(putuo, question, value):
    result = run(putuo, question)
    assert result is not None and result.kind == "number"
    if value is not None:
        assert round(result.value, 2) == value


def test_a_share_of_the_fiscal_total_reads_the_part_in_that_scope(putuo):
    """城乡社区支出: 3845.25 in all funds, 3832.36 in 一般公共预算财政拨款; over the latter's total, the latter."""
    result = run(putuo, "城乡社区支出占一般公共预算财政拨款支出的百分比")
    assert round(result.value, 2) == 39.32 and result.cells[0].fact.table_kind == "general_budget_expenditure"


@pytest.mark.parametrize("question,label", [
    ("公用经费各明细中，支出最高的是哪一项", "办公费"),
    ("人员经费中数额最大的一项是什么", None),
])
def test_rank_within_a_group_total_ranks_its_items(putuo, question, label):
    """人员经费 / 公用经费 are sums of 经济分类 classes; their items are the rows under those classes."""
    result = run(putuo, question)
    assert result.operation == "rank" and all(len(c.key) == 5 for c in result.cells)
    if label:
        assert result.cells[0].label == label


# --- held-out share, budget and ambiguity classes ----------------------------------------------------------


@pytest.mark.parametrize("question,value", [
    ("市场主体管理在项目支出里占多少比例", 13.23),  # '在…里占…比例': the whole is the measure named; 126.4 ÷ 955.11
    ("事业收入在本年收入中所占的比重", 0.76),
])
def test_shares_worded_with_zai(scjgj, question, value):
    result = run(scjgj, question)
    assert (result.operation, round(result.value, 2)) == ("share", value)


def test_a_printed_share_is_the_one_next_to_its_own_figure(scjgj):
    """'事业收入 36.85 万元，占本年收入 0.76%；经营收入 0.00 万元，占本年收入 0.00%': 0.76 is 事业收入's."""
    result = run(scjgj, "事业收入占本年收入合计的比例")
    assert result.stated is None or result.stated.value == 0.76


def test_budget_against_actual_takes_the_reading_that_has_both(scjgj):
    """公务接待费 is a 经济分类 row (no budget) and a 三公 row (budget and actual): the 三公 one."""
    result = run(scjgj, "公务接待费的决算数比预算数少了多少")
    assert result.kind == "number" and round(result.value, 2) == 0.56


def test_an_economic_contribution_is_named_without_jiaofei(schema):
    """'公务员医疗补助': the 功能分类 row and the 经济分类 '公务员医疗补助缴费' row differ — the readings, not a guess."""
    result = run(schema, "公务员医疗补助有多少")
    assert result.kind == "clarify" and {c.fact.value for c in result.readings} == {10.8, 12.45}


# --- issue 12: counts and filters as one plan (conditions of any wording, the rows the words name) ---------------

@pytest.mark.parametrize("report,question,labels", [
    # qifu's nine 自评表 projects: 67.6, 92, 81.9, 97.1, 100, 90.9, 94.5, 100, 86.3 (% executed)
    ("qifu", "执行率等于100%的是哪几个项目", ["维稳解困金", "政府购岗"]),
    ("qifu", "完成预算的比例为百分之百的项目有哪些", ["维稳解困金", "政府购岗"]),
    ("qifu", "项目里执行率没达到90%的列出来", ["行政事业单位缴纳残保金", "第二砖瓦厂等5家改制企业工作经费", "政企云沟通畅联平台建设经费"]),
    ("qifu", "执行率在95%以上的项目有几个", ["服务企业工作经费", "维稳解困金", "政府购岗"]),
    ("qifu", "预算数不低于20万元的项目", ["党建、文明创建、综治、档案、普法、工会及老干经费", "第二砖瓦厂等5家改制企业工作经费",
                                   "维稳解困金", "政企云沟通畅联平台建设经费"]),
    # putuo's 情况说明 states 完成年初预算的 rates of its 项 rows: 94.43% (行政单位医疗) and 88.08% are below 95
    ("putuo", "完成年初预算的比例不到95%的项有哪些", ["行政单位医疗", "城乡社区规划与管理"]),
    ("putuo", "哪些款级科目决算数超过1000万元", ["城乡社区管理事务", "城乡社区规划与管理", "自然资源事务"]),
    ("putuo", "城乡社区支出下项目支出不足10万元的项", ["行政运行"]),  # 8.77, beside 2250.88
    ("putuo", "年初预算在1000万元以上的项级科目", ["行政运行", "城乡社区规划与管理", "事业运行"]),
    ("putuo", "基本支出低于3000000元的类有几个", ["卫生健康支出"]),  # 元 → 300 万元; 236.64
    # scjgj's seven projects: 91.6, 91.8, 94.8, 93.6, 96.4, 55.9, 87.2
    ("scjgj", "执行率低于百分之九十的项目是哪些", ["智慧市场监管信息化建设项目", "养老机构食品及特种设备安全专项整治经费"]),
])
def test_filter_rows_by_any_condition_wording(request, report, question, labels):
    schema = build_schema(ReportFacts.of(request.getfixturevalue(f"{report}_pdf")))
    result = run(schema, question)
    assert (result.kind, result.operation, result.value, result.unit) == ("number", "filter", len(labels), "个")
    assert [c.label for c in result.cells] == labels
    assert len(result.readings) >= len(labels)  # every row checked is kept, met or not


def test_a_filter_no_row_meets_keeps_the_rows_checked(schema):
    result = run(schema, "执行率超过100%的项目有几个")
    assert (result.kind, result.value, result.cells) == ("number", 0.0, ())
    assert len(result.readings) == 9


def test_a_filter_over_rows_without_the_measure_is_refused(putuo):
    """putuo has no 自评表 projects: a project filter says so instead of answering from other rows."""
    result = run(putuo, "执行率低于90%的项目有哪些")
    assert (result.kind, result.operation) == ("refuse", "filter") and "项目" in result.message


@pytest.mark.parametrize("report,question,value,shown,hidden", [
    ("qifu", "执行率是100%的项目有几个", 2.0, ["维稳解困金", "政府购岗", "在9个项目中"], ["残保金"]),
    ("qifu", "执行率高于100%的项目有几个", 0.0, ["没有", "“维稳解困金”项目 100%"], ["27"]),  # never a prose count (27个)
    ("putuo", "情况说明里完成年初预算低于95%的项级科目有几个", 2.0, ["行政单位医疗 94.43%", "城乡社区规划与管理 88.08%"], ["98.61"]),
    ("scjgj", "预算执行率达到100%的项目", 0.0, ["没有", "55.9%"], []),
])
def test_filters_are_answered_by_the_plan_with_count_and_rows(request, report, question, value, shown, hidden):
    from assistant.router import Answerer

    parsed = request.getfixturevalue(f"{report}_pdf")
    answer = Answerer(ReportFacts.of(parsed), sections=parsed.sections).answer(question)
    assert (answer.route.kind, answer.value) == ("calculate", value)
    assert all(s in answer.text for s in shown) and not any(h in answer.text for h in hidden)


def test_a_class_rate_from_its_items_stated_budgets(putuo):
    """putuo states 年初预算 item by item (项), never for the 类: the 类's rate is its spending over their sum."""
    result = run(putuo, "卫生健康支出完成了年初预算的百分之几")
    assert result.operation == "rate" and round(result.value, 2) == 98.96  # 236.64 ÷ (42.73 + 196.40)
    assert len(result.steps) == 2 and "42.73 + 196.4" in result.steps[1]


@pytest.mark.parametrize("question,value", [
    ("住房保障支出是卫生健康支出的几倍", 1.95),  # 461.08 ÷ 236.63
    ("人员经费相当于公用经费的多少倍", 10.16),
])
def test_how_many_times(putuo, question, value):
    result = run(putuo, question)
    assert (result.operation, result.value, result.unit) == ("ratio", value, "倍")


@pytest.mark.parametrize("question,value", [
    ("整体支出绩效自评里的政府采购执行率", 86.06),  # an 整体绩效自评表 indicator: what was done
    ("部门整体的预算执行率实际完成了多少", 87.0),
])
def test_an_overall_self_evaluation_indicator(schema, question, value):
    result = run(schema, question)
    assert result.kind == "number" and result.value == value


@pytest.mark.parametrize("question,label,value", [
    ("预算数排第三的项目是哪个", None, None),
    ("执行率倒数第二是哪个项目", None, None),
])
def test_a_place_in_the_order(schema, question, label, value):
    """'第N高', '倒数第N': the row at that place, the whole order beside it."""
    result = run(schema, question)
    assert result.operation == "rank" and len(result.cells) >= 3
    values = sorted((c.fact.value for c in result.cells), reverse=result.direction != "min")
    assert result.value == values[1 if "第二" in question else 2]
    if label:
        assert result.cells[0].label == label


@pytest.mark.parametrize("question,count", [
    ("执行率介于85%至95%之间的项目有哪些", 5),  # 91.6, 91.8, 94.8, 93.6, 87.2 (both ends included)
    ("预算在100万元到200万元之间的项目有几个", 3),  # 138, 120, 185
])
def test_a_range_condition(scjgj, question, count):
    result = run(scjgj, question)
    assert (result.operation, result.value) == ("filter", count)


@pytest.mark.parametrize("question,value", [
    ("在支出决算表中，住房保障支出（类）的基本支出", 461.08),  # a table's name is where to look, not a measure
    ("一般公共预算财政拨款支出决算表里城乡社区支出的基本支出", 1572.7),  # …and a 财政拨款 table sets the scope
    ("卫生健康支出用于项目的钱", 0.0),
    ("购房补贴年初安排的预算有多少", 171.49),  # 年初 and 预算 apart still name the 年初预算
    ("住房保障支出在本年支出合计里占几个百分点", 4.72),
])
def test_table_names_plain_and_split_wordings(putuo, question, value):
    result = run(putuo, question)
    assert result.kind == "number" and round(result.value, 2) == value


def test_a_completion_ratio_is_a_rate_not_a_share(putuo):
    result = run(putuo, "一般公共预算财政拨款支出完成年初预算的比例")
    assert (result.operation, result.value) == ("rate", 95.45)


def test_every_self_evaluated_project_summed(scjgj):
    result = run(scjgj, "全部自评项目的执行数汇总是多少")
    assert (result.operation, round(result.value, 2)) == ("sum", 955.11)


def test_budget_against_initial_budget_for_the_department(schema):
    """'全年预算数比年初预算增加了多少': the 财政拨款 total's two stated budgets, 930.38 − 743.02."""
    result = run(schema, "全年预算比年初预算增加了多少万元")
    assert (result.operation, round(result.value, 2)) == ("difference", 187.36)


def test_a_filter_within_a_group_total_checks_its_items(putuo):
    """'公用经费中超过50万元的': 公用经费 is a sum of 经济分类 classes; its items are checked, not the classes."""
    result = run(putuo, "公用经费里支出高于80万元的科目有哪些")
    assert result.operation == "filter" and {c.label for c in result.cells} == {"办公费", "物业管理费"}
