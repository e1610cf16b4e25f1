"""Slot carry-over: follow-ups replace what they name, drill down, refer back; new questions start afresh."""

from __future__ import annotations

import pytest

from assistant.lookup import ReportFacts
from assistant.router import Answerer, Conversation


@pytest.fixture(scope="module")
def answerer(qifu_pdf):
    return Answerer(ReportFacts.of(qifu_pdf), sections=qifu_pdf.sections)


def ask_all(answerer, questions):
    conversation = Conversation()
    return [answerer.answer(q, conversation) for q in questions]


def test_measure_carries_to_a_new_subject(answerer):
    answers = ask_all(answerer, ["服务企业工作经费的执行数", "那物资站人员经费呢"])
    assert [a.value for a in answers] == [9.71, 15.45]
    assert answers[1].plan.carried == ("measure",)


def test_subject_carries_to_a_new_measure(answerer):
    answers = ask_all(answerer, ["社会保障和就业支出有多少", "其中项目支出呢"])
    assert [a.value for a in answers] == [53.78, 1.69]


def test_drill_down_then_share_of_the_parent(answerer):
    answers = ask_all(answerer, ["对个人和家庭的补助是多少", "其中医疗费补助呢", "它占对个人和家庭的补助的比重"])
    assert [a.value for a in answers[:2]] == [252.12, 52.9]
    assert answers[2].value == pytest.approx(20.98, abs=0.01)


def test_a_self_contained_question_starts_afresh(answerer):
    answers = ask_all(answerer, ["残保金执行率是多少", "维稳解困金呢", "伙食补助费是多少"])
    assert [a.value for a in answers] == [67.6, 100.0, 8.84]
    assert answers[2].unit == "万元"


def test_both_sums_the_last_two_money_figures(answerer):
    answers = ask_all(answerer, ["抚恤金是多少", "奖励金呢", "二者加起来多少"])
    assert answers[2].value == pytest.approx(196.97)


def test_both_refuses_to_add_percentages(answerer):
    answers = ask_all(answerer, ["政府购岗的执行率", "物资站人员经费呢", "两者合计是多少"])
    assert answers[2].kind == "text" and answers[2].value is None
    assert "百分比" in answers[2].text


def test_both_with_one_figure_asks_which_two(answerer):
    answers = ask_all(answerer, ["办公费是多少", "两者加起来是多少"])
    assert answers[1].value is None and "哪两项" in answers[1].text


def test_a_share_that_names_its_measure_and_whole_starts_afresh(answerer):
    answers = ask_all(answerer, ["卫生健康支出占比多少", "基本支出占本年支出合计的比重是多少"])
    assert answers[1].value == pytest.approx(65.64, abs=0.01)


@pytest.fixture(scope="module")
def putuo(putuo_pdf):
    return Answerer(ReportFacts.of(putuo_pdf), sections=putuo_pdf.sections)


def test_a_share_carries_to_the_next_row_named(putuo):
    answers = ask_all(putuo, ["住房保障支出在本年支出合计里占多大比重", "那卫生健康支出呢", "那城乡社区支出呢"])
    assert [a.unit for a in answers] == ["%", "%", "%"]
    assert [round(a.value, 2) for a in answers] == [4.72, 2.42, 39.4]
    assert "operation" in answers[1].plan.carried


def test_a_share_of_a_measure_carries_to_the_next_measure(answerer):
    answers = ask_all(answerer, ["本年支出中基本支出所占的比例", "那项目支出呢"])
    assert [round(a.value, 2) for a in answers] == [65.64, 34.36]


def test_a_value_after_a_share_stays_a_value(putuo):
    answers = ask_all(putuo, ["住房保障支出占本年支出合计的比例", "城乡社区支出是多少", "那住房保障支出呢"])
    assert [(a.value, a.unit) for a in answers[1:]] == [(3845.25, "万元"), (461.08, "万元")]


def test_a_drill_down_that_asks_an_amount_after_a_share_gives_the_amount(answerer):
    answers = ask_all(answerer, ["住房保障支出有多少", "它占本年支出合计的比重", "其中住房公积金有多少"])
    assert answers[1].unit == "%"
    assert (answers[2].value, answers[2].unit) == (16.19, "万元")


@pytest.fixture(scope="module")
def scjgj(scjgj_pdf):
    return Answerer(ReportFacts.of(scjgj_pdf), sections=scjgj_pdf.sections)


@pytest.mark.parametrize(
    "questions,values,unit",
    [
        (["三公经费比上年度少花了多少", "那公务接待费呢", "那公务用车运行费呢"], [2.61, 0.24, 2.37], "万元"),
        (["三公经费同比下降百分之几", "那公务用车运行费呢"], [9.08, 9.1], "%"),
    ],
)
def test_a_change_carries_to_the_next_row_named(scjgj, questions, values, unit):
    answers = ask_all(scjgj, questions)
    assert [(a.value, a.unit) for a in answers] == [(v, unit) for v in values]
    assert "operation" in answers[1].plan.carried


# --- a total the conversation computed goes on as the part of a share (held-out follow-up class) -----------


@pytest.fixture(scope="module")
def putuo_answerer(putuo_pdf):
    return Answerer(ReportFacts.of(putuo_pdf), sections=putuo_pdf.sections)


@pytest.mark.parametrize("chain", [
    ["卫生健康支出是多少", "那住房保障支出呢", "二者加在一起多少", "占总支出的百分比"],
    ["卫生健康支出是多少", "住房保障支出呢", "这两项的合计占本年支出合计的比重"],
])
def test_a_share_of_an_earlier_total(putuo_answerer, chain):
    """The part is the total the conversation made (its arithmetic shown), not the first row added."""
    conversation = Conversation()
    answers = [putuo_answerer.answer(q, conversation) for q in chain]
    health, housing = answers[0].value, answers[1].value
    expected = round((health + housing) / 9759.38 * 100, 2)
    last = answers[-1]
    assert last.kind == "number" and last.value == pytest.approx(expected, abs=0.005)
    assert "+" in last.text  # the total's own arithmetic is shown


def test_a_part_without_a_measure_takes_the_wholes_column(putuo_answerer):
    conversation = Conversation()
    putuo_answerer.answer("城乡社区支出的项目支出是多少", conversation)
    putuo_answerer.answer("其中城乡社区规划与管理呢", conversation)
    answer = putuo_answerer.answer("它在城乡社区支出项目支出中占多少", conversation)
    assert answer.value == pytest.approx(2250.88 / 2259.65 * 100, abs=0.005)


def test_what_is_left_of_a_projects_budget_as_a_follow_up(qifu_pdf):
    answerer = Answerer(ReportFacts.of(qifu_pdf), sections=qifu_pdf.sections)
    conversation = Conversation()
    answerer.answer("政企云的全年预算是多少", conversation)
    answer = answerer.answer("还有多少没支付", conversation)
    assert answer.value == pytest.approx(12.6)


@pytest.mark.parametrize("second,operation", [("它是卫生健康支出的几倍", "ratio"), ("它比卫生健康支出多多少", "difference")])
def test_it_against_a_row_named(putuo_answerer, second, operation):
    """'它是X的几倍' / '它比X多多少' after a row: that row against X."""
    conversation = Conversation()
    first = putuo_answerer.answer("住房保障支出是多少", conversation)
    answer = putuo_answerer.answer(second, conversation)
    assert answer.plan is not None and answer.plan.operation == operation
    assert first.value in [c.value for c in answer.plan.cells] and 236.63 in [c.value for c in answer.plan.cells]
