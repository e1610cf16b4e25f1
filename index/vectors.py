"""Chunk vectors in Chroma (embedded or server), keyed by chunk id; we always supply the vectors."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.model import Chunk

_BATCH = 1000
SENTENCE = "sentence"  # kind of the extra records holding one sentence's vector
DENSE = "dense"  # metadata: False for a record whose vector is a stand-in, never a query's hit


@dataclass(frozen=True)
class Hit:
    """One nearest chunk and its cosine distance to the query."""

    chunk_id: str
    distance: float


class ChromaStore:
    """One Chroma collection of chunks; it never embeds anything itself."""

    def __init__(self, client, *, collection: str) -> None:
        self.client = client
        self.name = collection
        # embedding_function=None: Chroma must not load its default (downloaded) model.
        self.collection = client.get_or_create_collection(
            collection,
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine"}},
        )

    def upsert(
        self,
        chunks: Sequence[Chunk],
        vectors: Sequence[Sequence[float]],
        *,
        sentences: Mapping[str, Sequence[Sequence[float]]] | None = None,
    ) -> None:
        """Insert or replace chunks (with their vectors) by chunk id, and the vectors of their
        sentences (chunk id → one vector per sentence) as extra records that point to the chunk.

        A chunk whose vector is None (a table: found by its words, answered from its facts) is stored
        for the lexical index with a stand-in vector that `query` never returns."""
        if len(chunks) != len(vectors):
            raise ValueError(f"{len(chunks)} chunks but {len(vectors)} vectors")
        dimension = next((len(v) for v in vectors if v is not None), 0)
        if not dimension and any(v is None for v in vectors):
            raise ValueError("no chunk has a vector to take the dimension from")
        for start in range(0, len(chunks), _BATCH):
            batch = chunks[start : start + _BATCH]
            batch_vectors = vectors[start : start + _BATCH]
            self.collection.upsert(
                ids=[c.id for c in batch],
                embeddings=[list(v) if v is not None else _stand_in(c.id, dimension) for c, v in zip(batch, batch_vectors)],
                documents=[c.text for c in batch],
                metadatas=[{**_metadata(c, start + i), DENSE: v is not None} for i, (c, v) in enumerate(zip(batch, batch_vectors))],
            )
        by_id = {c.id: c for c in chunks}
        records = [
            (sentence_id(cid, i), vector, {"report": by_id[cid].report_id, "chunk": cid, "kind": SENTENCE, DENSE: True})
            for cid, sentence_vectors in (sentences or {}).items()
            for i, vector in enumerate(sentence_vectors)
        ]
        for start in range(0, len(records), _BATCH):
            batch = records[start : start + _BATCH]
            self.collection.upsert(
                ids=[r[0] for r in batch],
                embeddings=[list(r[1]) for r in batch],
                metadatas=[r[2] for r in batch],
            )

    def ids(self, report_id: str) -> set[str]:
        """Ids of every record stored for a report (its chunks and their sentences)."""
        return set(self.collection.get(where={"report": report_id}, include=[])["ids"])

    def delete(self, ids: Sequence[str]) -> None:
        """Remove chunks by id."""
        for start in range(0, len(ids), _BATCH):
            self.collection.delete(ids=list(ids[start : start + _BATCH]))

    def delete_report(self, report_id: str) -> int:
        """Remove every chunk (and sentence record) of a report; returns how many chunks there were."""
        chunks = self.count(report_id)
        self.delete(sorted(self.ids(report_id)))
        return chunks

    def count(self, report_id: str | None = None) -> int:
        """Number of chunks (not counting sentence records), for one report or in all."""
        where = _and({"kind": {"$ne": SENTENCE}}, _where([report_id] if report_id is not None else None))
        return len(self.collection.get(where=where, include=[])["ids"])

    def report_ids(self) -> list[str]:
        """The reports that have chunks here."""
        metas = self.collection.get(include=["metadatas"])["metadatas"] or []
        return sorted({m["report"] for m in metas})

    def chunks(self, report_ids: Sequence[str] | None = None) -> list[Chunk]:
        """The stored chunks (of the given reports), in document order."""
        if report_ids is not None and not report_ids:
            return []
        where = _and({"kind": {"$ne": SENTENCE}}, _where(report_ids))
        got = self.collection.get(where=where, include=["documents", "metadatas"])
        rows = sorted(
            zip(got["ids"], got["documents"] or [], got["metadatas"] or []),
            key=lambda r: (r[2]["report"], r[2]["order"]),
        )
        return [
            Chunk(
                id=chunk_id,
                report_id=meta["report"],
                heading_path=tuple(json.loads(meta["heading_path"])),
                text=text,
                pages=tuple(json.loads(meta["pages"])),
                kind=meta["kind"],
            )
            for chunk_id, text, meta in rows
        ]

    def query(self, vector: Sequence[float], *, k: int, report_ids: Sequence[str] | None = None) -> list[Hit]:
        """The chunks among the k nearest records (of the given reports), nearest first; a chunk
        is as near as the nearer of itself and its nearest sentence."""
        if k <= 0 or (report_ids is not None and not report_ids):
            return []
        got = self.collection.query(
            query_embeddings=[list(vector)],
            n_results=k,
            where=_and({DENSE: True}, _where(report_ids)),
            include=["distances", "metadatas"],
        )
        hits: dict[str, float] = {}
        for record_id, distance, meta in zip(got["ids"][0], got["distances"][0], got["metadatas"][0]):
            hits.setdefault(meta.get("chunk", record_id), float(distance))
        return [Hit(cid, d) for cid, d in hits.items()]


def open_store(*, collection: str, path: Path | None = None, server: str = "") -> ChromaStore:
    """A store on a Chroma server ('host:port') if given, else embedded and persisted under path."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    if server:
        host, _, port = server.rpartition(":")
        if not host or not port.isdigit():
            raise ValueError(f"Chroma 服务地址应为 host:port，而不是 {server!r}")
        client = chromadb.HttpClient(host=host, port=int(port), settings=settings)
    else:
        if path is None:
            raise ValueError("嵌入式 Chroma 需要一个数据目录（path）")
        path.mkdir(parents=True, exist_ok=True)
        client = chromadb.PersistentClient(path=str(path), settings=settings)
    return ChromaStore(client, collection=collection)


