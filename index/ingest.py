"""Parse one report file (PDF or text) into a ParsedReport: sections, tables, facts, checks."""

from __future__ import annotations

import hashlib
import itertools
import multiprocessing
import os
import re
import signal
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from index.errors import ReportError
from index.checks import check_table
from index.mentions import section_mentions, table_text_mentions
from index.model import ParsedReport, ReportIdentity
from index.pdf import read_pdf
from index.structure import split_structure
from index.tables import build_table
from index.vocabulary import kind_of, standard_kinds

MAX_BYTES = 50 * 1024 * 1024
# Bump whenever parsing changes what a report yields: an unchanged file parsed by this version is not re-parsed.
PARSER_VERSION = "2026.12.07-tables-unembedded"


def file_hash(path: str | Path) -> str:
    """The content hash that identifies one report file, whatever its name or folder."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def report_id_for(department: str, year: int | None) -> str:
    """Deterministic id: the same department and year always map to the same report."""
    digest = hashlib.sha1(department.encode("utf-8")).hexdigest()[:10]
    return f"r{year or 0}-{digest}"


def _year_in(blocks) -> int | None:
    """The report's year from its first lines ('2024 年度…'), when the cover names no department."""
    for block in blocks[:80]:
        m = re.search(r"(20\d{2})\s*年度", getattr(block, "text", ""))
        if m:
            return int(m.group(1))
    return None


def parse_report(path: str | Path, *, pool=None) -> ParsedReport:
    """Read, split and validate a report; raise ReportError for anything that is not one.

    pool, if given (an executor of processes), reads a long PDF's pages in parts at once (read_pdf)."""
    path = Path(path)
    if not path.exists():
        raise ReportError(str(path), "文件不存在")
    if not path.is_file():
        raise ReportError(str(path), "不是文件")
    size = path.stat().st_size
    if size == 0:
        raise ReportError(str(path), "文件为空")
    if size > MAX_BYTES:
        raise ReportError(str(path), f"文件超过 {MAX_BYTES // (1024 * 1024)} MB 上限")
    data = path.read_bytes()
    source_hash = hashlib.sha256(data).hexdigest()
    warnings: list[str] = []
    if data[:5] == b"%PDF-":
        content = read_pdf(path, pool=pool)
        blocks, page_count = content.blocks, content.page_count
        warnings.extend(content.warnings)
    elif path.suffix.lower() == ".pdf":
        raise ReportError(str(path), "扩展名是 .pdf，但内容不是 PDF")
    else:
        from index.text import read_text

        blocks = read_text(path)
        page_count = max((b.page for b in blocks if b.page is not None), default=0)
    if not blocks:
        raise ReportError(str(path), "没有可读取的文字")

    structure = split_structure("pending", blocks)
    identity = structure.identity
    standard_tables = [t for t in structure.tables if kind_of(t.title).standard_number]
    if not identity.department and not standard_tables:
        raise ReportError(str(path), "不是部门决算报告（找不到“××年度××部门决算”标题或任何决算表）")
    if not identity.department:
        # Standard tables but a cover the parser does not know: keep the report, named by its file.
        identity = ReportIdentity(department=path.stem, year=_year_in(blocks), title=path.stem)
        warnings.append(f"未能从封面识别部门名称，暂以文件名“{path.stem}”称呼这份报告")
    if not structure.tables:
        # The narrative is still worth answering from; the tables may be printed without ruling lines.
        warnings.append("未能读取任何决算表（表格可能没有框线或是图片），只能回答文字说明中的内容")
    report_id = report_id_for(identity.department, identity.year)
    structure = split_structure(report_id, blocks)
    warnings.extend(structure.warnings)

    report = ParsedReport(
        report_id=report_id,
        path=str(path.resolve()),
        source_hash=source_hash,
        identity=identity,
        page_count=page_count,
        sections=structure.sections,
        warnings=warnings,
        parser=PARSER_VERSION,
    )
    seen_kinds: set[str] = set()
    for raw in structure.tables:
        table, facts, table_warnings = build_table(report_id, raw)
        report.tables.append(table)
        report.facts.extend(facts)
        report.warnings.extend(table_warnings)
        seen_kinds.add(table.kind)
        checks, check_warnings = check_table(table, facts)
        if not all(row.ruled for row in raw.rows):
            # Read from word positions: a formula that fails there says more about the reading than
            # about the report, so it is a warning on the table, never a finding.
            unsure = [c for c in checks if c.status == "error"]
            checks = [c for c in checks if c.status != "error"]
            if unsure:
                check_warnings.append(
                    f"表格没有框线，按文字位置读取；{len(unsure)} 条校验未通过，可能是读取误差，请核对原表"
                )
        report.checks.extend(checks)
        report.warnings.extend(f"{table.key}：{w}" for w in check_warnings)
        if table.kind in ("project_performance", "overall_performance"):
            report.facts.extend(table_text_mentions(table))
    for section in report.sections:
        report.facts.extend(section_mentions(section))
    found = {t.kind for t in report.tables}
    missing = [k.name for k in standard_kinds() if k.id not in found]
    if missing and len(found & {k.id for k in standard_kinds()}) >= 5:  # the nine-table format, some absent
        report.warnings.append("未找到标准决算表：" + "、".join(missing))
    return report


