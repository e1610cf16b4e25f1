"""Issue 19: a question is linked to the report by what it names, never answered with a guessed figure.

Each class is asked in everyday words on reports and rows other than the dev lines, and checked against the
same question asked plainly (the plan's reading), or against where the figure must come from.
"""

from __future__ import annotations

import pytest

from assistant.lookup import ReportFacts
from assistant.router import Answerer, Conversation
from assistant.schema import FISCAL_KINDS


@pytest.fixture(scope="module")
def scjgj(scjgj_txt):
    return Answerer(ReportFacts.of(scjgj_txt), sections=scjgj_txt.sections)


@pytest.fixture(scope="module")
def putuo(putuo_txt):
    return Answerer(ReportFacts.of(putuo_txt), sections=putuo_txt.sections)


@pytest.fixture(scope="module")
def qifu(qifu_txt):
    return Answerer(ReportFacts.of(qifu_txt), sections=qifu_txt.sections)


def _value(answerer, question):
    answer = answerer.answer(question, Conversation())
    return (answer.kind, answer.value)


# --- class 1: everyday words name nothing ----------------------------------------------------------------------

@pytest.mark.parametrize("plain,casual", [
    ("办公费是多少", "帮我查查办公费这块最后决算下来大概多少"),
    ("行政运行是多少", "想了解一下行政运行那块一年下来用掉多少钱"),
    ("三公经费是多少", "想问下三公经费到底花费了多少"),
    ("本年收入合计是多少", "一年总共收入多少"),
])
def test_words_that_name_nothing_do_not_block_the_reading(scjgj, plain, casual):
    expected = _value(scjgj, plain)
    assert expected[0] == "number"
    assert _value(scjgj, casual) == expected


def test_a_sum_said_casually_is_the_sum(putuo):
    parts = [_value(putuo, f"{row}是多少")[1] for row in ("基本工资", "绩效工资")]
    kind, value = _value(putuo, "基本工资和绩效工资合起来有多少")
    assert kind == "number" and value == pytest.approx(sum(parts))


# --- class 1b: everyday words for what the report names in words of its own -------------------------------------

@pytest.mark.parametrize("plain,casual", [
    ("本年支出合计是多少", "一年到头花销一共多少"),
    ("本年收入合计是多少", "一整年进账多少钱"),
    ("项目支出是多少", "做项目用的钱一共多少"),
    ("食品安全监管的项目支出是多少", "食品安全监管里头做项目花销多少"),
    ("差旅费和办公费加起来是多少", "差旅费和办公费放一起算是多少"),
    ("基本支出占本年支出合计的比例是多少", "基本支出占一整年花销的几个点"),
    ("支出决算表里食品安全监管的合计是多少", "支出决算表上食品安全监管这一科目合计栏目的数"),
])
def test_everyday_words_for_the_reports_own_read_as_the_reports(scjgj, plain, casual):
    expected = _value(scjgj, plain)
    assert expected[0] == "number"
    assert _value(scjgj, casual) == expected


def test_a_word_the_report_prints_in_a_row_is_not_rewritten():
    from types import SimpleNamespace

    from assistant.query import in_report_words

    plain = SimpleNamespace(alias_index=[("差旅费", ("k1",))])
    printed = SimpleNamespace(alias_index=[("其他开支", ("k2",)), ("差旅费", ("k1",))])
    assert in_report_words("差旅费开支多少", plain) == "差旅费支出多少"
    assert in_report_words("其他开支多少", printed) == "其他开支多少"  # the row's own name


# --- class 2: the department, named by the structure of unit names ----------------------------------------------

@pytest.mark.parametrize("question", ["市监局的食品安全监管花了多少", "汉阳市场监管局食品安全监管是多少", "区市场监督管理局里食品安全监管多少"])
def test_the_department_said_short_is_not_a_row(scjgj, question):
    assert _value(scjgj, question) == _value(scjgj, "食品安全监管是多少")


def test_another_units_name_gets_no_figure(putuo):
    """The 普陀 规划资源 report asked about a 税务局: its words are not this department's, so they are not placed."""
    assert _value(putuo, "税务局三公经费多少")[0] != "number"


# --- class 3: a named table is where the figure comes from -------------------------------------------------------

@pytest.mark.parametrize("table,kind", [("收支总表", "income_expenditure_total"), ("支出表", "expenditure"),
                                        ("一般公共预算财政拨款支出那张表", "general_budget_expenditure")])
def test_a_table_named_casually_is_the_table_read(putuo, table, kind):
    answer = putuo.answer(f"{table}里城乡社区支出是多少", Conversation())
    assert answer.kind == "number"
    assert {c.table for c in answer.plan.cells} == {
        next(f.table for f in putuo.facts.facts if f.table_kind == kind)}


