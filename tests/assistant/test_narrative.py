"""Narrative answers on the three shared reports: intent, the sentence that answers, its citation.

The questions are worded differently from the dev sets (eval/), one or more per intent and report.
"""

from __future__ import annotations

import pytest

from assistant.router import Answerer
from assistant.lookup import ReportFacts
from assistant.narrative import CitedPassage, Intent, ReportText, answer_narrative, narrative_intent
from assistant.narrative.sentences import split_sentences
from index.model import Row, Section, Table


@pytest.mark.parametrize(
    "question,kind,also",
    [
        ("上级补助收入指的是什么", "definition", ()),
        ("年初结转和结余的含义", "definition", ()),
        ("项目支出是什么", "definition", ()),
        ("三公经费为什么是零", "reason", ()),
        ("这个项目为啥没花完？剩下的钱怎么处理？", "reason", ("measures",)),
        ("彩票公益金都用到哪里去了", "usage", ()),
        ("今年开展了哪些活动", "list", ()),
        ("局里主要是干什么的", "list", ()),
        ("整体绩效自评打了多少分", "result", ()),
        ("项目评级是什么等级", "result", ()),
        ("部门决算由哪几个单位组成", "composition", ("list",)),
        ("办公电话是多少", "contact", ()),
        ("下一步有什么整改措施", "measures", ("list",)),
        ("服务了多少家企业", "number", ()),
        ("政府采购支出情况", "general", ()),
    ],
)
def test_intent_from_the_question_words(question, kind, also):
    intent = narrative_intent(question)
    assert (intent.kind, intent.also) == (kind, also)
    assert intent.name and (intent.asks_text is (kind not in ("number", "general")))


def test_intent_names_the_count_asked():
    assert narrative_intent("服务了多少家企业").unit == "家"
    assert narrative_intent("接待了几批次").unit == "批次"
    assert narrative_intent("政府采购支出情况").unit == ""


def test_long_sentences_split_at_semicolons_unless_they_enumerate():
    long = "编报绩效目标的项目39个，涉及预算金额4415.48万元；" * 3
    assert len(split_sentences(long + "平均得分99.33分。")) == 4
    listed = "主要产出和效益是：一是及时拨付维稳解困金；二是维护社会稳定和谐，" + "保障到位" * 20 + "。"
    assert split_sentences(listed) == [listed]


@pytest.fixture(scope="module")
def texts(qifu_pdf, scjgj_pdf, putuo_pdf):
    return {
        r.report_id: ReportText.build(r.sections, r.tables, department=r.identity.department, year=r.identity.year)
        for r in (qifu_pdf, scjgj_pdf, putuo_pdf)
    }


def ask(texts, report, question):
    return answer_narrative(question, [], intent=narrative_intent(question), text=texts[report.report_id])


# (report fixture, question, intent, words the answer quotes, citation label part, page)
CASES = [
    # 名词解释 entries, worded unlike the entry
    ("qifu_pdf", "经营收入是什么意思", "definition", ["非独立核算经营活动"], "(六) 经营收入", 28),
    ("qifu_pdf", "机关运行经费包括哪些", "list", ["办公及印刷费"], "机关运行经费", 29),
    ("putuo_pdf", "年末结转和结余指什么", "definition", ["延迟到以后年度"], "年末结转和结余", 29),
    ("scjgj_pdf", "事业收入的定义", "definition", ["专业业务活动"], "事业收入", 31),
    # reasons: the sentence with 主要原因, the 自评表's 偏差原因 cell, a stated absence
    ("qifu_pdf", "为什么没有三公经费支出", "reason", ["本单位当年无“三公”经费支出"], "三公", 22),
    ("putuo_pdf", "行政单位医疗支出为什么没有用完预算", "reason", ["医疗保险基数变更"], "行政单位医疗", 22),
    ("putuo_pdf", "机关运行经费比上年少的原因", "reason", ["中央八项规定"], "机关运行经费支出情况", 27),
    ("scjgj_pdf", "智慧市场监管项目执行率偏低的原因", "reason", ["跨年实施"], "智慧市场监管信息化建设项目", None),
    # usage and lists, every item gathered
    ("scjgj_pdf", "公务接待费主要用于什么", "usage", ["上级部门检查指导"], "公务接待费", 27),
    ("putuo_pdf", "人员经费主要包括哪些", "list", ["基本工资"], "基本支出决算情况说明", 24),
    ("qifu_pdf", "中心承担哪些职责", "list", ["营商环境", "企业投诉", "改制企业", "合作共建"], "部门主要职能", 8),
    ("qifu_pdf", "今年的重点工作是哪几项", "list", ["政企云", "中小企业", "招商引资"], "重点工作", 27),
    # results, the 自评表's measures, the units, a phone number
    ("qifu_pdf", "单位整体支出绩效评价是什么等级", "result", ["评价结果为良"], "绩效自评结果应用情况", 26),
    ("scjgj_pdf", "整体支出自评结果怎么样", "result", ["93.5 分", "优"], "整体支出自评结果", 28),
    ("scjgj_pdf", "智慧市场监管项目有什么改进措施", "measures", ["督促供应商"], "智慧市场监管信息化建设项目”项目绩效自评表", 41),
    ("scjgj_pdf", "部门决算由哪些单位组成", "composition", ["计量检定测试所", "无变化"], "部门决算单位构成", 8),
    ("putuo_pdf", "纳入决算编制范围的有几家单位", "composition", ["土地发展中心", "执法大队"], "部门决算单位构成", 6),
    ("qifu_pdf", "咨询电话", "contact", ["84461156"], "名词解释", 29),
]