# --- many reports: parsing in a process pool (orchestration only; parsing itself is parse_report) ---


@dataclass(frozen=True)
class ParseFailure:
    """A file that could not be parsed, with the reason shown to the user."""

    path: str
    reason: str


def parse_or_failure(path: str | Path, pool=None) -> ParsedReport | ParseFailure:
    """parse_report, with any error turned into a ParseFailure (runs in a pool worker, or beside one)."""
    try:
        return parse_report(path, pool=pool)
    except ReportError as e:
        return ParseFailure(str(path), e.reason)
    except Exception as e:  # a parser bug on one file must not stop the others
        return ParseFailure(str(path), f"解析出错（{type(e).__name__}：{e}）")


def parse_many(
    paths: Sequence[Path], *, workers: int | None = None, batch: int = 8, meanwhile=None
) -> Iterator[list[ParsedReport | ParseFailure]]:
    """Parse files in a pool of processes (one per core), yielding what is ready in completion order,
    up to `batch` at a time, so that the caller can embed several reports in one pass.

    At most two files per worker are in flight, so memory stays bounded however many files there are; a
    single file has its pages read in parts by the pool instead. meanwhile, if given, is called once the
    first files are submitted: work for this process (loading the embedding model and the vector store)
    while the pool parses. workers=1 parses in this process, one file after another.
    """
    paths = list(paths)
    if not paths:
        return
    workers = workers or os.cpu_count() or 1
    if workers == 1:
        if meanwhile is not None:
            meanwhile()
        for path in paths:
            yield [parse_or_failure(path)]
        return
    if len(paths) == 1:  # one file: its pages are read in parts by the pool, while this process does `meanwhile`
        with _pool(workers) as pool, ThreadPoolExecutor(max_workers=1) as thread:
            parsed = thread.submit(parse_or_failure, paths[0], pool)
            if meanwhile is not None:
                meanwhile()
            yield [parsed.result()]
        return
    workers = min(workers, len(paths))
    pending = iter(paths)
    with _pool(workers) as pool:
        running: dict = {}
        try:
            for path in itertools.islice(pending, 2 * workers):
                running[pool.submit(parse_or_failure, path)] = path
            if meanwhile is not None:
                meanwhile()
            while running:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                ready = [(f, running.pop(f)) for f in done]
                for path in itertools.islice(pending, len(done)):
                    running[pool.submit(parse_or_failure, path)] = path
                for start in range(0, len(ready), batch):
                    yield [_result(f, path) for f, path in ready[start : start + batch]]
        finally:
            for future in running:
                future.cancel()


def _pool(workers: int) -> ProcessPoolExecutor:
    """Processes forked from this one on Linux. A fork server or spawned processes would run the main script
    again in each process (a caller's script without a `__main__` guard would ingest in each); a fork from a
    threaded web server is safe enough here, as the processes only read PDFs; a part of a report's pages that
    a process fails to read is read again in this process (read_pdf)."""
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method), initializer=_worker_init)


def _result(future, path: Path) -> ParsedReport | ParseFailure:
    try:
        return future.result()
    except Exception as e:  # the worker died (killed, out of memory)
        return ParseFailure(str(path), f"解析进程异常退出（{type(e).__name__}）")


def _worker_init() -> None:
    # Ctrl-C goes to the whole process group: the parent stops the run; workers just end with it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):  # and a killed parent takes its workers with it
        try:
            import ctypes

            ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
