"""Run a gold Q&A set through the assistant and the naive baseline, score, and report.

`python -m eval GOLD.jsonl --report PATH [--predictions OUT.jsonl]
 [--pipeline assistant|baseline|both] [--min-accuracy X]`
"""

from __future__ import annotations

import argparse
import html
import json
import sys
import time
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, TextIO

from assistant.errors import AssistantError
from assistant.settings import PROJECT_ROOT
from eval.metrics import (
    GoldItem,
    GoldQuestion,
    Scorecard,
    citation_labels,
    load_gold,
    scorecard,
    unmatched_cites,
)

PIPELINES = ("assistant", "baseline")
TYPE_NAMES = {
    "lookup": "查数 lookup",
    "calc": "计算 calc",
    "narrative": "叙述 narrative",
    "clarify": "澄清 clarify",
    "unanswerable": "无答案 unanswerable",
    "conversation": "多轮 conversation",
}
_COLORS = {"assistant": "#2b6cb0", "baseline": "#a0aec0"}


class Pipeline(Protocol):
    """What the runner needs of the assistant and of the baseline."""

    def ingest(self, path: Path) -> Any: ...

    def new_conversation(self) -> Any: ...

    def ask(self, question: str, *, report: str, conversation: Any) -> Any: ...


PipelineFactory = Callable[[], Pipeline]


@dataclass(frozen=True)
class PipelineRun:
    """One pipeline's answers to a gold set, with its scores."""

    name: str
    report_id: str
    ingest_seconds: float
    predictions: dict[str, list[dict]]  # gold id -> one answer dict per question or turn
    card: Scorecard


# ---------------------------------------------------------------- running


def default_factories() -> dict[str, PipelineFactory]:
    """The real assistant and the naive baseline, both built from the environment's Settings."""
    from assistant.settings import load_settings

    def assistant() -> Pipeline:
        from assistant.service import Assistant

        return Assistant(settings=load_settings())

    def baseline() -> Pipeline:
        from eval.baseline import Baseline

        return Baseline(settings=load_settings())

    return {"assistant": assistant, "baseline": baseline}


def run_pipeline(
    name: str, pipeline: Pipeline, items: Sequence[GoldItem], report: Path, *, log: TextIO
) -> PipelineRun:
    """Ingest the report (idempotent), ask every question, each conversation in one conversation."""
    started = time.perf_counter()
    summary = pipeline.ingest(report)
    ingest_seconds = time.perf_counter() - started
    print(f"[{name}] 已导入 {summary.report_id}（{ingest_seconds:.1f} 秒），开始提问 {len(items)} 题……",
          file=log, flush=True)
    for warning in getattr(summary, "warnings", ()):
        print(f"[{name}] 导入提示：{warning}", file=log)
    predictions: dict[str, list[dict]] = {}
    for item in items:
        conversation = pipeline.new_conversation()
        predictions[item.id] = [
            ask_one(pipeline, gold.question, report_id=summary.report_id, conversation=conversation)
            for gold in item.turns
        ]
    if hasattr(pipeline, "close"):
        pipeline.close()
    return PipelineRun(name, summary.report_id, ingest_seconds, predictions, scorecard(items, predictions))


def ask_one(pipeline: Pipeline, question: str, *, report_id: str, conversation: Any) -> dict:
    """The answer dict of the README contract, with the latency the runner measured."""
    started = time.perf_counter()
    try:
        answer = pipeline.ask(question, report=report_id, conversation=conversation)
        record = answer.to_dict(question=question)
    except AssistantError as e:  # a refusal the user would see is an answer, and it fails
        record = {
            "question": question, "kind": "error", "text": str(e), "value": None, "unit": "",
            "candidates": [], "citations": [], "route": {"kind": "invalid", "reason": type(e).__name__},
        }
    record["latency_ms"] = round((time.perf_counter() - started) * 1000, 2)
    return record


def write_predictions(path: Path, items: Sequence[GoldItem], predictions: Mapping[str, list[dict]]) -> None:
    """One JSON object per gold item, in gold order: {"id", "answers"}."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for item in items:
            out.write(json.dumps({"id": item.id, "answers": predictions.get(item.id, [])}, ensure_ascii=False))
            out.write("\n")


def predictions_path(gold: Path, pipeline: str, explicit: Path | None, several: bool) -> Path:
    """data/eval/<gold-stem>-<pipeline>.jsonl; an explicit path is the assistant's (or the only one)."""
    if explicit is None:
        return PROJECT_ROOT / "data" / "eval" / f"{gold.stem}-{pipeline}.jsonl"
    if pipeline == "assistant" or not several:
        return explicit
    return explicit.with_name(f"{explicit.stem}-{pipeline}{explicit.suffix or '.jsonl'}")


