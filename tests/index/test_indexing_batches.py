"""Indexing several reports in one pass: a text shared by reports is embedded once; tables are found by
their words alone; the embedding device is chosen automatically or by a setting."""

from __future__ import annotations

from dataclasses import replace

import pytest

import index.indexing as indexing
from index.chunks import build_chunks, passage_text, sentence_texts, vector_text
from index.model import Chunk
from index.embeddings import make_embedder, model_id, resolve_device
from tests.index.conftest import FakeEmbeddings


def _copy(report, report_id: str, department: str):
    return replace(
        report,
        report_id=report_id,
        identity=replace(report.identity, department=department),
        sections=[replace(s, report_id=report_id) for s in report.sections],
        tables=[replace(t, report_id=report_id) for t in report.tables],
    )


def _renamed(report, report_id: str, department: str):
    """The report of another department: its name replaced wherever the text prints it."""
    old = report.identity.department
    copy = _copy(report, report_id, department)
    sections = [
        replace(s, text=f"{old}严格执行预算管理制度，加强内部控制。\n{s.text}".replace(old, department),
                heading_path=tuple(h.replace(old, department) for h in s.heading_path))
        for s in copy.sections
    ]
    return replace(copy, sections=sections)


def test_texts_shared_by_reports_are_embedded_once(small_report, settings, monkeypatch):
    fake = FakeEmbeddings()
    monkeypatch.setattr(indexing, "_model", lambda spec, device="auto": fake)
    indexing._embedder.cache_clear()
    # Two departments printing the same template: their own names differ, nothing else.
    first, second = _renamed(small_report, "ra", "甲区甲中心"), _renamed(small_report, "rb", "乙区乙中心")
    assert any("甲区甲中心" in s.text for s in first.sections)
    a, b = indexing.index_reports([first, second], settings=settings)
    texts = a.embedded + a.reused
    assert a.embedded == texts and a.reused == 0
    assert b.embedded == 0 and b.reused == texts  # the same passages: nothing embedded again
    assert fake.calls == texts
    (again,) = indexing.index_reports([_renamed(small_report, "rc", "丙区丙中心")], settings=settings)
    assert again.embedded == 0 and fake.calls == texts  # and the cache serves a later run
    retriever = indexing.open_retriever(settings=settings, report_ids=["rb"])
    assert {p.report_id for p in retriever.retrieve("一般公共服务支出", k=3)} == {"rb"}
    indexing._embedder.cache_clear()


def test_a_passage_of_several_sentences_without_a_heading_is_stored_at_the_mean_of_its_sentences(
    small_report, settings, monkeypatch
):
    import numpy as np

    fake = FakeEmbeddings()
    monkeypatch.setattr(indexing, "_model", lambda spec, device="auto": fake)
    indexing._embedder.cache_clear()
    several = next(c for c in build_chunks(small_report) if len(sentence_texts(c)) >= 2)
    untitled = replace(
        small_report,
        sections=[replace(s, heading_path=()) if s.text in several.text else s for s in small_report.sections],
    )
    chunk = next(c for c in build_chunks(untitled) if c.text == several.text)
    assert vector_text(chunk) is None
    indexing.index_reports([untitled], settings=settings)
    got = indexing._store(settings, fake.model_id).collection.get(ids=[chunk.id], include=["embeddings"])["embeddings"][0]
    expected = np.mean([fake.embed_query(t) for t in sentence_texts(chunk)], axis=0)
    assert np.allclose(got, expected / np.linalg.norm(expected), atol=1e-5)
    indexing._embedder.cache_clear()


def test_a_table_has_no_vector_but_is_found_by_its_words(small_report, settings, monkeypatch):
    fake = FakeEmbeddings()
    monkeypatch.setattr(indexing, "_model", lambda spec, device="auto": fake)
    indexing._embedder.cache_clear()
    table = next(c for c in build_chunks(small_report) if c.kind == "table" and "行：" in c.text)
    assert vector_text(table) is None and "行：" in passage_text(table)  # the lexical index sees its labels
    indexing.index_reports([small_report], settings=settings)
    store = indexing._store(settings, fake.model_id)
    assert table.id in {c.id for c in store.chunks([small_report.report_id])}
    # asked with the very words its vector would have had, the dense search still never returns it
    assert table.id not in {h.chunk_id for h in store.query(fake.embed_query(table.text), k=500)}
    retriever = indexing.open_retriever(settings=settings, report_ids=[small_report.report_id])
    title = table.heading_path[0]
    assert table.id in {p.chunk_id for p in retriever.retrieve(title, k=5, mode="bm25")}
    assert table.id in {p.chunk_id for p in retriever.retrieve(title, k=5)}
    indexing._embedder.cache_clear()


def test_what_a_passage_embeds(small_report):
    single = next(c for c in build_chunks(small_report) if c.kind == "section" and len(sentence_texts(c)) < 2)
    assert vector_text(single, department="××中心") == passage_text(single, department="××中心")
    text = (
        "2023年度本中心收入合计812.34万元，比上年增加12.5万元，增长1.6%，主要原因是人员增加。"
        "支出合计809.12万元，其中基本支出612.20万元，占75.7%，项目支出196.92万元，占24.3%。"
        "年末结转和结余3.22万元，主要是项目尚未完成，资金结转下年继续使用，按规定管理。"
    )
    several = Chunk("c1", "r1", ("第三部分××中心 2023 年度部门决算情况说明", "一、收入支出决算总体情况说明"), text, (5,))
    assert len(sentence_texts(several)) == 3
    # each sentence has its own vector: the passage's own is its heading, or the mean of its sentences' without one
    assert vector_text(several, department="××中心") == "部门决算情况说明 › 一、收入支出决算总体情况说明"
    assert vector_text(replace(several, heading_path=()), department="××中心") is None


def test_device_is_chosen_automatically_and_can_be_set(monkeypatch):
    torch = pytest.importorskip("torch")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert resolve_device("auto") == "cpu"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert resolve_device("auto") == "cuda"
    assert resolve_device("") == "cuda"
    assert resolve_device("cpu") == "cpu"  # the setting wins over the GPU
    assert resolve_device("CUDA:1") == "cuda:1"


def test_device_setting_is_read_from_the_environment(monkeypatch):
    from assistant.settings import load_settings

    monkeypatch.delenv("JUESUAN_DEVICE", raising=False)
    assert load_settings().device == "auto"
    monkeypatch.setenv("JUESUAN_DEVICE", "cpu")
    assert load_settings().device == "cpu"


def test_hash_stand_in_is_deterministic_and_named():
    embedder = make_embedder("hash")
    assert model_id(embedder) == "hash-bigrams-384"
    assert embedder.embed_documents(["基本支出"]) == [embedder.embed_query("基本支出")]
    assert len(embedder.embed_query("项目支出")) == 384