def test_a_table_the_report_lacks_answers_not_found(qifu):
    """企服中心 prints no 政府性基金 table: naming it never borrows another table's figure."""
    answer = qifu.answer("政府性基金预算财政拨款收入支出决算表里本年支出合计是多少", Conversation())
    assert answer.kind == "not_found"


# --- class 4/5: the scope named is where both sides of a share come from -------------------------------------------

def test_a_fiscal_question_reads_only_fiscal_tables(scjgj):
    answer = scjgj.answer("财政拨款里一般公共服务支出的基本支出是多少", Conversation())
    assert answer.kind in ("number", "not_found")
    if answer.kind == "number":
        kinds = {f.table_kind for f in scjgj.facts.facts if f.table in {c.table for c in answer.plan.cells}}
        assert kinds <= set(FISCAL_KINDS)


def test_part_and_whole_of_a_share_are_read_in_the_same_column(putuo):
    answer = putuo.answer("住房公积金的基本支出在住房保障支出的基本支出中占几成", Conversation())
    part = _value(putuo, "住房公积金的基本支出是多少")[1]
    whole = _value(putuo, "住房保障支出的基本支出是多少")[1]
    assert answer.kind == "number" and answer.value == pytest.approx(round(part / whole * 100, 2))


def test_the_whole_named_first_is_the_whole(putuo):
    answer = putuo.answer("财政拨款支出里面卫生健康支出占百分之几", Conversation())
    assert answer.kind == "number" and 0 < answer.value < 100


# --- class 6: a sentence's figure answers only what it states ----------------------------------------------------

def test_a_stated_change_is_never_the_figure_itself(putuo):
    """'…比2023年度减少0.15万元' is a change: asked for the amount itself, a sentence's change is no answer."""
    answer = putuo.answer("普陀规资局2024年财政拨款收入决算数是多少", Conversation())
    assert answer.kind != "number" or answer.value != pytest.approx(0.15)


def test_a_follow_up_measure_the_last_row_lacks_is_the_departments(qifu):
    conversation = Conversation()
    qifu.answer("维稳解困金执行率是多少", conversation)
    answer = qifu.answer("那项目支出占比呢", conversation)
    assert answer.kind == "number" and answer.plan.cells[0].measure == "项目支出"
    assert answer.value == pytest.approx(_value(qifu, "项目支出占本年支出合计的比例")[1])


# --- the reading shown ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("question", ["差旅费是多少", "一般公共服务支出占本年支出的比例", "三公经费和办公费加起来多少"])
def test_every_planned_number_says_what_it_read(scjgj, question):
    answer = scjgj.answer(question, Conversation())
    assert answer.kind == "number"
    line = answer.text.rsplit("读取：", 1)[1]
    for cell in answer.plan.cells:
        assert cell.entity in line or cell.table in line


# --- class 7: a list asked for is the whole list -----------------------------------------------------------------

@pytest.mark.parametrize("question", ["开展了哪些工作", "都负责哪些事"])
def test_a_list_question_gets_every_item_of_the_list(scjgj, question):
    """'(一)…(二)…': asked what the unit does in general words, every numbered item, not the one that shares a word."""
    answer = scjgj.answer(question, Conversation())
    assert answer.kind == "text"
    assert all(f"({n})" in answer.text for n in "一二三四五")


def test_a_question_about_who_gets_words_not_the_rows_amount(scjgj):
    answer = scjgj.answer("公务接待都接待了谁", Conversation())
    assert answer.kind == "text" and answer.value is None


# --- words no vocabulary lists: ignored when they name nothing, blocking when they do -----------------------------

@pytest.mark.parametrize("casual", ["劳您驾核实一下办公费到底支了多少", "烦请统计下办公费一栏数字", "办公费能否告知"])
def test_words_that_name_nothing_in_the_report_are_ignored_without_being_listed(scjgj, casual):
    """Not in any word list: words whose characters the report's names never use together name nothing."""
    assert _value(scjgj, casual) == _value(scjgj, "办公费是多少")


@pytest.mark.parametrize("question", ["稽查大队的办公费是多少", "办公费占全区人口的比例", "办公费第二批次拨付了多少"])
def test_unplaced_words_that_name_something_block_the_answer(scjgj, question):
    """A unit, a concept a report may lack, or the report's own words in another sense: never the row's figure."""
    answer = scjgj.answer(question, Conversation())
    assert answer.kind != "number" or answer.value != _value(scjgj, "办公费是多少")[1]


def test_a_follow_up_that_names_nothing_readable_is_not_the_last_figure_again(scjgj):
    """Words that name no row, column or computation after an answer: ask, never repeat the last figure."""
    conversation = Conversation()
    scjgj.answer("退休费是多少", conversation)
    answer = scjgj.answer("嗯那边的怎么算呀", conversation)
    assert answer.kind != "number"


