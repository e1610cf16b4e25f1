"""A naive RAG pipeline, built the way a typical LangChain tutorial does, to compare against.

PDF text page by page (pdfplumber) → RecursiveCharacterTextSplitter → the project's embedder →
an in-memory Chroma collection → top-k chunks. With no LLM to read them, the answer is the
first figure (with its unit) of the top chunk, or its first sentence, cited as "第N页".
It has the same ingest / new_conversation / ask methods as `assistant.service.Assistant`.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.errors import ReportError, UnknownReport
from assistant.model import Answer, Citation, Route
from assistant.settings import Settings
from index.normalize import normalize

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

for _name in ("pdfminer", "pdfplumber"):
    logging.getLogger(_name).setLevel(logging.ERROR)

# Words that make a question ask for a figure rather than an explanation.
_ASKS_FOR_NUMBER = re.compile(r"多少|几|比例|比重|占比|执行率|金额|合计|总额|总计")
_FIGURE = re.compile(
    r"(?<![\d.])(-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*"
    r"(亿元|万元|元|%|人|个|辆|条|家|台|项|名|次|年|月|日|表|栏|行)?"
)
# A figure followed by one of these is a date, a table number or a column index, not an answer.
_NOT_AN_AMOUNT = {"年", "月", "日", "表", "栏", "行"}
# Unitless integers that are 科目编码 (201, 20103, 2010350; 301, 30101) or 行次/栏次 (1–9).
_CODE_OR_INDEX = re.compile(r"[23]\d{2}(?:\d{2}){0,2}|\d")
_PAGE_UNIT = re.compile(r"单位\s*[:：]\s*(亿元|万元|元)")
_SENTENCE_END = re.compile(r"(?<=[。！？；])|\n")


@dataclass(frozen=True)
class BaselineReport:
    """What ingesting a report gives: its id and how many pages and chunks it became."""

    report_id: str
    path: Path
    pages: int
    chunks: int
    collection: str


@dataclass
class BaselineConversation:
    """Follow-up state; the naive pipeline keeps none and answers every turn on its own."""

    turns: list[str] = field(default_factory=list)


class Baseline:
    """Naive RAG: fixed-size chunks, vector top-k, first figure or sentence of the best chunk."""

    def __init__(
        self,
        *,
        settings: Settings | None = None,
        embeddings: Embeddings | None = None,
        chunk_size: int = 300,
        chunk_overlap: int = 50,
        top_k: int = 4,
    ):
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        if embeddings is None:
            from index.embeddings import make_embedder

            if settings is None:
                from assistant.settings import load_settings

                settings = load_settings()
            cache = settings.data_dir / "eval" / "baseline-embeddings.sqlite3"
            embeddings = make_embedder(settings.embedder, cache_path=cache)
        self._embeddings = embeddings
        self._chunk_size = chunk_size
        self._chunk_overlap = chunk_overlap
        self._top_k = top_k
        self._client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
        self._reports: dict[str, BaselineReport] = {}
        self._page_units: dict[str, dict[int | None, str]] = {}

    def ingest(self, path: str | Path) -> BaselineReport:
        """Split the report into chunks and embed them; a second call for the same file is free."""
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        path = Path(path).resolve()
        report_id = path.stem
        if report_id in self._reports and self._reports[report_id].path == path:
            return self._reports[report_id]
        pages = _read_pages(path)
        splitter = RecursiveCharacterTextSplitter(
            chunk_size=self._chunk_size,
            chunk_overlap=self._chunk_overlap,
            separators=["\n\n", "\n", "。", "；", "，", " ", ""],
            keep_separator="end",
        )
        ids, texts, metadatas = [], [], []
        for page, text in pages:
            for position, chunk in enumerate(splitter.split_text(text)):
                ids.append(f"{report_id}:{page}:{position}")
                texts.append(chunk)
                metadatas.append({"page": page if page is not None else 0})
        # Chroma collection names allow only ASCII; report ids are often Chinese file names.
        name = "baseline-" + hashlib.sha1(str(path).encode()).hexdigest()[:16]
        if name in {c.name for c in self._client.list_collections()}:
            self._client.delete_collection(name)
        # embedding_function=None: embeddings are passed in, Chroma's default model never loads.
        collection = self._client.create_collection(
            name, embedding_function=None, metadata={"hnsw:space": "cosine"}
        )
        if texts:
            collection.add(
                ids=ids,
                documents=texts,
                embeddings=self._embeddings.embed_documents(texts),
                metadatas=metadatas,
            )
        summary = BaselineReport(report_id, path, len(pages), len(texts), name)
        self._reports[report_id] = summary
        self._page_units[report_id] = {page: _declared_unit(text) for page, text in pages}
        return summary

    def new_conversation(self) -> BaselineConversation:
        """A fresh conversation (ignored when answering: naive RAG has no follow-up state)."""
        return BaselineConversation()

    def ask(
        self, question: str, *, report: str, conversation: BaselineConversation | None = None
    ) -> Answer:
        """Answer from the top retrieved chunk alone."""
        started = time.perf_counter()
        summary = self._reports.get(report)
        if summary is None:
            known = "、".join(self._reports) or "（无）"
            raise UnknownReport(f"基线尚未导入报告 {report}；已导入：{known}")
        if conversation is not None:
            conversation.turns.append(question)
        collection = self._client.get_collection(summary.collection, embedding_function=None)
        if not summary.chunks:
            return _timed(Answer(kind="not_found", text="报告中没有可检索的文字。",
                                 route=Route("not_found", "基线：报告没有文字"), report_id=report), started)
        result = collection.query(
            query_embeddings=[self._embeddings.embed_query(question)],
            n_results=min(self._top_k, summary.chunks),
        )
        chunk = result["documents"][0][0]
        page = int(result["metadatas"][0][0]["page"]) or None
        citation = Citation(label=f"第{page}页" if page else "全文", page=page, quote=chunk[:120])
        if _ASKS_FOR_NUMBER.search(question):
            figure = _first_figure(chunk)
            if figure is not None:
                value, unit, sentence = figure
                unit = unit or self._page_units[report].get(page, "")
                return _timed(Answer(
                    kind="number",
                    text=f"{_format(value)}{unit}。（{sentence}）",
                    route=Route("lookup", f"基线：第{page}页片段中的第一个数字"),
                    value=value,
                    unit=unit,
                    citations=(citation,),
                    report_id=report,
                ), started)
        return _timed(Answer(
            kind="text",
            text=_first_sentence(chunk),
            route=Route("narrative", f"基线：第{page}页片段的第一句"),
            citations=(citation,),
            report_id=report,
        ), started)


def _read_pages(path: Path) -> list[tuple[int | None, str]]:
    """(page number, text) for a PDF; a plain-text export has no pages and is one page None."""
    if path.suffix.lower() == ".txt":
        return [(None, normalize(path.read_text(encoding="utf-8", errors="replace")))]
    import pdfplumber

    try:
        with pdfplumber.open(str(path)) as pdf:
            # Normalized (NFKC): pdfplumber returns some characters as radicals (⽀ for 支),
            # which would handicap the baseline for a font quirk rather than for its design.
            return [(n, normalize(page.extract_text() or "")) for n, page in enumerate(pdf.pages, start=1)]
    except Exception as e:  # pdfminer raises many types for damaged or encrypted files
        raise ReportError(str(path), f"基线无法读取 PDF（{type(e).__name__}）") from e


def _declared_unit(page_text: str) -> str:
    match = _PAGE_UNIT.search(page_text)
    return match.group(1) if match else ""


def _first_figure(chunk: str) -> tuple[float, str, str] | None:
    """The first amount in the chunk: (value, unit or '', the line it stands in)."""
    for match in _FIGURE.finditer(chunk):
        unit = match.group(2) or ""
        if unit in _NOT_AN_AMOUNT or (not unit and _CODE_OR_INDEX.fullmatch(match.group(1))):
            continue
        line_start = chunk.rfind("\n", 0, match.start()) + 1
        line_end = chunk.find("\n", match.end())
        line = chunk[line_start : line_end if line_end != -1 else len(chunk)]
        return float(match.group(1).replace(",", "")), unit, line.strip()
    return None


def _first_sentence(chunk: str) -> str:
    for sentence in _SENTENCE_END.split(chunk):
        if sentence.strip():
            return sentence.strip()
    return chunk.strip()


def _format(value: float) -> str:
    return format(value, ".12g")


def _timed(answer: Answer, started: float) -> Answer:
    return replace(answer, latency_ms=(time.perf_counter() - started) * 1000)