@pytest.mark.parametrize("report,question,intent,quoted,label,page", CASES)
def test_the_sentence_that_answers_with_its_citation(request, texts, report, question, intent, quoted, label, page):
    answer = ask(texts, request.getfixturevalue(report), question)
    assert (answer.kind, answer.route.kind, answer.route.intent) == ("text", "narrative", intent)
    head = answer.text.split("\n\n原文上下文")[0]  # the quoted sentences, before the context paragraph
    assert all(word in head for word in quoted), answer.text
    assert any(label in c.label and (page is None or c.page == page) for c in answer.citations), answer.citations
    assert any(c.quote and c.quote[:20] in head for c in answer.citations)


@pytest.mark.parametrize(
    "report,question,value,unit,label,row",
    [
        ("qifu_pdf", "政企云平台上有多少家企业在线申报", 180, "家", "政企云沟通畅联平台建设经费", "助力企业享受政策服务"),
        ("scjgj_pdf", "全年接待了多少批次国内公务团组", 36, "批次", "公务接待费", ""),
        ("putuo_pdf", "项目绩效自评的平均分是多少", 99.33, "分", "预算绩效管理情况", ""),
        ("putuo_pdf", "评级为优的项目有几个", 39, "个", "预算绩效管理情况", ""),
    ],
)
def test_a_figure_stated_in_prose_is_a_number(request, texts, report, question, value, unit, label, row):
    answer = ask(texts, request.getfixturevalue(report), question)
    assert (answer.kind, answer.value, answer.unit) == ("number", value, unit)
    (citation,) = answer.citations
    assert label in citation.label and citation.row == row and str(value) in citation.quote.replace(" ", "")


def test_a_score_the_report_does_not_state_is_not_found(texts, qifu_pdf):
    answer = ask(texts, qifu_pdf, "维稳解困金项目自评打了几分")
    assert (answer.kind, answer.route.intent) == ("not_found", "result")
    assert "维稳解困金" in answer.text


def test_a_definition_not_in_the_glossary_falls_back_to_the_text(texts, qifu_pdf):
    answer = ask(texts, qifu_pdf, "政企云沟通畅联平台是什么")
    assert answer.kind == "text" and "名词解释" not in answer.citations[0].label


def test_retrieved_passages_break_ties_between_equal_sentences(qifu_pdf, texts):
    """The same reason sentence stands under three headings; the retriever's first passage decides."""
    from assistant.narrative import CitedPassage

    text = texts[qifu_pdf.report_id]
    wanted = "五、一般公共预算财政拨款支出决算情况说明"
    section = next(s for s in qifu_pdf.sections if wanted in s.heading and "疫情" in s.text)
    passage = CitedPassage(label=section.heading, page=section.page, text=section.text, score=1.0, kind="section")
    question = "财政拨款支出为什么增加"
    answer = answer_narrative(question, [passage], intent=narrative_intent(question), text=text)
    assert "疫情" in answer.text and wanted in answer.citations[0].label