# --- what a figure must match: the row named, the fund named, the kind of figure asked ---------------------------

@pytest.fixture(scope="module")
def university():
    from index.ingest import parse_report
    from tests.conftest import UNIVERSITY_TXT

    report = parse_report(UNIVERSITY_TXT)
    return Answerer(ReportFacts.of(report), sections=report.sections)


def test_a_sentence_that_does_not_name_the_row_asked_never_answers_it(university):
    """Words left over ("我们学校") once let a sentence on the whole 财政拨款支出总计 answer a row's question."""
    expected = _value(university, "其他教育财政拨款支出多少")
    assert expected[0] == "number"
    assert _value(university, "我们学校其他教育这块财政拨款花了多少") in (expected, ("not_found", None))


def test_a_statement_of_no_money_in_another_fund_is_not_zero_for_this_one(qifu):
    """"本单位当年无政府性基金预算财政拨款收入支出" says nothing of 一般公共预算 money."""
    answer = _value(qifu, "一般公共预算财政拨款收入一年进账多少钱")
    assert answer != ("number", 0.0)
    assert answer in (_value(qifu, "一般公共预算财政拨款收入是多少"), ("not_found", None))


@pytest.mark.parametrize("question", ["部门整体自评按百分数算是多少", "整体支出绩效按百分比打了多少"])
def test_a_share_asked_is_a_percentage_or_no_answer(scjgj, question):
    answer = scjgj.answer(question, Conversation())
    assert answer.kind != "number" or answer.unit == "%", answer.text


@pytest.mark.parametrize("pointer", ["刚刚那个数里头", "上面那笔钱中", "之前问的那个数字里面"])
def test_pointing_back_at_the_last_figure_is_a_follow_up(putuo, pointer):
    conversation = Conversation()
    putuo.answer("城乡社区管理事务支出多少", conversation)
    answer = putuo.answer(f"{pointer}项目支出有多少", conversation)
    assert (answer.kind, answer.value) == _value(putuo, "城乡社区管理事务的项目支出是多少")


@pytest.mark.parametrize("first", ["公务接待费决算是多少", "这个词查不到的东西花了多少"])
def test_a_rows_attribute_asked_next_is_that_rows_or_no_figure(putuo, first):
    """"公务接待费…" → "年初预算是多少": the row talked about has no such column (or none was found): the question
    is asked back, never answered with the department's 年初预算."""
    department = _value(putuo, "年初预算是多少")
    conversation = Conversation()
    putuo.answer(first, conversation)
    answer = putuo.answer("年初预算是多少", conversation)
    assert (answer.kind, answer.value) != department and answer.kind != "number"


def test_a_department_column_asked_after_a_row_offers_both_readings(putuo):
    """"城乡社区管理事务支出多少" → "细分一下，基本支出有多少": the row's 基本支出 or the department's — both offered
    when they differ, never one guessed; said short ("基本支出呢") it leans on the row, as follow-ups do."""
    row = _value(putuo, "城乡社区管理事务的基本支出是多少")[1]
    department = _value(putuo, "基本支出是多少")[1]
    conversation = Conversation()
    putuo.answer("城乡社区管理事务支出多少", conversation)
    answer = putuo.answer("细分一下，基本支出有多少", conversation)  # not said as a follow-up
    assert answer.kind == "clarify" and {c.value for c in answer.candidates} == {row, department}
    conversation = Conversation()
    putuo.answer("城乡社区管理事务支出多少", conversation)
    assert _value(putuo, "基本支出是多少") == ("number", department)
    assert (lambda a: (a.kind, a.value))(putuo.answer("基本支出呢", conversation)) == ("number", row)


def test_a_whole_said_with_litou_is_the_whole(scjgj):
    expected = _value(scjgj, "三公经费中公务接待费占三公经费合计的比例")
    assert expected[0] == "number"
    assert _value(scjgj, "三公经费里头的公务接待费在三公经费里头占多少") == expected


@pytest.mark.parametrize("question", ["食堂一共有几个窗口", "3×4等于多少", "0是多少"])
def test_a_question_naming_nothing_after_an_answer_is_read_on_its_own(qifu, question):
    """Never the last figure again, and never "上一个问题…" for a question that does not lean on it."""
    conversation = Conversation()
    qifu.answer("本年支出合计是多少", conversation)
    answer = qifu.answer(question, conversation)
    assert answer.kind == "not_found" and "上一个问题" not in answer.text and answer.plan is None


def test_a_follow_up_on_a_fiscal_figure_stays_fiscal(putuo):
    conversation = Conversation()
    putuo.answer("城乡社区支出用了多少财政拨款", conversation)
    answer = putuo.answer("那基本支出呢", conversation)
    assert (answer.kind, answer.value) == _value(putuo, "城乡社区支出的财政拨款基本支出是多少")
    assert answer.value != _value(putuo, "城乡社区支出的基本支出是多少")[1]


