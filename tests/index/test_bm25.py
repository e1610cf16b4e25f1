from __future__ import annotations

from dataclasses import replace

import jieba
import pytest

from index.bm25 import Bm25Index, build_lexicon
from index.chunks import build_chunks
from index.model import Fact
from tests.index.conftest import make_chunk


def fact(row: str, source: str = "table") -> Fact:
    return Fact(report_id="r1", table="公开03表", table_title="支出决算表", row=row, code="", classification="",
                column="决算数", value=1.0, unit="万元", page=1, source=source)


def test_lexicon_comes_from_the_reports_own_names(small_report):
    report = replace(small_report, facts=[fact("201 一般公共服务支出"), fact("收入合计增加", source="text")])
    lexicon = set(build_lexicon(report))
    assert {
        "一般公共服务支出",  # a fact row, its subject code dropped
        "政企云沟通畅联平台建设经费",  # a project name
        "政企云",  # quoted in the narrative, and the head of the project name
        "网站及微信小程序建设",  # a row label of the project table
        "基本支出",  # a short heading
    } <= lexicon
    assert "收入合计增加" not in lexicon  # facts read from sentences are phrases, not names
    assert all(2 <= len(w) <= 16 and not any(ch.isdigit() for ch in w) for w in lexicon)


def test_project_names_are_split_into_their_parts():
    from index.bm25 import _leading_parts

    assert {"老干经费", "老干"} <= set(build_lexicon(_report_with_projects(["党建、工会及老干经费"])))
    assert "政企云" in _leading_parts(["政企云沟通畅联平台建设经费", "服务企业工作经费"])


def test_private_tokenizer_leaves_global_jieba_alone():
    before = jieba.lcut("政企云沟通畅联平台")
    index = Bm25Index([make_chunk("c", ("h",), "政企云沟通畅联平台")], lexicon=["政企云沟通畅联平台"])
    assert "政企云沟通畅联平台" in index.tokenize("政企云沟通畅联平台")
    assert jieba.lcut("政企云沟通畅联平台") == before


@pytest.mark.parametrize(
    "text, tokens",
    [
        ("单位有几辆车？", ["单位", "几辆", "辆车", "几辆车"]),
        ("什么是基本支出", ["基本", "支出"]),
        ("占本年支出 65.7%。", ["占本", "年", "支出", "%", "65.7%"]),
    ],
)
def test_tokenize_drops_punctuation_and_stopwords(text, tokens):
    assert Bm25Index([]).tokenize(text) == tokens


def test_long_words_also_yield_their_known_sub_words():
    index = Bm25Index([], lexicon=["基本支出", "基本支出总额"])
    assert {"基本", "支出", "基本支出", "总额", "基本支出总额"} <= set(index.tokenize("基本支出总额"))


def test_query_terms_add_report_words_for_colloquial_ones():
    terms = Bm25Index([]).query_terms("收支增加的原因")
    assert {"收支", "收入", "支出"} <= set(terms)


CHUNKS = [
    make_chunk("cars", ("第三部分", "十二、国有资产占用情况"), "截至年底共有车辆0辆，通用设备0台。"),
    make_chunk("cloud", ("第三部分", "9. 政企云沟通畅联平台建设经费项目绩效自评综述"), "平台功能及网站及微信小程序建设。"),
    make_chunk("buy", ("第三部分", "十一、政府采购支出情况"), "政府采购支出总额73.44万元，授予小微企业合同金额73.44万元。"),
    make_chunk("other", ("第二部分", "公开03表"), "本表反映部门本年度各项支出情况。", report_id="r2"),
]


def test_rank_orders_by_bm25_and_respects_allowed_ids():
    index = Bm25Index(CHUNKS, lexicon=["政企云", "政企云沟通畅联平台建设经费"])
    assert index.rank("政企云平台建设了什么")[0][0] == "cloud"
    assert index.rank("授予小微企业的合同金额")[0][0] == "buy"
    assert [cid for cid, _ in index.rank("支出情况", allowed={"other"})] == ["other"]
    assert index.rank("") == [] and Bm25Index([]).rank("支出") == []


def test_known_share_is_low_when_the_questions_words_are_not_in_the_report():
    index = Bm25Index(CHUNKS)
    assert index.known_share("政府采购支出") == pytest.approx(1.0)
    assert index.known_share("单位有几辆车") < 0.5


def test_sample_report_terms_are_tokens(qifu_txt):
    index = Bm25Index(build_chunks(qifu_txt), lexicon=build_lexicon(qifu_txt))
    assert "政企云" in index.tokenize("政企云平台建设了什么")
    assert "老干经费" in index.tokenize("老干经费用于什么")


def _report_with_projects(projects):
    from index.model import ParsedReport, ReportIdentity, Table

    tables = [
        Table(report_id="r1", key=p, number=None, title=f"2023 年度“{p}”项目绩效自评表", kind="project_performance",
              unit="万元", pages=(1,), notes=(), rows=(), header_rows=0, project=p)
        for p in projects
    ]
    return ParsedReport(report_id="r1", path="", source_hash="", identity=ReportIdentity("", 2023, ""), page_count=1,
                        tables=tables)
