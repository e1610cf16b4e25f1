"""Put a parsed report into the retrieval stores, and open a retriever over what is stored."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from langchain_core.embeddings import Embeddings

from index.settings import Settings
from index.bm25 import Bm25Index, build_lexicon
from index.chunks import build_chunks, passage_text, sentence_texts
from index.embeddings import CachedEmbeddings, EmbeddingCache, make_embedder, model_id
from index.model import ParsedReport
from index.retrieval import HybridRetriever
from index.vectors import ChromaStore, collection_name, open_store, sentence_id

_lock = threading.Lock()
_generation = 0  # bumped whenever stored chunks change, so cached retrievers are rebuilt
_retrievers: dict[tuple, tuple[tuple[int, int], HybridRetriever]] = {}


@dataclass(frozen=True)
class IndexStats:
    """What indexing one report did."""

    report_id: str
    chunks: int
    embedded: int  # texts actually run through the model (the rest came from the cache)
    removed: int  # stale records (chunks, sentences) of an earlier version of the report
    seconds: float


EMBED_BATCH = 16


def index_report(report: ParsedReport, *, settings: Settings, progress=None) -> IndexStats:
    """Chunk, embed (cached) and upsert a report; drop its chunks that no longer exist.

    progress, if given, is called with the share of texts embedded so far (0..1).
    """
    global _generation
    start = time.perf_counter()
    chunks = build_chunks(report)
    sentences = {c.id: sentence_texts(c) for c in chunks}
    texts = [passage_text(c, department=report.identity.department) for c in chunks]
    texts += [text for c in chunks for text in sentences[c.id]]
    embedder = _embedder(settings.embedder, embedding_cache_path(settings))
    misses = embedder.cache.misses
    vectors: list[list[float]] = []
    for i in range(0, len(texts), EMBED_BATCH):
        vectors.extend(embedder.embed_documents(texts[i : i + EMBED_BATCH]))
        if progress:
            progress(len(vectors) / len(texts))
    rest = iter(vectors[len(chunks) :])
    sentence_vectors = {c.id: [next(rest) for _ in sentences[c.id]] for c in chunks}
    fresh = {c.id for c in chunks} | {sentence_id(c.id, i) for c in chunks for i in range(len(sentences[c.id]))}
    store = _store(settings, model_id(embedder))
    with _lock:
        stale = sorted(store.ids(report.report_id) - fresh)
        store.delete(stale)
        store.upsert(chunks, vectors[: len(chunks)], sentences=sentence_vectors)
        _save_lexicon(settings, report.report_id, build_lexicon(report))
        _generation += 1
    return IndexStats(
        report_id=report.report_id,
        chunks=len(chunks),
        embedded=embedder.cache.misses - misses,
        removed=len(stale),
        seconds=time.perf_counter() - start,
    )


def remove_report(report_id: str, *, settings: Settings) -> int:
    """Delete a report's chunks and lexicon; returns how many chunks there were."""
    global _generation
    embedder = _embedder(settings.embedder, embedding_cache_path(settings))
    store = _store(settings, model_id(embedder))
    with _lock:
        removed = store.delete_report(report_id)
        _lexicon_path(settings, report_id).unlink(missing_ok=True)
        _generation += 1
    return removed


def open_retriever(*, settings: Settings, report_ids: Sequence[str] | None = None) -> HybridRetriever:
    """A retriever over the stored chunks of the given reports (default: all), cached while unchanged."""
    embedder = _embedder(settings.embedder, embedding_cache_path(settings))
    store = _store(settings, model_id(embedder))
    wanted = tuple(sorted(set(report_ids))) if report_ids is not None else None
    key = (settings.chroma_server or str(settings.chroma_dir), store.name, wanted)
    # The chunk count notices a report indexed by another process (the CLI while the UI runs).
    state = (_generation, sum(store.count(r) for r in wanted) if wanted is not None else store.count())
    with _lock:
        cached = _retrievers.get(key)
        if cached and cached[0] == state:
            return cached[1]
    chunks = store.chunks(wanted)
    lexicon = sorted({w for rid in {c.report_id for c in chunks} for w in _load_lexicon(settings, rid)})
    retriever = HybridRetriever(chunks=chunks, store=store, embedder=embedder, bm25=Bm25Index(chunks, lexicon=lexicon))
    with _lock:
        _retrievers[key] = (state, retriever)
    return retriever


def embedding_cache_path(settings: Settings) -> Path:
    """Where embeddings are cached for this data directory."""
    return settings.data_dir / "embeddings.sqlite3"


@lru_cache(maxsize=4)
def _embedder(spec: str, cache_path: Path) -> CachedEmbeddings:
    """The model behind its cache, one per spec and data directory."""
    return CachedEmbeddings(_model(spec), cache=EmbeddingCache(cache_path))


@lru_cache(maxsize=2)
def _model(spec: str) -> Embeddings:
    """One loaded model per process and spec: loading a sentence-transformers model takes seconds."""
    return make_embedder(spec)


def _store(settings: Settings, model: str) -> ChromaStore:
    return _open_store(collection_name(model), settings.chroma_dir, settings.chroma_server)


@lru_cache(maxsize=4)
def _open_store(collection: str, path: Path, server: str) -> ChromaStore:
    return open_store(collection=collection, path=path, server=server)


def _lexicon_path(settings: Settings, report_id: str) -> Path:
    name = hashlib.sha1(report_id.encode()).hexdigest()[:16]
    return settings.data_dir / "lexicons" / f"{name}.txt"


def _save_lexicon(settings: Settings, report_id: str, words: Sequence[str]) -> None:
    path = _lexicon_path(settings, report_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(words) + "\n", encoding="utf-8")


def _load_lexicon(settings: Settings, report_id: str) -> list[str]:
    path = _lexicon_path(settings, report_id)
    if not path.exists():
        return []
    return [w for w in path.read_text(encoding="utf-8").splitlines() if w]