def test_a_question_after_a_pasted_passage_is_its_last_sentence(putuo):
    pasted = ("下面是我从公开材料里摘的：本部门严格落实过紧日子要求，从严控制一般性支出，持续压减非刚性、非重点项目支出。"
              "想知道本年收入合计有多少？")
    answer = putuo.answer(pasted, Conversation())
    assert (answer.kind, answer.value) == _value(putuo, "本年收入合计有多少") and "最后一句" in answer.text


@pytest.mark.parametrize("casual,plain", [
    ("收支总表上年结转和结余是多少", "上年结转和结余是多少"),  # 上 of 上年 is not "on the table"
    ("社保花了多少钱", "社会保障和就业支出是多少"),
])
def test_a_table_word_or_an_abbreviation_does_not_eat_the_row(scjgj, casual, plain):
    expected = _value(scjgj, plain)
    assert expected[0] == "number"
    assert _value(scjgj, casual) == expected


def test_a_department_column_after_an_unanswered_turn_with_words_set_aside_is_asked_back(putuo):
    conversation = Conversation()
    putuo.answer("规划资源部门宿舍楼用出去了多少钱", conversation)  # nothing in the report
    answer = putuo.answer("细分一下，基本支出这部分有多少", conversation)
    assert answer.kind != "number"
    assert _value(putuo, "基本支出这部分有多少")[0] == "number"  # asked on its own, it is the department's


def test_a_sentence_of_the_fiscal_section_or_of_a_deeper_item_is_not_the_rows_figure(putuo_pdf, university_pdf):
    """No scope said: a 财政拨款 section's sentence is not the row's all-funds figure; "A(类)B(款)C(项)…" is C's."""
    university = Answerer(ReportFacts.of(university_pdf), sections=university_pdf.sections)
    fiscal = _value(university, "机关事业单位基本养老保险缴费支出的财政拨款是多少")[1]
    assert _value(university, "他们学校机关事业单位基本养老保险缴费用掉多少")[1] != fiscal
    putuo = Answerer(ReportFacts.of(putuo_pdf), sections=putuo_pdf.sections)
    item = _value(putuo, "其他国土资源事务支出年初预算多少")
    assert item[0] == "number"
    answer = _value(putuo, "规划资源部门自然资源海洋气象等用了多少一般公共预算拨款")
    assert answer[1] != item[1] and answer in (_value(putuo, "自然资源海洋气象等支出的一般公共预算财政拨款是多少"), ("not_found", None))


@pytest.mark.parametrize("casual,plain", [
    ("审计核对：差旅费列支了多少", "差旅费是多少"),  # a figure asked: not a request to run the audit
    ("该单位办公费本年发生额是多少", "办公费是多少"),
    ("他们单位一年里头在办公费上动用了多少", "办公费是多少"),
])
def test_officialese_and_spoken_openings_read_as_the_plain_question(scjgj, casual, plain):
    expected = _value(scjgj, plain)
    assert expected[0] == "number"
    assert _value(scjgj, casual) == expected


def test_a_short_question_naming_nothing_after_a_column_follow_up_is_its_own(university):
    """"那项目支出呢" → "停车位有几个": never the 项目支出 figure again (the sentence path once carried the column)."""
    conversation = Conversation()
    university.answer("教育支出是多少", conversation)
    university.answer("那项目支出呢", conversation)
    answer = university.answer("图书馆有几层", conversation)
    assert answer.kind != "number"


def test_a_clause_on_a_column_does_not_answer_a_total(university):
    """"学校收入总计…，其中：…事业收入 136,385.24": a question on the unit's total income is not 事业收入's clause."""
    total = _value(university, "本年收入合计是多少")
    assert total[0] == "number"
    assert _value(university, "学校全部收入是多少") in (total, ("not_found", None))
    assert _value(university, "学校总收入有多少") == total


def test_a_count_stated_in_prose_is_of_the_thing_asked(university):
    """"学校建有全国重点实验室 1 个" counts laboratories: asked for canteens or parking lots it is no answer."""
    assert _value(university, "学校有几个全国重点实验室") == ("number", 1.0)
    for question in ("学校有几个停车场", "学校一共有多少个食品店"):
        assert _value(university, question)[0] != "number", question


def test_a_refusal_carries_no_empty_plan_and_a_new_topic_after_it_is_its_own(university):
    conversation = Conversation()
    university.answer("这个学校的游泳馆花了多少", conversation)
    refusal = university.answer("那项目支出是多少呢", conversation)
    assert refusal.kind != "number" and refusal.plan is None
    assert "上一个回答取自报告文字" not in university.answer("图书馆在哪里", conversation).text
