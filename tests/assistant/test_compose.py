"""compose(): the sentence, citations and plan for each operation; clarify lists each reading."""

from __future__ import annotations

import pytest

from assistant.lookup import ReportFacts
from assistant.router import Answerer


@pytest.fixture(scope="module")
def answerer(scjgj_pdf):
    return Answerer(ReportFacts.of(scjgj_pdf), sections=scjgj_pdf.sections)


def test_clarify_names_each_reading_with_table_and_value(answerer):
    answer = answerer.answer("公务接待费花了多少")
    assert answer.kind == "clarify" and len(answer.candidates) >= 2
    assert all(c.citation.label and c.citation.page for c in answer.candidates)
    assert all(f"{c.value:g}" in answer.text.replace(",", "") or str(c.value) in answer.text for c in answer.candidates)


def test_share_text_states_steps_and_cites_both(answerer):
    answer = answerer.answer("食品安全监管占其上级的比例")
    assert answer.kind == "number" and answer.unit == "%"
    assert "÷" in answer.text and answer.formula
    assert len(answer.citations) >= 1


def test_difference_says_which_is_larger(answerer):
    answer = answerer.answer("社会保障和就业支出与卫生健康支出相差多少")
    assert "多" in answer.text and answer.value == pytest.approx(617.96 - 195.05, abs=0.005)


def test_yuan_cells_keep_their_unit_and_show_wanyuan(answerer):
    answer = answerer.answer("公务用车运行费决算数是多少")
    assert answer.unit == "元" and "万元" in answer.text


def test_what_a_project_has_left_is_its_budget_less_what_it_executed(qifu_pdf):
    """'<项目>还剩多少没花': 自评表 have no 结余 column; the answer says 预算数 − 执行数 and shows it."""
    from assistant.router import Answerer

    answer = Answerer(ReportFacts.of(qifu_pdf)).answer("残保金那个项目还有多少钱没花完")
    assert answer.kind == "number" and answer.value == pytest.approx(0.81)
    assert "未执行" in answer.text and "2.5 − 1.69" in answer.text
