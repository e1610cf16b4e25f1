"""python -m assistant ingest|reports|facts|ask|chat|audit|serve — a thin shell over Assistant."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from assistant.errors import AssistantError
from assistant.settings import load_settings


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        return args.handler(args)
    except AssistantError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m assistant", description="决算问答：部门决算报告问答助手")
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("ingest", help="导入报告（PDF 或文本；可给文件夹）")
    p.add_argument("paths", nargs="+")
    p.add_argument("--no-index", action="store_true", help="只解析表格与数字，不建立检索索引")
    p.add_argument("--workers", type=int, help="并行解析的进程数（默认：CPU 核数）")
    p.set_defaults(handler=_ingest)

    p = sub.add_parser("reports", help="列出已导入的报告")
    p.set_defaults(handler=_reports)

    p = sub.add_parser("facts", help="导出一份报告的全部数字")
    p.add_argument("report", help="ingest 打印的报告 id，或已导入文件的路径")
    p.add_argument("--table", help="只看某张表：报告里的表号（如 公开06表）、表名的一部分（如 基本支出）或表的类别（如 basic_expenditure_detail）")
    p.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    p.set_defaults(handler=_facts)

    p = sub.add_parser("ask", help="问一个问题")
    p.add_argument("question")
    p.add_argument("--report")
    p.add_argument("--json", action="store_true", help="按评测格式输出 JSON")
    p.add_argument("--trace", action="store_true", help="同时给出问题是怎样被读取的（行及位置、指标、运算、口径、表、未识别的词）")
    p.set_defaults(handler=_ask)

    p = sub.add_parser("chat", help="在终端里对话")
    p.add_argument("--report")
    p.set_defaults(handler=_chat)

    p = sub.add_parser("audit", help="核对报告：校验公式、正文数字与表格是否一致")
    p.add_argument("report")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_audit)

    p = sub.add_parser("serve", help="启动网页聊天")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--host", default="127.0.0.1")
    p.set_defaults(handler=_serve)
    return parser


def _assistant(*, index_passages: bool = True):
    from assistant.service import Assistant

    return Assistant(settings=load_settings(), index_passages=index_passages)


def _expand(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in (".pdf", ".txt")))
        else:
            out.append(path)
    return out


def _ingest(args) -> int:
    assistant = _assistant(index_passages=not args.no_index)
    paths = _expand(args.paths)
    progress = Progress(len(paths), sys.stderr)
    failures: list = []
    try:
        for outcome in assistant.ingest_many(paths, workers=args.workers):
            if hasattr(outcome, "reason"):
                failures.append(outcome)
                progress.clear()
                print(f"错误：无法导入 {outcome.path}：{outcome.reason}", file=sys.stderr)
                progress.done(pages=0, skipped=False)
                continue
            progress.clear()
            _print_summary(outcome)
            progress.done(pages=outcome.pages, skipped=outcome.unchanged)
    except KeyboardInterrupt:
        progress.clear()
        print(
            f"已中断：已完成 {progress.count} / {len(paths)} 份，均已保存。再次运行同一命令会跳过已导入的报告，从中断处继续。",
            file=sys.stderr,
        )
        return 130
    progress.clear()
    if len(paths) > 1:
        skipped = f"（其中 {progress.skipped} 份未变化，已跳过）" if progress.skipped else ""
        print(
            f"共 {len(paths)} 份，成功 {len(paths) - len(failures)} 份{skipped}，失败 {len(failures)} 份，"
            f"用时 {progress.elapsed():.1f} 秒"
        )
        for failure in failures:
            print(f"  失败：{failure.path}：{failure.reason}")
    return 1 if failures else 0


def _print_summary(s) -> None:
    done = "未变化，沿用已导入的结果" if s.unchanged else f"{s.seconds:.2f} 秒"
    vectors = f"\t段落向量 新算 {s.embedded}、复用 {s.reused}" if (s.embedded or s.reused) and not s.unchanged else ""
    print(
        f"{s.report_id}\t{s.department}\t{s.year}年\t页数 {s.pages}\t章节 {s.sections}\t表格 {s.tables}\t"
        f"数字 {s.facts}\t校验 {s.checks - len(s.failed_checks)}/{s.checks} 通过"
        + (f"（其中舍入差异 {len(s.rounding_notes)} 条）" if s.rounding_notes else "")
        + f"\t警告 {len(s.warnings)}{vectors}\t{done}"
    )
    for check in s.failed_checks:
        print(
            f"  校验未通过：{check.table} 第{check.page or '?'}页 “{check.row}” {check.column}："
            f"{check.formula}，表中 {check.stated:g}，计算得 {check.computed:g}"
        )
    for note in s.rounding_notes:
        print(
            f"  舍入差异：{note.table} 第{note.page or '?'}页 “{note.row}” {note.column}："
            f"{note.formula}，表中 {note.stated:g}，计算得 {note.computed:g}"
        )
    for warning in s.warnings:
        print(f"  警告：{warning}")
    sys.stdout.flush()


class Progress:
    """One line on stderr for a run over several files: reports done / total, pages per second, time
    left. Redrawn in place on a terminal; printed every tenth report (and the last) otherwise."""

    def __init__(self, total: int, out) -> None:
        import time

        self._clock = time.monotonic
        self.total = total
        self.out = out
        self.count = 0
        self.skipped = 0
        self.pages = 0
        self._started = self._clock()
        self._work_started = self._started  # unchanged files are reported first: time after them is work
        self._tty = bool(getattr(out, "isatty", lambda: False)())
        self._drawn = False

    def elapsed(self) -> float:
        return self._clock() - self._started

    def done(self, *, pages: int, skipped: bool) -> None:
        self.count += 1
        self.skipped += skipped
        if skipped and self.count == self.skipped:
            self._work_started = self._clock()
        self.pages += pages
        if self.total <= 1:
            return
        if self._tty:
            self.out.write("\r" + self.line())
            self._drawn = True
        elif self.count % 10 == 0 or self.count == self.total:
            self.out.write(self.line() + "\n")
        self.out.flush()

    def line(self) -> str:
        working = max(self._clock() - self._work_started, 1e-6)
        parsed = self.count - self.skipped
        rate = f"{self.pages / working:.1f} 页/秒" if self.pages and parsed else "— 页/秒"
        left = self.total - self.count
        if left and parsed:
            eta = f"预计剩余 {_duration(working / parsed * left)}"
        else:
            eta = "完成" if not left else "预计剩余 —"
        width = 20
        filled = int(width * self.count / max(self.total, 1))
        return f"[{'#' * filled}{'.' * (width - filled)}] {self.count}/{self.total} 份 · {rate} · {eta}"

    def clear(self) -> None:
        if self._drawn:
            self.out.write("\r\033[K")
            self.out.flush()
            self._drawn = False


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600} 小时 {seconds % 3600 // 60} 分"
    if seconds >= 60:
        return f"{seconds // 60} 分 {seconds % 60} 秒"
    return f"{seconds} 秒"


def _reports(args) -> int:
    records = _assistant(index_passages=False).reports()
    if not records:
        print("还没有导入任何报告。")
    for r in records:
        print(f"{r.id}\t{r.department}\t{r.year}年\t{r.page_count}页\t{r.path}")
    return 0


def _facts(args) -> int:
    assistant = _assistant(index_passages=False)
    record = assistant.resolve(args.report)
    write_facts(assistant.store.facts(record.id, table=args.table), sys.stdout, fmt=args.format)
    return 0


def write_facts(facts, out, *, fmt: str = "jsonl") -> None:
    """Facts as `facts --format jsonl|csv` prints them (the web page's CSV download uses this too)."""
    if fmt == "jsonl":
        for fact in facts:
            out.write(json.dumps(fact.to_record(), ensure_ascii=False) + "\n")
        return
    fields = [
        "report", "table", "table_title", "row", "code", "classification", "column", "value", "unit", "page", "table_kind"
    ]
    writer = csv.DictWriter(out, fieldnames=fields)
    writer.writeheader()
    for fact in facts:
        writer.writerow(fact.to_record())


def _ask(args) -> int:
    assistant = _assistant()
    answer = assistant.ask(args.question, report=args.report)
    record = answer.to_dict(question=args.question)
    if not args.trace:
        record.pop("trace", None)
    if args.json:
        print(json.dumps(record, ensure_ascii=False, indent=2))
    else:
        print(render_answer(answer))
        if args.trace:
            print("  [读取过程：" + json.dumps(record.get("trace"), ensure_ascii=False) + "]")
    return 0


def render_answer(answer) -> str:
    """Plain-text rendering of an Answer for the terminal."""
    lines = [answer.text]
    if answer.formula:
        lines.append(f"  计算：{answer.formula}")
    for c in answer.candidates:
        lines.append(f"  · {c.label}：{c.value:g}{c.unit}（{c.citation.label}，第{c.citation.page or '?'}页）")
    for c in answer.citations:
        page = f"第{c.page}页" if c.page else "页码未知"
        lines.append(f"  出处：{c.label}（{page}）")
    lines.append(f"  [路由：{answer.route.kind}，{answer.route.reason}]")
    if answer.plan is not None:
        cells = "；".join(f"{c.entity}·{c.measure} = {c.value:g}{c.unit}（{c.table}，第{c.page or '?'}页）" for c in answer.plan.cells)
        lines.append(f"  [如何得出：{answer.plan.operation}；{cells}" + (f"；{'；'.join(answer.plan.steps)}" if answer.plan.steps else "") + "]")
    return "\n".join(lines)


def _chat(args) -> int:
    assistant = _assistant()
    conversation = assistant.new_conversation()
    record = assistant.resolve(args.report)
    print(f"决算问答 · {record.department}{record.year}年。输入问题，空行或 Ctrl-D 退出。")
    while True:
        try:
            question = input("问：").strip()
        except EOFError:
            print()
            return 0
        if not question:
            return 0
        try:
            answer = assistant.ask(question, report=record.id, conversation=conversation)
        except AssistantError as e:
            print(f"错误：{e}")
            continue
        print("答：" + render_answer(answer))


def _audit(args) -> int:
    from assistant.audit import audit_report

    assistant = _assistant(index_passages=False)
    record = assistant.resolve(args.report)
    findings = audit_report(assistant.store, record.id)
    if args.json:
        print(json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2))
    else:
        from assistant.audit import render_findings

        print(render_findings(findings))
    return 0


def _serve(args) -> int:
    from ui.app import serve

    try:
        serve(host=args.host, port=args.port)
    except OSError as e:
        print(f"错误：无法在 {args.host}:{args.port} 启动网页（{e.strerror or e}），请用 --port 换一个端口。", file=sys.stderr)
        return 1
    return 0