def test_cells_of_a_self_evaluation_table_are_sentences():
    table = Table(
        report_id="r1", key="t", number=None, title="2024年度“道路养护”项目绩效自评表", kind="project_performance",
        unit="万元", pages=(9,), notes=(), header_rows=0, project="道路养护",
        rows=(
            Row(9, ("项目名称", "道路养护")),
            Row(9, ("一级指标", "二级指标", "三级指标", "年初目标值", "实际完成值")),
            Row(9, ("产出指标", "数量指标", "养护道路里程", "12公里", "12.5公里")),
            Row(9, ("自评等级", "良")),
            Row(9, ("偏差大或目标未完成原因分析", "雨季工期延误，部分路段顺延至次年。")),
        ),
    )
    text = ReportText.build([Section("r1", ("第一部分", "一、概况"), "本单位负责道路养护。", (1,), 0)], [table])
    cells = [s for s in text.sentences if s.source == "cell"]
    assert [(s.row, s.text) for s in cells] == [
        ("养护道路里程", "年初目标值：12公里；实际完成值：12.5公里"),
        ("自评等级", "良"),
        ("偏差大或目标未完成原因分析", "雨季工期延误，部分路段顺延至次年。"),
    ]
    reason = answer_narrative("道路养护项目为什么没按期完成", [], intent=narrative_intent("道路养护项目为什么没按期完成"), text=text)
    assert "雨季工期延误" in reason.text and reason.citations[0].row == "偏差大或目标未完成原因分析"
    grade = answer_narrative("道路养护项目自评是什么等级", [], intent=narrative_intent("道路养护项目自评是什么等级"), text=text)
    assert grade.text == "自评等级：良" and grade.citations[0].page == 9


@pytest.fixture(scope="module")
def answerer(qifu_pdf):
    return Answerer(ReportFacts.of(qifu_pdf), sections=qifu_pdf.sections)


@pytest.mark.parametrize(
    "question,kind,intent,word",
    [
        ("年初结转和结余的含义", "text", "definition", "结转到本年"),  # not the 0 of a table row
        ("政企云平台自评得了多少分", "not_found", "result", "政企云"),  # not the 79.4 万元 spent
        ("单位办公电话号码是多少", "text", "contact", "84461156"),
    ],
)
def test_the_answerer_routes_text_intents_to_the_text(answerer, question, kind, intent, word):
    answer = answerer.answer(question)
    assert (answer.kind, answer.route.intent) == (kind, intent) and word in answer.text


@pytest.mark.parametrize(
    "question,value,unit",
    [
        ("政企云平台上线了多少条区级政策", 8, "条"),  # no 条 among the tables' figures
        ("政企云平台有多少家企业在线申报", 180, "家"),  # the tables' 家 figure is another project's
    ],
)
def test_a_count_in_prose_about_the_subject_beats_another_figure(answerer, question, value, unit):
    answer = answerer.answer(question)
    assert (answer.kind, answer.value, answer.unit) == ("number", value, unit)
    assert "政企云沟通畅联平台建设经费" in answer.citations[0].label


def test_a_table_count_about_the_subject_stays(answerer):
    answer = answerer.answer("改制企业工作经费协助了几家企业")
    assert (answer.kind, answer.value, answer.unit) == ("number", 5, "家")
    assert "改制企业工作经费" in answer.citations[0].label



@pytest.mark.parametrize("question", ["帮我写一首诗", "主任叫啥名字", "明天天气咋样"])
def test_a_question_no_word_of_which_the_report_uses_gets_no_passage(texts, putuo_pdf, question):
    # the retriever always returns its nearest passage; that is no answer to what the report never mentions
    nearest = CitedPassage(label="第一部分 › 一、主要职能", page=3, text="负责本区规划和自然资源管理工作。", score=0.5, kind="section")
    answer = answer_narrative(question, [nearest], intent=narrative_intent(question), text=texts[putuo_pdf.report_id])
    assert answer.kind == "not_found" and "没有" in answer.text


def test_a_general_question_in_the_report_s_words_gets_its_passage(texts, putuo_pdf):
    passage = CitedPassage(label="第二部分 › 十、政府采购支出情况", page=20, text="政府采购支出总额 12.3 万元。", score=0.5, kind="section")
    answer = answer_narrative("采购方面的情况", [passage], intent=narrative_intent("采购方面的情况"), text=texts[putuo_pdf.report_id])
    assert answer.kind == "text" and "政府采购支出总额" in answer.text
