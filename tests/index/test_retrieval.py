from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from langchain_core.documents import Document

import index.retrieval as retrieval
from index.bm25 import Bm25Index
from index.chunks import passage_text
from index.normalize import compact
from index.retrieval import HybridRetriever, Passage
from index.vectors import Hit
from tests.index.conftest import FakeEmbeddings, make_chunk

QUESTIONS = Path(__file__).resolve().parents[1] / "data" / "retrieval_questions.jsonl"


class MemoryStore:
    """The query side of ChromaStore over vectors held in memory."""

    def __init__(self, chunks, embedder):
        self.chunks = list(chunks)
        self.vectors = np.array(embedder.embed_documents([passage_text(c) for c in chunks]))

    def query(self, vector, *, k, report_ids=None):
        distances = 1 - self.vectors @ np.asarray(vector)
        order = [i for i in np.argsort(distances) if report_ids is None or self.chunks[i].report_id in report_ids]
        return [Hit(self.chunks[i].id, float(distances[i])) for i in order[:k]]


CHUNKS = [
    make_chunk("cars", ("第三部分", "十二、国有资产占用情况"), "截至年底共有车辆0辆，通用设备0台。", pages=(25,)),
    make_chunk("cloud", ("第三部分", "9. 政企云沟通畅联平台建设经费项目绩效自评综述"), "建设平台功能及网站及微信小程序。", pages=(26,)),
    make_chunk("buy", ("第三部分", "十一、政府采购支出情况"), "政府采购支出总额73.44万元，授予小微企业合同金额73.44万元。"),
    make_chunk("basic", ("第五部分名词解释", "(十三) 基本支出"), "基本支出：指为保障机构正常运转的人员支出和公用支出。"),
    make_chunk("shares", ("第三部分", "三、支出决算情况说明"), "其中基本支出531.51万元，占本年支出65.7%；项目支出278.18万元。"),
    make_chunk("table", ("公开03表 支出决算表",), "公开03表 支出决算表\n本表反映部门本年度各项支出情况。", kind="table"),
    make_chunk("other", ("第三部分", "十一、政府采购支出情况"), "政府采购支出总额5万元。", report_id="r2"),
]


@pytest.fixture
def retriever():
    embedder = FakeEmbeddings()
    return HybridRetriever(chunks=CHUNKS, store=MemoryStore(CHUNKS, embedder), embedder=embedder,
                           bm25=Bm25Index(CHUNKS, lexicon=["政企云"]))


def test_retrieve_returns_passages_best_first(retriever):
    (best,) = retriever.retrieve("政企云平台建设了什么", k=1, report_ids=["r1"])
    assert best == Passage(
        chunk_id="cloud", report_id="r1", score=pytest.approx(best.score), heading_path=CHUNKS[1].heading_path,
        pages=(26,), text=CHUNKS[1].text, kind="section",
    )
    assert (best.page, best.heading) == (26, "第三部分 › 9. 政企云沟通畅联平台建设经费项目绩效自评综述")
    scores = [p.score for p in retriever.retrieve("政府采购支出情况", k=5)]
    assert scores == sorted(scores, reverse=True) and len(scores) == 5


def test_report_and_kind_filters(retriever):
    assert {p.report_id for p in retriever.retrieve("政府采购支出情况", k=10, report_ids=["r2"])} == {"r2"}
    assert [p.chunk_id for p in retriever.retrieve("支出情况", k=10, kinds=["table"])] == ["table"]
    assert retriever.retrieve("支出情况", report_ids=["r9"]) == []
    assert retriever.retrieve("   ") == []


@pytest.mark.parametrize("mode", ["bm25", "dense", "hybrid"])
def test_every_mode_finds_an_exact_topic(retriever, mode):
    assert retriever.retrieve("授予小微企业合同金额", k=1, report_ids=["r1"], mode=mode)[0].chunk_id == "buy"


def test_glossary_answers_definitions_and_yields_otherwise(retriever):
    assert retriever.retrieve("什么是基本支出", k=1)[0].chunk_id == "basic"
    assert retriever.retrieve("基本支出占本年支出的比例", k=1)[0].chunk_id == "shares"


