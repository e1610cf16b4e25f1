"""The assistant as one object: ingest reports, list them, and answer questions about them."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import ReportError, UnknownReport
from assistant.settings import Settings
from index.ingest import parse_report
from index.model import CheckResult
from index.store import FactStore, ReportRecord


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


@dataclass
class Conversation:
    """Per-conversation follow-up state (the previous turn's subject, metric and table)."""

    turns: list = field(default_factory=list)
    context: dict = field(default_factory=dict)


class Assistant:
    def __init__(self, *, settings: Settings, index_passages: bool = True):
        self.settings = settings
        self.store = FactStore(settings.db_path)
        self.index_passages = index_passages

    # --- reports ---

    def ingest(self, path: str | Path, *, progress=None) -> IngestSummary:
        """Parse, check, store and index one report; re-ingesting replaces the earlier copy."""
        started = time.perf_counter()
        if progress:
            progress(0.05, "解析 PDF / 文本")
        report = parse_report(path)
        if progress:
            progress(0.5, "保存表格与数字")
        self.store.save(report)
        chunks = embedded = 0
        if self.index_passages:
            if progress:
                progress(0.6, "建立检索索引")
            from index.indexing import index_report

            stats = index_report(report, settings=self.settings)
            chunks, embedded = stats.chunks, stats.embedded
        if progress:
            progress(1.0, "完成")
        return IngestSummary(
            report_id=report.report_id,
            department=report.identity.department,
            year=report.identity.year,
            path=report.path,
            pages=report.page_count,
            sections=len(report.sections),
            tables=len(report.tables),
            facts=len(report.facts),
            failed_checks=tuple(report.failed_checks),
            checks=len(report.checks),
            warnings=tuple(report.warnings),
            seconds=time.perf_counter() - started,
            chunks=chunks,
            embedded=embedded,
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
        return Conversation()

    def close(self) -> None:
        self.store.close()


__all__ = ["Assistant", "Conversation", "IngestSummary", "ReportError"]
