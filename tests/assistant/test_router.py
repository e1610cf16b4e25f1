"""route(): one function, a named branch with the Query; answers carry their plan in --json."""

from __future__ import annotations

import pytest

from assistant.lookup import ReportFacts
from assistant.router import Answerer, Conversation, route


@pytest.fixture(scope="module")
def answerer(qifu_pdf):
    return Answerer(ReportFacts.of(qifu_pdf), sections=qifu_pdf.sections)


@pytest.mark.parametrize(
    "question,kind",
    [
        ("", "invalid"),
        ("这份报告的数据有没有对不上的地方", "audit"),
        ("政企云平台建设了哪些内容", "narrative"),
        ("卫生健康支出的基本支出", "lookup"),
        ("卫生健康支出占比是多少", "calculate"),
        ("政府采购服务支出多少", "stated"),  # stated in a sentence, not a table row
        ("上年的三公经费", "stated"),
    ],
)
def test_route_names_the_branch(answerer, question, kind):
    r = route(question, Conversation(), answerer.schema)
    assert r.kind == kind and r.reason
    if kind in ("lookup", "calculate"):
        assert r.query.subjects


def test_answer_json_shows_the_plan_and_text_stays_clean(answerer):
    answer = answerer.answer("事业运行占其上级款的比例")
    record = answer.to_dict(question="q")
    plan = record["plan"]
    assert plan["operation"] == "share" and len(plan["cells"]) == 2 and "÷" in plan["steps"][0]
    assert "plan" not in answer.text and "route" not in answer.text


def test_self_contained_question_after_rates(answerer):
    """After 执行率 questions, a question naming its own row answers that row's amount."""
    conversation = Conversation()
    answerer.answer("政府购岗执行率", conversation)
    answerer.answer("那维稳解困金呢", conversation)
    answer = answerer.answer("职工基本医疗保险缴费是多少", conversation)
    assert (answer.value, answer.unit) == (17.32, "万元")


def test_total_of_a_measure_is_not_the_department_name(answerer):
    """'企业服务中心' is the department; '服务企业工作经费' must not be read from its name."""
    answer = answerer.answer("汉阳区企业服务中心的项目支出是多少")
    assert answer.value == 278.18


def test_absent_row_names_what_is_nearby(answerer):
    answer = answerer.answer("住房租金补贴是多少")
    assert answer.kind == "not_found"
    assert "相近" in answer.text and "住房" in answer.text


def test_plan_answers_keep_the_legacy_follow_up_working(answerer):
    """A plan answer records its subject, so the stated-figure path can lean on it too."""
    conversation = Conversation()
    answerer.answer("一般公共服务支出是多少", conversation)
    assert conversation.last.subject_key == "201" and conversation.last.value == 728.92


def test_counts_stated_in_prose_answer_their_unit(scjgj_pdf):
    """'单价 100 万元(含)以上专用设备 1 台(套)': a 几台 question takes the 台(套) figure."""
    answerer = Answerer(ReportFacts.of(scjgj_pdf), sections=scjgj_pdf.sections)
    answer = answerer.answer("局里单价一百万以上的专用设备有几台")
    assert (answer.kind, answer.value) == ("number", 1.0)


def test_a_filter_is_a_plan_not_a_passage(answerer):
    answer = answerer.answer("哪些项目的执行率高于95%")
    assert answer.route.kind == "calculate" and answer.value == 3.0
    assert "维稳解困金" in answer.text and "残保金" not in answer.text


def test_short_department_name_and_last_year(putuo_pdf):
    """'规划资源局' is the department in short; 上一年 = this year's figure and the stated change."""
    answerer = Answerer(ReportFacts.of(putuo_pdf), sections=putuo_pdf.sections)
    answer = answerer.answer("规划资源局前一年度…上一年的机关运行经费有多少")
    assert answer.value == pytest.approx(156.32, abs=0.005)
    conversation = Conversation()
    answerer.answer("规划资源局三公经费的决算数", conversation)
    change = answerer.answer("那比上年减少了多少", conversation)
    assert (change.value, change.unit) == (0.15, "万元")


def test_an_amount_nobody_printed_is_not_found_not_a_passage(qifu_pdf):
    """A passage that happens to match is no answer to 'how much'."""

    class Passage:
        text, label, page, score, kind = "二、部门决算单位构成 ……", "第一部分 › 二、部门决算单位构成", 8, 1.0, "section"

    answerer = Answerer(ReportFacts.of(qifu_pdf), sections=qifu_pdf.sections, retrieve=lambda q: [Passage()])
    answer = answerer.answer("下属的第二分中心单独花了多少钱")
    assert answer.kind == "not_found"
    assert answerer.answer("企业服务中心为啥设立政企云平台").route.kind == "narrative"


@pytest.mark.parametrize(
    "question,value,unit",
    [("企业服务中心今年一共花了多少钱", 809.69, "万元"), ("退休老干人数目标是多少", 71.0, "人")],
)
def test_plain_wordings_of_totals_and_indicators(answerer, question, value, unit):
    answer = answerer.answer(question)
    assert (answer.value, answer.unit) == (value, unit)


def test_no_stated_change_for_a_row_is_not_the_departments_change(answerer):
    """The department's change (184.88) is stated; 卫生健康支出's is not."""
    answer = answerer.answer("卫生健康支出与上年相比增加了多少")
    assert answer.kind == "not_found"


@pytest.mark.parametrize("question,row", [
    ("城乡社区支出全年预算数多少", "城乡社区支出"),  # only its 项 have stated 年初预算
    ("一般公共预算财政拨款支出的调整后预算是多少", "一般公共预算财政拨款支出"),  # only its 年初预算 is stated
])
def test_a_row_without_the_column_asked_is_not_given_another_figure(putuo_pdf, question, row):
    """The row and the column are both known and the report has no such figure: say so and what it does have."""
    from assistant.router import Answerer

    answer = Answerer(ReportFacts.of(putuo_pdf), sections=putuo_pdf.sections).answer(question)
    assert answer.kind == "not_found" and answer.value is None
    assert row in answer.text and "报告给出的有" in answer.text


def test_the_column_a_sentence_states_for_the_row_still_answers(scjgj_pdf):
    from assistant.router import Answerer

    answer = Answerer(ReportFacts.of(scjgj_pdf), sections=scjgj_pdf.sections).answer("“三公”经费的年初预算数")
    assert (answer.kind, answer.value) == ("number", 28.0)
