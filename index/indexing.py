"""Put a parsed report into the retrieval stores, and open a retriever over what is stored."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from index.settings import Settings
from index.bm25 import Bm25Index, build_lexicon
from index.chunks import build_chunks, mask_department, sentence_texts, vector_text
from index.embeddings import CachedEmbeddings, EmbeddingCache, make_embedder, model_id
from index.model import Chunk, ParsedReport
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
    embedded: int  # texts actually run through the model (the rest came from the cache or another report)
    removed: int  # stale records (chunks, sentences) of an earlier version of the report
    seconds: float
    reused: int = 0  # texts whose vectors were already known (identical text, this or another report)


@dataclass(frozen=True)
class _Plan:
    """One report's chunks and the texts their vectors come from."""

    report: ParsedReport
    chunks: list[Chunk]
    texts: list[str | None]  # one per chunk; None where the chunk's vector is the mean of its sentences' or it has none
    sentences: dict[str, list[str]]  # chunk id → its sentences' texts


EMBED_BATCH = 16


def index_report(report: ParsedReport, *, settings: Settings, progress=None) -> IndexStats:
    """Chunk, embed (cached) and upsert a report; drop its chunks that no longer exist.

    progress, if given, is called with the share of texts embedded so far (0..1).
    """
    return index_reports([report], settings=settings, progress=progress)[0]


def index_reports(reports: Sequence[ParsedReport], *, settings: Settings, progress=None) -> list[IndexStats]:
    """Index several reports with one embedding pass: a text shared by several of them (名词解释,
    template sentences) is embedded once, and every text already in the cache is not embedded at all.

    progress, if given, is called with the share of new texts embedded so far (0..1).
    """
    global _generation
    start = time.perf_counter()
    plans = [_plan(report) for report in reports]
    embedder = _embedder(settings.embedder, embedding_cache_path(settings), settings.device)
    wanted = list(
        dict.fromkeys(t for p in plans for t in (*p.texts, *(s for ss in p.sentences.values() for s in ss)) if t is not None)
    )
    vectors = embedder.cached(wanted)
    missing = sorted((t for t in wanted if t not in vectors), key=len)  # similar lengths batch well
    for i in range(0, len(missing), EMBED_BATCH):
        vectors.update(embedder.compute(missing[i : i + EMBED_BATCH]))
        if progress:
            progress(min(i + EMBED_BATCH, len(missing)) / len(missing))
    if progress and not missing:
        progress(1.0)
    store = _store(settings, model_id(embedder))
    seconds = (time.perf_counter() - start) / max(len(plans), 1)
    out = []
    new = set(missing)
    for plan in plans:
        rid = plan.report.report_id
        chunk_vectors = [_chunk_vector(vectors, t, plan.sentences[c.id]) for c, t in zip(plan.chunks, plan.texts)]
        sentence_vectors = {cid: [vectors[t] for t in texts] for cid, texts in plan.sentences.items() if texts}
        fresh = {c.id for c in plan.chunks} | {
            sentence_id(cid, i) for cid, texts in plan.sentences.items() for i in range(len(texts))
        }
        own = {t for t in plan.texts if t is not None} | {t for texts in plan.sentences.values() for t in texts}
        t0 = time.perf_counter()
        with _lock:
            stale = sorted(store.ids(rid) - fresh)
            store.delete(stale)
            store.upsert(plan.chunks, chunk_vectors, sentences=sentence_vectors)
            _save_lexicon(settings, rid, build_lexicon(plan.report))
            _generation += 1
        embedded = len(own & new)
        new -= own  # a text two reports share counts as embedded for the first, reused by the second
        out.append(
            IndexStats(
                report_id=rid,
                chunks=len(plan.chunks),
                embedded=embedded,
                removed=len(stale),
                seconds=seconds + time.perf_counter() - t0,
                reused=len(own) - embedded,
            )
        )
    return out


def _plan(report: ParsedReport) -> _Plan:
    chunks = build_chunks(report)
    department = report.identity.department
    return _Plan(
        report=report,
        chunks=chunks,
        texts=[vector_text(c, department=department) for c in chunks],
        sentences={c.id: [mask_department(t, department) for t in sentence_texts(c)] for c in chunks},
    )


def _chunk_vector(vectors: dict[str, list[float]], text: str | None, sentences: list[str]) -> list[float] | None:
    """A chunk's vector: its own text's, else the mean of its sentences', else none (a table)."""
    if text is not None:
        return vectors[text]
    return _mean([vectors[s] for s in sentences]) if sentences else None


def _mean(vectors: list[list[float]]) -> list[float]:
    """The unit-length mean of unit vectors: a passage's vector from its sentences'."""
    mean = np.mean(np.asarray(vectors, dtype=np.float32), axis=0)
    return (mean / (np.linalg.norm(mean) or 1.0)).tolist()


def warm_up(settings: Settings) -> None:
    """Load the embedding model, its cache and the vector store now (seconds, mostly imports), so that
    indexing does not wait for them: `ingest` does this while its files are parsed in other processes."""
    embedder = _embedder(settings.embedder, embedding_cache_path(settings), settings.device)
    _store(settings, model_id(embedder))


def remove_report(report_id: str, *, settings: Settings) -> int:
    """Delete a report's chunks and lexicon; returns how many chunks there were."""
    global _generation
    embedder = _embedder(settings.embedder, embedding_cache_path(settings), settings.device)
    store = _store(settings, model_id(embedder))
    with _lock:
        removed = store.delete_report(report_id)
        _lexicon_path(settings, report_id).unlink(missing_ok=True)
        _generation += 1
    return removed


def open_retriever(*, settings: Settings, report_ids: Sequence[str] | None = None) -> HybridRetriever:
    """A retriever over the stored chunks of the given reports (default: all), cached while unchanged."""
    embedder = _embedder(settings.embedder, embedding_cache_path(settings), settings.device)
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
def _embedder(spec: str, cache_path: Path, device: str = "auto") -> CachedEmbeddings:
    """The model behind its cache, one per spec and data directory."""
    return CachedEmbeddings(_model(spec, device), cache=EmbeddingCache(cache_path))


@lru_cache(maxsize=2)
def _model(spec: str, device: str = "auto") -> Embeddings:
    """One loaded model per process and spec: loading a sentence-transformers model takes seconds."""
    return make_embedder(spec, device=device)


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