def collection_name(model_id: str) -> str:
    """An ASCII collection name for one embedding model (vectors of different models never mix)."""
    slug = re.sub(r"[^a-z0-9]+", "-", model_id.lower()).strip("-")[-40:].strip("-")
    digest = hashlib.sha1(model_id.encode()).hexdigest()[:8]
    return f"chunks-{slug}-{digest}" if slug else f"chunks-{digest}"


def sentence_id(chunk_id: str, index: int) -> str:
    """The record id of a chunk's index-th sentence vector."""
    return f"{chunk_id}:{index}"


def _stand_in(record_id: str, dimension: int) -> list[float]:
    """A unit vector drawn from the record's id: distinct records never share one (the index keeps them
    apart), and it is as far from any text's vector as chance allows."""
    seed = int.from_bytes(hashlib.blake2b(record_id.encode("utf-8"), digest_size=8).digest(), "little")
    vector = np.random.default_rng(seed).standard_normal(dimension)
    return (vector / np.linalg.norm(vector)).tolist()


def _metadata(chunk: Chunk, order: int) -> dict:
    meta = {
        "report": chunk.report_id,
        "chunk": chunk.id,
        "heading": chunk.heading,
        "heading_path": json.dumps(chunk.heading_path, ensure_ascii=False),
        "pages": json.dumps(chunk.pages),
        "kind": chunk.kind,
        "order": order,
    }
    if chunk.pages:
        meta["page"] = chunk.pages[0]
    return meta


def _and(*clauses: dict | None) -> dict | None:
    present = [c for c in clauses if c]
    if not present:
        return None
    return present[0] if len(present) == 1 else {"$and": present}


def _where(report_ids: Sequence[str] | None) -> dict | None:
    if report_ids is None:
        return None
    ids = list(report_ids)
    if len(ids) == 1:
        return {"report": ids[0]}
    return {"report": {"$in": ids}}


@contextmanager
def local_server(path: Path, *, timeout: float = 60.0) -> Iterator[str]:
    """A `chroma run` server on a free 127.0.0.1 port for the length of the block; yields "host:port"."""
    import shutil
    import socket
    import subprocess
    import sys
    import time

    chroma = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [chroma, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("chroma run did not start") from None
                time.sleep(0.2)
        yield f"127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