def test_heading_match_adds_a_boost(retriever, monkeypatch):
    boost = retrieval.HEADING_BOOST
    with_boost = {p.chunk_id: p.score for p in retriever.retrieve("国有资产占用情况", k=10)}
    monkeypatch.setattr(retrieval, "HEADING_BOOST", 0.0)
    without = {p.chunk_id: p.score for p in retriever.retrieve("国有资产占用情况", k=10)}
    assert with_boost["cars"] - without["cars"] == pytest.approx(boost)  # every term is in its heading
    assert 0 < with_boost["buy"] - without["buy"] < boost  # only '情况' is


def test_langchain_adapter_returns_documents_with_citation_metadata(retriever):
    docs = retriever.as_langchain(k=2, report_ids=["r1"]).invoke("共有车辆几辆")
    assert isinstance(docs[0], Document)
    assert docs[0].page_content == CHUNKS[0].text
    assert docs[0].metadata == {
        "chunk_id": "cars", "report": "r1", "heading": "第三部分 › 十二、国有资产占用情况",
        "heading_path": ["第三部分", "十二、国有资产占用情况"], "page": 25, "pages": [25], "kind": "section",
        "score": pytest.approx(docs[0].metadata["score"]),
    }
    assert len(docs) == 2


# --- the sample report, real model and real Chroma ---------------------------------------------


def load_questions() -> list[tuple[str, tuple[str, ...]]]:
    items = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(i["question"], tuple(i["heading"]) if isinstance(i["heading"], list) else (i["heading"],)) for i in items]


def answer_rank(passages: list[Passage], expected: tuple[str, ...]) -> int | None:
    for rank, passage in enumerate(passages, start=1):
        if any(compact(e) in compact(passage.heading) for e in expected):
            return rank
    return None


def test_question_file_has_twenty_narrative_questions():
    questions = load_questions()
    assert len(questions) >= 20 and len({q for q, _ in questions}) == len(questions)


@pytest.mark.integration
def test_reingesting_keeps_the_chunk_count_and_embeds_nothing(qifu_indexed, qifu_pdf):
    from index.indexing import _embedder, _store, embedding_cache_path
    from index.embeddings import model_id

    settings, first, second = qifu_indexed
    assert first.chunks == second.chunks > 50
    cached = settings.chroma_server != ""  # the server run starts from the session's embedding cache
    assert (first.embedded == 0) if cached else (first.embedded > first.chunks)
    assert second.embedded == 0
    assert second.removed == 0
    store = _store(settings, model_id(_embedder(settings.embedder, embedding_cache_path(settings))))
    assert store.count(qifu_pdf.report_id) == store.count() == first.chunks


@pytest.mark.integration
def test_recall_on_the_sample_questions(qifu_indexed, qifu_pdf):
    from index.indexing import open_retriever

    settings, _, _ = qifu_indexed
    retriever = open_retriever(settings=settings, report_ids=[qifu_pdf.report_id])
    ranks = [answer_rank(retriever.retrieve(q, k=3), expected) for q, expected in load_questions()]
    n = len(ranks)
    assert sum(r == 1 for r in ranks) / n >= 0.9, ranks
    assert all(r is not None for r in ranks), ranks


@pytest.mark.integration
def test_open_retriever_is_cached_until_the_index_changes(qifu_indexed, qifu_pdf):
    from index.indexing import index_report, open_retriever

    settings, _, _ = qifu_indexed
    retriever = open_retriever(settings=settings)
    assert open_retriever(settings=settings) is retriever
    index_report(qifu_pdf, settings=settings)
    assert open_retriever(settings=settings) is not retriever


@pytest.mark.integration
def test_reindexing_a_changed_report_removes_its_stale_chunks(small_report, settings):
    from index.indexing import index_report, open_retriever, remove_report

    first = index_report(small_report, settings=settings)
    shorter = replace(small_report, sections=small_report.sections[:3])
    second = index_report(shorter, settings=settings)
    assert second.removed > 0 and second.chunks < first.chunks and second.embedded == 0
    assert len(open_retriever(settings=settings).chunks) == second.chunks
    assert remove_report("r1", settings=settings) == second.chunks
    assert open_retriever(settings=settings).retrieve("车辆") == []


def test_indexing_reports_progress(small_report, settings, monkeypatch, fake_embedder):
    import index.indexing as indexing

    monkeypatch.setattr(indexing, "_model", lambda spec, device="auto": fake_embedder)
    indexing._embedder.cache_clear()
    shares: list[float] = []
    indexing.index_report(small_report, settings=settings, progress=shares.append)
    indexing._embedder.cache_clear()
    assert shares and shares == sorted(shares) and shares[-1] == 1.0
