"""The stated-figure ranking: each evidence term of `lookup.WEIGHTS` moves a figure the way its comment says.

Synthetic sentences, one criterion varied at a time; then the real reports: table cells never come here.
"""

from __future__ import annotations

import pytest

from assistant.lookup import WEIGHTS, Evidence, ReportFacts, evidence, find, metric_of, strip_noise
from index.model import Fact

SECTION = "第三部分 › 七、机关运行经费支出情况说明"


def stated(row: str, value: float, unit: str = "万元", quote: str = "", section: str = SECTION, table: str = "") -> Fact:
    return Fact(report_id="r", table=table or section, table_title=section.split(" › ")[-1], row=row, code="",
                classification="", column="", value=value, unit=unit, page=20, source="text", quote=quote or f"{row}{value}{unit}")


def facts_of(*facts: Fact, projects: dict[str, str] | None = None) -> ReportFacts:
    return ReportFacts(report_id="r", facts=list(facts), tables={}, department="某区某局", year=2024, projects=projects or {})


def score(fact: Fact, question: str, facts: ReportFacts) -> Evidence:
    return evidence(fact, strip_noise(question, department=facts.department, year=facts.year), metric_of(question), facts)


def test_the_score_is_the_documented_sum_of_its_terms():
    e = Evidence(subject=4, project=0, context=3, tail=0, measure=1, narrower=2, residual=1)
    w = WEIGHTS
    assert e.score == pytest.approx(4 * w["subject"] + 3 * w["context"] + w["measure_named"] + 2 * w["narrower"] + w["residual"])


@pytest.mark.parametrize("better,worse,question", [
    # subject: the clause that names what is asked wins over one that names something else
    (stated("机关运行经费支出", 142.8), stated("政府采购支出总额", 1387.72), "机关运行经费是多少"),
    # measure: the clause carrying the measure asked (预算) beats the same subject without it
    (stated("机关运行经费全年预算", 150.0), stated("机关运行经费支出", 142.8), "机关运行经费预算是多少"),
    # …and 预算 alone is the 全年预算, not the 年初预算
    (stated("机关运行经费全年预算", 150.0), stated("机关运行经费年初预算", 160.0), "机关运行经费预算是多少"),
    # 年初 not asked: the 年初 figure loses to the plain one
    (stated("公务接待费支出", 0.39), stated("公务接待费年初预算", 0.6), "公务接待费是多少"),
    # narrower: a subject with many words the question does not use is a narrower item
    (stated("政府采购支出", 1500.0), stated("政府采购授予中小企业合同金额", 900.0), "政府采购支出多少"),
    # residual: question words found nowhere in the figure count against it
    (stated("培训费", 1.2, quote="培训费1.2万元,主要用于干部培训"), stated("培训费", 3.0, quote="培训费3万元"),
     "干部培训的培训费"),
])
def test_each_term_ranks_the_way_its_comment_says(better, worse, question):
    facts = facts_of(better, worse)
    assert score(better, question, facts).score > score(worse, question, facts).score
    assert find(question, facts)[0].fact is better


def test_a_count_is_named_by_the_words_after_it():
    """'检查养老机构34家' says what is counted after the figure: tail evidence."""
    count = stated("专项整治共检查", 34.0, "家", quote="专项整治共检查34家养老机构食品安全")
    other = stated("共发现问题隐患", 57.0, "条", quote="共发现问题隐患57条")
    facts = facts_of(count, other)
    assert score(count, "检查了多少家养老机构", facts).tail >= 4
    assert find("检查了多少家养老机构", facts)[0].fact is count


def test_a_figure_in_a_projects_self_evaluation_is_named_by_the_project():
    inside = stated("平台上线区级政策", 8.0, "条", table="t-政企云", quote="平台上线区级政策8条")
    facts = facts_of(inside, projects={"t-政企云": "政企云沟通畅联平台建设经费"})
    assert score(inside, "政企云沟通平台上线了多少条政策", facts).project >= 3


def test_the_unit_asked_filters_and_nothing_weak_is_returned():
    money = stated("机关运行经费支出", 142.8)
    facts = facts_of(money)
    assert find("机关运行经费有几辆", facts) == []  # 几辆 asks a count of vehicles
    assert find("档案数字化的验收结论", facts) == []  # shares no subject with any figure


@pytest.mark.parametrize("report_name", ["qifu_pdf", "putuo_pdf"])
def test_table_cells_never_rank_here(report_name, request):
    facts = ReportFacts.of(request.getfixturevalue(report_name))
    for question in ("一般公共服务支出是多少", "基本工资多少", "三公经费年初预算", "机关运行经费"):
        assert all(m.fact.source == "text" for m in find(question, facts))


def test_modifiers_before_de_do_not_narrow_a_figure():
    """'…所属各预算单位开支财政拨款的公务用车保有量为0辆': the head noun after 的 is what is counted."""
    long = stated("本局所属各预算单位开支财政拨款的公务用车保有量", 0.0, "辆")
    facts = facts_of(long)
    assert score(long, "现在有几辆公务用车", facts).narrower <= 1
    assert find("现在有几辆公务用车", facts)[0].fact is long


def test_the_context_counts_only_what_the_subject_leaves():
    """Two figures of one paragraph: the one whose own subject says all the question says beats one whose
    sentence opening repeats the question's words."""
    total = stated("政府采购金额(以合同签订为准)", 2319.21)
    part = stated("采购金额", 225.1, quote="在面向中小企业预留的政府采购项目中,由中小企业供应商中标的,采购金额225.1万元")
    facts = facts_of(total, part)
    assert find("政府采购金额是多少", facts)[0].fact is total


def test_a_sentences_topic_leaves_out_its_first_figures_own_words():
    """'全年发布活动资讯29条、通知通告18条': 活动资讯 names the 29, so it is no context for the 18."""
    quote = "为企业提供相关信息全年发布活动资讯29条、通知通告18条"
    first = stated("为企业提供相关信息全年发布活动资讯", 29.0, "条", quote=quote)
    second = stated("通知通告", 18.0, "条", quote=quote)
    assert find("发布了多少条活动资讯", facts_of(first, second))[0].fact is first