# ---------------------------------------------------------------- text table


def format_table(runs: Sequence[PipelineRun]) -> str:
    """The figures of every pipeline side by side."""
    rows = [["指标", *(run.name for run in runs)]]
    rows.append(["总体准确率", *(_fraction(run.card.passed, run.card.items) for run in runs)])
    for kind in _types(runs):
        rows.append([f"  {TYPE_NAMES.get(kind, kind)}", *(_fraction(*run.card.by_type.get(kind, (0, 0))) for run in runs)])
    rows.append(["数字题：答对", *(_fraction(run.card.numeric_right, _numeric(run)) for run in runs)])
    rows.append(["　　　　数字错", *(_fraction(run.card.numeric_wrong, _numeric(run)) for run in runs)])
    rows.append(["　　　　未作答", *(_fraction(run.card.numeric_unanswered, _numeric(run)) for run in runs)])
    rows.append(["引用准确率", *(_fraction(*run.card.citation_counts) for run in runs)])
    rows.append(["未找到精确率", *(_fraction(*run.card.not_found_counts) for run in runs)])
    rows.append(["延迟 p50", *(_ms(run.card.latency_p50_ms) for run in runs)])
    rows.append(["延迟 p95", *(_ms(run.card.latency_p95_ms) for run in runs)])
    rows.append(["导入用时", *(f"{run.ingest_seconds:.1f} s" for run in runs)])
    widths = [max(_width(row[col]) for row in rows) for col in range(len(rows[0]))]
    lines = []
    for number, row in enumerate(rows):
        lines.append("  ".join(_pad(cell, widths[col], left=col == 0) for col, cell in enumerate(row)).rstrip())
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_failures(run: PipelineRun) -> str:
    """Failed answers (id, question, expected, got, route) and correct answers with wrong citations."""
    lines = [f"[{run.name}] 答错 {_failed(run)}"]
    for score in run.card.failures:
        lines.append(
            f"  {score.gold.id}  {_short(score.gold.question, 30)}\n"
            f"      期望：{expected_text(score.gold)}\n"
            f"      得到：{got_text(score.answer)}　（{score.reason}）\n"
            f"      路由：{route_text(score.answer)}"
            + (f"\n      读取：{trace_text(score.answer)}" if trace_text(score.answer) else "")
        )
    misses = run.card.citation_misses
    if misses:
        lines.append(f"[{run.name}] 答对但引用不符 {len(misses)} 题")
        for score in misses:
            labels = "；".join(citation_labels(score.answer)) or "（无引用）"
            lines.append(
                f"  {score.gold.id}  {_short(score.gold.question, 30)}\n"
                f"      应引用：{'；'.join(unmatched_cites(citation_labels(score.answer), score.gold.cite))}\n"
                f"      实际引用：{_short(labels, 80)}"
            )
    return "\n".join(lines)


def expected_text(gold: GoldQuestion) -> str:
    """What the gold item accepts, in one line."""
    values = " / ".join(_number(v) for v in gold.values)
    includes = f"，含 {'、'.join(gold.must_include)}" if gold.must_include else ""
    if gold.type in ("lookup", "calc"):
        return f"{values} {gold.unit}{includes}".strip()
    if gold.type == "clarify":
        return f"候选 {'、'.join(_number(v) for v in gold.values)} {gold.unit}".strip()
    if gold.type == "narrative":
        return f"正文含 {'、'.join(gold.must_include)}" if gold.must_include else "（任意叙述）"
    return "未找到（not_found）"


def got_text(answer: Mapping) -> str:
    """What the answer said, in one line."""
    kind = answer.get("kind") or "（无回答）"
    if kind == "number":
        return f"{_number(answer.get('value'))} {answer.get('unit') or ''}".strip()
    if kind == "clarify":
        candidates = "、".join(
            f"{c.get('label', '')} {_number(c.get('value'))}{c.get('unit') or ''}" for c in answer.get("candidates") or ()
        )
        return f"澄清：{_short(candidates or answer.get('text') or '', 60)}"
    if kind == "not_found":
        return f"未找到：{_short(answer.get('text') or '', 40)}"
    return f"{kind}：{_short(answer.get('text') or '', 60)}"


