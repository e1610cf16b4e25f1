"""The assistant as one object: ingest reports, list them, and answer questions about them."""

from __future__ import annotations

import time
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.errors import ReportError, UnknownReport
from assistant.settings import Settings
from index.embedder_id import model_id_for
from index.ingest import PARSER_VERSION, file_hash
from index.model import CheckResult, ParsedReport
from index.store import FactStore, ReportRecord

if TYPE_CHECKING:  # the answering stack loads on the first question, not for an ingest
    from assistant.model import Answer
    from assistant.router import Answerer, Conversation


def __getattr__(name: str):
    if name == "Conversation":
        from assistant.router import Conversation

        return Conversation
    raise AttributeError(name)


@dataclass(frozen=True)
class IngestSummary:
    report_id: str
    department: str
    year: int | None
    path: str
    pages: int
    sections: int
    tables: int
    facts: int
    failed_checks: tuple[CheckResult, ...]
    checks: int
    warnings: tuple[str, ...]
    seconds: float
    chunks: int = 0
    embedded: int = 0
    rounding_notes: tuple[CheckResult, ...] = ()  # printed figures that differ only by rounding (not errors)
    reused: int = 0  # passage texts whose vectors were already known (from this or another report)
    unchanged: bool = False  # the file was ingested before: nothing was parsed or embedded


@dataclass(frozen=True)
class IngestFailure:
    """A file that could not be ingested, and why (in Chinese)."""

    path: str
    reason: str


