"""Warm answer latency per route on the bundled sample: median and p95 (printed, not asserted).

    .venv/bin/python bench/answer_latency.py [--report samples/hanyang-qifu-2023.pdf] [--gold ../shared/eval/dev.jsonl]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.service import Assistant  # noqa: E402
from assistant.settings import PROJECT_ROOT, SAMPLE_REPORT, load_settings  # noqa: E402

DEFAULT_GOLD = PROJECT_ROOT.parent / "shared" / "eval" / "dev.jsonl"
FALLBACK_QUESTIONS = ["政企云执行率是多少", "基本工资是多少", "项目支出占本年支出的比例", "什么是基本支出", "政企云平台建设了哪些内容"]


def questions(gold: Path) -> list[str]:
    if not gold.exists():
        return FALLBACK_QUESTIONS
    out = []
    for line in gold.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        out.extend(t["question"] for t in item.get("turns") or [item])
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--report", default=str(SAMPLE_REPORT))
    parser.add_argument("--gold", default=str(DEFAULT_GOLD))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--tables-only", action="store_true", help="skip embedding passages (numeric routes only)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = replace(load_settings(), data_dir=Path(tmp))
        assistant = Assistant(settings=settings, index_passages=not args.tables_only)
        started = time.perf_counter()
        report = assistant.ingest(args.report).report_id
        print(f"ingest (cold): {time.perf_counter() - started:.1f} s")
        qs = questions(Path(args.gold))
        started = time.perf_counter()
        assistant.ask(qs[0], report=report)
        print(f"first answer after ingest: {(time.perf_counter() - started) * 1000:.0f} ms")
        for q in qs:  # warm every route once
            assistant.ask(q, report=report)
        by_route: dict[str, list[float]] = defaultdict(list)
        for _ in range(args.rounds):
            for q in qs:
                answer = assistant.ask(q, report=report)
                # numeric: answered by the table plan or by a stated figure (the plan's fallback)
                kind = "numeric" if answer.kind in ("number", "clarify") else answer.route.kind
                by_route[kind].append(answer.latency_ms)
        print(f"{'route':<12}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}")
        for kind, values in sorted(by_route.items()):
            values.sort()
            p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
            print(f"{kind:<12}{len(values):>6}{statistics.median(values):>10.1f}{p95:>10.1f}")


if __name__ == "__main__":
    main()