def route_text(answer: Mapping) -> str:
    route = answer.get("route") or {}
    return f"{route.get('kind', '?')}：{_short(route.get('reason', ''), 60)}" if route else "（无）"


def trace_text(answer: Mapping) -> str:
    """How the question was read: rows (with where they were found), measures, operation, scope, table, leftover."""
    trace = answer.get("trace")
    if not trace:
        return ""
    rows = "、".join(f"{s['text']}@{s.get('start', '?')}→{'/'.join(s['keys'][:3])}" for s in trace.get("subjects", []))
    parts = [f"行：{rows or '无'}", f"指标：{'、'.join(trace.get('measures', [])) or '未指明'}", f"运算：{trace.get('operation', '')}"]
    if trace.get("scope"):
        parts.append(f"口径：{trace['scope']}")
    if trace.get("table_named"):
        parts.append(f"表：{trace['table_named']}→{'、'.join(trace.get('tables', [])) or '报告中没有'}")
    if trace.get("denominator"):
        parts.append(f"整体：{trace['denominator']['text']}")
    if trace.get("leftover"):
        parts.append(f"未识别：{trace['leftover']}")
    return "；".join(parts)


# ---------------------------------------------------------------- reports


def markdown_report(gold: Path, report: Path, runs: Sequence[PipelineRun]) -> str:
    """The same figures and failures as the console, as markdown."""
    names = [run.name for run in runs]
    lines = [
        f"# 评测报告：{gold.name}",
        "",
        f"- 报告：`{report}`",
        f"- 题目：{runs[0].card.items} 题（{gold}）",
        f"- 时间：{datetime.now():%Y-%m-%d %H:%M}",
        "",
        "| 指标 | " + " | ".join(names) + " |",
        "| --- |" + " ---: |" * len(names),
        "| 总体准确率 | " + " | ".join(_fraction(r.card.passed, r.card.items) for r in runs) + " |",
    ]
    for kind in _types(runs):
        lines.append(f"| {TYPE_NAMES.get(kind, kind)} | " + " | ".join(_fraction(*r.card.by_type.get(kind, (0, 0))) for r in runs) + " |")
    lines += [
        "| 引用准确率 | " + " | ".join(_fraction(*r.card.citation_counts) for r in runs) + " |",
        "| 未找到精确率 | " + " | ".join(_fraction(*r.card.not_found_counts) for r in runs) + " |",
        "| 延迟 p50 | " + " | ".join(_ms(r.card.latency_p50_ms) for r in runs) + " |",
        "| 延迟 p95 | " + " | ".join(_ms(r.card.latency_p95_ms) for r in runs) + " |",
        "",
    ]
    for run in runs:
        lines += [f"## {run.name}：答错 {_failed(run)}", ""]
        if run.card.failures:
            lines += ["| id | 问题 | 期望 | 得到 | 原因 | 路由 |", "| --- | --- | --- | --- | --- | --- |"]
            for s in run.card.failures:
                cells = [s.gold.id, s.gold.question, expected_text(s.gold), got_text(s.answer), s.reason, route_text(s.answer)]
                lines.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
            lines.append("")
        misses = run.card.citation_misses
        if misses:
            lines += [f"### {run.name}：答对但引用不符 {len(misses)} 题", "", "| id | 问题 | 应引用 | 实际引用 |", "| --- | --- | --- | --- |"]
            for s in misses:
                labels = citation_labels(s.answer)
                cells = [s.gold.id, s.gold.question, "；".join(unmatched_cites(labels, s.gold.cite)), "；".join(labels) or "（无）"]
                lines.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
            lines.append("")
    return "\n".join(lines)