class Assistant:
    def __init__(self, *, settings: Settings, index_passages: bool = True):
        self.settings = settings
        self.store = FactStore(settings.db_path)
        self.index_passages = index_passages
        self._answerers: dict[str, tuple[str, Answerer]] = {}
        self._lock = threading.Lock()

    # --- reports ---

    def ingest(self, path: str | Path, *, progress=None) -> IngestSummary:
        """Parse, check, store and index one report; re-ingesting replaces the earlier copy."""
        started = time.perf_counter()
        unchanged = self._unchanged(path)
        if unchanged is not None:
            if progress:
                progress(1.0, "完成（报告未变化，沿用已导入的结果）")
            return replace(unchanged, seconds=time.perf_counter() - started)
        if progress:
            progress(0.05, "解析 PDF / 文本")
        report = self._parse(path)
        if progress:
            progress(0.5, "保存表格与数字")
        step = (lambda share: progress(0.6 + 0.38 * share, "建立检索索引（向量化段落）")) if progress else None
        (summary,) = self._store_and_index([report], step, started=started)
        if progress:
            progress(1.0, "完成")
        return summary

    def ingest_many(self, paths: Iterable[str | Path], *, workers: int | None = None) -> Iterator[IngestSummary | IngestFailure]:
        """Ingest many files: unchanged ones are skipped, the others parsed in a pool of processes (one
        per core) and embedded in batches across reports. Yields each file's outcome as it finishes; a
        file that fails yields an IngestFailure and the rest go on.

        Every report is stored, indexed and then marked indexed, in that order: after an interrupt
        (Ctrl-C, a killed process) the next run redoes the one report that was not marked, and skips
        the others, so the store ends as an uninterrupted run would leave it.
        """
        from index.ingest import ParseFailure, parse_many

        todo: list[Path] = []
        for path in paths:
            started = time.perf_counter()
            unchanged = self._unchanged(path)
            if unchanged is not None:
                yield replace(unchanged, seconds=time.perf_counter() - started, unchanged=True)
            else:
                todo.append(Path(path))
        meanwhile = self._warm_up if self.index_passages else None
        for batch in parse_many(todo, workers=workers, meanwhile=meanwhile):
            started = time.perf_counter()
            reports = [r for r in batch if not isinstance(r, ParseFailure)]
            for failure in batch:
                if isinstance(failure, ParseFailure):
                    yield IngestFailure(failure.path, failure.reason)
            if not reports:
                continue
            try:
                summaries = self._store_and_index(reports, None, started=started)
            except Exception as e:  # the whole batch is redone next time: none of it is marked indexed
                for report in reports:
                    self.store.delete(report.report_id)
                    yield IngestFailure(report.path, f"建立检索索引出错（{type(e).__name__}：{e}）")
                continue
            yield from summaries

    def _parse(self, path: str | Path) -> ParsedReport:
        """Parse one file, its pages read in parts by a pool of processes, while this one loads the embedding
        model and the vector store; ReportError for anything that is not a report."""
        from index.ingest import ParseFailure, parse_many

        meanwhile = self._warm_up if self.index_passages else None
        ((parsed,),) = parse_many([Path(path)], meanwhile=meanwhile)
        if isinstance(parsed, ParseFailure):
            raise ReportError(parsed.path, parsed.reason)
        return parsed

    def _warm_up(self) -> None:
        from index.indexing import warm_up

        warm_up(self.settings)

    def _store_and_index(self, reports: list[ParsedReport], step, *, started: float) -> list[IngestSummary]:
        """Save reports' facts, embed their passages in one pass, then mark them indexed."""
        for report in reports:
            self.store.save(report)
        stats = {}
        if self.index_passages:
            from index.indexing import index_reports

            stats = {s.report_id: s for s in index_reports(reports, settings=self.settings, progress=step)}
            model = model_id_for(self.settings.embedder)
            for report in reports:
                self.store.mark_indexed(report.report_id, model=model, chunks=stats[report.report_id].chunks)
        seconds = (time.perf_counter() - started) / len(reports)
        out = []
        for report in reports:
            s = stats.get(report.report_id)
            out.append(
                IngestSummary(
                    report_id=report.report_id,
                    department=report.identity.department,
                    year=report.identity.year,
                    path=report.path,
                    pages=report.page_count,
                    sections=len(report.sections),
                    tables=len(report.tables),
                    facts=len(report.facts),
                    failed_checks=tuple(report.failed_checks),
                    rounding_notes=tuple(report.rounding_notes),
                    checks=len(report.checks),
                    warnings=tuple(report.warnings),
                    seconds=seconds,
                    chunks=s.chunks if s else 0,
                    embedded=s.embedded if s else 0,
                    reused=s.reused if s else 0,
                )
            )
        return out

    def _unchanged(self, path: str | Path) -> IngestSummary | None:
        """The stored summary when this exact file was already ingested by this parser (and indexed)."""
        try:
            record = self.store.report_by_hash(file_hash(path), parser=PARSER_VERSION)
        except OSError:
            return None  # parse_report gives the clear error
        if record is None:
            return None
        model, chunks = self.store.indexed(record.id)
        if self.index_passages and model != model_id_for(self.settings.embedder):
            return None
        resolved = str(Path(path).resolve())
        if record.path != resolved:
            self.store.set_path(record.id, resolved)
        counts = self.store.counts(record.id)
        checks = self.store.checks(record.id)
        return IngestSummary(
            report_id=record.id, department=record.department, year=record.year, path=resolved,
            pages=record.page_count, sections=counts["sections"], tables=counts["tables"], facts=counts["facts"],
            failed_checks=tuple(c for c in checks if c.status == "error"), checks=len(checks),
            rounding_notes=tuple(c for c in checks if c.status == "rounding"),
            warnings=record.warnings, seconds=0.0, chunks=chunks, embedded=0,
        )

    def reports(self) -> list[ReportRecord]:
        return self.store.reports()

    def resolve(self, report: str | None) -> ReportRecord:
        """A report named by id or by the path of an ingested file; the only one when None."""
        if report is None:
            records = self.store.reports()
            if len(records) == 1:
                return records[0]
            if not records:
                raise UnknownReport("还没有导入任何报告，请先运行 ingest 导入一份部门决算。")
            choices = "、".join(f"{r.id}（{r.department}{r.year}年）" for r in records)
            raise UnknownReport(f"已导入多份报告，请用 --report 指定其中一份：{choices}")
        record = self.store.report(report)
        if record is None:
            candidate = Path(report).expanduser()
            if candidate.exists():
                record = self.store.report_by_path(str(candidate.resolve()))
        if record is None:
            choices = "、".join(r.id for r in self.store.reports()) or "（无）"
            raise UnknownReport(f"找不到报告“{report}”。已导入的报告：{choices}")
        return record

    def new_conversation(self) -> Conversation:
        from assistant.router import Conversation

        return Conversation()

    # --- answers ---

    def ask(self, question: str, *, report: str | None = None, conversation: Conversation | None = None) -> Answer:
        """Answer one question about a report; follow-ups lean on the conversation's earlier turns."""
        started = time.perf_counter()
        if report is None and len(records := self.store.reports()) > 1:
            answer = self._ask_across(question, records, conversation)
            return replace(answer, latency_ms=(time.perf_counter() - started) * 1000)
        record = self.resolve(report)
        answer = self._answerer(record).answer(question, conversation)
        return replace(answer, latency_ms=(time.perf_counter() - started) * 1000, report_id=record.id)

    def _ask_across(self, question: str, records: list[ReportRecord], conversation: Conversation | None) -> Answer:
        """A question with no report chosen: the report it names, or a comparison across reports."""
        from assistant.compare import compare_answers, scope_of

        scope = scope_of(question, records)
        if scope is None:
            choices = "、".join(f"{r.department}（{r.year}年）" for r in records)
            raise UnknownReport(f"已导入多份报告，请在问题中写明部门和年度，或指定报告：{choices}")
        if not scope.compare:
            record = scope.records[0]
            answer = self._answerer(record).answer(question, conversation)
            return replace(answer, report_id=record.id)
        return compare_answers(question, self._same_question(scope.base_question, list(scope.records)),
                               ask=lambda q, record: self._answerer(record).answer(q))

    def _same_question(self, question: str, records: list[ReportRecord]) -> list[tuple[ReportRecord, Answer]]:
        """One question asked of many reports: each report's plan reads the same row × measure by code or label."""
        return [(record, replace(self._answerer(record).answer(question), report_id=record.id)) for record in records]

    def _answerer(self, record: ReportRecord) -> Answerer:
        from assistant.lookup import ReportFacts
        from assistant.router import Answerer

        with self._lock:
            cached = self._answerers.get(record.id)
            if cached and cached[0] == record.ingested_at + record.source_hash:
                return cached[1]
        facts = ReportFacts.build(
            report_id=record.id,
            facts=self.store.facts(record.id),
            tables=self.store.tables(record.id),
            department=record.department,
            year=record.year,
        )
        answerer = Answerer(
            facts,
            retrieve=self._retrieve_for(record.id) if self.index_passages else None,
            audit=self._audit_for(record.id),
            sections=self.store.sections(record.id),
            phrase=self._phraser(),
        )
        with self._lock:
            self._answerers[record.id] = (record.ingested_at + record.source_hash, answerer)
        return answerer

    def _phraser(self):
        if not self.settings.llm_url:
            return None
        from assistant.llm import make_phraser

        return make_phraser(url=self.settings.llm_url, model=self.settings.llm_model)

    def _retrieve_for(self, report_id: str):
        settings = self.settings

        def retrieve(question: str):
            from index.indexing import open_retriever
            from assistant.narrative import cited_passages

            retriever = open_retriever(settings=settings, report_ids=[report_id])
            return cited_passages(retriever.retrieve(question, k=5, report_ids=[report_id]))

        return retrieve

    def _audit_for(self, report_id: str):
        store = self.store

        def audit() -> str:
            try:
                from assistant.audit import audit_answer_text, audit_report
            except ImportError:
                return "核对功能暂不可用。"
            return audit_answer_text(audit_report(store, report_id))

        return audit

    def close(self) -> None:
        self.store.close()


__all__ = ["Assistant", "Conversation", "IngestFailure", "IngestSummary", "ReportError"]
