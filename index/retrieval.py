"""Find the passages that answer a question: BM25 and dense rankings fused, headings boosted."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from index.bm25 import Bm25Index
from index.model import Chunk, Located
from index.normalize import compact
from index.vectors import ChromaStore

Mode = Literal["hybrid", "bm25", "dense"]

# A question asking what a term means; every 部门决算 has a 名词解释 part that answers those.
_DEFINITION = re.compile(r"什么是|是什么|是指|指什么|什么意思|含义|定义|概念|解释")

RRF_K = 10  # sharper than the usual 60: a report has only about a hundred chunks
HEADING_BOOST = 0.5 / RRF_K  # a question fully named by a heading gains half a first place
GLOSSARY_WEIGHT = 0.5  # a 名词解释 entry's score is scaled by this unless the question asks for a definition
TABLE_WEIGHT = 0.8  # a table's description yields to a passage that says as much in words
DENSE_DEPTH = 200  # nearest vector records per question (a report has about 100 chunks, 150 sentences)


@dataclass(frozen=True)
class Passage(Located):
    """A retrieved chunk with its fused score and where it sits in the report."""

    chunk_id: str
    report_id: str
    score: float
    heading_path: tuple[str, ...]
    pages: tuple[int, ...]
    text: str
    kind: str


class HybridRetriever:
    """Ranks one or more reports' chunks for a question (BM25 + Chroma vectors + heading match)."""

    def __init__(
        self,
        *,
        chunks: Sequence[Chunk],
        store: ChromaStore,
        embedder: Embeddings,
        bm25: Bm25Index | None = None,
    ) -> None:
        self.chunks = {c.id: c for c in chunks}
        self.report_ids = tuple(sorted({c.report_id for c in chunks}))
        self.store = store
        self.embedder = embedder
        self.bm25 = bm25 if bm25 is not None else Bm25Index(chunks)
        # Headings without their 第X部分 part title, which every passage of that part shares.
        self._headings = {c.id: compact(" ".join(c.heading_path[1:] or c.heading_path)).lower() for c in chunks}
        self._glossary = {c.id for c in chunks if any("名词解释" in h for h in c.heading_path)}

    def retrieve(
        self,
        question: str,
        *,
        k: int = 5,
        report_ids: Sequence[str] | None = None,
        kinds: Sequence[str] | None = None,
        mode: Mode = "hybrid",
    ) -> list[Passage]:
        """The k best passages of the given reports (default: all this retriever holds)."""
        wanted = tuple(report_ids) if report_ids is not None else self.report_ids
        allowed = {
            cid
            for cid, c in self.chunks.items()
            if c.report_id in wanted and (kinds is None or c.kind in kinds)
        }
        if not allowed or not question.strip():
            return []
        scores: dict[str, float] = {}
        if mode in ("hybrid", "bm25"):
            # The keyword vote counts as much as the question's words are found in the report at all.
            weight = self.bm25.known_share(question) if mode == "hybrid" else 1.0
            for rank, (cid, _) in enumerate(self.bm25.rank(question, allowed=allowed)):
                scores[cid] = scores.get(cid, 0.0) + weight / (RRF_K + rank + 1)
        if mode in ("hybrid", "dense"):
            vector = self.embedder.embed_query(question)
            hits = self.store.query(vector, k=DENSE_DEPTH, report_ids=list(wanted))
            dense = [h.chunk_id for h in hits if h.chunk_id in allowed]
            for rank, cid in enumerate(dense):
                scores[cid] = scores.get(cid, 0.0) + 1.0 / (RRF_K + rank + 1)
        if mode == "hybrid":
            for cid, boost in self._heading_boosts(question, allowed).items():
                if cid in scores:
                    scores[cid] += boost
            if not _DEFINITION.search(question):
                for cid in self._glossary & scores.keys():
                    scores[cid] *= GLOSSARY_WEIGHT
            for cid in scores:
                if self.chunks[cid].kind == "table":
                    scores[cid] *= TABLE_WEIGHT
        best = sorted(scores.items(), key=lambda s: (-s[1], s[0]))[:k]
        return [self._passage(cid, score) for cid, score in best]

    def as_langchain(self, *, k: int = 5, report_ids: Sequence[str] | None = None) -> ReportRetriever:
        """This retriever as a LangChain BaseRetriever returning Documents."""
        return ReportRetriever(retriever=self, k=k, report_ids=tuple(report_ids) if report_ids is not None else None)

    def _heading_boosts(self, question: str, allowed: set[str]) -> dict[str, float]:
        """Share of the question's (rarity-weighted) terms found in each chunk's heading path."""
        terms = set(self.bm25.query_terms(question))
        if not terms:
            return {}
        headings = {cid: self._headings[cid] for cid in allowed}
        n = len(headings)
        weights = {}
        for term in terms:
            df = sum(term in h for h in headings.values())
            weights[term] = math.log((n + 1) / (df + 0.5))
        total = sum(w for w in weights.values() if w > 0)
        if total <= 0:
            return {}
        boosts = {}
        for cid, heading in headings.items():
            matched = sum(w for t, w in weights.items() if w > 0 and t in heading)
            if matched:
                boosts[cid] = HEADING_BOOST * matched / total
        return boosts

    def _passage(self, cid: str, score: float) -> Passage:
        c = self.chunks[cid]
        return Passage(
            chunk_id=cid,
            report_id=c.report_id,
            score=score,
            heading_path=c.heading_path,
            pages=c.pages,
            text=c.text,
            kind=c.kind,
        )


class ReportRetriever(BaseRetriever):
    """LangChain adapter: Documents carrying heading, page and report in their metadata."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: Any
    k: int = 5
    report_ids: tuple[str, ...] | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        passages = self.retriever.retrieve(query, k=self.k, report_ids=self.report_ids)
        return [
            Document(
                id=p.chunk_id,
                page_content=p.text,
                metadata={
                    "chunk_id": p.chunk_id,
                    "report": p.report_id,
                    "heading": p.heading,
                    "heading_path": list(p.heading_path),
                    "page": p.page,
                    "pages": list(p.pages),
                    "kind": p.kind,
                    "score": p.score,
                },
            )
            for p in passages
        ]