def html_report(gold: Path, report: Path, runs: Sequence[PipelineRun]) -> str:
    """A self-contained page: figures, an inline SVG bar chart of accuracy by type, failures."""
    esc = html.escape
    head = "".join(f"<th>{esc(run.name)}</th>" for run in runs)
    body = [f"<tr><td>总体准确率</td>{''.join(f'<td>{_fraction(r.card.passed, r.card.items)}</td>' for r in runs)}</tr>"]
    for kind in _types(runs):
        cells = "".join(f"<td>{_fraction(*r.card.by_type.get(kind, (0, 0)))}</td>" for r in runs)
        body.append(f"<tr><td>{esc(TYPE_NAMES.get(kind, kind))}</td>{cells}</tr>")
    for label, figure in (
        ("引用准确率", lambda r: _fraction(*r.card.citation_counts)),
        ("未找到精确率", lambda r: _fraction(*r.card.not_found_counts)),
        ("延迟 p50", lambda r: _ms(r.card.latency_p50_ms)),
        ("延迟 p95", lambda r: _ms(r.card.latency_p95_ms)),
    ):
        body.append(f"<tr><td>{label}</td>{''.join(f'<td>{esc(figure(r))}</td>' for r in runs)}</tr>")
    sections = []
    for run in runs:
        rows = "".join(
            "<tr>" + "".join(f"<td>{esc(c)}</td>" for c in (
                s.gold.id, s.gold.question, expected_text(s.gold), got_text(s.answer), s.reason, route_text(s.answer)
            )) + "</tr>"
            for s in run.card.failures
        )
        table = (f"<table><tr><th>id</th><th>问题</th><th>期望</th><th>得到</th><th>原因</th><th>路由</th></tr>{rows}</table>"
                 if rows else "<p>全部答对。</p>")
        sections.append(f"<h2>{esc(run.name)}：答错 {esc(_failed(run))}</h2>{table}")
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>评测报告 {esc(gold.name)}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; color: #1a202c; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
th, td {{ border: 1px solid #cbd5e0; padding: 4px 8px; text-align: left; vertical-align: top; }}
td:not(:first-child) {{ font-variant-numeric: tabular-nums; }}
</style></head><body>
<h1>评测报告：{esc(gold.name)}</h1>
<p>报告：<code>{esc(str(report))}</code>；题目 {runs[0].card.items} 题；时间 {datetime.now():%Y-%m-%d %H:%M}</p>
<table><tr><th>指标</th>{head}</tr>{''.join(body)}</table>
<h2>各题型准确率</h2>
{accuracy_chart(runs)}
{''.join(sections)}
</body></html>
"""


def accuracy_chart(runs: Sequence[PipelineRun]) -> str:
    """A grouped SVG bar chart: overall and per-type accuracy, one bar per pipeline."""
    groups = [("总体", {r.name: r.card.accuracy for r in runs})]
    for kind in _types(runs):
        shares = {}
        for r in runs:
            passed, total = r.card.by_type.get(kind, (0, 0))
            shares[r.name] = passed / total if total else 0.0
        groups.append((kind, shares))
    bar, gap, plot_height, top, left = 26, 30, 200, 30, 40
    group_width = bar * len(runs) + gap
    width = left + group_width * len(groups) + 20
    height = top + plot_height + 50
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 24}" '
             f'role="img" aria-label="accuracy by type" font-family="sans-serif" font-size="12">']
    for tick in (0, 50, 100):
        y = top + plot_height * (1 - tick / 100)
        parts.append(f'<line x1="{left}" y1="{y}" x2="{width - 10}" y2="{y}" stroke="#e2e8f0"/>'
                     f'<text x="{left - 6}" y="{y + 4}" text-anchor="end" fill="#4a5568">{tick}%</text>')
    for g, (label, shares) in enumerate(groups):
        x0 = left + gap / 2 + g * group_width
        for b, run in enumerate(runs):
            share = shares.get(run.name, 0.0)
            h = plot_height * share
            x = x0 + b * bar
            color = _COLORS.get(run.name, "#718096")
            parts.append(f'<rect x="{x}" y="{top + plot_height - h:.1f}" width="{bar - 4}" height="{h:.1f}" fill="{color}">'
                         f'<title>{html.escape(run.name)} {label}: {share:.1%}</title></rect>')
            parts.append(f'<text x="{x + (bar - 4) / 2}" y="{top + plot_height - h - 4:.1f}" text-anchor="middle" '
                         f'font-size="10">{share * 100:.0f}</text>')
        parts.append(f'<text x="{x0 + bar * len(runs) / 2}" y="{top + plot_height + 18}" text-anchor="middle">'
                     f'{html.escape(label)}</text>')
    for b, run in enumerate(runs):
        x = left + b * 110
        parts.append(f'<rect x="{x}" y="{height}" width="12" height="12" fill="{_COLORS.get(run.name, "#718096")}"/>'
                     f'<text x="{x + 16}" y="{height + 10}">{html.escape(run.name)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


# ---------------------------------------------------------------- CLI


def main(
    argv: Sequence[str] | None = None,
    *,
    factories: Mapping[str, PipelineFactory] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the eval; 0 when done (and the assistant meets --min-accuracy), else non-zero."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--from-feedback"]:  # the web chat's feedback as a draft gold set: eval/feedback.py
        from eval.feedback import main as from_feedback

        return from_feedback(argv[1:], stdout=stdout, stderr=stderr)
    args = _parser().parse_args(argv)
    gold_path, report = Path(args.gold), Path(args.report)
    if not report.exists():
        print(f"找不到报告文件 {report}", file=stderr)
        return 2
    try:
        items = load_gold(gold_path)
    except (OSError, ValueError) as e:
        print(f"无法读取评测集：{e}", file=stderr)
        return 2
    if not items:
        print(f"评测集 {gold_path} 是空的", file=stderr)
        return 2
    names = list(PIPELINES) if args.pipeline == "both" else [args.pipeline]
    factories = factories or default_factories()
    explicit = Path(args.predictions) if args.predictions else None
    runs = []
    for name in names:
        try:
            pipeline = factories[name]()
            run = run_pipeline(name, pipeline, items, report, log=stderr)
        except AssistantError as e:
            print(f"[{name}] {e}", file=stderr)
            return 2
        path = predictions_path(gold_path, name, explicit, len(names) > 1)
        write_predictions(path, items, run.predictions)
        print(f"[{name}] 预测已写入 {path}", file=stderr)
        runs.append(run)

    print(format_table(runs), file=stdout)
    for run in runs:
        print("", file=stdout)
        print(format_failures(run), file=stdout)
    folder = predictions_path(gold_path, names[0], explicit, len(names) > 1).parent
    markdown = folder / f"{gold_path.stem}-report.md"
    markdown.write_text(markdown_report(gold_path, report, runs), encoding="utf-8")
    page = folder / f"{gold_path.stem}-report.html"
    page.write_text(html_report(gold_path, report, runs), encoding="utf-8")
    print(f"\n报告：{markdown}  {page}", file=stdout)

    if args.min_accuracy is not None:
        threshold = args.min_accuracy / 100 if args.min_accuracy > 1 else args.min_accuracy
        judged = next((run for run in runs if run.name == "assistant"), runs[0])
        if judged.card.accuracy < threshold:
            print(f"[{judged.name}] 准确率 {judged.card.accuracy:.1%} 低于 --min-accuracy {threshold:.1%}", file=stderr)
            return 1
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m eval",
        description="用评测集（JSONL）考 决算问答 与朴素 RAG 基线，打印并写出成绩。",
    )
    parser.add_argument("gold", help="评测集 JSONL，格式见 eval/README.md")
    parser.add_argument("--report", required=True, help="部门决算 PDF（或 .txt）")
    parser.add_argument("--predictions", help="预测输出 JSONL（默认 data/eval/<评测集名>-<pipeline>.jsonl）")
    parser.add_argument("--pipeline", choices=["assistant", "baseline", "both"], default="both")
    parser.add_argument("--min-accuracy", type=float, default=None,
                        help="assistant 总体准确率低于此值时退出码为 1（0.8 或 80 均可）")
    return parser


# ---------------------------------------------------------------- helpers


def _numeric(run: PipelineRun) -> int:
    card = run.card
    return card.numeric_right + card.numeric_wrong + card.numeric_unanswered


def _failed(run: PipelineRun) -> str:
    return f"{run.card.items - run.card.passed} 题（{len(run.card.failures)} 问，多轮按轮计）"


def _types(runs: Sequence[PipelineRun]) -> list[str]:
    seen: dict[str, None] = {}
    for run in runs:
        for kind in run.card.by_type:
            seen.setdefault(kind, None)
    return list(seen)


def _fraction(hit: int, total: int) -> str:
    return f"{hit}/{total} {hit / total:6.1%}" if total else "—"


def _ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f} ms" if value < 10 else f"{value:.0f} ms"


def _number(value: Any) -> str:
    return format(float(value), ".12g") if isinstance(value, (int, float)) else "—"


def _short(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _md_cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, *, left: bool) -> str:
    fill = " " * (width - _width(text))
    return text + fill if left else fill + text
